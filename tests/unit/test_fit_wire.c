// SPDX-License-Identifier: GPL-2.0
/*
 * The FIT wire format: header layout, the checksum, decoding every kind
 * of bad datagram, and a fuzz run of random, truncated, corrupted and
 * well-formed-but-nonsensical datagrams thrown at a live node, which must
 * count and drop them, leak nothing, and go on answering.
 */
#include <stdlib.h>

#include "../../net/fit/core/fit_internal.h"
#include "../../net/fit/core/wire.h"
#include "fit/sim.h"
#include "host.h"

#define SEC	1000000000ULL

static void test_layout(void **state)
{
	const struct fit_hdr h = { .magic = fit_le32(FIT_MAGIC) };

	assert_int_equal(sizeof(struct fit_hdr), 64);
	assert_int_equal(offsetof(struct fit_hdr, version), 4);
	assert_int_equal(offsetof(struct fit_hdr, type), 5);
	assert_int_equal(offsetof(struct fit_hdr, flags), 6);
	assert_int_equal(offsetof(struct fit_hdr, src_node), 8);
	assert_int_equal(offsetof(struct fit_hdr, dst_node), 10);
	assert_int_equal(offsetof(struct fit_hdr, opcode), 12);
	assert_int_equal(offsetof(struct fit_hdr, call_id), 16);
	assert_int_equal(offsetof(struct fit_hdr, src_epoch), 24);
	assert_int_equal(offsetof(struct fit_hdr, dst_epoch), 28);
	assert_int_equal(offsetof(struct fit_hdr, msg_len), 32);
	assert_int_equal(offsetof(struct fit_hdr, frag_off), 36);
	assert_int_equal(offsetof(struct fit_hdr, frag_len), 40);
	assert_int_equal(offsetof(struct fit_hdr, frag_size), 42);
	assert_int_equal(offsetof(struct fit_hdr, status), 44);
	assert_int_equal(offsetof(struct fit_hdr, done_below), 48);
	assert_int_equal(offsetof(struct fit_hdr, csum), 60);
	assert_memory_equal(&h, "FITL", 4);
	assert_int_equal(sizeof(struct fit_sack), 40);
	assert_int_equal(offsetof(struct fit_sack, bits), 8);
	assert_int_equal(sizeof(struct fit_member), 32);
	/* a 4 KB page in three datagrams at MTU 1500 */
	assert_true(3 * (1472 - sizeof(struct fit_hdr)) >= 4096);
}

static void test_crc32c(void **state)
{
	const char *s = "123456789";
	u8 big[1000];
	u32 c;

	assert_int_equal(fit_crc32c(0, s, 9), 0xe3069283);
	assert_int_equal(fit_crc32c(0, NULL, 0), 0);
	c = fit_crc32c(0, s, 4);
	assert_int_equal(fit_crc32c(c, s + 4, 5), 0xe3069283);
	for (int i = 0; i < 1000; i++)
		big[i] = (u8)(i * 7);
	/* the eight-byte steps agree with the byte-at-a-time tail */
	c = fit_crc32c(0, big, 1000);
	for (int split = 1; split < 20; split++)
		assert_int_equal(fit_crc32c(fit_crc32c(0, big, split), big + split, 1000 - split), c);
}

/* A good datagram from node 0 to node 1. */
static size_t build(u8 *buf, const struct fit_pkt *p, const void *payload)
{
	struct fit_hdr h;

	fit_encode(p, &h);
	h.csum = fit_le32(fit_hdr_csum(&h, payload, p->frag_len));
	memcpy(buf, &h, sizeof(h));
	if (p->frag_len)
		memcpy(buf + sizeof(h), payload, p->frag_len);
	return sizeof(h) + p->frag_len;
}

static struct fit_pkt request(u32 msg_len, u32 off, u32 len)
{
	struct fit_pkt p = {
		.type = FIT_MSG_REQUEST, .src = 0, .dst = 1, .opcode = FIT_OP_ECHO, .id = 5,
		.src_epoch = 77, .msg_len = msg_len, .frag_off = off, .frag_len = len,
		.frag_size = 1000,
	};

	return p;
}

static int decode_pkt(const struct fit_pkt *p, const void *payload)
{
	static u8 buf[2048];
	struct fit_pkt out;
	size_t n = build(buf, p, payload);

	return fit_decode(buf, n, 1, &out);
}

static void test_decode(void **state)
{
	static u8 buf[2048], pay[1500];
	struct fit_pkt p = request(2500, 1000, 1000), out;
	size_t n;

	n = build(buf, &p, pay);
	assert_int_equal(fit_decode(buf, n, 1, &out), -1);
	assert_int_equal(out.type, FIT_MSG_REQUEST);
	assert_int_equal(out.id, 5);
	assert_int_equal(out.msg_len, 2500);
	assert_int_equal(out.frag_off, 1000);
	assert_ptr_equal(out.payload, buf + 64);

	/* lengths */
	assert_int_equal(fit_decode(buf, 63, 1, &out), FIT_G_SHORT);
	assert_int_equal(fit_decode(buf, 0, 1, &out), FIT_G_SHORT);
	assert_int_equal(fit_decode(buf, n - 1, 1, &out), FIT_G_SHORT);
	assert_int_equal(fit_decode(buf, n + 1, 1, &out), FIT_G_MALFORMED);
	/* identity and integrity */
	buf[0] ^= 1;
	assert_int_equal(fit_decode(buf, n, 1, &out), FIT_G_BAD_MAGIC);
	buf[0] ^= 1;
	buf[4] = 2;
	assert_int_equal(fit_decode(buf, n, 1, &out), FIT_G_BAD_VERSION);
	buf[4] = FIT_VERSION;
	buf[100] ^= 0x10;
	assert_int_equal(fit_decode(buf, n, 1, &out), FIT_G_BAD_CSUM);
	buf[100] ^= 0x10;
	buf[61] ^= 1;
	assert_int_equal(fit_decode(buf, n, 1, &out), FIT_G_BAD_CSUM);
	buf[61] ^= 1;
	assert_int_equal(fit_decode(buf, n, 2, &out), FIT_G_WRONG_DST);

	/* fields that cannot be */
	p.src = 1;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);	/* from ourselves */
	p.src = FIT_MAX_NODES;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(2500, 1000, 1000);
	p.src_epoch = 0;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(2500, 1000, 1000);
	p.type = 0;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p.type = FIT_MSG_MAX;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(2500, 1000, 1000);
	p.id = 0;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(2500, 1000, 999);				/* short middle fragment */
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(2500, 1500, 1000);				/* misaligned */
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(2500, 2000, 500);
	assert_int_equal(decode_pkt(&p, pay), -1);
	p = request(FIT_MAX_MSG + 1000, 0, 1000);
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(1000, 0, 1000);
	p.frag_size = 100;					/* below FIT_MIN_FRAG */
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p = request(500, 0, 500);
	p.type = FIT_MSG_REPLY;
	p.status = 5;						/* statuses are <= 0 */
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p.status = -5;
	assert_int_equal(decode_pkt(&p, pay), -1);

	/* the other types' payloads */
	memset(&p, 0, sizeof(p));
	p.dst = 1;
	p.src_epoch = 3;
	p.id = 9;
	p.type = FIT_MSG_ACK;
	p.frag_len = sizeof(struct fit_sack);
	assert_int_equal(decode_pkt(&p, pay), -1);
	p.frag_len = 8;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p.type = FIT_MSG_DONE;
	assert_int_equal(decode_pkt(&p, pay), -1);
	p.frag_len = 0;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p.frag_len = 12;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p.frag_len = 8 * (FIT_DONE_MAX + 1);
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p.type = FIT_MSG_PROBE;
	p.frag_len = 0;
	assert_int_equal(decode_pkt(&p, pay), -1);
	p.frag_len = 1;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
	p.type = FIT_MSG_PING;
	p.frag_len = FIT_PING_MAX;
	assert_int_equal(decode_pkt(&p, pay), -1);
	p.frag_len = FIT_PING_MAX + 1;
	assert_int_equal(decode_pkt(&p, pay), FIT_G_MALFORMED);
}

/* ------------------------------------------------------------ fuzz */

static u64 rnd(u64 n)
{
	return n ? host_rand() % n : 0;
}

/* Plausible-looking nonsense with a good checksum, from node `src`. */
static size_t fuzz_structured(u8 *buf, struct sim *s, int src)
{
	static const u32 ops[] = { FIT_OP_ECHO, FIT_OP_COUNT, FIT_OP_STATS, FIT_OP_FILL,
				   FIT_OP_JOIN, SIM_OP_TAGGED, SIM_OP_ONEWAY, 12345 };
	static u8 pay[1500];
	struct fit_pkt p;
	u32 fs = 256 + rnd(1153);

	memset(&p, 0, sizeof(p));
	for (size_t i = 0; i < sizeof(pay); i++)
		pay[i] = (u8)host_rand();
	p.type = 1 + rnd(FIT_MSG_MAX);
	p.flags = (u16)rnd(0x10000);
	p.src = src;
	p.dst = rnd(10) ? 1 : (int)rnd(3);
	p.opcode = ops[rnd(8)];
	p.id = rnd(4) ? 1 + rnd(200) : host_rand();
	/* the sender's real epoch, or a forged one would reset node 1's view of it */
	p.src_epoch = src == 0 ? fit_core_epoch(sim_core(s, 0)) : 1 + (u32)rnd(5);
	p.dst_epoch = rnd(3) ? 0 : rnd(2) ? fit_core_epoch(sim_core(s, 1)) : (u32)host_rand();
	p.frag_size = rnd(8) ? fs : (u32)rnd(0x10000);
	p.msg_len = rnd(3) ? (u32)rnd(5000) : (u32)host_rand();
	p.frag_off = rnd(2) ? (u32)rnd(4) * p.frag_size : (u32)host_rand();
	p.frag_len = p.msg_len > p.frag_off ? p.msg_len - p.frag_off : 0;
	if (p.frag_len > p.frag_size || rnd(5) == 0)
		p.frag_len = rnd(8) ? fit_min(p.frag_size, 1400u) : (u32)rnd(1400);
	if (p.type == FIT_MSG_ACK && rnd(2))
		p.frag_len = sizeof(struct fit_sack);
	if (p.type == FIT_MSG_DONE && rnd(2))
		p.frag_len = 8 * (1 + rnd(FIT_DONE_MAX));
	if (p.type >= FIT_MSG_DONE && p.type != FIT_MSG_DONE && p.type != FIT_MSG_ACK && rnd(2))
		p.frag_len = 0;
	if (rnd(2) && (p.type == FIT_MSG_REQUEST || p.type == FIT_MSG_REPLY)) {
		/* a consistent fragment of a small message */
		p.frag_size = 1000;
		p.msg_len = (u32)rnd(4000);
		p.frag_off = p.msg_len ? 1000 * (u32)rnd((p.msg_len + 999) / 1000) : 0;
		p.frag_len = fit_min(1000u, p.msg_len - p.frag_off);
		p.id = 1 + rnd(100);
	}
	p.frag_len = fit_min(p.frag_len, 1400u);
	p.status = -(s32)rnd(200);
	/* forged done_below values would, by design, make it drop real requests */
	p.done_below = 0;
	return build(buf, &p, pay);
}

static void test_fuzz(void **state)
{
	struct sim *s = sim_new(3, false);
	static u8 buf[2048];
	u64 drops = 0, rx;
	size_t n;
	int i, j;

	host_srand(2024);
	for (i = 0; i < 6000; i++) {
		switch (rnd(5)) {
		case 0:		/* noise */
			n = rnd(1600);
			for (j = 0; j < (int)n; j++)
				buf[j] = (u8)host_rand();
			if (rnd(2) && n >= 4)
				memcpy(buf, "FITL", 4);
			break;
		case 1:		/* truncated */
			n = fuzz_structured(buf, s, 0);
			n = rnd(n);
			break;
		case 2:		/* corrupted */
			n = fuzz_structured(buf, s, 0);
			buf[rnd(n)] ^= 1 << rnd(8);
			break;
		case 3:		/* from a node nobody knows (or the wrong address) */
			n = fuzz_structured(buf, s, (int)rnd(FIT_MAX_NODES));
			break;
		default:	/* well formed, from a known node, meaning nothing */
			n = fuzz_structured(buf, s, 0);
			break;
		}
		sim_inject(s, rnd(4) ? 0 : 2, 1, buf, n);
		if (i % 100 == 99)
			sim_run_for(s, 20000000);
	}
	sim_run_for(s, 15 * SEC);	/* let every timer and cache run out */
	fit_core_print_stats(sim_core(s, 1));
	rx = fit_core_global_stat(sim_core(s, 1), FIT_G_RX_PKTS);
	assert_true(rx >= 6000);
	for (i = FIT_G_SHORT; i <= FIT_G_STALE; i++)
		drops += fit_core_global_stat(sim_core(s, 1), i);
	assert_true(drops > 3000);
	for (i = FIT_G_SHORT; i <= FIT_G_STALE; i++)
		if (i != FIT_G_WRONG_DST && i != FIT_G_BAD_VERSION)
			assert_true(fit_core_global_stat(sim_core(s, 1), i) > 0);

	/* and the node still works, both ways */
	for (i = 0; i < 3; i++) {
		u8 req[3000], rep[3000];

		sim_pattern(req, sizeof(req), i);
		assert_int_equal(sim_call(s, 0, 1, FIT_OP_ECHO, req, sizeof(req), rep, sizeof(rep),
					  SEC), sizeof(req));
		assert_memory_equal(req, rep, sizeof(req));
		assert_int_equal(sim_call(s, 1, 0, FIT_OP_ECHO, req, sizeof(req), rep, sizeof(rep),
					  SEC), sizeof(req));
		assert_int_equal(sim_call(s, 2, 1, FIT_OP_ECHO, req, sizeof(req), rep, sizeof(rep),
					  SEC), sizeof(req));
	}
	sim_free(s);
	assert_int_equal(sim_leaked(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_crc32c),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_fuzz),
	};

	if (getenv("FIT_TEST"))
		cmocka_set_test_filter(getenv("FIT_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
