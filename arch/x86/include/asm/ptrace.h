/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PTRACE_H
#define _ASM_X86_PTRACE_H


/*
 * Saved by the entry code on every interrupt, exception and system call;
 * see entry.S and syscall_64.S. For a system call, vector is
 * PT_VECTOR_SYSCALL and error_code holds the call's number as it was
 * entered (orig_ax: rax is overwritten by the return value); setting it
 * to -1 stops a restart.
 */
#define PT_VECTOR_SYSCALL	0x100

#ifndef __ASSEMBLY__
#include <lego/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;
	u64 error_code;		/* orig_ax for a system call */
	/* pushed by the CPU */
	u64 rip, cs, rflags, rsp, ss;
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) != 0;
}

/* The number of the system call regs entered the kernel with, or -1. */
static inline long syscall_nr(const struct pt_regs *regs)
{
	return regs->vector == PT_VECTOR_SYSCALL ? (long)regs->error_code : -1;
}

/* After a restart decision: no restart is attempted again. */
static inline void syscall_forget(struct pt_regs *regs)
{
	if (regs->vector == PT_VECTOR_SYSCALL)
		regs->error_code = (u64)-1;
}

#endif /* __ASSEMBLY__ */

#endif
