// SPDX-License-Identifier: GPL-2.0
/*
 * mmap: anonymous mappings and their system calls with real semantics. A
 * write to a PROT_READ page and any access to a PROT_NONE or unmapped page
 * raise SIGSEGV, caught by a handler that checks si_addr and si_code and
 * siglongjmps out; mremap grows (moving) and shrinks with the data intact;
 * MAP_FIXED replaces pages with zeroes; madvise(MADV_DONTNEED) zeroes
 * private pages too, and keeps what shared memory holds.
 */
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "utest.h"

static sigjmp_buf env;
static volatile sig_atomic_t faults;
static void *volatile fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	faults++;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(env, 1);
}

/* Touch addr (write or read); the SIGSEGV code, or 0 if no fault. */
static int touch(volatile char *addr, int write)
{
	fault_addr = NULL;
	fault_code = 0;
	if (sigsetjmp(env, 1) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		return 0;
	}
	check(fault_addr == (void *)addr, "si_addr %p, want %p", fault_addr, (void *)addr);
	return fault_code;
}

static char *map(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	check(p != MAP_FAILED, "mmap %zu: %s", len, strerror(errno));
	return p;
}

static int all_zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

static void protections(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);

	fill_words((uint64_t *)p, 4 * PAGE, 1);
	check(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	check(touch(p + PAGE + 100, 1) == SEGV_ACCERR, "write to PROT_READ: no SEGV_ACCERR");
	check(touch(p + PAGE + 100, 0) == 0, "read of PROT_READ faulted");
	check(touch(p, 1) == 0 && touch(p + 2 * PAGE, 1) == 0, "neighbours lost PROT_WRITE");
	check(mprotect(p + PAGE, PAGE, PROT_NONE) == 0, "mprotect NONE: %s", strerror(errno));
	check(touch(p + PAGE + 8, 0) == SEGV_ACCERR, "read of PROT_NONE: no SEGV_ACCERR");
	check(mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect back");
	((uint64_t *)p)[0] = mix(0, 1);
	((uint64_t *)(p + 2 * PAGE))[0] = mix(2 * PAGE / 8, 1);
	check(find_bad_word((uint64_t *)p, 4 * PAGE, 1) < 0, "data changed by mprotect");
	check(touch(p + PAGE + 100, 1) == 0, "write after PROT_WRITE was restored faulted");
	check(munmap(p, 4 * PAGE) == 0, "munmap");
}

static void unmapping(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 0x5a, 3 * PAGE);
	check(munmap(p + PAGE, PAGE) == 0, "munmap middle: %s", strerror(errno));
	check(touch(p + PAGE, 0) == SEGV_MAPERR, "read of an unmapped page: no SEGV_MAPERR");
	check(touch(p + 2 * PAGE - 1, 1) == SEGV_MAPERR, "write to an unmapped page");
	check(p[0] == 0x5a && p[2 * PAGE] == 0x5a, "neighbours of the hole lost data");
	check(munmap(p, 3 * PAGE) == 0, "munmap with a hole");
	check(touch(p, 0) == SEGV_MAPERR && touch(p + 2 * PAGE, 0) == SEGV_MAPERR,
	      "pages readable after munmap");
	check_errno(munmap(p + 1, PAGE), EINVAL);
}

static void remapping(void)
{
	size_t small = 4 * PAGE, big = 64 * PAGE;
	char *p = map(8 * PAGE, PROT_READ | PROT_WRITE), *q;

	/* grow the first half: its other half is in the way, so it moves */
	fill_words((uint64_t *)p, small, 2);
	q = mremap(p, small, big, MREMAP_MAYMOVE);
	check(q != MAP_FAILED, "mremap grow: %s", strerror(errno));
	check(q != p, "mremap grew into mapped pages");
	check(find_bad_word((uint64_t *)q, small, 2) < 0, "data lost by mremap");
	check(all_zero(q + small, big - small), "grown part not zero");
	check(touch(p, 0) == SEGV_MAPERR && touch(p + small - PAGE, 0) == SEGV_MAPERR,
	      "old pages still mapped after the move");
	check(touch(p + small, 0) == 0, "the pages after the moved part were unmapped too");
	memset(q + big - PAGE, 3, PAGE);
	/* shrink in place */
	check(mremap(q, big, small, 0) == q, "mremap shrink: %s", strerror(errno));
	check(find_bad_word((uint64_t *)q, small, 2) < 0, "data lost by shrinking");
	check(touch(q + small, 0) == SEGV_MAPERR, "shrunk part still mapped");
	/* without MREMAP_MAYMOVE, a mapping in the way is an error */
	check(mmap(q + small, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	      q + small, "mmap a blocker: %s", strerror(errno));
	check_errno(mremap(q, small, big, 0), ENOMEM);
	check(find_bad_word((uint64_t *)q, small, 2) < 0, "data lost by a failed mremap");
	check(munmap(q, small + PAGE) == 0 && munmap(p + small, 8 * PAGE - small) == 0, "munmap");
}

static void fixed_and_dontneed(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE), *q;

	memset(p, 0x77, 4 * PAGE);
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0);
	check(q == p + PAGE, "MAP_FIXED: %p, want %p", (void *)q, (void *)(p + PAGE));
	check(all_zero(q, PAGE), "MAP_FIXED page kept old data");
	check(p[0] == 0x77 && p[2 * PAGE] == 0x77, "MAP_FIXED touched its neighbours");
	check(madvise(p + 2 * PAGE, 2 * PAGE, MADV_DONTNEED) == 0, "madvise: %s", strerror(errno));
	check(all_zero(p + 2 * PAGE, 2 * PAGE), "MADV_DONTNEED kept private anonymous data");
	check(p[0] == 0x77, "MADV_DONTNEED touched another page");
	check(munmap(p, 4 * PAGE) == 0, "munmap");
}

/* Shared memory keeps its contents: DONTNEED only drops this process's copy. */
static void shared_dontneed(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	check(p != MAP_FAILED, "mmap shared: %s", strerror(errno));
	memset(p, 0x5a, 2 * PAGE);
	check(madvise(p, 2 * PAGE, MADV_DONTNEED) == 0, "madvise shared: %s", strerror(errno));
	check(p[0] == 0x5a && p[2 * PAGE - 1] == 0x5a, "MADV_DONTNEED lost shared data");
	check(munmap(p, 2 * PAGE) == 0, "munmap");
}

static void large_sparse(void)
{
	size_t len = 256UL << 20;
	char *p = map(len, PROT_READ | PROT_WRITE);

	for (size_t off = 0; off < len; off += 16UL << 20)
		p[off] = (char)(off >> 20);
	for (size_t off = 0; off < len; off += 16UL << 20)
		check(p[off] == (char)(off >> 20), "sparse page at %zu MB", off >> 20);
	check(all_zero(p + PAGE, PAGE), "an untouched page is not zero");
	check(munmap(p, len) == 0, "munmap");
}

int main(void)
{
	struct sigaction sa;

	utest_name = "mmap";
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	check(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction");
	protections();
	unmapping();
	remapping();
	fixed_and_dontneed();
	shared_dontneed();
	large_sparse();
	check_errno(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	/* raw call: musl rounds the address down itself */
	check_errno(syscall(SYS_mprotect, PAGE + 1, PAGE, PROT_READ), EINVAL);
	check_errno(syscall(SYS_mprotect, PAGE, PAGE, PROT_READ), ENOMEM);
	say("PASS mmap segv_caught=%d\n", (int)faults);
	return 0;
}
