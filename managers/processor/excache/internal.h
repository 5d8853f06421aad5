/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _EXCACHE_INTERNAL_H
#define _EXCACHE_INTERNAL_H

/*
 * What the kernel halves of the ExCache (init.c, fault.c, flush.c) share:
 * the one cache, its locks, waiting for lines in transit, and the gate
 * that lets excache_configure stop all activity while it relays the cache.
 */
#include <lego/spinlock.h>
#include "excache_core.h"

extern struct exc_cache exc;
extern spinlock_t exc_aux_lock;		/* victim cache and pending write-backs */
extern bool exc_ready;

spinlock_t *exc_set_lock(unsigned long set);

/*
 * Waiting for something in transit in a set: take a snapshot under the
 * set's lock, drop the lock, then exc_wait() sleeps until exc_wake(set)
 * is called after the snapshot.
 */
u32 exc_wait_snapshot(unsigned long set);
void exc_wait(unsigned long set, u32 snapshot);
void exc_wake(unsigned long set);

/* Every fault and flush runs between these (excache_configure waits for them). */
void exc_enter(void);
void exc_leave(void);

u64 exc_timeout_ns(void);
/* M_OP_WRITEBACK of one page; failures other than a dead address space are logged loudly. */
int exc_send_writeback(int node, int pid, unsigned long va, const void *data);
/* A pending write-back has been dealt with: let faults on its page go on. */
void exc_wb_finish(struct exc_wb *wb);

/* Flush lines of mm (NULL: every process) in [start, end); the cache is entered. */
int exc_flush(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned int how);

#endif
