/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_SYSCALLS_H
#define _LEGO_SYSCALLS_H

/*
 * System calls of user processes (processor manager). A call is
 * implemented by defining it anywhere with
 *
 *	SYSCALL_DEFINE(read, unsigned int fd, char __user *buf, size_t count)
 *	{
 *		...
 *	}
 *
 * which makes sys_read(). The table (arch/x86/kernel/syscall_64.c) lists
 * every Linux call by number; a call nobody defines is a weak alias of
 * sys_ni_syscall, which returns -ENOSYS and logs the call's name once.
 * Return a value or a negative errno, as Linux does.
 */
#include <lego/types.h>
#include <lego/errno.h>

#ifndef __user
#define __user
#endif

struct pt_regs;

#define SYSCALL_DEFINE(name, ...)			\
	long sys_##name(__VA_ARGS__);			\
	long sys_##name(__VA_ARGS__)

/* The user registers of current, saved at the top of its kernel stack. */
struct pt_regs *current_pt_regs(void);

/* The name of system call nr, or NULL. */
const char *syscall_name(unsigned long nr);

#endif
