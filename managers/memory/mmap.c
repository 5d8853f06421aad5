// SPDX-License-Identifier: GPL-2.0
/*
 * The memory system calls, with Linux's semantics and errnos: mmap,
 * munmap, mremap, brk, mprotect, madvise and msync on a space's VMAs.
 * The processor flushes or drops its cached lines itself; here only the
 * VMAs and the pages stored on this side change.
 */
#include <lego/errno.h>
#include <lego/string.h>

#include "internal.h"

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)
/* Where MAP_32BIT mappings go, as on Linux: the second gigabyte. */
#define MAP32_LOW	0x40000000UL
#define MAP32_HIGH	0x80000000UL

static inline unsigned long page_up(unsigned long x)
{
	return ALIGN(x, PAGE_SIZE);
}

/* A page-aligned range [start, start + len) fully inside user space. */
static bool user_range_ok(unsigned long start, unsigned long len)
{
	return start >= USER_ADDR_MIN && start <= USER_ADDR_MAX &&
	       len <= USER_ADDR_MAX - start;
}

static int set_addr_reply(struct mm_reply *r, unsigned long addr)
{
	struct m_addr_reply *rep = mm_reply_alloc(r, sizeof(*rep));

	if (!rep)
		return -ENOMEM;
	rep->addr = fit_le64(addr);
	return 0;
}

/* Choose where a new mapping of len bytes goes; 0 if nowhere. */
static unsigned long choose_addr(struct vmspace *vm, unsigned long hint,
				 unsigned long len, u32 flags)
{
	unsigned long low = USER_ADDR_MIN, high = USER_MMAP_BASE;

	hint &= PAGE_MASK;
	if (hint && user_range_ok(hint, len) && vm_range_free(vm, hint, hint + len))
		return hint;
	if (flags & MAP_32BIT) {
		low = MAP32_LOW;
		high = MAP32_HIGH;
	}
	return vm_find_gap(vm, len, low, high);
}

static long do_mmap(struct vmspace *vm, unsigned long addr, unsigned long len, u32 prot,
		    u32 flags, u64 pgoff, const struct arc_node *file)
{
	struct vma tmpl = { 0 };
	u32 type = flags & MAP_TYPE;
	int ret;

	if (!len || (prot & ~(PROT_ALL | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & ~PAGE_MASK))
		return -EINVAL;
	if (len > USER_ADDR_MAX)
		return -ENOMEM;
	len = page_up(len);
	if (file) {
		if (pgoff > (~0ULL >> PAGE_SHIFT) ||
		    (pgoff << PAGE_SHIFT) + len < (pgoff << PAGE_SHIFT))
			return -EOVERFLOW;
		if (!S_ISREG(file->mode))
			return -ENODEV;
		/* the archive is read-only: nothing can be written through */
		if (type != MAP_PRIVATE)
			return (prot & PROT_WRITE) ? -EACCES : -ENODEV;
	}

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!user_range_ok(addr, len))
			return addr < USER_ADDR_MIN ? -EPERM : -ENOMEM;
		if (!(flags & MAP_FIXED) && !vm_range_free(vm, addr, addr + len))
			return -EEXIST;
	} else {
		addr = choose_addr(vm, addr, len, flags);
		if (!addr)
			return -ENOMEM;
	}

	tmpl.start = addr;
	tmpl.end = addr + len;
	tmpl.prot = prot & PROT_ALL;
	if (type != MAP_PRIVATE)
		tmpl.flags |= VMA_SHARED;
	if (flags & MAP_GROWSDOWN)
		tmpl.flags |= VMA_GROWSDOWN;
	if (file) {
		tmpl.file = file;
		tmpl.off = pgoff << PAGE_SHIFT;
		tmpl.file_end = file->size;
	}
	/* MAP_FIXED replaces whatever was there */
	ret = vm_unmap(vm, addr, addr + len);
	if (!ret)
		ret = vm_map(vm, &tmpl);
	return ret ? ret : (long)addr;
}

int mm_mmap(int node, const void *buf, size_t len, struct mm_reply *r)
{
	const struct arc_node *file = NULL;
	struct m_mmap_req req;
	struct mspace *sp;
	u32 flags, path_len;
	long ret;

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	flags = fit_le32(req.flags);
	path_len = fit_le32(req.path_len);
	if (path_len > len - sizeof(req))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		ret = archive_lookup(mm_archive, (const char *)buf + sizeof(req), path_len,
				     true, &file);
		if (ret)
			return ret == -ENOENT ? -EBADF : ret;
	}
	sp = space_lock(node, fit_le32(req.pid));
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	ret = do_mmap(sp->vm, fit_le64(req.addr), fit_le64(req.len), fit_le32(req.prot),
		      flags, fit_le64(req.pgoff), file);
	space_unlock(sp);
	if (ret < 0)
		return ret;
	return set_addr_reply(r, ret);
}

/* A range request, decoded. */
struct range_args {
	unsigned long addr, size;
	u32 arg;
};

/* Parse a range request and lock its space. */
static struct mspace *range_req(int node, const void *buf, size_t len, struct range_args *a)
{
	struct m_range_req req;

	if (len < sizeof(req))
		return ERR_PTR(-EINVAL);
	memcpy(&req, buf, sizeof(req));
	a->addr = fit_le64(req.addr);
	a->size = fit_le64(req.len);
	a->arg = fit_le32(req.arg);
	return space_lock(node, fit_le32(req.pid));
}

/* 0 if the range lies in the user half, else err (each call has its own errno). */
static int range_check(const struct range_args *a, int err)
{
	if (a->size > USER_ADDR_MAX || !user_range_ok(a->addr, page_up(a->size)))
		return err;
	return 0;
}

static unsigned long range_end(const struct range_args *a)
{
	return a->addr + page_up(a->size);
}

int mm_munmap(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct range_args a;
	struct mspace *sp;
	int ret;

	sp = range_req(node, buf, len, &a);
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	if ((a.addr & ~PAGE_MASK) || !a.size)
		ret = -EINVAL;
	else
		ret = range_check(&a, -EINVAL) ?: vm_unmap(sp->vm, a.addr, range_end(&a));
	space_unlock(sp);
	return ret;
}

int mm_mprotect(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct range_args a;
	struct mspace *sp;
	int ret;

	sp = range_req(node, buf, len, &a);
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	if ((a.addr & ~PAGE_MASK) || (a.arg & ~(PROT_ALL | PROT_GROWSDOWN | PROT_GROWSUP)))
		ret = -EINVAL;
	else if (!a.size)
		ret = 0;
	else
		ret = range_check(&a, -ENOMEM) ?:
		      vm_protect(sp->vm, a.addr, range_end(&a), a.arg & PROT_ALL);
	space_unlock(sp);
	return ret;
}

static bool advice_known(u32 advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK:
	case MADV_DOFORK: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
		return true;
	}
	return false;
}

/* Apply advice to the VMAs of [start, end), which may have holes. */
static int do_madvise(struct vmspace *vm, unsigned long start, unsigned long end, u32 advice)
{
	struct vma *v = vma_find_after(vm, start);
	int ret;

	for (; v && v->start < end; v = vma_next(v)) {
		unsigned long lo = max(v->start, start), hi = min(v->end, end);

		switch (advice) {
		case MADV_DONTNEED:
		case MADV_FREE:
			/* shared memory keeps its data: only private pages go */
			if (!(v->flags & VMA_SHARED))
				pt_clear(&vm->pt, lo, hi);
			break;
		case MADV_REMOVE:
			if (!(v->flags & VMA_SHARED))
				return -EINVAL;
			pt_clear(&vm->pt, lo, hi);
			break;
		case MADV_DONTFORK:
		case MADV_DOFORK:
			ret = vma_split(vm, v, lo);
			if (!ret && v->start < lo)
				v = vma_next(v);
			if (!ret)
				ret = vma_split(vm, v, hi);
			if (ret)
				return ret;
			if (advice == MADV_DONTFORK)
				v->flags |= VMA_DONTFORK;
			else
				v->flags &= ~VMA_DONTFORK;
			v = vma_merge_around(vm, v);
			break;
		}
	}
	return vm_range_mapped(vm, start, end) ? 0 : -ENOMEM;
}

int mm_madvise(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct range_args a;
	struct mspace *sp;
	int ret;

	sp = range_req(node, buf, len, &a);
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	if ((a.addr & ~PAGE_MASK) || !advice_known(a.arg))
		ret = -EINVAL;
	else if (!a.size)
		ret = 0;
	else
		ret = range_check(&a, -EINVAL) ?: do_madvise(sp->vm, a.addr, range_end(&a), a.arg);
	space_unlock(sp);
	return ret;
}

int mm_msync(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct range_args a;
	struct mspace *sp;
	int ret;

	sp = range_req(node, buf, len, &a);
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	if ((a.addr & ~PAGE_MASK) || (a.arg & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((a.arg & MS_ASYNC) && (a.arg & MS_SYNC)))
		ret = -EINVAL;
	else if (!a.size)
		ret = 0;
	else
		/* nothing is written to files: only the range is checked */
		ret = range_check(&a, -ENOMEM) ?:
		      (vm_range_mapped(sp->vm, a.addr, range_end(&a)) ? 0 : -ENOMEM);
	space_unlock(sp);
	return ret;
}

/* Linux's brk: the new break, or the old one if it cannot move. */
static unsigned long do_brk(struct vmspace *vm, unsigned long brk)
{
	unsigned long old_top = page_up(vm->brk), new_top = page_up(brk);
	struct vma tmpl = { 0 };

	if (brk < vm->start_brk || brk > USER_ADDR_MAX)
		return vm->brk;
	if (new_top < old_top) {
		if (vm_unmap(vm, new_top, old_top))
			return vm->brk;
	} else if (new_top > old_top) {
		if (!vm_range_free(vm, old_top, new_top))
			return vm->brk;
		tmpl.start = old_top;
		tmpl.end = new_top;
		tmpl.prot = PROT_READ | PROT_WRITE;
		if (vm_map(vm, &tmpl))
			return vm->brk;
	}
	vm->brk = brk;
	return brk;
}

int mm_brk(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct m_brk_req req;
	struct mspace *sp;
	unsigned long brk;

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	sp = space_lock(node, fit_le32(req.pid));
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	brk = do_brk(sp->vm, fit_le64(req.brk));
	space_unlock(sp);
	return set_addr_reply(r, brk);
}

struct move_ctx {
	struct vmspace *vm;
	long delta;
	int err;
};

static int move_one(unsigned long addr, struct page *page, void *data)
{
	struct move_ctx *m = data;

	/* the reference travels from the old slot to the new one */
	mpage_get(page);
	m->err = pt_set(&m->vm->pt, addr + m->delta, page);
	if (m->err)
		mpage_put(page);
	return m->err;
}

/* Move [old, old + len) of vma to new (free, not overlapping), pages included. */
static int move_range(struct vmspace *vm, struct vma *vma, unsigned long old,
		      unsigned long len, unsigned long new)
{
	struct move_ctx m = { vm, (long)(new - old), 0 };
	struct vma tmpl = *vma;
	int ret;

	tmpl.start = new;
	tmpl.end = new + len;
	if (tmpl.file)
		tmpl.off = vma->off + (old - vma->start);
	ret = vm_map(vm, &tmpl);
	if (ret)
		return ret;
	ret = pt_for_each(&vm->pt, old, old + len, move_one, &m);
	if (ret) {
		vm_unmap(vm, new, new + len);
		return ret;
	}
	return vm_unmap(vm, old, old + len);
}

/*
 * After move_range() put len bytes at addr: the grown tail up to new_len
 * (free) is new memory of the same kind. Returns addr.
 */
static long grow_moved(struct vmspace *vm, unsigned long addr, unsigned long len,
		       unsigned long new_len)
{
	struct vma *vma = vma_find(vm, addr);

	if (vma->end == addr + len)
		vma->end = addr + new_len;
	else if (vma->end < addr + new_len)
		return -ENOMEM;	/* cannot happen: the gap was free */
	vma_merge_around(vm, vma);
	return addr;
}

static long do_mremap(struct vmspace *vm, unsigned long old, unsigned long old_len,
		      unsigned long new_len, u32 flags, unsigned long new_addr)
{
	struct vma *vma;
	int ret;

	if ((old & ~PAGE_MASK) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)))
		return -EINVAL;
	if (!new_len || old_len > USER_ADDR_MAX || new_len > USER_ADDR_MAX)
		return -EINVAL;
	old_len = page_up(old_len);
	new_len = page_up(new_len);
	if (!old_len)
		return -EINVAL;	/* duplicating a shared mapping is not supported */
	vma = vma_find(vm, old);
	if (!vma || old_len > vma->end - old)
		return -EFAULT;

	if (flags & MREMAP_FIXED) {
		if ((new_addr & ~PAGE_MASK) || !user_range_ok(new_addr, new_len))
			return -EINVAL;
		if (new_addr < old + old_len && old < new_addr + new_len)
			return -EINVAL;
		ret = vm_unmap(vm, new_addr, new_addr + new_len);
		if (ret)
			return ret;
		if (new_len < old_len) {
			ret = vm_unmap(vm, old + new_len, old + old_len);
			if (ret)
				return ret;
			old_len = new_len;
		}
		vma = vma_find(vm, old);
		ret = move_range(vm, vma, old, old_len, new_addr);
		if (ret)
			return ret;
		/* as Linux: new_len bytes are mapped at new_addr, not old_len */
		return grow_moved(vm, new_addr, old_len, new_len);
	}

	if (new_len <= old_len) {
		ret = vm_unmap(vm, old + new_len, old + old_len);
		return ret ? ret : (long)old;
	}
	/* grow in place when the range ends its VMA and the space above is free */
	if (old + old_len == vma->end && user_range_ok(old, new_len) &&
	    vm_range_free(vm, vma->end, old + new_len)) {
		vma->end = old + new_len;
		vma_merge_around(vm, vma);
		return old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = vm_find_gap(vm, new_len, USER_ADDR_MIN, USER_MMAP_BASE);
	if (!new_addr)
		return -ENOMEM;
	ret = move_range(vm, vma, old, old_len, new_addr);
	if (ret)
		return ret;
	return grow_moved(vm, new_addr, old_len, new_len);
}

int mm_mremap(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct m_mremap_req req;
	struct mspace *sp;
	long ret;

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	sp = space_lock(node, fit_le32(req.pid));
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	ret = do_mremap(sp->vm, fit_le64(req.old_addr), fit_le64(req.old_len),
			fit_le64(req.new_len), fit_le32(req.flags), fit_le64(req.new_addr));
	space_unlock(sp);
	if (ret < 0)
		return ret;
	return set_addr_reply(r, ret);
}
