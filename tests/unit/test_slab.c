// SPDX-License-Identifier: GPL-2.0
/* Unit tests for kmalloc and named caches (mm/slab.c). */
#include <pthread.h>
#include <stdlib.h>

#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/slab.h>

#include "host.h"

#define MB		(1ULL << 20)
#define RAM_SIZE	(64 * MB)
#define NR_PAGES	(RAM_SIZE / PAGE_SIZE)

static struct page *map;
static u64 baseline;

static int setup(void **state)
{
	(void)state;
	host_reset_counters();
	host_phys_init(RAM_SIZE);
	map = calloc(NR_PAGES, sizeof(*map));
	assert_non_null(map);
	buddy_init(map, NR_PAGES);
	buddy_free_range(0, NR_PAGES);
	kmem_cache_init();
	baseline = nr_free_pages();
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

/* Every slab page went back to the buddy. */
static void assert_all_returned(void)
{
	assert_int_equal(nr_free_pages(), baseline);
	assert_int_equal(nr_free_blocks(MAX_ORDER - 1), NR_PAGES / MAX_ORDER_NR_PAGES);
}

static bool all_bytes(const void *p, unsigned char c, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++ != c)
			return false;
	return true;
}

static size_t class_size(size_t size)
{
	size_t c = KMALLOC_MIN_SIZE;

	while (c < size)
		c <<= 1;
	return c;
}

static void test_every_size(void **state)
{
	size_t size;

	(void)state;
	for (size = 1; size <= 3 * PAGE_SIZE; size++) {
		void *p = kmalloc(size, GFP_KERNEL);
		size_t usable;

		assert_non_null(p);
		usable = ksize(p);
		assert_true(usable >= size);
		assert_int_equal((uintptr_t)p % 16, 0);
		if (size <= KMALLOC_MAX_CACHE_SIZE) {
			assert_int_equal(usable, class_size(size));
			/* Power-of-two objects are aligned to their size. */
			assert_int_equal((uintptr_t)p % usable, 0);
		} else {
			assert_int_equal(usable, PAGE_SIZE << get_order(size));
			assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
		}
		memset(p, 0x5a, usable);
		kfree(p);
	}
	assert_all_returned();
}

static void test_zero_and_null(void **state)
{
	void *p;

	(void)state;
	p = kmalloc(0, GFP_KERNEL);
	assert_ptr_equal(p, ZERO_SIZE_PTR);
	assert_int_equal(ksize(p), 0);
	kfree(p);
	kfree(NULL);
	assert_int_equal(ksize(NULL), 0);
	assert_all_returned();
}

/* Many objects per class: distinct, intact, and all pages returned. */
static void test_many_objects(void **state)
{
	enum { NR = 3000 };
	static unsigned int *objs[NR];
	unsigned int shift;

	(void)state;
	host_srand(42);
	for (shift = KMALLOC_SHIFT_LOW; shift <= KMALLOC_SHIFT_HIGH; shift++) {
		size_t size = 1UL << shift;
		unsigned int i, j;

		for (i = 0; i < NR; i++) {
			objs[i] = kmalloc(size, GFP_KERNEL);
			assert_non_null(objs[i]);
			for (j = 0; j < size / sizeof(unsigned int); j++)
				objs[i][j] = i;
		}
		assert_true(nr_free_pages() <= baseline - NR * size / PAGE_SIZE);
		for (i = 0; i < NR; i++)
			for (j = 0; j < size / sizeof(unsigned int); j++)
				assert_int_equal(objs[i][j], i);

		/* Free in random order. */
		for (i = NR; i > 0; i--) {
			unsigned int k = host_rand() % i;

			kfree(objs[k]);
			objs[k] = objs[i - 1];
		}
		assert_all_returned();
	}
}

static void test_random_sizes(void **state)
{
	enum { NR = 2000 };
	static unsigned char *objs[NR];
	static size_t sizes[NR];
	int step;
	unsigned int i;

	(void)state;
	host_srand(7);
	memset(objs, 0, sizeof(objs));
	for (step = 0; step < 50000; step++) {
		unsigned int k = host_rand() % NR;

		if (objs[k]) {
			assert_true(all_bytes(objs[k], (unsigned char)k, sizes[k]));
			kfree(objs[k]);
			objs[k] = NULL;
		} else {
			sizes[k] = host_rand() % 8 ? 1 + host_rand() % 2048
					       : 1 + host_rand() % (5 * PAGE_SIZE);
			objs[k] = kmalloc(sizes[k], GFP_KERNEL);
			assert_non_null(objs[k]);
			memset(objs[k], (unsigned char)k, sizes[k]);
		}
	}
	for (i = 0; i < NR; i++)
		kfree(objs[i]);
	assert_all_returned();
}

static void test_large(void **state)
{
	void *a, *b, *c;

	(void)state;
	a = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	assert_int_equal(ksize(a), PAGE_SIZE);
	b = kmalloc(PAGE_SIZE + 1, GFP_KERNEL);
	assert_int_equal(ksize(b), 2 * PAGE_SIZE);
	c = kzalloc(PAGE_SIZE << (MAX_ORDER - 1), GFP_KERNEL);
	assert_non_null(c);
	assert_int_equal(ksize(c), PAGE_SIZE << (MAX_ORDER - 1));
	assert_true(all_bytes(c, 0, ksize(c)));
	/* The order is recorded in the head page. */
	assert_true(PageHead(virt_to_page(c)));
	assert_false(PageSlab(virt_to_page(c)));
	assert_int_equal(virt_to_page(c)->private, MAX_ORDER - 1);

	host_reset_counters();
	assert_null(kmalloc((PAGE_SIZE << (MAX_ORDER - 1)) + 1, GFP_KERNEL));
	assert_int_equal(host_printk_count, 1);
	assert_null(kmalloc((PAGE_SIZE << (MAX_ORDER - 1)) + 1, __GFP_NOWARN));
	assert_int_equal(host_printk_count, 1);

	kfree(a);
	kfree(b);
	kfree(c);
	assert_all_returned();
}

static void test_kzalloc_zeroes(void **state)
{
	unsigned int shift;
	unsigned char *p;

	(void)state;
	for (shift = KMALLOC_SHIFT_LOW; shift <= KMALLOC_SHIFT_HIGH + 2; shift++) {
		size_t size = 1UL << shift;
		void *keep = kmalloc(size, GFP_KERNEL);	/* keeps the slab alive */

		/* Dirty an object, free it, and get the same one back zeroed. */
		p = kmalloc(size, GFP_KERNEL);
		memset(p, 0xff, size);
		kfree(p);
		p = kzalloc(size, GFP_KERNEL);
		assert_true(all_bytes(p, 0, ksize(p)));
		kfree(p);
		kfree(keep);
	}

	p = kcalloc(10, 100, GFP_KERNEL);
	assert_true(all_bytes(p, 0, 1000));
	kfree(p);
	assert_null(kcalloc(SIZE_MAX / 2, 3, GFP_KERNEL));
	assert_null(kmalloc_array(SIZE_MAX / 8, 16, GFP_KERNEL));
	assert_all_returned();
}

static void test_reuse_after_free(void **state)
{
	void *a, *b, *c;

	(void)state;
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	assert_ptr_equal((char *)b, (char *)a + 64);
	kfree(a);
	c = kmalloc(64, GFP_KERNEL);
	assert_ptr_equal(c, a);			/* LIFO reuse */
	kfree(b);
	kfree(c);
	assert_all_returned();
}

static void test_double_free(void **state)
{
	void *keep, *p, *lone;

	(void)state;
	/* The slab stays alive: caught by the free-chain check. */
	keep = kmalloc(32, GFP_KERNEL);
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	expect_panic(kfree(p));
	assert_non_null(strstr(host_last_panic, "double free"));
	host_assert_balanced();

	/* The slab went back to the buddy: caught there. */
	lone = kmalloc(1024, GFP_KERNEL);
	kfree(lone);
	expect_panic(kfree(lone));

	/* A large allocation. */
	p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	kfree(p);
	expect_panic(kfree(p));
	host_assert_balanced();

	/* User data that happens to look like the free magic is no false alarm. */
	p = kmalloc(32, GFP_KERNEL);
	((unsigned long *)p)[1] = 0xf4eef4eef4eef4eeUL;
	kfree(p);

	kfree(keep);
	assert_all_returned();
}

static void test_bad_pointers(void **state)
{
	char *small, *large;
	int on_stack;

	(void)state;
	small = kmalloc(128, GFP_KERNEL);
	large = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);

	expect_panic(kfree(small + 8));
	assert_non_null(strstr(host_last_panic, "not the start"));
	expect_panic(kfree(large + 16));
	expect_panic(kfree(large + PAGE_SIZE));
	expect_panic(kfree(&on_stack));
	host_assert_balanced();

	kfree(small);
	kfree(large);
	assert_all_returned();
}

static void test_use_after_free_detected(void **state)
{
	unsigned long *a, *b;

	(void)state;
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	kfree(a);
	a[0] = 12345;	/* scribble over the free chain link */
	expect_panic(kmalloc(64, GFP_KERNEL));
	assert_non_null(strstr(host_last_panic, "corrupted"));
	host_assert_balanced();
	(void)b;
}

static void test_named_cache(void **state)
{
	enum { NR = 500 };
	static void *objs[NR];
	struct kmem_cache *c, *big, *aligned;
	unsigned int i;
	void *x;

	(void)state;
	c = kmem_cache_create("test24", 24, 0);
	assert_non_null(c);
	assert_int_equal(kmem_cache_size(c), 24);
	for (i = 0; i < NR; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_non_null(objs[i]);
		assert_int_equal((uintptr_t)objs[i] % 8, 0);
		memset(objs[i], i, 24);
	}
	for (i = 0; i < NR; i++)
		assert_true(all_bytes(objs[i], (unsigned char)i, 24));
	assert_int_equal(ksize(objs[0]), 24);

	/* An object from another cache, or kmalloc's, is refused. */
	x = kmalloc(24, GFP_KERNEL);
	expect_panic(kmem_cache_free(c, x));
	kfree(x);

	/* Destroy refuses while objects are live. */
	host_reset_counters();
	kmem_cache_destroy(c);
	assert_non_null(strstr(host_last_printk, "still in use"));

	for (i = 0; i < NR; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_free(c, NULL);
	kmem_cache_destroy(c);

	aligned = kmem_cache_create("test_al", 40, 64);
	assert_int_equal(kmem_cache_size(aligned), 64);
	for (i = 0; i < 100; i++) {
		objs[i] = kmem_cache_zalloc(aligned, GFP_KERNEL);
		assert_int_equal((uintptr_t)objs[i] % 64, 0);
		assert_true(all_bytes(objs[i], 0, 40));
	}
	for (i = 0; i < 100; i++)
		kmem_cache_free(aligned, objs[i]);
	kmem_cache_destroy(aligned);

	big = kmem_cache_create("test_page", PAGE_SIZE, 0);
	for (i = 0; i < 10; i++)
		objs[i] = kmem_cache_alloc(big, GFP_KERNEL);
	for (i = 0; i < 10; i++)
		kmem_cache_free(big, objs[i]);
	kmem_cache_destroy(big);

	assert_null(kmem_cache_create("bad", PAGE_SIZE + 1, 0));
	assert_null(kmem_cache_create("bad", 16, 3));
	assert_null(kmem_cache_create("bad", 0, 0));
	assert_all_returned();
}

static void test_dump(void **state)
{
	(void)state;
	host_reset_counters();
	slab_dump();
	assert_int_equal(host_printk_count, KMALLOC_NR_CACHES);
}

/* Threads sharing the caches; each checks its objects stay its own. */
#define NR_THREADS	4

struct thread_result {
	int id;
	unsigned long errors;
};

static void *stress_thread(void *arg)
{
	struct thread_result *res = arg;
	unsigned char *objs[128] = { 0 };
	size_t sizes[128];
	int step;
	unsigned int k;

	host_cpu_id = res->id;
	host_srand(500 + res->id);
	for (step = 0; step < 50000; step++) {
		k = host_rand() % ARRAY_SIZE(objs);
		if (objs[k]) {
			if (!all_bytes(objs[k], (unsigned char)res->id, sizes[k]))
				res->errors++;
			kfree(objs[k]);
			objs[k] = NULL;
		} else {
			sizes[k] = 1 + host_rand() % (host_rand() % 16 ? 512 : 6000);
			objs[k] = kmalloc(sizes[k], __GFP_NOWARN);
			if (!objs[k]) {
				res->errors++;
				continue;
			}
			memset(objs[k], res->id, sizes[k]);
		}
	}
	for (k = 0; k < ARRAY_SIZE(objs); k++)
		kfree(objs[k]);
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
	assert_all_returned();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_and_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kzalloc_zeroes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse_after_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_double_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_pointers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_use_after_free_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_named_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smp_stress, setup, teardown),
	};

	return cmocka_run_group_tests_name("slab", tests, NULL, NULL);
}
