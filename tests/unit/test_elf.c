// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the memory manager's program loader (managers/memory/
 * exec.c and elf.c), driven through M_OP_EXEC as the processor sends it:
 * ET_EXEC and ET_DYN images, segment protections and contents, bss
 * zeroing (the partial page after the file data too), two segments in
 * one page, an interpreter, "#!" scripts, the initial stack (argc, argv,
 * envp, auxv, alignment) and the reply; then malformed images, missing
 * or unusable files and oversized arguments, each of which must fail with
 * the errno execve(2) gives and leave neither an address space nor pages
 * behind (nor disturb the caller's existing space).
 */
#include <stdio.h>
#include <stdlib.h>

#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/slab.h>

#include "host.h"
#include "memory/helpers.h"
#include "../../managers/memory/internal.h"
#include "../../managers/memory/elf.h"

#define PID		100
#define PID_NEW		200	/* never has a space before the exec */
#define PID_OLD		201	/* has one, which a failed exec must keep */

#define PT_NOTE		4
#define STACK_LOW	(USER_STACK_TOP - USER_STACK_MAX)

static struct mmt_cpio cpio;
static struct archive ar;
static bool ar_live;

/* ------------------------------------------------------------ archive */
static void files_begin(void)
{
	mmt_cpio_init(&cpio);
	mmt_cpio_dir(&cpio, "bin");
	mmt_cpio_dir(&cpio, "lib");
}

static void files_add(const char *name, u32 mode, const void *data, size_t len)
{
	mmt_cpio_file(&cpio, name, mode, data, len);
}

static void files_load(void)
{
	mmt_cpio_finish(&cpio);
	assert_int_equal(archive_load(&ar, cpio.data, cpio.len), 0);
	ar_live = true;
	mm_archive = &ar;
}

static void files_end(void)
{
	mm_archive = NULL;
	if (ar_live)
		archive_free(&ar);
	ar_live = false;
	mmt_cpio_free(&cpio);
}

static int setup(void **state)
{
	(void)state;
	mmt_ram_setup();
	memset(&cpio, 0, sizeof(cpio));
	return 0;
}

static int teardown(void **state)
{
	static const u32 pids[] = { PID, PID + 1, PID_NEW, PID_OLD };
	unsigned int i;

	(void)state;
	/* a failed test may leave spaces: they must not outlive the fake RAM */
	for (i = 0; i < ARRAY_SIZE(pids); i++)
		mmt_exit(pids[i]);
	assert_int_equal(space_count(), 0);
	files_end();
	mmt_ram_teardown();
	return 0;
}

/* ------------------------------------------------------------- images */
/* text, data with bss (file bytes follow its file data), rodata */
static const struct mmt_elf prog_exec = {
	.type = ET_EXEC,
	.entry = 0x401234,
	.nr_segs = 3,
	.segs = {
		{ 0x401000, 0x1800, 0x1800, PF_R | PF_X },
		{ 0x404100, 0x1000, 0x3000, PF_R | PF_W },
		{ 0x409000, 0x800, 0x800, PF_R },
	},
};

/* a static PIE: addresses from 0x1000, PT_PHDR present */
static const struct mmt_elf prog_pie = {
	.type = ET_DYN,
	.entry = 0x1100,
	.nr_segs = 2,
	.segs = {
		{ 0x1000, 0x900, 0x900, PF_R | PF_X },
		{ 0x3e10, 0x200, 0x1400, PF_R | PF_W },
	},
	.pt_phdr = true,
};

/* data starts in the page where text ends */
static const struct mmt_elf prog_shared = {
	.type = ET_EXEC,
	.entry = 0x401010,
	.nr_segs = 2,
	.segs = {
		{ 0x401000, 0x800, 0x800, PF_R | PF_X },
		{ 0x401a00, 0x300, 0x900, PF_R | PF_W },
	},
};

static const struct mmt_elf ld_so = {
	.type = ET_DYN,
	.entry = 0x10,
	.nr_segs = 2,
	.segs = {
		{ 0x0, 0x700, 0x700, PF_R | PF_X },
		{ 0x2000, 0x100, 0x1100, PF_R | PF_W },
	},
};

static const struct mmt_elf prog_dynamic = {
	.type = ET_EXEC,
	.entry = 0x401000,
	.nr_segs = 2,
	.segs = {
		{ 0x401000, 0x1000, 0x1000, PF_R | PF_X },
		{ 0x403000, 0x100, 0x2000, PF_R | PF_W },
	},
	.interp = "/lib/ld.so",
};

static void add_elf(const char *name, const struct mmt_elf *e)
{
	size_t len;
	u8 *img = mmt_elf_build(e, &len);

	files_add(name, 0755, img, len);
	free(img);
}

/* A raw image of size bytes of filler with these headers. */
struct raw_ph {
	u32 type;
	u32 flags;
	u64 offset;
	u64 vaddr;
	u64 filesz;
	u64 memsz;
};

static u8 *raw_build(u16 type, u64 entry, const struct raw_ph *ph, unsigned int n, size_t size)
{
	struct elf64_ehdr eh = { 0 };
	unsigned int i;
	u8 *buf = malloc(size);
	u64 o;

	assert_non_null(buf);
	assert_true(sizeof(eh) + n * sizeof(struct elf64_phdr) <= size);
	for (o = 0; o < size; o++)
		buf[o] = mmt_elf_byte(o);
	memcpy(eh.e_ident, "\177ELF", 4);
	eh.e_ident[4] = ELFCLASS64;
	eh.e_ident[5] = ELFDATA2LSB;
	eh.e_ident[6] = EV_CURRENT;
	eh.e_type = type;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(struct elf64_phdr);
	eh.e_phnum = n;
	memcpy(buf, &eh, sizeof(eh));
	for (i = 0; i < n; i++) {
		struct elf64_phdr p = { 0 };

		p.p_type = ph[i].type;
		p.p_flags = ph[i].flags;
		p.p_offset = ph[i].offset;
		p.p_vaddr = p.p_paddr = ph[i].vaddr;
		p.p_filesz = ph[i].filesz;
		p.p_memsz = ph[i].memsz;
		p.p_align = PAGE_SIZE;
		memcpy(buf + sizeof(eh) + i * sizeof(p), &p, sizeof(p));
	}
	return buf;
}

/* ------------------------------------------------------------- checks */
static u32 flags_prot(u32 f)
{
	return (f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) |
	       (f & PF_X ? PROT_EXEC : 0);
}

/* The page at a is in segment i's page range. */
static bool seg_has_page(const struct mmt_elf *e, unsigned int i, u64 bias, u64 a)
{
	u64 lo = (e->segs[i].vaddr + bias) & PAGE_MASK;
	u64 hi = ALIGN(e->segs[i].vaddr + bias + e->segs[i].memsz, PAGE_SIZE);

	return a >= lo && a < hi;
}

/*
 * What the byte at addr (in segment i's page at a) of a loaded e must be;
 * *from_file if it comes from the file. A page of one segment maps its
 * file page as mmap would: the bytes before p_vaddr are the file's too,
 * those after p_filesz are zero. A page two segments share holds each
 * one's file bytes and zeroes elsewhere.
 */
static u8 expected_byte(const struct mmt_elf *e, unsigned int i, u64 bias, u64 a, u64 addr,
			bool *from_file)
{
	bool shared = false;
	unsigned int j;
	u64 v;

	for (j = 0; j < e->nr_segs; j++)
		if (j != i && seg_has_page(e, j, bias, a))
			shared = true;
	*from_file = false;
	if (!shared) {
		v = e->segs[i].vaddr + bias;
		if (addr >= v + e->segs[i].filesz)
			return 0;
		*from_file = true;
		return mmt_elf_byte(mmt_elf_seg_offset(e, i) + addr - v);
	}
	for (j = 0; j < e->nr_segs; j++) {
		v = e->segs[j].vaddr + bias;
		if (addr >= v && addr < v + e->segs[j].filesz) {
			*from_file = true;
			return mmt_elf_byte(mmt_elf_seg_offset(e, j) + (addr - v));
		}
	}
	return 0;
}

/*
 * Every page of every segment holds the file bytes and zeroes past them
 * (bss, the rest of the last file page, gaps in a shared page), has the
 * segment's protection (the later segment's in a shared page), and a
 * page without file bytes is never sent: the processor zeroes it.
 */
static void check_image(u32 pid, const struct mmt_elf *e, u64 bias)
{
	static u8 page[PAGE_SIZE];
	unsigned int i, j;

	for (i = 0; i < e->nr_segs; i++) {
		u64 lo = (e->segs[i].vaddr + bias) & PAGE_MASK;
		u64 hi = ALIGN(e->segs[i].vaddr + bias + e->segs[i].memsz, PAGE_SIZE);
		u64 a, k;

		for (a = lo; a < hi; a += PAGE_SIZE) {
			u32 prot = 0, want = flags_prot(e->segs[i].flags);
			bool zero = false, any_file = false;

			/* a later segment starting in this page owns it */
			for (j = i + 1; j < e->nr_segs; j++)
				if (seg_has_page(e, j, bias, a))
					want = flags_prot(e->segs[j].flags);
			assert_int_equal(mmt_miss(pid, a, 0, page, &prot, &zero), 0);
			assert_int_equal(prot, want);
			for (k = 0; k < PAGE_SIZE; k++) {
				bool f;
				u8 b = expected_byte(e, i, bias, a, a + k, &f);

				any_file |= f;
				if (page[k] != b)
					fail_msg("segment %u, %#llx: byte %#x, expected %#x",
						 i, (unsigned long long)(a + k), page[k], b);
			}
			if (!any_file)
				assert_true(zero);
			assert_int_equal(mmt_miss(pid, a, M_MISS_EXEC, NULL, NULL, NULL),
					 want & (PROT_READ | PROT_EXEC) ? 0 : -EACCES);
			assert_int_equal(mmt_miss(pid, a, M_MISS_WRITE, NULL, NULL, NULL),
					 want & PROT_WRITE ? 0 : -EACCES);
		}
	}
}

static void read_string(u32 pid, u64 addr, char *buf, size_t size)
{
	size_t i;

	assert_true(addr >= STACK_LOW && addr < USER_STACK_TOP);
	for (i = 0; i < size; i++) {
		mmt_read(pid, addr + i, &buf[i], 1);
		if (!buf[i])
			return;
	}
	fail_msg("string at %#llx longer than %zu", (unsigned long long)addr, size);
}

#define MAX_STR		16
#define STR_LEN		256
#define AT_MAX		64

struct ustack {
	u64 argc;
	u64 envc;
	u64 argv_at[MAX_STR];
	char argv[MAX_STR][STR_LEN];
	char envp[MAX_STR][STR_LEN];
	u64 aux[AT_MAX];
	bool has[AT_MAX];
	unsigned int nr_aux;
	u64 end;		/* just past AT_NULL */
};

/* Parse the initial stack at sp as a C runtime's _start would. */
static void parse_stack(u32 pid, u64 sp, struct ustack *st)
{
	u64 p = sp, v;

	memset(st, 0, sizeof(*st));
	st->argc = mmt_read64(pid, p);
	p += 8;
	assert_true(st->argc <= MAX_STR);
	for (v = 0; v < st->argc; v++, p += 8) {
		st->argv_at[v] = mmt_read64(pid, p);
		read_string(pid, st->argv_at[v], st->argv[v], STR_LEN);
	}
	assert_int_equal(mmt_read64(pid, p), 0);
	for (p += 8; (v = mmt_read64(pid, p)); p += 8) {
		assert_true(st->envc < MAX_STR);
		read_string(pid, v, st->envp[st->envc++], STR_LEN);
	}
	for (p += 8;; p += 16) {
		u64 type = mmt_read64(pid, p), val = mmt_read64(pid, p + 8);

		if (type == AT_NULL)
			break;
		assert_true(type < AT_MAX);
		assert_false(st->has[type]);
		st->has[type] = true;
		st->aux[type] = val;
		st->nr_aux++;
	}
	st->end = p + 16;
}

static u32 cpuid1_edx(void)
{
	u32 a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

/* The auxv entries every program gets, whatever its kind. */
static void check_common_auxv(u32 pid, const struct ustack *st, const char *execfn)
{
	static const u8 zero16[16];
	char s[STR_LEN];
	u8 rnd[16];

	assert_int_equal(st->aux[AT_PHENT], sizeof(struct elf64_phdr));
	assert_true(st->has[AT_PAGESZ]);
	assert_int_equal(st->aux[AT_PAGESZ], PAGE_SIZE);
	assert_true(st->has[AT_CLKTCK]);
	assert_int_equal(st->aux[AT_CLKTCK], 100);
	assert_true(st->has[AT_SECURE]);
	assert_int_equal(st->aux[AT_SECURE], 0);
	assert_true(st->has[AT_HWCAP]);
	assert_int_equal(st->aux[AT_HWCAP], cpuid1_edx());
	assert_true(st->has[AT_UID] && st->has[AT_EUID] && st->has[AT_GID] && st->has[AT_EGID]);
	assert_int_equal(st->aux[AT_UID] | st->aux[AT_EUID] | st->aux[AT_GID] | st->aux[AT_EGID], 0);
	assert_true(st->has[AT_FLAGS]);

	/* 16 random bytes inside the stack, clear of the vectors */
	assert_true(st->has[AT_RANDOM]);
	assert_true(st->aux[AT_RANDOM] >= st->end);
	assert_true(st->aux[AT_RANDOM] + 16 <= USER_STACK_TOP);
	mmt_read(pid, st->aux[AT_RANDOM], rnd, sizeof(rnd));
	assert_memory_not_equal(rnd, zero16, sizeof(rnd));

	assert_true(st->has[AT_EXECFN]);
	assert_true(st->aux[AT_EXECFN] >= st->end);
	read_string(pid, st->aux[AT_EXECFN], s, sizeof(s));
	assert_string_equal(s, execfn);
	assert_true(st->has[AT_PLATFORM]);
	read_string(pid, st->aux[AT_PLATFORM], s, sizeof(s));
	assert_string_equal(s, "x86_64");
}

static void check_reply_stack(const struct m_exec_reply *rep)
{
	assert_int_equal(rep->stack_top, USER_STACK_TOP);
	/* the ABI: rsp is 16-byte aligned at the entry point, argc at (rsp) */
	assert_int_equal(rep->sp & 15, 0);
	assert_true(rep->sp > STACK_LOW && rep->sp < USER_STACK_TOP);
}

static void check_stack_vma(u32 pid, const struct m_exec_reply *rep)
{
	u32 prot = 0;
	bool zero = false;

	assert_int_equal(mmt_miss(pid, rep->sp, M_MISS_WRITE, NULL, &prot, NULL), 0);
	assert_int_equal(prot, PROT_READ | PROT_WRITE);
	/* the whole 8 MB is there, untouched below the vectors */
	assert_int_equal(mmt_miss(pid, STACK_LOW, 0, NULL, &prot, &zero), 0);
	assert_true(zero);
	assert_int_equal(mmt_miss(pid, STACK_LOW - PAGE_SIZE, 0, NULL, NULL, NULL), -EFAULT);
	assert_int_equal(mmt_miss(pid, USER_STACK_TOP, 0, NULL, NULL, NULL), -EFAULT);
}

/* ------------------------------------------------------- good programs */
static void test_exec_static(void **state)
{
	static const char *const argv[] = { "/bin/prog", "hello", "", "with spaces", NULL };
	static const char *const envp[] = { "HOME=/", "TERM=linux", NULL };
	static char maps[8192];
	struct m_exec_reply rep;
	struct ustack st;
	u64 free0, i;

	(void)state;
	files_begin();
	add_elf("bin/prog", &prog_exec);
	files_load();
	free0 = mmt_free_pages();

	assert_int_equal(mmt_exec(PID, "/bin/prog", argv, envp, &rep), 0);
	assert_int_equal(space_count(), 1);
	assert_int_equal(rep.entry, 0x401234);
	assert_int_equal(rep.start_brk, 0x40a000);	/* page after the last segment */
	assert_string_equal(rep.comm, "prog");
	check_reply_stack(&rep);

	parse_stack(PID, rep.sp, &st);
	assert_int_equal(st.argc, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(st.argv[i], argv[i]);
		assert_true(st.argv_at[i] >= st.end);
		if (i)
			assert_true(st.argv_at[i] > st.argv_at[i - 1]);
	}
	assert_int_equal(st.envc, 2);
	assert_string_equal(st.envp[0], "HOME=/");
	assert_string_equal(st.envp[1], "TERM=linux");
	assert_int_equal(st.nr_aux, 17);
	/* the headers are not in a segment: Linux's first-segment rule */
	assert_int_equal(st.aux[AT_PHDR], 0x400040);
	assert_int_equal(st.aux[AT_PHNUM], 3);
	assert_int_equal(st.aux[AT_ENTRY], 0x401234);
	assert_true(st.has[AT_BASE]);
	assert_int_equal(st.aux[AT_BASE], 0);
	check_common_auxv(PID, &st, "/bin/prog");

	check_image(PID, &prog_exec, 0);
	/*
	 * Spelled out: the data's file bytes end at 0x405100; the file goes
	 * on (rodata follows at 0x6000), but the rest of the page is bss.
	 */
	{
		u8 page[PAGE_SIZE], nonzero = 0;
		bool zero = true;

		assert_int_equal(mmt_miss(PID, 0x405000, 0, page, NULL, &zero), 0);
		assert_false(zero);
		for (i = 0; i < 0x100; i++)
			assert_int_equal(page[i], mmt_elf_byte(0x5000 + i));
		for (i = 0x100; i < PAGE_SIZE; i++) {
			assert_int_equal(page[i], 0);
			nonzero |= mmt_elf_byte(0x5000 + i);
		}
		assert_true(nonzero);	/* the file has data there */
		assert_int_equal(mmt_miss(PID, 0x406000, 0, page, NULL, &zero), 0);
		assert_true(zero);
	}
	check_stack_vma(PID, &rep);
	/* nothing between or around the segments */
	assert_int_equal(mmt_miss(PID, 0x400000, 0, NULL, NULL, NULL), -EFAULT);
	assert_int_equal(mmt_miss(PID, 0x403000, 0, NULL, NULL, NULL), -EFAULT);
	assert_int_equal(mmt_miss(PID, 0x408000, 0, NULL, NULL, NULL), -EFAULT);
	assert_int_equal(mmt_miss(PID, 0x40a000, 0, NULL, NULL, NULL), -EFAULT);

	assert_int_equal(mmt_maps(PID, maps, sizeof(maps)), 0);
	assert_non_null(strstr(maps, "000000401000-000000403000 r-xp 00001000 "));
	assert_non_null(strstr(maps, "000000404000-000000408000 rw-p 00004000 "));
	assert_non_null(strstr(maps, "000000409000-00000040a000 r--p 00006000 "));
	assert_non_null(strstr(maps, "/bin/prog\n"));
	assert_non_null(strstr(maps, "7fffff7de000-7ffffffde000 rw-p 00000000 00:00 0    [stack]\n"));

	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(space_count(), 0);
	assert_int_equal(mmt_free_pages(), free0);
}

static void test_exec_pie(void **state)
{
	const u64 bias = USER_PIE_BASE - 0x1000;
	static const char *const argv[] = { "pie", NULL };
	struct m_exec_reply rep;
	struct ustack st;
	u64 free0;

	(void)state;
	files_begin();
	add_elf("bin/pie", &prog_pie);
	files_load();
	free0 = mmt_free_pages();

	assert_int_equal(mmt_exec(PID, "/bin/pie", argv, NULL, &rep), 0);
	assert_int_equal(rep.entry, USER_PIE_BASE + 0x100);
	assert_int_equal(rep.start_brk, bias + 0x6000);
	assert_string_equal(rep.comm, "pie");
	check_reply_stack(&rep);

	parse_stack(PID, rep.sp, &st);
	assert_int_equal(st.argc, 1);
	assert_string_equal(st.argv[0], "pie");
	assert_int_equal(st.envc, 0);
	assert_int_equal(st.aux[AT_PHDR], bias + 0x40);	/* PT_PHDR, moved */
	assert_int_equal(st.aux[AT_PHNUM], 3);
	assert_int_equal(st.aux[AT_ENTRY], bias + 0x1100);
	assert_int_equal(st.aux[AT_BASE], 0);		/* no interpreter */
	check_common_auxv(PID, &st, "/bin/pie");

	check_image(PID, &prog_pie, bias);
	check_stack_vma(PID, &rep);
	/* nothing at the file's own addresses */
	assert_int_equal(mmt_miss(PID, 0x1000, 0, NULL, NULL, NULL), -EFAULT);
	assert_int_equal(mmt_miss(PID, 0x3000, 0, NULL, NULL, NULL), -EFAULT);

	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(mmt_free_pages(), free0);
}

/*
 * A PIE laid out as linkers do: the first PT_LOAD maps the file from
 * offset 0, headers included, so the program headers can be read at
 * AT_PHDR (what a static PIE's self-relocation and libc do), with and
 * without PT_PHDR.
 */
static void test_exec_phdrs_readable(void **state)
{
	static const char *const argv[] = { "pie", NULL };
	const u64 bias = USER_PIE_BASE;
	struct raw_ph ph[] = {
		{ PT_PHDR, PF_R, 0x40, 0x40, 3 * 56, 3 * 56 },
		{ PT_LOAD, PF_R, 0, 0, 0x1000, 0x1000 },
		{ PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x800, 0x800 },
	};
	int with_pt_phdr;

	(void)state;
	for (with_pt_phdr = 0; with_pt_phdr < 2; with_pt_phdr++) {
		const struct raw_ph *p = with_pt_phdr ? ph : ph + 1;
		unsigned int n = with_pt_phdr ? 3 : 2, i;
		u8 *img = raw_build(ET_DYN, 0x1000, p, n, 0x1800);
		u8 got[3 * sizeof(struct elf64_phdr)];
		struct m_exec_reply rep;
		struct ustack st;

		files_begin();
		files_add("bin/pie", 0755, img, 0x1800);
		files_load();
		assert_int_equal(mmt_exec(PID, "/bin/pie", argv, NULL, &rep), 0);
		assert_int_equal(rep.entry, bias + 0x1000);
		parse_stack(PID, rep.sp, &st);
		assert_int_equal(st.aux[AT_PHDR], bias + 0x40);
		assert_int_equal(st.aux[AT_PHNUM], n);
		mmt_read(PID, st.aux[AT_PHDR], got, n * sizeof(struct elf64_phdr));
		assert_memory_equal(got, img + 0x40, n * sizeof(struct elf64_phdr));
		for (i = 0; i < 0x1800; i += 0x100) {
			u8 b;

			mmt_read(PID, bias + i, &b, 1);
			assert_int_equal(b, img[i]);
		}
		assert_int_equal(mmt_exit(PID), 0);
		files_end();
		free(img);
	}
}

static void test_exec_shared_page(void **state)
{
	struct m_exec_reply rep;
	u64 free0;

	(void)state;
	files_begin();
	add_elf("bin/prog", &prog_shared);
	files_load();
	free0 = mmt_free_pages();
	assert_int_equal(mmt_exec(PID, "/bin/prog", NULL, NULL, &rep), 0);
	assert_int_equal(rep.start_brk, 0x403000);
	/* 0x401000: text, zeroes, data, zeroes; mapped rw- like the data */
	check_image(PID, &prog_shared, 0);
	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(mmt_free_pages(), free0);
}

/* A 64 GB bss costs nothing until it is written. */
static void test_exec_big_bss_is_lazy(void **state)
{
	struct mmt_elf e = prog_exec;
	struct m_exec_reply rep;
	u64 free0, used;
	u32 prot = 0;
	bool zero = false;

	(void)state;
	e.segs[1].memsz = 64ULL << 30;
	e.nr_segs = 2;
	files_begin();
	add_elf("bin/prog", &e);
	files_load();
	free0 = mmt_free_pages();
	assert_int_equal(mmt_exec(PID, "/bin/prog", NULL, NULL, &rep), 0);
	used = free0 - mmt_free_pages();
	assert_true(used < 32);
	assert_int_equal(rep.start_brk, ALIGN(0x404100 + (64ULL << 30), PAGE_SIZE));
	assert_int_equal(mmt_miss(PID, 0x404100 + (64ULL << 30) - 1, M_MISS_WRITE, NULL,
				  &prot, &zero), 0);
	assert_true(zero);
	assert_int_equal(prot, PROT_READ | PROT_WRITE);
	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(mmt_free_pages(), free0);
}

static void test_exec_interpreter(void **state)
{
	const u64 base = USER_MMAP_BASE - 0x4000;	/* ld.so spans 4 pages */
	struct m_exec_reply rep;
	struct ustack st;

	(void)state;
	files_begin();
	add_elf("bin/dyn", &prog_dynamic);
	add_elf("lib/ld.so", &ld_so);
	files_load();
	assert_int_equal(mmt_exec(PID, "/bin/dyn", NULL, NULL, &rep), 0);
	assert_int_equal(rep.entry, base + 0x10);	/* the interpreter starts */
	assert_int_equal(rep.start_brk, 0x405000);	/* the program's break */
	assert_string_equal(rep.comm, "dyn");
	check_reply_stack(&rep);
	parse_stack(PID, rep.sp, &st);
	assert_int_equal(st.aux[AT_BASE], base);
	assert_int_equal(st.aux[AT_ENTRY], 0x401000);	/* the program's entry */
	assert_int_equal(st.aux[AT_PHNUM], 3);
	assert_int_equal(st.aux[AT_PHDR], 0x400040);
	check_common_auxv(PID, &st, "/bin/dyn");
	check_image(PID, &prog_dynamic, 0);
	check_image(PID, &ld_so, base);
	assert_int_equal(mmt_exit(PID), 0);
}

/* "#!interp arg" runs "interp arg script argv[1..]". */
static void test_exec_script(void **state)
{
	static const char script[] = "#! /bin/prog  -x -y \t\nexit 0\n";
	static const char *const argv[] = { "run-me", "a1", "a2", NULL };
	struct m_exec_reply rep;
	struct ustack st;

	(void)state;
	files_begin();
	add_elf("bin/prog", &prog_exec);
	files_add("bin/script", 0755, script, sizeof(script) - 1);
	files_add("bin/loop", 0755, "#!/bin/loop\n", 12);
	files_add("bin/nointerp", 0755, "#!  \n", 5);
	files_add("bin/missing", 0755, "#!/bin/none\n", 12);
	files_load();
	assert_int_equal(mmt_exec(PID, "/bin/script", argv, NULL, &rep), 0);
	assert_int_equal(rep.entry, 0x401234);
	assert_string_equal(rep.comm, "script");
	parse_stack(PID, rep.sp, &st);
	assert_int_equal(st.argc, 5);
	assert_string_equal(st.argv[0], "/bin/prog");
	assert_string_equal(st.argv[1], "-x -y");	/* one argument, as Linux */
	assert_string_equal(st.argv[2], "/bin/script");
	assert_string_equal(st.argv[3], "a1");
	assert_string_equal(st.argv[4], "a2");
	check_common_auxv(PID, &st, "/bin/script");
	assert_int_equal(mmt_exit(PID), 0);

	assert_int_equal(mmt_exec(PID, "/bin/loop", argv, NULL, &rep), -ELOOP);
	assert_int_equal(mmt_exec(PID, "/bin/nointerp", argv, NULL, &rep), -ENOEXEC);
	assert_int_equal(mmt_exec(PID, "/bin/missing", argv, NULL, &rep), -ENOENT);
	assert_int_equal(space_count(), 0);
}

/* A new exec replaces the old space; its pages go. */
static void test_exec_replaces(void **state)
{
	struct m_mmap_req mm = { 0 };
	struct m_exec_reply rep, rep2;
	struct m_addr_reply addr;
	u8 page[PAGE_SIZE];
	u64 free0, free1;

	(void)state;
	files_begin();
	add_elf("bin/prog", &prog_exec);
	add_elf("bin/pie", &prog_pie);
	files_load();
	free0 = mmt_free_pages();
	assert_int_equal(mmt_exec(PID, "/bin/prog", NULL, NULL, &rep), 0);
	free1 = mmt_free_pages();

	mm.addr = 0x20000000;
	mm.len = 4 * PAGE_SIZE;
	mm.pid = PID;
	mm.prot = PROT_READ | PROT_WRITE;
	mm.flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	assert_int_equal(mmt_call(M_OP_MMAP, &mm, sizeof(mm), &addr, sizeof(addr), NULL), 0);
	memset(page, 0x5a, sizeof(page));
	assert_int_equal(mmt_writeback(PID, 0x20000000, page), 0);
	assert_int_equal(mmt_writeback(PID, 0x20003000, page), 0);
	assert_true(mmt_free_pages() < free1);

	/* the same program again: the same footprint, the mapping gone */
	assert_int_equal(mmt_exec(PID, "/bin/prog", NULL, NULL, &rep2), 0);
	assert_int_equal(space_count(), 1);
	assert_int_equal(mmt_free_pages(), free1);
	assert_int_equal(mmt_miss(PID, 0x20000000, 0, NULL, NULL, NULL), -EFAULT);
	check_image(PID, &prog_exec, 0);

	assert_int_equal(mmt_exec(PID, "/bin/pie", NULL, NULL, &rep2), 0);
	assert_int_equal(mmt_miss(PID, 0x401000, 0, NULL, NULL, NULL), -EFAULT);
	check_image(PID, &prog_pie, USER_PIE_BASE - 0x1000);
	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(mmt_free_pages(), free0);
}

/* ------------------------------------------------------------ failures */
/*
 * exec of path fails with err: into a pid without a space (none is left
 * behind) and into one with a space (kept exactly as it was), and
 * neither leaks a page.
 */
static void expect_exec_fails(const char *path, int err, const char *what)
{
	static const char *const argv[] = { "x", "arg", NULL };
	static const char *const envp[] = { "A=b", NULL };
	static char maps0[8192], maps1[8192];
	static u8 page0[PAGE_SIZE], page1[PAGE_SIZE];
	struct m_exec_reply rep;
	unsigned long spaces = space_count();
	u64 free0 = mmt_free_pages(), free1;
	int ret;

	ret = mmt_exec(PID_NEW, path, argv, envp, &rep);
	if (ret != err)
		fail_msg("%s: exec into a new pid returned %d, expected %d", what, ret, err);
	assert_int_equal(space_count(), spaces);
	assert_int_equal(mmt_maps(PID_NEW, maps0, sizeof(maps0)), -ESRCH);
	if (mmt_free_pages() != free0)
		fail_msg("%s: %lld pages leaked", what, (long long)(free0 - mmt_free_pages()));

	assert_int_equal(mmt_exec(PID_OLD, "/bin/good", argv, envp, &rep), 0);
	assert_int_equal(mmt_maps(PID_OLD, maps0, sizeof(maps0)), 0);
	mmt_read(PID_OLD, rep.sp & PAGE_MASK, page0, PAGE_SIZE);
	free1 = mmt_free_pages();
	ret = mmt_exec(PID_OLD, path, argv, envp, &rep);
	if (ret != err)
		fail_msg("%s: exec over a space returned %d, expected %d", what, ret, err);
	assert_int_equal(mmt_maps(PID_OLD, maps1, sizeof(maps1)), 0);
	assert_string_equal(maps1, maps0);
	mmt_read(PID_OLD, rep.sp & PAGE_MASK, page1, PAGE_SIZE);
	assert_memory_equal(page1, page0, PAGE_SIZE);
	if (mmt_free_pages() != free1)
		fail_msg("%s: %lld pages leaked over a space", what,
			 (long long)(free1 - mmt_free_pages()));
	assert_int_equal(mmt_exit(PID_OLD), 0);
	assert_int_equal(mmt_free_pages(), free0);
}

static void test_exec_missing_and_unusable(void **state)
{
	static const char *const argv[] = { "sh", NULL };
	struct m_exec_reply rep;
	size_t len;
	u8 *img = mmt_elf_build(&prog_exec, &len);

	(void)state;
	files_begin();
	files_add("bin/good", 0755, img, len);
	files_add("bin/noexec", 0644, img, len);
	mmt_cpio_symlink(&cpio, "bin/sh", "good");
	mmt_cpio_symlink(&cpio, "bin/dangling", "nowhere");
	mmt_cpio_dir(&cpio, "bin/dir");
	mmt_cpio_add(&cpio, "bin/fifo", 0010755, NULL, 0);
	files_add("bin/empty", 0755, NULL, 0);
	files_load();
	free(img);

	expect_exec_fails("/bin/missing", -ENOENT, "missing file");
	expect_exec_fails("/nodir/good", -ENOENT, "missing directory");
	expect_exec_fails("/bin/dangling", -ENOENT, "dangling symlink");
	expect_exec_fails("", -ENOENT, "empty path");
	expect_exec_fails("/bin/dir", -EACCES, "directory");
	expect_exec_fails("/bin", -EACCES, "directory /bin");
	expect_exec_fails("/", -EACCES, "root directory");
	expect_exec_fails("/bin/fifo", -EACCES, "fifo");
	expect_exec_fails("/bin/noexec", -EACCES, "no x bit");
	expect_exec_fails("/bin/good/x", -ENOTDIR, "file used as a directory");
	expect_exec_fails("/bin/good/", -ENOTDIR, "file with a trailing slash");
	expect_exec_fails("/bin/empty", -ENOEXEC, "empty file");

	/* through a symlink: the name is the link's */
	assert_int_equal(mmt_exec(PID, "/bin/sh", argv, NULL, &rep), 0);
	assert_string_equal(rep.comm, "sh");
	assert_int_equal(rep.entry, 0x401234);
	assert_int_equal(mmt_exit(PID), 0);
}

static void bad_image(const u8 *good, size_t good_len, const u8 *img, size_t len,
		      const char *what)
{
	files_begin();
	files_add("bin/good", 0755, good, good_len);
	files_add("bin/bad", 0755, img, len);
	files_load();
	expect_exec_fails("/bin/bad", -ENOEXEC, what);
	files_end();
}

/*
 * Apply a mutation to a copy of base (eh: its header, ph: its phdrs, l:
 * its length); it must not load, with good as the caller's program.
 */
#define BAD(mutation, what)							\
	do {									\
		u8 *b = malloc(base_len);					\
		size_t l = base_len;						\
		struct elf64_ehdr *eh = (void *)b;				\
		struct elf64_phdr *ph;						\
										\
		assert_non_null(b);						\
		memcpy(b, base, base_len);					\
		ph = (void *)(b + eh->e_phoff);					\
		(void)ph;							\
		mutation;							\
		bad_image(good, good_len, b, l, what);				\
		free(b);							\
	} while (0)

static void test_exec_bad_elf_cases(void **state)
{
	static const struct mmt_elf two = {
		.type = ET_EXEC,
		.entry = 0x401000,
		.nr_segs = 2,
		.segs = {
			{ 0x401000, 0x1800, 0x1800, PF_R | PF_X },
			{ 0x404100, 0x1000, 0x3000, PF_R | PF_W },
		},
	};
	size_t base_len, good_len;
	u8 *base = mmt_elf_build(&two, &base_len), *good = base;
	struct m_exec_reply rep;

	(void)state;
	good_len = base_len;
	/* the unchanged image loads */
	files_begin();
	files_add("bin/good", 0755, base, base_len);
	files_load();
	assert_int_equal(mmt_exec(PID, "/bin/good", NULL, NULL, &rep), 0);
	check_image(PID, &two, 0);
	assert_int_equal(mmt_exit(PID), 0);
	files_end();

	/* truncated */
	BAD(l = 0, "empty file");
	BAD(l = 3, "three bytes of magic");
	BAD(l = sizeof(struct elf64_ehdr) - 1, "truncated ELF header");
	BAD(l = sizeof(struct elf64_ehdr) + sizeof(struct elf64_phdr) + 20,
	    "truncated program headers");
	BAD(l = 0x4100 + 0x800, "truncated in the last segment");
	BAD(l -= 1, "last segment one byte short");
	/* identification */
	BAD(b[3] = 'G', "bad magic");
	BAD(b[0] = 0x7e, "bad magic byte 0");
	BAD(b[4] = 1, "ELFCLASS32");
	BAD(b[4] = 0, "ELFCLASSNONE");
	BAD(b[5] = 2, "big endian");
	BAD(b[6] = 0, "EI_VERSION 0");
	BAD(eh->e_machine = 3, "EM_386");
	BAD(eh->e_machine = 183, "EM_AARCH64");
	BAD(eh->e_machine = 0, "EM_NONE");
	BAD(eh->e_type = 1, "ET_REL");
	BAD(eh->e_type = 4, "ET_CORE");
	BAD(eh->e_type = 0, "ET_NONE");
	/* the program header table */
	BAD(eh->e_phentsize = 32, "short phentsize");
	BAD(eh->e_phentsize = 64, "long phentsize");
	BAD(eh->e_phnum = 0, "no program headers");
	BAD(eh->e_phnum = 0xffff, "65535 program headers");
	BAD(eh->e_phoff = l, "phdrs at end of file");
	BAD(eh->e_phoff = l - sizeof(struct elf64_phdr), "phdrs cross end of file");
	BAD(eh->e_phoff = ~0ULL - 8, "phoff wraps");
	BAD(eh->e_phoff = 1ULL << 40, "phoff far past the end");
	/* segments */
	BAD(ph[1].p_offset += 0x100000, "p_offset past end of file");
	BAD(ph[1].p_offset = ~0ULL & ~0xfffULL, "p_offset huge");
	BAD(ph[1].p_filesz = ph[1].p_memsz = ~0ULL, "p_filesz wraps");
	BAD(ph[1].p_memsz = ph[1].p_filesz - 1, "filesz > memsz");
	BAD(ph[0].p_memsz = ph[0].p_filesz = 0x1800; ph[0].p_filesz++, "filesz = memsz + 1");
	BAD(ph[1].p_vaddr = 0x402100, "overlapping segments");
	BAD(ph[1].p_vaddr = 0x401100, "segment inside another");
	BAD(ph[1].p_vaddr = 0x300100, "segments out of order");
	BAD(ph[1].p_memsz = 1ULL << 47, "segment past user space");
	BAD(ph[1].p_memsz = ~0ULL - 0x1000, "segment wraps");
	BAD(ph[1].p_memsz = USER_ADDR_MAX - 0x404100, "segment over the stack");
	BAD(ph[1].p_vaddr = 0xffff800000004100ULL, "segment in the kernel half");
	BAD(ph[1].p_vaddr = STACK_LOW + 0x100, "segment in the stack");
	BAD(ph[1].p_vaddr += 0x10, "vaddr and offset disagree in the page");
	BAD(ph[0].p_vaddr = 0x1000; ph[1].p_vaddr = 0x4100, "below mmap_min_addr");
	BAD(ph[0].p_vaddr = 0x0; ph[0].p_offset = 0x0; ph[1].p_vaddr = 0x4100,
	    "ET_EXEC at address 0");
	BAD(eh->e_type = ET_DYN; ph[1].p_vaddr += 2ULL << 40, "ET_DYN spanning 2 TB");
	BAD(ph[0].p_type = PT_NOTE; ph[1].p_type = PT_NOTE, "no PT_LOAD");
	BAD(ph[0].p_memsz = ph[0].p_filesz = 0; ph[1].p_memsz = ph[1].p_filesz = 0,
	    "only empty PT_LOADs");
	free(base);
}

/* PT_INTERP problems, and interpreters that cannot be used. */
static void test_exec_bad_interpreter(void **state)
{
	struct mmt_elf ld_needs_ld = ld_so;
	size_t len, good_len, ld_len, ld2_len;
	u8 *good = mmt_elf_build(&prog_exec, &good_len);
	u8 *img = mmt_elf_build(&prog_dynamic, &len);
	u8 *ld = mmt_elf_build(&ld_so, &ld_len), *ld2, *b;
	struct elf64_phdr *ph = (void *)(img + sizeof(struct elf64_ehdr));
	const char *const cases[][2] = {
		{ "/lib/nope", "interpreter missing" },
		{ "/lib", "interpreter is a directory" },
		{ "/lib/txt", "interpreter is not ELF" },
		{ "/lib/ld2", "interpreter wants an interpreter" },
		{ "/lib/ld.so", "good interpreter" },
	};
	/* Linux says ELIBBAD for an unusable interpreter; include/uapi has no ELIBBAD */
	const int errs[] = { -ENOENT, -EACCES, -ENOEXEC, -ENOEXEC, 0 };
	unsigned int i;

	(void)state;
	assert_int_equal(ph[0].p_type, PT_INTERP);
	ld_needs_ld.interp = "/lib/ld.so";
	ld2 = mmt_elf_build(&ld_needs_ld, &ld2_len);

	/* the interpreter path, patched in place ("/lib/ld.so" is 10 bytes) */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char path[16] = { 0 };

		b = malloc(len);
		memcpy(b, img, len);
		strncpy(path, cases[i][0], sizeof(path) - 1);
		assert_true(strlen(path) <= 10);
		memset(b + ph[0].p_offset, 0, 11);
		memcpy(b + ph[0].p_offset, path, strlen(path));
		files_begin();
		files_add("bin/good", 0755, good, good_len);
		files_add("bin/dyn", 0755, b, len);
		files_add("lib/ld.so", 0755, ld, ld_len);
		files_add("lib/ld2", 0755, ld2, ld2_len);
		files_add("lib/txt", 0755, "not an ELF at all", 17);
		files_load();
		if (errs[i]) {
			expect_exec_fails("/bin/dyn", errs[i], cases[i][1]);
		} else {
			struct m_exec_reply rep;

			assert_int_equal(mmt_exec(PID, "/bin/dyn", NULL, NULL, &rep), 0);
			assert_int_equal(mmt_exit(PID), 0);
		}
		files_end();
		free(b);
	}

	/* the PT_INTERP entry itself */
	{
		const u8 *base = img;
		size_t base_len = len;

		BAD(b[ph[0].p_offset + ph[0].p_filesz - 1] = 'x', "PT_INTERP not NUL-terminated");
		BAD(ph[0].p_filesz = 1, "PT_INTERP empty");
		BAD(b[ph[0].p_offset] = 0, "PT_INTERP empty string");
		BAD(ph[0].p_offset = l, "PT_INTERP past end of file");
		BAD(ph[0].p_filesz = 8192, "PT_INTERP longer than PATH_MAX");
		BAD(ph[1].p_type = PT_INTERP, "two PT_INTERPs");
	}
	free(good);
	free(img);
	free(ld);
	free(ld2);
}

/* ELF_MAX_SEGS PT_LOADs are fine, one more is not. */
static void test_exec_segment_count(void **state)
{
	struct raw_ph ph[ELF_MAX_SEGS + 1];
	size_t size = (ELF_MAX_SEGS + 2) * PAGE_SIZE, good_len;
	u8 *good = mmt_elf_build(&prog_exec, &good_len);
	struct m_exec_reply rep;
	unsigned int i;
	u8 *img;

	(void)state;
	for (i = 0; i <= ELF_MAX_SEGS; i++) {
		ph[i].type = PT_LOAD;
		ph[i].flags = i & 1 ? PF_R : PF_R | PF_X;
		ph[i].offset = (i + 1) * PAGE_SIZE;
		ph[i].vaddr = 0x400000 + (i + 1) * PAGE_SIZE;
		ph[i].filesz = ph[i].memsz = PAGE_SIZE;
	}
	img = raw_build(ET_EXEC, 0x401000, ph, ELF_MAX_SEGS, size);
	files_begin();
	files_add("bin/good", 0755, img, size);
	files_load();
	assert_int_equal(mmt_exec(PID, "/bin/good", NULL, NULL, &rep), 0);
	assert_int_equal(mmt_miss(PID, 0x400000 + ELF_MAX_SEGS * PAGE_SIZE, M_MISS_EXEC,
				  NULL, NULL, NULL), 0);
	assert_int_equal(mmt_exit(PID), 0);
	files_end();
	free(img);

	img = raw_build(ET_EXEC, 0x401000, ph, ELF_MAX_SEGS + 1, size);
	bad_image(good, good_len, img, size, "33 PT_LOADs");
	free(img);
	free(good);
}

/* Argument limits (E2BIG, as Linux's MAX_ARG_STRLEN and 1/4 of the stack). */
static void test_exec_arg_limits(void **state)
{
	const size_t max = 32 * PAGE_SIZE;	/* MAX_ARG_STRLEN, NUL included */
	char *big = malloc(max + 1), *copy;
	const char *argv[20];
	struct m_exec_reply rep;
	u64 free0;
	unsigned int i;

	(void)state;
	files_begin();
	add_elf("bin/prog", &prog_exec);
	files_load();
	free0 = mmt_free_pages();

	/* the longest argument there may be */
	memset(big, 'a', max);
	big[max - 1] = 0;
	argv[0] = "prog";
	argv[1] = big;
	argv[2] = NULL;
	assert_int_equal(mmt_exec(PID, "/bin/prog", argv, NULL, &rep), 0);
	assert_int_equal(mmt_read64(PID, rep.sp), 2);
	copy = malloc(max);
	assert_non_null(copy);
	mmt_read(PID, mmt_read64(PID, rep.sp + 16), copy, max);
	assert_memory_equal(copy, big, max);
	free(copy);
	assert_int_equal(mmt_exit(PID), 0);
	/* one byte more */
	big[max - 1] = 'a';
	big[max] = 0;
	assert_int_equal(mmt_exec(PID, "/bin/prog", argv, NULL, &rep), -E2BIG);
	assert_int_equal(mmt_exec(PID, "/bin/prog", NULL, argv, &rep), -E2BIG);
	assert_int_equal(space_count(), 0);

	/* 17 long ones add up to more than a quarter of the 8 MB stack */
	big[max - 1] = 0;
	for (i = 0; i < 17; i++)
		argv[i] = big;
	argv[17] = NULL;
	assert_int_equal(mmt_exec(PID, "/bin/prog", argv, NULL, &rep), -E2BIG);
	assert_int_equal(space_count(), 0);
	assert_int_equal(mmt_free_pages(), free0);
	/* 15 fit */
	argv[15] = NULL;
	assert_int_equal(mmt_exec(PID, "/bin/prog", argv, NULL, &rep), 0);
	assert_int_equal(mmt_read64(PID, rep.sp), 15);
	assert_int_equal(mmt_read64(PID, rep.sp + 16 * 8), 0);	/* argv[15] */
	assert_true(rep.sp < USER_STACK_TOP - 15 * (max - 1));
	assert_int_equal(mmt_exit(PID), 0);
	assert_int_equal(mmt_free_pages(), free0);
	free(big);
}

/* Requests that could not come from a well-behaved processor. */
static void test_exec_malformed_request(void **state)
{
	u8 buf[sizeof(struct m_exec_req) + 64];
	struct m_exec_req *req = (void *)buf;
	static const char strings[] = "/bin/prog\0a\0b";	/* 14 bytes with the NUL */
	struct m_exec_reply rep;

	(void)state;
	files_begin();
	add_elf("bin/prog", &prog_exec);
	files_load();
	memset(buf, 0, sizeof(buf));
	req->pid = PID;
	req->argc = 2;
	req->envc = 0;
	req->strings_len = sizeof(strings);
	memcpy(req->strings, strings, sizeof(strings));
	assert_int_equal(mmt_call(M_OP_EXEC, buf, sizeof(*req) + sizeof(strings), &rep,
				  sizeof(rep), NULL), 0);
	assert_int_equal(mmt_exit(PID), 0);

	assert_int_equal(mmt_call(M_OP_EXEC, buf, sizeof(*req) - 1, NULL, 0, NULL), -EINVAL);
	/* strings_len beyond the message */
	assert_int_equal(mmt_call(M_OP_EXEC, buf, sizeof(*req) + sizeof(strings) - 1, NULL, 0,
				  NULL), -EINVAL);
	/* more strings announced than sent */
	req->argc = 3;
	assert_int_equal(mmt_call(M_OP_EXEC, buf, sizeof(*req) + sizeof(strings), NULL, 0, NULL),
			 -EINVAL);
	req->argc = 2;
	req->envc = 0xffffffff;
	assert_int_equal(mmt_call(M_OP_EXEC, buf, sizeof(*req) + sizeof(strings), NULL, 0, NULL),
			 -EINVAL);
	/* the last string not terminated */
	req->envc = 0;
	req->strings_len = sizeof(strings) - 1;
	assert_int_equal(mmt_call(M_OP_EXEC, buf, sizeof(*req) + sizeof(strings), NULL, 0, NULL),
			 -EINVAL);
	assert_int_equal(space_count(), 0);

	/* no archive at all: nothing can be found */
	files_end();
	assert_int_equal(mmt_exec(PID, "/bin/prog", NULL, NULL, &rep), -ENOENT);
	assert_int_equal(space_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_static, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_pie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_phdrs_readable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_shared_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_big_bss_is_lazy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_interpreter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_missing_and_unusable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_bad_elf_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_bad_interpreter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_segment_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_arg_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_malformed_request, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
