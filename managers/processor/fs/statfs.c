// SPDX-License-Identifier: GPL-2.0
/*
 * statfs, fstatfs and the mount table (/proc/mounts). Three kinds of
 * file system are seen here, told apart by the device numbers stat gives
 * their files: the file server's store mounted at / (read-only; its size
 * is the server's, F_OP_STATFS), /proc, and the processor's own device
 * files and pipes, which hold no data. Only / and /proc are mounted
 * anywhere: the /dev files are single pseudo-files within the store's
 * /dev, not a file system over it.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include "internal.h"

/* f_type: Linux's numbers, and one of our own for the store. */
#define LEGOFS_MAGIC		0x4c45474fUL	/* "LEGO" */
#define PROC_SUPER_MAGIC	0x9fa0UL
#define TMPFS_MAGIC		0x01021994UL
#define PIPEFS_MAGIC		0x50495045UL

/* f_flags */
#define ST_RDONLY		0x0001
#define ST_NOSUID		0x0002
#define ST_NODEV		0x0004
#define ST_NOEXEC		0x0008
#define ST_VALID		0x0020	/* f_flags means something */

#define FS_BLOCK		4096
#define FS_NAME_MAX		255

/* struct statfs of x86-64 Linux. */
struct statfs_abi {
	long f_type;
	long f_bsize;
	u64 f_blocks;
	u64 f_bfree;
	u64 f_bavail;
	u64 f_files;
	u64 f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
	long f_spare[4];
};

BUILD_BUG_ON(sizeof(struct statfs_abi) != 120);

size_t mounts_format(char *buf, size_t size)
{
	return scnprintf(buf, size,
			 "node%d:/ / legofs ro 0 0\n"
			 "proc /proc proc rw,nosuid,nodev,noexec 0 0\n",
			 lego_files_node());
}

/* The store at /: as big as what it holds, with no room left if read-only. */
static int store_statfs(const char *path, struct statfs_abi *sf)
{
	struct f_statfs_reply r;
	int ret = remote_statfs(path, &r);

	/* a server that cannot say: a store of unknown size, as ramfs reports */
	if (ret == -EOPNOTSUPP)
		memset(&r, 0, sizeof(r));
	else if (ret)
		return ret;
	sf->f_type = LEGOFS_MAGIC;
	/* what it holds is all there is: nothing free (f_bfree, f_ffree 0) */
	sf->f_blocks = DIV_ROUND_UP(r.bytes, FS_BLOCK);
	sf->f_files = r.files;
	sf->f_namelen = r.namelen ? r.namelen : FS_NAME_MAX;
	sf->f_flags = ST_VALID | ((r.flags & F_STATFS_RDONLY) ? ST_RDONLY : 0);
	return 0;
}

/* path names a file stat described as st; NULL for an open file with no name. */
static int do_statfs(const char *path, const struct lego_stat *st, struct statfs_abi *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_bsize = FS_BLOCK;
	sf->f_frsize = FS_BLOCK;
	sf->f_namelen = FS_NAME_MAX;
	sf->f_fsid[0] = (int)st->dev;
	switch (st->dev) {
	case DEV_PROCFS:
		sf->f_type = PROC_SUPER_MAGIC;
		sf->f_flags = ST_VALID | ST_NOSUID | ST_NODEV | ST_NOEXEC;
		return 0;
	case DEV_DEVTMPFS:
		sf->f_type = TMPFS_MAGIC;
		sf->f_flags = ST_VALID | ST_NOSUID;
		return 0;
	case DEV_PIPEFS:
		sf->f_type = PIPEFS_MAGIC;
		sf->f_flags = ST_VALID;
		return 0;
	}
	if (!path)
		return -EINVAL;
	return store_statfs(path, sf);
}

static long copy_statfs(const struct statfs_abi *sf, void __user *ubuf)
{
	return copy_to_user(ubuf, sf, sizeof(*sf)) ? -EFAULT : 0;
}

SYSCALL_DEFINE(statfs, const char __user *upath, void __user *ubuf)
{
	struct statfs_abi sf;
	struct lego_stat st;
	char *path;
	long ret;

	path = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = stat_user_path(AT_FDCWD, upath, true, path, &st);
	if (!ret)
		ret = do_statfs(path, &st, &sf);
	if (!ret)
		ret = copy_statfs(&sf, ubuf);
	kfree(path);
	return ret;
}

SYSCALL_DEFINE(fstatfs, int fd, void __user *ubuf)
{
	struct statfs_abi sf;
	struct lego_stat st;
	struct file *f;
	long ret;

	f = fget(fd);
	if (!f)
		return -EBADF;
	ret = f->f_op->stat ? f->f_op->stat(f, &st) : -EINVAL;
	if (!ret)
		ret = do_statfs(file_is_remote(f) ? f->path : NULL, &st, &sf);
	fput(f);
	if (!ret)
		ret = copy_statfs(&sf, ubuf);
	return ret;
}
