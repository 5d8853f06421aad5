// SPDX-License-Identifier: GPL-2.0
/*
 * badinput: what a bad user gets - never a crash of anything but itself.
 * Wild and kernel pointers to write, read and clock_gettime give EFAULT;
 * an unknown system call number gives ENOSYS; a child dereferencing NULL
 * is killed by SIGSEGV and this process carries on.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "utest.h"

#define KERNEL_POINTER	((void *)0xffff888000000000UL)
#define UNUSED_SYSCALL	400	/* no Linux system call has this number */

static void bad_pointers(const char *self)
{
	int fd = open(self, O_RDONLY);

	check(fd >= 0, "open %s: %s", self, strerror(errno));
	check_errno(write(1, (void *)1, 10), EFAULT);
	check_errno(write(1, KERNEL_POINTER, 10), EFAULT);
	check_errno(read(fd, (void *)16, 100), EFAULT);
	check_errno(read(fd, KERNEL_POINTER, 100), EFAULT);
	check_errno(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8), EFAULT);
	check_errno(open((char *)1, O_RDONLY), EFAULT);
	close(fd);
}

static void null_child(void)
{
	pid_t pid = fork();
	int status;

	check(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		*(volatile int *)0 = 1;
		_exit(100);
	}
	check(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "NULL-dereferencing child: status %#x, want killed by SIGSEGV", status);
}

int main(int argc, char **argv)
{
	utest_name = "badinput";
	bad_pointers(argv[0]);
	check_errno(syscall(UNUSED_SYSCALL, 1, 2, 3), ENOSYS);
	null_child();
	say("PASS badinput efault=6 enosys=%d null_child=SIGSEGV\n", UNUSED_SYSCALL);
	return 0;
}
