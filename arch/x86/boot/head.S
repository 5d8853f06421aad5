/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot2 entry. GRUB leaves us in 32-bit protected mode, paging off,
 * EAX = Multiboot2 magic, EBX = physical address of the boot information.
 * We build just enough page tables to run the C kernel in the higher half:
 *   - identity map of 0-4 GB (only for the jump into long mode),
 *   - the same 4 GB at PAGE_OFFSET (direct map, until paging_init),
 *   - the first 1 GB at KERNEL_VMA (the kernel image).
 */
#include <asm/page.h>
#include <asm/segment.h>

#define MB2_MAGIC		0xe85250d6
#define MB2_BOOT_MAGIC		0x36d76289
#define MB2_ARCH_I386		0
#define MB2_TAG_END		0
#define MB2_TAG_MODULE_ALIGN	6

#define PA(x)	((x) - KERNEL_VMA)
#define PTE_P	0x1
#define PTE_W	0x2
#define PTE_PS	0x80

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* page-align modules so they can be mapped and freed page by page */
	.balign 8
	.word MB2_TAG_MODULE_ALIGN
	.word 0
	.long 8
	.balign 8
	.word MB2_TAG_END
	.word 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl	%eax, %ebp		/* keep magic and info across bss clearing */
	movl	%ebx, %esi
	movl	$PA(boot_stack_top), %esp

	cmpl	$MB2_BOOT_MAGIC, %ebp
	jne	.Lno_multiboot

	/* the CPU must support long mode */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	.Lno_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	.Lno_long_mode

	/* clear .bss: it holds the boot page tables and stack */
	movl	$PA(__bss_start), %edi
	movl	$PA(__bss_end), %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	movl	%ebp, PA(boot_mb2_magic)
	movl	%esi, PA(boot_mb2_info)

	/* four page directories of 2 MB pages covering 0-4 GB */
	movl	$PA(boot_pd), %edi
	movl	$(PTE_P | PTE_W | PTE_PS), %eax
	xorl	%edx, %edx
	movl	$2048, %ecx
1:	movl	%eax, (%edi)
	movl	%edx, 4(%edi)
	addl	$0x200000, %eax
	adcl	$0, %edx
	addl	$8, %edi
	loop	1b

	/* PDPT for low memory: entries 0-3 point at the four directories */
	movl	$PA(boot_pdpt_low), %edi
	movl	$PA(boot_pd), %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	$4, %ecx
2:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	2b

	/* PDPT for the kernel image: entry 510 (KERNEL_VMA) maps 0-1 GB */
	movl	$PA(boot_pd), %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	%eax, PA(boot_pdpt_high) + 510 * 8

	/* PML4: identity (0), direct map (273), kernel image (511) */
	movl	$PA(boot_pdpt_low), %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	%eax, PA(boot_pml4)
	movl	%eax, PA(boot_pml4) + ((PAGE_OFFSET >> 39) & 511) * 8
	movl	$PA(boot_pdpt_high), %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	%eax, PA(boot_pml4) + 511 * 8

	/* long mode: PAE, CR3, EFER.LME, then paging */
	movl	%cr4, %eax
	orl	$0x20, %eax
	movl	%eax, %cr4
	movl	$PA(boot_pml4), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx
	rdmsr
	orl	$0x100, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$0x80010001, %eax	/* PG | WP | PE */
	movl	%eax, %cr0

	lgdt	boot_gdt_desc
	ljmp	$__KERNEL_CS, $.Lstart64_low

.Lno_multiboot:
	movl	$.Lmsg_no_mb2, %esi
	jmp	.Lfatal
.Lno_long_mode:
	movl	$.Lmsg_no_lm, %esi
.Lfatal:
	/* COM1 works without programming it under QEMU and most firmware */
	lodsb
	testb	%al, %al
	jz	3f
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	.Lfatal
3:	hlt
	jmp	3b

	.code64
.Lstart64_low:
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$start64, %rax
	jmp	*%rax

	.section .boot.data, "a"
.Lmsg_no_mb2:
	.asciz	"lego: not booted by a Multiboot2 loader\r\n"
.Lmsg_no_lm:
	.asciz	"lego: this CPU does not support x86-64 long mode\r\n"
	.balign 8
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* kernel code, 64-bit */
	.quad	0x00cf92000000ffff	/* kernel data */
boot_gdt_end:
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.section .text.entry, "ax"
	.code64
start64:
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp
	movl	boot_mb2_magic(%rip), %edi
	movl	boot_mb2_info(%rip), %esi
	call	x86_64_start_kernel
4:	cli
	hlt
	jmp	4b

	.section .bss
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip	4096
boot_pdpt_low:
	.skip	4096
boot_pdpt_high:
	.skip	4096
boot_pd:
	.skip	4 * 4096
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip	16384
	.globl boot_stack_top
boot_stack_top:
	.globl boot_mb2_magic
boot_mb2_magic:
	.long	0
	.globl boot_mb2_info
boot_mb2_info:
	.long	0
