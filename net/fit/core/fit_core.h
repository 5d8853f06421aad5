/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _FIT_CORE_H
#define _FIT_CORE_H

/*
 * The portable FIT protocol engine: fragmentation and reassembly,
 * selective retransmission, exactly-once execution with a reply cache,
 * timeouts, node epochs, membership and counters. It owns no thread and
 * touches no device: its environment (the LegoOS glue in net/fit/fit.c,
 * lego_fit.ko on Linux, the unit tests) feeds it datagrams, runs its
 * timers and its request handlers, and sends what it asks to send.
 *
 *   datagram arrives   -> fit_core_input()       (a thread that may sleep briefly)
 *                         or fit_core_input_nosend() (one that may not)
 *   ops->kick(), arm() -> fit_core_service()     (service thread; it sleeps
 *                                                 until kicked or the time
 *                                                 armed, or returned)
 *   ops->work_ready()  -> fit_core_next_work() + fit_core_run_work()
 *                                                (worker threads: handlers sleep)
 *
 * Every function may be called from any thread, concurrently. The ops
 * hooks never sleep; kick, arm and work_ready may be called with the core
 * lock held.
 */
#include "fit_os.h"
#include <uapi/lego/fit.h>

#define FIT_NEVER		(~0ULL)
#define FIT_HDR_LEN		((u32)sizeof(struct fit_hdr))

struct fit_core;
struct fit_rpc;
struct fit_call;

/* A transport address, in host order; compared byte for byte. */
struct fit_addr {
	u16 kind;		/* enum fit_addr_kind */
	u16 port;
	u32 qpn;
	u8 addr[16];
};

struct fit_iov {
	const void *base;
	size_t len;
};

/*
 * What the environment does for one core. The transport part (send and
 * the max_payload parameter) is all that differs between UDP and a later
 * RoCE transport.
 */
struct fit_core_ops {
	/*
	 * Send one datagram made of iov[0..n) to addr. May sleep briefly;
	 * never called with the core lock held. A negative return counts as
	 * a lost datagram (it will be retransmitted).
	 */
	int (*send)(struct fit_core *core, const struct fit_addr *to,
		    const struct fit_iov *iov, int n);
	/* Run fit_core_service() now: there is something to send. */
	void (*kick)(struct fit_core *core);
	/*
	 * Run fit_core_service() at `when` (fit_os_now_ns time) at the
	 * latest; a later call replaces the time. Optional: without it, the
	 * core kicks whenever a deadline moves earlier, and the service
	 * thread sleeps until the deadline fit_core_service() returned.
	 */
	void (*arm)(struct fit_core *core, u64 when);
	/* A request is waiting in fit_core_next_work(). */
	void (*work_ready)(struct fit_core *core);
};

/* Tunables; fit_params_default() fills in the documented defaults. */
struct fit_params {
	u32 max_payload;	/* bytes per datagram the transport carries */
	u32 window;		/* fragments of one message in flight (2..FIT_SACK_BITS) */
	u64 rto_init_ns;	/* retransmission timeout before any RTT sample */
	u64 rto_min_ns;
	u64 rto_max_ns;		/* backoff cap */
	u64 probe_max_ns;	/* longest gap between probes of a running call */
	u64 reorder_ns;		/* a hole younger than this may just be reordering */
	u64 done_delay_ns;	/* how long a DONE may wait to be batched */
	u64 reasm_timeout_ns;	/* an incomplete request idle this long is dropped */
	u64 reply_ttl_ns;	/* an unacknowledged reply is resent at most this long */
	u64 tombstone_ttl_ns;	/* how long a finished call id is remembered */
	u64 sweep_ns;		/* period of the aging sweep */
	u64 rx_mem_max;		/* bytes of incomplete requests buffered */
	u32 max_reasm;		/* incomplete requests at once */
	u32 max_srv_per_peer;	/* calls of one peer remembered at once */
};

void fit_params_default(struct fit_params *p);

/* A handler runs in a worker thread and answers with fit_core_reply(). */
typedef void (*fit_core_handler_t)(struct fit_rpc *rpc, const void *req,
				   size_t len, void *data);

/*
 * epoch: random and non-zero, different on every boot. self: this node's
 * own address, handed to joining nodes. Returns NULL without memory.
 */
struct fit_core *fit_core_create(int node, u32 epoch, const struct fit_addr *self,
				 const struct fit_params *params,
				 const struct fit_core_ops *ops, void *priv);
/* Only once nothing runs in it any more (threads stopped, calls over). */
void fit_core_destroy(struct fit_core *core);
void *fit_core_priv(const struct fit_core *core);
int fit_core_node(const struct fit_core *core);
u32 fit_core_epoch(const struct fit_core *core);
const struct fit_params *fit_core_params(const struct fit_core *core);

/* Peers. Adding a known node again updates its address. */
int fit_core_add_peer(struct fit_core *core, int node, const struct fit_addr *addr);
bool fit_core_has_peer(struct fit_core *core, int node);
/* Heard a valid datagram from it (since boot or its last restart). */
bool fit_core_peer_alive(struct fit_core *core, int node);
int fit_core_peer_addr(struct fit_core *core, int node, struct fit_addr *addr);
/* Send a PING (to every peer if node < 0); the PONG marks it alive. */
void fit_core_ping(struct fit_core *core, int node);
/*
 * Announce this node through seed (already added as a peer), learn the
 * members it knows and announce it to them too. Sleeps; returns how many
 * members were learned, or a negative errno.
 */
int fit_core_join(struct fit_core *core, int seed, u64 timeout_ns);

/*
 * Entry points for the environment. fit_core_input() may send (from the
 * calling thread); fit_core_input_nosend() never sends nor sleeps, so a
 * NIC receive path can call it: what must be sent is left to the service
 * thread (ops->kick).
 */
void fit_core_input(struct fit_core *core, const struct fit_addr *from,
		    const void *data, size_t len);
void fit_core_input_nosend(struct fit_core *core, const struct fit_addr *from,
			   const void *data, size_t len);
/* ("never sends": except the replies of FIT_HANDLER_INLINE handlers.) */
/* Run due timers; returns the next deadline (fit_os_now_ns time) or FIT_NEVER. */
u64 fit_core_service(struct fit_core *core);
bool fit_core_has_work(struct fit_core *core);
struct fit_rpc *fit_core_next_work(struct fit_core *core);
void fit_core_run_work(struct fit_core *core, struct fit_rpc *rpc);

/*
 * Handlers. Opcodes from FIT_OP_INTERNAL up are FIT's own. A handler
 * registered FIT_HANDLER_INLINE never sleeps and is quick: a request for
 * it that arrives in one datagram runs in the input path itself, which
 * saves waking a worker, and its reply is sent from there (even from
 * fit_core_input_nosend). The others run in worker threads.
 */
#define FIT_HANDLER_INLINE	0x1
int fit_core_register(struct fit_core *core, u32 opcode, fit_core_handler_t fn, void *data);
int fit_core_register_flags(struct fit_core *core, u32 opcode, fit_core_handler_t fn,
			    void *data, unsigned int flags);
int fit_core_reply(struct fit_rpc *rpc, const void *reply, size_t len, int status);
int fit_rpc_node(const struct fit_rpc *rpc);
u32 fit_rpc_opcode(const struct fit_rpc *rpc);

/*
 * Calls. fit_core_call() blocks (fit_os_event_wait) until the reply or
 * timeout_ns; it returns the reply length, the handler's negative status,
 * -EMSGSIZE (reply longer than max), -ETIMEDOUT, -ECONNRESET (the peer
 * restarted meanwhile: the call may or may not have run), -EHOSTUNREACH
 * (unknown node), -EINVAL or -ENOMEM. fit_core_send() sends a one-way
 * message and waits until it was delivered: 0 or an error as above.
 */
long fit_core_call(struct fit_core *core, int node, u32 opcode, const void *req,
		   size_t len, void *reply, size_t max, u64 timeout_ns);
int fit_core_send(struct fit_core *core, int node, u32 opcode, const void *msg,
		  size_t len, u64 timeout_ns);

/*
 * The same in pieces, for callers that must not block (and the tests):
 * start, then fit_core_call_done() until true or the deadline, then
 * fit_core_call_end() which gives the result (-ETIMEDOUT if not done)
 * and frees the call. The reply buffer must stay valid until then.
 */
#define FIT_CALL_ONEWAY	0x1
int fit_core_call_start(struct fit_core *core, int node, u32 opcode,
			const void *req, size_t len, void *reply, size_t max,
			u64 timeout_ns, unsigned int flags, struct fit_call **callp);
bool fit_core_call_done(struct fit_call *call);
u64 fit_core_call_deadline(const struct fit_call *call);
long fit_core_call_wait(struct fit_core *core, struct fit_call *call);
long fit_core_call_end(struct fit_core *core, struct fit_call *call);

/* Counters. */
struct fit_peer_stats {
	int node;
	u32 epoch;
	u64 c[FIT_NR_COUNTERS];
};
int fit_core_peer_stats(struct fit_core *core, int node, struct fit_peer_stats *out);
u64 fit_core_global_stat(struct fit_core *core, enum fit_gcounter which);
void fit_core_print_stats(struct fit_core *core);

/* Wire helpers, shared with host tools. */
u32 fit_crc32c(u32 crc, const void *data, size_t len);
u32 fit_hdr_csum(const struct fit_hdr *hdr, const void *payload, size_t len);
void fit_addr_to_wire(const struct fit_addr *a, struct fit_wire_addr *w);
void fit_addr_from_wire(const struct fit_wire_addr *w, struct fit_addr *a);

#endif
