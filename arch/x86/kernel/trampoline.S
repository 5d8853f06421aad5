/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application processor start-up. The STARTUP IPI starts an AP in real
 * mode at CS:IP = (TRAMPOLINE_BASE >> 4):0, with caches disabled. This
 * code is assembled into .rodata and copied to TRAMPOLINE_BASE by
 * smpboot.c; it goes straight to long mode (protected mode, PAE, the
 * temporary page table, EFER.LME, paging) and jumps to the kernel with
 * the stack and CPU number from the parameter block at its end.
 */
#include <asm/smp.h>

#define TR_ADDR(x)	(TRAMPOLINE_BASE + (x) - trampoline_start)
#define TR_OFF(x)	((x) - trampoline_start)

#define CR0_PE		0x00000001
#define CR0_WP		0x00010000
#define CR0_NW_CD	0x60000000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080

#define TR_CS32		0x08
#define TR_DS		0x10
#define TR_CS64		0x18

	.section .rodata.trampoline, "a"
	.balign 16
	.globl trampoline_start
	.code16
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movl	$TP_STAGE_REAL, TR_OFF(trampoline_params) + TP_STAGE
	lgdtl	TR_OFF(tr_gdt_desc)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$TR_CS32, $TR_ADDR(tr_protected)

	.code32
tr_protected:
	movl	$TR_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	$TR_ADDR(trampoline_params), %ebx

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	TP_PML4(%ebx), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	TP_EFER(%ebx), %eax
	wrmsr
	/* INIT left the caches disabled: turn them on with paging */
	movl	%cr0, %eax
	andl	$~CR0_NW_CD, %eax
	orl	$(CR0_PG | CR0_WP | CR0_PE), %eax
	movl	%eax, %cr0
	ljmpl	$TR_CS64, $TR_ADDR(tr_long)

	.code64
tr_long:
	movl	$TR_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$TP_STAGE_LONG, trampoline_params + TP_STAGE(%rip)
	movq	trampoline_params + TP_STACK(%rip), %rsp
	movl	trampoline_params + TP_CPU(%rip), %edi
	movq	trampoline_params + TP_CR3(%rip), %rsi
	movq	trampoline_params + TP_ENTRY(%rip), %rax
	jmp	*%rax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* TR_CS32: 32-bit code, 4 GB */
	.quad	0x00cf92000000ffff	/* TR_DS: data, 4 GB */
	.quad	0x00af9a000000ffff	/* TR_CS64: 64-bit code */
tr_gdt_end:
tr_gdt_desc:
	.word	tr_gdt_end - tr_gdt - 1
	.long	TR_ADDR(tr_gdt)

	.balign 8
	.globl trampoline_params
trampoline_params:
	.skip	TP_SIZE
	.globl trampoline_end
trampoline_end:

/*
 * The AP's first kernel code, still on the temporary page table: switch
 * to the kernel's own (the identity map goes away, which is why this is
 * not in the trampoline) and enter C. %edi = CPU number, %rsi = CR3.
 */
	.text
	.globl secondary_startup_64
secondary_startup_64:
	movq	%rsi, %cr3
	xorl	%ebp, %ebp
	call	start_secondary
1:	cli
	hlt
	jmp	1b
