// SPDX-License-Identifier: GPL-2.0
/*
 * Opening and closing by name: open, openat, creat, close, plus the
 * name-only calls access/faccessat(2), readlink(at) and the calls that
 * would change the (read-only) file store, which all fail with -EROFS.
 * A path is tried against the pseudo-files first, then the file server.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include "internal.h"

/* Flags that only matter while opening: the file does not keep them. */
#define OPEN_ONLY_FLAGS	(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)
/* Everything open(2) knows; anything else is ignored, as Linux does. */
#define OPEN_VALID_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
			  O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | \
			  O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | __O_SYNC | \
			  O_PATH | __O_TMPFILE)
/* With O_PATH, only these flags mean anything. */
#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

struct file *file_open_path(const char *path, unsigned int flags, bool must_dir)
{
	struct file *f = pseudo_open(path, flags);

	if (!IS_ERR(f) || PTR_ERR(f) != -ENOENT)
		return f;
	return remote_open(path, flags, must_dir);
}

static long do_open(int dirfd, const char __user *upath, unsigned int flags)
{
	bool must_dir;
	struct file *f;
	char *path;
	long ret;

	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	flags &= OPEN_VALID_FLAGS;
	if (flags & __O_TMPFILE)
		return -EROFS;	/* an unnamed file needs a writable directory */
	path = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = path_at(dirfd, upath, path, &must_dir);
	if (ret)
		goto out;
	f = file_open_path(path, flags, must_dir);
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		goto out;
	}
	f->f_flags = flags & ~OPEN_ONLY_FLAGS;
	ret = fd_install(f, 0, flags & O_CLOEXEC);
	if (ret < 0)
		fput(f);
out:
	kfree(path);
	return ret;
}

SYSCALL_DEFINE(open, const char __user *path, int flags, int mode)
{
	return do_open(AT_FDCWD, path, flags);
}

SYSCALL_DEFINE(openat, int dirfd, const char __user *path, int flags, int mode)
{
	return do_open(dirfd, path, flags);
}

SYSCALL_DEFINE(creat, const char __user *path, int mode)
{
	return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC);
}

SYSCALL_DEFINE(close, int fd)
{
	return fd_close(fd);
}

/* ---------------------------------------------------------- access */

/* The user is root: reads and writes are allowed; X_OK needs an x bit on a non-directory. */
static long pseudo_access(const char *path, int mode, bool follow)
{
	struct lego_stat st;
	long ret = pseudo_stat(path, follow, &st);

	if (ret)
		return ret;
	if ((mode & X_OK) && !S_ISDIR(st.mode) && !(st.mode & 0111))
		return -EACCES;
	if ((mode & W_OK) && !S_ISCHR(st.mode) && !(st.mode & 0222))
		return -EACCES;
	return 0;
}

static long do_faccessat(int dirfd, const char __user *upath, int mode, int flags)
{
	bool follow = !(flags & AT_SYMLINK_NOFOLLOW), must_dir;
	struct lego_stat st;
	char *path;
	long ret;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	path = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = path_at(dirfd, upath, path, &must_dir);
	if (ret)
		goto out;
	if (must_dir) {
		ret = stat_path(path, true, true, &st);
		if (ret)
			goto out;
	}
	ret = pseudo_access(path, mode, follow);
	if (ret == -ENOENT)
		ret = remote_access(path, mode, follow || must_dir);
out:
	kfree(path);
	return ret;
}

SYSCALL_DEFINE(access, const char __user *path, int mode)
{
	return do_faccessat(AT_FDCWD, path, mode, 0);
}

SYSCALL_DEFINE(faccessat, int dirfd, const char __user *path, int mode)
{
	return do_faccessat(dirfd, path, mode, 0);
}

SYSCALL_DEFINE(faccessat2, int dirfd, const char __user *path, int mode, int flags)
{
	return do_faccessat(dirfd, path, mode, flags);
}

/* ---------------------------------------------------------- readlink */

static long do_readlinkat(int dirfd, const char __user *upath, char __user *ubuf, int size)
{
	char *path, *target = NULL;
	long ret;

	if (size <= 0)
		return -EINVAL;
	path = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	target = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!path || !target) {
		ret = -ENOMEM;
		goto out;
	}
	ret = user_path_at(dirfd, upath, path);
	if (ret)
		goto out;
	ret = pseudo_readlink(path, target, LEGO_PATH_MAX);
	if (ret == -ENOENT)
		ret = remote_readlink(path, target, LEGO_PATH_MAX);
	if (ret < 0)
		goto out;
	ret = min(ret, (long)size);
	if (copy_to_user(ubuf, target, ret))
		ret = -EFAULT;
out:
	kfree(target);
	kfree(path);
	return ret;
}

SYSCALL_DEFINE(readlink, const char __user *path, char __user *buf, int size)
{
	return do_readlinkat(AT_FDCWD, path, buf, size);
}

SYSCALL_DEFINE(readlinkat, int dirfd, const char __user *path, char __user *buf, int size)
{
	return do_readlinkat(dirfd, path, buf, size);
}

/* ---------------------------------------------------------- the store is read-only */

/*
 * Calls that would create, remove, rename or change a file by name. The
 * path must still be readable user memory (-EFAULT otherwise), as Linux
 * checks it before finding the file system read-only.
 */
static long rofs_path(const char __user *upath)
{
	char c;

	if (get_user(c, upath))
		return -EFAULT;
	return c ? -EROFS : -ENOENT;
}

#define ROFS_SYSCALL(name, upath, ...)		\
	SYSCALL_DEFINE(name, __VA_ARGS__)	\
	{					\
		return rofs_path(upath);	\
	}

ROFS_SYSCALL(mkdir, path, const char __user *path, int mode)
ROFS_SYSCALL(mkdirat, path, int dirfd, const char __user *path, int mode)
ROFS_SYSCALL(rmdir, path, const char __user *path)
ROFS_SYSCALL(unlink, path, const char __user *path)
ROFS_SYSCALL(unlinkat, path, int dirfd, const char __user *path, int flags)
ROFS_SYSCALL(rename, from, const char __user *from, const char __user *to)
ROFS_SYSCALL(renameat, from, int olddir, const char __user *from, int newdir,
	     const char __user *to)
ROFS_SYSCALL(renameat2, from, int olddir, const char __user *from, int newdir,
	     const char __user *to, unsigned int flags)
ROFS_SYSCALL(link, to, const char __user *from, const char __user *to)
ROFS_SYSCALL(linkat, to, int olddir, const char __user *from, int newdir,
	     const char __user *to, int flags)
ROFS_SYSCALL(symlink, path, const char __user *target, const char __user *path)
ROFS_SYSCALL(symlinkat, path, const char __user *target, int dirfd, const char __user *path)
ROFS_SYSCALL(mknod, path, const char __user *path, int mode, unsigned int dev)
ROFS_SYSCALL(mknodat, path, int dirfd, const char __user *path, int mode, unsigned int dev)
ROFS_SYSCALL(chmod, path, const char __user *path, int mode)
ROFS_SYSCALL(fchmodat, path, int dirfd, const char __user *path, int mode)
ROFS_SYSCALL(chown, path, const char __user *path, int uid, int gid)
ROFS_SYSCALL(lchown, path, const char __user *path, int uid, int gid)
ROFS_SYSCALL(fchownat, path, int dirfd, const char __user *path, int uid, int gid, int flags)
ROFS_SYSCALL(truncate, path, const char __user *path, long length)
ROFS_SYSCALL(utime, path, const char __user *path, void __user *times)
ROFS_SYSCALL(utimes, path, const char __user *path, void __user *times)
ROFS_SYSCALL(futimesat, path, int dirfd, const char __user *path, void __user *times)

/* The same calls by fd: -EBADF for a closed fd, else the store is read-only. */
static long rofs_fd(int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	return -EROFS;
}

SYSCALL_DEFINE(fchmod, int fd, int mode)
{
	return rofs_fd(fd);
}

SYSCALL_DEFINE(fchown, int fd, int uid, int gid)
{
	return rofs_fd(fd);
}

/* utimensat with a NULL path is futimens(dirfd). */
SYSCALL_DEFINE(utimensat, int dirfd, const char __user *path, void __user *times, int flags)
{
	return path ? rofs_path(path) : rofs_fd(dirfd);
}

/* Nothing written is ever cached here, so there is nothing to sync. */
SYSCALL_DEFINE(fsync, int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

SYSCALL_DEFINE(fdatasync, int fd)
{
	return sys_fsync(fd);
}

SYSCALL_DEFINE(sync, void)
{
	return 0;
}

/* Only files open for writing can be truncated, and none of those is a store file. */
SYSCALL_DEFINE(ftruncate, int fd, long length)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = file_writable(f) && S_ISREG(f->i_mode) ? -EROFS : -EINVAL;
	fput(f);
	return ret;
}
