// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the memory manager's archive (managers/memory/cpio.c)
 * and the F_OP_* file requests answered from it (files.c): a newc image
 * built here with directories, files and symlinks; lookups with ".",
 * "..", relative and absolute links; ELOOP; corrupt images rejected.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/slab.h>

#include "host.h"
#include "memory/helpers.h"
#include "../../managers/memory/internal.h"

static struct mmt_cpio img;
static struct archive ar;

static const char hello[] = "hello, world\n";

static void build_image(struct mmt_cpio *c)
{
	mmt_cpio_init(c);
	mmt_cpio_dir(c, ".");
	mmt_cpio_dir(c, "bin");
	mmt_cpio_file(c, "bin/busybox", 0755, "\177ELF-not-really", 16);
	mmt_cpio_symlink(c, "bin/sh", "busybox");
	mmt_cpio_symlink(c, "bin/ls", "/bin/busybox");
	mmt_cpio_file(c, "etc/motd", 0644, hello, sizeof(hello) - 1);	/* etc implied */
	mmt_cpio_symlink(c, "etc/up", "../bin");
	mmt_cpio_symlink(c, "loop1", "loop2");
	mmt_cpio_symlink(c, "loop2", "/loop1");
	mmt_cpio_symlink(c, "dangling", "nowhere");
	mmt_cpio_file(c, "./usr/share/empty", 0600, NULL, 0);
	mmt_cpio_finish(c);
}

static int setup(void **state)
{
	(void)state;
	mmt_ram_setup();
	build_image(&img);
	assert_int_equal(archive_load(&ar, img.data, img.len), 0);
	mm_archive = &ar;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mm_archive = NULL;
	archive_free(&ar);
	mmt_cpio_free(&img);
	mmt_ram_teardown();
	return 0;
}

static int lookup(const char *path, bool follow, const struct arc_node **n)
{
	return archive_lookup(&ar, path, strlen(path), follow, n);
}

static void test_load_counts(void **state)
{
	(void)state;
	assert_int_equal(ar.nr_entries, 11);
	assert_int_equal(ar.bytes, 16 + sizeof(hello) - 1);
	assert_true(S_ISDIR(ar.root->mode));
}

static void test_lookups(void **state)
{
	const struct arc_node *n, *bb;
	char path[64];

	(void)state;
	assert_int_equal(lookup("/bin/busybox", true, &bb), 0);
	assert_int_equal(bb->size, 16);
	assert_int_equal(bb->mode, S_IFREG | 0755);
	assert_int_equal(lookup("/bin/sh", true, &n), 0);
	assert_ptr_equal(n, bb);
	assert_int_equal(lookup("/bin/ls", true, &n), 0);
	assert_ptr_equal(n, bb);
	assert_int_equal(lookup("/bin/sh", false, &n), 0);
	assert_true(S_ISLNK(n->mode));
	assert_int_equal(lookup("//etc/./up/../bin/../etc/up/busybox", true, &n), 0);
	assert_ptr_equal(n, bb);
	assert_int_equal(lookup("/../../bin/busybox", true, &n), 0);
	assert_ptr_equal(n, bb);
	assert_int_equal(lookup("/etc", true, &n), 0);
	assert_true(S_ISDIR(n->mode));		/* implied by etc/motd */
	assert_int_equal(lookup("/usr/share/empty", true, &n), 0);
	assert_int_equal(n->size, 0);
	assert_int_equal(lookup("/", true, &n), 0);
	assert_ptr_equal(n, ar.root);
	assert_int_equal(lookup("/etc/up/", false, &n), 0);
	assert_true(S_ISDIR(n->mode));		/* trailing slash follows */

	assert_int_equal(lookup("/nope", true, &n), -ENOENT);
	assert_int_equal(lookup("/bin/busybox/x", true, &n), -ENOTDIR);
	assert_int_equal(lookup("/etc/motd/", true, &n), -ENOTDIR);
	assert_int_equal(lookup("/loop1", true, &n), -ELOOP);
	assert_int_equal(lookup("/loop1", false, &n), 0);
	assert_int_equal(lookup("/loop1/x", false, &n), -ELOOP);
	assert_int_equal(lookup("/dangling", true, &n), -ENOENT);
	assert_int_equal(lookup("", true, &n), -ENOENT);

	assert_int_equal(lookup("/etc/up/busybox", true, &n), 0);
	arc_node_path(n, path, sizeof(path));
	assert_string_equal(path, "/bin/busybox");
	arc_node_path(ar.root, path, sizeof(path));
	assert_string_equal(path, "/");
	arc_node_path(n, path, 6);
	assert_string_equal(path, "/bin/");
}

static void test_symlink_chain_limit(void **state)
{
	struct mmt_cpio c;
	struct archive a2;
	const struct arc_node *n;
	char name[16], target[16];
	int i;

	(void)state;
	/* l0 -> l1 -> ... -> l40 -> file: 41 links is one too many */
	mmt_cpio_init(&c);
	for (i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), i == 40 ? "file" : "l%d", i + 1);
		mmt_cpio_symlink(&c, name, target);
	}
	mmt_cpio_file(&c, "file", 0644, "x", 1);
	mmt_cpio_finish(&c);
	assert_int_equal(archive_load(&a2, c.data, c.len), 0);
	assert_int_equal(archive_lookup(&a2, "/l0", 3, true, &n), -ELOOP);
	assert_int_equal(archive_lookup(&a2, "/l1", 3, true, &n), 0);
	assert_int_equal(n->size, 1);
	archive_free(&a2);
	mmt_cpio_free(&c);
}

static void expect_corrupt(struct mmt_cpio *c, size_t len)
{
	struct archive a2;

	assert_int_equal(archive_load(&a2, c->data, len), -EINVAL);
	assert_null(a2.root);
}

static void test_corrupt(void **state)
{
	struct mmt_cpio c;

	(void)state;
	build_image(&c);
	/* cut anywhere: the trailer is missing or an entry is truncated */
	expect_corrupt(&c, c.len - 120);
	expect_corrupt(&c, 50);
	expect_corrupt(&c, 0);
	c.data[0] = '9';			/* bad magic */
	expect_corrupt(&c, c.len);
	c.data[0] = '0';
	c.data[6 + 8 * 6] = 'z';		/* bad hex in the first header */
	expect_corrupt(&c, c.len);
	c.data[6 + 8 * 6] = '0';
	memcpy(c.data + 6 + 8 * 6, "7fffffff", 8);	/* file size past the end */
	expect_corrupt(&c, c.len);
	mmt_cpio_free(&c);

	/* a file used as a directory */
	mmt_cpio_init(&c);
	mmt_cpio_file(&c, "a", 0644, "x", 1);
	mmt_cpio_file(&c, "a/b", 0644, "y", 1);
	mmt_cpio_finish(&c);
	expect_corrupt(&c, c.len);
	mmt_cpio_free(&c);

	/* ".." in a name */
	mmt_cpio_init(&c);
	mmt_cpio_file(&c, "a/../../b", 0644, "x", 1);
	mmt_cpio_finish(&c);
	expect_corrupt(&c, c.len);
	mmt_cpio_free(&c);
}

/* ------------------------------------------------------ F_OP requests */
static size_t path_req(u8 *buf, const char *path, u32 flags, u32 arg)
{
	struct f_path_req req = { 0 };

	req.flags = flags;
	req.arg = arg;
	req.path_len = strlen(path);
	memcpy(buf, &req, sizeof(req));
	memcpy(buf + sizeof(req), path, strlen(path));
	return sizeof(req) + strlen(path);
}

static size_t io_req(u8 *buf, const char *path, u64 offset, u32 len)
{
	struct f_io_req req = { 0 };

	req.offset = offset;
	req.len = len;
	req.path_len = strlen(path);
	memcpy(buf, &req, sizeof(req));
	memcpy(buf + sizeof(req), path, strlen(path));
	return sizeof(req) + strlen(path);
}

static int call(u32 op, const u8 *req, size_t len, struct mm_reply *r)
{
	mm_reply_release(r);
	return mm_dispatch(op, 1, req, len, r);
}

static void test_stat_read_readlink_access(void **state)
{
	struct mm_reply r;
	struct lego_stat st;
	u8 req[256];
	size_t len;

	(void)state;
	mm_reply_init(&r);
	len = path_req(req, "/bin/sh", 0, 0);
	assert_int_equal(call(F_OP_STAT, req, len, &r), 0);
	assert_int_equal(r.len, sizeof(st));
	memcpy(&st, r.data, sizeof(st));
	assert_int_equal(st.mode, S_IFREG | 0755);
	assert_int_equal(st.size, 16);
	assert_int_equal(st.blocks, 1);
	assert_int_equal(st.blksize, 4096);
	assert_int_equal(st.mtime_sec, 1700000000);
	assert_int_equal(st.nlink, 1);
	len = path_req(req, "/bin/sh", F_NOFOLLOW, 0);
	assert_int_equal(call(F_OP_STAT, req, len, &r), 0);
	memcpy(&st, r.data, sizeof(st));
	assert_int_equal(st.mode, S_IFLNK | 0777);
	assert_int_equal(st.size, 7);
	len = path_req(req, "/missing", 0, 0);
	assert_int_equal(call(F_OP_STAT, req, len, &r), -ENOENT);
	assert_int_equal(call(F_OP_STAT, req, 3, &r), -EINVAL);	/* truncated */

	len = io_req(req, "/etc/motd", 7, 100);
	assert_int_equal(call(F_OP_READ, req, len, &r), 0);
	assert_int_equal(r.len, sizeof(hello) - 1 - 7);
	assert_memory_equal(r.data, hello + 7, r.len);
	len = io_req(req, "/etc/motd", 0, 5);
	assert_int_equal(call(F_OP_READ, req, len, &r), 0);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.data, "hello", 5);
	len = io_req(req, "/etc/motd", 1000, 5);
	assert_int_equal(call(F_OP_READ, req, len, &r), 0);
	assert_int_equal(r.len, 0);
	len = io_req(req, "/etc", 0, 5);
	assert_int_equal(call(F_OP_READ, req, len, &r), -EISDIR);

	len = path_req(req, "/bin/ls", 0, 0);
	assert_int_equal(call(F_OP_READLINK, req, len, &r), 0);
	assert_int_equal(r.len, strlen("/bin/busybox"));
	assert_memory_equal(r.data, "/bin/busybox", r.len);
	len = path_req(req, "/bin/busybox", 0, 0);
	assert_int_equal(call(F_OP_READLINK, req, len, &r), -EINVAL);

	len = path_req(req, "/bin/sh", 0, 1);		/* X_OK */
	assert_int_equal(call(F_OP_ACCESS, req, len, &r), 0);
	len = path_req(req, "/etc/motd", 0, 1);
	assert_int_equal(call(F_OP_ACCESS, req, len, &r), -EACCES);
	len = path_req(req, "/etc/motd", 0, 4);		/* R_OK */
	assert_int_equal(call(F_OP_ACCESS, req, len, &r), 0);
	len = path_req(req, "/etc/motd", 0, 2);		/* W_OK */
	assert_int_equal(call(F_OP_ACCESS, req, len, &r), -EROFS);
	len = path_req(req, "/etc", 0, 1);
	assert_int_equal(call(F_OP_ACCESS, req, len, &r), 0);
	len = path_req(req, "/nothing", 0, 0);
	assert_int_equal(call(F_OP_ACCESS, req, len, &r), -ENOENT);
	mm_reply_release(&r);
}

/* Parse a getdents reply into "name/type" strings joined by spaces. */
static u64 dents(u64 index, u32 max, char *out, size_t out_size, int *status)
{
	struct mm_reply r;
	struct f_dents_reply rep;
	u8 req[128];
	size_t len = io_req(req, "/bin", index, max), pos = 0;
	const u8 *p;

	mm_reply_init(&r);
	*status = call(F_OP_GETDENTS, req, len, &r);
	out[0] = 0;
	if (*status) {
		mm_reply_release(&r);
		return 0;
	}
	memcpy(&rep, r.data, sizeof(rep));
	assert_int_equal(r.len, sizeof(rep) + rep.bytes);
	p = (const u8 *)r.data + sizeof(rep);
	while (pos < rep.bytes) {
		u16 reclen;
		u64 ino;

		memcpy(&ino, p + pos, 8);
		memcpy(&reclen, p + pos + 16, 2);
		assert_int_equal(reclen % 8, 0);
		assert_true(ino != 0);
		snprintf(out + strlen(out), out_size - strlen(out), "%s%s/%u",
			 out[0] ? " " : "", (const char *)p + pos + 19, p[pos + 18]);
		pos += reclen;
	}
	mm_reply_release(&r);
	return rep.next;
}

static void test_getdents(void **state)
{
	char out[256];
	u64 next;
	int st;

	(void)state;
	next = dents(0, 4096, out, sizeof(out), &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "./4 ../4 busybox/8 sh/10 ls/10");
	assert_int_equal(next, 5);
	next = dents(5, 4096, out, sizeof(out), &st);
	assert_int_equal(next, 5);
	assert_string_equal(out, "");
	/* a small buffer: two records (24 bytes each) at a time */
	next = dents(0, sizeof(struct f_dents_reply) + 48, out, sizeof(out), &st);
	assert_string_equal(out, "./4 ../4");
	assert_int_equal(next, 2);
	next = dents(next, sizeof(struct f_dents_reply) + 64, out, sizeof(out), &st);
	assert_string_equal(out, "busybox/8 sh/10");
	assert_int_equal(next, 4);
	/* too small for one record */
	dents(0, sizeof(struct f_dents_reply) + 8, out, sizeof(out), &st);
	assert_int_equal(st, -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_chain_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat_read_readlink_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_getdents, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
