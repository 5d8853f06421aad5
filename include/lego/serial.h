/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_SERIAL_H
#define _LEGO_SERIAL_H

/* The COM1 UART (drivers/tty/serial8250.c): kernel console and console tty wire. */
#include <lego/types.h>

void serial_init(void);
/* One byte, no lock, no translation: for the earliest boot and panics. */
void serial_putc(char c);
/* Bytes as they are (no \n translation), under the lock printk shares. */
void serial_write(const char *s, size_t len);

/*
 * Receive: fn gets the bytes typed, from the receive interrupt or the
 * safety poll, with interrupts disabled (it must not sleep). One receiver.
 * Returns 0 if interrupt driven, or a negative errno if input is only
 * polled (it still arrives); -EBUSY if a receiver is already set.
 */
typedef void (*serial_rx_fn)(const u8 *s, size_t n, void *data);
int serial_rx_start(serial_rx_fn fn, void *data);

#endif
