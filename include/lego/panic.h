/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_PANIC_H
#define _LEGO_PANIC_H

#include <lego/compiler.h>
#include <lego/types.h>
#include <lego/bug.h>

/*
 * How the kernel ends after a fatal error. In a VM with isa-debug-exit,
 * QEMU exits with status (code << 1) | 1, so PANIC_EXIT_CODE gives 3.
 */
#define PANIC_EXIT_CODE	1

void panic_setup(void);		/* reads panic= from the command line */
bool panic_in_progress(void);
/* Enter panic mode; returns false if another CPU is already panicking. */
bool panic_begin(void);
/* Stop the other CPUs, leave QEMU or halt (or reboot with panic=N). */
__noreturn void panic_end(void);
/* Used by the other CPUs when the panicking one stops them. */
__noreturn void panic_stop_self(void);

/* Provided by the architecture. */
void smp_send_stop(void);
__noreturn void machine_halt(void);
__noreturn void machine_restart(void);
__noreturn void machine_power_off(void);
void arch_vm_exit(int code);

#endif
