// SPDX-License-Identifier: GPL-2.0
/* Unit tests for kernel/futex_op.c: FUTEX_WAKE_OP's encoded operation. */
#include <lego/errno.h>
#include <lego/kernel.h>
#include "../../kernel/futex.h"

#include "host.h"

/* The encoding user space builds (glibc's FUTEX_OP_* macros do the same). */
static u32 enc(u32 op, u32 oparg, u32 cmp, u32 cmparg)
{
	return ((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) |
	       (cmparg & 0xfff);
}

static u32 apply(u32 encoded, u32 old)
{
	u32 new = 0xdeadbeef;

	assert_int_equal(futex_op_apply(encoded, old, &new), 0);
	return new;
}

static void test_ops(void **state __unused)
{
	assert_int_equal(apply(enc(FUTEX_OP_SET, 5, 0, 0), 0x1234), 5);
	assert_int_equal(apply(enc(FUTEX_OP_ADD, 5, 0, 0), 0x1234), 0x1239);
	assert_int_equal(apply(enc(FUTEX_OP_OR, 0x0f0, 0, 0), 0x1004), 0x10f4);
	assert_int_equal(apply(enc(FUTEX_OP_ANDN, 0x0f0, 0, 0), 0x12ff), 0x120f);
	assert_int_equal(apply(enc(FUTEX_OP_XOR, 0x0ff, 0, 0), 0x12f0), 0x120f);
	/* ADD wraps as u32 arithmetic */
	assert_int_equal(apply(enc(FUTEX_OP_ADD, 1, 0, 0), 0xffffffffU), 0);
	/* the largest positive oparg */
	assert_int_equal(apply(enc(FUTEX_OP_SET, 0x7ff, 0, 0), 0), 0x7ff);
}

/* The comparison fields do not change what the operation does. */
static void test_op_ignores_cmp(void **state __unused)
{
	u32 cmp;

	for (cmp = 0; cmp < 16; cmp++) {
		assert_int_equal(apply(enc(FUTEX_OP_ADD, 3, cmp, 0xabc), 10), 13);
		assert_int_equal(apply(enc(FUTEX_OP_XOR, 3, cmp, 0xfff), 10), 9);
	}
}

/* A 12-bit oparg is signed: 0x800..0xfff are -2048..-1. */
static void test_oparg_sign_extension(void **state __unused)
{
	assert_int_equal(apply(enc(FUTEX_OP_SET, 0xfff, 0, 0), 7), 0xffffffffU);
	assert_int_equal(apply(enc(FUTEX_OP_SET, 0x800, 0, 0), 7), (u32)-2048);
	assert_int_equal(apply(enc(FUTEX_OP_ADD, 0xfff, 0, 0), 7), 6);
	assert_int_equal(apply(enc(FUTEX_OP_ADD, 0x800, 0, 0), 2048), 0);
	/* the sign reaches the upper bits for the bitwise ops too */
	assert_int_equal(apply(enc(FUTEX_OP_OR, 0xffe, 0, 0), 1), 0xffffffffU);
	assert_int_equal(apply(enc(FUTEX_OP_ANDN, 0xfff, 0, 0), 0x12345678), 0);
	assert_int_equal(apply(enc(FUTEX_OP_XOR, 0xfff, 0, 0), 0x0f0f0f0f), 0xf0f0f0f0U);
}

/* With FUTEX_OP_OPARG_SHIFT the operand is 1 << oparg. */
static void test_oparg_shift(void **state __unused)
{
	u32 sh = FUTEX_OP_OPARG_SHIFT;

	assert_int_equal(apply(enc(FUTEX_OP_SET | sh, 4, 0, 0), 0xff), 0x10);
	assert_int_equal(apply(enc(FUTEX_OP_ADD | sh, 4, 0, 0), 1), 0x11);
	assert_int_equal(apply(enc(FUTEX_OP_OR | sh, 31, 0, 0), 1), 0x80000001U);
	assert_int_equal(apply(enc(FUTEX_OP_ANDN | sh, 0, 0, 0), 0xff), 0xfe);
	assert_int_equal(apply(enc(FUTEX_OP_XOR | sh, 3, 0, 0), 0xff), 0xf7);
	/* a shift beyond the word is taken modulo 32 */
	assert_int_equal(apply(enc(FUTEX_OP_SET | sh, 32, 0, 0), 0), 1);
	assert_int_equal(apply(enc(FUTEX_OP_SET | sh, 37, 0, 0), 0), 1U << 5);
	/* a negative oparg is sign-extended first: -1 & 31 is 31 */
	assert_int_equal(apply(enc(FUTEX_OP_SET | sh, 0xfff, 0, 0), 0), 0x80000000U);
}

static void test_unknown_op(void **state __unused)
{
	u32 op, new = 0x5a5a5a5a;

	for (op = 5; op < 8; op++) {
		assert_int_equal(futex_op_apply(enc(op, 1, 0, 0), 0, &new), -ENOSYS);
		assert_int_equal(futex_op_apply(enc(op | FUTEX_OP_OPARG_SHIFT, 1, 0, 0), 0, &new),
				 -ENOSYS);
	}
	/* nothing is written on failure */
	assert_int_equal(new, 0x5a5a5a5a);
}

static int cmp(u32 which, u32 cmparg, u32 old)
{
	return futex_op_compare(enc(0, 0, which, cmparg), old);
}

/* Each comparison against a value below, equal to and above cmparg. */
static void test_comparisons(void **state __unused)
{
	static const struct {
		u32 which;
		int below, equal, above;
	} t[] = {
		{ FUTEX_OP_CMP_EQ, 0, 1, 0 },
		{ FUTEX_OP_CMP_NE, 1, 0, 1 },
		{ FUTEX_OP_CMP_LT, 1, 0, 0 },
		{ FUTEX_OP_CMP_LE, 1, 1, 0 },
		{ FUTEX_OP_CMP_GT, 0, 0, 1 },
		{ FUTEX_OP_CMP_GE, 0, 1, 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		assert_int_equal(cmp(t[i].which, 100, 99), t[i].below);
		assert_int_equal(cmp(t[i].which, 100, 100), t[i].equal);
		assert_int_equal(cmp(t[i].which, 100, 101), t[i].above);
		/* around a negative cmparg, with old values read as signed */
		assert_int_equal(cmp(t[i].which, 0xffe, (u32)-3), t[i].below);
		assert_int_equal(cmp(t[i].which, 0xffe, (u32)-2), t[i].equal);
		assert_int_equal(cmp(t[i].which, 0xffe, (u32)-1), t[i].above);
	}
}

/* The old value is compared as a signed int, the cmparg sign-extended. */
static void test_compare_signedness(void **state __unused)
{
	/* 0xffffffff is -1: below 0, equal to a cmparg of 0xfff */
	assert_int_equal(cmp(FUTEX_OP_CMP_LT, 0, 0xffffffffU), 1);
	assert_int_equal(cmp(FUTEX_OP_CMP_EQ, 0xfff, 0xffffffffU), 1);
	assert_int_equal(cmp(FUTEX_OP_CMP_EQ, 0xfff, 0xfff), 0);
	/* 0x800 is -2048, the smallest cmparg */
	assert_int_equal(cmp(FUTEX_OP_CMP_EQ, 0x800, (u32)-2048), 1);
	assert_int_equal(cmp(FUTEX_OP_CMP_GT, 0x800, 0x800), 1);
	assert_int_equal(cmp(FUTEX_OP_CMP_LT, 0x7ff, 0x80000000U), 1);
	assert_int_equal(cmp(FUTEX_OP_CMP_GT, 0x7ff, 0x7fffffffU), 1);
}

/* The operation fields do not change what the comparison does. */
static void test_cmp_ignores_op(void **state __unused)
{
	u32 op;

	for (op = 0; op < 16; op++) {
		assert_int_equal(futex_op_compare(enc(op, 0xfff, FUTEX_OP_CMP_EQ, 42), 42), 1);
		assert_int_equal(futex_op_compare(enc(op, 0x123, FUTEX_OP_CMP_GE, 42), 41), 0);
	}
}

static void test_unknown_comparison(void **state __unused)
{
	u32 which;

	for (which = 6; which < 16; which++) {
		assert_int_equal(cmp(which, 0, 0), -ENOSYS);
		assert_int_equal(cmp(which, 0xfff, 1), -ENOSYS);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_op_ignores_cmp),
		cmocka_unit_test(test_oparg_sign_extension),
		cmocka_unit_test(test_oparg_shift),
		cmocka_unit_test(test_unknown_op),
		cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_compare_signedness),
		cmocka_unit_test(test_cmp_ignores_op),
		cmocka_unit_test(test_unknown_comparison),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
