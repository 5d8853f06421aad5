// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 82540EM / 82545EM gigabit Ethernet (QEMU's -device e1000 and
 * e1000-82545em), with legacy descriptors.
 *
 * Receive: a ring of 2048-byte buffers that the device fills; the receive
 * interrupt masks itself and wakes the net core's poll thread, which hands
 * frames up straight from the ring and re-enables the interrupt only once
 * the ring is empty. Long frames (RCTL.LPE, up to 16 KB) span several
 * descriptors and are gathered into one buffer before going up.
 *
 * Transmit: each descriptor owns a 2048-byte buffer the frame is copied
 * into, so callers keep their memory; a long frame takes several
 * descriptors. Finished descriptors are reclaimed on the next transmit,
 * so transmission needs no interrupt at all.
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/compiler.h>
#include <lego/errno.h>
#include <lego/mm.h>
#include <lego/netdevice.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <asm/io.h>
#include "e1000.h"

#define E1000_RING_SIZE		256		/* descriptors per ring, a power of two */
#define E1000_RING_MASK		(E1000_RING_SIZE - 1)
#define E1000_BUF_SIZE		2048		/* per descriptor, RCTL.BSIZE must agree */
#define E1000_BUFS_PER_PAGE	(PAGE_SIZE / E1000_BUF_SIZE)
#define ETH_FCS_LEN		4
/*
 * The receiver takes frames of up to 16384 bytes with their FCS when
 * RCTL.LPE is set. Sending stops a little short of that, so a whole frame
 * fits in the 16 KB transmit FIFO the 82540EM has after reset.
 */
#define E1000_MAX_RX_FRAME	(16384 - ETH_FCS_LEN)
#define E1000_MAX_TX_FRAME	(16128 - ETH_FCS_LEN)
#define E1000_MAX_MTU		(E1000_MAX_TX_FRAME - ETH_HLEN)

/*
 * Buffers go back to the device in batches: one register write each, yet
 * often enough that a long frame (up to 8 buffers) finds room while we
 * are still working through a full ring.
 */
#define E1000_RX_GIVE_BACK	32

#define E1000_RESET_TIMEOUT_MS	100
#define E1000_EERD_TIMEOUT_US	10000

/* the causes that mean "look at the receive ring" */
#define E1000_RX_CAUSES		(E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0 | \
				 E1000_ICR_RXSEQ)

/*
 * x86 keeps stores in order with stores and loads with loads, uncached MMIO
 * included; only the compiler must be kept from moving descriptor accesses
 * across the doorbell write or the DD check.
 */
#define e1000_dma_wmb()		barrier()
#define e1000_dma_rmb()		barrier()

struct e1000_adapter {
	struct net_device netdev;
	struct pci_dev *pdev;
	void *regs;
	char pci_name[16];
	bool up;			/* netdev registered: the IRQ handler may act */

	struct e1000_rx_desc *rx_ring;
	void *rx_buf[E1000_RING_SIZE];
	unsigned int rx_next;		/* next descriptor the device will complete */
	u8 *rx_frame;			/* a frame spanning descriptors is gathered here */
	size_t rx_frame_len;
	bool rx_frame_bad;		/* a piece was lost or damaged: drop at EOP */

	struct e1000_tx_desc *tx_ring;
	void *tx_buf[E1000_RING_SIZE];
	unsigned int tx_tail;		/* next descriptor to fill (TDT) */
	unsigned int tx_clean;		/* oldest descriptor not yet reclaimed */
};

static const struct pci_device_id e1000_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, 0x100e) },	/* 82540EM */
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, 0x100f) },	/* 82545EM copper */
	{ 0 }
};

static inline u32 er32(struct e1000_adapter *ad, unsigned int reg)
{
	return readl(ad->regs + reg);
}

static inline void ew32(struct e1000_adapter *ad, unsigned int reg, u32 val)
{
	writel(val, ad->regs + reg);
}

/* ---------------------------------------------------------------- hardware */

/* Stop DMA and interrupts, then reset the whole controller. */
static int e1000_reset_hw(struct e1000_adapter *ad)
{
	ew32(ad, E1000_IMC, ~0u);
	ew32(ad, E1000_RCTL, 0);
	ew32(ad, E1000_TCTL, E1000_TCTL_PSP);
	er32(ad, E1000_STATUS);		/* flush the posted writes */
	/* let a frame already being moved finish before pulling the plug */
	mdelay(10);

	ew32(ad, E1000_CTRL, er32(ad, E1000_CTRL) | E1000_CTRL_RST);
	for (int ms = 0; ms < E1000_RESET_TIMEOUT_MS; ms++) {
		/* the manual forbids any access for a while after RST */
		mdelay(1);
		if (!(er32(ad, E1000_CTRL) & E1000_CTRL_RST))
			goto done;
	}
	return -ETIMEDOUT;
done:
	/* the reset re-reads the EEPROM, which may turn interrupts back on */
	ew32(ad, E1000_IMC, ~0u);
	er32(ad, E1000_ICR);
	return 0;
}

static int e1000_eeprom_read(struct e1000_adapter *ad, unsigned int word, u16 *out)
{
	ew32(ad, E1000_EERD, word << E1000_EERD_ADDR_SHIFT | E1000_EERD_START);
	for (int us = 0; us < E1000_EERD_TIMEOUT_US; us += 10) {
		u32 v = er32(ad, E1000_EERD);

		if (v & E1000_EERD_DONE) {
			*out = v >> E1000_EERD_DATA_SHIFT;
			return 0;
		}
		udelay(10);
	}
	return -ETIMEDOUT;
}

static bool mac_usable(const u8 *mac)
{
	static const u8 zero[ETH_ALEN];

	return !is_multicast_ether_addr(mac) && !ether_addr_equal(mac, zero);
}

/*
 * The reset loads receive address 0 from the EEPROM; when that did not
 * happen (no valid bit), read the three EEPROM words ourselves.
 */
static int e1000_read_mac(struct e1000_adapter *ad, u8 *mac)
{
	u32 ral = er32(ad, E1000_RAL0), rah = er32(ad, E1000_RAH0);

	if (rah & E1000_RAH_AV) {
		for (int i = 0; i < 4; i++)
			mac[i] = ral >> (8 * i);
		mac[4] = rah;
		mac[5] = rah >> 8;
		if (mac_usable(mac))
			return 0;
	}
	for (int i = 0; i < ETH_ALEN / 2; i++) {
		u16 word;
		int err = e1000_eeprom_read(ad, i, &word);

		if (err)
			return err;
		mac[2 * i] = word;
		mac[2 * i + 1] = word >> 8;
	}
	return mac_usable(mac) ? 0 : -ENODEV;
}

static void e1000_setup_link(struct e1000_adapter *ad)
{
	u32 ctrl = er32(ad, E1000_CTRL);

	/*
	 * Let the MAC follow what the PHY negotiated. Pause frames stay off:
	 * the stack above retransmits, and a peer's pause must not stall us.
	 */
	ctrl |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
	ctrl &= ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_ILOS | E1000_CTRL_VME |
		  E1000_CTRL_RFCE | E1000_CTRL_TFCE);
	ew32(ad, E1000_CTRL, ctrl);
	ew32(ad, E1000_FCAL, 0);
	ew32(ad, E1000_FCAH, 0);
	ew32(ad, E1000_FCT, 0);
	ew32(ad, E1000_FCTTV, 0);
}

/* Accept our address and broadcast only: no multicast group is joined. */
static void e1000_setup_filters(struct e1000_adapter *ad)
{
	const u8 *mac = ad->netdev.mac;

	for (int i = 0; i < E1000_MTA_SIZE; i++)
		ew32(ad, E1000_MTA + 4 * i, 0);
	ew32(ad, E1000_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24);
	ew32(ad, E1000_RAH0, mac[4] | mac[5] << 8 | E1000_RAH_AV);
}

static void e1000_setup_rx(struct e1000_adapter *ad)
{
	u64 base = __pa(ad->rx_ring);

	for (int i = 0; i < E1000_RING_SIZE; i++) {
		ad->rx_ring[i].addr = __pa(ad->rx_buf[i]);
		ad->rx_ring[i].status = 0;
	}
	ad->rx_next = 0;
	ad->rx_frame_len = 0;
	ad->rx_frame_bad = false;

	ew32(ad, E1000_RDBAL, (u32)base);
	ew32(ad, E1000_RDBAH, base >> 32);
	ew32(ad, E1000_RDLEN, E1000_RING_SIZE * sizeof(struct e1000_rx_desc));
	ew32(ad, E1000_RDH, 0);
	/* all but one: head == tail would mean "nothing for the device" */
	ew32(ad, E1000_RDT, E1000_RING_SIZE - 1);
	/* interrupt as soon as a frame is in; the poll thread batches */
	ew32(ad, E1000_RDTR, 0);
	ew32(ad, E1000_RADV, 0);
	/* long frames always: a peer may use a larger MTU than ours */
	ew32(ad, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC |
	     E1000_RCTL_LPE | E1000_RCTL_BSIZE_2048 | E1000_RCTL_RDMTS_HALF);
}

static void e1000_setup_tx(struct e1000_adapter *ad)
{
	u64 base = __pa(ad->tx_ring);

	for (int i = 0; i < E1000_RING_SIZE; i++) {
		ad->tx_ring[i].addr = __pa(ad->tx_buf[i]);
		ad->tx_ring[i].cmd = 0;
		ad->tx_ring[i].status = 0;
	}
	ad->tx_tail = 0;
	ad->tx_clean = 0;

	ew32(ad, E1000_TDBAL, (u32)base);
	ew32(ad, E1000_TDBAH, base >> 32);
	ew32(ad, E1000_TDLEN, E1000_RING_SIZE * sizeof(struct e1000_tx_desc));
	ew32(ad, E1000_TDH, 0);
	ew32(ad, E1000_TDT, 0);
	ew32(ad, E1000_TIDV, 0);
	ew32(ad, E1000_TIPG, E1000_TIPG_VALUE);
	ew32(ad, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT |
	     E1000_TCTL_COLD_FD);
}

static const char *e1000_link_string(struct e1000_adapter *ad, char *buf, size_t size)
{
	static const char *const speeds[] = { "10", "100", "1000", "1000" };
	u32 status = er32(ad, E1000_STATUS);

	if (!(status & E1000_STATUS_LU))
		return "down";
	snprintf(buf, size, "up %s Mb/s %s duplex",
		 speeds[(status & E1000_STATUS_SPEED_MASK) >> E1000_STATUS_SPEED_SHIFT],
		 status & E1000_STATUS_FD ? "full" : "half");
	return buf;
}

/* ---------------------------------------------------------------- interrupts */

static void e1000_interrupt(void *data)
{
	struct e1000_adapter *ad = data;
	/* reading acknowledges every cause and lowers the INTx line */
	u32 icr = er32(ad, E1000_ICR);
	char link[32];

	/* 0: the shared line was raised by another device */
	if (!icr || !READ_ONCE(ad->up))
		return;
	if (icr & E1000_RX_CAUSES) {
		ew32(ad, E1000_IMC, E1000_RX_CAUSES);
		netif_schedule_poll(&ad->netdev);
	}
	if (icr & E1000_ICR_LSC)
		pr_info("e1000 %s: %s: link %s\n", ad->pci_name, ad->netdev.name,
			e1000_link_string(ad, link, sizeof(link)));
}

static bool e1000_irq_enable(struct net_device *dev)
{
	struct e1000_adapter *ad = dev->priv;

	/*
	 * Causes raised while we polled are stale: the ring says what is
	 * left. Clearing them saves an interrupt that would find nothing
	 * (the 8254x clears a cause written as 1; read-only parts ignore it).
	 */
	ew32(ad, E1000_ICR, E1000_RX_CAUSES);
	ew32(ad, E1000_IMS, E1000_RX_CAUSES | E1000_ICR_LSC);
	/* a frame completed before the unmask raised no interrupt: look */
	if (!(READ_ONCE(ad->rx_ring[ad->rx_next].status) & E1000_RXD_STAT_DD))
		return false;
	ew32(ad, E1000_IMC, E1000_RX_CAUSES);
	return true;
}

/* ---------------------------------------------------------------- receive */

static void e1000_rx_drop(struct e1000_adapter *ad)
{
	atomic_long_inc(&ad->netdev.stats.rx_dropped);
}

/*
 * One completed descriptor. Errors are only valid on the last descriptor
 * of a frame. Returns true when it ended a frame.
 */
static bool e1000_rx_one(struct e1000_adapter *ad, struct e1000_rx_desc *desc, u8 status)
{
	const void *buf = ad->rx_buf[ad->rx_next];
	size_t len = desc->length;
	bool eop = status & E1000_RXD_STAT_EOP;
	bool bad = eop && (desc->errors & E1000_RXD_ERR_FRAME);

	if (eop && !ad->rx_frame_len && !ad->rx_frame_bad) {
		/* the common case: the whole frame in one buffer, no copy */
		if (bad)
			e1000_rx_drop(ad);
		else
			netif_receive(&ad->netdev, buf, len);
		return true;
	}

	if (ad->rx_frame_len + len > E1000_MAX_RX_FRAME)
		ad->rx_frame_bad = true;
	if (!ad->rx_frame_bad) {
		memcpy(ad->rx_frame + ad->rx_frame_len, buf, len);
		ad->rx_frame_len += len;
	}
	if (!eop)
		return false;
	if (bad || ad->rx_frame_bad)
		e1000_rx_drop(ad);
	else
		netif_receive(&ad->netdev, ad->rx_frame, ad->rx_frame_len);
	ad->rx_frame_len = 0;
	ad->rx_frame_bad = false;
	return true;
}

/* Return every buffer before rx_next to the device. */
static void e1000_rx_give_back(struct e1000_adapter *ad)
{
	/* the cleared descriptors must be in memory before the device sees them */
	e1000_dma_wmb();
	ew32(ad, E1000_RDT, (ad->rx_next - 1) & E1000_RING_MASK);
}

static int e1000_poll(struct net_device *dev, int budget)
{
	struct e1000_adapter *ad = dev->priv;
	int frames = 0, descs = 0;

	/* the descriptor bound stops a stream of pieces that never ends a frame */
	while (frames < budget && descs < E1000_RING_SIZE) {
		struct e1000_rx_desc *desc = &ad->rx_ring[ad->rx_next];
		u8 status = READ_ONCE(desc->status);

		if (!(status & E1000_RXD_STAT_DD))
			break;
		/* length and data only after DD was seen */
		e1000_dma_rmb();
		if (e1000_rx_one(ad, desc, status))
			frames++;
		desc->status = 0;
		ad->rx_next = (ad->rx_next + 1) & E1000_RING_MASK;
		if (++descs % E1000_RX_GIVE_BACK == 0)
			e1000_rx_give_back(ad);
	}
	if (descs % E1000_RX_GIVE_BACK)
		e1000_rx_give_back(ad);
	return frames;
}

/* ---------------------------------------------------------------- transmit */

static unsigned int e1000_tx_free(const struct e1000_adapter *ad)
{
	/* one slot stays empty: TDT == TDH means "ring empty" to the device */
	return (ad->tx_clean - ad->tx_tail - 1) & E1000_RING_MASK;
}

static void e1000_tx_reclaim(struct e1000_adapter *ad)
{
	while (ad->tx_clean != ad->tx_tail) {
		if (!(READ_ONCE(ad->tx_ring[ad->tx_clean].status) & E1000_TXD_STAT_DD))
			break;
		ad->tx_clean = (ad->tx_clean + 1) & E1000_RING_MASK;
	}
}

/* Walks the caller's pieces as one byte stream. */
struct kvec_cursor {
	const struct kvec *iov;
	int piece;
	size_t off;
};

static void kvec_copy(struct kvec_cursor *c, u8 *dst, size_t len)
{
	while (len) {
		const struct kvec *v = &c->iov[c->piece];
		size_t chunk = min(len, v->len - c->off);

		memcpy(dst, (const u8 *)v->base + c->off, chunk);
		dst += chunk;
		len -= chunk;
		c->off += chunk;
		if (c->off == v->len) {
			c->piece++;
			c->off = 0;
		}
	}
}

static int e1000_xmit(struct net_device *dev, const struct kvec *iov, int n)
{
	struct e1000_adapter *ad = dev->priv;
	struct kvec_cursor cur = { .iov = iov };
	size_t len = 0, frame_len, left;
	unsigned int need, i;

	for (int k = 0; k < n; k++)
		len += iov[k].len;
	if (len > E1000_MAX_TX_FRAME)
		return -EMSGSIZE;
	/* the device pads too (TCTL.PSP), but what it pads with is unspecified */
	frame_len = max(len, (size_t)ETH_ZLEN);
	need = DIV_ROUND_UP(frame_len, E1000_BUF_SIZE);

	e1000_tx_reclaim(ad);
	if (e1000_tx_free(ad) < need)
		return -EBUSY;

	i = ad->tx_tail;
	for (left = frame_len; left; ) {
		struct e1000_tx_desc *desc = &ad->tx_ring[i];
		size_t chunk = min(left, (size_t)E1000_BUF_SIZE);
		size_t data = min(chunk, len - (frame_len - left));
		u8 *buf = ad->tx_buf[i];

		kvec_copy(&cur, buf, data);
		if (data < chunk)
			memset(buf + data, 0, chunk - data);
		left -= chunk;
		desc->length = chunk;
		desc->status = 0;
		/* RS on every piece, so each one can be reclaimed on its own */
		desc->cmd = E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS | (left ? 0 : E1000_TXD_CMD_EOP);
		i = (i + 1) & E1000_RING_MASK;
	}
	ad->tx_tail = i;
	/* the descriptors must be in memory before the device may fetch them */
	e1000_dma_wmb();
	ew32(ad, E1000_TDT, i);
	return 0;
}

/* ---------------------------------------------------------------- set-up */

static void e1000_free_bufs(void **bufs)
{
	for (int i = 0; i < E1000_RING_SIZE; i += E1000_BUFS_PER_PAGE) {
		free_page((unsigned long)bufs[i]);
		bufs[i] = NULL;
	}
}

/* Two buffers to a page: each is physically contiguous and 2 KB aligned. */
static int e1000_alloc_bufs(void **bufs)
{
	for (int i = 0; i < E1000_RING_SIZE; i += E1000_BUFS_PER_PAGE) {
		unsigned long page = get_zeroed_page(GFP_KERNEL);

		if (!page) {
			e1000_free_bufs(bufs);
			return -ENOMEM;
		}
		for (unsigned int j = 0; j < E1000_BUFS_PER_PAGE; j++)
			bufs[i + j] = (void *)(page + j * E1000_BUF_SIZE);
	}
	return 0;
}

static void e1000_free_rings(struct e1000_adapter *ad)
{
	free_pages((unsigned long)ad->rx_frame, get_order(E1000_MAX_RX_FRAME));
	e1000_free_bufs(ad->tx_buf);
	e1000_free_bufs(ad->rx_buf);
	free_page((unsigned long)ad->tx_ring);
	free_page((unsigned long)ad->rx_ring);
}

static int e1000_alloc_rings(struct e1000_adapter *ad)
{
	BUILD_BUG_ON(sizeof(struct e1000_rx_desc) != 16);
	BUILD_BUG_ON(sizeof(struct e1000_tx_desc) != 16);
	BUILD_BUG_ON(E1000_RING_SIZE * 16 > PAGE_SIZE);

	/* a page is aligned far beyond the 16 bytes the rings need */
	ad->rx_ring = (void *)get_zeroed_page(GFP_KERNEL);
	ad->tx_ring = (void *)get_zeroed_page(GFP_KERNEL);
	ad->rx_frame = (void *)__get_free_pages(GFP_KERNEL, get_order(E1000_MAX_RX_FRAME));
	if (!ad->rx_ring || !ad->tx_ring || !ad->rx_frame)
		goto fail;
	if (e1000_alloc_bufs(ad->rx_buf))
		goto fail;
	if (e1000_alloc_bufs(ad->tx_buf))
		goto fail;
	return 0;
fail:
	/* every free below accepts what was never allocated */
	e1000_free_rings(ad);
	return -ENOMEM;
}

static const struct net_device_ops e1000_netdev_ops = {
	.xmit = e1000_xmit,
	.poll = e1000_poll,
	.irq_enable = e1000_irq_enable,
};

/* MSI where the device offers it (the 82540EM does not), else INTx. */
static int e1000_setup_irq(struct e1000_adapter *ad)
{
	int err = pci_alloc_irq_vectors(ad->pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);

	if (err < 0)
		return err;
	err = pci_request_irq(ad->pdev, 0, e1000_interrupt, ad, "e1000");
	if (err)
		pci_free_irq_vectors(ad->pdev);
	return err;
}

static void e1000_print_info(struct e1000_adapter *ad)
{
	const u8 *mac = ad->netdev.mac;
	char link[32];

	pr_info("e1000 %s: %s: %04x:%04x, mac %02x:%02x:%02x:%02x:%02x:%02x, irq %s, link %s, max mtu %u\n",
		ad->pci_name, ad->netdev.name, ad->pdev->vendor, ad->pdev->device,
		mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
		pci_irq_mode_name(ad->pdev->irq_mode),
		e1000_link_string(ad, link, sizeof(link)), ad->netdev.max_mtu);
}

static int e1000_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct e1000_adapter *ad;
	struct net_device *dev;
	int err;

	ad = kzalloc(sizeof(*ad), GFP_KERNEL);
	if (!ad)
		return -ENOMEM;
	ad->pdev = pdev;
	pci_name(pdev, ad->pci_name);
	dev = &ad->netdev;
	dev->priv = ad;
	dev->ops = &e1000_netdev_ops;
	dev->mtu = ETH_DATA_LEN;
	dev->max_mtu = E1000_MAX_MTU;

	err = pci_enable_device(pdev);
	if (err)
		goto err_free;
	ad->regs = pci_iomap(pdev, 0);
	if (!ad->regs) {
		err = -ENOMEM;
		goto err_disable;
	}
	err = e1000_reset_hw(ad);
	if (err)
		goto err_unmap;
	err = e1000_read_mac(ad, dev->mac);
	if (err)
		goto err_unmap;
	err = e1000_alloc_rings(ad);
	if (err)
		goto err_unmap;

	pci_set_master(pdev);
	e1000_setup_link(ad);
	e1000_setup_filters(ad);
	e1000_setup_rx(ad);
	e1000_setup_tx(ad);

	err = e1000_setup_irq(ad);
	if (err)
		goto err_stop;
	err = register_netdev(dev);
	if (err)
		goto err_irq;
	/* the poll thread exists now: interrupts may wake it */
	WRITE_ONCE(ad->up, true);
	ew32(ad, E1000_IMS, E1000_RX_CAUSES | E1000_ICR_LSC);
	pdev->driver_data = ad;
	e1000_print_info(ad);
	return 0;

err_irq:
	pci_free_irq_vectors(pdev);
err_stop:
	/* the device must stop using the rings before they go */
	e1000_reset_hw(ad);
	e1000_free_rings(ad);
err_unmap:
	pci_iounmap(pdev, ad->regs);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(ad);
	return err;
}

static struct pci_driver e1000_driver = {
	.name = "e1000",
	.id_table = e1000_ids,
	.probe = e1000_probe,
};

int e1000_driver_init(void)
{
	/* selftest=pci raises causes on these NICs itself and needs them free */
	if (cmdline_list_has("selftest", "pci")) {
		pr_info("e1000: not claiming devices: selftest=pci uses them\n");
		return 0;
	}
	return pci_register_driver(&e1000_driver);
}
