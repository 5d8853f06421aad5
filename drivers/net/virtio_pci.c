// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio 1.x modern PCI transport and split virtqueues: locate the
 * common, notify, ISR and device structures through the vendor-specific
 * capabilities, drive the status register and feature negotiation, and
 * lay out the three parts of each ring in one block of pages.
 *
 * Every wait on the device is bounded: a device that stops answering
 * makes the caller fail, never hang.
 */
#include <lego/kernel.h>
#include <lego/atomic.h>
#include <lego/errno.h>
#include <lego/mm.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/virtio.h>
#include <asm/io.h>

#define RESET_TIMEOUT_MS	1000
#define CFG_READ_RETRIES	100
#define MAX_CAPS		48	/* 192 bytes of capabilities at 4 each */

/* ---------------------------------------------------------------- caps */

static void *map_bar(struct virtio_pci *vp, int bar)
{
	if (!vp->bars[bar])
		vp->bars[bar] = pci_iomap(vp->pdev, bar);
	return vp->bars[bar];
}

/*
 * One vendor capability: map the region it describes if it is the first
 * usable one of its type (the spec asks drivers to prefer the first).
 */
static void parse_cap(struct virtio_pci *vp, u8 pos)
{
	struct pci_dev *pdev = vp->pdev;
	u8 cap_len, type, bar;
	u32 off, len, mult = 0;
	void *base;

	pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_LEN, &cap_len);
	pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_CFG_TYPE, &type);
	pci_read_config_byte(pdev, pos + VIRTIO_PCI_CAP_BAR, &bar);
	pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_OFFSET, &off);
	pci_read_config_dword(pdev, pos + VIRTIO_PCI_CAP_LENGTH, &len);
	if (cap_len < VIRTIO_PCI_CAP_MIN_LEN || bar >= PCI_NUM_BARS)
		return;
	/* regions in I/O BARs exist (e.g. a second notify area): skip them */
	if (!pdev->bar[bar].size || (pdev->bar[bar].flags & PCI_BAR_IO))
		return;
	if ((u64)off + len > pdev->bar[bar].size)
		return;
	if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
		if (cap_len < VIRTIO_PCI_NOTIFY_CAP_MIN_LEN)
			return;
		pci_read_config_dword(pdev, pos + VIRTIO_PCI_NOTIFY_CAP_MULT, &mult);
	}

	switch (type) {
	case VIRTIO_PCI_CAP_COMMON_CFG:
		if (vp->common || len < VIRTIO_PCI_COMMON_MIN_LEN)
			return;
		break;
	case VIRTIO_PCI_CAP_NOTIFY_CFG:
		if (vp->notify || len < 2)
			return;
		break;
	case VIRTIO_PCI_CAP_ISR_CFG:
		if (vp->isr || len < 1)
			return;
		break;
	case VIRTIO_PCI_CAP_DEVICE_CFG:
		if (vp->device)
			return;
		break;
	default:
		return;
	}
	base = map_bar(vp, bar);
	if (!base)
		return;
	base += off;
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON_CFG:
		vp->common = base;
		break;
	case VIRTIO_PCI_CAP_NOTIFY_CFG:
		vp->notify = base;
		vp->notify_len = len;
		vp->notify_mult = mult;
		break;
	case VIRTIO_PCI_CAP_ISR_CFG:
		vp->isr = base;
		break;
	case VIRTIO_PCI_CAP_DEVICE_CFG:
		vp->device = base;
		vp->device_len = len;
		break;
	}
}

int virtio_pci_map(struct virtio_pci *vp, struct pci_dev *pdev)
{
	u16 status;
	u8 pos;

	memset(vp, 0, sizeof(*vp));
	vp->pdev = pdev;
	pci_read_config_word(pdev, PCI_STATUS, &status);
	if (!(status & PCI_STATUS_CAP_LIST))
		return -ENODEV;
	pci_read_config_byte(pdev, PCI_CAPABILITY_LIST, &pos);
	/* bounded: a malformed list may loop */
	for (int n = 0; n < MAX_CAPS && pos >= 0x40; n++) {
		u8 id, next;

		pos &= ~3;
		pci_read_config_byte(pdev, pos + PCI_CAP_LIST_ID, &id);
		pci_read_config_byte(pdev, pos + PCI_CAP_LIST_NEXT, &next);
		if (id == PCI_CAP_ID_VNDR)
			parse_cap(vp, pos);
		pos = next;
	}
	/* the device structure is optional in general; a NIC needs it */
	if (!vp->common || !vp->notify || !vp->isr || !vp->device) {
		virtio_pci_unmap(vp);
		return -ENODEV;
	}
	return 0;
}

void virtio_pci_unmap(struct virtio_pci *vp)
{
	for (int i = 0; i < PCI_NUM_BARS; i++) {
		pci_iounmap(vp->pdev, vp->bars[i]);
		vp->bars[i] = NULL;
	}
	vp->common = vp->notify = vp->isr = vp->device = NULL;
}

/* ---------------------------------------------------------------- status */

static void *common(struct virtio_pci *vp, unsigned int off)
{
	return vp->common + off;
}

u8 virtio_get_status(struct virtio_pci *vp)
{
	return readb(common(vp, VIRTIO_PCI_COMMON_STATUS));
}

void virtio_add_status(struct virtio_pci *vp, u8 bits)
{
	writeb(virtio_get_status(vp) | bits, common(vp, VIRTIO_PCI_COMMON_STATUS));
}

/*
 * Writing 0 starts a reset; it is complete when the register reads 0
 * again (spec 4.1.4.3.2). Only then may the rings and buffers be reused.
 */
int virtio_reset(struct virtio_pci *vp)
{
	writeb(0, common(vp, VIRTIO_PCI_COMMON_STATUS));
	for (int ms = 0; ms < RESET_TIMEOUT_MS; ms++) {
		if (!virtio_get_status(vp))
			return 0;
		msleep(1);
	}
	return -ETIMEDOUT;
}

/* Give up on the device: stop it, then say so in the status register. */
void virtio_fail(struct virtio_pci *vp)
{
	if (virtio_reset(vp))
		pr_err("virtio: device did not complete its reset\n");
	writeb(VIRTIO_STATUS_FAILED, common(vp, VIRTIO_PCI_COMMON_STATUS));
}

/* ---------------------------------------------------------------- features */

u64 virtio_device_features(struct virtio_pci *vp)
{
	u32 lo, hi;

	writel(0, common(vp, VIRTIO_PCI_COMMON_DFSELECT));
	lo = readl(common(vp, VIRTIO_PCI_COMMON_DF));
	writel(1, common(vp, VIRTIO_PCI_COMMON_DFSELECT));
	hi = readl(common(vp, VIRTIO_PCI_COMMON_DF));
	return (u64)hi << 32 | lo;
}

/*
 * Write the accepted subset and set FEATURES_OK; the device clears it
 * again if it cannot work with that subset (spec 3.1.1, steps 5-6).
 */
int virtio_finalize_features(struct virtio_pci *vp, u64 features)
{
	writel(0, common(vp, VIRTIO_PCI_COMMON_GFSELECT));
	writel((u32)features, common(vp, VIRTIO_PCI_COMMON_GF));
	writel(1, common(vp, VIRTIO_PCI_COMMON_GFSELECT));
	writel(features >> 32, common(vp, VIRTIO_PCI_COMMON_GF));
	virtio_add_status(vp, VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_get_status(vp) & VIRTIO_STATUS_FEATURES_OK))
		return -EOPNOTSUPP;
	vp->features = features;
	return 0;
}

/* ---------------------------------------------------------------- config */

/*
 * A multi-field read may straddle a device update: the generation counter
 * changes if it did, and then the whole read is repeated.
 */
int virtio_config_read(struct virtio_pci *vp, unsigned int off, void *buf, unsigned int len)
{
	void *gen = common(vp, VIRTIO_PCI_COMMON_CFGGEN);
	u8 *p = buf;

	if ((u64)off + len > vp->device_len)
		return -EINVAL;
	for (int tries = 0; tries < CFG_READ_RETRIES; tries++) {
		u8 before = readb(gen);

		for (unsigned int i = 0; i < len; i++)
			p[i] = readb(vp->device + off + i);
		if (readb(gen) == before)
			return 0;
	}
	return -EIO;
}

/* 16-bit fields need one aligned 16-bit access (spec 4.1.3.1). */
int virtio_config_read16(struct virtio_pci *vp, unsigned int off, u16 *val)
{
	if ((off & 1) || off + 2 > vp->device_len)
		return -EINVAL;
	*val = readw(vp->device + off);
	return 0;
}

int virtio_set_config_vector(struct virtio_pci *vp, u16 vector)
{
	writew(vector, common(vp, VIRTIO_PCI_COMMON_MSIX));
	return readw(common(vp, VIRTIO_PCI_COMMON_MSIX)) == vector ? 0 : -EBUSY;
}

/* ---------------------------------------------------------------- queues */

static u16 round_down_pow2(u16 n)
{
	u16 p = 1;

	while (p <= n / 2)
		p <<= 1;
	return p;
}

/*
 * Descriptor table (16-byte aligned), then the avail ring (2), then the
 * used ring (4) on its own cache line, since the device writes it while
 * we write the avail ring. The trailing event words are included.
 */
static int alloc_rings(struct virtqueue *vq, u16 num)
{
	size_t desc_sz = sizeof(struct vring_desc) * num;
	size_t avail_sz = sizeof(struct vring_avail) + sizeof(u16) * (num + 1);
	size_t used_off = ALIGN(desc_sz + avail_sz, 64);
	size_t used_sz = sizeof(struct vring_used) + sizeof(struct vring_used_elem) * num +
			 sizeof(u16);
	void *base;

	vq->order = get_order(used_off + used_sz);
	vq->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, vq->order);
	if (!vq->pages)
		return -ENOMEM;
	base = page_address(vq->pages);
	vq->num = num;
	vq->desc = base;
	vq->avail = base + desc_sz;
	vq->used = base + used_off;
	return 0;
}

static void write_addr(struct virtio_pci *vp, unsigned int lo, void *p)
{
	u64 pa = __pa(p);

	/* 64-bit fields are written as two 32-bit halves (spec 4.1.3.1) */
	writel((u32)pa, common(vp, lo));
	writel(pa >> 32, common(vp, lo + 4));
}

/* Spec 4.1.5.1.3: select, size, vector, addresses, then enable. */
int virtqueue_setup(struct virtio_pci *vp, struct virtqueue *vq, u16 index,
		    u16 max_num, u16 vector)
{
	u16 size, noff;
	u64 notify_off;
	int err;

	memset(vq, 0, sizeof(*vq));
	vq->vp = vp;
	vq->index = index;
	if (index >= readw(common(vp, VIRTIO_PCI_COMMON_NUMQ)))
		return -ENOENT;
	writew(index, common(vp, VIRTIO_PCI_COMMON_Q_SELECT));
	size = readw(common(vp, VIRTIO_PCI_COMMON_Q_SIZE));
	if (!size)
		return -ENOENT;
	if (readw(common(vp, VIRTIO_PCI_COMMON_Q_ENABLE)))
		return -EBUSY;
	noff = readw(common(vp, VIRTIO_PCI_COMMON_Q_NOFF));
	notify_off = (u64)noff * vp->notify_mult;
	if (notify_off + 2 > vp->notify_len)
		return -EIO;

	err = alloc_rings(vq, round_down_pow2(min(min(size, max_num), (u16)VRING_MAX_SIZE)));
	if (err)
		return err;
	vq->notify_addr = vp->notify + notify_off;
	/* no interrupts until the driver asks for them */
	vq->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;

	writew(vector, common(vp, VIRTIO_PCI_COMMON_Q_MSIX));
	if (readw(common(vp, VIRTIO_PCI_COMMON_Q_MSIX)) != vector) {
		/* the device had no resources for the vector */
		err = -EBUSY;
		goto free;
	}
	writew(vq->num, common(vp, VIRTIO_PCI_COMMON_Q_SIZE));
	write_addr(vp, VIRTIO_PCI_COMMON_Q_DESCLO, vq->desc);
	write_addr(vp, VIRTIO_PCI_COMMON_Q_AVAILLO, vq->avail);
	write_addr(vp, VIRTIO_PCI_COMMON_Q_USEDLO, vq->used);
	writew(1, common(vp, VIRTIO_PCI_COMMON_Q_ENABLE));
	return 0;

free:
	virtqueue_free(vq);
	return err;
}

/* Only after a completed reset: until then the device may still use it. */
void virtqueue_free(struct virtqueue *vq)
{
	if (vq->pages)
		__free_pages(vq->pages, vq->order);
	vq->pages = NULL;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
}

void virtqueue_kick(struct virtqueue *vq)
{
	/* the ring entries before the index that exposes them */
	smp_wmb();
	WRITE_ONCE(vq->avail->idx, vq->avail_idx);
	/*
	 * The index must be visible before we read the device's flag: if the
	 * device sets NO_NOTIFY, then checks the index and finds nothing, and
	 * we read the flag as set, the buffers would sit unnoticed.
	 */
	smp_mb();
	if (!(READ_ONCE(vq->used->flags) & VRING_USED_F_NO_NOTIFY))
		writew(vq->index, vq->notify_addr);
}

bool virtqueue_get_used(struct virtqueue *vq, u32 *id, u32 *len)
{
	struct vring_used_elem *e;

	if (READ_ONCE(vq->used->idx) == vq->last_used)
		return false;
	/* the entry is valid only once the index covering it was seen */
	smp_rmb();
	e = &vq->used->ring[vq->last_used & (vq->num - 1)];
	*id = READ_ONCE(e->id);
	*len = READ_ONCE(e->len);
	vq->last_used++;
	return true;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	WRITE_ONCE(vq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
}

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	WRITE_ONCE(vq->avail->flags, 0);
	/*
	 * The cleared flag before the re-read of the used index: the device
	 * writes the index, then reads the flag. One of us sees the other,
	 * so a buffer used in between either interrupts or is found here.
	 */
	smp_mb();
	return READ_ONCE(vq->used->idx) != vq->last_used;
}
