// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO mappings. Device registers must not be cached (UC), frame-buffer
 * like memory may combine writes (WC); the direct map is write-back, so
 * devices get their own mappings in the ioremap window.
 */
#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/spinlock.h>
#include <asm/io.h>
#include <asm/pgtable.h>

static unsigned long ioremap_next = IOREMAP_START;
static DEFINE_SPINLOCK(ioremap_lock);

static void *ioremap_prot(phys_addr_t phys, unsigned long size, u64 prot)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	unsigned long len = ALIGN(phys + size, PAGE_SIZE) - base;
	unsigned long va;

	if (!size)
		return NULL;
	/*
	 * Virtual space is handed out once and never reused: devices are
	 * mapped at probe time and the window is far larger than all BARs.
	 */
	spin_lock(&ioremap_lock);
	va = ioremap_next;
	if (va + len > IOREMAP_END || va + len < va) {
		spin_unlock(&ioremap_lock);
		pr_err("ioremap: window exhausted mapping %#llx+%#lx\n", phys, size);
		return NULL;
	}
	ioremap_next += len + PAGE_SIZE;	/* a guard page between mappings */
	spin_unlock(&ioremap_lock);

	if (kernel_map_range(va, base, len, prot)) {
		pr_err("ioremap: cannot map %#llx+%#lx\n", phys, size);
		return NULL;
	}
	return (void *)(va + (phys - base));
}

void *ioremap(phys_addr_t phys, unsigned long size)
{
	return ioremap_prot(phys, size, PAGE_KERNEL_UC);
}

void *ioremap_wc(phys_addr_t phys, unsigned long size)
{
	return ioremap_prot(phys, size, PAGE_KERNEL_WC);
}

/* Firmware tables in memory the direct map leaves out: cacheable, read-only. */
void *ioremap_cache_ro(phys_addr_t phys, unsigned long size)
{
	return ioremap_prot(phys, size, PAGE_KERNEL_RO);
}

void iounmap(void *addr)
{
	unsigned long va = ALIGN_DOWN((unsigned long)addr, PAGE_SIZE);
	unsigned long end = va;
	int level;

	if (va < IOREMAP_START || va >= IOREMAP_END)
		return;
	/* the guard page after each mapping marks its end */
	while (kernel_lookup(end, &level))
		end += PAGE_SIZE;
	kernel_unmap_range(va, end - va);
}
