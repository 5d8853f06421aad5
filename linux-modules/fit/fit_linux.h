/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _FIT_LINUX_H
#define _FIT_LINUX_H

/* Private to lego_fit.ko: the state shared by main.c and proc.c. */
#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/wait.h>

#include "fit_core.h"
#include "lego_fit.h"

struct socket;
struct task_struct;

struct lego_fit {
	struct fit_core *core;
	struct socket *sock;
	void *rxbuf;
	struct task_struct *rx_thread;
	struct task_struct *svc_thread;
	struct task_struct *join_thread;
	struct task_struct **workers;
	int nworkers;
	atomic_t kicked;		/* the service thread must run */
	atomic_t pending;		/* work announced, not taken yet */
	wait_queue_head_t work_wq;
	struct mutex test_mutex;	/* one /proc/lego_fit/test at a time */
};

extern struct lego_fit lego_fit;

int lego_fit_proc_init(void);
void lego_fit_proc_exit(void);

#endif
