// SPDX-License-Identifier: GPL-2.0
/*
 * Pseudo-files served by the processor itself, looked up by exact path
 * before a request goes to the file server: the /dev character devices
 * programs expect, /proc/excache (ExCache counters and run-time
 * configuration), /proc/cpuinfo and /proc/meminfo. The rest of /proc
 * (its listing, the processes, self) is procfs.c's, which is asked about
 * every path this table does not have. /dev is not listed: it exists
 * only if the archive has it.
 */
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/mm_types.h>
#include <lego/printk.h>
#include <lego/random.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/smp.h>
#include <lego/string.h>
#include <lego/uaccess.h>
#include <asm/processor.h>
#include "internal.h"

#define MEM_MAJOR		1	/* /dev/null 1:3, zero 1:5, full 1:7, random 1:8, urandom 1:9 */
#define EXCACHE_SPEC_MAX	256

/* ---------------------------------------------------------- /dev/null & co */

static ssize_t null_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
	return 0;
}

static ssize_t sink_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
	return len;
}

static ssize_t zero_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
	size_t left = clear_user(buf, len);

	if (left == len && len)
		return -EFAULT;
	return len - left;
}

static ssize_t full_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
	return -ENOSPC;
}

static ssize_t random_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
	u8 chunk[256];
	size_t done = 0;

	while (done < len) {
		size_t n = min(len - done, sizeof(chunk));

		get_random_bytes(chunk, n);
		if (copy_to_user(buf + done, chunk, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return done;
}

/* Devices stat through the pseudo table: the file keeps its entry. */
static int pseudo_file_stat(struct file *f, struct lego_stat *st);

static const struct file_operations null_fops = {
	.read = null_read, .write = sink_write, .stat = pseudo_file_stat, .seekable = true,
};
static const struct file_operations zero_fops = {
	.read = zero_read, .write = sink_write, .stat = pseudo_file_stat, .seekable = true,
};
static const struct file_operations full_fops = {
	.read = zero_read, .write = full_write, .stat = pseudo_file_stat, .seekable = true,
};
static const struct file_operations random_fops = {
	.read = random_read, .write = sink_write, .stat = pseudo_file_stat, .seekable = true,
};

/* ---------------------------------------------------------- /proc text files */

ssize_t text_snap_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
	struct text_snap *snap = f->private_data;
	size_t n;

	if (*pos >= snap->len)
		return 0;
	n = min(len, (size_t)(snap->len - *pos));
	if (copy_to_user(buf, snap->text + *pos, n))
		return -EFAULT;
	*pos += n;
	return n;
}

void text_snap_release(struct file *f)
{
	kfree(f->private_data);
}

/* /proc/excache takes a configuration line, as excache_configure parses it. */
static ssize_t excache_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
	char spec[EXCACHE_SPEC_MAX];
	size_t n = len;
	int ret;

	if (len >= sizeof(spec))
		return -EINVAL;
	if (copy_from_user(spec, buf, len))
		return -EFAULT;
	/* "echo ways=4 > /proc/excache" brings a newline along */
	while (n && (spec[n - 1] == '\n' || spec[n - 1] == ' ' || spec[n - 1] == '\t'))
		n--;
	spec[n] = '\0';
	ret = excache_configure(spec);
	return ret ? ret : (ssize_t)len;
}

static const struct file_operations proc_ro_fops = {
	.read = text_snap_read, .stat = pseudo_file_stat, .release = text_snap_release,
	.seekable = true,
};
static const struct file_operations proc_excache_fops = {
	.read = text_snap_read, .write = excache_write, .stat = pseudo_file_stat,
	.release = text_snap_release, .seekable = true,
};

static size_t gen_excache(char *buf, size_t size)
{
	return excache_format_stats(buf, size);
}

static size_t gen_meminfo(char *buf, size_t size)
{
	u64 total = totalram_pages() * (PAGE_SIZE / 1024);
	u64 free = nr_free_pages() * (PAGE_SIZE / 1024);

	return scnprintf(buf, size,
			 "MemTotal:       %8llu kB\n"
			 "MemFree:        %8llu kB\n"
			 "MemAvailable:   %8llu kB\n"
			 "Buffers:        %8u kB\n"
			 "Cached:         %8u kB\n"
			 "SwapCached:     %8u kB\n"
			 "SwapTotal:      %8u kB\n"
			 "SwapFree:       %8u kB\n"
			 /* no shared memory here, nor caches the kernel could give back */
			 "Shmem:          %8u kB\n"
			 "SReclaimable:   %8u kB\n",
			 total, free, free, 0, 0, 0, 0, 0, 0, 0);
}

struct cpu_flag {
	u8 reg;		/* 0: leaf 1 edx, 1: leaf 1 ecx, 2: leaf 0x80000001 edx */
	u8 bit;
	const char *name;
};

static const struct cpu_flag cpu_flags[] = {
	{ 0, 0, "fpu" }, { 0, 4, "tsc" }, { 0, 5, "msr" }, { 0, 6, "pae" },
	{ 0, 8, "cx8" }, { 0, 9, "apic" }, { 0, 11, "sep" }, { 0, 15, "cmov" },
	{ 0, 16, "pat" }, { 0, 19, "clflush" }, { 0, 23, "mmx" }, { 0, 24, "fxsr" },
	{ 0, 25, "sse" }, { 0, 26, "sse2" }, { 2, 11, "syscall" }, { 2, 20, "nx" },
	{ 2, 29, "lm" }, { 1, 0, "pni" }, { 1, 1, "pclmulqdq" }, { 1, 9, "ssse3" },
	{ 1, 13, "cx16" }, { 1, 19, "sse4_1" }, { 1, 20, "sse4_2" }, { 1, 23, "popcnt" },
	{ 1, 25, "aes" }, { 1, 26, "xsave" }, { 1, 28, "avx" }, { 1, 30, "rdrand" },
	{ 1, 31, "hypervisor" },
};

static size_t gen_cpu_flags(char *buf, size_t size)
{
	u32 a, b, regs[3] = { 0, 0, 0 }, max_ext;
	size_t len = 0;
	unsigned int i;

	cpuid(1, &a, &b, &regs[1], &regs[0]);
	cpuid(0x80000000, &max_ext, &a, &b, &regs[2]);
	regs[2] = 0;
	if (max_ext >= 0x80000001)
		cpuid(0x80000001, &a, &b, &max_ext, &regs[2]);
	for (i = 0; i < ARRAY_SIZE(cpu_flags); i++)
		if (regs[cpu_flags[i].reg] & (1u << cpu_flags[i].bit))
			len += scnprintf(buf + len, size - len, "%s%s", len ? " " : "",
					 cpu_flags[i].name);
	return len;
}

static size_t gen_cpuinfo(char *buf, size_t size)
{
	u32 vendor[4] = { 0 }, brand[13] = { 0 }, sig, a, b, c, d;
	unsigned int family, model, cpu, n = num_online_cpus();
	char flags[512];
	size_t len = 0;

	cpuid(0, &a, &vendor[0], &vendor[2], &vendor[1]);
	cpuid(1, &sig, &b, &c, &d);
	family = (sig >> 8) & 0xf;
	model = (sig >> 4) & 0xf;
	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 6)
		model |= ((sig >> 16) & 0xf) << 4;
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000004)
		for (a = 0; a < 3; a++)
			cpuid(0x80000002 + a, &brand[a * 4], &brand[a * 4 + 1],
			      &brand[a * 4 + 2], &brand[a * 4 + 3]);
	gen_cpu_flags(flags, sizeof(flags));
	for (cpu = 0; cpu < n && len < size; cpu++)
		len += scnprintf(buf + len, size - len,
				 "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\n"
				 "model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n"
				 "physical id\t: 0\nsiblings\t: %u\ncore id\t\t: %u\n"
				 "cpu cores\t: %u\nfpu\t\t: yes\nflags\t\t: %s\n\n",
				 cpu, (char *)vendor, family, model,
				 brand[0] ? (char *)brand : "unknown", sig & 0xf,
				 n, cpu, n, flags);
	return len;
}

/* ---------------------------------------------------------- the table */

enum pseudo_kind { PSEUDO_DEV, PSEUDO_TTY, PSEUDO_TEXT, PSEUDO_LINK };

struct pseudo_entry {
	const char *path;
	enum pseudo_kind kind;
	u32 mode;
	u32 rdev;
	const struct file_operations *fops;
	size_t (*gen)(char *buf, size_t size);		/* PSEUDO_TEXT */
	size_t gen_size;
	ssize_t (*link)(char *buf, size_t size);	/* PSEUDO_LINK */
};

#define PSEUDO_DEVICE(p, m, minor, f) \
	{ .path = p, .kind = PSEUDO_DEV, .mode = S_IFCHR | (m), \
	  .rdev = STAT_MKDEV(MEM_MAJOR, minor), .fops = f }
#define PSEUDO_TERMINAL(p, m, minor) \
	{ .path = p, .kind = PSEUDO_TTY, .mode = S_IFCHR | (m), .rdev = STAT_MKDEV(5u, minor) }
#define PSEUDO_PROC_TEXT(p, m, f, g, size) \
	{ .path = p, .kind = PSEUDO_TEXT, .mode = S_IFREG | (m), .fops = f, .gen = g, \
	  .gen_size = size }

static const struct pseudo_entry pseudo_table[] = {
	PSEUDO_DEVICE("/dev/null", 0666, 3u, &null_fops),
	PSEUDO_DEVICE("/dev/zero", 0666, 5u, &zero_fops),
	PSEUDO_DEVICE("/dev/full", 0666, 7u, &full_fops),
	PSEUDO_DEVICE("/dev/random", 0666, 8u, &random_fops),
	PSEUDO_DEVICE("/dev/urandom", 0666, 9u, &random_fops),
	PSEUDO_TERMINAL("/dev/tty", 0666, 0u),
	PSEUDO_TERMINAL("/dev/console", 0620, 1u),
	PSEUDO_PROC_TEXT("/proc/excache", 0644, &proc_excache_fops, gen_excache, 4096),
	PSEUDO_PROC_TEXT("/proc/meminfo", 0444, &proc_ro_fops, gen_meminfo, 1024),
	/* size 0: depends on the number of CPUs */
	PSEUDO_PROC_TEXT("/proc/cpuinfo", 0444, &proc_ro_fops, gen_cpuinfo, 0),
};

static const struct pseudo_entry *pseudo_lookup(const char *path)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pseudo_table); i++)
		if (!strcmp(pseudo_table[i].path, path))
			return &pseudo_table[i];
	return NULL;
}

static void pseudo_entry_stat(const struct pseudo_entry *e, struct lego_stat *st)
{
	u32 dev = e->kind == PSEUDO_DEV || e->kind == PSEUDO_TTY ? DEV_DEVTMPFS : DEV_PROCFS;

	local_stat(st, e->mode, dev, e->rdev, 0x1000 + (e - pseudo_table));
}

static int pseudo_file_stat(struct file *f, struct lego_stat *st)
{
	const struct pseudo_entry *e = pseudo_lookup(f->path);

	if (!e)
		return -ENOENT;
	pseudo_entry_stat(e, st);
	return 0;
}

/* Follow a pseudo symlink: its target into a new LEGO_PATH_MAX buffer. */
static char *pseudo_target(const struct pseudo_entry *e)
{
	char *target = kmalloc(LEGO_PATH_MAX, GFP_KERNEL);
	ssize_t n;

	if (!target)
		return ERR_PTR(-ENOMEM);
	n = e->link(target, LEGO_PATH_MAX - 1);
	if (n < 0) {
		kfree(target);
		return ERR_PTR(n);
	}
	target[n] = '\0';
	return target;
}

unsigned int pseudo_list_dir(const char *dir, void (*fn)(void *arg, const char *name,
							u32 mode, u64 ino), void *arg)
{
	size_t dlen = strlen(dir);
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(pseudo_table); i++) {
		const struct pseudo_entry *e = &pseudo_table[i];
		const char *name = e->path + dlen + 1;

		if (strncmp(e->path, dir, dlen) || e->path[dlen] != '/' || strchr(name, '/'))
			continue;
		n++;
		if (fn)
			fn(arg, name, e->mode, 0x1000 + i);
	}
	return n;
}

int pseudo_stat(const char *path, bool follow, struct lego_stat *st)
{
	const struct pseudo_entry *e = pseudo_lookup(path);
	char *target;
	int ret;

	if (!e)
		return procfs_stat(path, follow, st);
	if (e->kind != PSEUDO_LINK || !follow) {
		pseudo_entry_stat(e, st);
		return 0;
	}
	target = pseudo_target(e);
	if (IS_ERR(target))
		return PTR_ERR(target);
	ret = stat_path(target, true, false, st);
	kfree(target);
	return ret;
}

ssize_t pseudo_readlink(const char *path, char *buf, size_t size)
{
	const struct pseudo_entry *e = pseudo_lookup(path);

	if (!e)
		return procfs_readlink(path, buf, size);
	if (e->kind != PSEUDO_LINK)
		return -EINVAL;
	return e->link(buf, size);
}

static struct file *text_open(const struct pseudo_entry *e, const char *path, unsigned int flags)
{
	size_t size = e->gen_size ? e->gen_size : 1024 + 1024 * (size_t)num_online_cpus();
	struct text_snap *snap = kmalloc(sizeof(*snap) + size, GFP_KERNEL);
	struct file *f;

	if (!snap)
		return ERR_PTR(-ENOMEM);
	snap->len = e->gen(snap->text, size);
	f = file_alloc(e->fops, flags, path);
	if (!f) {
		kfree(snap);
		return ERR_PTR(-ENOMEM);
	}
	f->private_data = snap;
	return f;
}

/* A pseudo-file opened by path, ERR_PTR(-ENOENT) if path is not one. */
struct file *pseudo_open(const char *path, unsigned int flags)
{
	const struct pseudo_entry *e = pseudo_lookup(path);
	struct file *f;
	char *target;

	if (!e)
		return procfs_open(path, flags);
	if (e->kind == PSEUDO_LINK) {
		if (flags & O_NOFOLLOW)
			return ERR_PTR(-ELOOP);
		target = pseudo_target(e);
		if (IS_ERR(target))
			return ERR_PTR(PTR_ERR(target));
		f = file_open_path(target, flags, false);
		kfree(target);
		return f;
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return ERR_PTR(-EEXIST);
	if (flags & O_DIRECTORY)
		return ERR_PTR(-ENOTDIR);
	if (e->kind == PSEUDO_TTY)
		return console_open(flags, path);
	if (flags_writable(flags) && !e->fops->write)
		return ERR_PTR(-EACCES);
	if (e->kind == PSEUDO_TEXT) {
		f = text_open(e, path, flags);
	} else {
		f = file_alloc(e->fops, flags, path);
		if (!f)
			f = ERR_PTR(-ENOMEM);
	}
	if (!IS_ERR(f))
		f->i_mode = e->mode;
	return f;
}

void files_init(void)
{
	/* the table is static: only say what is served locally */
	pr_info("files: %zu pseudo-files (/dev, /proc); the rest from node %d\n",
		ARRAY_SIZE(pseudo_table), lego_files_node());
}
