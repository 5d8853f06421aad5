/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_TSC_H
#define _ASM_X86_TSC_H

#include <lego/types.h>

/* TSC ticks per second, set once by time_init() on the boot CPU. */
extern u64 tsc_hz;

/* Convert a TSC tick count to nanoseconds; exact to the calibration, never overflows. */
u64 tsc_cycles_to_ns(u64 cycles);
/* The inverse, for busy-waits and benchmarks that count ticks. */
u64 tsc_ns_to_cycles(u64 ns);

/*
 * TSC ticks over a fixed interval timed by PIT channel 2, polled with
 * interrupts off; returns the TSC frequency in Hz, or 0 if the PIT does
 * not answer. pit_stop() silences channel 0 (the firmware's IRQ 0 tick).
 */
u64 pit_calibrate_tsc(void);
void pit_stop(void);

#endif
