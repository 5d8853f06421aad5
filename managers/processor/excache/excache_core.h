/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _EXCACHE_CORE_H
#define _EXCACHE_CORE_H

/*
 * The ExCache's bookkeeping, free of hardware and of locking: geometry,
 * line states, replacement policies, the victim cache, write-backs in
 * flight, the run-time configuration parser and the counters' text.
 * core.c and config.c implement it; they compile unchanged on the host,
 * where tests/unit/test_excache.c drives them with fake page tables.
 * fault.c, flush.c and init.c wrap it with locks, waits and FIT calls.
 *
 * Locking contract (the callers in this directory keep it): a set's
 * lines are changed only under that set's lock; the victim cache and the
 * list of write-backs in flight only under the cache-wide aux lock, taken
 * inside a set lock, never the other way round. PTEs that point at lines
 * are changed with atomic operations (the CPU sets their A and D bits
 * concurrently), so no page-table lock is needed to clear them.
 */
#include <lego/types.h>
#include <lego/list.h>
#include <lego/mm_types.h>
#include <lego/excache.h>

#define EXC_MAX_WAYS	256	/* a set is scanned linearly on every miss */
#define EXC_MAX_VICTIM	256	/* so is the victim cache */
#define EXC_MIN_LINES	16

enum exc_policy {
	EXC_POLICY_FIFO,
	EXC_POLICY_LRU,
	EXC_POLICY_RANDOM,
	EXC_NR_POLICIES,
};

const char *exc_policy_name(enum exc_policy p);
int exc_policy_parse(const char *s, size_t len);	/* policy or -EINVAL */

/* What can be changed: at boot, and at run time through excache_configure. */
struct exc_config {
	u64 size;		/* bytes of the region used for lines */
	unsigned int ways;
	unsigned int victim;	/* victim-cache entries, 0 = none */
	enum exc_policy policy;
};

enum exc_line_state {
	EXC_FREE,
	EXC_FILLING,	/* a fault is fetching (mm, va) into it: unmapped, not stealable */
	EXC_VALID,	/* mapped by *ptep (main line) or holding a page (victim entry) */
	EXC_FLUSHING,	/* a flush is writing it back or dropping it: not stealable */
};

/*
 * A main line or a victim-cache entry. The 4 KB page a slot uses moves:
 * a victim hit swaps the pages of the line and the entry instead of
 * copying data.
 */
struct exc_line {
	struct mm_struct *mm;	/* owner; NULL when free */
	unsigned long va;	/* page-aligned user address */
	phys_addr_t phys;	/* its 4 KB page in the region */
	union {
		pte_t *ptep;	/* main line: the PTE mapping it */
		pte_t pte;	/* victim entry: the PTE it had (permissions, dirty) */
	};
	u64 stamp;		/* FIFO: filled at; LRU: last seen used; victim: entered at */
	u32 state;		/* enum exc_line_state */
};

/*
 * A dirty page leaving the cache. While it is on the cache's pending list
 * a fault on (mm, va) waits, so that it cannot fetch the stale copy the
 * memory manager still has. mm is only compared, never followed: pid and
 * node are copied while the owner is known to be alive.
 */
struct exc_wb {
	struct list_head node;
	struct mm_struct *mm;
	unsigned long va;
	phys_addr_t phys;	/* the data, until it has been sent */
	int pid;
	int mem_node;
	bool active;
};

/* Hardware hooks (user page tables and TLB in the kernel, fakes in tests). */
struct exc_ops {
	/* mm's PTE for va, allocating tables; NULL when out of memory. */
	pte_t *(*pte_of)(struct mm_struct *mm, unsigned long va);
	void (*flush_tlb_page)(struct mm_struct *mm, unsigned long va);
};

struct exc_cache {
	struct exc_config cfg;
	unsigned long nsets;
	unsigned long set_mask;		/* nsets - 1 if a power of two, else 0 */
	unsigned long nr_lines;		/* nsets * ways main lines ... */
	struct exc_line *lines;		/* ... followed by cfg.victim entries */
	struct exc_line *victims;
	struct list_head pending;	/* struct exc_wb, write-backs in flight */
	u64 clock;			/* stamps */
	u64 rand_state;
	const struct exc_ops *ops;
	struct excache_stats stats;	/* updated atomically: sets run in parallel */
};

/* Check cfg against a region of max_lines 4 KB pages; 0 or -EINVAL. */
int exc_config_check(const struct exc_config *cfg, unsigned long max_lines);
/*
 * Lay the cache out: c->lines must have room for cfg->size / 4 KB slots,
 * whose pages start at base. Every slot becomes free; counters are kept.
 */
void exc_layout(struct exc_cache *c, const struct exc_config *cfg, phys_addr_t base);

static inline unsigned long exc_set_of(const struct exc_cache *c, unsigned long va)
{
	unsigned long vpn = va >> 12;

	if (c->set_mask)
		return vpn & c->set_mask;
	return vpn % c->nsets;
}

static inline struct exc_line *exc_set_lines(const struct exc_cache *c, unsigned long set)
{
	return &c->lines[set * c->cfg.ways];
}

static inline void exc_count(u64 *counter, u64 n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* A way of set to fill: a free one, else the policy's victim; NULL if all are busy. */
struct exc_line *exc_pick_way(struct exc_cache *c, unsigned long set);
/* LRU: stamp every valid way whose PTE was accessed, and clear the A bits. */
void exc_lru_scan(struct exc_cache *c, unsigned long set);

/* Victim cache: the valid entry for (mm, va), or NULL. */
struct exc_line *exc_victim_find(struct exc_cache *c, struct mm_struct *mm, unsigned long va);
/* The entry to receive an evicted page: a free one, else the oldest valid; NULL if all busy. */
struct exc_line *exc_victim_slot(struct exc_cache *c);

/* Is (mm, va) in transit (filled, flushed or written back)? Then a fault waits. */
bool exc_in_transit(struct exc_cache *c, unsigned long set, struct mm_struct *mm,
		    unsigned long va);

/* exc_miss_begin's verdicts. */
enum exc_action {
	EXC_MAPPED,	/* the PTE is present: retry the access */
	EXC_DENIED,	/* present, but the access is not allowed: -EACCES */
	EXC_WAIT,	/* (mm, va) in transit, or every way busy: wait and retry */
	EXC_VICTIM_HIT,	/* mapped again from the victim cache: retry the access */
	EXC_FETCH,	/* m->line is filling: fetch the page, then exc_miss_finish */
};

struct exc_miss {
	struct mm_struct *mm;
	unsigned long va;
	unsigned int flags;	/* EXC_FAULT_* */
	unsigned long set;
	pte_t *ptep;
	struct exc_line *line;	/* EXC_FETCH: the line being filled */
	struct exc_wb wb;	/* EXC_FETCH: wb.active if a dirty page must be written back */
};

/*
 * The locked half of a fault (set lock and aux lock held): decide, take a
 * line, evict its page (to the victim cache, or to m->wb if dirty). A
 * negative errno if the page table cannot be allocated.
 */
int exc_miss_begin(struct exc_cache *c, struct exc_miss *m);
/* The page is in m->line's page: map it with bits (set lock held). */
void exc_miss_finish(struct exc_cache *c, struct exc_miss *m, pte_t bits);
/* The fetch failed: free the line (set lock held). */
void exc_miss_abort(struct exc_cache *c, struct exc_miss *m);
/* m->wb has been sent (or given up): faults on it may proceed (aux lock held). */
void exc_wb_done(struct exc_cache *c, struct exc_wb *wb);

/*
 * Flush one main line (set lock held): mark it flushing, clear its PTE
 * (DROP) or its dirty bit (WRITEBACK). Returns the PTE's old value, or 0
 * if there is nothing to do (the line stays as it was).
 */
pte_t exc_flush_line_begin(struct exc_cache *c, struct exc_line *line, unsigned int how);
/*
 * After the TLB flush and the write-back (set lock held); written is false
 * if a needed write-back failed (a line that stays is marked dirty again).
 */
void exc_flush_line_end(struct exc_cache *c, struct exc_line *line, unsigned int how,
			bool written);
/*
 * Flush one victim entry (aux lock held). Returns true if the entry's
 * dirty page must be written back first: the entry is then marked
 * flushing, and exc_flush_victim_end finishes. Otherwise it is done.
 */
bool exc_flush_victim_begin(struct exc_cache *c, struct exc_line *e, unsigned int how);
void exc_flush_victim_end(struct exc_cache *c, struct exc_line *e, unsigned int how,
			  bool written);

/* config.c: the run-time specification (excache.h) applied to cur. */
int exc_parse_spec(const char *spec, const struct exc_config *cur, unsigned long max_lines,
		   struct exc_config *out, bool *reset);
size_t exc_format_stats(char *buf, size_t size, const struct exc_cache *c,
			const struct excache_stats *s);

#endif
