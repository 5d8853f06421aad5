// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/lego_fit/: lego_fit.ko's control interface, for tests and people.
 *
 *   stats	this node, its global counters, and one line per peer
 *		("peer ID epoch=E alive=0|1 calls=... served=... ...")
 *   test	write a command, then read its result line:
 *		  echo NODE LEN THREADS CALLS [TIMEOUT_MS]
 *			CALLS echo RPCs of LEN bytes in all, from THREADS
 *			threads; every reply is compared with its request
 *		  fill NODE REQLEN REPLYLEN THREADS CALLS [TIMEOUT_MS]
 *			FIT_OP_FILL calls; the reply pattern is checked
 *		  count NODE [reset]
 *			how many echoes NODE ran for us (FIT_OP_COUNT)
 *		  ping NODE|all
 *		The write returns when the test is over.
 */
#define pr_fmt(fmt) "lego_fit: " fmt

#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/ktime.h>

#include "fit_linux.h"

#define TEST_RESULT_MAX		512
#define TEST_MAX_THREADS	64
#define TEST_DEFAULT_TIMEOUT_MS	10000

static struct proc_dir_entry *proc_dir;
static char test_result[TEST_RESULT_MAX] = "none\n";

static const char *const counter_names[] = FIT_COUNTER_NAMES;
static const char *const gcounter_names[] = FIT_GCOUNTER_NAMES;

/* ---------------------------------------------------------------- stats */

static int stats_show(struct seq_file *m, void *v)
{
	struct fit_core *core = lego_fit.core;
	struct fit_peer_stats ps;
	int i, n;

	seq_printf(m, "node %d epoch=%08x\n", fit_core_node(core), fit_core_epoch(core));
	seq_puts(m, "global");
	for (i = 0; i < FIT_NR_GCOUNTERS; i++)
		seq_printf(m, " %s=%llu", gcounter_names[i],
			   fit_core_global_stat(core, i));
	seq_putc(m, '\n');
	for (n = 0; n < FIT_MAX_NODES; n++) {
		if (n == fit_core_node(core) || !fit_core_has_peer(core, n))
			continue;
		if (fit_core_peer_stats(core, n, &ps))
			continue;
		seq_printf(m, "peer %d epoch=%08x alive=%d", n, ps.epoch,
			   fit_core_peer_alive(core, n));
		for (i = 0; i < FIT_NR_COUNTERS; i++)
			seq_printf(m, " %s=%llu", counter_names[i], ps.c[i]);
		seq_putc(m, '\n');
	}
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_show, NULL);
}

static const struct proc_ops stats_ops = {
	.proc_open = stats_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* ----------------------------------------------------------------- test */

enum test_kind { TEST_ECHO, TEST_FILL };

struct test_run {
	enum test_kind kind;
	int node;
	u32 req_len;
	u32 reply_len;
	int threads;
	int calls;
	u64 timeout_ns;
	atomic_t next_call;
	atomic_t running;
	struct completion done;
	/* results */
	atomic_t ok;
	atomic_t errors;
	atomic_t mismatches;
	atomic_t first_error;
	atomic64_t rtt_sum;
	atomic64_t rtt_min;
	atomic64_t rtt_max;
};

static u8 echo_byte(u32 call, u32 i)
{
	return (u8)(call * 131 + i * 7 + (i >> 8) + 1);
}

static void test_record(struct test_run *run, long ret, bool match, u64 ns)
{
	u64 old;

	if (ret < 0) {
		atomic_inc(&run->errors);
		atomic_cmpxchg(&run->first_error, 0, (int)ret);
		return;
	}
	if (!match) {
		atomic_inc(&run->mismatches);
		return;
	}
	atomic_inc(&run->ok);
	atomic64_add(ns, &run->rtt_sum);
	old = atomic64_read(&run->rtt_min);
	while (ns < old && !atomic64_try_cmpxchg(&run->rtt_min, &old, ns))
		;
	old = atomic64_read(&run->rtt_max);
	while (ns > old && !atomic64_try_cmpxchg(&run->rtt_max, &old, ns))
		;
}

static int test_thread(void *arg)
{
	struct test_run *run = arg;
	u8 *req = NULL, *reply = NULL;
	u32 max = run->reply_len;
	int call;

	req = kvmalloc(max_t(u32, run->req_len, 1), GFP_KERNEL);
	reply = kvmalloc(max_t(u32, max, 1), GFP_KERNEL);
	if (!req || !reply) {
		while (atomic_inc_return(&run->next_call) <= run->calls)
			test_record(run, -ENOMEM, false, 0);
		goto out;
	}
	while ((call = atomic_inc_return(&run->next_call)) <= run->calls) {
		bool match = true;
		u64 start;
		long ret;
		u32 i;

		if (run->kind == TEST_ECHO) {
			for (i = 0; i < run->req_len; i++)
				req[i] = echo_byte(call, i);
		} else {
			struct fit_fill_req *fill = (struct fit_fill_req *)req;

			memset(req, 0, run->req_len);
			fill->reply_len = fit_le32(run->reply_len);
			fill->seed = fit_le32(call);
		}
		start = ktime_get_ns();
		ret = fit_call(run->node, run->kind == TEST_ECHO ? FIT_OP_ECHO : FIT_OP_FILL,
			       req, run->req_len, reply, max, run->timeout_ns);
		if (ret >= 0) {
			if (ret != run->reply_len)
				match = false;
			else if (run->kind == TEST_ECHO)
				match = !memcmp(req, reply, ret);
			else
				for (i = 0; i < ret && match; i++)
					match = reply[i] == fit_fill_byte(call, i);
		}
		test_record(run, ret, match, ktime_get_ns() - start);
		cond_resched();
	}
out:
	kvfree(req);
	kvfree(reply);
	if (atomic_dec_and_test(&run->running))
		complete(&run->done);
	return 0;
}

static int run_calls(struct test_run *run)
{
	u64 start, usecs, avg;
	int i, ok;

	if (run->threads < 1 || run->threads > TEST_MAX_THREADS || run->calls < 0)
		return -EINVAL;
	if (run->req_len > FIT_MAX_MSG || run->reply_len > FIT_MAX_MSG)
		return -EMSGSIZE;
	if (run->kind == TEST_FILL && run->req_len < sizeof(struct fit_fill_req))
		return -EINVAL;
	atomic_set(&run->next_call, 0);
	atomic_set(&run->running, run->threads);
	init_completion(&run->done);
	atomic64_set(&run->rtt_min, U64_MAX);
	start = ktime_get_ns();
	for (i = 0; i < run->threads; i++) {
		struct task_struct *t = kthread_run(test_thread, run, "fit_test/%d", i);

		if (IS_ERR(t)) {
			/* the threads already running do the calls */
			if (atomic_sub_and_test(run->threads - i, &run->running))
				complete(&run->done);
			if (i == 0)
				return PTR_ERR(t);
			break;
		}
	}
	wait_for_completion(&run->done);
	usecs = div_u64(ktime_get_ns() - start, NSEC_PER_USEC);
	ok = atomic_read(&run->ok);
	avg = ok ? div_u64(atomic64_read(&run->rtt_sum), ok) : 0;
	scnprintf(test_result, sizeof(test_result),
		  "%s node=%d req=%u reply=%u threads=%d calls=%d ok=%d errors=%d "
		  "mismatches=%d first_error=%d usecs=%llu rtt_min_ns=%llu "
		  "rtt_avg_ns=%llu rtt_max_ns=%llu\n",
		  run->kind == TEST_ECHO ? "echo" : "fill", run->node, run->req_len,
		  run->reply_len, run->threads, run->calls, ok,
		  atomic_read(&run->errors), atomic_read(&run->mismatches),
		  atomic_read(&run->first_error), usecs,
		  ok ? atomic64_read(&run->rtt_min) : 0, avg,
		  atomic64_read(&run->rtt_max));
	return 0;
}

static int test_count(int dst, bool reset)
{
	struct fit_count_req req = { .flags = fit_le32(reset ? FIT_COUNT_RESET : 0) };
	struct fit_count_reply reply;
	long ret;

	ret = fit_call(dst, FIT_OP_COUNT, &req, sizeof(req), &reply, sizeof(reply),
		       TEST_DEFAULT_TIMEOUT_MS * NSEC_PER_MSEC);
	if (ret < 0) {
		scnprintf(test_result, sizeof(test_result), "count node=%d error=%ld\n",
			  dst, ret);
		return 0;
	}
	if (ret != sizeof(reply))
		return -EPROTO;
	scnprintf(test_result, sizeof(test_result), "count node=%d echoes=%llu total=%llu\n",
		  dst, (unsigned long long)fit_le64(reply.echoes),
		  (unsigned long long)fit_le64(reply.total));
	return 0;
}

/* "gstats N": node N's global counters (datagrams it dropped, by reason). */
static int test_gstats(int dst)
{
	static const char *const names[] = FIT_GCOUNTER_NAMES;
	struct fit_stats_reply *reply;
	size_t len = 8192, pos;
	long ret;

	reply = kzalloc(len, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	ret = fit_call(dst, FIT_OP_STATS, NULL, 0, reply, len,
		       TEST_DEFAULT_TIMEOUT_MS * NSEC_PER_MSEC);
	if (ret < (long)sizeof(*reply)) {
		scnprintf(test_result, sizeof(test_result), "gstats node=%d error=%ld\n", dst,
			  ret < 0 ? ret : -EPROTO);
		kfree(reply);
		return 0;
	}
	pos = scnprintf(test_result, sizeof(test_result), "gstats node=%d", dst);
	for (int i = 0; i < FIT_NR_GCOUNTERS && i < (int)fit_le32(reply->ngcounters); i++)
		pos += scnprintf(test_result + pos, sizeof(test_result) - pos, " %s=%llu",
				 names[i], (unsigned long long)fit_le64(reply->global[i]));
	scnprintf(test_result + pos, sizeof(test_result) - pos, "\n");
	kfree(reply);
	return 0;
}

static int test_command(char *line)
{
	struct test_run *run;
	char word[8] = "";
	unsigned int timeout_ms = TEST_DEFAULT_TIMEOUT_MS;
	int n, dst, err;

	if (sscanf(line, "%7s", word) != 1)
		return -EINVAL;
	if (!strcmp(word, "count")) {
		char opt[8] = "";

		n = sscanf(line, "%*s %d %7s", &dst, opt);
		if (n < 1)
			return -EINVAL;
		return test_count(dst, n == 2 && !strcmp(opt, "reset"));
	}
	if (!strcmp(word, "gstats")) {
		if (sscanf(line, "%*s %d", &dst) != 1)
			return -EINVAL;
		return test_gstats(dst);
	}
	if (!strcmp(word, "ping")) {
		if (sscanf(line, "%*s %d", &dst) == 1)
			fit_core_ping(lego_fit.core, dst);
		else
			fit_core_ping(lego_fit.core, -1);
		scnprintf(test_result, sizeof(test_result), "ping sent\n");
		return 0;
	}

	run = kzalloc(sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	if (!strcmp(word, "echo")) {
		run->kind = TEST_ECHO;
		n = sscanf(line, "%*s %d %u %d %d %u", &run->node, &run->req_len,
			   &run->threads, &run->calls, &timeout_ms);
		run->reply_len = run->req_len;
		err = n >= 4 ? 0 : -EINVAL;
	} else if (!strcmp(word, "fill")) {
		run->kind = TEST_FILL;
		n = sscanf(line, "%*s %d %u %u %d %d %u", &run->node, &run->req_len,
			   &run->reply_len, &run->threads, &run->calls, &timeout_ms);
		err = n >= 5 ? 0 : -EINVAL;
	} else {
		err = -EINVAL;
	}
	if (!err) {
		run->timeout_ns = (u64)timeout_ms * NSEC_PER_MSEC;
		err = run_calls(run);
	}
	kfree(run);
	return err;
}

static ssize_t test_write(struct file *file, const char __user *buf, size_t count,
			  loff_t *ppos)
{
	char line[128];
	int err;

	if (count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, buf, count))
		return -EFAULT;
	line[count] = '\0';
	if (mutex_lock_interruptible(&lego_fit.test_mutex))
		return -EINTR;
	err = test_command(line);
	if (err)
		scnprintf(test_result, sizeof(test_result), "error %d: %s\n", err,
			  strim(line));
	mutex_unlock(&lego_fit.test_mutex);
	return err ? err : count;
}

static int test_show(struct seq_file *m, void *v)
{
	mutex_lock(&lego_fit.test_mutex);
	seq_puts(m, test_result);
	mutex_unlock(&lego_fit.test_mutex);
	return 0;
}

static int test_open(struct inode *inode, struct file *file)
{
	return single_open(file, test_show, NULL);
}

static const struct proc_ops test_ops = {
	.proc_open = test_open,
	.proc_read = seq_read,
	.proc_write = test_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

int lego_fit_proc_init(void)
{
	proc_dir = proc_mkdir("lego_fit", NULL);
	if (!proc_dir)
		return -ENOMEM;
	if (!proc_create("stats", 0444, proc_dir, &stats_ops) ||
	    !proc_create("test", 0644, proc_dir, &test_ops)) {
		proc_remove(proc_dir);
		proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

void lego_fit_proc_exit(void)
{
	proc_remove(proc_dir);
	proc_dir = NULL;
}
