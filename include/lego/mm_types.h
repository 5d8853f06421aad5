/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_MM_TYPES_H
#define _LEGO_MM_TYPES_H

/*
 * A user address space as the processor manager sees it: a page table
 * whose present entries point at ExCache lines, and the name of the
 * address space at its memory manager. The VMAs themselves live on the
 * memory manager only. managers/processor/mm.c.
 */
#include <lego/types.h>
#include <lego/atomic.h>
#include <lego/mutex.h>
#include <lego/spinlock.h>
#include <asm/pgtable.h>

struct mm_struct {
	u64 *pgd;			/* top-level page table (kernel virtual address) */
	atomic_t users;			/* threads sharing it (mmget/mmput) */
	atomic_t count;			/* references to the struct and page table:
					   one for all users, one per CPU that has it loaded */
	int pid;			/* its id at the memory manager (the tgid) */
	int mem_node;			/* FIT node of its memory manager */
	spinlock_t pt_lock;		/* page-table pages and PTE updates */
	struct mutex mmap_lock;		/* serialises mmap/munmap/brk/exec/fork of this mm */
	volatile u64 cpu_mask;		/* CPUs that have run it since their last flush */
	unsigned long start_brk, brk;
	unsigned long stack_top;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long start_stack;	/* the initial stack pointer (at argc) */
	char exe_path[256];		/* the program, for /proc/self/exe */
	/* argv as exec laid it out, NUL-separated, for /proc (kmalloc; mmap_lock) */
	char *cmdline;
	size_t cmdline_len;
	atomic_long_t nr_lines;		/* ExCache lines holding its pages */
};

/* The most of the command line /proc/PID/cmdline shows. */
#define MM_CMDLINE_MAX		4096

/* A new, empty address space for pid (no memory-manager call). */
struct mm_struct *mm_alloc(int pid);
void mmget(struct mm_struct *mm);
/* Last put: drop its ExCache lines, tell the memory manager, free the page table. */
void mmput(struct mm_struct *mm);
/* Free an mm the memory manager never heard of (a failed fork or exec). */
void mm_release_unused(struct mm_struct *mm);

/* Pin the struct and page table (not the address space): mmgrab/mmdrop. */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);

/*
 * Load next's page table on this CPU, with interrupts off (the scheduler).
 * A kernel thread keeps the last user page table loaded (prev stays this
 * CPU's active_mm), which saves a TLB flush when the user task comes back.
 */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);

/* The memory manager for new address spaces (lego.memory=ID, default: the first peer). */
int lego_memory_node(void);
/* The node answering file requests (1P-1M: the memory manager). */
int lego_files_node(void);

/*
 * User page-table primitives (arch/x86/mm/user_pgtable.c). The kernel half
 * of every user page table is shared with the kernel's own.
 */
u64 *user_pgd_alloc(void);
/* Free the page-table pages of the user half (not the pages they map). */
void user_pgd_free(u64 *pgd);
/* The PTE for va, allocating missing tables if alloc; NULL if absent / no memory. */
pte_t *user_pte(u64 *pgd, unsigned long va, bool alloc);
/* Flush va from the TLB of every CPU that may cache mm's translations. */
void flush_tlb_mm_page(struct mm_struct *mm, unsigned long va);
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* Linux protections to a user PTE's bits (present, user, RW, NX). */
static inline pte_t user_pte_bits(u32 prot)
{
	pte_t v = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (prot & 0x2)		/* PROT_WRITE */
		v |= _PAGE_RW;
	if (!(prot & 0x4))	/* PROT_EXEC */
		v |= _PAGE_NX & supported_pte_mask;
	return v;
}

#endif
