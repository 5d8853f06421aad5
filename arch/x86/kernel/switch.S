/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Context switch between kernel threads. Only the callee-saved registers
 * need saving: the switch is a function call as far as C is concerned.
 */
	.section .text

/* struct task_struct *__switch_to_asm(prev (rdi), next (rsi)): task->sp is at offset 0 */
	.globl __switch_to_asm
__switch_to_asm:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax	/* in the resumed task: the task we came from */
	ret

/* First code of a new kernel thread: r12 = fn, r13 = arg (see process.c). */
	.globl ret_from_kthread
ret_from_kthread:
	movq	%rax, %rdi
	call	schedule_tail
	sti
	movq	%r13, %rdi
	call	*%r12
	movl	%eax, %edi
	call	kthread_exit
1:	hlt
	jmp	1b
