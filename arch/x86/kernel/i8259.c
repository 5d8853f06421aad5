// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy 8259 interrupt controllers. Firmware leaves them delivering
 * the PIT on vector 8, which would look like a double fault: remap them
 * out of the exception range and mask every line. Interrupts come through
 * the local APIC and IOAPIC instead.
 */
#include <asm/io.h>
#include <asm/i8259.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_VECTOR_BASE	0x20	/* spurious IRQ 7/15 land on 0x27/0x2f: unused */

void legacy_pic_disable(void)
{
	outb(0x11, PIC1_CMD);			/* ICW1: init, expect ICW4 */
	outb(0x11, PIC2_CMD);
	outb(PIC_VECTOR_BASE, PIC1_DATA);	/* ICW2: vector bases */
	outb(PIC_VECTOR_BASE + 8, PIC2_DATA);
	outb(0x04, PIC1_DATA);			/* ICW3: slave on IRQ2 */
	outb(0x02, PIC2_DATA);
	outb(0x01, PIC1_DATA);			/* ICW4: 8086 mode */
	outb(0x01, PIC2_DATA);
	outb(0xff, PIC1_DATA);			/* mask everything */
	outb(0xff, PIC2_DATA);
}
