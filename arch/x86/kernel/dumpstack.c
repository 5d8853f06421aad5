// SPDX-License-Identifier: GPL-2.0
/*
 * Register dumps and frame-pointer backtraces (the kernel is built with
 * -fno-omit-frame-pointer, so RBP chains through every C frame).
 */
#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/panic.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <lego/sched.h>

#define MAX_FRAMES	32

void show_regs(struct pt_regs *regs)
{
	pr_emerg("CPU: %d\n", smp_processor_id());
	pr_emerg("RIP: %04llx:[<%016llx>] %pS\n", regs->cs, regs->rip, (void *)regs->rip);
	pr_emerg("RSP: %04llx:%016llx EFLAGS: %08llx ERR: %llx\n",
		 regs->ss, regs->rsp, regs->rflags, regs->error_code);
	pr_emerg("RAX: %016llx RBX: %016llx RCX: %016llx\n", regs->rax, regs->rbx, regs->rcx);
	pr_emerg("RDX: %016llx RSI: %016llx RDI: %016llx\n", regs->rdx, regs->rsi, regs->rdi);
	pr_emerg("RBP: %016llx R08: %016llx R09: %016llx\n", regs->rbp, regs->r8, regs->r9);
	pr_emerg("R10: %016llx R11: %016llx R12: %016llx\n", regs->r10, regs->r11, regs->r12);
	pr_emerg("R13: %016llx R14: %016llx R15: %016llx\n", regs->r13, regs->r14, regs->r15);
	pr_emerg("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
		 read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* A frame pointer worth following: aligned and inside kernel memory. */
static bool frame_ok(unsigned long fp)
{
	return fp && !(fp & 7) && fp >= PAGE_OFFSET && fp < ~0UL - 16;
}

/* Print the return addresses of the frames chained from fp. */
void show_stack_from(unsigned long fp)
{
	for (int i = 0; i < MAX_FRAMES && frame_ok(fp); i++) {
		unsigned long *frame = (unsigned long *)fp;
		unsigned long ret = frame[1];

		if (!ret)
			break;
		pr_emerg(" [<%016lx>] %pS\n", ret, (void *)ret);
		if (frame[0] <= fp)	/* stacks grow down: callers are higher */
			break;
		fp = frame[0];
	}
}

void dump_stack(void)
{
	pr_emerg("Call Trace:\n");
	show_stack_from((unsigned long)__builtin_frame_address(0));
}

/* __switch_to_asm left r15, r14, r13, r12, rbx, rbp and the return address on the stack. */
void arch_show_task_stack(struct task_struct *t)
{
	unsigned long *sp = (unsigned long *)t->sp;

	if (!frame_ok((unsigned long)sp))
		return;
	pr_emerg(" [<%016lx>] %pS\n", sp[6], (void *)sp[6]);
	show_stack_from(sp[5]);
}

void die(const char *what, struct pt_regs *regs)
{
	if (!panic_begin())
		panic_stop_self();
	pr_emerg("Kernel fault: %s%s\n", what, user_mode(regs) ? " (user mode)" : "");
	show_regs(regs);
	pr_emerg("Call Trace:\n");
	pr_emerg(" [<%016llx>] %pS\n", regs->rip, (void *)regs->rip);
	show_stack_from(regs->rbp);
	panic_end();
}
