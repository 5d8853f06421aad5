/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_ATOMIC_H
#define _LEGO_ATOMIC_H

#include <lego/types.h>

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(v) { (v) }

static inline int atomic_read(const atomic_t *a) { return __atomic_load_n(&a->counter, __ATOMIC_RELAXED); }
static inline void atomic_set(atomic_t *a, int v) { __atomic_store_n(&a->counter, v, __ATOMIC_RELAXED); }
static inline int atomic_add_return(int v, atomic_t *a) { return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST); }
static inline int atomic_sub_return(int v, atomic_t *a) { return __atomic_sub_fetch(&a->counter, v, __ATOMIC_SEQ_CST); }
static inline void atomic_inc(atomic_t *a) { atomic_add_return(1, a); }
static inline void atomic_dec(atomic_t *a) { atomic_sub_return(1, a); }
static inline bool atomic_dec_and_test(atomic_t *a) { return atomic_sub_return(1, a) == 0; }
static inline int atomic_cmpxchg(atomic_t *a, int old, int new)
{
	__atomic_compare_exchange_n(&a->counter, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

static inline long atomic_long_read(const atomic_long_t *a) { return __atomic_load_n(&a->counter, __ATOMIC_RELAXED); }
static inline long atomic_long_add_return(long v, atomic_long_t *a) { return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST); }
static inline void atomic_long_inc(atomic_long_t *a) { atomic_long_add_return(1, a); }

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

#endif
