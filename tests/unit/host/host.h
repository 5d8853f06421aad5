/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNIT_HOST_H
#define _UNIT_HOST_H

/*
 * What the kernel sources need from the rest of the kernel, provided on
 * the host: printk, panic, preemption hooks and fake physical memory.
 * Include after the kernel headers and before <cmocka.h>.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lego/types.h>
#include <asm/irqflags.h>	/* host_irq_flags */
#include <asm/percpu.h>		/* host_preempt_count, host_cpu_id */

/* Fake physical memory [0, size), page aligned; host_phys_exit frees it. */
void host_phys_init(u64 size);
void host_phys_exit(void);

/* Last messages and counts, for tests that expect a message. */
extern char host_last_printk[512];
extern char host_last_panic[512];
extern unsigned long host_printk_count;
extern unsigned long host_panic_count;
void host_reset_counters(void);

/*
 * panic() reports through cmocka's mock_assert(), so a test expects one
 * with expect_panic(call): the call is abandoned with a longjmp.
 */
#define expect_panic(call)	expect_assert_failure(call)

/* Check that every lock taken was released with interrupts restored. */
void host_assert_balanced(void);

/* Seeded PRNG (xorshift64*), so random sequences are reproducible. */
void host_srand(u64 seed);
u64 host_rand(void);

#endif
