// SPDX-License-Identifier: GPL-2.0
/*
 * Human names for the boot listing: the devices QEMU's q35 and i440fx
 * machines and our NIC drivers meet, then a name for the class.
 */
#include <lego/kernel.h>
#include "pci.h"

struct pci_name_entry {
	u16 vendor;
	u16 device;
	const char *name;
};

static const struct pci_name_entry device_names[] = {
	/* chipsets */
	{ 0x8086, 0x29c0, "Intel Q35 host bridge (q35)" },
	{ 0x8086, 0x2918, "Intel ICH9 LPC/ISA bridge" },
	{ 0x8086, 0x2922, "Intel ICH9 SATA controller (AHCI)" },
	{ 0x8086, 0x2930, "Intel ICH9 SMBus controller" },
	{ 0x8086, 0x1237, "Intel 440FX host bridge (i440fx)" },
	{ 0x8086, 0x7000, "Intel PIIX3 ISA bridge" },
	{ 0x8086, 0x7010, "Intel PIIX3 IDE controller" },
	{ 0x8086, 0x7020, "Intel PIIX3 USB controller" },
	{ 0x8086, 0x7113, "Intel PIIX4 ACPI/SMBus" },
	/* network */
	{ 0x8086, 0x100e, "Intel 82540EM Gigabit Ethernet (e1000)" },
	{ 0x8086, 0x100f, "Intel 82545EM Gigabit Ethernet (e1000)" },
	{ 0x8086, 0x1004, "Intel 82543GC Gigabit Ethernet (e1000)" },
	{ 0x8086, 0x10d3, "Intel 82574L Gigabit Ethernet (e1000e)" },
	{ 0x8086, 0x10c9, "Intel 82576 Gigabit Ethernet (igb)" },
	{ 0x1af4, 0x1000, "virtio network (legacy)" },
	{ 0x1af4, 0x1041, "virtio network (modern)" },
	/* storage and the rest of virtio */
	{ 0x1af4, 0x1001, "virtio block (legacy)" },
	{ 0x1af4, 0x1042, "virtio block (modern)" },
	{ 0x1af4, 0x1003, "virtio console (legacy)" },
	{ 0x1af4, 0x1043, "virtio console (modern)" },
	{ 0x1af4, 0x1005, "virtio entropy (legacy)" },
	{ 0x1af4, 0x1044, "virtio entropy (modern)" },
	{ 0x1af4, 0x1110, "QEMU inter-VM shared memory" },
	{ 0x1b36, 0x0001, "QEMU PCI-to-PCI bridge" },
	{ 0x1b36, 0x000e, "QEMU PCIe-to-PCI bridge" },
	{ 0x1b36, 0x000c, "QEMU PCIe root port" },
	{ 0x1b36, 0x000d, "QEMU XHCI USB controller" },
	{ 0x1b36, 0x0010, "QEMU NVM Express controller" },
	/* display */
	{ 0x1234, 0x1111, "QEMU standard VGA" },
	{ 0x1013, 0x00b8, "Cirrus CLGD 5446 VGA" },
	{ 0x1b36, 0x0100, "QXL paravirtual graphics" },
	{ 0x15ad, 0x0405, "VMware SVGA II" },
};

struct pci_class_name {
	u16 class;		/* base class << 8 | sub-class */
	const char *name;
};

static const struct pci_class_name class_names[] = {
	{ 0x0100, "SCSI controller" },
	{ 0x0101, "IDE controller" },
	{ 0x0106, "SATA controller" },
	{ 0x0108, "NVMe controller" },
	{ 0x0180, "storage controller" },
	{ 0x0200, "Ethernet controller" },
	{ 0x0207, "InfiniBand controller" },
	{ 0x0280, "network controller" },
	{ 0x0300, "VGA controller" },
	{ 0x0380, "display controller" },
	{ 0x0500, "RAM controller" },
	{ 0x0401, "audio device" },
	{ 0x0403, "HD audio device" },
	{ 0x0600, "host bridge" },
	{ 0x0601, "ISA bridge" },
	{ 0x0604, "PCI bridge" },
	{ 0x0680, "bridge" },
	{ 0x0700, "serial controller" },
	{ 0x0780, "communication controller" },
	{ 0x0880, "system peripheral" },
	{ 0x0c03, "USB controller" },
	{ 0x0c05, "SMBus controller" },
	{ 0xff00, "unassigned class" },
};

const char *pci_dev_description(const struct pci_dev *dev)
{
	u16 cls = dev->class >> 8;

	for (size_t i = 0; i < ARRAY_SIZE(device_names); i++)
		if (device_names[i].vendor == dev->vendor &&
		    device_names[i].device == dev->device)
			return device_names[i].name;
	for (size_t i = 0; i < ARRAY_SIZE(class_names); i++)
		if (class_names[i].class == cls)
			return class_names[i].name;
	/* virtio owns 0x1000-0x107f: transitional, then 0x1040 + device type */
	if (dev->vendor == PCI_VENDOR_ID_REDHAT_QUMRANET && dev->device >= 0x1000 &&
	    dev->device <= 0x107f)
		return "virtio device";
	return "unknown device";
}
