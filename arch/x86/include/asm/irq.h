/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_IRQ_H
#define _ASM_X86_IRQ_H


/*
 * Vector map: 0-31 CPU exceptions, 0x20 is free because exceptions stop at
 * 31. Device vectors are handed out dynamically from a middle range so that
 * their priority class stays below the IPIs and the timer.
 */
#define FIRST_EXTERNAL_VECTOR	0x20
#define IRQ_DYN_FIRST		0x30
#define IRQ_DYN_LAST		0xdf
#define LOCAL_TIMER_VECTOR	0xec
#define RESCHEDULE_VECTOR	0xf0
#define CALL_FUNCTION_VECTOR	0xf1
#define STOP_VECTOR		0xf2
#define APIC_ERROR_VECTOR	0xfe
#define SPURIOUS_VECTOR		0xff
#define NR_VECTORS		256

#ifndef __ASSEMBLY__
#include <asm/ptrace.h>

typedef void (*irq_handler_t)(struct pt_regs *regs, void *data);

/* Install a handler on a fixed vector; -EBUSY if one is there. */
int request_vector(int vector, irq_handler_t handler, void *data, const char *name);
/* Allocate a free dynamic vector and install a handler on it; returns it. */
int alloc_vector(irq_handler_t handler, void *data, const char *name);
void free_vector(int vector);

/* End of interrupt for the local APIC; set by the APIC driver. */
extern void (*irq_eoi)(void);

void idt_init(void);
void load_idt(void);
#endif

#endif
