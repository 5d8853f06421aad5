// SPDX-License-Identifier: GPL-2.0
/*
 * Device interrupts: MSI-X (a table of address/data pairs in a BAR, one
 * per vector, each maskable), MSI (address/data in the capability itself,
 * one vector here) and INTx (a level-triggered pin, possibly shared with
 * other devices). The architecture turns a message or a line into a CPU
 * interrupt; this file programs the device and chains shared lines.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/mutex.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <asm/io.h>
#include <asm/processor.h>
#include "pci.h"

struct intx_line;

struct pci_irq {
	struct pci_dev *dev;
	pci_irq_handler_t handler;
	void *data;
	const char *name;
	bool requested;
	int cookie;			/* from pcibios_msi_alloc */
	int active;			/* MSI: handler may be called */
	int running;			/* MSI: handlers in progress */
	struct intx_line *line;		/* INTx: the shared line */
	struct list_head shared;	/* INTx: on line->actions */
};

/* A system interrupt line and the INTx handlers chained on it. */
struct intx_line {
	u32 line;
	int cookie;			/* from pcibios_intx_connect */
	struct list_head actions;
	struct list_head node;
};

static LIST_HEAD(intx_lines);
static DEFINE_MUTEX(intx_mutex);	/* connecting and disconnecting lines */
static DEFINE_SPINLOCK(intx_lock);	/* the action lists, against dispatch */

const char *pci_irq_mode_name(unsigned int mode)
{
	switch (mode) {
	case PCI_IRQ_MSIX: return "msix";
	case PCI_IRQ_MSI: return "msi";
	case PCI_IRQ_INTX: return "intx";
	default: return "none";
	}
}

static void intx_enable(struct pci_dev *dev, bool on)
{
	if (on)
		pci_update_command(dev, 0, PCI_COMMAND_INTX_DISABLE);
	else
		pci_update_command(dev, PCI_COMMAND_INTX_DISABLE, 0);
}

/* ---------------------------------------------------------------- MSI-X */

static void *msix_entry(struct pci_dev *dev, int index)
{
	return dev->msix_table + index * PCI_MSIX_ENTRY_SIZE;
}

static void msix_set_mask(struct pci_dev *dev, int index, bool mask)
{
	void *e = msix_entry(dev, index);
	u32 ctrl = readl(e + PCI_MSIX_ENTRY_CTRL);

	if (mask)
		ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
	else
		ctrl &= ~PCI_MSIX_ENTRY_CTRL_MASKBIT;
	writel(ctrl, e + PCI_MSIX_ENTRY_CTRL);
	readl(e + PCI_MSIX_ENTRY_CTRL);		/* flush the posted write */
}

static void msix_write_msg(struct pci_dev *dev, int index, const struct msi_msg *msg)
{
	void *e = msix_entry(dev, index);

	writel((u32)msg->address, e + PCI_MSIX_ENTRY_ADDR_LO);
	writel(msg->address >> 32, e + PCI_MSIX_ENTRY_ADDR_HI);
	writel(msg->data, e + PCI_MSIX_ENTRY_DATA);
}

static void msix_set_flags(struct pci_dev *dev, u16 set, u16 clear)
{
	u16 flags;

	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &flags);
	pci_write_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, (flags & ~clear) | set);
}

static void msi_enable(struct pci_dev *dev, bool on);

static int msix_setup(struct pci_dev *dev, int min, int max)
{
	u16 flags;
	u32 table;
	int hw_vecs, nvec, bir;
	const struct pci_bar *bar;

	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &flags);
	pci_read_config_dword(dev, dev->msix_cap + PCI_MSIX_TABLE, &table);
	hw_vecs = (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	nvec = min(max, hw_vecs);
	if (nvec < min)
		return -ENOSPC;
	bir = table & PCI_MSIX_BIR_MASK;
	bar = bir < PCI_NUM_BARS ? &dev->bar[bir] : NULL;
	if (!bar || !bar->size || (bar->flags & PCI_BAR_IO) || !bar->start)
		return -ENODEV;
	table &= ~PCI_MSIX_BIR_MASK;
	if (table + (u64)hw_vecs * PCI_MSIX_ENTRY_SIZE > bar->size)
		return -ENODEV;

	dev->msix_table = ioremap(bar->start + table, hw_vecs * PCI_MSIX_ENTRY_SIZE);
	if (!dev->msix_table)
		return -ENOMEM;
	/* the table is in a BAR: memory decoding must be on to reach it */
	pci_update_command(dev, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE, 0);
	/* MSI and MSI-X both enabled is undefined (PCI 3.0, 6.8) */
	if (dev->msi_cap)
		msi_enable(dev, false);
	/*
	 * Enable with the whole function masked, mask every entry, then lift
	 * the function mask: entries stay masked until pci_request_irq()
	 * gives them an address, so nothing is ever written to a stale one.
	 */
	msix_set_flags(dev, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, 0);
	for (int i = 0; i < hw_vecs; i++)
		msix_set_mask(dev, i, true);
	msix_set_flags(dev, 0, PCI_MSIX_FLAGS_MASKALL);
	return nvec;
}

static void msix_teardown(struct pci_dev *dev)
{
	msix_set_flags(dev, 0, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	iounmap(dev->msix_table);
	dev->msix_table = NULL;
}

/* ---------------------------------------------------------------- MSI */

static u16 msi_flags(struct pci_dev *dev)
{
	u16 flags;

	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &flags);
	return flags;
}

static int msi_mask_reg(struct pci_dev *dev)
{
	u16 flags = msi_flags(dev);

	if (!(flags & PCI_MSI_FLAGS_MASKBIT))
		return 0;
	return dev->msi_cap + (flags & PCI_MSI_FLAGS_64BIT ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
}

static int msi_set_mask(struct pci_dev *dev, bool mask)
{
	int reg = msi_mask_reg(dev);
	u32 bits;

	if (!reg)
		return -EOPNOTSUPP;
	pci_read_config_dword(dev, reg, &bits);
	bits = mask ? bits | 1 : bits & ~1u;
	pci_write_config_dword(dev, reg, bits);
	return 0;
}

/*
 * One vector only: several MSI vectors differ in the low bits of the data
 * word, so they need an aligned block of consecutive CPU vectors, which
 * the vector allocator does not hand out. Devices wanting more have MSI-X.
 */
static int msi_setup(struct pci_dev *dev)
{
	if (dev->msix_cap)
		msix_set_flags(dev, 0, PCI_MSIX_FLAGS_ENABLE);
	/* enabled only once pci_request_irq() has written the message */
	msi_enable(dev, false);
	msi_set_mask(dev, true);
	pci_update_command(dev, PCI_COMMAND_INTX_DISABLE, 0);
	return 1;
}

static void msi_write_msg(struct pci_dev *dev, const struct msi_msg *msg)
{
	u16 flags = msi_flags(dev);
	int pos = dev->msi_cap;

	pci_write_config_dword(dev, pos + PCI_MSI_ADDRESS_LO, (u32)msg->address);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		pci_write_config_dword(dev, pos + PCI_MSI_ADDRESS_HI, msg->address >> 32);
		pci_write_config_word(dev, pos + PCI_MSI_DATA_64, msg->data);
	} else {
		pci_write_config_word(dev, pos + PCI_MSI_DATA_32, msg->data);
	}
}

static void msi_enable(struct pci_dev *dev, bool on)
{
	u16 flags = msi_flags(dev);

	flags &= ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	if (on)
		flags |= PCI_MSI_FLAGS_ENABLE;
	pci_write_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, flags);
}

/* Both message kinds arrive here from the architecture's vector. */
static void msi_entry(void *data)
{
	struct pci_irq *irq = data;

	__atomic_fetch_add(&irq->running, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&irq->active, __ATOMIC_SEQ_CST))
		irq->handler(irq->data);
	__atomic_fetch_sub(&irq->running, 1, __ATOMIC_SEQ_CST);
}

/* After this, no CPU is inside or will enter irq's handler. */
static void msi_quiesce(struct pci_irq *irq)
{
	__atomic_store_n(&irq->active, 0, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&irq->running, __ATOMIC_SEQ_CST))
		cpu_relax();
}

static int msi_request(struct pci_dev *dev, int index, struct pci_irq *irq)
{
	struct msi_msg msg;
	int cookie;

	__atomic_store_n(&irq->active, 1, __ATOMIC_SEQ_CST);
	cookie = pcibios_msi_alloc(msi_entry, irq, irq->name, &msg);
	if (cookie < 0)
		return cookie;
	irq->cookie = cookie;
	if (dev->irq_mode == PCI_IRQ_MSIX) {
		msix_write_msg(dev, index, &msg);
		msix_set_mask(dev, index, false);
	} else {
		msi_write_msg(dev, &msg);
		msi_enable(dev, true);
		msi_set_mask(dev, false);
	}
	return 0;
}

static void msi_release(struct pci_dev *dev, int index, struct pci_irq *irq)
{
	if (dev->irq_mode == PCI_IRQ_MSIX) {
		msix_set_mask(dev, index, true);
	} else {
		msi_set_mask(dev, true);
		msi_enable(dev, false);
	}
	msi_quiesce(irq);
	pcibios_msi_free(irq->cookie);
}

/* ---------------------------------------------------------------- INTx */

/* Every handler on the line runs: only the device knows if it asserted. */
static void intx_dispatch(void *data)
{
	struct intx_line *line = data;
	struct pci_irq *irq;

	spin_lock(&intx_lock);
	list_for_each_entry(irq, &line->actions, shared)
		irq->handler(irq->data);
	spin_unlock(&intx_lock);
}

static struct intx_line *find_line(u32 nr)
{
	struct intx_line *line;

	list_for_each_entry(line, &intx_lines, node)
		if (line->line == nr)
			return line;
	return NULL;
}

static int intx_request(struct pci_dev *dev, struct pci_irq *irq)
{
	struct intx_line *line;
	unsigned long flags;
	u32 nr;
	int err = pcibios_intx_line(dev, &nr);

	if (err)
		return err;
	mutex_lock(&intx_mutex);
	line = find_line(nr);
	if (line) {
		spin_lock_irqsave(&intx_lock, flags);
		list_add_tail(&irq->shared, &line->actions);
		spin_unlock_irqrestore(&intx_lock, flags);
	} else {
		line = kzalloc(sizeof(*line), GFP_KERNEL);
		err = -ENOMEM;
		if (!line)
			goto out;
		line->line = nr;
		INIT_LIST_HEAD(&line->actions);
		list_add_tail(&irq->shared, &line->actions);
		err = pcibios_intx_connect(dev, nr, intx_dispatch, line, irq->name);
		if (err < 0) {
			kfree(line);
			goto out;
		}
		line->cookie = err;
		list_add_tail(&line->node, &intx_lines);
	}
	irq->line = line;
	err = 0;
	intx_enable(dev, true);
out:
	mutex_unlock(&intx_mutex);
	return err;
}

static void intx_release(struct pci_dev *dev, struct pci_irq *irq)
{
	struct intx_line *line = irq->line;
	unsigned long flags;
	bool last;

	intx_enable(dev, false);
	mutex_lock(&intx_mutex);
	spin_lock_irqsave(&intx_lock, flags);
	list_del(&irq->shared);
	last = list_empty(&line->actions);
	spin_unlock_irqrestore(&intx_lock, flags);
	if (last) {
		pcibios_intx_disconnect(line->line, line->cookie);
		list_del(&line->node);
		kfree(line);
	}
	irq->line = NULL;
	mutex_unlock(&intx_mutex);
}

/* ---------------------------------------------------------------- API */

static int choose_mode(struct pci_dev *dev, int min, int max, unsigned int flags)
{
	u32 line;
	int n;

	if ((flags & PCI_IRQ_MSIX) && dev->msix_cap) {
		n = msix_setup(dev, min, max);
		if (n > 0) {
			dev->irq_mode = PCI_IRQ_MSIX;
			return n;
		}
	}
	if (min > 1)
		return -ENOSPC;
	if ((flags & PCI_IRQ_MSI) && dev->msi_cap) {
		dev->irq_mode = PCI_IRQ_MSI;
		return msi_setup(dev);
	}
	if ((flags & PCI_IRQ_INTX) && dev->irq_pin && !pcibios_intx_line(dev, &line)) {
		dev->irq_mode = PCI_IRQ_INTX;
		/* masked at the device until a handler is there */
		intx_enable(dev, false);
		return 1;
	}
	return -ENODEV;
}

int pci_alloc_irq_vectors(struct pci_dev *dev, int min, int max, unsigned int flags)
{
	int n;

	if (dev->irq_mode)
		return -EBUSY;
	if (min < 1 || max < min)
		return -EINVAL;
	n = choose_mode(dev, min, max, flags);
	if (n < 0)
		return n;
	dev->irqs = kcalloc(n, sizeof(*dev->irqs), GFP_KERNEL);
	if (!dev->irqs) {
		if (dev->irq_mode == PCI_IRQ_MSIX)
			msix_teardown(dev);
		dev->irq_mode = 0;
		return -ENOMEM;
	}
	dev->nr_irqs = n;
	return n;
}

int pci_request_irq(struct pci_dev *dev, int index, pci_irq_handler_t handler,
		    void *data, const char *name)
{
	struct pci_irq *irq;
	int err;

	if (!handler || index < 0 || index >= dev->nr_irqs)
		return -EINVAL;
	irq = &dev->irqs[index];
	if (irq->requested)
		return -EBUSY;
	irq->dev = dev;
	irq->handler = handler;
	irq->data = data;
	irq->name = name;
	if (dev->irq_mode == PCI_IRQ_INTX)
		err = intx_request(dev, irq);
	else
		err = msi_request(dev, index, irq);
	if (!err)
		irq->requested = true;
	return err;
}

void pci_free_irq(struct pci_dev *dev, int index)
{
	struct pci_irq *irq;

	if (index < 0 || index >= dev->nr_irqs || !dev->irqs[index].requested)
		return;
	irq = &dev->irqs[index];
	if (dev->irq_mode == PCI_IRQ_INTX)
		intx_release(dev, irq);
	else
		msi_release(dev, index, irq);
	irq->requested = false;
}

void pci_free_irq_vectors(struct pci_dev *dev)
{
	for (int i = 0; i < dev->nr_irqs; i++)
		pci_free_irq(dev, i);
	if (dev->irq_mode == PCI_IRQ_MSIX)
		msix_teardown(dev);
	else if (dev->irq_mode == PCI_IRQ_MSI)
		msi_enable(dev, false);
	kfree(dev->irqs);
	dev->irqs = NULL;
	dev->nr_irqs = 0;
	dev->irq_mode = 0;
}

static int set_mask(struct pci_dev *dev, int index, bool mask)
{
	if (index < 0 || index >= dev->nr_irqs)
		return -EINVAL;
	switch (dev->irq_mode) {
	case PCI_IRQ_MSIX:
		msix_set_mask(dev, index, mask);
		return 0;
	case PCI_IRQ_MSI:
		return msi_set_mask(dev, mask);
	case PCI_IRQ_INTX:
		/* the disable bit masks this function alone, not the whole line */
		intx_enable(dev, !mask);
		return 0;
	}
	return -EINVAL;
}

int pci_irq_mask(struct pci_dev *dev, int index)
{
	return set_mask(dev, index, true);
}

int pci_irq_unmask(struct pci_dev *dev, int index)
{
	return set_mask(dev, index, false);
}
