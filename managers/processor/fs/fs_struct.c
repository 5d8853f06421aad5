// SPDX-License-Identifier: GPL-2.0
/*
 * Working directory and umask of user processes (struct fs_struct, shared
 * by CLONE_FS), turning user paths into absolute normalised ones, and the
 * calls that use them directly: chdir, fchdir, getcwd, umask.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include "internal.h"

struct fs_struct *fs_alloc(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	atomic_set(&fs->count, 1);
	spin_lock_init(&fs->lock);
	fs->umask = 022;
	strlcpy(fs->cwd, "/", sizeof(fs->cwd));
	return fs;
}

int copy_fs(unsigned long clone_flags, struct task_struct *t)
{
	struct fs_struct *old = current->fs, *fs;

	if (old && (clone_flags & CLONE_FS)) {
		atomic_inc(&old->count);
		t->fs = old;
		return 0;
	}
	fs = fs_alloc();
	if (!fs)
		return -ENOMEM;
	if (old) {
		spin_lock(&old->lock);
		fs->umask = old->umask;
		memcpy(fs->cwd, old->cwd, sizeof(fs->cwd));
		spin_unlock(&old->lock);
	}
	t->fs = fs;
	return 0;
}

void put_fs(struct fs_struct *fs)
{
	if (fs && atomic_dec_and_test(&fs->count))
		kfree(fs);
}

void fs_get_cwd(char *buf)
{
	struct fs_struct *fs = current->fs;

	if (!fs) {
		strlcpy(buf, "/", LEGO_PATH_MAX);
		return;
	}
	spin_lock(&fs->lock);
	memcpy(buf, fs->cwd, LEGO_PATH_MAX);
	spin_unlock(&fs->lock);
}

/* The directory a relative path starts from: the cwd or dirfd's path. */
static int path_base(int dirfd, char *base)
{
	struct file *f;
	int ret = 0;

	if (dirfd == AT_FDCWD) {
		fs_get_cwd(base);
		return 0;
	}
	f = fget(dirfd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->i_mode) || !f->path)
		ret = -ENOTDIR;
	else
		strlcpy(base, f->path, LEGO_PATH_MAX);
	fput(f);
	return ret;
}

int path_at(int dirfd, const char __user *upath, char *buf, bool *must_dir)
{
	char *name, *base = NULL;
	long len;
	int ret;

	name = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	len = strncpy_from_user(name, upath, LEGO_PATH_MAX);
	if (len < 0) {
		ret = -EFAULT;
		goto out;
	}
	if (len == LEGO_PATH_MAX) {
		ret = -ENAMETOOLONG;
		goto out;
	}
	if (!len) {
		ret = -ENOENT;
		goto out;
	}
	if (name[0] == '/') {
		ret = path_join("/", name, buf, LEGO_PATH_MAX, must_dir);
		goto out;
	}
	base = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!base) {
		ret = -ENOMEM;
		goto out;
	}
	ret = path_base(dirfd, base);
	if (!ret)
		ret = path_join(base, name, buf, LEGO_PATH_MAX, must_dir);
out:
	kfree(base);
	kfree(name);
	return ret;
}

int user_path_at(int dirfd, const char __user *upath, char *buf)
{
	return path_at(dirfd, upath, buf, NULL);
}

static long set_cwd(const char *path)
{
	struct fs_struct *fs = current->fs;

	if (!fs)
		return -ENOENT;
	spin_lock(&fs->lock);
	strlcpy(fs->cwd, path, sizeof(fs->cwd));
	spin_unlock(&fs->lock);
	return 0;
}

SYSCALL_DEFINE(chdir, const char __user *upath)
{
	struct lego_stat st;
	char *path;
	long ret;

	path = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = stat_user_path(AT_FDCWD, upath, true, path, &st);
	if (ret)
		goto out;
	if (!S_ISDIR(st.mode)) {
		ret = -ENOTDIR;
		goto out;
	}
	ret = set_cwd(path);
out:
	kfree(path);
	return ret;
}

SYSCALL_DEFINE(fchdir, unsigned int fd)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->i_mode) || !f->path)
		ret = -ENOTDIR;
	else
		ret = set_cwd(f->path);
	fput(f);
	return ret;
}

SYSCALL_DEFINE(getcwd, char __user *ubuf, unsigned long size)
{
	char *cwd = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	size_t len;
	long ret;

	if (!cwd)
		return -ENOMEM;
	fs_get_cwd(cwd);
	len = strlen(cwd) + 1;
	if (size < len)
		ret = -ERANGE;
	else if (copy_to_user(ubuf, cwd, len))
		ret = -EFAULT;
	else
		ret = len;
	kfree(cwd);
	return ret;
}

SYSCALL_DEFINE(umask, int mask)
{
	struct fs_struct *fs = current->fs;
	u32 old;

	if (!fs)
		return 022;
	spin_lock(&fs->lock);
	old = fs->umask;
	fs->umask = mask & 0777;
	spin_unlock(&fs->lock);
	return old;
}
