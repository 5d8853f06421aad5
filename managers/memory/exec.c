// SPDX-License-Identifier: GPL-2.0
/*
 * M_OP_EXEC: find the program in the archive ("#!" scripts run their
 * interpreter), check it, build a complete new address space (segments,
 * interpreter, break, stack with argv, envp and auxv) and only then swap
 * it in, so that a failed exec leaves the caller as it was.
 */
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <asm/processor.h>

#include "internal.h"
#include "elf.h"

#define SCRIPT_LINE_MAX		256	/* "#!" line, as Linux's BINPRM_BUF_SIZE */
#define SCRIPT_DEPTH_MAX	4	/* scripts running scripts */
#define ARG_STRLEN_MAX		(32 * PAGE_SIZE)	/* one argument */
#define ARG_TOTAL_MAX		(USER_STACK_MAX / 4)	/* all of them */
#define NR_AUXV			18	/* entries build_stack() writes, AT_NULL included */
#define CLOCK_TICKS		100

struct exec_ctx {
	const char *filename;		/* as the caller named it */
	unsigned int argc;
	unsigned int envc;
	const char **argv;
	const char **envp;
	const char **strv;		/* argv and envp as the request had them */
	const char **argv_alloc;	/* argv after script rewriting */
	const struct arc_node *file;
	const struct arc_node *interp_file;
	struct elf_image img;
	struct elf_image interp;
	char interp_path[ARC_PATH_MAX];
	char script[SCRIPT_DEPTH_MAX][SCRIPT_LINE_MAX + 1];
	struct vmspace *vm;
	u64 bias;
	u64 interp_bias;
	unsigned long sp;
};

/* Split the request's strings; every one must end inside the request. */
static int parse_request(struct exec_ctx *x, const void *buf, size_t len, u32 *pid)
{
	struct m_exec_req req;
	const char *s, *end;
	unsigned int i, n;

	if (len < sizeof(req))
		return -EINVAL;
	memcpy(&req, buf, sizeof(req));
	*pid = fit_le32(req.pid);
	x->argc = fit_le32(req.argc);
	x->envc = fit_le32(req.envc);
	if (fit_le32(req.strings_len) > len - sizeof(req))
		return -EINVAL;
	s = (const char *)buf + sizeof(req);
	end = s + fit_le32(req.strings_len);
	if ((u64)x->argc + x->envc > fit_le32(req.strings_len))
		return -EINVAL;		/* each string has at least its NUL */
	x->strv = kmalloc_array((size_t)x->argc + x->envc + 1, sizeof(char *), GFP_KERNEL);
	if (!x->strv)
		return -ENOMEM;
	x->argv = x->strv;
	x->envp = x->argv + x->argc;
	for (i = 0, n = x->argc + x->envc + 1; i < n; i++) {
		size_t l = strnlen(s, end - s);

		if (s + l == end)
			return -EINVAL;
		if (l >= ARG_STRLEN_MAX)
			return -E2BIG;
		if (!i)
			x->filename = s;
		else
			x->argv[i - 1] = s;
		s += l + 1;
	}
	if (!x->filename[0])
		return -ENOENT;
	return 0;
}

static int open_exec(const char *path, const struct arc_node **out)
{
	const struct arc_node *n;
	int ret;

	ret = archive_lookup(mm_archive, path, strlen(path), true, &n);
	if (ret)
		return ret;
	if (!S_ISREG(n->mode) || !(n->mode & 0111))
		return -EACCES;
	*out = n;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * x->file starts with "#!": run "interp [arg] filename argv[1..]" instead.
 * The strings live in x->script[depth].
 */
static int rewrite_script(struct exec_ctx *x, int depth)
{
	const struct arc_node *f = x->file;
	char *line = x->script[depth];
	char *interp, *arg = NULL, *p;
	const char **argv;
	size_t n = 0, i;
	unsigned int argc = 0, j;

	while (2 + n < f->size && n < SCRIPT_LINE_MAX && f->data[2 + n] != '\n')
		n++;
	if (n == SCRIPT_LINE_MAX)
		return -ENOEXEC;	/* the interpreter line was cut */
	memcpy(line, f->data + 2, n);
	line[n] = 0;
	for (i = 0; i < n; i++)
		if (!line[i])
			return -ENOEXEC;
	while (n && (is_blank(line[n - 1]) || line[n - 1] == '\r'))
		line[--n] = 0;
	for (interp = line; is_blank(*interp); interp++)
		;
	if (!*interp)
		return -ENOEXEC;
	for (p = interp; *p && !is_blank(*p); p++)
		;
	if (*p) {
		*p++ = 0;
		while (is_blank(*p))
			p++;
		if (*p)
			arg = p;	/* the rest of the line is one argument */
	}

	argv = kmalloc_array((size_t)x->argc + 3, sizeof(char *), GFP_KERNEL);
	if (!argv)
		return -ENOMEM;
	argv[argc++] = interp;
	if (arg)
		argv[argc++] = arg;
	argv[argc++] = x->filename;
	for (j = 1; j < x->argc; j++)
		argv[argc++] = x->argv[j];
	kfree(x->argv_alloc);
	x->argv_alloc = argv;
	x->argv = argv;
	x->argc = argc;
	return open_exec(interp, &x->file);
}

/* Find the program, through up to SCRIPT_DEPTH_MAX "#!" scripts. */
static int find_program(struct exec_ctx *x)
{
	int depth, ret;

	ret = open_exec(x->filename, &x->file);
	for (depth = 0; !ret; depth++) {
		if (x->file->size < 2 || memcmp(x->file->data, "#!", 2))
			return 0;
		if (depth == SCRIPT_DEPTH_MAX)
			return -ELOOP;
		ret = rewrite_script(x, depth);
	}
	return ret;
}

static int load_interp(struct exec_ctx *x)
{
	char *path = x->interp_path;
	int ret;

	memcpy(path, x->img.interp, x->img.interp_len);
	path[x->img.interp_len] = 0;
	ret = archive_lookup(mm_archive, path, x->img.interp_len, true, &x->interp_file);
	if (ret) {
		pr_warn("memory: exec %s: interpreter %s: error %d\n", x->filename, path, ret);
		return ret;
	}
	if (!S_ISREG(x->interp_file->mode))
		return -EACCES;
	ret = elf_parse(x->interp_file->data, x->interp_file->size, &x->interp);
	if (!ret && x->interp.interp)
		ret = -ENOEXEC;		/* an interpreter needing one */
	if (ret)
		pr_warn("memory: exec %s: interpreter %s is not a usable ELF\n",
			x->filename, path);
	return ret;
}

/* Best effort, not cryptographic: the TSC stirred through splitmix64. */
static void random_bytes(void *buf, size_t len)
{
	static u64 counter;
	u8 *p = buf;

	while (len) {
		u64 z = rdtsc() + __atomic_add_fetch(&counter, 0x9e3779b97f4a7c15ULL,
						     __ATOMIC_RELAXED);
		size_t n = min(len, sizeof(z));

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		memcpy(p, &z, n);
		p += n;
		len -= n;
	}
}

static u64 hwcap(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return d;
}

/* Copy a string below *top; returns its user address. */
static int push_string(struct vmspace *vm, unsigned long *top, const char *s,
		       unsigned long *uaddr)
{
	size_t n = strlen(s) + 1;

	*top -= n;
	*uaddr = *top;
	return vm_write(vm, *top, s, n);
}

/*
 * The initial stack, from the top: the strings (execfn, platform, envp,
 * argv), 16 random bytes, then at sp (16-byte aligned) argc, argv[],
 * NULL, envp[], NULL and the auxiliary vector.
 */
static int build_stack(struct exec_ctx *x)
{
	unsigned long top = USER_STACK_TOP, execfn, platform, random, *words;
	size_t total = strlen(x->filename) + 1 + sizeof("x86_64");
	size_t nwords, w = 0;
	unsigned int i;
	u8 rnd[16];
	int ret;

	for (i = 0; i < x->argc; i++)
		total += strlen(x->argv[i]) + 1;
	for (i = 0; i < x->envc; i++)
		total += strlen(x->envp[i]) + 1;
	if (total > ARG_TOTAL_MAX)
		return -E2BIG;
	nwords = 1 + x->argc + 1 + x->envc + 1 + 2 * NR_AUXV;
	words = kmalloc_array(nwords, sizeof(*words), GFP_KERNEL);
	if (!words)
		return -ENOMEM;

	top -= sizeof(u64);	/* a zero word marks the very top */
	ret = push_string(x->vm, &top, x->filename, &execfn);
	if (!ret)
		ret = push_string(x->vm, &top, "x86_64", &platform);
	words[w++] = x->argc;
	/* strings go down in reverse so that argv[0] ends up lowest */
	for (i = x->envc; !ret && i-- > 0; )
		ret = push_string(x->vm, &top, x->envp[i], &words[1 + x->argc + 1 + i]);
	for (i = x->argc; !ret && i-- > 0; )
		ret = push_string(x->vm, &top, x->argv[i], &words[1 + i]);
	if (ret)
		goto out;
	top = (top & ~15UL) - sizeof(rnd);
	random = top;
	random_bytes(rnd, sizeof(rnd));
	ret = vm_write(x->vm, random, rnd, sizeof(rnd));
	if (ret)
		goto out;

	w = 1 + x->argc;
	words[w++] = 0;
	w += x->envc;
	words[w++] = 0;
#define AUX(type, val)	do { words[w++] = (type); words[w++] = (val); } while (0)
	AUX(AT_PHDR, x->img.phdr_vaddr + x->bias);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, x->img.phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, x->interp_file ? x->interp_bias : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, x->img.entry + x->bias);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP, hwcap());
	AUX(AT_CLKTCK, CLOCK_TICKS);
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_NULL, 0);
#undef AUX

	x->sp = (top - nwords * sizeof(*words)) & ~15UL;
	ret = vm_write(x->vm, x->sp, words, nwords * sizeof(*words));
out:
	kfree(words);
	return ret;
}

static int build_space(struct exec_ctx *x)
{
	struct vma stack = { 0 };
	int ret;

	x->vm = vmspace_alloc();
	if (!x->vm)
		return -ENOMEM;
	if (x->img.type == ET_DYN)
		x->bias = USER_PIE_BASE - x->img.lo;
	ret = elf_map(x->vm, x->file, &x->img, x->bias);
	if (ret)
		return ret;
	x->vm->start_brk = x->img.hi + x->bias;
	x->vm->brk = x->vm->start_brk;

	if (x->interp_file) {
		u64 span = x->interp.hi - x->interp.lo;

		if (x->interp.type == ET_DYN)
			x->interp_bias = ((USER_MMAP_BASE - span) & PAGE_MASK) - x->interp.lo;
		ret = elf_map(x->vm, x->interp_file, &x->interp, x->interp_bias);
		if (ret)
			return ret;
	}

	stack.start = USER_STACK_TOP - USER_STACK_MAX;
	stack.end = USER_STACK_TOP;
	stack.prot = PROT_READ | PROT_WRITE;
	stack.flags = VMA_GROWSDOWN;
	ret = vm_map(x->vm, &stack);
	if (ret)
		return ret == -EEXIST ? -ENOEXEC : ret;
	x->vm->stack_top = USER_STACK_TOP;
	return build_stack(x);
}

/* Replace the space of (node, pid) by vm, creating it if new. */
static int install_space(int node, u32 pid, struct vmspace *vm)
{
	struct mspace *sp;
	struct vmspace *old;

	for (;;) {
		sp = space_lock(node, pid);
		if (!IS_ERR(sp)) {
			old = sp->vm;
			sp->vm = vm;
			space_unlock(sp);
			vmspace_free(old);
			return 0;
		}
		sp = space_create(node, pid, vm);
		if (!IS_ERR(sp)) {
			space_put(sp);
			return 0;
		}
		if (PTR_ERR(sp) != -EEXIST)
			return PTR_ERR(sp);
		/* created meanwhile by another request: replace that one */
	}
}

static int fill_reply(struct exec_ctx *x, struct mm_reply *r)
{
	struct m_exec_reply *rep = mm_reply_alloc(r, sizeof(*rep));
	const char *base = strrchr(x->filename, '/');
	u64 entry;

	if (!rep)
		return -ENOMEM;
	entry = x->interp_file ? x->interp.entry + x->interp_bias : x->img.entry + x->bias;
	memset(rep, 0, sizeof(*rep));
	rep->entry = fit_le64(entry);
	rep->sp = fit_le64(x->sp);
	rep->start_brk = fit_le64(x->vm->start_brk);
	rep->stack_top = fit_le64(x->vm->stack_top);
	strlcpy(rep->comm, base ? base + 1 : x->filename, sizeof(rep->comm));
	return 0;
}

int mm_exec(int node, const void *buf, size_t len, struct mm_reply *r)
{
	struct exec_ctx *x = kzalloc(sizeof(*x), GFP_KERNEL);
	u32 pid = 0;
	int ret;

	if (!x)
		return -ENOMEM;
	ret = parse_request(x, buf, len, &pid);
	if (!ret)
		ret = find_program(x);
	if (!ret) {
		ret = elf_parse(x->file->data, x->file->size, &x->img);
		if (ret)
			pr_warn("memory: exec %s: not a valid x86-64 ELF executable\n",
				x->filename);
	}
	if (!ret && x->img.interp)
		ret = load_interp(x);
	if (!ret)
		ret = build_space(x);
	if (!ret)
		ret = fill_reply(x, r);
	if (!ret) {
		ret = install_space(node, pid, x->vm);
		if (!ret)
			x->vm = NULL;	/* the space owns it now */
	}
	vmspace_free(x->vm);
	kfree(x->argv_alloc);
	kfree(x->strv);
	kfree(x);
	return ret;
}
