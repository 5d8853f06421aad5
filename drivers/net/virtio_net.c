// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net over the modern PCI transport: one receive queue (0) and one
 * transmit queue (1), split rings, no offloads.
 *
 * Every descriptor carries a whole frame, so descriptor i always owns
 * buffer i: receive buffers are posted once and re-posted as soon as
 * their frame was handed up; transmit buffers are copied into and
 * reclaimed from the used ring on the next transmit, so the transmit
 * queue needs no interrupt at all. The receive queue interrupts (MSI-X,
 * else MSI or INTx), and the interrupt only wakes net/core's poll thread.
 */
#include <lego/kernel.h>
#include <lego/atomic.h>
#include <lego/errno.h>
#include <lego/netdevice.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/virtio.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PCI_DEVICE_ID_VIRTIO_NET_TRANS	0x1000	/* transitional */
#define PCI_DEVICE_ID_VIRTIO_NET	0x1041	/* 0x1040 + device type 1 */

/* virtio-net feature bits and configuration layout (spec 5.1.3, 5.1.4) */
#define VIRTIO_NET_F_MTU		3
#define VIRTIO_NET_F_MAC		5
#define VIRTIO_NET_CFG_MAC		0	/* u8[6] */
#define VIRTIO_NET_CFG_MTU		10	/* le16, if VIRTIO_NET_F_MTU */

#define RX_QUEUE		0
#define TX_QUEUE		1
#define VIRTNET_RING_MAX	256
#define VIRTNET_MIN_MTU		68
/*
 * Receive buffers hold a whole frame each; beyond jumbo frames their
 * size (times the ring) would cost more memory than the link is worth.
 */
#define VIRTNET_MAX_MTU		9000
#define VLAN_HLEN		4

/*
 * With VIRTIO_F_VERSION_1 every frame is preceded by this header,
 * num_buffers included (spec 5.1.6). All zero: no offload, no GSO.
 */
struct virtio_net_hdr {
	u8 flags;
	u8 gso_type;
	u16 hdr_len;
	u16 gso_size;
	u16 csum_start;
	u16 csum_offset;
	u16 num_buffers;
} __packed;

#define VNET_HDR_LEN	sizeof(struct virtio_net_hdr)

struct virtnet {
	struct net_device ndev;
	struct virtio_pci vp;
	struct pci_dev *pdev;
	struct virtqueue rxq, txq;
	void **rx_bufs;			/* rx_bufs[i] belongs to rx descriptor i */
	unsigned int rx_buf_len;
	void **tx_bufs;			/* tx_bufs[i] belongs to tx descriptor i */
	unsigned int tx_buf_len;
	u16 *tx_free;			/* stack of idle tx descriptors */
	unsigned int tx_nfree;
	bool *tx_inflight;		/* catches a device returning one twice */
	bool irq_requested;
	bool live;			/* net/core has polled: interrupts may wake it */
	bool bad_used_seen;
	char name[16];			/* pci_name() */
};

static void bad_used(struct virtnet *vi, const char *q, u32 id)
{
	if (!vi->bad_used_seen)
		pr_err("virtio-net %s: device returned bad %s descriptor %u; ignored\n",
		       vi->name, q, id);
	vi->bad_used_seen = true;
}

/* ---------------------------------------------------------------- rx */

static void receive_one(struct virtnet *vi, u32 id, u32 len)
{
	struct net_device *dev = &vi->ndev;

	/* len covers what the device wrote: the header, then the frame */
	if (len < VNET_HDR_LEN + ETH_HLEN || len > vi->rx_buf_len) {
		atomic_long_inc(&dev->stats.rx_dropped);
		return;
	}
	netif_receive(dev, (u8 *)vi->rx_bufs[id] + VNET_HDR_LEN, len - VNET_HDR_LEN);
}

static int virtnet_poll(struct net_device *dev, int budget)
{
	struct virtnet *vi = dev->priv;
	u32 id, len;
	int done = 0;

	WRITE_ONCE(vi->live, true);
	while (done < budget && virtqueue_get_used(&vi->rxq, &id, &len)) {
		done++;
		if (id >= vi->rxq.num) {
			bad_used(vi, "rx", id);
			continue;
		}
		/* netif_receive() copied what it keeps: the buffer is free again */
		receive_one(vi, id, len);
		virtqueue_add(&vi->rxq, id);
	}
	if (done)
		virtqueue_kick(&vi->rxq);
	return done;
}

static bool virtnet_irq_enable(struct net_device *dev)
{
	struct virtnet *vi = dev->priv;

	if (!virtqueue_enable_cb(&vi->rxq))
		return false;
	/* frames came in meanwhile: the poll thread goes on, quietly */
	virtqueue_disable_cb(&vi->rxq);
	return true;
}

static void virtnet_interrupt(void *data)
{
	struct virtnet *vi = data;

	if (vi->pdev->irq_mode != PCI_IRQ_MSIX) {
		/*
		 * Reading the ISR acknowledges it and lowers INTx; without
		 * the queue bit the interrupt was another device's on a
		 * shared line, or a configuration change we do not track.
		 */
		if (!(readb(vi->vp.isr) & VIRTIO_PCI_ISR_QUEUE))
			return;
	}
	/* before the first poll the ring still has notifications off */
	if (!READ_ONCE(vi->live))
		return;
	virtqueue_disable_cb(&vi->rxq);
	netif_schedule_poll(&vi->ndev);
}

/* ---------------------------------------------------------------- tx */

static void reclaim_tx(struct virtnet *vi)
{
	u32 id, len;

	while (virtqueue_get_used(&vi->txq, &id, &len)) {
		if (id >= vi->txq.num || !vi->tx_inflight[id]) {
			bad_used(vi, "tx", id);
			continue;
		}
		vi->tx_inflight[id] = false;
		vi->tx_free[vi->tx_nfree++] = id;
	}
}

/* Serialized by net/core's tx_lock. */
static int virtnet_xmit(struct net_device *dev, const struct kvec *iov, int n)
{
	struct virtnet *vi = dev->priv;
	size_t len = 0;
	u8 *buf, *p;
	u16 id;

	for (int i = 0; i < n; i++)
		len += iov[i].len;
	if (len > ETH_HLEN + dev->max_mtu)
		return -EMSGSIZE;
	reclaim_tx(vi);
	if (!vi->tx_nfree)
		return -EBUSY;

	id = vi->tx_free[--vi->tx_nfree];
	buf = vi->tx_bufs[id];
	memset(buf, 0, VNET_HDR_LEN);
	p = buf + VNET_HDR_LEN;
	for (int i = 0; i < n; i++) {
		memcpy(p, iov[i].base, iov[i].len);
		p += iov[i].len;
	}
	if (len < ETH_ZLEN) {
		memset(p, 0, ETH_ZLEN - len);
		len = ETH_ZLEN;
	}
	vi->txq.desc[id].len = VNET_HDR_LEN + len;
	vi->tx_inflight[id] = true;
	virtqueue_add(&vi->txq, id);
	virtqueue_kick(&vi->txq);
	return 0;
}

static const struct net_device_ops virtnet_ops = {
	.xmit = virtnet_xmit,
	.poll = virtnet_poll,
	.irq_enable = virtnet_irq_enable,
};

/* ---------------------------------------------------------------- buffers */

static void free_bufs(void **bufs, unsigned int num)
{
	if (!bufs)
		return;
	for (unsigned int i = 0; i < num; i++)
		kfree(bufs[i]);
	kfree(bufs);
}

static void **alloc_bufs(unsigned int num, unsigned int len)
{
	void **bufs = kcalloc(num, sizeof(*bufs), GFP_KERNEL);

	if (!bufs)
		return NULL;
	for (unsigned int i = 0; i < num; i++) {
		bufs[i] = kmalloc(len, GFP_KERNEL);
		if (!bufs[i]) {
			free_bufs(bufs, i);
			return NULL;
		}
	}
	return bufs;
}

static void free_buffers(struct virtnet *vi)
{
	free_bufs(vi->rx_bufs, vi->rxq.num);
	free_bufs(vi->tx_bufs, vi->txq.num);
	kfree(vi->tx_free);
	kfree(vi->tx_inflight);
	vi->rx_bufs = vi->tx_bufs = NULL;
	vi->tx_free = NULL;
	vi->tx_inflight = NULL;
}

/*
 * Descriptors are written once here: rx ones device-writable and all
 * posted, tx ones idle until xmit fills in the length.
 */
static int alloc_buffers(struct virtnet *vi)
{
	unsigned int max_frame = ETH_HLEN + VLAN_HLEN + vi->ndev.max_mtu;

	vi->rx_buf_len = VNET_HDR_LEN + max_frame;
	vi->tx_buf_len = VNET_HDR_LEN + max(ETH_HLEN + vi->ndev.max_mtu, (unsigned int)ETH_ZLEN);
	vi->rx_bufs = alloc_bufs(vi->rxq.num, vi->rx_buf_len);
	vi->tx_bufs = alloc_bufs(vi->txq.num, vi->tx_buf_len);
	vi->tx_free = kcalloc(vi->txq.num, sizeof(*vi->tx_free), GFP_KERNEL);
	vi->tx_inflight = kcalloc(vi->txq.num, sizeof(*vi->tx_inflight), GFP_KERNEL);
	if (!vi->rx_bufs || !vi->tx_bufs || !vi->tx_free || !vi->tx_inflight) {
		free_buffers(vi);
		return -ENOMEM;
	}

	for (u16 i = 0; i < vi->rxq.num; i++) {
		vi->rxq.desc[i].addr = __pa(vi->rx_bufs[i]);
		vi->rxq.desc[i].len = vi->rx_buf_len;
		vi->rxq.desc[i].flags = VRING_DESC_F_WRITE;
		virtqueue_add(&vi->rxq, i);
	}
	for (u16 i = 0; i < vi->txq.num; i++) {
		vi->txq.desc[i].addr = __pa(vi->tx_bufs[i]);
		vi->tx_free[i] = vi->txq.num - 1 - i;
	}
	vi->tx_nfree = vi->txq.num;
	return 0;
}

/* ---------------------------------------------------------------- setup */

/* A locally administered unicast address, different on every boot. */
static void random_mac(struct virtnet *vi, u8 *mac)
{
	u64 x = rdtsc() ^ ((u64)vi->pdev->bus << 48 | (u64)vi->pdev->devfn << 40);

	/* splitmix64 finalizer: spread the clock's low bits over all 48 */
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	for (int i = 0; i < ETH_ALEN; i++)
		mac[i] = x >> (8 * i);
	mac[0] = (mac[0] & ~1) | 2;
}

/* What we accept of what the device offers; sets max_mtu. */
static u64 choose_features(struct virtnet *vi, u64 offered)
{
	u64 wanted = VIRTIO_FEATURE(VIRTIO_F_VERSION_1) | VIRTIO_FEATURE(VIRTIO_NET_F_MAC) |
		     VIRTIO_FEATURE(VIRTIO_NET_F_MTU) |
		     /* no IOMMU is ever programmed: the platform's view is ours */
		     VIRTIO_FEATURE(VIRTIO_F_ACCESS_PLATFORM) |
		     /* x86 barriers are what this ordering asks for */
		     VIRTIO_FEATURE(VIRTIO_F_ORDER_PLATFORM);
	u64 f = offered & wanted;
	u16 mtu;

	vi->ndev.max_mtu = ETH_DATA_LEN;
	if (f & VIRTIO_FEATURE(VIRTIO_NET_F_MTU)) {
		/* reading before FEATURES_OK is allowed, to decide (spec 3.1.1) */
		if (virtio_config_read16(&vi->vp, VIRTIO_NET_CFG_MTU, &mtu) ||
		    mtu < VIRTNET_MIN_MTU || mtu > VIRTNET_MAX_MTU) {
			/* we could not honour it: decline rather than break the promise */
			f &= ~VIRTIO_FEATURE(VIRTIO_NET_F_MTU);
		} else {
			vi->ndev.max_mtu = mtu;
		}
	}
	return f;
}

/* Spec 3.1.1 steps 1-6, then the device configuration. */
static int negotiate(struct virtnet *vi)
{
	struct virtio_pci *vp = &vi->vp;
	u64 offered, accepted;
	int err;

	if (virtio_reset(vp)) {
		pr_err("virtio-net %s: device does not complete its reset\n", vi->name);
		return -ETIMEDOUT;
	}
	virtio_add_status(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_add_status(vp, VIRTIO_STATUS_DRIVER);
	offered = virtio_device_features(vp);
	if (!(offered & VIRTIO_FEATURE(VIRTIO_F_VERSION_1))) {
		pr_err("virtio-net %s: no VIRTIO_F_VERSION_1 (legacy-only device)\n", vi->name);
		return -ENODEV;
	}
	accepted = choose_features(vi, offered);
	err = virtio_finalize_features(vp, accepted);
	if (err) {
		pr_err("virtio-net %s: device refused features %#llx\n", vi->name,
		       (unsigned long long)accepted);
		return err;
	}
	if (virtio_has_feature(vp, VIRTIO_NET_F_MAC))
		err = virtio_config_read(vp, VIRTIO_NET_CFG_MAC, vi->ndev.mac, ETH_ALEN);
	if (err || !virtio_has_feature(vp, VIRTIO_NET_F_MAC))
		random_mac(vi, vi->ndev.mac);
	vi->ndev.mtu = min(vi->ndev.max_mtu, (unsigned int)ETH_DATA_LEN);
	return 0;
}

static void free_queues(struct virtnet *vi)
{
	virtqueue_free(&vi->rxq);
	virtqueue_free(&vi->txq);
}

/* With MSI-X, receive completions use vector 0; nothing else interrupts. */
static int setup_queues(struct virtnet *vi)
{
	bool msix = vi->pdev->irq_mode == PCI_IRQ_MSIX;
	int err;

	err = virtio_set_config_vector(&vi->vp, VIRTIO_MSI_NO_VECTOR);
	if (err)
		return err;
	err = virtqueue_setup(&vi->vp, &vi->rxq, RX_QUEUE, VIRTNET_RING_MAX,
			      msix ? 0 : VIRTIO_MSI_NO_VECTOR);
	if (err)
		return err;
	err = virtqueue_setup(&vi->vp, &vi->txq, TX_QUEUE, VIRTNET_RING_MAX, VIRTIO_MSI_NO_VECTOR);
	if (err)
		virtqueue_free(&vi->rxq);
	return err;
}

/*
 * The queues' vectors are part of their setup, so the interrupt mode
 * comes first; a device out of MSI-X resources gets MSI or INTx instead.
 */
static int setup_irq_and_queues(struct virtnet *vi)
{
	struct pci_dev *pdev = vi->pdev;
	int err;

	err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (err < 0)
		return err;
	err = setup_queues(vi);
	if (err == -EBUSY && pdev->irq_mode == PCI_IRQ_MSIX) {
		pci_free_irq_vectors(pdev);
		err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);
		if (err < 0)
			return err;
		err = setup_queues(vi);
	}
	if (err)
		pci_free_irq_vectors(pdev);
	return err;
}

/* Reset first: until the device has stopped, it may still use the memory. */
static void virtnet_stop(struct virtnet *vi)
{
	virtio_fail(&vi->vp);
	pci_clear_master(vi->pdev);
	if (vi->irq_requested)
		pci_free_irq(vi->pdev, 0);
	vi->irq_requested = false;
	if (vi->pdev->irq_mode)
		pci_free_irq_vectors(vi->pdev);
	free_buffers(vi);
	free_queues(vi);
}

static int virtnet_start(struct virtnet *vi)
{
	int err;

	err = negotiate(vi);
	if (err)
		return err;
	err = setup_irq_and_queues(vi);
	if (err) {
		pr_err("virtio-net %s: queue setup failed (error %d)\n", vi->name, err);
		return err;
	}
	err = alloc_buffers(vi);
	if (err) {
		pr_err("virtio-net %s: no memory for buffers\n", vi->name);
		return err;
	}
	err = pci_request_irq(vi->pdev, 0, virtnet_interrupt, vi, "virtio-net");
	if (err) {
		pr_err("virtio-net %s: cannot request interrupt (error %d)\n", vi->name, err);
		return err;
	}
	vi->irq_requested = true;
	virtio_add_status(&vi->vp, VIRTIO_STATUS_DRIVER_OK);
	if (virtio_get_status(&vi->vp) & VIRTIO_STATUS_NEEDS_RESET) {
		pr_err("virtio-net %s: device needs reset right after start\n", vi->name);
		return -EIO;
	}
	/* no notification before DRIVER_OK (spec 3.1.1): the buffers go now */
	virtqueue_kick(&vi->rxq);
	return 0;
}

static int virtnet_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct virtnet *vi;
	struct net_device *dev;
	int err;

	vi = kzalloc(sizeof(*vi), GFP_KERNEL);
	if (!vi)
		return -ENOMEM;
	vi->pdev = pdev;
	pci_name(pdev, vi->name);
	dev = &vi->ndev;
	dev->ops = &virtnet_ops;
	dev->priv = vi;

	err = pci_enable_device(pdev);
	if (err)
		goto err_free;
	err = virtio_pci_map(&vi->vp, pdev);
	if (err) {
		pr_err("virtio-net %s: no virtio 1.x PCI capabilities\n", vi->name);
		goto err_disable;
	}
	pci_set_master(pdev);
	err = virtnet_start(vi);
	if (err)
		goto err_stop;

	err = register_netdev(dev);
	if (err) {
		/* the core may already list it: stop the device, keep the memory */
		pr_err("virtio-net %s: register_netdev failed (error %d)\n", vi->name, err);
		virtio_fail(&vi->vp);
		pci_clear_master(pdev);
		return err;
	}
	pdev->driver_data = vi;
	pr_info("virtio-net %s: %s mac %02x:%02x:%02x:%02x:%02x:%02x, rx %u tx %u entries, irq %s, mtu %u (max %u)\n",
		vi->name, dev->name, dev->mac[0], dev->mac[1], dev->mac[2], dev->mac[3],
		dev->mac[4], dev->mac[5], vi->rxq.num, vi->txq.num,
		pci_irq_mode_name(pdev->irq_mode), dev->mtu, dev->max_mtu);
	return 0;

err_stop:
	virtnet_stop(vi);
	pr_err("virtio-net %s: giving up on the device (marked FAILED)\n", vi->name);
	virtio_pci_unmap(&vi->vp);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(vi);
	return err;
}

static const struct pci_device_id virtnet_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, PCI_DEVICE_ID_VIRTIO_NET) },
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, PCI_DEVICE_ID_VIRTIO_NET_TRANS) },
	{ 0 }
};

static struct pci_driver virtnet_driver = {
	.name = "virtio-net",
	.id_table = virtnet_ids,
	.probe = virtnet_probe,
};

int virtio_net_init(void)
{
	return pci_register_driver(&virtnet_driver);
}
