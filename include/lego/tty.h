/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_TTY_H
#define _LEGO_TTY_H

/*
 * The console as a terminal: input from the serial port through a line
 * discipline (canonical mode with editing, echo, ^C ^\ ^Z ^D ^U ^W, or raw
 * mode as termios says), output to the serial port. drivers/tty/.
 */
#include <lego/types.h>
#include <uapi/lego/termios.h>

#ifndef __user
#define __user
#endif

struct tty_struct;
struct wait_queue_head;

/* The serial console's tty (NULL until tty_init). */
extern struct tty_struct *console_tty;

/* Enable the serial receive interrupt and set up console_tty. */
int tty_init(void);

/*
 * Blocking read in the tty's mode. Returns bytes read, 0 at end of file
 * (^D at the start of a line), -EAGAIN if nonblock and nothing is ready,
 * -ERESTARTSYS if a signal interrupted the wait, -EFAULT.
 */
ssize_t tty_read(struct tty_struct *tty, char __user *buf, size_t n, bool nonblock);
/* Write (with \n -> \r\n if OPOST|ONLCR). Returns n or -EFAULT. */
ssize_t tty_write(struct tty_struct *tty, const char __user *buf, size_t n);
/* TCGETS, TCSETS(W,F), TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, FIONREAD... -ENOTTY otherwise. */
long tty_ioctl(struct tty_struct *tty, unsigned int cmd, unsigned long arg);
/* Bytes a read would return now (FIONREAD). */
size_t tty_readable(struct tty_struct *tty);
/*
 * A read would not block now (poll's POLLIN): a complete line or an end of
 * file in canonical mode, any byte in raw mode. Unlike tty_readable, true
 * for a pending ^D, which a read returns as 0 bytes.
 */
bool tty_input_ready(struct tty_struct *tty);
/* Woken when input arrives or the mode changes: poll may sleep on it. */
struct wait_queue_head *tty_poll_queue(struct tty_struct *tty);

/* The foreground process group, which ^C, ^\ and ^Z signal. */
void tty_set_pgrp(struct tty_struct *tty, int pgrp);
int tty_get_pgrp(struct tty_struct *tty);
/* The session it is the controlling terminal of; 0: none. */
int tty_get_session(struct tty_struct *tty);

#endif
