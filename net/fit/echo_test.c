// SPDX-License-Identifier: GPL-2.0
/*
 * fit_echo_test(): echo calls from several threads, every reply checked
 * byte for byte, and the far node's own count of echo handler runs for us
 * checked against the number of calls (exactly once, even when the
 * network loses and duplicates datagrams).
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/completion.h>
#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>

#include "fit_lego.h"

#define ECHO_MAX_THREADS	32
#define ECHO_COUNT_TIMEOUT	(5 * NSEC_PER_SEC)

struct echo_test {
	int node;
	size_t len;
	int ncalls;
	u64 timeout_ns;
	atomic_t next;
	atomic_t ok;
	atomic_t bad;
	long first_err;
	int first_bad_call;
	u64 *lat;
	struct completion done;
};

static u8 echo_byte(int call, size_t i)
{
	return (u8)(call * 131 + i * 7 + (i >> 9));
}

static void echo_fill(u8 *buf, size_t len, int call)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = echo_byte(call, i);
}

static void echo_fail(struct echo_test *t, int call, long err)
{
	if (atomic_add_return(1, &t->bad) == 1) {
		t->first_err = err;
		t->first_bad_call = call;
	}
}

static void echo_one(struct echo_test *t, int call, u8 *req, u8 *rep)
{
	u64 t0;
	long r;

	echo_fill(req, t->len, call);
	memset(rep, 0, t->len);
	t0 = ktime_get_ns();
	r = fit_call(t->node, FIT_OP_ECHO, req, t->len, rep, t->len, t->timeout_ns);
	t->lat[call] = ktime_get_ns() - t0;
	if (r != (long)t->len)
		echo_fail(t, call, r < 0 ? r : -EBADMSG);
	else if (memcmp(req, rep, t->len))
		echo_fail(t, call, -EBADMSG);
	else
		atomic_inc(&t->ok);
}

static int echo_thread(void *arg)
{
	struct echo_test *t = arg;
	u8 *req = kmalloc(t->len ? t->len : 1, GFP_KERNEL);
	u8 *rep = kmalloc(t->len ? t->len : 1, GFP_KERNEL);
	int call;

	for (;;) {
		call = atomic_add_return(1, &t->next) - 1;
		if (call >= t->ncalls)
			break;
		if (!req || !rep)
			echo_fail(t, call, -ENOMEM);
		else
			echo_one(t, call, req, rep);
	}
	kfree(req);
	kfree(rep);
	complete(&t->done);
	return 0;
}

/* The far node's count of echo runs for us; reset to 0 if reset. */
static long echo_count(int node, bool reset)
{
	struct fit_count_req q = { .flags = fit_le32(reset ? FIT_COUNT_RESET : 0) };
	struct fit_count_reply r;
	long n;

	n = fit_call(node, FIT_OP_COUNT, &q, sizeof(q), &r, sizeof(r), ECHO_COUNT_TIMEOUT);
	if (n < 0)
		return n;
	return n == sizeof(r) ? (long)fit_le64(r.echoes) : -EBADMSG;
}

static u64 echo_median(u64 *v, int n)
{
	int gap, i, j;
	u64 x;

	for (gap = n / 2; gap > 0; gap /= 2) {
		for (i = gap; i < n; i++) {
			x = v[i];
			for (j = i; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
	return n ? v[n / 2] : 0;
}

static int echo_run(struct echo_test *t, int nthreads)
{
	int i, started = 0;

	init_completion(&t->done);
	for (i = 0; i < nthreads; i++)
		started += kthread_run(echo_thread, t, "fit-echo") != NULL;
	for (i = 0; i < started; i++)
		wait_for_completion(&t->done);
	return started ? 0 : -ENOMEM;
}

static void echo_report(struct echo_test *t, int nthreads, long ran, u64 ms, u64 retrans)
{
	u64 med = echo_median(t->lat, t->ncalls);
	int ok = atomic_read(&t->ok);

	if (ok == t->ncalls && ran == t->ncalls) {
		pr_info("fit: echo to node %d: %d calls of %zu bytes ok, %d threads, handler ran %ld times, %llu ms, median %llu us, %llu retransmits\n",
			t->node, t->ncalls, t->len, nthreads, ran, ms, med / 1000, retrans);
		return;
	}
	pr_err("fit: echo to node %d: %d calls of %zu bytes FAILED: %d ok, %d bad (first: call %d error %ld), handler ran %ld times, %d threads, %llu ms\n",
	       t->node, t->ncalls, t->len, ok, atomic_read(&t->bad), t->first_bad_call,
	       t->first_err, ran, nthreads, ms);
}

static u64 echo_retrans(int node)
{
	struct fit_core *core = fit_lego_core();
	struct fit_peer_stats st;

	if (!core || fit_core_peer_stats(core, node, &st))
		return 0;
	return st.c[FIT_C_RETRANS];
}

int fit_echo_test(int node, size_t len, int nthreads, int ncalls)
{
	struct echo_test t = { .node = node, .len = len, .ncalls = ncalls };
	u64 t0, retrans;
	long ran;
	int err;

	if (!fit_lego_core() || len > FIT_MAX_MSG || nthreads < 1 ||
	    nthreads > ECHO_MAX_THREADS || ncalls < 1) {
		pr_err("fit: echo to node %d: FAILED: bad arguments or FIT is off\n", node);
		return -EINVAL;
	}
	/* generous: an emulated wire, and maybe a lossy one */
	t.timeout_ns = 10 * NSEC_PER_SEC + (u64)len * 10 * NSEC_PER_SEC / SZ_1M;
	t.lat = kcalloc(ncalls, sizeof(*t.lat), GFP_KERNEL);
	ran = t.lat ? echo_count(node, true) : -ENOMEM;
	if (ran < 0) {
		pr_err("fit: echo to node %d: FAILED: counter reset: error %ld\n", node, ran);
		kfree(t.lat);
		return (int)ran;
	}
	retrans = echo_retrans(node);
	t0 = ktime_get_ns();
	err = echo_run(&t, nthreads);
	t0 = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	ran = err ? err : echo_count(node, false);
	echo_report(&t, nthreads, ran, t0, echo_retrans(node) - retrans);
	if (cmdline_get_bool("lego.fit_stats", false))
		fit_print_stats();
	kfree(t.lat);
	if (err)
		return err;
	if (ran < 0)
		return (int)ran;
	return atomic_read(&t.ok) == ncalls && ran == ncalls ? 0 : -EIO;
}
