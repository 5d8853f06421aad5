// SPDX-License-Identifier: GPL-2.0
/*
 * Finding user tasks by id, and the reference count that keeps a
 * task_struct alive while someone (a parent that has not reaped it, a
 * signal sender) still looks at it.
 */
#include <lego/kernel.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(process_list);

struct task_struct *find_task_by_pid(int pid)
{
	struct task_struct *p, *t;

	list_for_each_entry(p, &process_list, sibling_all) {
		if (p->pid == pid)
			return p;
		if (!p->signal)
			continue;
		list_for_each_entry(t, &p->signal->threads, thread_node)
			if (t->pid == pid)
				return t;
	}
	return NULL;
}

void get_task_struct(struct task_struct *t)
{
	atomic_inc(&t->usage);
}

void put_task_struct(struct task_struct *t)
{
	if (atomic_dec_and_test(&t->usage))
		free_task_struct(t);
}

void free_task_struct(struct task_struct *t)
{
	release_task_signals(t);
	kfree(t);
}
