// SPDX-License-Identifier: GPL-2.0
/*
 * Signals of user processes: generation (kill, faults, the tty, pipes),
 * the choice of the thread that takes a process-wide signal, dequeueing
 * and default actions (get_signal, for arch/x86/kernel/signal.c), and
 * the fork/exec/exit hooks for the shared sighand and signal structs.
 *
 * Locking: sighand->siglock (irqsave: the tty signals from its interrupt)
 * protects actions, every pending queue and mask of the group, the thread
 * list and group_exit. tasklist_lock, taken before siglock, keeps tasks
 * found by id alive and their sighand valid. Nothing here sleeps while
 * sending, so any context may send.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <asm/percpu.h>
#include "sigqueue.h"

DECLARE_WAIT_QUEUE_HEAD(sigwait_queue);

/* Clock ticks as times(2) and siginfo count them (USER_HZ). */
#define USER_HZ		100

static bool handler_ignores(const struct k_sigaction *ka, int sig)
{
	enum sig_default d;

	if (ka->sa.sa_handler == SIG_IGN)
		return true;
	if (ka->sa.sa_handler != SIG_DFL)
		return false;
	d = sig_default_action(sig);
	return d == SIG_DEFAULT_IGNORE || d == SIG_DEFAULT_STOP;
}

/* The default action ends the process (never true for a caught signal). */
static bool sig_fatal(struct task_struct *t, int sig)
{
	enum sig_default d;

	if (sig == SIGKILL)
		return true;
	if (t->sighand->action[sig - 1].sa.sa_handler != SIG_DFL)
		return false;
	d = sig_default_action(sig);
	return d == SIG_DEFAULT_TERM || d == SIG_DEFAULT_CORE;
}

bool sig_ignored(struct task_struct *t, int sig)
{
	/* a blocked signal is kept: the handler may change before it is unblocked */
	if (sigismember(&t->blocked, sig))
		return false;
	return handler_ignores(&t->sighand->action[sig - 1], sig);
}

void recalc_sigpending_locked(struct task_struct *t)
{
	u64 ready = (t->pending.signal.sig | t->signal->shared_pending.signal.sig) &
		    ~t->blocked.sig;

	WRITE_ONCE(t->sigpending, ready || t->signal->group_exit);
}

void recalc_sigpending(void)
{
	struct task_struct *t = current;
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	recalc_sigpending_locked(t);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

/*
 * Make t look at its signals. Only an interruptible sleep is cut short;
 * if t sleeps uninterruptibly when we look, the wake is spurious and its
 * wait loop sleeps again (every wait in the kernel re-checks).
 */
static void signal_wake_up(struct task_struct *t)
{
	WRITE_ONCE(t->sigpending, true);
	smp_mb();	/* pairs with set_current_state() before the sleeper's check */
	if (READ_ONCE(t->state) == TASK_INTERRUPTIBLE)
		wake_up_process(t);
}

/* t is a live thread that does not block sig. */
static bool wants_signal(struct task_struct *t, int sig)
{
	if (list_empty(&t->thread_node) || (t->flags & PF_EXITING))
		return false;
	return !sigismember(&t->blocked, sig);
}

static struct task_struct *pick_thread(struct task_struct *t, int sig, bool group)
{
	struct task_struct *th;

	if (wants_signal(t, sig))
		return t;
	if (!group)
		return NULL;
	list_for_each_entry(th, &t->signal->threads, thread_node)
		if (wants_signal(th, sig))
			return th;
	return NULL;
}

/* siglock held. Mark the group exiting and SIGKILL every thread but skip. */
static int zap_threads_locked(struct signal_struct *s, struct task_struct *skip, int code)
{
	struct task_struct *th;

	if (!s->group_exit) {
		s->group_exit = true;
		s->group_exit_code = code;
	}
	list_for_each_entry(th, &s->threads, thread_node) {
		if (th == skip)
			continue;
		sigaddset(&th->pending.signal, SIGKILL);
		signal_wake_up(th);
	}
	return s->group_exit_code;
}

int exec_end_other_threads(void)
{
	struct task_struct *t = current, *th;
	struct signal_struct *s = t->signal;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (s->group_exit || s->group_exec_task) {
		ret = -EINTR;	/* someone else is ending the group: we go with it */
		goto out;
	}
	if (s->nr_threads == 1)
		goto out;
	s->group_exec_task = t;
	list_for_each_entry(th, &s->threads, thread_node) {
		if (th == t)
			continue;
		sigaddset(&th->pending.signal, SIGKILL);
		signal_wake_up(th);
	}
	while (s->nr_threads > 1 && !s->group_exit) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
		/* an exiting thread wakes us; the timeout is only a safety net */
		schedule_timeout(10 * NSEC_PER_MSEC);
		spin_lock_irqsave(&t->sighand->siglock, flags);
	}
	set_current_state(TASK_RUNNING);
	s->group_exec_task = NULL;
	if (s->group_exit)
		ret = -EINTR;
out:
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return ret;
}

int zap_other_threads(struct task_struct *t, int code)
{
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	code = zap_threads_locked(t->signal, t, code);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return code;
}

/* The signal is queued: find who takes it, and kill the group if it is fatal. */
static void complete_signal(int sig, struct task_struct *t, bool group)
{
	struct task_struct *target = pick_thread(t, sig, group);

	if (!target)
		return;		/* everyone blocks it: it waits in the queue */
	if (sig_fatal(t, sig)) {
		zap_threads_locked(t->signal, NULL, sig_exit_status(sig));
		return;
	}
	signal_wake_up(target);
}

/* siglock held */
static int __send_signal(int sig, struct kernel_siginfo *info, struct task_struct *t, bool group)
{
	struct sigpending *p = group ? &t->signal->shared_pending : &t->pending;
	int ret;

	/* a dying group takes nothing more; an exited thread neither */
	if (t->signal->group_exit || (!group && list_empty(&t->thread_node)))
		return 0;
	if (sig_ignored(t, sig))
		return 0;
	ret = sigqueue_add(p, sig, info);
	if (ret <= 0)
		return ret;
	complete_signal(sig, t, group);
	/* under siglock: a sigtimedwait queueing itself now will see the signal */
	if (!list_empty(&sigwait_queue.head))
		wake_up(&sigwait_queue);
	return 0;
}

void fill_sender_info(struct kernel_siginfo *info, int sig, int code)
{
	struct task_struct *t = current;

	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->si_pid = (t && t->signal) ? t->tgid : 0;
	info->si_uid = 0;
}

/* Who sent a signal given without siginfo: the kernel, or the user task in whose call we are. */
static void fill_default_info(struct kernel_siginfo *info, int sig)
{
	struct task_struct *t = current;

	if (this_cpu()->irq_depth || !t || !t->signal)
		fill_sender_info(info, sig, SI_KERNEL);
	else
		fill_sender_info(info, sig, SI_USER);
}

int send_signal(int sig, struct kernel_siginfo *info, struct task_struct *t, bool group)
{
	struct kernel_siginfo tmp;
	unsigned long flags;
	int ret;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!t->sighand || !t->signal)
		return -ESRCH;
	if (!info) {
		fill_default_info(&tmp, sig);
		info = &tmp;
	}
	info->si_signo = sig;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	ret = __send_signal(sig, info, t, group);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return ret;
}

int send_group_locked(int sig, struct kernel_siginfo *info, struct task_struct *p)
{
	if (!p->sighand || !p->signal || !p->signal->nr_threads)
		return p->exit_state ? 0 : -ESRCH;	/* a zombie takes signals silently */
	if (!sig)
		return 0;
	return send_signal(sig, info, p, true);
}

int kill_pgrp_info(int pgrp, int sig, struct kernel_siginfo *info)
{
	struct task_struct *p;
	unsigned long flags;
	int ret = -ESRCH, err;

	if (pgrp <= 0)
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(p) {
		if (!p->signal || p->signal->pgrp != pgrp)
			continue;
		err = send_group_locked(sig, info, p);
		if (ret)
			ret = err;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

int kill_pgrp(int pgrp, int sig)
{
	struct kernel_siginfo info;

	if (sig && !valid_signal(sig))
		return -EINVAL;
	fill_sender_info(&info, sig, SI_KERNEL);
	return kill_pgrp_info(pgrp, sig, &info);
}

/* kill(-1, sig): every process but init and the caller's own. */
static int kill_every_process(int sig, struct kernel_siginfo *info)
{
	struct task_struct *p, *me = current;
	unsigned long flags;
	int count = 0, ret = 0, err;

	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(p) {
		if (p->tgid <= 1 || (me && p->signal == me->signal))
			continue;
		err = send_group_locked(sig, info, p);
		count++;
		if (err)
			ret = err;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return count ? ret : -ESRCH;
}

int kill_proc(int pid, int sig)
{
	struct kernel_siginfo info;
	struct task_struct *p;
	unsigned long flags;
	int ret;

	if (sig && !valid_signal(sig))
		return -EINVAL;
	fill_sender_info(&info, sig, SI_USER);
	if (pid == 0)
		return current->signal ? kill_pgrp_info(current->signal->pgrp, sig, &info) : -ESRCH;
	if (pid == -1)
		return kill_every_process(sig, &info);
	if (pid < 0)
		return kill_pgrp_info(-pid, sig, &info);
	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_pid(pid);
	ret = p ? send_group_locked(sig, &info, p) : -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

static void force_sig_info(struct kernel_siginfo *info)
{
	struct task_struct *t = current;
	int sig = info->si_signo;
	struct k_sigaction *ka;
	unsigned long flags;
	bool blocked;

	if (!t->sighand) {
		pr_warn("signal: %d forced on kernel thread %s\n", sig, t->comm);
		return;
	}
	spin_lock_irqsave(&t->sighand->siglock, flags);
	ka = &t->sighand->action[sig - 1];
	blocked = sigismember(&t->blocked, sig);
	/*
	 * A fault the thread cannot handle (blocked, or ignored: returning
	 * would fault again forever) takes the default action: it kills.
	 * This is also what a second fault inside a handler of the same
	 * signal gets, since the handler runs with it blocked.
	 */
	if (blocked || ka->sa.sa_handler == SIG_IGN) {
		ka->sa.sa_handler = SIG_DFL;
		if (blocked)
			sigdelset(&t->blocked, sig);
	}
	__send_signal(sig, info, t, false);
	recalc_sigpending_locked(t);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void force_sig_fault(int sig, int code, unsigned long addr)
{
	struct kernel_siginfo info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = addr;
	force_sig_info(&info);
}

void force_sig(int sig)
{
	struct kernel_siginfo info;

	fill_sender_info(&info, sig, SI_KERNEL);
	force_sig_info(&info);
}

int dequeue_signal(u64 mask, struct kernel_siginfo *info)
{
	struct task_struct *t = current;
	struct sigpending *shared = &t->signal->shared_pending;
	int sig;

	sig = sigqueue_next(&t->pending, mask);
	if (sig)
		sigqueue_take(&t->pending, sig, info);
	else if ((sig = sigqueue_next(shared, mask)))
		sigqueue_take(shared, sig, info);
	recalc_sigpending_locked(t);
	return sig;
}

int get_signal(struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct task_struct *t = current;
	struct sighand_struct *sh = t->sighand;
	unsigned long flags;
	int sig;

	for (;;) {
		spin_lock_irqsave(&sh->siglock, flags);
		if (t->signal->group_exec_task && t->signal->group_exec_task != t) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			do_exit(0);
		}
		if (t->signal->group_exit) {
			int code = t->signal->group_exit_code;

			spin_unlock_irqrestore(&sh->siglock, flags);
			do_group_exit(code);
		}
		sig = dequeue_signal(~t->blocked.sig, info);
		if (!sig) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			return 0;
		}
		*ka = sh->action[sig - 1];
		if (ka->sa.sa_handler != SIG_DFL && ka->sa.sa_handler != SIG_IGN &&
		    (ka->sa.sa_flags & SA_RESETHAND))
			sh->action[sig - 1].sa.sa_handler = SIG_DFL;
		spin_unlock_irqrestore(&sh->siglock, flags);

		if (ka->sa.sa_handler == SIG_IGN)
			continue;
		if (ka->sa.sa_handler != SIG_DFL)
			return sig;
		switch (sig_default_action(sig)) {
		case SIG_DEFAULT_IGNORE:
		case SIG_DEFAULT_STOP:
			continue;
		case SIG_DEFAULT_TERM:
		case SIG_DEFAULT_CORE:
			do_group_exit(sig_exit_status(sig));
		}
	}
}

void signal_delivered(int sig, struct k_sigaction *ka)
{
	struct task_struct *t = current;
	sigset_t blocked;

	t->restore_sigmask = false;
	blocked.sig = t->blocked.sig | ka->sa.sa_mask;
	if (!(ka->sa.sa_flags & SA_NODEFER))
		sigaddset(&blocked, sig);
	set_current_blocked(&blocked);
}

/*
 * current blocks more than before: process-wide signals it was chosen for
 * must go to a thread that can take them now. siglock held.
 */
static void retarget_shared(struct task_struct *t, u64 newly_blocked)
{
	u64 orphans = t->signal->shared_pending.signal.sig & newly_blocked;
	struct task_struct *th;

	list_for_each_entry(th, &t->signal->threads, thread_node) {
		u64 take;

		if (!orphans)
			return;
		if (th == t || list_empty(&th->thread_node) || (th->flags & PF_EXITING))
			continue;
		take = orphans & ~th->blocked.sig;
		if (!take)
			continue;
		orphans &= ~take;
		signal_wake_up(th);
	}
}

void set_current_blocked(const sigset_t *set)
{
	struct task_struct *t = current;
	unsigned long flags;
	u64 newly;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	newly = set->sig & ~t->blocked.sig & ~SIG_UNCATCHABLE;
	t->blocked.sig = set->sig & ~SIG_UNCATCHABLE;
	if (newly)
		retarget_shared(t, newly);
	recalc_sigpending_locked(t);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void set_temporary_sigmask(const sigset_t *set)
{
	struct task_struct *t = current;

	t->saved_sigmask = t->blocked;
	t->restore_sigmask = true;
	set_current_blocked(set);
}

void restore_saved_sigmask(void)
{
	struct task_struct *t = current;

	if (!t->restore_sigmask)
		return;
	t->restore_sigmask = false;
	set_current_blocked(&t->saved_sigmask);
}

void flush_signal_everywhere(struct signal_struct *s, int sig)
{
	struct task_struct *th;

	sigqueue_flush(&s->shared_pending, sigmask(sig));
	list_for_each_entry(th, &s->threads, thread_node)
		sigqueue_flush(&th->pending, sigmask(sig));
}

/* ------------------------------------------------------------------ */
/* fork, exec, exit */

static void default_rlimits(struct rlimit64 *rlim)
{
	int i;

	for (i = 0; i < RLIM_NLIMITS; i++)
		rlim[i].rlim_cur = rlim[i].rlim_max = RLIM_INFINITY;
	rlim[RLIMIT_STACK].rlim_cur = 8ULL << 20;
	rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	rlim[RLIMIT_NOFILE].rlim_max = 1024;	/* the file table's size */
	rlim[RLIMIT_CORE].rlim_cur = 0;		/* no core files are written */
	rlim[RLIMIT_NICE].rlim_cur = rlim[RLIMIT_NICE].rlim_max = 0;
	rlim[RLIMIT_RTPRIO].rlim_cur = rlim[RLIMIT_RTPRIO].rlim_max = 0;
}

int copy_sighand(unsigned long clone_flags, struct task_struct *t)
{
	struct sighand_struct *parent = current->sighand, *sh;
	unsigned long flags;

	/* t may be a byte copy of current: nothing of it is ours until set */
	t->sighand = NULL;
	t->signal = NULL;
	if (clone_flags & CLONE_SIGHAND) {
		if (!parent || !(clone_flags & CLONE_VM))
			return -EINVAL;
		atomic_inc(&parent->count);
		t->sighand = parent;
		return 0;
	}
	sh = kzalloc(sizeof(*sh), GFP_KERNEL);
	if (!sh)
		return -ENOMEM;
	atomic_set(&sh->count, 1);
	spin_lock_init(&sh->siglock);
	if (parent) {
		spin_lock_irqsave(&parent->siglock, flags);
		memcpy(sh->action, parent->action, sizeof(sh->action));
		spin_unlock_irqrestore(&parent->siglock, flags);
	}
	t->sighand = sh;
	return 0;
}

static struct signal_struct *alloc_signal(struct task_struct *t)
{
	struct signal_struct *parent = current->signal, *s;
	unsigned long flags;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	atomic_set(&s->count, 1);
	INIT_LIST_HEAD(&s->threads);
	sigpending_init(&s->shared_pending);
	init_waitqueue_head(&s->wait_chldexit);
	if (!parent) {
		/* the first process leads its own session and group */
		s->pgrp = s->session = t->pid;
		default_rlimits(s->rlim);
		return s;
	}
	spin_lock_irqsave(&current->sighand->siglock, flags);
	s->pgrp = parent->pgrp;
	s->session = parent->session;
	memcpy(s->rlim, parent->rlim, sizeof(s->rlim));
	/* the child's memory is a copy of ours: as dumpable (Linux keeps it in the mm) */
	s->undumpable = parent->undumpable;
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	return s;
}

int copy_signal(unsigned long clone_flags, struct task_struct *t)
{
	struct signal_struct *s;
	unsigned long flags, tl_flags;

	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))
		return -EINVAL;
	if (!t->sighand)
		return -EINVAL;		/* copy_sighand first */
	if (clone_flags & CLONE_THREAD) {
		s = current->signal;
		if (!s)
			return -EINVAL;
		atomic_inc(&s->count);
	} else {
		s = alloc_signal(t);
		if (!s)
			return -ENOMEM;
	}
	t->signal = s;
	sigpending_init(&t->pending);
	t->blocked = current->sighand ? current->blocked : (sigset_t){ 0 };
	t->saved_sigmask.sig = 0;
	t->restore_sigmask = false;
	t->sigpending = false;
	/* fork and vfork children inherit the alternate stack; threads do not */
	sas_clear(t);
	if (!(clone_flags & CLONE_VM) || (clone_flags & CLONE_VFORK))
		sas_copy(current, t);

	spin_lock_irqsave(&tasklist_lock, tl_flags);
	spin_lock_irqsave(&t->sighand->siglock, flags);
	list_add_tail(&t->thread_node, &s->threads);
	s->nr_threads++;
	/* a thread born into a dying group dies with it */
	if (s->group_exit) {
		sigaddset(&t->pending.signal, SIGKILL);
		t->sigpending = true;
	}
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	spin_unlock_irqrestore(&tasklist_lock, tl_flags);
	return 0;
}

void exit_signals(struct task_struct *t)
{
	unsigned long tl_flags;

	spin_lock_irqsave(&tasklist_lock, tl_flags);
	exit_signals_locked(t);
	spin_unlock_irqrestore(&tasklist_lock, tl_flags);
}

void exit_signals_locked(struct task_struct *t)
{
	unsigned long flags;
	u64 shared;

	if (!t->sighand || !t->signal)
		return;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (!list_empty(&t->thread_node)) {
		list_del_init(&t->thread_node);
		t->signal->nr_threads--;
	}
	sigqueue_flush(&t->pending, ~0ULL);
	/* what t might have been chosen for goes to whoever remains */
	shared = t->signal->shared_pending.signal.sig;
	if (shared && !t->signal->group_exit)
		retarget_shared(t, shared);
	t->sigpending = false;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	sas_clear(t);
}

void release_task_signals(struct task_struct *t)
{
	struct sighand_struct *sh = t->sighand;
	struct signal_struct *s = t->signal;

	t->sighand = NULL;
	t->signal = NULL;
	if (s) {
		/* pending entries of t itself: signals sent after it exited */
		sigqueue_flush(&t->pending, ~0ULL);
		if (atomic_dec_and_test(&s->count)) {
			sigqueue_flush(&s->shared_pending, ~0ULL);
			kfree(s);
		}
	}
	if (sh && atomic_dec_and_test(&sh->count))
		kfree(sh);
}

/*
 * exec: a sighand still shared with another process (CLONE_SIGHAND without
 * CLONE_THREAD) gets a private copy, or resetting it would change the
 * other's handlers. Only once t is the last live thread of its group:
 * the thread list is protected by the siglock and must not change lock
 * while another thread may still be using it.
 */
static void unshare_sighand(struct task_struct *t)
{
	struct sighand_struct *old = t->sighand, *copy;
	unsigned long flags;

	if (atomic_read(&old->count) == 1 || t->signal->nr_threads > 1)
		return;
	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy) {
		pr_warn("exec: %s keeps a shared sighand (no memory)\n", t->comm);
		return;
	}
	atomic_set(&copy->count, 1);
	spin_lock_init(&copy->siglock);
	/* senders find t under tasklist_lock: they see the old or the new, whole */
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&old->siglock);
	memcpy(copy->action, old->action, sizeof(copy->action));
	t->sighand = copy;
	spin_unlock(&old->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (atomic_dec_and_test(&old->count))
		kfree(old);
}

void flush_signal_handlers(struct task_struct *t)
{
	struct sighand_struct *sh;
	unsigned long flags;
	int i;

	if (!t->sighand || !t->signal)
		return;
	unshare_sighand(t);
	sh = t->sighand;
	spin_lock_irqsave(&sh->siglock, flags);
	for (i = 0; i < NSIG; i++) {
		struct sigaction_abi *sa = &sh->action[i].sa;

		if (sa->sa_handler != SIG_IGN)
			sa->sa_handler = SIG_DFL;
		sa->sa_flags = 0;
		sa->sa_mask = 0;
		sa->sa_restorer = 0;
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
	sas_clear(t);
}

/* ------------------------------------------------------------------ */
/* children */

bool parent_autoreaps(struct task_struct *leader)
{
	struct task_struct *parent = leader->parent;
	struct sigaction_abi *sa;

	if (!parent || !parent->sighand || leader->exit_signal != SIGCHLD)
		return false;
	sa = &parent->sighand->action[SIGCHLD - 1].sa;
	return sa->sa_handler == SIG_IGN || (sa->sa_flags & SA_NOCLDWAIT);
}

static long ns_to_clock_t(u64 ns)
{
	return (long)(ns / (NSEC_PER_SEC / USER_HZ));
}

void do_notify_parent(struct task_struct *leader, int status)
{
	struct task_struct *parent = leader->parent;
	struct kernel_siginfo info;
	int sig = leader->exit_signal;

	if (!parent || !parent->signal)
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_pid = leader->tgid;
	info.si_utime = ns_to_clock_t(leader->utime_ns);
	info.si_stime = ns_to_clock_t(leader->stime_ns);
	if (status & 0x7f) {
		info.si_code = (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		info.si_status = status & 0x7f;
	} else {
		info.si_code = CLD_EXITED;
		info.si_status = (status >> 8) & 0xff;
	}
	/* an ignored SIGCHLD is not sent at all (the child is reaped instead) */
	if (valid_signal(sig) && parent->sighand &&
	    parent->sighand->action[sig - 1].sa.sa_handler != SIG_IGN)
		send_signal(sig, &info, parent, true);
	wake_up(&parent->signal->wait_chldexit);
}
