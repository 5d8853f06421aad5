/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_PCI_H
#define _LEGO_PCI_H

#include <lego/types.h>
#include <lego/list.h>
#include <lego/pci_regs.h>

/*
 * The PCI core: enumeration of every bus at boot, one struct pci_dev per
 * function, drivers that claim devices by id, BAR mappings and interrupts
 * (MSI-X, then MSI, then INTx). Bus, device and function numbers follow the
 * PCI Local Bus specification; only segment 0 is enumerated.
 */

#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)
#define PCI_DEVFN(slot, fn)	((((slot) & 0x1f) << 3) | ((fn) & 0x07))

#define PCI_NUM_BARS		6

/* struct pci_bar.flags */
#define PCI_BAR_IO		0x1	/* I/O ports, not memory */
#define PCI_BAR_MEM64		0x2	/* 64-bit memory BAR (uses two slots) */
#define PCI_BAR_PREFETCH	0x4	/* prefetchable memory */

struct pci_bar {
	u64 start;	/* bus address as programmed (CPU address on x86) */
	u64 size;	/* 0: the BAR is not implemented */
	unsigned int flags;
};

struct pci_driver;
struct pci_irq;

struct pci_dev {
	struct list_head node;		/* on the list of all devices */
	struct pci_dev *bridge;		/* upstream bridge, NULL on bus 0 */
	u16 segment;
	u8 bus;
	u8 devfn;
	u16 vendor;
	u16 device;
	u16 subsystem_vendor;
	u16 subsystem_device;
	u32 class;			/* base class << 16 | sub-class << 8 | prog-if */
	u8 revision;
	u8 hdr_type;			/* PCI_HEADER_TYPE_*, without the multi-function bit */
	u8 irq_pin;			/* 0: none, 1..4: INTA..INTD */
	u8 irq_line;			/* interrupt line as the firmware set it */
	u8 msi_cap;			/* capability offsets, 0 if absent */
	u8 msix_cap;
	u8 pcie_cap;
	u8 secondary_bus;		/* bridges only */
	u8 subordinate_bus;
	struct pci_bar bar[PCI_NUM_BARS];

	struct pci_driver *driver;	/* bound driver, NULL if none */
	void *driver_data;

	/* interrupts, owned by drivers/pci/irq.c */
	unsigned int irq_mode;		/* one of PCI_IRQ_*, 0 before allocation */
	int nr_irqs;
	struct pci_irq *irqs;
	void *msix_table;		/* MSI-X table mapping */
};

#define PCI_ANY_ID	(~0u)

/* One id a driver handles; a table ends with an entry whose vendor is 0. */
struct pci_device_id {
	u32 vendor;		/* or PCI_ANY_ID */
	u32 device;		/* or PCI_ANY_ID */
	u32 class;		/* compared under class_mask */
	u32 class_mask;		/* 0: any class */
	unsigned long driver_data;
};

#define PCI_DEVICE(v, d)	.vendor = (v), .device = (d)

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	/* Called for each matching unclaimed device; 0 claims it. May sleep. */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	/* Optional: release the device (pci_unregister_driver). */
	void (*remove)(struct pci_dev *dev);
	struct list_head node;
};

/* Enumerate every bus, print the devices and probe registered drivers. */
void pci_init(void);
/* Boot-time test of interrupt delivery on e1000-family NICs (selftest=pci). */
void pci_selftest(void);

/*
 * Register a driver: it is offered every device present now (or, before
 * pci_init(), every device pci_init() finds). Returns 0 or -errno.
 */
int pci_register_driver(struct pci_driver *drv);
/* Call remove() on each device the driver holds, then forget the driver. */
void pci_unregister_driver(struct pci_driver *drv);

/* Iterate over all devices; start with from = NULL. */
struct pci_dev *pci_get_next(struct pci_dev *from);
struct pci_dev *pci_get_device(u32 vendor, u32 device, struct pci_dev *from);
struct pci_dev *pci_get_slot(u8 bus, u8 devfn);
/* "0000:00:02.0" into buf (at least 13 bytes); returns buf. */
const char *pci_name(const struct pci_dev *dev, char *buf);

/* Configuration space; where up to 4095 needs ECAM (an MCFG table). */
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);
/* The same by address, for devices without a struct pci_dev. */
int pci_bus_read_config(u16 seg, u8 bus, u8 devfn, int where, int size, u32 *val);
int pci_bus_write_config(u16 seg, u8 bus, u8 devfn, int where, int size, u32 val);

/* Offset of a capability (PCI_CAP_ID_*), 0 if absent. */
u8 pci_find_capability(const struct pci_dev *dev, u8 cap);
/* Offset of a PCIe extended capability (PCI_EXT_CAP_ID_*), 0 if absent. */
u16 pci_find_ext_capability(const struct pci_dev *dev, u16 cap);

/* Turn on I/O and memory decoding for the BARs the device has. */
int pci_enable_device(struct pci_dev *dev);
/* Stop the device's DMA; decoding stays on, the BARs may be shared. */
void pci_disable_device(struct pci_dev *dev);
/* Let the device master the bus (DMA, and MSI which is a memory write). */
void pci_set_master(struct pci_dev *dev);
void pci_clear_master(struct pci_dev *dev);

static inline u64 pci_resource_start(const struct pci_dev *dev, int bar)
{
	return dev->bar[bar].start;
}

static inline u64 pci_resource_len(const struct pci_dev *dev, int bar)
{
	return dev->bar[bar].size;
}

/*
 * Map a memory BAR uncached (pci_iomap) or write-combining (pci_iomap_wc);
 * NULL for an I/O or absent BAR: use pci_resource_start() with port I/O.
 */
void *pci_iomap(struct pci_dev *dev, int bar);
void *pci_iomap_wc(struct pci_dev *dev, int bar);
void pci_iounmap(struct pci_dev *dev, void *addr);

/* pci_alloc_irq_vectors() flags, tried in this order; also dev->irq_mode */
#define PCI_IRQ_MSIX		0x1
#define PCI_IRQ_MSI		0x2
#define PCI_IRQ_INTX		0x4
#define PCI_IRQ_ALL_TYPES	(PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_INTX)

/* Runs in interrupt context; a shared INTx handler must check its device. */
typedef void (*pci_irq_handler_t)(void *data);

/*
 * Choose the interrupt mode: MSI-X with min..max vectors, else MSI (one
 * vector), else INTx (one, possibly shared with other devices), among the
 * modes flags allows. Returns the number of vectors or -errno. Nothing
 * fires until pci_request_irq().
 */
int pci_alloc_irq_vectors(struct pci_dev *dev, int min, int max, unsigned int flags);
void pci_free_irq_vectors(struct pci_dev *dev);
/* Install handler(data) on vector index and unmask it. @name is not copied. */
int pci_request_irq(struct pci_dev *dev, int index, pci_irq_handler_t handler,
		    void *data, const char *name);
/* Mask and remove the handler; waits for it to finish, so never from it. */
void pci_free_irq(struct pci_dev *dev, int index);
/* Mask at the device: MSI-X entry, MSI mask bit, or the INTx disable bit. */
int pci_irq_mask(struct pci_dev *dev, int index);
int pci_irq_unmask(struct pci_dev *dev, int index);
const char *pci_irq_mode_name(unsigned int mode);

/*
 * Provided by the architecture (arch/x86/pci/).
 */

/* Configuration access for offsets below 256, e.g. through I/O ports. */
struct pci_config_ops {
	const char *name;
	int (*read)(u16 seg, u8 bus, u8 devfn, int where, int size, u32 *val);
	int (*write)(u16 seg, u8 bus, u8 devfn, int where, int size, u32 val);
};

/* The architecture's own configuration mechanism, or NULL if it has none. */
const struct pci_config_ops *pcibios_config_ops(void);

/* What a device writes to signal a message-signalled interrupt. */
struct msi_msg {
	u64 address;
	u32 data;
};

/*
 * Connect a fresh CPU interrupt to handler(data) and say how a device
 * raises it. Returns a cookie (>= 0) for pcibios_msi_free, or -errno.
 */
int pcibios_msi_alloc(pci_irq_handler_t handler, void *data, const char *name,
		      struct msi_msg *msg);
void pcibios_msi_free(int cookie);

/* The system interrupt line the device's INTx pin reaches, or -errno. */
int pcibios_intx_line(struct pci_dev *dev, u32 *line);
/* Route a (shareable, level) line to handler(data); returns a cookie or -errno. */
int pcibios_intx_connect(struct pci_dev *dev, u32 line, pci_irq_handler_t handler,
			 void *data, const char *name);
void pcibios_intx_disconnect(u32 line, int cookie);

#endif
