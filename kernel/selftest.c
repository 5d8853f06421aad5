// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time self-tests, chosen with selftest=a,b,c on the command line:
 *   timer     the clock and the tick advance together
 *   sched     threads run on every CPU, a mutex keeps a shared counter exact,
 *             timed waits time out
 *   pci       interrupts from e1000/e1000e NICs arrive by MSI-X, MSI and
 *             INTx (shared lines too); ECAM agrees with port access
 *   net       UDP echoes to selftest.peer=ADDR
 *   fit       FIT echo calls to each node of selftest.fit_node=N[,M..] but
 *             ourselves: 0 B to 2 MB compared byte for byte, then
 *             selftest.fit_calls (10000) small calls from 4 threads; with
 *             selftest.fit_dead=ID@ADDR, a call to that (absent) node must
 *             time out
 *   fault     a NULL dereference in the kernel (the dump and VM exit path)
 *   fault_ud, fault_de, panic   other deliberate ends
 * Each prints "selftest: ... ok ..." or "selftest: ... FAILED ...", then
 * "selftest: done".
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/completion.h>
#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/inet.h>
#include <lego/init.h>
#include <lego/mutex.h>
#include <lego/panic.h>
#include <lego/pci.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/smp.h>
#include <lego/time.h>
#include <uapi/lego/fit.h>

#define SCHED_ITERATIONS	2000

static void count_ticks(u64 *ticks)
{
	int cpu;

	for_each_online_cpu(cpu)
		ticks[cpu] = READ_ONCE(per_cpu(cpu)->nr_ticks);
}

/*
 * The clock advances by what a sleep asked for, jiffies with it, and every
 * CPU's timer interrupts. Emulated CPUs lose ticks when their host is busy,
 * so only their presence is required, not their number.
 */
static void selftest_timer(void)
{
	static u64 before[NR_CPUS], after[NR_CPUS];
	u64 t0 = ktime_get_ns(), j0 = jiffies, dt, ticks;
	int cpu, bad = -1;

	count_ticks(before);
	msleep(200);
	count_ticks(after);
	dt = ktime_get_ns() - t0;
	ticks = jiffies - j0;
	for_each_online_cpu(cpu) {
		pr_info("selftest: timer cpu %d took %llu ticks\n", cpu, after[cpu] - before[cpu]);
		if (after[cpu] == before[cpu])
			bad = cpu;
	}
	if (bad >= 0)
		pr_err("selftest: timer FAILED: no timer interrupt on cpu %d in %llu ns\n", bad, dt);
	else if (dt < 200 * NSEC_PER_MSEC || dt > 5 * NSEC_PER_SEC || !ticks ||
		 ticks > dt * CONFIG_HZ / NSEC_PER_SEC + 2)
		pr_err("selftest: timer FAILED: %llu ns elapsed over %llu ticks\n", dt, ticks);
	else
		pr_info("selftest: timer ok: %llu ns elapsed over %llu ticks\n", dt, ticks);
}

struct sched_test {
	struct mutex lock;
	struct completion done;
	unsigned long counter;
	int cpu_seen[2 * NR_CPUS];
};

static struct sched_test st;

static int sched_worker(void *arg)
{
	int id = (int)(unsigned long)arg;

	st.cpu_seen[id] = smp_processor_id();
	for (int i = 0; i < SCHED_ITERATIONS; i++) {
		mutex_lock(&st.lock);
		/* a non-atomic update: only the mutex keeps it exact */
		unsigned long v = READ_ONCE(st.counter);

		if (!(i % 256))
			yield();
		WRITE_ONCE(st.counter, v + 1);
		mutex_unlock(&st.lock);
	}
	complete(&st.done);
	return 0;
}

static void selftest_sched(void)
{
	int ncpu = num_online_cpus(), nthreads = 2 * ncpu, cpu, finished = 0;
	struct completion never;
	u64 t0, waited;

	mutex_init(&st.lock);
	init_completion(&st.done);
	st.counter = 0;
	for (int i = 0; i < nthreads; i++) {
		struct task_struct *t = kthread_create(sched_worker, (void *)(unsigned long)i,
						       "selftest");

		if (!t) {
			pr_err("selftest: sched FAILED: cannot create thread %d\n", i);
			return;
		}
		/* the first ncpu threads are pinned, one per CPU; the rest float */
		if (i < ncpu) {
			cpu = 0;
			for (int n = 0; n < i; n++)
				do { cpu++; } while (!cpu_online(cpu));
			kthread_bind(t, cpu);
		}
		wake_up_process(t);
	}
	for (int i = 0; i < nthreads; i++)
		if (wait_for_completion_timeout(&st.done, 30 * NSEC_PER_SEC))
			finished++;
	for (int i = 0; i < nthreads; i++)
		pr_info("selftest: thread %d ran on cpu %d\n", i, st.cpu_seen[i]);
	if (finished != nthreads || st.counter != (unsigned long)nthreads * SCHED_ITERATIONS) {
		pr_err("selftest: sched FAILED: %d of %d threads finished, counter %lu\n",
		       finished, nthreads, st.counter);
		return;
	}

	init_completion(&never);
	t0 = ktime_get_ns();
	waited = wait_for_completion_timeout(&never, 50 * NSEC_PER_MSEC);
	t0 = ktime_get_ns() - t0;
	if (waited || t0 < 50 * NSEC_PER_MSEC) {
		pr_err("selftest: sched FAILED: timed wait returned %llu after %llu ns\n",
		       waited, t0);
		return;
	}
	pr_info("selftest: sched ok: %d threads, mutex counter %lu, timed wait %llu ms\n",
		nthreads, st.counter, t0 / NSEC_PER_MSEC);
}

static int fit_down_node_times_out(int node)
{
	const u64 timeout = 500 * NSEC_PER_MSEC;
	u64 t0 = ktime_get_ns(), took;
	char buf[8];
	long ret = fit_call(node, FIT_OP_ECHO, "ping", 4, buf, sizeof(buf), timeout);

	took = ktime_get_ns() - t0;
	if (ret != -ETIMEDOUT || took < timeout || took > timeout + 2 * NSEC_PER_SEC) {
		pr_err("selftest: fit FAILED: call to down node %d returned %ld after %llu ms\n",
		       node, ret, took / NSEC_PER_MSEC);
		return -EIO;
	}
	pr_info("selftest: fit call to down node %d: -ETIMEDOUT after %llu ms\n", node,
		took / NSEC_PER_MSEC);
	return 0;
}

static int fit_echo_all_sizes(int node, unsigned long calls)
{
	static const struct { size_t len; int calls; } sizes[] = {
		{ 0, 20 }, { 1, 20 }, { 4096, 20 }, { 65536, 5 }, { 2 << 20, 2 },
	};
	int err = 0;

	if (fit_wait_peer(node, 60 * NSEC_PER_SEC)) {
		pr_err("selftest: fit FAILED: node %d does not answer\n", node);
		return -ETIMEDOUT;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes) && !err; i++)
		err = fit_echo_test(node, sizes[i].len, 1, sizes[i].calls);
	if (!err && calls)
		err = fit_echo_test(node, 64, 4, calls);
	return err;
}

/* selftest.fit_dead=ID@ADDR: a peer that is configured but not running. */
static int fit_dead_peer(const char *spec)
{
	char *at;
	unsigned long node = simple_strtoull(spec, &at, 10);
	u32 ip;

	if (*at != '@' || inet_parse_addr(at + 1, &ip, NULL) || fit_add_peer(node, ip, FIT_UDP_PORT)) {
		pr_err("selftest: fit FAILED: bad selftest.fit_dead=%s (want ID@ADDR)\n", spec);
		return -EINVAL;
	}
	return fit_down_node_times_out(node);
}

/*
 * selftest.fit_node=N[,M...]: echo tests against each node but ourselves
 * (a cluster can give every node the same command line).
 */
static void selftest_fit(void)
{
	const char *nodes = cmdline_get("selftest.fit_node"), *dead = cmdline_get("selftest.fit_dead");
	unsigned long calls = 10000;
	int err = 0, tested = 0;

	if (!nodes || !*nodes) {
		pr_err("selftest: fit FAILED: needs selftest.fit_node=N[,M...]\n");
		return;
	}
	cmdline_get_ulong("selftest.fit_calls", &calls);
	while (*nodes && !err) {
		char *end;
		int node = simple_strtoull(nodes, &end, 10);

		if (end == nodes) {
			pr_err("selftest: fit FAILED: bad selftest.fit_node list\n");
			return;
		}
		if (node != fit_node_id()) {
			err = fit_echo_all_sizes(node, calls);
			tested++;
		}
		nodes = *end == ',' ? end + 1 : end;
	}
	if (!err && dead)
		err = fit_dead_peer(dead);
	if (err)
		pr_err("selftest: fit FAILED (error %d)\n", err);
	else
		pr_info("selftest: fit ok: %d peers\n", tested);
	fit_print_stats();
}

static void selftest_faults(void)
{
	if (cmdline_list_has("selftest", "fault")) {
		unsigned long addr = 0x10;

		pr_info("selftest: dereferencing NULL on purpose\n");
		__asm__ __volatile__("" : "+r"(addr));	/* hide the constant from the compiler */
		(void)*(volatile unsigned long *)addr;
	}
	if (cmdline_list_has("selftest", "fault_ud")) {
		pr_info("selftest: executing ud2 on purpose\n");
		__asm__ __volatile__("ud2");
	}
	if (cmdline_list_has("selftest", "fault_de")) {
		volatile int zero = 0;

		pr_info("selftest: dividing by zero on purpose\n");
		(void)(1 / zero);
	}
	if (cmdline_list_has("selftest", "panic"))
		panic("selftest: panic requested on the command line");
}

void run_selftests(void)
{
	if (cmdline_list_has("bench", "fit"))
		fit_bench();
	if (!IS_ENABLED(CONFIG_SELFTEST) || !cmdline_has("selftest"))
		return;
	if (cmdline_list_has("selftest", "timer"))
		selftest_timer();
	if (cmdline_list_has("selftest", "sched"))
		selftest_sched();
	if (cmdline_list_has("selftest", "pci"))
		pci_selftest();
	if (cmdline_list_has("selftest", "net"))
		inet_selftest();
	if (cmdline_list_has("selftest", "fit"))
		selftest_fit();
	selftest_faults();
	pr_info("selftest: done\n");
}
