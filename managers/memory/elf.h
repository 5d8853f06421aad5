/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MANAGERS_MEMORY_ELF_H
#define _MANAGERS_MEMORY_ELF_H

/*
 * ELF64 as the x86-64 System V ABI defines it (only what the loader
 * reads), and the loader's view of a checked image.
 */
#include <lego/types.h>

#define EI_NIDENT	16
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define PT_LOAD		1
#define PT_INTERP	3
#define PT_PHDR		6

#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

/* Auxiliary vector types (the x86-64 ABI's numbers). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31

#define ELF_MAX_PHNUM	1024	/* 56 KB of program headers, as Linux's 64 KB */
#define ELF_MAX_SEGS	32	/* PT_LOAD entries we accept */
#define ELF_MAX_SPAN	(1UL << 40)	/* an ET_DYN image larger than this is absurd */

struct elf_seg {
	u64 vaddr;
	u64 memsz;
	u64 offset;
	u64 filesz;
	u32 prot;
};

/* A checked image; addresses are unbiased (as in the file). */
struct elf_image {
	u16 type;
	u16 phnum;
	u64 entry;
	u64 phdr_vaddr;		/* where the program headers are once loaded */
	u64 lo;			/* page-aligned span of the PT_LOAD segments */
	u64 hi;
	unsigned int nr_segs;
	struct elf_seg segs[ELF_MAX_SEGS];
	const char *interp;	/* PT_INTERP path in the file, or NULL */
	size_t interp_len;
};

struct vmspace;
struct arc_node;

/* Check an image; -ENOEXEC if anything is malformed. */
int elf_parse(const u8 *data, u64 size, struct elf_image *img);
/* Map img's segments into vm, each address moved by bias. */
int elf_map(struct vmspace *vm, const struct arc_node *file,
	    const struct elf_image *img, u64 bias);

#endif
