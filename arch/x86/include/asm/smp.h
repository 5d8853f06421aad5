/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_SMP_H
#define _ASM_X86_SMP_H

/*
 * Application processors start in real mode at a page below 1 MB named
 * by the STARTUP IPI. The trampoline is copied there and finds the
 * kernel through a parameter block at its end; three pages after it hold
 * a temporary page table (identity map of the first 2 MB plus the kernel
 * half of the kernel's own) used only between real mode and the kernel.
 * The first megabyte is reserved from the allocators, so these are free.
 */
#define TRAMPOLINE_BASE		0x8000
#define TRAMPOLINE_PGTABLE	0x9000	/* PML4, PDPT, PD: 0x9000-0xbfff */

/* struct trampoline_params, for the assembly side */
#define TP_PML4			0
#define TP_EFER			4
#define TP_STACK		8
#define TP_ENTRY		16
#define TP_CR3			24
#define TP_CPU			32
#define TP_STAGE		36
#define TP_SIZE			40

/* how far an AP got, written by the trampoline for error reports */
#define TP_STAGE_REAL		1
#define TP_STAGE_LONG		2

#ifndef __ASSEMBLY__
#include <lego/types.h>
#include <lego/compiler.h>

struct trampoline_params {
	u32 pml4;		/* physical, below 4 GB */
	u32 efer;		/* EFER bits to set: LME, and NXE if the kernel uses NX */
	u64 stack;		/* top of the AP's first kernel stack */
	u64 entry;		/* secondary_startup_64 */
	u64 kernel_cr3;
	u32 cpu;
	u32 stage;
};

extern char trampoline_start[], trampoline_end[], trampoline_params[];
void secondary_startup_64(void);
void start_secondary(int cpu);

/* Install the IPI handlers (reschedule, call function); boot CPU only. */
void smp_ipi_init(void);
/* True once cpu has left the trampoline: it is running kernel code. */
bool smp_cpu_started(int cpu);
#endif

#endif
