/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PROCESSOR_FS_PROCFS_H
#define _PROCESSOR_FS_PROCFS_H

/*
 * What procfs.c (the /proc tree: names, directories, system-wide files)
 * and procfs_pid.c (a process's files) share.
 */
#include <lego/sched.h>
#include <lego/types.h>

#define USER_HZ			100	/* stat's clock ticks, as times(2) counts */

/* What /proc shows of a task, copied under tasklist_lock. */
struct proc_task {
	int pid;			/* the task named: a process, or one of its threads */
	int tgid, ppid, pgrp, session, nr_threads;
	int exit_signal, exit_code, cpu, allowed_cpu;
	char comm[TASK_COMM_LEN];
	char state;
	bool no_new_privs;
	u64 utime_ns, stime_ns, cutime_ns, cstime_ns, start_ns;
	u64 pending, shared_pending, blocked, ignored, caught;
	u64 rlim_rss;
	struct mm_struct *mm;		/* pinned (mmgrab); NULL: the process let go of it */
};

struct proc_entry {
	const char *name;
	u32 mode;
	/* a file's text into buf (size bytes): its length, or -errno */
	ssize_t (*show)(struct proc_task *pt, char *buf, size_t size);
	size_t size;
	/* a symlink's target */
	ssize_t (*link)(struct proc_task *pt, char *buf, size_t size);
};

#define PROC_FILE(n, fn, sz)	{ .name = n, .mode = S_IFREG | 0444, .show = fn, .size = sz }
#define PROC_LINK(n, fn)	{ .name = n, .mode = S_IFLNK | 0777, .link = fn }

/* The files of /proc/PID (procfs_pid.c). */
extern const struct proc_entry proc_pid_files[];
extern const unsigned int nr_proc_pid_files;

/* Copy what /proc shows of task pid (0, or -ENOENT if there is none); put it after. */
int proc_task_get(int pid, struct proc_task *pt);
void proc_task_put(struct proc_task *pt);
bool proc_task_exists(int pid);
u64 ns_to_ticks(u64 ns);
/* The mount table, for /proc/mounts and /proc/PID/mounts. */
ssize_t proc_show_mounts(struct proc_task *pt, char *buf, size_t size);

#endif
