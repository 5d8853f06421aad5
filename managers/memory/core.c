// SPDX-License-Identifier: GPL-2.0
/*
 * Memory manager start-up. Later issues add address spaces, the program
 * loader and the handlers for ExCache misses here.
 */
#include <lego/init.h>
#include <lego/printk.h>

void manager_reserve_memory(void)
{
	/* the memory manager hands all of its memory to the page allocator */
}

void manager_init(void)
{
	pr_info("lego: memory manager ready\n");
}
