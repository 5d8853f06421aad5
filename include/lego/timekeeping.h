/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_TIMEKEEPING_H
#define _LEGO_TIMEKEEPING_H

/*
 * Wall-clock time for user processes: the CMOS RTC read once (on first
 * use) plus the monotonic clock since then, and conversions between
 * nanoseconds and the user's timespec/timeval. kernel/time_syscalls.c,
 * arch/x86/kernel/rtc.c.
 */
#include <lego/types.h>
#include <lego/errno.h>
#include <lego/time.h>
#include <uapi/lego/time.h>

/* Seconds since 1970-01-01 UTC from the CMOS clock (slow: port I/O). */
u64 rtc_read_epoch(void);

/* Nanoseconds since 1970-01-01 UTC. */
u64 ktime_get_real_ns(void);
/* ktime_get_real_ns() - ktime_get_ns(): converts a wall time to monotonic. */
u64 ktime_real_offset_ns(void);

/* The longest sleep the timers take (100 years): "forever" without overflow. */
#define SLEEP_FOREVER_NS	(100ULL * 365 * 24 * 3600 * NSEC_PER_SEC)

/* A valid timespec (0 <= tv_nsec < 1e9, tv_sec >= 0) to ns; -EINVAL otherwise. */
static inline int timespec_to_ns(const struct timespec_abi *ts, u64 *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	/* beyond ~292 years: saturate, a sleep that long never ends anyway */
	if ((u64)ts->tv_sec >= ~0ULL / NSEC_PER_SEC)
		*ns = ~0ULL;
	else
		*ns = (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
	return 0;
}

static inline struct timespec_abi ns_to_timespec(u64 ns)
{
	struct timespec_abi ts = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };

	return ts;
}

static inline struct timeval_abi ns_to_timeval(u64 ns)
{
	struct timeval_abi tv = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };

	return tv;
}

/*
 * Sleep interruptibly until the monotonic time deadline_ns: 0 when it has
 * passed, -EINTR if a signal came first (the caller decides how the call
 * restarts). kernel/time_syscalls.c.
 */
int sleep_until_ns(u64 deadline_ns);

#endif
