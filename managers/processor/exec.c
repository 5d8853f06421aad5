// SPDX-License-Identifier: GPL-2.0
/*
 * execve: the memory manager loads the program into a fresh address space
 * (M_OP_EXEC: it reads the file, checks it, lays out segments and builds
 * the initial stack); the processor drops what it cached of the old one,
 * closes O_CLOEXEC files, resets handled signals, releases the old
 * program's robust futexes and clear_child_tid and starts the new
 * program. A failed load leaves the caller as it was.
 */
#include <lego/completion.h>
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/files.h>
#include <lego/fit.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/printk.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <lego/uaccess.h>
#include <asm/irqflags.h>
#include <uapi/lego/memory.h>
#include "exec.h"

#define EXEC_TIMEOUT_NS	(60ULL * NSEC_PER_SEC)
#define MAX_ARG_STRINGS	0x7fffffff

void exec_args_init(struct exec_args *a)
{
	memset(a, 0, sizeof(*a));
}

void exec_args_free(struct exec_args *a)
{
	kfree(a->buf);
	a->buf = NULL;
}

/* Append one string (with its NUL); -E2BIG past EXEC_ARGS_MAX. */
int exec_args_add(struct exec_args *a, const char *s, size_t len)
{
	if (a->len + len + 1 > EXEC_ARGS_MAX)
		return -E2BIG;
	if (!a->buf) {
		a->buf = kmalloc(EXEC_ARGS_MAX, GFP_KERNEL);
		if (!a->buf)
			return -ENOMEM;
	}
	memcpy(a->buf + a->len, s, len);
	a->buf[a->len + len] = 0;
	a->len += len + 1;
	return 0;
}

static int add_user_string(struct exec_args *a, const char __user *s)
{
	long n;
	int ret;

	if (!a->buf) {
		ret = exec_args_add(a, "", 0);	/* allocate */
		if (ret)
			return ret;
		a->len = 0;
	}
	n = strncpy_from_user(a->buf + a->len, s, EXEC_ARGS_MAX - a->len);
	if (n < 0)
		return (int)n;
	if (a->len + n >= EXEC_ARGS_MAX)
		return -E2BIG;
	a->len += n + 1;
	return 0;
}

/* A NULL-terminated array of user strings; the count, or an error. */
static long add_user_vector(struct exec_args *a, const char __user *const __user *v)
{
	long count = 0;

	if (!v)
		return 0;	/* Linux accepts NULL as an empty vector */
	for (;;) {
		const char __user *s;
		int ret;

		if (get_user(s, v + count))
			return -EFAULT;
		if (!s)
			return count;
		if (count == MAX_ARG_STRINGS)
			return -E2BIG;
		ret = add_user_string(a, s);
		if (ret)
			return ret;
		count++;
	}
}

/* A new address space for current, replacing (and putting) the old one. */
static int exec_new_mm(int pid)
{
	struct task_struct *t = current;
	struct mm_struct *old = t->mm, *mm;
	unsigned long flags;

	if (old && old->pid == pid && atomic_read(&old->users) == 1) {
		excache_flush_mm(old, EXC_FLUSH_DROP);
		return 0;
	}
	mm = mm_alloc(pid);
	if (!mm)
		return -ENOMEM;
	/* /proc takes a reference to t->mm under tasklist_lock */
	spin_lock_irqsave(&tasklist_lock, flags);
	t->mm = mm;
	switch_mm(this_cpu()->active_mm, mm);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (old)
		mmput(old);
	return 0;
}

/*
 * The robust list and clear_child_tid belong to the old program (Linux's
 * exec_mm_release): its held robust locks die with it, and whoever waits
 * on the tid word hears of the exec as of an exit. Both are done while
 * the old memory is still current, and only if that memory outlives the
 * exec: an address space borrowed from another process (vfork, CLONE_VM)
 * does, and its owner may be the one waiting. Our own space the memory
 * manager has just replaced: nobody else can see its words any more.
 * Neither setting is inherited by a vfork child, so its exec leaves the
 * parent's locks and tid alone.
 */
static void exec_release_futexes(struct task_struct *t)
{
	if (t->mm && t->mm->pid != t->tgid)
		exit_robust_futexes(t);
	t->robust_list = NULL;
	t->robust_list_len = 0;
	t->clear_child_tid = NULL;
}

/*
 * Where the new program's arguments are, and a copy of them for
 * /proc/PID/cmdline. The memory manager lays the argv strings out one
 * after the other from argv[0] up; reading them back from the new stack
 * (rather than keeping what we sent) shows a script's interpreter too.
 * A copy that cannot be made leaves the command line empty, as for a
 * process whose memory cannot be read.
 */
static void exec_note_args(struct mm_struct *mm, unsigned long sp)
{
	u64 argc, first, last;
	size_t len;
	char *buf, *old;
	long n;

	mm->start_stack = sp;
	if (get_user(argc, (u64 __user *)sp) || !argc)
		return;
	if (get_user(first, (u64 __user *)(sp + 8)) ||
	    get_user(last, (u64 __user *)(sp + 8 * argc)) || last < first)
		return;
	buf = kmalloc(MM_CMDLINE_MAX, GFP_KERNEL);
	if (!buf)
		return;
	n = strncpy_from_user(buf, (const char __user *)last, MM_CMDLINE_MAX);
	if (n < 0)
		goto fail;
	mm->arg_start = first;
	mm->arg_end = last + n + 1;
	len = min(mm->arg_end - first, (u64)MM_CMDLINE_MAX);
	if (copy_from_user(buf, (const void __user *)first, len))
		goto fail;
	mutex_lock(&mm->mmap_lock);
	old = mm->cmdline;
	mm->cmdline = buf;
	mm->cmdline_len = len;
	mutex_unlock(&mm->mmap_lock);
	kfree(old);
	return;
fail:
	kfree(buf);
}

static void basename_to_comm(char *comm, const char *from)
{
	memset(comm, 0, TASK_COMM_LEN);
	strlcpy(comm, from, TASK_COMM_LEN);
}

int do_execve_args(const char *path, struct exec_args *a)
{
	struct task_struct *t = current;
	struct m_exec_req *req;
	struct m_exec_reply reply;
	size_t plen = strlen(path) + 1;
	long ret;

	/*
	 * The memory manager replaces the address space at once, so no other
	 * thread may run in it from here on. Unlike Linux, they are gone even
	 * if the exec then fails (the processor cannot check the program first).
	 */
	ret = exec_end_other_threads();
	if (ret)
		return (int)ret;
	req = kmalloc(sizeof(*req) + plen + a->len, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->pid = t->tgid;
	req->argc = a->argc;
	req->envc = a->envc;
	req->strings_len = plen + a->len;
	memcpy(req->strings, path, plen);
	memcpy(req->strings + plen, a->buf, a->len);
	ret = fit_call(lego_memory_node(), M_OP_EXEC, req, sizeof(*req) + req->strings_len,
		       &reply, sizeof(reply), EXEC_TIMEOUT_NS);
	kfree(req);
	if (ret == -ETIMEDOUT || ret == -ECONNRESET || ret == -EHOSTUNREACH)
		return -EIO;
	if (ret < 0)
		return (int)ret;
	if (ret != sizeof(reply))
		return -EIO;

	/* the program is loaded: from here on there is no way back */
	exec_release_futexes(t);
	ret = exec_new_mm(t->tgid);
	if (ret) {
		force_sig(SIGKILL);
		return (int)ret;
	}
	t->mm->start_brk = t->mm->brk = reply.start_brk;
	t->mm->stack_top = reply.stack_top;
	strlcpy(t->mm->exe_path, path, sizeof(t->mm->exe_path));
	exec_note_args(t->mm, reply.sp);
	if (t->vfork_done) {
		complete(t->vfork_done);
		t->vfork_done = NULL;
	}
	files_close_on_exec(t->files);
	flush_signal_handlers(t);
	/* execve(2): dumpable again, and the parent hears of our end by SIGCHLD */
	t->signal->undumpable = false;
	if (t == t->group_leader)
		t->exit_signal = SIGCHLD;
	reply.comm[sizeof(reply.comm) - 1] = 0;
	basename_to_comm(t->comm, reply.comm);
	start_thread(current_pt_regs(), reply.entry, reply.sp);
	return 0;
}

static long execve_common(int dirfd, const char __user *filename,
			  const char __user *const __user *argv,
			  const char __user *const __user *envp)
{
	struct exec_args a;
	char *path;
	long ret;

	path = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = user_path_at(dirfd, filename, path);
	if (ret)
		goto out;
	exec_args_init(&a);
	ret = add_user_vector(&a, argv);
	if (ret < 0)
		goto out_args;
	a.argc = ret;
	ret = add_user_vector(&a, envp);
	if (ret < 0)
		goto out_args;
	a.envc = ret;
	ret = do_execve_args(path, &a);
out_args:
	exec_args_free(&a);
out:
	kfree(path);
	/* on success rax must be 0 for the new program */
	return ret;
}

SYSCALL_DEFINE(execve, const char __user *filename, const char __user *const __user *argv,
	       const char __user *const __user *envp)
{
	return execve_common(AT_FDCWD, filename, argv, envp);
}

SYSCALL_DEFINE(execveat, int dirfd, const char __user *filename,
	       const char __user *const __user *argv,
	       const char __user *const __user *envp, int flags)
{
	if (flags & ~0x1100)	/* AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH */
		return -EINVAL;
	return execve_common(dirfd, filename, argv, envp);
}
