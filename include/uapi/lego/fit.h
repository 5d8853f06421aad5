/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_FIT_H
#define _UAPI_LEGO_FIT_H

/*
 * The FIT wire format: the one definition of what travels between LegoOS
 * kernels, the Linux lego_fit.ko module and host tools. Every datagram is
 * a struct fit_hdr followed by frag_len bytes of payload, carried in one
 * UDP datagram (port FIT_UDP_PORT by default).
 *
 * All multi-byte fields are little endian; use fit_le16/32/64() to convert
 * in either direction. The header is self-contained: it needs no other
 * header, so that the LegoOS kernel, Linux modules and user programs can
 * all include it. Documentation/fit.md describes every field and the
 * protocol that uses them.
 */

typedef __UINT8_TYPE__ fit_u8;
typedef __UINT16_TYPE__ fit_le16;
typedef __UINT32_TYPE__ fit_le32;
typedef __UINT64_TYPE__ fit_le64;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define fit_le16(x)	__builtin_bswap16(x)
#define fit_le32(x)	__builtin_bswap32(x)
#define fit_le64(x)	__builtin_bswap64(x)
#else
#define fit_le16(x)	((fit_le16)(x))
#define fit_le32(x)	((fit_le32)(x))
#define fit_le64(x)	((fit_le64)(x))
#endif

#define FIT_UDP_PORT		7475
#define FIT_MAGIC		0x4c544946u	/* "FITL" in wire byte order */
#define FIT_VERSION		1

/* Limits that both ends must agree on. */
#define FIT_MAX_NODES		64		/* node ids are 0 .. FIT_MAX_NODES-1 */
#define FIT_MAX_MSG		(4u << 20)	/* largest request or reply */
#define FIT_MIN_FRAG		256		/* smallest frag_size a sender may use */
#define FIT_MAX_FRAGS		(FIT_MAX_MSG / FIT_MIN_FRAG)
#define FIT_SACK_BITS		256		/* fragments an ACK can describe past cum */
#define FIT_DONE_MAX		64		/* call ids in one DONE datagram */
#define FIT_PING_MAX		64		/* payload a PING may carry */

/* Message types (fit_hdr.type). */
enum fit_msg_type {
	FIT_MSG_REQUEST	= 1,	/* a fragment of a request (or one-way message) */
	FIT_MSG_REPLY	= 2,	/* a fragment of a reply; status is the handler's */
	FIT_MSG_ACK	= 3,	/* receive state of one message: struct fit_sack */
	FIT_MSG_DONE	= 4,	/* caller -> callee: these replies arrived, forget them */
	FIT_MSG_PROBE	= 5,	/* caller -> callee: what became of call call_id? */
	FIT_MSG_RESET	= 6,	/* "you addressed an earlier incarnation of me" */
	FIT_MSG_PING	= 7,	/* liveness and epoch announcement; echoed by PONG */
	FIT_MSG_PONG	= 8,
	FIT_MSG_MAX
};

/* Flags (fit_hdr.flags). */
#define FIT_F_ACKREQ	0x0001	/* REQUEST/REPLY: answer with an ACK now */
#define FIT_F_ONEWAY	0x0002	/* REQUEST: no reply data; delivery is acknowledged */
#define FIT_F_RETRANS	0x0004	/* REQUEST/REPLY: a retransmission (for traces only) */
#define FIT_F_OF_REPLY	0x0100	/* ACK: about the reply of call_id (sent by its caller) */
#define FIT_F_COMPLETE	0x0200	/* ACK: every fragment arrived */
#define FIT_F_INPROG	0x0400	/* ACK: request complete, its handler has not replied yet */
#define FIT_F_UNKNOWN	0x0800	/* ACK: no state for this call: send it again from the start */

/*
 * Every datagram starts with this. Fields that a type does not use are 0.
 * The checksum is CRC32C (Castagnoli: reflected polynomial 0x82f63b78,
 * initial value and final xor 0xffffffff) over the header with csum set to
 * 0, followed by the payload; it lets a receiver drop corrupted or foreign
 * datagrams even when UDP checksums are off.
 */
struct fit_hdr {
	fit_le32 magic;		/*  0: FIT_MAGIC */
	fit_u8 version;		/*  4: FIT_VERSION */
	fit_u8 type;		/*  5: enum fit_msg_type */
	fit_le16 flags;		/*  6: FIT_F_* */
	fit_le16 src_node;	/*  8: sender's node id */
	fit_le16 dst_node;	/* 10: receiver's node id */
	fit_le32 opcode;	/* 12: REQUEST, REPLY: the operation */
	fit_le64 call_id;	/* 16: the caller's id of the call this belongs to */
	fit_le32 src_epoch;	/* 24: sender's boot epoch (random, never 0) */
	fit_le32 dst_epoch;	/* 28: receiver's epoch as the sender knows it, 0 if unknown */
	fit_le32 msg_len;	/* 32: REQUEST, REPLY: length of the whole message */
	fit_le32 frag_off;	/* 36: REQUEST, REPLY: offset of this payload in it */
	fit_le16 frag_len;	/* 40: payload bytes after the header (every type) */
	fit_le16 frag_size;	/* 42: REQUEST, REPLY: payload of every fragment but the last */
	fit_le32 status;	/* 44: REPLY: 0 or a negative errno (signed) */
	fit_le64 done_below;	/* 48: sender's calls to the receiver with smaller ids are over */
	fit_le32 reserved;	/* 56: 0 */
	fit_le32 csum;		/* 60: CRC32C, see above */
};

/* ACK payload: which fragments of the message have arrived. */
struct fit_sack {
	fit_le32 cum;		/* fragments 0 .. cum-1 have all arrived */
	fit_le16 nbits;		/* bits valid below, at most FIT_SACK_BITS */
	fit_le16 reserved;
	fit_le64 bits[FIT_SACK_BITS / 64];	/* bit i: fragment cum + i arrived */
};

/* DONE payload: frag_len / 8 call ids (at most FIT_DONE_MAX). */

/* Addresses, as exchanged by the membership protocol. */
enum fit_addr_kind {
	FIT_ADDR_NONE	= 0,	/* "use the address this came from" */
	FIT_ADDR_UDP4	= 1,	/* addr[0..3]: IPv4 address, network order; port */
	FIT_ADDR_ROCE	= 2,	/* reserved: addr is a GID, qpn the queue pair */
};

struct fit_wire_addr {
	fit_le16 kind;		/* enum fit_addr_kind */
	fit_le16 port;
	fit_le32 qpn;
	fit_u8 addr[16];
};

/*
 * Opcodes at or above FIT_OP_INTERNAL belong to FIT itself; every node
 * answers them. Components use opcodes below it.
 */
#define FIT_OP_INTERNAL	0xffff0000u
#define FIT_OP_ECHO	0xffff0001u	/* reply = request bytes */
#define FIT_OP_COUNT	0xffff0002u	/* struct fit_count_req -> struct fit_count_reply */
#define FIT_OP_STATS	0xffff0003u	/* -> struct fit_stats_reply */
#define FIT_OP_JOIN	0xffff0004u	/* struct fit_join_req -> struct fit_join_reply */
#define FIT_OP_FILL	0xffff0005u	/* struct fit_fill_req -> reply_len pattern bytes */

/* FIT_OP_COUNT: how many echo requests this node ran for the caller. */
#define FIT_COUNT_RESET	0x1
struct fit_count_req {
	fit_le32 flags;		/* FIT_COUNT_RESET: zero the caller's count after reading */
	fit_le32 reserved;
};

struct fit_count_reply {
	fit_le64 echoes;	/* echo handler runs for the calling node */
	fit_le64 total;		/* for every node */
};

/*
 * FIT_OP_FILL: reply with reply_len bytes, byte i being fit_fill_byte(seed,
 * i); bytes of the request past this struct are ignored (so a benchmark
 * can choose both sizes).
 */
struct fit_fill_req {
	fit_le32 reply_len;
	fit_le32 seed;
};

static inline fit_u8 fit_fill_byte(fit_le32 seed, fit_le32 i)
{
	return (fit_u8)(seed + i * 7 + (i >> 8));
}

/*
 * FIT_OP_JOIN: a node that was told only one peer announces itself; the
 * reply lists every member the answering node knows, itself included.
 */
struct fit_join_req {
	struct fit_wire_addr addr;	/* where to reach the joiner; NONE: the source */
};

struct fit_member {
	fit_le16 node;
	fit_le16 reserved;
	fit_le32 epoch;			/* 0 if not heard from yet */
	struct fit_wire_addr addr;
};

struct fit_join_reply {
	fit_le32 nmembers;
	fit_le32 reserved;
	struct fit_member members[];
};

/* FIT_OP_STATS: counters, per peer and for the whole node. */
enum fit_counter {
	FIT_C_CALLS,		/* calls (and one-way messages) sent to the peer */
	FIT_C_SERVED,		/* its requests that ran a handler here */
	FIT_C_TX_PKTS,
	FIT_C_TX_BYTES,		/* payload bytes */
	FIT_C_RX_PKTS,
	FIT_C_RX_BYTES,
	FIT_C_RETRANS,		/* fragments sent again */
	FIT_C_DUPS,		/* duplicate fragments or requests received */
	FIT_C_DROPS,		/* valid datagrams from it that had to be dropped */
	FIT_C_TIMEOUTS,		/* calls to it that timed out */
	FIT_C_LATE,		/* reply fragments for calls already over */
	FIT_C_RESETS,		/* times it was seen to restart */
	FIT_C_ECHOES,		/* echo handler runs for it */
	FIT_C_ERRORS,		/* calls to it that ended with another error */
	FIT_NR_COUNTERS
};

#define FIT_COUNTER_NAMES {						\
	"calls", "served", "tx_pkts", "tx_bytes", "rx_pkts", "rx_bytes",	\
	"retrans", "dups", "drops", "timeouts", "late", "resets",	\
	"echoes", "errors" }

/* Datagrams dropped before they could be attributed to a known peer, etc. */
enum fit_gcounter {
	FIT_G_RX_PKTS,		/* every datagram handed to FIT */
	FIT_G_SHORT,		/* shorter than a header, or than frag_len says */
	FIT_G_BAD_MAGIC,
	FIT_G_BAD_VERSION,
	FIT_G_BAD_CSUM,
	FIT_G_MALFORMED,	/* inconsistent fields */
	FIT_G_WRONG_DST,	/* for another node */
	FIT_G_UNKNOWN_NODE,	/* from a node not in the table (or a wrong address) */
	FIT_G_STALE,		/* from or to an earlier incarnation */
	FIT_G_NOMEM,		/* no memory or reassembly slot: dropped, will be resent */
	FIT_G_TX_ERRORS,	/* the transport refused a datagram */
	FIT_NR_GCOUNTERS
};

#define FIT_GCOUNTER_NAMES {						\
	"rx_pkts", "short", "bad_magic", "bad_version", "bad_csum",	\
	"malformed", "wrong_dst", "unknown_node", "stale", "nomem",	\
	"tx_errors" }

struct fit_peer_counters {
	fit_le16 node;
	fit_le16 reserved;
	fit_le32 epoch;
	fit_le64 c[FIT_NR_COUNTERS];
};

struct fit_stats_reply {
	fit_le16 node;
	fit_le16 npeers;
	fit_le32 epoch;
	fit_le32 ncounters;	/* FIT_NR_COUNTERS of the sender */
	fit_le32 ngcounters;	/* FIT_NR_GCOUNTERS of the sender */
	fit_le64 global[FIT_NR_GCOUNTERS];
	struct fit_peer_counters peers[];
};

_Static_assert(sizeof(struct fit_hdr) == 64, "fit_hdr is 64 bytes");
_Static_assert(sizeof(struct fit_sack) == 40, "fit_sack is 40 bytes");
_Static_assert(sizeof(struct fit_wire_addr) == 24, "fit_wire_addr is 24 bytes");
_Static_assert(sizeof(struct fit_member) == 32, "fit_member is 32 bytes");
_Static_assert(sizeof(struct fit_join_reply) == 8, "fit_join_reply is 8 bytes");
_Static_assert(sizeof(struct fit_count_reply) == 16, "fit_count_reply is 16 bytes");
_Static_assert(sizeof(struct fit_peer_counters) == 8 + 8 * FIT_NR_COUNTERS,
	       "fit_peer_counters has no hidden padding");
_Static_assert(sizeof(struct fit_stats_reply) == 16 + 8 * FIT_NR_GCOUNTERS,
	       "fit_stats_reply has no hidden padding");

#endif
