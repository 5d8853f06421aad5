// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI table discovery: validate the RSDP, walk the XSDT (or RSDT), map
 * and checksum every table it lists, and keep them for acpi_find_table().
 * Firmware data is never trusted: a table with a bad length or checksum is
 * reported and skipped, and a missing RSDP leaves the kernel on one CPU.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/bootinfo.h>
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/string.h>
#include <asm/io.h>
#include <asm/page.h>

#define ACPI_MAX_TABLES		64
/* Far larger than any real table; stops a corrupt length from mapping GBs. */
#define ACPI_MAX_TABLE_LEN	(16U << 20)

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* first 20 bytes */
	char oem_id[6];
	u8 revision;		/* 0: ACPI 1.0; 2 and up: the fields below exist */
	u32 rsdt_address;
	u32 length;
	u64 xsdt_address;
	u8 ext_checksum;	/* whole structure */
	u8 reserved[3];
} __packed;

struct acpi_table {
	char sig[4];
	phys_addr_t pa;
	const struct acpi_table_header *hdr;
};

static struct acpi_table tables[ACPI_MAX_TABLES];
static int nr_tables;

bool acpi_checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	for (u32 i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/*
 * Physical ranges inside the direct map (the first megabyte, usable RAM,
 * ACPI data and NVS) are reached through it; QEMU and many firmwares put
 * tables in "reserved" memory, which needs a mapping of its own.
 */
static bool in_direct_map(phys_addr_t pa, u64 len)
{
	if (pa + len <= SZ_1M)
		return true;
	for (int i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mem_region *r = &boot_info.mmap[i];

		if (r->type != BOOT_MEM_USABLE && r->type != BOOT_MEM_ACPI &&
		    r->type != BOOT_MEM_NVS)
			continue;
		if (pa >= r->base && pa + len <= r->base + r->size)
			return true;
	}
	return false;
}

static const void *acpi_map(phys_addr_t pa, u32 len)
{
	if (pa + len < pa)
		return NULL;
	if (in_direct_map(pa, len))
		return __va(pa);
	return ioremap_cache_ro(pa, len);
}

static void acpi_unmap(const void *va)
{
	if ((unsigned long)va >= IOREMAP_START && (unsigned long)va < IOREMAP_END)
		iounmap((void *)va);
}

static void sanitize(char *dst, const char *src, int n)
{
	for (int i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[n] = '\0';
}

/*
 * Map the table at pa, check it and remember it. Returns 0, or a negative
 * error after reporting why the table is unusable.
 */
int acpi_register_table(phys_addr_t pa, const char *expect_sig)
{
	const struct acpi_table_header *hdr, *full;
	char sig[5], oem[7], oem_table[9];
	u32 len;

	if (!pa)
		return -EINVAL;
	hdr = acpi_map(pa, sizeof(*hdr));
	if (!hdr) {
		pr_err("acpi: cannot map table header at %#llx\n", pa);
		return -ENOMEM;
	}
	len = hdr->length;
	sanitize(sig, hdr->signature, 4);
	acpi_unmap(hdr);

	if (expect_sig && memcmp(sig, expect_sig, 4)) {
		pr_err("acpi: table at %#llx is '%s', expected %.4s: ignored\n",
		       pa, sig, expect_sig);
		return -EINVAL;
	}
	if (len < sizeof(*hdr) || len > ACPI_MAX_TABLE_LEN) {
		pr_err("acpi: %s at %#llx has a bad length %u: ignored\n", sig, pa, len);
		return -EINVAL;
	}
	full = acpi_map(pa, len);
	if (!full) {
		pr_err("acpi: cannot map %s at %#llx len %u\n", sig, pa, len);
		return -ENOMEM;
	}
	sanitize(oem, full->oem_id, 6);
	sanitize(oem_table, full->oem_table_id, 8);
	if (!acpi_checksum_ok(full, len)) {
		pr_err("acpi: %s at %#llx len %u: bad checksum, ignored\n", sig, pa, len);
		acpi_unmap(full);
		return -EINVAL;
	}
	if (nr_tables == ACPI_MAX_TABLES) {
		pr_warn("acpi: more than %d tables: %s ignored\n", ACPI_MAX_TABLES, sig);
		acpi_unmap(full);
		return -ENOSPC;
	}
	pr_info("acpi: %s at %#llx len %u rev %u (%s %s)\n", sig, pa, len,
		full->revision, oem, oem_table);
	memcpy(tables[nr_tables].sig, full->signature, 4);
	tables[nr_tables].pa = pa;
	tables[nr_tables].hdr = full;
	nr_tables++;
	return 0;
}

const void *acpi_get_table(const char *sig, int n)
{
	for (int i = 0; i < nr_tables; i++)
		if (!memcmp(tables[i].sig, sig, 4) && n-- == 0)
			return tables[i].hdr;
	return NULL;
}

const void *acpi_find_table(const char *sig)
{
	return acpi_get_table(sig, 0);
}

static bool rsdp_valid(const struct acpi_rsdp *r, bool *use_xsdt)
{
	if (memcmp(r->signature, "RSD PTR ", 8) || !acpi_checksum_ok(r, 20))
		return false;
	*use_xsdt = false;
	if (r->revision >= 2 && r->xsdt_address) {
		/* boot_info holds 36 bytes: a longer RSDP cannot be checked */
		if (r->length == sizeof(*r) && acpi_checksum_ok(r, sizeof(*r)))
			*use_xsdt = true;
		else
			pr_warn("acpi: RSDP extended checksum or length bad: using the RSDT\n");
	}
	return true;
}

/* Without a Multiboot2 RSDP tag, search where BIOSes put it (ACPI 5.2.5.1). */
static bool scan_for_rsdp(struct acpi_rsdp *out)
{
	phys_addr_t ebda = (phys_addr_t)(*(const u16 *)__va(0x40e)) << 4;
	struct { phys_addr_t start, len; } areas[] = {
		{ ebda, 1024 },
		{ 0xe0000, 0x20000 },
	};

	for (unsigned int a = 0; a < ARRAY_SIZE(areas); a++) {
		phys_addr_t start = areas[a].start, end = start + areas[a].len;

		if (start < 0x400 || end > SZ_1M)
			continue;
		for (phys_addr_t pa = start; pa + sizeof(*out) <= end; pa += 16) {
			const u8 *p = __va(pa);
			bool xsdt;

			if (memcmp(p, "RSD PTR ", 8))
				continue;
			memcpy(out, p, sizeof(*out));
			if (rsdp_valid(out, &xsdt))
				return true;
		}
	}
	return false;
}

static void walk_root_table(phys_addr_t pa, bool xsdt)
{
	const struct acpi_table_header *root;
	unsigned int entry_size = xsdt ? 8 : 4;
	const u8 *p;
	u32 n;

	if (acpi_register_table(pa, xsdt ? "XSDT" : "RSDT"))
		return;
	root = tables[nr_tables - 1].hdr;
	n = (root->length - sizeof(*root)) / entry_size;
	p = (const u8 *)(root + 1);
	for (u32 i = 0; i < n; i++) {
		u64 addr = 0;

		/* entries are packed: an XSDT's 64-bit ones are misaligned */
		memcpy(&addr, p + i * entry_size, entry_size);
		if (addr)
			acpi_register_table(addr, NULL);
	}
}

int acpi_init(void)
{
	struct acpi_rsdp rsdp;
	const struct acpi_table_header *t;
	bool xsdt = false;
	char oem[7];

	BUILD_BUG_ON(sizeof(rsdp) != 36 || sizeof(boot_info.rsdp) < sizeof(rsdp));
	if (!cmdline_get_bool("acpi", true)) {
		pr_warn("acpi: disabled by acpi=off: one CPU, no IOAPIC, no power off\n");
		return -ENODEV;
	}
	memcpy(&rsdp, boot_info.rsdp, sizeof(rsdp));
	if (!boot_info.has_rsdp || !rsdp_valid(&rsdp, &xsdt)) {
		if (boot_info.has_rsdp)
			pr_err("acpi: the boot loader's RSDP is invalid\n");
		if (!scan_for_rsdp(&rsdp)) {
			pr_err("acpi: no RSDP: no ACPI tables, one CPU, no IOAPIC\n");
			return -ENODEV;
		}
		rsdp_valid(&rsdp, &xsdt);
	}
	sanitize(oem, rsdp.oem_id, 6);
	pr_info("acpi: RSDP rev %u (%s), %s at %#llx\n", rsdp.revision, oem,
		xsdt ? "XSDT" : "RSDT",
		xsdt ? rsdp.xsdt_address : (u64)rsdp.rsdt_address);
	walk_root_table(xsdt ? rsdp.xsdt_address : rsdp.rsdt_address, xsdt);

	t = acpi_find_table("APIC");
	if (!t || acpi_parse_madt(t, t->length, &acpi_madt))
		pr_err("acpi: no usable MADT: one CPU, no IOAPIC\n");
	else
		acpi_report_madt();
	t = acpi_find_table("FACP");
	if (t)
		acpi_fadt_init(t, t->length);
	else
		pr_warn("acpi: no FADT: power off is not available\n");
	return 0;
}
