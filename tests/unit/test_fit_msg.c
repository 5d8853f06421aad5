// SPDX-License-Identifier: GPL-2.0
/*
 * FIT messages in fragments, below the protocol: reassembly in any order
 * with duplicates and holes, selective acknowledgements, the send window,
 * loss detection and the retransmission timer's backoff.
 */
#include <stdlib.h>

#include "../../net/fit/core/fit_internal.h"
#include "host.h"

#define MS	1000000ULL

static void shuffle(u32 *v, u32 n)
{
	u32 i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = host_rand() % (i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void fill(u8 *b, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (u8)(seed + i * 13 + (i >> 9));
}

static u32 frag_len(u32 len, u32 fs, u32 i)
{
	return len - i * fs < fs ? len - i * fs : fs;
}

static bool sack_bit(const struct fit_sack *s, u32 i)
{
	return (fit_le64(s->bits[i / 64]) >> (i % 64)) & 1;
}

static void test_rx_reorder_dup_missing(void **state)
{
	const u32 fs = 1000, len = 25 * 1000 + 123, n = 26;
	u8 *src = malloc(len), *dst = malloc(len);
	struct fit_sack sack;
	struct fit_rx rx;
	u32 order[26], i, f;

	host_srand(1);
	fill(src, len, 7);
	memset(dst, 0, len);
	assert_int_equal(fit_rx_init(&rx, len, fs, dst), 0);
	assert_int_equal(rx.nfrags, n);
	for (i = 0; i < n; i++)
		order[i] = i;
	shuffle(order, n);
	for (i = 0; i < n; i++) {
		f = order[i];
		if (f == 3 || f == 17)
			continue;
		assert_int_equal(fit_rx_add(&rx, f * fs, src + f * fs, frag_len(len, fs, f)), 1);
		if (i % 3 == 0)	/* duplicates are recognised, and harmless */
			assert_int_equal(fit_rx_add(&rx, f * fs, src + f * fs,
						    frag_len(len, fs, f)), 0);
	}
	assert_false(fit_rx_complete(&rx));
	fit_rx_sack(&rx, &sack);
	assert_int_equal(fit_le32(sack.cum), 3);
	assert_int_equal(fit_le16(sack.nbits), n - 3);
	for (i = 0; i < n - 3; i++)
		assert_int_equal(sack_bit(&sack, i), i != 0 && i != 14);
	/* both were reported missing: 2 says a fresh SACK is due */
	assert_int_equal(fit_rx_add(&rx, 17 * fs, src + 17 * fs, fs), 2);
	assert_false(fit_rx_complete(&rx));
	assert_int_equal(fit_rx_add(&rx, 3 * fs, src + 3 * fs, fs), 2);
	assert_true(fit_rx_complete(&rx));
	assert_memory_equal(src, dst, len);
	fit_rx_sack(&rx, &sack);
	assert_int_equal(fit_le32(sack.cum), n);
	assert_int_equal(fit_le16(sack.nbits), 0);
	fit_rx_release(&rx);
	free(src);
	free(dst);
}

static void test_rx_empty_and_discard(void **state)
{
	struct fit_rx rx;

	assert_int_equal(fit_rx_init(&rx, 0, 1408, NULL), 0);
	assert_int_equal(rx.nfrags, 1);
	assert_false(fit_rx_complete(&rx));
	assert_int_equal(fit_rx_add(&rx, 0, NULL, 0), 1);
	assert_true(fit_rx_complete(&rx));
	fit_rx_release(&rx);

	/* no buffer: fragments are tracked (and acknowledged), not stored */
	assert_int_equal(fit_rx_init(&rx, 5000, 1408, NULL), 0);
	assert_int_equal(rx.nfrags, 4);
	for (u32 f = 0; f < 4; f++)
		assert_int_equal(fit_rx_add(&rx, f * 1408, "x", frag_len(5000, 1408, f)), 1);
	assert_true(fit_rx_complete(&rx));
	assert_int_equal(fit_rx_check(&rx, 5000, 1408), 0);
	assert_int_not_equal(fit_rx_check(&rx, 5001, 1408), 0);
	assert_int_not_equal(fit_rx_check(&rx, 5000, 1400), 0);
	fit_rx_release(&rx);
}

/* 2 MB in 1490 fragments, in random order, twice each. */
static void test_rx_large(void **state)
{
	const u32 fs = 1408, len = 2 << 20;
	u32 n = (len + fs - 1) / fs, *order = malloc(2 * n * sizeof(u32)), i, f;
	u8 *src = malloc(len), *dst = malloc(len);
	struct fit_sack sack;
	struct fit_rx rx;

	host_srand(2);
	fill(src, len, 3);
	assert_int_equal(fit_rx_init(&rx, len, fs, dst), 0);
	assert_int_equal(rx.nfrags, 1490);
	for (i = 0; i < 2 * n; i++)
		order[i] = i % n;
	shuffle(order, 2 * n);
	for (i = 0; i < 2 * n; i++) {
		f = order[i];
		fit_rx_add(&rx, f * fs, src + f * fs, frag_len(len, fs, f));
		if (i == n) {
			fit_rx_sack(&rx, &sack);
			assert_true(fit_le16(sack.nbits) <= FIT_SACK_BITS);
			assert_int_equal(fit_le32(sack.cum), rx.cum);
		}
	}
	assert_true(fit_rx_complete(&rx));
	assert_int_equal(rx.nrecv, n);
	assert_memory_equal(src, dst, len);
	fit_rx_release(&rx);
	free(order);
	free(src);
	free(dst);
}

static void test_frag_check(void **state)
{
	assert_int_equal(fit_frag_check(0, 0, 0, 1408), 0);
	assert_int_equal(fit_frag_check(100, 0, 100, 1408), 0);
	assert_int_equal(fit_frag_check(4096, 2816, 1280, 1408), 0);
	assert_int_not_equal(fit_frag_check(0, 0, 1, 1408), 0);		/* data in an empty message */
	assert_int_not_equal(fit_frag_check(100, 0, 99, 1408), 0);	/* short last fragment */
	assert_int_not_equal(fit_frag_check(4096, 1408, 1000, 1408), 0);	/* short middle one */
	assert_int_not_equal(fit_frag_check(4096, 100, 1408, 1408), 0);	/* misaligned */
	assert_int_not_equal(fit_frag_check(4096, 4224, 0, 1408), 0);	/* past the end */
	assert_int_not_equal(fit_frag_check(100, 0, 100, 100), 0);	/* fragments too small */
	assert_int_not_equal(fit_frag_check(FIT_MAX_MSG + 1, 0, 1408, 1408), 0);
	assert_int_equal(fit_frag_check(FIT_MAX_MSG, FIT_MAX_MSG - 1024, 1024, 1024), 0);
}

static u32 next_new(struct fit_tx *tx, u16 *flags, u64 now)
{
	u32 idx;

	assert_int_equal(fit_tx_next(tx, &idx, flags), 1);
	fit_tx_sent(tx, idx, *flags, now);
	return idx;
}

static void test_tx_window_and_ackreq(void **state)
{
	static u8 data[200 * 1000];
	struct fit_tx tx;
	u16 flags;
	u32 i, idx;

	assert_int_equal(fit_tx_init(&tx, data, sizeof(data), 1000, 32, 20 * MS), 0);
	assert_int_equal(tx.nfrags, 200);
	for (i = 0; i < 32; i++) {
		assert_int_equal(next_new(&tx, &flags, 0), i);
		/* every half window, and at the end of the burst */
		assert_int_equal(!!(flags & FIT_F_ACKREQ), i == 15 || i == 31);
		assert_false(flags & FIT_F_RETRANS);
	}
	assert_int_equal(fit_tx_next(&tx, &idx, &flags), 0);	/* window full */
	fit_tx_release(&tx);

	/* one fragment: its reply or DONE acknowledges it */
	assert_int_equal(fit_tx_init(&tx, data, 10, 1000, 32, 20 * MS), 0);
	assert_int_equal(next_new(&tx, &flags, 0), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(fit_tx_next(&tx, &idx, &flags), 0);
	fit_tx_release(&tx);

	/* an empty message is one empty fragment */
	assert_int_equal(fit_tx_init(&tx, NULL, 0, 1000, 32, 20 * MS), 0);
	assert_int_equal(tx.nfrags, 1);
	assert_int_equal(fit_tx_frag_len(&tx, 0), 0);
	fit_tx_release(&tx);

	/* a 4 KB page at 1408 bytes a fragment: three, the last asks */
	assert_int_equal(fit_tx_init(&tx, data, 4096, 1408, 32, 20 * MS), 0);
	assert_int_equal(tx.nfrags, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(next_new(&tx, &flags, 0), i);
	assert_int_equal(flags, FIT_F_ACKREQ);
	assert_int_equal(fit_tx_frag_len(&tx, 2), 4096 - 2 * 1408);
	fit_tx_release(&tx);
}

static void sack_set(struct fit_sack *s, u32 cum, u32 from, u32 to)
{
	u64 bits[FIT_SACK_BITS / 64] = { 0 };

	memset(s, 0, sizeof(*s));
	s->cum = fit_le32(cum);
	for (u32 f = from; f < to; f++)
		bits[(f - cum) / 64] |= 1ULL << ((f - cum) % 64);
	for (u32 i = 0; i < FIT_SACK_BITS / 64; i++)
		s->bits[i] = fit_le64(bits[i]);
	s->nbits = fit_le16(to > cum ? to - cum : 0);
}

static void test_tx_sack_and_loss(void **state)
{
	static u8 data[100 * 1000];
	struct fit_sack sack;
	struct fit_tx tx;
	u64 rtt = 0;
	u16 flags;
	u32 i;

	assert_int_equal(fit_tx_init(&tx, data, sizeof(data), 1000, 32, 20 * MS), 0);
	for (i = 0; i < 16; i++)
		next_new(&tx, &flags, 0);
	for (i = 16; i < 32; i++)
		next_new(&tx, &flags, 2 * MS);

	/* 0..9 and 11..15 arrived after 1 ms: 10 may just be overtaken */
	sack_set(&sack, 10, 11, 16);
	assert_int_equal(fit_tx_sack(&tx, &sack, MS, MS / 2, 0, &rtt), 15);
	assert_int_equal(rtt, MS);
	assert_int_equal(tx.cum, 10);
	assert_int_equal(tx.nlost, 0);
	/* ...until a round trip and the reordering allowance have passed */
	assert_int_equal(tx.recheck, MS + MS / 2);
	assert_int_equal(fit_tx_timer(&tx), MS + MS / 2);

	/* then 16..20, sent 2 ms after 10: 10 is lost, 21.. are not */
	sack_set(&sack, 10, 11, 21);
	assert_int_equal(fit_tx_sack(&tx, &sack, 1200000, MS / 2, MS, NULL), 5);
	assert_int_equal(tx.nlost, 1);
	assert_int_equal(tx.recheck, 0);
	assert_int_equal(next_new(&tx, &flags, 4 * MS), 10);
	assert_int_equal(flags, FIT_F_RETRANS);		/* new ones follow: they ask */
	/* then new fragments, the window now reaching 10 + 32 */
	for (i = 32; i < 42; i++)
		assert_int_equal(next_new(&tx, &flags, 4 * MS), i);
	assert_int_equal(flags, FIT_F_ACKREQ);
	assert_int_equal(fit_tx_next(&tx, &i, &flags), 0);

	/* an acknowledgement of things never sent is ignored */
	sack_set(&sack, 99, 99, 99);
	assert_int_equal(fit_tx_sack(&tx, &sack, 6 * MS, MS / 2, MS, NULL), 0);
	assert_int_equal(tx.cum, 10);

	/* everything: done */
	sack_set(&sack, 100, 100, 100);
	tx.next = 100;		/* as if the rest had been sent */
	fit_tx_sack(&tx, &sack, 7 * MS, MS / 2, MS, NULL);
	assert_int_equal(tx.nacked, 100);
	assert_false(tx.active);
	assert_int_equal(fit_tx_timer(&tx), 0);
	assert_int_equal(fit_tx_next(&tx, &i, &flags), 0);
	fit_tx_release(&tx);
}

/* A hole at the left edge of a burst: found by the clock, not the RTO. */
static void test_tx_recheck(void **state)
{
	static u8 data[32 * 1000];
	struct fit_sack sack;
	struct fit_tx tx;
	u32 idx;
	u16 flags;

	assert_int_equal(fit_tx_init(&tx, data, sizeof(data), 1000, 32, 20 * MS), 0);
	for (u32 i = 0; i < 32; i++)
		next_new(&tx, &flags, 0);
	sack_set(&sack, 0, 1, 32);		/* all but 0, all sent at once */
	fit_tx_sack(&tx, &sack, MS, MS / 2, MS, NULL);
	assert_int_equal(tx.nlost, 0);
	assert_int_equal(fit_tx_timer(&tx), MS + MS / 2);
	fit_tx_timeout(&tx, MS + MS / 2, 200 * MS);
	assert_int_equal(tx.nlost, 1);
	assert_int_equal(tx.backoffs, 0);	/* not a timeout */
	assert_int_equal(tx.rto, 20 * MS);
	assert_int_equal(fit_tx_next(&tx, &idx, &flags), 1);
	assert_int_equal(idx, 0);
	assert_int_equal(flags, FIT_F_RETRANS | FIT_F_ACKREQ);
	fit_tx_release(&tx);
}

static void test_tx_expire_backoff(void **state)
{
	static u8 data[10 * 1000];
	const u64 expect[] = { 40, 80, 160, 200, 200 };
	struct fit_tx tx;
	u64 now = 0;
	u16 flags;
	u32 i, idx;

	assert_int_equal(fit_tx_init(&tx, data, sizeof(data), 1000, 32, 20 * MS), 0);
	for (i = 0; i < 10; i++)
		next_new(&tx, &flags, 0);
	assert_int_equal(tx.deadline, 20 * MS);
	for (i = 0; i < 5; i++) {
		now = tx.deadline;
		fit_tx_timeout(&tx, now, 200 * MS);
		assert_int_equal(tx.rto, expect[i] * MS);
		/* the tail goes again, asking for the SACK that shows the rest */
		assert_int_equal(tx.nlost, 1);
		assert_int_equal(fit_tx_next(&tx, &idx, &flags), 1);
		assert_int_equal(idx, 9);
		assert_int_equal(flags, FIT_F_ACKREQ | FIT_F_RETRANS);
		fit_tx_sent(&tx, idx, flags, now);
		assert_int_equal(fit_tx_next(&tx, &idx, &flags), 0);
		assert_int_equal(tx.deadline, now + tx.rto);
	}
	assert_int_equal(tx.backoffs, 5);
	fit_tx_release(&tx);
}

/* A retransmission is not declared lost again by a SACK that left before it arrived. */
static void test_tx_retransmission_not_lost_early(void **state)
{
	static u8 data[40 * 1000];
	struct fit_sack sack;
	struct fit_tx tx;
	u32 i, idx;
	u16 flags;

	assert_int_equal(fit_tx_init(&tx, data, sizeof(data), 1000, 64, 20 * MS), 0);
	for (i = 0; i < 16; i++)
		next_new(&tx, &flags, 0);
	for (i = 16; i < 32; i++)
		next_new(&tx, &flags, MS);
	sack_set(&sack, 5, 6, 17);		/* 5 is missing */
	fit_tx_sack(&tx, &sack, 2 * MS, MS / 2, 2 * MS, NULL);
	assert_int_equal(tx.nlost, 1);
	assert_int_equal(next_new(&tx, &flags, 2 * MS), 5);
	assert_true(flags & FIT_F_RETRANS);
	for (i = 32; i < 37; i++)
		next_new(&tx, &flags, 2 * MS);
	sack_set(&sack, 5, 6, 32);		/* left before the retransmission arrived */
	fit_tx_sack(&tx, &sack, 3 * MS, MS / 2, 2 * MS, NULL);
	assert_int_equal(tx.nlost, 0);
	for (i = 37; i < 40; i++)
		next_new(&tx, &flags, 3 * MS);
	sack_set(&sack, 5, 6, 38);		/* later sends arrived, 5 did not: lost */
	fit_tx_sack(&tx, &sack, 4 * MS, MS / 2, 2 * MS, NULL);
	assert_int_equal(tx.nlost, 1);
	assert_int_equal(fit_tx_next(&tx, &idx, &flags), 1);
	assert_int_equal(idx, 5);
	fit_tx_release(&tx);
}

static void test_tx_restart(void **state)
{
	static u8 data[10 * 1000];
	struct fit_sack sack;
	struct fit_tx tx;
	u32 i, idx;
	u16 flags;

	assert_int_equal(fit_tx_init(&tx, data, sizeof(data), 1000, 4, 20 * MS), 0);
	for (i = 0; i < 4; i++)
		next_new(&tx, &flags, 0);
	sack_set(&sack, 4, 4, 4);
	fit_tx_sack(&tx, &sack, MS, MS / 2, MS, NULL);
	for (i = 4; i < 8; i++)
		next_new(&tx, &flags, MS);
	/* the receiver lost its state but has 1 and 5 now */
	fit_tx_restart(&tx);
	sack_set(&sack, 0, 1, 2);
	fit_tx_sack(&tx, &sack, 2 * MS, MS / 2, MS, NULL);
	sack_set(&sack, 0, 5, 6);
	fit_tx_sack(&tx, &sack, 2 * MS, MS / 2, MS, NULL);
	/* 0, 2, 3 within the window of 4 past cum 0, then more as it moves */
	for (i = 0; i < 3; i++) {
		assert_int_equal(fit_tx_next(&tx, &idx, &flags), 1);
		assert_int_equal(idx, i == 0 ? 0 : i + 1);
	}
	assert_int_equal(fit_tx_next(&tx, &idx, &flags), 0);
	fit_tx_release(&tx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rx_reorder_dup_missing),
		cmocka_unit_test(test_rx_empty_and_discard),
		cmocka_unit_test(test_rx_large),
		cmocka_unit_test(test_frag_check),
		cmocka_unit_test(test_tx_window_and_ackreq),
		cmocka_unit_test(test_tx_sack_and_loss),
		cmocka_unit_test(test_tx_recheck),
		cmocka_unit_test(test_tx_expire_backoff),
		cmocka_unit_test(test_tx_retransmission_not_lost_early),
		cmocka_unit_test(test_tx_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
