// SPDX-License-Identifier: GPL-2.0
/*
 * Alternate signal stacks (sigaltstack(2), SA_ONSTACK).
 *
 * struct task_struct has no field for a thread's alternate stack, so the
 * few threads that set one are kept here, in a small hash table keyed by
 * the task: sigaltstack() adds them, exit/exec remove them, fork copies
 * them. A thread without an entry has no alternate stack, which is what
 * nearly every thread looks like, so the table stays tiny.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/list.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include <asm/ptrace.h>

#define SAS_HASH_BITS	6

struct sas_entry {
	struct list_head node;
	struct task_struct *task;
	u64 sp;
	u64 size;
};

static struct list_head sas_hash[1 << SAS_HASH_BITS];
static DEFINE_SPINLOCK(sas_lock);
static bool sas_ready;

static struct list_head *sas_bucket(struct task_struct *t)
{
	unsigned long h = (unsigned long)t >> 6;

	if (!sas_ready) {
		for (int i = 0; i < (1 << SAS_HASH_BITS); i++)
			INIT_LIST_HEAD(&sas_hash[i]);
		sas_ready = true;
	}
	return &sas_hash[(h ^ (h >> SAS_HASH_BITS)) & ((1 << SAS_HASH_BITS) - 1)];
}

/* sas_lock held */
static struct sas_entry *sas_find(struct task_struct *t)
{
	struct sas_entry *e;

	list_for_each_entry(e, sas_bucket(t), node)
		if (e->task == t)
			return e;
	return NULL;
}

bool sas_get(struct task_struct *t, stack_t *ss)
{
	struct sas_entry *e;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&sas_lock, flags);
	e = sas_find(t);
	if (e) {
		ss->ss_sp = e->sp;
		ss->ss_size = e->size;
		ss->ss_flags = 0;
		found = true;
	}
	spin_unlock_irqrestore(&sas_lock, flags);
	return found;
}

/* Update t's entry if it has one (sigreturn does this often). */
static bool sas_update(struct task_struct *t, const stack_t *ss)
{
	struct sas_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&sas_lock, flags);
	e = sas_find(t);
	if (e) {
		e->sp = ss->ss_sp;
		e->size = ss->ss_size;
	}
	spin_unlock_irqrestore(&sas_lock, flags);
	return e != NULL;
}

int sas_set(struct task_struct *t, const stack_t *ss)
{
	struct sas_entry *e;
	unsigned long flags;

	if (ss->ss_flags & SS_DISABLE) {
		sas_clear(t);
		return 0;
	}
	if (sas_update(t, ss))
		return 0;
	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->task = t;
	e->sp = ss->ss_sp;
	e->size = ss->ss_size;
	/* only t itself (or its creator, before it runs) sets its entry: no race to add twice */
	spin_lock_irqsave(&sas_lock, flags);
	list_add(&e->node, sas_bucket(t));
	spin_unlock_irqrestore(&sas_lock, flags);
	return 0;
}

void sas_clear(struct task_struct *t)
{
	struct sas_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&sas_lock, flags);
	e = sas_find(t);
	if (e)
		list_del(&e->node);
	spin_unlock_irqrestore(&sas_lock, flags);
	kfree(e);
}

void sas_copy(struct task_struct *from, struct task_struct *to)
{
	stack_t ss;

	if (sas_get(from, &ss) && sas_set(to, &ss))
		pr_warn("signal: %s lost its alternate stack in fork (no memory)\n", from->comm);
}

bool on_sig_stack(unsigned long sp)
{
	stack_t ss;

	if (!sas_get(current, &ss))
		return false;
	return sp > ss.ss_sp && sp - ss.ss_sp <= ss.ss_size;
}

int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp)
{
	stack_t cur;
	bool have = sas_get(current, &cur);
	bool on = have && sp > cur.ss_sp && sp - cur.ss_sp <= cur.ss_size;

	if (oss) {
		if (have) {
			*oss = cur;
			oss->ss_flags = on ? SS_ONSTACK : 0;
		} else {
			oss->ss_sp = 0;
			oss->ss_size = 0;
			oss->ss_flags = SS_DISABLE;
		}
	}
	if (!ss)
		return 0;
	/* the stack a handler runs on cannot move under it */
	if (on)
		return -EPERM;
	if (ss->ss_flags != 0 && ss->ss_flags != SS_ONSTACK && ss->ss_flags != SS_DISABLE)
		return -EINVAL;
	if (ss->ss_flags != SS_DISABLE && ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	return sas_set(current, ss);
}

SYSCALL_DEFINE(sigaltstack, const stack_t __user *uss, stack_t __user *uoss)
{
	stack_t ss, oss;
	int ret;

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	ret = do_sigaltstack(uss ? &ss : NULL, uoss ? &oss : NULL, current_pt_regs()->rsp);
	if (ret)
		return ret;
	if (uoss && copy_to_user(uoss, &oss, sizeof(oss)))
		return -EFAULT;
	return 0;
}
