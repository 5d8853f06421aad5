/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_PCI_REGS_H
#define _LEGO_PCI_REGS_H

/*
 * Configuration space layout, from the PCI Local Bus specification 3.0 and
 * the PCI Express base specification (extended space from offset 0x100).
 */

/* common header */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x0001
#define  PCI_COMMAND_MEMORY	0x0002
#define  PCI_COMMAND_MASTER	0x0004
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS		0x06
#define  PCI_STATUS_INTERRUPT	0x0008
#define  PCI_STATUS_CAP_LIST	0x0010
#define PCI_CLASS_REVISION	0x08	/* revision in the low byte */
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_TYPE_MFD	0x80	/* multi-function device */
#define  PCI_HEADER_TYPE_NORMAL	0
#define  PCI_HEADER_TYPE_BRIDGE	1
#define  PCI_HEADER_TYPE_CARDBUS 2
#define PCI_BASE_ADDRESS_0	0x10
#define  PCI_BASE_ADDRESS_SPACE_IO	0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_MASK	0x06
#define  PCI_BASE_ADDRESS_MEM_TYPE_64	0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define  PCI_BASE_ADDRESS_MEM_MASK	(~0x0fu)
#define  PCI_BASE_ADDRESS_IO_MASK	(~0x03u)
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

/* type 1 (PCI-to-PCI bridge) header */
#define PCI_PRIMARY_BUS		0x18
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a

/* type 2 (CardBus bridge) header */
#define PCI_CB_SUBSYSTEM_VENDOR_ID 0x40
#define PCI_CB_SUBSYSTEM_ID	0x42

/* capability list entries: id, next pointer */
#define PCI_CAP_LIST_ID		0
#define PCI_CAP_LIST_NEXT	1
#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_EXP		0x10
#define PCI_CAP_ID_MSIX		0x11

/* MSI capability */
#define PCI_MSI_FLAGS		2
#define  PCI_MSI_FLAGS_ENABLE	0x0001
#define  PCI_MSI_FLAGS_QMASK	0x000e	/* log2 of vectors the device can use */
#define  PCI_MSI_FLAGS_QSIZE	0x0070	/* log2 of vectors enabled */
#define  PCI_MSI_FLAGS_64BIT	0x0080
#define  PCI_MSI_FLAGS_MASKBIT	0x0100	/* per-vector masking */
#define PCI_MSI_ADDRESS_LO	4
#define PCI_MSI_ADDRESS_HI	8	/* 64-bit only */
#define PCI_MSI_DATA_32		8
#define PCI_MSI_DATA_64		12
#define PCI_MSI_MASK_32		12
#define PCI_MSI_MASK_64		16

/* MSI-X capability, table entries and the pending bit array */
#define PCI_MSIX_FLAGS		2
#define  PCI_MSIX_FLAGS_QSIZE	0x07ff	/* table size - 1 */
#define  PCI_MSIX_FLAGS_MASKALL	0x4000
#define  PCI_MSIX_FLAGS_ENABLE	0x8000
#define PCI_MSIX_TABLE		4
#define  PCI_MSIX_BIR_MASK	0x7
#define PCI_MSIX_PBA		8
#define PCI_MSIX_ENTRY_SIZE	16
#define  PCI_MSIX_ENTRY_ADDR_LO	0
#define  PCI_MSIX_ENTRY_ADDR_HI	4
#define  PCI_MSIX_ENTRY_DATA	8
#define  PCI_MSIX_ENTRY_CTRL	12
#define   PCI_MSIX_ENTRY_CTRL_MASKBIT 0x1

/* PCI Express capability */
#define PCI_EXP_FLAGS		2
#define  PCI_EXP_FLAGS_TYPE	0x00f0

/* extended capabilities: id (16 bits), version (4), next (12) */
#define PCI_CFG_SPACE_SIZE	256
#define PCI_CFG_SPACE_EXP_SIZE	4096
#define PCI_EXT_CAP_ID(h)	((h) & 0xffff)
#define PCI_EXT_CAP_NEXT(h)	(((h) >> 20) & 0xffc)
#define PCI_EXT_CAP_ID_ERR	0x0001
#define PCI_EXT_CAP_ID_DSN	0x0003

/* class codes (base class << 8 | sub-class) */
#define PCI_CLASS_STORAGE_IDE		0x0101
#define PCI_CLASS_STORAGE_SATA		0x0106
#define PCI_CLASS_NETWORK_ETHERNET	0x0200
#define PCI_CLASS_DISPLAY_VGA		0x0300
#define PCI_CLASS_BRIDGE_HOST		0x0600
#define PCI_CLASS_BRIDGE_ISA		0x0601
#define PCI_CLASS_BRIDGE_PCI		0x0604

/* vendors */
#define PCI_VENDOR_ID_INTEL	0x8086
#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4	/* virtio */
#define PCI_VENDOR_ID_REDHAT	0x1b36		/* QEMU's own devices */

#endif
