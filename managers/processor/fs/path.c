// SPDX-License-Identifier: GPL-2.0
/*
 * Lexical path arithmetic for the processor's file calls: joining a user
 * path with the working directory (or a directory fd's path) and
 * normalising it. Nothing here looks at a file system: symlinks are
 * resolved by the node that serves the path, so "a/link/.." becomes "a"
 * here whatever the link points to (as a shell's logical cd does).
 * Pure code: tests/unit/test_path.c runs it on the host.
 */
#include <lego/errno.h>
#include <lego/files.h>
#include <lego/string.h>

#define NAME_MAX	255

/* Append "/" name (len bytes) to out, which holds *olen bytes (root is ""). */
static int push_component(char *out, size_t *olen, size_t size,
			  const char *name, size_t len)
{
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	/* room for '/', the name and the final NUL */
	if (*olen + 1 + len + 1 > size)
		return -ENAMETOOLONG;
	out[(*olen)++] = '/';
	memcpy(out + *olen, name, len);
	*olen += len;
	out[*olen] = '\0';
	return 0;
}

/* Drop the last component of out; at the root there is none to drop. */
static void pop_component(char *out, size_t *olen)
{
	while (*olen > 0 && out[*olen - 1] != '/')
		(*olen)--;
	if (*olen > 0)
		(*olen)--;	/* the '/' before it */
	out[*olen] = '\0';
}

/* Walk path's components into out; *last_dir says if the last one forces a directory. */
static int walk(const char *path, char *out, size_t *olen, size_t size, bool *last_dir)
{
	const char *p = path;
	int ret;

	*last_dir = false;
	while (*p) {
		const char *start;
		size_t len;

		while (*p == '/')
			p++;
		if (!*p) {
			/* a trailing slash: "dir/" names a directory */
			*last_dir = true;
			break;
		}
		start = p;
		while (*p && *p != '/')
			p++;
		len = p - start;
		*last_dir = false;
		if (len == 1 && start[0] == '.') {
			*last_dir = true;
			continue;
		}
		if (len == 2 && start[0] == '.' && start[1] == '.') {
			pop_component(out, olen);
			*last_dir = true;
			continue;
		}
		ret = push_component(out, olen, size, start, len);
		if (ret)
			return ret;
	}
	return 0;
}

int path_join(const char *base, const char *path, char *out, size_t size, bool *must_dir)
{
	size_t olen = 0;
	bool last_dir;
	int ret;

	if (!path[0])
		return -ENOENT;
	if (size < 2)
		return -ENAMETOOLONG;
	out[0] = '\0';
	if (path[0] != '/') {
		/* base is normalised already; walking it again is cheap and keeps one code path */
		ret = walk(base, out, &olen, size, &last_dir);
		if (ret)
			return ret;
	}
	ret = walk(path, out, &olen, size, &last_dir);
	if (ret)
		return ret;
	if (!olen) {
		out[0] = '/';
		out[1] = '\0';
	}
	if (must_dir)
		*must_dir = last_dir;
	return 0;
}
