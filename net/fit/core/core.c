// SPDX-License-Identifier: GPL-2.0
/*
 * The FIT core: peers and their epochs, the input path, sending, and the
 * timers. Calls we make are in call.c, calls made to us in rpc.c.
 *
 * Locking: one lock per core protects everything in it. Nothing is sent
 * with it held: what a locked section wants to send is collected in a
 * struct fit_out and sent by fit_out_flush() afterwards, or sent by
 * fit_pump(), which drops the lock around each datagram.
 */
#include "fit_internal.h"
#include "wire.h"

void fit_params_default(struct fit_params *p)
{
	memset(p, 0, sizeof(*p));
	p->max_payload = 1472;
	p->window = 32;
	p->rto_init_ns = 20 * FIT_MS;
	p->rto_min_ns = 10 * FIT_MS;
	p->rto_max_ns = 200 * FIT_MS;
	p->probe_max_ns = 500 * FIT_MS;
	p->reorder_ns = FIT_MS / 2;
	p->done_delay_ns = 2 * FIT_MS;
	p->reasm_timeout_ns = 5000 * FIT_MS;
	p->reply_ttl_ns = 10000 * FIT_MS;
	p->tombstone_ttl_ns = 10000 * FIT_MS;
	p->sweep_ns = 100 * FIT_MS;
	p->rx_mem_max = 32ULL << 20;
	p->max_reasm = 64;
	p->max_srv_per_peer = 4096;
}

u64 fit_now(void)
{
	return fit_os_now_ns();
}

u64 fit_hash(u64 key)
{
	return (key * 0x9e3779b97f4a7c15ULL) >> 56;	/* 0 .. FIT_HASH_SIZE-1 */
}

/* ------------------------------------------------------------------ peers */

struct fit_peer *fit_peer_get(struct fit_core *core, int node)
{
	if (node < 0 || node >= FIT_MAX_NODES)
		return NULL;
	return core->peers[node];
}

int fit_add_peer_locked(struct fit_core *core, int node, const struct fit_addr *addr)
{
	struct fit_peer *peer;

	if (node < 0 || node >= FIT_MAX_NODES || node == core->node)
		return -EINVAL;
	peer = core->peers[node];
	if (!peer) {
		peer = fit_os_alloc(sizeof(*peer));
		if (!peer)
			return -ENOMEM;
		memset(peer, 0, sizeof(*peer));
		peer->node = node;
		fit_list_init(&peer->calls);
		fit_list_init(&peer->srv);
		core->peers[node] = peer;
	}
	peer->addr = *addr;
	return 0;
}

int fit_core_add_peer(struct fit_core *core, int node, const struct fit_addr *addr)
{
	int ret;

	fit_os_lock(&core->lock);
	ret = fit_add_peer_locked(core, node, addr);
	fit_os_unlock(&core->lock);
	return ret;
}

bool fit_core_has_peer(struct fit_core *core, int node)
{
	bool ret;

	fit_os_lock(&core->lock);
	ret = fit_peer_get(core, node) != NULL;
	fit_os_unlock(&core->lock);
	return ret;
}

bool fit_core_peer_alive(struct fit_core *core, int node)
{
	struct fit_peer *peer;
	bool ret;

	fit_os_lock(&core->lock);
	peer = fit_peer_get(core, node);
	ret = peer && peer->alive;
	fit_os_unlock(&core->lock);
	return ret;
}

int fit_core_peer_addr(struct fit_core *core, int node, struct fit_addr *addr)
{
	struct fit_peer *peer;

	fit_os_lock(&core->lock);
	peer = fit_peer_get(core, node);
	if (peer)
		*addr = peer->addr;
	fit_os_unlock(&core->lock);
	return peer ? 0 : -ENOENT;
}

/* RFC 6298 style smoothing, with the floor and cap of the parameters. */
void fit_rtt_sample(struct fit_peer *peer, u64 rtt)
{
	u64 err;

	if (!peer->srtt) {
		peer->srtt = rtt;
		peer->rttvar = rtt / 2;
		return;
	}
	err = rtt > peer->srtt ? rtt - peer->srtt : peer->srtt - rtt;
	peer->rttvar = (3 * peer->rttvar + err) / 4;
	peer->srtt = (7 * peer->srtt + rtt) / 8;
}

u64 fit_peer_rto(const struct fit_core *core, const struct fit_peer *peer)
{
	u64 rto;

	if (!peer->srtt)
		return core->p.rto_init_ns;
	rto = peer->srtt + 4 * peer->rttvar;
	return fit_min(fit_max(rto, core->p.rto_min_ns), core->p.rto_max_ns);
}

u64 fit_reorder_ns(const struct fit_core *core, const struct fit_peer *peer)
{
	return fit_max(core->p.reorder_ns, peer->srtt / 4);
}

static bool fit_epoch_dead(const struct fit_peer *peer, u32 epoch)
{
	u32 i;

	for (i = 0; i < fit_min(peer->ndead, (u32)FIT_DEAD_EPOCHS); i++)
		if (peer->dead[i] == epoch)
			return true;
	return false;
}

/*
 * The peer came back with a new epoch: its calls in flight to us are from
 * a dead incarnation, and ours to it may or may not have run there. Its
 * new calls start from id 1 again, so every trace of the old ones goes.
 */
static void fit_peer_restarted(struct fit_core *core, struct fit_peer *peer, u32 epoch)
{
	fit_pr_info("fit: node %d restarted (epoch %08x, was %08x)\n",
		    peer->node, epoch, peer->epoch);
	peer->dead[peer->ndead++ % FIT_DEAD_EPOCHS] = peer->epoch;
	peer->c[FIT_C_RESETS]++;
	fit_calls_fail(core, peer, -ECONNRESET);
	fit_purge_peer(core, peer);
	peer->done_below = 0;
	peer->done_sent = 0;
	peer->ndone = 0;
	peer->done_deadline = 0;
}

/* ----------------------------------------------------------------- timers */

/* Make the service thread look at `when` at the latest. */
void fit_arm(struct fit_core *core, u64 when)
{
	if (!when || when >= core->svc_deadline)
		return;
	core->svc_deadline = when;
	if (core->ops->arm)
		core->ops->arm(core, when);
	else
		core->ops->kick(core);
}

/* ---------------------------------------------------------------- sending */

static void fit_pkt_init(struct fit_core *core, struct fit_peer *peer, struct fit_pkt *p,
			 u8 type, u16 flags, u64 id)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->flags = flags;
	p->src = core->node;
	p->dst = peer->node;
	p->id = id;
	p->src_epoch = core->epoch;
	p->dst_epoch = peer->epoch;
	p->done_below = fit_calls_done_below(core, peer);
	peer->done_sent = fit_max(peer->done_sent, p->done_below);
}

static void fit_xmit(struct fit_core *core, const struct fit_addr *to, struct fit_hdr *h,
		     const void *payload, u32 len)
{
	struct fit_iov iov[2];
	int n = 1;

	h->csum = fit_le32(fit_hdr_csum(h, payload, len));
	iov[0].base = h;
	iov[0].len = sizeof(*h);
	if (len) {
		iov[1].base = payload;
		iov[1].len = len;
		n = 2;
	}
	if (core->ops->send(core, to, iov, n) < 0) {
		fit_os_lock(&core->lock);
		core->g[FIT_G_TX_ERRORS]++;
		fit_os_unlock(&core->lock);
	}
}

void fit_out_init(struct fit_out *out)
{
	out->nctl = 0;
	out->full = false;
	out->kick = false;
	out->work = false;
	fit_list_init(&out->calls);
	fit_list_init(&out->rpcs);
	fit_list_init(&out->inline_rpcs);
}

/*
 * Wake the threads a locked section found work for, once the lock is
 * dropped: woken under it, they would only spin on it.
 */
void fit_out_wake(struct fit_core *core, struct fit_out *out)
{
	if (out->kick)
		core->ops->kick(core);
	if (out->work)
		core->ops->work_ready(core);
}

/* A control datagram to send once the lock is dropped; NULL if out is full. */
struct fit_ctl *fit_ctl_new(struct fit_core *core, struct fit_out *out,
			    struct fit_peer *peer, u8 type, u16 flags, u64 id,
			    const void *payload, u32 len)
{
	struct fit_ctl *c;
	struct fit_pkt p;

	if (out->nctl == FIT_OUT_CTLS || len > FIT_CTL_PAYLOAD) {
		out->full = true;
		return NULL;
	}
	c = &out->ctl[out->nctl++];
	fit_pkt_init(core, peer, &p, type, flags, id);
	p.frag_len = len;
	fit_encode(&p, &c->hdr);
	if (len)
		memcpy(c->payload, payload, len);
	c->len = len;
	c->to = peer->addr;
	peer->c[FIT_C_TX_PKTS]++;
	return c;
}

void fit_ack_simple(struct fit_core *core, struct fit_out *out,
		    struct fit_peer *peer, u64 id, u16 flags)
{
	struct fit_sack sack;

	memset(&sack, 0, sizeof(sack));
	fit_ctl_new(core, out, peer, FIT_MSG_ACK, flags, id, &sack, sizeof(sack));
}

void fit_ack_rx(struct fit_core *core, struct fit_out *out, struct fit_peer *peer,
		struct fit_rx *rx, u64 id, u16 flags)
{
	struct fit_sack sack;

	fit_rx_sack(rx, &sack);
	fit_ctl_new(core, out, peer, FIT_MSG_ACK, flags, id, &sack, sizeof(sack));
}

void fit_out_flush(struct fit_core *core, struct fit_out *out)
{
	struct fit_call *call;
	struct fit_rpc *rpc;
	int i;

	for (i = 0; i < out->nctl; i++)
		fit_xmit(core, &out->ctl[i].to, &out->ctl[i].hdr, out->ctl[i].payload,
			 out->ctl[i].len);
	for (;;) {
		fit_os_lock(&core->lock);
		if (fit_list_empty(&out->calls)) {
			fit_os_unlock(&core->lock);
			break;
		}
		call = fit_list_entry(out->calls.next, struct fit_call, pump_link);
		fit_list_del(&call->pump_link);
		call->pump_queued = false;
		fit_os_unlock(&core->lock);
		fit_pump_call(core, call);
		fit_os_lock(&core->lock);
		fit_call_put(core, call);
		fit_os_unlock(&core->lock);
	}
	for (;;) {
		fit_os_lock(&core->lock);
		if (fit_list_empty(&out->rpcs)) {
			fit_os_unlock(&core->lock);
			break;
		}
		rpc = fit_list_entry(out->rpcs.next, struct fit_rpc, pump_link);
		fit_list_del(&rpc->pump_link);
		rpc->pump_queued = false;
		fit_os_unlock(&core->lock);
		fit_pump_rpc(core, rpc);
		fit_os_lock(&core->lock);
		fit_rpc_put(core, rpc);
		fit_os_unlock(&core->lock);
	}
}

/*
 * Send what the window allows of one message: lost fragments, then new
 * ones, dropping the lock around each datagram. Whoever marks fragments
 * lost or opens the window under the lock either sees `pumping` set (and
 * the thread pumping will find them before it stops) or pumps itself.
 * The caller holds a reference on the tx's owner.
 */
void fit_pump(struct fit_core *core, struct fit_tx *tx, struct fit_peer *peer,
	      const struct fit_desc *d)
{
	struct fit_addr to;
	struct fit_pkt p;
	struct fit_hdr h;
	u32 idx, off, len;
	u16 flags;

	fit_os_lock(&core->lock);
	if (tx->pumping) {
		fit_os_unlock(&core->lock);
		return;
	}
	tx->pumping = true;
	while (fit_tx_next(tx, &idx, &flags)) {
		off = idx * tx->frag_size;
		len = fit_tx_frag_len(tx, idx);
		fit_pkt_init(core, peer, &p, d->type, flags | d->flags, d->id);
		p.opcode = d->opcode;
		p.status = d->status;
		p.msg_len = tx->len;
		p.frag_off = off;
		p.frag_len = len;
		p.frag_size = tx->frag_size;
		fit_encode(&p, &h);
		fit_tx_sent(tx, idx, flags, fit_now());
		peer->c[FIT_C_TX_PKTS]++;
		peer->c[FIT_C_TX_BYTES] += len;
		if (flags & FIT_F_RETRANS)
			peer->c[FIT_C_RETRANS]++;
		to = peer->addr;
		fit_os_unlock(&core->lock);
		fit_xmit(core, &to, &h, len ? tx->data + off : NULL, len);
		fit_os_lock(&core->lock);
	}
	tx->pumping = false;
	fit_arm(core, fit_tx_timer(tx));
	fit_os_unlock(&core->lock);
}

/* ------------------------------------------------------------------ input */

/* Who sent it, and is it from (and to) the current incarnations? */
static bool fit_input_epochs(struct fit_core *core, struct fit_peer *peer,
			     const struct fit_pkt *p, struct fit_out *out)
{
	if (p->src_epoch != peer->epoch) {
		if (fit_epoch_dead(peer, p->src_epoch)) {
			core->g[FIT_G_STALE]++;
			return false;
		}
		if (peer->epoch)
			fit_peer_restarted(core, peer, p->src_epoch);
		peer->epoch = p->src_epoch;
	}
	if (p->dst_epoch && p->dst_epoch != core->epoch) {
		core->g[FIT_G_STALE]++;
		/* tell it at once rather than let it retransmit to a ghost */
		if (p->type == FIT_MSG_REQUEST || p->type == FIT_MSG_PROBE)
			fit_ctl_new(core, out, peer, FIT_MSG_RESET, 0, p->id, NULL, 0);
		return false;
	}
	return true;
}

static bool fit_is_join(const struct fit_pkt *p)
{
	return p->type == FIT_MSG_REQUEST && p->opcode == FIT_OP_JOIN &&
	       p->frag_off == 0 && p->frag_len == p->msg_len;
}

static struct fit_peer *fit_input_peer(struct fit_core *core, const struct fit_addr *from,
				       const struct fit_pkt *p, struct fit_out *out)
{
	struct fit_peer *peer = core->peers[p->src];

	if (!peer || memcmp(&peer->addr, from, sizeof(*from))) {
		/* only a join may introduce a node, or move one that restarted */
		if (!fit_is_join(p) || (peer && p->src_epoch == peer->epoch)) {
			core->g[FIT_G_UNKNOWN_NODE]++;
			return NULL;
		}
		if (fit_add_peer_locked(core, p->src, from)) {
			core->g[FIT_G_NOMEM]++;
			return NULL;
		}
		peer = core->peers[p->src];
	}
	if (!fit_input_epochs(core, peer, p, out))
		return NULL;
	peer->alive = true;
	if (p->done_below > peer->done_below) {
		peer->done_below = p->done_below;
		fit_purge_below(core, peer);
	}
	return peer;
}

static void fit_input_dispatch(struct fit_core *core, struct fit_peer *peer,
			       const struct fit_pkt *p, struct fit_out *out)
{
	switch (p->type) {
	case FIT_MSG_REQUEST:
		fit_input_request(core, peer, p, out);
		break;
	case FIT_MSG_REPLY:
		fit_input_reply(core, peer, p, out);
		break;
	case FIT_MSG_ACK:
		if (p->flags & FIT_F_OF_REPLY)
			fit_input_rpc_ack(core, peer, p, out);
		else
			fit_input_call_ack(core, peer, p, out);
		break;
	case FIT_MSG_DONE:
		fit_input_done(core, peer, p);
		break;
	case FIT_MSG_PROBE:
		fit_input_probe(core, peer, p, out);
		break;
	case FIT_MSG_RESET:
		fit_input_reset(core, peer, p);
		break;
	case FIT_MSG_PING:
		fit_ctl_new(core, out, peer, FIT_MSG_PONG, 0, p->id, p->payload, p->frag_len);
		break;
	default:
		break;		/* PONG: being heard from was the point */
	}
}

static void fit_input_locked(struct fit_core *core, const struct fit_addr *from,
			     const struct fit_pkt *p, int err, struct fit_out *out)
{
	struct fit_peer *peer;

	core->g[FIT_G_RX_PKTS]++;
	if (err >= 0) {
		core->g[err]++;
		return;
	}
	peer = fit_input_peer(core, from, p, out);
	if (!peer)
		return;
	peer->c[FIT_C_RX_PKTS]++;
	peer->c[FIT_C_RX_BYTES] += p->frag_len;
	fit_input_dispatch(core, peer, p, out);
}

/*
 * One datagram from `from`. Bad ones are counted and dropped; nothing in
 * them is trusted before fit_decode() has checked it. What it calls for
 * (acknowledgements, more fragments of a window) is sent before this
 * returns.
 */
void fit_core_input(struct fit_core *core, const struct fit_addr *from,
		    const void *data, size_t len)
{
	struct fit_out out;
	struct fit_pkt p;
	int err;

	err = fit_decode(data, len, core->node, &p);
	fit_out_init(&out);
	fit_os_lock(&core->lock);
	fit_input_locked(core, from, &p, err, &out);
	fit_os_unlock(&core->lock);
	fit_out_wake(core, &out);
	fit_out_flush(core, &out);
	fit_run_inline(core, &out);
}

/* Hand what out holds to the service thread (lock held). */
static void fit_out_defer(struct fit_core *core, struct fit_out *out)
{
	u32 slot;
	int i;

	for (i = 0; i < out->nctl; i++) {
		if (core->defer_n == FIT_DEFER_CTLS) {
			core->g[FIT_G_NOMEM]++;		/* as if lost: it will be asked again */
			continue;
		}
		slot = (core->defer_head + core->defer_n++) % FIT_DEFER_CTLS;
		core->defer_ctl[slot] = out->ctl[i];
	}
	fit_list_splice_tail(&out->calls, &core->defer_calls);
	fit_list_splice_tail(&out->rpcs, &core->defer_rpcs);
	out->kick = out->nctl || !fit_list_empty(&core->defer_calls) ||
		    !fit_list_empty(&core->defer_rpcs);
	out->nctl = 0;
}

/*
 * The same from a context that must neither sleep nor send, such as a
 * NIC's receive path: sending is left to the service thread. A request
 * or reply in one datagram (most calls) needs nothing sent, so this adds
 * no thread hop to them. (The reply of an inline handler is the one thing
 * sent from here: the handler runs here too.)
 */
void fit_core_input_nosend(struct fit_core *core, const struct fit_addr *from,
			   const void *data, size_t len)
{
	struct fit_out out;
	struct fit_pkt p;
	int err;

	err = fit_decode(data, len, core->node, &p);
	fit_out_init(&out);
	fit_os_lock(&core->lock);
	fit_input_locked(core, from, &p, err, &out);
	fit_out_defer(core, &out);
	fit_os_unlock(&core->lock);
	fit_out_wake(core, &out);
	fit_run_inline(core, &out);
}

/* ---------------------------------------------------------------- service */

static void fit_sweep(struct fit_core *core, u64 now)
{
	int i;

	for (i = 0; i < FIT_MAX_NODES; i++)
		if (core->peers[i])
			fit_rpc_sweep(core, core->peers[i], now);
}

/* Take deferred sends into out (lock held); true if some are left. */
static bool fit_defer_take(struct fit_core *core, struct fit_out *out)
{
	while (out->nctl < FIT_OUT_CTLS && core->defer_n) {
		out->ctl[out->nctl++] = core->defer_ctl[core->defer_head];
		core->defer_head = (core->defer_head + 1) % FIT_DEFER_CTLS;
		core->defer_n--;
	}
	fit_list_splice_tail(&core->defer_calls, &out->calls);
	fit_list_splice_tail(&core->defer_rpcs, &out->rpcs);
	return core->defer_n;
}

static void fit_send_deferred(struct fit_core *core)
{
	struct fit_out out;
	bool more;

	do {
		fit_out_init(&out);
		fit_os_lock(&core->lock);
		more = fit_defer_take(core, &out);
		fit_os_unlock(&core->lock);
		fit_out_flush(core, &out);
	} while (more);
}

/* Run the due timers (lock held); returns the next deadline. */
static u64 fit_timers(struct fit_core *core, u64 now, struct fit_out *out)
{
	u64 next = FIT_NEVER;
	int i;

	for (i = 0; i < FIT_MAX_NODES; i++)
		if (core->peers[i])
			next = fit_min(next, fit_call_timers(core, core->peers[i], now, out));
	next = fit_min(next, fit_rpc_timers(core, now, out));
	if (core->nsrv && now >= core->next_sweep) {
		fit_sweep(core, now);
		core->next_sweep = now + core->p.sweep_ns;
	}
	if (core->nsrv)
		next = fit_min(next, core->next_sweep);
	return out->full ? now : next;	/* more to send than one pass holds */
}

/*
 * Send what input deferred, and run the timers if one is due (arming an
 * earlier timer lowers svc_deadline and kicks, so nothing due is missed
 * by skipping the scan otherwise).
 */
u64 fit_core_service(struct fit_core *core)
{
	struct fit_out out;
	u64 now, next;

	fit_send_deferred(core);
	fit_out_init(&out);
	fit_os_lock(&core->lock);
	/* read under the lock: nothing seen in this pass is newer than now */
	now = fit_now();
	if (now >= core->svc_deadline) {
		core->svc_deadline = fit_timers(core, now, &out);
		if (core->ops->arm)
			core->ops->arm(core, core->svc_deadline);
	}
	fit_os_unlock(&core->lock);

	fit_out_flush(core, &out);

	fit_os_lock(&core->lock);
	next = core->svc_deadline;
	if (core->defer_n || !fit_list_empty(&core->defer_calls) ||
	    !fit_list_empty(&core->defer_rpcs))
		next = fit_min(next, now);
	fit_os_unlock(&core->lock);
	return next;
}

/* ------------------------------------------------------------ life cycle */

struct fit_core *fit_core_create(int node, u32 epoch, const struct fit_addr *self,
				 const struct fit_params *params,
				 const struct fit_core_ops *ops, void *priv)
{
	struct fit_core *core;
	int i;

	if (node < 0 || node >= FIT_MAX_NODES || !epoch || !ops || !params)
		return NULL;
	if (params->max_payload < FIT_HDR_LEN + FIT_MIN_FRAG || params->window < 2 ||
	    params->window > FIT_SACK_BITS)
		return NULL;
	core = fit_os_alloc(sizeof(*core));
	if (!core)
		return NULL;
	memset(core, 0, sizeof(*core));
	core->defer_ctl = fit_os_alloc(FIT_DEFER_CTLS * sizeof(*core->defer_ctl));
	if (!core->defer_ctl) {
		fit_os_free(core);
		return NULL;
	}
	fit_os_lock_init(&core->lock);
	core->node = node;
	core->epoch = epoch;
	if (self)
		core->self = *self;
	core->p = *params;
	core->frag_size = fit_min(params->max_payload - FIT_HDR_LEN, 0xffffu);
	core->ops = ops;
	core->priv = priv;
	core->next_id = 1;
	for (i = 0; i < FIT_HASH_SIZE; i++) {
		fit_list_init(&core->call_hash[i]);
		fit_list_init(&core->rpc_hash[i]);
	}
	fit_list_init(&core->work);
	fit_list_init(&core->replies);
	fit_list_init(&core->defer_calls);
	fit_list_init(&core->defer_rpcs);
	core->next_sweep = fit_now() + params->sweep_ns;
	core->svc_deadline = FIT_NEVER;
	fit_crc32c(0, NULL, 0);
	fit_core_register_builtins(core);
	return core;
}

void fit_core_destroy(struct fit_core *core)
{
	int i;

	if (!core)
		return;
	fit_send_deferred(core);	/* drops the references they hold */
	fit_os_lock(&core->lock);
	fit_drain_work(core);
	for (i = 0; i < FIT_MAX_NODES; i++) {
		if (!core->peers[i])
			continue;
		fit_calls_fail(core, core->peers[i], -ECONNRESET);
		fit_purge_peer(core, core->peers[i]);
		fit_os_free(core->peers[i]);
		core->peers[i] = NULL;
	}
	fit_os_unlock(&core->lock);
	fit_os_free(core->defer_ctl);
	fit_os_free(core);
}

void *fit_core_priv(const struct fit_core *core)
{
	return core->priv;
}

int fit_core_node(const struct fit_core *core)
{
	return core->node;
}

u32 fit_core_epoch(const struct fit_core *core)
{
	return core->epoch;
}

const struct fit_params *fit_core_params(const struct fit_core *core)
{
	return &core->p;
}

/* --------------------------------------------------------------- counters */

int fit_core_peer_stats(struct fit_core *core, int node, struct fit_peer_stats *out)
{
	struct fit_peer *peer;
	int ret = -ENOENT;

	fit_os_lock(&core->lock);
	peer = fit_peer_get(core, node);
	if (peer) {
		out->node = node;
		out->epoch = peer->epoch;
		memcpy(out->c, peer->c, sizeof(out->c));
		ret = 0;
	}
	fit_os_unlock(&core->lock);
	return ret;
}

u64 fit_core_global_stat(struct fit_core *core, enum fit_gcounter which)
{
	u64 v;

	if ((unsigned int)which >= FIT_NR_GCOUNTERS)
		return 0;
	fit_os_lock(&core->lock);
	v = core->g[which];
	fit_os_unlock(&core->lock);
	return v;
}
