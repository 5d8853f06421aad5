/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_STAT_H
#define _UAPI_LEGO_STAT_H

/*
 * Linux x86-64 file types, permission bits, directory entry types, and the
 * layouts stat(2) and statx(2) return (ABI: never change). Self-contained
 * (compiler built-in types) so that host tools can include it too.
 */

#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000

#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)

#define S_IRWXU		00700
#define S_IRUSR		00400
#define S_IWUSR		00200
#define S_IXUSR		00100
#define S_IRWXG		00070
#define S_IRGRP		00040
#define S_IWGRP		00020
#define S_IXGRP		00010
#define S_IRWXO		00007
#define S_IROTH		00004
#define S_IWOTH		00002
#define S_IXOTH		00001

/* linux_dirent64 d_type */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14

/* A device number as struct stat carries it (Linux's new_encode_dev). */
#define STAT_MKDEV(major, minor) \
	(((minor) & 0xffu) | ((major) << 8) | (((minor) & ~0xffu) << 12))

/* What stat, fstat, lstat and newfstatat write: 144 bytes. */
struct stat_abi {
	__UINT64_TYPE__ st_dev;
	__UINT64_TYPE__ st_ino;
	__UINT64_TYPE__ st_nlink;
	__UINT32_TYPE__ st_mode;
	__UINT32_TYPE__ st_uid;
	__UINT32_TYPE__ st_gid;
	__UINT32_TYPE__ __pad0;
	__UINT64_TYPE__ st_rdev;
	__INT64_TYPE__ st_size;
	__INT64_TYPE__ st_blksize;
	__INT64_TYPE__ st_blocks;	/* 512-byte units */
	__UINT64_TYPE__ st_atime_sec;
	__UINT64_TYPE__ st_atime_nsec;
	__UINT64_TYPE__ st_mtime_sec;
	__UINT64_TYPE__ st_mtime_nsec;
	__UINT64_TYPE__ st_ctime_sec;
	__UINT64_TYPE__ st_ctime_nsec;
	__INT64_TYPE__ __reserved[3];
};

/* statx(2) */
struct statx_timestamp {
	__INT64_TYPE__ tv_sec;
	__UINT32_TYPE__ tv_nsec;
	__INT32_TYPE__ __reserved;
};

struct statx_abi {
	__UINT32_TYPE__ stx_mask;	/* STATX_* filled in */
	__UINT32_TYPE__ stx_blksize;
	__UINT64_TYPE__ stx_attributes;
	__UINT32_TYPE__ stx_nlink;
	__UINT32_TYPE__ stx_uid;
	__UINT32_TYPE__ stx_gid;
	__UINT16_TYPE__ stx_mode;
	__UINT16_TYPE__ __spare0;
	__UINT64_TYPE__ stx_ino;
	__UINT64_TYPE__ stx_size;
	__UINT64_TYPE__ stx_blocks;
	__UINT64_TYPE__ stx_attributes_mask;
	struct statx_timestamp stx_atime;
	struct statx_timestamp stx_btime;
	struct statx_timestamp stx_ctime;
	struct statx_timestamp stx_mtime;
	__UINT32_TYPE__ stx_rdev_major;
	__UINT32_TYPE__ stx_rdev_minor;
	__UINT32_TYPE__ stx_dev_major;
	__UINT32_TYPE__ stx_dev_minor;
	__UINT64_TYPE__ stx_mnt_id;
	__UINT32_TYPE__ stx_dio_mem_align;
	__UINT32_TYPE__ stx_dio_offset_align;
	__UINT64_TYPE__ __spare3[12];
};

#define STATX_TYPE		0x00000001u
#define STATX_MODE		0x00000002u
#define STATX_NLINK		0x00000004u
#define STATX_UID		0x00000008u
#define STATX_GID		0x00000010u
#define STATX_ATIME		0x00000020u
#define STATX_MTIME		0x00000040u
#define STATX_CTIME		0x00000080u
#define STATX_INO		0x00000100u
#define STATX_SIZE		0x00000200u
#define STATX_BLOCKS		0x00000400u
#define STATX_BASIC_STATS	0x000007ffu
#define STATX_BTIME		0x00000800u
#define STATX_MNT_ID		0x00001000u
#define STATX_DIOALIGN		0x00002000u
#define STATX__RESERVED		0x80000000u

#endif
