// SPDX-License-Identifier: GPL-2.0
/*
 * FUTEX_WAKE_OP's small instruction set: decode the 32-bit operation,
 * compute the new value of the second word and the comparison that
 * decides whether its waiters wake. Pure, for tests/unit/test_signal.c.
 */
#include <lego/types.h>
#include <lego/errno.h>
#include "futex.h"

/* A 12-bit field, sign-extended. */
static int field12(u32 v)
{
	return (int)((v & 0xfff) << 20) >> 20;
}

int futex_op_apply(u32 encoded, u32 old, u32 *new)
{
	unsigned int op = (encoded >> 28) & 7;
	u32 oparg = (u32)field12(encoded >> 12);

	/* a shift beyond the word is the caller's mistake; Linux masks it too */
	if ((encoded >> 28) & FUTEX_OP_OPARG_SHIFT)
		oparg = 1U << (oparg & 31);
	switch (op) {
	case FUTEX_OP_SET:
		*new = oparg;
		return 0;
	case FUTEX_OP_ADD:
		*new = old + oparg;
		return 0;
	case FUTEX_OP_OR:
		*new = old | oparg;
		return 0;
	case FUTEX_OP_ANDN:
		*new = old & ~oparg;
		return 0;
	case FUTEX_OP_XOR:
		*new = old ^ oparg;
		return 0;
	}
	return -ENOSYS;
}

int futex_op_compare(u32 encoded, u32 old)
{
	int cmparg = field12(encoded);
	int v = (int)old;

	switch ((encoded >> 24) & 15) {
	case FUTEX_OP_CMP_EQ:
		return v == cmparg;
	case FUTEX_OP_CMP_NE:
		return v != cmparg;
	case FUTEX_OP_CMP_LT:
		return v < cmparg;
	case FUTEX_OP_CMP_LE:
		return v <= cmparg;
	case FUTEX_OP_CMP_GT:
		return v > cmparg;
	case FUTEX_OP_CMP_GE:
		return v >= cmparg;
	}
	return -ENOSYS;
}
