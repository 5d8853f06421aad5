// SPDX-License-Identifier: GPL-2.0
/*
 * Files served by another node (the memory manager's archive in 1P-1M, a
 * storage manager later) through stateless F_OP_* requests: every request
 * names the whole absolute path, so a remote file here is only its path,
 * its type and the local f_pos. Nothing in this file knows which node
 * answers or that the archive is read-only: the server says so (-EROFS).
 */
#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/uaccess.h>
#include "internal.h"

#define REMOTE_TIMEOUT_NS	(5 * NSEC_PER_SEC)
/* A linux_dirent64 with the longest name: 19 bytes of header, 256 of name, 8-aligned. */
#define DIRENT64_MAX		280

/* A program sees the server's errno, or -EIO when the server cannot be reached. */
static long remote_errno(long ret)
{
	switch (ret) {
	case -ETIMEDOUT:
	case -EHOSTUNREACH:
	case -ECONNRESET:
	case -ENETDOWN:
	case -EMSGSIZE:
		return -EIO;
	}
	return ret;
}

static long remote_call(u32 op, const void *req, size_t len, void *reply, size_t max)
{
	return remote_errno(fit_call(lego_files_node(), op, req, len, reply, max,
				     REMOTE_TIMEOUT_NS));
}

static struct f_path_req *path_req(const char *path, u32 flags, u32 arg, size_t *len)
{
	size_t plen = strlen(path);
	struct f_path_req *req = kmalloc(sizeof(*req) + plen, GFP_KERNEL);

	if (!req)
		return NULL;
	req->flags = flags;
	req->arg = arg;
	req->path_len = plen;
	req->reserved = 0;
	memcpy(req->path, path, plen);
	*len = sizeof(*req) + plen;
	return req;
}

static struct f_io_req *io_req(const char *path, u64 off, u32 count, size_t *len)
{
	size_t plen = strlen(path);
	struct f_io_req *req = kmalloc(sizeof(*req) + plen, GFP_KERNEL);

	if (!req)
		return NULL;
	req->offset = off;
	req->len = count;
	req->flags = 0;
	req->path_len = plen;
	req->reserved = 0;
	memcpy(req->path, path, plen);
	*len = sizeof(*req) + plen;
	return req;
}

int remote_stat(const char *path, bool follow, struct lego_stat *st)
{
	struct f_path_req *req;
	size_t len;
	long ret;

	req = path_req(path, follow ? 0 : F_NOFOLLOW, 0, &len);
	if (!req)
		return -ENOMEM;
	ret = remote_call(F_OP_STAT, req, len, st, sizeof(*st));
	kfree(req);
	if (ret >= 0 && ret != sizeof(*st))
		return -EIO;
	return ret < 0 ? ret : 0;
}

/* One request: at most FS_IO_CHUNK bytes. */
static ssize_t remote_read_chunk(const char *path, u64 off, void *buf, size_t count)
{
	struct f_io_req *req;
	size_t len;
	long ret;

	req = io_req(path, off, count, &len);
	if (!req)
		return -ENOMEM;
	ret = remote_call(F_OP_READ, req, len, buf, count);
	kfree(req);
	return ret;
}

ssize_t remote_read(const char *path, u64 off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = min(len - done, (size_t)FS_IO_CHUNK);
		ssize_t n = remote_read_chunk(path, off + done, (char *)buf + done, chunk);

		if (n < 0)
			return done ? (ssize_t)done : n;
		done += n;
		if ((size_t)n < chunk)
			break;	/* end of file */
	}
	return done;
}

ssize_t remote_readlink(const char *path, char *buf, size_t size)
{
	struct f_path_req *req;
	size_t len;
	long ret;

	req = path_req(path, F_NOFOLLOW, 0, &len);
	if (!req)
		return -ENOMEM;
	ret = remote_call(F_OP_READLINK, req, len, buf, size);
	kfree(req);
	return ret;
}

int remote_statfs(const char *path, struct f_statfs_reply *sf)
{
	struct f_path_req *req;
	size_t len;
	long ret;

	req = path_req(path, 0, 0, &len);
	if (!req)
		return -ENOMEM;
	ret = remote_call(F_OP_STATFS, req, len, sf, sizeof(*sf));
	kfree(req);
	if (ret >= 0 && ret != sizeof(*sf))
		return -EIO;
	return ret < 0 ? ret : 0;
}

int remote_access(const char *path, int mode, bool follow)
{
	struct f_path_req *req;
	size_t len;
	long ret;

	req = path_req(path, follow ? 0 : F_NOFOLLOW, mode, &len);
	if (!req)
		return -ENOMEM;
	ret = remote_call(F_OP_ACCESS, req, len, NULL, 0);
	kfree(req);
	return ret < 0 ? ret : 0;
}

/* Entries from index *pos into reply (header + at most max bytes). */
static long remote_getdents(const char *path, u64 pos, struct f_dents_reply *reply, size_t max)
{
	struct f_io_req *req;
	size_t len;
	long ret;

	req = io_req(path, pos, max, &len);
	if (!req)
		return -ENOMEM;
	ret = remote_call(F_OP_GETDENTS, req, len, reply, sizeof(*reply) + max);
	kfree(req);
	if (ret < 0)
		return ret;
	if ((size_t)ret < sizeof(*reply) || reply->bytes > ret - sizeof(*reply) ||
	    reply->bytes > max)
		return -EIO;
	return 0;
}

static ssize_t remote_file_read(struct file *f, char __user *ubuf, size_t count, u64 *pos)
{
	size_t done = 0, bsize = min(count, (size_t)FS_IO_CHUNK);
	char *bounce;
	ssize_t ret = 0;

	if (!count)
		return 0;
	bounce = kmalloc(bsize, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		size_t chunk = min(count - done, bsize);
		ssize_t n = remote_read_chunk(f->path, *pos, bounce, chunk);

		if (n < 0) {
			ret = n;
			break;
		}
		if (copy_to_user(ubuf + done, bounce, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		*pos += n;
		if ((size_t)n < chunk)
			break;
	}
	kfree(bounce);
	return done ? (ssize_t)done : ret;
}

static ssize_t remote_dir_read(struct file *f, char __user *ubuf, size_t count, u64 *pos)
{
	return -EISDIR;
}

/* A symlink is only opened with O_PATH|O_NOFOLLOW: then fstat describes the link. */
static int remote_file_stat(struct file *f, struct lego_stat *st)
{
	return remote_stat(f->path, !S_ISLNK(f->i_mode), st);
}

/* Is there an entry at pos at all? Tells "buffer too small" from "end of directory". */
static long remote_dir_has_entry(const char *path, u64 pos)
{
	size_t max = 2 * DIRENT64_MAX;
	struct f_dents_reply *reply = kmalloc(sizeof(*reply) + max, GFP_KERNEL);
	long ret;

	if (!reply)
		return -ENOMEM;
	ret = remote_getdents(path, pos, reply, max);
	if (!ret)
		ret = reply->bytes > 0;
	kfree(reply);
	return ret;
}

static long remote_dir_getdents(struct file *f, void __user *dirp, size_t count, u64 *pos)
{
	size_t max = min(count, (size_t)FS_IO_CHUNK);
	struct f_dents_reply *reply;
	long ret;

	reply = kmalloc(sizeof(*reply) + max, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	ret = remote_getdents(f->path, *pos, reply, max);
	if (ret)
		goto out;
	if (!reply->bytes) {
		ret = 0;
		if (count < DIRENT64_MAX) {
			ret = remote_dir_has_entry(f->path, *pos);
			if (ret > 0)
				ret = -EINVAL;	/* an entry exists but does not fit */
		}
		goto out;
	}
	if (copy_to_user(dirp, reply + 1, reply->bytes)) {
		ret = -EFAULT;
		goto out;
	}
	*pos = reply->next;
	ret = reply->bytes;
out:
	kfree(reply);
	return ret;
}

static const struct file_operations remote_file_fops = {
	.read = remote_file_read,
	.stat = remote_file_stat,
	.seekable = true,
};

static const struct file_operations remote_dir_fops = {
	.read = remote_dir_read,
	.getdents = remote_dir_getdents,
	.stat = remote_file_stat,
	.seekable = true,
};

/* Which open flags the read-only store refuses, given what path is. */
static int remote_open_check(const struct lego_stat *st, unsigned int flags, bool must_dir)
{
	unsigned int acc = flags & O_ACCMODE;
	bool write = acc == O_WRONLY || acc == O_RDWR;

	if (S_ISLNK(st->mode))
		return (flags & O_PATH) ? 0 : -ELOOP;	/* only with O_NOFOLLOW */
	if ((must_dir || (flags & O_DIRECTORY)) && !S_ISDIR(st->mode))
		return -ENOTDIR;
	if (flags & O_PATH)
		return 0;
	if (S_ISDIR(st->mode))
		return (write || (flags & (O_CREAT | O_TRUNC))) ? -EISDIR : 0;
	if (write || (flags & O_TRUNC))
		return -EROFS;
	if (!S_ISREG(st->mode))
		return -ENXIO;	/* device nodes and fifos in the archive are not served */
	return 0;
}

struct file *remote_open(const char *path, unsigned int flags, bool must_dir)
{
	bool follow = !(flags & O_NOFOLLOW);
	struct lego_stat st;
	struct file *f;
	int ret;

	/* O_CREAT|O_EXCL never follows a final symlink: any name there exists */
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		follow = false;
	ret = remote_stat(path, follow || must_dir, &st);
	if ((flags & O_CREAT) && !(flags & O_PATH)) {
		if (ret == -ENOENT)
			return ERR_PTR(-EROFS);	/* nothing can be created */
		if (!ret && (flags & O_EXCL))
			return ERR_PTR(-EEXIST);
	}
	if (ret)
		return ERR_PTR(ret);
	ret = remote_open_check(&st, flags, must_dir);
	if (ret)
		return ERR_PTR(ret);
	f = file_alloc(S_ISDIR(st.mode) ? &remote_dir_fops : &remote_file_fops, flags, path);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->i_mode = st.mode;
	return f;
}

bool file_is_remote(struct file *f)
{
	return f->f_op == &remote_file_fops || f->f_op == &remote_dir_fops;
}

const char *file_remote_path(struct file *f)
{
	return f->f_op == &remote_file_fops ? f->path : NULL;
}
