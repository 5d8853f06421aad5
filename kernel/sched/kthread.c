// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel threads: creation, binding to a CPU, and exit. A thread's memory
 * is freed by the next task to run on its CPU, since a thread cannot free
 * the stack it is running on.
 */
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#ifdef CONFIG_COMP_PROCESSOR
#include <lego/process.h>
#endif

struct task_struct *kthread_create(int (*fn)(void *arg), void *arg, const char *name)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack = (void *)__get_free_pages(GFP_KERNEL, THREAD_SIZE_ORDER);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	strlcpy(t->comm, name, sizeof(t->comm));
	t->pid = task_new_pid();
	t->state = TASK_UNINTERRUPTIBLE;	/* until the first wake_up_process */
	t->allowed_cpu = CPU_ANY;
	atomic_set(&t->usage, 1);
	t->fn = fn;
	t->arg = arg;
	INIT_LIST_HEAD(&t->run_list);
	arch_init_thread(t);
	sched_register_task(t);
	return t;
}

struct task_struct *kthread_run(int (*fn)(void *arg), void *arg, const char *name)
{
	struct task_struct *t = kthread_create(fn, arg, name);

	if (t)
		wake_up_process(t);
	return t;
}

/* Only before the thread first runs. */
void kthread_bind(struct task_struct *t, int cpu)
{
	t->allowed_cpu = cpu;
}

void kthread_exit(int code)
{
	struct task_struct *t = current;

	t->exit_code = code;
	set_current_state(TASK_DEAD);
	schedule();
	pr_emerg("kthread_exit: %s ran again after exit\n", t->comm);
	for (;;)
		schedule();
}

/*
 * The task is dead and off every CPU: its stack goes now, the struct when
 * the last reference does (a zombie's parent holds one until it reaps it).
 */
void kthread_free(struct task_struct *t)
{
	free_pages((unsigned long)t->stack, THREAD_SIZE_ORDER);
	t->stack = NULL;
#ifdef CONFIG_COMP_PROCESSOR
	arch_release_thread(t);
#endif
	if (atomic_dec_and_test(&t->usage)) {
#ifdef CONFIG_COMP_PROCESSOR
		free_task_struct(t);
#else
		kfree(t);
#endif
	}
}
