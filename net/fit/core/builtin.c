// SPDX-License-Identifier: GPL-2.0
/*
 * What every FIT node answers (opcodes from FIT_OP_INTERNAL up): echo and
 * its counter and fill for tests and benchmarks, counters, and the join
 * protocol; plus pings and the counter printout.
 */
#include "fit_internal.h"
#include "wire.h"

static void fit_echo(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	struct fit_core *core = data;
	struct fit_peer *peer;

	fit_os_lock(&core->lock);
	peer = fit_peer_get(core, fit_rpc_node(rpc));
	if (peer)
		peer->c[FIT_C_ECHOES]++;
	core->echo_total++;
	fit_os_unlock(&core->lock);
	fit_core_reply(rpc, req, len, 0);
}

static void fit_count(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	struct fit_core *core = data;
	struct fit_count_reply r;
	struct fit_count_req q;
	struct fit_peer *peer;

	memset(&q, 0, sizeof(q));
	memcpy(&q, req, fit_min(len, sizeof(q)));
	memset(&r, 0, sizeof(r));
	fit_os_lock(&core->lock);
	peer = fit_peer_get(core, fit_rpc_node(rpc));
	if (peer) {
		r.echoes = fit_le64(peer->c[FIT_C_ECHOES]);
		if (fit_le32(q.flags) & FIT_COUNT_RESET)
			peer->c[FIT_C_ECHOES] = 0;
	}
	r.total = fit_le64(core->echo_total);
	fit_os_unlock(&core->lock);
	fit_core_reply(rpc, &r, sizeof(r), 0);
}

static void fit_fill(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	struct fit_fill_req q;
	u32 i, n, seed;
	u8 *buf;

	if (len < sizeof(q)) {
		fit_core_reply(rpc, NULL, 0, -EINVAL);
		return;
	}
	memcpy(&q, req, sizeof(q));
	n = fit_le32(q.reply_len);
	seed = fit_le32(q.seed);
	if (n > FIT_MAX_MSG) {
		fit_core_reply(rpc, NULL, 0, -EINVAL);
		return;
	}
	buf = n ? fit_os_alloc(n) : NULL;
	if (n && !buf) {
		fit_core_reply(rpc, NULL, 0, -ENOMEM);
		return;
	}
	for (i = 0; i < n; i++)
		buf[i] = fit_fill_byte(seed, i);
	fit_core_reply(rpc, buf, n, 0);
	fit_os_free(buf);
}

static u32 fit_stats_size(void)
{
	return sizeof(struct fit_stats_reply) + FIT_MAX_NODES * sizeof(struct fit_peer_counters);
}

static void fit_stats(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	struct fit_core *core = data;
	struct fit_stats_reply *r;
	struct fit_peer_counters *pc;
	struct fit_peer *peer;
	u32 i, j, n = 0;

	r = fit_os_alloc(fit_stats_size());
	if (!r) {
		fit_core_reply(rpc, NULL, 0, -ENOMEM);
		return;
	}
	memset(r, 0, fit_stats_size());
	fit_os_lock(&core->lock);
	r->node = fit_le16((u16)core->node);
	r->epoch = fit_le32(core->epoch);
	r->ncounters = fit_le32(FIT_NR_COUNTERS);
	r->ngcounters = fit_le32(FIT_NR_GCOUNTERS);
	for (j = 0; j < FIT_NR_GCOUNTERS; j++)
		r->global[j] = fit_le64(core->g[j]);
	for (i = 0; i < FIT_MAX_NODES; i++) {
		peer = core->peers[i];
		if (!peer)
			continue;
		pc = &r->peers[n++];
		pc->node = fit_le16((u16)i);
		pc->epoch = fit_le32(peer->epoch);
		for (j = 0; j < FIT_NR_COUNTERS; j++)
			pc->c[j] = fit_le64(peer->c[j]);
	}
	r->npeers = fit_le16((u16)n);
	fit_os_unlock(&core->lock);
	fit_core_reply(rpc, r, sizeof(*r) + n * sizeof(*pc), 0);
	fit_os_free(r);
}

static u32 fit_members_size(void)
{
	return sizeof(struct fit_join_reply) + FIT_MAX_NODES * sizeof(struct fit_member);
}

static void fit_member_fill(struct fit_member *m, int node, u32 epoch,
			    const struct fit_addr *addr)
{
	memset(m, 0, sizeof(*m));
	m->node = fit_le16((u16)node);
	m->epoch = fit_le32(epoch);
	fit_addr_to_wire(addr, &m->addr);
}

/*
 * The joiner was added as a peer when its request arrived (from the
 * address it came from); answer with everyone we know, ourselves first.
 */
static void fit_join(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	struct fit_core *core = data;
	struct fit_join_reply *r;
	struct fit_peer *peer;
	u32 i, n = 0;

	if (len < sizeof(struct fit_join_req)) {
		fit_core_reply(rpc, NULL, 0, -EINVAL);
		return;
	}
	r = fit_os_alloc(fit_members_size());
	if (!r) {
		fit_core_reply(rpc, NULL, 0, -ENOMEM);
		return;
	}
	memset(r, 0, sizeof(*r));
	fit_os_lock(&core->lock);
	fit_member_fill(&r->members[n++], core->node, core->epoch, &core->self);
	for (i = 0; i < FIT_MAX_NODES; i++) {
		peer = core->peers[i];
		if (peer)
			fit_member_fill(&r->members[n++], i, peer->epoch, &peer->addr);
	}
	fit_os_unlock(&core->lock);
	fit_pr_info("fit: node %d joined\n", fit_rpc_node(rpc));
	r->nmembers = fit_le32(n);
	fit_core_reply(rpc, r, sizeof(*r) + n * sizeof(struct fit_member), 0);
	fit_os_free(r);
}

void fit_core_register_builtins(struct fit_core *core)
{
	/* quick and never sleeping: run where the request is received */
	fit_core_register_flags(core, FIT_OP_ECHO, fit_echo, core, FIT_HANDLER_INLINE);
	fit_core_register_flags(core, FIT_OP_COUNT, fit_count, core, FIT_HANDLER_INLINE);
	fit_core_register_flags(core, FIT_OP_FILL, fit_fill, core, FIT_HANDLER_INLINE);
	fit_core_register(core, FIT_OP_STATS, fit_stats, core);
	fit_core_register(core, FIT_OP_JOIN, fit_join, core);
}

/* ------------------------------------------------------------ membership */

void fit_core_ping(struct fit_core *core, int node)
{
	struct fit_peer *peer;
	struct fit_out out;
	int i;

	for (i = 0; i < FIT_MAX_NODES; i++) {
		if (node >= 0 && i != node)
			continue;
		fit_out_init(&out);
		fit_os_lock(&core->lock);
		peer = core->peers[i];
		if (peer)
			fit_ctl_new(core, &out, peer, FIT_MSG_PING, 0, 0, NULL, 0);
		fit_os_unlock(&core->lock);
		fit_out_flush(core, &out);
	}
}

/* Add the members of a join reply we did not know; mark them in learned. */
static int fit_join_merge(struct fit_core *core, const struct fit_join_reply *r,
			  long len, bool *learned)
{
	u32 i, n = fit_le32(r->nmembers);
	struct fit_addr addr;
	int node, added = 0;

	if (len < (long)sizeof(*r) ||
	    n > FIT_MAX_NODES + 1 || len < (long)(sizeof(*r) + n * sizeof(r->members[0])))
		return -EPROTO;
	for (i = 0; i < n; i++) {
		node = fit_le16(r->members[i].node);
		if (node == core->node || node >= FIT_MAX_NODES || fit_core_has_peer(core, node))
			continue;
		fit_addr_from_wire(&r->members[i].addr, &addr);
		if (fit_core_add_peer(core, node, &addr))
			continue;
		learned[node] = true;
		added++;
	}
	return added;
}

static int fit_join_one(struct fit_core *core, int node, u64 timeout_ns,
			struct fit_join_reply *r, bool *learned)
{
	struct fit_join_req req;
	long n;

	memset(&req, 0, sizeof(req));
	fit_addr_to_wire(&core->self, &req.addr);
	n = fit_core_call(core, node, FIT_OP_JOIN, &req, sizeof(req), r,
			  fit_members_size(), timeout_ns);
	if (n < 0)
		return (int)n;
	return fit_join_merge(core, r, n, learned);
}

/*
 * Join through seed, then introduce ourselves to every member we learn
 * of, transitively: each of them adds us when our request arrives.
 */
int fit_core_join(struct fit_core *core, int seed, u64 timeout_ns)
{
	bool learned[FIT_MAX_NODES] = { false }, done[FIT_MAX_NODES] = { false };
	struct fit_join_reply *r;
	int i, err, members = 0;
	bool more = true;

	r = fit_os_alloc(fit_members_size());
	if (!r)
		return -ENOMEM;
	err = fit_join_one(core, seed, timeout_ns, r, learned);
	done[seed] = true;
	while (err >= 0 && more) {
		more = false;
		for (i = 0; i < FIT_MAX_NODES; i++) {
			if (!learned[i] || done[i])
				continue;
			done[i] = true;
			more = true;
			if (fit_join_one(core, i, fit_min(timeout_ns, 3000 * FIT_MS), r,
					 learned) < 0)
				fit_pr_warn("fit: join: node %d did not answer\n", i);
		}
	}
	fit_os_free(r);
	if (err < 0)
		return err;
	for (i = 0; i < FIT_MAX_NODES; i++)
		members += fit_core_has_peer(core, i);
	return members;
}

/* ------------------------------------------------------------ counters */

static const char *const cn[] = FIT_COUNTER_NAMES;
static const char *const gn[] = FIT_GCOUNTER_NAMES;
_Static_assert(sizeof(cn) / sizeof(cn[0]) == FIT_NR_COUNTERS, "a name per counter");
_Static_assert(sizeof(gn) / sizeof(gn[0]) == FIT_NR_GCOUNTERS, "a name per counter");

void fit_core_print_stats(struct fit_core *core)
{
	struct fit_peer_stats st;
	char line[512];
	int i, j, n;

	n = 0;
	for (j = 0; j < FIT_NR_GCOUNTERS; j++)
		n += snprintf(line + n, sizeof(line) - n, " %s %llu", gn[j],
			      (unsigned long long)fit_core_global_stat(core, j));
	fit_pr_info("fit: node %d epoch %08x:%s\n", core->node, core->epoch, line);
	for (i = 0; i < FIT_MAX_NODES; i++) {
		if (fit_core_peer_stats(core, i, &st))
			continue;
		n = 0;
		for (j = 0; j < FIT_NR_COUNTERS; j++)
			n += snprintf(line + n, sizeof(line) - n, " %s %llu", cn[j],
				      (unsigned long long)st.c[j]);
		fit_pr_info("fit: peer %d epoch %08x:%s\n", i, st.epoch, line);
	}
}
