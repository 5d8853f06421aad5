// SPDX-License-Identifier: GPL-2.0
/*
 * The processor manager keeps remote memory in a cache of local DRAM. It is
 * carved out before the page allocator starts, so that it is one physically
 * contiguous region the allocator never sees.
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/excache.h>
#include <lego/init.h>
#include <lego/memblock.h>
#include <lego/printk.h>

struct excache_region excache_region;

static u64 excache_requested_size(void)
{
	u64 size = (u64)CONFIG_EXCACHE_SIZE_MB << 20;
	const char *opt = cmdline_get("excache");
	int err;

	if (!opt)
		return size;
	err = cmdline_get_size("excache", &size);
	if (err || size < SZ_2M) {
		pr_err("excache: bad size '%s' (want e.g. excache=64M, at least 2M); using %d MB\n",
		       opt, CONFIG_EXCACHE_SIZE_MB);
		return (u64)CONFIG_EXCACHE_SIZE_MB << 20;
	}
	return ALIGN(size, SZ_2M);
}

void manager_reserve_memory(void)
{
	u64 size = excache_requested_size();
	phys_addr_t base;

	/* 2 MB alignment lets the region be mapped with large pages */
	base = memblock_alloc_range(size, SZ_2M, 0, memblock_end_of_ram());
	while (!base && size > SZ_2M) {
		pr_err("excache: cannot reserve %llu MB of contiguous memory\n", size >> 20);
		size = ALIGN(size / 2, SZ_2M);
		base = memblock_alloc_range(size, SZ_2M, 0, memblock_end_of_ram());
	}
	if (!base) {
		pr_err("excache: no memory for the ExCache\n");
		return;
	}
	excache_region.base = base;
	excache_region.size = size;
	pr_info("excache: reserved %llu MB at [%#llx-%#llx]\n", size >> 20, base,
		base + size - 1);
}
