/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_PROCESS_H
#define _LEGO_PROCESS_H

/*
 * User processes on the processor manager: creation (fork, clone, exec),
 * exit and reaping, and finding tasks by id. kernel/fork.c, kernel/exit.c,
 * kernel/pid.c; exec is managers/processor/exec.c (it asks the memory
 * manager to load the program).
 */
#include <lego/types.h>
#include <lego/sched.h>
#include <lego/spinlock.h>

struct pt_regs;

/* clone flags (Linux ABI). */
#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000

/*
 * tasklist_lock protects the list of all processes, parent/child links and
 * the pid lookup. Take it with interrupts saved (spin_lock_irqsave style).
 */
extern spinlock_t tasklist_lock;

/* A live or zombie task with this pid (thread id), or NULL. Under tasklist_lock. */
struct task_struct *find_task_by_pid(int pid);
/* Pin and unpin a task_struct (it is freed by the last put). */
void get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
/* Free t once no reference is left: its signal state, then the struct. */
void free_task_struct(struct task_struct *t);
/* Iterate over process leaders (under tasklist_lock). */
#define for_each_process(p) \
	list_for_each_entry(p, &process_list, sibling_all)
extern struct list_head process_list;

/*
 * Create a task from current as clone(2) describes; the new task returns
 * to user mode with rax 0 and, if child_sp, that stack. Returns the new
 * task's pid or a negative errno.
 */
long do_fork(unsigned long clone_flags, unsigned long child_sp,
	     int *parent_tid, int *child_tid, unsigned long tls);

/* Tasks fork, vfork and clone have made since boot (/proc/stat). */
unsigned long forks_since_boot(void);

/* In a new task before it first enters user mode (CLONE_CHILD_SETTID). */
void fork_child_start(void);

/* Exit the current thread / the whole process; code is a wait status. */
__noreturn void do_exit(int code);
__noreturn void do_group_exit(int code);

/*
 * Start the first user program (init= on the command line) as a new
 * process; returns its pid or a negative errno. Its exit status is
 * reported on the console as "lego: init exited with status N".
 */
int start_user_init(const char *path, char *const argv[], char *const envp[]);
/* init could not be started: report it as init's end (and power off if asked). */
void init_not_started(void);

/* Read hostname= from the command line (kernel/sys.c). */
void uts_init(void);

/* Wait status encoding (as Linux's). */
#define W_EXITCODE(ret, sig)	((ret) << 8 | (sig))
#define W_STOPCODE(sig)		((sig) << 8 | 0x7f)

#endif
