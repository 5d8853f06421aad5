// SPDX-License-Identifier: GPL-2.0
/*
 * Signal delivery on x86-64: on the way back to user mode, restart or fail
 * the interrupted system call, build the rt_sigframe (ucontext, siginfo,
 * FXSAVE image) on the user stack and enter the handler; rt_sigreturn
 * takes the frame back. Layouts: include/uapi/lego/signal.h.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/uaccess.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>

#define X86_EFLAGS_CF	(1UL << 0)
#define X86_EFLAGS_PF	(1UL << 2)
#define X86_EFLAGS_AF	(1UL << 4)
#define X86_EFLAGS_ZF	(1UL << 6)
#define X86_EFLAGS_SF	(1UL << 7)
#define X86_EFLAGS_TF	(1UL << 8)
#define X86_EFLAGS_DF	(1UL << 10)
#define X86_EFLAGS_OF	(1UL << 11)
#define X86_EFLAGS_RF	(1UL << 16)
#define X86_EFLAGS_AC	(1UL << 18)

/* What user code may change with popf, so what sigreturn may restore. */
#define USER_EFLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
			 X86_EFLAGS_SF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_OF | \
			 X86_EFLAGS_RF | X86_EFLAGS_AC)

#define REDZONE_SIZE	128
#define SYSCALL_INSN_LEN 2	/* 0f 05 */

/* mxcsr bits this CPU lets fxrstor load; any other bit set faults (#GP). */
static u32 mxcsr_mask_cached;

static u32 cpu_mxcsr_mask(void)
{
	struct fxregs_state fx;

	if (!READ_ONCE(mxcsr_mask_cached)) {
		memset(&fx, 0, sizeof(fx));
		fxsave(&fx);
		/* 0 means the architectural default mask */
		WRITE_ONCE(mxcsr_mask_cached, fx.mxcsr_mask ? fx.mxcsr_mask : 0xffbf);
	}
	return mxcsr_mask_cached;
}

static void save_sigcontext(struct sigcontext *sc, const struct pt_regs *regs,
			    const struct kernel_siginfo *info, u64 mask, u64 fpstate)
{
	sc->r8 = regs->r8;
	sc->r9 = regs->r9;
	sc->r10 = regs->r10;
	sc->r11 = regs->r11;
	sc->r12 = regs->r12;
	sc->r13 = regs->r13;
	sc->r14 = regs->r14;
	sc->r15 = regs->r15;
	sc->rdi = regs->rdi;
	sc->rsi = regs->rsi;
	sc->rbp = regs->rbp;
	sc->rbx = regs->rbx;
	sc->rdx = regs->rdx;
	sc->rax = regs->rax;
	sc->rcx = regs->rcx;
	sc->rsp = regs->rsp;
	sc->rip = regs->rip;
	sc->eflags = regs->rflags;
	sc->cs = __USER_CS;
	sc->ss = __USER_DS;
	if (syscall_nr(regs) < 0) {
		/* an exception: its number and error code, as a debugger wants them */
		sc->trapno = regs->vector;
		sc->err = regs->error_code;
	}
	if (info->si_signo == SIGSEGV || info->si_signo == SIGBUS)
		sc->cr2 = info->si_addr;
	sc->oldmask = mask;
	sc->fpstate = fpstate;
}

/* Where the frame goes: below the red zone, or at the top of the alternate stack. */
static unsigned long frame_sp(const struct pt_regs *regs, const struct k_sigaction *ka,
			      stack_t *altstack, bool *on_alt)
{
	unsigned long sp = regs->rsp - REDZONE_SIZE;
	bool have = sas_get(current, altstack);
	bool already = have && on_sig_stack(regs->rsp);

	*on_alt = already;
	if ((ka->sa.sa_flags & SA_ONSTACK) && have && !already) {
		sp = altstack->ss_sp + altstack->ss_size;
		*on_alt = true;
	}
	return sp;
}

/*
 * Lay out, from the top: the FXSAVE image (64-byte aligned), the
 * rt_sigframe, with rsp + 8 16-byte aligned at handler entry as the ABI
 * wants after a call. Returns the frame's user address, or 0 if it does
 * not fit where it must go.
 */
static unsigned long place_frame(unsigned long sp, const stack_t *altstack, bool on_alt,
				 unsigned long *fx_addr)
{
	unsigned long top = sp, frame;

	sp = ALIGN_DOWN(sp - SIGFRAME_FXSAVE_SIZE, 64);
	*fx_addr = sp;
	frame = ALIGN_DOWN(sp - sizeof(struct rt_sigframe), 16) - 8;
	if (!access_ok((void __user *)frame, top - frame))
		return 0;
	/* the alternate stack overflowing into whatever lies below it */
	if (on_alt && frame < altstack->ss_sp)
		return 0;
	return frame;
}

static int setup_rt_frame(int sig, const struct kernel_siginfo *info,
			  const struct k_sigaction *ka, struct pt_regs *regs)
{
	struct task_struct *t = current;
	struct fxregs_state fx;
	struct rt_sigframe frame;
	unsigned long addr, fx_addr;
	stack_t altstack;
	bool on_alt = false;
	u64 mask = t->restore_sigmask ? t->saved_sigmask.sig : t->blocked.sig;

	if (!(ka->sa.sa_flags & SA_RESTORER) || !ka->sa.sa_restorer)
		return -EFAULT;		/* nowhere to return to */
	/* two statements: the order of evaluating arguments is unspecified */
	addr = frame_sp(regs, ka, &altstack, &on_alt);
	addr = place_frame(addr, &altstack, on_alt, &fx_addr);
	if (!addr)
		return -EFAULT;

	/* the user's x87/SSE registers are live in the CPU */
	memset(&fx, 0, sizeof(fx));
	fxsave(&fx);
	if (copy_to_user((void __user *)fx_addr, &fx, sizeof(fx)))
		return -EFAULT;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ka->sa.sa_restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	if (sas_get(t, &altstack)) {
		frame.uc.uc_stack = altstack;
		frame.uc.uc_stack.ss_flags = on_sig_stack(regs->rsp) ? SS_ONSTACK : 0;
	} else {
		frame.uc.uc_stack.ss_flags = SS_DISABLE;
	}
	save_sigcontext(&frame.uc.uc_mcontext, regs, info, mask, fx_addr);
	frame.uc.uc_sigmask = mask;
	frame.info = *info;
	if (copy_to_user((void __user *)addr, &frame, sizeof(frame)))
		return -EFAULT;

	/* the handler starts with a clean FPU, as after a call: default mxcsr */
	fpu_init_state(&fx);
	fxrstor(&fx);

	regs->rsp = addr;
	regs->rip = ka->sa.sa_handler;
	regs->rdi = sig;
	regs->rsi = addr + offsetof(struct rt_sigframe, info);
	regs->rdx = addr + offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	return 0;
}

/* Before a handler runs: what happens to the system call it interrupted. */
static void syscall_restart_for_handler(struct pt_regs *regs, const struct k_sigaction *ka)
{
	if (syscall_nr(regs) < 0)
		return;
	switch ((long)regs->rax) {
	case -ERESTART_RESTARTBLOCK:
	case -ERESTARTNOHAND:
		regs->rax = -EINTR;
		break;
	case -ERESTARTSYS:
		if (!(ka->sa.sa_flags & SA_RESTART)) {
			regs->rax = -EINTR;
			break;
		}
		/* fall through */
	case -ERESTARTNOINTR:
		regs->rax = regs->error_code;	/* orig_ax: the call again */
		regs->rip -= SYSCALL_INSN_LEN;
		break;
	}
	syscall_forget(regs);
}

/*
 * No handler will run: the call starts again, transparently. A call that
 * needs restart_syscall to resume (-ERESTART_RESTARTBLOCK: a relative
 * sleep whose remaining time restart_syscall would carry) is kept simple:
 * it fails with EINTR, having written the time left where it should.
 */
static void syscall_restart_no_handler(struct pt_regs *regs)
{
	if (syscall_nr(regs) < 0)
		return;
	switch ((long)regs->rax) {
	case -ERESTARTNOHAND:
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
		regs->rax = regs->error_code;
		regs->rip -= SYSCALL_INSN_LEN;
		break;
	case -ERESTART_RESTARTBLOCK:
		regs->rax = -EINTR;
		break;
	}
	syscall_forget(regs);
}

/* The frame could not be written: the thread dies of SIGSEGV, handler or not. */
static void frame_failed(int sig)
{
	struct task_struct *t = current;
	unsigned long flags;

	pr_info("signal: %s (pid %d): cannot deliver signal %d (bad stack or no restorer)\n",
		t->comm, t->pid, sig);
	if (sig == SIGSEGV) {
		spin_lock_irqsave(&t->sighand->siglock, flags);
		t->sighand->action[SIGSEGV - 1].sa.sa_handler = SIG_DFL;
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
	}
	force_sig(SIGSEGV);
}

void do_signal(struct pt_regs *regs)
{
	struct kernel_siginfo info;
	struct k_sigaction ka;
	int sig;

	sig = get_signal(&info, &ka);
	if (sig > 0) {
		syscall_restart_for_handler(regs, &ka);
		if (setup_rt_frame(sig, &info, &ka, regs)) {
			frame_failed(sig);
			return;
		}
		signal_delivered(sig, &ka);
		return;
	}
	syscall_restart_no_handler(regs);
	restore_saved_sigmask();
}

/* ------------------------------------------------------------------ */

static int restore_fpu(u64 fpstate)
{
	struct fxregs_state fx;

	if (!fpstate) {
		fpu_init_state(&fx);
	} else {
		if (copy_from_user(&fx, (const void __user *)fpstate, sizeof(fx)))
			return -EFAULT;
		/* a reserved mxcsr bit would make fxrstor fault in the kernel */
		if (fx.mxcsr & ~cpu_mxcsr_mask())
			return -EINVAL;
	}
	fxrstor(&fx);
	return 0;
}

static void restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
	regs->r8 = sc->r8;
	regs->r9 = sc->r9;
	regs->r10 = sc->r10;
	regs->r11 = sc->r11;
	regs->r12 = sc->r12;
	regs->r13 = sc->r13;
	regs->r14 = sc->r14;
	regs->r15 = sc->r15;
	regs->rdi = sc->rdi;
	regs->rsi = sc->rsi;
	regs->rbp = sc->rbp;
	regs->rbx = sc->rbx;
	regs->rdx = sc->rdx;
	regs->rax = sc->rax;
	regs->rcx = sc->rcx;
	regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	/* never a kernel segment, never interrupts off, IOPL 0 */
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = (regs->rflags & ~USER_EFLAGS) | (sc->eflags & USER_EFLAGS) | X86_EFLAGS_IF;
	/* what the handler interrupted is not a system call to restart */
	syscall_forget(regs);
}

/*
 * The handler returned to sa_restorer, which made this call: the frame's
 * ucontext is at rsp - 8 + 8 (the handler's ret popped pretcode).
 */
SYSCALL_DEFINE(rt_sigreturn, void)
{
	struct pt_regs *regs = current_pt_regs();
	unsigned long addr = regs->rsp - sizeof(u64);
	struct ucontext uc;
	sigset_t mask;
	stack_t altstack;

	if (!access_ok((void __user *)addr, sizeof(struct rt_sigframe)) ||
	    copy_from_user(&uc, (const void __user *)(addr + offsetof(struct rt_sigframe, uc)),
			   sizeof(uc)))
		goto badframe;
	if (uc.uc_mcontext.rip > USER_ADDR_MAX || uc.uc_mcontext.rsp > USER_ADDR_MAX + 1)
		goto badframe;
	if (restore_fpu(uc.uc_mcontext.fpstate))
		goto badframe;
	mask.sig = uc.uc_sigmask;
	set_current_blocked(&mask);
	restore_sigcontext(regs, &uc.uc_mcontext);
	/* as Linux: the handler may have changed uc_stack; errors are ignored */
	altstack = uc.uc_stack;
	do_sigaltstack(&altstack, NULL, regs->rsp);
	return regs->rax;

badframe:
	pr_info("signal: %s (pid %d): bad signal frame at %#lx\n",
		current->comm, current->pid, addr);
	syscall_forget(regs);
	force_sig(SIGSEGV);
	return regs->rax;
}
