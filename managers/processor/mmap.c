// SPDX-License-Identifier: GPL-2.0
/*
 * Memory system calls. The memory manager owns the VMAs and decides; the
 * processor's part is keeping the ExCache consistent with the decision:
 * lines of unmapped memory are dropped, lines whose protection changes are
 * written back and dropped (the next touch maps them with the new
 * protection), and lines about to be moved are written back first.
 */
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/files.h>
#include <lego/fit.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <uapi/lego/mman.h>
#include <uapi/lego/memory.h>

#define MM_TIMEOUT_NS	(30ULL * NSEC_PER_SEC)

static long mm_call(struct mm_struct *mm, u32 op, const void *req, size_t len,
		    void *reply, size_t max)
{
	long ret = fit_call(mm->mem_node, op, req, len, reply, max, MM_TIMEOUT_NS);

	if (ret == -ETIMEDOUT || ret == -ECONNRESET || ret == -EHOSTUNREACH) {
		pr_err("%s (pid %d): memory manager %d unreachable (%ld)\n",
		       current->comm, current->pid, mm->mem_node, ret);
		return -ENOMEM;
	}
	return ret;
}

static long range_call(u32 op, unsigned long addr, unsigned long len, u32 arg)
{
	struct mm_struct *mm = current->mm;
	struct m_range_req req = { .addr = addr, .len = len, .pid = mm->pid, .arg = arg };

	return mm_call(mm, op, &req, sizeof(req), NULL, 0);
}

static unsigned long page_end(unsigned long addr, unsigned long len)
{
	return (addr + len + PAGE_SIZE - 1) & PAGE_MASK;
}

/* The path of a file an fd maps: only remote regular files can be mapped. */
static long mmap_path(int fd, char **path)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	if (!f->path || f->f_op->seekable == false) {
		fput(f);
		return -ENODEV;
	}
	*path = kmalloc(strlen(f->path) + 1, GFP_KERNEL);
	if (*path)
		memcpy(*path, f->path, strlen(f->path) + 1);
	fput(f);
	return *path ? 0 : -ENOMEM;
}

SYSCALL_DEFINE(mmap, unsigned long addr, unsigned long len, unsigned long prot,
	       unsigned long flags, unsigned long fd, unsigned long off)
{
	struct mm_struct *mm = current->mm;
	struct m_mmap_req *req;
	struct m_addr_reply reply;
	char *path = NULL;
	size_t plen = 0;
	long ret;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		ret = mmap_path((int)fd, &path);
		if (ret)
			return ret;
		plen = strlen(path);
	}
	req = kmalloc(sizeof(*req) + plen, GFP_KERNEL);
	if (!req) {
		kfree(path);
		return -ENOMEM;
	}
	*req = (struct m_mmap_req){ .addr = addr, .len = len, .pgoff = off >> PAGE_SHIFT,
		.pid = mm->pid, .prot = prot, .flags = flags, .path_len = plen };
	if (plen)
		memcpy(req->path, path, plen);
	mutex_lock(&mm->mmap_lock);
	ret = mm_call(mm, M_OP_MMAP, req, sizeof(*req) + plen, &reply, sizeof(reply));
	/* MAP_FIXED may have replaced a mapping: its cached lines are stale */
	if (ret >= 0 && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		excache_flush_range(mm, reply.addr, page_end(reply.addr, len), EXC_FLUSH_DROP);
	mutex_unlock(&mm->mmap_lock);
	kfree(req);
	kfree(path);
	return ret < 0 ? ret : (long)reply.addr;
}

SYSCALL_DEFINE(munmap, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	long ret;

	mutex_lock(&mm->mmap_lock);
	ret = range_call(M_OP_MUNMAP, addr, len, 0);
	if (!ret)
		excache_flush_range(mm, addr, page_end(addr, len), EXC_FLUSH_DROP);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

SYSCALL_DEFINE(mprotect, unsigned long addr, unsigned long len, unsigned long prot)
{
	struct mm_struct *mm = current->mm;
	long ret;

	mutex_lock(&mm->mmap_lock);
	ret = range_call(M_OP_MPROTECT, addr, len, prot);
	if (!ret)
		ret = excache_flush_range(mm, addr, page_end(addr, len),
					  EXC_FLUSH_WRITEBACK | EXC_FLUSH_DROP);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

SYSCALL_DEFINE(madvise, unsigned long addr, unsigned long len, int advice)
{
	bool discard = advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE;
	struct mm_struct *mm = current->mm;
	long ret;

	mutex_lock(&mm->mmap_lock);
	/*
	 * Shared memory keeps its data across the advice: write it back first.
	 * Only the memory manager knows which range is private; for those the
	 * write-back is wasted, as it discards the pages anyway.
	 */
	ret = discard ? excache_flush_range(mm, addr, page_end(addr, len), EXC_FLUSH_WRITEBACK) : 0;
	if (!ret)
		ret = range_call(M_OP_MADVISE, addr, len, advice);
	if (!ret && discard)
		excache_flush_range(mm, addr, page_end(addr, len), EXC_FLUSH_DROP);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

SYSCALL_DEFINE(msync, unsigned long addr, unsigned long len, int flags)
{
	struct mm_struct *mm = current->mm;
	long ret;

	mutex_lock(&mm->mmap_lock);
	ret = excache_flush_range(mm, addr, page_end(addr, len), EXC_FLUSH_WRITEBACK);
	if (!ret)
		ret = range_call(M_OP_MSYNC, addr, len, flags);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

SYSCALL_DEFINE(mremap, unsigned long old_addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct mm_struct *mm = current->mm;
	struct m_mremap_req req = { .old_addr = old_addr, .old_len = old_len,
		.new_len = new_len, .new_addr = new_addr, .pid = mm->pid, .flags = flags };
	struct m_addr_reply reply;
	unsigned long old_end = page_end(old_addr, old_len);
	long ret;

	mutex_lock(&mm->mmap_lock);
	/* the memory manager moves pages: it must have their latest bytes */
	ret = excache_flush_range(mm, old_addr, old_end, EXC_FLUSH_WRITEBACK | EXC_FLUSH_DROP);
	if (!ret)
		ret = mm_call(mm, M_OP_MREMAP, &req, sizeof(req), &reply, sizeof(reply));
	if (ret >= 0) {
		excache_flush_range(mm, old_addr, old_end, EXC_FLUSH_DROP);
		excache_flush_range(mm, reply.addr, page_end(reply.addr, new_len), EXC_FLUSH_DROP);
	}
	mutex_unlock(&mm->mmap_lock);
	return ret < 0 ? ret : (long)reply.addr;
}

SYSCALL_DEFINE(brk, unsigned long brk)
{
	struct mm_struct *mm = current->mm;
	struct m_brk_req req = { .brk = brk, .pid = mm->pid };
	struct m_addr_reply reply;
	unsigned long old;
	long ret;

	mutex_lock(&mm->mmap_lock);
	old = mm->brk;
	ret = mm_call(mm, M_OP_BRK, &req, sizeof(req), &reply, sizeof(reply));
	if (ret >= 0) {
		mm->brk = reply.addr;
		if (reply.addr < old)
			excache_flush_range(mm, PAGE_ALIGN(reply.addr), PAGE_ALIGN(old),
					    EXC_FLUSH_DROP);
	}
	mutex_unlock(&mm->mmap_lock);
	/* Linux's brk never fails: it answers with the break it has */
	return ret < 0 ? (long)old : (long)reply.addr;
}
