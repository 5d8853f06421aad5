// SPDX-License-Identifier: GPL-2.0
/*
 * The FIT protocol end to end, on simulated time over a simulated wire:
 * messages of 0 bytes to 2 MB over a lossy, duplicating, reordering
 * network; retransmission timing; exactly-once execution against
 * duplicates and replays; the reply cache; timeouts and late replies;
 * one-way messages; restarts; memory limits; and no leaks.
 */
#include <stdlib.h>

#include "../../net/fit/core/fit_internal.h"
#include "fit/sim.h"
#include "host.h"

#define MS		1000000ULL
#define SEC		1000000000ULL

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	assert_non_null(p);
	return p;
}

static u64 stat(struct sim *s, int node, int peer, int which)
{
	struct fit_peer_stats st;

	assert_int_equal(fit_core_peer_stats(sim_core(s, node), peer, &st), 0);
	return st.c[which];
}

static void end_sim(struct sim *s)
{
	sim_free(s);
	/* every call, request, reply and bitmap the cores allocated is back */
	assert_int_equal(sim_leaked(), 0);
}

/* Echo len bytes from node a to b; check every byte. */
static void echo(struct sim *s, int a, int b, size_t len, u64 seed)
{
	u8 *req = xmalloc(len), *rep = xmalloc(len);
	u64 t0 = sim_now(s);
	long r;

	sim_pattern(req, len, seed);
	memset(rep, 0, len);
	r = sim_call(s, a, b, FIT_OP_ECHO, req, len, rep, len, 60 * SEC);
	fit_host_log("echo %d->%d of %zu bytes: %llu us\n", a, b, len,
		     (unsigned long long)(sim_now(s) - t0) / 1000);
	assert_int_equal(r, (long)len);
	assert_true(sim_pattern_ok(rep, len, seed));
	free(req);
	free(rep);
}

static const size_t sizes[] = { 0, 1, 1408, 1409, 4096, 65536, 200000, 2 << 20 };

static void test_echo_sizes(void **state)
{
	struct sim *s = sim_new(2, false);
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		echo(s, 0, 1, sizes[i], i);
	/* a clean wire needs no retransmission at all */
	assert_int_equal(stat(s, 0, 1, FIT_C_RETRANS), 0);
	assert_int_equal(stat(s, 1, 0, FIT_C_RETRANS), 0);
	assert_int_equal(stat(s, 1, 0, FIT_C_ECHOES), i);
	end_sim(s);
}

/* A 4 KB page: three datagrams each way at the default MTU. */
static void test_page_in_three(void **state)
{
	struct sim *s = sim_new(2, false);
	struct fit_fill_req q = { fit_le32(4096), fit_le32(9) };
	u8 rep[4096];
	long r;
	int i;

	echo(s, 0, 1, 4096, 1);
	assert_int_equal(sim_log_count(s, 0, FIT_MSG_REQUEST, 0), 3);
	assert_int_equal(sim_log_count(s, 1, FIT_MSG_REPLY, 0), 3);
	sim_log_clear(s);
	r = sim_call(s, 0, 1, FIT_OP_FILL, &q, sizeof(q), rep, sizeof(rep), SEC);
	assert_int_equal(r, 4096);
	for (i = 0; i < 4096; i++)
		assert_int_equal(rep[i], fit_fill_byte(9, i));
	assert_int_equal(sim_log_count(s, 0, FIT_MSG_REQUEST, 0), 1);
	assert_int_equal(sim_log_count(s, 1, FIT_MSG_REPLY, 0), 3);
	end_sim(s);
}

/* Back to back small calls: the next request's done_below frees the reply. */
static void test_small_calls_cost(void **state)
{
	struct sim *s = sim_new(2, false);
	u64 tag;
	int i;

	for (i = 0; i < 10; i++) {
		tag = 100 + i;
		assert_int_equal(sim_call(s, 0, 1, SIM_OP_TAGGED, &tag, 8, NULL, 0, SEC), -EMSGSIZE);
	}
	for (i = 0; i < 10; i++) {
		tag = 200 + i;
		assert_int_equal(sim_call(s, 0, 1, SIM_OP_TAGGED, &tag, 8, &tag, 8, SEC), 8);
		assert_int_equal(sim_runs(s, 1, tag), 1);
	}
	sim_run_for(s, SEC);
	/* one datagram each way per call, one DONE at the very end */
	assert_int_equal(sim_log_count(s, 0, FIT_MSG_REQUEST, 0), 20);
	assert_int_equal(sim_log_count(s, 1, FIT_MSG_REPLY, 0), 20);
	assert_true(sim_log_count(s, 0, FIT_MSG_DONE, 0) <= 1);
	assert_int_equal(sim_log_count(s, -1, FIT_MSG_ACK, 0), 0);
	end_sim(s);
}

static void lossy_sizes(bool nosend);

static void test_lossy_sizes(void **state)
{
	lossy_sizes(false);
}

/* The same with input that never sends (a NIC receive path's mode). */
static void test_lossy_sizes_nosend(void **state)
{
	sim_input_nosend = true;
	lossy_sizes(true);
	sim_input_nosend = false;
}

static void lossy_sizes(bool nosend)
{
	struct sim *s = sim_new(2, false);
	size_t i, min_pkts;
	u64 sent;

	host_srand(nosend ? 43 : 42);
	/* 5% loss, 2% duplication, 5% reordering, 0.5% corruption */
	sim_set_net(s, 50000, 20000, 50000, 5000);
	sim_set_delay(s, 500000, 300000);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sim_log_clear(s);
		echo(s, 0, 1, sizes[i], 1000 + i);
		echo(s, 1, 0, sizes[i], 2000 + i);
		/* selective: far from resending whole messages */
		min_pkts = (sizes[i] + 1407) / 1408;
		sent = sim_log_count(s, 0, FIT_MSG_REQUEST, 0);
		fit_host_log("size %zu: %llu request datagrams for %zu fragments\n", sizes[i],
			     (unsigned long long)sent, min_pkts);
		assert_true(sent <= min_pkts * 3 / 2 + 20);
	}
	assert_true(stat(s, 0, 1, FIT_C_RETRANS) > 0);
	assert_true(fit_core_global_stat(sim_core(s, 1), FIT_G_BAD_CSUM) > 0);
	assert_int_equal(stat(s, 0, 1, FIT_C_TIMEOUTS), 0);
	end_sim(s);
}

/* --------------------------------------------------------- exactly once */

struct capture {
	int n;
	struct {
		int from, to;
		u32 len;
		u8 data[1536];
	} pkt[4096];
};

static bool capture_requests(struct sim *s, void *arg, int from, int to, const u8 *d, u32 len)
{
	struct capture *c = arg;

	if (((const struct fit_hdr *)d)->type == FIT_MSG_REQUEST && c->n < 4096 &&
	    len <= sizeof(c->pkt[0].data)) {
		c->pkt[c->n].from = from;
		c->pkt[c->n].to = to;
		c->pkt[c->n].len = len;
		memcpy(c->pkt[c->n].data, d, len);
		c->n++;
	}
	return false;
}

static void run_tagged(struct sim *s, int from, int to, u64 first, int n, int batch)
{
	struct fit_call *calls[64];
	u64 tags[64];
	int i, j;

	for (i = 0; i < n; i += batch) {
		for (j = 0; j < batch; j++) {
			tags[j] = first + i + j;
			assert_int_equal(fit_core_call_start(sim_core(s, from), to, SIM_OP_TAGGED,
							     &tags[j], 8, &tags[j], 8, 30 * SEC, 0,
							     &calls[j]), 0);
		}
		assert_true(sim_run_until_done(s, calls, batch, 30 * SEC));
		for (j = 0; j < batch; j++)
			assert_int_equal(fit_core_call_end(sim_core(s, from), calls[j]), 8);
	}
}

static void exactly_once(void);

static void test_exactly_once(void **state)
{
	exactly_once();
}

static void test_exactly_once_nosend(void **state)
{
	sim_input_nosend = true;
	exactly_once();
	sim_input_nosend = false;
}

static void exactly_once(void)
{
	struct sim *s = sim_new(2, false);
	struct capture *cap = calloc(1, sizeof(*cap));
	struct fit_call *old;
	u64 tag = 7, before;
	char out[8];
	int i;

	host_srand(7);
	/* half the datagrams twice, a tenth lost, a tenth late */
	sim_set_net(s, 100000, 500000, 100000, 0);
	/* an old call holds done_below down, so later ids stay cached */
	assert_int_equal(fit_core_call_start(sim_core(s, 0), 1, SIM_OP_DEFER, &tag, 8,
					     out, sizeof(out), 60 * SEC, 0, &old), 0);
	sim_set_filter(s, capture_requests, cap);
	run_tagged(s, 0, 1, 1000, 400, 20);
	sim_set_filter(s, NULL, NULL);
	for (i = 0; i < 400; i++)
		assert_int_equal(sim_runs(s, 1, 1000 + i), 1);
	assert_true(stat(s, 1, 0, FIT_C_DUPS) > 0);

	/* replay every request datagram: none runs again */
	before = stat(s, 1, 0, FIT_C_DUPS);
	sim_set_net(s, 0, 0, 0, 0);
	for (i = 0; i < cap->n; i++)
		sim_inject(s, cap->pkt[i].from, cap->pkt[i].to, cap->pkt[i].data, cap->pkt[i].len);
	sim_run_for(s, SEC);
	for (i = 0; i < 400; i++)
		assert_int_equal(sim_runs(s, 1, 1000 + i), 1);
	assert_true(stat(s, 1, 0, FIT_C_DUPS) >= before + cap->n);

	/* the old call completes; after it, replays die on done_below */
	assert_int_equal(sim_answer_deferred(s, 1, 0), 1);
	assert_true(sim_run_until_done(s, &old, 1, 10 * SEC));
	assert_int_equal(fit_core_call_end(sim_core(s, 0), old), 8);
	run_tagged(s, 0, 1, 5000, 1, 1);
	for (i = 0; i < cap->n; i++)
		sim_inject(s, cap->pkt[i].from, cap->pkt[i].to, cap->pkt[i].data, cap->pkt[i].len);
	sim_run_for(s, SEC);
	for (i = 0; i < 400; i++)
		assert_int_equal(sim_runs(s, 1, 1000 + i), 1);
	assert_int_equal(sim_runs(s, 1, 7), 1);
	free(cap);
	end_sim(s);
}

/* ------------------------------------------------------------ reply cache */

struct drop_reply {
	int left;		/* reply datagrams still to drop */
	u32 offs[8];		/* only these fragment offsets, if nonzero count */
	int noffs;
};

static bool drop_replies(struct sim *s, void *arg, int from, int to, const u8 *d, u32 len)
{
	const struct fit_hdr *h = (const struct fit_hdr *)d;
	struct drop_reply *dr = arg;
	int i;

	if (h->type != FIT_MSG_REPLY || dr->left <= 0)
		return false;
	if (dr->noffs) {
		for (i = 0; i < dr->noffs; i++)
			if (dr->offs[i] == fit_le32(h->frag_off) && !(fit_le16(h->flags) & FIT_F_RETRANS))
				break;
		if (i == dr->noffs)
			return false;
	}
	dr->left--;
	return true;
}

static void test_reply_cache(void **state)
{
	struct drop_reply dr = { .left = 1 };
	struct sim *s = sim_new(2, false);
	u8 *req = xmalloc(65536), *rep = xmalloc(65536);
	u64 tag = 4242, out = 0;

	/* the only reply datagram is lost: the retransmitted request gets the
	 * cached reply, and the handler does not run again */
	sim_set_filter(s, drop_replies, &dr);
	assert_int_equal(sim_call(s, 0, 1, SIM_OP_TAGGED, &tag, 8, &out, 8, 5 * SEC), 8);
	assert_int_equal(out, tag);
	assert_int_equal(sim_runs(s, 1, tag), 1);
	assert_int_equal(stat(s, 1, 0, FIT_C_DUPS), 1);
	assert_int_equal(sim_log_count(s, 1, FIT_MSG_REPLY, 0), 2);

	/* three fragments of a 64 KB reply are lost: exactly those go again */
	sim_log_clear(s);
	dr.left = 3;
	dr.noffs = 3;
	dr.offs[0] = 1408 * 2;
	dr.offs[1] = 1408 * 20;
	dr.offs[2] = 1408 * 46;		/* the last one */
	tag = 4343;
	sim_pattern(req, 65536, 3);
	memcpy(req, &tag, 8);
	assert_int_equal(sim_call(s, 0, 1, SIM_OP_TAGGED, req, 65536, rep, 65536, 5 * SEC), 65536);
	assert_memory_equal(req, rep, 65536);
	assert_int_equal(sim_runs(s, 1, tag), 1);
	assert_int_equal(sim_log_count(s, 1, FIT_MSG_REPLY, FIT_F_RETRANS), 3);
	assert_int_equal(sim_log_count(s, 1, FIT_MSG_REPLY, 0), 47 + 3);
	free(req);
	free(rep);
	end_sim(s);
}

/* ------------------------------------------------------------ time */

static void test_backoff_and_timeout(void **state)
{
	const u64 gaps[] = { 20, 40, 80, 160, 200, 200, 200 };
	struct sim *s = sim_new(2, false);
	u64 t0 = sim_now(s), prev, tag = 1;
	size_t i, k = 0;
	long r;

	sim_set_down(s, 1, true);
	r = sim_call(s, 0, 1, SIM_OP_TAGGED, &tag, 8, &tag, 8, SEC);
	assert_int_equal(r, -ETIMEDOUT);
	assert_int_equal(sim_now(s) - t0, SEC);		/* at the deadline, not later */
	assert_int_equal(stat(s, 0, 1, FIT_C_TIMEOUTS), 1);
	prev = t0;
	for (i = 0; i < sim_log_len(s); i++) {
		const struct sim_log *l = sim_log_at(s, i);

		if (l->type != FIT_MSG_REQUEST)
			continue;
		if (k)
			assert_int_equal(l->at - prev, gaps[k - 1] * MS);
		prev = l->at;
		if (++k > sizeof(gaps) / sizeof(gaps[0]))
			break;
	}
	assert_true(k >= 7);

	/* nothing more for a call that is over */
	sim_log_clear(s);
	sim_run_for(s, 3 * SEC);
	assert_int_equal(sim_log_count(s, 0, FIT_MSG_REQUEST, 0), 0);

	/* a node that comes up is talked to */
	sim_set_down(s, 1, false);
	tag = 2;
	assert_int_equal(sim_call(s, 0, 1, SIM_OP_TAGGED, &tag, 8, &tag, 8, SEC), 8);
	end_sim(s);
}

static void test_late_node(void **state)
{
	struct sim *s = sim_new(2, false);
	struct fit_call *call;
	u64 tag = 3, out = 0;

	sim_set_down(s, 1, true);
	assert_int_equal(fit_core_call_start(sim_core(s, 0), 1, SIM_OP_TAGGED, &tag, 8, &out, 8,
					     5 * SEC, 0, &call), 0);
	sim_run_for(s, 2 * SEC);
	assert_false(fit_core_call_done(call));
	sim_set_down(s, 1, false);
	assert_true(sim_run_until_done(s, &call, 1, 300 * MS));
	assert_int_equal(fit_core_call_end(sim_core(s, 0), call), 8);
	assert_int_equal(out, 3);
	assert_int_equal(sim_runs(s, 1, 3), 1);
	end_sim(s);
}

static void test_inprogress_and_late_reply(void **state)
{
	struct sim *s = sim_new(2, false);
	struct fit_call *call;
	char out[16] = "";
	u64 tag = 5;
	size_t n;

	/* a handler that takes 1 s: acknowledged, probed, then answered */
	assert_int_equal(fit_core_call_start(sim_core(s, 0), 1, SIM_OP_DEFER, &tag, 8, out,
					     sizeof(out), 5 * SEC, 0, &call), 0);
	sim_run_for(s, SEC);
	assert_false(fit_core_call_done(call));
	assert_int_equal(sim_runs(s, 1, tag), 1);
	assert_true(sim_log_count(s, 1, FIT_MSG_ACK, FIT_F_INPROG) >= 1);
	n = sim_log_count(s, 0, FIT_MSG_PROBE, 0);
	assert_true(n >= 2 && n <= 6);		/* backing off towards probe_max */
	assert_true(sim_log_count(s, 0, FIT_MSG_REQUEST, 0) <= 2);
	assert_int_equal(sim_answer_deferred(s, 1, 0), 1);
	assert_true(sim_run_until_done(s, &call, 1, SEC));
	assert_int_equal(fit_core_call_end(sim_core(s, 0), call), 8);
	assert_memory_equal(out, "deferred", 8);

	/* an error status reaches the caller */
	tag = 6;
	assert_int_equal(fit_core_call_start(sim_core(s, 0), 1, SIM_OP_DEFER, &tag, 8, out,
					     sizeof(out), 5 * SEC, 0, &call), 0);
	sim_run_for(s, 10 * MS);
	assert_int_equal(sim_answer_deferred(s, 1, -EIO), 1);
	assert_true(sim_run_until_done(s, &call, 1, SEC));
	assert_int_equal(fit_core_call_end(sim_core(s, 0), call), -EIO);

	/* timed out, then answered: the late reply is counted and released */
	tag = 8;
	assert_int_equal(sim_call(s, 0, 1, SIM_OP_DEFER, &tag, 8, out, sizeof(out), 100 * MS),
			 -ETIMEDOUT);
	sim_log_clear(s);
	assert_int_equal(sim_answer_deferred(s, 1, 0), 1);
	sim_run_for(s, 5 * SEC);
	assert_true(stat(s, 0, 1, FIT_C_LATE) >= 1);
	assert_true(sim_log_count(s, 1, FIT_MSG_REPLY, 0) <= 2);
	end_sim(s);
}

static void test_oneway(void **state)
{
	struct sim *s = sim_new(2, false);
	struct fit_call *calls[50];
	u64 tags[50];
	int i;

	host_srand(11);
	sim_set_net(s, 200000, 200000, 100000, 0);
	for (i = 0; i < 50; i++) {
		tags[i] = 300 + i;
		assert_int_equal(fit_core_call_start(sim_core(s, 0), 1, SIM_OP_ONEWAY, &tags[i], 8,
						     NULL, 0, 30 * SEC, FIT_CALL_ONEWAY, &calls[i]), 0);
	}
	assert_true(sim_run_until_done(s, calls, 50, 30 * SEC));
	for (i = 0; i < 50; i++) {
		assert_int_equal(fit_core_call_end(sim_core(s, 0), calls[i]), 0);
		assert_int_equal(sim_runs(s, 1, tags[i]), 1);
	}
	end_sim(s);
}

/* Inline handlers run where the datagram is received: no worker needed. */
static void test_inline_handlers(void **state)
{
	struct sim *s = sim_new(2, false);
	u8 buf[5000];
	u64 tag = 77;

	sim_input_nosend = true;
	sim_workers_off = true;
	assert_int_equal(sim_call(s, 0, 1, FIT_OP_ECHO, "ping", 4, buf, sizeof(buf), SEC), 4);
	assert_memory_equal(buf, "ping", 4);
	assert_int_equal(sim_call(s, 0, 1, SIM_OP_TAGGED, &tag, 8, buf, sizeof(buf), SEC),
			 -ETIMEDOUT);
	/* a request in several datagrams goes to a worker even for an inline handler */
	memset(buf, 3, sizeof(buf));
	assert_int_equal(sim_call(s, 0, 1, FIT_OP_ECHO, buf, sizeof(buf), buf, sizeof(buf),
				  SEC), -ETIMEDOUT);
	assert_true(fit_core_has_work(sim_core(s, 1)));
	sim_workers_off = false;
	sim_run_for(s, SEC);
	assert_false(fit_core_has_work(sim_core(s, 1)));
	assert_int_equal(sim_runs(s, 1, tag), 1);
	sim_input_nosend = false;
	end_sim(s);
}

static void test_errors(void **state)
{
	struct sim *s = sim_new(3, false);
	struct fit_call *call;
	u8 big[100];
	char small[10];

	assert_int_equal(sim_call(s, 0, 1, 0x999, "x", 1, NULL, 0, SEC), -EOPNOTSUPP);
	assert_int_equal(sim_call(s, 0, 7, FIT_OP_ECHO, "x", 1, NULL, 0, SEC), -EHOSTUNREACH);
	assert_int_equal(sim_call(s, 0, 99, FIT_OP_ECHO, "x", 1, NULL, 0, SEC), -EHOSTUNREACH);
	assert_int_equal(sim_call(s, 0, 0, FIT_OP_ECHO, "x", 1, NULL, 0, SEC), -EINVAL);
	assert_int_equal(fit_core_call_start(sim_core(s, 0), 1, FIT_OP_ECHO, big,
					     FIT_MAX_MSG + 1, NULL, 0, SEC, 0, &call), -EMSGSIZE);
	memset(big, 1, sizeof(big));
	assert_int_equal(sim_call(s, 0, 1, FIT_OP_ECHO, big, sizeof(big), small, sizeof(small),
				  SEC), -EMSGSIZE);
	/* the too-long reply was still acknowledged: no retransmissions */
	sim_log_clear(s);
	sim_run_for(s, 2 * SEC);
	assert_int_equal(sim_log_count(s, 1, FIT_MSG_REPLY, 0), 0);
	assert_int_equal(fit_core_register(sim_core(s, 0), SIM_OP_TAGGED, NULL, NULL), -EINVAL);
	assert_int_equal(fit_core_register(sim_core(s, 0), FIT_OP_ECHO,
					   (fit_core_handler_t)1, NULL), -EEXIST);
	end_sim(s);
}

/* ------------------------------------------------------------ epochs */

static void test_restart(void **state)
{
	struct sim *s = sim_new(2, false);
	struct capture *cap = calloc(1, sizeof(*cap));
	struct fit_call *call;
	u64 tag, out;
	int i;

	/* node 1 calls node 0 with ids 1, 2, 3 and reboots */
	for (tag = 10; tag < 13; tag++)
		assert_int_equal(sim_call(s, 1, 0, SIM_OP_TAGGED, &tag, 8, &out, 8, SEC), 8);
	sim_set_filter(s, capture_requests, cap);
	tag = 13;
	assert_int_equal(sim_call(s, 1, 0, SIM_OP_TAGGED, &tag, 8, &out, 8, SEC), 8);
	sim_set_filter(s, NULL, NULL);

	/* meanwhile node 0 has a call running on node 1 */
	tag = 20;
	assert_int_equal(fit_core_call_start(sim_core(s, 0), 1, SIM_OP_DEFER, &tag, 8, NULL, 0,
					     10 * SEC, 0, &call), 0);
	sim_run_for(s, 100 * MS);
	sim_restart(s, 1);
	/* the new incarnation's call 1 is new work, not the old call 1 */
	tag = 30;
	assert_int_equal(sim_call(s, 1, 0, SIM_OP_TAGGED, &tag, 8, &out, 8, SEC), 8);
	assert_int_equal(out, 30);
	assert_int_equal(sim_runs(s, 0, 30), 1);
	assert_int_equal(stat(s, 0, 1, FIT_C_RESETS), 1);
	/* and the call to the old one ended at once, not at its timeout */
	assert_true(sim_run_until_done(s, &call, 1, 100 * MS));
	assert_int_equal(fit_core_call_end(sim_core(s, 0), call), -ECONNRESET);

	/* datagrams of the dead incarnation are refused */
	for (i = 0; i < cap->n; i++)
		sim_inject(s, cap->pkt[i].from, cap->pkt[i].to, cap->pkt[i].data, cap->pkt[i].len);
	sim_run_for(s, 100 * MS);
	assert_true(fit_core_global_stat(sim_core(s, 0), FIT_G_STALE) >= (u64)cap->n);
	assert_int_equal(sim_runs(s, 0, 13), 1);

	/* a ping announces a restart before any call */
	sim_restart(s, 1);
	fit_core_ping(sim_core(s, 1), -1);
	sim_run_for(s, 10 * MS);
	assert_int_equal(stat(s, 0, 1, FIT_C_RESETS), 2);
	assert_true(fit_core_peer_alive(sim_core(s, 1), 0));
	echo(s, 0, 1, 5000, 1);
	free(cap);
	end_sim(s);
}

/* ------------------------------------------------------------ load */

static void test_many_calls_many_peers(void **state)
{
	struct sim *s = sim_new(4, false);
	struct fit_call *calls[4 * 3 * 10];
	u8 *req[4 * 3 * 10], *rep[4 * 3 * 10];
	size_t len[4 * 3 * 10];
	int a, b, k, n = 0;

	host_srand(5);
	sim_set_net(s, 30000, 30000, 30000, 1000);
	for (a = 0; a < 4; a++) {
		for (b = 0; b < 4; b++) {
			if (a == b)
				continue;
			for (k = 0; k < 10; k++, n++) {
				len[n] = host_rand() % (k == 9 ? 300000 : 5000);
				req[n] = xmalloc(len[n]);
				rep[n] = xmalloc(len[n]);
				sim_pattern(req[n], len[n], n);
				assert_int_equal(fit_core_call_start(sim_core(s, a), b, FIT_OP_ECHO,
								     req[n], len[n], rep[n], len[n],
								     60 * SEC, 0, &calls[n]), 0);
			}
		}
	}
	assert_true(sim_run_until_done(s, calls, n, 60 * SEC));
	n = 0;
	for (a = 0; a < 4; a++) {
		for (b = 0; b < 4; b++) {
			if (a == b)
				continue;
			for (k = 0; k < 10; k++, n++) {
				assert_int_equal(fit_core_call_end(sim_core(s, a), calls[n]),
						 (long)len[n]);
				assert_true(sim_pattern_ok(rep[n], len[n], n));
				free(req[n]);
				free(rep[n]);
			}
			assert_int_equal(stat(s, b, a, FIT_C_ECHOES), 10);
		}
	}
	end_sim(s);
}

/* More 2 MB requests at once than the reassembly budget holds. */
static void test_reassembly_budget(void **state)
{
	const size_t len = 2 << 20;
	struct sim *s = sim_new(3, false);
	struct fit_call *calls[24];
	u8 *buf[24];
	int i;

	for (i = 0; i < 24; i++) {
		buf[i] = xmalloc(len);
		sim_pattern(buf[i], len, i);
		assert_int_equal(fit_core_call_start(sim_core(s, i % 2), 2, FIT_OP_ECHO, buf[i], len,
						     buf[i], len, 120 * SEC, 0, &calls[i]), 0);
	}
	assert_true(sim_run_until_done(s, calls, 24, 120 * SEC));
	for (i = 0; i < 24; i++) {
		assert_int_equal(fit_core_call_end(sim_core(s, i % 2), calls[i]), (long)len);
		assert_true(sim_pattern_ok(buf[i], len, i));
		free(buf[i]);
	}
	/* 48 MB asked for at once against a 32 MB budget: some waited */
	assert_true(fit_core_global_stat(sim_core(s, 2), FIT_G_NOMEM) > 0);
	end_sim(s);
}

/* Allocation failures anywhere are survived: calls fail or are retried. */
static void test_alloc_failures(void **state)
{
	struct sim *s = sim_new(2, false);
	long r, i;
	u8 buf[5000];

	for (i = 0; i < 60; i++) {
		fit_host_alloc_fail_after = i;
		r = sim_call(s, 0, 1, FIT_OP_ECHO, buf, sizeof(buf), buf, sizeof(buf), SEC);
		fit_host_alloc_fail_after = -1;
		assert_true(r == (long)sizeof(buf) || r == -ENOMEM || r == -ETIMEDOUT);
	}
	fit_host_alloc_fail_after = -1;
	echo(s, 0, 1, 5000, 1);
	end_sim(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_sizes),
		cmocka_unit_test(test_page_in_three),
		cmocka_unit_test(test_small_calls_cost),
		cmocka_unit_test(test_lossy_sizes),
		cmocka_unit_test(test_lossy_sizes_nosend),
		cmocka_unit_test(test_exactly_once),
		cmocka_unit_test(test_exactly_once_nosend),
		cmocka_unit_test(test_reply_cache),
		cmocka_unit_test(test_backoff_and_timeout),
		cmocka_unit_test(test_late_node),
		cmocka_unit_test(test_inprogress_and_late_reply),
		cmocka_unit_test(test_oneway),
		cmocka_unit_test(test_inline_handlers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_many_calls_many_peers),
		cmocka_unit_test(test_reassembly_budget),
		cmocka_unit_test(test_alloc_failures),
	};

	if (getenv("FIT_TEST"))
		cmocka_set_test_filter(getenv("FIT_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
