// SPDX-License-Identifier: GPL-2.0
/*
 * The signal system calls (actions, masks, waiting for signals, kill and
 * friends) and process groups and sessions (setpgid, setsid, ...). The
 * machinery they use is in kernel/signal.c.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/timekeeping.h>
#include <lego/uaccess.h>
#include <lego/wait.h>
#include "sigqueue.h"

SYSCALL_DEFINE(rt_sigaction, int sig, const struct sigaction_abi __user *act,
	       struct sigaction_abi __user *oact, size_t sigsetsize)
{
	struct sighand_struct *sh = current->sighand;
	struct sigaction_abi new, old;
	unsigned long flags;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (!valid_signal(sig) || (act && (sigmask(sig) & SIG_UNCATCHABLE)))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;

	spin_lock_irqsave(&sh->siglock, flags);
	old = sh->action[sig - 1].sa;
	if (act) {
		new.sa_mask &= ~SIG_UNCATCHABLE;
		sh->action[sig - 1].sa = new;
		/* POSIX: setting a pending signal to be ignored discards it */
		if (new.sa_handler == SIG_IGN ||
		    (new.sa_handler == SIG_DFL &&
		     sig_default_action(sig) >= SIG_DEFAULT_IGNORE))
			flush_signal_everywhere(current->signal, sig);
		recalc_sigpending_locked(current);
	}
	spin_unlock_irqrestore(&sh->siglock, flags);

	if (oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(rt_sigprocmask, int how, const sigset_t __user *uset,
	       sigset_t __user *uoset, size_t sigsetsize)
{
	sigset_t old = current->blocked, set, next;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			next.sig = old.sig | set.sig;
			break;
		case SIG_UNBLOCK:
			next.sig = old.sig & ~set.sig;
			break;
		case SIG_SETMASK:
			next = set;
			break;
		default:
			return -EINVAL;
		}
		set_current_blocked(&next);
	}
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(rt_sigpending, sigset_t __user *uset, size_t sigsetsize)
{
	struct task_struct *t = current;
	unsigned long flags;
	sigset_t set;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	set.sig = (t->pending.signal.sig | t->signal->shared_pending.signal.sig) &
		  t->blocked.sig;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	if (copy_to_user(uset, &set, sigsetsize))
		return -EFAULT;
	return 0;
}

/* Sleep until a signal is pending. */
static void wait_for_signal(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
}

SYSCALL_DEFINE(pause, void)
{
	wait_for_signal();
	return -ERESTARTNOHAND;
}

/*
 * The mask is restored on the way out: by the handler frame (saved as its
 * uc_sigmask), or by do_signal if no handler ran and the call restarts.
 */
SYSCALL_DEFINE(rt_sigsuspend, const sigset_t __user *umask, size_t sigsetsize)
{
	sigset_t mask;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	set_temporary_sigmask(&mask);
	wait_for_signal();
	return -ERESTARTNOHAND;
}

/* rt_sigtimedwait's condition: one of mask is pending (blocked or not). */
static int try_dequeue(u64 mask, struct kernel_siginfo *info)
{
	struct task_struct *t = current;
	unsigned long flags;
	int sig;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	sig = dequeue_signal(mask, info);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return sig;
}

/*
 * The signals waited for stay blocked (a fatal default action must not
 * fire while we wait for it), so the wake-up cannot come from the normal
 * "a thread that does not block it" path: every signal generated wakes
 * sigwait_queue, and the waiters look for theirs.
 */
SYSCALL_DEFINE(rt_sigtimedwait, const sigset_t __user *uthese, struct kernel_siginfo __user *uinfo,
	       const struct timespec_abi __user *uts, size_t sigsetsize)
{
	struct kernel_siginfo info;
	struct timespec_abi ts;
	u64 timeout = SLEEP_FOREVER_NS;
	sigset_t these;
	s64 left;
	int sig = 0;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&these, uthese, sizeof(these)))
		return -EFAULT;
	these.sig &= ~SIG_UNCATCHABLE;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (timespec_to_ns(&ts, &timeout))
			return -EINVAL;
	}

	sig = try_dequeue(these.sig, &info);
	if (!sig && timeout) {
		left = wait_event_interruptible_timeout(sigwait_queue,
				(sig = try_dequeue(these.sig, &info)) != 0,
				(s64)min(timeout, SLEEP_FOREVER_NS));
		if (!sig)
			return left < 0 ? -EINTR : -EAGAIN;
	}
	if (!sig)
		return -EAGAIN;
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}

/* ------------------------------------------------------------------ */
/* kill and friends */

SYSCALL_DEFINE(kill, int pid, int sig)
{
	return kill_proc(pid, sig);
}

static int send_to_thread(int tgid, int tid, int sig)
{
	struct kernel_siginfo info;
	struct task_struct *t;
	unsigned long flags;
	int ret = -ESRCH;

	if (tid <= 0 || (sig && !valid_signal(sig)))
		return -EINVAL;
	fill_sender_info(&info, sig, SI_TKILL);
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid(tid);
	if (t && (tgid <= 0 || t->tgid == tgid) && t->sighand && !list_empty(&t->thread_node))
		ret = sig ? send_signal(sig, &info, t, false) : 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE(tkill, int tid, int sig)
{
	return send_to_thread(0, tid, sig);
}

SYSCALL_DEFINE(tgkill, int tgid, int tid, int sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return send_to_thread(tgid, tid, sig);
}

SYSCALL_DEFINE(rt_sigqueueinfo, int pid, int sig, struct kernel_siginfo __user *uinfo)
{
	struct kernel_siginfo info;
	struct task_struct *p;
	unsigned long flags;
	int ret;

	if (!valid_signal(sig))
		return -EINVAL;
	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	/* a process may not pretend to be the kernel or kill(2) */
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != current->tgid)
		return -EPERM;
	info.si_signo = sig;
	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_pid(pid);
	ret = p ? send_group_locked(sig, &info, p) : -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* ------------------------------------------------------------------ */
/* process groups and sessions (tasklist_lock protects pgrp and session) */

/* The process (leader) with id pid, 0 meaning current's; tasklist_lock held. */
static struct task_struct *find_process(int pid)
{
	struct task_struct *t;

	if (!pid)
		return current->group_leader;
	t = find_task_by_pid(pid);
	return t && t->signal ? t->group_leader : NULL;
}

static bool pgrp_exists_in_session(int pgrp, int session)
{
	struct task_struct *p;

	for_each_process(p)
		if (p->signal && p->signal->pgrp == pgrp && p->signal->session == session)
			return true;
	return false;
}

SYSCALL_DEFINE(setpgid, int pid, int pgid)
{
	struct task_struct *me = current->group_leader, *p;
	unsigned long flags;
	int ret = 0;

	if (pgid < 0)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_process(pid);
	if (!p || (p != me && p->parent != me)) {
		ret = -ESRCH;
		goto out;
	}
	if (!pgid)
		pgid = p->tgid;
	if (p->signal->session != me->signal->session ||
	    p->signal->session == p->tgid) {	/* a session leader stays put */
		ret = -EPERM;
		goto out;
	}
	if (pgid != p->tgid && !pgrp_exists_in_session(pgid, me->signal->session)) {
		ret = -EPERM;
		goto out;
	}
	p->signal->pgrp = pgid;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/* field: 0 for the process group, 1 for the session. */
static long get_group_id(int pid, int field)
{
	struct task_struct *p;
	unsigned long flags;
	long ret = -ESRCH;

	if (pid < 0)
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_process(pid);
	if (p && p->signal)
		ret = field ? p->signal->session : p->signal->pgrp;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE(getpgid, int pid)
{
	return get_group_id(pid, 0);
}

SYSCALL_DEFINE(getpgrp, void)
{
	return get_group_id(0, 0);
}

SYSCALL_DEFINE(getsid, int pid)
{
	return get_group_id(pid, 1);
}

SYSCALL_DEFINE(setsid, void)
{
	struct task_struct *me = current->group_leader, *p;
	unsigned long flags;
	long ret = me->tgid;

	spin_lock_irqsave(&tasklist_lock, flags);
	/* a process group leader (or anyone's group named after us) may not */
	for_each_process(p) {
		if (p->signal && p->signal->pgrp == me->tgid) {
			ret = -EPERM;
			goto out;
		}
	}
	me->signal->session = me->tgid;
	me->signal->pgrp = me->tgid;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}
