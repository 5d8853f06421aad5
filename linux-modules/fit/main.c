// SPDX-License-Identifier: GPL-2.0
/*
 * lego_fit.ko: FIT, the LegoOS RPC layer, on Linux.
 *
 * The protocol itself is the portable core in net/fit/core/, compiled
 * into this module unchanged. This file is its Linux environment: module
 * parameters, a kernel UDP socket as the transport, the service thread
 * that runs the core's timers, worker threads that run request handlers,
 * and the API exported to other modules (lego_fit.h). /proc/lego_fit/ is
 * the control interface (proc.c).
 */
#define pr_fmt(fmt) "lego_fit: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/hrtimer.h>
#include <linux/random.h>
#include <linux/inet.h>
#include <linux/in.h>
#include <linux/net.h>
#include <linux/rwsem.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "fit_linux.h"

static int node = -1;
module_param(node, int, 0444);
MODULE_PARM_DESC(node, "this node's FIT id (required)");

static char *peers = "";
module_param(peers, charp, 0444);
MODULE_PARM_DESC(peers, "the cluster: ID@ADDR[:PORT],... (this node may be listed)");

static ushort port = FIT_UDP_PORT;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "UDP port to listen on and default port of peers");

static char *join = "";
module_param(join, charp, 0444);
MODULE_PARM_DESC(join, "ID@ADDR[:PORT] of a node to join the cluster through");

static int workers = 8;
module_param(workers, int, 0444);
MODULE_PARM_DESC(workers, "worker threads running request handlers");

static int mtu = 1500;
module_param(mtu, int, 0444);
MODULE_PARM_DESC(mtu, "link MTU; FIT datagrams are at most MTU - 28 bytes");

struct lego_fit lego_fit;

/* Longest datagram we receive (a UDP datagram cannot be longer). */
#define FIT_RX_BUF	65536
#define FIT_MAX_IOV	8

/* ------------------------------------------------------------ addresses */

static void fit_addr_udp4(struct fit_addr *a, __be32 ip, u16 udp_port)
{
	memset(a, 0, sizeof(*a));
	a->kind = FIT_ADDR_UDP4;
	a->port = udp_port;
	memcpy(a->addr, &ip, 4);
}

/* Parse "ID@A.B.C.D[:PORT]" (len bytes of s). */
static int parse_member(const char *s, size_t len, int *id, struct fit_addr *addr)
{
	char buf[48];
	char *at, *colon;
	__be32 ip;
	u16 p = port;
	int err;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	at = strchr(buf, '@');
	if (!at)
		return -EINVAL;
	*at++ = '\0';
	err = kstrtoint(buf, 10, id);
	if (err)
		return err;
	if (*id < 0 || *id >= FIT_MAX_NODES)
		return -ERANGE;
	colon = strchr(at, ':');
	if (colon) {
		*colon++ = '\0';
		err = kstrtou16(colon, 10, &p);
		if (err)
			return err;
	}
	if (!in4_pton(at, -1, (u8 *)&ip, -1, NULL))
		return -EINVAL;
	fit_addr_udp4(addr, ip, p);
	return 0;
}

/* Call fn for every member of a comma-separated list. */
static int for_each_member(const char *list,
			   int (*fn)(int id, const struct fit_addr *addr, void *arg),
			   void *arg)
{
	const char *s = list;

	while (s && *s) {
		const char *end = strchrnul(s, ',');
		struct fit_addr addr;
		int id, err;

		if (end > s) {
			err = parse_member(s, end - s, &id, &addr);
			if (err) {
				pr_err("bad member '%.*s' (expected ID@ADDR[:PORT])\n",
				       (int)(end - s), s);
				return err;
			}
			err = fn(id, &addr, arg);
			if (err)
				return err;
		}
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int find_self(int id, const struct fit_addr *addr, void *arg)
{
	if (id == node)
		*(struct fit_addr *)arg = *addr;
	return 0;
}

static int add_peer(int id, const struct fit_addr *addr, void *arg)
{
	int err;

	if (id == node)
		return 0;
	err = fit_core_add_peer(lego_fit.core, id, addr);
	if (err)
		pr_err("cannot add peer %d: %d\n", id, err);
	return err;
}

static int take_seed(int id, const struct fit_addr *addr, void *arg)
{
	int *seed = arg;

	if (*seed >= 0)
		return -EINVAL;		/* one seed only */
	*seed = id;
	if (id == node)
		return -EINVAL;
	return fit_core_add_peer(lego_fit.core, id, addr);
}

/* ------------------------------------------------------------ transport */

static int lego_fit_udp_send(struct fit_core *core, const struct fit_addr *to,
			     const struct fit_iov *iov, int n)
{
	struct kvec vec[FIT_MAX_IOV];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct msghdr msg = {
		.msg_name = &sin,
		.msg_namelen = sizeof(sin),
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL,
	};
	size_t total = 0;
	int i, ret;

	if (to->kind != FIT_ADDR_UDP4 || n > FIT_MAX_IOV || !lego_fit.sock)
		return -EINVAL;
	memcpy(&sin.sin_addr.s_addr, to->addr, 4);
	sin.sin_port = htons(to->port);
	for (i = 0; i < n; i++) {
		vec[i].iov_base = (void *)iov[i].base;
		vec[i].iov_len = iov[i].len;
		total += iov[i].len;
	}
	ret = kernel_sendmsg(lego_fit.sock, &msg, vec, n, total);
	if (ret == -EAGAIN || ret == -ENOBUFS) {
		/* The socket buffer is full: wait for room once. */
		msg.msg_flags = MSG_NOSIGNAL;
		ret = kernel_sendmsg(lego_fit.sock, &msg, vec, n, total);
	}
	if (ret < 0)
		return ret;
	return ret == total ? 0 : -EIO;
}

static int lego_fit_rx_thread(void *unused)
{
	void *buf = lego_fit.rxbuf;
	int errors = 0;

	while (!kthread_should_stop()) {
		struct sockaddr_in sin;
		struct kvec vec = { .iov_base = buf, .iov_len = FIT_RX_BUF };
		struct msghdr msg = {
			.msg_name = &sin,
			.msg_namelen = sizeof(sin),
		};
		struct fit_addr from;
		int len;

		len = kernel_recvmsg(lego_fit.sock, &msg, &vec, 1, FIT_RX_BUF, 0);
		if (len < 0) {
			if (len != -EAGAIN && len != -EINTR && ++errors > 100) {
				/* e.g. ICMP errors reported on the socket: don't spin */
				msleep(1);
				errors = 0;
			}
			continue;
		}
		if (kthread_should_stop())
			break;
		if (msg.msg_namelen < sizeof(sin) || sin.sin_family != AF_INET)
			continue;
		fit_addr_udp4(&from, sin.sin_addr.s_addr, ntohs(sin.sin_port));
		fit_core_input(lego_fit.core, &from, buf, len);
	}
	return 0;
}

static int lego_fit_open_socket(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_ANY),
		.sin_port = htons(port),
	};
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, IPPROTO_UDP, &sock);
	if (err)
		return err;
	sock_set_reuseaddr(sock->sk);
	sock_set_rcvbuf(sock->sk, 8 << 20);
	lock_sock(sock->sk);
	sock->sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	WRITE_ONCE(sock->sk->sk_sndbuf, 8 << 20);
	release_sock(sock->sk);
	/* Wake up now and then to notice kthread_stop() even without traffic. */
	sock->sk->sk_rcvtimeo = HZ;
	err = kernel_bind(sock, (struct sockaddr *)&sin, sizeof(sin));
	if (err) {
		pr_err("cannot bind UDP port %u: %d\n", port, err);
		sock_release(sock);
		return err;
	}
	lego_fit.sock = sock;
	return 0;
}

/* ---------------------------------------------------------- core threads */

static void lego_fit_kick(struct fit_core *core)
{
	atomic_set(&lego_fit.kicked, 1);
	if (lego_fit.svc_thread)
		wake_up_process(lego_fit.svc_thread);
}

static void lego_fit_work_ready(struct fit_core *core)
{
	atomic_inc(&lego_fit.pending);
	wake_up(&lego_fit.work_wq);
}

static const struct fit_core_ops lego_fit_ops = {
	.send = lego_fit_udp_send,
	.kick = lego_fit_kick,
	.work_ready = lego_fit_work_ready,
};

/* Runs the core's timers: sleeps until the deadline it returns, or a kick. */
static int lego_fit_service_thread(void *unused)
{
	while (!kthread_should_stop()) {
		u64 next = fit_core_service(lego_fit.core);
		ktime_t expires;

		set_current_state(TASK_IDLE);
		if (atomic_xchg(&lego_fit.kicked, 0) || kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			continue;
		}
		if (next == FIT_NEVER) {
			schedule();
		} else {
			expires = ns_to_ktime(next);
			schedule_hrtimeout_range(&expires, 50 * NSEC_PER_USEC,
						 HRTIMER_MODE_ABS);
		}
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static int lego_fit_worker_thread(void *unused)
{
	while (!kthread_should_stop()) {
		struct fit_rpc *rpc;

		wait_event_idle_exclusive(lego_fit.work_wq,
					  atomic_dec_if_positive(&lego_fit.pending) >= 0 ||
					  kthread_should_stop());
		if (kthread_should_stop())
			break;
		rpc = fit_core_next_work(lego_fit.core);
		if (!rpc)
			continue;
		fit_core_run_work(lego_fit.core, rpc);
		/* More work than announcements: make sure someone takes it. */
		if (atomic_read(&lego_fit.pending) <= 0 && fit_core_has_work(lego_fit.core)) {
			atomic_inc(&lego_fit.pending);
			wake_up(&lego_fit.work_wq);
		}
	}
	return 0;
}

/* Joins through the seed node, retrying until it answers. */
static int lego_fit_join_thread(void *arg)
{
	int seed = (long)arg;

	while (!kthread_should_stop()) {
		int ret = fit_core_join(lego_fit.core, seed, 2 * NSEC_PER_SEC);

		if (ret >= 0) {
			pr_info("joined through node %d: %d members\n", seed, ret);
			break;
		}
		schedule_timeout_idle(HZ);
	}
	/* Wait for kthread_stop() so that the exit path can always stop us. */
	while (!kthread_should_stop())
		schedule_timeout_idle(HZ);
	return 0;
}

/* ------------------------------------------------------------- handlers */

/*
 * Handlers of other modules go through a trampoline, so that a module can
 * unregister (the core cannot forget a handler) and be unloaded: a
 * request for an unregistered opcode gets -EOPNOTSUPP, and unregistering
 * waits for running handlers.
 */
struct lego_fit_handler {
	struct list_head list;
	u32 opcode;
	fit_handler_t fn;
	void *data;
};

static LIST_HEAD(lego_fit_handlers);
static DEFINE_MUTEX(lego_fit_handlers_mutex);
static DECLARE_RWSEM(lego_fit_handlers_rwsem);

static void lego_fit_trampoline(struct fit_rpc *rpc, const void *req, size_t len,
				void *data)
{
	struct lego_fit_handler *h = data;

	down_read(&lego_fit_handlers_rwsem);
	if (h->fn)
		h->fn(rpc, req, len, h->data);
	else
		fit_core_reply(rpc, NULL, 0, -EOPNOTSUPP);
	up_read(&lego_fit_handlers_rwsem);
}

int fit_register_handler(u32 opcode, fit_handler_t fn, void *data)
{
	struct lego_fit_handler *h;
	int err = 0;

	if (!fn || opcode >= FIT_OP_INTERNAL)
		return -EINVAL;
	mutex_lock(&lego_fit_handlers_mutex);
	list_for_each_entry(h, &lego_fit_handlers, list)
		if (h->opcode == opcode)
			goto found;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	h->opcode = opcode;
	err = fit_core_register(lego_fit.core, opcode, lego_fit_trampoline, h);
	if (err) {
		kfree(h);
		goto out;
	}
	list_add(&h->list, &lego_fit_handlers);
found:
	if (h->fn) {
		err = -EEXIST;
		goto out;
	}
	down_write(&lego_fit_handlers_rwsem);
	h->data = data;
	h->fn = fn;
	up_write(&lego_fit_handlers_rwsem);
out:
	mutex_unlock(&lego_fit_handlers_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(fit_register_handler);

void fit_unregister_handler(u32 opcode)
{
	struct lego_fit_handler *h;

	mutex_lock(&lego_fit_handlers_mutex);
	list_for_each_entry(h, &lego_fit_handlers, list) {
		if (h->opcode == opcode) {
			down_write(&lego_fit_handlers_rwsem);
			h->fn = NULL;
			h->data = NULL;
			up_write(&lego_fit_handlers_rwsem);
			break;
		}
	}
	mutex_unlock(&lego_fit_handlers_mutex);
}
EXPORT_SYMBOL_GPL(fit_unregister_handler);

static void lego_fit_free_handlers(void)
{
	struct lego_fit_handler *h, *tmp;

	list_for_each_entry_safe(h, tmp, &lego_fit_handlers, list) {
		list_del(&h->list);
		kfree(h);
	}
}

/* ----------------------------------------------------------- public API */

int fit_node_id(void)
{
	return node;
}
EXPORT_SYMBOL_GPL(fit_node_id);

long fit_call(int dst, u32 opcode, const void *req, size_t len,
	      void *reply, size_t max, u64 timeout_ns)
{
	return fit_core_call(lego_fit.core, dst, opcode, req, len, reply, max, timeout_ns);
}
EXPORT_SYMBOL_GPL(fit_call);

int fit_send(int dst, u32 opcode, const void *msg, size_t len, u64 timeout_ns)
{
	return fit_core_send(lego_fit.core, dst, opcode, msg, len, timeout_ns);
}
EXPORT_SYMBOL_GPL(fit_send);

int fit_reply(struct fit_rpc *rpc, const void *reply, size_t len, int status)
{
	return fit_core_reply(rpc, reply, len, status);
}
EXPORT_SYMBOL_GPL(fit_reply);

int fit_rpc_source(const struct fit_rpc *rpc)
{
	return fit_rpc_node(rpc);
}
EXPORT_SYMBOL_GPL(fit_rpc_source);

EXPORT_SYMBOL_GPL(fit_rpc_opcode);	/* the core's own */

int fit_add_peer(int dst, u32 ip, u16 udp_port)
{
	struct fit_addr addr;

	if (dst < 0 || dst >= FIT_MAX_NODES || dst == node)
		return -EINVAL;
	fit_addr_udp4(&addr, htonl(ip), udp_port ? udp_port : port);
	return fit_core_add_peer(lego_fit.core, dst, &addr);
}
EXPORT_SYMBOL_GPL(fit_add_peer);

int fit_wait_peer(int dst, u64 timeout_ns)
{
	u64 deadline = ktime_get_ns() + timeout_ns;
	unsigned int delay_ms = 10;

	if (!fit_core_has_peer(lego_fit.core, dst))
		return -EHOSTUNREACH;
	while (!fit_core_peer_alive(lego_fit.core, dst)) {
		if (ktime_get_ns() >= deadline)
			return -ETIMEDOUT;
		fit_core_ping(lego_fit.core, dst);
		msleep(delay_ms);
		delay_ms = min(delay_ms * 2, 200U);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(fit_wait_peer);

void fit_print_stats(void)
{
	fit_core_print_stats(lego_fit.core);
}
EXPORT_SYMBOL_GPL(fit_print_stats);

bool fit_has_peer(int dst)
{
	return fit_core_has_peer(lego_fit.core, dst);
}
EXPORT_SYMBOL_GPL(fit_has_peer);

bool fit_peer_alive(int dst)
{
	return fit_core_peer_alive(lego_fit.core, dst);
}
EXPORT_SYMBOL_GPL(fit_peer_alive);

/* -------------------------------------------------------------- module */

static void lego_fit_stop_threads(void)
{
	int i;

	if (lego_fit.join_thread)
		kthread_stop(lego_fit.join_thread);
	lego_fit.join_thread = NULL;
	if (lego_fit.sock)
		kernel_sock_shutdown(lego_fit.sock, SHUT_RDWR);
	if (lego_fit.rx_thread)
		kthread_stop(lego_fit.rx_thread);
	lego_fit.rx_thread = NULL;
	for (i = 0; lego_fit.workers && i < lego_fit.nworkers; i++)
		if (lego_fit.workers[i])
			kthread_stop(lego_fit.workers[i]);
	kfree(lego_fit.workers);
	lego_fit.workers = NULL;
	if (lego_fit.svc_thread)
		kthread_stop(lego_fit.svc_thread);
	lego_fit.svc_thread = NULL;
}

static int lego_fit_start_threads(void)
{
	struct task_struct *t;
	int i;

	t = kthread_run(lego_fit_service_thread, NULL, "fit_service");
	if (IS_ERR(t))
		return PTR_ERR(t);
	lego_fit.svc_thread = t;

	lego_fit.workers = kcalloc(workers, sizeof(*lego_fit.workers), GFP_KERNEL);
	if (!lego_fit.workers)
		return -ENOMEM;
	lego_fit.nworkers = workers;
	for (i = 0; i < workers; i++) {
		t = kthread_run(lego_fit_worker_thread, NULL, "fit_worker/%d", i);
		if (IS_ERR(t))
			return PTR_ERR(t);
		lego_fit.workers[i] = t;
	}

	t = kthread_run(lego_fit_rx_thread, NULL, "fit_rx");
	if (IS_ERR(t))
		return PTR_ERR(t);
	lego_fit.rx_thread = t;
	return 0;
}

static int __init lego_fit_init(void)
{
	struct fit_params params;
	struct fit_addr self;
	u32 epoch;
	int seed = -1;
	int err;

	if (node < 0 || node >= FIT_MAX_NODES) {
		pr_err("node=%d: give this node's id, 0..%d\n", node, FIT_MAX_NODES - 1);
		return -EINVAL;
	}
	if (workers < 1 || workers > 256) {
		pr_err("workers=%d: 1..256\n", workers);
		return -EINVAL;
	}
	if (mtu < 576 || mtu > 65535) {
		pr_err("mtu=%d: 576..65535\n", mtu);
		return -EINVAL;
	}
	init_waitqueue_head(&lego_fit.work_wq);
	mutex_init(&lego_fit.test_mutex);

	fit_addr_udp4(&self, htonl(INADDR_ANY), port);
	err = for_each_member(peers, find_self, &self);
	if (err)
		return err;

	lego_fit.rxbuf = kvmalloc(FIT_RX_BUF, GFP_KERNEL);
	if (!lego_fit.rxbuf)
		return -ENOMEM;
	err = lego_fit_open_socket();
	if (err)
		goto free_buf;

	fit_params_default(&params);
	params.max_payload = min_t(u32, mtu - 28, 65507);
	do {
		epoch = get_random_u32();
	} while (!epoch);
	lego_fit.core = fit_core_create(node, epoch, &self, &params, &lego_fit_ops, &lego_fit);
	if (!lego_fit.core) {
		err = -ENOMEM;
		goto close_sock;
	}
	err = for_each_member(peers, add_peer, NULL);
	if (err)
		goto destroy;
	if (*join) {
		err = for_each_member(join, take_seed, &seed);
		if (err) {
			pr_err("join=%s: expected one ID@ADDR[:PORT] of another node\n", join);
			goto destroy;
		}
	}

	err = lego_fit_start_threads();
	if (err)
		goto stop;
	err = lego_fit_proc_init();
	if (err)
		goto stop;
	if (seed >= 0) {
		struct task_struct *t;

		t = kthread_run(lego_fit_join_thread, (void *)(long)seed, "fit_join");
		if (IS_ERR(t)) {
			err = PTR_ERR(t);
			goto proc;
		}
		lego_fit.join_thread = t;
	}
	fit_core_ping(lego_fit.core, -1);
	pr_info("node %d up on UDP port %u (epoch %08x, %d workers, datagrams of %u bytes)\n",
		node, port, epoch, workers, params.max_payload);
	return 0;

proc:
	lego_fit_proc_exit();
stop:
	lego_fit_stop_threads();
destroy:
	fit_core_destroy(lego_fit.core);
	lego_fit.core = NULL;
close_sock:
	sock_release(lego_fit.sock);
	lego_fit.sock = NULL;
free_buf:
	kvfree(lego_fit.rxbuf);
	return err;
}

static void __exit lego_fit_exit(void)
{
	lego_fit_proc_exit();
	lego_fit_stop_threads();
	fit_core_destroy(lego_fit.core);
	lego_fit_free_handlers();
	sock_release(lego_fit.sock);
	kvfree(lego_fit.rxbuf);
	pr_info("node %d down\n", node);
}

module_init(lego_fit_init);
module_exit(lego_fit_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LegoOS FIT RPC over UDP");
