// SPDX-License-Identifier: GPL-2.0
/* Unit tests for mm/memblock.c. No memory is touched: addresses are just numbers. */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/memblock.h>
#include <asm/page.h>

#include "host.h"

#define MB	(1ULL << 20)
#define GB	(1ULL << 30)

struct range {
	phys_addr_t start, end;
};

/* Collect the free ranges; returns how many. */
static int free_ranges(struct range *r, int max)
{
	phys_addr_t s, e;
	u64 i;
	int n = 0;

	for_each_free_mem_range(i, s, e) {
		assert_true(n < max);
		r[n].start = s;
		r[n].end = e;
		n++;
	}
	return n;
}

static void assert_ranges(const struct range *want, int nr_want)
{
	struct range got[MEMBLOCK_MAX_REGIONS * 2 + 2];
	int n = free_ranges(got, ARRAY_SIZE(got)), i;

	assert_int_equal(n, nr_want);
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].start, want[i].start);
		assert_int_equal(got[i].end, want[i].end);
	}
}

static int setup(void **state)
{
	(void)state;
	memblock_reset();
	host_reset_counters();
	return 0;
}

static void test_add_merges_adjacent(void **state)
{
	static const struct range want[] = { { 0x1000, 0x4000 } };

	(void)state;
	assert_int_equal(memblock_add(0x1000, 0x1000), 0);
	assert_int_equal(memblock_add(0x3000, 0x1000), 0);
	assert_int_equal(memblock_add(0x2000, 0x1000), 0);
	assert_int_equal(memblock_total_ram(), 0x3000);
	assert_int_equal(memblock_end_of_ram(), 0x4000);
	assert_ranges(want, ARRAY_SIZE(want));
}

static void test_add_merges_overlap(void **state)
{
	static const struct range want[] = {
		{ 0x1000, 0x8000 }, { 0x10000, 0x20000 },
	};

	(void)state;
	memblock_add(0x1000, 0x4000);
	memblock_add(0x3000, 0x5000);
	memblock_add(0x2000, 0x1000);		/* contained */
	memblock_add(0x10000, 0x10000);
	memblock_add(0x1000, 0x7000);		/* exact duplicate */
	assert_int_equal(memblock_total_ram(), 0x7000 + 0x10000);
	assert_ranges(want, ARRAY_SIZE(want));

	/* One range swallowing everything leaves one region. */
	memblock_add(0, 0x100000);
	assert_int_equal(memblock_total_ram(), 0x100000);
}

static void test_add_zero_size(void **state)
{
	(void)state;
	assert_int_equal(memblock_add(0x1000, 0), 0);
	assert_int_equal(memblock_total_ram(), 0);
	assert_ranges(NULL, 0);
}

static void test_reserve_before_add(void **state)
{
	static const struct range want[] = {
		{ 0x1000, 0x2000 }, { 0x3000, 0x5000 },
	};

	(void)state;
	memblock_reserve(0x2000, 0x1000);
	memblock_add(0x1000, 0x4000);
	assert_ranges(want, ARRAY_SIZE(want));
	assert_int_equal(memblock_total_ram(), 0x4000);
	assert_int_equal(memblock_total_reserved(), 0x1000);
}

static void test_reserve_across_regions(void **state)
{
	static const struct range want[] = {
		{ 0x10000, 0x1f000 }, { 0x31000, 0x40000 },
	};

	(void)state;
	memblock_add(0x10000, 0x10000);
	memblock_add(0x30000, 0x10000);
	memblock_reserve(0x1f000, 0x12000);	/* tail of one, the hole, head of next */
	memblock_reserve(0x100000, 0x1000);	/* outside RAM: harmless */
	memblock_reserve(0, 0x10000);		/* touching the start */
	assert_ranges(want, ARRAY_SIZE(want));
}

static void test_reserve_covers_all(void **state)
{
	(void)state;
	memblock_add(0x10000, 0x10000);
	memblock_reserve(0x8000, 0x20000);
	assert_ranges(NULL, 0);
	assert_int_equal(memblock_alloc(16, 16), 0);
}

static void test_unaligned_input(void **state)
{
	static const struct range want1[] = { { 0x2000, 0x5000 } };
	static const struct range want2[] = { { 0x3000, 0x5000 } };

	(void)state;
	memblock_add(0x1234, 0x4444);		/* [0x1234, 0x5678) */
	assert_int_equal(memblock_total_ram(), 0x4444);
	assert_ranges(want1, ARRAY_SIZE(want1));

	/* Leaves [0x2000,0x2800): less than a page, dropped by the iterator. */
	memblock_reserve(0x2800, 0x100);
	assert_ranges(want2, ARRAY_SIZE(want2));
}

static void test_range_at_top_of_address_space(void **state)
{
	static const struct range want[] = {
		{ 0x1000, 0x2000 }, { ~0ULL - 0x2fff, ~0ULL - 0xfff },
	};

	(void)state;
	/* The end wraps: it is clamped rather than becoming tiny. */
	assert_int_equal(memblock_add(~0ULL - 0x2fff, 0x10000), 0);
	memblock_add(0x1000, 0x1000);
	assert_int_equal(memblock_end_of_ram(), ~0ULL);
	assert_ranges(want, ARRAY_SIZE(want));
}

static void test_alloc_alignment(void **state)
{
	phys_addr_t a, b, c, d;

	(void)state;
	memblock_add(MB, 255 * MB);
	memblock_reserve(MB, 0x80000);

	a = memblock_alloc(100, 8);
	assert_int_equal(a, 0x180000);
	b = memblock_alloc(0x1000, 2 * MB);
	assert_int_equal(b, 2 * MB);
	c = memblock_alloc(1, 0);		/* align 0 means 1 */
	assert_int_equal(c, 0x180000 + 100);
	d = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_int_equal(d, 0x181000);
	assert_int_equal(memblock_total_reserved(),
			 0x80000 + 101 + 0x1000 + PAGE_SIZE);

	/* Allocations are reserved: the free ranges no longer include them. */
	{
		static const struct range want[] = {
			{ 0x182000, 2 * MB }, { 2 * MB + 0x1000, 256 * MB },
		};

		assert_ranges(want, ARRAY_SIZE(want));
	}
}

static void test_alloc_bad_args(void **state)
{
	(void)state;
	memblock_add(MB, MB);
	assert_int_equal(memblock_alloc(0, 8), 0);
	assert_int_equal(memblock_alloc(8, 3), 0);
	assert_int_equal(memblock_alloc(8, 24), 0);
	assert_true(host_printk_count >= 3);
	assert_int_equal(memblock_total_reserved(), 0);
}

static void test_alloc_never_returns_zero(void **state)
{
	(void)state;
	memblock_add(0, 0x2000);
	assert_int_equal(memblock_alloc(16, 16), 16);
	assert_int_equal(memblock_alloc(0x1000, 0x1000), 0x1000);
}

static void test_alloc_exhaustion(void **state)
{
	(void)state;
	memblock_add(0x1000, 0x2000);
	assert_int_equal(memblock_alloc(0x2000, 0x1000), 0x1000);
	host_reset_counters();
	assert_int_equal(memblock_alloc(1, 1), 0);
	assert_true(host_printk_count > 0);
	assert_non_null(strstr(host_last_printk, "cannot allocate"));

	/* Too big for any one range, even though the sum would fit. */
	memblock_reset();
	memblock_add(0x1000, 0x1000);
	memblock_add(0x3000, 0x1000);
	assert_int_equal(memblock_alloc(0x2000, 1), 0);
}

static void test_alloc_prefers_low_memory(void **state)
{
	phys_addr_t p;

	(void)state;
	memblock_add(5 * GB, GB);
	memblock_add(16 * MB, 16 * MB);

	p = memblock_alloc(8 * MB, PAGE_SIZE);
	assert_int_equal(p, 16 * MB);
	p = memblock_alloc(8 * MB, PAGE_SIZE);
	assert_int_equal(p, 24 * MB);
	/* Low memory is exhausted: fall back to high. */
	p = memblock_alloc(8 * MB, PAGE_SIZE);
	assert_int_equal(p, 5 * GB);

	/* A range straddling 4 GB: its low part is used first. */
	memblock_reset();
	memblock_add(4 * GB - MB, 2 * MB);
	assert_int_equal(memblock_alloc(MB, PAGE_SIZE), 4 * GB - MB);
	assert_int_equal(memblock_alloc(MB, PAGE_SIZE), 4 * GB);
}

static void test_alloc_range(void **state)
{
	(void)state;
	memblock_add(MB, 15 * MB);
	assert_int_equal(memblock_alloc_range(PAGE_SIZE, PAGE_SIZE, 8 * MB, 9 * MB),
			 8 * MB);
	assert_int_equal(memblock_alloc_range(2 * MB, PAGE_SIZE, 8 * MB, 9 * MB), 0);
	assert_int_equal(memblock_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, MB), 0);
}

static void test_memory_table_overflow(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		assert_int_equal(memblock_add(i * 0x2000ULL, 0x1000), 0);
	host_reset_counters();
	assert_int_equal(memblock_add(0x10000000, 0x1000), -ENOSPC);
	assert_non_null(strstr(host_last_printk, "table full"));
	assert_int_equal(memblock_total_ram(), MEMBLOCK_MAX_REGIONS * 0x1000ULL);

	/* Merging into an existing region needs no slot and still works. */
	assert_int_equal(memblock_add(0x1000, 0x1000), 0);
	assert_int_equal(memblock_total_ram(), (MEMBLOCK_MAX_REGIONS + 1) * 0x1000ULL);
	/* And that freed a slot. */
	assert_int_equal(memblock_add(0x10000000, 0x1000), 0);
}

static void test_reserved_table_overflow(void **state)
{
	unsigned int i;

	(void)state;
	memblock_add(0, GB);
	for (i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		assert_int_equal(memblock_reserve(i * 0x2000ULL, 0x1000), 0);
	host_reset_counters();
	assert_int_equal(memblock_reserve(0x10000000, 0x1000), -ENOSPC);
	assert_non_null(strstr(host_last_printk, "table full"));

	/* The unrecorded range might be handed out: so nothing is. */
	assert_int_equal(memblock_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	assert_ranges(NULL, 0);
}

static void test_retire(void **state)
{
	(void)state;
	memblock_add(MB, MB);
	memblock_retire();
	assert_int_equal(memblock_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(memblock_add(4 * MB, MB), -EBUSY);
	assert_int_equal(memblock_reserve(MB, MB), -EBUSY);
	assert_int_equal(memblock_total_ram(), MB);
}

static void test_dump(void **state)
{
	(void)state;
	memblock_add(MB, MB);
	memblock_reserve(MB, 0x1000);
	host_reset_counters();
	memblock_dump();
	/* Header, two type lines, one line per region. */
	assert_int_equal(host_printk_count, 5);
}

/*
 * Random adds and reserves over a 64 KB space with 16-byte granularity,
 * checked against a bitmap model: totals, the free ranges, and that an
 * allocation is the lowest aligned fit.
 */
#define UNIT		16
#define SPACE		0x10000
#define NR_UNITS	(SPACE / UNIT)

static bool model_ram[NR_UNITS], model_rsv[NR_UNITS];

static bool model_free(unsigned int u)
{
	return model_ram[u] && !model_rsv[u];
}

static int model_ranges(struct range *r)
{
	unsigned int u = 0;
	int n = 0;

	while (u < NR_UNITS) {
		unsigned int v;
		phys_addr_t s, e;

		if (!model_free(u)) {
			u++;
			continue;
		}
		for (v = u; v < NR_UNITS && model_free(v); v++)
			;
		s = ALIGN((phys_addr_t)u * UNIT, (phys_addr_t)PAGE_SIZE);
		e = ALIGN_DOWN((phys_addr_t)v * UNIT, (phys_addr_t)PAGE_SIZE);
		if (s < e) {
			r[n].start = s;
			r[n].end = e;
			n++;
		}
		u = v;
	}
	return n;
}

static phys_addr_t model_alloc(unsigned int units, unsigned int align_units)
{
	unsigned int a, k;

	for (a = align_units; a + units <= NR_UNITS; a += align_units) {
		for (k = 0; k < units && model_free(a + k); k++)
			;
		if (k == units)
			return (phys_addr_t)a * UNIT;
	}
	return 0;
}

static void test_random_against_model(void **state)
{
	struct range want[NR_UNITS], got[NR_UNITS];
	int round;

	(void)state;
	host_srand(12345);
	for (round = 0; round < 200; round++) {
		u64 ram = 0, rsv = 0;
		int op, n, i;

		memblock_reset();
		memset(model_ram, 0, sizeof(model_ram));
		memset(model_rsv, 0, sizeof(model_rsv));

		for (op = 0; op < 40; op++) {
			unsigned int base = host_rand() % NR_UNITS;
			unsigned int len = 1 + host_rand() % (NR_UNITS / 8);
			bool reserve = host_rand() % 3 == 0;
			unsigned int u;

			len = min(len, NR_UNITS - base);
			if (reserve)
				assert_int_equal(memblock_reserve(base * UNIT, len * UNIT), 0);
			else
				assert_int_equal(memblock_add(base * UNIT, len * UNIT), 0);
			for (u = base; u < base + len; u++)
				(reserve ? model_rsv : model_ram)[u] = true;
		}

		for (i = 0; i < NR_UNITS; i++) {
			ram += model_ram[i] ? UNIT : 0;
			rsv += model_rsv[i] ? UNIT : 0;
		}
		assert_int_equal(memblock_total_ram(), ram);
		assert_int_equal(memblock_total_reserved(), rsv);

		n = model_ranges(want);
		assert_int_equal(free_ranges(got, ARRAY_SIZE(got)), n);
		for (i = 0; i < n; i++) {
			assert_int_equal(got[i].start, want[i].start);
			assert_int_equal(got[i].end, want[i].end);
		}

		for (op = 0; op < 10; op++) {
			unsigned int units = 1 + host_rand() % 64;
			unsigned int align_units = 1u << (host_rand() % 5);
			phys_addr_t expect = model_alloc(units, align_units);
			unsigned int u;

			assert_int_equal(memblock_alloc(units * UNIT, align_units * UNIT),
					 expect);
			if (!expect)
				continue;
			for (u = expect / UNIT; u < expect / UNIT + units; u++)
				model_rsv[u] = true;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_merges_adjacent, setup),
		cmocka_unit_test_setup(test_add_merges_overlap, setup),
		cmocka_unit_test_setup(test_add_zero_size, setup),
		cmocka_unit_test_setup(test_reserve_before_add, setup),
		cmocka_unit_test_setup(test_reserve_across_regions, setup),
		cmocka_unit_test_setup(test_reserve_covers_all, setup),
		cmocka_unit_test_setup(test_unaligned_input, setup),
		cmocka_unit_test_setup(test_range_at_top_of_address_space, setup),
		cmocka_unit_test_setup(test_alloc_alignment, setup),
		cmocka_unit_test_setup(test_alloc_bad_args, setup),
		cmocka_unit_test_setup(test_alloc_never_returns_zero, setup),
		cmocka_unit_test_setup(test_alloc_exhaustion, setup),
		cmocka_unit_test_setup(test_alloc_prefers_low_memory, setup),
		cmocka_unit_test_setup(test_alloc_range, setup),
		cmocka_unit_test_setup(test_memory_table_overflow, setup),
		cmocka_unit_test_setup(test_reserved_table_overflow, setup),
		cmocka_unit_test_setup(test_retire, setup),
		cmocka_unit_test_setup(test_dump, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
	};

	return cmocka_run_group_tests_name("memblock", tests, NULL, NULL);
}
