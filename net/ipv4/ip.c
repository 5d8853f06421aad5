// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 input and output for one interface. No fragmentation: FIT sizes its
 * datagrams to the MTU, and a fragment that arrives anyway is dropped.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/string.h>
#include "ipv4.h"

struct inet_config inet_cfg;
struct inet_stats inet_stats;
static atomic_t ip_ident;

/*
 * The ones' complement sum is the same in either byte order up to a final
 * swap (RFC 1071), so whole words are summed as the CPU loads them, eight
 * bytes at a time, and the folded result is swapped into network order.
 * Every piece but a packet's last has even length, so pairing holds.
 */
u32 csum_partial(const void *data, size_t len, u32 sum)
{
	const u8 *p = data;
	u64 acc = 0;

	for (; len >= 8; len -= 8, p += 8) {
		u64 w;

		__builtin_memcpy(&w, p, 8);
		acc += (w & 0xffffffff) + (w >> 32);
	}
	for (; len >= 2; len -= 2, p += 2) {
		u16 w;

		__builtin_memcpy(&w, p, 2);
		acc += w;
	}
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	acc = __builtin_bswap16((u16)acc);
	if (len)
		acc += (u32)p[0] << 8;
	acc += sum;
	while (acc >> 32)
		acc = (acc & 0xffffffff) + (acc >> 32);
	return (u32)acc;
}

/* The ones' complement of the folded sum, in network byte order. */
u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((u16)~sum);
}

static bool on_link(u32 addr)
{
	return (addr & inet_cfg.mask) == (inet_cfg.addr & inet_cfg.mask);
}

static int next_hop(u32 daddr, u32 *hop)
{
	if (daddr == INADDR_BROADCAST || on_link(daddr)) {
		*hop = daddr;
		return 0;
	}
	if (!inet_cfg.gateway)
		return -ENETUNREACH;
	*hop = inet_cfg.gateway;
	return 0;
}

/* Send one datagram; the IP and Ethernet headers go in front of iov. */
int ip_sendv(u32 daddr, u8 protocol, const struct kvec *iov, int n)
{
	struct net_device *dev = inet_cfg.dev;
	struct kvec frame[8];
	struct ethhdr eth;
	struct iphdr ip;
	size_t len = 0;
	u32 hop;
	int err;

	if (!dev)
		return -ENETDOWN;
	if (n > (int)ARRAY_SIZE(frame) - 2)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		len += iov[i].len;
	if (len + IP_HLEN > dev->mtu)
		return -EMSGSIZE;
	err = next_hop(daddr, &hop);
	if (!err)
		err = arp_resolve(hop, eth.dest);
	if (err)
		return err;

	memcpy(eth.source, dev->mac, ETH_ALEN);
	eth.proto = htons(ETH_P_IP);
	ip.ihl_version = 0x45;
	ip.tos = 0;
	ip.tot_len = htons(IP_HLEN + len);
	ip.id = htons((u16)atomic_add_return(1, &ip_ident));
	ip.frag_off = htons(IP_DF);
	ip.ttl = 64;
	ip.protocol = protocol;
	ip.check = 0;
	ip.saddr = htonl(inet_cfg.addr);
	ip.daddr = htonl(daddr);
	ip.check = csum_fold(csum_partial(&ip, IP_HLEN, 0));

	frame[0] = (struct kvec){ &eth, ETH_HLEN };
	frame[1] = (struct kvec){ &ip, IP_HLEN };
	for (int i = 0; i < n; i++)
		frame[i + 2] = iov[i];
	return dev_xmit(dev, frame, n + 2);
}

static bool ip_header_ok(const struct iphdr *ip, size_t len)
{
	size_t hlen = (ip->ihl_version & 0xf) * 4;

	if (len < IP_HLEN || (ip->ihl_version >> 4) != 4 || hlen < IP_HLEN || hlen > len)
		return false;
	if (ntohs(ip->tot_len) < hlen || ntohs(ip->tot_len) > len)
		return false;
	if (csum_fold(csum_partial(ip, hlen, 0)) != 0)
		return false;
	/* fragments are never reassembled */
	return !(ntohs(ip->frag_off) & (IP_MF | IP_OFFMASK));
}

static void ip_rcv(struct net_device *dev, const void *data, size_t len,
		   const struct ethhdr *eth)
{
	const struct iphdr *ip = data;
	size_t hlen;
	u32 daddr;

	atomic_long_inc(&inet_stats.ip_rx);
	if (dev != inet_cfg.dev || !ip_header_ok(ip, len)) {
		atomic_long_inc(&inet_stats.ip_rx_bad);
		return;
	}
	daddr = ntohl(ip->daddr);
	if (daddr != inet_cfg.addr && daddr != INADDR_BROADCAST)
		return;
	hlen = (ip->ihl_version & 0xf) * 4;
	/* replies then need no ARP round trip */
	if (on_link(ntohl(ip->saddr)))
		arp_learn(ntohl(ip->saddr), eth->source);
	len = ntohs(ip->tot_len) - hlen;
	switch (ip->protocol) {
	case IPPROTO_UDP:
		udp_rcv(ip, (const u8 *)ip + hlen, len);
		break;
	case IPPROTO_ICMP:
		icmp_rcv(ip, (const u8 *)ip + hlen, len);
		break;
	}
}

static struct packet_type ip_packet_type = {
	.type = ETH_P_IP,
	.rcv = ip_rcv,
};

void ip_init(void)
{
	dev_add_pack(&ip_packet_type);
}
