/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNIT_MEMORY_HELPERS_H
#define _UNIT_MEMORY_HELPERS_H

/*
 * Support for the memory manager's host tests: fake RAM with the buddy
 * and slab allocators behind it, a host mutex, and builders for cpio newc
 * archives and minimal ELF64 executables.
 */
#include <lego/types.h>
#include <uapi/lego/memory.h>

/* Fake RAM, buddy and kmalloc; teardown checks that every page came back. */
void mmt_ram_setup(void);
void mmt_ram_teardown(void);
u64 mmt_free_pages(void);

/* A growing cpio newc image. */
struct mmt_cpio {
	u8 *data;
	size_t len;
	size_t cap;
	u32 ino;
};

void mmt_cpio_init(struct mmt_cpio *c);
void mmt_cpio_add(struct mmt_cpio *c, const char *name, u32 mode, const void *data, size_t size);
void mmt_cpio_dir(struct mmt_cpio *c, const char *name);
void mmt_cpio_file(struct mmt_cpio *c, const char *name, u32 mode, const void *data, size_t size);
void mmt_cpio_symlink(struct mmt_cpio *c, const char *name, const char *target);
void mmt_cpio_finish(struct mmt_cpio *c);	/* appends TRAILER!!! */
void mmt_cpio_free(struct mmt_cpio *c);

/* A segment of a generated ELF: its bytes are byte_at(offset) below. */
struct mmt_seg {
	u64 vaddr;
	u64 filesz;
	u64 memsz;
	u32 flags;		/* PF_R/PF_W/PF_X */
};

struct mmt_elf {
	u16 type;		/* ET_EXEC or ET_DYN */
	u64 entry;
	unsigned int nr_segs;
	struct mmt_seg segs[8];
	const char *interp;	/* PT_INTERP, or NULL */
	bool pt_phdr;		/* add a PT_PHDR entry */
};

/*
 * Build the image into a malloc'ed buffer (*len bytes). Segment i's file
 * data sits at a page-aligned offset congruent to its vaddr; every byte
 * of the file is mmt_elf_byte(offset) except the headers.
 */
u8 *mmt_elf_build(const struct mmt_elf *e, size_t *len);
u8 mmt_elf_byte(u64 offset);
/* File offset the builder gave segment i. */
u64 mmt_elf_seg_offset(const struct mmt_elf *e, unsigned int i);

/*
 * Requests through mm_dispatch(), as FIT would deliver them from node
 * MMT_NODE. The reply body (up to out_max bytes) is copied to out and its
 * length to *out_len (either may be NULL); the handler's status is returned.
 */
#define MMT_NODE	1

int mmt_call(u32 op, const void *req, size_t len, void *out, size_t out_max, size_t *out_len);
/* M_OP_EXEC of path with NULL-terminated argv and envp (either may be NULL). */
int mmt_exec(u32 pid, const char *path, const char *const *argv, const char *const *envp,
	     struct m_exec_reply *rep);
int mmt_fork(u32 parent, u32 child);
int mmt_exit(u32 pid);
/*
 * M_OP_MISS for the page at addr: the page as the processor would fill it
 * (zeroed for M_REPLY_ZERO) goes to page, the VMA's prot to *prot and
 * whether the reply was M_REPLY_ZERO to *zero (any of them may be NULL).
 */
int mmt_miss(u32 pid, u64 addr, u32 flags, void *page, u32 *prot, bool *zero);
int mmt_writeback(u32 pid, u64 addr, const void *page);
/* Read len bytes at addr through misses; asserts that every miss succeeds. */
void mmt_read(u32 pid, u64 addr, void *buf, size_t len);
u64 mmt_read64(u32 pid, u64 addr);
/* M_OP_MAPS text, NUL-terminated, into buf. */
int mmt_maps(u32 pid, char *buf, size_t size);

#endif
