// SPDX-License-Identifier: GPL-2.0
/*
 * UDP: a small table of bound ports and datagram output. Port 7 answers
 * as an echo service, so the raw round trip of the wire can be measured
 * against the same kernel's FIT.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/spinlock.h>
#include "ipv4.h"

#define UDP_MAX_BINDS	16
#define UDP_ECHO_PORT	7

struct udp_bind {
	u16 port;
	udp_rcv_t fn;
	void *ctx;
};

static struct udp_bind binds[UDP_MAX_BINDS];
static DEFINE_SPINLOCK(udp_lock);

int udp_bind(u16 port, udp_rcv_t fn, void *ctx)
{
	unsigned long flags;
	int err = -ENOSPC;

	if (!port || !fn)
		return -EINVAL;
	spin_lock_irqsave(&udp_lock, flags);
	for (int i = 0; i < UDP_MAX_BINDS; i++) {
		if (binds[i].port == port) {
			err = -EADDRINUSE;
			break;
		}
	}
	for (int i = 0; i < UDP_MAX_BINDS && err == -ENOSPC; i++) {
		if (!binds[i].fn) {
			binds[i] = (struct udp_bind){ port, fn, ctx };
			err = 0;
		}
	}
	spin_unlock_irqrestore(&udp_lock, flags);
	return err;
}

static u32 pseudo_header_sum(u32 saddr, u32 daddr, u16 len)
{
	struct {
		u32 saddr, daddr;
		u8 zero, proto;
		u16 len;
	} __attribute__((packed)) ph = { htonl(saddr), htonl(daddr), 0, IPPROTO_UDP, htons(len) };

	return csum_partial(&ph, sizeof(ph), 0);
}

size_t udp_max_payload(void)
{
	return inet_cfg.dev ? inet_cfg.dev->mtu - IP_HLEN - UDP_HLEN : 0;
}

/*
 * The checksum is summed piece by piece; a piece of odd length would shift
 * the byte pairing of the next one, so only the last piece may be odd.
 */
static u16 udp_checksum(const struct udphdr *uh, u32 daddr, const struct kvec *iov, int n)
{
	u32 sum = pseudo_header_sum(inet_cfg.addr, daddr, ntohs(uh->len));
	u8 carry[2];
	bool odd = false;

	sum = csum_partial(uh, UDP_HLEN, sum);
	for (int i = 0; i < n; i++) {
		const u8 *p = iov[i].base;
		size_t len = iov[i].len;

		if (odd && len) {
			carry[1] = *p++;
			len--;
			sum = csum_partial(carry, 2, sum);
			odd = false;
		}
		if (len & 1) {
			carry[0] = p[len - 1];
			odd = true;
			len--;
		}
		sum = csum_partial(p, len, sum);
	}
	if (odd) {
		carry[1] = 0;
		sum = csum_partial(carry, 2, sum);
	}
	/* 0 means "no checksum" on the wire: send its equivalent 0xffff */
	return csum_fold(sum) ?: 0xffff;
}

int udp_sendv(u32 daddr, u16 sport, u16 dport, const struct kvec *iov, int n)
{
	struct kvec frame[6];
	struct udphdr uh;
	size_t len = 0;
	int err;

	if (n > (int)ARRAY_SIZE(frame) - 1)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		len += iov[i].len;
	if (len > udp_max_payload())
		return -EMSGSIZE;
	uh.source = htons(sport);
	uh.dest = htons(dport);
	uh.len = htons(UDP_HLEN + len);
	uh.check = 0;
	uh.check = udp_checksum(&uh, daddr, iov, n);

	frame[0] = (struct kvec){ &uh, UDP_HLEN };
	for (int i = 0; i < n; i++)
		frame[i + 1] = iov[i];
	err = ip_sendv(daddr, IPPROTO_UDP, frame, n + 1);
	if (!err)
		atomic_long_inc(&inet_stats.udp_tx);
	return err;
}

static void udp_echo(u32 saddr, u16 sport, const void *data, size_t len)
{
	struct kvec iov = { data, len };

	udp_sendv(saddr, UDP_ECHO_PORT, sport, &iov, 1);
}

static bool udp_checksum_ok(const struct iphdr *ip, const struct udphdr *uh, size_t len)
{
	u32 sum;

	if (!uh->check)
		return true;	/* the sender did not compute one */
	sum = pseudo_header_sum(ntohl(ip->saddr), ntohl(ip->daddr), len);
	return csum_fold(csum_partial(uh, len, sum)) == 0;
}

void udp_rcv(const struct iphdr *ip, const void *data, size_t len)
{
	const struct udphdr *uh = data;
	u16 port, ulen;
	struct udp_bind b = { 0 };

	if (len < UDP_HLEN || (ulen = ntohs(uh->len)) < UDP_HLEN || ulen > len ||
	    !udp_checksum_ok(ip, uh, ulen)) {
		atomic_long_inc(&inet_stats.ip_rx_bad);
		return;
	}
	atomic_long_inc(&inet_stats.udp_rx);
	port = ntohs(uh->dest);
	if (port == UDP_ECHO_PORT) {
		udp_echo(ntohl(ip->saddr), ntohs(uh->source), uh + 1, ulen - UDP_HLEN);
		return;
	}
	/* binds are only ever added: a copy taken under the lock stays valid */
	spin_lock(&udp_lock);
	for (int i = 0; i < UDP_MAX_BINDS; i++)
		if (binds[i].fn && binds[i].port == port)
			b = binds[i];
	spin_unlock(&udp_lock);
	if (!b.fn) {
		atomic_long_inc(&inet_stats.udp_rx_noport);
		return;
	}
	b.fn(b.ctx, ntohl(ip->saddr), ntohs(uh->source), uh + 1, ulen - UDP_HLEN);
}
