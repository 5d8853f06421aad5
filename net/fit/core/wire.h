/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _FIT_WIRE_H
#define _FIT_WIRE_H

#include "fit_core.h"

/* A struct fit_hdr in host order, plus where its payload is. */
struct fit_pkt {
	u8 type;
	u16 flags;
	int src;
	int dst;
	u32 opcode;
	u64 id;
	u32 src_epoch;
	u32 dst_epoch;
	u32 msg_len;
	u32 frag_off;
	u32 frag_len;
	u32 frag_size;
	s32 status;
	u64 done_below;
	const u8 *payload;
};

void fit_encode(const struct fit_pkt *p, struct fit_hdr *h);
int fit_decode(const void *data, size_t len, int self, struct fit_pkt *p);

#endif
