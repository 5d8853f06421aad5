// SPDX-License-Identifier: GPL-2.0
/*
 * Processor manager start-up. Later issues add the ExCache, user processes
 * and the system call layer here.
 */
#include <lego/init.h>
#include <lego/printk.h>

void manager_init(void)
{
	pr_info("lego: processor manager ready\n");
}
