/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SYSCALL entry. The CPU leaves the user rip in rcx and rflags in r11,
 * masks rflags with MSR_SYSCALL_MASK (interrupts off) and changes nothing
 * else, not even the stack: switch GS and stacks by hand, then build the
 * same struct pt_regs an interrupt would, so that signals, fork and exec
 * see one layout. The way out is the interrupt return path (iretq), which
 * is correct for every rip a signal handler or exec may have set.
 */
#include <asm/segment.h>
#include <asm/ptrace.h>

	.section .text
	.balign 16
	.globl syscall_entry
syscall_entry:
	swapgs
	movq	%rsp, %gs:32		/* cpu_local.user_sp */
	movq	%gs:24, %rsp		/* cpu_local.kernel_sp: top of this task's stack */
	pushq	$__USER_DS		/* ss */
	pushq	%gs:32			/* rsp */
	pushq	%r11			/* rflags */
	pushq	$__USER_CS		/* cs */
	pushq	%rcx			/* rip */
	pushq	%rax			/* error_code: orig_ax */
	pushq	$PT_VECTOR_SYSCALL	/* vector */
	pushq	%rax
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
	cld
	movq	%rsp, %rdi
	call	do_syscall_64
	jmp	ret_from_interrupt

/*
 * First code of a new user thread (fork, clone): finish the switch, then
 * leave through the interrupt return path with the pt_regs copy_thread
 * put at the top of the stack.
 */
	.globl ret_from_fork
ret_from_fork:
	movq	%rax, %rdi		/* the task we switched from */
	movq	%rsp, %rsi		/* its pt_regs are right above */
	call	ret_from_fork_c
	jmp	ret_from_interrupt

/* void __arch_enter_user(struct pt_regs *regs): the first entry to user mode. */
	.globl __arch_enter_user
__arch_enter_user:
	cli
	movq	%rdi, %rsp
	jmp	ret_from_interrupt
