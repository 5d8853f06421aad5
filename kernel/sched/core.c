// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler: one run queue shared by all CPUs, round robin with a time
 * slice, preemption from the timer tick. A single queue keeps every CPU
 * busy while there is work, which matters more on a 2-core machine than the
 * cache affinity per-CPU queues would buy.
 *
 * The running task is never on the queue. The queue lock is held across a
 * context switch and released by the task switched to, so no other CPU can
 * pick a task whose registers are still being saved.
 */
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/preempt.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/smp.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>
#include <asm/irqflags.h>

#define TIMESLICE_TICKS	2

static DEFINE_SPINLOCK(rq_lock);
static LIST_HEAD(run_queue);
static LIST_HEAD(all_tasks);
static int nr_running;
static atomic_t next_pid = ATOMIC_INIT(1);
static struct task_struct idle_tasks[NR_CPUS];
static int slice_ticks[NR_CPUS];
static u64 nr_switches_total;		/* under rq_lock */

/*
 * Load averages: the number of tasks running or waiting for a CPU,
 * sampled every LOAD_SAMPLE_NS and smoothed over 1, 5 and 15 minutes
 * (weights e^(-5s/1min) and so on, in LOAD_FIXED_1 units). Tasks asleep,
 * even uninterruptibly, do not count: kernel threads here wait that way
 * for good.
 */
#define LOAD_SAMPLE_NS	(5ULL * NSEC_PER_SEC)
static const unsigned long load_weight[3] = { 1884, 2014, 2037 };
static unsigned long avenrun[3];
static u64 next_load_sample_ns = LOAD_SAMPLE_NS;

void preempt_schedule_irq(void);

bool need_resched(void)
{
	struct task_struct *t = current;

	return t && READ_ONCE(t->need_resched);
}

int task_new_pid(void)
{
	return atomic_add_return(1, &next_pid);
}

static bool can_run_here(struct task_struct *t, int cpu)
{
	return t->allowed_cpu == CPU_ANY || t->allowed_cpu == cpu;
}

static struct task_struct *pick_next(int cpu)
{
	struct task_struct *t;

	list_for_each_entry(t, &run_queue, run_list) {
		if (can_run_here(t, cpu)) {
			list_del(&t->run_list);
			t->on_rq = false;
			nr_running--;
			return t;
		}
	}
	return this_cpu()->idle;
}

static void enqueue(struct task_struct *t)
{
	if (t->on_rq)
		return;
	list_add_tail(&t->run_list, &run_queue);
	t->on_rq = true;
	nr_running++;
}

/* Ask an idle CPU that may run t to look at the queue. */
static void kick_cpu_for(struct task_struct *t)
{
	int me = smp_processor_id(), cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *cur = per_cpu(cpu)->current_task;

		if (!cur || !cur->is_idle || !can_run_here(t, cpu))
			continue;
		WRITE_ONCE(cur->need_resched, true);
		if (cpu != me)
			smp_send_reschedule(cpu);
		return;
	}
}

static void account(struct task_struct *prev, struct task_struct *next)
{
	u64 now = ktime_get_ns();

	prev->runtime_ns += now - prev->last_switch_ns;
	next->last_switch_ns = now;
	next->nr_switches++;
	nr_switches_total++;
}

/* Second half of a switch, run by the task switched to (also new threads). */
void schedule_tail(struct task_struct *prev)
{
	prev->on_cpu = false;
	if (prev->state == TASK_DEAD) {
		list_del(&prev->tasks);
		arch_spin_unlock(&rq_lock);
		kthread_free(prev);
		return;
	}
	arch_spin_unlock(&rq_lock);
}

/*
 * preempted: the task did not ask to sleep, it was interrupted, perhaps
 * between announcing a sleep (set_current_state) and checking whether it
 * still needs to. It stays runnable whatever its state says, or a wakeup
 * that came before the check would be lost.
 */
static void __schedule(bool preempted)
{
	struct task_struct *prev = current, *next;
	int cpu = smp_processor_id();

	arch_spin_lock(&rq_lock);
	prev->need_resched = false;
	if (!prev->is_idle && (prev->state == TASK_RUNNING ||
			       (preempted && prev->state != TASK_DEAD)))
		enqueue(prev);
	next = pick_next(cpu);
	slice_ticks[cpu] = 0;
	if (next == prev) {
		arch_spin_unlock(&rq_lock);
		return;
	}
	next->cpu = cpu;
	next->on_cpu = true;
	account(prev, next);
	this_cpu()->current_task = next;
	prev = arch_switch_to(prev, next);
	/* back on our stack: the task we came from left rq_lock held */
	schedule_tail(prev);
}

void schedule(void)
{
	unsigned long flags;

	if (unlikely(preempt_count()))
		panic("scheduling while atomic (preempt count %d) in %s",
		      preempt_count(), current->comm);
	local_irq_save(flags);
	__schedule(false);
	local_irq_restore(flags);
}

/* Preemption at the end of preempt_enable(). */
void preempt_schedule(void)
{
	unsigned long flags;

	if (irqs_disabled())
		return;
	local_irq_save(flags);
	__schedule(true);
	local_irq_restore(flags);
}

/* Preemption on the way out of an interrupt, interrupts still disabled. */
void preempt_schedule_irq(void)
{
	__schedule(true);
}

void yield(void)
{
	schedule();
}

bool wake_up_process(struct task_struct *t)
{
	unsigned long flags;
	bool woken = false;

	local_irq_save(flags);
	arch_spin_lock(&rq_lock);
	if (t->state != TASK_RUNNING && t->state != TASK_DEAD) {
		t->state = TASK_RUNNING;
		/* still on a CPU, or preempted and queued already: it stays */
		if (!t->on_cpu && !t->on_rq) {
			enqueue(t);
			kick_cpu_for(t);
		}
		woken = true;
	}
	arch_spin_unlock(&rq_lock);
	local_irq_restore(flags);
	return woken;
}

void scheduler_ipi(void)
{
	struct task_struct *t = current;

	/* the sender already set need_resched; the interrupt exit acts on it */
	if (t && t->is_idle)
		WRITE_ONCE(t->need_resched, true);
}

/* Running or runnable tasks, the idle tasks aside. Under rq_lock. */
static int nr_active_locked(void)
{
	int cpu, n = nr_running;

	for_each_online_cpu(cpu) {
		struct task_struct *t = per_cpu(cpu)->current_task;

		if (t && !t->is_idle)
			n++;
	}
	return n;
}

/* CPU 0's tick: one sample per period, however many ticks were missed. */
static void sample_load(void)
{
	u64 now = ktime_get_ns();
	unsigned long active;
	int i;

	if (now < next_load_sample_ns)
		return;
	next_load_sample_ns = now + LOAD_SAMPLE_NS;
	arch_spin_lock(&rq_lock);
	active = (unsigned long)nr_active_locked() * LOAD_FIXED_1;
	arch_spin_unlock(&rq_lock);
	for (i = 0; i < 3; i++) {
		unsigned long w = load_weight[i];
		unsigned long v = avenrun[i] * w + active * (LOAD_FIXED_1 - w);

		/* round up while rising, so that a steady load gets all the way there */
		if (active >= avenrun[i])
			v += LOAD_FIXED_1 - 1;
		WRITE_ONCE(avenrun[i], v / LOAD_FIXED_1);
	}
}

void sched_get_loadavg(unsigned long loads[3])
{
	int i;

	for (i = 0; i < 3; i++)
		loads[i] = READ_ONCE(avenrun[i]);
}

int sched_nr_active(void)
{
	unsigned long flags;
	int n;

	local_irq_save(flags);
	arch_spin_lock(&rq_lock);
	n = nr_active_locked();
	arch_spin_unlock(&rq_lock);
	local_irq_restore(flags);
	return n;
}

u64 sched_idle_ns(int cpu)
{
	struct task_struct *idle = per_cpu(cpu)->idle;
	unsigned long flags;
	u64 ns;

	if (!idle)
		return 0;
	local_irq_save(flags);
	arch_spin_lock(&rq_lock);
	ns = idle->runtime_ns;
	if (per_cpu(cpu)->current_task == idle)
		ns += ktime_get_ns() - idle->last_switch_ns;
	arch_spin_unlock(&rq_lock);
	local_irq_restore(flags);
	return ns;
}

int sched_nr_tasks(void)
{
	struct task_struct *t;
	unsigned long flags;
	int n = 0;

	local_irq_save(flags);
	arch_spin_lock(&rq_lock);
	list_for_each_entry(t, &all_tasks, tasks)
		if (!t->is_idle)
			n++;
	arch_spin_unlock(&rq_lock);
	local_irq_restore(flags);
	return n;
}

u64 sched_nr_switches(void)
{
	return READ_ONCE(nr_switches_total);
}

int sched_last_pid(void)
{
	return atomic_read(&next_pid);
}

void timer_tick(void)
{
	int cpu = smp_processor_id();
	struct task_struct *t = current;

	this_cpu()->nr_ticks++;
	if (cpu == 0) {
		/*
		 * From the clock, not by counting: an emulated CPU that is
		 * descheduled on its host misses ticks, and time must not slow.
		 */
		jiffies = ktime_get_ns() / (NSEC_PER_SEC / CONFIG_HZ);
		run_timers();
		sample_load();
	}
	if (!t)
		return;
	if (t->is_idle) {
		if (READ_ONCE(nr_running))
			t->need_resched = true;
		return;
	}
	if (++slice_ticks[cpu] >= TIMESLICE_TICKS && READ_ONCE(nr_running))
		t->need_resched = true;
}

void cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		/* sti;hlt is atomic: a wakeup IPI cannot slip in between */
		safe_halt();
	}
}

/* Make the code running on this CPU its idle task. */
static void init_idle(int cpu)
{
	struct task_struct *t = &idle_tasks[cpu];

	memset(t, 0, sizeof(*t));
	snprintf(t->comm, sizeof(t->comm), "idle/%d", cpu);
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	t->allowed_cpu = cpu;
	t->on_cpu = true;
	t->is_idle = true;
	t->last_switch_ns = ktime_get_ns();
	INIT_LIST_HEAD(&t->run_list);
	list_add_tail(&t->tasks, &all_tasks);
	per_cpu(cpu)->idle = t;
	per_cpu(cpu)->current_task = t;
}

void sched_register_task(struct task_struct *t)
{
	unsigned long flags;

	local_irq_save(flags);
	arch_spin_lock(&rq_lock);
	list_add_tail(&t->tasks, &all_tasks);
	arch_spin_unlock(&rq_lock);
	local_irq_restore(flags);
}

static const char *task_state_name(const struct task_struct *t)
{
	if (t->on_cpu)
		return "running";
	switch (t->state) {
	case TASK_RUNNING:
		return "runnable";
	case TASK_INTERRUPTIBLE:
		return "sleeping";
	case TASK_UNINTERRUPTIBLE:
		return "blocked";
	}
	return "dead";
}

/*
 * Every task with its state and, if it is not running, where it sleeps:
 * for a system that seems stuck (^T on the console, as BSD's status key).
 * Stacks are read without stopping anyone, so a trace may be torn.
 */
void show_tasks(void)
{
	struct task_struct *t;
	unsigned long flags;

	local_irq_save(flags);
	arch_spin_lock(&rq_lock);
	list_for_each_entry(t, &all_tasks, tasks) {
		if (t->is_idle)
			continue;
		pr_emerg("task %d %s: %s on cpu %d, %llu switches\n", t->pid, t->comm,
			 task_state_name(t), t->cpu, (unsigned long long)t->nr_switches);
		if (!t->on_cpu)
			arch_show_task_stack(t);
	}
	arch_spin_unlock(&rq_lock);
	local_irq_restore(flags);
}

void sched_init(void)
{
	init_idle(0);
	per_cpu(0)->online = true;
	pr_info("sched: round robin, %d ms slices, HZ=%d\n",
		TIMESLICE_TICKS * 1000 / CONFIG_HZ, CONFIG_HZ);
}

void secondary_cpu_ready(int cpu)
{
	arch_spin_lock(&rq_lock);
	init_idle(cpu);
	arch_spin_unlock(&rq_lock);
	smp_wmb();
	per_cpu(cpu)->online = true;
	local_irq_enable();
	cpu_idle();
}
