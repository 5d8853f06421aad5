/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_WAIT_H
#define _LEGO_WAIT_H

#include <lego/list.h>
#include <lego/spinlock.h>
#include <lego/sched.h>

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

#define WAIT_ENTRY_INIT(name) { NULL, LIST_HEAD_INIT((name).entry) }
#define WAIT_QUEUE_HEAD_INIT(name) { SPINLOCK_INIT, LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)

void init_waitqueue_head(struct wait_queue_head *wq);
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, long state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
void wake_up(struct wait_queue_head *wq);

/*
 * Sleep until cond is true. The condition is re-checked after queueing, so
 * a wake_up between the check and the sleep is never lost.
 */
#define wait_event(wq, cond)						\
do {									\
	struct wait_queue_entry __w = WAIT_ENTRY_INIT(__w);		\
	for (;;) {							\
		prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);	\
		if (cond)						\
			break;						\
		schedule();						\
	}								\
	finish_wait(&(wq), &__w);					\
} while (0)

/* As wait_event, for at most timeout_ns; evaluates to the time left, 0 if it expired. */
#define wait_event_timeout(wq, cond, timeout_ns)			\
({									\
	struct wait_queue_entry __w = WAIT_ENTRY_INIT(__w);		\
	u64 __left = (timeout_ns);					\
	for (;;) {							\
		prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);	\
		if (cond) {						\
			if (!__left)					\
				__left = 1;				\
			break;						\
		}							\
		if (!__left)						\
			break;						\
		__left = schedule_timeout(__left);			\
	}								\
	finish_wait(&(wq), &__w);					\
	__left;								\
})

/*
 * Sleep until cond or a signal: 0, or -ERESTARTSYS if a signal is pending
 * (the caller includes <lego/signal.h>, which says what is pending).
 */
#define wait_event_interruptible(wq, cond)				\
({									\
	struct wait_queue_entry __w = WAIT_ENTRY_INIT(__w);		\
	int __ret = 0;							\
	for (;;) {							\
		prepare_to_wait(&(wq), &__w, TASK_INTERRUPTIBLE);	\
		if (cond)						\
			break;						\
		if (signal_pending(current)) {				\
			__ret = -ERESTARTSYS;				\
			break;						\
		}							\
		schedule();						\
	}								\
	finish_wait(&(wq), &__w);					\
	__ret;								\
})

/* As above with a timeout: the time left (>0), 0 on timeout, or -ERESTARTSYS. */
#define wait_event_interruptible_timeout(wq, cond, timeout_ns)		\
({									\
	struct wait_queue_entry __w = WAIT_ENTRY_INIT(__w);		\
	s64 __left = (timeout_ns);					\
	for (;;) {							\
		prepare_to_wait(&(wq), &__w, TASK_INTERRUPTIBLE);	\
		if (cond) {						\
			if (!__left)					\
				__left = 1;				\
			break;						\
		}							\
		if (signal_pending(current)) {				\
			__left = -ERESTARTSYS;				\
			break;						\
		}							\
		if (!__left)						\
			break;						\
		__left = schedule_timeout(__left);			\
	}								\
	finish_wait(&(wq), &__w);					\
	__left;								\
})

#endif
