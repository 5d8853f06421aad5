/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_SCHED_H
#define _LEGO_SCHED_H

#include <lego/types.h>
#include <lego/list.h>
#include <lego/atomic.h>
#include <lego/timer.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/processor.h>

#define TASK_RUNNING		0
#define TASK_INTERRUPTIBLE	1
#define TASK_UNINTERRUPTIBLE	2
#define TASK_DEAD		4

/* task->flags */
#define PF_KTHREAD		0x0001	/* a kernel thread: no user half */
#define PF_EXITING		0x0002	/* in do_exit */
#define PF_VFORK_PARENT		0x0004	/* waiting for a vfork child */

#define TASK_COMM_LEN		16
#define THREAD_SIZE_ORDER	2
#define THREAD_SIZE		(PAGE_SIZE << THREAD_SIZE_ORDER)
#define CPU_ANY			(-1)
#define TIMER_SLACK_DEFAULT_NS	50000	/* Linux's: 50 us */

struct mm_struct;
struct files_struct;
struct fs_struct;
struct signal_struct;
struct sighand_struct;
struct completion;

/* A task's signal bits that are its own (not shared with its threads). */
typedef struct {
	u64 sig;		/* bit (signo - 1) */
} sigset_t;

struct sigpending {
	sigset_t signal;	/* which signals are queued */
	struct list_head list;	/* struct sigqueue, in arrival order (kernel/signal.c) */
};

struct task_struct {
	unsigned long sp;		/* saved stack pointer: first, for switch.S */
	void *stack;			/* base of the kernel stack (THREAD_SIZE) */
	volatile long state;
	int pid;
	char comm[TASK_COMM_LEN];
	int cpu;			/* CPU it runs or last ran on */
	int allowed_cpu;		/* CPU_ANY, or the only CPU it may run on */
	bool on_cpu;			/* executing right now (rq lock protects) */
	bool on_rq;			/* queued to run (rq lock protects) */
	bool need_resched;
	bool is_idle;
	struct list_head run_list;	/* on the run queue while runnable, not running */
	struct list_head tasks;		/* every task */
	u64 runtime_ns;
	u64 last_switch_ns;
	u64 nr_switches;
	int (*fn)(void *arg);
	void *arg;
	int exit_code;
	unsigned int flags;		/* PF_* */

	/*
	 * User processes (processor manager). A kernel thread has mm NULL
	 * and none of the below. Lifetimes: kernel/fork.c, kernel/exit.c.
	 */
	int tgid;			/* thread group (process) id: the leader's pid */
	struct task_struct *group_leader;
	struct list_head thread_node;	/* in signal->threads */
	struct task_struct *parent;	/* the process that waits for us (a leader) */
	struct list_head children;	/* leaders only: our child processes */
	struct list_head sibling;	/* in parent->children */
	struct list_head sibling_all;	/* leaders: in process_list */
	int exit_signal;		/* sent to the parent when the process ends (SIGCHLD) */
	int exit_state;			/* EXIT_ZOMBIE, EXIT_DEAD once reaped */
	atomic_t usage;			/* references to this struct (get/put_task_struct) */
	struct mm_struct *mm;
	struct files_struct *files;
	struct fs_struct *fs;
	struct signal_struct *signal;	/* shared by the thread group */
	struct sighand_struct *sighand;	/* actions, shared by the thread group */
	sigset_t blocked;
	sigset_t saved_sigmask;		/* restored after rt_sigsuspend/ppoll/pselect */
	bool restore_sigmask;
	struct sigpending pending;	/* signals for this thread only */
	volatile bool sigpending;	/* something may be deliverable: check on return to user */
	u32 *set_child_tid;		/* user pointers (clone flags) */
	u32 *clear_child_tid;
	void *robust_list;
	u64 robust_list_len;
	struct completion *vfork_done;	/* the vfork parent waits on it */
	int pdeath_signal;		/* sent to us when our parent process ends (prctl) */
	bool no_new_privs;		/* prctl: sticky, inherited, kept across exec */
	u64 timer_slack_ns;		/* prctl; 0 means TIMER_SLACK_DEFAULT_NS */
	u64 default_timer_slack_ns;	/* what PR_SET_TIMERSLACK 0 goes back to */
	/* a kernel buffer the user-copy routines accept (uaccess_kernel_begin) */
	void *uaccess_kbuf;
	size_t uaccess_klen;
	u64 start_time_ns;
	u64 utime_ns, stime_ns;
	struct thread_struct thread;	/* arch: TLS bases, FPU state */
};

#define EXIT_ZOMBIE	16
#define EXIT_DEAD	32

static inline void set_current_state(long state)
{
	WRITE_ONCE(current->state, state);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void sched_init(void);
void schedule(void);
bool wake_up_process(struct task_struct *t);
void yield(void);
__noreturn void cpu_idle(void);
/* Called from the local timer interrupt on every CPU. */
void timer_tick(void);
/* Called from the reschedule IPI. */
void scheduler_ipi(void);

/* Sleep until woken or timeout_ns passes; returns the time left (0: timed out). */
u64 schedule_timeout(u64 timeout_ns);
void msleep(unsigned int ms);

/* Kernel threads. kthread_create leaves the thread stopped until woken. */
struct task_struct *kthread_create(int (*fn)(void *arg), void *arg, const char *name);
struct task_struct *kthread_run(int (*fn)(void *arg), void *arg, const char *name);
void kthread_bind(struct task_struct *t, int cpu);
__noreturn void kthread_exit(int code);

/* What /proc and sysinfo tell of the scheduler (kernel/sched/core.c). */
#define LOAD_FSHIFT		11
#define LOAD_FIXED_1		(1UL << LOAD_FSHIFT)
/* Runnable tasks averaged over 1, 5 and 15 minutes, in LOAD_FIXED_1 units. */
void sched_get_loadavg(unsigned long loads[3]);
/* Tasks on a CPU or waiting for one now, the idle tasks aside. */
int sched_nr_active(void);
/* Every task, kernel threads included, the idle tasks aside. */
int sched_nr_tasks(void);
/* Time CPU cpu has spent idle since it came up. */
u64 sched_idle_ns(int cpu);
/* Context switches on all CPUs since boot. */
u64 sched_nr_switches(void);
/* The pid (or kernel thread id) handed out last. */
int sched_last_pid(void);

/* Print every task, its state and where it sleeps (debugging). */
void show_tasks(void);

/* Architecture hooks. */
/* The call chain where the sleeping task t switched out. */
void arch_show_task_stack(struct task_struct *t);
/* Prepare t's stack so that switching to it starts ret_from_kthread. */
void arch_init_thread(struct task_struct *t);
/* Switch stacks; returns, in next, the task that switched to it. */
struct task_struct *arch_switch_to(struct task_struct *prev, struct task_struct *next);

/* Architecture hooks for user threads (processor manager). */
struct pt_regs;
int copy_thread(struct task_struct *p, unsigned long sp, bool set_tls, unsigned long tls);
int arch_prepare_user_thread(struct task_struct *p);
void arch_release_thread(struct task_struct *p);
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);
/* Reschedule and deliver signals before returning to user mode. */
void exit_to_user_mode(struct pt_regs *regs);
void syscall_init(void);
void arch_init_user_kthread(struct task_struct *t);
__noreturn void arch_enter_user(void);

/* Internal to kernel/sched. */
void schedule_tail(struct task_struct *prev);
void kthread_free(struct task_struct *t);
void sched_register_task(struct task_struct *t);
int task_new_pid(void);

#endif
