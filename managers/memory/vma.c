// SPDX-License-Identifier: GPL-2.0
/*
 * The VMA tree of an address space: non-overlapping [start, end) ranges
 * in a red-black tree keyed by start, with the splitting and merging that
 * munmap, mprotect and mremap need, and the search for free gaps.
 */
#include <lego/errno.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

struct vmspace *vmspace_alloc(void)
{
	struct vmspace *vm = kzalloc(sizeof(*vm), GFP_KERNEL);

	if (vm)
		vm->vmas = RB_ROOT;
	return vm;
}

void vmspace_free(struct vmspace *vm)
{
	struct vma *vma;

	if (!vm)
		return;
	while ((vma = vma_first(vm))) {
		vma_remove(vm, vma);
		vma_free(vma);
	}
	pt_destroy(&vm->pt);
	kfree(vm);
}

struct vma *vma_alloc(void)
{
	return kzalloc(sizeof(struct vma), GFP_KERNEL);
}

void vma_free(struct vma *vma)
{
	kfree(vma);
}

struct vma *vma_first(struct vmspace *vm)
{
	return rb_entry_safe(rb_first(&vm->vmas), struct vma, rb);
}

struct vma *vma_next(struct vma *vma)
{
	return rb_entry_safe(rb_next(&vma->rb), struct vma, rb);
}

struct vma *vma_prev(struct vma *vma)
{
	return rb_entry_safe(rb_prev(&vma->rb), struct vma, rb);
}

struct vma *vma_find_after(struct vmspace *vm, unsigned long addr)
{
	struct rb_node *n = vm->vmas.node;
	struct vma *best = NULL;

	while (n) {
		struct vma *v = rb_entry(n, struct vma, rb);

		if (v->end > addr) {
			best = v;
			if (v->start <= addr)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *vma_find(struct vmspace *vm, unsigned long addr)
{
	struct vma *v = vma_find_after(vm, addr);

	return v && v->start <= addr ? v : NULL;
}

int vma_insert(struct vmspace *vm, struct vma *vma)
{
	struct rb_node **link = &vm->vmas.node, *parent = NULL;

	if (vma->start >= vma->end)
		return -EINVAL;
	while (*link) {
		struct vma *v = rb_entry(*link, struct vma, rb);

		parent = *link;
		if (vma->end <= v->start)
			link = &parent->left;
		else if (vma->start >= v->end)
			link = &parent->right;
		else
			return -EEXIST;
	}
	rb_link_node(&vma->rb, parent, link);
	rb_insert_color(&vma->rb, &vm->vmas);
	vm->nr_vmas++;
	return 0;
}

void vma_remove(struct vmspace *vm, struct vma *vma)
{
	rb_erase(&vma->rb, &vm->vmas);
	vm->nr_vmas--;
}

int vma_split(struct vmspace *vm, struct vma *vma, unsigned long addr)
{
	struct vma *upper;

	if (addr <= vma->start || addr >= vma->end)
		return 0;
	upper = vma_alloc();
	if (!upper)
		return -ENOMEM;
	*upper = *vma;
	upper->start = addr;
	if (upper->file)
		upper->off += addr - vma->start;
	/* shrinking vma first keeps the tree free of overlaps */
	vma->end = addr;
	return vma_insert(vm, upper);
}

/* b directly follows a and behaves the same: one VMA could hold both. */
static bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags ||
	    a->file != b->file)
		return false;
	if (!a->file)
		return true;
	return a->file_end == b->file_end && a->off + (a->end - a->start) == b->off;
}

struct vma *vma_merge_around(struct vmspace *vm, struct vma *vma)
{
	struct vma *prev = vma_prev(vma), *next = vma_next(vma);

	if (next && vma_mergeable(vma, next)) {
		vma_remove(vm, next);
		vma->end = next->end;
		vma_free(next);
	}
	if (prev && vma_mergeable(prev, vma)) {
		/* the tree order is unchanged: prev simply grows */
		vma_remove(vm, vma);
		prev->end = vma->end;
		vma_free(vma);
		vma = prev;
	}
	return vma;
}

bool vm_range_free(struct vmspace *vm, unsigned long start, unsigned long end)
{
	struct vma *v = vma_find_after(vm, start);

	return !v || v->start >= end;
}

bool vm_range_mapped(struct vmspace *vm, unsigned long start, unsigned long end)
{
	struct vma *v = vma_find(vm, start);

	while (v && v->end < end) {
		struct vma *next = vma_next(v);

		if (!next || next->start != v->end)
			return false;
		v = next;
	}
	return v != NULL;
}

int vm_unmap(struct vmspace *vm, unsigned long start, unsigned long end)
{
	struct vma *v = vma_find_after(vm, start);
	int ret;

	if (!v || v->start >= end)
		return 0;
	/* splitting changes nothing visible, so a failure leaves a sane tree */
	ret = vma_split(vm, v, start);
	if (ret)
		return ret;
	if (v->start < start)
		v = vma_next(v);
	while (v && v->start < end) {
		struct vma *next;

		ret = vma_split(vm, v, end);
		if (ret)
			return ret;
		next = vma_next(v);
		pt_clear(&vm->pt, v->start, v->end);
		vma_remove(vm, v);
		vma_free(v);
		v = next;
	}
	return 0;
}

int vm_map(struct vmspace *vm, const struct vma *tmpl)
{
	struct vma *vma = vma_alloc();
	int ret;

	if (!vma)
		return -ENOMEM;
	*vma = *tmpl;
	ret = vma_insert(vm, vma);
	if (ret) {
		vma_free(vma);
		return ret;
	}
	vma_merge_around(vm, vma);
	return 0;
}

unsigned long vm_find_gap(struct vmspace *vm, unsigned long len,
			  unsigned long low, unsigned long high)
{
	unsigned long top = high;
	struct vma *v;

	if (low >= high || len > high - low)
		return 0;
	/* v: the highest VMA starting below high */
	v = vma_find_after(vm, high - 1);
	if (!v)
		v = rb_entry_safe(rb_last(&vm->vmas), struct vma, rb);
	else if (v->start >= high)
		v = vma_prev(v);
	/* try the gaps from the top down: [v->end, top) */
	while (top > low) {
		unsigned long bottom;

		if (v && v->end > top) {
			top = min(top, v->start);
			v = vma_prev(v);
			continue;
		}
		bottom = v ? max(v->end, low) : low;
		if (top > bottom && top - bottom >= len)
			return top - len;
		if (!v)
			break;
		top = v->start;
		v = vma_prev(v);
	}
	return 0;
}

int vm_protect(struct vmspace *vm, unsigned long start, unsigned long end, u32 prot)
{
	struct vma *v = vma_find(vm, start);
	int ret;

	if (!vm_range_mapped(vm, start, end))
		return -ENOMEM;
	ret = vma_split(vm, v, start);
	if (ret)
		return ret;
	if (v->start < start)
		v = vma_next(v);
	while (v && v->start < end) {
		struct vma *next;

		ret = vma_split(vm, v, end);
		if (ret)
			return ret;
		v->prot = prot;
		v = vma_merge_around(vm, v);
		next = vma_next(v);
		v = next;
	}
	return 0;
}
