// SPDX-License-Identifier: GPL-2.0
/*
 * System call dispatch: the MSRs that make SYSCALL enter syscall_entry,
 * the table from number to sys_*() function, and the checks every return
 * to user mode makes (reschedule, deliver signals).
 *
 * The table lists every Linux call (asm/unistd.h). A call nobody
 * implements is a weak alias of sys_ni_syscall, so implementing one is
 * just defining it (SYSCALL_DEFINE in <lego/syscalls.h>).
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/printk.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/syscalls.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/unistd.h>

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SYSCALL_MASK	0xc0000084

/* TF, DF, IF, NT, AC: the kernel starts with all of them clear */
#define SYSCALL_RFLAGS_MASK	0x47700UL

typedef long (*syscall_fn_t)(unsigned long, unsigned long, unsigned long,
			     unsigned long, unsigned long, unsigned long);

long sys_ni_syscall(unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5);

#define X(nr, name)							\
	long sys_##name(unsigned long, unsigned long, unsigned long,	\
			unsigned long, unsigned long, unsigned long)	\
		__attribute__((weak, alias("sys_ni_syscall")));
SYSCALL_LIST(X)
#undef X

static const syscall_fn_t syscall_table[NR_SYSCALLS] = {
#define X(nr, name) [nr] = sys_##name,
	SYSCALL_LIST(X)
#undef X
};

static const char *const syscall_names[NR_SYSCALLS] = {
#define X(nr, name) [nr] = #name,
	SYSCALL_LIST(X)
#undef X
};

/* One bit per number: logged already. */
static u64 ni_logged[NR_SYSCALLS / 64];

void syscall_entry(void);
void do_syscall_64(struct pt_regs *regs);
void ret_from_fork_c(struct task_struct *prev, struct pt_regs *regs);

const char *syscall_name(unsigned long nr)
{
	return nr < NR_SYSCALLS ? syscall_names[nr] : NULL;
}

struct pt_regs *current_pt_regs(void)
{
	return (struct pt_regs *)((unsigned long)current->stack + THREAD_SIZE) - 1;
}

long sys_ni_syscall(unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	long nr = syscall_nr(current_pt_regs());
	const char *name = syscall_name(nr);

	if (nr >= 0 && nr < NR_SYSCALLS) {
		u64 bit = 1ULL << (nr % 64);

		if (__atomic_fetch_or(&ni_logged[nr / 64], bit, __ATOMIC_RELAXED) & bit)
			return -ENOSYS;
	}
	pr_warn("syscall: %s (%ld) is not implemented: -ENOSYS to %s (pid %d)\n",
		name ? name : "unknown", nr, current->comm, current->pid);
	return -ENOSYS;
}

/* syscall.trace: log every call and its result, like strace (debugging) */
static bool syscall_trace;

static void trace_syscall(unsigned long nr, const struct pt_regs *regs, unsigned long ret)
{
	const char *name = syscall_name(nr);

	pr_info("strace: %s[%d] %s(%#lx, %#lx, %#lx, %#lx) = %ld\n", current->comm,
		current->pid, name ? name : "?", (unsigned long)regs->rdi,
		(unsigned long)regs->rsi, (unsigned long)regs->rdx, (unsigned long)regs->r10,
		(long)ret);
}

void do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = regs->error_code;
	unsigned long ret;

	local_irq_enable();
	/* the table has holes (numbers Linux never assigned, 335-423) */
	if (nr < NR_SYSCALLS && syscall_table[nr])
		ret = syscall_table[nr](regs->rdi, regs->rsi, regs->rdx,
					regs->r10, regs->r8, regs->r9);
	else
		ret = sys_ni_syscall(0, 0, 0, 0, 0, 0);
	if (unlikely(syscall_trace))
		trace_syscall(nr, regs, ret);
	regs->rax = ret;
	exit_to_user_mode(regs);
}

/*
 * Last stop before user mode, entered with interrupts in any state and left
 * with them disabled: nothing may become pending between the check and
 * iretq except what the next interrupt will check again.
 */
void exit_to_user_mode(struct pt_regs *regs)
{
	int signal_rounds = 0;

	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		/* a bounded number of rounds: never spin on a flag left set */
		if (signal_pending(current) && signal_rounds++ < 8) {
			local_irq_enable();
			do_signal(regs);
			continue;
		}
		break;
	}
}

void ret_from_fork_c(struct task_struct *prev, struct pt_regs *regs)
{
	schedule_tail(prev);
	local_irq_enable();
	fork_child_start();
	exit_to_user_mode(regs);
}

void syscall_init(void)
{
	syscall_trace = cmdline_get_bool("syscall.trace", false);
	wrmsr(MSR_STAR, ((u64)__USER32_CS << 48) | ((u64)__KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_SYSCALL_MASK, SYSCALL_RFLAGS_MASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
