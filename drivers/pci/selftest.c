// SPDX-License-Identifier: GPL-2.0
/*
 * selftest=pci: prove that interrupts from real devices reach their
 * handlers. The Intel e1000 family can raise any of its interrupt causes
 * on demand through the Interrupt Cause Set register, so no packet or link
 * event is needed. Each mode the device offers is tried on its own: the
 * e1000 (82540EM) has INTx only, the e1000e (82574L) MSI-X, MSI and INTx.
 * A mode passes when the handler sees the cause it raised, and, where the
 * mode can be masked, when a cause raised while masked arrives only after
 * unmasking. Two devices on one INTx line are then tried together, and
 * ECAM is checked against the port mechanism.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>
#include <asm/io.h>
#include "pci.h"

/* registers and bits, from the 8254x and 82574 software developer's manuals */
#define E1000_ICR		0x00c0	/* cause read */
#define E1000_ICS		0x00c8	/* cause set */
#define E1000_IMS		0x00d0	/* mask set (enable) */
#define E1000_IMC		0x00d8	/* mask clear (disable) */
#define E1000_IVAR		0x00e4	/* 82574: cause to MSI-X vector */
#define E1000_ICR_LSC		(1u << 2)	/* link status change */
#define E1000_ICR_RXQ0		(1u << 20)	/* 82574: receive queue 0 */
#define E1000_ICR_OTHER		(1u << 24)	/* 82574: non-queue causes */
/* IVAR holds 4-bit fields: a vector number in bits 0-2, bit 3 valid */
#define E1000_IVAR_FIELD(vec)	(0x8u | (vec))
#define E1000_IVAR_RXQ0_SHIFT	0
#define E1000_IVAR_OTHER_SHIFT	16

#define SELFTEST_WAIT_MS	500	/* for an interrupt that should come */
#define SELFTEST_QUIET_MS	50	/* for one that must not */

struct irq_slot {
	void *regs;
	int hits;
	u32 icr;
};

struct e1000_test {
	struct pci_dev *dev;
	void *regs;
	bool e1000e;
	char name[16];
	int err;		/* -errno behind the last failure, or 0 */
	struct irq_slot slot[2];
};

static const struct pci_device_id selftest_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, 0x100e), .driver_data = 0 },	/* 82540EM */
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, 0x100f), .driver_data = 0 },	/* 82545EM */
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, 0x10d3), .driver_data = 1 },	/* 82574L */
	{ 0 }
};

/* devices held by the test, so that pairs sharing a line can be tried */
static struct e1000_test claimed[4];
static int nr_claimed;
static int nr_tested, nr_failed;

static void selftest_handler(void *data)
{
	struct irq_slot *slot = data;
	u32 icr = readl(slot->regs + E1000_ICR);

	/* the 8254x clears on read; the 82574 with MSI-X wants the bits written back */
	writel(icr, slot->regs + E1000_ICR);
	slot->icr |= icr;
	WRITE_ONCE(slot->hits, slot->hits + 1);
}

static bool wait_hits(struct irq_slot *slot, int want, int ms)
{
	for (int i = 0; i < ms; i++) {
		if (READ_ONCE(slot->hits) >= want)
			return true;
		mdelay(1);
	}
	return READ_ONCE(slot->hits) >= want;
}

static void quiesce(struct e1000_test *t)
{
	writel(~0u, t->regs + E1000_IMC);
	writel(~0u, t->regs + E1000_ICR);
	readl(t->regs + E1000_ICR);
}

/* Raise cause and check it arrives on slot; with mask, first while masked. */
static const char *raise_and_wait(struct e1000_test *t, int index, u32 cause, bool mask)
{
	struct irq_slot *slot = &t->slot[index];
	int before = READ_ONCE(slot->hits);

	slot->icr = 0;
	if (mask && pci_irq_mask(t->dev, index))
		mask = false;
	writel(cause, t->regs + E1000_ICS);
	if (mask) {
		if (wait_hits(slot, before + 1, SELFTEST_QUIET_MS))
			return "interrupt arrived while masked";
		pci_irq_unmask(t->dev, index);
	}
	if (!wait_hits(slot, before + 1, SELFTEST_WAIT_MS))
		return mask ? "no interrupt after unmasking" : "no interrupt";
	if (!(slot->icr & cause))
		return "handler did not see the cause raised";
	return NULL;
}

static const char *test_mode(struct e1000_test *t, unsigned int mode)
{
	bool msix = mode == PCI_IRQ_MSIX;
	u32 causes = E1000_ICR_LSC;
	const char *fail = NULL;
	int n, err;

	t->err = 0;
	n = pci_alloc_irq_vectors(t->dev, 1, msix ? 2 : 1, mode);
	if (n < 0) {
		t->err = n;
		return "cannot allocate vectors";
	}
	memset(t->slot, 0, sizeof(t->slot));
	quiesce(t);
	for (int i = 0; i < n; i++) {
		t->slot[i].regs = t->regs;
		err = pci_request_irq(t->dev, i, selftest_handler, &t->slot[i], "pci-selftest");
		if (err) {
			t->err = err;
			fail = "cannot install the handler";
			goto out;
		}
	}
	if (msix) {
		/* non-queue causes (LSC) on vector 0, receive queue 0 on the last */
		writel(E1000_IVAR_FIELD(0) << E1000_IVAR_OTHER_SHIFT |
		       E1000_IVAR_FIELD(n - 1) << E1000_IVAR_RXQ0_SHIFT, t->regs + E1000_IVAR);
		causes |= E1000_ICR_OTHER | E1000_ICR_RXQ0;
	}
	writel(causes, t->regs + E1000_IMS);

	fail = raise_and_wait(t, 0, E1000_ICR_LSC, false);
	if (!fail)
		fail = raise_and_wait(t, 0, E1000_ICR_LSC, true);
	if (!fail && msix && n > 1)
		fail = raise_and_wait(t, n - 1, E1000_ICR_RXQ0, true);
out:
	quiesce(t);
	pci_free_irq_vectors(t->dev);
	return fail;
}

static void report(struct e1000_test *t, const char *what, const char *fail)
{
	nr_tested++;
	if (!fail) {
		pr_info("selftest: pci irq ok: %s via %s\n", t->name, what);
		return;
	}
	nr_failed++;
	if (t->err)
		pr_err("selftest: pci irq FAILED: %s via %s: %s (error %d)\n", t->name, what,
		       fail, t->err);
	else
		pr_err("selftest: pci irq FAILED: %s via %s: %s\n", t->name, what, fail);
}

/* Raise a cause on t while o shares its line: only t's handler may see it. */
static const char *raise_shared(struct e1000_test *t, struct e1000_test *o)
{
	const char *fail;

	o->slot[0].icr = 0;
	fail = raise_and_wait(t, 0, E1000_ICR_LSC, false);
	if (!fail && (o->slot[0].icr & E1000_ICR_LSC))
		fail = "the other device's handler saw the cause";
	return fail;
}

/*
 * Two devices on one INTx line: both handlers are chained on one vector,
 * each must find only its own cause, and the line must keep working for
 * one after the other has let go.
 */
static const char *test_shared(struct e1000_test *a, struct e1000_test *b)
{
	struct e1000_test *both[2] = { a, b };
	const char *fail = NULL;

	a->err = b->err = 0;
	for (int i = 0; i < 2; i++) {
		struct e1000_test *t = both[i];
		int err;

		memset(t->slot, 0, sizeof(t->slot));
		t->slot[0].regs = t->regs;
		quiesce(t);
		err = pci_alloc_irq_vectors(t->dev, 1, 1, PCI_IRQ_INTX);
		if (err > 0)
			err = pci_request_irq(t->dev, 0, selftest_handler, &t->slot[0],
					      "pci-selftest");
		if (err < 0) {
			a->err = err;
			fail = "cannot install the handlers";
			goto out;
		}
		writel(E1000_ICR_LSC, t->regs + E1000_IMS);
	}
	fail = raise_shared(a, b);
	if (!fail)
		fail = raise_shared(b, a);
	if (fail)
		goto out;
	quiesce(a);
	pci_free_irq_vectors(a->dev);
	fail = raise_and_wait(b, 0, E1000_ICR_LSC, false);
	if (fail)
		fail = "line lost when the other handler left";
out:
	for (int i = 0; i < 2; i++) {
		quiesce(both[i]);
		pci_free_irq_vectors(both[i]->dev);
	}
	return fail;
}

static void run_shared_tests(void)
{
	for (int i = 0; i < nr_claimed; i++) {
		for (int j = i + 1; j < nr_claimed; j++) {
			struct e1000_test *a = &claimed[i], *b = &claimed[j];
			char what[40];

			if (a->dev->irq_line != b->dev->irq_line)
				continue;
			scnprintf(what, sizeof(what), "intx shared with %s", b->name);
			report(a, what, test_shared(a, b));
			return;
		}
	}
}

static int selftest_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	struct e1000_test *t;

	if (nr_claimed == ARRAY_SIZE(claimed))
		return -ENODEV;
	t = &claimed[nr_claimed];
	memset(t, 0, sizeof(*t));
	t->dev = dev;
	t->e1000e = id->driver_data;
	pci_name(dev, t->name);
	pci_enable_device(dev);
	/* MSI and MSI-X are memory writes by the device: it must be a master */
	pci_set_master(dev);
	t->regs = pci_iomap(dev, 0);
	if (!t->regs) {
		report(t, "any", "cannot map BAR0");
		return -ENOMEM;
	}
	if (t->e1000e) {
		report(t, "msix", test_mode(t, PCI_IRQ_MSIX));
		report(t, "msi", test_mode(t, PCI_IRQ_MSI));
	}
	report(t, "intx", test_mode(t, PCI_IRQ_INTX));
	dev->driver_data = t;
	nr_claimed++;
	return 0;
}

static void selftest_remove(struct pci_dev *dev)
{
	struct e1000_test *t = dev->driver_data;

	pci_clear_master(dev);
	pci_iounmap(dev, t->regs);
}

static struct pci_driver selftest_driver = {
	.name = "pci-selftest",
	.id_table = selftest_ids,
	.probe = selftest_probe,
	.remove = selftest_remove,
};

/*
 * ECAM and the port mechanism must see the same registers: compare the
 * identity, class, header and BAR dwords of every function both ways.
 */
static void test_ecam(void)
{
	const struct pci_config_ops *legacy = pci_legacy_config_ops();
	const struct pci_config_ops *ecam = pci_ecam_config_ops();
	static const u8 regs[] = { 0x00, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24,
				   0x2c, 0x3c };
	struct pci_dev *dev = NULL;
	int nr = 0, ext = 0;
	char name[16];

	if (!legacy || !ecam)
		return;
	while ((dev = pci_get_next(dev))) {
		for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
			u32 a, b;

			legacy->read(dev->segment, dev->bus, dev->devfn, regs[i], 4, &a);
			ecam->read(dev->segment, dev->bus, dev->devfn, regs[i], 4, &b);
			if (a != b) {
				pr_err("selftest: pci ecam FAILED: %s offset %#x: ports %#x, ECAM %#x\n",
				       pci_name(dev, name), regs[i], a, b);
				return;
			}
		}
		nr++;
		if (dev->pcie_cap && pci_find_ext_capability(dev, PCI_EXT_CAP_ID_ERR))
			ext++;
	}
	pr_info("selftest: pci ecam ok: %d functions agree, %d with AER found in extended space\n",
		nr, ext);
}

void pci_selftest(void)
{
	test_ecam();

	if (irqs_disabled()) {
		pr_err("selftest: pci irq FAILED: interrupts are disabled\n");
		return;
	}
	nr_tested = nr_failed = nr_claimed = 0;
	/* each device is tested as it is claimed; the pairs once all are held */
	pci_register_driver(&selftest_driver);
	run_shared_tests();
	pci_unregister_driver(&selftest_driver);
	if (!nr_tested)
		pr_err("selftest: pci irq FAILED: no free e1000 or e1000e device to test\n");
	else
		pr_info("selftest: pci irq: %d of %d tests passed\n", nr_tested - nr_failed,
			nr_tested);
}
