// SPDX-License-Identifier: GPL-2.0
/* A simulated network of FIT cores for the unit tests; see sim.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fit_os_host.h"
#include "host.h"
#include "sim.h"

#define SIM_WORKERS	2
#define SIM_MAX_DEFER	1024
#define SIM_STEP_LIMIT	50000000UL

struct sim_pkt {
	struct sim_pkt *next;
	u64 at;
	int from, to;
	u32 len;
	u8 data[];
};

struct sim_node {
	struct sim *s;
	int id;
	int boots;
	struct fit_core *core;
	bool down;
	u32 peer_mask;
	u32 *runs;
	u64 total_runs;
	pthread_mutex_t dlock;
	struct fit_rpc *deferred[SIM_MAX_DEFER];
	int ndeferred;
	/* real time only */
	pthread_t svc, workers[SIM_WORKERS];
	pthread_mutex_t m;
	pthread_cond_t c;
	bool kicked, work;
};

struct sim {
	int n;
	bool realtime;
	volatile bool stop;
	struct sim_node nodes[SIM_MAX_NODES];
	pthread_mutex_t lock;		/* queue, log, wire settings */
	pthread_cond_t qcond;
	struct sim_pkt *queue;
	u32 loss, dup, reorder, corrupt;
	u64 delay, jitter;
	sim_filter_t filter;
	void *farg;
	struct sim_log *log;
	size_t nlog, log_cap;
	pthread_t net;
};

void sim_addr(int node, struct fit_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = FIT_ADDR_UDP4;
	a->port = SIM_PORT;
	a->addr[0] = 10;
	a->addr[3] = (u8)(node + 1);
}

u64 sim_now(struct sim *s)
{
	return fit_os_now_ns();
}

static bool sim_chance(u32 ppm)
{
	return ppm && host_rand() % 1000000 < ppm;
}

/* ------------------------------------------------------------ the wire */

static void sim_log_add(struct sim *s, int from, int to, const u8 *d, u32 len, bool dropped)
{
	const struct fit_hdr *h = (const struct fit_hdr *)d;
	struct sim_log *l;

	if (s->nlog == s->log_cap) {
		s->log_cap = s->log_cap ? 2 * s->log_cap : 4096;
		s->log = realloc(s->log, s->log_cap * sizeof(*s->log));
		assert_non_null(s->log);
	}
	l = &s->log[s->nlog++];
	memset(l, 0, sizeof(*l));
	l->at = sim_now(s);
	l->from = from;
	l->to = to;
	l->len = len;
	l->dropped = dropped;
	if (len >= sizeof(*h)) {
		l->type = h->type;
		l->flags = fit_le16(h->flags);
		l->id = fit_le64(h->call_id);
		l->frag_off = fit_le32(h->frag_off);
	}
	if (getenv("SIM_DUMP"))
		printf("%12.6f %d->%d type %u flags %04x id %llu off %u len %u%s\n",
		       (double)l->at / 1e9, from, to, l->type, l->flags,
		       (unsigned long long)l->id, l->frag_off, len, dropped ? " DROP" : "");
}

/* Queue a copy for delivery at `at`, in time order (FIFO among equals). */
static void sim_enqueue(struct sim *s, int from, int to, const u8 *d, u32 len, u64 at)
{
	struct sim_pkt *p = malloc(sizeof(*p) + len), **pos;

	assert_non_null(p);
	p->at = at;
	p->from = from;
	p->to = to;
	p->len = len;
	memcpy(p->data, d, len);
	for (pos = &s->queue; *pos && (*pos)->at <= at; pos = &(*pos)->next)
		;
	p->next = *pos;
	*pos = p;
}

static void sim_wire(struct sim *s, int from, int to, u8 *d, u32 len)
{
	u64 at;
	int copies, i;

	if (to < 0 || to >= s->n || s->nodes[from].down || s->nodes[to].down ||
	    (s->filter && s->filter(s, s->farg, from, to, d, len)) ||
	    sim_chance(s->loss)) {
		sim_log_add(s, from, to, d, len, true);
		return;
	}
	sim_log_add(s, from, to, d, len, false);
	copies = sim_chance(s->dup) ? 2 : 1;
	for (i = 0; i < copies; i++) {
		at = sim_now(s) + s->delay + (s->jitter ? host_rand() % s->jitter : 0);
		if (sim_chance(s->reorder))
			at += 4 * s->delay + 1000000;	/* overtaken by what follows */
		if (sim_chance(s->corrupt))
			d[host_rand() % len] ^= 1 << (host_rand() % 8);
		sim_enqueue(s, from, to, d, len, at);
	}
}

static int sim_send(struct fit_core *core, const struct fit_addr *to,
		    const struct fit_iov *iov, int n)
{
	struct sim_node *src = fit_core_priv(core);
	struct sim *s = src->s;
	static __thread u8 buf[65536 + 64];
	u32 len = 0;
	int i;

	for (i = 0; i < n; i++) {
		assert_true(len + iov[i].len <= sizeof(buf));
		memcpy(buf + len, iov[i].base, iov[i].len);
		len += iov[i].len;
	}
	assert_int_equal(to->kind, FIT_ADDR_UDP4);
	pthread_mutex_lock(&s->lock);
	sim_wire(s, src->id, to->addr[3] - 1, buf, len);
	pthread_mutex_unlock(&s->lock);
	if (s->realtime)
		pthread_cond_broadcast(&s->qcond);
	return 0;
}

void sim_inject(struct sim *s, int from, int to, const void *data, size_t len)
{
	pthread_mutex_lock(&s->lock);
	sim_enqueue(s, from, to, data, (u32)len, sim_now(s));
	pthread_mutex_unlock(&s->lock);
	if (s->realtime)
		pthread_cond_broadcast(&s->qcond);
}

bool sim_input_nosend;

static void sim_deliver(struct sim *s, struct sim_pkt *p)
{
	struct fit_addr from;

	if (!s->nodes[p->to].down && s->nodes[p->to].core) {
		sim_addr(p->from, &from);
		if (sim_input_nosend)
			fit_core_input_nosend(s->nodes[p->to].core, &from, p->data, p->len);
		else
			fit_core_input(s->nodes[p->to].core, &from, p->data, p->len);
	}
	free(p);
}

/* Deliver the first datagram due by `now`; false if none. */
static bool sim_deliver_one(struct sim *s, u64 now)
{
	struct sim_pkt *p = NULL;

	pthread_mutex_lock(&s->lock);
	if (s->queue && s->queue->at <= now) {
		p = s->queue;
		s->queue = p->next;
	}
	pthread_mutex_unlock(&s->lock);
	if (!p)
		return false;
	sim_deliver(s, p);
	return true;
}

/* ------------------------------------------------------------ handlers */

static u64 sim_tag(const void *req, size_t len)
{
	u64 tag = 0;

	if (len >= 8)
		memcpy(&tag, req, 8);
	return tag;
}

static void sim_count(struct sim_node *n, const void *req, size_t len)
{
	__atomic_add_fetch(&n->runs[sim_tag(req, len) % SIM_TAGS], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&n->total_runs, 1, __ATOMIC_RELAXED);
}

static void sim_tagged(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	sim_count(data, req, len);
	fit_core_reply(rpc, req, len, 0);
}

static void sim_defer(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	struct sim_node *n = data;

	sim_count(n, req, len);
	pthread_mutex_lock(&n->dlock);
	assert_true(n->ndeferred < SIM_MAX_DEFER);
	n->deferred[n->ndeferred++] = rpc;
	pthread_mutex_unlock(&n->dlock);
}

static void sim_oneway(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	sim_count(data, req, len);
	fit_core_reply(rpc, NULL, 0, 0);
}

int sim_answer_deferred(struct sim *s, int node, int status)
{
	struct sim_node *n = &s->nodes[node];
	struct fit_rpc *rpc;
	int count = 0;

	for (;;) {
		pthread_mutex_lock(&n->dlock);
		rpc = n->ndeferred ? n->deferred[--n->ndeferred] : NULL;
		pthread_mutex_unlock(&n->dlock);
		if (!rpc)
			return count;
		fit_core_reply(rpc, "deferred", 8, status);
		count++;
	}
}

int sim_deferred(struct sim *s, int node)
{
	return s->nodes[node].ndeferred;
}

/* ------------------------------------------------------------ nodes */

static void sim_kick(struct fit_core *core)
{
	struct sim_node *n = fit_core_priv(core);

	if (!n->s->realtime)
		return;
	pthread_mutex_lock(&n->m);
	n->kicked = true;
	pthread_cond_broadcast(&n->c);
	pthread_mutex_unlock(&n->m);
}

static void sim_work_ready(struct fit_core *core)
{
	struct sim_node *n = fit_core_priv(core);

	if (!n->s->realtime)
		return;
	pthread_mutex_lock(&n->m);
	n->work = true;
	pthread_cond_broadcast(&n->c);
	pthread_mutex_unlock(&n->m);
}

static const struct fit_core_ops sim_ops = {
	.send = sim_send,
	.kick = sim_kick,
	.work_ready = sim_work_ready,
};

static void sim_boot(struct sim *s, int i)
{
	struct sim_node *n = &s->nodes[i];
	struct fit_params p;
	struct fit_addr a;
	int j;

	fit_params_default(&p);
	sim_addr(i, &a);
	n->boots++;
	/* distinct for every node and boot, never 0 */
	n->core = fit_core_create(i, 0x10000u * (i + 1) + 7919u * n->boots, &a, &p, &sim_ops, n);
	assert_non_null(n->core);
	for (j = 0; j < s->n; j++) {
		if (j == i || !(n->peer_mask & (1u << j)))
			continue;
		sim_addr(j, &a);
		assert_int_equal(fit_core_add_peer(n->core, j, &a), 0);
	}
	assert_int_equal(fit_core_register(n->core, SIM_OP_TAGGED, sim_tagged, n), 0);
	assert_int_equal(fit_core_register(n->core, SIM_OP_DEFER, sim_defer, n), 0);
	assert_int_equal(fit_core_register(n->core, SIM_OP_ONEWAY, sim_oneway, n), 0);
}

void sim_set_peer_mask(struct sim *s, int node, u32 mask)
{
	struct sim_node *n = &s->nodes[node];

	n->peer_mask = mask;
	fit_core_destroy(n->core);
	n->boots = 0;
	sim_boot(s, node);
}

void sim_restart(struct sim *s, int node)
{
	struct sim_node *n = &s->nodes[node];

	assert_false(s->realtime);
	sim_answer_deferred(s, node, -ECONNRESET);
	fit_core_destroy(n->core);
	sim_boot(s, node);
}

/* ------------------------------------------------------------ threads */

static void *sim_net_thread(void *arg)
{
	struct sim *s = arg;
	struct timespec ts;
	struct sim_pkt *p;
	u64 now, wait;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		now = sim_now(s);
		if (s->queue && s->queue->at <= now) {
			p = s->queue;
			s->queue = p->next;
			pthread_mutex_unlock(&s->lock);
			sim_deliver(s, p);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		wait = s->queue ? s->queue->at - now : 10000000;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		wait += (u64)ts.tv_nsec;
		ts.tv_sec += wait / 1000000000;
		ts.tv_nsec = wait % 1000000000;
		pthread_cond_timedwait(&s->qcond, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void sim_cond_wait_until(struct sim_node *n, u64 deadline)
{
	struct timespec ts;
	u64 now = sim_now(n->s), wait = deadline > now ? deadline - now : 0;

	wait = wait > 100000000 ? 100000000 : wait;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	wait += (u64)ts.tv_nsec;
	ts.tv_sec += wait / 1000000000;
	ts.tv_nsec = wait % 1000000000;
	pthread_cond_timedwait(&n->c, &n->m, &ts);
}

static void *sim_svc_thread(void *arg)
{
	struct sim_node *n = arg;
	u64 next;

	while (!n->s->stop) {
		pthread_mutex_lock(&n->m);
		n->kicked = false;
		pthread_mutex_unlock(&n->m);
		next = fit_core_service(n->core);
		pthread_mutex_lock(&n->m);
		if (!n->kicked && !n->s->stop && sim_now(n->s) < next)
			sim_cond_wait_until(n, next);
		pthread_mutex_unlock(&n->m);
	}
	return NULL;
}

static void *sim_worker_thread(void *arg)
{
	struct sim_node *n = arg;
	struct fit_rpc *rpc;

	while (!n->s->stop) {
		rpc = fit_core_next_work(n->core);
		if (rpc) {
			fit_core_run_work(n->core, rpc);
			continue;
		}
		pthread_mutex_lock(&n->m);
		if (!n->work && !n->s->stop)
			sim_cond_wait_until(n, sim_now(n->s) + 100000000);
		n->work = false;
		pthread_mutex_unlock(&n->m);
	}
	return NULL;
}

static void sim_start_threads(struct sim *s)
{
	int i, w;

	assert_int_equal(pthread_create(&s->net, NULL, sim_net_thread, s), 0);
	for (i = 0; i < s->n; i++) {
		assert_int_equal(pthread_create(&s->nodes[i].svc, NULL, sim_svc_thread,
						&s->nodes[i]), 0);
		for (w = 0; w < SIM_WORKERS; w++)
			assert_int_equal(pthread_create(&s->nodes[i].workers[w], NULL,
							sim_worker_thread, &s->nodes[i]), 0);
	}
}

static void sim_stop_threads(struct sim *s)
{
	int i, w;

	s->stop = true;
	pthread_cond_broadcast(&s->qcond);
	pthread_join(s->net, NULL);
	for (i = 0; i < s->n; i++) {
		sim_kick(s->nodes[i].core);
		sim_work_ready(s->nodes[i].core);
		pthread_join(s->nodes[i].svc, NULL);
		for (w = 0; w < SIM_WORKERS; w++)
			pthread_join(s->nodes[i].workers[w], NULL);
	}
}

/* ------------------------------------------------------------ life */

/* Timed waits are computed on CLOCK_MONOTONIC, like fit_os_now_ns(). */
static void sim_cond_init(pthread_cond_t *c)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(c, &a);
	pthread_condattr_destroy(&a);
}

static long sim_alloc_base;

long sim_leaked(void)
{
	return fit_host_allocs - sim_alloc_base;
}

struct sim *sim_new(int nnodes, bool realtime)
{
	return sim_new_masked(nnodes, realtime, NULL);
}

struct sim *sim_new_masked(int nnodes, bool realtime, const u32 *masks)
{
	struct sim *s = calloc(1, sizeof(*s));
	int i;

	assert_non_null(s);
	assert_true(nnodes > 0 && nnodes <= SIM_MAX_NODES);
	sim_alloc_base = fit_host_allocs;
	fit_host_fake_clock = !realtime;
	if (!realtime)
		fit_host_now = 1000000000ULL;
	s->n = nnodes;
	s->realtime = realtime;
	s->delay = 500000;
	pthread_mutex_init(&s->lock, NULL);
	sim_cond_init(&s->qcond);
	for (i = 0; i < nnodes; i++) {
		struct sim_node *n = &s->nodes[i];

		n->s = s;
		n->id = i;
		n->peer_mask = masks ? masks[i] : ~0u;
		n->runs = calloc(SIM_TAGS, sizeof(*n->runs));
		assert_non_null(n->runs);
		pthread_mutex_init(&n->dlock, NULL);
		pthread_mutex_init(&n->m, NULL);
		sim_cond_init(&n->c);
		sim_boot(s, i);
	}
	if (realtime)
		sim_start_threads(s);
	return s;
}

void sim_free(struct sim *s)
{
	struct sim_pkt *p;
	int i;

	if (s->realtime)
		sim_stop_threads(s);
	for (i = 0; i < s->n; i++)
		sim_answer_deferred(s, i, -ECONNRESET);
	for (i = 0; i < s->n; i++) {
		fit_core_destroy(s->nodes[i].core);
		s->nodes[i].core = NULL;
		free(s->nodes[i].runs);
	}
	while ((p = s->queue)) {
		s->queue = p->next;
		free(p);
	}
	free(s->log);
	free(s);
	fit_host_fake_clock = false;
}

struct fit_core *sim_core(struct sim *s, int node)
{
	return s->nodes[node].core;
}

void sim_set_net(struct sim *s, u32 loss, u32 dup, u32 reorder, u32 corrupt)
{
	pthread_mutex_lock(&s->lock);
	s->loss = loss;
	s->dup = dup;
	s->reorder = reorder;
	s->corrupt = corrupt;
	pthread_mutex_unlock(&s->lock);
}

void sim_set_delay(struct sim *s, u64 delay_ns, u64 jitter_ns)
{
	pthread_mutex_lock(&s->lock);
	s->delay = delay_ns;
	s->jitter = jitter_ns;
	pthread_mutex_unlock(&s->lock);
}

void sim_set_filter(struct sim *s, sim_filter_t fn, void *arg)
{
	pthread_mutex_lock(&s->lock);
	s->filter = fn;
	s->farg = arg;
	pthread_mutex_unlock(&s->lock);
}

void sim_set_down(struct sim *s, int node, bool down)
{
	pthread_mutex_lock(&s->lock);
	s->nodes[node].down = down;
	pthread_mutex_unlock(&s->lock);
}

/* ------------------------------------------------------------ fake time */

bool sim_workers_off;

static bool sim_run_work(struct sim *s)
{
	struct fit_rpc *rpc;
	bool ran = false;
	int i;

	if (sim_workers_off)
		return false;
	for (i = 0; i < s->n; i++) {
		while ((rpc = fit_core_next_work(s->nodes[i].core))) {
			fit_core_run_work(s->nodes[i].core, rpc);
			ran = true;
		}
	}
	return ran;
}

/* Run everything due now; return when the next thing is due. */
static u64 sim_step(struct sim *s)
{
	u64 now = sim_now(s), next, d;
	unsigned long steps = 0;
	bool busy = true;
	int i;

	while (busy) {
		assert_true(++steps < SIM_STEP_LIMIT);
		busy = false;
		while (sim_deliver_one(s, now))
			busy = true;
		busy |= sim_run_work(s);
		next = FIT_NEVER;
		for (i = 0; i < s->n; i++) {
			d = fit_core_service(s->nodes[i].core);
			next = d < next ? d : next;
		}
		pthread_mutex_lock(&s->lock);
		if (s->queue && s->queue->at < next)
			next = s->queue->at;
		pthread_mutex_unlock(&s->lock);
		if (next <= now)
			busy = true;
	}
	return next;
}

static bool sim_calls_done(struct fit_call **calls, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (calls[i] && !fit_core_call_done(calls[i]))
			return false;
	return true;
}

/* Run until the calls are over or `end`; true if they are over. */
static bool sim_run_until(struct sim *s, u64 end, struct fit_call **calls, int n)
{
	u64 next;

	assert_false(s->realtime);
	for (;;) {
		next = sim_step(s);
		if (calls && sim_calls_done(calls, n))
			return true;
		if (next > end) {
			fit_host_now = end > fit_host_now ? end : fit_host_now;
			sim_step(s);
			return calls && sim_calls_done(calls, n);
		}
		fit_host_now = next;
	}
}

void sim_run_for(struct sim *s, u64 ns)
{
	sim_run_until(s, sim_now(s) + ns, NULL, 0);
}

bool sim_run_until_done(struct sim *s, struct fit_call **calls, int n, u64 limit_ns)
{
	return sim_run_until(s, sim_now(s) + limit_ns, calls, n);
}

long sim_call(struct sim *s, int from, int to, u32 op, const void *req, size_t len,
	      void *reply, size_t max, u64 timeout_ns)
{
	struct fit_call *call;
	int err;

	err = fit_core_call_start(s->nodes[from].core, to, op, req, len, reply, max,
				  timeout_ns, 0, &call);
	if (err)
		return err;
	sim_run_until(s, fit_core_call_deadline(call), &call, 1);
	return fit_core_call_end(s->nodes[from].core, call);
}

/* ------------------------------------------------------------ bookkeeping */

u32 sim_runs(struct sim *s, int node, u64 tag)
{
	return __atomic_load_n(&s->nodes[node].runs[tag % SIM_TAGS], __ATOMIC_RELAXED);
}

u64 sim_total_runs(struct sim *s, int node)
{
	return __atomic_load_n(&s->nodes[node].total_runs, __ATOMIC_RELAXED);
}

size_t sim_log_len(struct sim *s)
{
	return s->nlog;
}

const struct sim_log *sim_log_at(struct sim *s, size_t i)
{
	return &s->log[i];
}

void sim_log_clear(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	s->nlog = 0;
	pthread_mutex_unlock(&s->lock);
}

size_t sim_log_count(struct sim *s, int from, u8 type, u16 flags)
{
	size_t i, n = 0;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nlog; i++)
		if ((from < 0 || s->log[i].from == from) && (!type || s->log[i].type == type) &&
		    (s->log[i].flags & flags) == flags)
			n++;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void sim_pattern(void *buf, size_t len, u64 seed)
{
	u8 *b = buf;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (u8)(seed * 0x9e37 + i * 0x3b + (i >> 8) * 0x11 + (i >> 16));
}

bool sim_pattern_ok(const void *buf, size_t len, u64 seed)
{
	const u8 *b = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != (u8)(seed * 0x9e37 + i * 0x3b + (i >> 8) * 0x11 + (i >> 16)))
			return false;
	return true;
}
