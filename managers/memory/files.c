// SPDX-License-Identifier: GPL-2.0
/*
 * Stateless file requests (F_OP_*) answered from the boot archive: stat,
 * read, getdents, readlink, access and statfs. The archive is read-only
 * and every caller is root, so permission checks reduce to "is there an
 * x bit" and "no writing".
 */
#include <lego/errno.h>
#include <lego/string.h>

#include <uapi/lego/fcntl.h>
#include "internal.h"


/* Bytes of a linux_dirent64 record before its name. */
#define DIRENT_HDR	19

/* Longest name of one path component (Linux's NAME_MAX). */
#define F_NAME_MAX	255

/* Largest read answered at once: the rest is read by the next request. */
#define F_READ_MAX	(1u << 20)

/* Parse a path request and resolve its path. */
static int path_req(const void *buf, size_t len, bool follow_default,
		    struct f_path_req *req, const struct arc_node **out)
{
	u32 path_len;

	if (len < sizeof(*req))
		return -EINVAL;
	memcpy(req, buf, sizeof(*req));
	path_len = fit_le32(req->path_len);
	if (path_len > len - sizeof(*req))
		return -EINVAL;
	if (fit_le32(req->flags) & F_NOFOLLOW)
		follow_default = false;
	return archive_lookup(mm_archive, (const char *)buf + sizeof(*req), path_len,
			      follow_default, out);
}

static int io_req(const void *buf, size_t len, struct f_io_req *req,
		  const struct arc_node **out)
{
	u32 path_len;

	if (len < sizeof(*req))
		return -EINVAL;
	memcpy(req, buf, sizeof(*req));
	path_len = fit_le32(req->path_len);
	if (path_len > len - sizeof(*req))
		return -EINVAL;
	return archive_lookup(mm_archive, (const char *)buf + sizeof(*req), path_len,
			      !(fit_le32(req->flags) & F_NOFOLLOW), out);
}

int f_stat(int node, const void *buf, size_t len, struct mm_reply *r)
{
	const struct arc_node *n;
	struct f_path_req req;
	struct lego_stat *st;
	int ret;

	ret = path_req(buf, len, true, &req, &n);
	if (ret)
		return ret;
	st = mm_reply_alloc(r, sizeof(*st));
	if (!st)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	st->ino = fit_le64(n->ino);
	st->size = fit_le64(n->size);
	st->blocks = fit_le64(DIV_ROUND_UP(n->size, 512));
	st->atime_sec = fit_le64(n->mtime);
	st->mtime_sec = fit_le64(n->mtime);
	st->ctime_sec = fit_le64(n->mtime);
	st->mode = fit_le32(n->mode);
	st->nlink = fit_le32(n->nlink);
	st->uid = fit_le32(n->uid);
	st->gid = fit_le32(n->gid);
	st->blksize = fit_le32(4096);
	return 0;
}

int f_read(int node, const void *buf, size_t len, struct mm_reply *r)
{
	const struct arc_node *n;
	struct f_io_req req;
	u64 off, count;
	void *dst;
	int ret;

	ret = io_req(buf, len, &req, &n);
	if (ret)
		return ret;
	if (S_ISDIR(n->mode))
		return -EISDIR;
	if (!S_ISREG(n->mode))
		return -EINVAL;
	off = fit_le64(req.offset);
	count = min((u64)fit_le32(req.len), (u64)F_READ_MAX);
	if (off >= n->size)
		count = 0;
	else
		count = min(count, n->size - off);
	if (!count) {
		r->len = 0;
		return 0;
	}
	dst = mm_reply_alloc(r, count);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, n->data + off, count);
	return 0;
}

static u8 dirent_type(u32 mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:	return DT_DIR;
	case S_IFREG:	return DT_REG;
	case S_IFLNK:	return DT_LNK;
	case S_IFCHR:	return DT_CHR;
	case S_IFBLK:	return DT_BLK;
	case S_IFIFO:	return DT_FIFO;
	case S_IFSOCK:	return DT_SOCK;
	}
	return DT_UNKNOWN;
}

/* Append one record at *pos if it fits in max; false if not. */
static bool put_dirent(u8 *out, size_t *pos, size_t max, u64 ino, u64 next,
		       u8 type, const char *name, size_t name_len)
{
	size_t reclen = ALIGN(DIRENT_HDR + name_len + 1, 8);
	u64 ino_le = fit_le64(ino), off_le = fit_le64(next);
	u16 reclen_le = fit_le16(reclen);
	u8 *rec = out + *pos;

	if (*pos + reclen > max)
		return false;
	memset(rec, 0, reclen);
	memcpy(rec, &ino_le, 8);
	memcpy(rec + 8, &off_le, 8);
	memcpy(rec + 16, &reclen_le, 2);
	rec[18] = type;
	memcpy(rec + DIRENT_HDR, name, name_len);
	*pos += reclen;
	return true;
}

int f_getdents(int node, const void *buf, size_t len, struct mm_reply *r)
{
	const struct arc_node *dir, *c;
	struct f_dents_reply *rep;
	struct f_io_req req;
	size_t max, pos = 0;
	u64 index, i;
	u8 *out;
	int ret;

	ret = io_req(buf, len, &req, &dir);
	if (ret)
		return ret;
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	index = fit_le64(req.offset);
	max = min((size_t)fit_le32(req.len), (size_t)F_READ_MAX);
	if (max < sizeof(*rep))
		return -EINVAL;
	rep = mm_reply_alloc(r, max);
	if (!rep)
		return -ENOMEM;
	out = (u8 *)(rep + 1);
	max -= sizeof(*rep);

	/* index 0 is ".", 1 is "..", then the children in archive order */
	for (i = index; i < 2; i++) {
		const struct arc_node *d = i ? dir->parent : dir;

		if (!put_dirent(out, &pos, max, d->ino, i + 1, DT_DIR, "..", i + 1))
			goto full;
	}
	for (c = dir->child, i = 2; c; c = c->sibling, i++) {
		if (i < index)
			continue;
		if (!put_dirent(out, &pos, max, c->ino, i + 1, dirent_type(c->mode),
				c->name, c->name_len))
			goto full;
	}
full:
	if (!pos && i < 2 + (u64)dir->nr_children)
		return -EINVAL;		/* the buffer cannot hold one record */
	rep->next = fit_le64(pos ? i : index);
	rep->bytes = fit_le32(pos);
	rep->reserved = 0;
	r->len = sizeof(*rep) + pos;
	return 0;
}

int f_readlink(int node, const void *buf, size_t len, struct mm_reply *r)
{
	const struct arc_node *n;
	struct f_path_req req;
	void *dst;
	int ret;

	ret = path_req(buf, len, false, &req, &n);
	if (ret)
		return ret;
	if (!S_ISLNK(n->mode))
		return -EINVAL;
	if (!n->size) {
		r->len = 0;
		return 0;
	}
	dst = mm_reply_alloc(r, n->size);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, n->data, n->size);
	return 0;
}

int f_access(int node, const void *buf, size_t len, struct mm_reply *r)
{
	const struct arc_node *n;
	struct f_path_req req;
	u32 mode;
	int ret;

	ret = path_req(buf, len, true, &req, &n);
	if (ret)
		return ret;
	mode = fit_le32(req.arg);
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (mode & W_OK)
		return -EROFS;
	/* root may search any directory and run any file with an x bit */
	if ((mode & X_OK) && !S_ISDIR(n->mode) && !(n->mode & 0111))
		return -EACCES;
	return 0;
}

int f_statfs(int node, const void *buf, size_t len, struct mm_reply *r)
{
	const struct arc_node *n;
	struct f_statfs_reply *sf;
	struct f_path_req req;
	int ret;

	ret = path_req(buf, len, true, &req, &n);
	if (ret)
		return ret;
	sf = mm_reply_alloc(r, sizeof(*sf));
	if (!sf)
		return -ENOMEM;
	memset(sf, 0, sizeof(*sf));
	/* the whole archive is one file system */
	sf->bytes = fit_le64(mm_archive->bytes);
	sf->files = fit_le64(mm_archive->nr_entries);
	sf->namelen = fit_le32(F_NAME_MAX);
	sf->flags = fit_le32(F_STATFS_RDONLY);
	return 0;
}
