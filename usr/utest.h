/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every usr/ test program shares: the one result line ("PASS name
 * ..." or "FAIL name: why", exit status 1), a PRNG and a page-pattern
 * generator. Output goes through write(2) so that nothing sits in a stdio
 * buffer when a test forks or dies.
 */
#ifndef USR_UTEST_H
#define USR_UTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

static const char *utest_name __attribute__((unused)) = "?";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	for (int off = 0; off < n;) {
		ssize_t w = write(1, buf + off, n - off);

		if (w <= 0)
			break;
		off += w;
	}
}

/* Report a failure and end the whole process (use _exit in a child). */
#define fail(...) do { \
		say("FAIL %s: ", utest_name); \
		say(__VA_ARGS__); \
		say(" (line %d)\n", __LINE__); \
		exit(1); \
	} while (0)

#define check(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* errno of a call that must fail with want (the call returns -1). */
#define check_errno(call, want) do { \
		errno = 0; \
		long _r = (long)(call); \
		int _e = errno; \
		check(_r == -1 && _e == (want), "%s returned %ld errno %d (%s), want %s", \
		      #call, _r, _e, strerror(_e), #want); \
	} while (0)

/* xorshift64: small, fast, and the same sequence on every machine. */
static inline uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* A word that depends on its index and a seed (splitmix64's finaliser). */
static inline uint64_t mix(uint64_t i, uint64_t seed)
{
	uint64_t z = i + seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void fill_words(uint64_t *p, size_t bytes, uint64_t seed)
{
	for (size_t i = 0; i < bytes / 8; i++)
		p[i] = mix(i, seed);
}

/* Index of the first word that does not match the pattern, or -1. */
static inline long find_bad_word(const uint64_t *p, size_t bytes, uint64_t seed)
{
	for (size_t i = 0; i < bytes / 8; i++)
		if (p[i] != mix(i, seed))
			return (long)i;
	return -1;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif
