/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_IRQFLAGS_H
#define _ASM_X86_IRQFLAGS_H

/*
 * Host shim for arch/x86/include/asm/irqflags.h: cli/sti fault in user
 * mode, so the interrupt flag is a per-thread variable that tests can
 * inspect (e.g. to check that every irqsave was matched by a restore).
 */
#define X86_EFLAGS_IF	(1UL << 9)

extern __thread unsigned long host_irq_flags;

static inline unsigned long arch_local_save_flags(void)
{
	return host_irq_flags;
}

static inline void local_irq_disable(void)
{
	host_irq_flags &= ~X86_EFLAGS_IF;
}

static inline void local_irq_enable(void)
{
	host_irq_flags |= X86_EFLAGS_IF;
}

static inline unsigned long local_irq_save_flags(void)
{
	unsigned long f = arch_local_save_flags();

	local_irq_disable();
	return f;
}

#define local_irq_save(flags)	((flags) = local_irq_save_flags())

static inline void local_irq_restore(unsigned long f)
{
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

static inline int irqs_disabled(void)
{
	return !(arch_local_save_flags() & X86_EFLAGS_IF);
}

static inline void safe_halt(void)
{
	local_irq_enable();
}

#endif
