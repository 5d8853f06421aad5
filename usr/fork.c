// SPDX-License-Identifier: GPL-2.0
/*
 * fork: parent and child write the same pages (global data, heap, stack,
 * an anonymous mapping) and each must see only its own data; a grandchild
 * does the same to the child. Then many short-lived children (exit codes
 * checked), vfork, getppid and ECHILD.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include "utest.h"

#define MAP_BYTES	(1UL << 20)
#define HEAP_BYTES	(256UL << 10)
#define STACK_BYTES	(16UL << 10)
#define DATA_BYTES	(64UL << 10)

static uint64_t data_area[DATA_BYTES / 8] = { 1 };	/* .data, not .bss */

struct areas {
	uint64_t *p[4];
	size_t len[4];
};

static void fill_all(struct areas *a, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		fill_words(a->p[i], a->len[i], seed + i);
}

/* 0 when every area holds seed's pattern, else 1 + the area's index. */
static int check_all(struct areas *a, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		if (find_bad_word(a->p[i], a->len[i], seed + i) >= 0)
			return 1 + i;
	return 0;
}

static int wait_code(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid(%d): %s", (int)pid, strerror(errno));
	if (!WIFEXITED(status))
		fail("child %d did not exit normally (status %#x)", (int)pid, status);
	return WEXITSTATUS(status);
}

/* The child: own data, its own child, and the parent's pid. */
static int child(struct areas *a, pid_t parent)
{
	pid_t pid;

	if (getppid() != parent)
		return 10;
	if (check_all(a, 100))
		return 11;		/* did not inherit the parent's data */
	fill_all(a, 200);
	if (check_all(a, 200))
		return 12;
	pid = fork();
	if (pid < 0)
		return 13;
	if (pid == 0) {
		fill_all(a, 300);
		_exit(check_all(a, 300) ? 14 : 0);
	}
	if (wait_code(pid))
		return 15;
	return check_all(a, 200) ? 16 : 0;
}

static void same_pages(void)
{
	uint64_t stack_area[STACK_BYTES / 8];
	struct areas a = {
		.p = { data_area, NULL, stack_area, NULL },
		.len = { DATA_BYTES, HEAP_BYTES, STACK_BYTES, MAP_BYTES },
	};
	pid_t parent = getpid(), pid;
	int code, bad;

	a.p[1] = malloc(HEAP_BYTES);
	a.p[3] = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(a.p[1] && a.p[3] != MAP_FAILED, "allocating the test areas");
	fill_all(&a, 100);
	pid = fork();
	check(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(child(&a, parent));
	/* write while the child runs: copy-on-write on both sides */
	fill_all(&a, 400);
	code = wait_code(pid);
	check(code == 0, "child failed with code %d (10 getppid, 11 inherit, 12 own, "
	      "13 fork, 14 grandchild, 15 wait, 16 after grandchild)", code);
	bad = check_all(&a, 400);
	check(!bad, "parent's area %d changed by the child", bad - 1);
	free(a.p[1]);
	munmap(a.p[3], MAP_BYTES);
}

static void many_children(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		check(pid >= 0, "fork %d: %s", i, strerror(errno));
		if (pid == 0)
			_exit(i + 1);
		check(wait_code(pid) == i + 1, "child %d: wrong exit code", i);
	}
}

static void vfork_child(void)
{
	pid_t pid = vfork();

	check(pid >= 0, "vfork: %s", strerror(errno));
	if (pid == 0)
		_exit(5);
	check(wait_code(pid) == 5, "vfork child: wrong exit code");
}

int main(void)
{
	int status;

	utest_name = "fork";
	same_pages();
	many_children(16);
	vfork_child();
	check_errno(waitpid(-1, &status, 0), ECHILD);
	say("PASS fork areas=4 children=18\n");
	return 0;
}
