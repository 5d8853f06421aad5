/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _FIT_INTERNAL_H
#define _FIT_INTERNAL_H

/* Private to net/fit/core: the state behind fit_core.h. */
#include "fit_core.h"

#define fit_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
#define fit_min(a, b)	((a) < (b) ? (a) : (b))
#define fit_max(a, b)	((a) > (b) ? (a) : (b))
#define FIT_MS		1000000ULL

/* A doubly linked list of our own: the core may include no system header. */
struct fit_list {
	struct fit_list *next, *prev;
};

static inline void fit_list_init(struct fit_list *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool fit_list_empty(const struct fit_list *l)
{
	return l->next == l;
}

static inline void fit_list_insert(struct fit_list *n, struct fit_list *prev)
{
	n->prev = prev;
	n->next = prev->next;
	prev->next->prev = n;
	prev->next = n;
}

static inline void fit_list_add_tail(struct fit_list *n, struct fit_list *head)
{
	fit_list_insert(n, head->prev);
}

/* Move every entry of list to the tail of head. */
static inline void fit_list_splice_tail(struct fit_list *list, struct fit_list *head)
{
	if (list->next == list)
		return;
	list->next->prev = head->prev;
	head->prev->next = list->next;
	list->prev->next = head;
	head->prev = list->prev;
	list->next = list;
	list->prev = list;
}

static inline void fit_list_del(struct fit_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	fit_list_init(n);
}

#define fit_list_entry(ptr, type, member)	fit_container_of(ptr, type, member)
#define fit_list_for_each_safe(pos, tmp, head) \
	for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

/* Bitmaps of u64 words. */
#define FIT_WORDS(bits)		(((bits) + 63) / 64)

static inline bool fit_test_bit(const u64 *map, u32 i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static inline void fit_set_bit(u64 *map, u32 i)
{
	map[i / 64] |= 1ULL << (i % 64);
}

static inline void fit_clear_bit(u64 *map, u32 i)
{
	map[i / 64] &= ~(1ULL << (i % 64));
}

/*
 * Sending one message (a request or a reply) in fragments: a window of
 * at most params.window fragments past the first unacknowledged one, and
 * retransmission of exactly the fragments that the receiver's SACKs or
 * the retransmission timer say are missing.
 */
struct fit_slot {
	u64 sent_ns;
	u32 sends;
};

#define FIT_SMALL_SLOTS	4

struct fit_tx {
	const u8 *data;
	u32 len;
	u32 nfrags;
	u32 frag_size;
	u32 window;
	u32 cum;		/* fragments below are all acknowledged */
	u32 next;		/* fragments below were sent at least once */
	u32 high;		/* highest acknowledged fragment + 1 */
	u32 nacked;
	u32 nlost;		/* marked in lost[]: to be sent again */
	u64 *acked;
	u64 *lost;
	struct fit_slot *slots;	/* last send of fragment f: slots[f % nslots] */
	u32 nslots;
	u32 backoffs;		/* timer expiries since the last progress */
	u64 acked_sent;		/* latest send time of an acknowledged fragment */
	u64 reorder_ns;		/* loss detection, see fit_tx_detect() */
	u64 wait_ns;
	u64 recheck;		/* when a hole may be declared lost; 0: none */
	u64 rto;
	u64 deadline;		/* retransmission timer; 0 when not armed */
	bool active;		/* not yet fully acknowledged, not abandoned */
	bool pumping;		/* a thread is sending from it */
	u64 small_acked, small_lost;
	struct fit_slot small_slots[FIT_SMALL_SLOTS];
};

/* Receiving one message in fragments, in any order, with duplicates. */
struct fit_rx {
	u8 *buf;		/* msg_len bytes; NULL: track fragments, keep nothing */
	u32 msg_len;
	u32 nfrags;
	u32 frag_size;
	u32 nrecv;
	u32 cum;		/* first fragment not received */
	u32 high;		/* highest fragment received + 1 */
	u32 reported;		/* high when the last SACK was built */
	s32 status;
	bool started;
	u64 *bits;
	u64 small_bits;
};

/* msg.c */
u32 fit_nfrags(u32 len, u32 frag_size);
int fit_tx_init(struct fit_tx *tx, const void *data, u32 len, u32 frag_size,
		u32 window, u64 rto);
void fit_tx_release(struct fit_tx *tx);
void fit_tx_ack_all(struct fit_tx *tx);
void fit_tx_restart(struct fit_tx *tx);
int fit_tx_next(struct fit_tx *tx, u32 *idx, u16 *flags);
void fit_tx_sent(struct fit_tx *tx, u32 idx, u16 flags, u64 now);
u32 fit_tx_sack(struct fit_tx *tx, const struct fit_sack *sack, u64 now,
		u64 reorder_ns, u64 srtt, u64 *rtt);
u64 fit_tx_timer(const struct fit_tx *tx);
void fit_tx_timeout(struct fit_tx *tx, u64 now, u64 rto_max);
void fit_tx_mark_unacked_lost(struct fit_tx *tx, u64 now, u64 age_ns);
u32 fit_tx_frag_len(const struct fit_tx *tx, u32 idx);

int fit_rx_init(struct fit_rx *rx, u32 msg_len, u32 frag_size, void *buf);
void fit_rx_release(struct fit_rx *rx);
int fit_rx_check(const struct fit_rx *rx, u32 msg_len, u32 frag_size);
int fit_rx_add(struct fit_rx *rx, u32 off, const void *data, u32 len);
bool fit_rx_complete(const struct fit_rx *rx);
void fit_rx_sack(struct fit_rx *rx, struct fit_sack *sack);
int fit_frag_check(u32 msg_len, u32 off, u32 len, u32 frag_size);

/* Calls we make (client side). */
enum fit_call_state {
	FIT_CALL_SENDING,	/* request not fully acknowledged */
	FIT_CALL_WAITING,	/* request arrived; waiting for the reply */
	FIT_CALL_OVER,		/* result set */
};

struct fit_call {
	struct fit_list peer_link;	/* peer->calls, by id */
	struct fit_list hash_link;	/* core->call_hash */
	struct fit_core *core;
	u64 id;
	int node;
	u32 opcode;
	u16 flags;			/* FIT_F_ONEWAY */
	enum fit_call_state state;
	bool linked;
	int refs;
	long result;
	struct fit_tx tx;		/* the request */
	struct fit_rx rx;		/* the reply, straight into the caller's buffer */
	void *reply;
	size_t max;
	u64 start_ns;
	u64 deadline;
	u64 probe_at;
	u64 probe_ns;
	u8 *req;			/* our copy of the request */
	struct fit_list pump_link;	/* on a struct fit_out, to be sent from */
	bool pump_queued;
	struct fit_os_event done;
};

/* Calls made to us (server side); also the reply cache entry. */
enum fit_rpc_state {
	FIT_RPC_RECEIVING,	/* request fragments arriving */
	FIT_RPC_RUNNING,	/* queued for or in a handler */
	FIT_RPC_REPLIED,	/* reply sent, kept until the caller has it */
	FIT_RPC_ACKED,		/* tombstone: the id is remembered, nothing else */
	FIT_RPC_DEAD,		/* unlinked (peer restarted, caller gave up) */
};

struct fit_rpc {
	struct fit_list peer_link;	/* peer->srv, by id */
	struct fit_list hash_link;	/* core->rpc_hash */
	struct fit_list work_link;	/* core->work */
	struct fit_list reply_link;	/* core->replies while REPLIED */
	struct fit_list pump_link;	/* on a struct fit_out, to be sent from */
	struct fit_core *core;
	u64 id;
	int node;
	u32 opcode;
	u16 flags;
	enum fit_rpc_state state;
	bool in_handler;		/* a handler owes fit_core_reply() */
	bool counted;			/* counted in core->nreasm and rx_mem */
	bool fresh;			/* created by a retransmission: state was lost? */
	bool pump_queued;
	int refs;
	struct fit_rx rx;		/* the request */
	struct fit_tx tx;		/* the reply */
	s32 status;
	u8 *reply;
	u64 last_ns;			/* last fragment, or when it was answered */
	u64 resend_ns;			/* last reply resend on a duplicate */
};

#define FIT_DEAD_EPOCHS		4
#define FIT_DONE_BATCH		16

struct fit_peer {
	int node;
	struct fit_addr addr;
	u32 epoch;			/* 0 until heard from */
	u32 dead[FIT_DEAD_EPOCHS];	/* its earlier incarnations */
	u32 ndead;
	bool alive;
	u64 done_below;			/* its calls to us below this are over */
	u64 done_sent;			/* the highest done_below we told it */
	struct fit_list calls;
	struct fit_list srv;
	u32 nsrv;
	u64 done_ids[FIT_DONE_BATCH];	/* replies to acknowledge with DONE */
	u32 ndone;
	u64 done_deadline;
	u64 srtt;			/* 0: no sample yet */
	u64 rttvar;
	u64 c[FIT_NR_COUNTERS];
};

#define FIT_HASH_SIZE		256
#define FIT_HANDLER_SLOTS	256	/* power of two */

struct fit_handler {
	u32 opcode;
	bool used;
	unsigned int flags;		/* FIT_HANDLER_* */
	fit_core_handler_t fn;
	void *data;
};

struct fit_core {
	struct fit_os_lock lock;
	int node;
	u32 epoch;
	struct fit_addr self;
	struct fit_params p;
	u32 frag_size;
	const struct fit_core_ops *ops;
	void *priv;
	struct fit_peer *peers[FIT_MAX_NODES];
	u64 next_id;
	struct fit_list call_hash[FIT_HASH_SIZE];
	struct fit_list rpc_hash[FIT_HASH_SIZE];
	struct fit_list work;
	u32 nwork;
	struct fit_list replies;	/* rpcs whose reply is being sent */
	u32 nreasm;
	u32 nsrv;			/* rpcs of every peer: none, no sweep needed */
	u64 rx_mem;
	u64 svc_deadline;		/* when the service thread must scan the timers */
	/* what fit_core_input_nosend() left for the service thread to send */
	struct fit_ctl *defer_ctl;	/* ring of FIT_DEFER_CTLS */
	u32 defer_head;
	u32 defer_n;
	struct fit_list defer_calls;
	struct fit_list defer_rpcs;
	u64 next_sweep;
	u64 echo_total;
	u64 g[FIT_NR_GCOUNTERS];
	struct fit_handler handlers[FIT_HANDLER_SLOTS];
};

/*
 * What one pass under the lock decided to send: control datagrams built
 * in place, and calls or rpcs to send fragments from (each holding a
 * reference). fit_out_flush() sends it all after the lock is dropped.
 */
#define FIT_CTL_PAYLOAD		(FIT_DONE_BATCH * 8)
#define FIT_OUT_CTLS		4
#define FIT_DEFER_CTLS		64

struct fit_ctl {
	struct fit_addr to;
	struct fit_hdr hdr;
	u32 len;
	u8 payload[FIT_CTL_PAYLOAD];
};

struct fit_out {
	int nctl;
	bool full;			/* a control datagram did not fit */
	bool kick;			/* ops->kick once unlocked */
	bool work;			/* ops->work_ready once unlocked */
	struct fit_list calls;
	struct fit_list rpcs;
	struct fit_list inline_rpcs;	/* requests for FIT_HANDLER_INLINE handlers */
	struct fit_ctl ctl[FIT_OUT_CTLS];
};

/* What a fragment header needs besides the fit_tx. */
struct fit_desc {
	u8 type;
	u16 flags;
	u64 id;
	u32 opcode;
	s32 status;
};

struct fit_pkt;

/* core.c */
u64 fit_now(void);
struct fit_peer *fit_peer_get(struct fit_core *core, int node);
int fit_add_peer_locked(struct fit_core *core, int node, const struct fit_addr *addr);
u64 fit_peer_rto(const struct fit_core *core, const struct fit_peer *peer);
void fit_rtt_sample(struct fit_peer *peer, u64 rtt);
u64 fit_reorder_ns(const struct fit_core *core, const struct fit_peer *peer);
void fit_arm(struct fit_core *core, u64 when);
void fit_out_init(struct fit_out *out);
void fit_out_flush(struct fit_core *core, struct fit_out *out);
void fit_out_wake(struct fit_core *core, struct fit_out *out);
struct fit_ctl *fit_ctl_new(struct fit_core *core, struct fit_out *out,
			    struct fit_peer *peer, u8 type, u16 flags, u64 id,
			    const void *payload, u32 len);
void fit_ack_simple(struct fit_core *core, struct fit_out *out,
		    struct fit_peer *peer, u64 id, u16 flags);
void fit_ack_rx(struct fit_core *core, struct fit_out *out, struct fit_peer *peer,
		struct fit_rx *rx, u64 id, u16 flags);
void fit_pump(struct fit_core *core, struct fit_tx *tx, struct fit_peer *peer,
	      const struct fit_desc *d);
u64 fit_hash(u64 key);

/* call.c: calls we make */
struct fit_call *fit_call_find(struct fit_core *core, u64 id);
void fit_call_over(struct fit_core *core, struct fit_call *call, long result);
void fit_calls_fail(struct fit_core *core, struct fit_peer *peer, long err);
void fit_out_pump_call(struct fit_out *out, struct fit_call *call);
void fit_pump_call(struct fit_core *core, struct fit_call *call);
void fit_call_put(struct fit_core *core, struct fit_call *call);
void fit_input_reply(struct fit_core *core, struct fit_peer *peer,
		     const struct fit_pkt *p, struct fit_out *out);
void fit_input_call_ack(struct fit_core *core, struct fit_peer *peer,
			const struct fit_pkt *p, struct fit_out *out);
void fit_input_reset(struct fit_core *core, struct fit_peer *peer, const struct fit_pkt *p);
u64 fit_call_timers(struct fit_core *core, struct fit_peer *peer, u64 now,
		    struct fit_out *out);
u64 fit_calls_done_below(const struct fit_core *core, const struct fit_peer *peer);

/* rpc.c: calls made to us */
void fit_input_request(struct fit_core *core, struct fit_peer *peer,
		       const struct fit_pkt *p, struct fit_out *out);
void fit_input_rpc_ack(struct fit_core *core, struct fit_peer *peer,
		       const struct fit_pkt *p, struct fit_out *out);
void fit_input_done(struct fit_core *core, struct fit_peer *peer, const struct fit_pkt *p);
void fit_input_probe(struct fit_core *core, struct fit_peer *peer,
		     const struct fit_pkt *p, struct fit_out *out);
void fit_purge_below(struct fit_core *core, struct fit_peer *peer);
void fit_purge_peer(struct fit_core *core, struct fit_peer *peer);
void fit_pump_rpc(struct fit_core *core, struct fit_rpc *rpc);
void fit_rpc_put(struct fit_core *core, struct fit_rpc *rpc);
u64 fit_rpc_timers(struct fit_core *core, u64 now, struct fit_out *out);
void fit_rpc_sweep(struct fit_core *core, struct fit_peer *peer, u64 now);
void fit_drain_work(struct fit_core *core);
void fit_run_inline(struct fit_core *core, struct fit_out *out);

/* builtin.c */
void fit_core_register_builtins(struct fit_core *core);

#endif
