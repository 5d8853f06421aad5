/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <lego/types.h>
#include <asm/page.h>

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)	/* 2 MB page in a PMD entry */
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_NX	(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

/* Cache types, as selected through the PAT programmed in cpu.c. */
#define _PAGE_CACHE_WB	0
#define _PAGE_CACHE_WC	_PAGE_PWT
#define _PAGE_CACHE_UC	(_PAGE_PWT | _PAGE_PCD)

#define PAGE_KERNEL		(_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX | \
				 _PAGE_ACCESSED | _PAGE_DIRTY)
#define PAGE_KERNEL_RO		(_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX | _PAGE_ACCESSED)
#define PAGE_KERNEL_EXEC	(_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_ACCESSED)
#define PAGE_KERNEL_UC		(PAGE_KERNEL | _PAGE_CACHE_UC)
#define PAGE_KERNEL_WC		(PAGE_KERNEL | _PAGE_CACHE_WC)

typedef u64 pte_t;

/* PTE bits this CPU accepts (no _PAGE_NX without EFER.NXE). */
extern u64 supported_pte_mask;

/* Build the final kernel page tables (direct map + image) and switch to them. */
void paging_init(void);
/* Map/unmap 4 KB pages in the kernel half of the address space. */
int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot);
void kernel_unmap_range(unsigned long va, unsigned long size);
/* The page-table entry mapping va, or NULL if none (large pages: the PMD entry). */
pte_t *kernel_lookup(unsigned long va, int *level);
phys_addr_t kernel_pgd_phys(void);
pte_t *kernel_pgd(void);

/* Flush kernel mappings on every online CPU. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);

#endif
