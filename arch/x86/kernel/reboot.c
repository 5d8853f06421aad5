// SPDX-License-Identifier: GPL-2.0
/*
 * Halting, restarting and powering off the machine, and leaving QEMU with
 * a status the test harness can read.
 */
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/acpi.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define QEMU_DEBUG_EXIT_PORT	0xf4

static bool running_on_hypervisor(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return c & (1U << 31);
}

void arch_vm_exit(int code)
{
	/*
	 * QEMU's isa-debug-exit turns this write into exit((code << 1) | 1).
	 * Without the device, or on real hardware, port 0xf4 is unused.
	 */
	if (IS_ENABLED(CONFIG_PANIC_QEMU_EXIT) && running_on_hypervisor())
		outb(code, QEMU_DEBUG_EXIT_PORT);
}

void machine_halt(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

void machine_restart(void)
{
	local_irq_disable();
	/* PCI reset control register, then the keyboard controller */
	outb(0x06, 0xcf9);
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
		cpu_relax();
	outb(0xfe, 0x64);
	machine_halt();
}

void machine_power_off(void)
{
	pr_info("Power off\n");
	acpi_power_off();
	pr_emerg("power off failed: halting\n");
	machine_halt();
}
