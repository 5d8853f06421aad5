/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

/*
 * Host shim for arch/x86/include/asm/page.h (found first by include
 * order). "Physical memory" is one host buffer set up by host_phys_init():
 * physical address pa lives at host_phys_base + pa.
 */
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PAGE_OFFSET	0xffff888000000000UL
#define IOREMAP_START	0xffffc90000000000UL
#define IOREMAP_END	0xffffe90000000000UL
#define KERNEL_VMA	0xffffffff80000000UL
#define KERNEL_PHYS	0x100000UL

#ifndef __ASSEMBLY__
#include <lego/types.h>

extern unsigned char *host_phys_base;
extern u64 host_phys_size;
void host_bad_phys(phys_addr_t pa);

static inline void *__va(phys_addr_t pa)
{
	/* The end address itself is fine: callers compute one-past-the-end. */
	if (pa > host_phys_size)
		host_bad_phys(pa);
	return host_phys_base + pa;
}

/* Unchecked, like the real one: callers validate the pfn afterwards. */
static inline phys_addr_t __pa(const void *va)
{
	return (phys_addr_t)((uintptr_t)va - (uintptr_t)host_phys_base);
}

#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#endif

#endif
