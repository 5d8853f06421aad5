// SPDX-License-Identifier: GPL-2.0
/*
 * Inter-processor interrupts between running CPUs: reschedule, running a
 * function on the other CPUs, and stopping them after a panic.
 */
#include <lego/kernel.h>
#include <lego/atomic.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/spinlock.h>
#include <lego/time.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/smp.h>

/* A caller waiting this long for another CPU says so (once), then waits on. */
#define CALL_WARN_NS	(2 * NSEC_PER_SEC)

struct call_data {
	void (*fn)(void *arg);
	void *arg;
	bool wait;
	atomic_t started;	/* targets that have read fn and arg */
	atomic_t finished;	/* targets that have returned from fn (wait only) */
};

/*
 * One call at a time: call_data points into the caller's stack frame,
 * and call_pending[cpu] tells cpu that it has not yet picked it up.
 */
static DEFINE_SPINLOCK(call_lock);
static struct call_data *call_data;
static bool call_pending[NR_CPUS];

int num_online_cpus(void)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu)
		n++;
	return n;
}

void smp_send_reschedule(int cpu)
{
	if (cpu_online(cpu))
		apic_send_ipi(per_cpu(cpu)->apic_id, RESCHEDULE_VECTOR);
}

/* Run the pending call for this CPU, if any; from the IPI or by polling. */
static void handle_call(void)
{
	int me = smp_processor_id();
	struct call_data *d;
	void (*fn)(void *arg);
	void *arg;
	bool wait;

	if (!__atomic_exchange_n(&call_pending[me], false, __ATOMIC_ACQ_REL))
		return;
	d = READ_ONCE(call_data);
	fn = d->fn;
	arg = d->arg;
	wait = d->wait;
	/* without wait, d may be gone as soon as the caller sees this */
	atomic_inc(&d->started);
	fn(arg);
	if (wait)
		atomic_inc(&d->finished);
}

static void wait_for_count(atomic_t *count, int n, const char *what)
{
	u64 warn_at = ktime_get_ns() + CALL_WARN_NS;
	bool warned = false;

	while (atomic_read(count) < n) {
		if (!warned && ktime_get_ns() > warn_at) {
			pr_warn("smp: call function: %d of %d CPUs have not %s after 2 s\n",
				n - atomic_read(count), n, what);
			warned = true;
		}
		cpu_relax();
	}
}

/*
 * Run fn(arg) on every other online CPU, in interrupt context there.
 * fn must be short, must not sleep, and must not call this function.
 *
 * Callers should have interrupts enabled. With them disabled it still
 * works (a CPU waiting for call_lock with interrupts off serves requests
 * addressed to it while it spins), but the caller then must not hold any
 * lock that a target CPU might be spinning on with interrupts off.
 */
int smp_call_function(void (*fn)(void *arg), void *arg, bool wait)
{
	struct call_data d = { .fn = fn, .arg = arg, .wait = wait };
	int me, cpu, n = 0;

	preempt_disable();
	while (!spin_trylock(&call_lock)) {
		/* the holder may be waiting for us */
		handle_call();
		cpu_relax();
	}
	me = smp_processor_id();
	WRITE_ONCE(call_data, &d);
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		__atomic_store_n(&call_pending[cpu], true, __ATOMIC_RELEASE);
		apic_send_ipi(per_cpu(cpu)->apic_id, CALL_FUNCTION_VECTOR);
		n++;
	}
	wait_for_count(&d.started, n, "started");
	if (wait)
		wait_for_count(&d.finished, n, "finished");
	spin_unlock(&call_lock);
	preempt_enable();
	return 0;
}

/*
 * NMIs reach CPUs with interrupts disabled too; the NMI handler parks a
 * CPU when a panic is in progress. CPUs still starting count as well.
 */
void smp_send_stop(void)
{
	int me = smp_processor_id();

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu != me && smp_cpu_started(cpu))
			apic_send_nmi(per_cpu(cpu)->apic_id);
}

static void reschedule_interrupt(struct pt_regs *regs, void *data)
{
	scheduler_ipi();
}

static void call_function_interrupt(struct pt_regs *regs, void *data)
{
	handle_call();
}

void smp_ipi_init(void)
{
	if (request_vector(RESCHEDULE_VECTOR, reschedule_interrupt, NULL, "resched") ||
	    request_vector(CALL_FUNCTION_VECTOR, call_function_interrupt, NULL, "callfn"))
		panic("smp: IPI vectors are taken");
}
