/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PROCESSOR_FS_INTERNAL_H
#define _PROCESSOR_FS_INTERNAL_H

/*
 * What the pieces of managers/processor/fs/ share with each other and with
 * nobody else. The public contract is <lego/files.h>.
 */
#include <lego/files.h>
#include <lego/wait.h>
#include <uapi/lego/fcntl.h>
#include <uapi/lego/stat.h>
#include <uapi/lego/poll.h>

/* Largest single read/write/readdir a file call moves (and the bounce buffer size). */
#define FS_IO_CHUNK		(64 * 1024)
/* A pipe's ring buffer, and the largest write that is never interleaved. */
#define PIPE_BUF_SIZE		(64 * 1024)
#define PIPE_BUF		4096
/* Linux caps one read or write at this (INT_MAX rounded down to a page). */
#define MAX_RW_COUNT		0x7ffff000UL

/* Device numbers of the pseudo file systems, as stat shows them. */
#define DEV_DEVTMPFS		STAT_MKDEV(0u, 5u)
#define DEV_PIPEFS		STAT_MKDEV(0u, 12u)
#define DEV_PROCFS		STAT_MKDEV(0u, 20u)

/* Open flags asking for write access (O_PATH asks for none). */
static inline bool flags_writable(unsigned int flags)
{
	unsigned int acc = flags & O_ACCMODE;

	return !(flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

static inline bool file_readable(const struct file *f)
{
	return !(f->f_flags & O_PATH) && (f->f_flags & O_ACCMODE) != O_WRONLY;
}

static inline bool file_writable(const struct file *f)
{
	return flags_writable(f->f_flags);
}

/* The fd table (file_table.c). Both return the new fd or -EMFILE / -EBADF. */
int fd_install(struct file *f, unsigned int lowest, bool cloexec);
int fd_install_at(int oldfd, int newfd, bool cloexec);
int fd_close(int fd);
/* FD_CLOEXEC of fd in current: 0/1, or -EBADF. */
int fd_get_cloexec(int fd);
int fd_set_cloexec(int fd, bool on);

/* The working directory of current into buf (LEGO_PATH_MAX bytes). */
void fs_get_cwd(char *buf);
/* user_path_at that also tells whether the user path forces a directory. */
int path_at(int dirfd, const char __user *upath, char *buf, bool *must_dir);

/* Opening by absolute, normalised path (open.c): a new file or ERR_PTR. */
struct file *file_open_path(const char *path, unsigned int flags, bool must_dir);
/* stat by path, pseudo-files first (stat.c). */
int stat_path(const char *path, bool follow, bool must_dir, struct lego_stat *st);
/* Resolve upath against dirfd into path (LEGO_PATH_MAX bytes) and stat it. */
int stat_user_path(int dirfd, const char __user *upath, bool follow, char *path,
		   struct lego_stat *st);

/* Remote files and directories (remote.c). */
struct file *remote_open(const char *path, unsigned int flags, bool must_dir);
/* The size of the store path is in (F_OP_STATFS). */
int remote_statfs(const char *path, struct f_statfs_reply *sf);
/* Is f a file or directory of the file server? */
bool file_is_remote(struct file *f);

/* The mount table as /proc/mounts shows it (statfs.c); bytes written. */
size_t mounts_format(char *buf, size_t size);

/*
 * Pseudo-files (pseudo.c, then procfs.c): stat and open, or -ENOENT if
 * path is not one. A pseudo symlink (/proc/self) gives its target with
 * pseudo_readlink.
 */
int pseudo_stat(const char *path, bool follow, struct lego_stat *st);
struct file *pseudo_open(const char *path, unsigned int flags);
ssize_t pseudo_readlink(const char *path, char *buf, size_t size);
/* Call fn for each table entry directly in dir (no trailing "/"); how many there are. */
unsigned int pseudo_list_dir(const char *dir, void (*fn)(void *arg, const char *name,
							u32 mode, u64 ino), void *arg);

/* The same for /proc's processes, self and system-wide files (procfs.c). */
int procfs_stat(const char *path, bool follow, struct lego_stat *st);
struct file *procfs_open(const char *path, unsigned int flags);
ssize_t procfs_readlink(const char *path, char *buf, size_t size);

/* What a /proc file said when it was opened: reads walk this snapshot (pseudo.c). */
struct text_snap {
	size_t len;
	char text[];
};

/* f->private_data is a struct text_snap. */
ssize_t text_snap_read(struct file *f, char __user *buf, size_t len, u64 *pos);
void text_snap_release(struct file *f);

/* The console tty as a file (console.c). */
struct file *console_open(unsigned int flags, const char *path);
extern const struct file_operations console_fops;

/* Pipes (pipe.c). */
extern const struct file_operations pipe_read_fops, pipe_write_fops;

/* Fill a lego_stat for a local object (pseudo-files, pipes, tty). */
void local_stat(struct lego_stat *st, u32 mode, u32 dev, u32 rdev, u64 ino);

#endif
