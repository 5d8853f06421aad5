// SPDX-License-Identifier: GPL-2.0
/*
 * ECAM, the PCI Express enhanced configuration access mechanism: each
 * function's 4 KB of configuration space sits in memory at
 * base + (bus << 20 | device << 15 | function << 12). The ACPI MCFG table
 * gives the base per segment and bus range; its address is that of bus 0
 * even when the range starts higher.
 *
 * A whole segment is 256 MB of address space, so buses are mapped one
 * megabyte at a time, the first time something touches them.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <asm/io.h>
#include "pci.h"

#define ECAM_MAX_REGIONS	8
#define ECAM_BUS_SIZE		SZ_1M

/* MCFG: the ACPI header, 8 reserved bytes, then one of these per range. */
#define MCFG_ENTRIES		(sizeof(struct acpi_table_header) + 8)

struct mcfg_entry {
	u64 base;
	u16 segment;
	u8 start_bus;
	u8 end_bus;
	u32 reserved;
} __packed;

struct ecam_region {
	phys_addr_t base;	/* address of bus 0 of the segment */
	u16 segment;
	u8 start_bus;
	u8 end_bus;
	void **bus_map;		/* per bus in the range, NULL until mapped */
};

static struct ecam_region regions[ECAM_MAX_REGIONS];
static int nr_regions;
static DEFINE_SPINLOCK(ecam_lock);

static struct ecam_region *find_region(u16 seg, u8 bus)
{
	for (int i = 0; i < nr_regions; i++) {
		struct ecam_region *r = &regions[i];

		if (r->segment == seg && bus >= r->start_bus && bus <= r->end_bus)
			return r;
	}
	return NULL;
}

static void *bus_base(u16 seg, u8 bus)
{
	struct ecam_region *r = find_region(seg, bus);
	unsigned long flags;
	void **slot;
	void *va;

	if (!r)
		return NULL;
	slot = &r->bus_map[bus - r->start_bus];
	va = READ_ONCE(*slot);
	if (va)
		return va;

	spin_lock_irqsave(&ecam_lock, flags);
	va = *slot;
	if (!va) {
		va = ioremap(r->base + ((phys_addr_t)bus << 20), ECAM_BUS_SIZE);
		WRITE_ONCE(*slot, va);
	}
	spin_unlock_irqrestore(&ecam_lock, flags);
	return va;
}

static int ecam_read(u16 seg, u8 bus, u8 devfn, int where, int size, u32 *val)
{
	void *base = bus_base(seg, bus);
	void *p;

	if (!base)
		return -ENODEV;
	p = base + ((unsigned long)devfn << 12) + where;
	if (size == 1)
		*val = readb(p);
	else if (size == 2)
		*val = readw(p);
	else
		*val = readl(p);
	return 0;
}

static int ecam_write(u16 seg, u8 bus, u8 devfn, int where, int size, u32 val)
{
	void *base = bus_base(seg, bus);
	void *p;

	if (!base)
		return -ENODEV;
	p = base + ((unsigned long)devfn << 12) + where;
	if (size == 1)
		writeb(val, p);
	else if (size == 2)
		writew(val, p);
	else
		writel(val, p);
	return 0;
}

static const struct pci_config_ops ecam_ops = {
	.name = "ECAM",
	.read = ecam_read,
	.write = ecam_write,
};

static int add_region(const struct mcfg_entry *e)
{
	struct ecam_region *r;

	if (e->end_bus < e->start_bus || !e->base) {
		pr_warn("pci: ignoring bad MCFG entry (segment %u, buses %02x-%02x)\n",
			e->segment, e->start_bus, e->end_bus);
		return -EINVAL;
	}
	if (nr_regions == ECAM_MAX_REGIONS)
		return -ENOSPC;
	r = &regions[nr_regions];
	r->bus_map = kcalloc(e->end_bus - e->start_bus + 1, sizeof(void *), GFP_KERNEL);
	if (!r->bus_map)
		return -ENOMEM;
	r->base = e->base;
	r->segment = e->segment;
	r->start_bus = e->start_bus;
	r->end_bus = e->end_bus;
	nr_regions++;
	pr_info("pci: ECAM at %#llx for segment %04x buses %02x-%02x\n",
		e->base + ((u64)e->start_bus << 20), e->segment, e->start_bus, e->end_bus);
	return 0;
}

/*
 * Firmware has been known to describe windows that do not decode: compare
 * what ECAM and the legacy mechanism say about the host bridge.
 */
static bool ecam_agrees(void)
{
	const struct pci_config_ops *legacy = pcibios_config_ops();
	u32 a, b;

	if (!legacy || !find_region(0, 0))
		return true;
	if (legacy->read(0, 0, 0, PCI_VENDOR_ID, 4, &a) || ecam_read(0, 0, 0, PCI_VENDOR_ID, 4, &b))
		return false;
	return a == b;
}

static void free_regions(void)
{
	for (int i = 0; i < nr_regions; i++) {
		struct ecam_region *r = &regions[i];

		for (int b = 0; b <= r->end_bus - r->start_bus; b++)
			if (r->bus_map[b])
				iounmap(r->bus_map[b]);
		kfree(r->bus_map);
	}
	nr_regions = 0;
}

const struct pci_config_ops *pci_ecam_init(void)
{
	const struct acpi_table_header *hdr = acpi_find_table("MCFG");
	const u8 *mcfg = (const u8 *)hdr;
	u32 len;

	if (!hdr) {
		pr_info("pci: no ACPI MCFG table; extended configuration space unavailable\n");
		return NULL;
	}
	len = hdr->length;
	for (u32 off = MCFG_ENTRIES; off + sizeof(struct mcfg_entry) <= len;
	     off += sizeof(struct mcfg_entry)) {
		struct mcfg_entry e;

		memcpy(&e, mcfg + off, sizeof(e));
		add_region(&e);
	}
	if (!nr_regions)
		return NULL;
	if (!ecam_agrees()) {
		pr_warn("pci: ECAM disagrees with legacy configuration access; not using it\n");
		free_regions();
		return NULL;
	}
	return &ecam_ops;
}
