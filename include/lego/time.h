/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_TIME_H
#define _LEGO_TIME_H

#include <lego/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/*
 * Monotonic nanoseconds since boot. Reads 0 until the architecture has
 * calibrated a clock source and registered it.
 */
u64 ktime_get_ns(void);
void clock_register(const char *name, u64 (*read_ns)(void));

/* Ticks since boot, incremented CONFIG_HZ times a second by the boot CPU. */
extern volatile u64 jiffies;

/* Busy-wait; for drivers that must wait microseconds, never for sleeping. */
void ndelay(u64 ns);
void udelay(u64 us);
void mdelay(u64 ms);

#endif
