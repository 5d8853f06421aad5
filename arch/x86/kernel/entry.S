/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt and exception entry. Every vector has a 16-byte stub that makes
 * the stack look the same (an error code, real or zero, and the vector
 * number) and jumps to one common path building a struct pt_regs.
 */
#include <asm/irq.h>

#define PT_CS	(17 * 8)	/* offset of cs in struct pt_regs */

	.section .text
	.balign 16
	.globl interrupt_stubs
interrupt_stubs:
vector = 0
	.rept NR_VECTORS
	.balign 16
	/* the CPU pushes an error code for these exceptions only */
	.if !(vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30)
	pushq	$0
	.endif
	pushq	$vector
	jmp	common_interrupt
vector = vector + 1
	.endr

common_interrupt:
	cld
	/* coming from user mode: switch GS to this CPU's kernel data */
	testb	$3, 24(%rsp)
	jz	1f
	swapgs
1:	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	call	do_interrupt
	.globl ret_from_interrupt
ret_from_interrupt:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	testb	$3, 24(%rsp)
	jz	2f
	swapgs
2:	addq	$16, %rsp
	iretq
