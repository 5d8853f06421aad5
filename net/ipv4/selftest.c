// SPDX-License-Identifier: GPL-2.0
/*
 * selftest=net with selftest.peer=ADDR: UDP echoes of several sizes to a
 * peer's echo port (another LegoOS node or a Linux host running an echo
 * service), compared byte for byte by the peer's sequence check.
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/time.h>
#include "ipv4.h"

#define NET_SELFTEST_ROUNDS	50

static u64 median(u64 *v, int n)
{
	/* insertion sort: n is small */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

void inet_selftest(void)
{
	static const size_t sizes[] = { 4, 64, 1024, 0 /* max */ };
	const char *peer = cmdline_get("selftest.peer");
	u64 *samples;
	u32 addr;

	if (!peer || inet_parse_addr(peer, &addr, NULL)) {
		pr_err("selftest: net FAILED: needs selftest.peer=ADDR\n");
		return;
	}
	if (!inet_cfg.dev) {
		pr_err("selftest: net FAILED: networking is off\n");
		return;
	}
	samples = kmalloc(NET_SELFTEST_ROUNDS * sizeof(*samples), GFP_KERNEL);
	if (!samples)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t len = sizes[i] ?: udp_max_payload();
		int n = udp_echo_rtt(addr, len, NET_SELFTEST_ROUNDS, samples, 2 * NSEC_PER_SEC);

		if (n != NET_SELFTEST_ROUNDS) {
			pr_err("selftest: net FAILED: %zu-byte echoes to %s: %d of %d (error %d)\n",
			       len, peer, n > 0 ? n : 0, NET_SELFTEST_ROUNDS, n < 0 ? n : 0);
			goto out;
		}
		pr_info("selftest: net echo %zu bytes to %s: median %llu us\n", len, peer,
			median(samples, n) / NSEC_PER_USEC);
	}
	pr_info("selftest: net ok\n");
out:
	kfree(samples);
}
