// SPDX-License-Identifier: GPL-2.0
/*
 * The end of the kernel after a fatal error: one CPU reports, the others are
 * stopped, and the machine halts, reboots (panic=N) or ends the VM.
 */
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/console.h>
#include <lego/cmdline.h>
#include <lego/time.h>
#include <lego/atomic.h>
#include <lego/smp.h>
#include <asm/irqflags.h>
#include <asm/traps.h>
#include <stdarg.h>

static atomic_t panic_cpu = ATOMIC_INIT(-1);
static unsigned long panic_reboot_s;

/* Read at boot: a panic must not depend on parsing anything. */
void panic_setup(void)
{
	const char *v = cmdline_get("panic");

	if (v && cmdline_get_ulong("panic", &panic_reboot_s))
		pr_err("panic: bad panic=%s (want seconds); halting on panic\n", v);
}

bool panic_in_progress(void)
{
	return atomic_read(&panic_cpu) != -1;
}

bool panic_begin(void)
{
	int me = smp_processor_id();
	int old;

	local_irq_disable();
	old = atomic_cmpxchg(&panic_cpu, -1, me);
	if (old != -1 && old != me)
		return false;
	oops_in_progress = true;
	return true;
}

void panic_stop_self(void)
{
	machine_halt();
}

void panic_end(void)
{
	smp_send_stop();
	pr_emerg("---[ end Kernel panic ]---\n");
	arch_vm_exit(PANIC_EXIT_CODE);
	if (panic_reboot_s) {
		pr_emerg("Rebooting in %lu seconds\n", panic_reboot_s);
		mdelay(panic_reboot_s * 1000);
		machine_restart();
	}
	machine_halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	if (!panic_begin())
		panic_stop_self();
	printk(KERN_EMERG "Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk(KERN_CONT "\n");
	dump_stack();
	panic_end();
}
