// SPDX-License-Identifier: GPL-2.0
/*
 * CPU exceptions. In kernel mode every exception is a bug: it is reported
 * with a register dump and backtrace, and the machine is stopped. NMIs
 * are also how a panicking CPU stops the others.
 */
#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/panic.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/traps.h>

void do_exception(struct pt_regs *regs);

static const char *const exception_names[32] = {
	[0] = "divide error (#DE)",
	[1] = "debug (#DB)",
	[2] = "non-maskable interrupt",
	[3] = "breakpoint (#BP)",
	[4] = "overflow (#OF)",
	[5] = "bound range exceeded (#BR)",
	[6] = "invalid opcode (#UD)",
	[7] = "device not available (#NM)",
	[8] = "double fault (#DF)",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS (#TS)",
	[11] = "segment not present (#NP)",
	[12] = "stack-segment fault (#SS)",
	[13] = "general protection fault (#GP)",
	[14] = "page fault (#PF)",
	[16] = "x87 floating-point error (#MF)",
	[17] = "alignment check (#AC)",
	[18] = "machine check (#MC)",
	[19] = "SIMD floating-point error (#XM)",
	[20] = "virtualization exception (#VE)",
	[21] = "control protection (#CP)",
};

static void report_page_fault(struct pt_regs *regs)
{
	u64 e = regs->error_code;

	pr_emerg("BUG: unable to handle %s at address %016lx\n",
		 (e & 1) ? "protection violation" : "page not present", read_cr2());
	pr_emerg("#PF: %s %s access in %s mode%s\n",
		 (e & 16) ? "instruction" : "data",
		 (e & 2) ? "write" : "read",
		 (e & 4) ? "user" : "kernel",
		 (e & 8) ? ", reserved bit set" : "");
}

void do_exception(struct pt_regs *regs)
{
	const char *name = exception_names[regs->vector & 31];

	if (regs->vector == 2) {
		if (panic_in_progress())
			panic_stop_self();
		pr_warn("NMI received on a running kernel; ignored\n");
		return;
	}
#ifdef CONFIG_COMP_PROCESSOR
	if (regs->vector == 14 && do_page_fault(regs))
		return;
	if (do_user_trap(regs))
		return;
#endif
	if (!name)
		name = "reserved exception";
	if (regs->vector == 14)
		report_page_fault(regs);
	die(name, regs);
}
