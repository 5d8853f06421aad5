// SPDX-License-Identifier: GPL-2.0
/*
 * Drivers and the devices they claim. A driver registered before the bus
 * is enumerated waits for pci_init(); one registered later is offered the
 * devices at once. Probing runs under a mutex, so probe() may sleep and
 * two drivers never race for one device.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/mutex.h>
#include <lego/printk.h>
#include <asm/io.h>
#include "pci.h"

static LIST_HEAD(pci_drivers);
static DEFINE_MUTEX(pci_driver_lock);
static bool pci_enumerated;

static bool id_matches(const struct pci_device_id *id, const struct pci_dev *dev)
{
	return (id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
	       (id->device == PCI_ANY_ID || id->device == dev->device) &&
	       !((id->class ^ dev->class) & id->class_mask);
}

static const struct pci_device_id *match_device(const struct pci_driver *drv,
						const struct pci_dev *dev)
{
	for (const struct pci_device_id *id = drv->id_table; id && id->vendor; id++)
		if (id_matches(id, dev))
			return id;
	return NULL;
}

/* Offer dev to drv; called with pci_driver_lock held. */
static void try_probe(struct pci_driver *drv, struct pci_dev *dev)
{
	const struct pci_device_id *id;
	char name[16];
	int err;

	if (dev->driver)
		return;
	id = match_device(drv, dev);
	if (!id)
		return;
	dev->driver = drv;
	err = drv->probe(dev, id);
	if (err) {
		dev->driver = NULL;
		dev->driver_data = NULL;
		if (err != -ENODEV)
			pr_warn("pci %s: %s probe failed (error %d)\n", pci_name(dev, name),
				drv->name, err);
		return;
	}
	pr_info("pci %s: claimed by %s\n", pci_name(dev, name), drv->name);
}

int pci_register_driver(struct pci_driver *drv)
{
	struct pci_dev *dev = NULL;

	if (!drv->name || !drv->probe || !drv->id_table)
		return -EINVAL;
	mutex_lock(&pci_driver_lock);
	list_add_tail(&drv->node, &pci_drivers);
	if (pci_enumerated)
		while ((dev = pci_get_next(dev)))
			try_probe(drv, dev);
	mutex_unlock(&pci_driver_lock);
	return 0;
}

void pci_unregister_driver(struct pci_driver *drv)
{
	struct pci_dev *dev = NULL;

	mutex_lock(&pci_driver_lock);
	while ((dev = pci_get_next(dev))) {
		if (dev->driver != drv)
			continue;
		if (drv->remove)
			drv->remove(dev);
		/* whatever the driver left behind must not fire into freed code */
		if (dev->irq_mode)
			pci_free_irq_vectors(dev);
		dev->driver = NULL;
		dev->driver_data = NULL;
	}
	list_del(&drv->node);
	mutex_unlock(&pci_driver_lock);
}

void pci_probe_drivers(void)
{
	struct pci_driver *drv;
	struct pci_dev *dev = NULL;

	mutex_lock(&pci_driver_lock);
	pci_enumerated = true;
	while ((dev = pci_get_next(dev)))
		list_for_each_entry(drv, &pci_drivers, node)
			try_probe(drv, dev);
	mutex_unlock(&pci_driver_lock);
}

void pci_update_command(struct pci_dev *dev, u16 set, u16 clear)
{
	u16 cmd, new;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	new = (cmd & ~clear) | set;
	if (new != cmd)
		pci_write_config_word(dev, PCI_COMMAND, new);
}

int pci_enable_device(struct pci_dev *dev)
{
	u16 set = 0;

	for (int i = 0; i < PCI_NUM_BARS; i++) {
		if (!dev->bar[i].size)
			continue;
		set |= dev->bar[i].flags & PCI_BAR_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	pci_update_command(dev, set, 0);
	return 0;
}

void pci_disable_device(struct pci_dev *dev)
{
	pci_update_command(dev, 0, PCI_COMMAND_MASTER);
}

void pci_set_master(struct pci_dev *dev)
{
	pci_update_command(dev, PCI_COMMAND_MASTER, 0);
}

void pci_clear_master(struct pci_dev *dev)
{
	pci_update_command(dev, 0, PCI_COMMAND_MASTER);
}

static void *iomap_bar(struct pci_dev *dev, int bar, bool wc)
{
	const struct pci_bar *b;

	if (bar < 0 || bar >= PCI_NUM_BARS)
		return NULL;
	b = &dev->bar[bar];
	if (!b->size || (b->flags & PCI_BAR_IO) || !b->start)
		return NULL;
	return wc ? ioremap_wc(b->start, b->size) : ioremap(b->start, b->size);
}

void *pci_iomap(struct pci_dev *dev, int bar)
{
	return iomap_bar(dev, bar, false);
}

void *pci_iomap_wc(struct pci_dev *dev, int bar)
{
	return iomap_bar(dev, bar, true);
}

void pci_iounmap(struct pci_dev *dev, void *addr)
{
	if (addr)
		iounmap(addr);
}

void pci_init(void)
{
	pci_config_init();
	pci_scan_all();
	pci_probe_drivers();
}
