// SPDX-License-Identifier: GPL-2.0
/*
 * Queues of pending signals (struct sigpending) and the default action of
 * each signal: pure bookkeeping with no locking of its own (the caller
 * holds the group's siglock), so that tests/unit/test_signal.c can check
 * it on the host.
 *
 * A classic signal (below SIGRTMIN) is pending at most once: sending it
 * again while it waits changes nothing. Real-time signals queue every
 * instance in arrival order, each with its own siginfo.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/list.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/string.h>
#include "sigqueue.h"

/*
 * Bounds the memory a flood of real-time signals can pin (Linux bounds it
 * with RLIMIT_SIGPENDING): beyond this, rt signals are refused with EAGAIN.
 */
#define SIGQUEUE_MAX	8192
static atomic_t nr_sigqueues = ATOMIC_INIT(0);

enum sig_default sig_default_action(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SIG_DEFAULT_CORE;
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
		return SIG_DEFAULT_IGNORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SIG_DEFAULT_STOP;
	default:
		return SIG_DEFAULT_TERM;
	}
}

void sigpending_init(struct sigpending *p)
{
	p->signal.sig = 0;
	INIT_LIST_HEAD(&p->list);
}

static void sigqueue_free(struct sigqueue *q)
{
	list_del(&q->list);
	kfree(q);
	atomic_dec(&nr_sigqueues);
}

int sigqueue_add(struct sigpending *p, int sig, const struct kernel_siginfo *info)
{
	bool rt = sig >= SIGRTMIN;
	struct sigqueue *q = NULL;

	if (!rt && sigismember(&p->signal, sig))
		return 0;
	if (atomic_add_return(1, &nr_sigqueues) <= SIGQUEUE_MAX)
		q = kmalloc(sizeof(*q), GFP_ATOMIC | __GFP_NOWARN);
	if (!q) {
		atomic_dec(&nr_sigqueues);
		/* a classic signal still arrives, with a siginfo made up at dequeue */
		if (rt)
			return -EAGAIN;
		sigaddset(&p->signal, sig);
		return 1;
	}
	q->info = *info;
	list_add_tail(&q->list, &p->list);
	sigaddset(&p->signal, sig);
	return 1;
}

int sigqueue_next(const struct sigpending *p, u64 mask)
{
	u64 ready = p->signal.sig & mask;

	if (!ready)
		return 0;
	if (ready & SIG_SYNCHRONOUS)
		ready &= SIG_SYNCHRONOUS;
	return __builtin_ctzll(ready) + 1;
}

int sigqueue_take(struct sigpending *p, int sig, struct kernel_siginfo *info)
{
	struct sigqueue *q, *found = NULL;
	bool more = false;

	list_for_each_entry(q, &p->list, list) {
		if (q->info.si_signo != sig)
			continue;
		if (found) {
			more = true;
			break;
		}
		found = q;
	}
	if (found) {
		*info = found->info;
		sigqueue_free(found);
	} else {
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_KERNEL;
	}
	if (!more)
		sigdelset(&p->signal, sig);
	return sig;
}

void sigqueue_flush(struct sigpending *p, u64 mask)
{
	struct sigqueue *q, *n;

	list_for_each_entry_safe(q, n, &p->list, list)
		if (mask & sigmask(q->info.si_signo))
			sigqueue_free(q);
	p->signal.sig &= ~mask;
}
