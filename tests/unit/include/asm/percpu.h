/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PERCPU_H
#define _ASM_X86_PERCPU_H

/*
 * Host shim for arch/x86/include/asm/percpu.h: the real one reads the
 * per-CPU area through %gs, which a host process does not have. Each
 * host thread plays one CPU; only what the preempt count needs is here.
 */
#include <lego/types.h>
#include <lego/kernel.h>

extern __thread int host_preempt_count;
extern __thread int host_cpu_id;

static inline int smp_processor_id(void)
{
	return host_cpu_id;
}

static inline void arch_preempt_count_inc(void)
{
	host_preempt_count++;
}

static inline void arch_preempt_count_dec(void)
{
	host_preempt_count--;
}

static inline int arch_preempt_count(void)
{
	return host_preempt_count;
}

#endif
