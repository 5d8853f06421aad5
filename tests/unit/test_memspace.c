// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the memory manager's address spaces, driven through
 * mm_dispatch() as the processor's ExCache and system calls drive them:
 * misses and write-backs (managers/memory/fault.c), fork with
 * copy-on-write (fork.c), mmap, munmap, mremap, brk, mprotect and
 * madvise (mmap.c), and exit (space.c). Each test starts from a process
 * exec'ed from a small archive; every teardown checks that exiting every
 * process gave back every page.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/mm.h>
#include <lego/slab.h>

#include "host.h"
#include "memory/helpers.h"
#include "../../managers/memory/internal.h"
#include "../../managers/memory/elf.h"

#define PID	100
#define CHILD	101
#define GRANDCHILD 102

#define P	PAGE_SIZE
#define AREA	0x20000000UL	/* where the tests place MAP_FIXED mappings */
#define RW	(PROT_READ | PROT_WRITE)
#define ANON	(MAP_PRIVATE | MAP_ANONYMOUS)

static const struct mmt_elf init_elf = {
	.type = ET_EXEC,
	.entry = 0x401000,
	.nr_segs = 2,
	.segs = {
		{ 0x401000, 0x1800, 0x1800, PF_R | PF_X },
		{ 0x404100, 0x1000, 0x3000, PF_R | PF_W },
	},
};

static struct mmt_cpio cpio;
static struct archive ar;
static u8 *init_img;
static size_t init_len;
static struct m_exec_reply init_rep;
static u64 free_before_exec;

static int setup(void **state)
{
	(void)state;
	mmt_ram_setup();
	init_img = mmt_elf_build(&init_elf, &init_len);
	mmt_cpio_init(&cpio);
	mmt_cpio_dir(&cpio, "bin");
	mmt_cpio_file(&cpio, "bin/init", 0755, init_img, init_len);
	mmt_cpio_file(&cpio, "etc/data", 0644, init_img, 3 * P + 100);
	mmt_cpio_finish(&cpio);
	assert_int_equal(archive_load(&ar, cpio.data, cpio.len), 0);
	mm_archive = &ar;
	free_before_exec = mmt_free_pages();
	assert_int_equal(mmt_exec(PID, "/bin/init", NULL, NULL, &init_rep), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mmt_exit(PID);
	mmt_exit(CHILD);
	mmt_exit(GRANDCHILD);
	assert_int_equal(space_count(), 0);
	/* exit gave back every page: data, page tables, VMAs, the space */
	assert_int_equal(mmt_free_pages(), free_before_exec);
	mm_archive = NULL;
	archive_free(&ar);
	mmt_cpio_free(&cpio);
	free(init_img);
	mmt_ram_teardown();
	return 0;
}

/* ----------------------------------------------------------- requests */
static long do_mmap_file(u32 pid, u64 addr, u64 len, u32 prot, u32 flags, u64 pgoff,
			 const char *path)
{
	u8 buf[sizeof(struct m_mmap_req) + 64];
	struct m_mmap_req *req = (void *)buf;
	struct m_addr_reply rep;
	size_t plen = path ? strlen(path) : 0;
	int ret;

	assert_true(plen <= 64);
	memset(req, 0, sizeof(*req));
	req->addr = addr;
	req->len = len;
	req->pgoff = pgoff;
	req->pid = pid;
	req->prot = prot;
	req->flags = flags;
	req->path_len = plen;
	memcpy(req->path, path ? path : "", plen);
	ret = mmt_call(M_OP_MMAP, buf, sizeof(*req) + plen, &rep, sizeof(rep), NULL);
	if (ret)
		return ret;
	assert_int_equal(rep.addr & ~PAGE_MASK, 0);
	return (long)rep.addr;
}

static long do_mmap(u32 pid, u64 addr, u64 len, u32 prot, u32 flags)
{
	return do_mmap_file(pid, addr, len, prot, flags, 0, NULL);
}

static int range_op(u32 op, u32 pid, u64 addr, u64 len, u32 arg)
{
	struct m_range_req req = { .addr = addr, .len = len, .pid = pid, .arg = arg };

	return mmt_call(op, &req, sizeof(req), NULL, 0, NULL);
}

static int do_munmap(u32 pid, u64 addr, u64 len)
{
	return range_op(M_OP_MUNMAP, pid, addr, len, 0);
}

static int do_mprotect(u32 pid, u64 addr, u64 len, u32 prot)
{
	return range_op(M_OP_MPROTECT, pid, addr, len, prot);
}

static int do_madvise(u32 pid, u64 addr, u64 len, u32 advice)
{
	return range_op(M_OP_MADVISE, pid, addr, len, advice);
}

static long do_mremap(u32 pid, u64 old, u64 old_len, u64 new_len, u32 flags, u64 new_addr)
{
	struct m_mremap_req req = {
		.old_addr = old, .old_len = old_len, .new_len = new_len,
		.new_addr = new_addr, .pid = pid, .flags = flags,
	};
	struct m_addr_reply rep;
	int ret;

	ret = mmt_call(M_OP_MREMAP, &req, sizeof(req), &rep, sizeof(rep), NULL);
	return ret ? ret : (long)rep.addr;
}

static u64 do_brk(u32 pid, u64 brk)
{
	struct m_brk_req req = { .brk = brk, .pid = pid };
	struct m_addr_reply rep;

	assert_int_equal(mmt_call(M_OP_BRK, &req, sizeof(req), &rep, sizeof(rep), NULL), 0);
	return rep.addr;
}

/* ------------------------------------------------------------- pages */
/* A page whose bytes all derive from tag. */
static void pattern(u8 *page, unsigned int tag)
{
	unsigned int i;

	for (i = 0; i < P; i++)
		page[i] = (u8)(tag * 31 + i * 7 + (i >> 8));
}

static void store(u32 pid, u64 addr, unsigned int tag)
{
	u8 page[P];

	pattern(page, tag);
	assert_int_equal(mmt_writeback(pid, addr, page), 0);
}

/* The page at addr holds pattern tag. */
static void expect_tag(u32 pid, u64 addr, unsigned int tag)
{
	u8 page[P], want[P];
	bool zero = true;

	pattern(want, tag);
	assert_int_equal(mmt_miss(pid, addr, 0, page, NULL, &zero), 0);
	assert_false(zero);
	if (memcmp(page, want, P))
		fail_msg("pid %u, %#llx: not pattern %u", pid, (unsigned long long)addr, tag);
}

/* The page at addr is mapped and was never written (or was dropped). */
static void expect_zero(u32 pid, u64 addr)
{
	static const u8 zeroes[P];
	u8 page[P];
	bool zero = false;

	assert_int_equal(mmt_miss(pid, addr, 0, page, NULL, &zero), 0);
	if (!zero)
		fail_msg("pid %u, %#llx: data sent for a page never written",
			 pid, (unsigned long long)addr);
	assert_memory_equal(page, zeroes, P);
	/* and when asked for data, the processor gets zeroes */
	memset(page, 0xee, P);
	assert_int_equal(mmt_miss(pid, addr, M_MISS_NOZERO, page, NULL, &zero), 0);
	assert_false(zero);
	assert_memory_equal(page, zeroes, P);
}

static void expect_unmapped(u32 pid, u64 addr)
{
	assert_int_equal(mmt_miss(pid, addr, 0, NULL, NULL, NULL), -EFAULT);
	assert_int_equal(mmt_miss(pid, addr, M_MISS_WRITE, NULL, NULL, NULL), -EFAULT);
}

static u32 prot_at(u32 pid, u64 addr)
{
	u32 prot = ~0u;

	assert_int_equal(mmt_miss(pid, addr, 0, NULL, &prot, NULL), 0);
	return prot;
}

/* The page at addr holds /etc/data (init_img's first 3 pages + 100 bytes) from off. */
static void check_file_page(u32 pid, u64 addr, u64 off)
{
	const u64 size = 3 * P + 100;
	u8 page[P], want[P];

	memset(want, 0, P);
	if (off < size)
		memcpy(want, init_img + off, min(size - off, (u64)P));
	mmt_read(pid, addr, page, P);
	assert_memory_equal(page, want, P);
}

/* The page stored for addr (white box: to see what is shared). */
static struct page *page_at(u32 pid, u64 addr)
{
	struct mspace *sp = space_lock(MMT_NODE, pid);
	struct page *page;

	assert_false(IS_ERR(sp));
	page = pt_get(&sp->vm->pt, addr);
	space_unlock(sp);
	return page;
}

/* ------------------------------------------------------------- tests */
static void test_anon_first_touch(void **state)
{
	long a, b;
	u64 before;
	u32 prot;
	int i;

	(void)state;
	a = do_mmap(PID, 0, 3 * P, RW, ANON);
	assert_true(a > 0);
	assert_true((u64)a >= USER_ADDR_MIN && (u64)a + 3 * P <= USER_MMAP_BASE);
	b = do_mmap(PID, 0, P, RW, ANON);
	assert_true(b > 0);
	assert_true(b + (long)P <= a || b >= a + 3 * (long)P);

	before = mmt_free_pages();
	for (i = 0; i < 3; i++) {
		expect_zero(PID, a + i * P);
		prot = ~0u;
		assert_int_equal(mmt_miss(PID, a + i * P, M_MISS_WRITE, NULL, &prot, NULL), 0);
		assert_int_equal(prot, RW);
	}
	/* a miss in the middle of the page is a miss for the page */
	expect_zero(PID, a + P + 1234);
	/* misses never store anything */
	assert_int_equal(mmt_free_pages(), before);
	assert_null(page_at(PID, a));
	expect_unmapped(PID, a + 3 * P);
	/* the brk area, the stack below the vectors: zero as well */
	assert_int_equal(mmt_miss(PID, init_rep.stack_top - USER_STACK_MAX, 0, NULL, NULL, NULL), 0);
	assert_int_equal(mmt_miss(PID, 0, 0, NULL, NULL, NULL), -EFAULT);
	assert_int_equal(mmt_miss(PID + 50, a, 0, NULL, NULL, NULL), -ESRCH);
}

static void test_writeback_refetch(void **state)
{
	struct {
		struct m_miss_req req;
		u8 victim[P];
	} mw;
	u8 page[P], want[P];
	long a;
	u64 before;

	(void)state;
	a = do_mmap(PID, AREA, 4 * P, RW, ANON | MAP_FIXED);
	assert_int_equal(a, AREA);
	before = mmt_free_pages();
	store(PID, AREA, 1);
	assert_true(mmt_free_pages() < before);
	expect_tag(PID, AREA, 1);
	/* again: the same page is overwritten, nothing more allocated */
	before = mmt_free_pages();
	store(PID, AREA, 2);
	assert_int_equal(mmt_free_pages(), before);
	expect_tag(PID, AREA, 2);
	/* the address is rounded down to its page */
	store(PID, AREA + P + 77, 3);
	expect_tag(PID, AREA + P, 3);
	expect_zero(PID, AREA + 2 * P);

	/* a miss carrying a dirty victim: the victim is stored first */
	memset(&mw.req, 0, sizeof(mw.req));
	mw.req.addr = AREA + 3 * P;
	mw.req.pid = PID;
	mw.req.flags = M_MISS_WB | M_MISS_WRITE;
	mw.req.wb_addr = AREA + 2 * P;
	mw.req.wb_pid = PID;
	pattern(mw.victim, 4);
	assert_int_equal(mmt_call(M_OP_MISS, &mw, sizeof(mw), NULL, 0, NULL), 0);
	expect_tag(PID, AREA + 2 * P, 4);
	/* the victim of itself: the miss sees the data just written back */
	mw.req.addr = AREA + 2 * P;
	mw.req.flags = M_MISS_WB;
	pattern(mw.victim, 5);
	{
		struct {
			struct m_miss_reply rep;
			u8 data[P];
		} out;
		size_t got = 0;

		assert_int_equal(mmt_call(M_OP_MISS, &mw, sizeof(mw), &out, sizeof(out), &got), 0);
		assert_int_equal(got, sizeof(out));
		assert_memory_equal(out.data, mw.victim, P);
	}
	/* a victim without its page is refused */
	assert_int_equal(mmt_call(M_OP_MISS, &mw, sizeof(mw) - 1, NULL, 0, NULL), -EINVAL);

	/* the file-backed data segment: a written page stops reading the file */
	mmt_read(PID, 0x405000, page, P);
	memset(want, 0, P);
	memcpy(want, init_img + 0x5000, 0x100);	/* the file data ends at 0x405100 */
	assert_memory_equal(page, want, P);
	store(PID, 0x405000, 6);
	expect_tag(PID, 0x405000, 6);
	mmt_read(PID, 0x404000, page, P);
	assert_memory_equal(page, init_img + 0x4000, P);

	/* write-backs to nowhere are dropped; to nobody, refused */
	before = mmt_free_pages();
	store(PID, AREA + 4 * P, 7);
	assert_int_equal(mmt_free_pages(), before);
	expect_unmapped(PID, AREA + 4 * P);
	pattern(page, 8);
	assert_int_equal(mmt_writeback(PID + 50, AREA, page), -ESRCH);
	assert_int_equal(mmt_call(M_OP_WRITEBACK, &mw, sizeof(struct m_wb_req) + P - 1, NULL, 0,
				  NULL), -EINVAL);
	assert_int_equal(mmt_call(M_OP_MISS, &mw, sizeof(struct m_miss_req) - 1, NULL, 0, NULL),
			 -EINVAL);
}

static void test_fork_cow(void **state)
{
	static char maps_p[8192], maps_c[8192];
	u64 before;

	(void)state;
	assert_int_equal(do_mmap(PID, AREA, 3 * P, RW, ANON | MAP_FIXED), AREA);
	store(PID, AREA, 10);
	store(PID, AREA + P, 11);
	store(PID, 0x405000, 12);		/* the data segment */

	assert_int_equal(mmt_fork(PID, CHILD), 0);
	assert_int_equal(space_count(), 2);
	assert_int_equal(mmt_maps(PID, maps_p, sizeof(maps_p)), 0);
	assert_int_equal(mmt_maps(CHILD, maps_c, sizeof(maps_c)), 0);
	assert_string_equal(maps_c, maps_p);
	/* the child sees the parent's data, in the very same pages */
	expect_tag(CHILD, AREA, 10);
	expect_tag(CHILD, AREA + P, 11);
	expect_tag(CHILD, 0x405000, 12);
	expect_zero(CHILD, AREA + 2 * P);
	assert_ptr_equal(page_at(CHILD, AREA), page_at(PID, AREA));
	assert_int_equal(page_count(page_at(PID, AREA)), 2);
	assert_int_equal(do_brk(CHILD, 0), init_rep.start_brk);
	/* writing a shared page is allowed: the copy happens on write-back */
	assert_int_equal(mmt_miss(CHILD, AREA, M_MISS_WRITE, NULL, NULL, NULL), 0);

	/* the parent writes first: it gets a copy, one new page */
	before = mmt_free_pages();
	store(PID, AREA, 20);
	assert_int_equal(mmt_free_pages(), before - 1);
	assert_ptr_not_equal(page_at(CHILD, AREA), page_at(PID, AREA));
	/* then the child: its page is its own now, so it is reused */
	before = mmt_free_pages();
	store(CHILD, AREA, 30);
	assert_int_equal(mmt_free_pages(), before);
	expect_tag(PID, AREA, 20);
	expect_tag(CHILD, AREA, 30);

	/* the child first this time */
	store(CHILD, AREA + P, 31);
	store(PID, AREA + P, 21);
	expect_tag(PID, AREA + P, 21);
	expect_tag(CHILD, AREA + P, 31);
	store(CHILD, 0x405000, 32);
	expect_tag(PID, 0x405000, 12);
	expect_tag(CHILD, 0x405000, 32);

	/* a never-written page: each writes its own */
	store(CHILD, AREA + 2 * P, 33);
	expect_zero(PID, AREA + 2 * P);
	expect_tag(CHILD, AREA + 2 * P, 33);

	/* a grandchild shares with the child only */
	assert_int_equal(mmt_fork(CHILD, GRANDCHILD), 0);
	expect_tag(GRANDCHILD, AREA, 30);
	store(GRANDCHILD, AREA, 40);
	expect_tag(CHILD, AREA, 30);
	expect_tag(GRANDCHILD, AREA, 40);
	assert_int_equal(mmt_exit(GRANDCHILD), 0);

	/* the child's exit frees its pages and leaves the parent's */
	before = mmt_free_pages();
	assert_int_equal(mmt_exit(CHILD), 0);
	assert_true(mmt_free_pages() >= before + 4);
	assert_int_equal(space_count(), 1);
	expect_tag(PID, AREA, 20);
	expect_tag(PID, AREA + P, 21);
	expect_tag(PID, 0x405000, 12);
	assert_int_equal(page_count(page_at(PID, 0x405000)), 1);

	/* errors */
	assert_int_equal(mmt_fork(PID + 50, CHILD), -ESRCH);
	assert_int_equal(mmt_fork(PID, PID), -EEXIST);
	assert_int_equal(mmt_call(M_OP_FORK, "", 1, NULL, 0, NULL), -EINVAL);
	assert_int_equal(space_count(), 1);
}

/* The parent exits first: the child keeps the pages it shared. */
static void test_fork_parent_exits_first(void **state)
{
	(void)state;
	assert_int_equal(do_mmap(PID, AREA, 2 * P, RW, ANON | MAP_FIXED), AREA);
	store(PID, AREA, 1);
	store(PID, AREA + P, 2);
	assert_int_equal(mmt_fork(PID, CHILD), 0);
	store(PID, AREA + P, 3);
	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(mmt_miss(PID, AREA, 0, NULL, NULL, NULL), -ESRCH);
	expect_tag(CHILD, AREA, 1);
	expect_tag(CHILD, AREA + P, 2);
	assert_int_equal(page_count(page_at(CHILD, AREA)), 1);
	store(CHILD, AREA, 4);
	expect_tag(CHILD, AREA, 4);
	assert_int_equal(mmt_exit(CHILD), 0);
	assert_int_equal(mmt_free_pages(), free_before_exec);
}

/* MAP_SHARED memory stays shared after fork; MADV_DONTFORK is not inherited. */
static void test_fork_shared_and_dontfork(void **state)
{
	long s, d;

	(void)state;
	s = do_mmap(PID, 0, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_true(s > 0);
	d = do_mmap(PID, AREA, 2 * P, RW, ANON | MAP_FIXED);
	assert_int_equal(d, AREA);
	store(PID, s, 1);
	store(PID, d, 2);
	assert_int_equal(do_madvise(PID, d + P, P, MADV_DONTFORK), 0);
	assert_int_equal(mmt_fork(PID, CHILD), 0);

	store(CHILD, s, 3);
	expect_tag(PID, s, 3);
	store(PID, s + P, 4);		/* never written before the fork */
	expect_tag(CHILD, s + P, 4);
	expect_tag(CHILD, d, 2);
	expect_unmapped(CHILD, d + P);
	expect_zero(PID, d + P);
	assert_int_equal(mmt_exit(CHILD), 0);
	expect_tag(PID, s, 3);
	expect_tag(PID, s + P, 4);

	/* MADV_DOFORK undoes it */
	assert_int_equal(do_madvise(PID, d + P, P, MADV_DOFORK), 0);
	assert_int_equal(mmt_fork(PID, CHILD), 0);
	expect_zero(CHILD, d + P);
}

static void test_mprotect(void **state)
{
	static char maps[8192];

	(void)state;
	assert_int_equal(do_mmap(PID, AREA, 3 * P, RW, ANON | MAP_FIXED), AREA);
	store(PID, AREA, 1);
	store(PID, AREA + P, 2);

	/* read-only in the middle: write misses are refused, reads work */
	assert_int_equal(do_mprotect(PID, AREA + P, P, PROT_READ), 0);
	assert_int_equal(mmt_miss(PID, AREA + P, M_MISS_WRITE, NULL, NULL, NULL), -EACCES);
	assert_int_equal(prot_at(PID, AREA + P), PROT_READ);
	expect_tag(PID, AREA + P, 2);
	assert_int_equal(mmt_miss(PID, AREA, M_MISS_WRITE, NULL, NULL, NULL), 0);
	assert_int_equal(mmt_miss(PID, AREA + 2 * P, M_MISS_WRITE, NULL, NULL, NULL), 0);
	assert_int_equal(prot_at(PID, AREA + 2 * P), RW);
	assert_int_equal(mmt_maps(PID, maps, sizeof(maps)), 0);
	assert_non_null(strstr(maps, "000020000000-000020001000 rw-p "));
	assert_non_null(strstr(maps, "000020001000-000020002000 r--p "));
	assert_non_null(strstr(maps, "000020002000-000020003000 rw-p "));

	/* nothing at all */
	assert_int_equal(do_mprotect(PID, AREA, 3 * P, PROT_NONE), 0);
	assert_int_equal(mmt_miss(PID, AREA, 0, NULL, NULL, NULL), -EACCES);
	assert_int_equal(mmt_miss(PID, AREA, M_MISS_EXEC, NULL, NULL, NULL), -EACCES);
	assert_int_equal(mmt_miss(PID, AREA + P, M_MISS_WRITE, NULL, NULL, NULL), -EACCES);

	/* back: the data survived, and the three VMAs are one again */
	assert_int_equal(do_mprotect(PID, AREA, 3 * P, RW), 0);
	expect_tag(PID, AREA, 1);
	expect_tag(PID, AREA + P, 2);
	assert_int_equal(mmt_miss(PID, AREA + P, M_MISS_WRITE, NULL, NULL, NULL), 0);
	assert_int_equal(mmt_maps(PID, maps, sizeof(maps)), 0);
	assert_non_null(strstr(maps, "000020000000-000020003000 rw-p "));

	/* executable, not writable */
	assert_int_equal(do_mprotect(PID, AREA, 3 * P, PROT_READ | PROT_EXEC), 0);
	assert_int_equal(mmt_miss(PID, AREA, M_MISS_EXEC, NULL, NULL, NULL), 0);
	assert_int_equal(mmt_miss(PID, AREA, M_MISS_WRITE, NULL, NULL, NULL), -EACCES);

	/* the program's text is read-only until made writable */
	assert_int_equal(mmt_miss(PID, 0x401000, M_MISS_WRITE, NULL, NULL, NULL), -EACCES);
	assert_int_equal(do_mprotect(PID, 0x401000, P, RW | PROT_EXEC), 0);
	assert_int_equal(mmt_miss(PID, 0x401000, M_MISS_WRITE, NULL, NULL, NULL), 0);
	assert_int_equal(mmt_miss(PID, 0x402000, M_MISS_WRITE, NULL, NULL, NULL), -EACCES);

	/* errors, as Linux's */
	assert_int_equal(do_mprotect(PID, AREA + 2 * P, 2 * P, PROT_READ), -ENOMEM);
	assert_int_equal(do_mprotect(PID, AREA + 5 * P, P, PROT_READ), -ENOMEM);
	assert_int_equal(do_mprotect(PID, AREA + 1, P, PROT_READ), -EINVAL);
	assert_int_equal(do_mprotect(PID, AREA, P, 0x80), -EINVAL);
	assert_int_equal(do_mprotect(PID, AREA, 0, PROT_READ), 0);
	assert_int_equal(do_mprotect(PID + 50, AREA, P, PROT_READ), -ESRCH);
	/* a failed mprotect changed nothing */
	assert_int_equal(prot_at(PID, AREA + 2 * P), PROT_READ | PROT_EXEC);
}

static void test_munmap(void **state)
{
	u64 before;

	(void)state;
	assert_int_equal(do_mmap(PID, AREA, 6 * P, RW, ANON | MAP_FIXED), AREA);
	store(PID, AREA, 0);
	store(PID, AREA + P, 1);
	store(PID, AREA + 2 * P, 2);
	store(PID, AREA + 4 * P, 4);
	store(PID, AREA + 5 * P, 5);

	/* the tail: exactly its two stored pages come back */
	before = mmt_free_pages();
	assert_int_equal(do_munmap(PID, AREA + 4 * P, 2 * P), 0);
	assert_int_equal(mmt_free_pages(), before + 2);
	expect_unmapped(PID, AREA + 4 * P);
	expect_unmapped(PID, AREA + 5 * P);
	/* a write-back there is dropped; the page does not come back */
	before = mmt_free_pages();
	store(PID, AREA + 4 * P, 9);
	assert_int_equal(mmt_free_pages(), before);
	expect_unmapped(PID, AREA + 4 * P);

	/* the middle, with a length that is not a page multiple */
	assert_int_equal(do_munmap(PID, AREA + P, P + 1), 0);
	expect_unmapped(PID, AREA + P);
	expect_unmapped(PID, AREA + 2 * P);
	assert_null(page_at(PID, AREA + P));
	assert_null(page_at(PID, AREA + 2 * P));
	expect_tag(PID, AREA, 0);
	expect_zero(PID, AREA + 3 * P);

	/* holes and unmapped ranges are fine */
	assert_int_equal(do_munmap(PID, AREA, 8 * P), 0);
	expect_unmapped(PID, AREA);
	expect_unmapped(PID, AREA + 3 * P);
	assert_int_equal(do_munmap(PID, AREA, 8 * P), 0);

	/* mapped again: fresh zeroes */
	assert_int_equal(do_mmap(PID, AREA, P, RW, ANON | MAP_FIXED), AREA);
	expect_zero(PID, AREA);

	/* part of the program */
	assert_int_equal(do_munmap(PID, 0x402000, P), 0);
	expect_unmapped(PID, 0x402000);
	assert_int_equal(prot_at(PID, 0x401000), PROT_READ | PROT_EXEC);

	/* errors, as Linux's */
	assert_int_equal(do_munmap(PID, AREA + 1, P), -EINVAL);
	assert_int_equal(do_munmap(PID, AREA, 0), -EINVAL);
	assert_int_equal(do_munmap(PID, USER_ADDR_MAX, 2 * P), -EINVAL);
	assert_int_equal(do_munmap(PID + 50, AREA, P), -ESRCH);
	expect_zero(PID, AREA);
}

static void test_mremap(void **state)
{
	u64 before;
	long n;

	(void)state;
	/* grow in place */
	assert_int_equal(do_mmap(PID, AREA, 2 * P, RW, ANON | MAP_FIXED), AREA);
	store(PID, AREA, 1);
	store(PID, AREA + P, 2);
	assert_int_equal(do_mremap(PID, AREA, 2 * P, 4 * P, 0, 0), AREA);
	expect_tag(PID, AREA, 1);
	expect_tag(PID, AREA + P, 2);
	expect_zero(PID, AREA + 2 * P);
	expect_zero(PID, AREA + 3 * P);
	assert_int_equal(prot_at(PID, AREA + 3 * P), RW);
	store(PID, AREA + 3 * P, 4);

	/* shrink: the cut pages are freed */
	before = mmt_free_pages();
	assert_int_equal(do_mremap(PID, AREA, 4 * P, P + 1, 0, 0), AREA);
	assert_int_equal(mmt_free_pages(), before + 1);	/* page 3; 2 was never written */
	expect_tag(PID, AREA, 1);
	expect_tag(PID, AREA + P, 2);
	expect_unmapped(PID, AREA + 2 * P);
	expect_unmapped(PID, AREA + 3 * P);

	/* blocked above: fails without MREMAP_MAYMOVE, moves with it */
	assert_int_equal(do_mmap(PID, AREA + 2 * P, P, PROT_READ, ANON | MAP_FIXED), AREA + 2 * P);
	assert_int_equal(do_mremap(PID, AREA, 2 * P, 4 * P, 0, 0), -ENOMEM);
	expect_tag(PID, AREA + P, 2);
	n = do_mremap(PID, AREA, 2 * P, 4 * P, MREMAP_MAYMOVE, 0);
	assert_true(n > 0);
	assert_true((u64)n != AREA);
	expect_tag(PID, n, 1);
	expect_tag(PID, n + P, 2);
	expect_zero(PID, n + 2 * P);
	expect_zero(PID, n + 3 * P);
	assert_int_equal(prot_at(PID, n + 3 * P), RW);
	expect_unmapped(PID, AREA);
	expect_unmapped(PID, AREA + P);
	assert_int_equal(prot_at(PID, AREA + 2 * P), PROT_READ);	/* the blocker stays */

	/* MREMAP_FIXED, same size */
	assert_int_equal(do_mremap(PID, n, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
				   AREA + 0x100000), AREA + 0x100000);
	expect_unmapped(PID, n);
	expect_tag(PID, AREA + 0x100000, 1);
	expect_tag(PID, AREA + 0x100000 + P, 2);
	expect_zero(PID, AREA + 0x100000 + 3 * P);
	/* MREMAP_FIXED, smaller, over an existing mapping (new_len of it goes) */
	assert_int_equal(do_mmap(PID, AREA + 0x200000, 3 * P, PROT_READ, ANON | MAP_FIXED),
			 AREA + 0x200000);
	assert_int_equal(do_mremap(PID, AREA + 0x100000, 4 * P, 2 * P,
				   MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 0x200000), AREA + 0x200000);
	expect_tag(PID, AREA + 0x200000, 1);
	expect_tag(PID, AREA + 0x200000 + P, 2);
	assert_int_equal(prot_at(PID, AREA + 0x200000), RW);
	assert_int_equal(prot_at(PID, AREA + 0x200000 + 2 * P), PROT_READ);
	assert_int_equal(do_munmap(PID, AREA + 0x200000 + 2 * P, P), 0);
	expect_unmapped(PID, AREA + 0x100000);
	expect_unmapped(PID, AREA + 0x100000 + 3 * P);
	/* MREMAP_FIXED, larger: the whole new length is mapped */
	assert_int_equal(do_mremap(PID, AREA + 0x200000, 2 * P, 4 * P,
				   MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 0x300000), AREA + 0x300000);
	expect_tag(PID, AREA + 0x300000, 1);
	expect_tag(PID, AREA + 0x300000 + P, 2);
	expect_zero(PID, AREA + 0x300000 + 2 * P);
	expect_zero(PID, AREA + 0x300000 + 3 * P);
	assert_int_equal(prot_at(PID, AREA + 0x300000 + 3 * P), RW);
	expect_unmapped(PID, AREA + 0x300000 + 4 * P);
	expect_unmapped(PID, AREA + 0x200000);

	/* part of a VMA moves out of it; the rest stays */
	assert_int_equal(do_mmap(PID, AREA + 0x400000, 4 * P, RW, ANON | MAP_FIXED),
			 AREA + 0x400000);
	store(PID, AREA + 0x400000, 10);
	store(PID, AREA + 0x400000 + P, 11);
	store(PID, AREA + 0x400000 + 2 * P, 12);
	n = do_mremap(PID, AREA + 0x400000 + P, P, 3 * P, MREMAP_MAYMOVE, 0);
	assert_true(n > 0);
	expect_tag(PID, n, 11);
	expect_zero(PID, n + 2 * P);
	expect_tag(PID, AREA + 0x400000, 10);
	expect_unmapped(PID, AREA + 0x400000 + P);
	expect_tag(PID, AREA + 0x400000 + 2 * P, 12);

	/* file-backed memory moves with its offsets: unwritten pages still read the file */
	n = do_mmap_file(PID, AREA + 0x500000, 3 * P, RW, MAP_PRIVATE | MAP_FIXED, 0, "/etc/data");
	assert_int_equal(n, AREA + 0x500000);
	store(PID, n + P, 13);
	assert_int_equal(do_mmap(PID, n + 3 * P, P, PROT_READ, ANON | MAP_FIXED), n + 3 * P);
	n = do_mremap(PID, AREA + 0x500000, 3 * P, 5 * P, MREMAP_MAYMOVE, 0);
	assert_true(n > 0 && (u64)n != AREA + 0x500000);
	check_file_page(PID, n, 0);
	expect_tag(PID, n + P, 13);
	check_file_page(PID, n + 2 * P, 2 * P);
	check_file_page(PID, n + 3 * P, 3 * P);	/* the grown part maps the file on */
	check_file_page(PID, n + 4 * P, 4 * P);	/* past its end: zeroes */
	expect_unmapped(PID, AREA + 0x500000);

	/* errors, as Linux's */
	assert_int_equal(do_mremap(PID, AREA + 0x400000 + 1, P, 2 * P, MREMAP_MAYMOVE, 0), -EINVAL);
	assert_int_equal(do_mremap(PID, AREA + 0x400000, P, 2 * P, MREMAP_FIXED, AREA), -EINVAL);
	assert_int_equal(do_mremap(PID, AREA + 0x400000, P, 0, MREMAP_MAYMOVE, 0), -EINVAL);
	assert_int_equal(do_mremap(PID, AREA + 0x400000, P, P, 0x80, 0), -EINVAL);
	/* old and new ranges overlap */
	assert_int_equal(do_mremap(PID, AREA + 0x400000 + 2 * P, 2 * P, 2 * P,
				   MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 0x400000 + 3 * P), -EINVAL);
	assert_int_equal(do_mremap(PID, AREA + 0x800000, P, 2 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	/* a range running past its VMA */
	assert_int_equal(do_mremap(PID, AREA + 0x400000, 2 * P, 3 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	assert_int_equal(do_mremap(PID + 50, AREA, P, P, 0, 0), -ESRCH);
	expect_tag(PID, AREA + 0x400000, 10);
}

static void test_brk(void **state)
{
	static char maps[8192];
	const u64 start = init_rep.start_brk;
	struct m_brk_req req = { 0 };
	u64 before;

	(void)state;
	assert_int_equal(start, 0x408000);
	assert_int_equal(do_brk(PID, 0), start);
	expect_unmapped(PID, start);

	/* grow: zeroed, writable memory */
	assert_int_equal(do_brk(PID, start + 3 * P + 0x10), start + 3 * P + 0x10);
	assert_int_equal(do_brk(PID, 0), start + 3 * P + 0x10);
	expect_zero(PID, start);
	expect_zero(PID, start + 3 * P);
	expect_unmapped(PID, start + 4 * P);
	assert_int_equal(prot_at(PID, start + 3 * P), RW);
	assert_int_equal(mmt_maps(PID, maps, sizeof(maps)), 0);
	assert_non_null(strstr(maps, "000000408000-00000040c000 rw-p 00000000 00:00 0    [heap]\n"));
	store(PID, start, 1);
	store(PID, start + P, 2);
	store(PID, start + 2 * P, 3);
	store(PID, start + 3 * P, 4);

	/* within the last page: nothing moves */
	before = mmt_free_pages();
	assert_int_equal(do_brk(PID, start + 3 * P + 8), start + 3 * P + 8);
	assert_int_equal(mmt_free_pages(), before);
	expect_tag(PID, start + 3 * P, 4);

	/* shrink: the pages above the new break are freed */
	assert_int_equal(do_brk(PID, start + P), start + P);
	assert_int_equal(mmt_free_pages(), before + 3);
	expect_tag(PID, start, 1);
	expect_unmapped(PID, start + P);
	expect_unmapped(PID, start + 3 * P);

	/* grow again: zeroes, not the old data */
	assert_int_equal(do_brk(PID, start + 4 * P), start + 4 * P);
	expect_tag(PID, start, 1);
	expect_zero(PID, start + P);
	expect_zero(PID, start + 2 * P);
	expect_zero(PID, start + 3 * P);

	/* refused moves leave the break where it is, as Linux's brk */
	assert_int_equal(do_brk(PID, start - 1), start + 4 * P);
	assert_int_equal(do_brk(PID, 0x1000), start + 4 * P);
	assert_int_equal(do_brk(PID, 1ULL << 47), start + 4 * P);
	assert_int_equal(do_brk(PID, ~0ULL), start + 4 * P);
	assert_int_equal(do_mmap(PID, start + 8 * P, P, PROT_READ, ANON | MAP_FIXED), start + 8 * P);
	assert_int_equal(do_brk(PID, start + 10 * P), start + 4 * P);
	assert_int_equal(prot_at(PID, start + 8 * P), PROT_READ);
	expect_unmapped(PID, start + 4 * P);
	/* up to the mapping is fine */
	assert_int_equal(do_brk(PID, start + 8 * P), start + 8 * P);
	expect_zero(PID, start + 7 * P);

	/* down to the start: the heap is gone */
	assert_int_equal(do_brk(PID, start), start);
	expect_unmapped(PID, start);
	req.brk = start;
	req.pid = PID + 50;
	assert_int_equal(mmt_call(M_OP_BRK, &req, sizeof(req), NULL, 0, NULL), -ESRCH);
	assert_int_equal(mmt_call(M_OP_BRK, &req, sizeof(req) - 1, NULL, 0, NULL), -EINVAL);
}

static void test_madvise_dontneed(void **state)
{
	u8 page[P];
	u64 before;
	long s;

	(void)state;
	/* private anonymous: zeroes afterwards, the pages freed */
	assert_int_equal(do_mmap(PID, AREA, 3 * P, RW, ANON | MAP_FIXED), AREA);
	store(PID, AREA, 1);
	store(PID, AREA + P, 2);
	store(PID, AREA + 2 * P, 3);
	before = mmt_free_pages();
	assert_int_equal(do_madvise(PID, AREA, 2 * P, MADV_DONTNEED), 0);
	assert_int_equal(mmt_free_pages(), before + 2);
	expect_zero(PID, AREA);
	expect_zero(PID, AREA + P);
	expect_tag(PID, AREA + 2 * P, 3);
	/* the mapping itself stays */
	assert_int_equal(prot_at(PID, AREA), RW);
	store(PID, AREA, 4);
	expect_tag(PID, AREA, 4);

	/* private file mapping: back to the file's bytes */
	store(PID, 0x404000, 5);
	store(PID, 0x406000, 6);
	assert_int_equal(do_madvise(PID, 0x404000, 3 * P, MADV_DONTNEED), 0);
	mmt_read(PID, 0x404000, page, P);
	assert_memory_equal(page, init_img + 0x4000, P);
	expect_zero(PID, 0x406000);		/* bss */

	/* shared memory keeps its data */
	s = do_mmap(PID, 0, P, RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_true(s > 0);
	store(PID, s, 7);
	assert_int_equal(do_madvise(PID, s, P, MADV_DONTNEED), 0);
	expect_tag(PID, s, 7);

	/* harmless advice changes nothing */
	assert_int_equal(do_madvise(PID, AREA, 3 * P, MADV_WILLNEED), 0);
	assert_int_equal(do_madvise(PID, AREA, 3 * P, MADV_SEQUENTIAL), 0);
	expect_tag(PID, AREA, 4);

	/* errors, as Linux's; a hole gives ENOMEM after the rest was done */
	store(PID, AREA + 2 * P, 8);
	assert_int_equal(do_madvise(PID, AREA + 2 * P, 2 * P, MADV_DONTNEED), -ENOMEM);
	expect_zero(PID, AREA + 2 * P);
	assert_int_equal(do_madvise(PID, AREA, P, 12345), -EINVAL);
	assert_int_equal(do_madvise(PID, AREA + 1, P, MADV_DONTNEED), -EINVAL);
	assert_int_equal(do_madvise(PID, AREA, 0, MADV_DONTNEED), 0);
	assert_int_equal(do_madvise(PID, AREA, P, MADV_REMOVE), -EINVAL);
	expect_tag(PID, AREA, 4);
}

static void test_mmap_fixed_replaces(void **state)
{
	long a;
	int i;

	(void)state;
	assert_int_equal(do_mmap(PID, AREA, 4 * P, RW, ANON | MAP_FIXED), AREA);
	for (i = 0; i < 4; i++)
		store(PID, AREA + i * P, 10 + i);

	/* the middle two pages replaced: new protection, old data gone */
	assert_int_equal(do_mmap(PID, AREA + P, 2 * P, PROT_READ, ANON | MAP_FIXED), AREA + P);
	assert_null(page_at(PID, AREA + P));
	assert_null(page_at(PID, AREA + 2 * P));
	expect_zero(PID, AREA + P);
	expect_zero(PID, AREA + 2 * P);
	assert_int_equal(prot_at(PID, AREA + P), PROT_READ);
	assert_int_equal(mmt_miss(PID, AREA + P, M_MISS_WRITE, NULL, NULL, NULL), -EACCES);
	expect_tag(PID, AREA, 10);
	expect_tag(PID, AREA + 3 * P, 13);
	assert_int_equal(prot_at(PID, AREA + 3 * P), RW);

	/* over everything and past the end: one new mapping */
	assert_int_equal(do_mmap(PID, AREA, 6 * P, RW, ANON | MAP_FIXED), AREA);
	for (i = 0; i < 6; i++)
		expect_zero(PID, AREA + i * P);

	/* a file mapping over anonymous memory, and the reverse */
	store(PID, AREA + P, 20);
	assert_int_equal(do_mmap_file(PID, AREA, 2 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, 2,
				      "/etc/data"), AREA);
	check_file_page(PID, AREA, 2 * P);
	check_file_page(PID, AREA + P, 3 * P);	/* 100 bytes, then zeroes */
	expect_zero(PID, AREA + 2 * P);
	assert_int_equal(do_mmap(PID, AREA, P, RW, ANON | MAP_FIXED), AREA);
	expect_zero(PID, AREA);
	check_file_page(PID, AREA + P, 3 * P);

	/* MAP_FIXED_NOREPLACE refuses, and changes nothing */
	store(PID, AREA, 21);
	assert_int_equal(do_mmap(PID, AREA, 2 * P, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST);
	expect_tag(PID, AREA, 21);
	assert_int_equal(do_mmap(PID, AREA + 6 * P, P, RW, ANON | MAP_FIXED_NOREPLACE),
			 AREA + 6 * P);

	/* without MAP_FIXED, a taken hint is only a hint */
	a = do_mmap(PID, AREA, P, RW, ANON);
	assert_true(a > 0 && (u64)a != AREA);
	expect_tag(PID, AREA, 21);
	assert_int_equal(do_mmap(PID, AREA + 0x1000000, P, RW, ANON), AREA + 0x1000000);
}

static void test_mmap_file_and_errors(void **state)
{
	long a;

	(void)state;
	/* a private file mapping: the file's bytes, then zeroes; writable copy */
	a = do_mmap_file(PID, 0, 5 * P, RW, MAP_PRIVATE, 0, "/etc/data");
	assert_true(a > 0);
	check_file_page(PID, a, 0);
	check_file_page(PID, a + P, P);
	check_file_page(PID, a + 3 * P, 3 * P);
	expect_zero(PID, a + 4 * P);		/* past the end of the file */
	store(PID, a + P, 1);
	expect_tag(PID, a + P, 1);
	check_file_page(PID, a + 2 * P, 2 * P);

	/* errors, as Linux's */
	assert_int_equal(do_mmap(PID, 0, 0, RW, ANON), -EINVAL);
	assert_int_equal(do_mmap(PID, 0, P, RW, MAP_ANONYMOUS), -EINVAL);
	assert_int_equal(do_mmap(PID, 0, P, 0x10, ANON), -EINVAL);
	assert_int_equal(do_mmap(PID, AREA + 1, P, RW, ANON | MAP_FIXED), -EINVAL);
	assert_int_equal(do_mmap(PID, 0x1000, P, RW, ANON | MAP_FIXED), -EPERM);
	assert_int_equal(do_mmap(PID, USER_ADDR_MAX, 2 * P, RW, ANON | MAP_FIXED), -ENOMEM);
	assert_int_equal(do_mmap(PID, 0, 1ULL << 50, RW, ANON), -ENOMEM);
	assert_int_equal(do_mmap_file(PID, 0, P, PROT_READ, MAP_PRIVATE, 0, "/etc/none"), -EBADF);
	assert_int_equal(do_mmap_file(PID, 0, P, PROT_READ, MAP_PRIVATE, 0, "/etc"), -ENODEV);
	assert_int_equal(do_mmap_file(PID, 0, P, RW, MAP_SHARED, 0, "/etc/data"), -EACCES);
	assert_int_equal(do_mmap_file(PID, 0, P, PROT_READ, MAP_PRIVATE, ~0ULL >> 1, "/etc/data"),
			 -EOVERFLOW);
	assert_int_equal(do_mmap(PID + 50, 0, P, RW, ANON), -ESRCH);
	assert_int_equal(mmt_call(M_OP_MMAP, "", 1, NULL, 0, NULL), -EINVAL);

	/* MAP_32BIT stays in the second gigabyte */
	a = do_mmap(PID, 0, P, RW, ANON | MAP_32BIT);
	assert_true(a >= 0x40000000 && a + (long)P <= 0x80000000);
}

/* Exit gives back every page, whatever the process did. */
static void test_exit_frees_everything(void **state)
{
	struct m_exec_reply rep;
	u8 page[P];
	long a, s;

	(void)state;
	a = do_mmap(PID, AREA, 8 * P, RW, ANON | MAP_FIXED);
	assert_int_equal(a, AREA);
	s = do_mmap(PID, 0, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_true(s > 0);
	store(PID, AREA, 1);
	store(PID, AREA + 5 * P, 2);
	store(PID, s, 3);
	store(PID, 0x404000, 4);
	assert_int_equal(do_brk(PID, init_rep.start_brk + 5 * P), init_rep.start_brk + 5 * P);
	store(PID, init_rep.start_brk + 4 * P, 5);
	assert_int_equal(mmt_fork(PID, CHILD), 0);
	store(CHILD, AREA, 6);
	store(CHILD, s + P, 7);
	assert_true(do_mremap(CHILD, AREA, 8 * P, 16 * P, MREMAP_MAYMOVE, 0) > 0);
	assert_int_equal(mmt_fork(CHILD, GRANDCHILD), 0);
	/* the grandchild replaces its copy with a new program */
	assert_int_equal(mmt_exec(GRANDCHILD, "/bin/init", NULL, NULL, &rep), 0);
	expect_unmapped(GRANDCHILD, AREA);
	store(GRANDCHILD, 0x405000, 8);
	assert_int_equal(space_count(), 3);

	assert_int_equal(mmt_exit(CHILD), 0);
	expect_tag(PID, s + P, 7);		/* shared memory outlives the child */
	assert_int_equal(mmt_exit(GRANDCHILD), 0);
	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(space_count(), 0);
	assert_int_equal(mmt_free_pages(), free_before_exec);

	/* the space is gone for every request */
	pattern(page, 9);
	assert_int_equal(mmt_exit(PID), -ESRCH);
	assert_int_equal(mmt_miss(PID, AREA, 0, NULL, NULL, NULL), -ESRCH);
	assert_int_equal(mmt_writeback(PID, AREA, page), -ESRCH);
	assert_int_equal(do_mmap(PID, 0, P, RW, ANON), -ESRCH);
	assert_int_equal(do_munmap(PID, AREA, P), -ESRCH);
	assert_int_equal(mmt_fork(PID, CHILD), -ESRCH);
	assert_int_equal(mmt_maps(PID, (char *)page, sizeof(page)), -ESRCH);
	assert_int_equal(mmt_call(M_OP_EXIT, "", 1, NULL, 0, NULL), -EINVAL);
	assert_int_equal(mmt_free_pages(), free_before_exec);

	/* and the pid can start afresh */
	assert_int_equal(mmt_exec(PID, "/bin/init", NULL, NULL, &rep), 0);
	expect_unmapped(PID, AREA);
	expect_zero(PID, 0x406000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_anon_first_touch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeback_refetch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_cow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_parent_exits_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_shared_and_dontfork, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mprotect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_munmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mremap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_brk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madvise_dontneed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_fixed_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_file_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_frees_everything, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
