/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_FIT_LINUX_H
#define _LEGO_FIT_LINUX_H

/*
 * The FIT API that lego_fit.ko exports to other Linux modules (the
 * storage manager and the global monitors): the same calls as the LegoOS
 * kernel's <lego/fit.h>, over the same wire format (<uapi/lego/fit.h>).
 *
 * A module using it builds with
 *	ccflags-y += -I$(LEGO_ROOT)/linux-modules/fit -idirafter $(LEGO_ROOT)/include
 *	KBUILD_EXTRA_SYMBOLS += .../fit/Module.symvers
 * (scripts/linux-vm/build does both) and is loaded after lego_fit.ko.
 */
#include <linux/types.h>

struct fit_rpc;

/*
 * A request handler. It runs in one of lego_fit's worker threads (it may
 * sleep, and may call fit_call itself) and answers with fit_reply(), now
 * or later from any thread.
 */
typedef void (*fit_handler_t)(struct fit_rpc *rpc, const void *req, size_t len,
			      void *data);

/* This node's id (the node= parameter). */
int fit_node_id(void);

/*
 * Handle opcode (below FIT_OP_INTERNAL) with fn. -EEXIST if it is taken.
 * A module must unregister its handlers before it is unloaded.
 */
int fit_register_handler(u32 opcode, fit_handler_t fn, void *data);
void fit_unregister_handler(u32 opcode);

/*
 * Send req to node and wait up to timeout_ns for the reply. Returns the
 * reply length (copied to reply, at most max bytes; a longer reply gives
 * -EMSGSIZE), the handler's negative status, or -ETIMEDOUT, -ECONNRESET
 * (the peer restarted during the call), -EHOSTUNREACH (unknown node),
 * -ENOMEM, -EINVAL.
 */
long fit_call(int node, u32 opcode, const void *req, size_t len,
	      void *reply, size_t max, u64 timeout_ns);

/* A one-way message, delivered once and acknowledged: 0 or an error. */
int fit_send(int node, u32 opcode, const void *msg, size_t len, u64 timeout_ns);

/* Answer a request: status 0 with data, or a negative errno. */
int fit_reply(struct fit_rpc *rpc, const void *reply, size_t len, int status);

/* The node a request came from, and its opcode. */
int fit_rpc_source(const struct fit_rpc *rpc);
u32 fit_rpc_opcode(const struct fit_rpc *rpc);

/* Membership. ip in host order; port 0: lego_fit's port= parameter. */
int fit_add_peer(int node, u32 ip, u16 port);
bool fit_has_peer(int node);
/* Heard from since it (re)started. */
bool fit_peer_alive(int node);
/* Ping node until it answers: 0, -ETIMEDOUT, or -EHOSTUNREACH (unknown). */
int fit_wait_peer(int node, u64 timeout_ns);

/* Counters to the kernel log: one line for this node, one per peer. */
void fit_print_stats(void);

#endif
