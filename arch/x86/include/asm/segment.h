/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_SEGMENT_H
#define _ASM_X86_SEGMENT_H

/*
 * GDT layout. The user selectors are ordered for SYSRET, which loads
 * SS = STAR[63:48] + 8 and CS = STAR[63:48] + 16.
 */
#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_USER32_CS	3
#define GDT_ENTRY_USER_DS	4
#define GDT_ENTRY_USER_CS	5
#define GDT_ENTRY_TSS		6	/* 16 bytes: two entries */
#define GDT_ENTRIES		8

#define __KERNEL_CS	(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS	(GDT_ENTRY_KERNEL_DS * 8)
#define __USER32_CS	(GDT_ENTRY_USER32_CS * 8 + 3)
#define __USER_DS	(GDT_ENTRY_USER_DS * 8 + 3)
#define __USER_CS	(GDT_ENTRY_USER_CS * 8 + 3)
#define __TSS_SEL	(GDT_ENTRY_TSS * 8)

#endif
