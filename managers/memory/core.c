// SPDX-License-Identifier: GPL-2.0
/*
 * Memory manager start-up and the FIT glue: find the file archive among
 * the boot modules, and register one FIT handler per request opcode that
 * runs the FIT-independent handler and sends its reply.
 */
#include <lego/bootinfo.h>
#include <lego/fit.h>
#include <lego/init.h>
#include <lego/mm.h>
#include <lego/printk.h>
#include <lego/string.h>

#include "internal.h"

#define ARCHIVE_NAME	"files.cpio"

static struct archive boot_archive;

void manager_reserve_memory(void)
{
	/* the memory manager hands all of its memory to the page allocator */
}

/* The module named files.cpio (its last path component), else the first. */
static const struct boot_module *find_archive_module(void)
{
	int i;

	for (i = 0; i < boot_info.nr_modules; i++) {
		const char *name = boot_info.modules[i].name;
		const char *base = strrchr(name, '/');
		size_t n = strlen(ARCHIVE_NAME);

		base = base ? base + 1 : name;
		if (!strncmp(base, ARCHIVE_NAME, n) && (!base[n] || base[n] == ' '))
			return &boot_info.modules[i];
	}
	return boot_info.nr_modules ? &boot_info.modules[0] : NULL;
}

static void load_archive(void)
{
	const struct boot_module *m = find_archive_module();
	int ret;

	if (!m) {
		pr_warn("memory: no boot module: no files to serve\n");
		return;
	}
	ret = archive_load(&boot_archive, __va(m->start), m->end - m->start);
	if (ret) {
		pr_err("memory: %s: not a usable cpio newc archive (error %d): no files served\n",
		       m->name, ret);
		return;
	}
	mm_archive = &boot_archive;
	pr_info("memory: %s: %lu files, %llu KB\n", m->name, boot_archive.nr_entries,
		boot_archive.bytes >> 10);
}

static void fit_glue(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	const struct mm_op *op = data;
	struct mm_reply r;
	int ret;

	mm_reply_init(&r);
	ret = op->fn(fit_rpc_source(rpc), req, len, &r);
	if (ret)
		fit_reply(rpc, NULL, 0, ret);
	else
		fit_reply(rpc, r.data, r.len, 0);
	mm_reply_release(&r);
}

static void hello(struct fit_rpc *rpc, const void *req, size_t len, void *data)
{
	fit_reply(rpc, NULL, 0, 0);
}

void manager_init(void)
{
	unsigned int i;
	int ret;

	load_archive();
	pr_info("memory: %llu MB for user pages\n", nr_free_pages() * PAGE_SIZE >> 20);
	if (fit_node_id() < 0) {
		pr_warn("memory: FIT is off: the memory manager has nothing to serve\n");
	} else {
		for (i = 0; i < mm_nr_ops; i++) {
			ret = fit_register_handler(mm_ops[i].opcode, fit_glue, (void *)&mm_ops[i]);
			if (ret)
				pr_err("memory: cannot register %s (opcode %#x): error %d\n",
				       mm_ops[i].name, mm_ops[i].opcode, ret);
		}
		fit_register_handler(M_OP_HELLO, hello, NULL);
	}
	pr_notice("lego: memory manager ready\n");
}
