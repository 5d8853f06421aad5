// SPDX-License-Identifier: GPL-2.0
/*
 * prctl(2): the per-thread and per-process settings programs ask for at
 * start-up. The thread's name (comm, what ps and /proc show), the signal
 * to get when the parent process ends (kernel/exit.c sends it), whether
 * the process may dump core (none is ever written: only remembered),
 * no_new_privs (sticky; there are no privileges to gain, one user),
 * the timer slack (remembered: timers here are not coalesced) and child
 * subreapers (kernel/exit.c hands orphans to the nearest one). Every
 * other option fails with -EINVAL, as an unknown one does on Linux.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_TIMERSLACK	29
#define PR_GET_TIMERSLACK	30
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

static long prctl_set_name(const char __user *uname)
{
	char comm[TASK_COMM_LEN];
	long n;

	n = strncpy_from_user(comm, uname, sizeof(comm) - 1);
	if (n < 0)
		return n;
	/* longer names are cut, as Linux does */
	memset(comm + n, 0, sizeof(comm) - n);
	/* one store per byte: a reader (ps) may see a mix, never a missing NUL */
	memcpy(current->comm, comm, sizeof(comm));
	return 0;
}

static long prctl_get_name(char __user *uname)
{
	char comm[TASK_COMM_LEN];

	memcpy(comm, current->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	return copy_to_user(uname, comm, sizeof(comm)) ? -EFAULT : 0;
}

static long prctl_set_subreaper(bool on)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	/* exit.c reads it under tasklist_lock while it looks for a reaper */
	spin_lock_irqsave(&tasklist_lock, flags);
	sig->is_child_subreaper = on;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

static u64 timer_slack_or_default(u64 ns)
{
	return ns ? ns : TIMER_SLACK_DEFAULT_NS;
}

SYSCALL_DEFINE(prctl, int option, unsigned long arg2, unsigned long arg3,
	       unsigned long arg4, unsigned long arg5)
{
	struct task_struct *t = current;

	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > NSIG)	/* 0 clears it */
			return -EINVAL;
		t->pdeath_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(t->pdeath_signal, (int __user *)arg2);
	case PR_GET_DUMPABLE:
		return t->signal->undumpable ? 0 : 1;
	case PR_SET_DUMPABLE:
		/* 2 (root-only dumps) is the kernel's to set, not the program's */
		if (arg2 > 1)
			return -EINVAL;
		t->signal->undumpable = !arg2;
		return 0;
	case PR_SET_NAME:
		return prctl_set_name((const char __user *)arg2);
	case PR_GET_NAME:
		return prctl_get_name((char __user *)arg2);
	case PR_SET_TIMERSLACK:
		t->timer_slack_ns = arg2 ? arg2 : t->default_timer_slack_ns;
		return 0;
	case PR_GET_TIMERSLACK:
		return (long)timer_slack_or_default(t->timer_slack_ns);
	case PR_SET_CHILD_SUBREAPER:
		return prctl_set_subreaper(arg2 != 0);
	case PR_GET_CHILD_SUBREAPER:
		return put_user(t->signal->is_child_subreaper ? 1 : 0, (int __user *)arg2);
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		t->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return t->no_new_privs ? 1 : 0;
	}
	return -EINVAL;
}
