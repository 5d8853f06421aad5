// SPDX-License-Identifier: GPL-2.0
/*
 * Who a process is and what it may use: ids (there is one user, root, so
 * every id reads 0 and every change is accepted), uname and the host
 * name, random bytes, resource limits, the scheduling calls (which change
 * nothing: one policy, no priorities, no affinity), sysinfo and getrusage.
 */
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/files.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/process.h>
#include <lego/random.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/smp.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/syscalls.h>
#include <lego/time.h>
#include <lego/timekeeping.h>
#include <lego/uaccess.h>
#include <uapi/lego/time.h>
#include "cputime.h"

/* ------------------------------------------------------------------ */
/* process and user ids */

SYSCALL_DEFINE(getpid, void)
{
	return current->tgid;
}

SYSCALL_DEFINE(gettid, void)
{
	return current->pid;
}

SYSCALL_DEFINE(getppid, void)
{
	struct task_struct *parent;
	unsigned long flags;
	int ppid = 0;

	/* the parent may exit and hand us to init meanwhile */
	spin_lock_irqsave(&tasklist_lock, flags);
	parent = current->group_leader->parent;
	if (parent)
		ppid = parent->tgid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ppid;
}

#define ID_INVALID	((unsigned int)-1)	/* also "leave unchanged" for the *res* calls */
#define NGROUPS_MAX	65536

SYSCALL_DEFINE(getuid, void)
{
	return 0;
}

SYSCALL_DEFINE(geteuid, void)
{
	return 0;
}

SYSCALL_DEFINE(getgid, void)
{
	return 0;
}

SYSCALL_DEFINE(getegid, void)
{
	return 0;
}

/* Root may become anyone; since nothing checks ids, staying root is the same. */
SYSCALL_DEFINE(setuid, unsigned int uid)
{
	return uid == ID_INVALID ? -EINVAL : 0;
}

SYSCALL_DEFINE(setgid, unsigned int gid)
{
	return gid == ID_INVALID ? -EINVAL : 0;
}

SYSCALL_DEFINE(setreuid, unsigned int ruid, unsigned int euid)
{
	return 0;
}

SYSCALL_DEFINE(setregid, unsigned int rgid, unsigned int egid)
{
	return 0;
}

SYSCALL_DEFINE(setresuid, unsigned int ruid, unsigned int euid, unsigned int suid)
{
	return 0;
}

SYSCALL_DEFINE(setresgid, unsigned int rgid, unsigned int egid, unsigned int sgid)
{
	return 0;
}

static long put_three_zero_ids(unsigned int __user *a, unsigned int __user *b,
			       unsigned int __user *c)
{
	if (put_user(0U, a) || put_user(0U, b) || put_user(0U, c))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(getresuid, unsigned int __user *ruid, unsigned int __user *euid,
	       unsigned int __user *suid)
{
	return put_three_zero_ids(ruid, euid, suid);
}

SYSCALL_DEFINE(getresgid, unsigned int __user *rgid, unsigned int __user *egid,
	       unsigned int __user *sgid)
{
	return put_three_zero_ids(rgid, egid, sgid);
}

/* Both return the previous id, which is always 0. */
SYSCALL_DEFINE(setfsuid, unsigned int uid)
{
	return 0;
}

SYSCALL_DEFINE(setfsgid, unsigned int gid)
{
	return 0;
}

/* No supplementary groups. */
SYSCALL_DEFINE(getgroups, int size, unsigned int __user *list)
{
	return size < 0 ? -EINVAL : 0;
}

SYSCALL_DEFINE(setgroups, int size, const unsigned int __user *list)
{
	return size < 0 || size > NGROUPS_MAX ? -EINVAL : 0;
}

/* ------------------------------------------------------------------ */
/* uname, host and domain name */

static DEFINE_SPINLOCK(uts_lock);
static char uts_hostname[UTS_LEN];
static char uts_domainname[UTS_LEN] = "(none)";
static bool uts_hostname_ready;

/* The host name starts as hostname= on the command line. uts_lock held. */
static void uts_hostname_init_locked(void)
{
	const char *name;

	if (uts_hostname_ready)
		return;
	name = cmdline_get("hostname");
	strlcpy(uts_hostname, name && *name ? name : "lego", sizeof(uts_hostname));
	uts_hostname_ready = true;
}

/* At start-up: the boot reports options nobody has read by its end. */
void uts_init(void)
{
	unsigned long flags;

	spin_lock_irqsave(&uts_lock, flags);
	uts_hostname_init_locked();
	spin_unlock_irqrestore(&uts_lock, flags);
}

SYSCALL_DEFINE(uname, struct utsname_abi __user *buf)
{
	struct utsname_abi u;
	unsigned long flags;

	memset(&u, 0, sizeof(u));
	/* what programs that look at the kernel version expect of Linux */
	strlcpy(u.sysname, "Linux", UTS_LEN);
	strlcpy(u.release, "6.1.0-lego", UTS_LEN);
	strlcpy(u.version, "#1 SMP LegoOS", UTS_LEN);
	strlcpy(u.machine, "x86_64", UTS_LEN);
	spin_lock_irqsave(&uts_lock, flags);
	uts_hostname_init_locked();
	memcpy(u.nodename, uts_hostname, UTS_LEN);
	memcpy(u.domainname, uts_domainname, UTS_LEN);
	spin_unlock_irqrestore(&uts_lock, flags);

	if (copy_to_user(buf, &u, sizeof(u)))
		return -EFAULT;
	return 0;
}

/* A name of len bytes (not NUL-terminated) into dst: the kernel-wide setting. */
static long set_uts_name(char *dst, const char __user *name, int len)
{
	char tmp[UTS_LEN];
	unsigned long flags;

	if (len < 0 || len >= UTS_LEN)
		return -EINVAL;
	memset(tmp, 0, sizeof(tmp));
	if (copy_from_user(tmp, name, len))
		return -EFAULT;
	spin_lock_irqsave(&uts_lock, flags);
	/* first, or the command line's name would later replace this one */
	uts_hostname_init_locked();
	memcpy(dst, tmp, UTS_LEN);
	spin_unlock_irqrestore(&uts_lock, flags);
	return 0;
}

SYSCALL_DEFINE(sethostname, const char __user *name, int len)
{
	return set_uts_name(uts_hostname, name, len);
}

SYSCALL_DEFINE(setdomainname, const char __user *name, int len)
{
	return set_uts_name(uts_domainname, name, len);
}

/* ------------------------------------------------------------------ */
/* getrandom */

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004
#define GETRANDOM_CHUNK	256
#define GETRANDOM_MAX	0x7fffffffUL	/* as Linux: one call returns at most INT_MAX */

/*
 * The generator is ready from boot and never blocks, so the flags only
 * need checking: GRND_RANDOM, GRND_NONBLOCK and GRND_INSECURE all get the
 * same bytes.
 */
SYSCALL_DEFINE(getrandom, char __user *buf, size_t count, unsigned int flags)
{
	u8 chunk[GETRANDOM_CHUNK];
	size_t done = 0, n, missed;
	long ret = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	count = min(count, (size_t)GETRANDOM_MAX);

	while (done < count) {
		n = min(count - done, sizeof(chunk));
		get_random_bytes(chunk, n);
		missed = copy_to_user(buf + done, chunk, n);
		done += n - missed;
		if (missed) {
			if (!done)
				ret = -EFAULT;
			break;
		}
		/* a big request gives way to a signal with what it has */
		if (done < count && signal_pending(current))
			break;
	}
	/* the bytes handed out are not left behind on the kernel stack */
	memset(chunk, 0, sizeof(chunk));
	barrier();
	return ret ? ret : (long)done;
}

/* ------------------------------------------------------------------ */
/* resource limits */

/*
 * Get and/or set limit resource of the process pid names (0: current's).
 * signal->rlim is under the group's siglock; tasklist_lock keeps the task
 * found from going away meanwhile.
 */
static int do_prlimit(int pid, unsigned int resource, const struct rlimit64 *new,
		      struct rlimit64 *old)
{
	struct task_struct *t;
	struct rlimit64 *rlim;
	unsigned long flags;
	int ret = 0;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		/* Linux's nr_open check: the file table is this big, no bigger */
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
			return -EPERM;
	}

	spin_lock_irqsave(&tasklist_lock, flags);
	t = pid ? find_task_by_pid(pid) : current;
	if (!t || !t->sighand || !t->signal) {
		ret = -ESRCH;
		goto out;
	}
	spin_lock(&t->sighand->siglock);
	rlim = &t->signal->rlim[resource];
	if (old)
		*old = *rlim;
	if (new)
		*rlim = *new;
	spin_unlock(&t->sighand->siglock);
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE(prlimit64, int pid, unsigned int resource, const struct rlimit64 __user *unew,
	       struct rlimit64 __user *uold)
{
	struct rlimit64 new, old;
	int err;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	err = do_prlimit(pid, resource, unew ? &new : NULL, uold ? &old : NULL);
	if (err)
		return err;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* On x86-64 struct rlimit is two unsigned longs: the same as rlimit64. */
SYSCALL_DEFINE(getrlimit, unsigned int resource, struct rlimit64 __user *urlim)
{
	struct rlimit64 old;
	int err = do_prlimit(0, resource, NULL, &old);

	if (err)
		return err;
	if (copy_to_user(urlim, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(setrlimit, unsigned int resource, const struct rlimit64 __user *urlim)
{
	struct rlimit64 new;

	if (copy_from_user(&new, urlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(0, resource, &new, NULL);
}

/* ------------------------------------------------------------------ */
/* scheduling */

#define SCHED_OTHER	0
#define SCHED_FIFO	1
#define SCHED_RR	2
#define SCHED_BATCH	3
#define SCHED_IDLE	5

#define PRIO_PROCESS	0
#define PRIO_PGRP	1
#define PRIO_USER	2

/* Bytes in the affinity mask: a whole number of u64s, as Linux's unsigned longs. */
#define CPUMASK_BYTES	(DIV_ROUND_UP(NR_CPUS, 64) * 8)

/* The CPU the task pid names (0: current) is bound to, CPU_ANY if none: 0 or -ESRCH. */
static int task_allowed_cpu(int pid, int *cpu)
{
	struct task_struct *t;
	unsigned long flags;
	int ret = 0;

	if (!pid) {
		*cpu = current->allowed_cpu;
		return 0;
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid(pid);
	if (t)
		*cpu = t->allowed_cpu;
	else
		ret = -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE(sched_yield, void)
{
	yield();
	return 0;
}

/* Like Linux, returns how many bytes of the mask it wrote. */
SYSCALL_DEFINE(sched_getaffinity, int pid, unsigned int len, u64 __user *umask)
{
	u64 mask[CPUMASK_BYTES / 8];
	int cpu, allowed, err;

	if (len < CPUMASK_BYTES || (len & (sizeof(u64) - 1)))
		return -EINVAL;
	err = task_allowed_cpu(pid, &allowed);
	if (err)
		return err;
	memset(mask, 0, sizeof(mask));
	for_each_online_cpu(cpu)
		if (allowed == CPU_ANY || allowed == cpu)
			mask[cpu / 64] |= 1ULL << (cpu % 64);
	if (copy_to_user(umask, mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/*
 * Accepted and not applied: the scheduler's one queue runs a user task
 * on any CPU. A mask without an online CPU is refused, as in Linux.
 */
SYSCALL_DEFINE(sched_setaffinity, int pid, unsigned int len, const u64 __user *umask)
{
	u64 mask[CPUMASK_BYTES / 8];
	int cpu, allowed, err;

	err = task_allowed_cpu(pid, &allowed);
	if (err)
		return err;
	memset(mask, 0, sizeof(mask));
	if (copy_from_user(mask, umask, min((size_t)len, sizeof(mask))))
		return -EFAULT;
	for_each_online_cpu(cpu)
		if (mask[cpu / 64] & (1ULL << (cpu % 64)))
			return 0;
	return -EINVAL;
}

SYSCALL_DEFINE(sched_getscheduler, int pid)
{
	int cpu, err;

	if (pid < 0)
		return -EINVAL;
	err = task_allowed_cpu(pid, &cpu);
	return err ? err : SCHED_OTHER;
}

/* struct sched_param is one int, the static priority: 0 for SCHED_OTHER. */
SYSCALL_DEFINE(sched_getparam, int pid, int __user *param)
{
	int cpu, err;

	if (!param || pid < 0)
		return -EINVAL;
	err = task_allowed_cpu(pid, &cpu);
	if (err)
		return err;
	return put_user(0, param);
}

SYSCALL_DEFINE(sched_get_priority_max, int policy)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return 99;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
		return 0;
	}
	return -EINVAL;
}

SYSCALL_DEFINE(sched_get_priority_min, int policy)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return 1;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
		return 0;
	}
	return -EINVAL;
}

/* The system call returns 20 - nice (so that it is never negative): nice 0. */
SYSCALL_DEFINE(getpriority, int which, int who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	return 20;
}

SYSCALL_DEFINE(setpriority, int which, int who, int niceval)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* sysinfo, getrusage */

/* Live threads of every process. */
static unsigned int count_threads(void)
{
	struct task_struct *p;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	for_each_process(p)
		if (p->signal)
			n += READ_ONCE(p->signal->nr_threads);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

/* Memory is this node's page allocator: user memory lives on the memory manager. */
SYSCALL_DEFINE(sysinfo, struct sysinfo_abi __user *info)
{
	struct sysinfo_abi si;
	unsigned long loads[3];
	int i;

	memset(&si, 0, sizeof(si));
	/* a second begun counts, as in Linux */
	si.uptime = DIV_ROUND_UP(ktime_get_ns(), NSEC_PER_SEC);
	/* sysinfo's load unit is 1 << 16 */
	sched_get_loadavg(loads);
	for (i = 0; i < 3; i++)
		si.loads[i] = (u64)loads[i] << (16 - LOAD_FSHIFT);
	si.totalram = totalram_pages() * PAGE_SIZE;
	si.freeram = nr_free_pages() * PAGE_SIZE;
	si.procs = min(count_threads(), 0xffffU);
	si.mem_unit = 1;
	if (copy_to_user(info, &si, sizeof(si)))
		return -EFAULT;
	return 0;
}

/* CPU times only: the other fields are not counted and read 0. */
SYSCALL_DEFINE(getrusage, int who, struct rusage_abi __user *ru)
{
	struct rusage_abi r;
	struct cputime ct;

	switch (who) {
	case RUSAGE_SELF:
		process_cputime(current, &ct);
		break;
	case RUSAGE_CHILDREN:
		children_cputime(&ct);
		break;
	case RUSAGE_THREAD:
		thread_cputime(current, &ct);
		break;
	default:
		return -EINVAL;
	}
	memset(&r, 0, sizeof(r));
	r.ru_utime = ns_to_timeval(ct.utime_ns);
	r.ru_stime = ns_to_timeval(ct.stime_ns);
	if (copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}
