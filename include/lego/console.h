/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_CONSOLE_H
#define _LEGO_CONSOLE_H

#include <lego/types.h>
#include <lego/list.h>

/* A place printk writes to: the serial port, later perhaps a screen. */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	struct list_head node;
};

void register_console(struct console *con);

/* Set by panic: printk stops waiting for a lock a dead CPU may hold. */
extern bool oops_in_progress;

#endif
