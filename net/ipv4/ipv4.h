/* SPDX-License-Identifier: GPL-2.0 */
/* Private to net/ipv4: header layouts and the functions the files share. */
#ifndef _NET_IPV4_H
#define _NET_IPV4_H

#include <lego/inet.h>
#include <lego/netdevice.h>

#define IPPROTO_ICMP	1
#define IPPROTO_UDP	17
#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff
#define INADDR_BROADCAST 0xffffffffU

struct iphdr {
	u8 ihl_version;		/* version 4 in the high nibble, header words in the low */
	u8 tos;
	u16 tot_len;
	u16 id;
	u16 frag_off;
	u8 ttl;
	u8 protocol;
	u16 check;
	u32 saddr;
	u32 daddr;
} __attribute__((packed));

struct udphdr {
	u16 source;
	u16 dest;
	u16 len;
	u16 check;
} __attribute__((packed));

struct icmphdr {
	u8 type;
	u8 code;
	u16 check;
	u16 id;
	u16 seq;
} __attribute__((packed));

#define IP_HLEN		20
#define UDP_HLEN	8

/* Configuration, set once by inet_init(). */
struct inet_config {
	struct net_device *dev;
	u32 addr;
	u32 mask;
	u32 gateway;
};
extern struct inet_config inet_cfg;

/* Internet checksum over several pieces, folded; start with sum 0. */
u32 csum_partial(const void *data, size_t len, u32 sum);
u16 csum_fold(u32 sum);

/* ip.c */
void ip_init(void);
int ip_sendv(u32 daddr, u8 protocol, const struct kvec *iov, int n);
void udp_rcv(const struct iphdr *ip, const void *data, size_t len);
void icmp_rcv(const struct iphdr *ip, const void *data, size_t len);

/* arp.c */
void arp_init(void);
void arp_learn(u32 addr, const u8 *mac);
int arp_resolve(u32 addr, u8 *mac);
void arp_announce(void);

#endif
