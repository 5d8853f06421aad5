// SPDX-License-Identifier: GPL-2.0
/*
 * Generic kernel start-up, in dependency order: console and command line,
 * memory, time and interrupts, other CPUs, the scheduler, devices, and
 * finally the component role (processor or memory manager).
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/bootinfo.h>
#include <lego/cmdline.h>
#include <lego/fit.h>
#include <lego/inet.h>
#include <lego/init.h>
#include <lego/memblock.h>
#include <lego/mm.h>
#include <lego/netdevice.h>
#include <lego/panic.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <lego/version.h>
#include <asm/irqflags.h>

static void parse_early_options(void)
{
	unsigned long level;
	int err = cmdline_parse(boot_info.cmdline);

	if (err)
		pr_err("cmdline: malformed or too long (error %d); using what parsed\n", err);
	if (!cmdline_get_ulong("loglevel", &level) && level <= 7)
		console_loglevel = level;
	panic_setup();
}

static void report_unknown_option(const char *key, const char *value)
{
	pr_warn("cmdline: unknown option '%s%s%s' ignored\n", key, *value ? "=" : "", value);
}

/* The rest of start-up runs in a thread, so it may sleep. */
static int kernel_init(void *unused)
{
	net_drivers_init();
	pci_init();
	if (!inet_init())
		fit_init();
	run_selftests();
	manager_init();
	cmdline_for_each_unused(report_unknown_option);
	return 0;
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
	sched_init();
	acpi_init();
	arch_irq_init();
	time_init();
	local_irq_enable();
	smp_init();

	if (!kthread_run(kernel_init, NULL, "init"))
		panic("cannot create the init thread");
	/* the boot CPU's start-up context becomes its idle task */
	cpu_idle();
}
