// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 programmable interval timer, used only as a reference to
 * calibrate the TSC: channel 2 counts down once in mode 0 and its output
 * is read back through port 0x61, polled with interrupts off.
 */
#include <lego/kernel.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#define PIT_HZ			1193182ULL
#define PIT_CH0			0x40
#define PIT_CH2			0x42
#define PIT_CMD			0x43
#define PIT_CMD_CH0_MODE0	0x30	/* channel 0, low then high byte, mode 0 */
#define PIT_CMD_CH2_MODE0	0xb0	/* channel 2, low then high byte, mode 0 */

#define PORT_B			0x61
#define PORT_B_GATE2		0x01
#define PORT_B_SPEAKER		0x02
#define PORT_B_OUT2		0x20

#define CALIBRATE_MS		10
#define CALIBRATE_RUNS		5
/* a PIT interval this many times too long (at 20 GHz) means no PIT */
#define MAX_CYCLES_PER_MS	20000000ULL
#define MAX_POLLS		50000000U
/* OUT2 must be seen low a few times, or the port is not a PIT */
#define MIN_POLLS		8U

/* TSC ticks while channel 2 counts 'count' PIT ticks; 0 on failure. */
static u64 pit_measure(u16 count)
{
	u8 portb = inb(PORT_B);
	u64 t0, t1, limit = MAX_CYCLES_PER_MS * CALIBRATE_MS;
	u32 polls = 0;

	/* gate on, speaker off; mode 0 drives OUT2 low until the count ends */
	outb((portb & ~PORT_B_SPEAKER) | PORT_B_GATE2, PORT_B);
	outb(PIT_CMD_CH2_MODE0, PIT_CMD);
	outb(count & 0xff, PIT_CH2);
	outb(count >> 8, PIT_CH2);	/* counting starts with this write */
	t0 = rdtsc();
	do {
		t1 = rdtsc();
		if (++polls > MAX_POLLS || t1 - t0 > limit)
			return 0;
	} while (!(inb(PORT_B) & PORT_B_OUT2));
	outb(portb & ~PORT_B_SPEAKER, PORT_B);
	return polls < MIN_POLLS ? 0 : t1 - t0;
}

u64 pit_calibrate_tsc(void)
{
	u16 count = PIT_HZ * CALIBRATE_MS / 1000;
	u64 m[CALIBRATE_RUNS];

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		u64 v = pit_measure(count);
		int j = i;

		if (!v)
			return 0;
		/* insertion sort: the median ignores runs the host disturbed */
		for (; j > 0 && m[j - 1] > v; j--)
			m[j] = m[j - 1];
		m[j] = v;
	}
	return m[CALIBRATE_RUNS / 2] * PIT_HZ / count;
}

void pit_stop(void)
{
	/* one-shot with the longest count: at most one more IRQ 0, ever */
	outb(PIT_CMD_CH0_MODE0, PIT_CMD);
	outb(0, PIT_CH0);
	outb(0, PIT_CH0);
}
