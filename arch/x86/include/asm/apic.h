/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_APIC_H
#define _ASM_X86_APIC_H

#include <lego/types.h>

/* Local APIC registers, as xAPIC MMIO offsets (Intel SDM vol. 3, 11.4.1). */
#define APIC_ID			0x020
#define APIC_LVR		0x030	/* version; bits 23:16 are the last LVT */
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SVR		0x0f0
#define APIC_ESR		0x280
#define APIC_ICR		0x300
#define APIC_ICR2		0x310
#define APIC_LVTT		0x320
#define APIC_LVTTHMR		0x330
#define APIC_LVTPC		0x340
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_LVTERR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0

#define APIC_SVR_ENABLE		(1U << 8)
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_LEVEL		(1U << 15)
#define APIC_LVT_ACTIVE_LOW	(1U << 13)
#define APIC_LVT_DM_NMI		(4U << 8)
#define APIC_LVT_DM_EXTINT	(7U << 8)
#define APIC_TIMER_PERIODIC	(1U << 17)
#define APIC_TDCR_DIV_16	0x3

/* Interrupt command register */
#define APIC_DM_FIXED		(0U << 8)
#define APIC_DM_NMI		(4U << 8)
#define APIC_DM_INIT		(5U << 8)
#define APIC_DM_STARTUP		(6U << 8)
#define APIC_ICR_BUSY		(1U << 12)	/* xAPIC delivery status */
#define APIC_ICR_ASSERT		(1U << 14)
#define APIC_DEST_SELF		(1U << 18)
#define APIC_DEST_ALL		(2U << 18)
#define APIC_DEST_ALLBUT	(3U << 18)

#define MSR_APIC_BASE_BSP	(1ULL << 8)
#define MSR_APIC_BASE_X2APIC	(1ULL << 10)
#define MSR_APIC_BASE_ENABLE	(1ULL << 11)
#define MSR_X2APIC_BASE		0x800

/* Set up this CPU's local APIC (every CPU, the boot one included). */
void lapic_setup(void);
u32 apic_read(u32 reg);
void apic_write(u32 reg, u32 val);
/* This CPU's local APIC id. */
u32 apic_id(void);
bool apic_x2apic_mode(void);

/*
 * Inter-processor interrupts. Each waits (bounded) for the local APIC to
 * accept the command; they may be called with interrupts on or off.
 */
void apic_send_ipi(u32 apic_id, int vector);
void apic_send_nmi(u32 apic_id);
void apic_send_ipi_allbutself(int vector);
/* The INIT and STARTUP IPIs that wake an AP; 0 or -ETIMEDOUT. */
int apic_send_init(u32 apic_id);
int apic_send_sipi(u32 apic_id, u8 page);

/* Local APIC timer: calibrate against the TSC (boot CPU), then tick at HZ. */
void lapic_timer_calibrate(void);
void lapic_timer_start(void);
u64 lapic_timer_hz(void);

#endif
