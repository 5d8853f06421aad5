/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_VIRTIO_H
#define _LEGO_VIRTIO_H

/*
 * Virtio 1.x over the modern PCI transport, with split virtqueues. Numbers
 * and layouts are those of the OASIS virtio specification (1.1/1.2). Every
 * field the device sees is little endian, which is also the CPU's order
 * here, so no conversions appear.
 */
#include <lego/types.h>
#include <lego/compiler.h>

struct pci_dev;
struct page;

/* device status bits (spec 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE	0x01
#define VIRTIO_STATUS_DRIVER		0x02
#define VIRTIO_STATUS_DRIVER_OK		0x04
#define VIRTIO_STATUS_FEATURES_OK	0x08
#define VIRTIO_STATUS_NEEDS_RESET	0x40
#define VIRTIO_STATUS_FAILED		0x80

/* device-independent feature bits (spec 6) */
#define VIRTIO_F_INDIRECT_DESC		28
#define VIRTIO_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33
#define VIRTIO_F_RING_PACKED		34
#define VIRTIO_F_IN_ORDER		35
#define VIRTIO_F_ORDER_PLATFORM		36

#define VIRTIO_FEATURE(bit)		(1ULL << (bit))

/* PCI: vendor-specific capabilities locate the structures (spec 4.1.4) */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_PCI_CFG		5

/* byte offsets inside struct virtio_pci_cap */
#define VIRTIO_PCI_CAP_LEN		2
#define VIRTIO_PCI_CAP_CFG_TYPE		3
#define VIRTIO_PCI_CAP_BAR		4
#define VIRTIO_PCI_CAP_OFFSET		8
#define VIRTIO_PCI_CAP_LENGTH		12
#define VIRTIO_PCI_NOTIFY_CAP_MULT	16	/* notify capability only */
#define VIRTIO_PCI_CAP_MIN_LEN		16
#define VIRTIO_PCI_NOTIFY_CAP_MIN_LEN	20

/* byte offsets inside the common configuration structure */
#define VIRTIO_PCI_COMMON_DFSELECT	0x00	/* le32 device_feature_select */
#define VIRTIO_PCI_COMMON_DF		0x04	/* le32 device_feature */
#define VIRTIO_PCI_COMMON_GFSELECT	0x08	/* le32 driver_feature_select */
#define VIRTIO_PCI_COMMON_GF		0x0c	/* le32 driver_feature */
#define VIRTIO_PCI_COMMON_MSIX		0x10	/* le16 config_msix_vector */
#define VIRTIO_PCI_COMMON_NUMQ		0x12	/* le16 num_queues */
#define VIRTIO_PCI_COMMON_STATUS	0x14	/* u8 device_status */
#define VIRTIO_PCI_COMMON_CFGGEN	0x15	/* u8 config_generation */
#define VIRTIO_PCI_COMMON_Q_SELECT	0x16	/* le16 queue_select */
#define VIRTIO_PCI_COMMON_Q_SIZE	0x18	/* le16 queue_size */
#define VIRTIO_PCI_COMMON_Q_MSIX	0x1a	/* le16 queue_msix_vector */
#define VIRTIO_PCI_COMMON_Q_ENABLE	0x1c	/* le16 queue_enable */
#define VIRTIO_PCI_COMMON_Q_NOFF	0x1e	/* le16 queue_notify_off */
#define VIRTIO_PCI_COMMON_Q_DESCLO	0x20	/* le64 queue_desc */
#define VIRTIO_PCI_COMMON_Q_DESCHI	0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO	0x28	/* le64 queue_driver */
#define VIRTIO_PCI_COMMON_Q_AVAILHI	0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO	0x30	/* le64 queue_device */
#define VIRTIO_PCI_COMMON_Q_USEDHI	0x34
#define VIRTIO_PCI_COMMON_MIN_LEN	0x38

#define VIRTIO_MSI_NO_VECTOR		0xffff

/* ISR status bits, read-to-clear (INTx and MSI only) */
#define VIRTIO_PCI_ISR_QUEUE		0x1
#define VIRTIO_PCI_ISR_CONFIG		0x2

/* split virtqueue (spec 2.7) */
#define VRING_DESC_F_NEXT		1
#define VRING_DESC_F_WRITE		2	/* device writes, driver reads */
#define VRING_DESC_F_INDIRECT		4

#define VRING_AVAIL_F_NO_INTERRUPT	1	/* driver: no used-buffer notifications please */
#define VRING_USED_F_NO_NOTIFY		1	/* device: no available-buffer notifications needed */

#define VRING_MAX_SIZE			32768

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};

struct vring_used_elem {
	u32 id;
	u32 len;
};

struct vring_used {
	u16 flags;
	u16 idx;
	struct vring_used_elem ring[];
};

/*
 * The transport: where the device's structures are mapped, and what was
 * negotiated. Filled by virtio_pci_map().
 */
struct virtio_pci {
	struct pci_dev *pdev;
	void *common;
	void *isr;
	void *device;			/* device-specific configuration */
	u32 device_len;
	void *notify;			/* base of the notification area */
	u32 notify_len;
	u32 notify_mult;		/* notify_off_multiplier */
	void *bars[6];			/* BARs mapped by us, unmapped on release */
	u64 features;			/* as accepted with FEATURES_OK */
};

/*
 * One split virtqueue. Indices avail_idx and last_used run freely and wrap
 * at 2^16, like the ring indices; slots are index & (num - 1).
 */
struct virtqueue {
	struct virtio_pci *vp;
	u16 index;
	u16 num;			/* entries, a power of two */
	u16 avail_idx;			/* next avail slot, not yet published */
	u16 last_used;			/* next used entry to consume */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	void *notify_addr;		/* where to write the queue index */
	struct page *pages;
	unsigned int order;
};

/* transport: caps and BARs */
int virtio_pci_map(struct virtio_pci *vp, struct pci_dev *pdev);
void virtio_pci_unmap(struct virtio_pci *vp);

/* status and reset */
u8 virtio_get_status(struct virtio_pci *vp);
void virtio_add_status(struct virtio_pci *vp, u8 bits);
int virtio_reset(struct virtio_pci *vp);
void virtio_fail(struct virtio_pci *vp);

/* features: offered by the device, and the driver's choice */
u64 virtio_device_features(struct virtio_pci *vp);
int virtio_finalize_features(struct virtio_pci *vp, u64 features);

static inline bool virtio_has_feature(const struct virtio_pci *vp, unsigned int bit)
{
	return vp->features & VIRTIO_FEATURE(bit);
}

/* device-specific configuration, read consistently (config_generation) */
int virtio_config_read(struct virtio_pci *vp, unsigned int off, void *buf, unsigned int len);
int virtio_config_read16(struct virtio_pci *vp, unsigned int off, u16 *val);

/* interrupts: which MSI-X vector signals configuration changes */
int virtio_set_config_vector(struct virtio_pci *vp, u16 vector);

/*
 * Queues: set up queue @index with at most @max_num entries and MSI-X
 * @vector (VIRTIO_MSI_NO_VECTOR for none); enabled once this returns.
 * Rings start with used-buffer notifications suppressed.
 */
int virtqueue_setup(struct virtio_pci *vp, struct virtqueue *vq, u16 index,
		    u16 max_num, u16 vector);
void virtqueue_free(struct virtqueue *vq);

/* Put descriptor head @id in the next avail slot; not visible until publish. */
static inline void virtqueue_add(struct virtqueue *vq, u16 id)
{
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = id;
	vq->avail_idx++;
}

/* Publish added buffers and notify the device if it asked for it. */
void virtqueue_kick(struct virtqueue *vq);
/* The next used entry; false if the device has returned nothing new. */
bool virtqueue_get_used(struct virtqueue *vq, u32 *id, u32 *len);
/* Suppress used-buffer notifications (a hint only, without event idx). */
void virtqueue_disable_cb(struct virtqueue *vq);
/* Allow them again; true if used entries are already waiting. */
bool virtqueue_enable_cb(struct virtqueue *vq);

/* The driver's entry point, called by net_drivers_init(). */
int virtio_net_init(void);

#endif
