// SPDX-License-Identifier: GPL-2.0
/*
 * ExCache set-up and control: the layout of the reserved region, boot
 * options, run-time reconfiguration, counters and the per-process report,
 * and the small services the fault and flush paths share (set locks,
 * waiting for lines in transit, the configuration gate).
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/fit.h>
#include <lego/mm_types.h>
#include <lego/mutex.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/time.h>
#include <lego/wait.h>
#include "internal.h"

#if defined(CONFIG_EXCACHE_POLICY_RANDOM)
#define EXC_DEFAULT_POLICY	EXC_POLICY_RANDOM
#elif defined(CONFIG_EXCACHE_POLICY_FIFO)
#define EXC_DEFAULT_POLICY	EXC_POLICY_FIFO
#else
#define EXC_DEFAULT_POLICY	EXC_POLICY_LRU
#endif

#define EXC_WAIT_BUCKETS	64

struct exc_cache exc;
DEFINE_SPINLOCK(exc_aux_lock);
bool exc_ready;

static spinlock_t *exc_set_locks;	/* one per set, in the region's head */
static unsigned long exc_max_lines;	/* slots the region has room for */
static phys_addr_t exc_data_base;	/* the first slot's page */
static bool exc_report;

static struct wait_queue_head exc_wq[EXC_WAIT_BUCKETS];
static u32 exc_gen[EXC_WAIT_BUCKETS];

/* The gate: excache_configure freezes the cache once no fault or flush is inside. */
static DEFINE_MUTEX(exc_config_mutex);
static DECLARE_WAIT_QUEUE_HEAD(exc_gate_wq);
static atomic_t exc_active = ATOMIC_INIT(0);
static bool exc_frozen;

static const struct exc_ops exc_kernel_ops;

spinlock_t *exc_set_lock(unsigned long set)
{
	return &exc_set_locks[set];
}

u32 exc_wait_snapshot(unsigned long set)
{
	return __atomic_load_n(&exc_gen[set % EXC_WAIT_BUCKETS], __ATOMIC_ACQUIRE);
}

void exc_wait(unsigned long set, u32 snapshot)
{
	unsigned int b = set % EXC_WAIT_BUCKETS;

	wait_event(exc_wq[b], __atomic_load_n(&exc_gen[b], __ATOMIC_ACQUIRE) != snapshot);
}

void exc_wake(unsigned long set)
{
	unsigned int b = set % EXC_WAIT_BUCKETS;

	__atomic_add_fetch(&exc_gen[b], 1, __ATOMIC_SEQ_CST);
	wake_up(&exc_wq[b]);
}

static bool exc_is_frozen(void)
{
	return __atomic_load_n(&exc_frozen, __ATOMIC_SEQ_CST);
}

void exc_enter(void)
{
	for (;;) {
		wait_event(exc_gate_wq, !exc_is_frozen());
		atomic_inc(&exc_active);
		if (!exc_is_frozen())
			return;
		/* lost the race with a reconfiguration: let it run first */
		if (atomic_sub_return(1, &exc_active) == 0)
			wake_up(&exc_gate_wq);
	}
}

void exc_leave(void)
{
	if (atomic_sub_return(1, &exc_active) == 0 && exc_is_frozen())
		wake_up(&exc_gate_wq);
}

static pte_t *exc_pte_of(struct mm_struct *mm, unsigned long va)
{
	pte_t *ptep;

	spin_lock(&mm->pt_lock);
	ptep = user_pte(mm->pgd, va, true);
	spin_unlock(&mm->pt_lock);
	return ptep;
}

static const struct exc_ops exc_kernel_ops = {
	.pte_of = exc_pte_of,
	.flush_tlb_page = flush_tlb_mm_page,
};

/* Relay the cache (no fault or flush may be running). */
static void exc_apply(const struct exc_config *cfg)
{
	unsigned long s;

	exc_layout(&exc, cfg, exc_data_base);
	for (s = 0; s < exc.nsets; s++)
		spin_lock_init(&exc_set_locks[s]);
}

static void exc_print_config(const char *what)
{
	pr_info("excache: %s %llu MB, %lu lines, %u ways, %lu sets, policy %s, victim %u\n",
		what, exc.cfg.size >> 20, exc.nr_lines, exc.cfg.ways, exc.nsets,
		exc_policy_name(exc.cfg.policy), exc.cfg.victim);
}

/* The configuration the boot command line asks for, or Kconfig's. */
static void exc_boot_config(struct exc_config *cfg)
{
	const char *policy = cmdline_get("excache.policy");
	unsigned long v;
	int p;

	cfg->size = (u64)exc_max_lines << PAGE_SHIFT;
	cfg->ways = CONFIG_EXCACHE_WAYS;
	cfg->victim = CONFIG_EXCACHE_VICTIM;
	cfg->policy = EXC_DEFAULT_POLICY;

	if (!cmdline_get_ulong("excache.ways", &v))
		cfg->ways = v <= EXC_MAX_WAYS ? v : 0;
	if (!cmdline_get_ulong("excache.victim", &v))
		cfg->victim = v <= EXC_MAX_VICTIM ? v : EXC_MAX_VICTIM + 1;
	if (policy) {
		p = exc_policy_parse(policy, strlen(policy));
		if (p < 0)
			pr_err("excache: unknown excache.policy=%s (fifo, lru, random)\n", policy);
		else
			cfg->policy = p;
	}
	exc_report = cmdline_get_bool("excache.report", false);

	if (exc_config_check(cfg, exc_max_lines)) {
		pr_err("excache: excache.ways=%u excache.victim=%u do not fit %lu lines; using %u ways, no victim cache\n",
		       cfg->ways, cfg->victim, exc_max_lines,
		       (unsigned int)min(CONFIG_EXCACHE_WAYS, EXC_MIN_LINES));
		cfg->ways = min(CONFIG_EXCACHE_WAYS, EXC_MIN_LINES);
		cfg->victim = 0;
	}
}

int excache_init(void)
{
	u64 slots = excache_region.size >> PAGE_SHIFT;
	u64 meta_pages;
	struct exc_config cfg;
	unsigned int i;

	if (!slots) {
		pr_err("excache: no region reserved: user processes cannot run\n");
		return -ENOMEM;
	}
	/* the line table and the set locks live in the region's first pages */
	meta_pages = DIV_ROUND_UP(slots * (sizeof(struct exc_line) + sizeof(spinlock_t)),
				  PAGE_SIZE);
	if (slots <= meta_pages + EXC_MIN_LINES) {
		pr_err("excache: region of %llu pages is too small\n", slots);
		return -ENOMEM;
	}
	exc_max_lines = slots - meta_pages;
	exc.lines = __va(excache_region.base);
	exc_set_locks = (spinlock_t *)(exc.lines + exc_max_lines);
	exc_data_base = excache_region.base + (meta_pages << PAGE_SHIFT);
	exc.ops = &exc_kernel_ops;
	exc.rand_state = ktime_get_ns() | 1;
	for (i = 0; i < EXC_WAIT_BUCKETS; i++)
		init_waitqueue_head(&exc_wq[i]);

	exc_boot_config(&cfg);
	exc_apply(&cfg);
	exc_ready = true;
	exc_print_config("cache");
	return 0;
}

/*
 * "rpc=N" written to /proc/excache: N plain FIT calls shaped like a miss
 * (32 B out, 4 KB back, FIT_OP_FILL, answered where it is received) to the
 * writer's memory manager, so that a benchmark can set miss_ns_avg
 * against the wire in the same conditions (make bench-excache). The
 * figures are shown with the counters as rpc4k_calls, rpc4k_ns_avg and
 * rpc4k_ns_median; "reset" leaves them.
 */
#define EXC_RPC_MAX_CALLS	10000

static u64 exc_rpc_calls, exc_rpc_mean_ns, exc_rpc_median_ns;

static int exc_rpc_probe(const char *spec)
{
	unsigned long long calls;
	u64 mean, med;
	char *end;
	int node, ret;

	calls = simple_strtoull(spec, &end, 10);
	if (end == spec || *end || !calls || calls > EXC_RPC_MAX_CALLS)
		return -EINVAL;
	node = current->mm ? current->mm->mem_node : lego_memory_node();
	ret = fit_bench_rtt(node, 32, PAGE_SIZE, calls, &mean, &med);
	if (ret)
		return ret;
	__atomic_store_n(&exc_rpc_mean_ns, mean, __ATOMIC_RELAXED);
	__atomic_store_n(&exc_rpc_median_ns, med, __ATOMIC_RELAXED);
	__atomic_store_n(&exc_rpc_calls, (u64)calls, __ATOMIC_RELEASE);
	return 0;
}

int excache_configure(const char *spec)
{
	struct exc_config cfg;
	bool reset;
	int ret;

	if (!exc_ready)
		return -EINVAL;
	if (!strncmp(spec, "rpc=", 4))
		return exc_rpc_probe(spec + 4);
	mutex_lock(&exc_config_mutex);
	ret = exc_parse_spec(spec, &exc.cfg, exc_max_lines, &cfg, &reset);
	if (ret)
		goto out;
	if (memcmp(&cfg, &exc.cfg, sizeof(cfg))) {
		__atomic_store_n(&exc_frozen, true, __ATOMIC_SEQ_CST);
		wait_event(exc_gate_wq, atomic_read(&exc_active) == 0);
		/* every page goes home first: the new layout starts empty */
		exc_flush(NULL, 0, ~0UL, EXC_FLUSH_WRITEBACK | EXC_FLUSH_DROP);
		exc_apply(&cfg);
		__atomic_store_n(&exc_frozen, false, __ATOMIC_SEQ_CST);
		wake_up(&exc_gate_wq);
		exc_print_config("now");
	}
	if (reset)
		excache_reset_stats();
out:
	mutex_unlock(&exc_config_mutex);
	return ret;
}

void excache_get_stats(struct excache_stats *s)
{
	const u64 *src = (const u64 *)&exc.stats;
	u64 *dst = (u64 *)s;
	size_t i;

	for (i = 0; i < sizeof(*s) / sizeof(u64); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void excache_reset_stats(void)
{
	u64 *p = (u64 *)&exc.stats;
	size_t i;

	/* every counter after the geometry */
	for (i = offsetof(struct excache_stats, hits) / sizeof(u64);
	     i < sizeof(exc.stats) / sizeof(u64); i++)
		__atomic_store_n(&p[i], 0, __ATOMIC_RELAXED);
}

size_t excache_format_stats(char *buf, size_t size)
{
	struct excache_stats s;
	u64 calls = __atomic_load_n(&exc_rpc_calls, __ATOMIC_ACQUIRE);
	size_t pos;
	int n;

	excache_get_stats(&s);
	pos = exc_format_stats(buf, size, &exc, &s);
	if (!calls || pos + 1 >= size)
		return pos;
	n = snprintf(buf + pos, size - pos,
		     "rpc4k_calls %llu\nrpc4k_ns_avg %llu\nrpc4k_ns_median %llu\n",
		     (unsigned long long)calls,
		     (unsigned long long)__atomic_load_n(&exc_rpc_mean_ns, __ATOMIC_RELAXED),
		     (unsigned long long)__atomic_load_n(&exc_rpc_median_ns, __ATOMIC_RELAXED));
	return n < 0 ? pos : min(pos + (size_t)n, size - 1);
}

void excache_exit_report(const char *comm, int pid)
{
	struct excache_stats s;
	char buf[384];
	char *p, *nl;

	if (!exc_report || !exc_ready)
		return;
	excache_get_stats(&s);
	exc_format_stats(buf, sizeof(buf), &exc, &s);
	/* the counters without the geometry line, as one line */
	p = strchr(buf, '\n');
	p = p ? p + 1 : buf;
	for (nl = p; (nl = strchr(nl, '\n')); )
		*nl = nl[1] ? ' ' : '\0';
	pr_info("excache: %s (pid %d): %s\n", comm, pid, p);
}
