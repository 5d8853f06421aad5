// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the application processors the MADT lists, one at a time, with
 * the INIT-SIPI-SIPI sequence of the Intel SDM (vol. 3, 8.4.4). Every
 * wait is bounded: a CPU that does not answer is reported, put back to
 * sleep with INIT, and its number given to the next one.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/mm.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/string.h>
#include <lego/time.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irqflags.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>

/* From the STARTUP IPI until the AP runs kernel C code. */
#define AP_START_TIMEOUT_MS	1000
/* For all started APs to finish their set-up and go online. */
#define AP_ONLINE_TIMEOUT_MS	2000

#define PT_ENTRIES		512

static struct trampoline_params *tparams;
static int ap_entered = -1;	/* the AP being started writes its number here */
static bool cpu_started[NR_CPUS];

bool smp_cpu_started(int cpu)
{
	return cpu >= 0 && cpu < NR_CPUS && READ_ONCE(cpu_started[cpu]);
}

static void setup_trampoline(void)
{
	u64 *pml4 = __va(TRAMPOLINE_PGTABLE);
	u64 *pdpt = pml4 + PT_ENTRIES, *pd = pdpt + PT_ENTRIES;
	const u64 *kernel_pml4 = __va(kernel_pgd_phys());

	BUILD_BUG_ON(offsetof(struct trampoline_params, pml4) != TP_PML4);
	BUILD_BUG_ON(offsetof(struct trampoline_params, efer) != TP_EFER);
	BUILD_BUG_ON(offsetof(struct trampoline_params, stack) != TP_STACK);
	BUILD_BUG_ON(offsetof(struct trampoline_params, entry) != TP_ENTRY);
	BUILD_BUG_ON(offsetof(struct trampoline_params, kernel_cr3) != TP_CR3);
	BUILD_BUG_ON(offsetof(struct trampoline_params, cpu) != TP_CPU);
	BUILD_BUG_ON(offsetof(struct trampoline_params, stage) != TP_STAGE);
	BUILD_BUG_ON(sizeof(struct trampoline_params) != TP_SIZE);

	if (trampoline_end - trampoline_start > TRAMPOLINE_PGTABLE - TRAMPOLINE_BASE)
		panic("smp: the AP trampoline overlaps its page table");
	memcpy(__va(TRAMPOLINE_BASE), trampoline_start, trampoline_end - trampoline_start);

	/* identity map of 0-2 MB, where the trampoline turns paging on */
	memset(pml4, 0, 3 * PAGE_SIZE);
	pd[0] = _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	pdpt[0] = __pa(pd) | _PAGE_PRESENT | _PAGE_RW;
	pml4[0] = __pa(pdpt) | _PAGE_PRESENT | _PAGE_RW;
	/* the kernel half is the kernel's own, for the jump to the kernel */
	for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		pml4[i] = kernel_pml4[i];

	tparams = __va(TRAMPOLINE_BASE + (trampoline_params - trampoline_start));
	tparams->pml4 = TRAMPOLINE_PGTABLE;
	/* the kernel's page tables set NX bits, which fault without EFER.NXE */
	tparams->efer = EFER_LME | (rdmsr(MSR_EFER) & EFER_NXE);
	tparams->entry = (u64)secondary_startup_64;
	tparams->kernel_cr3 = kernel_pgd_phys();
}

/*
 * Waiting for another CPU: with interrupts on, sleep until the next tick
 * rather than spin, so that an emulator's vCPU threads get the host cores.
 */
static void wait_a_little(void)
{
	if (irqs_disabled())
		cpu_relax();
	else
		halt();
}

static bool wait_until(const int *flag, int want, u64 timeout_ms)
{
	u64 deadline = ktime_get_ns() + timeout_ms * NSEC_PER_MSEC;

	while (READ_ONCE(*flag) != want) {
		if (ktime_get_ns() > deadline)
			return false;
		wait_a_little();
	}
	return true;
}

static int boot_ap(int cpu, u32 apicid, unsigned long stack_top)
{
	tparams->cpu = cpu;
	tparams->stack = stack_top;
	tparams->stage = 0;
	WRITE_ONCE(ap_entered, -1);
	per_cpu(cpu)->apic_id = apicid;
	smp_mb();

	/* INIT, 10 ms, STARTUP, 200 us, STARTUP, 200 us */
	apic_send_init(apicid);
	mdelay(10);
	for (int i = 0; i < 2; i++) {
		apic_send_sipi(apicid, TRAMPOLINE_BASE >> PAGE_SHIFT);
		udelay(200);
		if (READ_ONCE(tparams->stage))
			break;	/* already running: the second one is not needed */
	}
	if (!wait_until(&ap_entered, cpu, AP_START_TIMEOUT_MS)) {
		pr_err("smp: CPU %d (APIC id %u) did not start (%s): skipped\n", cpu, apicid,
		       !tparams->stage ? "no sign of life" :
		       tparams->stage == TP_STAGE_REAL ? "stuck in real mode" :
		       "stuck before the kernel");
		/* back to wait-for-SIPI: waking later, it would share the next stack */
		apic_send_init(apicid);
		return -ETIMEDOUT;
	}
	WRITE_ONCE(cpu_started[cpu], true);
	return 0;
}

/* The first C code on an AP, on its own stack and the kernel page tables. */
void start_secondary(int cpu)
{
	percpu_setup(cpu);
	cpu_init(cpu);
	/* the trampoline and its parameters are free for the next AP */
	smp_mb();
	WRITE_ONCE(ap_entered, cpu);

	lapic_setup();
	this_cpu()->apic_id = apic_id();
	lapic_timer_start();
	secondary_cpu_ready(cpu);
}

static void wait_for_online(int nr_started)
{
	u64 deadline = ktime_get_ns() + AP_ONLINE_TIMEOUT_MS * NSEC_PER_MSEC;

	for (int cpu = 1; cpu < nr_started; cpu++) {
		while (!cpu_online(cpu) && ktime_get_ns() < deadline)
			wait_a_little();
		if (!cpu_online(cpu))
			pr_err("smp: CPU %d (APIC id %u) started but did not come online\n",
			       cpu, per_cpu(cpu)->apic_id);
	}
}

/* Start the APs in MADT order; returns how many CPU numbers are in use. */
static int start_aps(u32 bsp_id)
{
	unsigned long stack = 0;
	int cpu = 1, ignored = 0;

	setup_trampoline();
	for (int i = 0; i < acpi_madt.nr_lapics; i++) {
		u32 id = acpi_madt.lapic_ids[i];

		if (id == bsp_id)
			continue;
		if (cpu == NR_CPUS) {
			ignored++;
			continue;
		}
		if (id > 0xfe && !apic_x2apic_mode()) {
			pr_warn("smp: APIC id %u needs x2APIC mode: CPU skipped\n", id);
			continue;
		}
		if (!stack)
			stack = __get_free_pages(GFP_KERNEL, THREAD_SIZE_ORDER);
		if (!stack) {
			pr_err("smp: no memory for a CPU stack: not starting more CPUs\n");
			break;
		}
		if (!boot_ap(cpu, id, stack + THREAD_SIZE)) {
			cpu++;
			stack = 0;
		}
	}
	/* left over, or used only by an AP that INIT has put back to sleep */
	if (stack)
		free_pages(stack, THREAD_SIZE_ORDER);
	if (ignored)
		pr_warn("smp: %d CPUs not started (CONFIG_NR_CPUS=%d)\n", ignored, NR_CPUS);
	return cpu;
}

void smp_init(void)
{
	u32 bsp_id = apic_id();

	per_cpu(0)->apic_id = bsp_id;
	WRITE_ONCE(cpu_started[0], true);
	per_cpu(0)->online = true;

	if (!acpi_madt.present)
		pr_warn("smp: no MADT: only the boot CPU runs\n");
	else if (acpi_madt.nr_lapics > 1)
		wait_for_online(start_aps(bsp_id));
	pr_info("smp: %d CPUs online\n", num_online_cpus());
}
