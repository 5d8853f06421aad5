// SPDX-License-Identifier: GPL-2.0
/*
 * Futexes of user processes (processor manager): futex(2) without the
 * priority-inheritance operations, set_tid_address, the robust list, and
 * what a dying thread owes its lock words and its clear_child_tid.
 *
 * A futex is named by (mm, address). Address spaces are shared only
 * through CLONE_VM here, so private and shared futexes are the same thing.
 * Waiters hang on a hash bucket: a spinlock and a list of struct futex_q,
 * each on its sleeping thread's stack.
 *
 * User memory is an ExCache: reading the futex word may fault, fetch the
 * line from the memory manager and sleep, so it is never read under a
 * bucket lock. A waiter therefore queues itself first and reads the word
 * after. The user side of a wake is "change the word, then FUTEX_WAKE":
 * if our read still sees the old value, the change comes later, so the
 * waker's scan of the bucket comes after our queueing and finds us; if we
 * see the new value we leave with -EAGAIN. Either way no wake is lost.
 *
 * A waker dequeues the waiter, marks it woken and wakes it, all under the
 * bucket lock. The waiter always takes that lock once more before it
 * returns (unqueue()), so its futex_q outlives every use the waker makes
 * of it, and a wake that races with a timeout or a signal is reported as
 * a wake, never dropped.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/mm_types.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/spinlock.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <lego/timekeeping.h>
#include <lego/uaccess.h>
#include <asm/futex.h>
#include "futex.h"

#define FUTEX_HASH_BITS		8
#define FUTEX_HASH_SIZE		(1 << FUTEX_HASH_BITS)

/* A wait without a timeout. */
#define NO_DEADLINE		(~0ULL)

struct futex_key {
	struct mm_struct *mm;
	unsigned long addr;
};

struct futex_bucket {
	spinlock_t lock;
	struct list_head waiters;	/* struct futex_q; zero until first locked */
};

/* One waiting thread. */
struct futex_q {
	struct list_head list;		/* in bucket->waiters until a waker or unqueue() */
	struct task_struct *task;
	struct futex_key key;
	u32 bitset;
	struct futex_bucket *bucket;	/* changed by requeue, under both bucket locks */
	bool woken;			/* set by the waker that dequeued us */
};

/* In .bss: a zero spinlock is an unlocked one, the lists start on first use. */
static struct futex_bucket futex_table[FUTEX_HASH_SIZE];

static struct futex_bucket *bucket_of(const struct futex_key *k)
{
	u64 h = (k->addr >> 2) ^ ((unsigned long)k->mm >> 6);

	/* Fibonacci hashing: the top bits mix every bit of h */
	h *= 0x9e3779b97f4a7c15ULL;
	return &futex_table[h >> (64 - FUTEX_HASH_BITS)];
}

static void bucket_lock(struct futex_bucket *b)
{
	spin_lock(&b->lock);
	if (!b->waiters.next)
		INIT_LIST_HEAD(&b->waiters);
}

static void bucket_unlock(struct futex_bucket *b)
{
	spin_unlock(&b->lock);
}

/* Two buckets in address order, so two such callers cannot deadlock. */
static void lock_two(struct futex_bucket *a, struct futex_bucket *b)
{
	if (a == b) {
		bucket_lock(a);
		return;
	}
	if (a > b) {
		struct futex_bucket *t = a;

		a = b;
		b = t;
	}
	bucket_lock(a);
	bucket_lock(b);
}

static void unlock_two(struct futex_bucket *a, struct futex_bucket *b)
{
	bucket_unlock(a);
	if (b != a)
		bucket_unlock(b);
}

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->addr == b->addr;
}

/* Check a futex word's address and name it. */
static int get_key(u32 __user *uaddr, struct futex_key *k)
{
	if ((unsigned long)uaddr & (sizeof(u32) - 1))
		return -EINVAL;
	if (!current->mm || !access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	k->mm = current->mm;
	k->addr = (unsigned long)uaddr;
	return 0;
}

/* Under q's bucket lock. */
static void wake_waiter(struct futex_q *q)
{
	list_del_init(&q->list);
	WRITE_ONCE(q->woken, true);
	/*
	 * wake_up_process starts with a locked instruction, so woken is
	 * visible before it reads the state: pairs with set_current_state()
	 * before the waiter's check in futex_sleep().
	 */
	wake_up_process(q->task);
}

/* Wake up to nr waiters of k in b whose bitset meets bitset. Under b's lock. */
static int wake_matching(struct futex_bucket *b, const struct futex_key *k, int nr, u32 bitset)
{
	struct futex_q *q, *n;
	int woken = 0;

	list_for_each_entry_safe(q, n, &b->waiters, list) {
		if (woken >= nr)
			break;
		if (!key_eq(&q->key, k) || !(q->bitset & bitset))
			continue;
		wake_waiter(q);
		woken++;
	}
	return woken;
}

/*
 * The waiter leaves its bucket: true if it was still queued, false if a
 * waker dequeued it first. Either way no waker touches q afterwards.
 */
static bool unqueue(struct futex_q *q)
{
	struct futex_bucket *b;
	bool queued;

	for (;;) {
		b = READ_ONCE(q->bucket);
		spin_lock(&b->lock);
		/* a requeue may have moved q while we waited for the lock */
		if (b == READ_ONCE(q->bucket))
			break;
		spin_unlock(&b->lock);
	}
	queued = !q->woken;
	if (queued)
		list_del_init(&q->list);
	bucket_unlock(b);
	return queued;
}

/* Sleep until woken, a signal (restart), or the monotonic deadline (-ETIMEDOUT). */
static int futex_sleep(struct futex_q *q, u64 deadline, int restart)
{
	int ret = 0;
	u64 now;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(q->woken))
			break;
		if (signal_pending(current)) {
			ret = restart;
			break;
		}
		if (deadline == NO_DEADLINE) {
			schedule();
			continue;
		}
		now = ktime_get_ns();
		if (now >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		schedule_timeout(min(deadline - now, SLEEP_FOREVER_NS));
	}
	set_current_state(TASK_RUNNING);
	return ret;
}

static int futex_wait(u32 __user *uaddr, u32 val, u32 bitset, u64 deadline, int restart)
{
	struct futex_q q = { .task = current, .bitset = bitset };
	struct futex_bucket *b;
	u32 cur;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_key(uaddr, &q.key);
	if (ret)
		return ret;
	b = bucket_of(&q.key);
	q.bucket = b;
	bucket_lock(b);
	list_add_tail(&q.list, &b->waiters);
	bucket_unlock(b);

	/* queued first, read second: see the top of the file */
	if (get_user(cur, uaddr))
		ret = -EFAULT;
	else if (cur != val)
		ret = -EAGAIN;
	else
		ret = futex_sleep(&q, deadline, restart);
	if (!unqueue(&q))
		ret = 0;	/* a wake came meanwhile: it counts, it is not lost */
	return ret;
}

int futex_wake_bitset(u32 __user *uaddr, int nr, u32 bitset)
{
	struct futex_bucket *b;
	struct futex_key k;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_key(uaddr, &k);
	if (ret)
		return ret;
	b = bucket_of(&k);
	bucket_lock(b);
	ret = wake_matching(b, &k, nr, bitset);
	bucket_unlock(b);
	return ret;
}

int futex_wake(u32 *uaddr, int nr)
{
	return futex_wake_bitset(uaddr, nr, FUTEX_BITSET_MATCH_ANY);
}

/* Under both locks: q stops waiting on its key in from and waits on to in b2. */
static void requeue_waiter(struct futex_q *q, struct futex_bucket *from,
			   struct futex_bucket *b2, const struct futex_key *to)
{
	/* in the same bucket it keeps its place: the scan must not meet it again */
	if (b2 != from) {
		list_del(&q->list);
		list_add_tail(&q->list, &b2->waiters);
	}
	q->key = *to;
	WRITE_ONCE(q->bucket, b2);
}

/*
 * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE. The comparison reads the word before
 * the bucket locks are taken (it may fault), so it is not atomic with the
 * requeue: a change of the word that races with the call may let it go
 * ahead. That is no lost wake: a waiter that had not yet checked the word
 * checks it on its new queue, and requeued waiters sleep on uaddr2 until
 * its owner wakes them.
 */
static int futex_requeue(u32 __user *uaddr, u32 __user *uaddr2, int nr_wake, int nr_requeue,
			 bool cmp, u32 val3)
{
	struct futex_bucket *b1, *b2;
	struct futex_key k1, k2;
	struct futex_q *q, *n;
	int ret, woken = 0, moved = 0;
	u32 cur;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	ret = get_key(uaddr, &k1);
	if (!ret)
		ret = get_key(uaddr2, &k2);
	if (ret)
		return ret;
	if (cmp) {
		if (get_user(cur, uaddr))
			return -EFAULT;
		if (cur != val3)
			return -EAGAIN;
	}
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	lock_two(b1, b2);
	list_for_each_entry_safe(q, n, &b1->waiters, list) {
		if (!key_eq(&q->key, &k1))
			continue;
		if (woken < nr_wake) {
			wake_waiter(q);
			woken++;
			continue;
		}
		if (moved >= nr_requeue)
			break;
		requeue_waiter(q, b1, b2, &k2);
		moved++;
	}
	unlock_two(b1, b2);
	return woken + moved;
}

/*
 * FUTEX_WAKE_OP. The operation on uaddr2 is a compare-and-exchange loop
 * outside the locks; it is still safe against lost wakes, as a waiter on
 * uaddr2 queues before it reads the word (the top of the file).
 */
static int futex_wake_op(u32 __user *uaddr, u32 __user *uaddr2, int nr_wake, int nr_wake2,
			 u32 encoded)
{
	struct futex_bucket *b1, *b2;
	struct futex_key k1, k2;
	u32 old, new, seen;
	int ret, pass;

	ret = get_key(uaddr, &k1);
	if (!ret)
		ret = get_key(uaddr2, &k2);
	if (ret)
		return ret;
	/* an unknown operation or comparison must not touch memory */
	ret = futex_op_apply(encoded, 0, &new);
	if (!ret)
		ret = futex_op_compare(encoded, 0);
	if (ret < 0)
		return ret;

	if (get_user(old, uaddr2))
		return -EFAULT;
	for (;;) {
		futex_op_apply(encoded, old, &new);
		ret = user_cmpxchg_u32(uaddr2, old, new, &seen);
		if (ret)
			return ret;
		if (seen == old)
			break;
		old = seen;	/* somebody else changed it: apply to theirs */
	}
	pass = futex_op_compare(encoded, old);

	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	lock_two(b1, b2);
	ret = wake_matching(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (pass)
		ret += wake_matching(b2, &k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	unlock_two(b1, b2);
	return ret;
}

/*
 * The monotonic deadline of a wait (NO_DEADLINE without a timeout): utime
 * is relative to now, or with absolute an absolute time of the monotonic
 * or (realtime) the wall clock.
 */
static int wait_deadline(const struct timespec_abi __user *utime, bool absolute, bool realtime,
			 u64 *deadline)
{
	struct timespec_abi ts;
	u64 ns, now, off;

	*deadline = NO_DEADLINE;
	if (!utime)
		return 0;
	if (copy_from_user(&ts, utime, sizeof(ts)))
		return -EFAULT;
	if (timespec_to_ns(&ts, &ns))
		return -EINVAL;
	if (!absolute) {
		now = ktime_get_ns();
		/* saturate short of NO_DEADLINE: a relative wait stays timed */
		*deadline = ns < NO_DEADLINE - 1 - now ? now + ns : NO_DEADLINE - 1;
		return 0;
	}
	if (realtime) {
		/* a wall time before boot has passed already */
		off = ktime_real_offset_ns();
		*deadline = ns > off ? ns - off : 0;
		return 0;
	}
	*deadline = ns;
	return 0;
}

static int do_futex_wait(u32 __user *uaddr, u32 val, const struct timespec_abi __user *utime,
			 bool absolute, bool realtime, u32 bitset)
{
	u64 deadline;
	int ret, restart;

	ret = wait_deadline(utime, absolute, realtime, &deadline);
	if (ret)
		return ret;
	/*
	 * Restarting after a handler repeats the call with its arguments: right
	 * for no timeout or an absolute one, but a relative timeout would start
	 * over (Linux resumes it through restart_syscall, which we lack).
	 */
	restart = utime && !absolute ? -EINTR : -ERESTARTSYS;
	return futex_wait(uaddr, val, bitset, deadline, restart);
}

SYSCALL_DEFINE(futex, u32 __user *uaddr, int op, u32 val, const struct timespec_abi __user *utime,
	       u32 __user *uaddr2, u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	/* the requeue and wake-op calls pass a second count in the timeout's place */
	int val2 = (int)(u32)(unsigned long)utime;

	/* as Linux since 5.13: FUTEX_WAIT's relative timeout has no clock to pick */
	if (realtime && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return do_futex_wait(uaddr, val, utime, false, false, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return do_futex_wait(uaddr, val, utime, true, realtime, val3);
	case FUTEX_WAKE:
		return futex_wake_bitset(uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake_bitset(uaddr, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, (int)val, val2, false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, (int)val, val2, true, val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, (int)val, val2, val3);
	}
	/* FUTEX_FD is long gone from Linux; priority inheritance is not here */
	return -ENOSYS;
}

int user_cmpxchg_u32(u32 __user *uaddr, u32 old, u32 new, u32 *found)
{
	if ((unsigned long)uaddr & (sizeof(u32) - 1))
		return -EINVAL;		/* a locked access must not split */
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	return arch_user_cmpxchg_u32((u32 *)uaddr, old, new, found);
}

/* ------------------------------------------------------------------ */
/* thread ids and robust lists */

SYSCALL_DEFINE(set_tid_address, int __user *tidptr)
{
	current->clear_child_tid = (u32 *)tidptr;
	return current->pid;
}

SYSCALL_DEFINE(set_robust_list, struct robust_list_head __user *head, size_t len)
{
	if (len != sizeof(*head))
		return -EINVAL;
	current->robust_list = head;
	current->robust_list_len = len;
	return 0;
}

SYSCALL_DEFINE(get_robust_list, int pid, u64 __user *head_ptr, u64 __user *len_ptr)
{
	struct task_struct *t;
	unsigned long flags;
	u64 head = 0;

	if (!pid) {
		head = (u64)current->robust_list;
	} else {
		spin_lock_irqsave(&tasklist_lock, flags);
		t = find_task_by_pid(pid);
		if (t)
			head = (u64)t->robust_list;
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (!t)
			return -ESRCH;
	}
	/* the length is that of the layout, set or not, as Linux reports it */
	if (put_user((u64)sizeof(struct robust_list_head), len_ptr))
		return -EFAULT;
	return put_user(head, head_ptr);
}

/* A robust-list link: the next entry's address, bit 0 marking a PI lock. */
static int fetch_link(const u64 __user *link, u64 *entry)
{
	u64 v;

	if (get_user(v, link))
		return -EFAULT;
	/* no PI here: a PI lock word is handed on like any other */
	*entry = v & ~1ULL;
	return 0;
}

/*
 * The lock word at uaddr may belong to tid, which is dying: mark it
 * FUTEX_OWNER_DIED (keeping FUTEX_WAITERS, dropping the tid) and wake a
 * waiter to take it over. pending: it is the list_op_pending entry.
 */
static int futex_owner_died(u32 __user *uaddr, int tid, bool pending)
{
	u32 old, new, seen;
	int ret;

	if ((unsigned long)uaddr & (sizeof(u32) - 1))
		return -EINVAL;
	if (get_user(old, uaddr))
		return -EFAULT;
	/*
	 * Unlocked, but we died before taking it off list_op_pending: the
	 * wake that goes with the unlock may not have been made.
	 */
	if (pending && !old) {
		futex_wake(uaddr, 1);
		return 0;
	}
	for (;;) {
		if ((old & FUTEX_TID_MASK) != (u32)tid)
			return 0;
		new = (old & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		ret = user_cmpxchg_u32(uaddr, old, new, &seen);
		if (ret)
			return ret;
		if (seen == old)
			break;
		old = seen;	/* a waiter set FUTEX_WAITERS meanwhile */
	}
	if (new & FUTEX_WAITERS)
		futex_wake(uaddr, 1);
	return 0;
}

/*
 * Walk current's robust list. Every access may fault: a list we cannot
 * read is the program's own doing, and we stop there. The list may be
 * circular or endless: ROBUST_LIST_LIMIT bounds the walk.
 */
static void exit_robust_list(struct task_struct *t)
{
	struct robust_list_head __user *head = t->robust_list;
	u64 entry, next, pending;
	int limit = ROBUST_LIST_LIMIT;
	s64 offset;
	int ret;

	if (fetch_link(&head->next, &entry) ||
	    get_user(offset, &head->futex_offset) ||
	    fetch_link(&head->list_op_pending, &pending))
		return;
	while (entry != (u64)&head->next) {
		/* read the link first: once we let go of the lock, the entry may be freed */
		ret = fetch_link((const u64 __user *)entry, &next);
		/* the pending entry is handled last, as such */
		if (entry != pending)
			futex_owner_died((u32 __user *)(entry + offset), t->pid, false);
		if (ret || !--limit)
			break;
		entry = next;
	}
	if (pending)
		futex_owner_died((u32 __user *)(pending + offset), t->pid, true);
}

/* t is current, with its mm still attached: in do_exit, or exec (managers/processor/exec.c). */
void exit_robust_futexes(struct task_struct *t)
{
	u32 __user *tid = t->clear_child_tid;

	if (t->robust_list)
		exit_robust_list(t);
	t->robust_list = NULL;

	t->clear_child_tid = NULL;
	/* with nobody else in the address space, nobody can wait on the word */
	if (!tid || !t->mm || atomic_read(&t->mm->users) <= 1)
		return;
	/* pthread_join and friends wait for this zero */
	if (put_user(0U, tid))
		return;
	futex_wake(tid, 1);
}
