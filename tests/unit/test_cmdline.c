// SPDX-License-Identifier: GPL-2.0
/* Unit tests for lib/cmdline.c: the kernel command-line parser. */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/errno.h>

#include <stdio.h>

#include "host.h"

static void test_key_values_and_flags(void **state __unused)
{
	unsigned long n;

	assert_int_equal(cmdline_parse("loglevel=7 quiet excache=64M a=b=c"), 0);
	assert_string_equal(cmdline_get("loglevel"), "7");
	assert_string_equal(cmdline_get("quiet"), "");
	assert_true(cmdline_has("quiet"));
	assert_false(cmdline_has("loud"));
	assert_null(cmdline_get("loud"));
	assert_string_equal(cmdline_get("a"), "b=c");
	assert_int_equal(cmdline_get_ulong("loglevel", &n), 0);
	assert_int_equal(n, 7);
	assert_string_equal(cmdline_raw(), "loglevel=7 quiet excache=64M a=b=c");
}

static void test_later_word_wins(void **state __unused)
{
	assert_int_equal(cmdline_parse("x=1 y=2 x=3"), 0);
	assert_string_equal(cmdline_get("x"), "3");
	assert_string_equal(cmdline_get("y"), "2");
}

static void test_quotes_and_spaces(void **state __unused)
{
	assert_int_equal(cmdline_parse("  init=\"/bin/sh -c 'echo hi'\"\tk=v  "), 0);
	assert_string_equal(cmdline_get("init"), "/bin/sh -c 'echo hi'");
	assert_string_equal(cmdline_get("k"), "v");
	/* an unterminated quote is reported, and what parsed is kept */
	assert_int_equal(cmdline_parse("a=1 b=\"open"), -EINVAL);
	assert_string_equal(cmdline_get("a"), "1");
	assert_string_equal(cmdline_get("b"), "open");
}

static void test_rest_after_double_dash(void **state __unused)
{
	assert_int_equal(cmdline_parse("a=1 --  prog arg1 x=2"), 0);
	assert_string_equal(cmdline_get("a"), "1");
	assert_null(cmdline_get("x"));
	assert_string_equal(cmdline_rest(), "prog arg1 x=2");
	assert_int_equal(cmdline_parse("a=1"), 0);
	assert_string_equal(cmdline_rest(), "");
}

static void test_sizes(void **state __unused)
{
	u64 v;

	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64K", &v), 0);
	assert_int_equal(v, 64 << 10);
	assert_int_equal(parse_size("64M", &v), 0);
	assert_int_equal(v, 64 << 20);
	assert_int_equal(parse_size("2g", &v), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(parse_size("128MB", &v), 0);
	assert_int_equal(v, 128ULL << 20);
	assert_int_equal(parse_size("0x1000", &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(parse_size("", &v), -EINVAL);
	assert_int_equal(parse_size("M", &v), -EINVAL);
	assert_int_equal(parse_size("12Q", &v), -EINVAL);
	assert_int_equal(parse_size("64MM", &v), -EINVAL);
	assert_int_equal(parse_size("99999999999999999G", &v), -ERANGE);

	assert_int_equal(cmdline_parse("excache=1G bad=12x"), 0);
	assert_int_equal(cmdline_get_size("excache", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(cmdline_get_size("bad", &v), -EINVAL);
	assert_int_equal(cmdline_get_size("none", &v), -ENOENT);
}

static void test_numbers(void **state __unused)
{
	unsigned long n = 42;

	assert_int_equal(cmdline_parse("a=0x10 b=010 c=12abc d=-1 e="), 0);
	assert_int_equal(cmdline_get_ulong("a", &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(cmdline_get_ulong("b", &n), 0);
	assert_int_equal(n, 8);
	assert_int_equal(cmdline_get_ulong("c", &n), -EINVAL);
	assert_int_equal(cmdline_get_ulong("d", &n), -EINVAL);
	assert_int_equal(cmdline_get_ulong("e", &n), -EINVAL);
	assert_int_equal(cmdline_get_ulong("f", &n), -ENOENT);
	assert_int_equal(n, 8);	/* untouched on error */
}

static void test_bools_and_lists(void **state __unused)
{
	assert_int_equal(cmdline_parse("f on=on off=0 junk=maybe selftest=timer,sched,fault"), 0);
	assert_true(cmdline_get_bool("f", false));
	assert_true(cmdline_get_bool("on", false));
	assert_false(cmdline_get_bool("off", true));
	assert_true(cmdline_get_bool("junk", true));
	assert_false(cmdline_get_bool("junk", false));
	assert_false(cmdline_get_bool("absent", false));
	assert_true(cmdline_list_has("selftest", "timer"));
	assert_true(cmdline_list_has("selftest", "sched"));
	assert_true(cmdline_list_has("selftest", "fault"));
	assert_false(cmdline_list_has("selftest", "fault_ud"));
	assert_false(cmdline_list_has("selftest", "time"));
	assert_false(cmdline_list_has("absent", "x"));
}

static char unused_keys[256];

static void collect_unused(const char *key, const char *value)
{
	strcat(unused_keys, key);
	strcat(unused_keys, value[0] ? "=" : "");
	strcat(unused_keys, value);
	strcat(unused_keys, " ");
}

static void test_unused_options(void **state __unused)
{
	assert_int_equal(cmdline_parse("a=1 typo=2 b flag a=3"), 0);
	cmdline_get("a");
	cmdline_has("b");
	unused_keys[0] = '\0';
	assert_int_equal(cmdline_for_each_unused(collect_unused), 2);
	assert_string_equal(unused_keys, "typo=2 flag ");
	/* a new line starts with nothing looked up */
	assert_int_equal(cmdline_parse("a=1"), 0);
	unused_keys[0] = '\0';
	assert_int_equal(cmdline_for_each_unused(collect_unused), 1);
	assert_string_equal(unused_keys, "a=1 ");
}

static int collect_value(const char *value, void *data)
{
	strcat(data, value);
	strcat(data, ";");
	return strcmp(value, "stop") ? 0 : 42;
}

static void test_every_value_of_a_key(void **state __unused)
{
	char seen[128] = "";

	assert_int_equal(cmdline_parse("env=A=1 x=2 env=\"B=two words\" env= env=C=3"), 0);
	assert_int_equal(cmdline_for_each_value("env", collect_value, seen), 0);
	assert_string_equal(seen, "A=1;B=two words;;C=3;");
	/* every occurrence was asked for: none is reported unknown */
	unused_keys[0] = '\0';
	assert_int_equal(cmdline_for_each_unused(collect_unused), 1);
	assert_string_equal(unused_keys, "x=2 ");
	/* fn's first non-zero result stops the walk */
	assert_int_equal(cmdline_parse("k=a k=stop k=b"), 0);
	seen[0] = '\0';
	assert_int_equal(cmdline_for_each_value("k", collect_value, seen), 42);
	assert_string_equal(seen, "a;stop;");
	seen[0] = '\0';
	assert_int_equal(cmdline_for_each_value("absent", collect_value, seen), 0);
	assert_string_equal(seen, "");
}

static void test_limits(void **state __unused)
{
	static char line[CMDLINE_MAX + 100];
	char key[16];
	int pos = 0;

	/* more words than there are slots */
	for (int i = 0; i < CMDLINE_MAX_PARAMS + 5; i++)
		pos += snprintf(line + pos, sizeof(line) - pos, "k%d=%d ", i, i);
	assert_int_equal(cmdline_parse(line), -E2BIG);
	snprintf(key, sizeof(key), "k%d", CMDLINE_MAX_PARAMS - 1);
	assert_non_null(cmdline_get(key));
	snprintf(key, sizeof(key), "k%d", CMDLINE_MAX_PARAMS);
	assert_null(cmdline_get(key));

	/* a line longer than the buffer is cut, not overrun */
	memset(line, 'x', sizeof(line) - 1);
	line[0] = 'a';
	line[1] = '=';
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(cmdline_parse(line), -E2BIG);
	assert_int_equal(strlen(cmdline_get("a")), CMDLINE_MAX - 3);

	assert_int_equal(cmdline_parse(NULL), 0);
	assert_string_equal(cmdline_raw(), "");
	assert_null(cmdline_get("a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_values_and_flags),
		cmocka_unit_test(test_later_word_wins),
		cmocka_unit_test(test_quotes_and_spaces),
		cmocka_unit_test(test_rest_after_double_dash),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_bools_and_lists),
		cmocka_unit_test(test_unused_options),
		cmocka_unit_test(test_every_value_of_a_key),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
