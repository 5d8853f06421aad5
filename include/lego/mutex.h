/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_MUTEX_H
#define _LEGO_MUTEX_H

#include <lego/list.h>
#include <lego/spinlock.h>

struct task_struct;

/*
 * A sleeping lock. Unlock hands ownership straight to the longest waiter,
 * so a thread that keeps re-locking cannot starve the others.
 */
struct mutex {
	spinlock_t wait_lock;
	struct task_struct *owner;
	struct list_head waiters;
};

#define MUTEX_INIT(name) { SPINLOCK_INIT, NULL, LIST_HEAD_INIT((name).waiters) }
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT(name)

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);

#endif
