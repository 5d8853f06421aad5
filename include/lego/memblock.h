/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_MEMBLOCK_H
#define _LEGO_MEMBLOCK_H

#include <lego/types.h>

/*
 * Early boot allocator. It knows two sets of physical ranges: usable RAM
 * (from the Multiboot2 memory map) and reserved ranges (kernel image,
 * modules, boot information, firmware areas, its own allocations). Free
 * memory is RAM minus reserved. Both sets are kept sorted, with
 * overlapping and adjacent ranges merged, in fixed-size static arrays so
 * that the allocator works before any other one exists.
 *
 * It is used single-threaded during early boot and takes no lock. Once
 * mem_init() has handed the free ranges to the buddy allocator it calls
 * memblock_retire(); every later allocation fails loudly, because the
 * buddy now owns that memory.
 */

#define MEMBLOCK_MAX_REGIONS	128

/* The early page tables map only the first 4 GB: allocate below it if we can. */
#define MEMBLOCK_LOW_LIMIT	(4ULL << 30)

/* Return 0, -EINVAL (bad arguments), -ENOSPC (table full) or -EBUSY (retired). */
int memblock_add(phys_addr_t base, u64 size);
int memblock_reserve(phys_addr_t base, u64 size);

/*
 * Allocate size bytes aligned to align (a power of two; 0 means 1) and
 * reserve them. Prefers the lowest free address below MEMBLOCK_LOW_LIMIT,
 * then the lowest above it. The memory is NOT zeroed. Returns 0 on failure
 * (physical address 0 is never handed out).
 */
phys_addr_t memblock_alloc(u64 size, u64 align);
/* Same, but only from [min_addr, max_addr). */
phys_addr_t memblock_alloc_range(u64 size, u64 align, phys_addr_t min_addr,
				 phys_addr_t max_addr);

u64 memblock_total_ram(void);		/* bytes of RAM added */
u64 memblock_total_reserved(void);	/* bytes reserved (inside RAM or not) */
phys_addr_t memblock_end_of_ram(void);	/* end of the highest RAM range */

/*
 * Free-range iterator: *idx starts at 0; each call stores the next free
 * range [*start, *end), shrunk inward to page boundaries (ranges smaller
 * than a page after that are skipped), in ascending order, and returns
 * true; it returns false when there are no more.
 */
bool memblock_next_free_range(u64 *idx, phys_addr_t *start, phys_addr_t *end);

#define for_each_free_mem_range(i, start, end)				\
	for ((i) = 0; memblock_next_free_range(&(i), &(start), &(end)); )

void memblock_dump(void);
void memblock_retire(void);

/* Forget everything (unit tests start each case from a clean table). */
void memblock_reset(void);

#endif
