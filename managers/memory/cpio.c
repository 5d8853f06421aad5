// SPDX-License-Identifier: GPL-2.0
/*
 * The file archive of a 1P-1M setup: a cpio "newc" image (as made by
 * `cpio -H newc`) turned into an in-memory directory tree whose names and
 * data point into the image, plus path resolution (".", "..", symlinks)
 * inside the archive's own namespace.
 */
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

#define NEWC_HDR_LEN	110
#define NEWC_FIELDS	13
#define NAME_MAX	255

/* Header fields, in order after the six-byte magic. */
enum newc_field {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
};

struct archive *mm_archive;

static bool parse_hex8(const char *p, u32 *out)
{
	u32 v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return false;
	}
	*out = v;
	return true;
}

static struct arc_node *node_new(struct archive *ar, struct arc_node *parent,
				 const char *name, u32 name_len)
{
	struct arc_node *n = kzalloc(sizeof(*n), GFP_KERNEL);
	struct arc_node **tail;

	if (!n)
		return NULL;
	n->name = name;
	n->name_len = name_len;
	n->parent = parent ? parent : n;
	/* a directory the image only implies; a real entry overwrites this */
	n->mode = S_IFDIR | 0755;
	n->nlink = 2;
	n->ino = ar->next_ino++;
	if (parent) {
		for (tail = &parent->child; *tail; tail = &(*tail)->sibling)
			;
		*tail = n;
		parent->nr_children++;
	}
	return n;
}

static struct arc_node *find_child(const struct arc_node *dir, const char *name, size_t len)
{
	struct arc_node *c;

	for (c = dir->child; c; c = c->sibling)
		if (c->name_len == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

static void node_free(struct arc_node *n)
{
	struct arc_node *c = n->child, *next;

	for (; c; c = next) {
		next = c->sibling;
		node_free(c);
	}
	kfree(n);
}

void archive_free(struct archive *ar)
{
	if (ar->root)
		node_free(ar->root);
	ar->root = NULL;
	ar->nr_entries = 0;
	ar->bytes = 0;
}

/* Add one entry; -EINVAL if it contradicts the tree built so far. */
static int add_entry(struct archive *ar, const char *name, size_t len,
		     const u32 *f, const u8 *data)
{
	struct arc_node *dir = ar->root, *n = NULL;
	size_t i = 0, start;

	for (;;) {
		while (i < len && name[i] == '/')
			i++;
		start = i;
		while (i < len && name[i] != '/')
			i++;
		if (start == i)
			break;		/* end of the name */
		if (i - start == 1 && name[start] == '.')
			continue;
		if ((i - start == 2 && !memcmp(name + start, "..", 2)) || i - start > NAME_MAX)
			return -EINVAL;
		if (n) {
			/* the previous component is a directory on the way */
			if (!S_ISDIR(n->mode))
				return -EINVAL;
			dir = n;
		}
		n = find_child(dir, name + start, i - start);
		if (!n) {
			n = node_new(ar, dir, name + start, i - start);
			if (!n)
				return -ENOMEM;
		}
	}
	if (!n)
		n = ar->root;	/* "." describes the root itself */
	if (n->child && !S_ISDIR(f[F_MODE]))
		return -EINVAL;
	if (n == ar->root && !S_ISDIR(f[F_MODE]))
		return -EINVAL;
	n->mode = f[F_MODE];
	n->uid = f[F_UID];
	n->gid = f[F_GID];
	n->nlink = f[F_NLINK] ? f[F_NLINK] : 1;
	n->mtime = f[F_MTIME];
	if (f[F_INO])
		n->ino = f[F_INO];
	n->data = data;
	n->size = S_ISDIR(n->mode) ? 0 : f[F_FILESIZE];
	if (S_ISREG(n->mode))
		ar->bytes += n->size;
	return 0;
}

static int archive_parse(struct archive *ar, const u8 *image, size_t len)
{
	size_t off = 0;
	int ret;

	for (;;) {
		const char *h = (const char *)image + off;
		u32 f[NEWC_FIELDS];
		size_t name_end, data_off;
		int i;

		if (len - off < NEWC_HDR_LEN) {
			pr_err("memory: archive: truncated at byte %zu (no TRAILER!!!)\n", off);
			return -EINVAL;
		}
		if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6)) {
			pr_err("memory: archive: bad magic at byte %zu (not cpio newc)\n", off);
			return -EINVAL;
		}
		for (i = 0; i < NEWC_FIELDS; i++) {
			if (!parse_hex8(h + 6 + 8 * i, &f[i])) {
				pr_err("memory: archive: bad header field at byte %zu\n", off);
				return -EINVAL;
			}
		}
		name_end = off + NEWC_HDR_LEN + f[F_NAMESIZE];
		if (!f[F_NAMESIZE] || f[F_NAMESIZE] > ARC_PATH_MAX || name_end > len ||
		    image[name_end - 1]) {
			pr_err("memory: archive: bad name at byte %zu\n", off);
			return -EINVAL;
		}
		data_off = ALIGN(name_end, 4);
		if (data_off > len || len - data_off < f[F_FILESIZE]) {
			pr_err("memory: archive: data past the end at byte %zu\n", off);
			return -EINVAL;
		}
		if (!strcmp(h + NEWC_HDR_LEN, "TRAILER!!!"))
			return 0;
		ret = add_entry(ar, h + NEWC_HDR_LEN, f[F_NAMESIZE] - 1, f, image + data_off);
		if (ret) {
			pr_err("memory: archive: entry '%s' at byte %zu does not fit the tree\n",
			       h + NEWC_HDR_LEN, off);
			return ret;
		}
		ar->nr_entries++;
		off = ALIGN(data_off + f[F_FILESIZE], 4);
		if (off > len)
			off = len;
	}
}

int archive_load(struct archive *ar, const void *image, size_t len)
{
	int ret;

	memset(ar, 0, sizeof(*ar));
	ar->next_ino = 1ULL << 32;	/* above any 32-bit inode number of the image */
	ar->root = node_new(ar, NULL, "", 0);
	if (!ar->root)
		return -ENOMEM;
	ret = archive_parse(ar, image, len);
	if (ret)
		archive_free(ar);
	return ret;
}

/*
 * Resolve p (len bytes) starting at dir (at the root if absolute). links
 * counts the symlinks followed so far, over every level of recursion.
 */
static int resolve(const struct archive *ar, const struct arc_node *dir, const char *p,
		   size_t len, bool follow, int *links, const struct arc_node **out)
{
	const struct arc_node *cur = len && p[0] == '/' ? ar->root : dir;
	bool dir_wanted = false;
	size_t i = 0, start;
	int ret;

	for (;;) {
		const struct arc_node *child;
		bool last;

		while (i < len && p[i] == '/')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && p[i] != '/')
			i++;
		if (i - start > NAME_MAX)
			return -ENAMETOOLONG;
		if (!S_ISDIR(cur->mode))
			return -ENOTDIR;
		if (i - start == 1 && p[start] == '.')
			continue;
		if (i - start == 2 && !memcmp(p + start, "..", 2)) {
			cur = cur->parent;
			continue;
		}
		child = find_child(cur, p + start, i - start);
		if (!child)
			return -ENOENT;
		last = true;
		for (size_t j = i; j < len; j++) {
			if (p[j] != '/') {
				last = false;
				break;
			}
		}
		/* "link/" means the directory the link names */
		dir_wanted = last && i < len;
		if (S_ISLNK(child->mode) && (!last || follow || dir_wanted)) {
			if (++*links > ARC_MAX_SYMLINKS)
				return -ELOOP;
			if (!child->size)
				return -ENOENT;
			ret = resolve(ar, cur, (const char *)child->data, child->size,
				      true, links, &child);
			if (ret)
				return ret;
		}
		cur = child;
	}
	if (dir_wanted && !S_ISDIR(cur->mode))
		return -ENOTDIR;
	*out = cur;
	return 0;
}

int archive_lookup(const struct archive *ar, const char *path, size_t len,
		   bool follow, const struct arc_node **out)
{
	int links = 0;

	if (!ar || !ar->root || !len)
		return -ENOENT;
	if (len >= ARC_PATH_MAX)
		return -ENAMETOOLONG;
	return resolve(ar, ar->root, path, len, follow, &links, out);
}

void arc_node_path(const struct arc_node *n, char *buf, size_t size)
{
	const struct arc_node *c;
	size_t need = 0, pos;

	if (!size)
		return;
	for (c = n; c->parent != c; c = c->parent)
		need += c->name_len + 1;
	if (!need) {
		strlcpy(buf, "/", size);
		return;
	}
	if (need >= size) {
		/* too long: keep what fits of the start, like any truncation */
		need = size - 1;
	}
	buf[need] = 0;
	pos = 0;
	for (c = n; c->parent != c; c = c->parent)
		pos += c->name_len + 1;
	/* fill from the end; pos is the untruncated length */
	for (c = n; c->parent != c; c = c->parent) {
		size_t at = pos - c->name_len - 1;

		for (size_t k = 0; k <= c->name_len; k++) {
			size_t dst = at + k;
			char ch = k ? c->name[k - 1] : '/';

			if (dst < need)
				buf[dst] = ch;
		}
		pos = at;
	}
}
