// SPDX-License-Identifier: GPL-2.0
/*
 * Calls we make: send the request, wait for the reply, acknowledge it.
 *
 *   SENDING --request acknowledged (ACK, or first reply fragment)--> WAITING
 *   SENDING, WAITING --reply complete, timeout, peer reset, reply lost--> OVER
 *
 * While SENDING the request's own timer retransmits what is missing;
 * while WAITING we only probe, with backoff, in case the callee lost its
 * reply. The reply is reassembled straight into the caller's buffer.
 */
#include "fit_internal.h"
#include "wire.h"

struct fit_call *fit_call_find(struct fit_core *core, u64 id)
{
	struct fit_list *head = &core->call_hash[fit_hash(id)], *pos, *tmp;
	struct fit_call *call;

	fit_list_for_each_safe(pos, tmp, head) {
		call = fit_list_entry(pos, struct fit_call, hash_link);
		if (call->id == id)
			return call;
	}
	return NULL;
}

/*
 * All our calls to peer with smaller ids are over: calls are linked in id
 * order, so that is the oldest one still going, or the next id to use.
 */
u64 fit_calls_done_below(const struct fit_core *core, const struct fit_peer *peer)
{
	if (fit_list_empty(&peer->calls))
		return core->next_id;
	return fit_list_entry(peer->calls.next, struct fit_call, peer_link)->id;
}

void fit_call_over(struct fit_core *core, struct fit_call *call, long result)
{
	if (call->state == FIT_CALL_OVER)
		return;
	call->result = result;
	__atomic_store_n(&call->state, FIT_CALL_OVER, __ATOMIC_RELEASE);
	call->tx.active = false;
	call->tx.deadline = 0;
	if (call->linked) {
		fit_list_del(&call->peer_link);
		fit_list_del(&call->hash_link);
		call->linked = false;
	}
	fit_os_event_signal(&call->done);
}

void fit_calls_fail(struct fit_core *core, struct fit_peer *peer, long err)
{
	struct fit_list *pos, *tmp;

	fit_list_for_each_safe(pos, tmp, &peer->calls) {
		peer->c[FIT_C_ERRORS]++;
		fit_call_over(core, fit_list_entry(pos, struct fit_call, peer_link), err);
	}
}

void fit_call_put(struct fit_core *core, struct fit_call *call)
{
	if (--call->refs)
		return;
	fit_tx_release(&call->tx);
	fit_rx_release(&call->rx);
	fit_os_free(call->req);
	fit_os_event_destroy(&call->done);
	fit_os_free(call);
}

void fit_out_pump_call(struct fit_out *out, struct fit_call *call)
{
	if (call->pump_queued || call->state == FIT_CALL_OVER)
		return;
	call->pump_queued = true;
	call->refs++;
	fit_list_add_tail(&call->pump_link, &out->calls);
}

/* The caller holds a reference. */
void fit_pump_call(struct fit_core *core, struct fit_call *call)
{
	struct fit_desc d = {
		.type = FIT_MSG_REQUEST,
		.flags = call->flags,
		.id = call->id,
		.opcode = call->opcode,
	};

	fit_pump(core, &call->tx, core->peers[call->node], &d);
}

/* ------------------------------------------------------------ starting */

static struct fit_call *fit_call_alloc(const void *req, size_t len)
{
	struct fit_call *call = fit_os_alloc(sizeof(*call));

	if (!call)
		return NULL;
	memset(call, 0, sizeof(*call));
	if (len) {
		/* our own copy: retransmissions may outlive the caller's buffer */
		call->req = fit_os_alloc(len);
		if (!call->req) {
			fit_os_free(call);
			return NULL;
		}
		memcpy(call->req, req, len);
	}
	fit_list_init(&call->peer_link);
	fit_list_init(&call->hash_link);
	fit_list_init(&call->pump_link);
	fit_os_event_init(&call->done);
	return call;
}

static int fit_call_link(struct fit_core *core, struct fit_call *call, int node,
			 u64 timeout_ns)
{
	struct fit_peer *peer = fit_peer_get(core, node);
	int err;

	if (!peer)
		return -EHOSTUNREACH;
	err = fit_tx_init(&call->tx, call->req, call->tx.len, core->frag_size,
			  core->p.window, fit_peer_rto(core, peer));
	if (err)
		return err;
	call->id = core->next_id++;
	call->node = node;
	__atomic_store_n(&call->state, FIT_CALL_SENDING, __ATOMIC_RELAXED);
	call->refs = 1;
	call->start_ns = fit_now();
	call->deadline = call->start_ns + timeout_ns;
	/* ids only grow, so appending keeps peer->calls in id order */
	fit_list_add_tail(&call->peer_link, &peer->calls);
	fit_list_add_tail(&call->hash_link, &core->call_hash[fit_hash(call->id)]);
	call->linked = true;
	peer->c[FIT_C_CALLS]++;
	return 0;
}

int fit_core_call_start(struct fit_core *core, int node, u32 opcode,
			const void *req, size_t len, void *reply, size_t max,
			u64 timeout_ns, unsigned int flags, struct fit_call **callp)
{
	struct fit_call *call;
	int err;

	if (node == core->node || (len && !req))
		return -EINVAL;
	if (node < 0 || node >= FIT_MAX_NODES)
		return -EHOSTUNREACH;
	if (len > FIT_MAX_MSG)
		return -EMSGSIZE;
	call = fit_call_alloc(req, len);
	if (!call)
		return -ENOMEM;
	call->core = core;
	call->opcode = opcode;
	call->flags = (flags & FIT_CALL_ONEWAY) ? FIT_F_ONEWAY : 0;
	call->reply = reply;
	call->max = reply ? max : 0;
	call->tx.len = (u32)len;

	fit_os_lock(&core->lock);
	err = fit_call_link(core, call, node, timeout_ns);
	fit_os_unlock(&core->lock);
	if (err) {
		fit_os_free(call->req);
		fit_os_event_destroy(&call->done);
		fit_os_free(call);
		return err;
	}
	fit_pump_call(core, call);
	*callp = call;
	return 0;
}

/* Lockless: the woken caller must not contend with whoever woke it. */
bool fit_core_call_done(struct fit_call *call)
{
	return __atomic_load_n(&call->state, __ATOMIC_ACQUIRE) == FIT_CALL_OVER;
}

u64 fit_core_call_deadline(const struct fit_call *call)
{
	return call->deadline;
}

long fit_core_call_end(struct fit_core *core, struct fit_call *call)
{
	struct fit_peer *peer;
	long ret;

	fit_os_lock(&core->lock);
	if (call->state != FIT_CALL_OVER) {
		peer = fit_peer_get(core, call->node);
		if (peer)
			peer->c[FIT_C_TIMEOUTS]++;
		fit_call_over(core, call, -ETIMEDOUT);
	}
	ret = call->result;
	fit_call_put(core, call);
	fit_os_unlock(&core->lock);
	return ret;
}

long fit_core_call_wait(struct fit_core *core, struct fit_call *call)
{
	u64 now;

	while (!fit_core_call_done(call)) {
		now = fit_now();
		if (now >= call->deadline)
			break;
		fit_os_event_wait(&call->done, call->deadline - now);
	}
	return fit_core_call_end(core, call);
}

long fit_core_call(struct fit_core *core, int node, u32 opcode, const void *req,
		   size_t len, void *reply, size_t max, u64 timeout_ns)
{
	struct fit_call *call;
	int err;

	err = fit_core_call_start(core, node, opcode, req, len, reply, max,
				  timeout_ns, 0, &call);
	if (err)
		return err;
	return fit_core_call_wait(core, call);
}

int fit_core_send(struct fit_core *core, int node, u32 opcode, const void *msg,
		  size_t len, u64 timeout_ns)
{
	struct fit_call *call;
	long ret;
	int err;

	err = fit_core_call_start(core, node, opcode, msg, len, NULL, 0, timeout_ns,
				  FIT_CALL_ONEWAY, &call);
	if (err)
		return err;
	ret = fit_core_call_wait(core, call);
	return ret > 0 ? 0 : (int)ret;
}

/* ------------------------------------------------------------ input */

/* The callee has the whole request: stop sending it, start probing. */
static void fit_call_request_arrived(struct fit_core *core, struct fit_peer *peer,
				     struct fit_call *call)
{
	u64 now = fit_now();

	if (call->state != FIT_CALL_SENDING)
		return;
	/* one fragment, sent once: time to first answer is an RTT sample */
	if (call->tx.active && call->tx.nfrags == 1 && call->tx.slots[0].sends == 1 &&
	    now > call->tx.slots[0].sent_ns)
		fit_rtt_sample(peer, now - call->tx.slots[0].sent_ns);
	fit_tx_ack_all(&call->tx);
	__atomic_store_n(&call->state, FIT_CALL_WAITING, __ATOMIC_RELAXED);
	call->probe_ns = 2 * fit_peer_rto(core, peer);
	call->probe_at = now + call->probe_ns;
	fit_arm(core, call->probe_at);
}

/*
 * Remember to tell the callee that we have a reply (so it can drop it):
 * in a batched DONE after done_delay_ns, at once if urgent. A later
 * datagram's done_below often says it first, and then nothing is sent.
 */
static void fit_done_prune(struct fit_peer *peer)
{
	u32 i, n = 0;

	for (i = 0; i < peer->ndone; i++)
		if (peer->done_ids[i] >= peer->done_sent)
			peer->done_ids[n++] = peer->done_ids[i];
	peer->ndone = n;
	if (!n)
		peer->done_deadline = 0;
}

static void fit_done_flush(struct fit_core *core, struct fit_peer *peer, struct fit_out *out)
{
	u64 ids[FIT_DONE_BATCH];
	u32 i;

	fit_done_prune(peer);
	for (i = 0; i < peer->ndone; i++)
		ids[i] = fit_le64(peer->done_ids[i]);
	if (peer->ndone && !fit_ctl_new(core, out, peer, FIT_MSG_DONE, 0, peer->done_ids[0],
					 ids, peer->ndone * 8))
		return;		/* out is full: the service thread retries */
	peer->ndone = 0;
	peer->done_deadline = 0;
}

static void fit_done_add(struct fit_core *core, struct fit_peer *peer, u64 id,
			 bool urgent, struct fit_out *out)
{
	u32 i;

	/* a datagram since the last add may have said it all: restart the clock */
	fit_done_prune(peer);
	if (id < peer->done_sent)
		return;
	for (i = 0; i < peer->ndone; i++)
		if (peer->done_ids[i] == id)
			break;
	if (i == peer->ndone) {
		if (peer->ndone == FIT_DONE_BATCH)
			fit_done_flush(core, peer, out);
		if (peer->ndone == FIT_DONE_BATCH)
			return;
		peer->done_ids[peer->ndone++] = id;
	}
	if (urgent) {
		fit_done_flush(core, peer, out);
	} else if (!peer->done_deadline) {
		peer->done_deadline = fit_now() + core->p.done_delay_ns;
		fit_arm(core, peer->done_deadline);
	}
}

/* A reply fragment for a call that is over (or never was). */
static void fit_reply_orphan(struct fit_core *core, struct fit_peer *peer,
			     const struct fit_pkt *p, struct fit_out *out)
{
	if (p->id >= core->next_id) {
		core->g[FIT_G_MALFORMED]++;
		return;
	}
	peer->c[FIT_C_LATE]++;
	/* acknowledge anyway, or the callee keeps resending it */
	fit_done_add(core, peer, p->id, p->flags & FIT_F_ACKREQ, out);
}

static void fit_call_replied(struct fit_core *core, struct fit_peer *peer,
			     struct fit_call *call, struct fit_out *out)
{
	long res = call->rx.status;

	if (!res) {
		res = call->rx.msg_len;
		if (call->rx.msg_len > call->max && !(call->flags & FIT_F_ONEWAY)) {
			res = -EMSGSIZE;
			peer->c[FIT_C_ERRORS]++;
		}
	}
	fit_call_over(core, call, res);
	/* a reply in several fragments asked for an ACK at its end: DONE now */
	fit_done_add(core, peer, call->id, call->rx.nfrags > 1, out);
}

void fit_input_reply(struct fit_core *core, struct fit_peer *peer,
		     const struct fit_pkt *p, struct fit_out *out)
{
	struct fit_call *call = fit_call_find(core, p->id);
	int added;

	if (!call || call->node != peer->node) {
		fit_reply_orphan(core, peer, p, out);
		return;
	}
	fit_call_request_arrived(core, peer, call);
	if (!call->rx.started) {
		if (fit_rx_init(&call->rx, p->msg_len, p->frag_size,
				p->msg_len <= call->max ? call->reply : NULL)) {
			core->g[FIT_G_NOMEM]++;
			peer->c[FIT_C_DROPS]++;
			return;
		}
		call->rx.status = p->status;
	} else if (fit_rx_check(&call->rx, p->msg_len, p->frag_size) ||
		   p->status != call->rx.status) {
		core->g[FIT_G_MALFORMED]++;
		return;
	}
	added = fit_rx_add(&call->rx, p->frag_off, p->payload, p->frag_len);
	if (!added)
		peer->c[FIT_C_DUPS]++;
	/* the reply is streaming in: no need to ask what became of it */
	call->probe_at = fit_now() + call->probe_ns;
	if (fit_rx_complete(&call->rx))
		fit_call_replied(core, peer, call, out);
	else if ((p->flags & FIT_F_ACKREQ) || added == 2)
		fit_ack_rx(core, out, peer, &call->rx, call->id, FIT_F_OF_REPLY);
}

/* The callee's receive state of our request. */
void fit_input_call_ack(struct fit_core *core, struct fit_peer *peer,
			const struct fit_pkt *p, struct fit_out *out)
{
	struct fit_sack sack;
	struct fit_call *call = fit_call_find(core, p->id);
	u64 rtt = 0;

	memcpy(&sack, p->payload, sizeof(sack));	/* may be unaligned */
	if (!call || call->node != peer->node)
		return;
	if (call->state == FIT_CALL_WAITING) {
		/*
		 * The answer to a probe says it has nothing: it ran the
		 * request and then forgot it, so the reply is lost. (A SACK
		 * with FIT_F_UNKNOWN and fragments in it is an old one.)
		 */
		if ((p->flags & (FIT_F_UNKNOWN | FIT_F_COMPLETE)) == FIT_F_UNKNOWN &&
		    !sack.cum && !sack.nbits) {
			peer->c[FIT_C_ERRORS]++;
			fit_call_over(core, call, -EPROTO);
		}
		return;
	}
	if (p->flags & (FIT_F_COMPLETE | FIT_F_INPROG)) {
		fit_call_request_arrived(core, peer, call);
		return;
	}
	if (p->flags & FIT_F_UNKNOWN)
		fit_tx_restart(&call->tx);
	if (fit_tx_sack(&call->tx, &sack, fit_now(), fit_reorder_ns(core, peer), peer->srtt,
			&rtt))
		call->tx.rto = fit_peer_rto(core, peer);
	if (rtt)
		fit_rtt_sample(peer, rtt);
	fit_arm(core, fit_tx_timer(&call->tx));
	if (!call->tx.active) {
		fit_call_request_arrived(core, peer, call);
		return;
	}
	fit_out_pump_call(out, call);
}

void fit_input_reset(struct fit_core *core, struct fit_peer *peer, const struct fit_pkt *p)
{
	struct fit_call *call = fit_call_find(core, p->id);

	if (call && call->node == peer->node) {
		peer->c[FIT_C_ERRORS]++;
		fit_call_over(core, call, -ECONNRESET);
	}
}

/* ------------------------------------------------------------ timers */

static u64 fit_call_timer(struct fit_core *core, struct fit_call *call, u64 now,
			  struct fit_out *out)
{
	u64 when;

	if (call->state == FIT_CALL_SENDING) {
		when = fit_tx_timer(&call->tx);
		if (when && now >= when) {
			fit_tx_timeout(&call->tx, now, core->p.rto_max_ns);
			fit_out_pump_call(out, call);
			when = fit_tx_timer(&call->tx);
		}
		return when ? when : FIT_NEVER;
	}
	if (now >= call->probe_at &&
	    fit_ctl_new(core, out, core->peers[call->node], FIT_MSG_PROBE, 0, call->id, NULL, 0)) {
		call->probe_ns = fit_min(2 * call->probe_ns, core->p.probe_max_ns);
		call->probe_at = now + call->probe_ns;
	}
	return call->probe_at;
}

u64 fit_call_timers(struct fit_core *core, struct fit_peer *peer, u64 now,
		    struct fit_out *out)
{
	struct fit_list *pos, *tmp;
	u64 next = FIT_NEVER;

	fit_list_for_each_safe(pos, tmp, &peer->calls)
		next = fit_min(next, fit_call_timer(core, fit_list_entry(pos, struct fit_call,
									 peer_link), now, out));
	if (peer->ndone && now >= peer->done_deadline)
		fit_done_flush(core, peer, out);
	if (peer->ndone)
		next = fit_min(next, peer->done_deadline ? peer->done_deadline : now);
	return next;
}
