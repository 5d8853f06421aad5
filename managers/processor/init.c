// SPDX-License-Identifier: GPL-2.0
/*
 * The first user process. The command line names it:
 *
 *	init=/bin/busybox -- sh -c "echo \"hello\" | wc -c"
 *
 * runs /bin/busybox with argv[0] = /bin/busybox and the words after "--"
 * as arguments: words are split at spaces outside double quotes, a
 * backslash makes the next character literal (\n and \t: newline, tab),
 * as GRUB escapes them (tests/system/lego_run.py decode_init_args is the
 * model). Each init.env=NAME=VALUE adds to the environment. When it ends, its
 * status is printed (scripts/lego run reads that line) and, with
 * init.exit=poweroff, the machine powers off.
 */
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/files.h>
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/printk.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/tty.h>
#include "exec.h"

extern struct task_struct *init_process;
void init_process_exited(int status);

static const char *const default_env[] = {
	"HOME=/", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=linux",
};

/* Next word of the init arguments into out; false at the end. */
static bool next_word(const char **sp, char *out, size_t max, size_t *len)
{
	const char *s = *sp;
	bool quoted = false;
	size_t n = 0;

	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	for (; *s && (quoted || *s != ' '); s++) {
		char c = *s;

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		/* GRUB escapes every backslash and quote, inside quotes or not */
		if (c == '\\' && s[1]) {
			c = *++s;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (n + 1 < max)
			out[n++] = c;
	}
	out[n] = 0;
	*len = n;
	*sp = s;
	return true;
}

static int add_env(const char *entry, void *data)
{
	struct exec_args *a = data;
	int ret;

	if (!*entry)
		return 0;
	ret = exec_args_add(a, entry, strlen(entry));
	if (!ret)
		a->envc++;
	return ret;
}

static int build_args(const char *path, struct exec_args *a)
{
	const char *rest = cmdline_rest();
	char *word = kmalloc(CMDLINE_MAX, GFP_KERNEL);
	size_t len;
	int ret;

	if (!word)
		return -ENOMEM;
	ret = exec_args_add(a, path, strlen(path));
	a->argc = 1;
	while (!ret && next_word(&rest, word, CMDLINE_MAX, &len)) {
		ret = exec_args_add(a, word, len);
		a->argc++;
	}
	for (size_t i = 0; !ret && i < ARRAY_SIZE(default_env); i++) {
		ret = exec_args_add(a, default_env[i], strlen(default_env[i]));
		a->envc++;
	}
	if (!ret)
		ret = cmdline_for_each_value("init.env", add_env, a);
	kfree(word);
	return ret;
}

static void print_command(const char *path, struct exec_args *a)
{
	const char *s = a->buf;

	pr_notice("lego: running init: %s", path);
	s += strlen(s) + 1;	/* argv[0] is the path */
	for (int i = 1; i < a->argc; i++, s += strlen(s) + 1)
		pr_cont(" %s", s);
	pr_cont("\n");
}

/* Make current, a kernel thread, the leader of a new session and process. */
static int become_process(struct task_struct *t)
{
	unsigned long irq;
	int ret;

	ret = arch_prepare_user_thread(t);
	if (ret)
		return ret;
	t->tgid = t->pid;
	t->group_leader = t;
	t->exit_signal = SIGCHLD;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->thread_node);
	INIT_LIST_HEAD(&t->pending.list);
	t->files = files_alloc();
	t->fs = fs_alloc();
	if (!t->files || !t->fs)
		return -ENOMEM;
	ret = files_open_console(t->files);
	if (!ret)
		ret = copy_sighand(0, t);
	if (!ret)
		ret = copy_signal(0, t);
	if (ret)
		return ret;
	t->signal->pgrp = t->signal->session = t->pid;
	tty_set_pgrp(console_tty, t->pid);

	spin_lock_irqsave(&tasklist_lock, irq);
	list_add_tail(&t->sibling_all, &process_list);
	get_task_struct(t);
	/* copy_signal put t on signal->threads already */
	init_process = t;
	spin_unlock_irqrestore(&tasklist_lock, irq);
	return 0;
}

static int init_thread(void *arg)
{
	const char *path = arg;
	struct exec_args a;
	int ret;

	exec_args_init(&a);
	ret = become_process(current);
	if (!ret)
		ret = build_args(path, &a);
	if (ret) {
		pr_err("lego: init: cannot set up the first process: %d\n", ret);
		return ret;
	}
	print_command(path, &a);
	ret = do_execve_args(path, &a);
	exec_args_free(&a);
	if (ret) {
		pr_err("lego: init: cannot run %s: error %d\n", path, ret);
		do_exit(W_EXITCODE(ret == -ENOENT ? 127 : 126, 0));
	}
	arch_enter_user();
}

static const char *const signal_names[] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
	[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
	[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
};

static bool init_exit_poweroff;

/* Called by exit with tasklist_lock held: report, and power off if asked. */
void init_process_exited(int status)
{
	int sig = status & 0x7f;

	if (sig)
		pr_notice("lego: init killed by signal %d (%s)\n", sig,
			  sig < (int)ARRAY_SIZE(signal_names) && signal_names[sig] ?
			  signal_names[sig] : "?");
	else
		pr_notice("lego: init exited with code %d\n", (status >> 8) & 0xff);
	if (init_exit_poweroff)
		machine_power_off();
}

/* Read now: the boot reports options nobody has read once start-up ends. */
static void read_init_exit(void)
{
	const char *how = cmdline_get("init.exit");

	init_exit_poweroff = how && !strcmp(how, "poweroff");
	if (how && !init_exit_poweroff)
		pr_warn("lego: init.exit=%s: only 'poweroff' is known\n", how);
}

/* As if init had exited with 127 (as a shell says of a command it cannot run). */
void init_not_started(void)
{
	unsigned long flags;

	read_init_exit();
	spin_lock_irqsave(&tasklist_lock, flags);
	init_process_exited(W_EXITCODE(127, 0));
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

int start_user_init(const char *path, char *const argv[], char *const envp[])
{
	read_init_exit();
	struct task_struct *t = kthread_create(init_thread, (void *)path, "init");

	if (!t)
		return -ENOMEM;
	arch_init_user_kthread(t);
	wake_up_process(t);
	return t->pid;
}
