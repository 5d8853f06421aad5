// SPDX-License-Identifier: GPL-2.0
/*
 * The CMOS real-time clock (the MC146818 of the PC/AT and what emulates
 * it): read once, to learn the wall-clock time. It is never written, so
 * a clock_settime lasts until the next boot. The clock is assumed to keep
 * UTC, as QEMU's does by default.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/time_conv.h>
#include <lego/timekeeping.h>
#include <asm/io.h>

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71

#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_STATUS_A	0x0a
#define RTC_STATUS_B	0x0b
/* Not standard: where the PC BIOS and QEMU keep it (ACPI's FADT would say). */
#define RTC_CENTURY	0x32

#define RTC_A_UIP	0x80	/* an update of the time registers is about to happen */

/* An update cycle takes under 2 ms; 20 ms means there is no working clock. */
#define UIP_WAIT_US	20000
#define UIP_POLL_US	10
#define READ_TRIES	10

/* The index and data ports are one register pair: never interleave users. */
static DEFINE_SPINLOCK(cmos_lock);

static u8 cmos_read(u8 reg)
{
	outb(reg, CMOS_INDEX);
	return inb(CMOS_DATA);
}

/* While UIP is set the time registers may change under us. */
static bool cmos_wait_update(void)
{
	int waited;

	for (waited = 0; waited < UIP_WAIT_US; waited += UIP_POLL_US) {
		if (!(cmos_read(RTC_STATUS_A) & RTC_A_UIP))
			return true;
		udelay(UIP_POLL_US);
	}
	return false;
}

static void cmos_read_time(struct rtc_raw *raw)
{
	raw->sec = cmos_read(RTC_SECONDS);
	raw->min = cmos_read(RTC_MINUTES);
	raw->hour = cmos_read(RTC_HOURS);
	raw->day = cmos_read(RTC_DAY);
	raw->mon = cmos_read(RTC_MONTH);
	raw->year = cmos_read(RTC_YEAR);
	raw->century = cmos_read(RTC_CENTURY);
	raw->status_b = cmos_read(RTC_STATUS_B);
}

/*
 * An update may still start between the UIP check and the last register
 * read (UIP only warns 244 us ahead): two identical reads in a row are
 * one consistent time.
 */
static int cmos_read_stable(struct rtc_raw *raw)
{
	struct rtc_raw prev;
	int i;

	if (!cmos_wait_update())
		return -ETIMEDOUT;
	cmos_read_time(&prev);
	for (i = 0; i < READ_TRIES; i++) {
		if (!cmos_wait_update())
			return -ETIMEDOUT;
		cmos_read_time(raw);
		if (!memcmp(raw, &prev, sizeof(prev)))
			return 0;
		prev = *raw;
	}
	return -EIO;
}

u64 rtc_read_epoch(void)
{
	struct rtc_date d;
	struct rtc_raw raw;
	unsigned long flags;
	u64 secs;
	int err;

	spin_lock_irqsave(&cmos_lock, flags);
	err = cmos_read_stable(&raw);
	spin_unlock_irqrestore(&cmos_lock, flags);

	if (!err)
		err = rtc_raw_decode(&raw, &d);
	if (!err)
		err = date_to_epoch(&d, &secs);
	if (err) {
		pr_warn("rtc: no usable CMOS clock (error %d); the time starts at 1970\n", err);
		return 0;
	}
	pr_info("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n",
		d.year, d.mon, d.day, d.hour, d.min, d.sec);
	return secs;
}
