// SPDX-License-Identifier: GPL-2.0
/*
 * Sleeping mutexes with direct hand-off to the first waiter.
 */
#include <lego/mutex.h>
#include <lego/panic.h>
#include <lego/sched.h>

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
};

void mutex_init(struct mutex *m)
{
	spin_lock_init(&m->wait_lock);
	m->owner = NULL;
	INIT_LIST_HEAD(&m->waiters);
}

void mutex_lock(struct mutex *m)
{
	struct mutex_waiter w = { .task = current };
	unsigned long flags;

	spin_lock_irqsave(&m->wait_lock, flags);
	if (!m->owner) {
		m->owner = current;
		spin_unlock_irqrestore(&m->wait_lock, flags);
		return;
	}
	if (m->owner == current)
		panic("mutex: %s locks a mutex it already holds", current->comm);
	list_add_tail(&w.list, &m->waiters);
	while (m->owner != current) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock_irqrestore(&m->wait_lock, flags);
		schedule();
		spin_lock_irqsave(&m->wait_lock, flags);
	}
	set_current_state(TASK_RUNNING);
	list_del(&w.list);
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&m->wait_lock, flags);
	if (!m->owner) {
		m->owner = current;
		ok = true;
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
	return ok;
}

void mutex_unlock(struct mutex *m)
{
	struct mutex_waiter *w;
	unsigned long flags;

	spin_lock_irqsave(&m->wait_lock, flags);
	if (m->owner != current)
		panic("mutex: %s unlocks a mutex it does not hold", current->comm);
	if (list_empty(&m->waiters)) {
		m->owner = NULL;
	} else {
		w = list_first_entry(&m->waiters, struct mutex_waiter, list);
		m->owner = w->task;
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != NULL;
}
