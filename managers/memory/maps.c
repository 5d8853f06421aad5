// SPDX-License-Identifier: GPL-2.0
/* M_OP_MAPS: an address space as text, in the format of /proc/PID/maps. */
#include <lego/errno.h>
#include <lego/string.h>

#include "internal.h"

#define MAPS_MAX	(64u << 10)	/* longer listings are cut */
#define MAPS_NAME	512	/* longer paths are cut */
#define MAPS_LINE	(MAPS_NAME + 128)

static void maps_name(struct vmspace *vm, struct vma *v, char *buf, size_t size)
{
	buf[0] = 0;
	if (v->file)
		arc_node_path(v->file, buf, size);
	else if (v->flags & VMA_GROWSDOWN)
		strlcpy(buf, "[stack]", size);
	else if (v->start >= vm->start_brk && v->end <= ALIGN(vm->brk, PAGE_SIZE) &&
		 vm->brk > vm->start_brk)
		strlcpy(buf, "[heap]", size);
}

int mm_maps(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct m_pid_req req;
	struct mspace *sp;
	struct vma *v;
	size_t pos = 0;
	int n;
	char *out, name[MAPS_NAME];

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	out = mm_reply_alloc(r, MAPS_MAX);
	if (!out)
		return -ENOMEM;
	sp = space_lock(node, fit_le32(req.pid));
	if (IS_ERR(sp))
		return PTR_ERR(sp);
	for (v = vma_first(sp->vm); v; v = vma_next(v)) {
		if (MAPS_MAX - pos < MAPS_LINE)
			break;
		maps_name(sp->vm, v, name, sizeof(name));
		n = snprintf(out + pos, MAPS_MAX - pos,
				 "%012lx-%012lx %c%c%c%c %08llx 00:00 %llu%s%s\n",
				 v->start, v->end,
				 v->prot & PROT_READ ? 'r' : '-',
				 v->prot & PROT_WRITE ? 'w' : '-',
				 v->prot & PROT_EXEC ? 'x' : '-',
				 v->flags & VMA_SHARED ? 's' : 'p',
				 v->file ? v->off : 0ULL,
				 v->file ? v->file->ino : 0ULL,
				 name[0] ? "    " : "", name);
		pos += min((size_t)n, MAPS_MAX - pos - 1);
	}
	space_unlock(sp);
	r->len = pos;
	return 0;
}
