// SPDX-License-Identifier: GPL-2.0
/*
 * Datagram headers: the checksum, and checking, decoding and encoding
 * struct fit_hdr. Decoding trusts nothing: every length and offset is
 * checked before anything else looks at the payload.
 */
#include "fit_internal.h"
#include "wire.h"

/*
 * CRC32C, table driven, eight bytes per step. The tables are built on
 * first use; concurrent first uses write identical values.
 */
#define CRC32C_POLY	0x82f63b78u

static u32 crc_table[8][256];
static bool crc_ready;

static void fit_crc32c_init(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (CRC32C_POLY & (0u - (c & 1)));
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			crc_table[j][i] = (crc_table[j - 1][i] >> 8) ^
					  crc_table[0][crc_table[j - 1][i] & 0xff];
	__atomic_store_n(&crc_ready, true, __ATOMIC_RELEASE);
}

static u32 fit_crc_step8(u32 crc, const u8 *p)
{
	u32 lo = crc ^ ((u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24);
	u32 hi = (u32)p[4] | (u32)p[5] << 8 | (u32)p[6] << 16 | (u32)p[7] << 24;

	return crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
	       crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
	       crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
	       crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
}

/* Continue a CRC32C: start with crc = 0, pass the result back in. */
u32 fit_crc32c(u32 crc, const void *data, size_t len)
{
	const u8 *p = data;

	if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE))
		fit_crc32c_init();
	crc = ~crc;
	for (; len >= 8; len -= 8, p += 8)
		crc = fit_crc_step8(crc, p);
	while (len--)
		crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

/* The checksum of a datagram: header with csum = 0, then the payload. */
u32 fit_hdr_csum(const struct fit_hdr *hdr, const void *payload, size_t len)
{
	struct fit_hdr h = *hdr;
	u32 crc;

	h.csum = 0;
	crc = fit_crc32c(0, &h, sizeof(h));
	return fit_crc32c(crc, payload, len);
}

void fit_encode(const struct fit_pkt *p, struct fit_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->magic = fit_le32(FIT_MAGIC);
	h->version = FIT_VERSION;
	h->type = p->type;
	h->flags = fit_le16(p->flags);
	h->src_node = fit_le16((u16)p->src);
	h->dst_node = fit_le16((u16)p->dst);
	h->opcode = fit_le32(p->opcode);
	h->call_id = fit_le64(p->id);
	h->src_epoch = fit_le32(p->src_epoch);
	h->dst_epoch = fit_le32(p->dst_epoch);
	h->msg_len = fit_le32(p->msg_len);
	h->frag_off = fit_le32(p->frag_off);
	h->frag_len = fit_le16((u16)p->frag_len);
	h->frag_size = fit_le16((u16)p->frag_size);
	h->status = fit_le32((u32)p->status);
	h->done_below = fit_le64(p->done_below);
}

static int fit_decode_fields(const struct fit_hdr *h, struct fit_pkt *p)
{
	p->type = h->type;
	p->flags = fit_le16(h->flags);
	p->src = fit_le16(h->src_node);
	p->dst = fit_le16(h->dst_node);
	p->opcode = fit_le32(h->opcode);
	p->id = fit_le64(h->call_id);
	p->src_epoch = fit_le32(h->src_epoch);
	p->dst_epoch = fit_le32(h->dst_epoch);
	p->msg_len = fit_le32(h->msg_len);
	p->frag_off = fit_le32(h->frag_off);
	p->frag_len = fit_le16(h->frag_len);
	p->frag_size = fit_le16(h->frag_size);
	p->status = (s32)fit_le32(h->status);
	p->done_below = fit_le64(h->done_below);
	if (p->type < FIT_MSG_REQUEST || p->type >= FIT_MSG_MAX)
		return FIT_G_MALFORMED;
	if (p->src >= FIT_MAX_NODES || !p->src_epoch)
		return FIT_G_MALFORMED;
	return -1;
}

/* Payload rules of each type. */
static int fit_decode_payload(const struct fit_pkt *p)
{
	switch (p->type) {
	case FIT_MSG_REQUEST:
	case FIT_MSG_REPLY:
		if (!p->id || fit_frag_check(p->msg_len, p->frag_off, p->frag_len, p->frag_size))
			return FIT_G_MALFORMED;
		if (p->type == FIT_MSG_REPLY && p->status > 0)
			return FIT_G_MALFORMED;
		return -1;
	case FIT_MSG_ACK:
		return p->frag_len == sizeof(struct fit_sack) && p->id ? -1 : FIT_G_MALFORMED;
	case FIT_MSG_DONE:
		if (!p->frag_len || p->frag_len % 8 || p->frag_len / 8 > FIT_DONE_MAX)
			return FIT_G_MALFORMED;
		return -1;
	case FIT_MSG_PROBE:
	case FIT_MSG_RESET:
		return !p->frag_len && p->id ? -1 : FIT_G_MALFORMED;
	default:
		return p->frag_len <= FIT_PING_MAX ? -1 : FIT_G_MALFORMED;
	}
}

/*
 * Check and decode a datagram for node `self`. Returns -1 if it is good,
 * else the global counter (FIT_G_*) saying why it must be dropped.
 */
int fit_decode(const void *data, size_t len, int self, struct fit_pkt *p)
{
	struct fit_hdr h;
	int err;

	if (len < sizeof(h))
		return FIT_G_SHORT;
	/* the header may sit anywhere in a receive buffer: copy it aligned */
	memcpy(&h, data, sizeof(h));
	if (fit_le32(h.magic) != FIT_MAGIC)
		return FIT_G_BAD_MAGIC;
	if (h.version != FIT_VERSION)
		return FIT_G_BAD_VERSION;
	if (len < sizeof(h) + fit_le16(h.frag_len))
		return FIT_G_SHORT;
	if (len > sizeof(h) + fit_le16(h.frag_len))
		return FIT_G_MALFORMED;
	p->payload = (const u8 *)data + sizeof(h);
	if (fit_le32(h.csum) != fit_hdr_csum(&h, p->payload, fit_le16(h.frag_len)))
		return FIT_G_BAD_CSUM;
	err = fit_decode_fields(&h, p);
	if (err >= 0)
		return err;
	if (p->dst != self)
		return FIT_G_WRONG_DST;
	if (p->src == self)
		return FIT_G_MALFORMED;
	return fit_decode_payload(p);
}

void fit_addr_to_wire(const struct fit_addr *a, struct fit_wire_addr *w)
{
	memset(w, 0, sizeof(*w));
	w->kind = fit_le16(a->kind);
	w->port = fit_le16(a->port);
	w->qpn = fit_le32(a->qpn);
	memcpy(w->addr, a->addr, sizeof(w->addr));
}

void fit_addr_from_wire(const struct fit_wire_addr *w, struct fit_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = fit_le16(w->kind);
	a->port = fit_le16(w->port);
	a->qpn = fit_le32(w->qpn);
	memcpy(a->addr, w->addr, sizeof(a->addr));
}
