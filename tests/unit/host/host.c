// SPDX-License-Identifier: GPL-2.0
/*
 * Host implementations of the kernel services the unit-tested sources
 * call. Printing goes to stdout only when UNIT_VERBOSE is set, so that
 * expected warnings (exhaustion, bad frees) do not drown the results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lego/printk.h>
#include <lego/bug.h>
#include <asm/page.h>
#include <asm/irqflags.h>
#include <asm/percpu.h>

#include "host.h"

unsigned char *host_phys_base;
u64 host_phys_size;

__thread unsigned long host_irq_flags = X86_EFLAGS_IF;
__thread int host_preempt_count;
__thread int host_cpu_id;

char host_last_printk[512];
char host_last_panic[512];
unsigned long host_printk_count;
unsigned long host_panic_count;

int console_loglevel = LOGLEVEL_DEFAULT;

static int verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("UNIT_VERBOSE") != NULL;
	return v;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[sizeof(host_last_printk)];
	const char *msg = buf;
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (msg[0] == '\001' && msg[1])
		msg += 2;	/* drop the level marker */
	__atomic_add_fetch(&host_printk_count, 1, __ATOMIC_RELAXED);
	snprintf(host_last_printk, sizeof(host_last_printk), "%s", msg);
	if (verbose())
		fputs(msg, stdout);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_last_panic, sizeof(host_last_panic), fmt, ap);
	va_end(ap);
	host_panic_count++;
	if (verbose())
		printf("panic: %s\n", host_last_panic);
	/* Jumps back to expect_panic(), or fails the running test. */
	mock_assert(0, host_last_panic, __FILE__, __LINE__);
	abort();
}

bool need_resched(void)
{
	return false;
}

void preempt_schedule(void)
{
}

void host_bad_phys(phys_addr_t pa)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "__va(%#llx) beyond fake RAM of %#llx bytes",
		 (unsigned long long)pa, (unsigned long long)host_phys_size);
	mock_assert(0, msg, __FILE__, __LINE__);
	abort();
}

void host_phys_init(u64 size)
{
	host_phys_base = aligned_alloc(PAGE_SIZE, size);
	assert_non_null(host_phys_base);
	/* Garbage, not zeroes, so that missing initialisation shows up. */
	memset(host_phys_base, 0xa5, size);
	host_phys_size = size;
}

void host_phys_exit(void)
{
	free(host_phys_base);
	host_phys_base = NULL;
	host_phys_size = 0;
}

void host_reset_counters(void)
{
	host_printk_count = 0;
	host_panic_count = 0;
	host_last_printk[0] = 0;
	host_last_panic[0] = 0;
}

void host_assert_balanced(void)
{
	assert_int_equal(host_preempt_count, 0);
	assert_true(host_irq_flags & X86_EFLAGS_IF);
}

static __thread u64 rng_state = 88172645463325252ULL;

void host_srand(u64 seed)
{
	rng_state = seed ? seed : 1;
}

u64 host_rand(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}
