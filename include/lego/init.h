/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_INIT_H
#define _LEGO_INIT_H

#include <lego/compiler.h>

/* Generic kernel start, called by the architecture on the boot CPU. */
__noreturn void start_kernel(void);
/* Architecture set-up: memory map, page tables, firmware tables. */
void setup_arch(void);
/*
 * Interrupt controllers on the boot CPU (local APIC, IOAPICs masked) and
 * the IPI vectors. Needs acpi_init() first.
 */
void arch_irq_init(void);
/* Role-specific start (processor or memory manager). */
void manager_init(void);
/* Role-specific memory carve-outs, made before the page allocator starts. */
void manager_reserve_memory(void);
/* Boot-time self-tests selected with selftest= on the command line. */
void run_selftests(void);

#endif
