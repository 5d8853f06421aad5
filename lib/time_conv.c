// SPDX-License-Identifier: GPL-2.0
/*
 * Calendar arithmetic for the wall clock (see <lego/time_conv.h>). Only
 * the proleptic Gregorian calendar from 1970 on, in UTC, without leap
 * seconds: what time(2) counts.
 */
#include <lego/errno.h>
#include <lego/time_conv.h>

#define SECS_PER_DAY	86400ULL

/* Days in the months before each month of a common year. */
static const u16 days_before_month[12] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
};

int bcd_decode(u8 v)
{
	u8 hi = v >> 4, lo = v & 0x0f;

	if (hi > 9 || lo > 9)
		return -1;
	return hi * 10 + lo;
}

bool is_leap_year(u32 year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

u32 days_in_month(u32 year, u32 mon)
{
	if (mon < 1 || mon > 12)
		return 0;
	if (mon == 2)
		return is_leap_year(year) ? 29 : 28;
	if (mon == 12)
		return 31;
	return days_before_month[mon] - days_before_month[mon - 1];
}

/* Leap years in [1, year): every 4th, but not centuries unless every 400th. */
static u64 leap_years_before(u32 year)
{
	u64 y = year - 1;

	return y / 4 - y / 100 + y / 400;
}

int date_to_epoch(const struct rtc_date *d, u64 *secs)
{
	u64 days;

	if (d->year < 1970 || d->day < 1 || d->day > days_in_month(d->year, d->mon) ||
	    d->hour > 23 || d->min > 59 || d->sec > 59)
		return -EINVAL;

	days = 365ULL * (d->year - 1970) + leap_years_before(d->year) - leap_years_before(1970);
	days += days_before_month[d->mon - 1];
	if (d->mon > 2 && is_leap_year(d->year))
		days++;
	days += d->day - 1;
	*secs = days * SECS_PER_DAY + d->hour * 3600ULL + d->min * 60ULL + d->sec;
	return 0;
}

/* One field in the clock's encoding; -1 if it is not a number. */
static int rtc_field(u8 v, bool binary)
{
	return binary ? v : bcd_decode(v);
}

/* The hour register: 12-hour mode counts 12, 1, ..., 11 with a PM bit. */
static int rtc_hour(u8 v, u8 status_b)
{
	bool binary = status_b & RTC_B_BINARY;
	bool pm = v & RTC_HOUR_PM;
	int h;

	if (status_b & RTC_B_24H)
		return rtc_field(v, binary);
	h = rtc_field(v & ~RTC_HOUR_PM, binary);
	if (h < 1 || h > 12)
		return -1;
	if (h == 12)
		h = 0;		/* 12 AM is midnight, 12 PM is noon */
	return pm ? h + 12 : h;
}

/*
 * The century register is not standard (ACPI's FADT says where it is, if
 * anywhere): believe it only if it gives a year from 1970 to 2999.
 */
static int rtc_year(int yy, int century)
{
	int year = century * 100 + yy;

	if (century >= 19 && century <= 29 && year >= 1970)
		return year;
	return yy < 70 ? 2000 + yy : 1900 + yy;
}

int rtc_raw_decode(const struct rtc_raw *raw, struct rtc_date *d)
{
	bool binary = raw->status_b & RTC_B_BINARY;
	int sec = rtc_field(raw->sec, binary);
	int min = rtc_field(raw->min, binary);
	int hour = rtc_hour(raw->hour, raw->status_b);
	int day = rtc_field(raw->day, binary);
	int mon = rtc_field(raw->mon, binary);
	int yy = rtc_field(raw->year, binary);
	int century = rtc_field(raw->century, binary);
	u64 unused;

	if (sec < 0 || min < 0 || hour < 0 || day < 0 || mon < 0 || yy < 0 || yy > 99)
		return -EINVAL;
	d->year = rtc_year(yy, century);
	d->mon = mon;
	d->day = day;
	d->hour = hour;
	d->min = min;
	d->sec = sec;
	/* the range checks are date_to_epoch's */
	return date_to_epoch(d, &unused);
}
