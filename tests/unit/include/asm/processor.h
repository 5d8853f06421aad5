/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNIT_ASM_PROCESSOR_H
#define _UNIT_ASM_PROCESSOR_H

/*
 * Host shim wrapping arch/x86/include/asm/processor.h: everything comes
 * from the real header except cpu_relax(), which yields the CPU. Test
 * threads outnumber host CPUs, and a ticket lock whose next owner has
 * been descheduled otherwise spins away whole time slices (a 4-thread
 * stress test went from about 1 s to over a minute).
 */
#include <sched.h>

#define cpu_relax __unit_real_cpu_relax
#include_next <asm/processor.h>
#undef cpu_relax

static inline void cpu_relax(void)
{
	sched_yield();
}

#endif
