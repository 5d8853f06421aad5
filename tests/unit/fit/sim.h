/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNIT_FIT_SIM_H
#define _UNIT_FIT_SIM_H

/*
 * A network of FIT cores inside one process, for the unit tests.
 *
 * Fake time (sim_new(n, false)): one thread does everything. Datagrams
 * wait in a queue ordered by delivery time; sim_run_*() delivers them,
 * runs handlers and core timers, and jumps the clock to the next event,
 * so a test of seconds of protocol time runs in milliseconds and always
 * the same way (the impairments use the seeded host_rand()).
 *
 * Real time (sim_new(n, true)): a delivery thread, and per node a service
 * thread and worker threads, like the kernel; callers use the blocking
 * fit_core_call() from their own threads.
 *
 * Either way the wire can lose, duplicate, reorder (delay) and corrupt
 * datagrams, a node can be cut off, and every datagram sent is logged.
 */
#include "../../../net/fit/core/fit_core.h"

#define SIM_MAX_NODES	8
#define SIM_TAGS	65536
#define SIM_PORT	7475

/* Test opcodes every simulated node answers. */
#define SIM_OP_TAGGED	0x100	/* count a run for tag (first 8 bytes), echo */
#define SIM_OP_DEFER	0x101	/* count, keep the rpc: sim_answer_deferred() replies */
#define SIM_OP_ONEWAY	0x102	/* count (for fit_core_send) */

struct sim_log {
	u64 at;
	int from, to;
	u8 type;
	u16 flags;
	u64 id;
	u32 frag_off;
	u32 len;		/* datagram length */
	bool dropped;
};

struct sim;

/* Return true to drop this datagram (before any random impairment). */
typedef bool (*sim_filter_t)(struct sim *s, void *arg, int from, int to,
			     const u8 *data, u32 len);

struct sim *sim_new(int nnodes, bool realtime);
/* As sim_new, node i knowing only the peers in masks[i] (bit j: node j). */
struct sim *sim_new_masked(int nnodes, bool realtime, const u32 *masks);
void sim_free(struct sim *s);
/* Core allocations not freed since the last sim_new (after sim_free: leaks). */
long sim_leaked(void);
struct fit_core *sim_core(struct sim *s, int node);
void sim_addr(int node, struct fit_addr *a);
u64 sim_now(struct sim *s);

/* Deliver with fit_core_input_nosend() (sends left to the service pass). */
extern bool sim_input_nosend;
/* Fake time: leave queued requests alone, as if every worker were stuck. */
extern bool sim_workers_off;

/* Impairments, in parts per million, and the one-way delay. */
void sim_set_net(struct sim *s, u32 loss, u32 dup, u32 reorder, u32 corrupt);
void sim_set_delay(struct sim *s, u64 delay_ns, u64 jitter_ns);
void sim_set_filter(struct sim *s, sim_filter_t fn, void *arg);
void sim_set_down(struct sim *s, int node, bool down);
/* Only peers listed in the mask are added at creation (default: all). */
void sim_set_peer_mask(struct sim *s, int node, u32 mask);
/* Throw away node's core and boot a new one (new epoch, no state). */
void sim_restart(struct sim *s, int node);
/* Put a raw datagram on the wire, from `from`'s address to node `to`. */
void sim_inject(struct sim *s, int from, int to, const void *data, size_t len);

/* Fake time. */
void sim_run_for(struct sim *s, u64 ns);
bool sim_run_until_done(struct sim *s, struct fit_call **calls, int n, u64 limit_ns);
long sim_call(struct sim *s, int from, int to, u32 op, const void *req, size_t len,
	      void *reply, size_t max, u64 timeout_ns);

/* Handler bookkeeping. */
u32 sim_runs(struct sim *s, int node, u64 tag);
u64 sim_total_runs(struct sim *s, int node);
int sim_deferred(struct sim *s, int node);
int sim_answer_deferred(struct sim *s, int node, int status);

/* The log of every datagram handed to the wire. */
size_t sim_log_len(struct sim *s);
const struct sim_log *sim_log_at(struct sim *s, size_t i);
void sim_log_clear(struct sim *s);
/* How many logged datagrams match (type 0 = any). */
size_t sim_log_count(struct sim *s, int from, u8 type, u16 flags);

/* Fill a buffer with a pattern depending on seed; check it. */
void sim_pattern(void *buf, size_t len, u64 seed);
bool sim_pattern_ok(const void *buf, size_t len, u64 seed);

#endif
