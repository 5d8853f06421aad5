/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_SIGNAL_H
#define _UAPI_LEGO_SIGNAL_H

/*
 * Signals as unmodified Linux x86-64 programs see them: numbers, flags,
 * sigaction, siginfo, the alternate stack, and the frame a handler runs
 * on (ucontext with the saved registers, siginfo, FXSAVE area). Layouts
 * are the kernel ABI that glibc and musl are built against: never change
 * them (tests/unit/test_signal.c checks sizes and offsets).
 */
#include <lego/types.h>

#define NSIG		64
#define SIGRTMIN	32	/* the kernel's; libc reserves a few above it */
#define SIGRTMAX	NSIG

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGIOT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPOLL		SIGIO
#define SIGPWR		30
#define SIGSYS		31

/* sigaction flags */
#define SA_NOCLDSTOP	0x00000001UL
#define SA_NOCLDWAIT	0x00000002UL
#define SA_SIGINFO	0x00000004UL
#define SA_RESTORER	0x04000000UL
#define SA_ONSTACK	0x08000000UL
#define SA_RESTART	0x10000000UL
#define SA_NODEFER	0x40000000UL
#define SA_RESETHAND	0x80000000UL

/* rt_sigprocmask how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* handler values */
#define SIG_DFL		0UL
#define SIG_IGN		1UL
#define SIG_ERR		(~0UL)

/* The kernel's x86-64 struct sigaction (rt_sigaction), 8 bytes a field. */
struct sigaction_abi {
	u64 sa_handler;		/* or sa_sigaction with SA_SIGINFO */
	u64 sa_flags;
	u64 sa_restorer;	/* libc's trampoline calling rt_sigreturn */
	u64 sa_mask;		/* bit (signo - 1) */
};

/* si_code values */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SI_QUEUE	(-1)
#define SI_TIMER	(-2)
#define SI_MESGQ	(-3)
#define SI_ASYNCIO	(-4)
#define SI_SIGIO	(-5)
#define SI_TKILL	(-6)

#define ILL_ILLOPC	1
#define ILL_ILLOPN	2
#define ILL_ILLADR	3
#define ILL_ILLTRP	4
#define ILL_PRVOPC	5
#define ILL_PRVREG	6
#define ILL_COPROC	7
#define ILL_BADSTK	8

#define FPE_INTDIV	1
#define FPE_INTOVF	2
#define FPE_FLTDIV	3
#define FPE_FLTOVF	4
#define FPE_FLTUND	5
#define FPE_FLTRES	6
#define FPE_FLTINV	7
#define FPE_FLTSUB	8

#define SEGV_MAPERR	1
#define SEGV_ACCERR	2

#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define BUS_OBJERR	3

#define TRAP_BRKPT	1
#define TRAP_TRACE	2

#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_TRAPPED	4
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

#define POLL_IN		1
#define POLL_OUT	2
#define POLL_MSG	3
#define POLL_ERR	4
#define POLL_PRI	5
#define POLL_HUP	6

union sigval_abi {
	int sival_int;
	u64 sival_ptr;
};

#define SI_MAX_SIZE	128

/* siginfo_t: three ints, then a union aligned to 8 (offset 16). */
struct kernel_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		int _pad[(SI_MAX_SIZE - 16) / sizeof(int)];
		struct {			/* kill, tkill, SI_USER */
			int pid;
			u32 uid;
		} kill;
		struct {			/* POSIX timers */
			int tid;
			int overrun;
			union sigval_abi sigval;
			int sys_private;
		} timer;
		struct {			/* sigqueue, SI_QUEUE */
			int pid;
			u32 uid;
			union sigval_abi sigval;
		} rt;
		struct {			/* SIGCHLD */
			int pid;
			u32 uid;
			int status;		/* exit code, or the signal */
			long utime;		/* clock ticks */
			long stime;
		} chld;
		struct {			/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			u64 addr;
			short addr_lsb;
		} fault;
		struct {			/* SIGPOLL */
			long band;
			int fd;
		} poll;
		struct {			/* SIGSYS */
			u64 call_addr;
			int syscall;
			u32 arch;
		} sys;
	} _sifields;
} __attribute__((aligned(8)));

#define si_pid		_sifields.kill.pid
#define si_uid		_sifields.kill.uid
#define si_value	_sifields.rt.sigval
#define si_status	_sifields.chld.status
#define si_utime	_sifields.chld.utime
#define si_stime	_sifields.chld.stime
#define si_addr		_sifields.fault.addr

/* The alternate signal stack (sigaltstack, uc_stack). */
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048
#define SIGSTKSZ	8192

typedef struct {
	u64 ss_sp;
	int ss_flags;
	u64 ss_size;
} stack_t;

/* x86-64 struct sigcontext: the registers a handler interrupted. */
struct sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	u64 rip;
	u64 eflags;
	u16 cs, gs, fs, ss;
	u64 err;
	u64 trapno;
	u64 oldmask;
	u64 cr2;
	u64 fpstate;		/* user address of the FXSAVE image, or 0 */
	u64 reserved1[8];
};

/* uc_flags */
#define UC_FP_XSTATE		0x1
#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4

/* The kernel's ucontext: libc's ucontext_t begins with the same fields. */
struct ucontext {
	u64 uc_flags;
	u64 uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	u64 uc_sigmask;
};

/* The FXSAVE image in a frame: 512 bytes, 16-byte aligned. */
#define SIGFRAME_FXSAVE_SIZE	512

/*
 * What a handler finds at its stack pointer: the return address (the
 * sa_restorer trampoline), then the ucontext and the siginfo whose
 * addresses it got in rdx and rsi. The FXSAVE area sits above the frame;
 * uc_mcontext.fpstate points at it.
 */
struct rt_sigframe {
	u64 pretcode;
	struct ucontext uc;
	struct kernel_siginfo info;
};

#endif
