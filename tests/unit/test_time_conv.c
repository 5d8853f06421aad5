// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for lib/time_conv.c: BCD, leap years, dates to epoch seconds
 * and the CMOS clock's register formats. The expected epochs were
 * computed independently (Python's calendar.timegm).
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/time_conv.h>

#include <stdio.h>
#include <string.h>

#include "host.h"

static u64 epoch_of(u32 year, u32 mon, u32 day, u32 hour, u32 min, u32 sec)
{
	struct rtc_date d = { year, mon, day, hour, min, sec };
	u64 secs = ~0ULL;

	assert_int_equal(date_to_epoch(&d, &secs), 0);
	return secs;
}

static void test_bcd(void **state __unused)
{
	assert_int_equal(bcd_decode(0x00), 0);
	assert_int_equal(bcd_decode(0x09), 9);
	assert_int_equal(bcd_decode(0x10), 10);
	assert_int_equal(bcd_decode(0x59), 59);
	assert_int_equal(bcd_decode(0x99), 99);
	assert_int_equal(bcd_decode(0x0a), -1);
	assert_int_equal(bcd_decode(0xa0), -1);
	assert_int_equal(bcd_decode(0xff), -1);
}

static void test_leap_years(void **state __unused)
{
	assert_false(is_leap_year(1970));
	assert_true(is_leap_year(1972));
	assert_false(is_leap_year(1900));
	assert_true(is_leap_year(2000));
	assert_true(is_leap_year(2024));
	assert_false(is_leap_year(2026));
	assert_false(is_leap_year(2100));
	assert_true(is_leap_year(2400));

	assert_int_equal(days_in_month(2000, 2), 29);
	assert_int_equal(days_in_month(2100, 2), 28);
	assert_int_equal(days_in_month(2026, 1), 31);
	assert_int_equal(days_in_month(2026, 4), 30);
	assert_int_equal(days_in_month(2026, 11), 30);
	assert_int_equal(days_in_month(2026, 12), 31);
	assert_int_equal(days_in_month(2026, 0), 0);
	assert_int_equal(days_in_month(2026, 13), 0);
}

static void test_known_dates(void **state __unused)
{
	assert_int_equal(epoch_of(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(epoch_of(1970, 1, 1, 0, 0, 1), 1);
	assert_int_equal(epoch_of(1972, 3, 1, 0, 0, 0), 68256000);
	assert_int_equal(epoch_of(1999, 12, 31, 23, 59, 59), 946684799);
	assert_int_equal(epoch_of(2000, 2, 29, 0, 0, 0), 951782400);
	assert_int_equal(epoch_of(2000, 2, 29, 23, 59, 59), 951868799);
	assert_int_equal(epoch_of(2024, 2, 29, 12, 30, 45), 1709209845);
	assert_int_equal(epoch_of(2026, 12, 4, 18, 0, 0), 1796407200);
	assert_int_equal(epoch_of(2038, 1, 19, 3, 14, 8), 2147483648ULL);
	assert_int_equal(epoch_of(2099, 12, 31, 23, 59, 59), 4102444799ULL);
	assert_int_equal(epoch_of(2100, 2, 28, 12, 0, 0), 4107499200ULL);
	/* 2100 is not leap: the day after 28 February is 1 March */
	assert_int_equal(epoch_of(2100, 3, 1, 0, 0, 0), 4107542400ULL);
	assert_int_equal(epoch_of(2400, 2, 29, 0, 0, 0), 13574563200ULL);
}

static void test_invalid_dates(void **state __unused)
{
	static const struct rtc_date bad[] = {
		{ 1969, 12, 31, 23, 59, 59 },
		{ 2100, 2, 29, 0, 0, 0 },	/* not a leap year */
		{ 2026, 2, 29, 0, 0, 0 },
		{ 2026, 4, 31, 0, 0, 0 },
		{ 2026, 0, 1, 0, 0, 0 },
		{ 2026, 13, 1, 0, 0, 0 },
		{ 2026, 1, 0, 0, 0, 0 },
		{ 2026, 1, 1, 24, 0, 0 },
		{ 2026, 1, 1, 0, 60, 0 },
		{ 2026, 1, 1, 0, 0, 60 },
	};
	u64 secs = 12345;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(date_to_epoch(&bad[i], &secs), -EINVAL);
		assert_int_equal(secs, 12345);
	}
}

/* Every day from 1970 to 2401 is exactly one day after the one before. */
static void test_consecutive_days(void **state __unused)
{
	u64 prev = epoch_of(1970, 1, 1, 0, 0, 0);
	u32 year, mon, day, ndays = 0;

	for (year = 1970; year <= 2400; year++) {
		for (mon = 1; mon <= 12; mon++) {
			for (day = 1; day <= days_in_month(year, mon); day++) {
				u64 now = epoch_of(year, mon, day, 0, 0, 0);

				if (ndays++)
					assert_int_equal(now - prev, 86400);
				prev = now;
			}
		}
	}
	/* 431 years, 105 of them leap (1972..2400 every 4th, minus 2100, 2200, 2300) */
	assert_int_equal(ndays, 431 * 365 + 105);
}

static void decode_ok(const struct rtc_raw *raw, u64 expect)
{
	struct rtc_date d;
	u64 secs;

	assert_int_equal(rtc_raw_decode(raw, &d), 0);
	assert_int_equal(date_to_epoch(&d, &secs), 0);
	assert_int_equal(secs, expect);
}

static void test_rtc_bcd_24h(void **state __unused)
{
	/* 2026-12-04 18:00:00, as QEMU presents it by default */
	struct rtc_raw raw = { .sec = 0x00, .min = 0x00, .hour = 0x18, .day = 0x04,
			       .mon = 0x12, .year = 0x26, .century = 0x20,
			       .status_b = RTC_B_24H };

	decode_ok(&raw, 1796407200);
	/* no century register: 26 means 2026 */
	raw.century = 0;
	decode_ok(&raw, 1796407200);
	/* a nonsense century is not believed either */
	raw.century = 0x45;
	decode_ok(&raw, 1796407200);
}

static void test_rtc_binary(void **state __unused)
{
	struct rtc_raw raw = { .sec = 59, .min = 59, .hour = 23, .day = 29, .mon = 2,
			       .year = 0, .century = 20, .status_b = RTC_B_24H | RTC_B_BINARY };

	decode_ok(&raw, 951868799);	/* 2000-02-29 23:59:59 */
	raw.year = 99;
	raw.century = 19;
	raw.mon = 12;
	raw.day = 31;
	decode_ok(&raw, 946684799);	/* 1999-12-31 23:59:59 */
}

static void test_rtc_12h(void **state __unused)
{
	struct rtc_raw raw = { .sec = 0x00, .min = 0x00, .hour = 0x12, .day = 0x04,
			       .mon = 0x12, .year = 0x26, .century = 0x20, .status_b = 0 };
	const u64 midnight = 1796407200 - 18 * 3600;

	decode_ok(&raw, midnight);			/* 12 AM */
	raw.hour = 0x01;
	decode_ok(&raw, midnight + 3600);		/* 1 AM */
	raw.hour = 0x12 | RTC_HOUR_PM;
	decode_ok(&raw, midnight + 12 * 3600);		/* 12 PM: noon */
	raw.hour = 0x06 | RTC_HOUR_PM;
	decode_ok(&raw, 1796407200);			/* 6 PM */
	raw.hour = 0x11 | RTC_HOUR_PM;
	decode_ok(&raw, midnight + 23 * 3600);		/* 11 PM */

	/* binary 12-hour */
	raw.status_b = RTC_B_BINARY;
	raw.day = 4;
	raw.mon = 12;
	raw.year = 26;
	raw.century = 20;
	raw.hour = 6 | RTC_HOUR_PM;
	decode_ok(&raw, 1796407200);
}

static void test_rtc_garbage(void **state __unused)
{
	struct rtc_date d;
	/* what reading a missing CMOS clock gives */
	struct rtc_raw none = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct rtc_raw raw = { .sec = 0x00, .min = 0x00, .hour = 0x18, .day = 0x04,
			       .mon = 0x12, .year = 0x26, .century = 0x20,
			       .status_b = RTC_B_24H };

	assert_int_equal(rtc_raw_decode(&none, &d), -EINVAL);
	raw.min = 0x5a;			/* not BCD */
	assert_int_equal(rtc_raw_decode(&raw, &d), -EINVAL);
	raw.min = 0x60;			/* minute 60 */
	assert_int_equal(rtc_raw_decode(&raw, &d), -EINVAL);
	raw.min = 0;
	raw.status_b = 0;
	raw.hour = 0x13;		/* no 13 o'clock in 12-hour mode */
	assert_int_equal(rtc_raw_decode(&raw, &d), -EINVAL);
	raw.hour = 0x00;
	assert_int_equal(rtc_raw_decode(&raw, &d), -EINVAL);
	raw.hour = 0x06;
	raw.day = 0x31;
	raw.mon = 0x11;			/* 31 November */
	assert_int_equal(rtc_raw_decode(&raw, &d), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_known_dates),
		cmocka_unit_test(test_invalid_dates),
		cmocka_unit_test(test_consecutive_days),
		cmocka_unit_test(test_rtc_bcd_24h),
		cmocka_unit_test(test_rtc_binary),
		cmocka_unit_test(test_rtc_12h),
		cmocka_unit_test(test_rtc_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
