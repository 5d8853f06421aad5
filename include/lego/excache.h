/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_EXCACHE_H
#define _LEGO_EXCACHE_H

/*
 * ExCache: the processor's cache of remote memory. Documentation/excache.md.
 *
 * The reserved region is divided into 4 KB lines, grouped in sets of
 * CONFIG_EXCACHE_WAYS lines; the set of a user page is chosen by its
 * virtual address. A line holding a page is mapped by an ordinary
 * present PTE in its process's page table, so a hit costs nothing; a
 * miss is a page fault that fetches the page from the memory manager
 * (M_OP_MISS), evicting a victim of the set if needed and piggybacking its
 * write-back on the same request when it is dirty.
 */
#include <lego/types.h>

/* The contiguous local DRAM region reserved at boot for the ExCache. */
struct excache_region {
	phys_addr_t base;
	u64 size;
};

extern struct excache_region excache_region;

struct mm_struct;

/* Fault flags (excache_fault). */
#define EXC_FAULT_WRITE		0x1
#define EXC_FAULT_EXEC		0x2
#define EXC_FAULT_USER		0x4	/* from user mode (else a uaccess copy) */

/* Lay the lines out in the region; called once at processor start-up. */
int excache_init(void);

/*
 * A fault at addr in mm (interrupts enabled, may sleep). 0 when the page
 * is mapped and the access can be retried; -EFAULT (no mapping: SIGSEGV
 * SEGV_MAPERR), -EACCES (protection: SIGSEGV SEGV_ACCERR), -EIO (SIGBUS),
 * -ETIMEDOUT / -ENOMEM (the memory manager did not answer or is out of
 * memory: the process is killed with a message).
 */
int excache_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags);

/* What excache_flush_range does to each line of mm in [start, end). */
#define EXC_FLUSH_WRITEBACK	0x1	/* dirty lines are written back and become clean */
#define EXC_FLUSH_DROP		0x2	/* lines are unmapped and freed */
/*
 * WRITEBACK: before fork. WRITEBACK|DROP: after mprotect, around mremap.
 * DROP alone: munmap, MADV_DONTNEED, exec and exit (the old program's data
 * is dead). 0 or the first error of a write-back.
 */
int excache_flush_range(struct mm_struct *mm, unsigned long start,
			unsigned long end, unsigned int how);
int excache_flush_mm(struct mm_struct *mm, unsigned int how);

struct excache_stats {
	u64 lines;		/* lines in the cache */
	u64 ways;
	u64 hits;		/* faults that found the page mapped already (another thread's
				   fill) or in the victim cache: hardware hits are not seen */
	u64 misses;		/* faults answered by a memory manager, zero replies included */
	u64 zerofills;		/* of those, first touches the memory manager answered "zero"
				   (no page data on the wire; the line is cleared here) */
	u64 evictions;		/* lines taken from another page */
	u64 wb_clean;		/* evicted clean: nothing sent */
	u64 wb_dirty;		/* evicted dirty: written back */
	u64 wb_piggyback;	/* dirty write-backs that rode on a miss request */
	u64 flush_wb;		/* write-backs by excache_flush_* */
	u64 victim_hits;	/* misses served by the victim cache */
	u64 miss_ns_total;	/* time spent in misses (fetch, not zerofill) */
	u64 miss_ns_max;
};

void excache_get_stats(struct excache_stats *s);
void excache_reset_stats(void);
/*
 * Change the cache at run time (written to /proc/excache): a space-separated
 * list of size=BYTES[K|M] (at most the reserved region), ways=N,
 * policy=fifo|lru|random, victim=N (entries, 0 = off), reset (zero the
 * counters). Every line is written back and dropped first, so it is safe
 * while processes run. 0 or -EINVAL with nothing changed.
 */
int excache_configure(const char *spec);
/*
 * A process ended: print its ExCache counters if the command line asked
 * (excache.report=1). Called by exit for the thread-group leader.
 */
void excache_exit_report(const char *comm, int pid);

/* The counters as text, for /proc/excache and the exit report; bytes written. */
size_t excache_format_stats(char *buf, size_t size);

#endif
