// SPDX-License-Identifier: GPL-2.0
/*
 * Enumeration: walk bus 0, every device and every function of a
 * multi-function device, and descend through PCI-to-PCI bridges into the
 * buses the firmware numbered behind them. Resources stay where the
 * firmware put them; BARs are only read and sized.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>
#include "pci.h"

LIST_HEAD(pci_devices);
int pci_nr_devices;

/* buses already scanned: a bridge misprogrammed into a loop stops here */
static u64 buses_seen[256 / 64];

static void scan_bus(u8 bus, struct pci_dev *bridge);

static u32 conf_read(u8 bus, u8 devfn, int where, int size)
{
	u32 v;

	pci_bus_read_config(0, bus, devfn, where, size, &v);
	return v;
}

/* Write all ones to a BAR register and see which address bits stick. */
static u32 probe_bar_reg(struct pci_dev *dev, int reg, u32 *orig)
{
	u32 mask;

	pci_read_config_dword(dev, reg, orig);
	pci_write_config_dword(dev, reg, ~0u);
	pci_read_config_dword(dev, reg, &mask);
	pci_write_config_dword(dev, reg, *orig);
	return mask;
}

/* Fill dev->bar[idx]; returns how many BAR slots it took (2 for 64-bit). */
static int size_bar(struct pci_dev *dev, int idx, int nr_bars)
{
	struct pci_bar *bar = &dev->bar[idx];
	int reg = PCI_BASE_ADDRESS_0 + idx * 4;
	u32 orig, mask, orig_hi = 0, mask_hi = 0;
	u64 addr_mask;
	int slots;

	mask = probe_bar_reg(dev, reg, &orig);
	if (orig & PCI_BASE_ADDRESS_SPACE_IO) {
		/* an I/O BAR may decode only 16 bits: the upper half reads 0 */
		addr_mask = mask & PCI_BASE_ADDRESS_IO_MASK;
		bar->flags = PCI_BAR_IO;
		bar->start = orig & PCI_BASE_ADDRESS_IO_MASK;
	} else {
		if ((orig & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64 &&
		    idx + 1 < nr_bars) {
			mask_hi = probe_bar_reg(dev, reg + 4, &orig_hi);
			bar->flags = PCI_BAR_MEM64;
		}
		if (orig & PCI_BASE_ADDRESS_MEM_PREFETCH)
			bar->flags |= PCI_BAR_PREFETCH;
		addr_mask = ((u64)mask_hi << 32) | (mask & PCI_BASE_ADDRESS_MEM_MASK);
		bar->start = ((u64)orig_hi << 32) | (orig & PCI_BASE_ADDRESS_MEM_MASK);
	}
	slots = bar->flags & PCI_BAR_MEM64 ? 2 : 1;
	/* the size is the lowest address bit the BAR lets software set */
	bar->size = addr_mask & -addr_mask;
	if (!bar->size)
		bar->flags = 0;
	return slots;
}

static void read_bars(struct pci_dev *dev, int nr_bars)
{
	u16 cmd, off = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;

	/*
	 * While a BAR holds all ones the device would decode a bogus range:
	 * keep decoding off during sizing. Not on a bridge, though: that would
	 * cut off everything behind it, perhaps the console.
	 */
	if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE)
		off = 0;
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	if (cmd & off)
		pci_write_config_word(dev, PCI_COMMAND, cmd & ~off);
	for (int i = 0; i < nr_bars; )
		i += size_bar(dev, i, nr_bars);
	if (cmd & off)
		pci_write_config_word(dev, PCI_COMMAND, cmd);
}

static void read_header(struct pci_dev *dev)
{
	u32 class_rev = conf_read(dev->bus, dev->devfn, PCI_CLASS_REVISION, 4);
	int nr_bars = 0;

	dev->class = class_rev >> 8;
	dev->revision = class_rev & 0xff;
	dev->hdr_type = conf_read(dev->bus, dev->devfn, PCI_HEADER_TYPE, 1) &
			PCI_HEADER_TYPE_MASK;
	pci_read_config_byte(dev, PCI_INTERRUPT_PIN, &dev->irq_pin);
	pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &dev->irq_line);
	if (dev->irq_pin > 4)
		dev->irq_pin = 0;

	switch (dev->hdr_type) {
	case PCI_HEADER_TYPE_NORMAL:
		nr_bars = 6;
		pci_read_config_word(dev, PCI_SUBSYSTEM_VENDOR_ID, &dev->subsystem_vendor);
		pci_read_config_word(dev, PCI_SUBSYSTEM_ID, &dev->subsystem_device);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		nr_bars = 2;
		pci_read_config_byte(dev, PCI_SECONDARY_BUS, &dev->secondary_bus);
		pci_read_config_byte(dev, PCI_SUBORDINATE_BUS, &dev->subordinate_bus);
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		nr_bars = 1;
		pci_read_config_word(dev, PCI_CB_SUBSYSTEM_VENDOR_ID, &dev->subsystem_vendor);
		pci_read_config_word(dev, PCI_CB_SUBSYSTEM_ID, &dev->subsystem_device);
		break;
	}
	/* host bridges are left alone: moving a chipset window, even briefly, is unsafe */
	if (nr_bars && (dev->class >> 8) != PCI_CLASS_BRIDGE_HOST)
		read_bars(dev, nr_bars);

	dev->msi_cap = pci_find_capability(dev, PCI_CAP_ID_MSI);
	dev->msix_cap = pci_find_capability(dev, PCI_CAP_ID_MSIX);
	dev->pcie_cap = pci_find_capability(dev, PCI_CAP_ID_EXP);
}

static void print_bar(const struct pci_dev *dev, int i)
{
	const struct pci_bar *bar = &dev->bar[i];

	if (!bar->size)
		return;
	if (bar->flags & PCI_BAR_IO) {
		pr_info("  BAR%d: io %#llx-%#llx\n", i, bar->start, bar->start + bar->size - 1);
		return;
	}
	pr_info("  BAR%d: mem %#llx-%#llx %s%s%s\n", i, bar->start,
		bar->start + bar->size - 1, bar->flags & PCI_BAR_MEM64 ? "64-bit" : "32-bit",
		bar->flags & PCI_BAR_PREFETCH ? " prefetchable" : "",
		bar->start ? "" : " (unassigned)");
}

/* "  irq: INTA line 11; caps: msi-x(5) msi pcie", each half only if present */
static void print_irq_caps(const struct pci_dev *dev)
{
	char irq[24] = "", caps[48] = "";
	int n = 0;

	if (dev->irq_pin)
		scnprintf(irq, sizeof(irq), "irq: INT%c line %u", 'A' + dev->irq_pin - 1,
			  dev->irq_line);
	if (dev->msix_cap) {
		u16 flags;

		pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &flags);
		n += scnprintf(caps + n, sizeof(caps) - n, " msi-x(%u)",
			       (flags & PCI_MSIX_FLAGS_QSIZE) + 1);
	}
	if (dev->msi_cap)
		n += scnprintf(caps + n, sizeof(caps) - n, " msi");
	if (dev->pcie_cap)
		n += scnprintf(caps + n, sizeof(caps) - n, " pcie");
	if (irq[0] || n)
		pr_info("  %s%s%s%s\n", irq, irq[0] && n ? "; " : "", n ? "caps:" : "", caps);
}

static void print_device(const struct pci_dev *dev)
{
	pr_info("pci %04x:%02x:%02x.%x %04x:%04x class %06x %s\n", dev->segment, dev->bus,
		PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn), dev->vendor, dev->device,
		dev->class, pci_dev_description(dev));
	for (int i = 0; i < PCI_NUM_BARS; i++)
		print_bar(dev, i);
	print_irq_caps(dev);
}

static struct pci_dev *scan_function(u8 bus, u8 devfn, struct pci_dev *bridge)
{
	u32 id = conf_read(bus, devfn, PCI_VENDOR_ID, 4);
	struct pci_dev *dev;

	/* an absent function reads all ones; some bridges answer zero */
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return NULL;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		pr_err("pci: out of memory at %02x:%02x.%x\n", bus, PCI_SLOT(devfn),
		       PCI_FUNC(devfn));
		return NULL;
	}
	dev->bus = bus;
	dev->devfn = devfn;
	dev->bridge = bridge;
	dev->vendor = id & 0xffff;
	dev->device = id >> 16;
	read_header(dev);
	list_add_tail(&dev->node, &pci_devices);
	pci_nr_devices++;
	print_device(dev);

	if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE) {
		/* the firmware numbered the buses; an unnumbered bridge is skipped */
		if (dev->secondary_bus > bus && dev->subordinate_bus >= dev->secondary_bus)
			scan_bus(dev->secondary_bus, dev);
		else
			pr_warn("pci: bridge %02x:%02x.%x has no bus number; not scanned\n",
				bus, PCI_SLOT(devfn), PCI_FUNC(devfn));
	}
	return dev;
}

static void scan_slot(u8 bus, int slot, struct pci_dev *bridge)
{
	u8 hdr;

	/* function 0 must exist; it says whether the others may */
	if (!scan_function(bus, PCI_DEVFN(slot, 0), bridge))
		return;
	hdr = conf_read(bus, PCI_DEVFN(slot, 0), PCI_HEADER_TYPE, 1);
	if (!(hdr & PCI_HEADER_TYPE_MFD))
		return;
	for (int fn = 1; fn < 8; fn++)
		scan_function(bus, PCI_DEVFN(slot, fn), bridge);
}

static void scan_bus(u8 bus, struct pci_dev *bridge)
{
	if (buses_seen[bus / 64] & (1ULL << (bus % 64))) {
		pr_warn("pci: bus %02x reached twice; bridge numbering is broken\n", bus);
		return;
	}
	buses_seen[bus / 64] |= 1ULL << (bus % 64);
	for (int slot = 0; slot < 32; slot++)
		scan_slot(bus, slot, bridge);
}

void pci_scan_all(void)
{
	scan_bus(0, NULL);
	pr_info("pci: %d devices\n", pci_nr_devices);
}

const char *pci_name(const struct pci_dev *dev, char *buf)
{
	scnprintf(buf, 13, "%04x:%02x:%02x.%x", dev->segment, dev->bus, PCI_SLOT(dev->devfn),
		  PCI_FUNC(dev->devfn));
	return buf;
}

struct pci_dev *pci_get_next(struct pci_dev *from)
{
	struct list_head *next = from ? from->node.next : pci_devices.next;

	return next == &pci_devices ? NULL : list_entry(next, struct pci_dev, node);
}

struct pci_dev *pci_get_device(u32 vendor, u32 device, struct pci_dev *from)
{
	struct pci_dev *dev = from;

	while ((dev = pci_get_next(dev)))
		if ((vendor == PCI_ANY_ID || vendor == dev->vendor) &&
		    (device == PCI_ANY_ID || device == dev->device))
			return dev;
	return NULL;
}

struct pci_dev *pci_get_slot(u8 bus, u8 devfn)
{
	struct pci_dev *dev = NULL;

	while ((dev = pci_get_next(dev)))
		if (dev->bus == bus && dev->devfn == devfn)
			return dev;
	return NULL;
}
