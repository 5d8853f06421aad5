// SPDX-License-Identifier: GPL-2.0
/*
 * x86 parts of threads: the initial stack frame of a new kernel thread and
 * the switch between threads.
 */
#include <lego/sched.h>
#include <asm/desc.h>

struct task_struct *__switch_to_asm(struct task_struct *prev, struct task_struct *next);
extern char ret_from_kthread[];

/* Matches the pops in __switch_to_asm, then its ret. */
struct switch_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret;
};

void arch_init_thread(struct task_struct *t)
{
	unsigned long top = (unsigned long)t->stack + THREAD_SIZE;
	struct switch_frame *f;

	/* after the ret, rsp is the stack top: 16-byte aligned for the calls */
	f = (struct switch_frame *)top - 1;
	f->r15 = f->r14 = f->rbx = f->rbp = 0;
	f->r12 = (unsigned long)t->fn;
	f->r13 = (unsigned long)t->arg;
	f->ret = (unsigned long)ret_from_kthread;
	t->sp = (unsigned long)f;
}

struct task_struct *arch_switch_to(struct task_struct *prev, struct task_struct *next)
{
	if (next->stack)
		cpu_set_kernel_stack((unsigned long)next->stack + THREAD_SIZE);
	return __switch_to_asm(prev, next);
}
