// SPDX-License-Identifier: GPL-2.0
/*
 * /proc beyond pseudo.c's fixed table: the directory itself, self, one
 * directory per process (its files are procfs_pid.c's) and the
 * system-wide uptime, loadavg, stat and mounts. Only user processes are
 * here: kernel threads have no pid a program could use. Every file is
 * made up when it is opened and reads walk that text, as pseudo.c's
 * /proc files do; a directory lists what was there when it was opened.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/smp.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/timekeeping.h>
#include <lego/uaccess.h>
#include <asm/percpu.h>
#include "internal.h"
#include "procfs.h"

#define PROC_ROOT_INO		1
#define PROC_ROOT_FILE_INO	0x100		/* + index in proc_root_files */
/* a process's directory; its files are + 1 + their index in proc_pid_files */
#define PROC_PID_INO(pid)	(0x10000ULL + (u64)(pid) * 16)
#define PROC_NAME_MAX		24

/* A path under /proc: a directory (e NULL) or an entry of one. */
struct proc_name {
	int pid;			/* 0: /proc itself or one of its files */
	const struct proc_entry *e;
	u64 ino;
};

/* ---------------------------------------------------------- /proc files */

/* Seconds with two decimals, as uptime and loadavg print them. */
static size_t print_centi(char *buf, size_t size, u64 ns)
{
	u64 cs = ns / (NSEC_PER_SEC / 100);

	return scnprintf(buf, size, "%llu.%02llu", cs / 100, cs % 100);
}

static u64 idle_ns_all(void)
{
	u64 ns = 0;
	int cpu;

	for_each_online_cpu(cpu)
		ns += sched_idle_ns(cpu);
	return ns;
}

static ssize_t show_uptime(struct proc_task *pt, char *buf, size_t size)
{
	size_t len = print_centi(buf, size, ktime_get_ns());

	len += scnprintf(buf + len, size - len, " ");
	len += print_centi(buf + len, size - len, idle_ns_all());
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

static ssize_t show_loadavg(struct proc_task *pt, char *buf, size_t size)
{
	unsigned long loads[3];
	size_t len = 0;
	int i;

	sched_get_loadavg(loads);
	for (i = 0; i < 3; i++) {
		u64 hundredths = ((u64)loads[i] * 100 + LOAD_FIXED_1 / 2) >> LOAD_FSHIFT;

		len += scnprintf(buf + len, size - len, "%llu.%02llu ", hundredths / 100,
				 hundredths % 100);
	}
	/* as the load counts them: kernel threads too */
	len += scnprintf(buf + len, size - len, "%d/%d %d\n", sched_nr_active(),
			 sched_nr_tasks(), sched_last_pid());
	return len;
}

/* User threads asleep uninterruptibly (procs_blocked). */
static unsigned int proc_count_blocked(void)
{
	struct task_struct *p, *t;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(p) {
		if (!p->signal)
			continue;
		list_for_each_entry(t, &p->signal->threads, thread_node)
			if (READ_ONCE(t->state) == TASK_UNINTERRUPTIBLE)
				n++;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

/*
 * CPU time in USER_HZ ticks. Nothing tells user from kernel time here
 * (<lego/cputime.h>): a CPU's time not spent idle counts as user time.
 */
static ssize_t show_stat_all(struct proc_task *pt, char *buf, size_t size)
{
	u64 now = ktime_get_ns(), busy = 0, idle = 0, intr = 0;
	int cpu;
	size_t len;

	for_each_online_cpu(cpu) {
		u64 i = sched_idle_ns(cpu);

		idle += i;
		busy += now > i ? now - i : 0;
		intr += READ_ONCE(per_cpu(cpu)->nr_interrupts);
	}
	len = scnprintf(buf, size, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n", ns_to_ticks(busy),
			ns_to_ticks(idle));
	for_each_online_cpu(cpu) {
		u64 i = sched_idle_ns(cpu);

		len += scnprintf(buf + len, size - len, "cpu%d %llu 0 0 %llu 0 0 0 0 0 0\n", cpu,
				 ns_to_ticks(now > i ? now - i : 0), ns_to_ticks(i));
	}
	len += scnprintf(buf + len, size - len,
			 "intr %llu\nctxt %llu\nbtime %llu\nprocesses %lu\n"
			 "procs_running %d\nprocs_blocked %u\n",
			 intr, sched_nr_switches(), (ktime_get_real_ns() - now) / NSEC_PER_SEC,
			 forks_since_boot(), sched_nr_active(), proc_count_blocked());
	return len;
}

static ssize_t link_self(struct proc_task *pt, char *buf, size_t size)
{
	char name[PROC_NAME_MAX];
	size_t len = scnprintf(name, sizeof(name), "%d", current->tgid);

	len = min(len, size);
	memcpy(buf, name, len);
	return len;
}

static const struct proc_entry proc_root_files[] = {
	PROC_FILE("loadavg", show_loadavg, 128),
	PROC_FILE("mounts", proc_show_mounts, 512),
	PROC_LINK("self", link_self),
	PROC_FILE("stat", show_stat_all, 512 + 128 * NR_CPUS),
	PROC_FILE("uptime", show_uptime, 64),
};

/* ---------------------------------------------------------- names */

static const struct proc_entry *find_entry(const struct proc_entry *tab, size_t n,
					   const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(tab[i].name) == len && !memcmp(tab[i].name, name, len))
			return &tab[i];
	return NULL;
}

/* A process id as /proc names it: digits, no leading zero. 0 if not one. */
static int parse_pid(const char *s, size_t len)
{
	long long v = 0;
	size_t i;

	if (!len || len > 9 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return (int)v;
}

/* Which /proc object path is: 0, or -ENOENT if it is not one (or not ours). */
static int proc_lookup(const char *path, struct proc_name *pn)
{
	const char *p, *slash;
	size_t len;
	int pid;

	memset(pn, 0, sizeof(*pn));
	if (strncmp(path, "/proc", 5) || (path[5] && path[5] != '/'))
		return -ENOENT;
	if (!path[5]) {
		pn->ino = PROC_ROOT_INO;
		return 0;
	}
	p = path + 6;
	slash = strchr(p, '/');
	len = slash ? (size_t)(slash - p) : strlen(p);
	if (len == 4 && !memcmp(p, "self", 4) && slash)
		pid = current->tgid;	/* through the self link */
	else
		pid = parse_pid(p, len);
	if (!pid) {
		if (slash)
			return -ENOENT;
		pn->e = find_entry(proc_root_files, ARRAY_SIZE(proc_root_files), p, len);
		if (!pn->e)
			return -ENOENT;
		pn->ino = PROC_ROOT_FILE_INO + (pn->e - proc_root_files);
		return 0;
	}
	if (!proc_task_exists(pid))
		return -ENOENT;
	pn->pid = pid;
	pn->ino = PROC_PID_INO(pid);
	if (!slash)
		return 0;
	p = slash + 1;
	if (strchr(p, '/'))
		return -ENOENT;
	pn->e = find_entry(proc_pid_files, nr_proc_pid_files, p, strlen(p));
	if (!pn->e)
		return -ENOENT;
	pn->ino += 1 + (pn->e - proc_pid_files);
	return 0;
}

/* A symlink's target, into a new LEGO_PATH_MAX buffer (a relative one made absolute). */
static char *proc_link_target(const struct proc_name *pn)
{
	struct proc_task pt;
	char *target;
	ssize_t n;
	int ret;

	target = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	if (!target)
		return ERR_PTR(-ENOMEM);
	memset(&pt, 0, sizeof(pt));
	if (pn->pid) {
		ret = proc_task_get(pn->pid, &pt);
		if (ret) {
			kfree(target);
			return ERR_PTR(ret);
		}
	}
	strlcpy(target, "/proc/", LEGO_PATH_MAX);
	/* self's target ("1234") is relative to /proc */
	n = pn->e->link(&pt, target + (pn->pid ? 0 : 6), LEGO_PATH_MAX - 7);
	proc_task_put(&pt);
	if (n < 0) {
		kfree(target);
		return ERR_PTR(n);
	}
	target[(pn->pid ? 0 : 6) + n] = '\0';
	return target;
}

/* ---------------------------------------------------------- stat, readlink */

static void proc_fill_stat(const struct proc_name *pn, struct lego_stat *st)
{
	u64 now = ktime_get_real_ns(), when = now;
	u32 mode = pn->e ? pn->e->mode : S_IFDIR | 0555;

	local_stat(st, mode, DEV_PROCFS, 0, pn->ino);
	if (!pn->e) {
		st->nlink = 2;
		if (pn->pid) {
			struct proc_task pt;

			/* a process's directory is as old as the process */
			if (!proc_task_get(pn->pid, &pt)) {
				when = pt.start_ns + ktime_real_offset_ns();
				proc_task_put(&pt);
			}
		}
	}
	st->atime_sec = st->mtime_sec = st->ctime_sec = when / NSEC_PER_SEC;
	st->atime_nsec = st->mtime_nsec = st->ctime_nsec = when % NSEC_PER_SEC;
}

int procfs_stat(const char *path, bool follow, struct lego_stat *st)
{
	struct proc_name pn;
	char *target;
	int ret;

	ret = proc_lookup(path, &pn);
	if (ret)
		return ret;
	if (!pn.e || !pn.e->link || !follow) {
		proc_fill_stat(&pn, st);
		return 0;
	}
	target = proc_link_target(&pn);
	if (IS_ERR(target))
		return PTR_ERR(target);
	ret = stat_path(target, true, false, st);
	kfree(target);
	return ret;
}

ssize_t procfs_readlink(const char *path, char *buf, size_t size)
{
	struct proc_name pn;
	char *target;
	size_t len;
	int ret;

	ret = proc_lookup(path, &pn);
	if (ret)
		return ret;
	if (!pn.e || !pn.e->link)
		return -EINVAL;
	target = proc_link_target(&pn);
	if (IS_ERR(target))
		return PTR_ERR(target);
	/* what readlink shows: self's target as it is, relative */
	len = strlen(target) - (pn.pid ? 0 : 6);
	len = min(len, size);
	memcpy(buf, target + (pn.pid ? 0 : 6), len);
	kfree(target);
	return len;
}

/* ---------------------------------------------------------- files */

static int procfs_file_stat(struct file *f, struct lego_stat *st)
{
	return procfs_stat(f->path, false, st);
}

static const struct file_operations proc_text_fops = {
	.read = text_snap_read,
	.stat = procfs_file_stat,
	.release = text_snap_release,
	.seekable = true,
};

static struct file *proc_text_open(const struct proc_name *pn, const char *path,
				   unsigned int flags)
{
	struct text_snap *snap;
	struct proc_task pt;
	struct file *f;
	ssize_t n;
	int ret;

	memset(&pt, 0, sizeof(pt));
	if (pn->pid) {
		ret = proc_task_get(pn->pid, &pt);
		if (ret)
			return ERR_PTR(ret);
	}
	snap = kmalloc(sizeof(*snap) + pn->e->size, GFP_KERNEL);
	if (!snap) {
		proc_task_put(&pt);
		return ERR_PTR(-ENOMEM);
	}
	n = pn->e->show(&pt, snap->text, pn->e->size);
	proc_task_put(&pt);
	if (n < 0) {
		kfree(snap);
		return ERR_PTR(n);
	}
	snap->len = n;
	f = file_alloc(&proc_text_fops, flags, path);
	if (!f) {
		kfree(snap);
		return ERR_PTR(-ENOMEM);
	}
	f->private_data = snap;
	f->i_mode = pn->e->mode;
	return f;
}

/* ---------------------------------------------------------- directories */

struct proc_dirent {
	u64 ino;
	u8 type;
	char name[PROC_NAME_MAX];
};

/* What a directory held when it was opened. */
struct proc_dir {
	unsigned int n, max;
	struct proc_dirent ents[];
};

static void dir_add(struct proc_dir *d, u64 ino, u32 mode, const char *name)
{
	struct proc_dirent *e;

	if (d->n == d->max)
		return;
	e = &d->ents[d->n++];
	e->ino = ino;
	e->type = S_ISDIR(mode) ? DT_DIR : S_ISLNK(mode) ? DT_LNK : S_ISCHR(mode) ? DT_CHR : DT_REG;
	strlcpy(e->name, name, sizeof(e->name));
}

static void dir_add_pseudo(void *arg, const char *name, u32 mode, u64 ino)
{
	dir_add(arg, ino, mode, name);
}

static unsigned int proc_count_processes(void)
{
	struct task_struct *p;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(p)
		n++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

/* The processes' directories, as many as fit. */
static void dir_add_processes(struct proc_dir *d)
{
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(p) {
		struct proc_dirent *e;

		if (p->exit_state == EXIT_DEAD || d->n == d->max)
			continue;
		e = &d->ents[d->n++];
		e->ino = PROC_PID_INO(p->pid);
		e->type = DT_DIR;
		snprintf(e->name, sizeof(e->name), "%d", p->pid);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static struct proc_dir *proc_dir_build(const struct proc_name *pn)
{
	/* room for processes that appear while we look */
	unsigned int max = 2 + ARRAY_SIZE(proc_root_files) + pseudo_list_dir("/proc", NULL, NULL) +
			   (pn->pid ? nr_proc_pid_files : proc_count_processes() + 16);
	struct proc_dir *d = kmalloc(sizeof(*d) + max * sizeof(d->ents[0]), GFP_KERNEL);
	size_t i;

	if (!d)
		return NULL;
	d->n = 0;
	d->max = max;
	dir_add(d, pn->ino, S_IFDIR, ".");
	dir_add(d, pn->pid ? PROC_ROOT_INO : 2, S_IFDIR, "..");
	if (pn->pid) {
		for (i = 0; i < nr_proc_pid_files; i++)
			dir_add(d, pn->ino + 1 + i, proc_pid_files[i].mode, proc_pid_files[i].name);
		return d;
	}
	pseudo_list_dir("/proc", dir_add_pseudo, d);
	for (i = 0; i < ARRAY_SIZE(proc_root_files); i++)
		dir_add(d, PROC_ROOT_FILE_INO + i, proc_root_files[i].mode,
			proc_root_files[i].name);
	dir_add_processes(d);
	return d;
}

static ssize_t proc_dir_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
	return -EISDIR;
}

/* linux_dirent64 records from entry *pos on, as many as fit in count bytes. */
static long proc_dir_getdents(struct file *f, void __user *dirp, size_t count, u64 *pos)
{
	struct proc_dir *d = f->private_data;
	size_t max = min(count, (size_t)FS_IO_CHUNK), used = 0;
	char *kbuf;
	long ret = 0;

	kbuf = kmalloc(max ? max : 1, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	while (*pos < d->n) {
		const struct proc_dirent *e = &d->ents[*pos];
		size_t nlen = strlen(e->name);
		size_t reclen = ALIGN(8 + 8 + 2 + 1 + nlen + 1, 8);
		char *rec = kbuf + used;
		u64 off = *pos + 1;
		u16 rl = reclen;

		if (used + reclen > max) {
			if (!used)
				ret = -EINVAL;	/* the buffer cannot hold even this one */
			break;
		}
		memset(rec, 0, reclen);
		memcpy(rec, &e->ino, 8);
		memcpy(rec + 8, &off, 8);
		memcpy(rec + 16, &rl, 2);
		rec[18] = e->type;
		memcpy(rec + 19, e->name, nlen);
		used += reclen;
		(*pos)++;
	}
	if (!ret && used && copy_to_user(dirp, kbuf, used))
		ret = -EFAULT;
	kfree(kbuf);
	return ret ? ret : (long)used;
}

static void proc_dir_release(struct file *f)
{
	kfree(f->private_data);
}

static const struct file_operations proc_dir_fops = {
	.read = proc_dir_read,
	.getdents = proc_dir_getdents,
	.stat = procfs_file_stat,
	.release = proc_dir_release,
	.seekable = true,
};

static struct file *proc_dir_open(const struct proc_name *pn, const char *path,
				  unsigned int flags)
{
	struct proc_dir *d;
	struct file *f;

	if (flags_writable(flags) || (flags & O_TRUNC))
		return ERR_PTR(-EISDIR);
	d = proc_dir_build(pn);
	if (!d)
		return ERR_PTR(-ENOMEM);
	f = file_alloc(&proc_dir_fops, flags, path);
	if (!f) {
		kfree(d);
		return ERR_PTR(-ENOMEM);
	}
	f->private_data = d;
	f->i_mode = S_IFDIR | 0555;
	return f;
}

/* ---------------------------------------------------------- open */

struct file *procfs_open(const char *path, unsigned int flags)
{
	struct proc_name pn;
	struct file *f;
	char *target;
	int ret;

	ret = proc_lookup(path, &pn);
	if (ret)
		return ERR_PTR(ret);
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return ERR_PTR(-EEXIST);
	if (!pn.e)
		return proc_dir_open(&pn, path, flags);
	if (pn.e->link) {
		if (flags & O_NOFOLLOW)
			return ERR_PTR(-ELOOP);
		target = proc_link_target(&pn);
		if (IS_ERR(target))
			return ERR_PTR(PTR_ERR(target));
		f = file_open_path(target, flags, false);
		kfree(target);
		return f;
	}
	if (flags & O_DIRECTORY)
		return ERR_PTR(-ENOTDIR);
	if (flags_writable(flags) || (flags & O_TRUNC))
		return ERR_PTR(-EACCES);
	return proc_text_open(&pn, path, flags);
}
