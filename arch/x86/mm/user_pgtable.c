// SPDX-License-Identifier: GPL-2.0
/*
 * Page tables of user processes on the processor manager. The user half
 * (PML4 slots 0-255) is private to the address space and maps only ExCache
 * lines; the kernel half is shared with the kernel's own table, copied
 * when the table is made (every kernel PML4 slot exists by then).
 */
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/mm_types.h>
#include <lego/preempt.h>
#include <lego/smp.h>
#include <lego/string.h>
#include <asm/irqflags.h>
#include <asm/pgtable.h>
#include <uapi/lego/mman.h>
#include <asm/processor.h>

#define PT_ENTRIES	512
#define USER_SLOTS	256
/* intermediate tables: the leaf PTE decides what user mode may do */
#define USER_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)

static unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (12 + 9 * level)) & (PT_ENTRIES - 1);
}

u64 *user_pgd_alloc(void)
{
	u64 *pgd = (u64 *)get_zeroed_page(GFP_KERNEL);

	if (pgd)
		memcpy(pgd + USER_SLOTS, kernel_pgd() + USER_SLOTS,
		       USER_SLOTS * sizeof(u64));
	return pgd;
}

static void free_table(u64 *table, int level)
{
	if (level > 0) {
		for (int i = 0; i < PT_ENTRIES; i++)
			if (table[i] & _PAGE_PRESENT)
				free_table(__va(table[i] & PTE_ADDR_MASK), level - 1);
	}
	free_page((unsigned long)table);
}

void user_pgd_free(u64 *pgd)
{
	for (int i = 0; i < USER_SLOTS; i++)
		if (pgd[i] & _PAGE_PRESENT)
			free_table(__va(pgd[i] & PTE_ADDR_MASK), 2);
	free_page((unsigned long)pgd);
}

pte_t *user_pte(u64 *pgd, unsigned long va, bool alloc)
{
	u64 *table = pgd;

	if (va > USER_ADDR_MAX)
		return NULL;
	for (int level = 3; level > 0; level--) {
		u64 *e = &table[pt_index(va, level)];

		if (!(*e & _PAGE_PRESENT)) {
			unsigned long page;

			if (!alloc)
				return NULL;
			page = get_zeroed_page(GFP_KERNEL);
			if (!page)
				return NULL;
			/* another CPU may have raced us to it */
			if (__atomic_compare_exchange_n(e, &(u64){ 0 }, __pa((void *)page) | USER_TABLE,
							false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) == false)
				free_page(page);
		}
		table = __va(*e & PTE_ADDR_MASK);
	}
	return &table[pt_index(va, 0)];
}

struct tlb_flush_req {
	struct mm_struct *mm;
	unsigned long start, end;
};

static void flush_local(void *arg)
{
	struct tlb_flush_req *r = arg;

	if (this_cpu()->active_mm != r->mm)
		return;
	if (r->end - r->start > 32 * PAGE_SIZE) {
		write_cr3(read_cr3());		/* user entries are never global */
		return;
	}
	for (unsigned long va = r->start; va < r->end; va += PAGE_SIZE)
		invlpg(va);
}

/*
 * The PTEs were changed before this is called; a CPU that loads mm after
 * we read cpu_mask starts with a clean TLB, one that loaded it before is
 * in the mask and gets the IPI. Needs interrupts on (it may wait for IPIs).
 */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct tlb_flush_req r = { mm, start & PAGE_MASK, end };
	u64 others;

	preempt_disable();
	flush_local(&r);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	others = READ_ONCE(mm->cpu_mask) & ~(1ULL << smp_processor_id());
	if (others)
		smp_call_function(flush_local, &r, true);
	preempt_enable();
}

void flush_tlb_mm_page(struct mm_struct *mm, unsigned long va)
{
	flush_tlb_mm_range(mm, va, va + PAGE_SIZE);
}

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	int cpu = smp_processor_id();

	if (prev == next)
		return;
	mmgrab(next);
	__atomic_fetch_or(&next->cpu_mask, 1ULL << cpu, __ATOMIC_SEQ_CST);
	write_cr3(__pa(next->pgd));
	this_cpu()->active_mm = next;
	if (prev) {
		__atomic_fetch_and(&prev->cpu_mask, ~(1ULL << cpu), __ATOMIC_SEQ_CST);
		mmdrop(prev);
	}
}
