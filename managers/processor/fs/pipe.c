// SPDX-License-Identifier: GPL-2.0
/*
 * Pipes: pipe(2), pipe2(2) and the two ends' file operations. A 64 KB
 * ring under a mutex (copies to and from user memory may fault and sleep,
 * so no spinlock is held across them). Readers sleep until there are
 * bytes or no writers (end of file); writers sleep while the ring is
 * full, and a write of at most PIPE_BUF bytes goes in whole or not at all.
 * Writing with no reader left gives SIGPIPE and -EPIPE.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include "internal.h"
#include "pipe_ring.h"

struct pipe {
	struct mutex lock;		/* the ring, readers, writers */
	struct pipe_ring ring;
	int readers;			/* open files of the read end */
	int writers;			/* open files of the write end */
	atomic_t ends;			/* struct files pointing here: the last frees it */
	struct wait_queue_head rd_wait;	/* readers and pollers of the read end */
	struct wait_queue_head wr_wait;	/* writers and pollers of the write end */
	u64 ino;
};

static atomic_t pipe_ino = ATOMIC_INIT(0);

/* Wait conditions, read without the mutex: a stale answer only means one more turn. */
static bool pipe_readable(struct pipe *p)
{
	return READ_ONCE(p->ring.head) != READ_ONCE(p->ring.tail) || !READ_ONCE(p->writers);
}

static bool pipe_writable(struct pipe *p, size_t need)
{
	size_t used = READ_ONCE(p->ring.head) - READ_ONCE(p->ring.tail);

	return p->ring.size - used >= need || !READ_ONCE(p->readers);
}

/* Copy from the ring to user memory: bytes copied, or -EFAULT if none. */
static ssize_t ring_to_user(struct pipe *p, char __user *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		char *span;
		size_t n = min(ring_read_span(&p->ring, &span), len - done);
		size_t left;

		if (!n)
			break;
		left = copy_to_user(buf + done, span, n);
		ring_consume(&p->ring, n - left);
		done += n - left;
		if (left)
			return done ? (ssize_t)done : -EFAULT;
	}
	return done;
}

static ssize_t pipe_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
	struct pipe *p = f->private_data;
	ssize_t ret;

	if (!len)
		return 0;
	mutex_lock(&p->lock);
	while (!ring_used(&p->ring)) {
		if (!p->writers) {
			mutex_unlock(&p->lock);
			return 0;
		}
		mutex_unlock(&p->lock);
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(p->rd_wait, pipe_readable(p));
		if (ret)
			return ret;
		mutex_lock(&p->lock);
	}
	ret = ring_to_user(p, buf, len);
	mutex_unlock(&p->lock);
	wake_up(&p->wr_wait);
	return ret;
}

/* Copy from user memory into the ring: bytes copied, or -EFAULT if none. */
static ssize_t ring_from_user(struct pipe *p, const char __user *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		char *span;
		size_t n = min(ring_write_span(&p->ring, &span), len - done);
		size_t left;

		if (!n)
			break;
		left = copy_from_user(span, buf + done, n);
		ring_produce(&p->ring, n - left);
		done += n - left;
		if (left)
			return done ? (ssize_t)done : -EFAULT;
	}
	return done;
}

static ssize_t pipe_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
	struct pipe *p = f->private_data;
	/* small writes must not interleave with others: wait for room for all of it */
	size_t need = len <= PIPE_BUF ? len : 1;
	size_t done = 0;
	ssize_t n;
	int ret;

	if (!len)
		return 0;
	mutex_lock(&p->lock);
	while (done < len) {
		if (!p->readers) {
			mutex_unlock(&p->lock);
			send_signal(SIGPIPE, NULL, current, false);
			return done ? (ssize_t)done : -EPIPE;
		}
		if (ring_free(&p->ring) >= need) {
			n = ring_from_user(p, buf + done, len - done);
			if (n < 0) {
				mutex_unlock(&p->lock);
				return done ? (ssize_t)done : n;
			}
			done += n;
			wake_up(&p->rd_wait);
			continue;
		}
		mutex_unlock(&p->lock);
		if (f->f_flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		ret = wait_event_interruptible(p->wr_wait, pipe_writable(p, need));
		if (ret)
			return done ? (ssize_t)done : ret;
		mutex_lock(&p->lock);
	}
	mutex_unlock(&p->lock);
	return done;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = f->private_data;
	int used;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&p->lock);
	used = ring_used(&p->ring);
	mutex_unlock(&p->lock);
	return put_user(used, (int __user *)arg);
}

static int pipe_stat(struct file *f, struct lego_stat *st)
{
	struct pipe *p = f->private_data;

	local_stat(st, S_IFIFO | 0600, DEV_PIPEFS, 0, p->ino);
	st->blksize = PIPE_BUF;
	return 0;
}

static unsigned int pipe_read_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private_data;
	unsigned int mask = 0;

	poll_wait(f, &p->rd_wait, pt);
	if (READ_ONCE(p->ring.head) != READ_ONCE(p->ring.tail))
		mask |= POLLIN | POLLRDNORM;
	if (!READ_ONCE(p->writers))
		mask |= POLLHUP;
	return mask;
}

static unsigned int pipe_write_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private_data;
	unsigned int mask = 0;

	poll_wait(f, &p->wr_wait, pt);
	if (pipe_writable(p, PIPE_BUF))
		mask |= POLLOUT | POLLWRNORM;
	if (!READ_ONCE(p->readers))
		mask |= POLLERR;
	return mask;
}

static void pipe_put(struct pipe *p)
{
	if (atomic_dec_and_test(&p->ends)) {
		kfree(p->ring.buf);
		kfree(p);
	}
}

/* An end's last file is gone: whoever waits on the other end must look again. */
static void pipe_release(struct file *f, bool reader)
{
	struct pipe *p = f->private_data;

	mutex_lock(&p->lock);
	if (reader)
		p->readers--;
	else
		p->writers--;
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
	mutex_unlock(&p->lock);
	pipe_put(p);
}

static void pipe_read_release(struct file *f)
{
	pipe_release(f, true);
}

static void pipe_write_release(struct file *f)
{
	pipe_release(f, false);
}

const struct file_operations pipe_read_fops = {
	.read = pipe_read,
	.ioctl = pipe_ioctl,
	.stat = pipe_stat,
	.poll = pipe_read_poll,
	.release = pipe_read_release,
	.seekable = false,
};

const struct file_operations pipe_write_fops = {
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.stat = pipe_stat,
	.poll = pipe_write_poll,
	.release = pipe_write_release,
	.seekable = false,
};

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);
	char *buf;

	if (!p)
		return NULL;
	buf = kmalloc(PIPE_BUF_SIZE, GFP_KERNEL);
	if (!buf) {
		kfree(p);
		return NULL;
	}
	mutex_init(&p->lock);
	ring_init(&p->ring, buf, PIPE_BUF_SIZE);
	p->readers = 1;
	p->writers = 1;
	atomic_set(&p->ends, 2);
	init_waitqueue_head(&p->rd_wait);
	init_waitqueue_head(&p->wr_wait);
	p->ino = atomic_add_return(1, &pipe_ino);
	return p;
}

/* Both ends of a new pipe as files, or -ENOMEM. */
static int pipe_files(unsigned int flags, struct file **rf, struct file **wf)
{
	struct pipe *p = pipe_alloc();

	if (!p)
		return -ENOMEM;
	*rf = file_alloc(&pipe_read_fops, O_RDONLY | (flags & O_NONBLOCK), NULL);
	*wf = file_alloc(&pipe_write_fops, O_WRONLY | (flags & O_NONBLOCK), NULL);
	if (!*rf || !*wf) {
		/* file_alloc'd files have no release yet: free by hand */
		kfree(*rf);
		kfree(*wf);
		kfree(p->ring.buf);
		kfree(p);
		return -ENOMEM;
	}
	(*rf)->private_data = p;
	(*wf)->private_data = p;
	(*rf)->i_mode = S_IFIFO | 0600;
	(*wf)->i_mode = S_IFIFO | 0600;
	return 0;
}

SYSCALL_DEFINE(pipe2, int __user *ufds, int flags)
{
	struct file *rf, *wf;
	int fds[2], ret;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	ret = pipe_files(flags, &rf, &wf);
	if (ret)
		return ret;
	fds[0] = fd_install(rf, 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		fput(rf);
		fput(wf);
		return fds[0];
	}
	fds[1] = fd_install(wf, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fput(wf);
		fd_close(fds[0]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(pipe, int __user *ufds)
{
	return sys_pipe2(ufds, 0);
}
