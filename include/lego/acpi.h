/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_ACPI_H
#define _LEGO_ACPI_H

#include <lego/types.h>
#include <lego/compiler.h>

/* Every ACPI system description table starts with this (ACPI spec 5.2.6). */
struct acpi_table_header {
	char signature[4];
	u32 length;		/* of the whole table, header included */
	u8 revision;
	u8 checksum;		/* all bytes of the table sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

/*
 * Find the ACPI tables from the RSDP the boot loader handed over, list
 * them, and parse the MADT and FADT. Returns 0, or -ENODEV when there is
 * no usable ACPI: the kernel then runs on the boot CPU without IOAPICs.
 */
int acpi_init(void);
/* A checksummed table by signature ("APIC", "FACP", "MCFG", "HPET"), or NULL. */
const void *acpi_find_table(const char *sig);
/* The n-th (from 0) table with this signature, for those that repeat (SSDT). */
const void *acpi_get_table(const char *sig, int n);
/* Enter S5 through the FADT's PM1 control registers; returns on failure. */
void acpi_power_off(void);

/*
 * What the MADT says about interrupt controllers and CPUs. Zeroed (no
 * CPUs, no IOAPICs, ISA IRQs identity-mapped) when there is no MADT.
 */
#define ACPI_MAX_LAPICS		CONFIG_NR_CPUS
#define ACPI_MAX_IOAPICS	16
#define ACPI_NR_ISA_IRQS	16

struct acpi_ioapic {
	u32 id;
	u32 address;		/* physical MMIO base */
	u32 gsi_base;		/* GSI of its first input pin */
};

struct acpi_isa_irq {
	u32 gsi;
	bool level;		/* level-triggered (ISA default: edge) */
	bool active_low;	/* (ISA default: active high) */
};

struct acpi_madt_info {
	bool present;
	u64 lapic_address;
	bool pcat_compat;		/* legacy 8259 PICs are present too */
	int nr_lapics;			/* enabled local APICs, in MADT order */
	int nr_lapics_ignored;		/* enabled ones beyond CONFIG_NR_CPUS */
	int nr_lapics_disabled;		/* listed but not enabled (hot-plug slots) */
	u32 lapic_ids[ACPI_MAX_LAPICS];
	int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int nr_overrides;
	struct acpi_isa_irq isa_irqs[ACPI_NR_ISA_IRQS];
	int nmi_lint;			/* LINT pin wired to NMI (0 or 1), -1 if none listed */
	bool nmi_level, nmi_active_low;
	int nr_bad_entries;		/* malformed or unusable entries skipped */
};

extern struct acpi_madt_info acpi_madt;

/*
 * The GSI an ISA IRQ (0-15) is wired to, with its trigger mode and
 * polarity after the MADT's interrupt source overrides; -EINVAL for an
 * IRQ outside 0-15. Without ACPI the ISA defaults hold (identity, edge,
 * active high).
 */
int acpi_isa_irq_to_gsi(int irq, bool *level, bool *active_low);

/*
 * Pure parsers, without side effects, so host unit tests can feed them
 * crafted and malformed tables. acpi_parse_madt() fills *out from a MADT
 * of len bytes (header included); returns 0 or -EINVAL if the fixed part
 * is missing. acpi_aml_find_s5() scans AML byte code (a DSDT or SSDT body)
 * for the \_S5 package and returns its SLP_TYPa/b values; 0 or -ENOENT.
 */
int acpi_parse_madt(const void *madt, u32 len, struct acpi_madt_info *out);
int acpi_aml_find_s5(const u8 *aml, u32 len, u8 *slp_typa, u8 *slp_typb);
bool acpi_checksum_ok(const void *p, u32 len);

/* Internal to drivers/acpi. */
void acpi_fadt_init(const void *fadt, u32 len);
void acpi_report_madt(void);
int acpi_register_table(phys_addr_t pa, const char *expect_sig);

#endif
