/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_FIT_H
#define _LEGO_FIT_H

#include <lego/types.h>

/*
 * FIT: reliable RPC between LegoOS components (and the Linux hosts running
 * lego_fit.ko). The wire format is in <uapi/lego/fit.h>.
 *
 * Nodes are numbered 0..FIT_MAX_NODES-1; who is where comes from the
 * command line (lego.node=N lego.peers=0@10.0.0.1,1@10.0.0.2,...).
 */
struct fit_rpc;

/*
 * A request handler. It runs in a FIT worker thread (it may sleep) and
 * answers with fit_reply(), now or later from any thread; returning
 * without replying is allowed if it replies later.
 */
typedef void (*fit_handler_t)(struct fit_rpc *rpc, const void *req, size_t len, void *data);

int fit_init(void);
int fit_node_id(void);
int fit_register_handler(u32 opcode, fit_handler_t fn, void *data);

/*
 * Send req to node and wait for the reply, at most timeout_ns. Returns the
 * reply length (the reply is copied to reply, at most max bytes: a longer
 * reply gives -EMSGSIZE), a negative status the handler replied with, or
 * -ETIMEDOUT, -EHOSTUNREACH (unknown node), -ENOMEM, -EINVAL.
 */
long fit_call(int node, u32 opcode, const void *req, size_t len,
	      void *reply, size_t max, u64 timeout_ns);
/* One-way message, delivered once and acknowledged; 0 or -ETIMEDOUT. */
int fit_send(int node, u32 opcode, const void *msg, size_t len, u64 timeout_ns);
/* Answer a request: status 0 with data, or a negative errno. */
int fit_reply(struct fit_rpc *rpc, const void *reply, size_t len, int status);
int fit_rpc_source(const struct fit_rpc *rpc);

#endif
