// SPDX-License-Identifier: GPL-2.0
/*
 * File status and directory listing: stat, fstat, lstat, newfstatat,
 * statx and getdents64. Everything is described first as a struct
 * lego_stat (the wire form the file server sends), then converted to the
 * layout the program asked for.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <lego/uaccess.h>
#include "internal.h"

/* The layouts programs were compiled against (Linux x86-64). */
BUILD_BUG_ON(sizeof(struct stat_abi) != 144);
BUILD_BUG_ON(offsetof(struct stat_abi, st_mode) != 24);
BUILD_BUG_ON(offsetof(struct stat_abi, st_rdev) != 40);
BUILD_BUG_ON(offsetof(struct stat_abi, st_size) != 48);
BUILD_BUG_ON(offsetof(struct stat_abi, st_atime_sec) != 72);
BUILD_BUG_ON(sizeof(struct statx_abi) != 256);
BUILD_BUG_ON(offsetof(struct statx_abi, stx_mode) != 28);
BUILD_BUG_ON(offsetof(struct statx_abi, stx_ino) != 32);
BUILD_BUG_ON(offsetof(struct statx_abi, stx_atime) != 64);
BUILD_BUG_ON(offsetof(struct statx_abi, stx_rdev_major) != 128);
BUILD_BUG_ON(offsetof(struct statx_abi, stx_mnt_id) != 144);
BUILD_BUG_ON(sizeof(struct pollfd_abi) != 8);
BUILD_BUG_ON(sizeof(struct flock_abi) != 32);

void local_stat(struct lego_stat *st, u32 mode, u32 dev, u32 rdev, u64 ino)
{
	memset(st, 0, sizeof(*st));
	st->mode = mode;
	st->dev = dev;
	st->rdev = rdev;
	st->ino = ino;
	st->nlink = 1;
	st->blksize = 4096;
}

int stat_path(const char *path, bool follow, bool must_dir, struct lego_stat *st)
{
	int ret;

	/* "link/" names what the link points to */
	if (must_dir)
		follow = true;
	ret = pseudo_stat(path, follow, st);
	if (ret == -ENOENT)
		ret = remote_stat(path, follow, st);
	if (!ret && must_dir && !S_ISDIR(st->mode))
		ret = -ENOTDIR;
	return ret;
}

static int fd_stat(int fd, struct lego_stat *st)
{
	struct file *f;
	char *cwd;
	int ret;

	if (fd == AT_FDCWD) {
		/* fstatat(AT_FDCWD, "", AT_EMPTY_PATH) describes the cwd */
		cwd = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
		if (!cwd)
			return -ENOMEM;
		fs_get_cwd(cwd);
		ret = stat_path(cwd, true, false, st);
		kfree(cwd);
		return ret;
	}
	f = fget(fd);
	if (!f)
		return -EBADF;
	ret = f->f_op->stat ? f->f_op->stat(f, st) : -EINVAL;
	fput(f);
	return ret;
}

/* Is the user string empty? 0 no, 1 yes, -EFAULT. */
static int user_path_empty(const char __user *upath)
{
	char c;

	if (get_user(c, upath))
		return -EFAULT;
	return !c;
}

int stat_user_path(int dirfd, const char __user *upath, bool follow, char *path,
		   struct lego_stat *st)
{
	bool must_dir;
	int ret = path_at(dirfd, upath, path, &must_dir);

	return ret ? ret : stat_path(path, follow, must_dir, st);
}

/* stat by (dirfd, path, AT_* flags) into st. */
static int do_statat(int dirfd, const char __user *upath, int flags, struct lego_stat *st)
{
	char *path;
	int ret;

	if (flags & AT_EMPTY_PATH) {
		ret = user_path_empty(upath);
		if (ret < 0)
			return ret;
		if (ret)
			return fd_stat(dirfd, st);
	}
	path = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = stat_user_path(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), path, st);
	kfree(path);
	return ret;
}

static long copy_stat(const struct lego_stat *st, struct stat_abi __user *ubuf)
{
	struct stat_abi s;

	memset(&s, 0, sizeof(s));
	s.st_dev = st->dev;
	s.st_ino = st->ino;
	s.st_nlink = st->nlink;
	s.st_mode = st->mode;
	s.st_uid = st->uid;
	s.st_gid = st->gid;
	s.st_rdev = st->rdev;
	s.st_size = st->size;
	s.st_blksize = st->blksize;
	s.st_blocks = st->blocks;
	s.st_atime_sec = st->atime_sec;
	s.st_atime_nsec = st->atime_nsec;
	s.st_mtime_sec = st->mtime_sec;
	s.st_mtime_nsec = st->mtime_nsec;
	s.st_ctime_sec = st->ctime_sec;
	s.st_ctime_nsec = st->ctime_nsec;
	return copy_to_user(ubuf, &s, sizeof(s)) ? -EFAULT : 0;
}

#define STAT_AT_FLAGS	(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)

static long stat_to_user(int dirfd, const char __user *path, int flags, struct stat_abi __user *ubuf)
{
	struct lego_stat st;
	long ret;

	if (flags & ~STAT_AT_FLAGS)
		return -EINVAL;
	ret = do_statat(dirfd, path, flags, &st);
	return ret ? ret : copy_stat(&st, ubuf);
}

SYSCALL_DEFINE(stat, const char __user *path, struct stat_abi __user *buf)
{
	return stat_to_user(AT_FDCWD, path, 0, buf);
}

SYSCALL_DEFINE(lstat, const char __user *path, struct stat_abi __user *buf)
{
	return stat_to_user(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, buf);
}

SYSCALL_DEFINE(newfstatat, int dirfd, const char __user *path, struct stat_abi __user *buf, int flags)
{
	return stat_to_user(dirfd, path, flags, buf);
}

SYSCALL_DEFINE(fstat, int fd, struct stat_abi __user *buf)
{
	struct lego_stat st;
	long ret;

	/* AT_FDCWD is not an fd here */
	if (fd < 0)
		return -EBADF;
	ret = fd_stat(fd, &st);
	return ret ? ret : copy_stat(&st, buf);
}

static void statx_time(struct statx_timestamp *t, u64 sec, u32 nsec)
{
	t->tv_sec = sec;
	t->tv_nsec = nsec;
}

/* Major and minor of a number encoded as STAT_MKDEV does. */
static u32 dev_major(u32 dev)
{
	return (dev >> 8) & 0xfff;
}

static u32 dev_minor(u32 dev)
{
	return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

SYSCALL_DEFINE(statx, int dirfd, const char __user *path, int flags, unsigned int mask,
	       struct statx_abi __user *buf)
{
	struct statx_abi sx;
	struct lego_stat st;
	long ret;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if (flags & ~(STAT_AT_FLAGS | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	ret = do_statat(dirfd, path, flags & STAT_AT_FLAGS, &st);
	if (ret)
		return ret;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = st.blksize;
	sx.stx_nlink = st.nlink;
	sx.stx_uid = st.uid;
	sx.stx_gid = st.gid;
	sx.stx_mode = st.mode;
	sx.stx_ino = st.ino;
	sx.stx_size = st.size;
	sx.stx_blocks = st.blocks;
	statx_time(&sx.stx_atime, st.atime_sec, st.atime_nsec);
	statx_time(&sx.stx_mtime, st.mtime_sec, st.mtime_nsec);
	statx_time(&sx.stx_ctime, st.ctime_sec, st.ctime_nsec);
	sx.stx_rdev_major = dev_major(st.rdev);
	sx.stx_rdev_minor = dev_minor(st.rdev);
	sx.stx_dev_major = dev_major(st.dev);
	sx.stx_dev_minor = dev_minor(st.dev);
	return copy_to_user(buf, &sx, sizeof(sx)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(getdents64, int fd, void __user *dirp, unsigned int count)
{
	struct file *f = fget(fd);
	u64 pos;
	long ret;

	if (!f)
		return -EBADF;
	if (f->f_flags & O_PATH) {
		ret = -EBADF;
		goto out;
	}
	if (!f->f_op->getdents) {
		ret = -ENOTDIR;
		goto out;
	}
	mutex_lock(&f->pos_lock);
	pos = f->f_pos;
	ret = f->f_op->getdents(f, dirp, count, &pos);
	f->f_pos = pos;
	mutex_unlock(&f->pos_lock);
out:
	fput(f);
	return ret;
}
