// SPDX-License-Identifier: GPL-2.0
/*
 * bench=fit (run by `make bench-fit`): FIT round trips against the raw
 * round trip of the same wire, measured in one boot against node
 * bench.node (default 1):
 *   raw     UDP echo of 32 bytes to the peer's port 7 (both IP stacks, no FIT)
 *   fit     32 B request / 4 B reply, 32 B / 4 KB, 4 KB / 4 B (FIT_OP_FILL)
 *   4 KB replies from several callers at once (throughput)
 * The last line is "fit: rtt32_over_raw=R1 rtt4k_over_raw=R2", ratios of
 * medians. fit_bench_rtt() measures one of the FIT figures on demand
 * (/proc/excache "rpc=N", for `make bench-excache`).
 */
#include <lego/kernel.h>
#include <lego/cmdline.h>
#include <lego/completion.h>
#include <lego/errno.h>
#include <lego/fit.h>
#include <lego/inet.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <uapi/lego/fit.h>

#define BENCH_THREADS		4
#define BENCH_WARMUP		20
#define BENCH_TIMEOUT_NS	(5 * NSEC_PER_SEC)

struct bench {
	int node;
	int calls;
	u64 *lat;
	u8 *req, *reply;
};

static int cmp_u64(u64 a, u64 b)
{
	return a < b ? -1 : a > b;
}

static u64 median(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && cmp_u64(v[j - 1], v[j]) > 0; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n ? v[n / 2] : 0;
}

/* One FILL call: a req_len-byte request asking for reply_len bytes back. */
static long fill_call(struct bench *b, size_t req_len, u32 reply_len)
{
	struct fit_fill_req *q = (struct fit_fill_req *)b->req;

	memset(b->req, 0, req_len);
	q->seed = fit_le32(7);
	q->reply_len = fit_le32(reply_len);
	return fit_call(b->node, FIT_OP_FILL, b->req, req_len, b->reply, reply_len,
			BENCH_TIMEOUT_NS);
}

/* One FILL round trip in ns, or 0 on failure. */
static u64 fit_rtt_once(struct bench *b, size_t req_len, u32 reply_len)
{
	u64 t0 = ktime_get_ns();
	long ret = fill_call(b, req_len, reply_len);

	if (ret != (long)reply_len) {
		pr_err("fit: bench FAILED: %zu B / %u B call returned %ld\n", req_len,
		       reply_len, ret);
		return 0;
	}
	return ktime_get_ns() - t0;
}

static u64 raw_rtt_once(u32 ip)
{
	u64 ns;
	int n = udp_echo_rtt(ip, 32, 1, &ns, BENCH_TIMEOUT_NS);

	if (n != 1) {
		pr_err("fit: bench FAILED: raw UDP echo: %d\n", n);
		return 0;
	}
	return ns;
}

enum { RAW, R32, R4K, W4K, NR_FIGURES };

/*
 * The figures are sampled in turn, one of each per round, so that the
 * emulator's changing speed (other VMs, the host) weighs on all alike.
 */
static bool sample_all(struct bench *b, u32 ip, u64 *lat[NR_FIGURES])
{
	for (int i = 0; i < BENCH_WARMUP + b->calls; i++) {
		int k = i < BENCH_WARMUP ? -1 : i - BENCH_WARMUP;
		u64 v[NR_FIGURES] = {
			raw_rtt_once(ip),
			fit_rtt_once(b, 32, 4),
			fit_rtt_once(b, 32, PAGE_SIZE),
			fit_rtt_once(b, PAGE_SIZE, 4),
		};

		for (int f = 0; f < NR_FIGURES; f++) {
			if (!v[f])
				return false;
			if (k >= 0)
				lat[f][k] = v[f];
		}
	}
	return true;
}

struct tput {
	struct bench *b;
	struct completion done;
	atomic_t ok;
	int calls;
};

static int tput_thread(void *arg)
{
	struct tput *t = arg;
	struct bench mine = { .node = t->b->node };

	mine.req = kmalloc(sizeof(struct fit_fill_req), GFP_KERNEL);
	mine.reply = kmalloc(PAGE_SIZE, GFP_KERNEL);
	for (int i = 0; mine.req && mine.reply && i < t->calls; i++)
		if (fill_call(&mine, sizeof(struct fit_fill_req), PAGE_SIZE) == PAGE_SIZE)
			atomic_inc(&t->ok);
	kfree(mine.req);
	kfree(mine.reply);
	complete(&t->done);
	return 0;
}

static void throughput(struct bench *b)
{
	struct tput t = { .b = b, .calls = b->calls };
	int started = 0;
	u64 t0 = ktime_get_ns(), ns;

	init_completion(&t.done);
	for (int i = 0; i < BENCH_THREADS; i++)
		started += kthread_run(tput_thread, &t, "fit-bench") != NULL;
	for (int i = 0; i < started; i++)
		wait_for_completion(&t.done);
	ns = ktime_get_ns() - t0;
	if (atomic_read(&t.ok) != started * t.calls) {
		pr_err("fit: bench FAILED: throughput: %d of %d calls\n", atomic_read(&t.ok),
		       started * t.calls);
		return;
	}
	pr_info("fit: throughput 4 KB replies, %d callers: %llu calls/s, %llu KB/s\n", started,
		(u64)started * t.calls * NSEC_PER_SEC / ns,
		(u64)started * t.calls * 4 * NSEC_PER_SEC / ns);
}

int fit_bench_rtt(int node, size_t req_len, u32 reply_len, int calls, u64 *mean_ns,
		  u64 *median_ns)
{
	struct bench b = { .node = node, .calls = calls };
	u64 sum = 0;
	int ret = 0;

	if (calls < 1 || req_len < sizeof(struct fit_fill_req) || req_len > PAGE_SIZE ||
	    reply_len > PAGE_SIZE)
		return -EINVAL;
	b.lat = kcalloc(calls, sizeof(*b.lat), GFP_KERNEL);
	b.req = kmalloc(PAGE_SIZE, GFP_KERNEL);
	b.reply = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!b.lat || !b.req || !b.reply) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < BENCH_WARMUP + calls; i++) {
		u64 ns = fit_rtt_once(&b, req_len, reply_len);

		if (!ns) {
			ret = -EIO;
			goto out;
		}
		if (i >= BENCH_WARMUP) {
			b.lat[i - BENCH_WARMUP] = ns;
			sum += ns;
		}
	}
	*mean_ns = sum / calls;
	*median_ns = median(b.lat, calls);
out:
	kfree(b.lat);
	kfree(b.req);
	kfree(b.reply);
	return ret;
}

/* "1.23" from a ratio of two durations. */
static void ratio(char *buf, size_t len, u64 a, u64 b)
{
	u64 r = b ? a * 100 / b : 0;

	snprintf(buf, len, "%llu.%02llu", r / 100, r % 100);
}

static void run(struct bench *b, u32 ip)
{
	static const char *const names[NR_FIGURES] = {
		"raw udp echo 32 B", "rtt 32 B / 4 B", "rtt 32 B / 4 KB", "rtt 4 KB / 4 B",
	};
	u64 *lat[NR_FIGURES], med[NR_FIGURES];
	char x[16], y[16];
	bool ok;

	for (int f = 0; f < NR_FIGURES; f++)
		lat[f] = b->lat + (size_t)f * b->calls;
	ok = sample_all(b, ip, lat);
	if (!ok)
		return;
	for (int f = 0; f < NR_FIGURES; f++) {
		med[f] = median(lat[f], b->calls);
		pr_info("fit: %s: median %llu us\n", names[f], med[f] / NSEC_PER_USEC);
	}
	throughput(b);
	ratio(x, sizeof(x), med[R32], med[RAW]);
	ratio(y, sizeof(y), med[R4K], med[RAW]);
	pr_info("fit: rtt32_over_raw=%s rtt4k_over_raw=%s\n", x, y);
}

void fit_bench(void)
{
	unsigned long node = 1, calls = 500;
	struct bench b;
	u32 ip;

	cmdline_get_ulong("bench.node", &node);
	cmdline_get_ulong("bench.calls", &calls);
	pr_info("fit: bench against node %lu, %lu calls per figure\n", node, calls);
	if (fit_wait_peer(node, 60 * NSEC_PER_SEC) || fit_peer_ip(node, &ip)) {
		pr_err("fit: bench FAILED: node %lu does not answer\n", node);
		return;
	}
	b.node = node;
	b.calls = calls ? calls : 1;
	b.lat = kcalloc((size_t)NR_FIGURES * b.calls, sizeof(*b.lat), GFP_KERNEL);
	b.req = kmalloc(PAGE_SIZE, GFP_KERNEL);
	b.reply = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (b.lat && b.req && b.reply)
		run(&b, ip);
	else
		pr_err("fit: bench FAILED: out of memory\n");
	kfree(b.lat);
	kfree(b.req);
	kfree(b.reply);
}
