// SPDX-License-Identifier: GPL-2.0
/*
 * Wait queues, completions and timed sleeps.
 */
#include <lego/completion.h>
#include <lego/sched.h>
#include <lego/time.h>
#include <lego/timer.h>
#include <lego/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, long state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	/* w starts unlinked (WAIT_ENTRY_INIT) and stays queued until finish_wait */
	if (list_empty(&w->entry)) {
		w->task = current;
		list_add_tail(&w->entry, &wq->head);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	spin_lock_irqsave(&wq->lock, flags);
	list_del(&w->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Wakes every waiter; each re-checks its own condition. */
void wake_up(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry(w, &wq->head, entry)
		wake_up_process(w->task);
	spin_unlock_irqrestore(&wq->lock, flags);
}

struct sleeper {
	struct timer_list timer;
	struct task_struct *task;
};

static void sleeper_wake(struct timer_list *t)
{
	struct sleeper *s = container_of(t, struct sleeper, timer);

	wake_up_process(s->task);
}

/* The caller sets its state first; a wake_up before we sleep just makes this return early. */
u64 schedule_timeout(u64 timeout_ns)
{
	struct sleeper s = { .task = current };
	u64 start = ktime_get_ns(), end = start + timeout_ns, now;

	timer_setup(&s.timer, sleeper_wake);
	mod_timer(&s.timer, end);
	schedule();
	del_timer(&s.timer);
	now = ktime_get_ns();
	return now >= end ? 0 : end - now;
}

void msleep(unsigned int ms)
{
	u64 left = (u64)ms * NSEC_PER_MSEC;

	while (left) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		left = schedule_timeout(left);
	}
}

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

void complete(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done != ~0U)
		c->done++;
	spin_unlock_irqrestore(&c->wait.lock, flags);
	wake_up(&c->wait);
}

void complete_all(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	c->done = ~0U;
	spin_unlock_irqrestore(&c->wait.lock, flags);
	wake_up(&c->wait);
}

/* Consume one completion if there is one. */
static bool try_take(struct completion *c)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done) {
		if (c->done != ~0U)
			c->done--;
		ok = true;
	}
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return ok;
}

void wait_for_completion(struct completion *c)
{
	wait_event(c->wait, try_take(c));
}

u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns)
{
	return wait_event_timeout(c->wait, try_take(c), timeout_ns);
}
