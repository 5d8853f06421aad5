/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_ERRNO_H
#define _LEGO_ERRNO_H

#include <uapi/lego/errno.h>

#define MAX_ERRNO	4095

/*
 * Kernel-internal: a system call interrupted by a signal. Never seen by
 * user space: the signal code restarts the call or turns these into EINTR.
 */
#define ERESTARTSYS		512	/* restart if SA_RESTART, else EINTR */
#define ERESTARTNOINTR		513	/* always restart */
#define ERESTARTNOHAND		514	/* restart if no handler ran, else EINTR */
#define ERESTART_RESTARTBLOCK	516	/* restart through restart_syscall */

#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline int IS_ERR(const void *p) { return IS_ERR_VALUE(p); }
static inline int IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR_VALUE(p); }

#endif
