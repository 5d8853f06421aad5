// SPDX-License-Identifier: GPL-2.0
/*
 * Calls made to us: reassemble the request, run its handler exactly once,
 * send the reply and keep it until the caller has it.
 *
 *   RECEIVING --last fragment--> RUNNING --fit_core_reply--> REPLIED
 *   REPLIED --DONE, full ACK, or reply_ttl--> ACKED (a tombstone: the id
 *   is remembered so that a late duplicate does not run again)
 *   any --caller's done_below passes it, peer restarts, aging--> DEAD
 *
 * A one-way message goes from RECEIVING straight to REPLIED with an empty
 * reply (its delivery acknowledgement) while the handler runs anyway.
 * Each peer's entries are kept in id order, so everything below the
 * caller's done_below is found at the head of the list.
 */
#include "fit_internal.h"
#include "wire.h"

static struct fit_rpc *fit_rpc_find(struct fit_core *core, int node, u64 id)
{
	struct fit_list *head = &core->rpc_hash[fit_hash(id ^ ((u64)node << 48))];
	struct fit_list *pos, *tmp;
	struct fit_rpc *rpc;

	fit_list_for_each_safe(pos, tmp, head) {
		rpc = fit_list_entry(pos, struct fit_rpc, hash_link);
		if (rpc->id == id && rpc->node == node)
			return rpc;
	}
	return NULL;
}

static void fit_rpc_uncount(struct fit_core *core, struct fit_rpc *rpc)
{
	if (!rpc->counted)
		return;
	core->nreasm--;
	core->rx_mem -= rpc->rx.msg_len;
	rpc->counted = false;
}

/* Free what an ACKED or DEAD entry no longer needs. */
static void fit_rpc_trim(struct fit_core *core, struct fit_rpc *rpc)
{
	if (rpc->tx.pumping || (rpc->state != FIT_RPC_ACKED && rpc->state != FIT_RPC_DEAD))
		return;
	fit_tx_release(&rpc->tx);
	fit_os_free(rpc->reply);
	rpc->reply = NULL;
	if (!rpc->in_handler) {
		fit_rx_release(&rpc->rx);
		fit_os_free(rpc->rx.buf);
		rpc->rx.buf = NULL;
	}
}

void fit_rpc_put(struct fit_core *core, struct fit_rpc *rpc)
{
	if (--rpc->refs)
		return;
	fit_tx_release(&rpc->tx);
	fit_os_free(rpc->reply);
	fit_rx_release(&rpc->rx);
	fit_os_free(rpc->rx.buf);
	fit_os_free(rpc);
}

/* Forget the entry; whoever still holds a reference sees it DEAD. */
static void fit_rpc_unlink(struct fit_core *core, struct fit_rpc *rpc)
{
	struct fit_peer *peer = core->peers[rpc->node];

	if (rpc->state == FIT_RPC_DEAD)
		return;
	fit_list_del(&rpc->peer_link);
	fit_list_del(&rpc->hash_link);
	fit_list_del(&rpc->reply_link);
	peer->nsrv--;
	core->nsrv--;
	fit_rpc_uncount(core, rpc);
	rpc->state = FIT_RPC_DEAD;
	rpc->tx.active = false;
	fit_rpc_trim(core, rpc);
	fit_rpc_put(core, rpc);
}

/* The caller has the reply: keep only the id. */
static void fit_rpc_acked(struct fit_core *core, struct fit_rpc *rpc)
{
	rpc->state = FIT_RPC_ACKED;
	rpc->tx.active = false;
	rpc->tx.deadline = 0;
	fit_list_del(&rpc->reply_link);
	rpc->last_ns = fit_now();
	fit_rpc_trim(core, rpc);
}

void fit_purge_below(struct fit_core *core, struct fit_peer *peer)
{
	struct fit_list *pos, *tmp;
	struct fit_rpc *rpc;

	fit_list_for_each_safe(pos, tmp, &peer->srv) {
		rpc = fit_list_entry(pos, struct fit_rpc, peer_link);
		if (rpc->id >= peer->done_below)
			break;
		fit_rpc_unlink(core, rpc);
	}
}

void fit_purge_peer(struct fit_core *core, struct fit_peer *peer)
{
	struct fit_list *pos, *tmp;

	fit_list_for_each_safe(pos, tmp, &peer->srv)
		fit_rpc_unlink(core, fit_list_entry(pos, struct fit_rpc, peer_link));
}

static void fit_out_pump_rpc(struct fit_out *out, struct fit_rpc *rpc)
{
	if (rpc->pump_queued || rpc->state != FIT_RPC_REPLIED)
		return;
	rpc->pump_queued = true;
	rpc->refs++;
	fit_list_add_tail(&rpc->pump_link, &out->rpcs);
}

/* The caller holds a reference. */
void fit_pump_rpc(struct fit_core *core, struct fit_rpc *rpc)
{
	struct fit_desc d = {
		.type = FIT_MSG_REPLY,
		.id = rpc->id,
		.opcode = rpc->opcode,
		.status = rpc->status,
	};

	fit_pump(core, &rpc->tx, core->peers[rpc->node], &d);
	fit_os_lock(&core->lock);
	fit_rpc_trim(core, rpc);
	fit_os_unlock(&core->lock);
}

/* ------------------------------------------------------------ requests */

static void fit_rpc_insert(struct fit_core *core, struct fit_peer *peer, struct fit_rpc *rpc)
{
	struct fit_list *pos = peer->srv.prev;

	/* usually the newest id: search from the tail */
	while (pos != &peer->srv && fit_list_entry(pos, struct fit_rpc, peer_link)->id > rpc->id)
		pos = pos->prev;
	fit_list_insert(&rpc->peer_link, pos);
	fit_list_add_tail(&rpc->hash_link,
			  &core->rpc_hash[fit_hash(rpc->id ^ ((u64)rpc->node << 48))]);
	peer->nsrv++;
	if (!core->nsrv++) {
		/* the aging sweep only runs while there is something to age */
		core->next_sweep = fit_now() + core->p.sweep_ns;
		fit_arm(core, core->next_sweep);
	}
}

static struct fit_rpc *fit_rpc_new(struct fit_core *core, struct fit_peer *peer,
				   const struct fit_pkt *p)
{
	struct fit_rpc *rpc = NULL;
	u8 *buf = NULL;

	if (peer->nsrv >= core->p.max_srv_per_peer || core->nreasm >= core->p.max_reasm ||
	    core->rx_mem + p->msg_len > core->p.rx_mem_max)
		goto drop;
	rpc = fit_os_alloc(sizeof(*rpc));
	if (!rpc)
		goto drop;
	memset(rpc, 0, sizeof(*rpc));
	if (p->msg_len) {
		buf = fit_os_alloc(p->msg_len);
		if (!buf)
			goto drop;
	}
	if (fit_rx_init(&rpc->rx, p->msg_len, p->frag_size, buf))
		goto drop;
	fit_list_init(&rpc->work_link);
	fit_list_init(&rpc->reply_link);
	fit_list_init(&rpc->pump_link);
	rpc->core = core;
	rpc->id = p->id;
	rpc->node = peer->node;
	rpc->opcode = p->opcode;
	rpc->flags = p->flags & FIT_F_ONEWAY;
	rpc->state = FIT_RPC_RECEIVING;
	rpc->refs = 1;			/* the table's */
	rpc->fresh = p->flags & FIT_F_RETRANS;
	rpc->counted = true;
	core->nreasm++;
	core->rx_mem += p->msg_len;
	fit_rpc_insert(core, peer, rpc);
	return rpc;

drop:
	/* the sender will retransmit; by then there may be room */
	fit_os_free(buf);
	fit_os_free(rpc);
	core->g[FIT_G_NOMEM]++;
	peer->c[FIT_C_DROPS]++;
	return NULL;
}

static struct fit_handler *fit_handler_slot(struct fit_core *core, u32 opcode, bool add);

/* Set up the reply to send; the entry becomes a reply cache entry. */
static int fit_rpc_answer(struct fit_core *core, struct fit_rpc *rpc, u8 *data,
			  u32 len, s32 status)
{
	struct fit_peer *peer = core->peers[rpc->node];
	int err;

	err = fit_tx_init(&rpc->tx, data, len, core->frag_size, core->p.window,
			  fit_peer_rto(core, peer));
	if (err)
		return err;
	rpc->reply = data;
	rpc->status = status;
	rpc->state = FIT_RPC_REPLIED;
	rpc->last_ns = fit_now();
	fit_list_add_tail(&rpc->reply_link, &core->replies);
	return 0;
}

/* The whole request is here: hand it to a worker, exactly once. */
static void fit_rpc_complete(struct fit_core *core, struct fit_peer *peer,
			     struct fit_rpc *rpc, u16 flags, struct fit_out *out)
{
	struct fit_handler *h = fit_handler_slot(core, rpc->opcode, false);
	bool now = h && (h->flags & FIT_HANDLER_INLINE) && rpc->rx.nfrags == 1;

	fit_rpc_uncount(core, rpc);
	fit_rx_release(&rpc->rx);
	rpc->in_handler = true;
	rpc->refs++;			/* the handler's, until fit_core_reply */
	if (now) {
		fit_list_add_tail(&rpc->work_link, &out->inline_rpcs);
	} else {
		fit_list_add_tail(&rpc->work_link, &core->work);
		core->nwork++;
	}
	if (rpc->flags & FIT_F_ONEWAY) {
		/* delivered: that is all the sender waits for */
		fit_rpc_answer(core, rpc, NULL, 0, 0);
		fit_out_pump_rpc(out, rpc);
	} else {
		rpc->state = FIT_RPC_RUNNING;
		if (flags & FIT_F_ACKREQ)
			fit_ack_simple(core, out, peer, rpc->id, FIT_F_COMPLETE | FIT_F_INPROG);
	}
	if (!now)
		out->work = true;
}

static void fit_rpc_fragment(struct fit_core *core, struct fit_peer *peer,
			     struct fit_rpc *rpc, const struct fit_pkt *p,
			     struct fit_out *out)
{
	int added;

	if (fit_rx_check(&rpc->rx, p->msg_len, p->frag_size)) {
		core->g[FIT_G_MALFORMED]++;
		return;
	}
	added = fit_rx_add(&rpc->rx, p->frag_off, p->payload, p->frag_len);
	if (!added)
		peer->c[FIT_C_DUPS]++;
	rpc->last_ns = fit_now();
	if (fit_rx_complete(&rpc->rx)) {
		fit_rpc_complete(core, peer, rpc, p->flags, out);
		return;
	}
	if ((p->flags & FIT_F_ACKREQ) || added == 2) {
		/* we may have dropped an earlier reassembly of this: say so */
		fit_ack_rx(core, out, peer, &rpc->rx, rpc->id, rpc->fresh ? FIT_F_UNKNOWN : 0);
		rpc->fresh = false;
	}
}

/* The caller asks again for a reply we sent: send what it lacks. */
static void fit_rpc_resend(struct fit_core *core, struct fit_peer *peer,
			   struct fit_rpc *rpc, struct fit_out *out)
{
	u64 now = fit_now();

	/* a burst of duplicates must not become a burst of replies */
	if (rpc->resend_ns && now < rpc->resend_ns + fit_reorder_ns(core, peer))
		return;
	rpc->resend_ns = now;
	fit_tx_mark_unacked_lost(&rpc->tx, now, fit_peer_rto(core, peer) / 2);
	if (rpc->tx.nlost)
		fit_out_pump_rpc(out, rpc);
}

void fit_input_request(struct fit_core *core, struct fit_peer *peer,
		       const struct fit_pkt *p, struct fit_out *out)
{
	struct fit_rpc *rpc;

	if (p->id < peer->done_below) {
		peer->c[FIT_C_DUPS]++;		/* the caller is long done with it */
		return;
	}
	rpc = fit_rpc_find(core, peer->node, p->id);
	if (!rpc) {
		rpc = fit_rpc_new(core, peer, p);
		if (!rpc)
			return;
	} else if (rpc->opcode != p->opcode || ((rpc->flags ^ p->flags) & FIT_F_ONEWAY)) {
		core->g[FIT_G_MALFORMED]++;
		return;
	}
	switch (rpc->state) {
	case FIT_RPC_RECEIVING:
		fit_rpc_fragment(core, peer, rpc, p, out);
		break;
	case FIT_RPC_RUNNING:
		peer->c[FIT_C_DUPS]++;
		if (p->flags & FIT_F_ACKREQ)
			fit_ack_simple(core, out, peer, rpc->id, FIT_F_COMPLETE | FIT_F_INPROG);
		break;
	case FIT_RPC_REPLIED:
		peer->c[FIT_C_DUPS]++;
		if (p->flags & FIT_F_ACKREQ)
			fit_rpc_resend(core, peer, rpc, out);
		break;
	default:
		peer->c[FIT_C_DUPS]++;
		break;
	}
}

/* The caller's receive state of our reply. */
void fit_input_rpc_ack(struct fit_core *core, struct fit_peer *peer,
		       const struct fit_pkt *p, struct fit_out *out)
{
	struct fit_sack sack;
	struct fit_rpc *rpc = fit_rpc_find(core, peer->node, p->id);
	u64 rtt = 0;

	memcpy(&sack, p->payload, sizeof(sack));	/* may be unaligned */
	if (!rpc || rpc->state != FIT_RPC_REPLIED)
		return;
	if (p->flags & FIT_F_COMPLETE) {
		fit_rpc_acked(core, rpc);
		return;
	}
	if (fit_tx_sack(&rpc->tx, &sack, fit_now(), fit_reorder_ns(core, peer), peer->srtt,
			&rtt))
		rpc->tx.rto = fit_peer_rto(core, peer);
	if (rtt)
		fit_rtt_sample(peer, rtt);
	fit_arm(core, fit_tx_timer(&rpc->tx));
	if (!rpc->tx.active)
		fit_rpc_acked(core, rpc);
	else
		fit_out_pump_rpc(out, rpc);
}

void fit_input_done(struct fit_core *core, struct fit_peer *peer, const struct fit_pkt *p)
{
	const u8 *ids = p->payload;
	struct fit_rpc *rpc;
	u64 id;
	u32 i;

	for (i = 0; i < p->frag_len / 8; i++) {
		memcpy(&id, ids + 8 * i, 8);
		rpc = fit_rpc_find(core, peer->node, fit_le64(id));
		if (rpc && rpc->state == FIT_RPC_REPLIED)
			fit_rpc_acked(core, rpc);
	}
}

void fit_input_probe(struct fit_core *core, struct fit_peer *peer,
		     const struct fit_pkt *p, struct fit_out *out)
{
	struct fit_rpc *rpc = fit_rpc_find(core, peer->node, p->id);

	if (!rpc) {
		if (p->id >= peer->done_below)
			fit_ack_simple(core, out, peer, p->id, FIT_F_UNKNOWN);
		return;
	}
	switch (rpc->state) {
	case FIT_RPC_RECEIVING:
		fit_ack_rx(core, out, peer, &rpc->rx, rpc->id, 0);
		break;
	case FIT_RPC_RUNNING:
		fit_ack_simple(core, out, peer, rpc->id, FIT_F_COMPLETE | FIT_F_INPROG);
		break;
	case FIT_RPC_REPLIED:
		fit_rpc_resend(core, peer, rpc, out);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ handlers */

static struct fit_handler *fit_handler_slot(struct fit_core *core, u32 opcode, bool add)
{
	u32 i = (u32)fit_hash(opcode) & (FIT_HANDLER_SLOTS - 1), n;
	struct fit_handler *h;

	for (n = 0; n < FIT_HANDLER_SLOTS; n++, i = (i + 1) & (FIT_HANDLER_SLOTS - 1)) {
		h = &core->handlers[i];
		if (!h->used)
			return add ? h : NULL;
		if (h->opcode == opcode)
			return h;
	}
	return NULL;
}

int fit_core_register(struct fit_core *core, u32 opcode, fit_core_handler_t fn, void *data)
{
	return fit_core_register_flags(core, opcode, fn, data, 0);
}

int fit_core_register_flags(struct fit_core *core, u32 opcode, fit_core_handler_t fn,
			    void *data, unsigned int flags)
{
	struct fit_handler *h;
	int ret = 0;

	if (!fn)
		return -EINVAL;
	fit_os_lock(&core->lock);
	h = fit_handler_slot(core, opcode, true);
	if (!h) {
		ret = -ENOSPC;
	} else if (h->used) {
		ret = -EEXIST;
	} else {
		h->used = true;
		h->opcode = opcode;
		h->fn = fn;
		h->data = data;
		h->flags = flags;
	}
	fit_os_unlock(&core->lock);
	return ret;
}

bool fit_core_has_work(struct fit_core *core)
{
	bool ret;

	fit_os_lock(&core->lock);
	ret = !fit_list_empty(&core->work);
	fit_os_unlock(&core->lock);
	return ret;
}

struct fit_rpc *fit_core_next_work(struct fit_core *core)
{
	struct fit_rpc *rpc = NULL;

	fit_os_lock(&core->lock);
	if (!fit_list_empty(&core->work)) {
		rpc = fit_list_entry(core->work.next, struct fit_rpc, work_link);
		fit_list_del(&rpc->work_link);
		core->nwork--;
	}
	fit_os_unlock(&core->lock);
	return rpc;
}

void fit_core_run_work(struct fit_core *core, struct fit_rpc *rpc)
{
	struct fit_peer *peer;
	struct fit_handler *h;
	fit_core_handler_t fn = NULL;
	void *data = NULL;

	fit_os_lock(&core->lock);
	h = fit_handler_slot(core, rpc->opcode, false);
	if (h) {
		fn = h->fn;
		data = h->data;
	}
	peer = core->peers[rpc->node];
	peer->c[FIT_C_SERVED]++;
	fit_os_unlock(&core->lock);
	if (fn)
		fn(rpc, rpc->rx.buf, rpc->rx.msg_len, data);
	else
		fit_core_reply(rpc, NULL, 0, -EOPNOTSUPP);
}

/* Run the requests input found for inline handlers (lock not held). */
void fit_run_inline(struct fit_core *core, struct fit_out *out)
{
	struct fit_rpc *rpc;

	while (!fit_list_empty(&out->inline_rpcs)) {
		rpc = fit_list_entry(out->inline_rpcs.next, struct fit_rpc, work_link);
		fit_list_del(&rpc->work_link);
		fit_core_run_work(core, rpc);
	}
}

/* Drop queued requests without running them (core teardown). */
void fit_drain_work(struct fit_core *core)
{
	struct fit_rpc *rpc;

	while (!fit_list_empty(&core->work)) {
		rpc = fit_list_entry(core->work.next, struct fit_rpc, work_link);
		fit_list_del(&rpc->work_link);
		core->nwork--;
		rpc->in_handler = false;
		fit_rpc_put(core, rpc);
	}
}

int fit_rpc_node(const struct fit_rpc *rpc)
{
	return rpc->node;
}

u32 fit_rpc_opcode(const struct fit_rpc *rpc)
{
	return rpc->opcode;
}

static int fit_reply_copy(const void *reply, size_t *len, int *status, u8 **copy)
{
	int ret = 0;

	*copy = NULL;
	if (*status > 0) {
		*status = -EINVAL;
		ret = -EINVAL;
	} else if (*len > FIT_MAX_MSG) {
		*status = -EMSGSIZE;
		ret = -EMSGSIZE;
	}
	if (*status < 0 || !reply)
		*len = 0;
	if (!*len)
		return ret;
	*copy = fit_os_alloc(*len);
	if (!*copy) {
		*status = -ENOMEM;
		*len = 0;
		return -ENOMEM;
	}
	memcpy(*copy, reply, *len);
	return ret;
}

/*
 * Answer a request: the reply is copied (it is kept until the caller has
 * it). Returns 0, or an error that was also sent to the caller as the
 * status; -EINVAL alone if this rpc was answered before.
 */
int fit_core_reply(struct fit_rpc *rpc, const void *reply, size_t len, int status)
{
	struct fit_core *core = rpc->core;
	u8 *copy;
	int ret;

	ret = fit_reply_copy(reply, &len, &status, &copy);
	fit_os_lock(&core->lock);
	if (!rpc->in_handler) {
		fit_os_unlock(&core->lock);
		fit_os_free(copy);
		return -EINVAL;
	}
	rpc->in_handler = false;
	fit_os_free(rpc->rx.buf);
	rpc->rx.buf = NULL;
	if (rpc->state != FIT_RPC_RUNNING) {
		/* one-way (acknowledged already) or forgotten meanwhile */
		fit_rpc_trim(core, rpc);
		fit_rpc_put(core, rpc);
		fit_os_unlock(&core->lock);
		fit_os_free(copy);
		return ret;
	}
	if (fit_rpc_answer(core, rpc, copy, (u32)len, status)) {
		fit_os_free(copy);
		ret = -ENOMEM;
		fit_rpc_answer(core, rpc, NULL, 0, -ENOMEM);
	}
	fit_os_unlock(&core->lock);
	fit_pump_rpc(core, rpc);
	fit_os_lock(&core->lock);
	fit_rpc_put(core, rpc);
	fit_os_unlock(&core->lock);
	return ret;
}

/* ------------------------------------------------------------ timers */

u64 fit_rpc_timers(struct fit_core *core, u64 now, struct fit_out *out)
{
	struct fit_list *pos, *tmp;
	struct fit_rpc *rpc;
	u64 next = FIT_NEVER, when;

	fit_list_for_each_safe(pos, tmp, &core->replies) {
		rpc = fit_list_entry(pos, struct fit_rpc, reply_link);
		if (now >= rpc->last_ns + core->p.reply_ttl_ns) {
			fit_rpc_acked(core, rpc);	/* the caller is gone */
			continue;
		}
		when = fit_tx_timer(&rpc->tx);
		if (when && now >= when) {
			fit_tx_timeout(&rpc->tx, now, core->p.rto_max_ns);
			fit_out_pump_rpc(out, rpc);
			when = fit_tx_timer(&rpc->tx);
		}
		if (when)
			next = fit_min(next, when);
		next = fit_min(next, rpc->last_ns + core->p.reply_ttl_ns);
	}
	return next;
}

/* Age out stalled reassemblies and old tombstones. */
void fit_rpc_sweep(struct fit_core *core, struct fit_peer *peer, u64 now)
{
	struct fit_list *pos, *tmp;
	struct fit_rpc *rpc;

	fit_list_for_each_safe(pos, tmp, &peer->srv) {
		rpc = fit_list_entry(pos, struct fit_rpc, peer_link);
		if ((rpc->state == FIT_RPC_RECEIVING &&
		     now >= rpc->last_ns + core->p.reasm_timeout_ns) ||
		    (rpc->state == FIT_RPC_ACKED &&
		     now >= rpc->last_ns + core->p.tombstone_ttl_ns))
			fit_rpc_unlink(core, rpc);
	}
}
