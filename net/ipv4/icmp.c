// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP: only echo requests are answered (ping), which is how the raw round
 * trip of the virtual wire is measured from a Linux peer.
 */
#include <lego/kernel.h>
#include <lego/string.h>
#include "ipv4.h"

#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8

void icmp_rcv(const struct iphdr *ip, const void *data, size_t len)
{
	const struct icmphdr *req = data;
	struct icmphdr *reply;
	struct kvec iov;
	u8 buf[ETH_DATA_LEN];

	if (len < sizeof(*req) || len > sizeof(buf) || req->type != ICMP_ECHO ||
	    csum_fold(csum_partial(data, len, 0)) != 0)
		return;
	memcpy(buf, data, len);
	reply = (struct icmphdr *)buf;
	reply->type = ICMP_ECHOREPLY;
	reply->check = 0;
	reply->check = csum_fold(csum_partial(buf, len, 0));
	iov = (struct kvec){ buf, len };
	ip_sendv(ntohl(ip->saddr), IPPROTO_ICMP, &iov, 1);
}
