// SPDX-License-Identifier: GPL-2.0
/*
 * ExCache bookkeeping: geometry, way selection and replacement policies,
 * the victim cache, the write-backs in flight, and the locked halves of a
 * miss and of a flush. No locks, no waits, no network here (the callers
 * hold the locks excache_core.h names), so the host unit tests run it as is.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/string.h>
#include "excache_core.h"

static u64 exc_tick(struct exc_cache *c)
{
	/* sets are locked separately, so the clock is shared atomically */
	return __atomic_add_fetch(&c->clock, 1, __ATOMIC_RELAXED);
}

static u64 exc_random(struct exc_cache *c)
{
	/* xorshift64*: cheap, and racy updates only make it more random */
	u64 x = __atomic_load_n(&c->rand_state, __ATOMIC_RELAXED);

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	__atomic_store_n(&c->rand_state, x, __ATOMIC_RELAXED);
	return x * 0x2545F4914F6CDD1DULL;
}

static void exc_mm_lines(struct mm_struct *mm, long delta)
{
	atomic_long_add_return(delta, &mm->nr_lines);
}

int exc_config_check(const struct exc_config *cfg, unsigned long max_lines)
{
	unsigned long lines = cfg->size >> 12;

	if (cfg->ways < 1 || cfg->ways > EXC_MAX_WAYS)
		return -EINVAL;
	if (cfg->victim > EXC_MAX_VICTIM || cfg->policy >= EXC_NR_POLICIES)
		return -EINVAL;
	if (lines > max_lines || lines < EXC_MIN_LINES)
		return -EINVAL;
	/* at least one whole set besides the victim entries */
	if (lines < cfg->victim + cfg->ways)
		return -EINVAL;
	return 0;
}

void exc_layout(struct exc_cache *c, const struct exc_config *cfg, phys_addr_t base)
{
	unsigned long lines = cfg->size >> 12;
	unsigned long i;

	c->cfg = *cfg;
	c->nsets = (lines - cfg->victim) / cfg->ways;
	c->set_mask = (c->nsets & (c->nsets - 1)) ? 0 : c->nsets - 1;
	/* a single set: the mask would be 0, which means "use modulo" - also right */
	c->nr_lines = c->nsets * cfg->ways;
	c->victims = c->lines + c->nr_lines;
	for (i = 0; i < c->nr_lines + cfg->victim; i++) {
		struct exc_line *l = &c->lines[i];

		memset(l, 0, sizeof(*l));
		l->phys = base + ((phys_addr_t)i << 12);
		l->state = EXC_FREE;
	}
	INIT_LIST_HEAD(&c->pending);
	if (!c->rand_state)
		c->rand_state = 0x9e3779b97f4a7c15ULL;
	c->stats.lines = c->nr_lines;
	c->stats.ways = cfg->ways;
}

void exc_lru_scan(struct exc_cache *c, unsigned long set)
{
	struct exc_line *l = exc_set_lines(c, set);
	unsigned int w;

	/*
	 * Hits never fault, so recency is sampled: a way whose PTE was used
	 * since the last miss in this set counts as used now. The A bit is
	 * cleared without a TLB flush; a CPU that still caches the entry
	 * will not set it again until the entry is reloaded, which makes the
	 * order approximate, not wrong.
	 */
	for (w = 0; w < c->cfg.ways; w++) {
		if (l[w].state != EXC_VALID)
			continue;
		if (__atomic_fetch_and(l[w].ptep, ~_PAGE_ACCESSED, __ATOMIC_RELAXED) &
		    _PAGE_ACCESSED)
			l[w].stamp = exc_tick(c);
	}
}

struct exc_line *exc_pick_way(struct exc_cache *c, unsigned long set)
{
	struct exc_line *l = exc_set_lines(c, set);
	struct exc_line *best = NULL;
	unsigned int ways = c->cfg.ways;
	unsigned int w, start;

	for (w = 0; w < ways; w++)
		if (l[w].state == EXC_FREE)
			return &l[w];

	if (c->cfg.policy == EXC_POLICY_RANDOM) {
		/* from a random way on, the first one that can be taken */
		start = exc_random(c) % ways;
		for (w = 0; w < ways; w++) {
			struct exc_line *cand = &l[(start + w) % ways];

			if (cand->state == EXC_VALID)
				return cand;
		}
		return NULL;
	}

	/* FIFO and LRU differ only in when the stamp is refreshed */
	for (w = 0; w < ways; w++) {
		if (l[w].state != EXC_VALID)
			continue;
		if (!best || l[w].stamp < best->stamp)
			best = &l[w];
	}
	return best;
}

struct exc_line *exc_victim_find(struct exc_cache *c, struct mm_struct *mm, unsigned long va)
{
	unsigned int i;

	for (i = 0; i < c->cfg.victim; i++) {
		struct exc_line *e = &c->victims[i];

		if (e->state == EXC_VALID && e->mm == mm && e->va == va)
			return e;
	}
	return NULL;
}

struct exc_line *exc_victim_slot(struct exc_cache *c)
{
	struct exc_line *oldest = NULL;
	unsigned int i;

	for (i = 0; i < c->cfg.victim; i++) {
		struct exc_line *e = &c->victims[i];

		if (e->state == EXC_FREE)
			return e;
		if (e->state == EXC_VALID && (!oldest || e->stamp < oldest->stamp))
			oldest = e;
	}
	return oldest;
}

bool exc_in_transit(struct exc_cache *c, unsigned long set, struct mm_struct *mm,
		    unsigned long va)
{
	struct exc_line *l = exc_set_lines(c, set);
	struct exc_wb *wb;
	unsigned int i;

	for (i = 0; i < c->cfg.ways; i++)
		if ((l[i].state == EXC_FILLING || l[i].state == EXC_FLUSHING) &&
		    l[i].mm == mm && l[i].va == va)
			return true;
	for (i = 0; i < c->cfg.victim; i++)
		if (c->victims[i].state == EXC_FLUSHING && c->victims[i].mm == mm &&
		    c->victims[i].va == va)
			return true;
	list_for_each_entry(wb, &c->pending, node)
		if (wb->mm == mm && wb->va == va)
			return true;
	return false;
}

static void exc_swap_pages(struct exc_line *a, struct exc_line *b)
{
	phys_addr_t t = a->phys;

	a->phys = b->phys;
	b->phys = t;
}

/* A dirty page at phys leaves the cache: queue its write-back. */
static void exc_queue_wb(struct exc_cache *c, struct exc_wb *wb, struct mm_struct *mm,
			 unsigned long va, phys_addr_t phys)
{
	wb->mm = mm;
	wb->va = va;
	wb->phys = phys;
	wb->pid = mm->pid;
	wb->mem_node = mm->mem_node;
	wb->active = true;
	list_add_tail(&wb->node, &c->pending);
}

/*
 * Take line's page away from its owner. With a victim cache the page
 * moves into an entry (hit, if the faulting page was in the cache, so the
 * two simply trade places); an entry pushed out, or the page itself when
 * there is no room, is written back through m->wb if dirty.
 */
static void exc_evict(struct exc_cache *c, struct exc_line *line, struct exc_line *hit,
		      struct exc_miss *m)
{
	struct mm_struct *owner = line->mm;
	struct exc_line *e = hit;
	pte_t old;

	old = __atomic_exchange_n(line->ptep, 0, __ATOMIC_SEQ_CST);
	/* before unlock: the page's data is final only once no TLB can write it */
	c->ops->flush_tlb_page(owner, line->va);
	exc_count(&c->stats.evictions, 1);

	if (!e && c->cfg.victim)
		e = exc_victim_slot(c);
	if (e) {
		if (e != hit && e->state == EXC_VALID) {
			/* the oldest entry leaves the cache for good */
			exc_mm_lines(e->mm, -1);
			if (e->pte & _PAGE_DIRTY) {
				/* its page is line's after the swap below, until the fill */
				exc_queue_wb(c, &m->wb, e->mm, e->va, e->phys);
				exc_count(&c->stats.wb_dirty, 1);
			} else {
				exc_count(&c->stats.wb_clean, 1);
			}
		}
		exc_swap_pages(line, e);
		e->mm = owner;
		e->va = line->va;
		e->pte = old & ~PTE_ADDR_MASK;
		e->stamp = exc_tick(c);
		e->state = EXC_VALID;
		return;
	}
	exc_mm_lines(owner, -1);
	if (old & _PAGE_DIRTY) {
		exc_queue_wb(c, &m->wb, owner, line->va, line->phys);
		exc_count(&c->stats.wb_dirty, 1);
	} else {
		exc_count(&c->stats.wb_clean, 1);
	}
}

static void exc_map(struct exc_cache *c, struct exc_miss *m, pte_t bits)
{
	struct exc_line *line = m->line;

	line->mm = m->mm;
	line->va = m->va;
	line->ptep = m->ptep;
	if (c->cfg.policy == EXC_POLICY_LRU)
		line->stamp = exc_tick(c);
	line->state = EXC_VALID;
	__atomic_store_n(m->ptep, line->phys | bits, __ATOMIC_RELEASE);
}

int exc_miss_begin(struct exc_cache *c, struct exc_miss *m)
{
	struct exc_line *line, *hit;
	pte_t pte;

	m->set = exc_set_of(c, m->va);
	m->line = NULL;
	m->wb.active = false;
	m->ptep = c->ops->pte_of(m->mm, m->va);
	if (!m->ptep)
		return -ENOMEM;

	pte = __atomic_load_n(m->ptep, __ATOMIC_ACQUIRE);
	if (pte & _PAGE_PRESENT) {
		if ((m->flags & EXC_FAULT_WRITE) && !(pte & _PAGE_RW))
			return EXC_DENIED;
		if ((m->flags & EXC_FAULT_EXEC) && (pte & _PAGE_NX))
			return EXC_DENIED;
		/* another thread filled it while this one trapped */
		exc_count(&c->stats.hits, 1);
		return EXC_MAPPED;
	}
	if (exc_in_transit(c, m->set, m->mm, m->va))
		return EXC_WAIT;

	hit = exc_victim_find(c, m->mm, m->va);
	if (hit && (((m->flags & EXC_FAULT_WRITE) && !(hit->pte & _PAGE_RW)) ||
		    ((m->flags & EXC_FAULT_EXEC) && (hit->pte & _PAGE_NX))))
		return EXC_DENIED;
	if (c->cfg.policy == EXC_POLICY_LRU)
		exc_lru_scan(c, m->set);
	line = exc_pick_way(c, m->set);
	if (!line)
		return EXC_WAIT;
	m->line = line;

	if (hit) {
		/* the entry is about to describe the evicted page: keep its PTE bits */
		pte_t bits = hit->pte;

		if (line->state == EXC_VALID) {
			exc_evict(c, line, hit, m);
		} else {
			exc_swap_pages(line, hit);
			hit->mm = NULL;
			hit->state = EXC_FREE;
		}
		line->stamp = exc_tick(c);
		exc_map(c, m, bits);
		exc_count(&c->stats.hits, 1);
		exc_count(&c->stats.victim_hits, 1);
		return EXC_VICTIM_HIT;
	}

	if (line->state == EXC_VALID)
		exc_evict(c, line, NULL, m);
	line->stamp = exc_tick(c);
	line->mm = m->mm;
	line->va = m->va;
	line->state = EXC_FILLING;
	/* counted from now, so that a flush of mm cannot skip a line being filled */
	exc_mm_lines(m->mm, 1);
	return EXC_FETCH;
}

void exc_miss_finish(struct exc_cache *c, struct exc_miss *m, pte_t bits)
{
	exc_map(c, m, bits);
}

void exc_miss_abort(struct exc_cache *c, struct exc_miss *m)
{
	exc_mm_lines(m->mm, -1);
	m->line->mm = NULL;
	m->line->state = EXC_FREE;
}

void exc_wb_done(struct exc_cache *c, struct exc_wb *wb)
{
	if (!wb->active)
		return;
	list_del(&wb->node);
	wb->active = false;
}

pte_t exc_flush_line_begin(struct exc_cache *c, struct exc_line *line, unsigned int how)
{
	pte_t old;

	if (line->state != EXC_VALID)
		return 0;
	if (how & EXC_FLUSH_DROP)
		old = __atomic_exchange_n(line->ptep, 0, __ATOMIC_SEQ_CST);
	else if (how & EXC_FLUSH_WRITEBACK)
		old = __atomic_fetch_and(line->ptep, ~_PAGE_DIRTY, __ATOMIC_SEQ_CST);
	else
		return 0;
	if (!(how & EXC_FLUSH_DROP) && !(old & _PAGE_DIRTY))
		return 0;	/* clean and staying: nothing to do */
	line->state = EXC_FLUSHING;
	return old;
}

void exc_flush_line_end(struct exc_cache *c, struct exc_line *line, unsigned int how,
			bool written)
{
	if (how & EXC_FLUSH_DROP) {
		exc_mm_lines(line->mm, -1);
		line->mm = NULL;
		line->state = EXC_FREE;
		return;
	}
	/* not written back: dirty again, so that a later eviction retries */
	if (!written)
		__atomic_fetch_or(line->ptep, _PAGE_DIRTY, __ATOMIC_RELAXED);
	line->state = EXC_VALID;
}

bool exc_flush_victim_begin(struct exc_cache *c, struct exc_line *e, unsigned int how)
{
	if (e->state != EXC_VALID)
		return false;
	if ((how & EXC_FLUSH_WRITEBACK) && (e->pte & _PAGE_DIRTY)) {
		e->state = EXC_FLUSHING;
		return true;
	}
	if (how & EXC_FLUSH_DROP) {
		exc_mm_lines(e->mm, -1);
		e->mm = NULL;
		e->state = EXC_FREE;
	}
	return false;
}

void exc_flush_victim_end(struct exc_cache *c, struct exc_line *e, unsigned int how,
			  bool written)
{
	if (how & EXC_FLUSH_DROP) {
		exc_mm_lines(e->mm, -1);
		e->mm = NULL;
		e->state = EXC_FREE;
	} else {
		if (written)
			e->pte &= ~_PAGE_DIRTY;
		e->state = EXC_VALID;
	}
}
