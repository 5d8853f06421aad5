// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the buddy allocator (mm/page_alloc.c) and mem_init(). */
#include <pthread.h>
#include <stdlib.h>

#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/memblock.h>
#include <lego/slab.h>

#include "host.h"

#define MB		(1ULL << 20)
#define RAM_SIZE	(64 * MB)
#define NR_PAGES	(RAM_SIZE / PAGE_SIZE)			/* 16384 */
#define NR_MAX_BLOCKS	(NR_PAGES / MAX_ORDER_NR_PAGES)		/* 16 */

static struct page *map;

/* Fake RAM with a mem_map of our own; the buddy gets nothing yet. */
static int setup_empty(void **state)
{
	(void)state;
	host_reset_counters();
	host_phys_init(RAM_SIZE);
	map = calloc(NR_PAGES, sizeof(*map));
	assert_non_null(map);
	buddy_init(map, NR_PAGES);
	return 0;
}

/* The same, with every page free. */
static int setup_full(void **state)
{
	setup_empty(state);
	buddy_free_range(0, NR_PAGES);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_assert_balanced();
	free(map);
	map = NULL;
	host_phys_exit();
	return 0;
}

/* Everything free and fully merged: NR_MAX_BLOCKS blocks of the top order. */
static void assert_fully_merged(void)
{
	unsigned int order;

	assert_int_equal(nr_free_pages(), NR_PAGES);
	for (order = 0; order < MAX_ORDER - 1; order++)
		assert_int_equal(nr_free_blocks(order), 0);
	assert_int_equal(nr_free_blocks(MAX_ORDER - 1), NR_MAX_BLOCKS);
}

static void test_init_accounting(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct page), 32);
	assert_int_equal(totalram_pages(), NR_PAGES);
	assert_fully_merged();
}

static void test_alloc_free_every_order(void **state)
{
	unsigned int order;

	(void)state;
	for (order = 0; order < MAX_ORDER; order++) {
		struct page *page = alloc_pages(GFP_KERNEL, order);
		unsigned long pfn;

		assert_non_null(page);
		pfn = page_to_pfn(page);
		assert_true(pfn < NR_PAGES);
		assert_int_equal(pfn & ((1UL << order) - 1), 0);
		assert_true(PageHead(page));
		assert_false(PageBuddy(page));
		assert_int_equal(page->private, order);
		assert_int_equal(page_count(page), 1);
		assert_int_equal(nr_free_pages(), NR_PAGES - (1UL << order));

		__free_pages(page, order);
		assert_false(PageHead(page));
		assert_fully_merged();
	}
}

static void test_bad_order(void **state)
{
	(void)state;
	assert_null(alloc_pages(GFP_KERNEL, MAX_ORDER));
	assert_null(alloc_pages(__GFP_NOWARN, 40));
	assert_int_equal(__get_free_pages(GFP_KERNEL, MAX_ORDER), 0);
	assert_fully_merged();
}

static void test_address_conversions(void **state)
{
	struct page *page;
	unsigned long addr;

	(void)state;
	page = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(page);
	assert_int_equal(page_to_phys(page), PFN_PHYS(page_to_pfn(page)));
	assert_ptr_equal(pfn_to_page(page_to_pfn(page)), page);
	assert_ptr_equal(page_address(page), __va(page_to_phys(page)));
	assert_ptr_equal(virt_to_page(page_address(page)), page);
	assert_ptr_equal(virt_to_page((char *)page_address(page) + 3 * PAGE_SIZE + 5),
			 page + 3);
	__free_pages(page, 2);

	addr = __get_free_pages(GFP_KERNEL, 1);
	assert_int_not_equal(addr, 0);
	assert_int_equal(addr & ~PAGE_MASK, 0);
	free_pages(addr, 1);
	free_pages(0, 3);			/* no-op */
	assert_fully_merged();
}

static bool all_bytes(const void *p, unsigned char c, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++ != c)
			return false;
	return true;
}

static void test_gfp_zero(void **state)
{
	unsigned long a, b;
	struct page *page;

	(void)state;
	/* Fake RAM starts out as 0xa5, so zeroing is visible. */
	page = alloc_pages(GFP_KERNEL, 0);
	assert_true(all_bytes(page_address(page), 0xa5, PAGE_SIZE));
	__free_pages(page, 0);

	a = get_zeroed_page(GFP_KERNEL);
	assert_true(all_bytes((void *)a, 0, PAGE_SIZE));
	b = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 3);
	assert_true(all_bytes((void *)b, 0, 8 * PAGE_SIZE));
	free_page(a);
	free_pages(b, 3);
	assert_fully_merged();
}

static void test_exhaustion_max_order(void **state)
{
	struct page *pages[NR_MAX_BLOCKS];
	unsigned int i;

	(void)state;
	for (i = 0; i < NR_MAX_BLOCKS; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, MAX_ORDER - 1);
		assert_non_null(pages[i]);
	}
	assert_int_equal(nr_free_pages(), 0);

	host_reset_counters();
	assert_null(alloc_pages(__GFP_NOWARN, MAX_ORDER - 1));
	assert_null(alloc_pages(__GFP_NOWARN, 0));
	assert_int_equal(host_printk_count, 0);
	assert_null(alloc_page(GFP_KERNEL));
	assert_int_equal(host_printk_count, 1);	/* warned without NOWARN */

	for (i = 0; i < NR_MAX_BLOCKS; i++)
		__free_pages(pages[i], MAX_ORDER - 1);
	assert_fully_merged();
}

static struct page *all_pages[NR_PAGES];

/* Allocate every page one at a time; each pfn exactly once. */
static void alloc_all_order0(void)
{
	static bool seen[NR_PAGES];
	unsigned long i;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NR_PAGES; i++) {
		struct page *page = alloc_page(GFP_KERNEL);
		unsigned long pfn;

		assert_non_null(page);
		pfn = page_to_pfn(page);
		assert_true(pfn < NR_PAGES);
		assert_false(seen[pfn]);
		seen[pfn] = true;
		all_pages[pfn] = page;
	}
	assert_null(alloc_page(__GFP_NOWARN));
	assert_int_equal(nr_free_pages(), 0);
}

static void test_exhaustion_order0(void **state)
{
	unsigned long pfn;

	(void)state;
	alloc_all_order0();
	for (pfn = 0; pfn < NR_PAGES; pfn++)
		__free_page(all_pages[pfn]);
	assert_fully_merged();
}

static void test_fragmentation(void **state)
{
	unsigned long pfn;
	struct page *page;

	(void)state;
	alloc_all_order0();

	/* Free every other page: no two free pages are buddies. */
	for (pfn = 0; pfn < NR_PAGES; pfn += 2)
		__free_page(all_pages[pfn]);
	assert_int_equal(nr_free_pages(), NR_PAGES / 2);
	assert_int_equal(nr_free_blocks(0), NR_PAGES / 2);
	assert_null(alloc_pages(__GFP_NOWARN, 1));

	for (pfn = 1; pfn < NR_PAGES; pfn += 2)
		__free_page(all_pages[pfn]);
	assert_fully_merged();

	page = alloc_pages(GFP_KERNEL, MAX_ORDER - 1);
	assert_non_null(page);
	__free_pages(page, MAX_ORDER - 1);
}

/*
 * Random allocations and frees of random orders, with a model of who
 * owns each pfn: no page is ever handed out twice, the free count always
 * balances, and freeing everything merges back to top-order blocks.
 */
struct live {
	struct page *page;
	unsigned int order;
};

static void test_random_sequences(void **state)
{
	static struct live live[NR_PAGES];
	static bool owned[NR_PAGES];
	unsigned long nr_live = 0, used = 0;
	unsigned int seed;
	int step;

	(void)state;
	for (seed = 1; seed <= 5; seed++) {
		host_srand(seed * 7919);
		memset(owned, 0, sizeof(owned));

		for (step = 0; step < 20000; step++) {
			bool do_alloc = nr_live == 0 || host_rand() % 100 < 55;

			if (do_alloc) {
				/* Mostly small orders, like real use. */
				unsigned int order = host_rand() % 4 ? host_rand() % 3
						     : host_rand() % MAX_ORDER;
				struct page *page = alloc_pages(__GFP_NOWARN, order);
				unsigned long pfn, i;

				if (!page) {
					assert_true(nr_free_pages() < (1UL << order) ||
						    order > 0);
					continue;
				}
				pfn = page_to_pfn(page);
				assert_int_equal(pfn & ((1UL << order) - 1), 0);
				for (i = 0; i < (1UL << order); i++) {
					assert_false(owned[pfn + i]);
					owned[pfn + i] = true;
				}
				live[nr_live].page = page;
				live[nr_live].order = order;
				nr_live++;
				used += 1UL << order;
			} else {
				unsigned long k = host_rand() % nr_live, i;
				struct live l = live[k];
				unsigned long pfn = page_to_pfn(l.page);

				live[k] = live[--nr_live];
				for (i = 0; i < (1UL << l.order); i++)
					owned[pfn + i] = false;
				__free_pages(l.page, l.order);
				used -= 1UL << l.order;
			}
			assert_int_equal(nr_free_pages() + used, NR_PAGES);
		}

		while (nr_live) {
			nr_live--;
			__free_pages(live[nr_live].page, live[nr_live].order);
		}
		used = 0;
		assert_fully_merged();
	}
}

static void test_unaligned_range(void **state)
{
	u64 before[MAX_ORDER];
	unsigned long pfn, n = 0;
	unsigned int order;
	struct page *page;

	(void)state;
	buddy_free_range(3, 1000);
	assert_int_equal(nr_free_pages(), 997);
	assert_int_equal(totalram_pages(), 997);
	for (order = 0; order < MAX_ORDER; order++)
		before[order] = nr_free_blocks(order);
	/* 3, 4-7, 8-15, ..., 256-511, 512-767, 768-895, 896-959, 960-991, 992-999 */
	assert_int_equal(before[0], 1);
	assert_int_equal(before[8], 2);
	assert_int_equal(before[9], 0);

	while ((page = alloc_page(__GFP_NOWARN))) {
		pfn = page_to_pfn(page);
		assert_true(pfn >= 3 && pfn < 1000);
		all_pages[n++] = page;
	}
	assert_int_equal(n, 997);
	while (n)
		__free_page(all_pages[--n]);
	for (order = 0; order < MAX_ORDER; order++)
		assert_int_equal(nr_free_blocks(order), before[order]);

	/* A neighbouring range handed over later merges with it. */
	buddy_free_range(0, 3);
	buddy_free_range(1000, 1024);
	assert_int_equal(nr_free_blocks(MAX_ORDER - 1), 1);
	assert_int_equal(nr_free_pages(), 1024);
}

static void test_range_given_twice(void **state)
{
	(void)state;
	buddy_free_range(0, 100);
	expect_panic(buddy_free_range(50, 60));
	expect_panic(buddy_free_range(0, NR_PAGES + 1));
}

static void test_double_free(void **state)
{
	struct page *page, *other;

	(void)state;
	page = alloc_page(GFP_KERNEL);
	__free_page(page);
	expect_panic(__free_page(page));
	assert_non_null(strstr(host_last_panic, "pfn"));
	host_assert_balanced();
	assert_fully_merged();

	/* Once merged into a bigger free block, it is no longer a head. */
	page = alloc_page(GFP_KERNEL);
	other = alloc_page(GFP_KERNEL);
	assert_int_equal(page_to_pfn(page) ^ 1, page_to_pfn(other));
	__free_page(page);
	__free_page(other);
	expect_panic(__free_page(page));
	expect_panic(__free_page(other));
	host_assert_balanced();
	assert_fully_merged();

	/* A double free of a large block. */
	page = alloc_pages(GFP_KERNEL, 5);
	__free_pages(page, 5);
	expect_panic(__free_pages(page, 5));
	assert_fully_merged();
}

static void test_bad_frees(void **state)
{
	struct page *page;

	(void)state;
	page = alloc_pages(GFP_KERNEL, 2);

	expect_panic(__free_pages(page + 1, 0));	/* tail page */
	assert_non_null(strstr(host_last_panic, "not the head"));
	expect_panic(__free_pages(page, 1));		/* wrong order */
	assert_non_null(strstr(host_last_panic, "order"));
	expect_panic(__free_pages(page, MAX_ORDER));
	expect_panic(__free_pages(map - 1, 0));		/* outside mem_map */
	expect_panic(__free_pages(map + NR_PAGES, 0));
	expect_panic(__free_pages((struct page *)((char *)page + 8), 2));
	expect_panic(free_pages((unsigned long)page_address(page) + 8, 2));
	host_assert_balanced();

	/* None of that changed anything: the real free still works. */
	assert_int_equal(nr_free_pages(), NR_PAGES - 4);
	__free_pages(page, 2);
	assert_fully_merged();
}

static void test_free_reserved_page(void **state)
{
	(void)state;
	buddy_free_range(0, 100);
	expect_panic(__free_page(pfn_to_page(200)));
	assert_non_null(strstr(host_last_panic, "reserved"));
	assert_int_equal(nr_free_pages(), 100);
}

/* mem_init() over a memblock map with holes and reservations. */
static void test_mem_init(void **state)
{
	const phys_addr_t kernel_end = 3 * MB, mod_start = 0x500123,
			  mod_end = 0x600456;
	u64 map_pages = DIV_ROUND_UP(NR_PAGES * sizeof(struct page), PAGE_SIZE);
	u64 expect_free, n = 0;
	struct page *page;
	void *p;

	(void)state;
	/* mem_init() builds its own mem_map, in fake RAM. */
	free(map);
	map = NULL;

	memblock_reset();
	memblock_add(0, 0x9fc00);
	memblock_add(MB, RAM_SIZE - MB);
	memblock_reserve(0, MB);
	memblock_reserve(MB, kernel_end - MB);
	memblock_reserve(mod_start, mod_end - mod_start);

	mem_init();
	assert_non_null(strstr(host_last_printk, "mm: 63 MB total, "));

	assert_int_equal(max_pfn, NR_PAGES);
	/* mem_map went to the lowest free address, right after the kernel. */
	assert_int_equal(__pa(mem_map), kernel_end);
	expect_free = (0x500000 - kernel_end) / PAGE_SIZE +
		      (RAM_SIZE - 0x601000) / PAGE_SIZE - map_pages;
	assert_int_equal(totalram_pages(), expect_free);
	assert_int_equal(nr_free_pages(), expect_free);

	/* No allocation lands in a hole, a reservation or mem_map itself. */
	while ((page = alloc_page(__GFP_NOWARN))) {
		phys_addr_t pa = page_to_phys(page);

		assert_true(pa >= kernel_end + map_pages * PAGE_SIZE);
		assert_true(pa + PAGE_SIZE <= mod_start || pa >= mod_end);
		assert_true(pa < RAM_SIZE);
		all_pages[n++] = page;
	}
	assert_int_equal(n, expect_free);
	while (n)
		__free_page(all_pages[--n]);

	/* memblock is retired; kmalloc is ready. */
	assert_int_equal(memblock_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	p = kmalloc(100, GFP_KERNEL);
	assert_non_null(p);
	kfree(p);
	assert_int_equal(nr_free_pages(), expect_free);

	memblock_reset();
}

/*
 * Several threads allocating and freeing at once. Each writes its id into
 * the pages it owns and checks it is still there when freeing: a page
 * handed to two threads shows up as a mismatch.
 */
#define NR_THREADS	4
#define THREAD_STEPS	20000

struct thread_result {
	int id;
	unsigned long errors;
};

static void *stress_thread(void *arg)
{
	struct thread_result *res = arg;
	struct live live[256];
	unsigned int nr = 0;
	int step;

	host_cpu_id = res->id;
	host_srand(1000 + res->id);
	for (step = 0; step < THREAD_STEPS; step++) {
		if (nr < ARRAY_SIZE(live) && (nr == 0 || host_rand() % 2)) {
			unsigned int order = host_rand() % 4;
			struct page *page = alloc_pages(__GFP_NOWARN, order);

			if (!page)
				continue;
			*(long *)page_address(page) = res->id;
			live[nr].page = page;
			live[nr].order = order;
			nr++;
		} else {
			unsigned int k = host_rand() % nr;

			if (*(long *)page_address(live[k].page) != res->id)
				res->errors++;
			__free_pages(live[k].page, live[k].order);
			live[k] = live[--nr];
		}
	}
	while (nr--)
		__free_pages(live[nr].page, live[nr].order);
	if (host_preempt_count || !(host_irq_flags & X86_EFLAGS_IF))
		res->errors++;
	return NULL;
}

static void test_smp_stress(void **state)
{
	struct thread_result res[NR_THREADS];
	pthread_t tid[NR_THREADS];
	int i;

	(void)state;
	for (i = 0; i < NR_THREADS; i++) {
		res[i].id = i + 1;
		res[i].errors = 0;
		assert_int_equal(pthread_create(&tid[i], NULL, stress_thread, &res[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++) {
		assert_int_equal(pthread_join(tid[i], NULL), 0);
		assert_int_equal(res[i].errors, 0);
	}
	assert_fully_merged();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_accounting, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_free_every_order, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_bad_order, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_address_conversions, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_gfp_zero, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_max_order, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_order0, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_fragmentation, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_random_sequences, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_range, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_range_given_twice, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_double_free, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frees, setup_full, teardown),
		cmocka_unit_test_setup_teardown(test_free_reserved_page, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_mem_init, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_smp_stress, setup_full, teardown),
	};

	return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}
