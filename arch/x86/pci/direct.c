// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration mechanism #1 of the PCI Local Bus specification: write the
 * address of a dword to port 0xcf8, then move the data through 0xcfc..0xcff.
 * The two steps must not interleave between CPUs, hence the lock.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/pci.h>
#include <lego/spinlock.h>
#include <asm/io.h>

#define PCI_CONF_ADDRESS	0xcf8
#define PCI_CONF_DATA		0xcfc
#define PCI_CONF_ENABLE		0x80000000u

static DEFINE_SPINLOCK(pci_conf_lock);

static u32 conf_address(u8 bus, u8 devfn, int where)
{
	return PCI_CONF_ENABLE | (u32)bus << 16 | (u32)devfn << 8 | (where & 0xfc);
}

static int direct_read(u16 seg, u8 bus, u8 devfn, int where, int size, u32 *val)
{
	u16 port = PCI_CONF_DATA + (where & 3);
	unsigned long flags;

	if (seg || where >= PCI_CFG_SPACE_SIZE)
		return -EINVAL;
	spin_lock_irqsave(&pci_conf_lock, flags);
	outl(conf_address(bus, devfn, where), PCI_CONF_ADDRESS);
	if (size == 1)
		*val = inb(port);
	else if (size == 2)
		*val = inw(port);
	else
		*val = inl(port);
	spin_unlock_irqrestore(&pci_conf_lock, flags);
	return 0;
}

static int direct_write(u16 seg, u8 bus, u8 devfn, int where, int size, u32 val)
{
	u16 port = PCI_CONF_DATA + (where & 3);
	unsigned long flags;

	if (seg || where >= PCI_CFG_SPACE_SIZE)
		return -EINVAL;
	spin_lock_irqsave(&pci_conf_lock, flags);
	outl(conf_address(bus, devfn, where), PCI_CONF_ADDRESS);
	if (size == 1)
		outb(val, port);
	else if (size == 2)
		outw(val, port);
	else
		outl(val, port);
	spin_unlock_irqrestore(&pci_conf_lock, flags);
	return 0;
}

static const struct pci_config_ops direct_ops = {
	.name = "ports 0xcf8/0xcfc",
	.read = direct_read,
	.write = direct_write,
};

/*
 * The address register of mechanism #1 is a full 32-bit latch that reads
 * back what was written; on a machine without it the port floats.
 */
static bool direct_present(void)
{
	unsigned long flags;
	u32 saved, probe;

	spin_lock_irqsave(&pci_conf_lock, flags);
	saved = inl(PCI_CONF_ADDRESS);
	outl(PCI_CONF_ENABLE, PCI_CONF_ADDRESS);
	probe = inl(PCI_CONF_ADDRESS);
	outl(saved, PCI_CONF_ADDRESS);
	spin_unlock_irqrestore(&pci_conf_lock, flags);
	return probe == PCI_CONF_ENABLE;
}

const struct pci_config_ops *pcibios_config_ops(void)
{
	static int present = -1;

	if (present < 0)
		present = direct_present();
	return present ? &direct_ops : NULL;
}
