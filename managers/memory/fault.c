// SPDX-License-Identifier: GPL-2.0
/*
 * ExCache traffic: misses (M_OP_MISS, with an optional piggybacked dirty
 * victim) and write-backs (M_OP_WRITEBACK). A page exists here only once
 * it was written back (or built by exec); until then a miss answers from
 * the VMA's file or tells the processor to zero the page itself.
 */
#include <lego/errno.h>
#include <lego/string.h>

#include "internal.h"

bool vm_page_content(const struct vma *vma, unsigned long addr, void *dst)
{
	const struct arc_node *f = vma->file;
	u64 pos, limit, n;

	if (!f)
		return false;
	pos = vma->off + (addr - vma->start);
	limit = min(vma->file_end, f->size);
	if (pos >= limit)
		return false;	/* bss or past the end of the file */
	n = min(limit - pos, (u64)PAGE_SIZE);
	memcpy(dst, f->data + pos, n);
	memset((u8 *)dst + n, 0, PAGE_SIZE - n);
	return true;
}

/* n bytes at addr (within one page) of a never-written page. */
static void file_bytes(const struct vma *vma, unsigned long addr, void *dst, size_t n)
{
	const struct arc_node *f = vma->file;
	u64 pos, limit;

	memset(dst, 0, n);
	if (!f)
		return;
	pos = vma->off + (addr - vma->start);
	limit = min(vma->file_end, f->size);
	if (pos < limit)
		memcpy(dst, f->data + pos, min(limit - pos, (u64)n));
}

/*
 * The page at addr, ready to be written: created from its current content
 * if missing, and copied first if it is shared copy-on-write.
 */
static struct page *vm_writable_page(struct vmspace *vm, struct vma *vma,
				     unsigned long addr, bool overwrite)
{
	struct page *old = pt_get(&vm->pt, addr), *page;

	if (old && (page_count(old) == 1 || (vma->flags & VMA_SHARED)))
		return old;
	page = mpage_alloc(false);
	if (!page)
		return NULL;
	if (!overwrite) {
		void *dst = mpage_address(page);

		if (old)
			memcpy(dst, mpage_address(old), PAGE_SIZE);
		else if (!vm_page_content(vma, addr, dst))
			memset(dst, 0, PAGE_SIZE);
	}
	if (pt_set(&vm->pt, addr, page)) {
		mpage_put(page);
		return NULL;
	}
	return page;
}

int vm_store_page(struct vmspace *vm, struct vma *vma, unsigned long addr, const void *src)
{
	struct page *page = vm_writable_page(vm, vma, addr & PAGE_MASK, true);

	if (!page)
		return -ENOMEM;
	memcpy(mpage_address(page), src, PAGE_SIZE);
	return 0;
}

int vm_write(struct vmspace *vm, unsigned long addr, const void *src, size_t len)
{
	while (len) {
		unsigned long base = addr & PAGE_MASK, off = addr - base;
		size_t n = min(len, (size_t)(PAGE_SIZE - off));
		struct vma *vma = vma_find(vm, base);
		struct page *page;

		if (!vma)
			return -EFAULT;
		page = vm_writable_page(vm, vma, base, n == PAGE_SIZE);
		if (!page)
			return -ENOMEM;
		memcpy((u8 *)mpage_address(page) + off, src, n);
		addr += n;
		src = (const u8 *)src + n;
		len -= n;
	}
	return 0;
}

int vm_read(struct vmspace *vm, unsigned long addr, void *dst, size_t len)
{
	while (len) {
		unsigned long base = addr & PAGE_MASK, off = addr - base;
		size_t n = min(len, (size_t)(PAGE_SIZE - off));
		struct vma *vma = vma_find(vm, base);
		struct page *page;

		if (!vma)
			return -EFAULT;
		page = pt_get(&vm->pt, base);
		if (page)
			memcpy(dst, (u8 *)mpage_address(page) + off, n);
		else
			file_bytes(vma, addr, dst, n);
		addr += n;
		dst = (u8 *)dst + n;
		len -= n;
	}
	return 0;
}

/* Store a dirty line; an address no longer mapped is dropped silently. */
static int do_writeback(int node, u32 pid, unsigned long addr, const void *data)
{
	struct mspace *sp = space_lock(node, pid);
	struct vma *vma;
	int ret = 0;

	if (IS_ERR(sp))
		return PTR_ERR(sp);
	vma = vma_find(sp->vm, addr & PAGE_MASK);
	if (vma)
		ret = vm_store_page(sp->vm, vma, addr, data);
	space_unlock(sp);
	return ret;
}

/*
 * Reads imply exec (x86 page tables without NX cannot tell them apart),
 * so only a fetch from a page with neither right is refused.
 */
static bool access_allowed(u32 prot, u32 flags)
{
	if (flags & M_MISS_WRITE)
		return prot & PROT_WRITE;
	if (flags & M_MISS_EXEC)
		return prot & (PROT_EXEC | PROT_READ);
	return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

static int do_miss(struct vmspace *vm, unsigned long addr, u32 flags, struct mm_reply *r)
{
	struct vma *vma = vma_find(vm, addr);
	struct m_miss_reply *rep;
	struct page *page;
	void *data;

	if (!vma)
		return -EFAULT;
	if (!access_allowed(vma->prot, flags))
		return -EACCES;
	rep = mm_reply_alloc(r, sizeof(*rep) + PAGE_SIZE);
	if (!rep)
		return -ENOMEM;
	rep->prot = fit_le32(vma->prot);
	rep->flags = 0;
	data = rep + 1;
	page = pt_get(&vm->pt, addr);
	if (page) {
		memcpy(data, mpage_address(page), PAGE_SIZE);
	} else if (!vm_page_content(vma, addr, data)) {
		if (flags & M_MISS_NOZERO) {
			memset(data, 0, PAGE_SIZE);
		} else {
			rep->flags = fit_le32(M_REPLY_ZERO);
			r->len = sizeof(*rep);
		}
	}
	return 0;
}

int mm_miss(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct m_miss_req req;
	struct mspace *sp;
	u32 flags;
	int ret;

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	flags = fit_le32(req.flags);
	if (flags & M_MISS_WB) {
		if (len < sizeof(req) + PAGE_SIZE)
			return -EINVAL;
		/* the victim is stored whatever becomes of the miss */
		do_writeback(node, fit_le32(req.wb_pid), fit_le64(req.wb_addr),
			     (const u8 *)buf + sizeof(req));
	}
	sp = space_lock(node, fit_le32(req.pid));
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	ret = do_miss(sp->vm, fit_le64(req.addr) & PAGE_MASK, flags, r);
	space_unlock(sp);
	return ret;
}

int mm_writeback(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct m_wb_req req;

	if (len < sizeof(req) + PAGE_SIZE)
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	return do_writeback(node, fit_le32(req.pid), fit_le64(req.addr),
			    (const u8 *)buf + sizeof(req));
}
