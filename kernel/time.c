// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's notion of time: one monotonic nanosecond clock registered by
 * the architecture (the TSC on x86), and the tick counter.
 */
#include <lego/time.h>
#include <lego/printk.h>
#include <asm/processor.h>

static u64 (*clock_read)(void);
volatile u64 jiffies;

u64 ktime_get_ns(void)
{
	return clock_read ? clock_read() : 0;
}

void clock_register(const char *name, u64 (*read_ns)(void))
{
	clock_read = read_ns;
	pr_info("time: clock source %s\n", name);
}

void ndelay(u64 ns)
{
	u64 end;

	if (!clock_read) {
		/* no clock yet: about a microsecond per I/O port read */
		for (u64 i = 0; i < ns / 1000 + 1; i++)
			__asm__ __volatile__("inb $0x80, %%al" : : : "al");
		return;
	}
	end = clock_read() + ns;
	while (clock_read() < end)
		cpu_relax();
}

void udelay(u64 us)
{
	ndelay(us * NSEC_PER_USEC);
}

void mdelay(u64 ms)
{
	ndelay(ms * NSEC_PER_MSEC);
}
