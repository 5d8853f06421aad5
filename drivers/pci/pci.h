/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRIVERS_PCI_PCI_H
#define _DRIVERS_PCI_PCI_H

/* Shared between the files of the PCI core; drivers use <lego/pci.h>. */
#include <lego/pci.h>

/* Every function found at boot, in enumeration order. */
extern struct list_head pci_devices;
extern int pci_nr_devices;

/* access.c */
void pci_config_init(void);
bool pci_have_ext_config(void);
/* The two mechanisms themselves, NULL if absent; for the self-test. */
const struct pci_config_ops *pci_legacy_config_ops(void);
const struct pci_config_ops *pci_ecam_config_ops(void);

/* ecam.c: the ECAM windows of the ACPI MCFG table, or NULL without one. */
const struct pci_config_ops *pci_ecam_init(void);

/* probe.c */
void pci_scan_all(void);

/* names.c: a short human name for the device, never NULL. */
const char *pci_dev_description(const struct pci_dev *dev);

/* driver.c: offer every unclaimed device to the registered drivers. */
void pci_probe_drivers(void);
/* Read-modify-write of the command register. */
void pci_update_command(struct pci_dev *dev, u16 set, u16 clear);

#endif
