// SPDX-License-Identifier: GPL-2.0
/*
 * Network drivers register with the PCI core before it enumerates the
 * bus, so each NIC is claimed as it is found.
 */
#include <lego/kernel.h>
#include <lego/netdevice.h>
#include <lego/printk.h>
#include <lego/virtio.h>
#include "e1000.h"

void net_drivers_init(void)
{
	int err;

	err = e1000_driver_init();
	if (err)
		pr_err("net: e1000 driver not registered (error %d)\n", err);
	err = virtio_net_init();
	if (err)
		pr_err("net: virtio-net driver not registered (error %d)\n", err);
}
