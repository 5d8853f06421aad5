// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of address spaces, keyed by (FIT source node, pid). A
 * space is reference counted so that exit can unregister it while other
 * handlers still hold it; its mutex serialises everything that touches
 * its VMAs and pages (handlers run in several FIT threads and may sleep).
 */
#include <lego/errno.h>
#include <lego/slab.h>
#include <lego/spinlock.h>
#include <lego/string.h>

#include "internal.h"

#define SPACE_HASH_BITS	8
#define SPACE_HASH_SIZE	(1u << SPACE_HASH_BITS)

static struct list_head space_hash[SPACE_HASH_SIZE];
static bool space_hash_ready;
static DEFINE_SPINLOCK(space_lock_global);
static unsigned long nr_spaces;

static struct list_head *space_bucket(int node, u32 pid)
{
	u32 h = (pid * 2654435761u) ^ ((u32)node * 40503u);
	unsigned int i;

	/* the table is static, so set it up on first use rather than at init */
	if (!space_hash_ready) {
		for (i = 0; i < SPACE_HASH_SIZE; i++)
			INIT_LIST_HEAD(&space_hash[i]);
		space_hash_ready = true;
	}
	return &space_hash[h >> (32 - SPACE_HASH_BITS)];
}

static struct mspace *space_find_locked(int node, u32 pid)
{
	struct list_head *b = space_bucket(node, pid);
	struct mspace *sp;

	list_for_each_entry(sp, b, link)
		if (sp->node == node && sp->pid == pid)
			return sp;
	return NULL;
}

struct mspace *space_get(int node, u32 pid)
{
	struct mspace *sp;

	spin_lock(&space_lock_global);
	sp = space_find_locked(node, pid);
	if (sp)
		atomic_inc(&sp->ref);
	spin_unlock(&space_lock_global);
	return sp;
}

void space_put(struct mspace *sp)
{
	if (!atomic_dec_and_test(&sp->ref))
		return;
	vmspace_free(sp->vm);
	kfree(sp);
}

struct mspace *space_create(int node, u32 pid, struct vmspace *vm)
{
	struct mspace *sp = kzalloc(sizeof(*sp), GFP_KERNEL);

	if (!sp)
		return ERR_PTR(-ENOMEM);
	sp->node = node;
	sp->pid = pid;
	sp->vm = vm;
	atomic_set(&sp->ref, 2);	/* the registry's and the caller's */
	mutex_init(&sp->lock);
	spin_lock(&space_lock_global);
	if (space_find_locked(node, pid)) {
		spin_unlock(&space_lock_global);
		kfree(sp);
		return ERR_PTR(-EEXIST);
	}
	list_add(&sp->link, space_bucket(node, pid));
	nr_spaces++;
	spin_unlock(&space_lock_global);
	return sp;
}

int space_remove(int node, u32 pid)
{
	struct mspace *sp;

	spin_lock(&space_lock_global);
	sp = space_find_locked(node, pid);
	if (sp) {
		list_del(&sp->link);
		nr_spaces--;
	}
	spin_unlock(&space_lock_global);
	if (!sp)
		return -ESRCH;
	space_put(sp);
	return 0;
}

unsigned long space_count(void)
{
	return READ_ONCE(nr_spaces);
}

struct mspace *space_lock(int node, u32 pid)
{
	struct mspace *sp = space_get(node, pid);

	if (!sp)
		return ERR_PTR(-ESRCH);
	mutex_lock(&sp->lock);
	return sp;
}

void space_unlock(struct mspace *sp)
{
	mutex_unlock(&sp->lock);
	space_put(sp);
}

int mm_exit(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct m_pid_req req;

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	return space_remove(node, fit_le32(req.pid));
}
