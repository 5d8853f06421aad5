// SPDX-License-Identifier: GPL-2.0
/*
 * The MADT ("APIC" table, ACPI spec 5.2.12): which local APICs (CPUs) are
 * enabled, where the IOAPICs are, and how ISA IRQs map onto GSIs.
 *
 * acpi_parse_madt() only reads its buffer and fills a structure, so that
 * host unit tests can give it truncated and corrupt tables: every entry
 * is bounds-checked, and a zero-length entry ends the walk rather than
 * looping forever.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/string.h>

#define MADT_FIXED_LEN		44	/* header, local APIC address, flags */
#define MADT_PCAT_COMPAT	(1U << 0)

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_NMI_SOURCE = 3,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

/* Minimum length of each entry type we read. */
static const u8 madt_entry_len[] = {
	[MADT_LAPIC] = 8,
	[MADT_IOAPIC] = 12,
	[MADT_OVERRIDE] = 10,
	[MADT_NMI_SOURCE] = 8,
	[MADT_LAPIC_NMI] = 6,
	[MADT_LAPIC_ADDR] = 12,
	[MADT_X2APIC] = 16,
	[MADT_X2APIC_NMI] = 12,
};

#define LAPIC_ENABLED		(1U << 0)

/* MPS INTI flags (overrides, NMI entries): 2 bits polarity, 2 bits trigger. */
#define INTI_POLARITY(f)	((f) & 3)
#define INTI_TRIGGER(f)		(((f) >> 2) & 3)
#define INTI_ACTIVE_LOW		3
#define INTI_LEVEL		3

struct acpi_madt_info acpi_madt;

static u16 get16(const u8 *p)
{
	return p[0] | (u16)p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return get16(p) | (u32)get16(p + 2) << 16;
}

static u64 get64(const u8 *p)
{
	return get32(p) | (u64)get32(p + 4) << 32;
}

static void add_lapic(struct acpi_madt_info *m, u32 id, u32 flags)
{
	if (!(flags & LAPIC_ENABLED)) {
		m->nr_lapics_disabled++;
		return;
	}
	/* firmware may list a CPU both as xAPIC and x2APIC */
	for (int i = 0; i < m->nr_lapics; i++)
		if (m->lapic_ids[i] == id)
			return;
	if (m->nr_lapics == ACPI_MAX_LAPICS) {
		m->nr_lapics_ignored++;
		return;
	}
	m->lapic_ids[m->nr_lapics++] = id;
}

static void add_ioapic(struct acpi_madt_info *m, const u8 *e)
{
	struct acpi_ioapic *io;

	if (m->nr_ioapics == ACPI_MAX_IOAPICS || !get32(e + 4)) {
		m->nr_bad_entries++;
		return;
	}
	io = &m->ioapics[m->nr_ioapics++];
	io->id = e[2];
	io->address = get32(e + 4);
	io->gsi_base = get32(e + 8);
}

static void add_override(struct acpi_madt_info *m, const u8 *e)
{
	u8 bus = e[2], irq = e[3];
	u16 flags = get16(e + 8);
	struct acpi_isa_irq *isa;

	if (bus != 0 || irq >= ACPI_NR_ISA_IRQS) {
		m->nr_bad_entries++;
		return;
	}
	/* "conforms to the bus" means edge and active high for ISA */
	isa = &m->isa_irqs[irq];
	isa->gsi = get32(e + 4);
	isa->level = INTI_TRIGGER(flags) == INTI_LEVEL;
	isa->active_low = INTI_POLARITY(flags) == INTI_ACTIVE_LOW;
	m->nr_overrides++;
}

static void set_nmi(struct acpi_madt_info *m, u8 lint, u16 flags)
{
	if (lint > 1) {
		m->nr_bad_entries++;
		return;
	}
	m->nmi_lint = lint;
	m->nmi_level = INTI_TRIGGER(flags) == INTI_LEVEL;
	m->nmi_active_low = INTI_POLARITY(flags) == INTI_ACTIVE_LOW;
}

static void parse_entry(struct acpi_madt_info *m, const u8 *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		/* 0xff is not a usable xAPIC id; such CPUs come as x2APIC entries */
		if (e[3] != 0xff)
			add_lapic(m, e[3], get32(e + 4));
		break;
	case MADT_X2APIC:
		add_lapic(m, get32(e + 4), get32(e + 8));
		break;
	case MADT_IOAPIC:
		add_ioapic(m, e);
		break;
	case MADT_OVERRIDE:
		add_override(m, e);
		break;
	case MADT_LAPIC_NMI:
		set_nmi(m, e[5], get16(e + 3));
		break;
	case MADT_X2APIC_NMI:
		set_nmi(m, e[8], get16(e + 2));
		break;
	case MADT_LAPIC_ADDR:
		m->lapic_address = get64(e + 4);
		break;
	default:
		break;		/* types we do not use */
	}
}

int acpi_parse_madt(const void *madt, u32 len, struct acpi_madt_info *m)
{
	const u8 *p = madt;
	u32 off;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < ACPI_NR_ISA_IRQS; i++)
		m->isa_irqs[i].gsi = i;
	m->nmi_lint = -1;
	if (!madt || len < MADT_FIXED_LEN)
		return -EINVAL;

	m->lapic_address = get32(p + 36);
	m->pcat_compat = get32(p + 40) & MADT_PCAT_COMPAT;
	for (off = MADT_FIXED_LEN; off + 2 <= len; off += p[off + 1]) {
		u8 type = p[off], elen = p[off + 1];

		if (elen < 2 || off + elen > len) {
			m->nr_bad_entries++;
			break;
		}
		if (type < ARRAY_SIZE(madt_entry_len) && madt_entry_len[type] &&
		    elen < madt_entry_len[type]) {
			m->nr_bad_entries++;
			continue;
		}
		parse_entry(m, p + off);
	}
	m->present = true;
	return 0;
}

void acpi_report_madt(void)
{
	const struct acpi_madt_info *m = &acpi_madt;

	pr_info("acpi: MADT: %d CPUs (local APIC ids", m->nr_lapics);
	for (int i = 0; i < m->nr_lapics; i++)
		pr_cont(" %u", m->lapic_ids[i]);
	pr_cont("), %d IOAPICs, %d ISA overrides, local APIC at %#llx%s\n",
		m->nr_ioapics, m->nr_overrides, m->lapic_address,
		m->pcat_compat ? ", 8259 PICs" : "");
	if (m->nr_lapics_ignored)
		pr_warn("acpi: %d more enabled CPUs ignored (CONFIG_NR_CPUS=%d)\n",
			m->nr_lapics_ignored, CONFIG_NR_CPUS);
	for (int i = 0; i < m->nr_ioapics; i++)
		pr_info("acpi: IOAPIC id %u at %#x, GSI base %u\n", m->ioapics[i].id,
			m->ioapics[i].address, m->ioapics[i].gsi_base);
	for (int i = 0; i < ACPI_NR_ISA_IRQS; i++) {
		const struct acpi_isa_irq *isa = &m->isa_irqs[i];

		if (isa->gsi != (u32)i || isa->level || isa->active_low)
			pr_info("acpi: ISA IRQ %d -> GSI %u %s %s\n", i, isa->gsi,
				isa->level ? "level" : "edge",
				isa->active_low ? "active-low" : "active-high");
	}
	if (m->nr_bad_entries)
		pr_warn("acpi: MADT: %d malformed or unusable entries skipped\n",
			m->nr_bad_entries);
}

int acpi_isa_irq_to_gsi(int irq, bool *level, bool *active_low)
{
	const struct acpi_isa_irq *isa;

	if (irq < 0 || irq >= ACPI_NR_ISA_IRQS)
		return -EINVAL;
	isa = &acpi_madt.isa_irqs[irq];
	if (!acpi_madt.present || isa->gsi > 0x7fffffff) {
		*level = false;
		*active_low = false;
		return irq;
	}
	*level = isa->level;
	*active_low = isa->active_low;
	return isa->gsi;
}
