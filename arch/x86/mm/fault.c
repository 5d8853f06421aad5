// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults and other exceptions of user processes (processor manager).
 * A fault on a user address is an ExCache miss: the line is fetched from
 * the memory manager and the access retried. What the memory manager
 * refuses becomes a signal to the process, or, for a kernel copy to or from
 * user memory, a jump to the copy's fixup (-EFAULT). Everything else in
 * kernel mode is a kernel bug (traps.c).
 */
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/uaccess.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/traps.h>

#define PF_PROT		0x01
#define PF_WRITE	0x02
#define PF_USER		0x04
#define PF_RSVD		0x08
#define PF_INSTR	0x10

struct exception_entry {
	unsigned long insn;
	unsigned long fixup;
};

extern const struct exception_entry __start___ex_table[], __stop___ex_table[];

static unsigned long search_fixup(unsigned long ip)
{
	for (const struct exception_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == ip)
			return e->fixup;
	return 0;
}

/* The fault may sleep: only where the interrupted code could have. */
static bool may_sleep(struct pt_regs *regs)
{
	return (regs->rflags & X86_EFLAGS_IF) && !this_cpu()->irq_depth &&
	       !preempt_count();
}

static void fault_signal(struct pt_regs *regs, unsigned long addr, int err)
{
	struct task_struct *t = current;

	switch (err) {
	case -EFAULT:
		force_sig_fault(SIGSEGV, SEGV_MAPERR, addr);
		break;
	case -EACCES:
		force_sig_fault(SIGSEGV, SEGV_ACCERR, addr);
		break;
	case -EIO:
		force_sig_fault(SIGBUS, BUS_ADRERR, addr);
		break;
	default:
		/* the memory manager is gone or out of memory: nothing to retry */
		pr_err("%s (pid %d): memory at %#lx unavailable (error %d): killed\n",
		       t->comm, t->pid, addr, err);
		force_sig(SIGKILL);
		break;
	}
}

/* Returns true if handled; false: a kernel bug for traps.c to report. */
bool do_page_fault(struct pt_regs *regs)
{
	unsigned long addr = read_cr2();
	u64 e = regs->error_code;
	bool user = user_mode(regs);
	unsigned long fixup = user ? 0 : search_fixup(regs->rip);
	unsigned int flags = 0;
	int err = -EFAULT;

	if (e & PF_RSVD)
		return false;
	if (!user && !fixup)
		return false;
	if (addr <= USER_ADDR_MAX && current->mm && may_sleep(regs)) {
		local_irq_enable();
		if (e & PF_WRITE)
			flags |= EXC_FAULT_WRITE;
		if (e & PF_INSTR)
			flags |= EXC_FAULT_EXEC;
		if (user)
			flags |= EXC_FAULT_USER;
		err = excache_fault(current->mm, addr, flags);
	}
	if (!err)
		goto out;
	if (!user) {
		regs->rip = fixup;
		return true;
	}
	fault_signal(regs, addr, err);
out:
	if (user)
		exit_to_user_mode(regs);
	return true;
}

static const struct {
	int sig, code;
} user_traps[32] = {
	[0] = { SIGFPE, FPE_INTDIV },
	[1] = { SIGTRAP, TRAP_BRKPT },
	[3] = { SIGTRAP, TRAP_BRKPT },
	[4] = { SIGSEGV, SI_KERNEL },
	[5] = { SIGSEGV, SI_KERNEL },
	[6] = { SIGILL, ILL_ILLOPN },
	[7] = { SIGFPE, FPE_FLTINV },
	[10] = { SIGSEGV, SI_KERNEL },
	[11] = { SIGBUS, BUS_ADRERR },
	[12] = { SIGBUS, BUS_ADRERR },
	[13] = { SIGSEGV, SI_KERNEL },
	[16] = { SIGFPE, FPE_FLTINV },
	[17] = { SIGBUS, BUS_ADRALN },
	[19] = { SIGFPE, FPE_FLTINV },
};

/* An exception in user mode: a signal to the thread, never a crash. */
bool do_user_trap(struct pt_regs *regs)
{
	unsigned int v = regs->vector;

	if (!user_mode(regs) || v >= 32 || !user_traps[v].sig)
		return false;
	local_irq_enable();
	force_sig_fault(user_traps[v].sig, user_traps[v].code, regs->rip);
	exit_to_user_mode(regs);
	return true;
}
