// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration space access. The first 256 bytes of every function go
 * through the architecture's own mechanism (I/O ports on x86), which every
 * PC has; the PCI Express extended space (256..4095) is reachable only
 * through the memory-mapped ECAM windows that the ACPI MCFG table lists.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include "pci.h"

static const struct pci_config_ops *legacy_ops;
static const struct pci_config_ops *ecam_ops;

void pci_config_init(void)
{
	legacy_ops = pcibios_config_ops();
	ecam_ops = pci_ecam_init();
	if (legacy_ops)
		pr_info("pci: configuration access through %s%s%s\n", legacy_ops->name,
			ecam_ops ? ", extended space through " : "",
			ecam_ops ? ecam_ops->name : "");
	else if (ecam_ops)
		pr_info("pci: configuration access through %s\n", ecam_ops->name);
	else
		pr_warn("pci: no configuration access mechanism\n");
}

bool pci_have_ext_config(void)
{
	return ecam_ops != NULL;
}

const struct pci_config_ops *pci_legacy_config_ops(void)
{
	return legacy_ops;
}

const struct pci_config_ops *pci_ecam_config_ops(void)
{
	return ecam_ops;
}

static const struct pci_config_ops *ops_for(u16 seg, int where)
{
	/* the port mechanism knows only segment 0 and the first 256 bytes */
	if (seg == 0 && where < PCI_CFG_SPACE_SIZE && legacy_ops)
		return legacy_ops;
	return ecam_ops;
}

static bool access_ok(int where, int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	return where >= 0 && where + size <= PCI_CFG_SPACE_EXP_SIZE &&
	       !(where & (size - 1));
}

int pci_bus_read_config(u16 seg, u8 bus, u8 devfn, int where, int size, u32 *val)
{
	const struct pci_config_ops *ops = ops_for(seg, where);

	/* all ones is also what a read from an absent function returns */
	*val = size == 4 ? ~0u : (1u << (size * 8)) - 1;
	if (!access_ok(where, size))
		return -EINVAL;
	if (!ops)
		return -ENODEV;
	return ops->read(seg, bus, devfn, where, size, val);
}

int pci_bus_write_config(u16 seg, u8 bus, u8 devfn, int where, int size, u32 val)
{
	const struct pci_config_ops *ops = ops_for(seg, where);

	if (!access_ok(where, size))
		return -EINVAL;
	if (!ops)
		return -ENODEV;
	return ops->write(seg, bus, devfn, where, size, val);
}

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int ret = pci_bus_read_config(dev->segment, dev->bus, dev->devfn, where, 1, &v);

	*val = v;
	return ret;
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int ret = pci_bus_read_config(dev->segment, dev->bus, dev->devfn, where, 2, &v);

	*val = v;
	return ret;
}

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return pci_bus_read_config(dev->segment, dev->bus, dev->devfn, where, 4, val);
}

int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return pci_bus_write_config(dev->segment, dev->bus, dev->devfn, where, 1, val);
}

int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return pci_bus_write_config(dev->segment, dev->bus, dev->devfn, where, 2, val);
}

int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return pci_bus_write_config(dev->segment, dev->bus, dev->devfn, where, 4, val);
}

u8 pci_find_capability(const struct pci_dev *dev, u8 cap)
{
	u16 status;
	u8 pos, id;
	/* a list is at most (256 - 64) / 4 entries long; more means a loop */
	int ttl = 48;

	pci_read_config_word(dev, PCI_STATUS, &status);
	if (status == 0xffff || !(status & PCI_STATUS_CAP_LIST))
		return 0;
	pci_read_config_byte(dev, PCI_CAPABILITY_LIST, &pos);
	while (ttl-- > 0) {
		pos &= ~3;
		if (pos < 0x40)
			break;
		pci_read_config_byte(dev, pos + PCI_CAP_LIST_ID, &id);
		if (id == 0xff)
			break;
		if (id == cap)
			return pos;
		pci_read_config_byte(dev, pos + PCI_CAP_LIST_NEXT, &pos);
	}
	return 0;
}

u16 pci_find_ext_capability(const struct pci_dev *dev, u16 cap)
{
	int pos = PCI_CFG_SPACE_SIZE;
	int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	u32 header;

	if (!dev->pcie_cap || !pci_have_ext_config())
		return 0;
	while (ttl-- > 0) {
		if (pci_read_config_dword(dev, pos, &header) || !header || header == ~0u)
			return 0;
		if (PCI_EXT_CAP_ID(header) == cap)
			return pos;
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			return 0;
	}
	return 0;
}
