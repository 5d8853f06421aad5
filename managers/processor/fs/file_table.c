// SPDX-License-Identifier: GPL-2.0
/*
 * Open files and fd tables of user processes: struct file reference
 * counting, files_struct lifetimes across fork/clone/exec/exit, and the
 * fd slot operations the system calls build on (lowest free fd first,
 * FD_CLOEXEC bits). A struct file is released (f_op->release) when its
 * last reference goes, which may sleep: references are never dropped with
 * the table's spinlock held.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include "internal.h"

struct file *file_alloc(const struct file_operations *op, unsigned int flags, const char *path)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	if (path) {
		size_t len = strlen(path) + 1;

		f->path = kmalloc(len, GFP_KERNEL);
		if (!f->path) {
			kfree(f);
			return NULL;
		}
		memcpy(f->path, path, len);
	}
	atomic_set(&f->count, 1);
	f->f_op = op;
	f->f_flags = flags;
	mutex_init(&f->pos_lock);
	return f;
}

void get_file(struct file *f)
{
	atomic_inc(&f->count);
}

void fput(struct file *f)
{
	if (!atomic_dec_and_test(&f->count))
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(f);
	kfree(f->path);
	kfree(f);
}

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (!files)
		return NULL;
	atomic_set(&files->count, 1);
	spin_lock_init(&files->lock);
	return files;
}

static inline bool cloexec_test(struct files_struct *files, unsigned int fd)
{
	return files->cloexec[fd / 64] & (1ULL << (fd % 64));
}

static inline void cloexec_assign(struct files_struct *files, unsigned int fd, bool on)
{
	if (on)
		files->cloexec[fd / 64] |= 1ULL << (fd % 64);
	else
		files->cloexec[fd / 64] &= ~(1ULL << (fd % 64));
}

/* A copy of old holding its own reference to every open file. */
static struct files_struct *files_dup(struct files_struct *old)
{
	struct files_struct *files = files_alloc();
	unsigned int fd;

	if (!files)
		return NULL;
	spin_lock(&old->lock);
	for (fd = 0; fd < NR_OPEN_MAX; fd++) {
		struct file *f = old->fd[fd];

		if (f) {
			get_file(f);
			files->fd[fd] = f;
		}
	}
	memcpy(files->cloexec, old->cloexec, sizeof(files->cloexec));
	spin_unlock(&old->lock);
	return files;
}

int copy_files(unsigned long clone_flags, struct task_struct *t)
{
	struct files_struct *old = current->files;

	if (old && (clone_flags & CLONE_FILES)) {
		atomic_inc(&old->count);
		t->files = old;
		return 0;
	}
	t->files = old ? files_dup(old) : files_alloc();
	return t->files ? 0 : -ENOMEM;
}

void put_files(struct files_struct *files)
{
	unsigned int fd;

	if (!files || !atomic_dec_and_test(&files->count))
		return;
	/* last user: nobody else can reach the table, no lock needed */
	for (fd = 0; fd < NR_OPEN_MAX; fd++)
		if (files->fd[fd])
			fput(files->fd[fd]);
	kfree(files);
}

void files_close_on_exec(struct files_struct *files)
{
	unsigned int word;

	for (word = 0; word < NR_OPEN_MAX / 64; word++) {
		struct file *victims[64];
		unsigned int i, n = 0;
		u64 bits;

		spin_lock(&files->lock);
		bits = files->cloexec[word];
		files->cloexec[word] = 0;
		for (i = 0; bits; i++, bits >>= 1) {
			unsigned int fd = word * 64 + i;

			if (!(bits & 1) || !files->fd[fd])
				continue;
			victims[n++] = files->fd[fd];
			files->fd[fd] = NULL;
		}
		spin_unlock(&files->lock);
		/* releases may sleep: outside the lock */
		for (i = 0; i < n; i++)
			fput(victims[i]);
	}
}

int files_open_console(struct files_struct *files)
{
	struct file *f = console_open(O_RDWR, "/dev/console");
	int fd;

	if (IS_ERR(f))
		return PTR_ERR(f);
	spin_lock(&files->lock);
	for (fd = 0; fd < 3; fd++) {
		if (files->fd[fd])
			continue;
		get_file(f);
		files->fd[fd] = f;
		cloexec_assign(files, fd, false);
	}
	spin_unlock(&files->lock);
	fput(f);	/* the fds hold their own references */
	return 0;
}

struct file *fget(int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;

	if (!files || (unsigned int)fd >= NR_OPEN_MAX)
		return NULL;
	spin_lock(&files->lock);
	f = files->fd[fd];
	if (f)
		get_file(f);
	spin_unlock(&files->lock);
	return f;
}

/* Takes over the caller's reference to f on success. */
int fd_install(struct file *f, unsigned int lowest, bool cloexec)
{
	struct files_struct *files = current->files;
	unsigned int fd;

	if (!files)
		return -EMFILE;
	spin_lock(&files->lock);
	for (fd = lowest; fd < NR_OPEN_MAX; fd++) {
		if (!files->fd[fd]) {
			files->fd[fd] = f;
			cloexec_assign(files, fd, cloexec);
			spin_unlock(&files->lock);
			return fd;
		}
	}
	spin_unlock(&files->lock);
	return -EMFILE;
}

/* dup2/dup3: newfd becomes another name for oldfd's file, closing what it was. */
int fd_install_at(int oldfd, int newfd, bool cloexec)
{
	struct files_struct *files = current->files;
	struct file *f, *prev;

	if (!files || (unsigned int)oldfd >= NR_OPEN_MAX || (unsigned int)newfd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->lock);
	f = files->fd[oldfd];
	if (!f) {
		spin_unlock(&files->lock);
		return -EBADF;
	}
	get_file(f);
	prev = files->fd[newfd];
	files->fd[newfd] = f;
	cloexec_assign(files, newfd, cloexec);
	spin_unlock(&files->lock);
	if (prev)
		fput(prev);
	return newfd;
}

int fd_close(int fd)
{
	struct files_struct *files = current->files;
	struct file *f;

	if (!files || (unsigned int)fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->lock);
	f = files->fd[fd];
	files->fd[fd] = NULL;
	cloexec_assign(files, fd, false);
	spin_unlock(&files->lock);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

int fd_get_cloexec(int fd)
{
	struct files_struct *files = current->files;
	int ret = -EBADF;

	if (!files || (unsigned int)fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->lock);
	if (files->fd[fd])
		ret = cloexec_test(files, fd);
	spin_unlock(&files->lock);
	return ret;
}

int fd_set_cloexec(int fd, bool on)
{
	struct files_struct *files = current->files;
	int ret = -EBADF;

	if (!files || (unsigned int)fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->lock);
	if (files->fd[fd]) {
		cloexec_assign(files, fd, on);
		ret = 0;
	}
	spin_unlock(&files->lock);
	return ret;
}
