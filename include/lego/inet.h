/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_INET_H
#define _LEGO_INET_H

#include <lego/types.h>
#include <lego/netdevice.h>

/*
 * A minimal IPv4 stack: ARP, IPv4 (no fragmentation, no routing beyond one
 * subnet and an optional gateway) and UDP. No TCP. Addresses and ports are
 * in host byte order in this API.
 *
 * Configured from the command line: lego.ip=10.0.0.2/24 [lego.gw=10.0.0.1]
 * [lego.netdev=eth0].
 */
int inet_init(void);			/* after the NIC drivers registered */
u32 inet_local_addr(void);		/* 0 if not configured */
struct net_device *inet_dev(void);
size_t udp_max_payload(void);		/* mtu - IP and UDP headers */

/*
 * Called from the device's poll thread for each datagram to the bound
 * port; data is valid only during the call, and the handler must not
 * sleep for long (it holds up the receive path).
 */
typedef void (*udp_rcv_t)(void *ctx, u32 saddr, u16 sport, const void *data, size_t len);
int udp_bind(u16 port, udp_rcv_t fn, void *ctx);

/*
 * Send one datagram made of iov[0..n). May sleep for an ARP resolution
 * (a few retries); -EHOSTUNREACH if the peer does not answer, -EMSGSIZE
 * if it does not fit in one frame.
 */
int udp_sendv(u32 daddr, u16 sport, u16 dport, const struct kvec *iov, int n);

/*
 * Round trips of len-byte datagrams (at least 4) to the UDP echo port (7)
 * of daddr, one at a time; fills samples[] in ns. Returns how many
 * completed, or an error if none did.
 */
int udp_echo_rtt(u32 daddr, size_t len, int count, u64 *samples, u64 timeout_ns);

/* selftest=net: echoes to selftest.peer=ADDR. */
void inet_selftest(void);

/* "10.0.0.2" -> host order; returns 0 on success. */
int inet_parse_addr(const char *s, u32 *addr, const char **end);

struct inet_stats {
	atomic_long_t ip_rx, ip_rx_bad, udp_rx, udp_rx_noport, udp_tx;
	atomic_long_t arp_rx, arp_requests_sent, arp_replies_sent, arp_failures;
};
extern struct inet_stats inet_stats;

#endif
