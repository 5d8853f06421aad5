// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel page tables. paging_init() replaces the boot tables (which map
 * the first 4 GB three times, all writable and executable) with:
 *   - a direct map of every RAM and ACPI range at PAGE_OFFSET, non-executable,
 *   - the kernel image at KERNEL_VMA with per-section permissions,
 *   - nothing at address 0, so a NULL dereference faults.
 * Later mappings (MMIO through ioremap) use kernel_map_range().
 */
#include <lego/kernel.h>
#include <lego/bootinfo.h>
#include <lego/errno.h>
#include <lego/memblock.h>
#include <lego/mm.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/smp.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

#define PT_ENTRIES	512
#define PT_TABLE	(_PAGE_PRESENT | _PAGE_RW)

extern char _text[], _etext[], _erodata[], _end[];

static pte_t *kernel_pml4;
u64 supported_pte_mask = ~0ULL;
static DEFINE_SPINLOCK(pgtable_lock);

static unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (12 + 9 * level)) & (PT_ENTRIES - 1);
}

static pte_t *alloc_table(void)
{
	phys_addr_t pa;

	/* once the page allocator owns memory, memblock refuses to allocate */
	if (totalram_pages()) {
		unsigned long va = get_zeroed_page(GFP_KERNEL);

		return va ? (pte_t *)va : NULL;
	}
	pa = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!pa)
		return NULL;
	memset(__va(pa), 0, PAGE_SIZE);
	return __va(pa);
}

/* Walk down to the table at 'level' (0 = PTE table) for va, creating it. */
static pte_t *walk_create(unsigned long va, int level)
{
	pte_t *table = kernel_pml4;

	for (int l = 3; l > level; l--) {
		pte_t *e = &table[pt_index(va, l)];

		if (!(*e & _PAGE_PRESENT)) {
			pte_t *next = alloc_table();

			if (!next)
				return NULL;
			*e = __pa(next) | PT_TABLE;
		} else if (*e & _PAGE_PSE) {
			return NULL;	/* already covered by a large page */
		}
		table = __va(*e & PTE_ADDR_MASK);
	}
	return table;
}

static int map_one(unsigned long va, phys_addr_t pa, u64 prot, bool large)
{
	pte_t *table = walk_create(va, large ? 1 : 0);

	if (!table)
		return -ENOMEM;
	table[pt_index(va, large ? 1 : 0)] = (pa & PTE_ADDR_MASK) | prot |
					      (large ? _PAGE_PSE : 0);
	return 0;
}

/* Map with 2 MB pages where both addresses are aligned and it fits. */
static int map_range_large(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot)
{
	unsigned long end = va + size;
	int err = 0;

	while (va < end && !err) {
		bool large = IS_ALIGNED(va, SZ_2M) && IS_ALIGNED(pa, SZ_2M) &&
			     end - va >= SZ_2M;

		err = map_one(va, pa, prot, large);
		va += large ? SZ_2M : PAGE_SIZE;
		pa += large ? SZ_2M : PAGE_SIZE;
	}
	return err;
}

int kernel_map_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot)
{
	unsigned long flags;
	int err = 0;

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || va < PAGE_OFFSET)
		return -EINVAL;
	spin_lock_irqsave(&pgtable_lock, flags);
	for (unsigned long off = 0; off < size && !err; off += PAGE_SIZE)
		err = map_one(va + off, pa + off, prot, false);
	spin_unlock_irqrestore(&pgtable_lock, flags);
	if (err)
		kernel_unmap_range(va, size);
	return err;
}

pte_t *kernel_lookup(unsigned long va, int *level)
{
	pte_t *table = kernel_pml4;

	for (int l = 3; l >= 0; l--) {
		pte_t *e = &table[pt_index(va, l)];

		if (!(*e & _PAGE_PRESENT))
			return NULL;
		if (l == 0 || (l == 1 && (*e & _PAGE_PSE))) {
			if (level)
				*level = l;
			return e;
		}
		table = __va(*e & PTE_ADDR_MASK);
	}
	return NULL;
}

void kernel_unmap_range(unsigned long va, unsigned long size)
{
	unsigned long flags;

	spin_lock_irqsave(&pgtable_lock, flags);
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		int level;
		pte_t *e = kernel_lookup(va + off, &level);

		if (e && level == 0)
			*e = 0;
	}
	spin_unlock_irqrestore(&pgtable_lock, flags);
	flush_tlb_kernel_range(va, va + size);
}

pte_t *kernel_pgd(void)
{
	return kernel_pml4;
}

phys_addr_t kernel_pgd_phys(void)
{
	return __pa(kernel_pml4);
}

static void flush_local_range(void *arg)
{
	unsigned long *r = arg;

	if (r[1] - r[0] > 64 * PAGE_SIZE) {
		write_cr4(read_cr4() & ~X86_CR4_PGE);	/* drops global entries too */
		write_cr4(read_cr4() | X86_CR4_PGE);
		return;
	}
	for (unsigned long va = r[0]; va < r[1]; va += PAGE_SIZE)
		invlpg(va);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long r[2] = { start & PAGE_MASK, end };

	flush_local_range(r);
	if (num_online_cpus() > 1)
		smp_call_function(flush_local_range, r, true);
}

void flush_tlb_all(void)
{
	flush_tlb_kernel_range(0, ~0UL);
}

static void map_image(void)
{
	unsigned long text = ALIGN_DOWN((unsigned long)_text, PAGE_SIZE);
	unsigned long etext = (unsigned long)_etext;
	unsigned long erodata = (unsigned long)_erodata;
	unsigned long end = ALIGN((unsigned long)_end, PAGE_SIZE);
	u64 nx = cpu_has_nx() ? 0 : _PAGE_NX;	/* NX is reserved without EFER.NXE */

	if (map_range_large(text, __pa(_text), etext - text, PAGE_KERNEL_EXEC) ||
	    map_range_large(etext, __pa(_etext), erodata - etext, PAGE_KERNEL_RO & ~nx) ||
	    map_range_large(erodata, __pa(_erodata), end - erodata, PAGE_KERNEL & ~nx))
		panic("paging: out of memory mapping the kernel image");
}

static void map_direct(void)
{
	u64 nx = cpu_has_nx() ? 0 : _PAGE_NX;
	u64 mapped = 0;

	/* the first megabyte holds firmware tables and the AP trampoline */
	if (map_range_large(PAGE_OFFSET, 0, SZ_1M, PAGE_KERNEL & ~nx))
		goto oom;
	for (int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mem_region *r = &boot_info.mmap[i];
		phys_addr_t start = ALIGN_DOWN(r->base, PAGE_SIZE);
		phys_addr_t end = ALIGN(r->base + r->size, PAGE_SIZE);

		if (r->type != BOOT_MEM_USABLE && r->type != BOOT_MEM_ACPI &&
		    r->type != BOOT_MEM_NVS)
			continue;
		if (start < SZ_1M)
			start = SZ_1M;
		if (end <= start)
			continue;
		if (map_range_large((unsigned long)__va(start), start, end - start,
				    PAGE_KERNEL & ~nx))
			goto oom;
		mapped += end - start;
	}
	pr_info("paging: direct map of %llu MB at %#lx\n", (mapped + SZ_1M) >> 20, PAGE_OFFSET);
	return;
oom:
	panic("paging: out of memory building the direct map");
}

void paging_init(void)
{
	if (!cpu_has_nx())
		supported_pte_mask &= ~_PAGE_NX;
	kernel_pml4 = alloc_table();
	if (!kernel_pml4)
		panic("paging: no memory for the kernel page tables");
	map_direct();
	map_image();
	write_cr3(__pa(kernel_pml4));
	flush_local_range((unsigned long[]){ 0, ~0UL });
}
