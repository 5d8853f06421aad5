// SPDX-License-Identifier: GPL-2.0
/*
 * Architecture set-up on the boot CPU: describe physical memory to the
 * early allocator, protect what must survive (kernel, boot modules), and
 * build the final page tables.
 */
#include <lego/kernel.h>
#include <lego/bootinfo.h>
#include <lego/init.h>
#include <lego/memblock.h>
#include <lego/printk.h>
#include <asm/page.h>
#include <asm/pgtable.h>

extern char _kernel_phys_start[], _end[];

static const char *mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE: return "usable";
	case BOOT_MEM_ACPI: return "ACPI data";
	case BOOT_MEM_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "bad";
	default: return "reserved";
	}
}

static void register_memory(void)
{
	for (int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mem_region *r = &boot_info.mmap[i];

		pr_info("mem: [%#014llx-%#014llx] %s\n", r->base,
			r->base + r->size - 1, mem_type_name(r->type));
		if (r->type == BOOT_MEM_USABLE)
			memblock_add(r->base, r->size);
	}
}

static void reserve_boot_memory(void)
{
	/* BIOS data, firmware tables and the AP trampoline live below 1 MB */
	memblock_reserve(0, SZ_1M);
	memblock_reserve((phys_addr_t)_kernel_phys_start,
			 __pa(_end) - (phys_addr_t)_kernel_phys_start);
	for (int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		pr_info("boot: module %s at [%#llx-%#llx] (%llu KB)\n", m->name,
			m->start, m->end - 1, (m->end - m->start) >> 10);
		memblock_reserve(m->start, m->end - m->start);
	}
}

void setup_arch(void)
{
	if (boot_info.loader[0])
		pr_info("boot: loaded by %s\n", boot_info.loader);
	register_memory();
	reserve_boot_memory();
	paging_init();
}
