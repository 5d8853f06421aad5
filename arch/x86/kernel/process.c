// SPDX-License-Identifier: GPL-2.0
/*
 * x86 parts of threads: the initial stack frame of a new kernel or user
 * thread, the switch between threads (stack, page table, TLS base, FPU),
 * and entering a new user program.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#ifdef CONFIG_COMP_PROCESSOR
#include <lego/mm_types.h>
#endif

struct task_struct *__switch_to_asm(struct task_struct *prev, struct task_struct *next);
extern char ret_from_kthread[];
extern char ret_from_fork[];

/* Matches the pops in __switch_to_asm, then its ret. */
struct switch_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret;
};

void arch_init_thread(struct task_struct *t)
{
	unsigned long top = (unsigned long)t->stack + THREAD_SIZE;
	struct switch_frame *f;

	/* after the ret, rsp is the stack top: 16-byte aligned for the calls */
	f = (struct switch_frame *)top - 1;
	f->r15 = f->r14 = f->rbx = f->rbp = 0;
	f->r12 = (unsigned long)t->fn;
	f->r13 = (unsigned long)t->arg;
	f->ret = (unsigned long)ret_from_kthread;
	t->sp = (unsigned long)f;
}

#ifdef CONFIG_COMP_PROCESSOR
#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

void fpu_init_state(struct fxregs_state *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->cwd = 0x37f;		/* all x87 exceptions masked, 64-bit precision */
	fx->mxcsr = MXCSR_DEFAULT;	/* all SSE exceptions masked, round to nearest */
}

static struct pt_regs *task_pt_regs(struct task_struct *t)
{
	return (struct pt_regs *)((unsigned long)t->stack + THREAD_SIZE) - 1;
}

/*
 * Make p, a copy of current, return to user mode with rax = 0: its
 * registers are current's (its stack sp if given), its FPU state a copy of
 * current's live state, its TLS base tls with CLONE_SETTLS.
 */
int copy_thread(struct task_struct *p, unsigned long sp, bool set_tls, unsigned long tls)
{
	struct pt_regs *regs = task_pt_regs(p);
	struct switch_frame *f = (struct switch_frame *)regs - 1;

	p->thread.fpu = kmalloc(sizeof(*p->thread.fpu), GFP_KERNEL);
	if (!p->thread.fpu)
		return -ENOMEM;
	fxsave(p->thread.fpu);
	*regs = *current_pt_regs();
	regs->rax = 0;
	if (sp)
		regs->rsp = sp;
	p->thread.fsbase = set_tls ? tls : current->thread.fsbase;
	p->thread.gsbase = current->thread.gsbase;
	memset(f, 0, sizeof(*f));
	f->ret = (unsigned long)ret_from_fork;
	p->sp = (unsigned long)f;
	return 0;
}

/*
 * A kernel thread that will become a user process (the first one) runs
 * below the pt_regs it will leave through, so that filling them does not
 * overwrite its own frames.
 */
void arch_init_user_kthread(struct task_struct *t)
{
	struct switch_frame *f = (struct switch_frame *)task_pt_regs(t) - 1;

	memset(f, 0, sizeof(*f));
	f->r12 = (unsigned long)t->fn;
	f->r13 = (unsigned long)t->arg;
	f->ret = (unsigned long)ret_from_kthread;
	t->sp = (unsigned long)f;
}

void __arch_enter_user(struct pt_regs *regs);

/* Leave for user mode through current's pt_regs (set by exec). */
__noreturn void arch_enter_user(void)
{
	struct pt_regs *regs = current_pt_regs();

	exit_to_user_mode(regs);
	__arch_enter_user(regs);
	__builtin_unreachable();
}

/* A kernel thread about to become a user process gets its FPU image. */
int arch_prepare_user_thread(struct task_struct *p)
{
	if (!p->thread.fpu) {
		p->thread.fpu = kmalloc(sizeof(*p->thread.fpu), GFP_KERNEL);
		if (!p->thread.fpu)
			return -ENOMEM;
	}
	return 0;
}

void arch_release_thread(struct task_struct *p)
{
	kfree(p->thread.fpu);
	p->thread.fpu = NULL;
}

/* exec: regs start the new program at ip with stack sp and a clean CPU. */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	struct task_struct *t = current;

	memset(regs, 0, offsetof(struct pt_regs, vector));
	regs->rip = ip;
	regs->rsp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = 0x202;		/* IF */
	syscall_forget(regs);
	t->thread.fsbase = 0;
	t->thread.gsbase = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	fpu_init_state(t->thread.fpu);
	fxrstor(t->thread.fpu);
}

static bool canonical(unsigned long a)
{
	return a <= USER_ADDR_MAX;
}

SYSCALL_DEFINE(arch_prctl, int code, unsigned long addr)
{
	struct task_struct *t = current;

	switch (code) {
	case ARCH_SET_FS:
		if (!canonical(addr))
			return -EPERM;
		t->thread.fsbase = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_SET_GS:
		if (!canonical(addr))
			return -EPERM;
		t->thread.gsbase = addr;
		/* the user's GS base sits in KERNEL_GS_BASE until swapgs */
		wrmsr(MSR_KERNEL_GS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(t->thread.fsbase, (unsigned long __user *)addr);
	case ARCH_GET_GS:
		return put_user(t->thread.gsbase, (unsigned long __user *)addr);
	}
	return -EINVAL;
}

static void switch_user_state(struct task_struct *prev, struct task_struct *next)
{
	if (prev->thread.fpu)
		fxsave(prev->thread.fpu);
	if (next->mm)
		switch_mm(this_cpu()->active_mm, next->mm);
	if (next->thread.fpu) {
		fxrstor(next->thread.fpu);
		wrmsr(MSR_FS_BASE, next->thread.fsbase);
		wrmsr(MSR_KERNEL_GS_BASE, next->thread.gsbase);
	}
}
#endif /* CONFIG_COMP_PROCESSOR */

struct task_struct *arch_switch_to(struct task_struct *prev, struct task_struct *next)
{
	if (next->stack)
		cpu_set_kernel_stack((unsigned long)next->stack + THREAD_SIZE);
#ifdef CONFIG_COMP_PROCESSOR
	switch_user_state(prev, next);
#endif
	return __switch_to_asm(prev, next);
}
