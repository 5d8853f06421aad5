/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_MEMORY_H
#define _UAPI_LEGO_MEMORY_H

/*
 * Processor manager <-> memory manager messages, carried as FIT requests
 * (the opcode is the FIT opcode). The one definition used by both kernels
 * and by host unit tests. Little endian, like the rest of FIT; every struct
 * is packed by construction (fields ordered 8-4-2-1, explicit padding).
 *
 * An address space on a memory manager is named by (FIT source node, pid),
 * the pid being the thread-group id of the process on its processor. Errors
 * travel as the FIT reply status (a negative Linux errno); a reply body is
 * sent only on success. Documentation/excache.md describes the protocol.
 */

#include <uapi/lego/fit.h>

#define LEGO_PAGE_SIZE		4096

/*
 * nothing -> nothing: answered once every other request is (the memory
 * manager registers it last, after its files are loaded); FIT answering
 * alone does not mean the handlers are there.
 */
#define M_OP_HELLO	0x0100

/* Address spaces and programs. */
#define M_OP_EXEC	0x0101	/* m_exec_req -> m_exec_reply */
#define M_OP_FORK	0x0102	/* m_fork_req -> nothing */
#define M_OP_EXIT	0x0103	/* m_pid_req -> nothing */
/* ExCache traffic. */
#define M_OP_MISS	0x0110	/* m_miss_req [+ page] -> m_miss_reply [+ page] */
#define M_OP_WRITEBACK	0x0111	/* m_wb_req + page -> nothing */
/* Memory system calls, with Linux semantics (and Linux errnos). */
#define M_OP_MMAP	0x0120	/* m_mmap_req [+ path] -> m_addr_reply */
#define M_OP_MUNMAP	0x0121	/* m_range_req -> nothing */
#define M_OP_MREMAP	0x0122	/* m_mremap_req -> m_addr_reply */
#define M_OP_BRK	0x0123	/* m_brk_req -> m_addr_reply (the break, as Linux's brk) */
#define M_OP_MPROTECT	0x0124	/* m_range_req (arg = prot) -> nothing */
#define M_OP_MADVISE	0x0125	/* m_range_req (arg = advice) -> nothing */
#define M_OP_MSYNC	0x0126	/* m_range_req (arg = flags) -> nothing */
/* Debugging: the address space as text, like /proc/PID/maps. */
#define M_OP_MAPS	0x0130	/* m_pid_req -> text */

/*
 * Stateless file requests: every request names a whole absolute path.
 * In 1P-1M the memory manager answers them from the cpio archive it was
 * booted with; a storage manager answers the same opcodes.
 */
#define F_OP_STAT	0x0201	/* f_path_req -> lego_stat */
#define F_OP_READ	0x0202	/* f_io_req -> up to len bytes (short at EOF) */
#define F_OP_GETDENTS	0x0203	/* f_io_req (offset = entry index, len = reply max) -> f_dents_reply */
#define F_OP_READLINK	0x0204	/* f_path_req -> target bytes (no NUL) */
#define F_OP_ACCESS	0x0205	/* f_path_req (arg = R_OK|W_OK|X_OK) -> nothing */
#define F_OP_STATFS	0x0206	/* f_path_req -> f_statfs_reply */

/* m_pid_req and friends carry this process id. */
struct m_pid_req {
	fit_le32 pid;
	fit_le32 reserved;
};

/*
 * Exec: replace pid's address space with the program at path. The strings
 * follow the struct: path, then argc argument strings, then envc
 * environment strings, each NUL-terminated; strings_len counts them all.
 * The old address space is kept if loading fails (ENOENT, EACCES, ENOEXEC,
 * E2BIG, ENOMEM, ...). "#!" scripts are run by their interpreter.
 */
struct m_exec_req {
	fit_le32 pid;
	fit_le32 argc;
	fit_le32 envc;
	fit_le32 strings_len;
	char strings[];
};

struct m_exec_reply {
	fit_le64 entry;		/* first instruction (the interpreter's, if any) */
	fit_le64 sp;		/* initial stack pointer: argc, argv[], envp[], auxv */
	fit_le64 start_brk;	/* the break starts here */
	fit_le64 stack_top;	/* highest address of the stack VMA */
	char comm[16];		/* basename of the program, for the task name */
};

/*
 * Fork: child gets a copy-on-write copy of parent's address space. The
 * processor writes back parent's dirty lines first.
 */
struct m_fork_req {
	fit_le32 parent;
	fit_le32 child;
};

/* Miss flags (m_miss_req.flags). */
#define M_MISS_WRITE	0x1	/* the access was a write */
#define M_MISS_EXEC	0x2	/* an instruction fetch */
#define M_MISS_WB	0x4	/* a dirty victim's page follows the struct */
#define M_MISS_NOZERO	0x8	/* always send data, never M_REPLY_ZERO */

/*
 * A miss: the page at addr of pid. With M_MISS_WB, LEGO_PAGE_SIZE bytes of
 * the victim (wb_pid, wb_addr) follow and are written back before the miss
 * is looked up, whatever the miss's outcome.
 * Errors: -EFAULT (no VMA: SIGSEGV, SEGV_MAPERR), -EACCES (VMA forbids the
 * access: SIGSEGV, SEGV_ACCERR), -ESRCH (no such address space), -ENOMEM,
 * -EIO (backing file unreadable: SIGBUS).
 */
struct m_miss_req {
	fit_le64 addr;
	fit_le64 wb_addr;
	fit_le32 pid;
	fit_le32 wb_pid;
	fit_le32 flags;
	fit_le32 reserved;
	/* fit_u8 wb_data[LEGO_PAGE_SIZE] with M_MISS_WB */
};

/* Reply flags (m_miss_reply.flags). */
#define M_REPLY_ZERO	0x1	/* anonymous page never written: zero it locally, no data follows */

struct m_miss_reply {
	fit_le32 prot;		/* the VMA's PROT_READ|PROT_WRITE|PROT_EXEC */
	fit_le32 flags;
	/* fit_u8 data[LEGO_PAGE_SIZE] unless M_REPLY_ZERO */
};

/* A write-back without a miss (flush before fork, exec, mprotect, ...). */
struct m_wb_req {
	fit_le64 addr;
	fit_le32 pid;
	fit_le32 reserved;
	/* fit_u8 data[LEGO_PAGE_SIZE] */
};

/*
 * mmap: Linux's arguments; for a file mapping, path_len bytes of the
 * file's absolute path follow (no NUL) and pgoff is in pages.
 */
struct m_mmap_req {
	fit_le64 addr;
	fit_le64 len;
	fit_le64 pgoff;
	fit_le32 pid;
	fit_le32 prot;
	fit_le32 flags;
	fit_le32 path_len;
	char path[];
};

struct m_addr_reply {
	fit_le64 addr;
};

/* munmap, mprotect (arg = prot), madvise (arg = advice), msync (arg = flags). */
struct m_range_req {
	fit_le64 addr;
	fit_le64 len;
	fit_le32 pid;
	fit_le32 arg;
};

struct m_mremap_req {
	fit_le64 old_addr;
	fit_le64 old_len;
	fit_le64 new_len;
	fit_le64 new_addr;
	fit_le32 pid;
	fit_le32 flags;
};

struct m_brk_req {
	fit_le64 brk;
	fit_le32 pid;
	fit_le32 reserved;
};

/* File requests. Paths are absolute, path_len bytes, no NUL. */
#define F_NOFOLLOW	0x1	/* do not follow a symlink in the last component */

struct f_path_req {
	fit_le32 flags;
	fit_le32 arg;
	fit_le32 path_len;
	fit_le32 reserved;
	char path[];
};

struct f_io_req {
	fit_le64 offset;
	fit_le32 len;
	fit_le32 flags;
	fit_le32 path_len;
	fit_le32 reserved;
	char path[];
};

/* Linux's struct stat fields, in wire order. */
struct lego_stat {
	fit_le64 ino;
	fit_le64 size;
	fit_le64 blocks;	/* 512-byte units */
	fit_le64 atime_sec;
	fit_le64 mtime_sec;
	fit_le64 ctime_sec;
	fit_le32 atime_nsec;
	fit_le32 mtime_nsec;
	fit_le32 ctime_nsec;
	fit_le32 mode;		/* S_IFMT | permission bits */
	fit_le32 nlink;
	fit_le32 uid;
	fit_le32 gid;
	fit_le32 rdev;
	fit_le32 dev;
	fit_le32 blksize;
};

/*
 * statfs: the size of the store path is in. Only what it holds is
 * counted: a read-only store has no room left, so used is total.
 */
struct f_statfs_reply {
	fit_le64 bytes;		/* file data */
	fit_le64 files;		/* entries (inodes) */
	fit_le32 namelen;	/* longest name of one component */
	fit_le32 flags;		/* F_STATFS_* */
};

#define F_STATFS_RDONLY	0x1

/*
 * getdents: entries are Linux struct linux_dirent64 records (ino, off,
 * reclen, type, name), ready to copy to user space; next is the index to
 * ask for next time (equal to the request's offset at the end).
 */
struct f_dents_reply {
	fit_le64 next;
	fit_le32 bytes;
	fit_le32 reserved;
	/* fit_u8 dirents[bytes] */
};

#endif
