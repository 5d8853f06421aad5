/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_FUTEX_H
#define _ASM_X86_FUTEX_H

#include <lego/types.h>

/*
 * lock cmpxchg on a user word (arch/x86/mm/cmpxchg_user.S): 0 with *found
 * the value seen (the swap happened iff *found == old), or -EFAULT if the
 * word cannot be reached. The caller checks that uaddr is a user address
 * and 4-byte aligned. The access may fault in an ExCache line and sleep:
 * never call it with a spinlock held.
 */
int arch_user_cmpxchg_u32(u32 *uaddr, u32 old, u32 new, u32 *found);

#endif
