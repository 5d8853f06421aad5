/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_FILES_H
#define _LEGO_FILES_H

/*
 * Open files of user processes on the processor manager. The file table
 * is local; what a file is backed by is its f_op: the console tty, a pipe,
 * a pseudo-file (/proc/excache, /dev/null, ...), or a remote file named by
 * its absolute path and read through stateless requests (F_OP_* in
 * <uapi/lego/memory.h>) to the node serving files. Code lives in
 * managers/processor/fs/.
 */
#include <lego/types.h>
#include <lego/atomic.h>
#include <lego/mutex.h>
#include <lego/spinlock.h>
#include <uapi/lego/memory.h>

#ifndef __user
#define __user
#endif

#define LEGO_PATH_MAX	4096
#define NR_OPEN_MAX	1024		/* RLIMIT_NOFILE */

struct file;
struct task_struct;
struct wait_queue_head;
struct poll_table;

struct file_operations {
	ssize_t (*read)(struct file *f, char __user *buf, size_t len, u64 *pos);
	ssize_t (*write)(struct file *f, const char __user *buf, size_t len, u64 *pos);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* getdents64 into a user buffer; *pos is the directory cursor */
	long (*getdents)(struct file *f, void __user *dirp, size_t len, u64 *pos);
	int (*stat)(struct file *f, struct lego_stat *st);
	void (*release)(struct file *f);	/* last reference gone */
	/*
	 * POLLIN/POLLOUT/POLLHUP/POLLERR now, after poll_wait() on every
	 * queue whose wake_up may change the answer. Must not sleep: the
	 * caller is already TASK_INTERRUPTIBLE. NULL: always readable and
	 * writable (regular files).
	 */
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	bool seekable;
};

/*
 * Register pt's task on wq until the poll call ends (nothing if pt is
 * NULL: a re-check after a wake-up). managers/processor/fs/poll.c.
 */
void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table *pt);

struct file {
	atomic_t count;
	const struct file_operations *f_op;
	unsigned int f_flags;		/* O_ACCMODE | O_APPEND | O_NONBLOCK ... */
	u64 f_pos;
	struct mutex pos_lock;		/* serialises read/write/lseek on f_pos */
	char *path;			/* absolute path it was opened by (kmalloc), or NULL (pipes) */
	u32 i_mode;			/* S_IFMT | permissions of what was opened (known without a request) */
	void *private_data;
};

struct file *file_alloc(const struct file_operations *op, unsigned int flags, const char *path);
void get_file(struct file *f);
void fput(struct file *f);

struct files_struct {
	atomic_t count;
	spinlock_t lock;
	struct file *fd[NR_OPEN_MAX];
	u64 cloexec[NR_OPEN_MAX / 64];
};

/* fork/clone/exec/exit (called by kernel/fork.c, kernel/exit.c, exec). */
struct files_struct *files_alloc(void);
int copy_files(unsigned long clone_flags, struct task_struct *t);
void put_files(struct files_struct *files);	/* closes everything on the last put */
void files_close_on_exec(struct files_struct *files);
/* fd 0, 1 and 2 on the console tty: for the first process. */
int files_open_console(struct files_struct *files);
/* The file behind fd in current, with a reference (fput it), or NULL. */
struct file *fget(int fd);

/* Working directory and umask, shared with CLONE_FS. */
struct fs_struct {
	atomic_t count;
	spinlock_t lock;
	u32 umask;
	char cwd[LEGO_PATH_MAX];	/* absolute, normalised, no trailing slash but "/" */
};

int copy_fs(unsigned long clone_flags, struct task_struct *t);
void put_fs(struct fs_struct *fs);
struct fs_struct *fs_alloc(void);	/* cwd "/", umask 022 */

/*
 * Make an absolute, normalised path from a user path relative to dirfd
 * (AT_FDCWD or a directory fd). buf holds LEGO_PATH_MAX bytes. 0 or
 * -EFAULT, -ENOENT (empty), -ENAMETOOLONG, -EBADF, -ENOTDIR.
 */
#define AT_FDCWD	-100
int user_path_at(int dirfd, const char __user *upath, char *buf);

/*
 * The pure part of user_path_at: join base (absolute, normalised) and
 * path (absolute or relative) into out (size bytes), lexically: "//" and
 * "." vanish, ".." drops the previous component (and stays at "/"). If
 * must_dir is not NULL it tells whether path ended in "/", "/." or "/.."
 * (the result must then be a directory). 0, -ENOENT (empty path),
 * -ENAMETOOLONG (result or a component too long). managers/processor/fs/path.c.
 */
int path_join(const char *base, const char *path, char *out, size_t size, bool *must_dir);

/*
 * Remote file store calls (the node serving files), for exec and /proc.
 * Kernel buffers. Errors are what a program should see: the server's
 * status, or -EIO when the node does not answer.
 */
int remote_stat(const char *path, bool follow, struct lego_stat *st);
ssize_t remote_read(const char *path, u64 off, void *buf, size_t len);
ssize_t remote_readlink(const char *path, char *buf, size_t len);
int remote_access(const char *path, int mode, bool follow);
/*
 * The path to send the file server for f if it is a regular file that
 * server serves (what mmap can map), else NULL (pipes, ttys, /dev, /proc).
 */
const char *file_remote_path(struct file *f);

/* Set up pseudo-files; called once at processor start-up. */
void files_init(void);

#endif
