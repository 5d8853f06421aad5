// SPDX-License-Identifier: GPL-2.0
/*
 * The console tty: the serial port seen by user processes as a terminal.
 * Owns the tty object (line discipline state, window size, foreground
 * process group), the blocking read with termios' canonical and VMIN/VTIME
 * rules, writes from user memory, the tty ioctls, and the receive path
 * from the UART's interrupt, which feeds the line discipline and sends the
 * signals it asks for. Processor manager only (it needs user copies and
 * signals); the UART driver and its printk console serve both roles.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/mutex.h>
#include <lego/n_tty.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/serial.h>
#include <lego/signal.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/tty.h>
#include <lego/uaccess.h>
#include <lego/wait.h>

/* Bytes moved between user memory and the tty per step, on the stack. */
#define TTY_CHUNK	64

struct tty_struct {
	/*
	 * Protects everything below but the mutex; taken from the receive
	 * interrupt, so always with interrupts saved. Order: tty lock, then
	 * the UART's lock (echo). Never held across user copies.
	 */
	spinlock_t lock;
	struct n_tty ldisc;
	struct winsize winsize;
	int pgrp;			/* foreground process group; 0: none */
	int session;			/* session it is the controlling tty of; 0: none */
	bool reader_busy;		/* a reader is taking input: lines are not split */
	struct wait_queue_head read_wait;	/* input, mode change, reader done */
	struct mutex write_lock;	/* one writer at a time: writes do not interleave */
};

static struct tty_struct console;
struct tty_struct *console_tty;

/* The line discipline's output (echo and writes) goes to the wire. */
static void tty_emit(void *ctx, const char *s, size_t n)
{
	serial_write(s, n);
}

static void tty_kill_pgrp(int pgrp, int sig)
{
	if (pgrp > 0)
		kill_pgrp(pgrp, sig);
}

/*
 * From the UART interrupt (or its poll), interrupts disabled. kill_pgrp
 * takes its locks with interrupts saved, so it is called right here, after
 * the tty lock is dropped.
 */
#define CTRL_T	0x14

static void tty_receive(const u8 *s, size_t n, void *data)
{
	struct tty_struct *tty = data;
	struct n_tty_events ev;
	unsigned long flags;
	int pgrp;

	/* ^T in canonical mode lists the tasks (BSD's status key); raw mode passes it on */
	if (n == 1 && s[0] == CTRL_T && n_tty_canonical(&tty->ldisc)) {
		show_tasks();
		return;
	}
	spin_lock_irqsave(&tty->lock, flags);
	n_tty_receive(&tty->ldisc, s, n, &ev);
	pgrp = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);

	if (ev.readable)
		wake_up(&tty->read_wait);
	if (ev.signals & N_TTY_SIGINT)
		tty_kill_pgrp(pgrp, SIGINT);
	if (ev.signals & N_TTY_SIGQUIT)
		tty_kill_pgrp(pgrp, SIGQUIT);
	if (ev.signals & N_TTY_SIGTSTP)
		tty_kill_pgrp(pgrp, SIGTSTP);
}

/* ------------------------------------------------------------ read */

bool tty_input_ready(struct tty_struct *tty)
{
	unsigned long flags;
	bool ready;

	spin_lock_irqsave(&tty->lock, flags);
	ready = n_tty_input_ready(&tty->ldisc);
	spin_unlock_irqrestore(&tty->lock, flags);
	return ready;
}

static bool tty_try_claim_reader(struct tty_struct *tty)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&tty->lock, flags);
	if (!tty->reader_busy) {
		tty->reader_busy = true;
		ok = true;
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	return ok;
}

static void tty_release_reader(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	tty->reader_busy = false;
	spin_unlock_irqrestore(&tty->lock, flags);
	wake_up(&tty->read_wait);
}

/*
 * Move up to n bytes of input to user memory in one step: taken under the
 * lock into a kernel buffer, copied out without it. Returns the count, or
 * -EFAULT (the bytes taken are then lost, as on Linux).
 */
static ssize_t tty_take(struct tty_struct *tty, char __user *buf, size_t n, bool *line_done)
{
	u8 kbuf[TTY_CHUNK];
	unsigned long flags;
	size_t got;

	if (n > sizeof(kbuf))
		n = sizeof(kbuf);
	spin_lock_irqsave(&tty->lock, flags);
	got = n_tty_read(&tty->ldisc, kbuf, n, line_done);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (got && copy_to_user(buf, kbuf, got))
		return -EFAULT;
	return got;
}

/* Canonical mode: one line, or what fits of it. */
static ssize_t tty_read_canon(struct tty_struct *tty, char __user *buf, size_t n, bool nonblock)
{
	size_t copied = 0;
	bool done = false;
	ssize_t got;

	if (nonblock && !tty_input_ready(tty))
		return -EAGAIN;
	if (wait_event_interruptible(tty->read_wait, tty_input_ready(tty)))
		return -ERESTARTSYS;
	while (!done && copied < n) {
		got = tty_take(tty, buf + copied, n - copied, &done);
		if (got < 0)
			return copied ? (ssize_t)copied : got;
		if (!got)
			break;		/* end of file, or the mode changed under us */
		copied += got;
	}
	return copied;
}

/* Wait for input until deadline (0: none). 1 input, 0 timed out, -ERESTARTSYS. */
static int tty_wait_input(struct tty_struct *tty, u64 deadline)
{
	u64 now;
	s64 left;

	if (!deadline)
		return wait_event_interruptible(tty->read_wait, tty_input_ready(tty)) ? -ERESTARTSYS : 1;
	now = ktime_get_ns();
	if (now >= deadline)
		return 0;
	left = wait_event_interruptible_timeout(tty->read_wait, tty_input_ready(tty),
						deadline - now);
	if (left < 0)
		return -ERESTARTSYS;
	return left > 0;
}

/* Non-canonical mode: as VMIN and VTIME say (see n_tty_raw_wait). */
static ssize_t tty_read_raw(struct tty_struct *tty, char __user *buf, size_t n, bool nonblock)
{
	struct n_tty_raw_wait w;
	unsigned long flags;
	size_t copied = 0;
	u64 deadline = 0;
	bool done;
	ssize_t got;
	int ret;

	spin_lock_irqsave(&tty->lock, flags);
	n_tty_raw_wait(&tty->ldisc, n, &w);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (w.timeout_ns && !w.interbyte)
		deadline = ktime_get_ns() + w.timeout_ns;

	for (;;) {
		got = tty_take(tty, buf + copied, n - copied, &done);
		if (got < 0)
			return copied ? (ssize_t)copied : got;
		copied += got;
		if (got && w.interbyte)
			deadline = ktime_get_ns() + w.timeout_ns;
		if (copied >= w.min || copied == n)
			break;
		if (got)
			continue;	/* more may already be there */
		if (nonblock)
			return copied ? (ssize_t)copied : -EAGAIN;
		ret = tty_wait_input(tty, deadline);
		if (ret < 0)
			return copied ? (ssize_t)copied : ret;
		if (!ret)
			break;
	}
	return copied;
}

ssize_t tty_read(struct tty_struct *tty, char __user *buf, size_t n, bool nonblock)
{
	unsigned long flags;
	ssize_t ret;
	bool canon;

	if (!n)
		return 0;
	if (!access_ok(buf, n))
		return -EFAULT;
	if (nonblock) {
		if (!tty_try_claim_reader(tty))
			return -EAGAIN;
	} else if (wait_event_interruptible(tty->read_wait, tty_try_claim_reader(tty))) {
		return -ERESTARTSYS;
	}

	spin_lock_irqsave(&tty->lock, flags);
	canon = n_tty_canonical(&tty->ldisc);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (canon)
		ret = tty_read_canon(tty, buf, n, nonblock);
	else
		ret = tty_read_raw(tty, buf, n, nonblock);

	tty_release_reader(tty);
	return ret;
}

/* ------------------------------------------------------------ write */

ssize_t tty_write(struct tty_struct *tty, const char __user *buf, size_t n)
{
	u8 kbuf[TTY_CHUNK];
	unsigned long flags;
	size_t done = 0;

	mutex_lock(&tty->write_lock);
	while (done < n) {
		size_t chunk = min(n - done, sizeof(kbuf));

		if (copy_from_user(kbuf, buf + done, chunk))
			break;
		/* the lock also keeps echo from landing inside a chunk */
		spin_lock_irqsave(&tty->lock, flags);
		n_tty_write(&tty->ldisc, kbuf, chunk);
		spin_unlock_irqrestore(&tty->lock, flags);
		done += chunk;
	}
	mutex_unlock(&tty->write_lock);
	/* a fault after some bytes makes a short write */
	if (!done && n)
		return -EFAULT;
	return done;
}

/* ------------------------------------------------------------ ioctl */

static long tty_set_termios(struct tty_struct *tty, const void __user *arg, bool flush)
{
	struct termios t;
	unsigned long flags;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	/* output is written synchronously: TCSETSW has nothing to wait for */
	spin_lock_irqsave(&tty->lock, flags);
	if (flush)
		n_tty_flush_input(&tty->ldisc);
	n_tty_set_termios(&tty->ldisc, &t);
	spin_unlock_irqrestore(&tty->lock, flags);
	/* a new mode may make pending input readable */
	wake_up(&tty->read_wait);
	return 0;
}

static long tty_flush(struct tty_struct *tty, unsigned long which)
{
	unsigned long flags;

	switch (which) {
	case TCIFLUSH:
	case TCIOFLUSH:
		spin_lock_irqsave(&tty->lock, flags);
		n_tty_flush_input(&tty->ldisc);
		spin_unlock_irqrestore(&tty->lock, flags);
		return 0;
	case TCOFLUSH:
		return 0;	/* no output is ever queued */
	default:
		return -EINVAL;
	}
}

static long tty_set_winsize(struct tty_struct *tty, const void __user *arg)
{
	struct winsize ws;
	unsigned long flags;
	bool changed;
	int pgrp;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	spin_lock_irqsave(&tty->lock, flags);
	changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
	tty->winsize = ws;
	pgrp = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (changed)
		tty_kill_pgrp(pgrp, SIGWINCH);
	return 0;
}

/* current's process group and session, or false for a kernel thread. */
static bool current_ids(int *pgrp, int *session)
{
	struct signal_struct *sig = current->signal;

	if (!sig)
		return false;
	*pgrp = READ_ONCE(sig->pgrp);
	*session = READ_ONCE(sig->session);
	return true;
}

/* TIOCSCTTY: the console becomes the caller's controlling terminal. */
static long tty_set_ctty(struct tty_struct *tty)
{
	unsigned long flags;
	int pgrp, session;

	if (!current_ids(&pgrp, &session))
		return -EPERM;
	spin_lock_irqsave(&tty->lock, flags);
	tty->session = session;
	tty->pgrp = pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
	return 0;
}

/* TIOCNOTTY: its session lets it go. */
static long tty_drop_ctty(struct tty_struct *tty)
{
	unsigned long flags;
	int pgrp, session;
	long ret = -ENOTTY;

	if (!current_ids(&pgrp, &session))
		return -ENOTTY;
	spin_lock_irqsave(&tty->lock, flags);
	if (tty->session && tty->session == session) {
		tty->session = 0;
		tty->pgrp = 0;
		ret = 0;
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	return ret;
}

/* An int the tty holds, to user memory; -ENOTTY if it is not set (<= 0). */
static long tty_put_id(int id, void __user *arg)
{
	if (id <= 0)
		return -ENOTTY;
	return put_user(id, (int __user *)arg);
}

long tty_ioctl(struct tty_struct *tty, unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;
	unsigned long flags;
	struct termios t;
	struct winsize ws;
	int pgrp;

	switch (cmd) {
	case TCGETS:
		spin_lock_irqsave(&tty->lock, flags);
		t = tty->ldisc.termios;
		spin_unlock_irqrestore(&tty->lock, flags);
		return copy_to_user(p, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
		return tty_set_termios(tty, p, false);
	case TCSETSF:
		return tty_set_termios(tty, p, true);
	case TCFLSH:
		return tty_flush(tty, arg);
	case TCSBRK:
		/* tcdrain(): writes are synchronous, so already drained */
		return arg ? 0 : -EOPNOTSUPP;
	case TIOCGWINSZ:
		spin_lock_irqsave(&tty->lock, flags);
		ws = tty->winsize;
		spin_unlock_irqrestore(&tty->lock, flags);
		return copy_to_user(p, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return tty_set_winsize(tty, p);
	case TIOCGPGRP:
		return tty_put_id(tty_get_pgrp(tty), p);
	case TIOCSPGRP:
		if (get_user(pgrp, (int __user *)p))
			return -EFAULT;
		if (pgrp <= 0)
			return -EINVAL;
		tty_set_pgrp(tty, pgrp);
		return 0;
	case TIOCGSID:
		return tty_put_id(READ_ONCE(tty->session), p);
	case TIOCSCTTY:
		return tty_set_ctty(tty);
	case TIOCNOTTY:
		return tty_drop_ctty(tty);
	case FIONREAD:
		return put_user((int)tty_readable(tty), (int __user *)p);
	case TIOCOUTQ:
		return put_user(0, (int __user *)p);	/* nothing queued */
	case TIOCGETD:
		return put_user(N_TTY, (int __user *)p);
	default:
		return -ENOTTY;
	}
}

size_t tty_readable(struct tty_struct *tty)
{
	unsigned long flags;
	size_t n;

	spin_lock_irqsave(&tty->lock, flags);
	n = n_tty_avail(&tty->ldisc);
	spin_unlock_irqrestore(&tty->lock, flags);
	return n;
}

struct wait_queue_head *tty_poll_queue(struct tty_struct *tty)
{
	return &tty->read_wait;
}

void tty_set_pgrp(struct tty_struct *tty, int pgrp)
{
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	tty->pgrp = pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
}

int tty_get_pgrp(struct tty_struct *tty)
{
	return READ_ONCE(tty->pgrp);
}

int tty_get_session(struct tty_struct *tty)
{
	return READ_ONCE(tty->session);
}

/* ------------------------------------------------------------ start-up */

int tty_init(void)
{
	struct tty_struct *tty = &console;
	int err;

	spin_lock_init(&tty->lock);
	n_tty_init(&tty->ldisc, tty_emit, tty);
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
	init_waitqueue_head(&tty->read_wait);
	mutex_init(&tty->write_lock);
	WRITE_ONCE(console_tty, tty);

	err = serial_rx_start(tty_receive, tty);
	if (err == -EBUSY)
		return err;
	pr_info("tty: ttyS0 is the console tty (input %s)\n", err ? "polled" : "by interrupt");
	return 0;
}
