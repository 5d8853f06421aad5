/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_TRAPS_H
#define _ASM_X86_TRAPS_H

#include <lego/compiler.h>
#include <asm/ptrace.h>

/* Print the registers, fault details and a backtrace; then stop the machine. */
__noreturn void die(const char *what, struct pt_regs *regs);
void show_regs(struct pt_regs *regs);
void show_stack_from(unsigned long rbp);
void dump_stack(void);

/* Processor manager: user faults and ExCache misses (arch/x86/mm/fault.c). */
bool do_page_fault(struct pt_regs *regs);
bool do_user_trap(struct pt_regs *regs);

#endif
