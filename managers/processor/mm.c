// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces as the processor sees them (struct mm_struct): creation,
 * reference counting and the end of one, which drops its ExCache lines and
 * tells its memory manager to free it. Also which node is the memory
 * manager (lego.memory=ID, default: the lowest-numbered peer).
 */
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/excache.h>
#include <lego/fit.h>
#include <lego/kernel.h>
#include <lego/mm_types.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <uapi/lego/memory.h>

#define EXIT_TIMEOUT_NS	(10ULL * NSEC_PER_SEC)

static int memory_node = -1;
static int files_node = -1;

static int first_peer(void)
{
	u32 ip;

	for (int n = 0; n < FIT_MAX_NODES; n++)
		if (n != fit_node_id() && !fit_peer_ip(n, &ip))
			return n;
	return -1;
}

static int node_option(const char *key)
{
	unsigned long v;

	if (cmdline_get(key) && !cmdline_get_ulong(key, &v) && v < FIT_MAX_NODES)
		return (int)v;
	return -1;
}

int lego_memory_node(void)
{
	if (memory_node < 0) {
		memory_node = node_option("lego.memory");
		if (memory_node < 0)
			memory_node = first_peer();
	}
	return memory_node;
}

int lego_files_node(void)
{
	if (files_node < 0) {
		files_node = node_option("lego.files");
		if (files_node < 0)
			files_node = lego_memory_node();
	}
	return files_node;
}

struct mm_struct *mm_alloc(int pid)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pgd = user_pgd_alloc();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	atomic_set(&mm->users, 1);
	atomic_set(&mm->count, 1);
	mm->pid = pid;
	mm->mem_node = lego_memory_node();
	spin_lock_init(&mm->pt_lock);
	mutex_init(&mm->mmap_lock);
	return mm;
}

void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->users);
}

void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->count);
}

void mmdrop(struct mm_struct *mm)
{
	if (atomic_dec_and_test(&mm->count)) {
		user_pgd_free(mm->pgd);
		kfree(mm->cmdline);
		kfree(mm);
	}
}

void mm_release_unused(struct mm_struct *mm)
{
	if (atomic_dec_and_test(&mm->users))
		mmdrop(mm);
}

void mmput(struct mm_struct *mm)
{
	struct m_pid_req req = { .pid = mm->pid };
	long ret;

	if (!atomic_dec_and_test(&mm->users))
		return;
	/* the data is dead: nothing is written back */
	excache_flush_mm(mm, EXC_FLUSH_DROP);
	ret = fit_call(mm->mem_node, M_OP_EXIT, &req, sizeof(req), NULL, 0, EXIT_TIMEOUT_NS);
	if (ret < 0 && ret != -ESRCH)
		pr_warn("mm: memory manager %d did not free pid %d: %ld\n",
			mm->mem_node, mm->pid, ret);
	mmdrop(mm);
}
