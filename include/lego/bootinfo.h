/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_BOOTINFO_H
#define _LEGO_BOOTINFO_H

#include <lego/types.h>
#include <lego/cmdline.h>

#define BOOT_MAX_MODULES	16
#define BOOT_MAX_MMAP		128

/* A file the boot loader loaded beside the kernel (GRUB module2). */
struct boot_module {
	phys_addr_t start;
	phys_addr_t end;
	char name[128];
};

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
	phys_addr_t base;
	u64 size;
	u32 type;
};

/*
 * What the boot loader told us, copied out of its data structures early
 * so that their memory can be reused.
 */
struct boot_info {
	char cmdline[CMDLINE_MAX];
	char loader[64];
	int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	int nr_mmap;
	struct boot_mem_region mmap[BOOT_MAX_MMAP];
	u8 rsdp[36];		/* copy of the ACPI RSDP (v1 or v2) */
	bool has_rsdp;
};

extern struct boot_info boot_info;

#endif
