// SPDX-License-Identifier: GPL-2.0
/* Unit tests for managers/processor/fs/pipe_ring.c: the pipe's byte ring. */
#include <lego/kernel.h>
#include "../../managers/processor/fs/pipe_ring.h"

#include <stdio.h>
#include <string.h>

#include "host.h"

#define SIZE 16

static char buf[SIZE];
static struct pipe_ring r;

/* Write up to n bytes of src, as pipe.c does: span by span. */
static size_t put(const char *src, size_t n)
{
	size_t done = 0;

	while (done < n) {
		char *p;
		size_t k = min(ring_write_span(&r, &p), n - done);

		if (!k)
			break;
		memcpy(p, src + done, k);
		ring_produce(&r, k);
		done += k;
	}
	return done;
}

static size_t get(char *dst, size_t n)
{
	size_t done = 0;

	while (done < n) {
		char *p;
		size_t k = min(ring_read_span(&r, &p), n - done);

		if (!k)
			break;
		memcpy(dst + done, p, k);
		ring_consume(&r, k);
		done += k;
	}
	return done;
}

static int setup(void **state __unused)
{
	ring_init(&r, buf, SIZE);
	return 0;
}

static void test_empty_and_full(void **state __unused)
{
	char out[SIZE + 4];
	char *p;

	assert_int_equal(ring_used(&r), 0);
	assert_int_equal(ring_free(&r), SIZE);
	assert_int_equal(ring_read_span(&r, &p), 0);
	assert_int_equal(put("0123456789abcdefXYZ", 19), SIZE);
	assert_int_equal(ring_free(&r), 0);
	assert_int_equal(ring_write_span(&r, &p), 0);
	assert_int_equal(get(out, sizeof(out)), SIZE);
	assert_memory_equal(out, "0123456789abcdef", SIZE);
	assert_int_equal(ring_used(&r), 0);
}

static void test_wraparound_spans(void **state __unused)
{
	char out[SIZE];
	char *p;

	assert_int_equal(put("abcdefghijkl", 12), 12);
	assert_int_equal(get(out, 10), 10);
	/* 2 bytes left at offsets 10-11; 14 free: 4 up to the end, then 10 from 0 */
	assert_int_equal(ring_write_span(&r, &p), 4);
	assert_ptr_equal(p, buf + 12);
	assert_int_equal(put("MNOPQRSTUVWXYZ", 14), 14);
	assert_int_equal(ring_free(&r), 0);
	/* the read span stops at the end of the buffer */
	assert_int_equal(ring_read_span(&r, &p), 6);
	assert_int_equal(get(out, SIZE), SIZE);
	assert_memory_equal(out, "klMNOPQRSTUVWXYZ", SIZE);
}

static void test_partial_consume(void **state __unused)
{
	char out[4];

	assert_int_equal(put("xyz", 3), 3);
	ring_consume(&r, 1);
	assert_int_equal(ring_used(&r), 2);
	assert_int_equal(get(out, 4), 2);
	assert_memory_equal(out, "yz", 2);
}

/* Many odd-sized transfers: the byte stream comes out as it went in. */
static void test_stream(void **state __unused)
{
	unsigned char in = 0, expect = 0;
	size_t i;

	for (i = 0; i < 10000; i++) {
		char tmp[SIZE];
		size_t n = (i * 7) % (SIZE + 1), k, j;

		for (j = 0; j < n; j++)
			tmp[j] = (char)(in + j);
		k = put(tmp, n);
		in += k;
		assert_true(ring_used(&r) <= SIZE);
		n = get(tmp, (i * 5) % (SIZE + 1));
		for (j = 0; j < n; j++)
			assert_int_equal((unsigned char)tmp[j], (unsigned char)(expect + j));
		expect += n;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty_and_full, setup),
		cmocka_unit_test_setup(test_wraparound_spans, setup),
		cmocka_unit_test_setup(test_partial_consume, setup),
		cmocka_unit_test_setup(test_stream, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
