/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

#include <lego/types.h>
#include <lego/compiler.h>

#define X86_CR0_PE	(1UL << 0)
#define X86_CR0_WP	(1UL << 16)
#define X86_CR0_PG	(1UL << 31)
#define X86_CR4_PAE	(1UL << 5)
#define X86_CR4_PGE	(1UL << 7)
#define X86_CR4_OSFXSR	(1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

#define MSR_EFER		0xc0000080
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_IA32_APIC_BASE	0x1b
#define MSR_IA32_PAT		0x277
#define EFER_SCE	(1UL << 0)
#define EFER_LME	(1UL << 8)
#define EFER_NXE	(1UL << 11)

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/*
 * 64 bits for seeding the kernel's generator: RDRAND when CPUID says the
 * CPU has it (it can fail transiently, so a few tries), mixed with the TSC.
 */
static inline u64 arch_random_seed(void)
{
	u32 a, b, c, d;
	u64 v = 0;
	int tries;
	unsigned char ok = 0;

	cpuid(1, &a, &b, &c, &d);
	if (c & (1U << 30)) {
		for (tries = 0; tries < 10 && !ok; tries++)
			__asm__ __volatile__("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
	}
	return v ^ rdtsc();
}

#define DEFINE_CR_ACCESSORS(n)						\
static inline unsigned long read_cr##n(void)				\
{									\
	unsigned long v;						\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(unsigned long v)				\
{									\
	__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

static inline void invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

bool cpu_has_nx(void);

/* The FXSAVE image: x87, MMX and SSE state of a user thread. */
struct fxregs_state {
	u16 cwd, swd, twd, fop;
	u64 rip, rdp;
	u32 mxcsr, mxcsr_mask;
	u32 st_space[32];
	u32 xmm_space[64];
	u32 padding[24];
} __attribute__((aligned(16)));

#define MXCSR_DEFAULT	0x1f80

/* Per-thread architecture state (in struct task_struct). */
struct thread_struct {
	u64 fsbase;			/* user TLS bases, swapped on switch */
	u64 gsbase;
	struct fxregs_state *fpu;	/* NULL for kernel threads */
};

/*
 * User FPU state is switched eagerly: while the kernel runs on behalf of a
 * user thread, that thread's x87/SSE registers are live in the CPU (the
 * kernel itself never touches them, being built with -mno-sse).
 */
static inline void fxsave(struct fxregs_state *fx)
{
	__asm__ __volatile__("fxsaveq %0" : "=m"(*fx));
}

static inline void fxrstor(const struct fxregs_state *fx)
{
	__asm__ __volatile__("fxrstorq %0" : : "m"(*fx));
}

/* A fresh FPU image: what a new program starts with. */
void fpu_init_state(struct fxregs_state *fx);

#endif
