/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_SMP_H
#define _LEGO_SMP_H

#include <lego/types.h>
#include <asm/percpu.h>

#define NR_CPUS	CONFIG_NR_CPUS

int num_online_cpus(void);
static inline bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < NR_CPUS && per_cpu(cpu)->online;
}

#define for_each_online_cpu(cpu)				\
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)		\
		if (cpu_online(cpu))

/* Bring up every CPU the firmware lists; prints "smp: N CPUs online". */
void smp_init(void);
/* Make cpu run the scheduler soon (it may be idle in hlt). */
void smp_send_reschedule(int cpu);
/*
 * Run fn(arg) on every other online CPU, in interrupt context; with wait,
 * return only when all have finished. Must be called with interrupts on.
 */
int smp_call_function(void (*fn)(void *arg), void *arg, bool wait);

/* Called by the architecture on each secondary CPU once it can take interrupts. */
__noreturn void secondary_cpu_ready(int cpu);

#endif
