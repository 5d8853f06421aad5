/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MANAGERS_MEMORY_INTERNAL_H
#define _MANAGERS_MEMORY_INTERNAL_H

/*
 * Private interfaces of the memory manager: the file archive, address
 * spaces, VMAs, the per-space page table and the request handlers. The
 * handlers know nothing about FIT (core.c is the only glue), so host unit
 * tests drive them directly through mm_dispatch().
 */
#include <lego/kernel.h>
#include <lego/atomic.h>
#include <lego/list.h>
#include <lego/mm.h>
#include <lego/mutex.h>
#include <lego/rbtree.h>
#include <uapi/lego/memory.h>
#include <uapi/lego/mman.h>
#include <uapi/lego/stat.h>

/* ------------------------------------------------------------ archive */

#define ARC_MAX_SYMLINKS	40	/* then ELOOP, as Linux */
#define ARC_PATH_MAX		4096

/*
 * One file, directory or symlink of the archive. Names and data point
 * into the archive image, which stays in memory for good; a symlink's
 * data is its target.
 */
struct arc_node {
	const char *name;
	u32 name_len;
	u32 nr_children;
	struct arc_node *parent;	/* the root is its own parent */
	struct arc_node *child;		/* first entry of a directory */
	struct arc_node *sibling;
	u64 ino;
	u64 mtime;
	u64 size;
	const u8 *data;
	u32 mode;
	u32 uid;
	u32 gid;
	u32 nlink;
};

struct archive {
	struct arc_node *root;
	unsigned long nr_entries;	/* entries read from the image */
	u64 bytes;			/* file data bytes */
	u64 next_ino;			/* for directories the image only implies */
};

/* Parse a newc image (kept by reference); -EINVAL if corrupt, nothing kept. */
int archive_load(struct archive *ar, const void *image, size_t len);
void archive_free(struct archive *ar);
/* Resolve an absolute path; follow: a symlink as last component is followed. */
int archive_lookup(const struct archive *ar, const char *path, size_t len,
		   bool follow, const struct arc_node **out);
/* The node's absolute path, NUL-terminated (truncated to size). */
void arc_node_path(const struct arc_node *n, char *buf, size_t size);

/* The archive the F_OP_* and exec requests are served from (NULL: none). */
extern struct archive *mm_archive;

/* -------------------------------------------------------- page table */
/*
 * User virtual page -> struct page, four levels of 512 entries like the
 * x86 one. Pages are shared between spaces after fork and counted in
 * page->_refcount.
 */
struct pgtable {
	void **root;
};

struct page *mpage_alloc(bool zero);
void mpage_get(struct page *page);
void mpage_put(struct page *page);

static inline void *mpage_address(struct page *page)
{
	return page_address(page);
}

struct page *pt_get(struct pgtable *pt, unsigned long addr);
/* Install page (taking over the caller's reference), dropping any old one. */
int pt_set(struct pgtable *pt, unsigned long addr, struct page *page);
/* Remove and return the page at addr; the reference goes to the caller. */
struct page *pt_take(struct pgtable *pt, unsigned long addr);
/* Drop every page in [start, end). */
void pt_clear(struct pgtable *pt, unsigned long start, unsigned long end);
/* Call fn for each present page in [start, end), in address order; stops at non-zero. */
int pt_for_each(struct pgtable *pt, unsigned long start, unsigned long end,
		int (*fn)(unsigned long addr, struct page *page, void *data), void *data);
void pt_destroy(struct pgtable *pt);

/* --------------------------------------------------------------- VMAs */
#define VMA_SHARED	0x1	/* MAP_SHARED: pages shared across fork for real */
#define VMA_GROWSDOWN	0x2	/* the stack */
#define VMA_DONTFORK	0x4	/* MADV_DONTFORK */

struct vma {
	struct rb_node rb;
	unsigned long start;
	unsigned long end;
	u32 prot;
	u32 flags;
	const struct arc_node *file;	/* NULL: anonymous */
	u64 off;			/* file offset of start */
	u64 file_end;			/* file offsets from here read as zero */
};

/* The contents of an address space; exec builds a new one and swaps. */
struct vmspace {
	struct rb_root vmas;
	unsigned long nr_vmas;
	struct pgtable pt;
	unsigned long start_brk;
	unsigned long brk;
	unsigned long stack_top;
};

struct vmspace *vmspace_alloc(void);
void vmspace_free(struct vmspace *vm);

struct vma *vma_alloc(void);
void vma_free(struct vma *vma);
struct vma *vma_first(struct vmspace *vm);
struct vma *vma_next(struct vma *vma);
struct vma *vma_prev(struct vma *vma);
/* The VMA containing addr, or NULL. */
struct vma *vma_find(struct vmspace *vm, unsigned long addr);
/* The first VMA ending above addr, or NULL. */
struct vma *vma_find_after(struct vmspace *vm, unsigned long addr);
/* -EEXIST if it overlaps an existing VMA. */
int vma_insert(struct vmspace *vm, struct vma *vma);
void vma_remove(struct vmspace *vm, struct vma *vma);
/* vma keeps [start, addr); a new VMA gets [addr, end). */
int vma_split(struct vmspace *vm, struct vma *vma, unsigned long addr);
/* Merge vma with equal neighbours; returns the VMA now covering it. */
struct vma *vma_merge_around(struct vmspace *vm, struct vma *vma);

bool vm_range_free(struct vmspace *vm, unsigned long start, unsigned long end);
/* Every page of [start, end) is in some VMA. */
bool vm_range_mapped(struct vmspace *vm, unsigned long start, unsigned long end);
/* Remove VMAs and pages in [start, end) (page aligned). */
int vm_unmap(struct vmspace *vm, unsigned long start, unsigned long end);
/* Insert a copy of tmpl (range must be free) and merge it; -ENOMEM. */
int vm_map(struct vmspace *vm, const struct vma *tmpl);
/* Highest free gap of len bytes inside [low, high), or 0. */
unsigned long vm_find_gap(struct vmspace *vm, unsigned long len,
			  unsigned long low, unsigned long high);
/* Set prot on [start, end), which must be mapped; splits and merges. */
int vm_protect(struct vmspace *vm, unsigned long start, unsigned long end, u32 prot);

/* Pages (fault.c). */
/* What a never-written page at addr holds; false if it is all zero. */
bool vm_page_content(const struct vma *vma, unsigned long addr, void *dst);
/* Store a page's worth of data at addr (copy-on-write if shared); -ENOMEM. */
int vm_store_page(struct vmspace *vm, struct vma *vma, unsigned long addr, const void *src);
/* Write len bytes at addr of a space (any VMA, any prot); -EFAULT if unmapped. */
int vm_write(struct vmspace *vm, unsigned long addr, const void *src, size_t len);
/* Read len bytes at addr as the process would see them; -EFAULT if unmapped. */
int vm_read(struct vmspace *vm, unsigned long addr, void *dst, size_t len);

/* ------------------------------------------------------ address spaces */
struct mspace {
	struct list_head link;
	int node;
	u32 pid;
	atomic_t ref;
	struct mutex lock;	/* held while anything reads or changes vm */
	struct vmspace *vm;
};

/* Look up (node, pid) and take a reference; NULL if unknown. */
struct mspace *space_get(int node, u32 pid);
void space_put(struct mspace *sp);
/* Register a new space owning vm; ERR_PTR(-EEXIST) if (node, pid) exists. */
struct mspace *space_create(int node, u32 pid, struct vmspace *vm);
/* Unregister (node, pid); the space dies with its last reference. */
int space_remove(int node, u32 pid);
unsigned long space_count(void);

/* ----------------------------------------------------------- handlers */
/*
 * A handler's reply body: small ones live in the struct, larger ones are
 * allocated. The caller initialises it and releases it after sending.
 */
struct mm_reply {
	void *data;
	size_t len;
	bool heap;
	u64 small[8];
};

static inline void mm_reply_init(struct mm_reply *r)
{
	r->data = NULL;
	r->len = 0;
	r->heap = false;
}

void *mm_reply_alloc(struct mm_reply *r, size_t len);	/* NULL if no memory */
void mm_reply_release(struct mm_reply *r);

/* Handlers return 0 (reply in r) or a negative errno. */
typedef int (*mm_handler_t)(int node, const void *req, size_t len, struct mm_reply *r);

int mm_exec(int node, const void *req, size_t len, struct mm_reply *r);
int mm_fork(int node, const void *req, size_t len, struct mm_reply *r);
int mm_exit(int node, const void *req, size_t len, struct mm_reply *r);
int mm_miss(int node, const void *req, size_t len, struct mm_reply *r);
int mm_writeback(int node, const void *req, size_t len, struct mm_reply *r);
int mm_mmap(int node, const void *req, size_t len, struct mm_reply *r);
int mm_munmap(int node, const void *req, size_t len, struct mm_reply *r);
int mm_mremap(int node, const void *req, size_t len, struct mm_reply *r);
int mm_brk(int node, const void *req, size_t len, struct mm_reply *r);
int mm_mprotect(int node, const void *req, size_t len, struct mm_reply *r);
int mm_madvise(int node, const void *req, size_t len, struct mm_reply *r);
int mm_msync(int node, const void *req, size_t len, struct mm_reply *r);
int mm_maps(int node, const void *req, size_t len, struct mm_reply *r);
int f_stat(int node, const void *req, size_t len, struct mm_reply *r);
int f_read(int node, const void *req, size_t len, struct mm_reply *r);
int f_getdents(int node, const void *req, size_t len, struct mm_reply *r);
int f_readlink(int node, const void *req, size_t len, struct mm_reply *r);
int f_access(int node, const void *req, size_t len, struct mm_reply *r);
int f_statfs(int node, const void *req, size_t len, struct mm_reply *r);

struct mm_op {
	u32 opcode;
	const char *name;
	mm_handler_t fn;
};
extern const struct mm_op mm_ops[];
extern const unsigned int mm_nr_ops;

/* Run the handler of opcode; -EOPNOTSUPP if there is none. */
int mm_dispatch(u32 opcode, int node, const void *req, size_t len, struct mm_reply *r);

/* Take the space of a request with its lock held, or -ESRCH. */
struct mspace *space_lock(int node, u32 pid);
void space_unlock(struct mspace *sp);

#endif
