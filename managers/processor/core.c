// SPDX-License-Identifier: GPL-2.0
/*
 * Processor manager start-up: the ExCache, the console tty and the file
 * layer, then the first user program once the memory manager answers.
 */
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/files.h>
#include <lego/fit.h>
#include <lego/init.h>
#include <lego/mm_types.h>
#include <lego/printk.h>
#include <lego/process.h>
#include <lego/time.h>
#include <lego/tty.h>
#include <lego/sched.h>
#include <uapi/lego/memory.h>

#define MEMORY_WAIT_NS	(120ULL * NSEC_PER_SEC)

/* Until the memory manager serves requests, not just FIT (M_OP_HELLO). */
static int wait_memory_manager(int node)
{
	u64 deadline = ktime_get_ns() + MEMORY_WAIT_NS;
	long ret = fit_wait_peer(node, MEMORY_WAIT_NS);

	if (ret)
		return ret;
	for (;;) {
		ret = fit_call(node, M_OP_HELLO, NULL, 0, NULL, 0, MEMORY_WAIT_NS / 10);
		if (ret != -EOPNOTSUPP || ktime_get_ns() > deadline)
			break;
		msleep(20);	/* it is loading its files: a few hundred ms at most */
	}
	return ret < 0 ? ret : 0;
}

static void start_init(void)
{
	const char *path = cmdline_get("init");
	int node = lego_memory_node();
	int ret;

	if (!path || !*path)
		return;
	if (fit_node_id() < 0 || node < 0) {
		pr_err("lego: init=%s needs a memory manager (lego.node, lego.peers)\n", path);
		return;
	}
	ret = wait_memory_manager(node);
	if (ret) {
		pr_err("lego: memory manager %d does not answer (error %d): init not started\n",
		       node, ret);
		init_not_started();
		return;
	}
	ret = start_user_init(path, NULL, NULL);
	if (ret < 0) {
		pr_err("lego: cannot start init: %d\n", ret);
		init_not_started();
	}
}

void manager_init(void)
{
	int ret = excache_init();

	if (ret)
		pr_err("lego: ExCache unavailable (%d): no user programs\n", ret);
	tty_init();
	files_init();
	uts_init();
	pr_notice("lego: processor manager ready\n");
	if (!ret)
		start_init();
}
