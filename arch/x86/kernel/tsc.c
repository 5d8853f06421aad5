// SPDX-License-Identifier: GPL-2.0
/*
 * Time on x86: the TSC, calibrated against the PIT, is the monotonic
 * nanosecond clock; the local APIC timer, calibrated against the TSC,
 * gives every CPU its CONFIG_HZ tick.
 *
 * Cycles become nanoseconds as (cycles * mult) >> 32 with a 128-bit
 * product, so the conversion neither overflows nor loses precision
 * however long the machine runs.
 */
#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/time.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#define TSC_SHIFT	32

u64 tsc_hz;
static u64 ns_mult;		/* ns per cycle, << TSC_SHIFT */
static u64 cyc_mult;		/* cycles per ns, << TSC_SHIFT */
static u64 tsc_base;		/* the TSC when time began */

u64 tsc_cycles_to_ns(u64 cycles)
{
	return ((unsigned __int128)cycles * ns_mult) >> TSC_SHIFT;
}

u64 tsc_ns_to_cycles(u64 ns)
{
	return ((unsigned __int128)ns * cyc_mult) >> TSC_SHIFT;
}

static u64 tsc_read_ns(void)
{
	u64 now = rdtsc();

	/* another CPU's TSC may trail the boot CPU's by a few cycles */
	return now > tsc_base ? tsc_cycles_to_ns(now - tsc_base) : 0;
}

/* CPUID leaves 0x15 (crystal ratio) and 0x16 (base MHz), when the PIT fails. */
static u64 cpuid_tsc_hz(void)
{
	u32 max, a, b, c, d;

	cpuid(0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, &a, &b, &c, &d);
		if (a && b && c)
			return (u64)c * b / a;
	}
	if (max >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);
		if (a & 0xffff)
			return (u64)(a & 0xffff) * 1000000;
	}
	return 0;
}

static void tsc_init(void)
{
	const char *how = "PIT";

	tsc_base = rdtsc();
	tsc_hz = pit_calibrate_tsc();
	if (!tsc_hz) {
		how = "CPUID";
		tsc_hz = cpuid_tsc_hz();
	}
	if (!tsc_hz) {
		pr_err("time: cannot measure the TSC: assuming 1 GHz\n");
		how = "guessed";
		tsc_hz = 1000000000;
	}
	pit_stop();

	ns_mult = (NSEC_PER_SEC << TSC_SHIFT) / tsc_hz;
	/* (tsc_hz << 32) / 1e9 without a 128-bit division */
	cyc_mult = ((tsc_hz / NSEC_PER_SEC) << TSC_SHIFT) +
		   ((tsc_hz % NSEC_PER_SEC) << TSC_SHIFT) / NSEC_PER_SEC;
	pr_info("time: tsc calibrated by %s\n", how);
	clock_register("tsc", tsc_read_ns);
}

void time_init(void)
{
	tsc_init();
	lapic_timer_calibrate();
	lapic_timer_start();
	pr_info("time: tsc %llu.%03llu MHz, lapic timer %llu Hz, HZ=%d\n",
		tsc_hz / 1000000, tsc_hz / 1000 % 1000, lapic_timer_hz(), CONFIG_HZ);
}
