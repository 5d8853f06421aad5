// SPDX-License-Identifier: GPL-2.0
/*
 * fork, vfork and clone: a new task sharing or copying each part of the
 * caller (address space, files, working directory, signal handlers,
 * thread group) as the clone flags say. A copied address space is a
 * copy-on-write copy made by the memory manager (M_OP_FORK), after the
 * caller's dirty ExCache lines are written back so that it sees them.
 */
#include <lego/completion.h>
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/files.h>
#include <lego/fit.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/mm_types.h>
#include <lego/printk.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <lego/uaccess.h>
#include <uapi/lego/memory.h>

#define FORK_TIMEOUT_NS	(30ULL * NSEC_PER_SEC)

static atomic_t nr_forks = ATOMIC_INIT(0);	/* /proc/stat "processes" */

unsigned long forks_since_boot(void)
{
	return (unsigned int)atomic_read(&nr_forks);
}

static struct task_struct *alloc_task(void)
{
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->stack = (void *)__get_free_pages(GFP_KERNEL, THREAD_SIZE_ORDER);
	if (!p->stack) {
		kfree(p);
		return NULL;
	}
	atomic_set(&p->usage, 1);
	INIT_LIST_HEAD(&p->run_list);
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->sibling_all);
	INIT_LIST_HEAD(&p->thread_node);
	INIT_LIST_HEAD(&p->pending.list);
	return p;
}

static void free_task(struct task_struct *p)
{
	arch_release_thread(p);
	free_pages((unsigned long)p->stack, THREAD_SIZE_ORDER);
	free_task_struct(p);
}

/* The memory manager makes child's address space a COW copy of current's. */
static int fork_mm(struct task_struct *p)
{
	struct mm_struct *old = current->mm, *mm;
	struct m_fork_req req = { .parent = old->pid, .child = p->pid };
	long ret;

	mm = mm_alloc(p->pid);
	if (!mm)
		return -ENOMEM;
	mm->mem_node = old->mem_node;
	mutex_lock(&old->mmap_lock);
	ret = excache_flush_mm(old, EXC_FLUSH_WRITEBACK);
	if (!ret)
		ret = fit_call(old->mem_node, M_OP_FORK, &req, sizeof(req), NULL, 0,
			       FORK_TIMEOUT_NS);
	/* the same arguments: the child's memory is a copy (a lost copy only blanks /proc) */
	if (ret >= 0 && old->cmdline) {
		mm->cmdline = kmalloc(old->cmdline_len, GFP_KERNEL);
		if (mm->cmdline) {
			memcpy(mm->cmdline, old->cmdline, old->cmdline_len);
			mm->cmdline_len = old->cmdline_len;
		}
	}
	mutex_unlock(&old->mmap_lock);
	if (ret < 0) {
		pr_warn("fork: memory manager refused to copy pid %d: %ld\n", old->pid, ret);
		mm_release_unused(mm);
		return ret == -ETIMEDOUT ? -EAGAIN : (int)ret;
	}
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->stack_top = old->stack_top;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	mm->start_stack = old->start_stack;
	memcpy(mm->exe_path, old->exe_path, sizeof(mm->exe_path));
	p->mm = mm;
	return 0;
}

static int copy_mm(unsigned long flags, struct task_struct *p)
{
	if (flags & CLONE_VM) {
		mmget(current->mm);
		p->mm = current->mm;
		return 0;
	}
	return fork_mm(p);
}

static void link_task(struct task_struct *p, unsigned long flags)
{
	struct task_struct *me = current;
	unsigned long irq;

	spin_lock_irqsave(&tasklist_lock, irq);
	if (flags & CLONE_THREAD) {
		p->parent = me->group_leader->parent;
	} else {
		p->parent = (flags & CLONE_PARENT) ? me->group_leader->parent : me->group_leader;
		if (p->parent)
			list_add_tail(&p->sibling, &p->parent->children);
		list_add_tail(&p->sibling_all, &process_list);
		get_task_struct(p);	/* the parent's, until it reaps us */
	}
	/* copy_signal put p on signal->threads already */
	spin_unlock_irqrestore(&tasklist_lock, irq);
}

static int check_clone_flags(unsigned long flags)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (flags & (CLONE_NEWNS | CLONE_PIDFD | 0x7e000000UL))
		return -EINVAL;		/* namespaces, pidfds: not here */
	return 0;
}

static struct task_struct *copy_process(unsigned long flags, unsigned long sp,
					int __user *child_tid, unsigned long tls)
{
	struct task_struct *me = current, *p;
	int err = check_clone_flags(flags);

	if (err)
		return ERR_PTR(err);
	p = alloc_task();
	if (!p)
		return ERR_PTR(-ENOMEM);
	memcpy(p->comm, me->comm, sizeof(p->comm));
	p->pid = task_new_pid();
	p->state = TASK_UNINTERRUPTIBLE;	/* until wake_up_process */
	p->allowed_cpu = CPU_ANY;
	p->start_time_ns = ktime_get_ns();
	p->blocked = me->blocked;
	/* prctl state: the parent-death signal is not inherited, the rest is */
	p->no_new_privs = me->no_new_privs;
	p->timer_slack_ns = me->timer_slack_ns;
	p->default_timer_slack_ns = me->timer_slack_ns;
	if (flags & CLONE_THREAD) {
		p->tgid = me->tgid;
		p->group_leader = me->group_leader;
		p->exit_signal = -1;
	} else {
		p->tgid = p->pid;
		p->group_leader = p;
		p->exit_signal = flags & CSIGNAL;
	}
	if (flags & CLONE_CHILD_SETTID)
		p->set_child_tid = (u32 *)child_tid;
	if (flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = (u32 *)child_tid;

	err = copy_thread(p, sp, flags & CLONE_SETTLS, tls);
	if (err)
		goto fail;
	err = copy_mm(flags, p);
	if (err)
		goto fail;
	err = copy_files(flags, p);
	if (err)
		goto fail_mm;
	err = copy_fs(flags, p);
	if (err)
		goto fail_files;
	err = copy_sighand(flags, p);
	if (err)
		goto fail_fs;
	err = copy_signal(flags, p);
	if (err)
		goto fail_sighand;
	return p;

fail_sighand:
	exit_signals(p);
fail_fs:
	put_fs(p->fs);
fail_files:
	put_files(p->files);
fail_mm:
	mmput(p->mm);
fail:
	free_task(p);
	return ERR_PTR(err);
}

long do_fork(unsigned long flags, unsigned long sp, int __user *parent_tid,
	     int __user *child_tid, unsigned long tls)
{
	struct completion vfork;
	struct task_struct *p;
	int pid;

	p = copy_process(flags, sp, child_tid, tls);
	if (IS_ERR(p))
		return PTR_ERR(p);
	pid = p->pid;
	if ((flags & CLONE_PARENT_SETTID) && put_user(pid, parent_tid))
		pr_warn("clone: bad parent_tid pointer from pid %d\n", current->pid);
	if (flags & CLONE_VFORK) {
		init_completion(&vfork);
		p->vfork_done = &vfork;
	}
	link_task(p, flags);
	atomic_inc(&nr_forks);
	sched_register_task(p);
	wake_up_process(p);
	/* the child borrows our memory until it execs or exits */
	if (flags & CLONE_VFORK)
		wait_for_completion(&vfork);
	return pid;
}

SYSCALL_DEFINE(fork, void)
{
	return do_fork(SIGCHLD, 0, NULL, NULL, 0);
}

SYSCALL_DEFINE(vfork, void)
{
	return do_fork(CLONE_VFORK | CLONE_VM | SIGCHLD, 0, NULL, NULL, 0);
}

/* x86-64 argument order: flags, stack, parent_tid, child_tid, tls. */
SYSCALL_DEFINE(clone, unsigned long flags, unsigned long sp, int __user *parent_tid,
	       int __user *child_tid, unsigned long tls)
{
	return do_fork(flags, sp, parent_tid, child_tid, tls);
}

/* A new task's first act in its own context, before user mode. */
void fork_child_start(void)
{
	struct task_struct *t = current;

	if (t->set_child_tid && put_user((u32)t->pid, t->set_child_tid))
		pr_warn("clone: bad child_tid pointer for pid %d\n", t->pid);
}
