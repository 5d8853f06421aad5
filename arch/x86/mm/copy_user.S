/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies that may touch user memory. A fault on a user address that cannot
 * be satisfied lands at the fixup, which returns how many bytes were left
 * (rep movsb/stosb leave the remaining count in rcx). __ex_table pairs a
 * faulting instruction with its fixup; arch/x86/mm/fault.c looks it up.
 */
	.section .text

/* unsigned long __copy_user(void *to (rdi), const void *from (rsi), unsigned long n (rdx)) */
	.globl __copy_user
__copy_user:
	movq	%rdx, %rcx
1:	rep movsb
	xorl	%eax, %eax
	ret
2:	movq	%rcx, %rax
	ret
	.section __ex_table, "a"
	.quad	1b, 2b
	.previous

/* unsigned long __clear_user(void *to (rdi), unsigned long n (rsi)) */
	.globl __clear_user
__clear_user:
	movq	%rsi, %rcx
	xorl	%eax, %eax
3:	rep stosb
	ret
4:	movq	%rcx, %rax
	ret
	.section __ex_table, "a"
	.quad	3b, 4b
	.previous
