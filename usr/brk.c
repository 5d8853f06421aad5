// SPDX-License-Identifier: GPL-2.0
/*
 * brk: the program break grows by 1 MB (every page written and read back),
 * shrinks back, and grows again with zeroed contents; a break below the
 * initial one and an absurd one are refused and leave it unchanged. The
 * raw system call is used, and nothing here calls malloc, so the C library
 * does not move the break behind our back.
 */
#include <sys/syscall.h>
#include "utest.h"

#define GROW	(1UL << 20)

static unsigned long do_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

int main(void)
{
	unsigned long base, top;
	uint64_t *p;

	utest_name = "brk";
	base = do_brk(0);
	check(base != 0, "brk(0) returned 0");
	check(do_brk(0) == base, "brk(0) is not stable");

	top = do_brk(base + GROW);
	check(top == base + GROW, "grow by 1 MB: brk %#lx, want %#lx", top, base + GROW);
	p = (uint64_t *)base;
	fill_words(p, GROW, 11);
	check(find_bad_word(p, GROW, 11) < 0, "grown break does not keep data");

	top = do_brk(base);
	check(top == base, "shrink: brk %#lx, want %#lx", top, base);
	top = do_brk(base + GROW);
	check(top == base + GROW, "grow again: brk %#lx", top);
	for (unsigned long i = 0; i < GROW / 8; i++)
		check(p[i] == 0, "old data (word %lu = %#llx) after shrink and grow", i,
		      (unsigned long long)p[i]);

	/* a partial-page break: the page it ends in is usable */
	top = do_brk(base + GROW + 100);
	check(top == base + GROW + 100, "unaligned brk: %#lx", top);
	((volatile char *)base)[GROW + 99] = 1;

	check(do_brk(base - 2 * GROW) == top, "brk below the start was accepted");
	check(do_brk(1UL << 62) == top, "absurd brk was accepted");
	check(do_brk(base) == base, "final shrink");
	say("PASS brk grow_kb=%lu\n", GROW >> 10);
	return 0;
}
