// SPDX-License-Identifier: GPL-2.0
/*
 * workset [MB]: a working set of MB megabytes (default 8), written and read
 * sequentially, then read and modified at random words (xorshift), with
 * every value checked. Sized at several times the ExCache, it makes every
 * page travel to the memory manager and back, dirty and clean.
 */
#include <sys/mman.h>
#include "utest.h"

#define SEED		0x5eed
#define RAND_SALT	0x7a11

static void check_sequential(const uint64_t *buf, size_t words, const char *when)
{
	uint64_t sum = 0, want = 0;

	for (size_t i = 0; i < words; i++) {
		sum += buf[i];
		want += mix(i, SEED);
	}
	if (sum != want) {
		long bad = find_bad_word(buf, words * 8, SEED);

		fail("%s: checksum %016llx, want %016llx; first bad word %ld (page %ld)", when,
		     (unsigned long long)sum, (unsigned long long)want, bad,
		     bad < 0 ? -1 : bad * 8 / (long)PAGE);
	}
}

/* XOR a value into accesses words picked at random; twice restores the set. */
static void random_xor(uint64_t *buf, size_t words, size_t accesses)
{
	uint64_t s = 0x243f6a8885a308d3ULL;

	for (size_t k = 0; k < accesses; k++) {
		size_t i = xorshift(&s) % words;

		buf[i] ^= mix(k, RAND_SALT);
	}
}

static void random_read(const uint64_t *buf, size_t words, size_t accesses)
{
	uint64_t s = 0x13198a2e03707344ULL, sum = 0, want = 0;

	for (size_t k = 0; k < accesses; k++) {
		size_t i = xorshift(&s) % words;

		sum += buf[i];
		want += mix(i, SEED);
	}
	check(sum == want, "random reads: checksum %016llx, want %016llx",
	      (unsigned long long)sum, (unsigned long long)want);
}

int main(int argc, char **argv)
{
	long mb = argc > 1 ? atol(argv[1]) : 8;
	size_t bytes, words, pages, accesses;
	uint64_t *buf, t0;

	utest_name = "workset";
	check(mb > 0 && mb <= 4096, "bad size %s (MB)", argv[1]);
	bytes = (size_t)mb << 20;
	words = bytes / 8;
	pages = bytes / PAGE;
	accesses = 2 * pages;
	t0 = now_ns();
	buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(buf != MAP_FAILED, "mmap %zu bytes: %s", bytes, strerror(errno));

	fill_words(buf, bytes, SEED);
	check_sequential(buf, words, "sequential pass");
	random_xor(buf, words, accesses);
	check(find_bad_word(buf, bytes, SEED) >= 0, "random writes changed nothing");
	random_xor(buf, words, accesses);
	check_sequential(buf, words, "after random writes were undone");
	random_read(buf, words, accesses);
	check(munmap(buf, bytes) == 0, "munmap: %s", strerror(errno));
	say("PASS workset mb=%ld pages=%zu random_accesses=%zu ms=%llu\n", mb, pages,
	    2 * accesses, (unsigned long long)(now_ns() - t0) / 1000000);
	return 0;
}
