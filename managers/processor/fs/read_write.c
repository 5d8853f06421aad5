// SPDX-License-Identifier: GPL-2.0
/*
 * Moving bytes through fds: read, write, readv, writev, pread64,
 * pwrite64, sendfile, lseek and ioctl. The checks every file shares (fd open,
 * opened for that direction, seekable) are made here; the f_op does the
 * rest. f_pos of a seekable file is read and written under pos_lock so
 * that threads sharing a file do not read the same bytes twice; pipes and
 * ttys have no position and take no lock (their reads block).
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include "internal.h"

#define UIO_MAXIOV	1024

struct iovec_abi {
	void __user *iov_base;
	size_t iov_len;
};

/* One transfer at *ppos (NULL: at and advancing f_pos). */
static ssize_t file_rw(struct file *f, char __user *buf, size_t len, u64 *ppos, bool write)
{
	u64 pos, dummy = 0;
	ssize_t ret;

	if (write ? !file_writable(f) : !file_readable(f))
		return -EBADF;
	if (write ? !f->f_op->write : !f->f_op->read)
		return -EINVAL;
	len = min(len, (size_t)MAX_RW_COUNT);
	if (!f->f_op->seekable)
		return write ? f->f_op->write(f, buf, len, &dummy) : f->f_op->read(f, buf, len, &dummy);
	if (ppos) {
		pos = *ppos;
		return write ? f->f_op->write(f, buf, len, &pos) : f->f_op->read(f, buf, len, &pos);
	}
	mutex_lock(&f->pos_lock);
	pos = f->f_pos;
	ret = write ? f->f_op->write(f, buf, len, &pos) : f->f_op->read(f, buf, len, &pos);
	f->f_pos = pos;
	mutex_unlock(&f->pos_lock);
	return ret;
}

static long fd_rw(int fd, char __user *buf, size_t len, u64 *ppos, bool write)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = file_rw(f, buf, len, ppos, write);
	fput(f);
	return ret;
}

SYSCALL_DEFINE(read, int fd, char __user *buf, size_t count)
{
	return fd_rw(fd, buf, count, NULL, false);
}

SYSCALL_DEFINE(write, int fd, const char __user *buf, size_t count)
{
	return fd_rw(fd, (char __user *)buf, count, NULL, true);
}

/* Positional I/O needs a seekable file and a non-negative offset. */
static long fd_prw(int fd, char __user *buf, size_t count, long off, bool write)
{
	struct file *f = fget(fd);
	u64 pos = off;
	long ret;

	if (!f)
		return -EBADF;
	if (off < 0)
		ret = -EINVAL;
	else if (!f->f_op->seekable)
		ret = -ESPIPE;
	else
		ret = file_rw(f, buf, count, &pos, write);
	fput(f);
	return ret;
}

SYSCALL_DEFINE(pread64, int fd, char __user *buf, size_t count, long off)
{
	return fd_prw(fd, buf, count, off, false);
}

SYSCALL_DEFINE(pwrite64, int fd, const char __user *buf, size_t count, long off)
{
	return fd_prw(fd, (char __user *)buf, count, off, true);
}

/* Each segment in turn; stops at the first short transfer, as Linux does. */
static long fd_rwv(int fd, const struct iovec_abi __user *uiov, int cnt, bool write)
{
	struct iovec_abi *iov;
	size_t total = 0;
	struct file *f;
	long ret = 0;
	int i;

	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	iov = kmalloc_array(cnt ? cnt : 1, sizeof(*iov), GFP_KERNEL);
	if (!iov) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(iov, uiov, cnt * sizeof(*iov))) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < cnt; i++) {
		if (iov[i].iov_len > (size_t)__LONG_MAX__ - total) {
			ret = -EINVAL;
			goto out;
		}
		total += iov[i].iov_len;
	}
	if (write ? !file_writable(f) : !file_readable(f)) {
		ret = -EBADF;
		goto out;
	}
	total = 0;
	for (i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		ret = file_rw(f, iov[i].iov_base, iov[i].iov_len, NULL, write);
		if (ret < 0)
			break;
		total += ret;
		if ((size_t)ret < iov[i].iov_len)
			break;
	}
	if (total)
		ret = total;
	else if (ret > 0)
		ret = 0;
out:
	kfree(iov);
	fput(f);
	return ret;
}

SYSCALL_DEFINE(readv, int fd, const struct iovec_abi __user *iov, int cnt)
{
	return fd_rwv(fd, iov, cnt, false);
}

SYSCALL_DEFINE(writev, int fd, const struct iovec_abi __user *iov, int cnt)
{
	return fd_rwv(fd, iov, cnt, true);
}

/* ---------------------------------------------------------- sendfile */

/* A file's own read or write, on a kernel buffer. */
static ssize_t file_rw_kernel(struct file *f, void *kbuf, size_t len, u64 *ppos, bool write)
{
	char __user *ubuf = uaccess_kernel_begin(kbuf, len);
	ssize_t ret = file_rw(f, ubuf, len, ppos, write);

	uaccess_kernel_end();
	return ret;
}

/* All of buf to out (at its position), unless it fails or stops taking bytes. */
static ssize_t write_all_kernel(struct file *out, char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = file_rw_kernel(out, buf + done, len - done, NULL, true);
		if (n <= 0)
			return done ? (ssize_t)done : n;
		done += n;
	}
	return done;
}

static int sendfile_check(struct file *in, struct file *out, bool positioned)
{
	if (!file_readable(in) || !file_writable(out))
		return -EBADF;
	if (positioned && !in->f_op->seekable)
		return -ESPIPE;
	if (!in->f_op->read || !out->f_op->write || S_ISDIR(in->i_mode))
		return -EINVAL;
	/* as Linux: appending is not supported, nor reading a pipe (that is splice's) */
	if ((out->f_flags & O_APPEND) || in->f_op == &pipe_read_fops)
		return -EINVAL;
	return 0;
}

/*
 * Through a kernel bounce buffer, a chunk at a time: read from in at
 * *pos (seekable in), write all of it to out. in gives up only the
 * bytes out took: a short write leaves the rest to be read again. A
 * tty in_fd gives one read's worth, as read(2) would; a file
 * goes on to count or its end, or until a signal arrives. in's position
 * is not held across the call (out may be the same file).
 */
static ssize_t sendfile_copy(struct file *in, struct file *out, u64 *pos, size_t count)
{
	size_t bsize = min(count, (size_t)FS_IO_CHUNK), done = 0;
	bool seekable = in->f_op->seekable;
	ssize_t n, w = 0;
	char *buf;

	buf = kmalloc(bsize, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t chunk = min(count - done, bsize);
		u64 at = *pos;

		n = file_rw_kernel(in, buf, chunk, seekable ? &at : NULL, false);
		if (n <= 0) {
			w = n;
			break;
		}
		w = write_all_kernel(out, buf, n);
		if (w <= 0)
			break;
		done += w;
		*pos += w;
		if (w < n || (size_t)n < chunk || !seekable || signal_pending(current))
			break;
	}
	kfree(buf);
	return done ? (ssize_t)done : w;
}

/* pos: where to read in from (and where it ended), or NULL for in's own position. */
static long do_sendfile(int out_fd, int in_fd, u64 *pos, size_t count)
{
	struct file *in, *out = NULL;
	u64 at = 0;
	long ret;

	in = fget(in_fd);
	if (!in)
		return -EBADF;
	out = fget(out_fd);
	if (!out) {
		ret = -EBADF;
		goto out;
	}
	ret = sendfile_check(in, out, pos);
	if (ret)
		goto out;
	count = min(count, (size_t)MAX_RW_COUNT);
	if (pos && *pos > (u64)__LONG_MAX__ - count)
		count = *pos < (u64)__LONG_MAX__ ? __LONG_MAX__ - *pos : 0;
	if (!count)
		goto out;
	if (pos) {
		ret = sendfile_copy(in, out, pos, count);
		goto out;
	}
	if (in->f_op->seekable) {
		mutex_lock(&in->pos_lock);
		at = in->f_pos;
		mutex_unlock(&in->pos_lock);
	}
	ret = sendfile_copy(in, out, &at, count);
	if (in->f_op->seekable && ret > 0) {
		mutex_lock(&in->pos_lock);
		in->f_pos = at;
		mutex_unlock(&in->pos_lock);
	}
out:
	if (out)
		fput(out);
	fput(in);
	return ret;
}

SYSCALL_DEFINE(sendfile, int out_fd, int in_fd, long __user *offset, size_t count)
{
	long off, ret;
	u64 pos;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count);
	if (get_user(off, offset))
		return -EFAULT;
	if (off < 0)
		return -EINVAL;
	pos = off;
	ret = do_sendfile(out_fd, in_fd, &pos, count);
	/* the offset after the last byte sent; in_fd's own position stays */
	if (put_user((long)pos, offset))
		return -EFAULT;
	return ret;
}

/* The position whence and off name, or a negative errno. */
static long seek_target(struct file *f, long off, unsigned int whence)
{
	struct lego_stat st;
	long base;
	int ret;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
	case SEEK_DATA:
	case SEEK_HOLE:
		if (S_ISDIR(f->i_mode))
			return -EINVAL;
		ret = f->f_op->stat ? f->f_op->stat(f, &st) : -EINVAL;
		if (ret)
			return ret;
		if (whence == SEEK_END) {
			base = st.size;
			break;
		}
		/* no holes: data runs from 0 to the end */
		if (off < 0 || (u64)off >= st.size)
			return -ENXIO;
		return whence == SEEK_DATA ? off : (long)st.size;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > __LONG_MAX__ - off) || base + off < 0)
		return -EINVAL;
	return base + off;
}

SYSCALL_DEFINE(lseek, int fd, long off, unsigned int whence)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!f->f_op->seekable || (f->f_flags & O_PATH)) {
		ret = (f->f_flags & O_PATH) ? -EBADF : -ESPIPE;
		goto out;
	}
	mutex_lock(&f->pos_lock);
	ret = seek_target(f, off, whence);
	if (ret >= 0)
		f->f_pos = ret;
	mutex_unlock(&f->pos_lock);
out:
	fput(f);
	return ret;
}

/* FIONBIO: switch O_NONBLOCK from an int in user memory. */
static long ioctl_fionbio(struct file *f, int __user *argp)
{
	int on;

	if (get_user(on, argp))
		return -EFAULT;
	if (on)
		__atomic_fetch_or(&f->f_flags, O_NONBLOCK, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&f->f_flags, ~O_NONBLOCK, __ATOMIC_RELAXED);
	return 0;
}

SYSCALL_DEFINE(ioctl, int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (f->f_flags & O_PATH) {
		ret = -EBADF;
		goto out;
	}
	switch (cmd) {
	case FIOCLEX:
		ret = fd_set_cloexec(fd, true);
		break;
	case FIONCLEX:
		ret = fd_set_cloexec(fd, false);
		break;
	case FIONBIO:
		ret = ioctl_fionbio(f, (int __user *)arg);
		break;
	default:
		ret = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	}
out:
	fput(f);
	return ret;
}
