// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing up IPv4 on one interface from the command line:
 *   lego.ip=ADDR/PREFIX   our address and subnet (required for networking)
 *   lego.gw=ADDR          a gateway for other subnets (optional)
 *   lego.netdev=NAME      which interface (default: the first one found)
 *   lego.mtu=N            IP MTU, 576 up to what the device allows (jumbo
 *                         frames); default 1500
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/string.h>
#include "ipv4.h"

int inet_parse_addr(const char *s, u32 *addr, const char **end)
{
	u32 a = 0;

	for (int i = 0; i < 4; i++) {
		char *e;
		unsigned long long part;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		part = simple_strtoull(s, &e, 10);
		if (part > 255 || e - s > 3)
			return -EINVAL;
		a = a << 8 | (u32)part;
		s = e;
		if (i < 3) {
			if (*s != '.')
				return -EINVAL;
			s++;
		}
	}
	*addr = a;
	if (end)
		*end = s;
	else if (*s)
		return -EINVAL;
	return 0;
}

static int parse_ip_option(const char *v, u32 *addr, u32 *mask)
{
	const char *end;
	unsigned long long prefix = 24;

	if (inet_parse_addr(v, addr, &end))
		return -EINVAL;
	if (*end == '/') {
		char *e;

		prefix = simple_strtoull(end + 1, &e, 10);
		if (e == end + 1 || *e || prefix < 1 || prefix > 30)
			return -EINVAL;
	} else if (*end) {
		return -EINVAL;
	}
	*mask = ~0U << (32 - prefix);
	return 0;
}

u32 inet_local_addr(void)
{
	return inet_cfg.addr;
}

struct net_device *inet_dev(void)
{
	return inet_cfg.dev;
}

static void set_mtu(struct net_device *dev)
{
	const char *v = cmdline_get("lego.mtu");
	unsigned long mtu;

	if (!v)
		return;
	if (cmdline_get_ulong("lego.mtu", &mtu) || mtu < 576 || mtu > dev->max_mtu) {
		pr_err("net: bad lego.mtu=%s (576..%u on %s); keeping %u\n", v, dev->max_mtu,
		       dev->name, dev->mtu);
		return;
	}
	dev->mtu = mtu;
}

static int pick_device(void)
{
	const char *name = cmdline_get("lego.netdev");

	inet_cfg.dev = name ? netdev_by_name(name) : netdev_first();
	if (inet_cfg.dev)
		return 0;
	if (name)
		pr_err("net: no interface named %s (lego.netdev=)\n", name);
	else
		pr_err("net: lego.ip= given but no network interface was found\n");
	return -ENODEV;
}

int inet_init(void)
{
	const char *ip = cmdline_get("lego.ip"), *gw = cmdline_get("lego.gw");
	u32 addr, mask, gateway = 0;

	if (!ip) {
		pr_info("net: no lego.ip= on the command line: networking is off\n");
		return -ENOENT;
	}
	if (parse_ip_option(ip, &addr, &mask)) {
		pr_err("net: bad lego.ip=%s (want e.g. lego.ip=10.0.0.2/24): networking is off\n", ip);
		return -EINVAL;
	}
	if (gw && inet_parse_addr(gw, &gateway, NULL)) {
		pr_err("net: bad lego.gw=%s, ignored\n", gw);
		gateway = 0;
	}
	if (pick_device())
		return -ENODEV;
	set_mtu(inet_cfg.dev);
	inet_cfg.addr = addr;
	inet_cfg.mask = mask;
	inet_cfg.gateway = gateway;
	arp_init();
	ip_init();
	arp_announce();
	pr_info("net: %s %u.%u.%u.%u/%d mtu %u%s\n", inet_cfg.dev->name, addr >> 24,
		(addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff, 32 - __builtin_ctz(mask),
		inet_cfg.dev->mtu, gateway ? " with a gateway" : "");
	return 0;
}
