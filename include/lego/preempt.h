/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_PREEMPT_H
#define _LEGO_PREEMPT_H

#include <lego/compiler.h>
#include <asm/percpu.h>

/*
 * A thread may be preempted only when its CPU's preempt count is zero:
 * spinlocks raise it, so no thread is switched out while holding one.
 */
void preempt_schedule(void);
bool need_resched(void);

static inline void preempt_disable(void)
{
	arch_preempt_count_inc();
	barrier();
}

static inline void preempt_enable_no_resched(void)
{
	barrier();
	arch_preempt_count_dec();
}

static inline void preempt_enable(void)
{
	preempt_enable_no_resched();
	if (unlikely(!arch_preempt_count() && need_resched()))
		preempt_schedule();
}

static inline int preempt_count(void)
{
	return arch_preempt_count();
}

#endif
