/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_FUTEX_H
#define _UAPI_LEGO_FUTEX_H

/* futex(2) operations and the robust-list layout, Linux x86-64 ABI. */
#include <lego/types.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13

#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_BITSET_MATCH_ANY	0xffffffffU

/* FUTEX_WAKE_OP: op = (OP << 28) | (CMP << 24) | (OPARG << 12) | CMPARG */
#define FUTEX_OP_SET		0	/* uaddr2 = oparg */
#define FUTEX_OP_ADD		1	/* uaddr2 += oparg */
#define FUTEX_OP_OR		2	/* uaddr2 |= oparg */
#define FUTEX_OP_ANDN		3	/* uaddr2 &= ~oparg */
#define FUTEX_OP_XOR		4	/* uaddr2 ^= oparg */
#define FUTEX_OP_OPARG_SHIFT	8	/* with an op: oparg = 1 << oparg */

#define FUTEX_OP_CMP_EQ		0
#define FUTEX_OP_CMP_NE		1
#define FUTEX_OP_CMP_LT		2
#define FUTEX_OP_CMP_LE		3
#define FUTEX_OP_CMP_GT		4
#define FUTEX_OP_CMP_GE		5

/* Robust futexes: the lock word's owner bits. */
#define FUTEX_WAITERS		0x80000000U
#define FUTEX_OWNER_DIED	0x40000000U
#define FUTEX_TID_MASK		0x3fffffffU

/* set_robust_list(head, sizeof(struct robust_list_head)) */
struct robust_list_head {
	u64 next;		/* first entry (its address is the entry's list field) */
	s64 futex_offset;	/* from an entry to its lock word */
	u64 list_op_pending;	/* entry being locked or unlocked, or 0 */
};

#define ROBUST_LIST_LIMIT	2048

#endif
