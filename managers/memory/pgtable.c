// SPDX-License-Identifier: GPL-2.0
/*
 * The memory manager's per-space page table: user virtual page -> the
 * struct page holding its data, in four levels of 512 entries (the same
 * split of a 48-bit address as x86 paging, so sparse spaces stay cheap).
 * Also the page reference counting that copy-on-write after fork uses.
 */
#include <lego/errno.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

#define PT_LEVELS	4
#define PT_ENTRIES	512
#define PT_BITS		9

struct page *mpage_alloc(bool zero)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_NOWARN);

	if (page && zero)
		memset(mpage_address(page), 0, PAGE_SIZE);
	return page;
}

void mpage_get(struct page *page)
{
	atomic_inc(&page->_refcount);
}

void mpage_put(struct page *page)
{
	if (atomic_dec_and_test(&page->_refcount))
		__free_page(page);
}

static unsigned int pt_index(unsigned long addr, int level)
{
	/* level 0 is the root; level 3 holds the pages */
	return (addr >> (PAGE_SHIFT + PT_BITS * (PT_LEVELS - 1 - level))) & (PT_ENTRIES - 1);
}

/* Size of the address range one entry at this level covers. */
static unsigned long pt_span(int level)
{
	return 1UL << (PAGE_SHIFT + PT_BITS * (PT_LEVELS - 1 - level));
}

static void **pt_alloc_table(void)
{
	return kzalloc(PT_ENTRIES * sizeof(void *), GFP_KERNEL);
}

/* The leaf slot for addr; with alloc, missing tables are created. */
static void **pt_slot(struct pgtable *pt, unsigned long addr, bool alloc)
{
	void **table;
	int level;

	if (addr >> (PAGE_SHIFT + PT_BITS * PT_LEVELS))
		return NULL;	/* beyond 48 bits: never a user address */
	if (!pt->root) {
		if (!alloc)
			return NULL;
		pt->root = pt_alloc_table();
		if (!pt->root)
			return NULL;
	}
	table = pt->root;
	for (level = 0; level < PT_LEVELS - 1; level++) {
		void **slot = &table[pt_index(addr, level)];

		if (!*slot) {
			if (!alloc)
				return NULL;
			*slot = pt_alloc_table();
			if (!*slot)
				return NULL;
		}
		table = *slot;
	}
	return &table[pt_index(addr, PT_LEVELS - 1)];
}

struct page *pt_get(struct pgtable *pt, unsigned long addr)
{
	void **slot = pt_slot(pt, addr, false);

	return slot ? *slot : NULL;
}

int pt_set(struct pgtable *pt, unsigned long addr, struct page *page)
{
	void **slot = pt_slot(pt, addr, true);

	if (!slot)
		return -ENOMEM;
	if (*slot)
		mpage_put(*slot);
	*slot = page;
	return 0;
}

struct page *pt_take(struct pgtable *pt, unsigned long addr)
{
	void **slot = pt_slot(pt, addr, false);
	struct page *page;

	if (!slot)
		return NULL;
	page = *slot;
	*slot = NULL;
	return page;
}

struct pt_walk {
	unsigned long start;
	unsigned long end;
	int (*fn)(unsigned long addr, struct page *page, void *data);
	void *data;
	bool clear;		/* drop the pages instead of calling fn */
};

/* Walk table (covering base..) at level; returns fn's first non-zero. */
static int pt_walk_table(struct pt_walk *w, void **table, int level, unsigned long base)
{
	unsigned long span = pt_span(level);
	unsigned int i;
	int ret;

	for (i = 0; i < PT_ENTRIES; i++) {
		unsigned long lo = base + i * span;
		unsigned long hi = lo + span;

		if (hi <= w->start || !table[i])
			continue;
		if (lo >= w->end)
			break;
		if (level < PT_LEVELS - 1) {
			ret = pt_walk_table(w, table[i], level + 1, lo);
			if (ret)
				return ret;
		} else if (w->clear) {
			mpage_put(table[i]);
			table[i] = NULL;
		} else {
			ret = w->fn(lo, table[i], w->data);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int pt_for_each(struct pgtable *pt, unsigned long start, unsigned long end,
		int (*fn)(unsigned long addr, struct page *page, void *data), void *data)
{
	struct pt_walk w = { start, end, fn, data, false };

	if (!pt->root || start >= end)
		return 0;
	return pt_walk_table(&w, pt->root, 0, 0);
}

void pt_clear(struct pgtable *pt, unsigned long start, unsigned long end)
{
	struct pt_walk w = { start, end, NULL, NULL, true };

	if (pt->root && start < end)
		pt_walk_table(&w, pt->root, 0, 0);
}

static void pt_free_table(void **table, int level)
{
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++) {
		if (!table[i])
			continue;
		if (level < PT_LEVELS - 1)
			pt_free_table(table[i], level + 1);
		else
			mpage_put(table[i]);
	}
	kfree(table);
}

void pt_destroy(struct pgtable *pt)
{
	if (pt->root)
		pt_free_table(pt->root, 0);
	pt->root = NULL;
}
