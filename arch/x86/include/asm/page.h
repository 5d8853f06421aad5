/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

/*
 * Virtual memory layout of the kernel:
 *   0000000000000000 - 00007fffffffffff  user space (later issues)
 *   ffff888000000000 - ...               direct map of all physical memory
 *   ffffc90000000000 - ffffe8ffffffffff  ioremap / MMIO window
 *   ffffffff80000000 - ffffffffbfffffff  kernel image (linked here, loaded at 1 MB)
 */
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define PAGE_OFFSET	0xffff888000000000UL
#define IOREMAP_START	0xffffc90000000000UL
#define IOREMAP_END	0xffffe90000000000UL
#define KERNEL_VMA	0xffffffff80000000UL
#define KERNEL_PHYS	0x100000UL

#ifndef __ASSEMBLY__
#include <lego/types.h>

static inline void *__va(phys_addr_t pa)
{
	return (void *)(unsigned long)(pa + PAGE_OFFSET);
}

static inline phys_addr_t __pa(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - PAGE_OFFSET;
}

#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#endif

#endif
