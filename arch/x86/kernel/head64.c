// SPDX-License-Identifier: GPL-2.0
/*
 * First C code on the boot CPU, entered from head.S on the boot stack with
 * the boot page tables. Makes exceptions and printk work, saves what the
 * boot loader handed over, and continues in the generic start_kernel().
 */
#include <lego/init.h>
#include <lego/serial.h>
#include <asm/desc.h>
#include <asm/i8259.h>
#include <asm/irq.h>
#include <asm/multiboot2.h>
#include <asm/percpu.h>

void x86_64_start_kernel(u32 magic, u32 info);

void x86_64_start_kernel(u32 magic, u32 info)
{
	percpu_setup(0);
	idt_init();
	cpu_init(0);
	legacy_pic_disable();
	serial_init();
	/* everything is copied out, so the loader's memory can be reused */
	multiboot2_parse(magic, info);
	start_kernel();
}
