// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC of each CPU: enabling it, end of interrupt, IPIs and the
 * per-CPU timer. xAPIC registers are reached through one uncached MMIO
 * mapping (every CPU sees its own APIC at the same address); if the
 * firmware handed over in x2APIC mode, which cannot be left without a
 * reset, the same registers are MSRs.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/init.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/ioapic.h>
#include <asm/irq.h>
#include <asm/irqflags.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/tsc.h>

#define CPUID_1_EDX_APIC	(1U << 9)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ULL
/* Far beyond the microseconds an xAPIC takes to accept a command. */
#define ICR_TIMEOUT_US		100000

static void *lapic_mmio;
static bool x2apic_mode;
static u64 lapic_hz;		/* timer input after the divide-by-16 */
static u32 lapic_period;	/* initial count for one tick */

bool apic_x2apic_mode(void)
{
	return x2apic_mode;
}

u32 apic_read(u32 reg)
{
	if (x2apic_mode)
		return rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return readl((u8 *)lapic_mmio + reg);
}

void apic_write(u32 reg, u32 val)
{
	if (x2apic_mode)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), val);
	else
		writel(val, (u8 *)lapic_mmio + reg);
}

u32 apic_id(void)
{
	u32 a, b, c, d;

	if (x2apic_mode)
		return apic_read(APIC_ID);
	if (lapic_mmio)
		return apic_read(APIC_ID) >> 24;
	/* before the APIC is mapped: the initial id CPUID reports */
	cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

static void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

static int icr_wait_idle(void)
{
	if (x2apic_mode)
		return 0;	/* x2APIC ICR writes complete at once */
	for (int i = 0; i < ICR_TIMEOUT_US; i++) {
		if (!(apic_read(APIC_ICR) & APIC_ICR_BUSY))
			return 0;
		udelay(1);
	}
	return -ETIMEDOUT;
}

/*
 * The xAPIC ICR is two registers: interrupts stay off between the two
 * writes so that a handler sending its own IPI cannot mix them up.
 */
static int icr_send(u32 dest, u32 low)
{
	unsigned long flags;
	int err;

	if (!x2apic_mode && !lapic_mmio)
		return -ENODEV;
	local_irq_save(flags);
	if (x2apic_mode) {
		wrmsr(MSR_X2APIC_BASE + (APIC_ICR >> 4), (u64)dest << 32 | low);
		err = 0;
	} else {
		err = icr_wait_idle();
		apic_write(APIC_ICR2, dest << 24);
		apic_write(APIC_ICR, low);
		if (!err)
			err = icr_wait_idle();
	}
	local_irq_restore(flags);
	if (err)
		pr_warn("apic: IPI %#x to apic %u not accepted\n", low, dest);
	return err;
}

void apic_send_ipi(u32 dest, int vector)
{
	icr_send(dest, APIC_ICR_ASSERT | APIC_DM_FIXED | (vector & 0xff));
}

void apic_send_nmi(u32 dest)
{
	icr_send(dest, APIC_ICR_ASSERT | APIC_DM_NMI);
}

void apic_send_ipi_allbutself(int vector)
{
	icr_send(0, APIC_DEST_ALLBUT | APIC_ICR_ASSERT | APIC_DM_FIXED | (vector & 0xff));
}

int apic_send_init(u32 dest)
{
	return icr_send(dest, APIC_ICR_ASSERT | APIC_DM_INIT);
}

int apic_send_sipi(u32 dest, u8 page)
{
	return icr_send(dest, APIC_ICR_ASSERT | APIC_DM_STARTUP | page);
}

/* The LINT pin the MADT wires to NMI (LINT1 by default) delivers NMIs. */
static u32 lint_config(int pin)
{
	int nmi_pin = acpi_madt.present ? acpi_madt.nmi_lint : 1;
	u32 v = APIC_LVT_DM_NMI;

	if (pin != nmi_pin)
		return APIC_LVT_MASKED;	/* LINT0 is the masked 8259's ExtINT */
	if (acpi_madt.present && acpi_madt.nmi_active_low)
		v |= APIC_LVT_ACTIVE_LOW;
	return v;
}

void lapic_setup(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);
	u32 maxlvt;

	if (!(base & MSR_APIC_BASE_ENABLE)) {
		base |= MSR_APIC_BASE_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	/* x2APIC is entered from xAPIC mode, never from disabled */
	if (x2apic_mode && !(base & MSR_APIC_BASE_X2APIC))
		wrmsr(MSR_IA32_APIC_BASE, base | MSR_APIC_BASE_X2APIC);

	/* software-enable first: a disabled APIC keeps every LVT masked */
	apic_write(APIC_SVR, SPURIOUS_VECTOR | APIC_SVR_ENABLE);
	apic_write(APIC_TPR, 0);
	maxlvt = (apic_read(APIC_LVR) >> 16) & 0xff;
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	if (maxlvt >= 4)
		apic_write(APIC_LVTPC, APIC_LVT_MASKED);
	if (maxlvt >= 5)
		apic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	apic_write(APIC_LVT0, lint_config(0));
	apic_write(APIC_LVT1, lint_config(1));
	/* ESR is latched by a write; two clear anything firmware left */
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_LVTERR, APIC_ERROR_VECTOR);
	/* retire anything firmware left in service; harmless if nothing is */
	lapic_eoi();
}

static void apic_error_interrupt(struct pt_regs *regs, void *data)
{
	u32 esr;

	apic_write(APIC_ESR, 0);
	esr = apic_read(APIC_ESR);
	pr_warn("apic: error %#x on cpu %d\n", esr, smp_processor_id());
}

static void lapic_timer_interrupt(struct pt_regs *regs, void *data)
{
	timer_tick();
}

/* Timer counts over 10 ms of TSC time, as a frequency. */
static u64 measure_lapic_hz(void)
{
	u64 t0, t1, ns, window = tsc_hz / 100;
	u32 c0, c1;

	apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffff);
	t0 = rdtsc();
	c0 = apic_read(APIC_TMCCT);
	while ((t1 = rdtsc()) - t0 < window)
		cpu_relax();
	c1 = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	ns = tsc_cycles_to_ns(t1 - t0);
	if (c1 >= c0 || !ns)
		return 0;
	/* at most 2^32 counts: the product fits in 64 bits */
	return (u64)(c0 - c1) * NSEC_PER_SEC / ns;
}

void lapic_timer_calibrate(void)
{
	u64 m[3];

	for (int i = 0; i < 3; i++)
		m[i] = measure_lapic_hz();
	/* the median: one run disturbed by the host does not count */
	lapic_hz = max(min(m[0], m[1]), min(max(m[0], m[1]), m[2]));
	if (lapic_hz < CONFIG_HZ * 100ULL) {
		pr_err("apic: timer calibration failed (%llu Hz): assuming 62.5 MHz\n",
		       lapic_hz);
		lapic_hz = 62500000;
	}
	lapic_period = min(lapic_hz / CONFIG_HZ, 0xffffffffULL);
}

u64 lapic_timer_hz(void)
{
	return lapic_hz;
}

void lapic_timer_start(void)
{
	apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_TIMER_PERIODIC);
	apic_write(APIC_TMICT, lapic_period);
}

static void map_lapic(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_APIC))
		panic("apic: this CPU has no local APIC");
	if (base & MSR_APIC_BASE_X2APIC) {
		x2apic_mode = true;
		return;
	}
	lapic_mmio = ioremap(base & APIC_BASE_ADDR_MASK, PAGE_SIZE);
	if (!lapic_mmio)
		panic("apic: cannot map the local APIC at %#llx", base & APIC_BASE_ADDR_MASK);
	if (acpi_madt.present && acpi_madt.lapic_address &&
	    acpi_madt.lapic_address != (base & APIC_BASE_ADDR_MASK))
		pr_warn("apic: MADT says %#llx, the MSR %#llx: using the MSR\n",
			acpi_madt.lapic_address, base & APIC_BASE_ADDR_MASK);
}

void arch_irq_init(void)
{
	u32 ver;

	map_lapic();
	lapic_setup();
	this_cpu()->apic_id = apic_id();
	irq_eoi = lapic_eoi;
	if (request_vector(APIC_ERROR_VECTOR, apic_error_interrupt, NULL, "apic-error") ||
	    request_vector(LOCAL_TIMER_VECTOR, lapic_timer_interrupt, NULL, "timer"))
		panic("apic: local APIC vectors are taken");
	smp_ipi_init();

	ver = apic_read(APIC_LVR);
	pr_info("apic: boot CPU local APIC id %u, version %#x, %u LVTs, %s\n",
		this_cpu()->apic_id, ver & 0xff, ((ver >> 16) & 0xff) + 1,
		x2apic_mode ? "x2APIC mode" : "xAPIC mode");
	ioapic_init();
}
