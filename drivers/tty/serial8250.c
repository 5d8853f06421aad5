// SPDX-License-Identifier: GPL-2.0
/*
 * 16550-compatible UART on COM1: the kernel console and the wire of the
 * console tty. Output is polled so that it works from the first
 * instruction of C and inside a panic; printk and the tty share it under
 * one lock so their bytes never mix within a write. Input arrives by the
 * receive interrupt (ISA IRQ 4 through the IOAPIC), with a slow timer
 * poll as a safety net, or as the only way in without an IOAPIC.
 */
#include <lego/console.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/serial.h>
#include <lego/spinlock.h>
#include <lego/time.h>
#include <lego/timer.h>
#include <asm/io.h>
#include <asm/ioapic.h>
#include <asm/irq.h>
#include <asm/percpu.h>

#define COM1		0x3f8
#define COM1_IRQ	4
#define UART_RBR	0	/* receive buffer (DLAB=0, read) */
#define UART_THR	0	/* transmit holding (DLAB=0, write) */
#define UART_IER	1
#define UART_IER_RDI	0x01	/* receive data available */
#define UART_DLL	0	/* divisor latch (DLAB=1) */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_MCR_OUT2	0x08	/* gates the interrupt line on PC boards */
#define UART_LSR	5
#define UART_LSR_DR	0x01	/* a received byte is waiting */
#define UART_LSR_ERR	0x1c	/* parity, framing error or break on that byte */
#define UART_LSR_THRE	0x20

/* With the interrupt, the poll only catches what a lost edge left behind. */
#define RX_POLL_IRQ_NS		(100 * NSEC_PER_MSEC)
#define RX_POLL_ONLY_NS		(10 * NSEC_PER_MSEC)

static u16 port = COM1;
static DEFINE_SPINLOCK(uart_lock);	/* the transmitter: printk and the tty */
static DEFINE_SPINLOCK(rx_lock);	/* the receiver: interrupt and poll */
static serial_rx_fn rx_fn;
static void *rx_data;
static struct timer_list rx_poll;
static u64 rx_poll_ns;

void serial_putc(char c)
{
	/* bounded wait: a missing UART must not hang the kernel */
	for (int i = 0; i < 100000; i++)
		if (inb(port + UART_LSR) & UART_LSR_THRE)
			break;
	outb(c, port + UART_THR);
}

/*
 * Under panic another CPU may hold the lock forever: wait a bounded time,
 * then write anyway, as printk does with its own lock.
 */
static bool uart_lock_acquire(void)
{
	if (!oops_in_progress) {
		arch_spin_lock(&uart_lock);
		return true;
	}
	for (int i = 0; i < 10000000; i++) {
		if (arch_spin_trylock(&uart_lock))
			return true;
		cpu_relax();
	}
	return false;
}

void serial_write(const char *s, size_t len)
{
	unsigned long flags;
	bool locked;

	local_irq_save(flags);
	locked = uart_lock_acquire();
	for (size_t i = 0; i < len; i++)
		serial_putc(s[i]);
	if (locked)
		arch_spin_unlock(&uart_lock);
	local_irq_restore(flags);
}

static void serial_console_write(struct console *con, const char *s, size_t len)
{
	unsigned long flags;
	bool locked;

	local_irq_save(flags);
	locked = uart_lock_acquire();
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
	if (locked)
		arch_spin_unlock(&uart_lock);
	local_irq_restore(flags);
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
	outb(UART_MCR_DTR | UART_MCR_RTS, port + UART_MCR);
	register_console(&serial_console);
}

/* Hand everything the UART holds to rx_fn. Interrupts are off. */
static void serial_rx_drain(void)
{
	u8 buf[32];
	size_t n;

	arch_spin_lock(&rx_lock);
	do {
		n = 0;
		while (n < sizeof(buf)) {
			u8 lsr = inb(port + UART_LSR);
			u8 c;

			/* all ones: no UART behind the port */
			if (!(lsr & UART_LSR_DR) || lsr == 0xff)
				break;
			c = inb(port + UART_RBR);
			/* a garbled byte or a break is not input */
			if (!(lsr & UART_LSR_ERR))
				buf[n++] = c;
		}
		if (n)
			rx_fn(buf, n, rx_data);
	} while (n == sizeof(buf));
	arch_spin_unlock(&rx_lock);
}

static void serial_rx_irq(struct pt_regs *regs, void *unused)
{
	serial_rx_drain();
}

static void serial_rx_poll(struct timer_list *t)
{
	serial_rx_drain();
	mod_timer(&rx_poll, ktime_get_ns() + rx_poll_ns);
}

/* Route ISA IRQ 4 to the boot CPU; the vector, or a negative errno. */
static int serial_rx_irq_setup(void)
{
	int vector, err;

	if (!ioapic_present())
		return -ENODEV;
	vector = alloc_vector(serial_rx_irq, NULL, "ttyS0");
	if (vector < 0)
		return vector;
	err = ioapic_route_isa_irq(COM1_IRQ, vector, per_cpu(0)->apic_id);
	if (err) {
		free_vector(vector);
		return err;
	}
	return vector;
}

int serial_rx_start(serial_rx_fn fn, void *data)
{
	unsigned long flags;
	int vector;

	if (rx_fn)
		return -EBUSY;
	rx_data = data;
	WRITE_ONCE(rx_fn, fn);
	vector = serial_rx_irq_setup();
	if (vector >= 0) {
		/* the route exists before the UART raises its line, so no edge is lost */
		outb(UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2, port + UART_MCR);
		outb(UART_IER_RDI, port + UART_IER);
		rx_poll_ns = RX_POLL_IRQ_NS;
		pr_info("serial: ttyS0 input on IRQ %d, vector %#x\n", COM1_IRQ, vector);
	} else {
		rx_poll_ns = RX_POLL_ONLY_NS;
		pr_warn("serial: no interrupt for ttyS0 (error %d): input is polled\n", vector);
	}
	/* bytes typed before now */
	local_irq_save(flags);
	serial_rx_drain();
	local_irq_restore(flags);
	timer_setup(&rx_poll, serial_rx_poll);
	mod_timer(&rx_poll, ktime_get_ns() + rx_poll_ns);
	return vector >= 0 ? 0 : vector;
}
