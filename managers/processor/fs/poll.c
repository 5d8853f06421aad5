// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for several files at once: poll, ppoll, select and pselect6.
 * One loop serves them all: mark the task TASK_INTERRUPTIBLE, ask every
 * file's f_op->poll (which, on the first pass, also queues the task on
 * the file's wait queues), and sleep until a wake-up, a signal or the
 * timeout. Setting the state before looking means a wake-up that comes
 * after a file said "not ready" makes the sleep return at once.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <lego/uaccess.h>
#include "internal.h"

/* How often files that could not give a wait queue are looked at again. */
#define POLL_RECHECK_NS		(10 * NSEC_PER_MSEC)
/* Regular files never block. */
#define DEFAULT_POLLMASK	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
/* Wait queues one file may register (a pipe end uses one, the console one). */
#define POLL_QUEUES_PER_FILE	2
#define POLL_FOREVER		((u64)-1)

struct poll_entry {
	struct wait_queue_head *wq;
	struct wait_queue_entry w;
};

struct poll_table {
	struct poll_entry *entries;
	unsigned int nr, max;
	bool recheck;		/* some file has no queue that will wake us */
};

struct timespec_abi {
	long tv_sec;
	long tv_nsec;
};

struct timeval_abi {
	long tv_sec;
	long tv_usec;
};

void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table *pt)
{
	struct poll_entry *e;
	unsigned long flags;

	if (!pt)
		return;
	if (!wq || pt->nr == pt->max) {
		pt->recheck = true;
		return;
	}
	e = &pt->entries[pt->nr++];
	e->wq = wq;
	e->w.task = current;
	INIT_LIST_HEAD(&e->w.entry);
	/*
	 * Not prepare_to_wait(): it would set TASK_INTERRUPTIBLE again and
	 * so forget a wake-up from a file polled earlier in this pass.
	 */
	spin_lock_irqsave(&wq->lock, flags);
	list_add_tail(&e->w.entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static void poll_unregister(struct poll_table *pt)
{
	unsigned int i;

	for (i = 0; i < pt->nr; i++)
		finish_wait(pt->entries[i].wq, &pt->entries[i].w);
}

/*
 * One look at every fd: revents filled, the number of fds with events
 * returned. always: events reported even if not asked for (poll: POLLERR
 * and POLLHUP; select asks for exactly what it maps).
 */
static int poll_once(struct pollfd_abi *fds, struct file **files, unsigned int nfds,
		     unsigned int always, struct poll_table *pt)
{
	unsigned int i, mask;
	int count = 0;

	for (i = 0; i < nfds; i++) {
		struct file *f = files[i];

		if (fds[i].fd < 0) {
			fds[i].revents = 0;
			continue;
		}
		if (!f) {
			mask = POLLNVAL;
		} else {
			mask = f->f_op->poll ? f->f_op->poll(f, pt) : DEFAULT_POLLMASK;
			mask &= (u16)fds[i].events | always;
		}
		fds[i].revents = mask;
		if (mask)
			count++;
	}
	return count;
}

/*
 * The common wait. *timeout_ns: NULL to wait forever, else the time
 * allowed, updated to the time left. The number of ready fds, 0 on
 * timeout, -ERESTARTNOHAND on a signal, -ENOMEM.
 */
static int do_poll(struct pollfd_abi *fds, unsigned int nfds, unsigned int always, u64 *timeout_ns)
{
	u64 end = 0, left = POLL_FOREVER, now;
	struct poll_table pt = { 0 };
	struct file **files;
	bool first = true;
	unsigned int i;
	int count;

	files = kcalloc(nfds ? nfds : 1, sizeof(*files), GFP_KERNEL);
	pt.max = (nfds ? nfds : 1) * POLL_QUEUES_PER_FILE;
	pt.entries = kcalloc(pt.max, sizeof(*pt.entries), GFP_KERNEL);
	if (!files || !pt.entries) {
		count = -ENOMEM;
		goto out;
	}
	/* pinned for the whole wait: a release may sleep, which must not happen mid-pass */
	for (i = 0; i < nfds; i++)
		files[i] = fds[i].fd >= 0 ? fget(fds[i].fd) : NULL;
	if (timeout_ns)
		end = ktime_get_ns() + *timeout_ns;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		count = poll_once(fds, files, nfds, always, first ? &pt : NULL);
		first = false;
		if (count)
			break;
		if (signal_pending(current)) {
			count = -ERESTARTNOHAND;
			break;
		}
		if (timeout_ns) {
			now = ktime_get_ns();
			if (now >= end)
				break;
			left = end - now;
		}
		if (pt.recheck)
			left = min(left, (u64)POLL_RECHECK_NS);
		if (left == POLL_FOREVER)
			schedule();
		else
			schedule_timeout(left);
	}
	set_current_state(TASK_RUNNING);
	poll_unregister(&pt);
	for (i = 0; i < nfds; i++)
		if (files[i])
			fput(files[i]);
	if (timeout_ns) {
		now = ktime_get_ns();
		*timeout_ns = now >= end ? 0 : end - now;
	}
out:
	kfree(pt.entries);
	kfree(files);
	return count;
}

/* ---------------------------------------------------------- signal masks */

static u64 sig_bit(int sig)
{
	return 1ULL << (sig - 1);
}

/* ppoll/pselect6: block *umask while waiting. 1 if a mask was set, 0 if none, or an errno. */
static int set_user_sigmask(const sigset_t __user *umask, size_t size)
{
	struct task_struct *t = current;
	unsigned long flags;
	sigset_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask.sig &= ~(sig_bit(SIGKILL) | sig_bit(SIGSTOP));
	spin_lock_irqsave(&t->sighand->siglock, flags);
	t->saved_sigmask = t->blocked;
	t->blocked = mask;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	recalc_sigpending();
	return 1;
}

/*
 * Interrupted: the signal is delivered with the temporary mask and the
 * signal code puts the old one back (restore_sigmask). Otherwise now.
 */
static void restore_user_sigmask(int was_set, long ret)
{
	struct task_struct *t = current;
	unsigned long flags;

	if (was_set <= 0)
		return;
	if (ret == -ERESTARTNOHAND) {
		t->restore_sigmask = true;
		return;
	}
	spin_lock_irqsave(&t->sighand->siglock, flags);
	t->blocked = t->saved_sigmask;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	recalc_sigpending();
}

/* ---------------------------------------------------------- timeouts */

static int get_timespec(const struct timespec_abi __user *uts, u64 *ns)
{
	struct timespec_abi ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec >= POLL_FOREVER / NSEC_PER_SEC / 2)
		*ns = POLL_FOREVER / 2;	/* centuries: as good as forever */
	else
		*ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

/* The time left goes back to the caller, as Linux does; a failure to write it is ignored. */
static void put_timespec(struct timespec_abi __user *uts, u64 ns)
{
	struct timespec_abi ts = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	copy_to_user(uts, &ts, sizeof(ts));
}

static int get_timeval(const struct timeval_abi __user *utv, u64 *ns)
{
	struct timeval_abi tv;

	if (copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EINVAL;
	if ((u64)tv.tv_sec >= POLL_FOREVER / NSEC_PER_SEC / 2)
		*ns = POLL_FOREVER / 2;
	else
		*ns = tv.tv_sec * NSEC_PER_SEC + tv.tv_usec * NSEC_PER_USEC;
	return 0;
}

static void put_timeval(struct timeval_abi __user *utv, u64 ns)
{
	struct timeval_abi tv = { ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / NSEC_PER_USEC };

	copy_to_user(utv, &tv, sizeof(tv));
}

/* ---------------------------------------------------------- poll, ppoll */

static long poll_user(struct pollfd_abi __user *ufds, unsigned int nfds, u64 *timeout_ns)
{
	struct pollfd_abi *fds;
	long ret;

	if (nfds > NR_OPEN_MAX)
		return -EINVAL;
	fds = kmalloc_array(nfds ? nfds : 1, sizeof(*fds), GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
		ret = -EFAULT;
		goto out;
	}
	ret = do_poll(fds, nfds, POLLERR | POLLHUP | POLLNVAL, timeout_ns);
	if (ret >= 0 && copy_to_user(ufds, fds, nfds * sizeof(*fds)))
		ret = -EFAULT;
out:
	kfree(fds);
	return ret;
}

SYSCALL_DEFINE(poll, struct pollfd_abi __user *ufds, unsigned int nfds, int timeout_ms)
{
	u64 ns = (u64)timeout_ms * NSEC_PER_MSEC;

	return poll_user(ufds, nfds, timeout_ms < 0 ? NULL : &ns);
}

SYSCALL_DEFINE(ppoll, struct pollfd_abi __user *ufds, unsigned int nfds,
	       struct timespec_abi __user *tsp, const sigset_t __user *sigmask, size_t sigsetsize)
{
	u64 ns;
	long ret;
	int set;

	if (tsp) {
		ret = get_timespec(tsp, &ns);
		if (ret)
			return ret;
	}
	set = set_user_sigmask(sigmask, sigsetsize);
	if (set < 0)
		return set;
	ret = poll_user(ufds, nfds, tsp ? &ns : NULL);
	restore_user_sigmask(set, ret);
	if (tsp)
		put_timespec(tsp, ns);
	return ret;
}

/* ---------------------------------------------------------- select, pselect6 */

#define SELECT_IN	(POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define SELECT_OUT	(POLLOUT | POLLWRNORM | POLLERR)
#define SELECT_EX	POLLPRI

struct fd_sets {
	u64 in[NR_OPEN_MAX / 64], out[NR_OPEN_MAX / 64], ex[NR_OPEN_MAX / 64];
};

static bool fdset_test(const u64 *set, int fd)
{
	return set[fd / 64] & (1ULL << (fd % 64));
}

static void fdset_set(u64 *set, int fd)
{
	set[fd / 64] |= 1ULL << (fd % 64);
}

static int get_fdset(u64 *set, const u64 __user *uset, size_t bytes)
{
	memset(set, 0, NR_OPEN_MAX / 8);
	return uset && copy_from_user(set, uset, bytes) ? -EFAULT : 0;
}

static int put_fdset(u64 __user *uset, const u64 *set, size_t bytes)
{
	return uset && copy_to_user(uset, set, bytes) ? -EFAULT : 0;
}

/* The fd sets as a pollfd list (fds[] has room for n entries): how many, or -EBADF. */
static int fdsets_to_pollfds(const struct fd_sets *s, int n, struct pollfd_abi *fds)
{
	unsigned int nr = 0;
	struct file *f;
	int fd;

	for (fd = 0; fd < n; fd++) {
		short events = 0;

		if (fdset_test(s->in, fd))
			events |= SELECT_IN;
		if (fdset_test(s->out, fd))
			events |= SELECT_OUT;
		if (fdset_test(s->ex, fd))
			events |= SELECT_EX;
		if (!events)
			continue;
		f = fget(fd);
		if (!f)
			return -EBADF;
		fput(f);
		fds[nr].fd = fd;
		fds[nr].events = events;
		fds[nr].revents = 0;
		nr++;
	}
	return nr;
}

/* Results back into the sets: the number of bits set. */
static int pollfds_to_fdsets(const struct pollfd_abi *fds, int nr, struct fd_sets *s)
{
	int i, count = 0;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nr; i++) {
		u16 ev = fds[i].events, rev = fds[i].revents;

		if ((ev & POLLIN) && (rev & SELECT_IN)) {
			fdset_set(s->in, fds[i].fd);
			count++;
		}
		if ((ev & POLLOUT) && (rev & SELECT_OUT)) {
			fdset_set(s->out, fds[i].fd);
			count++;
		}
		if ((ev & POLLPRI) && (rev & SELECT_EX)) {
			fdset_set(s->ex, fds[i].fd);
			count++;
		}
	}
	return count;
}

static long do_select(int n, u64 __user *inp, u64 __user *outp, u64 __user *exp, u64 *timeout_ns)
{
	struct pollfd_abi *fds = NULL;
	struct fd_sets *s;
	size_t bytes;
	long ret;
	int nr;

	if (n < 0)
		return -EINVAL;
	n = min(n, NR_OPEN_MAX);
	bytes = DIV_ROUND_UP(n, 64) * sizeof(u64);
	s = kmalloc(sizeof(*s), GFP_KERNEL);
	fds = kmalloc_array(n ? n : 1, sizeof(*fds), GFP_KERNEL);
	if (!s || !fds) {
		ret = -ENOMEM;
		goto out;
	}
	if (get_fdset(s->in, inp, bytes) || get_fdset(s->out, outp, bytes) ||
	    get_fdset(s->ex, exp, bytes)) {
		ret = -EFAULT;
		goto out;
	}
	nr = fdsets_to_pollfds(s, n, fds);
	if (nr < 0) {
		ret = nr;
		goto out;
	}
	ret = do_poll(fds, nr, 0, timeout_ns);
	if (ret < 0)
		goto out;
	ret = pollfds_to_fdsets(fds, nr, s);
	if (put_fdset(inp, s->in, bytes) || put_fdset(outp, s->out, bytes) ||
	    put_fdset(exp, s->ex, bytes))
		ret = -EFAULT;
out:
	kfree(fds);
	kfree(s);
	return ret;
}

SYSCALL_DEFINE(select, int n, u64 __user *inp, u64 __user *outp, u64 __user *exp,
	       struct timeval_abi __user *tvp)
{
	u64 ns;
	long ret;

	if (tvp) {
		ret = get_timeval(tvp, &ns);
		if (ret)
			return ret;
	}
	ret = do_select(n, inp, outp, exp, tvp ? &ns : NULL);
	if (tvp)
		put_timeval(tvp, ns);
	return ret;
}

/* pselect6's sixth argument: the mask and its size, by reference. */
struct sigset_argpack {
	const sigset_t __user *ss;
	size_t ss_len;
};

SYSCALL_DEFINE(pselect6, int n, u64 __user *inp, u64 __user *outp, u64 __user *exp,
	       struct timespec_abi __user *tsp, const struct sigset_argpack __user *sig)
{
	struct sigset_argpack pack = { NULL, 0 };
	u64 ns;
	long ret;
	int set;

	if (tsp) {
		ret = get_timespec(tsp, &ns);
		if (ret)
			return ret;
	}
	if (sig && copy_from_user(&pack, sig, sizeof(pack)))
		return -EFAULT;
	set = set_user_sigmask(pack.ss, pack.ss_len);
	if (set < 0)
		return set;
	ret = do_select(n, inp, outp, exp, tsp ? &ns : NULL);
	restore_user_sigmask(set, ret);
	if (tsp)
		put_timespec(tsp, ns);
	return ret;
}
