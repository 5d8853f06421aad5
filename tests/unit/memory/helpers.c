// SPDX-License-Identifier: GPL-2.0
/* Host support for the memory manager's unit tests (see helpers.h). */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/mutex.h>
#include <lego/slab.h>

#include "host.h"
#include "helpers.h"
#include "../../../managers/memory/elf.h"
#include "../../../managers/memory/internal.h"

#define RAM_SIZE	(128ULL << 20)
#define NR_PAGES	(RAM_SIZE / PAGE_SIZE)

static struct page *map;
static u64 baseline;

/* The kernel mutex sleeps in the scheduler; here a yielding flag will do. */
void mutex_init(struct mutex *m)
{
	m->owner = NULL;
}

void mutex_lock(struct mutex *m)
{
	void *none = NULL;

	while (!__atomic_compare_exchange_n(&m->owner, &none, (void *)m, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		none = NULL;
		sched_yield();
	}
}

bool mutex_trylock(struct mutex *m)
{
	void *none = NULL;

	return __atomic_compare_exchange_n(&m->owner, &none, (void *)m, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
}

bool mutex_is_locked(struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) != NULL;
}

void mmt_ram_setup(void)
{
	host_reset_counters();
	host_phys_init(RAM_SIZE);
	map = calloc(NR_PAGES, sizeof(*map));
	assert_non_null(map);
	buddy_init(map, NR_PAGES);
	buddy_free_range(0, NR_PAGES);
	kmem_cache_init();
	baseline = nr_free_pages();
}

u64 mmt_free_pages(void)
{
	return nr_free_pages();
}

void mmt_ram_teardown(void)
{
	/* slab keeps at most a partial page per size class */
	assert_true(nr_free_pages() + KMALLOC_NR_CACHES >= baseline);
	host_assert_balanced();
	free(map);
	map = NULL;
	host_phys_exit();
}

void mmt_cpio_init(struct mmt_cpio *c)
{
	memset(c, 0, sizeof(*c));
	c->ino = 100;
}

static void put(struct mmt_cpio *c, const void *p, size_t n)
{
	if (c->len + n + 4 > c->cap) {
		c->cap = (c->len + n + 4) * 2;
		c->data = realloc(c->data, c->cap);
		assert_non_null(c->data);
	}
	memcpy(c->data + c->len, p, n);
	c->len += n;
}

static void pad4(struct mmt_cpio *c)
{
	static const u8 zero[4];

	put(c, zero, (4 - (c->len & 3)) & 3);
}

void mmt_cpio_add(struct mmt_cpio *c, const char *name, u32 mode, const void *data, size_t size)
{
	char hdr[256];

	snprintf(hdr, sizeof(hdr),
		 "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		 c->ino++, mode, 0, 0, (mode & 0170000) == 0040000 ? 2 : 1, 1700000000,
		 size, 0, 0, 0, 0, strlen(name) + 1, 0);
	put(c, hdr, 110);
	put(c, name, strlen(name) + 1);
	pad4(c);
	if (size)
		put(c, data, size);
	pad4(c);
}

void mmt_cpio_dir(struct mmt_cpio *c, const char *name)
{
	mmt_cpio_add(c, name, 0040755, NULL, 0);
}

void mmt_cpio_file(struct mmt_cpio *c, const char *name, u32 mode, const void *data, size_t size)
{
	mmt_cpio_add(c, name, 0100000 | mode, data, size);
}

void mmt_cpio_symlink(struct mmt_cpio *c, const char *name, const char *target)
{
	mmt_cpio_add(c, name, 0120777, target, strlen(target));
}

void mmt_cpio_finish(struct mmt_cpio *c)
{
	mmt_cpio_add(c, "TRAILER!!!", 0, NULL, 0);
}

void mmt_cpio_free(struct mmt_cpio *c)
{
	free(c->data);
	memset(c, 0, sizeof(*c));
}

u8 mmt_elf_byte(u64 offset)
{
	return (u8)(offset * 7 + (offset >> 12) + 1);
}

u64 mmt_elf_seg_offset(const struct mmt_elf *e, unsigned int i)
{
	u64 off = PAGE_SIZE;	/* headers fill the first page */
	unsigned int j;

	for (j = 0; j < i; j++)
		off += ALIGN(e->segs[j].filesz + PAGE_SIZE, PAGE_SIZE);
	return off + (e->segs[i].vaddr & ~PAGE_MASK);
}

u8 *mmt_elf_build(const struct mmt_elf *e, size_t *len)
{
	unsigned int nph = e->nr_segs + !!e->interp + e->pt_phdr, i, k = 0;
	size_t size = mmt_elf_seg_offset(e, e->nr_segs - 1) + e->segs[e->nr_segs - 1].filesz;
	size_t interp_off = sizeof(struct elf64_ehdr) + nph * sizeof(struct elf64_phdr);
	struct elf64_ehdr eh = { 0 };
	struct elf64_phdr ph;
	u8 *buf;
	u64 o;

	buf = malloc(size);
	assert_non_null(buf);
	for (o = 0; o < size; o++)
		buf[o] = mmt_elf_byte(o);
	memcpy(eh.e_ident, "\177ELF", 4);
	eh.e_ident[4] = ELFCLASS64;
	eh.e_ident[5] = ELFDATA2LSB;
	eh.e_ident[6] = EV_CURRENT;
	eh.e_type = e->type;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = e->entry;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = nph;
	memcpy(buf, &eh, sizeof(eh));
	if (e->pt_phdr) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_PHDR;
		ph.p_offset = sizeof(eh);
		ph.p_vaddr = (e->segs[0].vaddr & PAGE_MASK) - PAGE_SIZE + sizeof(eh);
		ph.p_filesz = ph.p_memsz = nph * sizeof(ph);
		memcpy(buf + sizeof(eh) + k++ * sizeof(ph), &ph, sizeof(ph));
	}
	if (e->interp) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_INTERP;
		ph.p_offset = interp_off;
		ph.p_filesz = ph.p_memsz = strlen(e->interp) + 1;
		memcpy(buf + interp_off, e->interp, strlen(e->interp) + 1);
		memcpy(buf + sizeof(eh) + k++ * sizeof(ph), &ph, sizeof(ph));
	}
	for (i = 0; i < e->nr_segs; i++) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_flags = e->segs[i].flags;
		ph.p_offset = mmt_elf_seg_offset(e, i);
		ph.p_vaddr = ph.p_paddr = e->segs[i].vaddr;
		ph.p_filesz = e->segs[i].filesz;
		ph.p_memsz = e->segs[i].memsz;
		ph.p_align = PAGE_SIZE;
		memcpy(buf + sizeof(eh) + k++ * sizeof(ph), &ph, sizeof(ph));
	}
	*len = size;
	return buf;
}

int mmt_call(u32 op, const void *req, size_t len, void *out, size_t out_max, size_t *out_len)
{
	struct mm_reply r;
	int ret;

	mm_reply_init(&r);
	ret = mm_dispatch(op, MMT_NODE, req, len, &r);
	if (!ret) {
		assert_true(r.len <= out_max || !out);
		if (out && r.len)
			memcpy(out, r.data, r.len);
		if (out_len)
			*out_len = r.len;
	}
	mm_reply_release(&r);
	return ret;
}

static size_t vec_bytes(const char *const *v, u32 *count)
{
	size_t n = 0;

	*count = 0;
	for (; v && *v; v++, (*count)++)
		n += strlen(*v) + 1;
	return n;
}

static char *vec_copy(char *p, const char *const *v)
{
	for (; v && *v; v++) {
		strcpy(p, *v);
		p += strlen(*v) + 1;
	}
	return p;
}

int mmt_exec(u32 pid, const char *path, const char *const *argv, const char *const *envp,
	     struct m_exec_reply *rep)
{
	struct m_exec_req *req;
	u32 argc, envc;
	size_t strings = strlen(path) + 1 + vec_bytes(argv, &argc) + vec_bytes(envp, &envc);
	size_t got = 0;
	char *p;
	int ret;

	req = calloc(1, sizeof(*req) + strings);
	assert_non_null(req);
	req->pid = pid;
	req->argc = argc;
	req->envc = envc;
	req->strings_len = strings;
	strcpy(req->strings, path);
	p = vec_copy(req->strings + strlen(path) + 1, argv);
	vec_copy(p, envp);
	ret = mmt_call(M_OP_EXEC, req, sizeof(*req) + strings, rep, sizeof(*rep), &got);
	if (!ret)
		assert_int_equal(got, sizeof(*rep));
	free(req);
	return ret;
}

int mmt_fork(u32 parent, u32 child)
{
	struct m_fork_req req = { .parent = parent, .child = child };

	return mmt_call(M_OP_FORK, &req, sizeof(req), NULL, 0, NULL);
}

int mmt_exit(u32 pid)
{
	struct m_pid_req req = { .pid = pid };

	return mmt_call(M_OP_EXIT, &req, sizeof(req), NULL, 0, NULL);
}

int mmt_miss(u32 pid, u64 addr, u32 flags, void *page, u32 *prot, bool *zero)
{
	struct m_miss_req req = { .addr = addr, .pid = pid, .flags = flags };
	struct {
		struct m_miss_reply rep;
		u8 data[PAGE_SIZE];
	} out;
	size_t got = 0;
	int ret;

	ret = mmt_call(M_OP_MISS, &req, sizeof(req), &out, sizeof(out), &got);
	if (ret)
		return ret;
	if (out.rep.flags & M_REPLY_ZERO) {
		assert_int_equal(got, sizeof(out.rep));
		assert_false(flags & M_MISS_NOZERO);
		memset(out.data, 0, PAGE_SIZE);
	} else {
		assert_int_equal(out.rep.flags, 0);
		assert_int_equal(got, sizeof(out));
	}
	if (page)
		memcpy(page, out.data, PAGE_SIZE);
	if (prot)
		*prot = out.rep.prot;
	if (zero)
		*zero = out.rep.flags & M_REPLY_ZERO;
	return 0;
}

int mmt_writeback(u32 pid, u64 addr, const void *page)
{
	struct {
		struct m_wb_req req;
		u8 data[PAGE_SIZE];
	} in;

	memset(&in.req, 0, sizeof(in.req));
	in.req.addr = addr;
	in.req.pid = pid;
	memcpy(in.data, page, PAGE_SIZE);
	return mmt_call(M_OP_WRITEBACK, &in, sizeof(in), NULL, 0, NULL);
}

void mmt_read(u32 pid, u64 addr, void *buf, size_t len)
{
	static u8 page[PAGE_SIZE];

	while (len) {
		u64 base = addr & PAGE_MASK, off = addr - base;
		size_t n = min(len, (size_t)(PAGE_SIZE - off));

		assert_int_equal(mmt_miss(pid, base, 0, page, NULL, NULL), 0);
		memcpy(buf, page + off, n);
		addr += n;
		buf = (u8 *)buf + n;
		len -= n;
	}
}

u64 mmt_read64(u32 pid, u64 addr)
{
	u64 v;

	mmt_read(pid, addr, &v, sizeof(v));
	return v;
}

int mmt_maps(u32 pid, char *buf, size_t size)
{
	struct m_pid_req req = { .pid = pid };
	static char text[64 << 10];
	size_t got = 0;
	int ret;

	ret = mmt_call(M_OP_MAPS, &req, sizeof(req), text, sizeof(text), &got);
	if (ret)
		return ret;
	assert_true(got < size);
	memcpy(buf, text, got);
	buf[got] = 0;
	return 0;
}
