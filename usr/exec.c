// SPDX-License-Identifier: GPL-2.0
/*
 * exec: fork + execve of exec_child (next to this program) with an argv and
 * envp it checks, the exit code seen by waitpid; a "#!" script; then
 * execve calls that must fail and return to the caller: a truncated ELF
 * and a garbage file (ENOEXEC), a missing file (ENOENT), a file without
 * an x bit (EACCES). The bad files are made by usr/Makefile. exec from a
 * process with running threads, from its main thread and from another
 * one: the other threads end and the new program runs alone.
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/wait.h>
#include "utest.h"

static char dir[256];

static const char *path(const char *name)
{
	static char buf[2][320];
	static int which;

	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "%s/%s", dir, name);
	return buf[which];
}

/* Run name with argv/envp in a child; its exit code (-1 if killed). */
static int run(const char *name, char *const argv[], char *const envp[])
{
	pid_t pid = fork();
	int status;

	check(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		execve(path(name), argv, envp);
		say("exec: execve %s: %s\n", path(name), strerror(errno));
		_exit(99);
	}
	check(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void exec_programs(void)
{
	char *argv[] = { "exec_child", "one", "two words", "q\"uote", "", NULL };
	char *envp[] = { "LEGO_EXEC=ok", "EMPTY=", "SPACES=a b  c", NULL };
	char *sargv[] = { "exec_script", "x", NULL };
	int code;

	code = run("exec_child", argv, envp);
	check(code == 42, "exec_child exited with %d, want 42 (1: argv or envp wrong)", code);
	code = run("exec_script", sargv, envp);
	check(code == 7, "#! script exited with %d, want 7", code);
}

static volatile unsigned long spins;

static void *spinner(void *arg)
{
	for (;;)
		spins++;	/* runs in user mode until exec ends it */
	return arg;
}

static void *exec_from_thread(void *arg)
{
	char *argv[] = { "exec_child", "one", "two words", "q\"uote", "", NULL };
	char *envp[] = { "LEGO_EXEC=ok", "EMPTY=", "SPACES=a b  c", NULL };

	while (spins < 1000)
		sched_yield();
	execve(path("exec_child"), argv, envp);
	say("exec: execve from a thread: %s\n", strerror(errno));
	_exit(98);
	return arg;
}

/* A child with two spinning threads execs from its main thread or a third one. */
static void exec_threaded(bool from_main)
{
	pthread_t th[3];
	pid_t pid = fork();
	int status;

	check(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		for (int i = 0; i < 2; i++)
			if (pthread_create(&th[i], NULL, spinner, NULL))
				_exit(97);
		if (from_main)
			exec_from_thread(NULL);
		if (pthread_create(&th[2], NULL, exec_from_thread, NULL))
			_exit(97);
		pthread_join(th[2], NULL);
		_exit(96);
	}
	check(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	check(WIFEXITED(status) && WEXITSTATUS(status) == 42,
	      "exec with threads (from %s): status %#x, want exit 42", from_main ? "main" : "a thread",
	      status);
}

static const char *bad_exec(const char *name, int want, int also)
{
	char *argv[] = { (char *)name, NULL };
	char *envp[] = { NULL };
	int e;

	errno = 0;
	check(execve(path(name), argv, envp) == -1, "execve %s returned", name);
	e = errno;
	check(e == want || (also && e == also), "execve %s: errno %d (%s), want %s", name, e,
	      strerror(e), strerror(want));
	return e == ENOEXEC ? "ENOEXEC" : e == EIO ? "EIO" : "?";
}

int main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	const char *phdrs;

	utest_name = "exec";
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - argv[0]), argv[0]);
	else
		snprintf(dir, sizeof(dir), ".");
	exec_programs();
	exec_threaded(true);
	exec_threaded(false);
	bad_exec("bad_truncated", ENOEXEC, 0);
	/* header complete, program headers cut off: Linux reads short (EIO) */
	phdrs = bad_exec("bad_phdrs", ENOEXEC, EIO);
	bad_exec("bad_garbage", ENOEXEC, 0);
	bad_exec("bad_empty", ENOEXEC, 0);
	bad_exec("does-not-exist", ENOENT, 0);
	bad_exec("bad_noexec", EACCES, 0);
	say("PASS exec child=42 script=7 threaded=2 truncated=ENOEXEC phdrs=%s garbage=ENOEXEC "
	    "missing=ENOENT noexec=EACCES\n", phdrs);
	return 0;
}
