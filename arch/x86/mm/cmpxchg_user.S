/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An atomic compare-and-exchange on a user word, for futexes. As in
 * copy_user.S, a fault on the user address is first an ExCache miss
 * (arch/x86/mm/fault.c fetches the line and the instruction runs again);
 * only a fault that cannot be satisfied lands at the fixup. The caller
 * checks the range and the alignment (kernel/futex.c).
 */
#include <uapi/lego/errno.h>

	.section .text

/* int arch_user_cmpxchg_u32(u32 *uaddr (rdi), u32 old (esi), u32 new (edx), u32 *found (rcx)) */
	.globl arch_user_cmpxchg_u32
arch_user_cmpxchg_u32:
	movl	%esi, %eax
1:	lock cmpxchgl %edx, (%rdi)
	/* eax: the value seen, whether or not the swap happened */
	movl	%eax, (%rcx)
	xorl	%eax, %eax
	ret
2:	movl	$-EFAULT, %eax
	ret
	.section __ex_table, "a"
	.quad	1b, 2b
	.previous
