// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF64 loader: checks an executable image thoroughly (anything odd
 * is ENOEXEC, never a crash or a half-built space) and turns its PT_LOAD
 * segments into file-backed private VMAs whose tail past p_filesz reads
 * as zero.
 */
#include <lego/errno.h>
#include <lego/string.h>

#include "internal.h"
#include "elf.h"

static u32 seg_prot(u32 flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

static int check_ehdr(const struct elf64_ehdr *eh, u64 size)
{
	u64 ph_bytes;

	if (memcmp(eh->e_ident, "\177ELF", 4) || eh->e_ident[4] != ELFCLASS64 ||
	    eh->e_ident[5] != ELFDATA2LSB || eh->e_ident[6] != EV_CURRENT)
		return -ENOEXEC;
	if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || !eh->e_phnum ||
	    eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	ph_bytes = (u64)eh->e_phnum * sizeof(struct elf64_phdr);
	if (eh->e_phoff > size || size - eh->e_phoff < ph_bytes)
		return -ENOEXEC;
	return 0;
}

static int add_load(struct elf_image *img, const struct elf64_phdr *ph, u64 size)
{
	struct elf_seg *s;

	if (!ph->p_memsz)
		return 0;	/* nothing to map */
	if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
	    size - ph->p_offset < ph->p_filesz)
		return -ENOEXEC;
	if (ph->p_vaddr > USER_ADDR_MAX || USER_ADDR_MAX - ph->p_vaddr < ph->p_memsz)
		return -ENOEXEC;
	/* a page maps one file page: offsets and addresses agree within it */
	if ((ph->p_vaddr ^ ph->p_offset) & ~PAGE_MASK)
		return -ENOEXEC;
	if (img->nr_segs == ELF_MAX_SEGS)
		return -ENOEXEC;
	if (img->nr_segs) {
		const struct elf_seg *prev = &img->segs[img->nr_segs - 1];

		/* the ABI wants them sorted; overlapping bytes make no sense */
		if (ph->p_vaddr < prev->vaddr + prev->memsz)
			return -ENOEXEC;
	}
	s = &img->segs[img->nr_segs++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->prot = seg_prot(ph->p_flags);
	return 0;
}

static int add_interp(struct elf_image *img, const struct elf64_phdr *ph,
		      const u8 *data, u64 size)
{
	if (img->interp || ph->p_filesz < 2 || ph->p_filesz > ARC_PATH_MAX ||
	    ph->p_offset > size || size - ph->p_offset < ph->p_filesz)
		return -ENOEXEC;
	if (data[ph->p_offset + ph->p_filesz - 1])
		return -ENOEXEC;	/* not NUL-terminated */
	img->interp = (const char *)data + ph->p_offset;
	img->interp_len = strnlen(img->interp, ph->p_filesz);
	if (!img->interp_len)
		return -ENOEXEC;
	return 0;
}

/* Where the program headers land: PT_PHDR, else the segment holding them. */
static u64 find_phdr(const struct elf_image *img, u64 phoff, bool have_pt_phdr, u64 pt_phdr)
{
	u64 bytes = (u64)img->phnum * sizeof(struct elf64_phdr);
	unsigned int i;

	if (have_pt_phdr)
		return pt_phdr;
	for (i = 0; i < img->nr_segs; i++) {
		const struct elf_seg *s = &img->segs[i];

		if (phoff >= s->offset && phoff + bytes <= s->offset + s->filesz)
			return s->vaddr + (phoff - s->offset);
	}
	/* as Linux: the first segment's base plus the file offset */
	return img->segs[0].vaddr - img->segs[0].offset + phoff;
}

int elf_parse(const u8 *data, u64 size, struct elf_image *img)
{
	struct elf64_ehdr eh;
	bool have_pt_phdr = false;
	u64 pt_phdr = 0;
	unsigned int i;
	int ret;

	memset(img, 0, sizeof(*img));
	if (size < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, data, sizeof(eh));
	ret = check_ehdr(&eh, size);
	if (ret)
		return ret;
	img->type = eh.e_type;
	img->phnum = eh.e_phnum;
	img->entry = eh.e_entry;

	for (i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD) {
			ret = add_load(img, &ph, size);
		} else if (ph.p_type == PT_INTERP) {
			ret = add_interp(img, &ph, data, size);
		} else {
			if (ph.p_type == PT_PHDR) {
				have_pt_phdr = true;
				pt_phdr = ph.p_vaddr;
			}
			ret = 0;
		}
		if (ret)
			return ret;
	}
	if (!img->nr_segs)
		return -ENOEXEC;
	img->lo = img->segs[0].vaddr & PAGE_MASK;
	img->hi = ALIGN(img->segs[img->nr_segs - 1].vaddr + img->segs[img->nr_segs - 1].memsz,
			PAGE_SIZE);
	if (img->type == ET_EXEC && img->lo < USER_ADDR_MIN)
		return -ENOEXEC;
	if (img->type == ET_DYN && img->hi - img->lo > ELF_MAX_SPAN)
		return -ENOEXEC;
	img->phdr_vaddr = find_phdr(img, eh.e_phoff, have_pt_phdr, pt_phdr);
	return 0;
}

/* Copy seg's file bytes that fall in the page at page_addr (biased). */
static void seg_fill(const struct elf_seg *s, const u8 *data, u64 bias,
		     unsigned long page_addr, u8 *page)
{
	u64 lo = max((u64)page_addr, s->vaddr + bias);
	u64 hi = min((u64)page_addr + PAGE_SIZE, s->vaddr + bias + s->filesz);

	if (lo < hi)
		memcpy(page + (lo - page_addr), data + s->offset + (lo - s->vaddr - bias), hi - lo);
}

/*
 * Two segments share a page: it gets the later one's VMA (as mapping it
 * over the earlier one would) and is built now from every segment's bytes.
 */
static int build_shared_page(struct vmspace *vm, const struct arc_node *file,
			     const struct elf_image *img, u64 bias, unsigned long addr)
{
	struct page *page = mpage_alloc(true);
	unsigned int i;

	if (!page)
		return -ENOMEM;
	for (i = 0; i < img->nr_segs; i++)
		seg_fill(&img->segs[i], file->data, bias, addr, mpage_address(page));
	if (pt_set(&vm->pt, addr, page)) {
		mpage_put(page);
		return -ENOMEM;
	}
	return 0;
}

int elf_map(struct vmspace *vm, const struct arc_node *file,
	    const struct elf_image *img, u64 bias)
{
	unsigned long prev_end = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < img->nr_segs; i++) {
		const struct elf_seg *s = &img->segs[i];
		struct vma tmpl = { 0 };
		bool shared;

		tmpl.start = (s->vaddr + bias) & PAGE_MASK;
		tmpl.end = ALIGN(s->vaddr + bias + s->memsz, PAGE_SIZE);
		tmpl.prot = s->prot;
		tmpl.file = file;
		tmpl.off = s->offset - (s->vaddr & ~PAGE_MASK);
		tmpl.file_end = s->offset + s->filesz;
		shared = i && tmpl.start < prev_end;
		if (shared) {
			ret = vm_unmap(vm, tmpl.start, tmpl.start + PAGE_SIZE);
			if (ret)
				return ret;
		}
		ret = vm_map(vm, &tmpl);
		if (ret)
			return ret == -EEXIST ? -ENOEXEC : ret;
		if (shared) {
			ret = build_shared_page(vm, file, img, bias, tmpl.start);
			if (ret)
				return ret;
		}
		prev_end = tmpl.end;
	}
	return 0;
}
