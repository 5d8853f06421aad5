// SPDX-License-Identifier: GPL-2.0
/*
 * FIT on LegoOS: the UDP transport under the portable core (core/), the
 * threads that drive it, the command line, and the API of <lego/fit.h>.
 *
 *   NIC poll thread -- fit_core_input_nosend: checks, reassembles, wakes
 *                      the caller or queues the request; never sleeps
 *                      nor sends
 *   fit-work/N      -- handlers, which may sleep, and their replies
 *   fit-svc         -- what input left to send (acknowledgements, window
 *                      advances), retransmission and aging timers; asleep
 *                      until the next deadline or a kick
 *
 * A single-datagram call thus costs one thread hop on each side (worker,
 * caller), like a bare UDP exchange. With lego.fit_rx_thread the poll
 * thread only copies datagrams into a ring for a fit-rx thread instead.
 *
 * The transport is the fit_core_ops send hook plus the datagram size; a
 * RoCE transport would be another such pair, and no caller would change.
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/inet.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/timer.h>
#include <lego/wait.h>
#include <asm/processor.h>

#include "core/fit_core.h"
#include "fit_lego.h"

#define FIT_RX_SLOTS		512
#define FIT_WORKERS_DEFAULT	4
#define FIT_WORKERS_MAX		16
#define FIT_JOIN_TIMEOUT	(60 * NSEC_PER_SEC)

struct fit_rx_slot {
	u32 saddr;
	u16 sport;
	u32 len;
	u8 *data;
};

struct fit_worker {
	struct list_head idle;		/* on fit.idle while waiting */
	struct wait_queue_head wait;
	bool kicked;
};

static struct {
	struct fit_core *core;
	u16 port;
	u32 ip;
	size_t max_payload;
	int join_seed;
	bool rx_thread;
	bool up;			/* the API may be used */

	/* receive ring: the NIC poll thread fills it, fit-rx empties it */
	spinlock_t rx_lock;
	struct fit_rx_slot *rx;
	u32 rx_head, rx_tail;
	struct wait_queue_head rx_wait;
	atomic_long_t rx_overflow;

	struct wait_queue_head svc_wait;
	bool svc_kick;
	struct timer_list svc_timer;

	spinlock_t idle_lock;
	struct list_head idle;
	struct fit_worker workers[FIT_WORKERS_MAX];
	int nworkers;
} fit = { .join_seed = -1 };

/* ------------------------------------------------------------ transport */

void fit_udp_addr(u32 ip, u16 port, struct fit_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = FIT_ADDR_UDP4;
	a->port = port;
	a->addr[0] = ip >> 24;
	a->addr[1] = ip >> 16;
	a->addr[2] = ip >> 8;
	a->addr[3] = ip;
}

static u32 fit_addr_ip(const struct fit_addr *a)
{
	return (u32)a->addr[0] << 24 | (u32)a->addr[1] << 16 | (u32)a->addr[2] << 8 | a->addr[3];
}

static int fit_udp_send(struct fit_core *core, const struct fit_addr *to,
			const struct fit_iov *iov, int n)
{
	struct kvec kv[2];
	int i;

	if (to->kind != FIT_ADDR_UDP4 || n > 2)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		kv[i].base = iov[i].base;
		kv[i].len = iov[i].len;
	}
	return udp_sendv(fit_addr_ip(to), fit.port, to->port, kv, n);
}

/*
 * From the NIC poll thread. Either the core takes the datagram at once
 * (it neither sleeps nor sends there), or it is copied into the ring for
 * fit-rx: a full ring drops it like a lossy wire would, and the sender
 * retransmits.
 */
static void fit_udp_rcv(void *ctx, u32 saddr, u16 sport, const void *data, size_t len)
{
	struct fit_rx_slot *s;
	struct fit_addr from;

	if (!fit.rx_thread) {
		fit_udp_addr(saddr, sport, &from);
		fit_core_input_nosend(fit.core, &from, data, len);
		return;
	}
	if (len > fit.max_payload) {
		atomic_long_inc(&fit.rx_overflow);
		return;
	}
	spin_lock(&fit.rx_lock);
	if (fit.rx_head - fit.rx_tail == FIT_RX_SLOTS) {
		spin_unlock(&fit.rx_lock);
		atomic_long_inc(&fit.rx_overflow);
		return;
	}
	s = &fit.rx[fit.rx_head % FIT_RX_SLOTS];
	s->saddr = saddr;
	s->sport = sport;
	s->len = len;
	memcpy(s->data, data, len);
	fit.rx_head++;
	spin_unlock(&fit.rx_lock);
	wake_up(&fit.rx_wait);
}

static bool fit_rx_pending(void)
{
	return READ_ONCE(fit.rx_head) != READ_ONCE(fit.rx_tail);
}

static int fit_rx_thread(void *arg)
{
	struct fit_rx_slot *s;
	struct fit_addr from;

	for (;;) {
		wait_event(fit.rx_wait, fit_rx_pending());
		/* only this thread advances the tail: the slot is ours to read */
		s = &fit.rx[fit.rx_tail % FIT_RX_SLOTS];
		fit_udp_addr(s->saddr, s->sport, &from);
		fit_core_input(fit.core, &from, s->data, s->len);
		spin_lock(&fit.rx_lock);
		fit.rx_tail++;
		spin_unlock(&fit.rx_lock);
	}
	return 0;
}

/* ------------------------------------------------------------ threads */

static void fit_kick(struct fit_core *core)
{
	WRITE_ONCE(fit.svc_kick, true);
	wake_up(&fit.svc_wait);
}

static void fit_svc_timer_fn(struct timer_list *t)
{
	fit_kick(fit.core);
}

/*
 * The next deadline of the core (called with its lock held, which orders
 * the calls): a timer, so that arming one costs no thread wake-up.
 */
static void fit_arm(struct fit_core *core, u64 when)
{
	mod_timer(&fit.svc_timer, when);
}

static int fit_svc_thread(void *arg)
{
	for (;;) {
		/* cleared before looking, so a kick from now on is not lost */
		WRITE_ONCE(fit.svc_kick, false);
		if (fit_core_service(fit.core) <= ktime_get_ns())
			continue;
		wait_event(fit.svc_wait, READ_ONCE(fit.svc_kick));
	}
	return 0;
}

/* Wake one idle worker (never sleeps). */
static void fit_work_ready(struct fit_core *core)
{
	struct fit_worker *w = NULL;

	spin_lock(&fit.idle_lock);
	if (!list_empty(&fit.idle)) {
		w = list_first_entry(&fit.idle, struct fit_worker, idle);
		list_del(&w->idle);
		WRITE_ONCE(w->kicked, true);
	}
	spin_unlock(&fit.idle_lock);
	if (w)
		wake_up(&w->wait);
}

static void fit_worker_idle(struct fit_worker *w)
{
	spin_lock(&fit.idle_lock);
	WRITE_ONCE(w->kicked, false);
	list_add(&w->idle, &fit.idle);
	spin_unlock(&fit.idle_lock);
	/* work queued before we were on the list found nobody to wake */
	if (fit_core_has_work(fit.core)) {
		spin_lock(&fit.idle_lock);
		list_del(&w->idle);
		spin_unlock(&fit.idle_lock);
		return;
	}
	wait_event(w->wait, READ_ONCE(w->kicked));
}

static int fit_worker_thread(void *arg)
{
	struct fit_worker *w = arg;
	struct fit_rpc *rpc;

	for (;;) {
		rpc = fit_core_next_work(fit.core);
		if (rpc)
			fit_core_run_work(fit.core, rpc);
		else
			fit_worker_idle(w);
	}
	return 0;
}

static const struct fit_core_ops fit_lego_ops = {
	.send = fit_udp_send,
	.kick = fit_kick,
	.arm = fit_arm,
	.work_ready = fit_work_ready,
};

static int fit_start_threads(void)
{
	char name[TASK_COMM_LEN];
	int i;

	if ((fit.rx_thread && !kthread_run(fit_rx_thread, NULL, "fit-rx")) ||
	    !kthread_run(fit_svc_thread, NULL, "fit-svc"))
		return -ENOMEM;
	for (i = 0; i < fit.nworkers; i++) {
		INIT_LIST_HEAD(&fit.workers[i].idle);
		init_waitqueue_head(&fit.workers[i].wait);
		snprintf(name, sizeof(name), "fit-work/%d", i);
		if (!kthread_run(fit_worker_thread, &fit.workers[i], name))
			return -ENOMEM;
	}
	return 0;
}

static int fit_alloc_ring(void)
{
	int i;

	if (!fit.rx_thread)
		return 0;
	fit.rx = kcalloc(FIT_RX_SLOTS, sizeof(*fit.rx), GFP_KERNEL);
	if (!fit.rx)
		return -ENOMEM;
	for (i = 0; i < FIT_RX_SLOTS; i++) {
		fit.rx[i].data = kmalloc(fit.max_payload, GFP_KERNEL);
		if (!fit.rx[i].data)
			return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------ command line */

static int fit_add_member(int node, u32 ip, u16 port)
{
	struct fit_addr a;

	fit_udp_addr(ip, port, &a);
	return fit_core_add_peer(fit.core, node, &a);
}

/* "ID@A.B.C.D[:PORT]" -> node, ip, port; *end after it. */
static int fit_parse_member(const char *s, int *node, u32 *ip, u16 *port, const char **end)
{
	unsigned long long v;
	char *e;

	v = simple_strtoull(s, &e, 10);
	if (e == s || *e != '@' || v >= FIT_MAX_NODES)
		return -EINVAL;
	*node = (int)v;
	if (inet_parse_addr(e + 1, ip, end))
		return -EINVAL;
	*port = fit.port;
	if (**end == ':') {
		v = simple_strtoull(*end + 1, &e, 10);
		if (e == *end + 1 || !v || v > 65535)
			return -EINVAL;
		*port = (u16)v;
		*end = e;
	}
	return 0;
}

static int fit_parse_peers(const char *list)
{
	const char *s = list, *end;
	int node, err;
	u16 port;
	u32 ip;

	while (s && *s) {
		err = fit_parse_member(s, &node, &ip, &port, &end);
		if (err || (*end && *end != ',')) {
			pr_err("fit: bad lego.peers entry at '%s' (want ID@A.B.C.D[:PORT])\n", s);
			return -EINVAL;
		}
		if (node == fit_core_node(fit.core)) {
			if (ip != fit.ip)
				pr_warn("fit: lego.peers gives this node (%d) another address\n", node);
		} else {
			err = fit_add_member(node, ip, port);
			if (err)
				return err;
		}
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int fit_parse_join(const char *s)
{
	const char *end;
	int node;
	u16 port;
	u32 ip;

	if (fit_parse_member(s, &node, &ip, &port, &end) || *end ||
	    node == fit_core_node(fit.core)) {
		pr_err("fit: bad lego.join=%s (want ID@A.B.C.D[:PORT] of another node)\n", s);
		return -EINVAL;
	}
	fit.join_seed = node;
	return fit_add_member(node, ip, port);
}

static unsigned long fit_opt(const char *key, unsigned long dflt, unsigned long lo,
			     unsigned long hi)
{
	unsigned long v;

	if (!cmdline_has(key))
		return dflt;
	if (cmdline_get_ulong(key, &v) || v < lo || v > hi) {
		pr_err("fit: bad %s=%s, using %lu\n", key, cmdline_get(key), dflt);
		return dflt;
	}
	return v;
}

/* Random enough that a rebooted node never reuses its last epoch. */
static u32 fit_make_epoch(int node)
{
	u64 x = rdtsc() ^ (ktime_get_ns() << 21) ^ ((u64)fit.ip << 32) ^ (u64)node;

	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (u32)x ? (u32)x : 1;
}

/* ------------------------------------------------------------ start */

static int fit_join_thread(void *arg)
{
	int n = fit_core_join(fit.core, fit.join_seed, FIT_JOIN_TIMEOUT);

	if (n < 0)
		pr_err("fit: join through node %d failed (%d)\n", fit.join_seed, n);
	else
		pr_info("fit: joined through node %d: %d peers\n", fit.join_seed, n);
	return 0;
}

static struct fit_core *fit_create_core(int node)
{
	struct fit_params p;
	struct fit_addr self;

	fit_params_default(&p);
	p.max_payload = fit.max_payload;
	p.window = fit_opt("lego.fit_window", p.window, 2, FIT_SACK_BITS);
	fit_udp_addr(fit.ip, fit.port, &self);
	return fit_core_create(node, fit_make_epoch(node), &self, &p, &fit_lego_ops, NULL);
}

static int fit_configure(void)
{
	unsigned long node;

	if (!cmdline_has("lego.node")) {
		pr_info("fit: no lego.node=, FIT is off\n");
		return -ENODEV;
	}
	if (cmdline_get_ulong("lego.node", &node) || node >= FIT_MAX_NODES) {
		pr_err("fit: bad lego.node=%s (0..%d)\n", cmdline_get("lego.node"), FIT_MAX_NODES - 1);
		return -EINVAL;
	}
	fit.port = fit_opt("lego.fit_port", FIT_UDP_PORT, 1, 65535);
	fit.nworkers = fit_opt("lego.fit_workers", FIT_WORKERS_DEFAULT, 1, FIT_WORKERS_MAX);
	fit.rx_thread = cmdline_get_bool("lego.fit_rx_thread", false);
	fit.ip = inet_local_addr();
	if (!fit.ip) {
		pr_err("fit: no IPv4 address (lego.ip=), FIT is off\n");
		return -ENETDOWN;
	}
	fit.max_payload = udp_max_payload();
	fit.core = fit_create_core((int)node);
	if (!fit.core) {
		pr_err("fit: cannot create the transport (datagram payload %zu)\n", fit.max_payload);
		return -ENOMEM;
	}
	return 0;
}

static int fit_setup_members(void)
{
	const char *join = cmdline_get("lego.join");
	int err;

	err = fit_parse_peers(cmdline_get("lego.peers"));
	if (!err && join)
		err = fit_parse_join(join);
	return err;
}

int fit_init(void)
{
	int err;

	spin_lock_init(&fit.rx_lock);
	spin_lock_init(&fit.idle_lock);
	init_waitqueue_head(&fit.rx_wait);
	init_waitqueue_head(&fit.svc_wait);
	timer_setup(&fit.svc_timer, fit_svc_timer_fn);
	INIT_LIST_HEAD(&fit.idle);
	cmdline_has("lego.fit_stats");		/* read by fit_echo_test */
	err = fit_configure();
	if (err)
		return err;
	err = fit_setup_members();
	if (!err)
		err = fit_alloc_ring();
	/* bound before the threads exist: what arrives meanwhile waits for them */
	if (!err)
		err = udp_bind(fit.port, fit_udp_rcv, NULL);
	if (err) {
		pr_err("fit: start failed (%d), FIT is off\n", err);
		fit_core_destroy(fit.core);
		fit.core = NULL;
		return err;
	}
	err = fit_start_threads();
	if (err) {
		/* what started keeps running on a valid core; the API stays off */
		pr_err("fit: cannot start threads (%d), FIT is off\n", err);
		return err;
	}
	WRITE_ONCE(fit.up, true);
	pr_info("fit: node %d epoch %08x at %u.%u.%u.%u:%u, %zu bytes per datagram, %d workers\n",
		fit_core_node(fit.core), fit_core_epoch(fit.core), fit.ip >> 24,
		(fit.ip >> 16) & 0xff, (fit.ip >> 8) & 0xff, fit.ip & 0xff, fit.port,
		fit.max_payload, fit.nworkers);
	/* tell the nodes we know that we are (back) up */
	fit_core_ping(fit.core, -1);
	if (fit.join_seed >= 0 && !kthread_run(fit_join_thread, NULL, "fit-join"))
		pr_err("fit: cannot start the join thread\n");
	return 0;
}

/* ------------------------------------------------------------ API */

struct fit_core *fit_lego_core(void)
{
	return READ_ONCE(fit.up) ? fit.core : NULL;
}

int fit_node_id(void)
{
	struct fit_core *core = fit_lego_core();

	return core ? fit_core_node(core) : -1;
}

int fit_register_handler_flags(u32 opcode, fit_handler_t fn, void *data, unsigned int flags)
{
	struct fit_core *core = fit_lego_core();

	if (!core)
		return -ENETDOWN;
	if (opcode >= FIT_OP_INTERNAL || (flags & ~FIT_HANDLER_INLINE))
		return -EINVAL;
	return fit_core_register_flags(core, opcode, fn, data, flags);
}

int fit_register_handler(u32 opcode, fit_handler_t fn, void *data)
{
	return fit_register_handler_flags(opcode, fn, data, 0);
}

long fit_call(int node, u32 opcode, const void *req, size_t len,
	      void *reply, size_t max, u64 timeout_ns)
{
	struct fit_core *core = fit_lego_core();

	if (!core)
		return -ENETDOWN;
	return fit_core_call(core, node, opcode, req, len, reply, max, timeout_ns);
}

int fit_send(int node, u32 opcode, const void *msg, size_t len, u64 timeout_ns)
{
	struct fit_core *core = fit_lego_core();

	if (!core)
		return -ENETDOWN;
	return fit_core_send(core, node, opcode, msg, len, timeout_ns);
}

int fit_reply(struct fit_rpc *rpc, const void *reply, size_t len, int status)
{
	return fit_core_reply(rpc, reply, len, status);
}

int fit_rpc_source(const struct fit_rpc *rpc)
{
	return fit_rpc_node(rpc);
}

int fit_add_peer(int node, u32 ip, u16 port)
{
	if (!fit_lego_core())
		return -ENETDOWN;
	return fit_add_member(node, ip, port);
}

int fit_peer_ip(int node, u32 *ip)
{
	struct fit_core *core = fit_lego_core();
	struct fit_addr a;

	if (!core || fit_core_peer_addr(core, node, &a) || a.kind != FIT_ADDR_UDP4)
		return -ENOENT;
	*ip = fit_addr_ip(&a);
	return 0;
}

bool fit_peer_alive(int node)
{
	struct fit_core *core = fit_lego_core();

	return core && fit_core_peer_alive(core, node);
}

int fit_wait_peer(int node, u64 timeout_ns)
{
	struct fit_core *core = fit_lego_core();
	u64 end = ktime_get_ns() + timeout_ns;

	if (!core)
		return -ENETDOWN;
	if (!fit_core_has_peer(core, node))
		return -EHOSTUNREACH;
	while (!fit_core_peer_alive(core, node)) {
		if (ktime_get_ns() >= end)
			return -ETIMEDOUT;
		fit_core_ping(core, node);
		msleep(50);
	}
	return 0;
}

void fit_print_stats(void)
{
	struct fit_core *core = fit_lego_core();

	if (!core)
		return;
	fit_core_print_stats(core);
	pr_info("fit: receive ring overflows %ld\n", atomic_long_read(&fit.rx_overflow));
}
