/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNIT_FIT_OS_HOST_H
#define _UNIT_FIT_OS_HOST_H

/*
 * The host environment of the portable FIT core (net/fit/core/fit_os.h)
 * for the unit tests: pthreads, malloc, and a clock that is either the
 * real monotonic one or a fake one the test moves (fit_host_fake_clock).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lego/types.h>

struct fit_os_lock {
	pthread_mutex_t m;
};

struct fit_os_event {
	pthread_mutex_t m;
	pthread_cond_t c;
	bool signalled;
};

void fit_os_lock_init(struct fit_os_lock *l);
void fit_os_lock(struct fit_os_lock *l);
void fit_os_unlock(struct fit_os_lock *l);
void fit_os_event_init(struct fit_os_event *e);
void fit_os_event_signal(struct fit_os_event *e);
void fit_os_event_wait(struct fit_os_event *e, u64 timeout_ns);
void fit_os_event_destroy(struct fit_os_event *e);
u64 fit_os_now_ns(void);
void *fit_os_alloc(size_t size);
void fit_os_free(void *p);

/* Test controls. */
extern bool fit_host_fake_clock;	/* fit_os_now_ns() returns fit_host_now */
extern u64 fit_host_now;
extern long fit_host_alloc_fail_after;	/* >= 0: that many allocations succeed, then fail */
extern long fit_host_allocs;		/* outstanding allocations (leak check) */
extern bool fit_host_verbose;

#define fit_host_log(fmt, ...) \
	do { if (fit_host_verbose || getenv("UNIT_VERBOSE")) printf(fmt, ##__VA_ARGS__); } while (0)
#define fit_pr_err(fmt, ...)	fit_host_log(fmt, ##__VA_ARGS__)
#define fit_pr_warn(fmt, ...)	fit_host_log(fmt, ##__VA_ARGS__)
#define fit_pr_info(fmt, ...)	fit_host_log(fmt, ##__VA_ARGS__)
#define fit_pr_debug(fmt, ...)	fit_host_log(fmt, ##__VA_ARGS__)

#endif
