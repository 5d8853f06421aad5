/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_NETDEVICE_H
#define _LEGO_NETDEVICE_H

#include <lego/types.h>
#include <lego/list.h>
#include <lego/atomic.h>
#include <lego/wait.h>

#define ETH_ALEN	6
#define ETH_HLEN	14
#define ETH_ZLEN	60		/* minimum frame without FCS: pad to this */
#define ETH_DATA_LEN	1500
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806

struct ethhdr {
	u8 dest[ETH_ALEN];
	u8 source[ETH_ALEN];
	u16 proto;			/* big endian */
} __attribute__((packed));

/* One piece of a frame to send; the driver copies the pieces in order. */
struct kvec {
	const void *base;
	size_t len;
};

struct net_device;

struct net_device_ops {
	/*
	 * Queue one frame made of iov[0..n) (at most mtu + ETH_HLEN bytes,
	 * starting with the Ethernet header). The data is copied before this
	 * returns. -EBUSY when the transmit ring is full (the caller retries),
	 * other errors drop the frame. Calls are serialized by the core.
	 */
	int (*xmit)(struct net_device *dev, const struct kvec *iov, int n);
	/*
	 * Hand up to budget received frames to netif_receive(); return how
	 * many. Called from the device's poll thread only.
	 */
	int (*poll)(struct net_device *dev, int budget);
	/*
	 * Re-enable receive interrupts after a poll found the ring empty.
	 * Returns true if frames arrived meanwhile (poll again, interrupts
	 * stay off), false once interrupts are on and the ring is empty.
	 */
	bool (*irq_enable)(struct net_device *dev);
};

struct net_device_stats {
	atomic_long_t rx_packets, rx_bytes, rx_dropped;
	atomic_long_t tx_packets, tx_bytes, tx_dropped, tx_busy;
	atomic_long_t interrupts, polls;
};

struct net_device {
	char name[16];
	u8 mac[ETH_ALEN];
	unsigned int mtu;		/* IP payload bytes per frame (1500 by default) */
	unsigned int max_mtu;		/* the largest the device allows (jumbo frames) */
	const struct net_device_ops *ops;
	void *priv;			/* the driver's state */
	struct net_device_stats stats;

	/* owned by net/core */
	struct list_head list;
	spinlock_t tx_lock;
	struct task_struct *poll_task;
	struct wait_queue_head poll_wait;
	bool poll_scheduled;
	int ifindex;
};

/*
 * Drivers: fill name/mac/mtu/max_mtu/ops/priv and register. The core starts
 * a poll thread per device. From the receive interrupt, mask the device's
 * receive interrupts and call netif_schedule_poll(): the poll thread then
 * calls ops->poll until the ring is empty and ops->irq_enable() says so.
 * Under load the thread keeps polling with interrupts off; when idle it
 * sleeps. No CPU spins.
 */
int register_netdev(struct net_device *dev);
void netif_schedule_poll(struct net_device *dev);
/* From ops->poll: one received frame (with Ethernet header, without FCS). */
void netif_receive(struct net_device *dev, const void *frame, size_t len);

/* Register every NIC driver with the PCI core; kernel_init() calls it before pci_init(). */
void net_drivers_init(void);

/* Upper layers. */
int dev_xmit(struct net_device *dev, const struct kvec *iov, int n);
struct net_device *netdev_first(void);
struct net_device *netdev_by_name(const char *name);
void netdev_print_stats(void);

/* A protocol above Ethernet, by EtherType (host order). */
struct packet_type {
	u16 type;
	void (*rcv)(struct net_device *dev, const void *payload, size_t len,
		    const struct ethhdr *eth);
	struct list_head list;
};
void dev_add_pack(struct packet_type *pt);

static inline u16 htons(u16 v) { return __builtin_bswap16(v); }
static inline u16 ntohs(u16 v) { return __builtin_bswap16(v); }
static inline u32 htonl(u32 v) { return __builtin_bswap32(v); }
static inline u32 ntohl(u32 v) { return __builtin_bswap32(v); }

static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	for (int i = 0; i < ETH_ALEN; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}

static inline bool is_multicast_ether_addr(const u8 *a)
{
	return a[0] & 1;
}

#endif
