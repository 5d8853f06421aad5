// SPDX-License-Identifier: GPL-2.0
/*
 * Time for user processes: the wall clock (the RTC, read at first use,
 * plus the monotonic clock since; clock_settime moves it), sleeping, the
 * clocks of clock_gettime, CPU times, and the real-time interval timer
 * behind alarm and setitimer.
 */
#include <lego/atomic.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <lego/timekeeping.h>
#include <lego/timer.h>
#include <lego/uaccess.h>
#include <uapi/lego/time.h>
#include <asm/irqflags.h>
#include "cputime.h"

#define USER_HZ		100		/* the clock_t of times() */
#define NSEC_PER_TICK	(NSEC_PER_SEC / USER_HZ)
#define USEC_PER_SEC	1000000
/* A wall time must fit a signed 64-bit count of ns (as in Linux: up to 2262). */
#define WALL_NS_MAX	(~0ULL >> 1)

static u64 add_sat(u64 a, u64 b)
{
	return b > ~0ULL - a ? ~0ULL : a + b;
}

/* The monotonic time ns from now, "never" rather than wrapping. */
static u64 deadline_after(u64 ns)
{
	return add_sat(ktime_get_ns(), ns);
}

/* A valid timeval (0 <= tv_usec < 1e6, tv_sec >= 0) to ns; -EINVAL otherwise. */
static int timeval_to_ns(const struct timeval_abi *tv, u64 *ns)
{
	struct timespec_abi ts;

	if (tv->tv_usec < 0 || tv->tv_usec >= USEC_PER_SEC)
		return -EINVAL;
	ts.tv_sec = tv->tv_sec;
	ts.tv_nsec = tv->tv_usec * (s64)NSEC_PER_USEC;
	return timespec_to_ns(&ts, ns);
}

/* Rounded up to whole microseconds: a time left that is not 0 must not read as 0. */
static struct timeval_abi ns_to_timeval_up(u64 ns)
{
	return ns_to_timeval(add_sat(ns, NSEC_PER_USEC - 1));
}

static int get_timespec_ns(const struct timespec_abi __user *uts, u64 *ns)
{
	struct timespec_abi ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	return timespec_to_ns(&ts, ns);
}

static int put_timespec_ns(struct timespec_abi __user *uts, u64 ns)
{
	struct timespec_abi ts = ns_to_timespec(ns);

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* ------------------------------------------------------------------ */
/* the wall clock */

/*
 * Wall time minus monotonic time, modulo 2^64 (a clock set to before the
 * boot makes it "negative"; the sum still comes out right). Readers take
 * no lock: a u64 store is atomic on x86-64, and the flag is published
 * after the offset.
 */
static DEFINE_SPINLOCK(realtime_lock);
static u64 real_offset_ns;
static bool real_offset_valid;

/* realtime_lock held */
static void set_real_offset_locked(u64 offset)
{
	WRITE_ONCE(real_offset_ns, offset);
	smp_wmb();
	WRITE_ONCE(real_offset_valid, true);
}

/* First use: ask the RTC, under the lock so that it is read only once. */
static noinline u64 real_offset_init(void)
{
	unsigned long flags;
	u64 offset;

	spin_lock_irqsave(&realtime_lock, flags);
	if (!real_offset_valid) {
		/* the monotonic time of the reading: after it, not before */
		u64 wall = rtc_read_epoch() * NSEC_PER_SEC;

		set_real_offset_locked(wall - ktime_get_ns());
	}
	offset = real_offset_ns;
	spin_unlock_irqrestore(&realtime_lock, flags);
	return offset;
}

u64 ktime_real_offset_ns(void)
{
	if (likely(READ_ONCE(real_offset_valid))) {
		smp_rmb();
		return READ_ONCE(real_offset_ns);
	}
	return real_offset_init();
}

u64 ktime_get_real_ns(void)
{
	/* the offset first: the first call reads the RTC, which takes a while */
	u64 offset = ktime_real_offset_ns();

	return ktime_get_ns() + offset;
}

/* Nothing is written back to the RTC: the setting lasts until reboot. */
static int set_real_time_ns(u64 ns)
{
	unsigned long flags;

	if (ns > WALL_NS_MAX)
		return -EINVAL;
	spin_lock_irqsave(&realtime_lock, flags);
	set_real_offset_locked(ns - ktime_get_ns());
	spin_unlock_irqrestore(&realtime_lock, flags);
	return 0;
}

/* ------------------------------------------------------------------ */
/* CPU time */

void thread_cputime(struct task_struct *t, struct cputime *ct)
{
	unsigned long flags;
	u64 run;

	/* interrupts off: current is not switched out between the two reads */
	local_irq_save(flags);
	run = READ_ONCE(t->runtime_ns);
	if (t == current)
		run += ktime_get_ns() - t->last_switch_ns;
	local_irq_restore(flags);
	ct->stime_ns = min(READ_ONCE(t->stime_ns), run);
	ct->utime_ns = run - ct->stime_ns;
}

void process_cputime(struct task_struct *t, struct cputime *ct)
{
	struct task_struct *th;
	struct cputime one;
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	ct->utime_ns = t->signal->dead_utime_ns;
	ct->stime_ns = t->signal->dead_stime_ns;
	list_for_each_entry(th, &t->signal->threads, thread_node) {
		thread_cputime(th, &one);
		ct->utime_ns += one.utime_ns;
		ct->stime_ns += one.stime_ns;
	}
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void children_cputime(struct cputime *ct)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	/* wait4 adds a reaped child's times under tasklist_lock */
	spin_lock_irqsave(&tasklist_lock, flags);
	ct->utime_ns = sig->cutime_ns;
	ct->stime_ns = sig->cstime_ns;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* ------------------------------------------------------------------ */
/* clocks */

/* The time on clockid in ns; -EINVAL for a clock there is none of. */
static int clock_read_ns(int clockid, u64 *ns)
{
	struct cputime ct;

	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = ktime_get_real_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:		/* never suspended: the same as monotonic */
		*ns = ktime_get_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		process_cputime(current, &ct);
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		thread_cputime(current, &ct);
		break;
	default:
		return -EINVAL;
	}
	*ns = ct.utime_ns + ct.stime_ns;
	return 0;
}

SYSCALL_DEFINE(clock_gettime, int clockid, struct timespec_abi __user *tp)
{
	u64 ns;
	int err = clock_read_ns(clockid, &ns);

	if (err)
		return err;
	return put_timespec_ns(tp, ns);
}

/*
 * Every clock reads in whole nanoseconds (the coarse ones are not
 * coarse here). Sleeps end on a tick, but that is not what getres says.
 */
SYSCALL_DEFINE(clock_getres, int clockid, struct timespec_abi __user *res)
{
	u64 unused;
	int err;

	/* reading the clock is how we know it exists (cheap for every clock) */
	err = clock_read_ns(clockid, &unused);
	if (err)
		return err;
	if (res)
		return put_timespec_ns(res, 1);
	return 0;
}

SYSCALL_DEFINE(clock_settime, int clockid, const struct timespec_abi __user *tp)
{
	u64 ns;
	int err;

	if (clockid != CLOCK_REALTIME)
		return -EINVAL;
	err = get_timespec_ns(tp, &ns);
	if (err)
		return err;
	return set_real_time_ns(ns);
}

SYSCALL_DEFINE(gettimeofday, struct timeval_abi __user *tv, struct timezone_abi __user *tz)
{
	if (tv) {
		struct timeval_abi now = ns_to_timeval(ktime_get_real_ns());

		if (copy_to_user(tv, &now, sizeof(now)))
			return -EFAULT;
	}
	if (tz) {
		/* the clock is UTC and there is no time zone to report */
		struct timezone_abi zone = { 0, 0 };

		if (copy_to_user(tz, &zone, sizeof(zone)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(settimeofday, const struct timeval_abi __user *utv,
	       const struct timezone_abi __user *utz)
{
	struct timezone_abi zone;
	struct timeval_abi tv;
	u64 ns;

	if (utz) {
		/* accepted and forgotten: the kernel keeps UTC only */
		if (copy_from_user(&zone, utz, sizeof(zone)))
			return -EFAULT;
		if (zone.tz_minuteswest < -15 * 60 || zone.tz_minuteswest > 15 * 60)
			return -EINVAL;
	}
	if (!utv)
		return 0;
	if (copy_from_user(&tv, utv, sizeof(tv)))
		return -EFAULT;
	if (timeval_to_ns(&tv, &ns))
		return -EINVAL;
	return set_real_time_ns(ns);
}

SYSCALL_DEFINE(time, s64 __user *tloc)
{
	s64 now = ktime_get_real_ns() / NSEC_PER_SEC;

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

static s64 ns_to_user_ticks(u64 ns)
{
	return ns / NSEC_PER_TICK;
}

SYSCALL_DEFINE(times, struct tms_abi __user *buf)
{
	if (buf) {
		struct cputime self, children;
		struct tms_abi tms;

		process_cputime(current, &self);
		children_cputime(&children);
		tms.tms_utime = ns_to_user_ticks(self.utime_ns);
		tms.tms_stime = ns_to_user_ticks(self.stime_ns);
		tms.tms_cutime = ns_to_user_ticks(children.utime_ns);
		tms.tms_cstime = ns_to_user_ticks(children.stime_ns);
		if (copy_to_user(buf, &tms, sizeof(tms)))
			return -EFAULT;
	}
	return ns_to_user_ticks(ktime_get_ns());
}

/* ------------------------------------------------------------------ */
/* sleeping */

int sleep_until_ns(u64 deadline_ns)
{
	int ret = 0;
	u64 now;

	for (;;) {
		/* state first: a signal sent after the check still wakes us */
		set_current_state(TASK_INTERRUPTIBLE);
		now = ktime_get_ns();
		if (now >= deadline_ns)
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule_timeout(min(deadline_ns - now, SLEEP_FOREVER_NS));
	}
	set_current_state(TASK_RUNNING);
	return ret;
}

/*
 * Sleep ns from now. Interrupted, the call fails with EINTR and says in
 * rem how long was left, whether a handler ran or not: restarting it
 * with the same arguments would sleep the whole time again.
 */
static long sleep_relative(u64 ns, struct timespec_abi __user *rem)
{
	u64 deadline = deadline_after(ns), now;

	if (!sleep_until_ns(deadline))
		return 0;
	if (rem) {
		now = ktime_get_ns();
		if (put_timespec_ns(rem, deadline > now ? deadline - now : 0))
			return -EFAULT;
	}
	return -EINTR;
}

/*
 * Sleep until the wall clock reads target. The clock is read again after
 * each sleep: clock_settime may have set it back meanwhile.
 */
static long sleep_until_real(u64 target)
{
	u64 now;

	while ((now = ktime_get_real_ns()) < target) {
		/* an absolute deadline is still right if the call starts again */
		if (sleep_until_ns(deadline_after(target - now)))
			return -ERESTARTNOHAND;
	}
	return 0;
}

SYSCALL_DEFINE(nanosleep, const struct timespec_abi __user *req, struct timespec_abi __user *rem)
{
	u64 ns;
	int err = get_timespec_ns(req, &ns);

	if (err)
		return err;
	return sleep_relative(ns, rem);
}

SYSCALL_DEFINE(clock_nanosleep, int clockid, int flags, const struct timespec_abi __user *req,
	       struct timespec_abi __user *rem)
{
	u64 ns;
	int err;

	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;	/* clocks one can read but not sleep on */
	default:
		return -EINVAL;		/* CLOCK_THREAD_CPUTIME_ID too, as in Linux */
	}
	err = get_timespec_ns(req, &ns);
	if (err)
		return err;
	if (!(flags & TIMER_ABSTIME))
		return sleep_relative(ns, rem);
	if (clockid == CLOCK_REALTIME)
		return sleep_until_real(ns);
	return sleep_until_ns(ns) ? -ERESTARTNOHAND : 0;
}

/* ------------------------------------------------------------------ */
/* the real-time interval timer: alarm, getitimer, setitimer */

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

struct itimerval_abi {
	struct timeval_abi it_interval;
	struct timeval_abi it_value;
};

/*
 * The ITIMER_REAL of a process (alarm sets the same one), kept here by
 * tgid rather than in signal_struct: an entry belongs to its process
 * while armed, and any other may take it once it is not. Entries are
 * never freed; there are as many as timers were ever armed at once. Pids
 * are not reused (a counter), so a stale tgid never finds a new process.
 *
 * The timer of a disarmed entry may still be queued: it fires and finds
 * nothing to do. That spares del_timer, which must not be called with
 * itimer_lock held (the callback takes it) and, called without, would
 * race with the callback re-arming.
 */
struct real_itimer {
	struct list_head node;		/* in real_itimers */
	struct timer_list timer;
	int tgid;			/* the owner, while armed */
	bool armed;
	u64 expires_ns;			/* monotonic */
	u64 interval_ns;		/* 0: one-shot */
};

/* Order: itimer_lock, then the timer code's lock (mod_timer). */
static DEFINE_SPINLOCK(itimer_lock);
static LIST_HEAD(real_itimers);

/* tgid's armed entry, or with tgid 0 an unarmed one; itimer_lock held. */
static struct real_itimer *real_itimer_find(int tgid)
{
	struct real_itimer *it;

	list_for_each_entry(it, &real_itimers, node)
		if (tgid ? it->armed && it->tgid == tgid : !it->armed)
			return it;
	return NULL;
}

/* At least 1 ns while armed: an expired timer whose tick is yet to come is not off. */
static u64 real_itimer_left(const struct real_itimer *it, u64 now)
{
	if (!it)
		return 0;
	return it->expires_ns > now ? it->expires_ns - now : 1;
}

/* SIGALRM to process tgid; false if it is gone (or a zombie). From the timer interrupt. */
static bool send_alarm(int tgid)
{
	struct task_struct *p;
	unsigned long flags;
	bool alive;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_task_by_pid(tgid);
	alive = p && p->tgid == tgid && p->sighand && p->signal && p->signal->nr_threads;
	if (alive)
		send_signal(SIGALRM, NULL, p, true);	/* no info: SI_KERNEL, from interrupt */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return alive;
}

static void real_itimer_fire(struct timer_list *t)
{
	struct real_itimer *it = container_of(t, struct real_itimer, timer);
	u64 now = ktime_get_ns();
	unsigned long flags;
	int tgid;

	spin_lock_irqsave(&itimer_lock, flags);
	/* disarmed, or armed again for later while this firing was on its way */
	if (!it->armed || now < it->expires_ns) {
		spin_unlock_irqrestore(&itimer_lock, flags);
		return;
	}
	tgid = it->tgid;
	if (it->interval_ns) {
		/* periods missed to a late tick are dropped, not delivered in a burst */
		it->expires_ns = add_sat(it->expires_ns, it->interval_ns);
		if (it->expires_ns <= now)
			it->expires_ns = add_sat(now, it->interval_ns);
		mod_timer(&it->timer, it->expires_ns);
	} else {
		it->armed = false;
	}
	spin_unlock_irqrestore(&itimer_lock, flags);

	if (send_alarm(tgid))
		return;
	spin_lock_irqsave(&itimer_lock, flags);
	if (it->armed && it->tgid == tgid)
		it->armed = false;
	spin_unlock_irqrestore(&itimer_lock, flags);
}

static void real_itimer_get(u64 *value, u64 *interval)
{
	struct real_itimer *it;
	unsigned long flags;

	spin_lock_irqsave(&itimer_lock, flags);
	it = real_itimer_find(current->tgid);
	*value = real_itimer_left(it, ktime_get_ns());
	*interval = it ? it->interval_ns : 0;
	spin_unlock_irqrestore(&itimer_lock, flags);
}

/*
 * Arm current's process's timer to fire value_ns from now (0: disarm),
 * then every interval_ns; *old_value and *old_interval say what it was.
 * 0, or -ENOMEM (the old values are filled in even then).
 */
static int real_itimer_set(u64 value_ns, u64 interval_ns, u64 *old_value, u64 *old_interval)
{
	struct real_itimer *it, *spare = NULL;
	int tgid = current->tgid;
	unsigned long flags;
	u64 now;

	for (;;) {
		spin_lock_irqsave(&itimer_lock, flags);
		now = ktime_get_ns();
		it = real_itimer_find(tgid);
		*old_value = real_itimer_left(it, now);
		*old_interval = it ? it->interval_ns : 0;
		if (!value_ns) {
			if (it)
				it->armed = false;
			break;
		}
		if (!it)
			it = real_itimer_find(0);
		if (!it && spare) {
			list_add_tail(&spare->node, &real_itimers);
			it = spare;
			spare = NULL;
		}
		if (it) {
			it->tgid = tgid;
			it->armed = true;
			it->expires_ns = add_sat(now, value_ns);
			it->interval_ns = interval_ns;
			mod_timer(&it->timer, it->expires_ns);
			break;
		}
		/* every entry is in use: make one, outside the lock, and look again */
		spin_unlock_irqrestore(&itimer_lock, flags);
		spare = kzalloc(sizeof(*spare), GFP_KERNEL);
		if (!spare)
			return -ENOMEM;
		INIT_LIST_HEAD(&spare->node);
		timer_setup(&spare->timer, real_itimer_fire);
	}
	spin_unlock_irqrestore(&itimer_lock, flags);
	kfree(spare);		/* another thread made room meanwhile */
	return 0;
}

SYSCALL_DEFINE(getitimer, int which, struct itimerval_abi __user *uval)
{
	struct itimerval_abi val;
	u64 value = 0, interval = 0;

	switch (which) {
	case ITIMER_REAL:
		real_itimer_get(&value, &interval);
		break;
	case ITIMER_VIRTUAL:
	case ITIMER_PROF:
		break;		/* never armed: see setitimer */
	default:
		return -EINVAL;
	}
	val.it_value = ns_to_timeval_up(value);
	val.it_interval = ns_to_timeval_up(interval);
	if (copy_to_user(uval, &val, sizeof(val)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(setitimer, int which, const struct itimerval_abi __user *unew,
	       struct itimerval_abi __user *uold)
{
	struct itimerval_abi new = { { 0, 0 }, { 0, 0 } }, old;
	u64 value, interval, old_value = 0, old_interval = 0;
	int err;

	/* no new value means "off", as Linux takes it */
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (timeval_to_ns(&new.it_value, &value) || timeval_to_ns(&new.it_interval, &interval))
		return -EINVAL;

	switch (which) {
	case ITIMER_REAL:
		err = real_itimer_set(value, interval, &old_value, &old_interval);
		if (err)
			return err;
		break;
	case ITIMER_VIRTUAL:
	case ITIMER_PROF:
		/*
		 * They count CPU time, which nothing samples per tick here:
		 * rather than accept a timer that never fires, only "off" is.
		 */
		if (value)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (uold) {
		old.it_value = ns_to_timeval_up(old_value);
		old.it_interval = ns_to_timeval_up(old_interval);
		if (copy_to_user(uold, &old, sizeof(old)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(alarm, unsigned int seconds)
{
	u64 old = 0, old_interval;

	/* alarm cannot fail: out of memory, the new alarm is lost */
	real_itimer_set((u64)seconds * NSEC_PER_SEC, 0, &old, &old_interval);
	if (!old)
		return 0;
	/* whole seconds, to the nearest, but never 0 while one was pending */
	old = (old + NSEC_PER_SEC / 2) / NSEC_PER_SEC;
	return old ? old : 1;
}
