// SPDX-License-Identifier: GPL-2.0
/*
 * The ExCache miss path: a user page fault (or a uaccess copy) on a page
 * that no line maps. The decision and the eviction are taken under the
 * set's lock (core.c); the page is fetched from the memory manager with
 * no lock held, and mapped under the lock again.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <uapi/lego/memory.h>
#include <uapi/lego/mman.h>
#include "internal.h"

u64 exc_timeout_ns(void)
{
	return (u64)CONFIG_EXCACHE_TIMEOUT_MS * NSEC_PER_MSEC;
}

/* The call did not complete: whether the memory manager saw it is unknown. */
static bool exc_transport_error(long ret)
{
	return ret == -ETIMEDOUT || ret == -ECONNRESET || ret == -EHOSTUNREACH ||
	       ret == -ENETDOWN || ret == -ENOMEM;
}

int exc_send_writeback(int node, int pid, unsigned long va, const void *data)
{
	struct m_wb_req *req;
	long ret;

	req = kmalloc(sizeof(*req) + LEGO_PAGE_SIZE, GFP_KERNEL);
	if (!req) {
		ret = -ENOMEM;
		goto fail;
	}
	req->addr = fit_le64(va);
	req->pid = fit_le32(pid);
	req->reserved = 0;
	memcpy(req + 1, data, LEGO_PAGE_SIZE);
	ret = fit_call(node, M_OP_WRITEBACK, req, sizeof(*req) + LEGO_PAGE_SIZE, NULL, 0,
		       exc_timeout_ns());
	kfree(req);
	if (ret >= 0)
		return 0;
	/* the address space is gone: so is the data's only reader */
	if (ret == -ESRCH)
		return 0;
fail:
	pr_err("excache: LOST WRITE-BACK of pid %d page %#lx to node %d: error %ld\n",
	       pid, va, node, ret);
	return ret;
}

void exc_wb_finish(struct exc_wb *wb)
{
	unsigned long set = exc_set_of(&exc, wb->va);

	spin_lock(&exc_aux_lock);
	exc_wb_done(&exc, wb);
	spin_unlock(&exc_aux_lock);
	exc_wake(set);
}

/* The locked half, repeated while (mm, va) is in transit or its set is busy. */
static int exc_miss_decide(struct exc_miss *m)
{
	for (;;) {
		unsigned long set = exc_set_of(&exc, m->va);
		spinlock_t *lock = exc_set_lock(set);
		u32 snap;
		int ret;

		spin_lock(lock);
		spin_lock(&exc_aux_lock);
		ret = exc_miss_begin(&exc, m);
		snap = exc_wait_snapshot(set);
		spin_unlock(&exc_aux_lock);
		spin_unlock(lock);
		if (ret != EXC_WAIT)
			return ret;
		exc_wait(set, snap);
	}
}

/* The errors excache_fault promises; anything else means the memory manager is unusable. */
static int exc_fault_errno(struct exc_miss *m, long ret)
{
	switch (ret) {
	case -EFAULT:
	case -EACCES:
	case -EIO:
	case -ENOMEM:
	case -ETIMEDOUT:
		return ret;
	}
	pr_err("excache: miss of pid %d at %#lx: memory node %d answered %ld\n",
	       m->mm->pid, m->va, m->mm->mem_node, ret);
	return -ETIMEDOUT;
}

/* Check the reply and put the page into the line; the PTE bits, or an error. */
static long exc_fill(struct exc_miss *m, const struct m_miss_reply *reply, long len,
		     pte_t *bits)
{
	u32 prot = fit_le32(reply->prot);
	u32 rflags = fit_le32(reply->flags);
	void *page = __va(m->line->phys);

	if (len < (long)sizeof(*reply))
		return -EIO;
	/* a VMA the hardware cannot express, or a reply contradicting the fault */
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) ||
	    ((m->flags & EXC_FAULT_WRITE) && !(prot & PROT_WRITE)) ||
	    ((m->flags & EXC_FAULT_EXEC) && !(prot & PROT_EXEC)))
		return -EACCES;
	if (rflags & M_REPLY_ZERO) {
		memset(page, 0, LEGO_PAGE_SIZE);
		exc_count(&exc.stats.zerofills, 1);
	} else {
		if (len != (long)(sizeof(*reply) + LEGO_PAGE_SIZE))
			return -EIO;
		memcpy(page, reply + 1, LEGO_PAGE_SIZE);
	}
	*bits = user_pte_bits(prot);
	return 0;
}

static void exc_account_miss(bool zero, u64 start)
{
	u64 ns = ktime_get_ns() - start;
	u64 max;

	exc_count(&exc.stats.misses, 1);
	if (zero)
		return;
	exc_count(&exc.stats.miss_ns_total, ns);
	max = __atomic_load_n(&exc.stats.miss_ns_max, __ATOMIC_RELAXED);
	while (ns > max && !__atomic_compare_exchange_n(&exc.stats.miss_ns_max, &max, ns, false,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/*
 * Put the evicted dirty page into the request, or send it on its own to a
 * different memory manager. Returns the request's length.
 */
static size_t exc_prepare_wb(struct exc_miss *m, struct m_miss_req *req)
{
	if (!m->wb.active)
		return sizeof(*req);
	if (m->wb.mem_node != m->mm->mem_node) {
		exc_send_writeback(m->wb.mem_node, m->wb.pid, m->wb.va, __va(m->wb.phys));
		exc_wb_finish(&m->wb);
		return sizeof(*req);
	}
	req->flags |= fit_le32(M_MISS_WB);
	req->wb_addr = fit_le64(m->wb.va);
	req->wb_pid = fit_le32(m->wb.pid);
	memcpy(req + 1, __va(m->wb.phys), LEGO_PAGE_SIZE);
	return sizeof(*req) + LEGO_PAGE_SIZE;
}

/* After the miss call: the write-back that rode on it is done, or resent. */
static void exc_finish_piggyback(struct exc_miss *m, const struct m_miss_req *req, long ret)
{
	if (!m->wb.active)
		return;
	if (exc_transport_error(ret))
		exc_send_writeback(m->wb.mem_node, m->wb.pid, m->wb.va, req + 1);
	else
		exc_count(&exc.stats.wb_piggyback, 1);
	exc_wb_finish(&m->wb);
}

static int exc_fetch(struct exc_miss *m)
{
	struct mm_struct *mm = m->mm;
	struct m_miss_reply *reply;
	struct m_miss_req *req;
	spinlock_t *lock;
	u64 start = ktime_get_ns();
	pte_t bits = 0;
	size_t req_len;
	long ret;

	/* only the header needs zeroes: the page slot is filled or not sent */
	req = kmalloc(sizeof(*req) + LEGO_PAGE_SIZE, GFP_KERNEL);
	reply = kmalloc(sizeof(*reply) + LEGO_PAGE_SIZE, GFP_KERNEL);
	if (req)
		memset(req, 0, sizeof(*req));
	if (!req || !reply) {
		/* the evicted page still has to reach its memory manager */
		if (m->wb.active) {
			exc_send_writeback(m->wb.mem_node, m->wb.pid, m->wb.va, __va(m->wb.phys));
			exc_wb_finish(&m->wb);
		}
		ret = -ENOMEM;
		goto out;
	}
	req->addr = fit_le64(m->va);
	req->pid = fit_le32(mm->pid);
	req->flags = fit_le32(((m->flags & EXC_FAULT_WRITE) ? M_MISS_WRITE : 0) |
			      ((m->flags & EXC_FAULT_EXEC) ? M_MISS_EXEC : 0));
	req_len = exc_prepare_wb(m, req);

	ret = fit_call(mm->mem_node, M_OP_MISS, req, req_len, reply,
		       sizeof(*reply) + LEGO_PAGE_SIZE, exc_timeout_ns());
	exc_finish_piggyback(m, req, ret);
	if (ret >= 0)
		ret = exc_fill(m, reply, ret, &bits);
	if (!ret)
		exc_account_miss(fit_le32(reply->flags) & M_REPLY_ZERO, start);
out:
	lock = exc_set_lock(m->set);
	spin_lock(lock);
	if (ret)
		exc_miss_abort(&exc, m);
	else
		exc_miss_finish(&exc, m, bits);
	spin_unlock(lock);
	exc_wake(m->set);
	kfree(req);
	kfree(reply);
	return ret ? exc_fault_errno(m, ret) : 0;
}

int excache_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	struct exc_miss m = {
		.mm = mm,
		.va = addr & PAGE_MASK,
		.flags = flags,
	};
	int ret;

	if (addr < USER_ADDR_MIN || addr >= USER_ADDR_MAX)
		return -EFAULT;
	if (!exc_ready)
		return -ENOMEM;

	exc_enter();
	ret = exc_miss_decide(&m);
	switch (ret) {
	case EXC_MAPPED:
	case EXC_VICTIM_HIT:
		ret = 0;
		break;
	case EXC_DENIED:
		ret = -EACCES;
		break;
	case EXC_FETCH:
		ret = exc_fetch(&m);
		break;
	}
	exc_leave();
	return ret;
}
