/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_ACPI_H
#define _LEGO_ACPI_H

#include <lego/types.h>

/* Find the ACPI tables from the RSDP the boot loader handed over. */
int acpi_init(void);
/* A table by signature ("APIC", "FACP", "MCFG", "HPET"), or NULL. */
const void *acpi_find_table(const char *sig);
/* Enter S5 through the FADT's PM1 control registers; returns on failure. */
void acpi_power_off(void);

#endif
