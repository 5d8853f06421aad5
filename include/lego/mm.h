/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_MM_H
#define _LEGO_MM_H

#include <lego/types.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/atomic.h>
#include <lego/gfp.h>
#include <asm/page.h>

/* Buddy orders 0 .. MAX_ORDER-1: the largest block is 4 MB. */
#define MAX_ORDER		11
#define MAX_ORDER_NR_PAGES	(1UL << (MAX_ORDER - 1))

struct kmem_cache;

/*
 * One per physical page frame, in mem_map[], from pfn 0 to max_pfn - 1
 * (holes included). The allocators keep all their metadata here rather
 * than in the pages themselves. 32 bytes, 0.8% of RAM.
 *
 * Who owns which field:
 *  - free block head (PG_buddy): lru links it on its free list, private
 *    is the block order. Other pages of a free block have no flags.
 *  - allocated block head (PG_head): private is the order it was allocated
 *    with, _refcount is 1. Other pages of the block have no flags.
 *  - slab page (PG_head | PG_slab, always order 0): slab_cache, s_free,
 *    s_inuse and lru (the cache's partial list) belong to mm/slab.c;
 *    s_free/s_inuse overlay _refcount, which is meaningless there.
 *  - PG_reserved: never handed to the buddy (hole, kernel, firmware, ...).
 */
struct page {
	u32 flags;
	union {
		atomic_t _refcount;
		struct {
			u16 s_free;	/* page offset of the first free object */
			u16 s_inuse;	/* objects handed out */
		};
	};
	struct list_head lru;
	union {
		unsigned long private;
		struct kmem_cache *slab_cache;
	};
};

enum pageflags {
	PG_reserved,
	PG_buddy,
	PG_head,
	PG_slab,
};

#define PAGEFLAG(name, bit)						\
static inline bool Page##name(const struct page *p)			\
{									\
	return p->flags & (1u << (bit));				\
}									\
static inline void SetPage##name(struct page *p)			\
{									\
	p->flags |= 1u << (bit);					\
}									\
static inline void ClearPage##name(struct page *p)			\
{									\
	p->flags &= ~(1u << (bit));					\
}
PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Head, PG_head)
PAGEFLAG(Slab, PG_slab)
#undef PAGEFLAG

extern struct page *mem_map;
extern unsigned long max_pfn;		/* mem_map has this many entries */

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < max_pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PFN_DOWN(__pa(addr)));
}

static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

/* Smallest order whose block holds size bytes. */
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	if (size <= PAGE_SIZE)
		return 0;
	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

/*
 * Builds mem_map from memblock, hands every free memblock range to the
 * buddy, retires memblock, sets up kmalloc, and prints the totals.
 */
void mem_init(void);

/*
 * The buddy allocator. Never sleeps; safe from any context. Freeing a
 * block that is not the head of a live allocation of exactly that order
 * (double free, tail page, reserved page, slab page, wrong order) panics:
 * carrying on would hand the same memory out twice.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);	/* NULL if none */
void __free_pages(struct page *page, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);	/* 0 if none */
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);	/* addr 0: no-op */

#define alloc_page(gfp)		alloc_pages(gfp, 0)
#define __get_free_page(gfp)	__get_free_pages(gfp, 0)
#define __free_page(page)	__free_pages(page, 0)
#define free_page(addr)		free_pages(addr, 0)

u64 nr_free_pages(void);
u64 totalram_pages(void);		/* pages ever handed to the buddy */
u64 nr_free_blocks(unsigned int order);	/* free blocks of exactly this order */
void show_free_areas(void);

/*
 * Buddy core, used by mem_init() and by host unit tests over a fake range.
 * buddy_init() makes @map (nr_pfns entries) the mem_map with every page
 * reserved and no free memory; buddy_free_range() then hands the pages
 * [start_pfn, end_pfn) to the allocator.
 */
void buddy_init(struct page *map, unsigned long nr_pfns);
void buddy_free_range(unsigned long start_pfn, unsigned long end_pfn);

#endif
