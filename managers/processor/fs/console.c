// SPDX-License-Identifier: GPL-2.0
/*
 * The console tty as a file: fds 0, 1 and 2 of the first process,
 * /dev/console and /dev/tty. Reads, writes and ioctls go to the tty
 * driver (drivers/tty); this file adds file semantics (O_NONBLOCK, stat,
 * poll).
 */
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/tty.h>
#include "internal.h"

#define TTY_MAJOR_AUX	5	/* /dev/tty 5:0, /dev/console 5:1 */

static ssize_t console_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
	return tty_read(console_tty, buf, len, f->f_flags & O_NONBLOCK);
}

static ssize_t console_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
	return tty_write(console_tty, buf, len);
}

static long console_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return tty_ioctl(console_tty, cmd, arg);
}

static bool is_dev_tty(const char *path)
{
	return path && !strcmp(path, "/dev/tty");
}

static int console_stat(struct file *f, struct lego_stat *st)
{
	u32 minor = is_dev_tty(f->path) ? 0 : 1;

	local_stat(st, f->i_mode, DEV_DEVTMPFS, STAT_MKDEV(TTY_MAJOR_AUX, minor), 0);
	return 0;
}

static unsigned int console_poll(struct file *f, struct poll_table *pt)
{
	unsigned int mask = POLLOUT | POLLWRNORM;

	poll_wait(f, tty_poll_queue(console_tty), pt);
	if (tty_input_ready(console_tty))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

const struct file_operations console_fops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
	.stat = console_stat,
	.poll = console_poll,
	.seekable = false,
};

/* path is "/dev/console" or "/dev/tty" (only stat tells them apart). */
struct file *console_open(unsigned int flags, const char *path)
{
	struct file *f;

	if (!console_tty)
		return ERR_PTR(-ENXIO);
	f = file_alloc(&console_fops, flags, path);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->i_mode = S_IFCHR | (is_dev_tty(path) ? 0666 : 0620);
	return f;
}
