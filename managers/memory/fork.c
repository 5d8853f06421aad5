// SPDX-License-Identifier: GPL-2.0
/*
 * Fork: the child's space is a copy of the parent's VMAs. Private pages
 * are shared copy-on-write (one more reference each; the first write-back
 * to a page still shared copies it); MAP_SHARED pages are shared for good,
 * which needs each of them to exist before both sides can see it.
 */
#include <lego/errno.h>
#include <lego/string.h>

#include "internal.h"

struct fork_ctx {
	struct vmspace *child;
	int err;
};

static int share_page(unsigned long addr, struct page *page, void *data)
{
	struct fork_ctx *f = data;

	mpage_get(page);
	f->err = pt_set(&f->child->pt, addr, page);
	if (f->err)
		mpage_put(page);
	return f->err;
}

/* Give every page of a shared VMA a real page, so both spaces share it. */
static int populate_shared(struct vmspace *vm, struct vma *vma)
{
	unsigned long addr;

	for (addr = vma->start; addr < vma->end; addr += PAGE_SIZE) {
		struct page *page;

		if (pt_get(&vm->pt, addr))
			continue;
		page = mpage_alloc(true);
		if (!page)
			return -ENOMEM;
		if (pt_set(&vm->pt, addr, page)) {
			mpage_put(page);
			return -ENOMEM;
		}
	}
	return 0;
}

static struct vmspace *copy_vmspace(struct vmspace *parent)
{
	struct vmspace *child = vmspace_alloc();
	struct fork_ctx f = { child, 0 };
	struct vma *v;
	int ret = -ENOMEM;

	if (!child)
		return ERR_PTR(-ENOMEM);
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	child->stack_top = parent->stack_top;
	for (v = vma_first(parent); v; v = vma_next(v)) {
		struct vma *c;

		if (v->flags & VMA_DONTFORK)
			continue;
		if (v->flags & VMA_SHARED) {
			ret = populate_shared(parent, v);
			if (ret)
				goto fail;
		}
		ret = -ENOMEM;
		c = vma_alloc();
		if (!c)
			goto fail;
		*c = *v;
		ret = vma_insert(child, c);
		if (ret) {
			vma_free(c);
			goto fail;
		}
		ret = pt_for_each(&parent->pt, v->start, v->end, share_page, &f);
		if (ret)
			goto fail;
	}
	return child;
fail:
	vmspace_free(child);
	return ERR_PTR(ret);
}

int mm_fork(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct m_fork_req req;
	struct vmspace *child;
	struct mspace *sp, *csp;

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	sp = space_get(node, fit_le32(req.child));
	if (sp) {
		space_put(sp);
		return -EEXIST;
	}
	sp = space_lock(node, fit_le32(req.parent));
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	child = copy_vmspace(sp->vm);
	space_unlock(sp);
	if (IS_ERR(child))
		return PTR_ERR(child);
	csp = space_create(node, fit_le32(req.child), child);
	if (IS_ERR(csp)) {
		vmspace_free(child);
		return PTR_ERR(csp);
	}
	space_put(csp);
	return 0;
}
