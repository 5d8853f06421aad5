/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_FIT_H
#define _LEGO_FIT_H

#include <lego/types.h>
#include <uapi/lego/fit.h>

/*
 * FIT: reliable RPC between LegoOS components (and the Linux hosts running
 * lego_fit.ko). The wire format is in <uapi/lego/fit.h>, the protocol in
 * Documentation/fit.md.
 *
 * Nodes are numbered 0..FIT_MAX_NODES-1; who is where comes from the
 * command line (lego.node=N lego.peers=0@10.0.0.1,1@10.0.0.2,...), or from
 * the join protocol (lego.join=ID@IP: ask that node for the others).
 */
struct fit_rpc;

/*
 * A request handler. It runs in a FIT worker thread (it may sleep) and
 * answers with fit_reply(), now or later from any thread; returning
 * without replying is allowed if it replies later. req stays valid until
 * fit_reply(). A request runs once, however often the network duplicates
 * or the caller retransmits it.
 */
typedef void (*fit_handler_t)(struct fit_rpc *rpc, const void *req, size_t len, void *data);

/* Reads the command line; -ENODEV without lego.node (FIT stays off). */
int fit_init(void);
int fit_node_id(void);		/* -1 when FIT is off */
/* opcode must be below FIT_OP_INTERNAL; -EEXIST if taken. */
int fit_register_handler(u32 opcode, fit_handler_t fn, void *data);
/*
 * FIT_HANDLER_INLINE: fn never sleeps and is quick (no mutex, no waiting
 * on another node); a request for it that fits in one datagram then runs
 * in the NIC's receive path and replies from there, saving a thread
 * wake-up on the way (the echo used by benchmarks is one).
 */
#define FIT_HANDLER_INLINE	0x1
int fit_register_handler_flags(u32 opcode, fit_handler_t fn, void *data, unsigned int flags);

/*
 * Send req to node and wait for the reply, at most timeout_ns. Returns the
 * reply length (the reply is copied to reply, at most max bytes: a longer
 * reply gives -EMSGSIZE), a negative status the handler replied with, or
 * -ETIMEDOUT, -EHOSTUNREACH (unknown node), -ECONNRESET (the node
 * restarted meanwhile: the request may or may not have run), -ENOMEM,
 * -EINVAL, -ENETDOWN (FIT is off).
 */
long fit_call(int node, u32 opcode, const void *req, size_t len,
	      void *reply, size_t max, u64 timeout_ns);
/* One-way message, delivered once and acknowledged; 0 or -ETIMEDOUT etc. */
int fit_send(int node, u32 opcode, const void *msg, size_t len, u64 timeout_ns);
/* Answer a request: status 0 with data, or a negative errno. */
int fit_reply(struct fit_rpc *rpc, const void *reply, size_t len, int status);
int fit_rpc_source(const struct fit_rpc *rpc);
u32 fit_rpc_opcode(const struct fit_rpc *rpc);

/* Membership. */
int fit_add_peer(int node, u32 ip, u16 port);	/* ip in host order */
int fit_peer_ip(int node, u32 *ip);		/* host order; -ENOENT if unknown */
bool fit_peer_alive(int node);			/* heard from since it (re)started */
/* Ping node until it answers: 0, or -ETIMEDOUT. */
int fit_wait_peer(int node, u64 timeout_ns);

/* Counters: one line for this node, one per peer. */
void fit_print_stats(void);

/*
 * Self-test: ncalls echo calls of len bytes to node from nthreads threads,
 * each reply compared byte for byte, then the node's echo handler count
 * for us compared with ncalls. Prints one summary line starting with
 * "fit: echo to node N:" and ending in "ok" details or "FAILED"; returns
 * 0 or a negative errno.
 */
int fit_echo_test(int node, size_t len, int nthreads, int ncalls);

/* bench=fit: round trips and throughput against node bench.node. */
void fit_bench(void);
/*
 * calls FIT_OP_FILL round trips to node (req_len >= 8 bytes out, reply_len
 * back, both at most 4 KB) after a warm-up: their mean and median in ns.
 * 0, -EINVAL, -ENOMEM or -EIO (a call failed; logged).
 */
int fit_bench_rtt(int node, size_t req_len, u32 reply_len, int calls, u64 *mean_ns,
		  u64 *median_ns);

#endif
