// SPDX-License-Identifier: GPL-2.0
/*
 * PCI interrupts on x86. A message-signalled interrupt is a memory write
 * into the local APIC's window at 0xfee00000: the address selects the
 * destination CPU, the data word the vector (Intel SDM vol. 3, "Message
 * Signalled Interrupts"). INTx pins reach the I/O APIC through the
 * chipset's PIRQ router; the firmware wrote the resulting ISA IRQ into the
 * interrupt line register, and ACPI's overrides turn that into a GSI.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <asm/ioapic.h>
#include <asm/irq.h>
#include <asm/percpu.h>

#define MSI_ADDRESS_BASE	0xfee00000u
#define MSI_ADDRESS_DEST(id)	((u32)(id) << 12)	/* physical destination mode */
#define MSI_DATA_VECTOR(v)	((v) & 0xff)		/* fixed delivery, edge */

#define ISA_IRQS		16

/* What each vector owned here calls, found by the vector number itself. */
struct pci_vector {
	pci_irq_handler_t handler;
	void *data;
};

static struct pci_vector pci_vectors[NR_VECTORS];

static void pci_vector_entry(struct pt_regs *regs, void *unused)
{
	struct pci_vector *v = &pci_vectors[regs->vector];
	pci_irq_handler_t handler = READ_ONCE(v->handler);

	if (handler)
		handler(READ_ONCE(v->data));
}

static int vector_alloc(pci_irq_handler_t handler, void *data, const char *name)
{
	int vector = alloc_vector(pci_vector_entry, NULL, name);

	if (vector < 0)
		return vector;
	/* the device is not programmed yet, so nothing arrives before this */
	WRITE_ONCE(pci_vectors[vector].data, data);
	WRITE_ONCE(pci_vectors[vector].handler, handler);
	return vector;
}

static void vector_free(int vector)
{
	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS)
		return;
	/* a late interrupt finds no handler rather than a stale one */
	WRITE_ONCE(pci_vectors[vector].handler, NULL);
	free_vector(vector);
}

/* Device interrupts all go to the boot CPU for now. */
static u32 irq_dest_apic_id(void)
{
	return per_cpu(0)->apic_id;
}

int pcibios_msi_alloc(pci_irq_handler_t handler, void *data, const char *name,
		      struct msi_msg *msg)
{
	u32 dest = irq_dest_apic_id();
	int vector;

	/* beyond 255 needs x2APIC with interrupt remapping */
	if (dest > 0xff)
		return -EINVAL;
	vector = vector_alloc(handler, data, name);
	if (vector < 0)
		return vector;
	msg->address = MSI_ADDRESS_BASE | MSI_ADDRESS_DEST(dest);
	msg->data = MSI_DATA_VECTOR(vector);
	return vector;
}

void pcibios_msi_free(int cookie)
{
	vector_free(cookie);
}

/*
 * The GSI behind the interrupt line register, with its trigger mode and
 * polarity. PCI lines are level-triggered and active-low unless an ACPI
 * override for that ISA IRQ says otherwise.
 */
static int intx_gsi(const struct pci_dev *dev, u32 *gsi, bool *level, bool *active_low)
{
	int g;

	/* 0 is the timer, 0xff means "not connected" */
	if (!dev->irq_pin || !dev->irq_line || dev->irq_line == 0xff)
		return -ENODEV;
	*gsi = dev->irq_line;
	*level = true;
	*active_low = true;
	if (dev->irq_line >= ISA_IRQS)
		return 0;
	g = acpi_isa_irq_to_gsi(dev->irq_line, level, active_low);
	if (g < 0) {
		*level = true;
		*active_low = true;
		return 0;
	}
	*gsi = g;
	/* no override: the ISA default (edge) does not apply to a PCI line */
	if (!*level) {
		*level = true;
		*active_low = true;
	}
	return 0;
}

int pcibios_intx_line(struct pci_dev *dev, u32 *line)
{
	bool level, active_low;

	return intx_gsi(dev, line, &level, &active_low);
}

int pcibios_intx_connect(struct pci_dev *dev, u32 line, pci_irq_handler_t handler,
			 void *data, const char *name)
{
	bool level, active_low;
	u32 gsi;
	int vector, err;

	err = intx_gsi(dev, &gsi, &level, &active_low);
	if (err)
		return err;
	if (gsi != line)
		return -EINVAL;
	vector = vector_alloc(handler, data, name);
	if (vector < 0)
		return vector;
	err = ioapic_route_gsi(gsi, vector, level, active_low, irq_dest_apic_id());
	if (err) {
		vector_free(vector);
		return err;
	}
	pr_info("pci: GSI %u (%s, active %s) on vector %#x\n", gsi,
		level ? "level" : "edge", active_low ? "low" : "high", vector);
	return vector;
}

void pcibios_intx_disconnect(u32 line, int cookie)
{
	ioapic_mask_gsi(line, true);
	vector_free(cookie);
}
