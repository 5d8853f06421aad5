/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_TIME_CONV_H
#define _LEGO_TIME_CONV_H

/*
 * Calendar arithmetic for the wall clock: BCD, leap years, a UTC date to
 * seconds since 1970, and the CMOS clock's register formats. No hardware
 * and no locks: lib/time_conv.c also builds into the host unit tests.
 */
#include <lego/types.h>

/* A UTC calendar date and time of day, every field in its natural range. */
struct rtc_date {
	u32 year;	/* 1970.. */
	u32 mon;	/* 1..12 */
	u32 day;	/* 1..31 */
	u32 hour;	/* 0..23 */
	u32 min;	/* 0..59 */
	u32 sec;	/* 0..59 */
};

/* The CMOS clock's registers as read, before any decoding. */
struct rtc_raw {
	u8 sec, min, hour, day, mon, year;
	u8 century;	/* 0 if the clock has none */
	u8 status_b;	/* RTC_B_*: says how the others are encoded */
};

#define RTC_B_24H	0x02	/* hours 0..23; else 1..12 with RTC_HOUR_PM */
#define RTC_B_BINARY	0x04	/* fields are binary; else BCD */
#define RTC_HOUR_PM	0x80	/* in the hour register, 12-hour mode */

/* 0x00..0x99 in BCD to 0..99; -1 if a nibble is not a decimal digit. */
int bcd_decode(u8 v);
bool is_leap_year(u32 year);
/* 28..31; 0 for a month outside 1..12. */
u32 days_in_month(u32 year, u32 mon);

/* Seconds since 1970-01-01 00:00:00 UTC, or -EINVAL for an impossible date. */
int date_to_epoch(const struct rtc_date *d, u64 *secs);

/*
 * Decode the registers per status_b (BCD or binary, 12 or 24 hours). The
 * year comes from the century register if it looks sane, else 20yy for
 * yy < 70 and 19yy otherwise. -EINVAL if the result is not a valid date
 * from 1970 on (an absent or broken clock reads 0xff everywhere).
 */
int rtc_raw_decode(const struct rtc_raw *raw, struct rtc_date *d);

#endif
