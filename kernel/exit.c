// SPDX-License-Identifier: GPL-2.0
/*
 * The end of threads and processes, and their parents' wait. A process
 * ends when its last thread does: its leader becomes a zombie holding the
 * wait status until the parent reaps it with wait4/waitid (or at once if
 * the parent ignores SIGCHLD). Children of an ending process are handed to
 * the nearest child subreaper above it (prctl), else to the first user
 * process (init); those that asked get their parent-death signal.
 */
#include <lego/completion.h>
#include <lego/cputime.h>
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/files.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/panic.h>
#include <lego/string.h>
#include <lego/printk.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/syscalls.h>
#include <lego/timekeeping.h>
#include <lego/uaccess.h>
#include <uapi/lego/time.h>

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define P_ALL	0
#define P_PID	1
#define P_PGID	2

struct task_struct *init_process;	/* the first user process (exec.c) */
void init_process_exited(int status);

/*
 * Who adopts the children of leader: the nearest living ancestor that
 * made itself a child subreaper (prctl), else init, else nobody (they
 * reap themselves). Under tasklist_lock.
 */
static struct task_struct *find_new_reaper(struct task_struct *leader)
{
	struct task_struct *p;

	for (p = leader->parent; p; p = p->parent)
		if (!p->exit_state && p->signal && p->signal->is_child_subreaper)
			return p;
	if (init_process && init_process != leader && !init_process->exit_state)
		return init_process;
	return NULL;
}

/* Reaped (or never to be): drop every trace of the process. Under tasklist_lock. */
static void release_process(struct task_struct *leader)
{
	list_del_init(&leader->sibling);
	list_del_init(&leader->sibling_all);
	leader->exit_state = EXIT_DEAD;
	exit_signals_locked(leader);
	put_task_struct(leader);
}

/* Every thread of the child process c that asked (PR_SET_PDEATHSIG) hears of it. */
static void send_pdeath_signals(struct task_struct *c)
{
	struct task_struct *t;

	if (!c->signal)
		return;
	list_for_each_entry(t, &c->signal->threads, thread_node)
		if (t->pdeath_signal)
			send_signal(t->pdeath_signal, NULL, c, true);
}

/*
 * Give the children of leader to their new reaper. A child that already
 * ended is announced to it (or reaped, if it does not wait for children),
 * as if it had just ended there. Under tasklist_lock.
 */
static void reparent_children(struct task_struct *leader)
{
	struct task_struct *c, *n;
	struct task_struct *heir = find_new_reaper(leader);

	list_for_each_entry_safe(c, n, &leader->children, sibling) {
		list_del_init(&c->sibling);
		c->parent = heir;
		/* the new parent did not ask for another signal */
		if (c->exit_signal != -1)
			c->exit_signal = SIGCHLD;
		if (heir)
			list_add_tail(&c->sibling, &heir->children);
		if (c->exit_state != EXIT_ZOMBIE) {
			send_pdeath_signals(c);
			continue;
		}
		if (!heir || parent_autoreaps(c))
			release_process(c);
		else
			do_notify_parent(c, c->exit_code);
	}
}

/* The last thread of a process is gone: make the leader a zombie. */
static void process_ended(struct task_struct *leader, int status)
{
	bool autoreap;

	leader->exit_code = status;
	leader->exit_state = EXIT_ZOMBIE;
	reparent_children(leader);
	autoreap = !leader->parent || parent_autoreaps(leader);
	if (!autoreap)
		do_notify_parent(leader, status);
	else
		release_process(leader);
}

static void exit_mm(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	unsigned long irq;

	if (!mm)
		return;
	/* this CPU keeps the page table loaded until the next switch */
	spin_lock_irqsave(&tasklist_lock, irq);
	t->mm = NULL;	/* /proc pins t->mm under tasklist_lock */
	spin_unlock_irqrestore(&tasklist_lock, irq);
	mmput(mm);
}

__noreturn void do_exit(int code)
{
	struct task_struct *t = current, *leader = t->group_leader;
	struct signal_struct *sig = t->signal;
	struct cputime ct;
	unsigned long irq;
	bool last;
	int status;

	t->flags |= PF_EXITING;
	if (t->mm)
		exit_robust_futexes(t);
	if (t->vfork_done) {
		complete(t->vfork_done);
		t->vfork_done = NULL;
	}
	exit_mm(t);
	if (t->files) {
		put_files(t->files);
		t->files = NULL;
	}
	if (t->fs) {
		put_fs(t->fs);
		t->fs = NULL;
	}

	spin_lock_irqsave(&tasklist_lock, irq);
	spin_lock(&t->sighand->siglock);
	list_del_init(&t->thread_node);
	last = --sig->nr_threads == 0;
	/* an exec waiting for the other threads to go */
	if (sig->group_exec_task && sig->nr_threads == 1)
		wake_up_process(sig->group_exec_task);
	status = sig->group_exit ? sig->group_exit_code : code;
	/* the process's CPU time keeps ours (the slice running now too: irqs are off) */
	thread_cputime(t, &ct);
	sig->dead_utime_ns += ct.utime_ns;
	sig->dead_stime_ns += ct.stime_ns;
	if (last) {
		/* what the parent reaps: the whole process's time */
		leader->utime_ns = sig->dead_utime_ns;
		leader->stime_ns = sig->dead_stime_ns;
	}
	spin_unlock(&t->sighand->siglock);
	if (last) {
		if (leader == init_process)
			init_process_exited(status);
		excache_exit_report(leader->comm, leader->tgid);
		process_ended(leader, status);
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);

	/* a thread that is not the leader has nobody to wait for it */
	if (t != leader)
		exit_signals(t);
	set_current_state(TASK_DEAD);
	schedule();
	panic("do_exit: %s (pid %d) ran after death", t->comm, t->pid);
}

/* End every thread of the process with status code. */
__noreturn void do_group_exit(int code)
{
	struct task_struct *me = current, *t;
	struct signal_struct *sig = me->signal;
	unsigned long irq;

	spin_lock_irqsave(&me->sighand->siglock, irq);
	if (sig->group_exit) {
		code = sig->group_exit_code;
	} else {
		sig->group_exit = true;
		sig->group_exit_code = code;
	}
	spin_unlock_irqrestore(&me->sighand->siglock, irq);

	spin_lock_irqsave(&tasklist_lock, irq);
	list_for_each_entry(t, &sig->threads, thread_node)
		if (t != me)
			send_signal(SIGKILL, NULL, t, false);
	spin_unlock_irqrestore(&tasklist_lock, irq);
	do_exit(code);
}

SYSCALL_DEFINE(exit, int code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE(exit_group, int code)
{
	do_group_exit((code & 0xff) << 8);
}

struct wait_opts {
	int type;		/* P_ALL, P_PID, P_PGID */
	int id;
	int options;
	int pid;		/* out: the child reaped or seen */
	int status;
	u64 utime_ns, stime_ns;
};

static bool child_matches(struct task_struct *c, const struct wait_opts *wo)
{
	switch (wo->type) {
	case P_PID:
		return c->pid == wo->id;
	case P_PGID:
		return c->signal && c->signal->pgrp == wo->id;
	}
	return true;
}

/*
 * One look at our children: 1 with wo filled if a zombie matched (reaped
 * unless WNOWAIT), 0 if some child matched but none has ended, -ECHILD if
 * none matched.
 */
static int scan_children(struct wait_opts *wo)
{
	struct task_struct *me = current->group_leader, *c;
	unsigned long irq;
	int ret = -ECHILD;

	spin_lock_irqsave(&tasklist_lock, irq);
	list_for_each_entry(c, &me->children, sibling) {
		if (!child_matches(c, wo))
			continue;
		ret = 0;
		if (c->exit_state != EXIT_ZOMBIE)
			continue;
		wo->pid = c->pid;
		wo->status = c->exit_code;
		/* with the children it reaped itself, as Linux counts them */
		wo->utime_ns = c->utime_ns + (c->signal ? c->signal->cutime_ns : 0);
		wo->stime_ns = c->stime_ns + (c->signal ? c->signal->cstime_ns : 0);
		if (!(wo->options & WNOWAIT)) {
			me->signal->cutime_ns += wo->utime_ns;
			me->signal->cstime_ns += wo->stime_ns;
			release_process(c);
		}
		ret = 1;
		break;
	}
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return ret;
}

/* The reaped child's CPU times; the other figures are not kept. */
static int put_child_rusage(const struct wait_opts *wo, struct rusage_abi __user *ru)
{
	struct rusage_abi r;

	memset(&r, 0, sizeof(r));
	r.ru_utime = ns_to_timeval(wo->utime_ns);
	r.ru_stime = ns_to_timeval(wo->stime_ns);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

static long do_wait(struct wait_opts *wo)
{
	struct wait_queue_head *wq = &current->signal->wait_chldexit;
	struct wait_queue_entry w = WAIT_ENTRY_INIT(w);
	long ret;

	for (;;) {
		prepare_to_wait(wq, &w, TASK_INTERRUPTIBLE);
		ret = scan_children(wo);
		if (ret)
			break;
		if (wo->options & WNOHANG)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(wq, &w);
	return ret;
}

SYSCALL_DEFINE(wait4, int pid, int __user *status, int options, void __user *rusage)
{
	struct wait_opts wo = { .options = options | WEXITED };
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == -1) {
		wo.type = P_ALL;
	} else if (pid < -1) {
		wo.type = P_PGID;
		wo.id = -pid;
	} else if (pid == 0) {
		wo.type = P_PGID;
		wo.id = current->signal->pgrp;
	} else {
		wo.type = P_PID;
		wo.id = pid;
	}
	ret = do_wait(&wo);
	if (ret <= 0)
		return ret;
	if (status && put_user(wo.status, status))
		return -EFAULT;
	if (rusage && put_child_rusage(&wo, rusage))
		return -EFAULT;
	return wo.pid;
}

SYSCALL_DEFINE(waitid, int type, int id, struct kernel_siginfo __user *infop,
	       int options, void __user *rusage)
{
	struct wait_opts wo = { .type = type, .id = id, .options = options };
	struct kernel_siginfo info;
	long ret;

	if (type != P_ALL && type != P_PID && type != P_PGID)
		return -EINVAL;
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)) ||
	    (options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | __WALL | __WCLONE)))
		return -EINVAL;
	if (type == P_PGID && id == 0)
		wo.id = current->signal->pgrp;
	ret = do_wait(&wo);
	if (ret < 0)
		return ret;
	memset(&info, 0, sizeof(info));
	if (ret == 1) {
		info.si_signo = SIGCHLD;
		if (wo.status & 0x7f) {
			info.si_code = (wo.status & 0x80) ? CLD_DUMPED : CLD_KILLED;
			info.si_status = wo.status & 0x7f;
		} else {
			info.si_code = CLD_EXITED;
			info.si_status = (wo.status >> 8) & 0xff;
		}
		info.si_pid = wo.pid;
	}
	if (infop && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (rusage && put_child_rusage(&wo, rusage))
		return -EFAULT;
	return 0;
}
