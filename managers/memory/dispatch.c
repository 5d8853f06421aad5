// SPDX-License-Identifier: GPL-2.0
/*
 * The table of request handlers by opcode, and reply buffers. Kept apart
 * from core.c (the FIT glue) so that host tests can call mm_dispatch().
 */
#include <lego/errno.h>
#include <lego/slab.h>

#include "internal.h"

const struct mm_op mm_ops[] = {
	{ M_OP_EXEC,		"exec",		mm_exec },
	{ M_OP_FORK,		"fork",		mm_fork },
	{ M_OP_EXIT,		"exit",		mm_exit },
	{ M_OP_MISS,		"miss",		mm_miss },
	{ M_OP_WRITEBACK,	"writeback",	mm_writeback },
	{ M_OP_MMAP,		"mmap",		mm_mmap },
	{ M_OP_MUNMAP,		"munmap",	mm_munmap },
	{ M_OP_MREMAP,		"mremap",	mm_mremap },
	{ M_OP_BRK,		"brk",		mm_brk },
	{ M_OP_MPROTECT,	"mprotect",	mm_mprotect },
	{ M_OP_MADVISE,		"madvise",	mm_madvise },
	{ M_OP_MSYNC,		"msync",	mm_msync },
	{ M_OP_MAPS,		"maps",		mm_maps },
	{ F_OP_STAT,		"stat",		f_stat },
	{ F_OP_READ,		"read",		f_read },
	{ F_OP_GETDENTS,	"getdents",	f_getdents },
	{ F_OP_READLINK,	"readlink",	f_readlink },
	{ F_OP_ACCESS,		"access",	f_access },
	{ F_OP_STATFS,		"statfs",	f_statfs },
};
const unsigned int mm_nr_ops = ARRAY_SIZE(mm_ops);

int mm_dispatch(u32 opcode, int node, const void *req, size_t len, struct mm_reply *r)
{
	unsigned int i;

	for (i = 0; i < mm_nr_ops; i++)
		if (mm_ops[i].opcode == opcode)
			return mm_ops[i].fn(node, req, len, r);
	return -EOPNOTSUPP;
}

void *mm_reply_alloc(struct mm_reply *r, size_t len)
{
	mm_reply_release(r);
	if (len <= sizeof(r->small)) {
		r->data = r->small;
	} else {
		r->data = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);
		if (!r->data)
			return NULL;
		r->heap = true;
	}
	r->len = len;
	return r->data;
}

void mm_reply_release(struct mm_reply *r)
{
	if (r->heap)
		kfree(r->data);
	mm_reply_init(r);
}
