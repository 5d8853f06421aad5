/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_DESC_H
#define _ASM_X86_DESC_H

#include <lego/types.h>
#include <lego/compiler.h>
#include <asm/segment.h>

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

/* Interrupt stack table slots: exceptions that must not trust the stack. */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_STACK_SIZE		8192

struct cpu_arch {
	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct tss64 tss __aligned(16);
	u8 ist_stacks[3][IST_STACK_SIZE] __aligned(16);
};

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/* Set up this CPU's GDT, TSS, IDT and control registers. */
void cpu_init(int cpu);
/* Stack used on entry from user mode (TSS.RSP0). */
void cpu_set_kernel_stack(unsigned long sp);

#endif
