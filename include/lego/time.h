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
/*
 * Calibrate and register the clock, and start the periodic tick on the
 * boot CPU (interrupts still off); each other CPU starts its own tick.
 */
void time_init(void);

/* Ticks since boot (CONFIG_HZ a second), updated by the boot CPU's tick. */
extern volatile u64 jiffies;

/* Busy-wait; for drivers that must wait microseconds, never for sleeping. */
void ndelay(u64 ns);
void udelay(u64 us);
void mdelay(u64 ms);

#endif
