// SPDX-License-Identifier: GPL-2.0
/*
 * Binary buddy allocator of physical pages.
 *
 * A free block of order n is 2^n pages whose first pfn is a multiple of
 * 2^n; its buddy is the block at pfn ^ 2^n. When a block is freed and its
 * buddy is free with the same order, the two merge into one block of
 * order n+1, and so on up to MAX_ORDER-1. All metadata lives in mem_map,
 * so the allocator never reads or writes the pages it manages (except to
 * zero them for __GFP_ZERO).
 *
 * One zone, one lock, taken with interrupts off so that interrupt
 * handlers may allocate.
 */
#define pr_fmt(fmt) "mm: " fmt

#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/bug.h>
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/spinlock.h>
#include <lego/memblock.h>
#include <lego/slab.h>
#include <lego/mm.h>

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks on free_list */
};

static struct zone {
	spinlock_t lock;
	struct free_area free_area[MAX_ORDER];
	u64 nr_free;			/* pages */
	u64 nr_managed;			/* pages handed to the buddy */
} zone = {
	.lock = SPINLOCK_INIT,
};

struct page *mem_map;
unsigned long max_pfn;

void buddy_init(struct page *map, unsigned long nr_pfns)
{
	unsigned long pfn;
	unsigned int order;

	spin_lock_init(&zone.lock);
	for (order = 0; order < MAX_ORDER; order++) {
		INIT_LIST_HEAD(&zone.free_area[order].free_list);
		zone.free_area[order].nr_free = 0;
	}
	zone.nr_free = 0;
	zone.nr_managed = 0;

	mem_map = map;
	max_pfn = nr_pfns;
	for (pfn = 0; pfn < nr_pfns; pfn++) {
		struct page *page = &map[pfn];

		page->flags = 1u << PG_reserved;
		atomic_set(&page->_refcount, 0);
		INIT_LIST_HEAD(&page->lru);
		page->private = 0;
	}
}

/* Put a block on the free lists, merging it with free buddies. Lock held. */
static void __free_block(unsigned long pfn, unsigned int order)
{
	struct page *page;

	zone.nr_free += 1UL << order;

	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!pfn_valid(buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
		list_del(&buddy->lru);
		zone.free_area[order].nr_free--;
		ClearPageBuddy(buddy);
		buddy->private = 0;
		pfn &= ~(1UL << order);
		order++;
	}

	page = pfn_to_page(pfn);
	SetPageBuddy(page);
	page->private = order;
	/* At the head: a recently freed block is the most likely cache-hot. */
	list_add(&page->lru, &zone.free_area[order].free_list);
	zone.free_area[order].nr_free++;
}

void buddy_free_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn, flags;

	if (end_pfn > max_pfn || start_pfn > end_pfn)
		panic("buddy_free_range: [%#lx-%#lx) outside mem_map (%#lx pages)",
		      start_pfn, end_pfn, max_pfn);

	for (pfn = start_pfn; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (!PageReserved(page))
			panic("buddy_free_range: pfn %#lx handed to the buddy twice",
			      pfn);
		ClearPageReserved(page);
	}

	pfn = start_pfn;
	while (pfn < end_pfn) {
		/* The largest naturally aligned block that fits. */
		unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : MAX_ORDER - 1;

		order = min(order, (unsigned int)MAX_ORDER - 1);
		while (pfn + (1UL << order) > end_pfn)
			order--;

		spin_lock_irqsave(&zone.lock, flags);
		__free_block(pfn, order);
		zone.nr_managed += 1UL << order;
		spin_unlock_irqrestore(&zone.lock, flags);
		pfn += 1UL << order;
	}
}

/* Take a free block of at least @order and split it down. Lock held. */
static struct page *__alloc_block(unsigned int order)
{
	struct page *page, *half;
	unsigned int o;

	for (o = order; o < MAX_ORDER; o++)
		if (!list_empty(&zone.free_area[o].free_list))
			break;
	if (o == MAX_ORDER)
		return NULL;

	page = list_first_entry(&zone.free_area[o].free_list, struct page, lru);
	if (!PageBuddy(page) || page->private != o)
		return ERR_PTR(-EIO);	/* free list corrupted */
	list_del(&page->lru);
	zone.free_area[o].nr_free--;
	ClearPageBuddy(page);

	/* Give back the upper halves, keep the lower one. */
	while (o > order) {
		o--;
		half = page + (1UL << o);
		SetPageBuddy(half);
		half->private = o;
		list_add(&half->lru, &zone.free_area[o].free_list);
		zone.free_area[o].nr_free++;
	}

	zone.nr_free -= 1UL << order;
	SetPageHead(page);
	page->private = order;
	atomic_set(&page->_refcount, 1);
	return page;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;
	unsigned long flags;

	if (order >= MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("alloc_pages: order %u is above the maximum %u\n",
				order, MAX_ORDER - 1);
		return NULL;
	}

	spin_lock_irqsave(&zone.lock, flags);
	page = __alloc_block(order);
	spin_unlock_irqrestore(&zone.lock, flags);

	if (IS_ERR(page))
		panic("alloc_pages: free list of order >= %u corrupted", order);
	if (!page) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("alloc_pages: order-%u allocation failed, %llu pages free\n",
				order, nr_free_pages());
		return NULL;
	}
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

/* Why @page cannot be freed at @order, or NULL if it can. Lock held. */
static const char *bad_free_reason(const struct page *page, unsigned int order)
{
	if (PageBuddy(page))
		return "double free";
	if (PageReserved(page))
		return "page is reserved, never allocated";
	if (!PageHead(page))
		return "not the head of an allocated block (double free or tail page)";
	if (PageSlab(page))
		return "page belongs to the slab allocator";
	if (page->private != order)
		return "order differs from the allocation's";
	return NULL;
}

void __free_pages(struct page *page, unsigned int order)
{
	unsigned long flags, off, pfn, alloc_order;
	const char *reason;

	/* Integer arithmetic: page may point anywhere, even below mem_map. */
	off = (unsigned long)page - (unsigned long)mem_map;
	pfn = off / sizeof(*page);
	if (off % sizeof(*page) || pfn >= max_pfn)
		panic("__free_pages: %p is not a struct page", page);
	if (order >= MAX_ORDER)
		panic("__free_pages: pfn %#lx: bad order %u", pfn, order);

	spin_lock_irqsave(&zone.lock, flags);
	reason = bad_free_reason(page, order);
	if (reason) {
		alloc_order = page->private;
		/* Unlock first: the panic path may want to dump the allocator. */
		spin_unlock_irqrestore(&zone.lock, flags);
		panic("__free_pages: pfn %#lx order %u: %s (flags %#x, private %lu)",
		      pfn, order, reason, page->flags, alloc_order);
	}
	ClearPageHead(page);
	atomic_set(&page->_refcount, 0);
	page->private = 0;
	__free_block(pfn, order);
	spin_unlock_irqrestore(&zone.lock, flags);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (addr & ~PAGE_MASK)
		panic("free_pages: %#lx is not page aligned", addr);
	__free_pages(virt_to_page((void *)addr), order);
}

u64 nr_free_pages(void)
{
	return READ_ONCE(zone.nr_free);
}

u64 totalram_pages(void)
{
	return READ_ONCE(zone.nr_managed);
}

u64 nr_free_blocks(unsigned int order)
{
	if (order >= MAX_ORDER)
		return 0;
	return READ_ONCE(zone.free_area[order].nr_free);
}

void show_free_areas(void)
{
	unsigned long nr[MAX_ORDER], flags;
	unsigned int order;
	u64 free;

	spin_lock_irqsave(&zone.lock, flags);
	for (order = 0; order < MAX_ORDER; order++)
		nr[order] = zone.free_area[order].nr_free;
	free = zone.nr_free;
	spin_unlock_irqrestore(&zone.lock, flags);

	pr_info("free blocks by order:");
	for (order = 0; order < MAX_ORDER; order++)
		pr_cont(" %lu", nr[order]);
	pr_cont(" = %llu pages\n", free);
}

void mem_init(void)
{
	phys_addr_t map_phys, start, end;
	unsigned long nr_pfns;
	u64 map_bytes, i;

	nr_pfns = PFN_DOWN(memblock_end_of_ram());
	if (!nr_pfns)
		panic("mm: no RAM registered with memblock");

	map_bytes = ALIGN((u64)nr_pfns * sizeof(struct page), (u64)PAGE_SIZE);
	map_phys = memblock_alloc(map_bytes, PAGE_SIZE);
	if (!map_phys)
		panic("mm: cannot allocate mem_map (%llu KB for %lu pages)",
		      map_bytes >> 10, nr_pfns);

	buddy_init(__va(map_phys), nr_pfns);
	for_each_free_mem_range(i, start, end)
		buddy_free_range(PFN_DOWN(start), PFN_DOWN(end));
	/* From here on the buddy owns that memory: memblock must not reuse it. */
	memblock_retire();

	kmem_cache_init();

	pr_info("%llu MB total, %llu MB free\n", memblock_total_ram() >> 20,
		nr_free_pages() >> (20 - PAGE_SHIFT));
}
