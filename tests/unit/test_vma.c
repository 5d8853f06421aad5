// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the memory manager's VMA tree (managers/memory/vma.c),
 * its page table (pgtable.c) and the red-black tree under them
 * (lib/rbtree.c): insert, find, split, merge, remove, overlaps rejected,
 * and long random sequences checked against a page-by-page array model.
 */
#include <stdlib.h>

#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/mm.h>
#include <lego/rbtree.h>
#include <lego/slab.h>

#include "host.h"
#include "memory/helpers.h"
#include "../../managers/memory/internal.h"

static int setup(void **state)
{
	(void)state;
	mmt_ram_setup();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mmt_ram_teardown();
	return 0;
}

/* Red-black invariants; returns the black height. */
static int rb_check(const struct rb_node *n, const struct rb_node *parent)
{
	int l, r;

	if (!n)
		return 1;
	assert_ptr_equal(n->parent, parent);
	if (n->red) {
		assert_false(n->left && n->left->red);
		assert_false(n->right && n->right->red);
	}
	l = rb_check(n->left, n);
	r = rb_check(n->right, n);
	assert_int_equal(l, r);
	return l + !n->red;
}

struct knode {
	struct rb_node rb;
	int key;
};

static void kinsert(struct rb_root *root, struct knode *k)
{
	struct rb_node **link = &root->node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = k->key < rb_entry(parent, struct knode, rb)->key ?
		       &parent->left : &parent->right;
	}
	rb_link_node(&k->rb, parent, link);
	rb_insert_color(&k->rb, root);
}

static void test_rbtree_random(void **state)
{
	enum { N = 2000 };
	struct knode *nodes = calloc(N, sizeof(*nodes));
	bool *in = calloc(N, sizeof(*in));
	struct rb_root root = RB_ROOT;
	int i, round, count = 0;

	(void)state;
	host_srand(7);
	for (round = 0; round < 20000; round++) {
		i = host_rand() % N;
		if (in[i]) {
			rb_erase(&nodes[i].rb, &root);
			in[i] = false;
			count--;
		} else {
			nodes[i].key = (int)(host_rand() % 500);
			kinsert(&root, &nodes[i]);
			in[i] = true;
			count++;
		}
		if (round % 97 == 0) {
			struct rb_node *n;
			int seen = 0, last = -1;

			assert_false(root.node && root.node->red);
			rb_check(root.node, NULL);
			for (n = rb_first(&root); n; n = rb_next(n)) {
				assert_true(rb_entry(n, struct knode, rb)->key >= last);
				last = rb_entry(n, struct knode, rb)->key;
				seen++;
			}
			assert_int_equal(seen, count);
			seen = 0;
			for (n = rb_last(&root); n; n = rb_prev(n))
				seen++;
			assert_int_equal(seen, count);
		}
	}
	free(nodes);
	free(in);
}

static struct vma *mkvma(unsigned long start, unsigned long end, u32 prot)
{
	struct vma *v = vma_alloc();

	assert_non_null(v);
	v->start = start;
	v->end = end;
	v->prot = prot;
	return v;
}

static void test_insert_find_overlap(void **state)
{
	struct vmspace *vm = vmspace_alloc();
	struct vma *a = mkvma(0x10000, 0x20000, PROT_READ);
	struct vma *b = mkvma(0x30000, 0x40000, PROT_READ);
	struct vma *c;

	(void)state;
	assert_int_equal(vma_insert(vm, a), 0);
	assert_int_equal(vma_insert(vm, b), 0);
	c = mkvma(0x1f000, 0x31000, PROT_READ);
	assert_int_equal(vma_insert(vm, c), -EEXIST);
	c->start = 0x20000;
	c->end = 0x30000;
	c->prot = PROT_WRITE;
	assert_int_equal(vma_insert(vm, c), 0);
	assert_int_equal(vm->nr_vmas, 3);

	assert_ptr_equal(vma_find(vm, 0x10000), a);
	assert_ptr_equal(vma_find(vm, 0x1ffff), a);
	assert_ptr_equal(vma_find(vm, 0x20000), c);
	assert_ptr_equal(vma_find(vm, 0x3ffff), b);
	assert_null(vma_find(vm, 0x40000));
	assert_null(vma_find(vm, 0xffff));
	assert_ptr_equal(vma_find_after(vm, 0), a);
	assert_null(vma_find_after(vm, 0x40000));
	assert_true(vm_range_mapped(vm, 0x10000, 0x40000));
	assert_false(vm_range_free(vm, 0x3f000, 0x50000));
	assert_true(vm_range_free(vm, 0x40000, 0x50000));

	/* split, then merging back gives one VMA */
	assert_int_equal(vma_split(vm, a, 0x18000), 0);
	assert_int_equal(vm->nr_vmas, 4);
	assert_int_equal(a->end, 0x18000);
	c = vma_find(vm, 0x18000);
	assert_int_equal(c->start, 0x18000);
	assert_int_equal(c->end, 0x20000);
	assert_ptr_equal(vma_merge_around(vm, c), a);
	assert_int_equal(a->end, 0x20000);
	assert_int_equal(vm->nr_vmas, 3);

	/* b and the middle one differ in prot; making them equal merges all */
	assert_int_equal(vm_protect(vm, 0x20000, 0x30000, PROT_READ), 0);
	assert_int_equal(vm->nr_vmas, 1);
	assert_int_equal(vma_first(vm)->end, 0x40000);
	assert_int_equal(vm_protect(vm, 0x50000, 0x51000, PROT_READ), -ENOMEM);

	vma_remove(vm, vma_first(vm));
	assert_int_equal(vm->nr_vmas, 0);
	vma_free(a);
	vmspace_free(vm);
}

static void test_file_vma_split_offsets(void **state)
{
	static const u8 data[3 * 4096];
	struct arc_node file = { .data = data, .size = sizeof(data), .mode = S_IFREG | 0644 };
	struct vmspace *vm = vmspace_alloc();
	struct vma tmpl = { 0 }, *v;

	(void)state;
	tmpl.start = 0x100000;
	tmpl.end = 0x103000;
	tmpl.prot = PROT_READ;
	tmpl.file = &file;
	tmpl.off = 0x1000;
	tmpl.file_end = sizeof(data);
	assert_int_equal(vm_map(vm, &tmpl), 0);
	assert_int_equal(vm_protect(vm, 0x101000, 0x102000, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(vm->nr_vmas, 3);
	v = vma_find(vm, 0x101000);
	assert_int_equal(v->off, 0x2000);
	v = vma_find(vm, 0x102000);
	assert_int_equal(v->off, 0x3000);
	assert_int_equal(vm_protect(vm, 0x101000, 0x102000, PROT_READ), 0);
	assert_int_equal(vm->nr_vmas, 1);

	/* same file, discontiguous offsets: no merge */
	tmpl.start = 0x103000;
	tmpl.end = 0x104000;
	tmpl.off = 0;
	assert_int_equal(vm_map(vm, &tmpl), 0);
	assert_int_equal(vm->nr_vmas, 2);
	vmspace_free(vm);
}

static void test_pgtable(void **state)
{
	struct pgtable pt = { 0 };
	struct page *p1 = mpage_alloc(true), *p2 = mpage_alloc(true);
	unsigned long high = 0x7ffffffde000UL;
	u64 before;

	(void)state;
	assert_null(pt_get(&pt, 0x1000));
	assert_int_equal(pt_set(&pt, 0x1000, p1), 0);
	assert_int_equal(pt_set(&pt, high, p2), 0);
	assert_ptr_equal(pt_get(&pt, 0x1000), p1);
	assert_ptr_equal(pt_get(&pt, high), p2);
	assert_null(pt_get(&pt, 0x2000));
	assert_null(pt_get(&pt, 1UL << 48));
	mpage_get(p2);
	assert_int_equal(page_count(p2), 2);
	before = mmt_free_pages();
	pt_clear(&pt, 0, 1UL << 47);
	assert_null(pt_get(&pt, high));
	assert_int_equal(page_count(p2), 1);
	assert_int_equal(mmt_free_pages(), before + 1);	/* p1 went */
	assert_ptr_equal(pt_take(&pt, 0x1000), NULL);
	assert_int_equal(pt_set(&pt, 0x5000, p2), 0);
	assert_ptr_equal(pt_take(&pt, 0x5000), p2);
	mpage_put(p2);
	pt_destroy(&pt);
}

/* ------------------------------------------------------------ random */
#define MBASE	0x1000000UL
#define MPAGES	96
#define PG(i)	(MBASE + (unsigned long)(i) * PAGE_SIZE)

/* -1: unmapped; else the prot. Pages present in the page table: has_page. */
static int model[MPAGES];
static bool has_page[MPAGES];

static void check_against_model(struct vmspace *vm)
{
	struct vma *v, *prev = NULL;
	unsigned long n = 0;
	int i;

	rb_check(vm->vmas.node, NULL);
	for (v = vma_first(vm); v; prev = v, v = vma_next(v)) {
		n++;
		assert_true(v->start < v->end);
		assert_true(IS_ALIGNED(v->start, PAGE_SIZE) && IS_ALIGNED(v->end, PAGE_SIZE));
		assert_true(v->start >= MBASE && v->end <= PG(MPAGES));
		if (prev) {
			assert_true(prev->end <= v->start);
			/* equal neighbours must have been merged */
			assert_false(prev->end == v->start && prev->prot == v->prot);
		}
	}
	assert_int_equal(n, vm->nr_vmas);
	for (i = 0; i < MPAGES; i++) {
		v = vma_find(vm, PG(i));
		if (model[i] < 0) {
			assert_null(v);
		} else {
			assert_non_null(v);
			assert_int_equal(v->prot, model[i]);
		}
		assert_int_equal(pt_get(&vm->pt, PG(i)) != NULL, has_page[i]);
	}
}

static unsigned long model_gap(int len)
{
	int top, i;

	for (top = MPAGES; top >= len; top--) {
		for (i = top - len; i < top && model[i] < 0; i++)
			;
		if (i == top)
			return PG(top - len);
	}
	return 0;
}

static void test_random_against_model(void **state)
{
	struct vmspace *vm = vmspace_alloc();
	int round, i;

	(void)state;
	host_srand(42);
	for (i = 0; i < MPAGES; i++)
		model[i] = -1;
	memset(has_page, 0, sizeof(has_page));
	for (round = 0; round < 20000; round++) {
		int op = host_rand() % 5;
		int s = host_rand() % MPAGES;
		int n = 1 + host_rand() % 12;
		u32 prot = host_rand() % 3 + 1;
		struct vma tmpl = { 0 };
		int ret;

		if (s + n > MPAGES)
			n = MPAGES - s;
		switch (op) {
		case 0:		/* mmap MAP_FIXED */
			assert_int_equal(vm_unmap(vm, PG(s), PG(s + n)), 0);
			tmpl.start = PG(s);
			tmpl.end = PG(s + n);
			tmpl.prot = prot;
			assert_int_equal(vm_map(vm, &tmpl), 0);
			for (i = s; i < s + n; i++) {
				model[i] = prot;
				has_page[i] = false;
			}
			break;
		case 1:		/* munmap */
			assert_int_equal(vm_unmap(vm, PG(s), PG(s + n)), 0);
			for (i = s; i < s + n; i++) {
				model[i] = -1;
				has_page[i] = false;
			}
			break;
		case 2: {	/* mprotect */
			bool mapped = true;

			for (i = s; i < s + n; i++)
				mapped &= model[i] >= 0;
			ret = vm_protect(vm, PG(s), PG(s + n), prot);
			assert_int_equal(ret, mapped ? 0 : -ENOMEM);
			if (mapped)
				for (i = s; i < s + n; i++)
					model[i] = prot;
			break;
		}
		case 3:		/* a write-back creates a page */
			if (model[s] >= 0 && !has_page[s]) {
				assert_int_equal(pt_set(&vm->pt, PG(s), mpage_alloc(true)), 0);
				has_page[s] = true;
			}
			break;
		case 4:		/* gap search */
			assert_int_equal(vm_find_gap(vm, n * PAGE_SIZE, MBASE, PG(MPAGES)),
					 model_gap(n));
			break;
		}
		check_against_model(vm);
	}
	vmspace_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbtree_random),
		cmocka_unit_test_setup_teardown(test_insert_find_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_vma_split_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pgtable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
