/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KERNEL_SIGQUEUE_H
#define _KERNEL_SIGQUEUE_H

/*
 * Private to the signal code (kernel/sig*.c): pending-queue bookkeeping
 * (sigqueue.c) and the helpers the system calls share with the core
 * (signal.c). Every function here expects the group's siglock held
 * unless it says otherwise.
 */
#include <lego/signal.h>
#include <lego/wait.h>

void sigpending_init(struct sigpending *p);
/* Queue sig with a copy of *info: 1 queued, 0 already pending (classic), -EAGAIN. */
int sigqueue_add(struct sigpending *p, int sig, const struct kernel_siginfo *info);
/* The signal to take next among mask: a fault first, then the lowest; 0 if none. */
int sigqueue_next(const struct sigpending *p, u64 mask);
/* Remove the oldest instance of sig, filling *info (made up if none was stored). */
int sigqueue_take(struct sigpending *p, int sig, struct kernel_siginfo *info);
/* Drop every pending signal in mask. */
void sigqueue_flush(struct sigpending *p, u64 mask);

/* rt_sigtimedwait sleeps here; every generated signal wakes it (no siglock needed). */
extern struct wait_queue_head sigwait_queue;

/* Take the next signal of current among mask, private queue first; 0 if none. */
int dequeue_signal(u64 mask, struct kernel_siginfo *info);
void recalc_sigpending_locked(struct task_struct *t);
/* Would sig be thrown away on arrival at t (ignored and not blocked)? */
bool sig_ignored(struct task_struct *t, int sig);
/* Drop sig from the process-wide queue and from every thread's. */
void flush_signal_everywhere(struct signal_struct *s, int sig);
/* siginfo for a signal sent by current (SI_USER, SI_TKILL, ...). */
void fill_sender_info(struct kernel_siginfo *info, int sig, int code);
/* send_signal with tasklist_lock held and t's existence checked (sig 0: probe). */
int send_group_locked(int sig, struct kernel_siginfo *info, struct task_struct *p);
int kill_pgrp_info(int pgrp, int sig, struct kernel_siginfo *info);

#endif
