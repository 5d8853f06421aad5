// SPDX-License-Identifier: GPL-2.0
/*
 * threads: pthreads (musl: clone with CLONE_VM|CLONE_THREAD|CLONE_SETTLS|
 * CLONE_CHILD_CLEARTID...) with a mutex and condition variables in a
 * bounded producer/consumer queue whose counts and sums are checked,
 * thread-local storage, and the futex system call used directly: a value
 * mismatch (EAGAIN), a timeout (ETIMEDOUT), wait/wake and requeue.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include "utest.h"

/* futex(2) operations (Linux ABI; musl's headers do not carry them) */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_PRIVATE_FLAG	128

#define NPROD		3
#define NCONS		3
#define ITEMS		20000
#define QSIZE		16
#define NCOUNT		4
#define INCREMENTS	50000
#define NREQUEUE	3

/* ------------------------------------------------- producer/consumer */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_full, not_empty;
	long slot[QSIZE];
	int head, count, producers_left;
} q = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.not_full = PTHREAD_COND_INITIALIZER,
	.not_empty = PTHREAD_COND_INITIALIZER,
	.producers_left = NPROD,
};

struct tally {
	long items, sum;
};

static void *producer(void *arg)
{
	long base = (long)arg * ITEMS;

	for (long i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&q.lock);
		while (q.count == QSIZE)
			pthread_cond_wait(&q.not_full, &q.lock);
		q.slot[(q.head + q.count++) % QSIZE] = base + i;
		pthread_cond_signal(&q.not_empty);
		pthread_mutex_unlock(&q.lock);
	}
	pthread_mutex_lock(&q.lock);
	if (--q.producers_left == 0)
		pthread_cond_broadcast(&q.not_empty);
	pthread_mutex_unlock(&q.lock);
	return NULL;
}

static void *consumer(void *arg)
{
	struct tally *t = arg;

	pthread_mutex_lock(&q.lock);
	for (;;) {
		while (q.count == 0 && q.producers_left)
			pthread_cond_wait(&q.not_empty, &q.lock);
		if (q.count == 0)
			break;
		t->sum += q.slot[q.head];
		t->items++;
		q.head = (q.head + 1) % QSIZE;
		q.count--;
		pthread_cond_signal(&q.not_full);
	}
	pthread_mutex_unlock(&q.lock);
	return NULL;
}

static void producer_consumer(void)
{
	pthread_t prod[NPROD], cons[NCONS];
	struct tally t[NCONS] = { { 0, 0 } };
	long items = 0, sum = 0, want = 0;

	for (long p = 0; p < NPROD; p++)
		check(!pthread_create(&prod[p], NULL, producer, (void *)p), "pthread_create");
	for (int c = 0; c < NCONS; c++)
		check(!pthread_create(&cons[c], NULL, consumer, &t[c]), "pthread_create");
	for (int p = 0; p < NPROD; p++)
		check(!pthread_join(prod[p], NULL), "pthread_join");
	for (int c = 0; c < NCONS; c++) {
		check(!pthread_join(cons[c], NULL), "pthread_join");
		items += t[c].items;
		sum += t[c].sum;
	}
	for (long p = 0; p < NPROD; p++)
		want += p * ITEMS * ITEMS + (long)ITEMS * (ITEMS + 1) / 2;
	check(items == NPROD * ITEMS, "consumed %ld items, want %d", items, NPROD * ITEMS);
	check(sum == want, "sum of items %ld, want %ld", sum, want);
}

/* ------------------------------------------------------ mutex + TLS */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_value;
static atomic_int tls_bad;

static void *counter_thread(void *arg)
{
	tls_value = (long)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		pthread_mutex_lock(&counter_lock);
		counter++;
		pthread_mutex_unlock(&counter_lock);
		if (tls_value != (long)arg)
			atomic_fetch_add(&tls_bad, 1);
	}
	return (void *)(long)syscall(SYS_gettid);
}

static void mutex_counter(void)
{
	pthread_t th[NCOUNT];
	long tid[NCOUNT];

	tls_value = -1;
	for (long i = 0; i < NCOUNT; i++)
		check(!pthread_create(&th[i], NULL, counter_thread, (void *)i), "pthread_create");
	for (int i = 0; i < NCOUNT; i++) {
		void *ret;

		check(!pthread_join(th[i], &ret), "pthread_join");
		tid[i] = (long)ret;
		check(tid[i] != getpid(), "a thread has the process's tid");
		for (int j = 0; j < i; j++)
			check(tid[i] != tid[j], "two threads with tid %ld", tid[i]);
	}
	check(counter == (long)NCOUNT * INCREMENTS, "counter %ld, want %d", counter,
	      NCOUNT * INCREMENTS);
	check(tls_value == -1 && atomic_load(&tls_bad) == 0, "thread-local storage is shared");
}

/* ------------------------------------------------------------ futex */

static long futex(atomic_int *uaddr, int op, int val, const struct timespec *ts,
		  atomic_int *uaddr2, int val3)
{
	return syscall(SYS_futex, uaddr, op | FUTEX_PRIVATE_FLAG, val, ts, uaddr2, val3);
}

static atomic_int word1, word2, released, woke_up;

static void *futex_waiter(void *arg)
{
	while (!atomic_load(&released))
		futex(&word1, FUTEX_WAIT, 0, NULL, NULL, 0);
	atomic_fetch_add(&woke_up, 1);
	return NULL;
}

static void futex_basics(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	uint64_t t0;

	atomic_store(&word1, 1);
	check_errno(futex(&word1, FUTEX_WAIT, 0, NULL, NULL, 0), EAGAIN);
	t0 = now_ns();
	check_errno(futex(&word1, FUTEX_WAIT, 1, &ts, NULL, 0), ETIMEDOUT);
	check(now_ns() - t0 >= 15 * 1000 * 1000, "FUTEX_WAIT returned before its timeout");
	check(futex(&word1, FUTEX_WAKE, 1, NULL, NULL, 0) == 0, "woke a waiter of an idle futex");
}

/*
 * Waiters sleep on word1; each round moves every one of them to word2
 * without waking any (FUTEX_CMP_REQUEUE, nr_wake 0), and a wake on word2
 * must then find exactly the waiters moved.
 */
static void futex_wait_wake_requeue(void)
{
	pthread_t th[NREQUEUE];
	long moved = 0;
	uint64_t t0 = now_ns();

	atomic_store(&word1, 0);
	for (int i = 0; i < NREQUEUE; i++)
		check(!pthread_create(&th[i], NULL, futex_waiter, NULL), "pthread_create");
	while (moved < NREQUEUE) {
		long n = futex(&word1, FUTEX_CMP_REQUEUE, 0, (void *)(long)INT_MAX, &word2, 0);
		long woken;

		check(n >= 0, "FUTEX_CMP_REQUEUE: %s", strerror(errno));
		if (n) {
			woken = futex(&word2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
			check(woken == n, "requeued %ld waiters but woke %ld on the target", n, woken);
		}
		moved += n;
		check(now_ns() - t0 < 30ULL * 1000000000, "waiters never reached FUTEX_WAIT");
		sched_yield();
	}
	atomic_store(&released, 1);
	atomic_store(&word1, 1);
	futex(&word1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	for (int i = 0; i < NREQUEUE; i++)
		check(!pthread_join(th[i], NULL), "pthread_join");
	check(atomic_load(&woke_up) == NREQUEUE, "%d of %d waiters woke up",
	      atomic_load(&woke_up), NREQUEUE);
}

int main(void)
{
	utest_name = "threads";
	producer_consumer();
	mutex_counter();
	futex_basics();
	futex_wait_wake_requeue();
	say("PASS threads items=%d increments=%d futex_waiters=%d\n", NPROD * ITEMS,
	    NCOUNT * INCREMENTS, NREQUEUE);
	return 0;
}
