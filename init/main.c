// SPDX-License-Identifier: GPL-2.0
/*
 * Generic kernel start-up, in dependency order: console and command line,
 * memory, time and interrupts, other CPUs, the scheduler, devices, and
 * finally the component role (processor or memory manager).
 */
#include <lego/kernel.h>
#include <lego/bootinfo.h>
#include <lego/cmdline.h>
#include <lego/init.h>
#include <lego/memblock.h>
#include <lego/mm.h>
#include <lego/printk.h>
#include <lego/version.h>

static void parse_early_options(void)
{
	unsigned long level;
	int err = cmdline_parse(boot_info.cmdline);

	if (err)
		pr_err("cmdline: malformed or too long (error %d); using what parsed\n", err);
	if (!cmdline_get_ulong("loglevel", &level) && level <= 7)
		console_loglevel = level;
}

void start_kernel(void)
{
	parse_early_options();
	pr_info("LegoOS %s (%s manager), built %s\n", LEGO_VERSION,
		IS_ENABLED(CONFIG_COMP_MEMORY) ? "memory" : "processor", LEGO_BUILD_DATE);
	pr_info("Command line: %s\n", cmdline_raw());

	setup_arch();
	manager_reserve_memory();
	mem_init();

	manager_init();
	for (;;)
		__asm__ __volatile__("hlt");
}
