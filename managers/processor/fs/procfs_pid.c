// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID: what a process is (stat, status), runs (cmdline, comm, exe)
 * and has mapped (maps, from the memory manager, M_OP_MAPS). A process is
 * looked at under tasklist_lock, which also covers a task changing its mm
 * (exec, exit): its mm is pinned with mmgrab and read after. The
 * arguments are those exec laid out (mm->cmdline); resident memory is
 * what the ExCache holds of the process.
 */
#include <lego/cputime.h>
#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/process.h>
#include <lego/sched.h>
#include <lego/signal.h>
#include <lego/slab.h>
#include <lego/smp.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/tty.h>
#include "internal.h"
#include "procfs.h"

#define CONSOLE_DEV		STAT_MKDEV(5u, 1u)	/* /dev/console, as pseudo.c has it */
#define MAPS_TEXT_MAX		(64 * 1024)	/* what M_OP_MAPS answers at most */
#define MAPS_TIMEOUT_NS		(5ULL * NSEC_PER_SEC)
#define CAP_FULL_SET		0x000001ffffffffffULL	/* root's: every capability */

/* ---------------------------------------------------------- processes */

static char task_state_char(const struct task_struct *t)
{
	if (t->exit_state == EXIT_ZOMBIE)
		return 'Z';
	if (t->exit_state == EXIT_DEAD)
		return 'X';
	switch (READ_ONCE(t->state)) {
	case TASK_RUNNING:
		return 'R';
	case TASK_INTERRUPTIBLE:
		return 'S';
	case TASK_UNINTERRUPTIBLE:
		return 'D';
	}
	/* the leader thread has ended while the others go on */
	return 'Z';
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R':
		return "running";
	case 'S':
		return "sleeping";
	case 'D':
		return "disk sleep";
	case 'Z':
		return "zombie";
	}
	return "dead";
}

/* Actions, pending and blocked signals. tasklist_lock held. */
static void proc_task_signals(struct task_struct *t, struct proc_task *pt)
{
	struct sighand_struct *sh = t->sighand;
	struct signal_struct *sig = t->signal;
	int i;

	spin_lock(&sh->siglock);
	pt->pending = t->pending.signal.sig;
	pt->shared_pending = sig->shared_pending.signal.sig;
	pt->blocked = t->blocked.sig;
	for (i = 0; i < NSIG; i++) {
		u64 h = sh->action[i].sa.sa_handler;

		if (h == SIG_IGN)
			pt->ignored |= 1ULL << i;
		else if (h != SIG_DFL)
			pt->caught |= 1ULL << i;
	}
	pt->pgrp = sig->pgrp;
	pt->session = sig->session;
	pt->nr_threads = sig->nr_threads;
	pt->cutime_ns = sig->cutime_ns;
	pt->cstime_ns = sig->cstime_ns;
	pt->rlim_rss = sig->rlim[RLIMIT_RSS].rlim_cur;
	spin_unlock(&sh->siglock);
}

/* The address space of t's process (a thread that ended let go of it). tasklist_lock held. */
static struct mm_struct *proc_task_mm(struct task_struct *t)
{
	struct task_struct *th;

	if (t->mm)
		return t->mm;
	list_for_each_entry(th, &t->signal->threads, thread_node)
		if (th->mm)
			return th->mm;
	return NULL;
}

/* Copy what /proc shows of task pid. 0, or -ENOENT if there is none. */
int proc_task_get(int pid, struct proc_task *pt)
{
	struct task_struct *t, *leader;
	struct cputime ct = { 0, 0 };
	unsigned long flags;

	memset(pt, 0, sizeof(*pt));
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid(pid);
	if (!t || t->exit_state == EXIT_DEAD || !t->signal || !t->sighand) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -ENOENT;
	}
	leader = t->group_leader;
	pt->pid = t->pid;
	pt->tgid = t->tgid;
	pt->ppid = leader->parent ? leader->parent->tgid : 0;
	memcpy(pt->comm, t->comm, sizeof(pt->comm));
	pt->comm[sizeof(pt->comm) - 1] = '\0';
	pt->state = task_state_char(t);
	pt->exit_signal = leader->exit_signal;
	pt->exit_code = leader->exit_state ? leader->exit_code : 0;
	pt->cpu = t->cpu;
	pt->allowed_cpu = t->allowed_cpu;
	pt->no_new_privs = t->no_new_privs;
	pt->start_ns = leader->start_time_ns;
	proc_task_signals(t, pt);
	if (leader->exit_state) {
		/* a zombie: its leader still counts until reaped, its time is all there */
		pt->nr_threads = max(pt->nr_threads, 1);
		ct.utime_ns = leader->utime_ns;
		ct.stime_ns = leader->stime_ns;
	} else {
		process_cputime(t, &ct);
	}
	pt->utime_ns = ct.utime_ns;
	pt->stime_ns = ct.stime_ns;
	pt->mm = proc_task_mm(t);
	if (pt->mm)
		mmgrab(pt->mm);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

void proc_task_put(struct proc_task *pt)
{
	if (pt->mm)
		mmdrop(pt->mm);
	pt->mm = NULL;
}

bool proc_task_exists(int pid)
{
	struct task_struct *t;
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid(pid);
	ret = t && t->exit_state != EXIT_DEAD;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

u64 ns_to_ticks(u64 ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

/* ---------------------------------------------------------- the memory map */

/* What the memory manager says of the address space, summed up. */
struct proc_vm {
	u64 size, data, stack, exe;		/* bytes */
	u64 start_code, end_code;		/* the first executable mapping */
};

/* The memory manager's maps text for mm into a new buffer (*len bytes), or NULL. */
static char *proc_maps_text(struct mm_struct *mm, size_t *len)
{
	struct m_pid_req req = { .pid = mm->pid };
	char *buf = kmalloc(MAPS_TEXT_MAX + 1, GFP_KERNEL);
	long ret;

	if (!buf)
		return NULL;
	ret = fit_call(mm->mem_node, M_OP_MAPS, &req, sizeof(req), buf, MAPS_TEXT_MAX,
		       MAPS_TIMEOUT_NS);
	if (ret < 0) {
		kfree(buf);
		return NULL;
	}
	buf[ret] = '\0';
	*len = ret;
	return buf;
}

/* One maps line, eol its end: "start-end perms offset dev inode [name]". */
static void proc_vm_add_line(struct proc_vm *vm, const char *line, const char *eol)
{
	const char *perms;
	u64 start, end, len;
	char *p;

	start = simple_strtoull(line, &p, 16);
	if (*p != '-')
		return;
	end = simple_strtoull(p + 1, &p, 16);
	if (*p != ' ' || end < start || eol - p < 5)
		return;
	perms = p + 1;
	len = end - start;
	vm->size += len;
	if (eol - line > 7 && !memcmp(eol - 7, "[stack]", 7))
		vm->stack += len;
	else if (perms[1] == 'w' && perms[3] == 'p')
		vm->data += len;
	if (perms[2] == 'x') {
		vm->exe += len;
		if (!vm->end_code) {
			vm->start_code = start;
			vm->end_code = end;
		}
	}
}

static void proc_vm_get(struct mm_struct *mm, struct proc_vm *vm)
{
	char *text, *line, *eol;
	size_t len;

	memset(vm, 0, sizeof(*vm));
	if (!mm)
		return;
	text = proc_maps_text(mm, &len);
	if (!text)
		return;
	for (line = text; *line; line = eol + 1) {
		eol = strchr(line, '\n');
		if (!eol)
			eol = line + strlen(line);
		proc_vm_add_line(vm, line, eol);
		if (!*eol)
			break;
	}
	kfree(text);
}

/* Pages of the process in this processor's ExCache: what is resident here. */
static u64 proc_rss_pages(struct mm_struct *mm)
{
	long n = mm ? atomic_long_read(&mm->nr_lines) : 0;

	return n > 0 ? (u64)n : 0;
}

/* ---------------------------------------------------------- /proc/PID files */

/* The controlling terminal (tty_nr) and its foreground group, as stat shows them. */
static void proc_task_tty(const struct proc_task *pt, u32 *tty_nr, int *tpgid)
{
	struct tty_struct *tty = READ_ONCE(console_tty);

	*tty_nr = 0;
	*tpgid = -1;
	if (tty && pt->session && tty_get_session(tty) == pt->session) {
		*tty_nr = CONSOLE_DEV;
		*tpgid = tty_get_pgrp(tty);
	}
}

/* Linux's stat line: 52 fields, those that mean nothing here are 0. */
static ssize_t show_stat(struct proc_task *pt, char *buf, size_t size)
{
	struct mm_struct *mm = pt->mm;
	struct proc_vm vm;
	u32 tty_nr;
	int tpgid;

	proc_vm_get(mm, &vm);
	proc_task_tty(pt, &tty_nr, &tpgid);
	return scnprintf(buf, size,
		"%d (%s) %c %d %d %d %u %d 0 0 0 0 0 %llu %llu %llu %llu 20 0 %d 0 %llu "
		"%llu %llu %llu %llu %llu %lu 0 0 %llu %llu %llu %llu 0 0 0 %d %d 0 0 0 0 0 "
		"0 0 %lu %lu %lu %lu %lu %d\n",
		pt->pid, pt->comm, pt->state, pt->ppid, pt->pgrp, pt->session, tty_nr, tpgid,
		ns_to_ticks(pt->utime_ns), ns_to_ticks(pt->stime_ns),
		ns_to_ticks(pt->cutime_ns), ns_to_ticks(pt->cstime_ns),
		pt->nr_threads, ns_to_ticks(pt->start_ns),
		vm.size, proc_rss_pages(mm), pt->rlim_rss, vm.start_code, vm.end_code,
		mm ? mm->start_stack : 0UL,
		pt->pending | pt->shared_pending, pt->blocked, pt->ignored, pt->caught,
		pt->exit_signal, pt->cpu,
		mm ? mm->start_brk : 0UL, mm ? mm->arg_start : 0UL, mm ? mm->arg_end : 0UL,
		mm ? mm->env_start : 0UL, mm ? mm->env_end : 0UL, pt->exit_code);
}

/* Cpus_allowed as a hex mask and as a list of ranges ("0-1"). */
static size_t show_cpus_allowed(const struct proc_task *pt, char *buf, size_t size)
{
	const char *sep = "";
	int cpu, first;
	u64 mask = 0;
	size_t len;

	for_each_online_cpu(cpu)
		if (pt->allowed_cpu == CPU_ANY || pt->allowed_cpu == cpu)
			mask |= 1ULL << cpu;
	len = scnprintf(buf, size, "Cpus_allowed:\t%llx\nCpus_allowed_list:\t", mask);
	for (cpu = 0; cpu < 64; cpu++) {
		if (!(mask & (1ULL << cpu)))
			continue;
		first = cpu;
		while (cpu + 1 < 64 && (mask & (1ULL << (cpu + 1))))
			cpu++;
		len += scnprintf(buf + len, size - len, "%s%d", sep, first);
		if (cpu > first)
			len += scnprintf(buf + len, size - len, "-%d", cpu);
		sep = ",";
	}
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

static ssize_t show_status(struct proc_task *pt, char *buf, size_t size)
{
	struct mm_struct *mm = pt->mm;
	struct proc_vm vm;
	size_t len;

	len = scnprintf(buf, size,
		"Name:\t%s\nState:\t%c (%s)\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		"TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\n"
		"NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		pt->comm, pt->state, state_name(pt->state), pt->tgid, pt->pid, pt->ppid,
		NR_OPEN_MAX, pt->tgid, pt->pid, pt->pgrp, pt->session);
	if (mm) {
		proc_vm_get(mm, &vm);
		len += scnprintf(buf + len, size - len,
			"VmSize:\t%8llu kB\nVmRSS:\t%8llu kB\nVmData:\t%8llu kB\n"
			"VmStk:\t%8llu kB\nVmExe:\t%8llu kB\n",
			vm.size >> 10, proc_rss_pages(mm) * (PAGE_SIZE >> 10), vm.data >> 10,
			vm.stack >> 10, vm.exe >> 10);
	}
	len += scnprintf(buf + len, size - len,
		"Threads:\t%d\nSigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
		"SigIgn:\t%016llx\nSigCgt:\t%016llx\n"
		"CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\n"
		"CapAmb:\t%016llx\nNoNewPrivs:\t%d\nSeccomp:\t0\nSeccomp_filters:\t0\n",
		pt->nr_threads, pt->pending, pt->shared_pending, pt->blocked,
		pt->ignored, pt->caught, 0ULL, CAP_FULL_SET, CAP_FULL_SET, CAP_FULL_SET, 0ULL,
		pt->no_new_privs);
	len += show_cpus_allowed(pt, buf + len, size - len);
	return len;
}

static ssize_t show_cmdline(struct proc_task *pt, char *buf, size_t size)
{
	struct mm_struct *mm = pt->mm;
	size_t len = 0;

	if (!mm)
		return 0;	/* a zombie's arguments went with its memory */
	mutex_lock(&mm->mmap_lock);
	if (mm->cmdline) {
		len = min(mm->cmdline_len, size);
		memcpy(buf, mm->cmdline, len);
	}
	mutex_unlock(&mm->mmap_lock);
	return len;
}

static ssize_t show_comm(struct proc_task *pt, char *buf, size_t size)
{
	return scnprintf(buf, size, "%s\n", pt->comm);
}

static ssize_t show_maps(struct proc_task *pt, char *buf, size_t size)
{
	char *text;
	size_t len;

	if (!pt->mm)
		return 0;
	text = proc_maps_text(pt->mm, &len);
	if (!text)
		return -EIO;
	len = min(len, size);
	memcpy(buf, text, len);
	kfree(text);
	return len;
}

/* Every process sees the same mounts. */
ssize_t proc_show_mounts(struct proc_task *pt, char *buf, size_t size)
{
	return mounts_format(buf, size);
}

static ssize_t link_exe(struct proc_task *pt, char *buf, size_t size)
{
	struct mm_struct *mm = pt->mm;
	size_t len;

	if (!mm || !mm->exe_path[0])
		return -ENOENT;
	len = strnlen(mm->exe_path, sizeof(mm->exe_path));
	len = min(len, size);
	memcpy(buf, mm->exe_path, len);
	return len;
}

const struct proc_entry proc_pid_files[] = {
	PROC_FILE("cmdline", show_cmdline, MM_CMDLINE_MAX),
	PROC_FILE("comm", show_comm, TASK_COMM_LEN + 1),
	PROC_LINK("exe", link_exe),
	PROC_FILE("maps", show_maps, MAPS_TEXT_MAX),
	PROC_FILE("mounts", proc_show_mounts, 512),
	PROC_FILE("stat", show_stat, 1024),
	PROC_FILE("status", show_status, 2048),
};
const unsigned int nr_proc_pid_files = ARRAY_SIZE(proc_pid_files);
