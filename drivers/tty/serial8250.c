// SPDX-License-Identifier: GPL-2.0
/*
 * 16550-compatible UART on COM1, the kernel console. Output is polled so
 * that it works from the first instruction of C and inside a panic.
 */
#include <lego/console.h>
#include <lego/serial.h>
#include <asm/io.h>

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch (DLAB=1) */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_THRE	0x20

static u16 port = COM1;

void serial_putc(char c)
{
	/* bounded wait: a missing UART must not hang the kernel */
	for (int i = 0; i < 100000; i++)
		if (inb(port + UART_LSR) & UART_LSR_THRE)
			break;
	outb(c, port + UART_THR);
}

static void serial_console_write(struct console *con, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_console_write,
};

void serial_init(void)
{
	outb(0x00, port + UART_IER);	/* no interrupts yet */
	outb(0x80, port + UART_LCR);	/* DLAB on */
	outb(0x01, port + UART_DLL);	/* 115200 baud */
	outb(0x00, port + UART_DLM);
	outb(0x03, port + UART_LCR);	/* 8N1, DLAB off */
	outb(0xc7, port + UART_FCR);	/* FIFO on, cleared, 14-byte trigger */
	outb(0x03, port + UART_MCR);	/* DTR, RTS */
	register_console(&serial_console);
}
