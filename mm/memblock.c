// SPDX-License-Identifier: GPL-2.0
/*
 * Early boot physical memory allocator: see <lego/memblock.h>.
 *
 * Ranges are stored half-open, [base, end), so that adjacency is simply
 * a.end == b.base and a range reaching the top of the address space can
 * still be represented (its end is clamped to PHYS_ADDR_MAX).
 */
#define pr_fmt(fmt) "memblock: " fmt

#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/string.h>
#include <lego/memblock.h>
#include <asm/page.h>

#define PHYS_ADDR_MAX	(~(phys_addr_t)0)

struct memblock_region {
	phys_addr_t base;
	phys_addr_t end;
};

struct memblock_type {
	const char *name;
	unsigned int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

static struct memblock_type memblock_memory = { .name = "memory" };
static struct memblock_type memblock_reserved = { .name = "reserved" };

/* Set once the buddy allocator owns the free memory. */
static bool memblock_retired;
/*
 * Set when a reservation could not be recorded: from then on any "free"
 * range might overlap something in use, so nothing is handed out.
 */
static bool memblock_broken;

static phys_addr_t range_end(phys_addr_t base, u64 size)
{
	phys_addr_t end = base + size;

	return end < base ? PHYS_ADDR_MAX : end;
}

/*
 * Insert [base, end) into a sorted, merged table, absorbing every region
 * it overlaps or touches, so the table stays sorted and merged. A new slot
 * is needed only when nothing is absorbed.
 */
static int memblock_insert(struct memblock_type *type, phys_addr_t base,
			   phys_addr_t end)
{
	struct memblock_region *r = type->regions;
	unsigned int first, last, absorbed;

	for (first = 0; first < type->cnt; first++)
		if (r[first].end >= base)
			break;
	for (last = first; last < type->cnt; last++)
		if (r[last].base > end)
			break;
	absorbed = last - first;

	if (!absorbed) {
		if (type->cnt >= MEMBLOCK_MAX_REGIONS)
			return -ENOSPC;
		memmove(&r[first + 1], &r[first],
			(type->cnt - first) * sizeof(*r));
		r[first].base = base;
		r[first].end = end;
		type->cnt++;
		return 0;
	}

	r[first].base = min(base, r[first].base);
	r[first].end = max(end, r[last - 1].end);
	memmove(&r[first + 1], &r[last], (type->cnt - last) * sizeof(*r));
	type->cnt -= absorbed - 1;
	return 0;
}

int memblock_add(phys_addr_t base, u64 size)
{
	phys_addr_t end = range_end(base, size);
	int ret;

	if (memblock_retired) {
		pr_err("add [%#llx-%#llx) after mem_init, ignored\n", base, end);
		return -EBUSY;
	}
	if (!size)
		return 0;

	ret = memblock_insert(&memblock_memory, base, end);
	if (ret)	/* losing RAM is safe: it is just never used */
		pr_err("memory table full (%d regions), RAM [%#llx-%#llx) ignored\n",
		       MEMBLOCK_MAX_REGIONS, base, end);
	return ret;
}

int memblock_reserve(phys_addr_t base, u64 size)
{
	phys_addr_t end = range_end(base, size);
	int ret;

	if (memblock_retired) {
		pr_err("reserve [%#llx-%#llx) after mem_init, ignored\n",
		       base, end);
		return -EBUSY;
	}
	if (!size)
		return 0;

	ret = memblock_insert(&memblock_reserved, base, end);
	if (ret) {
		/* Losing a reservation is not safe: stop allocating at all. */
		pr_err("reserved table full (%d regions), cannot reserve [%#llx-%#llx): no more memory will be handed out\n",
		       MEMBLOCK_MAX_REGIONS, base, end);
		memblock_broken = true;
	}
	return ret;
}

/*
 * Free ranges, byte-exact and ascending. *idx packs the position: the low
 * 32 bits index the RAM region, the high 32 bits the gap between reserved
 * regions (gap j lies between reserved region j-1 and j; gap 0 starts at
 * address 0 and the last gap runs to the top). Because both tables are
 * sorted, one pass over both visits every intersection of a RAM region
 * with a gap exactly once.
 */
static bool __next_free_range(u64 *idx, phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_region *mem = memblock_memory.regions;
	const struct memblock_region *rsv = memblock_reserved.regions;
	unsigned int nmem = memblock_memory.cnt, nrsv = memblock_reserved.cnt;
	unsigned int i = (u32)*idx, j = (u32)(*idx >> 32);

	while (i < nmem && j <= nrsv) {
		phys_addr_t gap_start = j ? rsv[j - 1].end : 0;
		phys_addr_t gap_end = j < nrsv ? rsv[j].base : PHYS_ADDR_MAX;

		if (gap_end <= mem[i].base) {
			j++;
			continue;
		}
		if (gap_start >= mem[i].end) {
			i++;
			continue;
		}
		*start = max(gap_start, mem[i].base);
		*end = min(gap_end, mem[i].end);
		/* Advance whichever of the two ends first. */
		if (gap_end <= mem[i].end)
			j++;
		else
			i++;
		*idx = (u64)i | ((u64)j << 32);
		return true;
	}
	*idx = (u64)nmem | ((u64)(nrsv + 1) << 32);
	return false;
}

bool memblock_next_free_range(u64 *idx, phys_addr_t *start, phys_addr_t *end)
{
	phys_addr_t s, e;

	if (memblock_broken)
		return false;

	while (__next_free_range(idx, &s, &e)) {
		phys_addr_t as = ALIGN(s, (phys_addr_t)PAGE_SIZE);
		phys_addr_t ae = ALIGN_DOWN(e, (phys_addr_t)PAGE_SIZE);

		/* as < s: rounding up wrapped past the top of the address space. */
		if (as >= s && as < ae) {
			*start = as;
			*end = ae;
			return true;
		}
	}
	return false;
}

static phys_addr_t __memblock_alloc_range(u64 size, u64 align,
					  phys_addr_t min_addr,
					  phys_addr_t max_addr)
{
	phys_addr_t s, e, cand;
	u64 idx;

	/* Address 0 is the failure value, so never hand it out. */
	min_addr = max(min_addr, (phys_addr_t)1);

	for (idx = 0; !memblock_broken && __next_free_range(&idx, &s, &e); ) {
		s = max(s, min_addr);
		e = min(e, max_addr);
		if (s >= e)
			continue;
		cand = ALIGN(s, align);
		if (cand < s || cand >= e || e - cand < size)
			continue;
		if (memblock_reserve(cand, size))
			return 0;
		return cand;
	}
	return 0;
}

static bool memblock_alloc_check(u64 size, u64 *align)
{
	if (memblock_retired) {
		pr_err("allocation of %llu bytes after mem_init refused\n",
		       size);
		return false;
	}
	if (memblock_broken) {
		pr_err("allocation of %llu bytes refused: reserved table overflowed\n",
		       size);
		return false;
	}
	if (!*align)
		*align = 1;
	if (!size || (*align & (*align - 1))) {
		pr_err("bad allocation request: size %llu align %#llx\n",
		       size, *align);
		return false;
	}
	return true;
}

phys_addr_t memblock_alloc_range(u64 size, u64 align, phys_addr_t min_addr,
				 phys_addr_t max_addr)
{
	phys_addr_t p;

	if (!memblock_alloc_check(size, &align))
		return 0;
	p = __memblock_alloc_range(size, align, min_addr, max_addr);
	if (!p)
		pr_err("cannot allocate %llu bytes aligned %#llx in [%#llx-%#llx)\n",
		       size, align, min_addr, max_addr);
	return p;
}

phys_addr_t memblock_alloc(u64 size, u64 align)
{
	phys_addr_t p;

	if (!memblock_alloc_check(size, &align))
		return 0;
	p = __memblock_alloc_range(size, align, 0, MEMBLOCK_LOW_LIMIT);
	if (!p)
		p = __memblock_alloc_range(size, align, MEMBLOCK_LOW_LIMIT,
					   PHYS_ADDR_MAX);
	if (!p)
		pr_err("cannot allocate %llu bytes aligned %#llx\n",
		       size, align);
	return p;
}

static u64 memblock_type_total(const struct memblock_type *type)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < type->cnt; i++)
		total += type->regions[i].end - type->regions[i].base;
	return total;
}

u64 memblock_total_ram(void)
{
	return memblock_type_total(&memblock_memory);
}

u64 memblock_total_reserved(void)
{
	return memblock_type_total(&memblock_reserved);
}

phys_addr_t memblock_end_of_ram(void)
{
	unsigned int cnt = memblock_memory.cnt;

	return cnt ? memblock_memory.regions[cnt - 1].end : 0;
}

static void memblock_dump_type(const struct memblock_type *type)
{
	unsigned int i;

	pr_info("  %s: %u regions, %llu KB\n", type->name, type->cnt,
		memblock_type_total(type) >> 10);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		pr_info("    [%#014llx-%#014llx) %llu KB\n", r->base, r->end,
			(r->end - r->base) >> 10);
	}
}

void memblock_dump(void)
{
	pr_info("regions%s%s:\n", memblock_retired ? " (retired)" : "",
		memblock_broken ? " (reserved table overflowed)" : "");
	memblock_dump_type(&memblock_memory);
	memblock_dump_type(&memblock_reserved);
}

void memblock_retire(void)
{
	memblock_retired = true;
}

void memblock_reset(void)
{
	memblock_memory.cnt = 0;
	memblock_reserved.cnt = 0;
	memblock_retired = false;
	memblock_broken = false;
}
