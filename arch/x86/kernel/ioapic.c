// SPDX-License-Identifier: GPL-2.0
/*
 * I/O APICs (82093AA programming model): an index register and a data
 * window at the MMIO base; each input pin has a 64-bit redirection entry.
 * Which IOAPICs exist and the GSI range each serves come from the MADT.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/spinlock.h>
#include <asm/io.h>
#include <asm/ioapic.h>
#include <asm/irq.h>
#include <asm/page.h>

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_REDIR(pin)	(0x10 + 2 * (pin))

#define REDIR_MASKED		(1U << 16)
#define REDIR_LEVEL		(1U << 15)
#define REDIR_ACTIVE_LOW	(1U << 13)
#define REDIR_DEST_SHIFT	24	/* in the high half: physical APIC id */

struct ioapic {
	u32 id;
	u32 gsi_base;
	u32 nr_pins;
	void *mmio;
	spinlock_t lock;	/* the index/window pair is one access */
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static int nr_ioapics;

static u32 io_read(struct ioapic *io, u32 reg)
{
	writel(reg, (u8 *)io->mmio + IOAPIC_REGSEL);
	return readl((u8 *)io->mmio + IOAPIC_WINDOW);
}

static void io_write(struct ioapic *io, u32 reg, u32 val)
{
	writel(reg, (u8 *)io->mmio + IOAPIC_REGSEL);
	writel(val, (u8 *)io->mmio + IOAPIC_WINDOW);
}

static struct ioapic *gsi_to_ioapic(u32 gsi, u32 *pin)
{
	for (int i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->nr_pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

bool ioapic_present(void)
{
	return nr_ioapics > 0;
}

static void add_ioapic(const struct acpi_ioapic *a)
{
	struct ioapic *io = &ioapics[nr_ioapics];
	u32 ver;

	io->mmio = ioremap(a->address, PAGE_SIZE);
	if (!io->mmio) {
		pr_err("ioapic: cannot map IOAPIC %u at %#x\n", a->id, a->address);
		return;
	}
	ver = io_read(io, IOAPIC_REG_VER);
	if (ver == 0xffffffff) {
		pr_err("ioapic: nothing answers at %#x: IOAPIC %u ignored\n", a->address, a->id);
		iounmap(io->mmio);
		return;
	}
	io->id = a->id;
	io->gsi_base = a->gsi_base;
	io->nr_pins = ((ver >> 16) & 0xff) + 1;
	spin_lock_init(&io->lock);
	/* firmware may have left lines routed: nothing fires until a driver asks */
	for (u32 pin = 0; pin < io->nr_pins; pin++) {
		io_write(io, IOAPIC_REG_REDIR(pin), REDIR_MASKED);
		io_write(io, IOAPIC_REG_REDIR(pin) + 1, 0);
	}
	nr_ioapics++;
	pr_info("ioapic: IOAPIC %u at %#x, version %#x, GSI %u-%u, all masked\n", io->id,
		a->address, ver & 0xff, io->gsi_base, io->gsi_base + io->nr_pins - 1);
}

void ioapic_init(void)
{
	for (int i = 0; i < acpi_madt.nr_ioapics; i++)
		add_ioapic(&acpi_madt.ioapics[i]);
	if (!nr_ioapics)
		pr_warn("ioapic: none found: device interrupts need MSI\n");
}

int ioapic_route_gsi(u32 gsi, int vector, bool level, bool active_low, u32 dest_apic_id)
{
	struct ioapic *io;
	unsigned long flags;
	u32 pin, low;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS - 1 || dest_apic_id > 0xff)
		return -EINVAL;
	io = gsi_to_ioapic(gsi, &pin);
	if (!io)
		return -ENODEV;
	low = vector | (level ? REDIR_LEVEL : 0) | (active_low ? REDIR_ACTIVE_LOW : 0);

	spin_lock_irqsave(&io->lock, flags);
	/* masked while the halves disagree */
	io_write(io, IOAPIC_REG_REDIR(pin), low | REDIR_MASKED);
	io_write(io, IOAPIC_REG_REDIR(pin) + 1, dest_apic_id << REDIR_DEST_SHIFT);
	io_write(io, IOAPIC_REG_REDIR(pin), low);
	spin_unlock_irqrestore(&io->lock, flags);
	return 0;
}

void ioapic_mask_gsi(u32 gsi, bool mask)
{
	struct ioapic *io;
	unsigned long flags;
	u32 pin, low;

	io = gsi_to_ioapic(gsi, &pin);
	if (!io)
		return;
	spin_lock_irqsave(&io->lock, flags);
	low = io_read(io, IOAPIC_REG_REDIR(pin));
	/* a pin never routed has vector 0: unmasking it would be an APIC error */
	if (mask)
		io_write(io, IOAPIC_REG_REDIR(pin), low | REDIR_MASKED);
	else if ((low & 0xff) >= FIRST_EXTERNAL_VECTOR)
		io_write(io, IOAPIC_REG_REDIR(pin), low & ~REDIR_MASKED);
	spin_unlock_irqrestore(&io->lock, flags);
}

int ioapic_route_isa_irq(int irq, int vector, u32 dest_apic_id)
{
	bool level, active_low;
	int gsi = acpi_isa_irq_to_gsi(irq, &level, &active_low);

	if (gsi < 0)
		return gsi;
	return ioapic_route_gsi(gsi, vector, level, active_low, dest_apic_id);
}
