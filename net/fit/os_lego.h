/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NET_FIT_OS_LEGO_H
#define _NET_FIT_OS_LEGO_H

/*
 * The LegoOS environment of the portable FIT core (see core/fit_os.h).
 * The core lock is a spinlock: kmalloc, kfree and complete() never sleep
 * here, and the core never sends with it held.
 */
#include <lego/types.h>
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <lego/completion.h>
#include <lego/time.h>

struct fit_os_lock {
	spinlock_t lock;
};

static inline void fit_os_lock_init(struct fit_os_lock *l)
{
	spin_lock_init(&l->lock);
}

static inline void fit_os_lock(struct fit_os_lock *l)
{
	spin_lock(&l->lock);
}

static inline void fit_os_unlock(struct fit_os_lock *l)
{
	spin_unlock(&l->lock);
}

struct fit_os_event {
	struct completion done;
};

static inline void fit_os_event_init(struct fit_os_event *e)
{
	init_completion(&e->done);
}

static inline void fit_os_event_signal(struct fit_os_event *e)
{
	complete(&e->done);
}

static inline void fit_os_event_wait(struct fit_os_event *e, u64 timeout_ns)
{
	wait_for_completion_timeout(&e->done, timeout_ns);
}

static inline void fit_os_event_destroy(struct fit_os_event *e)
{
}

static inline u64 fit_os_now_ns(void)
{
	return ktime_get_ns();
}

static inline void *fit_os_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
}

static inline void fit_os_free(void *p)
{
	kfree(p);
}

#define fit_pr_err(fmt, ...)	pr_err(fmt, ##__VA_ARGS__)
#define fit_pr_warn(fmt, ...)	pr_warn(fmt, ##__VA_ARGS__)
#define fit_pr_info(fmt, ...)	pr_info(fmt, ##__VA_ARGS__)
#define fit_pr_debug(fmt, ...)	pr_debug(fmt, ##__VA_ARGS__)

#endif
