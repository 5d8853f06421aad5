/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_IOAPIC_H
#define _ASM_X86_IOAPIC_H

#include <lego/types.h>

/*
 * I/O APICs route device interrupt lines (GSIs) to a CPU's local APIC.
 * Every input is masked at boot; a driver routes its GSI to a vector it
 * got from alloc_vector(). Level-triggered inputs are acknowledged by the
 * local APIC EOI that do_interrupt() sends after the handler.
 */
void ioapic_init(void);
bool ioapic_present(void);

/*
 * Route gsi to vector on the CPU with local APIC id dest_apic_id (physical
 * destination, fixed delivery) and unmask it. level/active_low come from
 * the bus: PCI INTx lines are level, active low; ISA IRQs, see
 * acpi_isa_irq_to_gsi(). Returns 0, -ENODEV if no IOAPIC has this GSI,
 * or -EINVAL for a bad vector or destination.
 */
int ioapic_route_gsi(u32 gsi, int vector, bool level, bool active_low, u32 dest_apic_id);
/* Mask or unmask a routed GSI; ignored for GSIs no IOAPIC has. */
void ioapic_mask_gsi(u32 gsi, bool mask);
/* Convenience for ISA devices: route ISA IRQ 0-15 after the MADT overrides. */
int ioapic_route_isa_irq(int irq, int vector, u32 dest_apic_id);

#endif
