/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KERNEL_FUTEX_H
#define _KERNEL_FUTEX_H

/* Private to kernel/futex*.c. */
#include <lego/types.h>
#include <uapi/lego/futex.h>

#ifndef __user
#define __user
#endif

/*
 * FUTEX_WAKE_OP's encoded operation (futex_op.c, pure): the value to store
 * given the old one (-ENOSYS for an unknown op), and whether the old value
 * passes the comparison (-ENOSYS for an unknown comparison).
 */
int futex_op_apply(u32 encoded, u32 old, u32 *new);
int futex_op_compare(u32 encoded, u32 old);

/*
 * Atomic compare-and-exchange on a user word (futex.c): 0 with *found the
 * value seen (the swap happened iff *found == old), or -EFAULT.
 */
int user_cmpxchg_u32(u32 __user *uaddr, u32 old, u32 new, u32 *found);
/* Wake up to nr waiters of uaddr in current's mm whose bitset meets bitset. */
int futex_wake_bitset(u32 __user *uaddr, int nr, u32 bitset);

#endif
