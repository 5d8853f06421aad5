// SPDX-License-Identifier: GPL-2.0
/* Unit tests for managers/processor/fs/path.c: joining and normalising paths. */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/files.h>

#include <stdio.h>
#include <string.h>

#include "host.h"

static char out[LEGO_PATH_MAX];

/* Join and compare; returns the must_dir flag. */
static bool join_ok(const char *base, const char *path, const char *want)
{
	bool must_dir = false;

	assert_int_equal(path_join(base, path, out, sizeof(out), &must_dir), 0);
	assert_string_equal(out, want);
	return must_dir;
}

static void test_absolute(void **state __unused)
{
	assert_false(join_ok("/home/u", "/bin/sh", "/bin/sh"));
	assert_false(join_ok("/", "/a/b/c", "/a/b/c"));
	assert_true(join_ok("/x", "/", "/"));
}

static void test_relative_to_root_and_deep_cwd(void **state __unused)
{
	assert_false(join_ok("/", "bin/sh", "/bin/sh"));
	assert_false(join_ok("/a/b/c/d/e", "f", "/a/b/c/d/e/f"));
	assert_false(join_ok("/a/b/c/d/e", "../../x", "/a/b/c/x"));
	assert_false(join_ok("/usr/lib", "x/y/z", "/usr/lib/x/y/z"));
}

static void test_dot_and_dotdot(void **state __unused)
{
	assert_false(join_ok("/", "./a/./b", "/a/b"));
	assert_false(join_ok("/a/b", "../c", "/a/c"));
	assert_true(join_ok("/a/b", "..", "/a"));
	assert_true(join_ok("/a/b", ".", "/a/b"));
	assert_true(join_ok("/a", "../../../..", "/"));
	assert_false(join_ok("/", "../../etc/passwd", "/etc/passwd"));
	assert_false(join_ok("/", "/a/b/../../../c", "/c"));
	/* names that only start with dots are ordinary */
	assert_false(join_ok("/", "...", "/..."));
	assert_false(join_ok("/", ".hidden/..x", "/.hidden/..x"));
}

static void test_slashes(void **state __unused)
{
	assert_false(join_ok("/", "//a///b", "/a/b"));
	assert_true(join_ok("/", "a/b/", "/a/b"));
	assert_true(join_ok("/", "a//", "/a"));
	assert_true(join_ok("/q", "a/.", "/q/a"));
	assert_true(join_ok("/", "///", "/"));
	assert_false(join_ok("/d", "a/./b", "/d/a/b"));
}

static void test_errors(void **state __unused)
{
	static char longpath[LEGO_PATH_MAX + 16];
	char name[300];
	bool d;
	size_t i;

	assert_int_equal(path_join("/", "", out, sizeof(out), &d), -ENOENT);

	/* a component longer than NAME_MAX */
	memset(name, 'n', 256);
	name[256] = '\0';
	assert_int_equal(path_join("/", name, out, sizeof(out), &d), -ENAMETOOLONG);
	name[255] = '\0';
	assert_int_equal(path_join("/", name, out, sizeof(out), &d), 0);

	/* the result does not fit in the buffer */
	for (i = 0; i + 2 < sizeof(longpath); i += 2)
		memcpy(longpath + i, "a/", 2);
	longpath[i] = '\0';
	assert_int_equal(path_join("/", longpath, out, sizeof(out), &d), -ENAMETOOLONG);
	assert_int_equal(path_join("/abc", "x", out, 6, &d), -ENAMETOOLONG);
	assert_int_equal(path_join("/abc", "x", out, 7, &d), 0);
	assert_string_equal(out, "/abc/x");

	/* a long path that shrinks with ".." fits */
	for (i = 0; i + 5 < sizeof(longpath); i += 5)
		memcpy(longpath + i, "a/../", 5);
	longpath[i] = '\0';
	assert_int_equal(path_join("/", longpath, out, sizeof(out), &d), 0);
	assert_string_equal(out, "/");
	assert_true(d);
}

static void test_must_dir_optional(void **state __unused)
{
	assert_int_equal(path_join("/", "a/", out, sizeof(out), NULL), 0);
	assert_string_equal(out, "/a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_relative_to_root_and_deep_cwd),
		cmocka_unit_test(test_dot_and_dotdot),
		cmocka_unit_test(test_slashes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_must_dir_optional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
