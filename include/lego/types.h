/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_TYPES_H
#define _LEGO_TYPES_H

/*
 * Fixed-width types used everywhere in the kernel. The file is also
 * compiled into host unit tests, so every definition must agree with the
 * host's own (x86-64 LP64) when both are visible.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

#ifndef __ASSEMBLY__
#ifdef __KERNEL__
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
#ifndef __bool_true_false_are_defined
typedef _Bool bool;
#define true 1
#define false 0
#endif
#define NULL ((void *)0)
#else
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#endif

typedef u64 phys_addr_t;
#endif

#endif
