/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_SIGNAL_H
#define _LEGO_SIGNAL_H

/*
 * Signals for user processes on the processor manager: generation
 * (kill, faults, the tty, children), queueing, and delivery on the way
 * back to user mode. kernel/signal.c is the generic part; the signal frame
 * (rt_sigframe, rt_sigreturn) is in arch/x86/kernel/signal.c.
 */
#include <lego/types.h>
#include <lego/sched.h>
#include <lego/spinlock.h>
#include <lego/wait.h>
#include <lego/atomic.h>
#include <uapi/lego/signal.h>

struct pt_regs;

/* One queued signal. */
struct sigqueue {
	struct list_head list;
	struct kernel_siginfo info;
};

struct k_sigaction {
	struct sigaction_abi sa;	/* as user space gave it (uapi) */
};

/* Shared by the threads of a process that were cloned with CLONE_SIGHAND. */
struct sighand_struct {
	atomic_t count;
	spinlock_t siglock;		/* protects every signal field of the group */
	struct k_sigaction action[NSIG];
};

#define RLIM_NLIMITS	16
struct rlimit64 {
	u64 rlim_cur;
	u64 rlim_max;
};

/* One per process (thread group). */
struct signal_struct {
	atomic_t count;			/* references */
	int nr_threads;			/* live threads (siglock) */
	struct list_head threads;	/* task->thread_node (siglock) */
	struct sigpending shared_pending;	/* signals for the whole process */
	bool group_exit;		/* exit_group or a fatal signal is under way */
	int group_exit_code;		/* wait status for the parent */
	int pgrp;			/* process group id */
	int session;
	struct wait_queue_head wait_chldexit;	/* wait4 sleeps here (parent's) */
	struct rlimit64 rlim[RLIM_NLIMITS];
	u64 cutime_ns, cstime_ns;	/* reaped children */
};

/* True if t should look at its signals before going back to user mode. */
static inline bool signal_pending(const struct task_struct *t)
{
	return READ_ONCE(t->sigpending);
}

/* Recompute current->sigpending after changing blocked or dequeuing. */
void recalc_sigpending(void);

/*
 * Send sig to a thread (group false) or its whole process (group true).
 * info may be NULL (SI_KERNEL / SI_USER from the current task is filled in).
 * Returns 0, or -EINVAL for a bad signal number.
 */
int send_signal(int sig, struct kernel_siginfo *info, struct task_struct *t, bool group);
/* kill(2) semantics for pid > 0, 0, -1, < -1; permission checks are trivial (one user). */
int kill_proc(int pid, int sig);
int kill_pgrp(int pgrp, int sig);
/*
 * A synchronous fault of current: the signal is delivered even if blocked
 * or ignored (then it kills, as Linux does). code is SEGV_MAPERR etc.
 */
void force_sig_fault(int sig, int code, unsigned long addr);
void force_sig(int sig);

/*
 * On the way back to user mode with signal_pending(current): deliver
 * (build a frame, take the default action: terminate, core, stop,
 * ignore), and restart or fail an interrupted system call. arch code.
 */
void do_signal(struct pt_regs *regs);

/*
 * Dequeue the next deliverable signal for current (thread-private first),
 * filling *info and *ka; 0 if none. A fatal default action does not return:
 * it ends the process with do_group_exit. (kernel/signal.c, used by do_signal)
 */
int get_signal(struct kernel_siginfo *info, struct k_sigaction *ka);
/* After a handler frame is built: block sa_mask (and sig unless SA_NODEFER). */
void signal_delivered(int sig, struct k_sigaction *ka);

/* fork/clone/exec/exit hooks (kernel/signal.c). */
int copy_sighand(unsigned long clone_flags, struct task_struct *t);
int copy_signal(unsigned long clone_flags, struct task_struct *t);
void exit_signals(struct task_struct *t);	/* drop t's pending and references */
void flush_signal_handlers(struct task_struct *t);	/* exec: handled -> default */
/* A child process changed state: SIGCHLD to its parent, wake its wait4. */
void do_notify_parent(struct task_struct *leader, int status);

/* Futexes (kernel/futex.c). Wake nr waiters of the word at uaddr in current's mm. */
int futex_wake(u32 *uaddr, int nr);
/* Exit path: handle clear_child_tid and the robust list of current. */
void exit_robust_futexes(struct task_struct *t);

#endif
