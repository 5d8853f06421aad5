// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the Multiboot2 boot information: command line, loader name,
 * memory map, modules and the ACPI RSDP.
 */
#include <lego/kernel.h>
#include <lego/bootinfo.h>
#include <lego/printk.h>
#include <lego/string.h>
#include <lego/panic.h>
#include <asm/page.h>
#include <asm/multiboot2.h>

struct boot_info boot_info;

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_tag_module {
	u32 type, size;
	u32 mod_start, mod_end;
	char name[];
};

struct mb2_mmap_entry {
	u64 base;
	u64 len;
	u32 type;
	u32 reserved;
};

struct mb2_tag_mmap {
	u32 type, size;
	u32 entry_size, entry_version;
	struct mb2_mmap_entry entries[];
};

enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

static void parse_mmap(const struct mb2_tag_mmap *t)
{
	const u8 *p = (const u8 *)t->entries;
	const u8 *end = (const u8 *)t + t->size;

	if (t->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (; p + t->entry_size <= end; p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		struct boot_mem_region *r;

		if (boot_info.nr_mmap == BOOT_MAX_MMAP) {
			pr_warn("multiboot2: memory map truncated at %d entries\n",
				BOOT_MAX_MMAP);
			return;
		}
		r = &boot_info.mmap[boot_info.nr_mmap++];
		r->base = e->base;
		r->size = e->len;
		r->type = e->type <= BOOT_MEM_BAD ? e->type : BOOT_MEM_RESERVED;
	}
}

static void parse_module(const struct mb2_tag_module *t)
{
	struct boot_module *m;

	if (boot_info.nr_modules == BOOT_MAX_MODULES) {
		pr_warn("multiboot2: more than %d modules, ignoring %s\n",
			BOOT_MAX_MODULES, t->name);
		return;
	}
	m = &boot_info.modules[boot_info.nr_modules++];
	m->start = t->mod_start;
	m->end = t->mod_end;
	strlcpy(m->name, t->name, sizeof(m->name));
}

static void parse_tag(const struct mb2_tag *t)
{
	switch (t->type) {
	case MB2_TAG_CMDLINE:
		strlcpy(boot_info.cmdline, (const char *)(t + 1), sizeof(boot_info.cmdline));
		break;
	case MB2_TAG_LOADER:
		strlcpy(boot_info.loader, (const char *)(t + 1), sizeof(boot_info.loader));
		break;
	case MB2_TAG_MODULE:
		parse_module((const void *)t);
		break;
	case MB2_TAG_MMAP:
		parse_mmap((const void *)t);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		/* prefer the ACPI 2.0 RSDP when both are given */
		if (!boot_info.has_rsdp || t->type == MB2_TAG_ACPI_NEW) {
			size_t n = min((size_t)(t->size - 8), sizeof(boot_info.rsdp));

			memcpy(boot_info.rsdp, t + 1, n);
			boot_info.has_rsdp = true;
		}
		break;
	}
}

void multiboot2_parse(u32 magic, phys_addr_t info)
{
	const u8 *base = __va(info);
	u32 total = *(const u32 *)base;
	const u8 *p = base + 8;

	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not booted by a Multiboot2 loader (magic %#x)", magic);
	while (p + sizeof(struct mb2_tag) <= base + total) {
		const struct mb2_tag *t = (const void *)p;

		if (t->type == MB2_TAG_END || t->size < sizeof(*t))
			break;
		parse_tag(t);
		p += ALIGN(t->size, 8);
	}
}
