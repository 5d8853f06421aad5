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
	struct task_struct *group_exec_task;	/* exec is ending the other threads (siglock) */
	int group_exit_code;		/* wait status for the parent */
	int pgrp;			/* process group id */
	int session;
	struct wait_queue_head wait_chldexit;	/* wait4 sleeps here (parent's) */
	struct rlimit64 rlim[RLIM_NLIMITS];
	u64 cutime_ns, cstime_ns;	/* reaped children */
	u64 dead_utime_ns, dead_stime_ns;	/* our threads that have exited (siglock) */
	bool is_child_subreaper;	/* prctl: adopts orphaned descendants */
	bool undumpable;		/* prctl PR_SET_DUMPABLE 0; exec clears it */
};

/* Resource limits (signal->rlim). */
#define RLIMIT_CPU		0
#define RLIMIT_FSIZE		1
#define RLIMIT_DATA		2
#define RLIMIT_STACK		3
#define RLIMIT_CORE		4
#define RLIMIT_RSS		5
#define RLIMIT_NPROC		6
#define RLIMIT_NOFILE		7
#define RLIMIT_MEMLOCK		8
#define RLIMIT_AS		9
#define RLIMIT_LOCKS		10
#define RLIMIT_SIGPENDING	11
#define RLIMIT_MSGQUEUE		12
#define RLIMIT_NICE		13
#define RLIMIT_RTPRIO		14
#define RLIMIT_RTTIME		15
#define RLIM_INFINITY		(~0ULL)

/* Signal sets: bit (sig - 1) of a u64. */
static inline u64 sigmask(int sig)
{
	return 1ULL << (sig - 1);
}

static inline bool valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

static inline void sigaddset(sigset_t *set, int sig)
{
	set->sig |= sigmask(sig);
}

static inline void sigdelset(sigset_t *set, int sig)
{
	set->sig &= ~sigmask(sig);
}

static inline bool sigismember(const sigset_t *set, int sig)
{
	return (set->sig & sigmask(sig)) != 0;
}

/* Neither can be blocked, caught or ignored. */
#define SIG_UNCATCHABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))
/* Faults: dequeued before anything else, so the handler sees the cause. */
#define SIG_SYNCHRONOUS	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
			 sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

/* What SIG_DFL does (stop signals are treated as ignored: no job control). */
enum sig_default {
	SIG_DEFAULT_TERM,
	SIG_DEFAULT_CORE,
	SIG_DEFAULT_IGNORE,
	SIG_DEFAULT_STOP,
};
enum sig_default sig_default_action(int sig);

/* The wait status a process killed by sig reports (core bit for core signals). */
static inline int sig_exit_status(int sig)
{
	return sig_default_action(sig) == SIG_DEFAULT_CORE ? (sig | 0x80) : sig;
}

/* True if t should look at its signals before going back to user mode. */
static inline bool signal_pending(const struct task_struct *t)
{
	return READ_ONCE(t->sigpending);
}

/* Recompute current->sigpending after changing blocked or dequeuing. */
void recalc_sigpending(void);
/*
 * Replace current's blocked mask (SIGKILL and SIGSTOP are never blocked),
 * recompute sigpending, and hand process-wide signals it now blocks to a
 * thread that can take them. Use this rather than writing ->blocked.
 */
void set_current_blocked(const sigset_t *set);
/*
 * For ppoll/pselect6/epoll_pwait: switch to a temporary mask that is
 * restored on the way back to user mode. Call before the wait; if the call
 * then ends without -EINTR/-ERESTARTNOHAND, call restore_saved_sigmask()
 * itself (a handler frame saves the old mask and sigreturn restores it).
 */
void set_temporary_sigmask(const sigset_t *set);
void restore_saved_sigmask(void);

/*
 * Send sig to a thread (group false) or its whole process (group true).
 * info may be NULL (SI_KERNEL / SI_USER from the current task is filled in).
 * Returns 0, or -EINVAL for a bad signal number.
 */
int send_signal(int sig, struct kernel_siginfo *info, struct task_struct *t, bool group);
/*
 * kill(2) semantics for pid > 0, 0, -1, < -1; permission checks are trivial
 * (one user). Both take tasklist_lock and work from interrupt context (the
 * tty's ^C): nothing in the send path sleeps. sig 0 checks existence.
 */
int kill_proc(int pid, int sig);
int kill_pgrp(int pgrp, int sig);
/*
 * A fatal signal or exit_group: mark the group exiting with wait status
 * code (unless it already is) and SIGKILL every other thread of t's group.
 * Returns the group's exit status (the first one set wins).
 * do_group_exit calls it; takes siglock.
 */
/*
 * exec in a process with several threads: end every other thread (they
 * exit, the process does not) and wait until current is the only one.
 * -EINTR if a fatal signal or exit_group came first (current then dies).
 */
int exec_end_other_threads(void);
int zap_other_threads(struct task_struct *t, int code);
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

/*
 * fork/clone/exec/exit hooks (kernel/signal.c).
 *
 * copy_sighand, then copy_signal, on the new task t (t->pid set; its
 * signal fields may be a copy of the parent's: they are all rewritten).
 * With CLONE_SIGHAND / CLONE_THREAD they share current's, otherwise copy
 * them (actions; rlimits, pgrp and session). copy_signal also sets up t's
 * own pending queue and mask (inherited) and makes t a live thread of its
 * group (signal->threads, nr_threads); it takes tasklist_lock and siglock,
 * so call it without them. On a later fork failure: exit_signals(t) then
 * release_task_signals(t). 0 or -ENOMEM / -EINVAL.
 */
int copy_sighand(unsigned long clone_flags, struct task_struct *t);
int copy_signal(unsigned long clone_flags, struct task_struct *t);
/*
 * Thread t stops being a live member of its group (do_exit, before it
 * notifies anyone): leaves signal->threads (nr_threads--), drops its
 * private pending signals and its alternate stack, and passes process-wide
 * pending signals on to a thread that remains. t keeps its sighand and
 * signal pointers: a zombie leader still reports group_exit_code. Takes
 * tasklist_lock and siglock: call without them.
 */
void exit_signals(struct task_struct *t);
/* The same, for a caller that holds tasklist_lock (reaping). */
void exit_signals_locked(struct task_struct *t);
/*
 * Drop t's references to its sighand and signal (freeing them with the
 * last one). Call once nobody can find t any more: a thread after
 * exit_signals and after leaving the pid lookup, a leader when reaped.
 */
void release_task_signals(struct task_struct *t);
/* exec: handled -> default, ignored stays ignored; sighand unshared; no alt stack. */
void flush_signal_handlers(struct task_struct *t);
/*
 * A child process ended: SIGCHLD (leader->exit_signal) to its parent with
 * CLD_EXITED/CLD_KILLED/CLD_DUMPED from the wait status, and wake the
 * parent's signal->wait_chldexit. Call with tasklist_lock held (it reads
 * leader->parent); takes the parent's siglock.
 */
void do_notify_parent(struct task_struct *leader, int status);
/*
 * True if leader's parent ignores SIGCHLD or set SA_NOCLDWAIT: then the
 * exit path reaps leader itself instead of leaving a zombie. Call with
 * tasklist_lock held.
 */
bool parent_autoreaps(struct task_struct *leader);

/* Alternate signal stack of t (kernel/sigaltstack.c). */
bool sas_get(struct task_struct *t, stack_t *ss);	/* false: none set */
int sas_set(struct task_struct *t, const stack_t *ss);	/* SS_DISABLE clears */
void sas_copy(struct task_struct *from, struct task_struct *to);
void sas_clear(struct task_struct *t);
/* sigaltstack semantics on behalf of current, sp: its user stack pointer. */
int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp);
/* True if sp is on current's alternate stack. */
bool on_sig_stack(unsigned long sp);

/* Futexes (kernel/futex.c). Wake nr waiters of the word at uaddr in current's mm. */
int futex_wake(u32 *uaddr, int nr);
/* Exit and exec: handle clear_child_tid and the robust list of current. */
void exit_robust_futexes(struct task_struct *t);

#endif
