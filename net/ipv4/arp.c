// SPDX-License-Identifier: GPL-2.0
/*
 * ARP: answering for our address, and a small cache of neighbours filled
 * by replies, by requests addressed to us and by the source of every IPv4
 * frame we receive (so answering a peer never waits for a resolution).
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/wait.h>
#include "ipv4.h"

#define ARP_CACHE_SIZE		64
#define ARP_RETRIES		4
#define ARP_RETRY_NS		(250 * NSEC_PER_MSEC)
#define ARP_NEGATIVE_NS		(2 * NSEC_PER_SEC)
#define ARPOP_REQUEST		1
#define ARPOP_REPLY		2

struct arp_packet {
	u16 htype, ptype;
	u8 hlen, plen;
	u16 oper;
	u8 sha[ETH_ALEN];
	u32 spa;
	u8 tha[ETH_ALEN];
	u32 tpa;
} __attribute__((packed));

struct arp_entry {
	u32 addr;		/* 0: free slot */
	u8 mac[ETH_ALEN];
	bool valid;		/* mac is known; else resolution failed at failed_ns */
	u64 used_ns;
	u64 failed_ns;
};

static struct arp_entry cache[ARP_CACHE_SIZE];
static DEFINE_SPINLOCK(arp_lock);
static DECLARE_WAIT_QUEUE_HEAD(arp_wait);

static struct arp_entry *lookup(u32 addr)
{
	for (int i = 0; i < ARP_CACHE_SIZE; i++)
		if (cache[i].addr == addr)
			return &cache[i];
	return NULL;
}

/* A free slot, else the least recently used one. */
static struct arp_entry *slot_for(u32 addr)
{
	struct arp_entry *e = lookup(addr), *lru = &cache[0];

	if (e)
		return e;
	for (int i = 0; i < ARP_CACHE_SIZE; i++) {
		if (!cache[i].addr)
			return &cache[i];
		if (cache[i].used_ns < lru->used_ns)
			lru = &cache[i];
	}
	return lru;
}

void arp_learn(u32 addr, const u8 *mac)
{
	unsigned long flags;
	struct arp_entry *e;
	bool changed;

	if (!addr || addr == INADDR_BROADCAST || is_multicast_ether_addr(mac))
		return;
	spin_lock_irqsave(&arp_lock, flags);
	e = slot_for(addr);
	changed = e->addr != addr || !ether_addr_equal(e->mac, mac);
	changed |= !e->valid;
	e->addr = addr;
	memcpy(e->mac, mac, ETH_ALEN);
	e->valid = true;
	e->used_ns = ktime_get_ns();
	spin_unlock_irqrestore(&arp_lock, flags);
	if (changed)
		wake_up(&arp_wait);
}

/*
 * Remember that addr did not answer, so that senders fail at once for a
 * while instead of each waiting a second (FIT retransmits to dead peers).
 */
static void arp_forget(u32 addr)
{
	unsigned long flags;
	struct arp_entry *e;

	spin_lock_irqsave(&arp_lock, flags);
	e = slot_for(addr);
	if (e->addr != addr || !e->valid) {
		e->addr = addr;
		e->valid = false;
		e->used_ns = e->failed_ns = ktime_get_ns();
	}
	spin_unlock_irqrestore(&arp_lock, flags);
}

static bool recently_failed(u32 addr)
{
	unsigned long flags;
	struct arp_entry *e;
	bool failed;

	spin_lock_irqsave(&arp_lock, flags);
	e = lookup(addr);
	failed = e && !e->valid && ktime_get_ns() - e->failed_ns < ARP_NEGATIVE_NS;
	spin_unlock_irqrestore(&arp_lock, flags);
	return failed;
}

static bool cached(u32 addr, u8 *mac)
{
	unsigned long flags;
	struct arp_entry *e;

	spin_lock_irqsave(&arp_lock, flags);
	e = lookup(addr);
	if (e && !e->valid)
		e = NULL;
	if (e) {
		memcpy(mac, e->mac, ETH_ALEN);
		e->used_ns = ktime_get_ns();
	}
	spin_unlock_irqrestore(&arp_lock, flags);
	return e != NULL;
}

static void arp_send(u16 oper, const u8 *dst_mac, u32 tpa, const u8 *tha)
{
	struct net_device *dev = inet_cfg.dev;
	struct ethhdr eth;
	struct arp_packet arp = {
		.htype = htons(1),
		.ptype = htons(ETH_P_IP),
		.hlen = ETH_ALEN,
		.plen = 4,
		.oper = htons(oper),
		.spa = htonl(inet_cfg.addr),
		.tpa = htonl(tpa),
	};
	struct kvec iov[2] = { { &eth, sizeof(eth) }, { &arp, sizeof(arp) } };

	memcpy(eth.dest, dst_mac, ETH_ALEN);
	memcpy(eth.source, dev->mac, ETH_ALEN);
	eth.proto = htons(ETH_P_ARP);
	memcpy(arp.sha, dev->mac, ETH_ALEN);
	memcpy(arp.tha, tha, ETH_ALEN);
	dev_xmit(dev, iov, 2);
}

static const u8 broadcast_mac[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 zero_mac[ETH_ALEN];

static void arp_rcv(struct net_device *dev, const void *data, size_t len,
		    const struct ethhdr *eth)
{
	const struct arp_packet *arp = data;
	u32 spa, tpa;

	atomic_long_inc(&inet_stats.arp_rx);
	if (dev != inet_cfg.dev || len < sizeof(*arp) || ntohs(arp->htype) != 1 ||
	    ntohs(arp->ptype) != ETH_P_IP || arp->hlen != ETH_ALEN || arp->plen != 4)
		return;
	spa = ntohl(arp->spa);
	tpa = ntohl(arp->tpa);
	/* learn from whoever asks us, and from announcements (spa == tpa) */
	if (tpa == inet_cfg.addr || spa == tpa)
		arp_learn(spa, arp->sha);
	if (ntohs(arp->oper) == ARPOP_REQUEST && tpa == inet_cfg.addr) {
		arp_send(ARPOP_REPLY, arp->sha, spa, arp->sha);
		atomic_long_inc(&inet_stats.arp_replies_sent);
	}
}

/*
 * The MAC for an on-link address, asking for it if needed. The poll thread
 * must not wait here (it is the one that would receive the reply): it only
 * sends the request; nor does anyone while the address recently failed to
 * answer (a reply still updates the cache at any time).
 */
int arp_resolve(u32 addr, u8 *mac)
{
	bool may_wait = current != inet_cfg.dev->poll_task && !recently_failed(addr);

	if (addr == INADDR_BROADCAST) {
		memcpy(mac, broadcast_mac, ETH_ALEN);
		return 0;
	}
	for (int i = 0; i < ARP_RETRIES; i++) {
		if (cached(addr, mac))
			return 0;
		arp_send(ARPOP_REQUEST, broadcast_mac, addr, zero_mac);
		atomic_long_inc(&inet_stats.arp_requests_sent);
		if (!may_wait)
			break;
		wait_event_timeout(arp_wait, cached(addr, mac), ARP_RETRY_NS);
	}
	if (cached(addr, mac))
		return 0;
	if (may_wait)
		arp_forget(addr);
	atomic_long_inc(&inet_stats.arp_failures);
	return -EHOSTUNREACH;
}

/* Gratuitous ARP: peers that cached an old MAC for our address update it. */
void arp_announce(void)
{
	arp_send(ARPOP_REQUEST, broadcast_mac, inet_cfg.addr, zero_mac);
}

static struct packet_type arp_packet_type = {
	.type = ETH_P_ARP,
	.rcv = arp_rcv,
};

void arp_init(void)
{
	dev_add_pack(&arp_packet_type);
}
