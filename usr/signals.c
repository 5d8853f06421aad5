// SPDX-License-Identifier: GPL-2.0
/*
 * signals: an SA_SIGINFO handler and its siginfo (signo, code, pid, uid),
 * blocking with sigprocmask (the signal stays pending until unblocked),
 * SIG_IGN, SIGCHLD from a child (si_pid, si_status), a handler that
 * raises another signal (nested delivery) and its own (delivered after it
 * returns), the signal mask inside a handler, and default actions killing
 * a child (WTERMSIG).
 */
#include <signal.h>
#include <sys/wait.h>
#include "utest.h"

static volatile sig_atomic_t usr1_count, usr2_count, depth, max_depth, chld_count;
static siginfo_t last_usr1, last_chld;
static volatile sig_atomic_t usr1_raises;	/* how many times the handler raises */
static volatile sig_atomic_t mask_ok = 1;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	sigset_t now;

	depth++;
	if (depth > max_depth)
		max_depth = depth;
	usr1_count++;
	last_usr1 = *si;
	/* SIGUSR1 is blocked while its handler runs, sa_mask adds SIGTERM */
	sigprocmask(SIG_SETMASK, NULL, &now);
	if (!sigismember(&now, SIGUSR1) || !sigismember(&now, SIGTERM))
		mask_ok = 0;
	if (usr1_raises > 0) {
		usr1_raises--;
		raise(SIGUSR2);		/* not blocked: runs now, nested */
		raise(SIGUSR1);		/* blocked: runs after we return */
	}
	depth--;
}

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	usr2_count++;
	depth--;
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	chld_count++;
	last_chld = *si;
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *), int also_block)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (also_block)
		sigaddset(&sa.sa_mask, also_block);
	check(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig, strerror(errno));
}

static void siginfo_fields(void)
{
	check(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
	check(usr1_count == 1, "handler ran %d times after kill", (int)usr1_count);
	check(last_usr1.si_signo == SIGUSR1, "si_signo %d", last_usr1.si_signo);
	check(last_usr1.si_code == SI_USER, "si_code %d, want SI_USER", last_usr1.si_code);
	check(last_usr1.si_pid == getpid(), "si_pid %d, want %d", (int)last_usr1.si_pid,
	      (int)getpid());
	check(last_usr1.si_uid == getuid(), "si_uid %d", (int)last_usr1.si_uid);
	check(mask_ok, "signal mask inside the handler lacks SIGUSR1 or sa_mask");
}

static void blocking(void)
{
	sigset_t block, pending, old;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	check(sigprocmask(SIG_BLOCK, &block, &old) == 0, "sigprocmask");
	raise(SIGUSR2);
	raise(SIGUSR2);			/* standard signals do not queue */
	check(usr2_count == 0, "a blocked signal was delivered");
	check(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR2),
	      "SIGUSR2 not pending while blocked");
	check(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "sigprocmask");
	check(usr2_count == 1, "unblocking delivered %d signals, want 1", (int)usr2_count);
	check(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR2),
	      "SIGUSR2 still pending");
	usr2_count = 0;
}

static void ignored(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	check(sigaction(SIGUSR2, &sa, &old) == 0, "sigaction SIG_IGN");
	raise(SIGUSR2);
	check(sigaction(SIGUSR2, &old, NULL) == 0, "sigaction restore");
	check(usr2_count == 0, "an ignored signal ran the handler");
}

static void nesting(void)
{
	usr1_count = 0;
	max_depth = 0;
	usr1_raises = 1;
	raise(SIGUSR1);
	check(usr2_count == 1, "SIGUSR2 raised in a handler ran %d times", (int)usr2_count);
	check(max_depth == 2, "handler nesting depth %d, want 2", (int)max_depth);
	check(usr1_count == 2, "SIGUSR1 raised in its own handler: %d runs, want 2",
	      (int)usr1_count);
	check(depth == 0, "depth %d after the handlers", (int)depth);
}

static void sigchld(void)
{
	sigset_t block, old;
	pid_t pid;
	int status;

	/* block SIGCHLD so that it cannot arrive before sigsuspend */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	check(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(7);
	while (!chld_count)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	check(last_chld.si_signo == SIGCHLD && last_chld.si_code == CLD_EXITED,
	      "SIGCHLD si_signo %d si_code %d", last_chld.si_signo, last_chld.si_code);
	check(last_chld.si_pid == pid, "SIGCHLD si_pid %d, want %d", (int)last_chld.si_pid,
	      (int)pid);
	check(last_chld.si_status == 7, "SIGCHLD si_status %d, want 7", last_chld.si_status);
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "waitpid after SIGCHLD: status %#x", status);
}

static void killed_child(int sig)
{
	pid_t pid = fork();
	int status;

	check(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		signal(sig, SIG_DFL);
		kill(getpid(), sig);
		_exit(100);		/* not reached */
	}
	check(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	check(WIFSIGNALED(status) && WTERMSIG(status) == sig,
	      "a child sending itself signal %d: status %#x", sig, status);
}

int main(void)
{
	utest_name = "signals";
	handle(SIGUSR1, on_usr1, SIGTERM);
	handle(SIGUSR2, on_usr2, 0);
	handle(SIGCHLD, on_chld, 0);
	siginfo_fields();
	blocking();
	ignored();
	nesting();
	sigchld();
	killed_child(SIGTERM);
	killed_child(SIGKILL);
	killed_child(SIGUSR2);
	say("PASS signals handlers=3 nested_depth=%d\n", (int)max_depth);
	return 0;
}
