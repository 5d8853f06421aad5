/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PERCPU_H
#define _ASM_X86_PERCPU_H

#include <lego/types.h>
#include <lego/kernel.h>

struct task_struct;
struct mm_struct;

/*
 * Per-CPU data, reached through the GS base in kernel mode. The first
 * fields are read by assembly (entry code) at fixed offsets: keep them.
 */
struct cpu_local {
	struct cpu_local *self;		/* 0 */
	int cpu;			/* 8 */
	int preempt_count;		/* 12 */
	struct task_struct *current_task;	/* 16 */
	unsigned long kernel_sp;	/* 24: stack for entries from user mode */
	unsigned long user_sp;		/* 32: scratch for the syscall entry */
	u32 apic_id;
	bool online;
	int irq_depth;			/* >0 while handling an interrupt */
	struct task_struct *idle;
	void *arch;			/* GDT, TSS, IST stacks (arch/x86/kernel/cpu.c) */
	void *sched;			/* scheduler's per-CPU state */
	u64 nr_interrupts;
	u64 nr_ticks;			/* local timer interrupts taken */
	struct mm_struct *active_mm;	/* page table loaded (user tasks; kept across kernel threads) */
};

extern struct cpu_local cpu_locals[CONFIG_NR_CPUS];

static inline struct cpu_local *this_cpu(void)
{
	struct cpu_local *p;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

static inline int smp_processor_id(void)
{
	int cpu;

	__asm__ __volatile__("movl %%gs:8, %0" : "=r"(cpu));
	return cpu;
}

static inline struct cpu_local *per_cpu(int cpu)
{
	return &cpu_locals[cpu];
}

static inline void arch_preempt_count_inc(void)
{
	__asm__ __volatile__("incl %%gs:12" : : : "memory");
}

static inline void arch_preempt_count_dec(void)
{
	__asm__ __volatile__("decl %%gs:12" : : : "memory");
}

static inline int arch_preempt_count(void)
{
	int c;

	__asm__ __volatile__("movl %%gs:12, %0" : "=r"(c));
	return c;
}

static inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	__asm__ __volatile__("movq %%gs:16, %0" : "=r"(t));
	return t;
}

#define current get_current()

/* Point this CPU's GS base at its cpu_local; first thing each CPU does. */
void percpu_setup(int cpu);

#endif
