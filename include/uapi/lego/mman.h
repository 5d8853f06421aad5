/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_MMAN_H
#define _UAPI_LEGO_MMAN_H

/* Linux x86-64 values for the memory system calls (ABI: never change). */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_GROWSDOWN	0x01000000
#define PROT_GROWSUP	0x02000000

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_32BIT		0x40
#define MAP_GROWSDOWN		0x0100
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_HUGETLB		0x40000
#define MAP_FIXED_NOREPLACE	0x100000
#define MAP_FAILED		((void *)-1)

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

#define MADV_NORMAL		0
#define MADV_RANDOM		1
#define MADV_SEQUENTIAL		2
#define MADV_WILLNEED		3
#define MADV_DONTNEED		4
#define MADV_FREE		8
#define MADV_REMOVE		9
#define MADV_DONTFORK		10
#define MADV_DOFORK		11
#define MADV_HUGEPAGE		14
#define MADV_NOHUGEPAGE		15

#define MS_ASYNC		1
#define MS_INVALIDATE		2
#define MS_SYNC			4

/* User address space layout shared by both managers. */
#define USER_ADDR_MIN		0x10000UL		/* mmap_min_addr */
#define USER_ADDR_MAX		0x00007ffffffff000UL	/* one page below 128 TB */
#define USER_STACK_TOP		0x00007ffffffde000UL
#define USER_STACK_MAX		(8UL << 20)		/* RLIMIT_STACK default */
#define USER_MMAP_BASE		0x00007ffff7000000UL	/* mmap grows down from here */
#define USER_PIE_BASE		0x0000555555554000UL	/* ET_DYN programs load here */

#endif
