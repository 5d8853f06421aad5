/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _FIT_OS_LINUX_H
#define _FIT_OS_LINUX_H

/*
 * The environment of the portable FIT core (net/fit/core/fit_os.h) inside
 * the Linux module lego_fit.ko. Every core entry point is called from
 * process context (kthreads and writers of /proc/lego_fit/), so the core
 * lock is a mutex and allocations may sleep.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/jiffies.h>
#include <linux/printk.h>

struct fit_os_lock {
	struct mutex mutex;
};

static inline void fit_os_lock_init(struct fit_os_lock *l)
{
	mutex_init(&l->mutex);
}

static inline void fit_os_lock(struct fit_os_lock *l)
{
	mutex_lock(&l->mutex);
}

static inline void fit_os_unlock(struct fit_os_lock *l)
{
	mutex_unlock(&l->mutex);
}

struct fit_os_event {
	wait_queue_head_t wq;
	atomic_t signalled;
};

static inline void fit_os_event_init(struct fit_os_event *e)
{
	init_waitqueue_head(&e->wq);
	atomic_set(&e->signalled, 0);
}

static inline void fit_os_event_signal(struct fit_os_event *e)
{
	atomic_set(&e->signalled, 1);
	wake_up(&e->wq);
}

/* Longest single sleep; the core waits again if it needs to. */
#define FIT_OS_MAX_WAIT_NS	(10ULL * NSEC_PER_SEC)

static inline void fit_os_event_wait(struct fit_os_event *e, u64 timeout_ns)
{
	unsigned long timeout;

	if (timeout_ns > FIT_OS_MAX_WAIT_NS)
		timeout_ns = FIT_OS_MAX_WAIT_NS;
	timeout = nsecs_to_jiffies(timeout_ns) + 1;
	wait_event_idle_timeout(e->wq, atomic_xchg(&e->signalled, 0), timeout);
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
	return kvmalloc(size, GFP_KERNEL);
}

static inline void fit_os_free(void *p)
{
	kvfree(p);
}

#define fit_pr_err(fmt, ...)	pr_err("lego_fit: " fmt, ##__VA_ARGS__)
#define fit_pr_warn(fmt, ...)	pr_warn("lego_fit: " fmt, ##__VA_ARGS__)
#define fit_pr_info(fmt, ...)	pr_info("lego_fit: " fmt, ##__VA_ARGS__)
#define fit_pr_debug(fmt, ...)	pr_debug("lego_fit: " fmt, ##__VA_ARGS__)

#endif
