// SPDX-License-Identifier: GPL-2.0
/*
 * ExCache flushes: write dirty lines of a range back to the memory
 * manager, or drop them, or both (before fork, exec, mprotect, munmap,
 * exit, and for a run-time reconfiguration). Lines are taken out of
 * service in batches under their set's lock, then one TLB flush covers the
 * batch, then the write-backs are sent with no lock held.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/printk.h>
#include "internal.h"

#define EXC_BATCH	32

struct exc_batch {
	struct mm_struct *mm;		/* NULL: every process */
	unsigned long start, end;
	unsigned int how;
	unsigned int n;
	int err;			/* the first write-back error */
	struct exc_line *line[EXC_BATCH];
	pte_t old[EXC_BATCH];
};

static unsigned long exc_line_set(const struct exc_line *line)
{
	return (line - exc.lines) / exc.cfg.ways;
}

static bool exc_batch_match(const struct exc_batch *b, const struct exc_line *l)
{
	if (l->state == EXC_FREE)
		return false;
	if (b->mm && l->mm != b->mm)
		return false;
	return l->va >= b->start && l->va < b->end;
}

static void exc_batch_tlb(struct exc_batch *b)
{
	unsigned long lo = ~0UL, hi = 0;
	unsigned int i;

	if (b->mm && b->n > 1) {
		for (i = 0; i < b->n; i++) {
			lo = min(lo, b->line[i]->va);
			hi = max(hi, b->line[i]->va);
		}
		flush_tlb_mm_range(b->mm, lo, hi + PAGE_SIZE);
		return;
	}
	for (i = 0; i < b->n; i++)
		flush_tlb_mm_page(b->line[i]->mm, b->line[i]->va);
}

/* Finish the lines taken out of service; nothing else may be waited for meanwhile. */
static void exc_batch_drain(struct exc_batch *b)
{
	unsigned int i;

	if (!b->n)
		return;
	/* no CPU may still write through an old translation when the data is read */
	exc_batch_tlb(b);
	for (i = 0; i < b->n; i++) {
		struct exc_line *l = b->line[i];
		unsigned long set = exc_line_set(l);
		bool written = true;
		int err;

		if ((b->how & EXC_FLUSH_WRITEBACK) && (b->old[i] & _PAGE_DIRTY)) {
			err = exc_send_writeback(l->mm->mem_node, l->mm->pid, l->va,
						 __va(l->phys));
			exc_count(&exc.stats.flush_wb, 1);
			if (err) {
				written = false;
				if (!b->err)
					b->err = err;
			}
		}
		spin_lock(exc_set_lock(set));
		exc_flush_line_end(&exc, l, b->how, written);
		spin_unlock(exc_set_lock(set));
		exc_wake(set);
	}
	b->n = 0;
}

/*
 * Flush the matching lines of one set. Returns false when it had to stop
 * (a full batch, or a line in transit it waited for): the set is scanned
 * again, and lines already flushed no longer match or have nothing to do.
 */
static bool exc_flush_set(struct exc_batch *b, unsigned long set)
{
	struct exc_line *lines = exc_set_lines(&exc, set);
	spinlock_t *lock = exc_set_lock(set);
	unsigned int w;
	u32 snap;

	spin_lock(lock);
	for (w = 0; w < exc.cfg.ways; w++) {
		struct exc_line *l = &lines[w];
		pte_t old;

		if (!exc_batch_match(b, l))
			continue;
		if (l->state == EXC_FILLING || l->state == EXC_FLUSHING) {
			snap = exc_wait_snapshot(set);
			spin_unlock(lock);
			exc_batch_drain(b);
			exc_wait(set, snap);
			return false;
		}
		old = exc_flush_line_begin(&exc, l, b->how);
		if (!old)
			continue;
		b->line[b->n] = l;
		b->old[b->n] = old;
		if (++b->n == EXC_BATCH) {
			spin_unlock(lock);
			exc_batch_drain(b);
			return false;
		}
	}
	spin_unlock(lock);
	return true;
}

static void exc_flush_lines(struct exc_batch *b)
{
	unsigned long npages = (b->end - b->start) >> PAGE_SHIFT;
	unsigned long set, va;

	if (b->mm && npages < exc.nsets) {
		/* a small range: only the sets its pages map to */
		for (va = b->start; va < b->end; va += PAGE_SIZE)
			while (!exc_flush_set(b, exc_set_of(&exc, va)))
				;
	} else {
		for (set = 0; set < exc.nsets; set++)
			while (!exc_flush_set(b, set))
				;
	}
	exc_batch_drain(b);
}

/* One victim entry; false if it had to wait and must be looked at again. */
static bool exc_flush_victim(struct exc_batch *b, struct exc_line *e)
{
	unsigned long set;
	bool written = true;
	u32 snap;
	int err;

	spin_lock(&exc_aux_lock);
	if (!exc_batch_match(b, e)) {
		spin_unlock(&exc_aux_lock);
		return true;
	}
	set = exc_set_of(&exc, e->va);
	if (e->state == EXC_FLUSHING) {
		snap = exc_wait_snapshot(set);
		spin_unlock(&exc_aux_lock);
		exc_wait(set, snap);
		return false;
	}
	if (!exc_flush_victim_begin(&exc, e, b->how)) {
		spin_unlock(&exc_aux_lock);
		return true;
	}
	spin_unlock(&exc_aux_lock);

	/* flushing: no fault or eviction touches the entry or its page */
	err = exc_send_writeback(e->mm->mem_node, e->mm->pid, e->va, __va(e->phys));
	if (err) {
		written = false;
		if (!b->err)
			b->err = err;
	}
	exc_count(&exc.stats.flush_wb, 1);
	spin_lock(&exc_aux_lock);
	exc_flush_victim_end(&exc, e, b->how, written);
	spin_unlock(&exc_aux_lock);
	exc_wake(set);
	return true;
}

/* Wait until no eviction of a matching page is still on its way to memory. */
static void exc_flush_pending(struct exc_batch *b)
{
	struct exc_wb *wb;
	unsigned long set;
	bool found;
	u32 snap;

	do {
		found = false;
		spin_lock(&exc_aux_lock);
		list_for_each_entry(wb, &exc.pending, node) {
			if ((!b->mm || wb->mm == b->mm) && wb->va >= b->start && wb->va < b->end) {
				found = true;
				set = exc_set_of(&exc, wb->va);
				snap = exc_wait_snapshot(set);
				break;
			}
		}
		spin_unlock(&exc_aux_lock);
		if (found)
			exc_wait(set, snap);
	} while (found);
}

int exc_flush(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned int how)
{
	struct exc_batch b = {
		.mm = mm,
		.start = start,
		.end = end,
		.how = how,
	};
	unsigned int i;

	if (!mm || atomic_long_read(&mm->nr_lines)) {
		exc_flush_lines(&b);
		for (i = 0; i < exc.cfg.victim; i++)
			while (!exc_flush_victim(&b, &exc.victims[i]))
				;
	}
	exc_flush_pending(&b);
	return b.err;
}

int excache_flush_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int how)
{
	int ret;

	if (!exc_ready || !how || start >= end)
		return 0;
	exc_enter();
	ret = exc_flush(mm, start & PAGE_MASK, ALIGN(end, PAGE_SIZE), how);
	exc_leave();
	return ret;
}

int excache_flush_mm(struct mm_struct *mm, unsigned int how)
{
	return excache_flush_range(mm, 0, ~0UL & PAGE_MASK, how);
}
