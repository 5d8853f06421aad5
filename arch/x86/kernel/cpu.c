// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU processor state: GS base, GDT with this CPU's TSS, the IDT, and
 * the control register features the kernel relies on.
 */
#include <lego/kernel.h>
#include <lego/string.h>
#include <lego/printk.h>
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <lego/sched.h>

struct cpu_local cpu_locals[CONFIG_NR_CPUS];
static struct cpu_arch cpu_arch_state[CONFIG_NR_CPUS];

/* PAT entries 0-7: WB, WC, UC-, UC, repeated; PWT alone selects WC. */
#define PAT_VALUE	0x0007010600070106ULL

void percpu_setup(int cpu)
{
	struct cpu_local *c = &cpu_locals[cpu];

	c->self = c;
	c->cpu = cpu;
	c->arch = &cpu_arch_state[cpu];
	wrmsr(MSR_GS_BASE, (u64)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

static u64 tss_desc_low(u64 base, u32 limit)
{
	return (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
	       ((u64)((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
}

static void load_gdt_and_tss(struct cpu_arch *a)
{
	struct desc_ptr gdtr = { sizeof(a->gdt) - 1, (u64)a->gdt };
	u64 tss = (u64)&a->tss;

	a->gdt[0] = 0;
	a->gdt[GDT_ENTRY_KERNEL_CS] = 0x00af9a000000ffffULL;
	a->gdt[GDT_ENTRY_KERNEL_DS] = 0x00cf92000000ffffULL;
	a->gdt[GDT_ENTRY_USER32_CS] = 0x00cffa000000ffffULL;
	a->gdt[GDT_ENTRY_USER_DS] = 0x00cff2000000ffffULL;
	a->gdt[GDT_ENTRY_USER_CS] = 0x00affa000000ffffULL;
	a->gdt[GDT_ENTRY_TSS] = tss_desc_low(tss, sizeof(a->tss) - 1);
	a->gdt[GDT_ENTRY_TSS + 1] = tss >> 32;

	memset(&a->tss, 0, sizeof(a->tss));
	a->tss.iomap_base = sizeof(a->tss);	/* no I/O bitmap: user port I/O faults */
	for (int i = 0; i < 3; i++)
		a->tss.ist[i] = (u64)&a->ist_stacks[i][IST_STACK_SIZE];

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3\n\t"
		: : "m"(gdtr), "i"(__KERNEL_CS), "i"(__KERNEL_DS), "r"(__TSS_SEL)
		: "rax", "memory");
}

void cpu_set_kernel_stack(unsigned long sp)
{
	struct cpu_arch *a = this_cpu()->arch;

	a->tss.rsp[0] = sp;
	this_cpu()->kernel_sp = sp;
}

static void enable_features(void)
{
	u32 a, b, c, d;

	/* SSE state for user programs; global pages for the kernel mappings */
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_PGE);
	/* no EM; MP so WAIT honours TS; NE so x87 errors raise #MF */
	write_cr0((read_cr0() & ~(1UL << 2)) | (1UL << 1) | (1UL << 5));

	cpuid(0x80000001, &a, &b, &c, &d);
	if (d & (1U << 20))
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);

	cpuid(1, &a, &b, &c, &d);
	if (d & (1U << 16))
		wrmsr(MSR_IA32_PAT, PAT_VALUE);
}

bool cpu_has_nx(void)
{
	return rdmsr(MSR_EFER) & EFER_NXE;
}

void cpu_init(int cpu)
{
	load_gdt_and_tss(&cpu_arch_state[cpu]);
	load_idt();
	enable_features();
	if (IS_ENABLED(CONFIG_COMP_PROCESSOR))
		syscall_init();
}
