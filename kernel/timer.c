// SPDX-License-Identifier: GPL-2.0
/*
 * One-shot timers on a list sorted by expiry, run by CPU 0's tick.
 */
#include <lego/kernel.h>
#include <lego/spinlock.h>
#include <lego/time.h>
#include <lego/timer.h>
#include <lego/smp.h>
#include <asm/processor.h>

static LIST_HEAD(timers);
static DEFINE_SPINLOCK(timer_lock);
static struct timer_list *running_timer;

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t))
{
	INIT_LIST_HEAD(&t->entry);
	t->fn = fn;
	t->pending = false;
}

static void timer_unlink(struct timer_list *t)
{
	list_del(&t->entry);
	t->pending = false;
}

void mod_timer(struct timer_list *t, u64 expires_ns)
{
	struct timer_list *pos;
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);
	if (t->pending)
		timer_unlink(t);
	t->expires_ns = expires_ns;
	list_for_each_entry(pos, &timers, entry)
		if (pos->expires_ns > expires_ns)
			break;
	list_add_tail(&t->entry, &pos->entry);	/* before pos: keeps order */
	t->pending = true;
	spin_unlock_irqrestore(&timer_lock, flags);
}

bool del_timer(struct timer_list *t)
{
	unsigned long flags;
	bool was_pending;

	spin_lock_irqsave(&timer_lock, flags);
	was_pending = t->pending;
	if (was_pending)
		timer_unlink(t);
	spin_unlock_irqrestore(&timer_lock, flags);
	/*
	 * Its callback may be running on CPU 0 right now: wait it out. On
	 * CPU 0 itself it cannot be, unless we are that callback.
	 */
	while (smp_processor_id() != 0 && READ_ONCE(running_timer) == t)
		cpu_relax();
	return was_pending;
}

void run_timers(void)
{
	u64 now = ktime_get_ns();

	spin_lock(&timer_lock);
	while (!list_empty(&timers)) {
		struct timer_list *t = list_first_entry(&timers, struct timer_list, entry);

		if (t->expires_ns > now)
			break;
		timer_unlink(t);
		WRITE_ONCE(running_timer, t);
		spin_unlock(&timer_lock);
		t->fn(t);
		spin_lock(&timer_lock);
		WRITE_ONCE(running_timer, NULL);
	}
	spin_unlock(&timer_lock);
}
