// SPDX-License-Identifier: GPL-2.0
/*
 * The fd table as programs drive it: dup, dup2, dup3 and fcntl. Record
 * locks are accepted and never conflict: in 1P-1M every file is read-only
 * and local to one processor.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include "internal.h"

/* O_* bits F_SETFL may change; the others are kept as they were. */
#define SETFL_MASK	(O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME)
/* A new fd, the lowest free one from lowest up, for f (the caller keeps its reference). */
static long dup_file(struct file *f, unsigned int lowest, bool cloexec)
{
	long ret;

	get_file(f);
	ret = fd_install(f, lowest, cloexec);
	if (ret < 0)
		fput(f);
	return ret;
}

SYSCALL_DEFINE(dup, int fd)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = dup_file(f, 0, false);
	fput(f);
	return ret;
}

SYSCALL_DEFINE(dup2, int oldfd, int newfd)
{
	struct file *f;

	if (oldfd == newfd) {
		f = fget(oldfd);
		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return fd_install_at(oldfd, newfd, false);
}

SYSCALL_DEFINE(dup3, int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return fd_install_at(oldfd, newfd, flags & O_CLOEXEC);
}

static long fcntl_setfl(struct file *f, unsigned int flags)
{
	unsigned int old, new;

	/* O_APPEND cannot be dropped from an append-only file: none exist here */
	old = READ_ONCE(f->f_flags);
	do {
		new = (old & ~SETFL_MASK) | (flags & SETFL_MASK);
	} while (!__atomic_compare_exchange_n(&f->f_flags, &old, new, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return 0;
}

/* F_GETLK: nothing ever holds a lock, so the answer is always "unlocked". */
static long fcntl_getlk(struct flock_abi __user *ufl)
{
	struct flock_abi fl;

	if (copy_from_user(&fl, ufl, sizeof(fl)))
		return -EFAULT;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
		return -EINVAL;
	fl.l_type = F_UNLCK;
	return copy_to_user(ufl, &fl, sizeof(fl)) ? -EFAULT : 0;
}

static long fcntl_setlk(struct flock_abi __user *ufl)
{
	struct flock_abi fl;

	if (copy_from_user(&fl, ufl, sizeof(fl)))
		return -EFAULT;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	return 0;
}

static long do_fcntl(int fd, struct file *f, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN_MAX)
			return -EINVAL;
		return dup_file(f, arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_get_cloexec(fd);
	case F_SETFD:
		return fd_set_cloexec(fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return READ_ONCE(f->f_flags);
	case F_SETFL:
		return fcntl_setfl(f, arg);
	case F_GETLK:
	case F_OFD_GETLK:
		return fcntl_getlk((struct flock_abi __user *)arg);
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_setlk((struct flock_abi __user *)arg);
	case F_GETOWN:
	case F_SETOWN:
	case F_GETSIG:
	case F_SETSIG:
		return 0;
	case F_GETPIPE_SZ:
		return S_ISFIFO(f->i_mode) ? PIPE_BUF_SIZE : -EBADF;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE(fcntl, int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	/* an O_PATH fd answers only the fd-table commands */
	if ((f->f_flags & O_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC &&
	    cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL)
		ret = -EBADF;
	else
		ret = do_fcntl(fd, f, cmd, arg);
	fput(f);
	return ret;
}
