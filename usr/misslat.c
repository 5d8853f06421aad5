// SPDX-License-Identifier: GPL-2.0
/*
 * misslat [-n PAGES] [-s STRIDE] [-r]: the latency of touching a page that
 * is not in the cache. PAGES pages (default 4096, meant to be several times
 * the ExCache) are written once, then read twice in the order
 * i * STRIDE mod PAGES (STRIDE odd, so every page once per pass, spread
 * over all cache sets). The first read pass evicts the dirty lines; the
 * second, timed, pass finds every page out of the cache and every victim
 * clean, so each touch is one plain miss. With -r the ExCache counters are
 * reset (/proc/excache, if present) just before the timed pass, so that
 * its miss_ns_avg covers exactly those misses.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include "utest.h"

static void reset_counters(void)
{
	int fd = open("/proc/excache", O_WRONLY);

	if (fd < 0)
		return;		/* not LegoOS: nothing to reset */
	if (write(fd, "reset\n", 6) != 6)
		say("misslat: writing reset to /proc/excache: %s\n", strerror(errno));
	close(fd);
}

static size_t gcd(size_t a, size_t b)
{
	while (b) {
		size_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static uint64_t read_pass(volatile uint64_t *buf, size_t pages, size_t stride)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < pages; i++)
		sum += buf[(i * stride % pages) * PAGE / 8];
	return sum;
}

int main(int argc, char **argv)
{
	size_t pages = 4096, stride = 97;
	int opt, reset = 0;
	uint64_t *buf, want = 0, t0, ns;

	utest_name = "misslat";
	while ((opt = getopt(argc, argv, "n:s:r")) != -1) {
		if (opt == 'n')
			pages = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			stride = strtoul(optarg, NULL, 0);
		else if (opt == 'r')
			reset = 1;
		else
			fail("usage: misslat [-n PAGES] [-s STRIDE] [-r]");
	}
	check(pages > 1 && stride % 2 == 1, "PAGES must be > 1 and STRIDE odd");
	while (gcd(stride, pages) != 1)
		stride += 2;	/* keep the order a permutation */
	buf = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(buf != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t p = 0; p < pages; p++) {
		buf[p * PAGE / 8] = mix(p, 3);
		want += mix(p, 3);
	}
	check(read_pass(buf, pages, stride) == want, "first pass: wrong data");
	if (reset)
		reset_counters();
	t0 = now_ns();
	check(read_pass(buf, pages, stride) == want, "timed pass: wrong data");
	ns = now_ns() - t0;
	say("misslat: pages=%zu stride=%zu ns=%llu ns_per_touch=%llu\n", pages, stride,
	    (unsigned long long)ns, (unsigned long long)(ns / pages));
	return 0;
}
