// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the ExCache bookkeeping (managers/processor/excache/core.c
 * and config.c): set selection, replacement policies, busy lines, the
 * victim cache, write-backs in flight, flushes, the run-time configuration
 * parser and the counters' text; and a simulated workload that drives the
 * miss path like fault.c does, against fake page tables and a fake memory
 * manager, checking every byte read through evictions and write-backs.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <uapi/lego/mman.h>

#include <stdio.h>
#include <stdlib.h>

#include "host.h"
#include "../../managers/processor/excache/excache_core.h"

#define NPAGES		4096		/* user pages a fake process can touch */
#define MAX_SLOTS	1024
#define REGION_BASE	0x40000000ULL
#define PTE_RW		user_pte_bits(PROT_READ | PROT_WRITE)

struct fake_mm {
	struct mm_struct mm;
	pte_t pte[NPAGES];
	u64 backing[NPAGES][2];	/* the memory manager's copy: first and last word */
	bool has_backing[NPAGES];
	u64 shadow[NPAGES];	/* what a read must see */
};

u64 supported_pte_mask = ~0ULL;	/* the CPU has NX (arch/x86/mm/pgtable.c) */

static u8 *ram;			/* the fake region's pages */
static unsigned long tlb_flushes;
static struct exc_line line_table[MAX_SLOTS];

static struct fake_mm *fake_of(struct mm_struct *mm)
{
	return container_of(mm, struct fake_mm, mm);
}

static pte_t *fake_pte_of(struct mm_struct *mm, unsigned long va)
{
	assert_true((va >> 12) < NPAGES);
	return &fake_of(mm)->pte[va >> 12];
}

static void fake_flush_tlb(struct mm_struct *mm, unsigned long va)
{
	tlb_flushes++;
}

static const struct exc_ops fake_ops = {
	.pte_of = fake_pte_of,
	.flush_tlb_page = fake_flush_tlb,
};

static u64 *page_of(phys_addr_t phys)
{
	assert_true(phys >= REGION_BASE && phys < REGION_BASE + MAX_SLOTS * 4096ULL);
	return (u64 *)(ram + (phys - REGION_BASE));
}

static struct fake_mm *fake_mm_new(int pid)
{
	struct fake_mm *fm = calloc(1, sizeof(*fm));

	assert_non_null(fm);
	fm->mm.pid = pid;
	fm->mm.mem_node = 1;
	return fm;
}

static void cache_init(struct exc_cache *c, unsigned long lines, unsigned int ways,
		       unsigned int victim, enum exc_policy policy)
{
	struct exc_config cfg = {
		.size = (u64)lines << 12,
		.ways = ways,
		.victim = victim,
		.policy = policy,
	};

	memset(c, 0, sizeof(*c));
	memset(line_table, 0, sizeof(line_table));
	assert_int_equal(exc_config_check(&cfg, MAX_SLOTS), 0);
	c->lines = line_table;
	c->ops = &fake_ops;
	c->rand_state = 12345;
	exc_layout(c, &cfg, REGION_BASE);
	tlb_flushes = 0;
}

static int setup(void **state __unused)
{
	ram = aligned_alloc(4096, MAX_SLOTS * 4096UL);
	return ram ? 0 : -1;
}

static int teardown(void **state __unused)
{
	free(ram);
	return 0;
}

/* The n-th page (from 0) that maps to set. */
static unsigned long va_in_set(const struct exc_cache *c, unsigned long set, unsigned long n)
{
	return (set + n * c->nsets) << 12;
}

/* A whole miss as fault.c does it, fetching from fm's backing store. */
static int do_miss(struct exc_cache *c, struct fake_mm *fm, unsigned long va, unsigned int flags)
{
	struct exc_miss m = { .mm = &fm->mm, .va = va, .flags = flags };
	unsigned long vpn = va >> 12;
	int ret = exc_miss_begin(c, &m);
	u64 *page;

	if (ret != EXC_FETCH)
		return ret;
	if (m.wb.active) {
		struct fake_mm *owner = fake_of(m.wb.mm);
		u64 *data = page_of(m.wb.phys);

		assert_int_equal(m.wb.pid, owner->mm.pid);
		owner->backing[m.wb.va >> 12][0] = data[0];
		owner->backing[m.wb.va >> 12][1] = data[511];
		owner->has_backing[m.wb.va >> 12] = true;
		exc_wb_done(c, &m.wb);
	}
	page = page_of(m.line->phys);
	if (fm->has_backing[vpn]) {
		memset(page, 0xa5, 4096);
		page[0] = fm->backing[vpn][0];
		page[511] = fm->backing[vpn][1];
	} else {
		memset(page, 0, 4096);
	}
	exc_miss_finish(c, &m, PTE_RW);
	return EXC_FETCH;
}

/* A CPU access: through the PTE if present, else fault and retry. */
static void access_page(struct exc_cache *c, struct fake_mm *fm, unsigned long va, bool write,
			u64 value)
{
	unsigned long vpn = va >> 12;
	int tries;

	for (tries = 0; tries < 3; tries++) {
		pte_t pte = fm->pte[vpn];
		u64 *page;

		if (!(pte & _PAGE_PRESENT)) {
			int ret = do_miss(c, fm, va, write ? EXC_FAULT_WRITE : 0);

			assert_true(ret == EXC_FETCH || ret == EXC_VICTIM_HIT);
			continue;
		}
		page = page_of(pte & PTE_ADDR_MASK);
		fm->pte[vpn] |= _PAGE_ACCESSED;
		if (write) {
			fm->pte[vpn] |= _PAGE_DIRTY;
			page[0] = value;
			page[511] = value;
			fm->shadow[vpn] = value;
		} else {
			assert_int_equal(page[0], fm->shadow[vpn]);
			assert_int_equal(page[511], fm->shadow[vpn]);
		}
		return;
	}
	fail_msg("page %#lx never mapped", va);
}

/* Who holds what: every cached page once, every PTE at its line, the counts right. */
static void check_invariants(struct exc_cache *c, struct fake_mm **mms, int nmm)
{
	unsigned long i, j, total = c->nr_lines + c->cfg.victim;

	for (int k = 0; k < nmm; k++) {
		long held = 0;

		for (i = 0; i < total; i++)
			if (c->lines[i].state != EXC_FREE && c->lines[i].mm == &mms[k]->mm)
				held++;
		assert_int_equal(atomic_long_read(&mms[k]->mm.nr_lines), held);
		for (i = 0; i < NPAGES; i++) {
			pte_t pte = mms[k]->pte[i];
			struct exc_line *l;

			if (!(pte & _PAGE_PRESENT))
				continue;
			l = &c->lines[exc_set_of(c, i << 12) * c->cfg.ways];
			for (j = 0; j < c->cfg.ways; j++)
				if (l[j].mm == &mms[k]->mm && l[j].va == i << 12)
					break;
			assert_true(j < c->cfg.ways);
			assert_int_equal(pte & PTE_ADDR_MASK, l[j].phys);
			assert_ptr_equal(l[j].ptep, &mms[k]->pte[i]);
		}
	}
	for (i = 0; i < total; i++) {
		if (c->lines[i].state == EXC_FREE)
			continue;
		assert_int_equal(c->lines[i].state, EXC_VALID);
		for (j = i + 1; j < total; j++)
			assert_false(c->lines[j].state != EXC_FREE &&
				     c->lines[j].mm == c->lines[i].mm &&
				     c->lines[j].va == c->lines[i].va);
		/* pages are swapped, never shared */
		for (j = i + 1; j < total; j++)
			assert_true(c->lines[j].phys != c->lines[i].phys);
	}
	assert_true(list_empty(&c->pending));
}

static void test_sets_even(void **state __unused)
{
	static const struct { unsigned long lines; unsigned int ways; } geo[] = {
		{ 128, 8 }, { 100, 8 }, { 1000, 3 }, { 16, 16 }, { 999, 1 },
	};
	struct exc_cache c;
	unsigned long counts[MAX_SLOTS];

	for (size_t g = 0; g < ARRAY_SIZE(geo); g++) {
		cache_init(&c, geo[g].lines, geo[g].ways, 0, EXC_POLICY_FIFO);
		assert_int_equal(c.nsets, geo[g].lines / geo[g].ways);
		assert_int_equal(c.nr_lines, c.nsets * geo[g].ways);
		memset(counts, 0, sizeof(counts));
		/* consecutive pages from an odd start, as a program touches them */
		for (unsigned long p = 0; p < c.nsets * 10; p++) {
			unsigned long set = exc_set_of(&c, 0x400000UL + (p << 12));

			assert_true(set < c.nsets);
			counts[set]++;
		}
		for (unsigned long s = 0; s < c.nsets; s++)
			assert_int_equal(counts[s], 10);
	}
}

static void test_fifo_order(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(7);
	unsigned long set = 3;

	cache_init(&c, 64, 4, 0, EXC_POLICY_FIFO);
	for (int i = 0; i < 4; i++)
		assert_int_equal(do_miss(&c, fm, va_in_set(&c, set, i), 0), EXC_FETCH);
	/* touching does not matter to FIFO */
	fm->pte[va_in_set(&c, set, 0) >> 12] |= _PAGE_ACCESSED;
	for (int i = 4; i < 10; i++) {
		unsigned long gone = va_in_set(&c, set, i - 4);

		assert_true(fm->pte[gone >> 12] & _PAGE_PRESENT);
		assert_int_equal(do_miss(&c, fm, va_in_set(&c, set, i), 0), EXC_FETCH);
		assert_false(fm->pte[gone >> 12] & _PAGE_PRESENT);
		assert_true(fm->pte[va_in_set(&c, set, i - 3) >> 12] & _PAGE_PRESENT);
	}
	assert_int_equal(c.stats.evictions, 6);
	assert_int_equal(c.stats.wb_clean, 6);
	assert_int_equal(c.stats.wb_dirty, 0);
	assert_int_equal(tlb_flushes, 6);
	check_invariants(&c, &fm, 1);
	free(fm);
}

static void test_lru_order(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(8);
	unsigned long set = 5;
	int i;

	cache_init(&c, 64, 4, 0, EXC_POLICY_LRU);
	for (i = 0; i < 4; i++)
		do_miss(&c, fm, va_in_set(&c, set, i), 0);
	/* a scan has seen them all; then only page 0 and page 2 are used */
	exc_lru_scan(&c, set);
	for (i = 0; i < 4; i++)
		assert_false(fm->pte[va_in_set(&c, set, i) >> 12] & _PAGE_ACCESSED);
	fm->pte[va_in_set(&c, set, 0) >> 12] |= _PAGE_ACCESSED;
	fm->pte[va_in_set(&c, set, 2) >> 12] |= _PAGE_ACCESSED;
	do_miss(&c, fm, va_in_set(&c, set, 4), 0);
	assert_false(fm->pte[va_in_set(&c, set, 1) >> 12] & _PAGE_PRESENT);
	do_miss(&c, fm, va_in_set(&c, set, 5), 0);
	assert_false(fm->pte[va_in_set(&c, set, 3) >> 12] & _PAGE_PRESENT);
	assert_true(fm->pte[va_in_set(&c, set, 0) >> 12] & _PAGE_PRESENT);
	assert_true(fm->pte[va_in_set(&c, set, 2) >> 12] & _PAGE_PRESENT);

	/* exc_pick_way alone: the smallest stamp among valid ways */
	struct exc_line *l = exc_set_lines(&c, set);

	for (i = 0; i < 4; i++)
		l[i].stamp = 100 + (i * 7) % 4;	/* 100, 103, 102, 101 */
	assert_ptr_equal(exc_pick_way(&c, set), &l[0]);
	l[0].stamp = 200;
	assert_ptr_equal(exc_pick_way(&c, set), &l[3]);
	check_invariants(&c, &fm, 1);
	free(fm);
}

static void test_random_within_set(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(9);
	unsigned long set = 2;
	int seen[8] = { 0 };
	struct exc_line *l;

	cache_init(&c, 64, 8, 0, EXC_POLICY_RANDOM);
	for (int i = 0; i < 8; i++)
		do_miss(&c, fm, va_in_set(&c, set, i), 0);
	l = exc_set_lines(&c, set);
	for (int i = 0; i < 2000; i++) {
		struct exc_line *w = exc_pick_way(&c, set);

		assert_true(w >= l && w < l + 8);
		seen[w - l]++;
	}
	for (int i = 0; i < 8; i++)
		assert_true(seen[i] > 100);
	/* and evictions through the whole path stay in the set */
	for (int i = 8; i < 40; i++) {
		do_miss(&c, fm, va_in_set(&c, set, i), 0);
		for (unsigned long s = 0; s < c.nsets; s++)
			if (s != set)
				assert_int_equal(exc_set_lines(&c, s)[0].state, EXC_FREE);
	}
	check_invariants(&c, &fm, 1);
	free(fm);
}

static void test_busy_lines_never_taken(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(10);
	struct exc_miss m = { .mm = &fm->mm };
	unsigned long set = 1;
	struct exc_line *l;

	for (int p = 0; p < EXC_NR_POLICIES; p++) {
		cache_init(&c, 64, 4, 0, p);
		for (int i = 0; i < 4; i++)
			do_miss(&c, fm, va_in_set(&c, set, i), 0);
		l = exc_set_lines(&c, set);
		l[0].state = EXC_FILLING;
		l[1].state = EXC_FLUSHING;
		l[3].state = EXC_FILLING;
		for (int i = 0; i < 50; i++)
			assert_ptr_equal(exc_pick_way(&c, set), &l[2]);
		l[2].state = EXC_FLUSHING;
		assert_null(exc_pick_way(&c, set));
		m.va = va_in_set(&c, set, 9);
		assert_int_equal(exc_miss_begin(&c, &m), EXC_WAIT);
		/* a fault on a page being filled waits for it */
		m.va = l[0].va;
		fm->pte[m.va >> 12] = 0;
		assert_int_equal(exc_miss_begin(&c, &m), EXC_WAIT);
		memset(fm->pte, 0, sizeof(fm->pte));
		atomic_long_add_return(-atomic_long_read(&fm->mm.nr_lines), &fm->mm.nr_lines);
	}
	free(fm);
}

static void test_present_and_denied(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(11);
	struct exc_miss m = { .mm = &fm->mm, .va = 0x5000 };

	cache_init(&c, 64, 4, 0, EXC_POLICY_LRU);
	assert_int_equal(do_miss(&c, fm, 0x5000, 0), EXC_FETCH);
	m.flags = 0;
	assert_int_equal(exc_miss_begin(&c, &m), EXC_MAPPED);
	assert_int_equal(c.stats.hits, 1);
	fm->pte[5] &= ~_PAGE_RW;
	m.flags = EXC_FAULT_WRITE;
	assert_int_equal(exc_miss_begin(&c, &m), EXC_DENIED);
	m.flags = EXC_FAULT_EXEC;
	assert_int_equal(exc_miss_begin(&c, &m), EXC_DENIED);
	free(fm);
}

static void test_victim_cache(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(12);
	unsigned long set = 0;
	unsigned long va0, va1;
	struct exc_miss m = { .mm = &fm->mm };

	/* 2 ways, 2 victim entries */
	cache_init(&c, 34, 2, 2, EXC_POLICY_FIFO);
	assert_int_equal(c.nsets, 16);
	va0 = va_in_set(&c, set, 0);
	va1 = va_in_set(&c, set, 1);
	access_page(&c, fm, va0, true, 0x1111);
	access_page(&c, fm, va1, false, 0);
	/* two more pages push both into the victim cache: nothing is sent */
	access_page(&c, fm, va_in_set(&c, set, 2), false, 0);
	access_page(&c, fm, va_in_set(&c, set, 3), false, 0);
	assert_false(fm->pte[va0 >> 12] & _PAGE_PRESENT);
	assert_false(fm->has_backing[va0 >> 12]);
	assert_int_equal(c.stats.wb_dirty + c.stats.wb_clean, 0);
	assert_non_null(exc_victim_find(&c, &fm->mm, va0));

	/* a hit swaps the page back, dirty bit and all, and the evicted one in */
	assert_int_equal(do_miss(&c, fm, va0, 0), EXC_VICTIM_HIT);
	assert_true(fm->pte[va0 >> 12] & _PAGE_DIRTY);
	assert_int_equal(c.stats.victim_hits, 1);
	assert_int_equal(c.stats.hits, 1);
	access_page(&c, fm, va0, false, 0);
	assert_null(exc_victim_find(&c, &fm->mm, va0));

	/* a write-protected page in the victim cache refuses a write */
	struct exc_line *e = exc_victim_find(&c, &fm->mm, va1);

	assert_non_null(e);
	e->pte &= ~_PAGE_RW;
	m.va = va1;
	m.flags = EXC_FAULT_WRITE;
	assert_int_equal(exc_miss_begin(&c, &m), EXC_DENIED);
	e->pte |= _PAGE_RW;

	/* pushed out of the victim cache: dirty pages are written back, clean ones not */
	for (int i = 4; i < 10; i++)
		access_page(&c, fm, va_in_set(&c, set, i), false, 0);
	assert_true(fm->has_backing[va0 >> 12]);
	assert_int_equal(fm->backing[va0 >> 12][0], 0x1111);
	assert_int_equal(c.stats.wb_dirty, 1);
	assert_true(c.stats.wb_clean >= 4);
	access_page(&c, fm, va0, false, 0);
	check_invariants(&c, &fm, 1);
	free(fm);
}

static void test_wb_in_flight_blocks_fault(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(13);
	struct exc_miss m = { .mm = &fm->mm }, m2 = { .mm = &fm->mm };
	unsigned long set = 4;

	cache_init(&c, 16, 1, 0, EXC_POLICY_FIFO);
	access_page(&c, fm, va_in_set(&c, set, 0), true, 42);
	/* evict the dirty page but keep its write-back in flight */
	m.va = va_in_set(&c, set, 1);
	assert_int_equal(exc_miss_begin(&c, &m), EXC_FETCH);
	assert_true(m.wb.active);
	assert_int_equal(m.wb.va, va_in_set(&c, set, 0));
	assert_int_equal(page_of(m.wb.phys)[0], 42);
	m2.va = va_in_set(&c, set, 0);
	assert_int_equal(exc_miss_begin(&c, &m2), EXC_WAIT);
	exc_wb_done(&c, &m.wb);
	exc_miss_abort(&c, &m);
	assert_int_equal(atomic_long_read(&fm->mm.nr_lines), 0);
	assert_int_equal(exc_miss_begin(&c, &m2), EXC_FETCH);
	free(fm);
}

/* A flush of [start, end) of fm as flush.c does it, single-threaded. */
static void sim_flush(struct exc_cache *c, struct fake_mm *fm, unsigned long start,
		      unsigned long end, unsigned int how)
{
	unsigned long i;

	for (i = 0; i < c->nr_lines; i++) {
		struct exc_line *l = &c->lines[i];
		pte_t old;

		if (l->state != EXC_VALID || l->mm != &fm->mm || l->va < start || l->va >= end)
			continue;
		old = exc_flush_line_begin(c, l, how);
		if (!old)
			continue;
		assert_int_equal(l->state, EXC_FLUSHING);
		if ((how & EXC_FLUSH_WRITEBACK) && (old & _PAGE_DIRTY)) {
			fm->backing[l->va >> 12][0] = page_of(l->phys)[0];
			fm->backing[l->va >> 12][1] = page_of(l->phys)[511];
			fm->has_backing[l->va >> 12] = true;
			c->stats.flush_wb++;
		}
		exc_flush_line_end(c, l, how, true);
	}
	for (i = 0; i < c->cfg.victim; i++) {
		struct exc_line *e = &c->victims[i];

		if (e->state != EXC_VALID || e->mm != &fm->mm || e->va < start || e->va >= end)
			continue;
		if (!exc_flush_victim_begin(c, e, how))
			continue;
		fm->backing[e->va >> 12][0] = page_of(e->phys)[0];
		fm->backing[e->va >> 12][1] = page_of(e->phys)[511];
		fm->has_backing[e->va >> 12] = true;
		c->stats.flush_wb++;
		exc_flush_victim_end(c, e, how, true);
	}
}

static void test_flush(void **state __unused)
{
	struct exc_cache c;
	struct fake_mm *fm = fake_mm_new(14);

	cache_init(&c, 40, 4, 4, EXC_POLICY_LRU);
	for (unsigned long p = 16; p < 80; p++)
		access_page(&c, fm, p << 12, p % 3 == 0, p);
	/* write back: lines stay mapped and clean */
	sim_flush(&c, fm, 0, NPAGES << 12, EXC_FLUSH_WRITEBACK);
	for (unsigned long p = 16; p < 80; p++) {
		assert_false(fm->pte[p] & _PAGE_DIRTY);
		if (p % 3 == 0)
			assert_int_equal(fm->backing[p][0], p);
	}
	check_invariants(&c, &fm, 1);
	/* a failed write-back leaves the line dirty */
	for (unsigned long i = 0; i < c.nr_lines; i++) {
		struct exc_line *l = &c.lines[i];

		if (l->state != EXC_VALID)
			continue;
		*l->ptep |= _PAGE_DIRTY;
		assert_true(exc_flush_line_begin(&c, l, EXC_FLUSH_WRITEBACK) & _PAGE_DIRTY);
		assert_false(*l->ptep & _PAGE_DIRTY);
		exc_flush_line_end(&c, l, EXC_FLUSH_WRITEBACK, false);
		assert_true(*l->ptep & _PAGE_DIRTY);
		assert_int_equal(l->state, EXC_VALID);
		break;
	}
	/* drop part of the range, then all of it */
	sim_flush(&c, fm, 40 << 12, 60 << 12, EXC_FLUSH_WRITEBACK | EXC_FLUSH_DROP);
	for (unsigned long p = 40; p < 60; p++)
		assert_false(fm->pte[p] & _PAGE_PRESENT);
	check_invariants(&c, &fm, 1);
	sim_flush(&c, fm, 0, NPAGES << 12, EXC_FLUSH_DROP);
	assert_int_equal(atomic_long_read(&fm->mm.nr_lines), 0);
	for (unsigned long i = 0; i < c.nr_lines + c.cfg.victim; i++)
		assert_int_equal(c.lines[i].state, EXC_FREE);
	free(fm);
}

static void test_configure_parser(void **state __unused)
{
	static const char *const bad[] = {
		"", "   ", "ways=0", "ways=abc", "ways=", "ways=300", "bogus=1", "size=1Q",
		"size=", "victim=1000", "size=100G", "size=8K", "policy=lfu", "ways=4 junk",
		"reset=1", "ways=-1", "ways=4x", "ways=99999999999", "victim=800 ways=1",
		"sizeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee=1",
	};
	struct exc_config cur = { .size = 512 << 12, .ways = 8, .victim = 0, .policy = EXC_POLICY_LRU };
	struct exc_config out, sentinel;
	bool reset;

	assert_int_equal(exc_parse_spec("ways=4", &cur, 1000, &out, &reset), 0);
	assert_int_equal(out.ways, 4);
	assert_int_equal(out.size, cur.size);
	assert_int_equal(out.policy, EXC_POLICY_LRU);
	assert_false(reset);
	assert_int_equal(exc_parse_spec("size=1M policy=fifo victim=2 reset\n", &cur, 1000,
					&out, &reset), 0);
	assert_int_equal(out.size, 1 << 20);
	assert_int_equal(out.policy, EXC_POLICY_FIFO);
	assert_int_equal(out.victim, 2);
	assert_int_equal(out.ways, 8);
	assert_true(reset);
	assert_int_equal(exc_parse_spec("\tpolicy=random  ways=1 ", &cur, 1000, &out, &reset), 0);
	assert_int_equal(out.policy, EXC_POLICY_RANDOM);
	assert_int_equal(out.ways, 1);
	assert_int_equal(exc_parse_spec("reset", &cur, 1000, &out, &reset), 0);
	assert_memory_equal(&out, &cur, sizeof(cur));
	assert_true(reset);
	assert_int_equal(exc_parse_spec("size=4000K", &cur, 1000, &out, &reset), 0);
	assert_int_equal(out.size, 1000 << 12);

	memset(&sentinel, 0x5a, sizeof(sentinel));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		out = sentinel;
		reset = true;
		assert_int_equal(exc_parse_spec(bad[i], &cur, 1000, &out, &reset), -EINVAL);
		assert_memory_equal(&out, &sentinel, sizeof(out));
		assert_true(reset);
	}
	assert_int_equal(exc_policy_parse("lru", 3), EXC_POLICY_LRU);
	assert_int_equal(exc_policy_parse("lr", 2), -EINVAL);
	assert_string_equal(exc_policy_name(EXC_POLICY_RANDOM), "random");
}

static u64 stat_value(const char *text, const char *name)
{
	char key[40];
	const char *p = text;
	unsigned long long v;

	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(text, key);
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(key), "%llu", &v), 1);
	return v;
}

static void test_format_stats(void **state __unused)
{
	struct exc_cache c;
	struct excache_stats s;
	char buf[512];
	size_t n;

	cache_init(&c, 256, 8, 0, EXC_POLICY_LRU);
	s = c.stats;
	s.hits = 1;
	s.misses = 123;
	s.zerofills = 23;
	s.evictions = 67;
	s.wb_clean = 20;
	s.wb_dirty = 47;
	s.wb_piggyback = 40;
	s.flush_wb = 3;
	s.miss_ns_total = 100 * 450000ULL;
	s.miss_ns_max = 900000;
	n = exc_format_stats(buf, sizeof(buf), &c, &s);
	assert_int_equal(n, strlen(buf));
	assert_true(!strncmp(buf, "lines 256 ways 8 sets 32 policy lru victim 0\n", 45));
	assert_int_equal(stat_value(buf, "hits"), 1);
	assert_int_equal(stat_value(buf, "misses"), 123);
	assert_int_equal(stat_value(buf, "zerofills"), 23);
	assert_int_equal(stat_value(buf, "evictions"), 67);
	assert_int_equal(stat_value(buf, "wb_clean"), 20);
	assert_int_equal(stat_value(buf, "wb_dirty"), 47);
	assert_int_equal(stat_value(buf, "wb_piggyback"), 40);
	assert_int_equal(stat_value(buf, "flush_wb"), 3);
	assert_int_equal(stat_value(buf, "victim_hits"), 0);
	assert_int_equal(stat_value(buf, "miss_ns_avg"), 450000);
	assert_int_equal(stat_value(buf, "miss_ns_max"), 900000);
	assert_int_equal(buf[n - 1], '\n');

	/* a short buffer is filled and terminated, never overrun */
	memset(buf, 'x', sizeof(buf));
	n = exc_format_stats(buf, 60, &c, &s);
	assert_int_equal(n, 59);
	assert_int_equal(buf[59], '\0');
	assert_int_equal(buf[60], 'x');
	assert_int_equal(exc_format_stats(buf, 0, &c, &s), 0);
}

/* Random reads and writes of several processes through a small cache. */
static void run_workload(enum exc_policy policy, unsigned int victim, unsigned int ways)
{
	enum { NMM = 3, HOT = 40, STEPS = 40000 };
	struct fake_mm *mms[NMM];
	struct exc_cache c;
	u64 value = 1;

	cache_init(&c, 96 + victim, ways, victim, policy);
	for (int k = 0; k < NMM; k++)
		mms[k] = fake_mm_new(100 + k);
	host_srand(policy * 1000 + victim * 10 + ways);
	for (int step = 0; step < STEPS; step++) {
		struct fake_mm *fm = mms[host_rand() % NMM];
		/* mostly a hot range, sometimes anywhere */
		unsigned long vpn = 16 + (host_rand() % 4 ? host_rand() % HOT :
					  host_rand() % (NPAGES - 16));
		bool write = host_rand() % 3 == 0;

		access_page(&c, fm, vpn << 12, write, value++);
		switch (host_rand() % 2000) {
		case 0:	/* fork-like: write everything back */
			sim_flush(&c, fm, 0, NPAGES << 12, EXC_FLUSH_WRITEBACK);
			break;
		case 1:	/* mprotect-like */
			sim_flush(&c, fm, vpn << 12, (vpn + 64) << 12,
				  EXC_FLUSH_WRITEBACK | EXC_FLUSH_DROP);
			break;
		case 2:	/* munmap: the data is dead, the memory manager forgets it */
			sim_flush(&c, fm, vpn << 12, (vpn + 8) << 12, EXC_FLUSH_DROP);
			for (unsigned long p = vpn; p < vpn + 8 && p < NPAGES; p++) {
				fm->has_backing[p] = false;
				fm->shadow[p] = 0;
			}
			break;
		}
		if (step % 4000 == 0)
			check_invariants(&c, mms, NMM);
	}
	check_invariants(&c, mms, NMM);
	/* everything home: the memory manager's copy is what was written last */
	for (int k = 0; k < NMM; k++) {
		sim_flush(&c, mms[k], 0, NPAGES << 12, EXC_FLUSH_WRITEBACK | EXC_FLUSH_DROP);
		assert_int_equal(atomic_long_read(&mms[k]->mm.nr_lines), 0);
		for (int p = 0; p < NPAGES; p++) {
			if (!mms[k]->shadow[p])
				continue;
			assert_true(mms[k]->has_backing[p]);
			assert_int_equal(mms[k]->backing[p][0], mms[k]->shadow[p]);
			assert_int_equal(mms[k]->backing[p][1], mms[k]->shadow[p]);
		}
	}
	assert_true(c.stats.misses == 0);	/* counted by fault.c, not the core */
	assert_true(c.stats.evictions > 1000);
	assert_true(c.stats.wb_dirty > 100);
	if (victim)
		assert_true(c.stats.victim_hits > 50);
	else
		assert_int_equal(c.stats.victim_hits, 0);
	for (int k = 0; k < NMM; k++)
		free(mms[k]);
}

static void test_workload(void **state __unused)
{
	for (int p = 0; p < EXC_NR_POLICIES; p++) {
		run_workload(p, 0, 8);
		run_workload(p, 5, 8);
		run_workload(p, 3, 3);
		run_workload(p, 0, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets_even),
		cmocka_unit_test(test_fifo_order),
		cmocka_unit_test(test_lru_order),
		cmocka_unit_test(test_random_within_set),
		cmocka_unit_test(test_busy_lines_never_taken),
		cmocka_unit_test(test_present_and_denied),
		cmocka_unit_test(test_victim_cache),
		cmocka_unit_test(test_wb_in_flight_blocks_fault),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_configure_parser),
		cmocka_unit_test(test_format_stats),
		cmocka_unit_test(test_workload),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
