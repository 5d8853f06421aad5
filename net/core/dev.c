// SPDX-License-Identifier: GPL-2.0
/*
 * Network devices: registration, the per-device poll thread that moves
 * received frames up the stack, and transmission with back-pressure.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/netdevice.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>

#define POLL_BUDGET		64
#define XMIT_BUSY_TIMEOUT_NS	(20 * NSEC_PER_MSEC)

static LIST_HEAD(netdevs);
static LIST_HEAD(packet_types);
static DEFINE_SPINLOCK(netdev_lock);
static int nr_netdevs;

void dev_add_pack(struct packet_type *pt)
{
	unsigned long flags;

	spin_lock_irqsave(&netdev_lock, flags);
	list_add_tail(&pt->list, &packet_types);
	spin_unlock_irqrestore(&netdev_lock, flags);
}

void netif_schedule_poll(struct net_device *dev)
{
	atomic_long_inc(&dev->stats.interrupts);
	WRITE_ONCE(dev->poll_scheduled, true);
	wake_up(&dev->poll_wait);
}

static bool frame_is_for_us(struct net_device *dev, const struct ethhdr *eth)
{
	/* a shared segment (QEMU multicast socket) echoes our own frames */
	if (ether_addr_equal(eth->source, dev->mac))
		return false;
	return ether_addr_equal(eth->dest, dev->mac) || is_broadcast_ether_addr(eth->dest);
}

void netif_receive(struct net_device *dev, const void *frame, size_t len)
{
	const struct ethhdr *eth = frame;
	struct packet_type *pt;
	u16 type;

	if (len < ETH_HLEN || !frame_is_for_us(dev, eth)) {
		atomic_long_inc(&dev->stats.rx_dropped);
		return;
	}
	atomic_long_inc(&dev->stats.rx_packets);
	atomic_long_add_return(len, &dev->stats.rx_bytes);
	type = ntohs(eth->proto);
	/* registered once at boot and never removed: safe to walk unlocked */
	list_for_each_entry(pt, &packet_types, list) {
		if (pt->type == type) {
			pt->rcv(dev, (const u8 *)frame + ETH_HLEN, len - ETH_HLEN, eth);
			return;
		}
	}
	atomic_long_inc(&dev->stats.rx_dropped);
}

static int netdev_poll_thread(void *arg)
{
	struct net_device *dev = arg;

	for (;;) {
		wait_event(dev->poll_wait, READ_ONCE(dev->poll_scheduled));
		WRITE_ONCE(dev->poll_scheduled, false);
		for (;;) {
			int done = dev->ops->poll(dev, POLL_BUDGET);

			atomic_long_inc(&dev->stats.polls);
			if (done == POLL_BUDGET) {
				/* busy: keep polling, but let others run */
				yield();
				continue;
			}
			if (!dev->ops->irq_enable(dev))
				break;
		}
	}
	return 0;
}

int register_netdev(struct net_device *dev)
{
	unsigned long flags;

	if (!dev->ops || !dev->ops->xmit || !dev->ops->poll || !dev->ops->irq_enable)
		return -EINVAL;
	if (!dev->mtu)
		dev->mtu = ETH_DATA_LEN;
	if (!dev->max_mtu)
		dev->max_mtu = dev->mtu;
	spin_lock_init(&dev->tx_lock);
	init_waitqueue_head(&dev->poll_wait);
	/* the thread first: a device on the list must be fully alive */
	dev->poll_task = kthread_create(netdev_poll_thread, dev, "netpoll");
	if (!dev->poll_task)
		return -ENOMEM;
	spin_lock_irqsave(&netdev_lock, flags);
	dev->ifindex = nr_netdevs++;
	if (!dev->name[0])
		snprintf(dev->name, sizeof(dev->name), "eth%d", dev->ifindex);
	list_add_tail(&dev->list, &netdevs);
	spin_unlock_irqrestore(&netdev_lock, flags);
	strlcpy(dev->poll_task->comm, dev->name, sizeof(dev->poll_task->comm));

	pr_info("net: %s: mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u (max %u)\n", dev->name,
		dev->mac[0], dev->mac[1], dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5],
		dev->mtu, dev->max_mtu);
	wake_up_process(dev->poll_task);
	/* frames may have arrived before the thread existed */
	netif_schedule_poll(dev);
	return 0;
}

int dev_xmit(struct net_device *dev, const struct kvec *iov, int n)
{
	u64 deadline = 0;
	unsigned long flags;
	size_t len = 0;
	int err;

	for (int i = 0; i < n; i++)
		len += iov[i].len;
	if (len > dev->mtu + ETH_HLEN) {
		atomic_long_inc(&dev->stats.tx_dropped);
		return -EMSGSIZE;
	}
	for (;;) {
		spin_lock_irqsave(&dev->tx_lock, flags);
		err = dev->ops->xmit(dev, iov, n);
		spin_unlock_irqrestore(&dev->tx_lock, flags);
		if (err != -EBUSY)
			break;
		/* ring full: the device drains it on its own, give it time */
		atomic_long_inc(&dev->stats.tx_busy);
		if (!deadline)
			deadline = ktime_get_ns() + XMIT_BUSY_TIMEOUT_NS;
		else if (ktime_get_ns() > deadline)
			break;
		yield();
	}
	if (err) {
		atomic_long_inc(&dev->stats.tx_dropped);
		return err;
	}
	atomic_long_inc(&dev->stats.tx_packets);
	atomic_long_add_return(len, &dev->stats.tx_bytes);
	return 0;
}

struct net_device *netdev_first(void)
{
	return list_empty(&netdevs) ? NULL : list_first_entry(&netdevs, struct net_device, list);
}

struct net_device *netdev_by_name(const char *name)
{
	struct net_device *dev;

	list_for_each_entry(dev, &netdevs, list)
		if (!strcmp(dev->name, name))
			return dev;
	return NULL;
}

void netdev_print_stats(void)
{
	struct net_device *dev;

	list_for_each_entry(dev, &netdevs, list) {
		struct net_device_stats *s = &dev->stats;

		pr_info("net: %s: rx %ld packets %ld bytes %ld dropped; tx %ld packets %ld bytes %ld dropped %ld busy; %ld interrupts %ld polls\n",
			dev->name, atomic_long_read(&s->rx_packets), atomic_long_read(&s->rx_bytes),
			atomic_long_read(&s->rx_dropped), atomic_long_read(&s->tx_packets),
			atomic_long_read(&s->tx_bytes), atomic_long_read(&s->tx_dropped),
			atomic_long_read(&s->tx_busy), atomic_long_read(&s->interrupts),
			atomic_long_read(&s->polls));
	}
}
