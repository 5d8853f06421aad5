/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_TIMER_H
#define _LEGO_TIMER_H

#include <lego/types.h>
#include <lego/list.h>

/*
 * A one-shot callback at a point in monotonic time, run from the timer
 * interrupt with interrupts disabled, at tick resolution.
 */
struct timer_list {
	struct list_head entry;
	u64 expires_ns;
	void (*fn)(struct timer_list *t);
	bool pending;
};

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t));
void mod_timer(struct timer_list *t, u64 expires_ns);
/* Returns true if the timer was pending; it will not run after this returns. */
bool del_timer(struct timer_list *t);
void run_timers(void);

#endif
