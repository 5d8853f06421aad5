// SPDX-License-Identifier: GPL-2.0
/*
 * membench [-n PAGES] [-r ROUNDS] [-p seq|rand|hot]: the memory-bound
 * program of `make bench-excache`. It touches every page of a working set
 * of PAGES 4 KB pages once (untimed), then makes ROUNDS rounds of PAGES
 * accesses, each reading and writing 64 bytes of one page, and prints the
 * elapsed time:
 *   seq   pages in order
 *   rand  uniformly random pages (xorshift, fixed seed)
 *   hot   90% of accesses to a fixed 20% of the pages, the rest uniform
 *         (default: a cache holding the hot part helps; LRU keeps it, FIFO
 *         does not always)
 * The access sequence depends only on the arguments.
 */
#include <sys/mman.h>
#include "utest.h"

enum pattern { SEQ, RAND, HOT };

static size_t next_page(enum pattern pat, uint64_t *s, size_t k, size_t pages)
{
	size_t hot = pages / 5 ? pages / 5 : 1;
	uint64_t r;

	switch (pat) {
	case SEQ:
		return k % pages;
	case RAND:
		return xorshift(s) % pages;
	default:
		r = xorshift(s);
		/* the hot pages are spread over the set, not one block of it */
		if (r % 10 != 0)
			return ((r >> 8) % hot) * 5 % pages;
		return (r >> 8) % pages;
	}
}

int main(int argc, char **argv)
{
	size_t pages = 1024, rounds = 4, accesses;
	enum pattern pat = HOT;
	const char *names[] = { "seq", "rand", "hot" };
	uint64_t *buf, s = 0x9e3779b97f4a7c15ULL, sum = 0, t0, ns;
	int opt;

	utest_name = "membench";
	while ((opt = getopt(argc, argv, "n:r:p:")) != -1) {
		if (opt == 'n')
			pages = strtoul(optarg, NULL, 0);
		else if (opt == 'r')
			rounds = strtoul(optarg, NULL, 0);
		else if (opt == 'p' && !strcmp(optarg, "seq"))
			pat = SEQ;
		else if (opt == 'p' && !strcmp(optarg, "rand"))
			pat = RAND;
		else if (opt == 'p' && !strcmp(optarg, "hot"))
			pat = HOT;
		else
			fail("usage: membench [-n PAGES] [-r ROUNDS] [-p seq|rand|hot]");
	}
	check(pages > 0 && rounds > 0, "PAGES and ROUNDS must be positive");
	buf = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(buf != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t p = 0; p < pages; p++)
		buf[p * PAGE / 8] = p;

	accesses = pages * rounds;
	t0 = now_ns();
	for (size_t k = 0; k < accesses; k++) {
		uint64_t *w = buf + next_page(pat, &s, k, pages) * PAGE / 8 + (k % 8) * 8;

		for (int i = 0; i < 8; i++) {
			sum += w[i];
			w[i] += k;
		}
	}
	ns = now_ns() - t0;
	say("membench: pages=%zu rounds=%zu pattern=%s accesses=%zu ns=%llu ns_per_access=%llu "
	    "sum=%llx\n", pages, rounds, names[pat], accesses, (unsigned long long)ns,
	    (unsigned long long)(ns / accesses), (unsigned long long)sum);
	return 0;
}
