/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_CPUTIME_H
#define _LEGO_CPUTIME_H

/*
 * CPU time of user tasks, for clock_gettime, times and getrusage
 * (kernel/time_syscalls.c) and /proc. The scheduler measures how long a
 * task ran (runtime_ns), not where: stime_ns is taken as the kernel's
 * part of that total, and while nothing accounts it, all of it counts as
 * user time.
 */
#include <lego/sched.h>

struct cputime {
	u64 utime_ns;
	u64 stime_ns;
};

/* Thread t; for current, including the slice it is running now. */
void thread_cputime(struct task_struct *t, struct cputime *ct);
/* Every thread of t's process, those that exited included. Takes siglock. */
void process_cputime(struct task_struct *t, struct cputime *ct);
/* The reaped children of current's process. Takes siglock. */
void children_cputime(struct cputime *ct);

#endif
