// SPDX-License-Identifier: GPL-2.0
/*
 * Soft power-off (the S5 sleep state) without an AML interpreter. The FADT
 * (ACPI spec 5.2.9) gives the PM1 control registers; the SLP_TYP values
 * for S5 come from the \_S5 package in the DSDT (see aml.c). Everything
 * is resolved at boot, so acpi_power_off() only does I/O.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/string.h>
#include <lego/time.h>
#include <asm/io.h>
#include <asm/irqflags.h>

/* FADT field offsets */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT		64
#define FADT_PM1B_CNT		68
#define FADT_FLAGS		112
#define FADT_X_DSDT		140
#define FADT_X_PM1A_CNT		172
#define FADT_X_PM1B_CNT		184
#define FADT_SLEEP_CONTROL	244

#define FADT_HW_REDUCED_ACPI	(1U << 20)

/* Generic Address Structure address spaces */
#define GAS_SPACE_MEMORY	0
#define GAS_SPACE_IO		1
#define GAS_LEN			12

/* PM1 control register bits */
#define PM1_SCI_EN		(1U << 0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP_MASK	(7U << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN		(1U << 13)
/* the hardware-reduced sleep control register */
#define SLEEP_CTL_TYP_SHIFT	2
#define SLEEP_CTL_EN		(1U << 5)

struct pm_reg {
	u8 space;
	u64 addr;
	void *va;		/* memory space: the mapping */
};

static struct pm_reg pm1a_cnt, pm1b_cnt, sleep_ctl;
static bool hw_reduced;
static u32 smi_cmd;
static u8 acpi_enable_value;
static bool s5_found;
static u8 s5_typa, s5_typb;

/* Read a little-endian field of n bytes at off, or 0 past the table's end. */
static u64 fadt_field(const u8 *f, u32 len, u32 off, u32 n)
{
	u64 v = 0;

	if (off + n > len)
		return 0;
	memcpy(&v, f + off, n);
	return v;
}

/* Prefer the 64-bit GAS form of a register, falling back to the I/O port. */
static void fadt_reg(struct pm_reg *r, const u8 *f, u32 len, u32 gas_off, u32 legacy_off)
{
	u8 space = fadt_field(f, len, gas_off, 1);
	u64 addr = fadt_field(f, len, gas_off + 4, 8);

	r->addr = 0;
	if (addr && (space == GAS_SPACE_IO || space == GAS_SPACE_MEMORY)) {
		r->space = space;
		r->addr = addr;
	} else if (legacy_off) {
		r->space = GAS_SPACE_IO;
		r->addr = fadt_field(f, len, legacy_off, 4);
	}
	if (r->space == GAS_SPACE_IO && r->addr > 0xffff) {
		pr_warn("acpi: I/O port %#llx out of range: ignored\n", r->addr);
		r->addr = 0;
	}
	if (r->addr && r->space == GAS_SPACE_MEMORY) {
		r->va = ioremap(r->addr, 2);
		if (!r->va)
			r->addr = 0;
	}
}

static u16 pm_read(const struct pm_reg *r)
{
	if (r->space == GAS_SPACE_IO)
		return inw(r->addr);
	return readw(r->va);
}

static void pm_write(const struct pm_reg *r, u16 v)
{
	if (r->space == GAS_SPACE_IO)
		outw(v, r->addr);
	else
		writew(v, r->va);
}

static void pm_write8(const struct pm_reg *r, u8 v)
{
	if (r->space == GAS_SPACE_IO)
		outb(v, r->addr);
	else
		writeb(v, r->va);
}

static bool find_s5_in(const struct acpi_table_header *t)
{
	if (!t || t->length < sizeof(*t))
		return false;
	return !acpi_aml_find_s5((const u8 *)(t + 1), t->length - sizeof(*t),
				 &s5_typa, &s5_typb);
}

static void find_s5(void)
{
	const struct acpi_table_header *ssdt;

	if (find_s5_in(acpi_find_table("DSDT"))) {
		s5_found = true;
		return;
	}
	for (int n = 0; (ssdt = acpi_get_table("SSDT", n)); n++) {
		if (find_s5_in(ssdt)) {
			s5_found = true;
			return;
		}
	}
}

void acpi_fadt_init(const void *fadt, u32 len)
{
	const u8 *f = fadt;
	u64 dsdt;

	hw_reduced = fadt_field(f, len, FADT_FLAGS, 4) & FADT_HW_REDUCED_ACPI;
	smi_cmd = fadt_field(f, len, FADT_SMI_CMD, 4);
	acpi_enable_value = fadt_field(f, len, FADT_ACPI_ENABLE, 1);
	fadt_reg(&pm1a_cnt, f, len, FADT_X_PM1A_CNT, FADT_PM1A_CNT);
	fadt_reg(&pm1b_cnt, f, len, FADT_X_PM1B_CNT, FADT_PM1B_CNT);
	if (hw_reduced)
		fadt_reg(&sleep_ctl, f, len, FADT_SLEEP_CONTROL, 0);

	dsdt = fadt_field(f, len, FADT_X_DSDT, 8);
	if (!dsdt)
		dsdt = fadt_field(f, len, FADT_DSDT, 4);
	if (!dsdt || acpi_register_table(dsdt, "DSDT"))
		pr_warn("acpi: no usable DSDT\n");
	find_s5();

	if (!s5_found)
		pr_warn("acpi: no \\_S5 package found: power off is not available\n");
	else if (hw_reduced ? !sleep_ctl.addr : !pm1a_cnt.addr)
		pr_warn("acpi: no sleep control register: power off is not available\n");
	else
		pr_info("acpi: S5 SLP_TYP %u/%u, %s %s %#llx\n", s5_typa, s5_typb,
			hw_reduced ? "SLEEP_CONTROL" : "PM1a_CNT",
			(hw_reduced ? sleep_ctl.space : pm1a_cnt.space) == GAS_SPACE_IO ?
			"port" : "mmio", hw_reduced ? sleep_ctl.addr : pm1a_cnt.addr);
}

/* Leave legacy mode so the PM1 registers belong to us (ACPI spec 16.3.1). */
static void acpi_enable_mode(void)
{
	if (pm_read(&pm1a_cnt) & PM1_SCI_EN)
		return;
	if (!smi_cmd || !acpi_enable_value || smi_cmd > 0xffff)
		return;
	outb(acpi_enable_value, smi_cmd);
	for (int i = 0; i < 3000 && !(pm_read(&pm1a_cnt) & PM1_SCI_EN); i++)
		mdelay(1);
}

static void write_slp_typ(const struct pm_reg *r, u8 typ, u16 extra)
{
	u16 v;

	if (!r->addr)
		return;
	v = pm_read(r) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);
	pm_write(r, v | (typ << PM1_SLP_TYP_SHIFT) | extra);
}

void acpi_power_off(void)
{
	unsigned long flags;

	if (!s5_found || (hw_reduced ? !sleep_ctl.addr : !pm1a_cnt.addr)) {
		pr_err("acpi: power off is not available\n");
		return;
	}
	local_irq_save(flags);
	if (hw_reduced) {
		pm_write8(&sleep_ctl, (s5_typa << SLEEP_CTL_TYP_SHIFT) | SLEEP_CTL_EN);
	} else {
		acpi_enable_mode();
		/* the type first, then the enable bit that acts on it */
		write_slp_typ(&pm1a_cnt, s5_typa, 0);
		write_slp_typ(&pm1b_cnt, s5_typb, 0);
		write_slp_typ(&pm1a_cnt, s5_typa, PM1_SLP_EN);
		write_slp_typ(&pm1b_cnt, s5_typb, PM1_SLP_EN);
	}
	/* the machine should be off by now */
	mdelay(2000);
	local_irq_restore(flags);
	pr_err("acpi: still running 2 s after entering S5\n");
}
