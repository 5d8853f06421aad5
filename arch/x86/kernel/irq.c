// SPDX-License-Identifier: GPL-2.0
/*
 * The IDT and the dispatch of interrupt vectors to their handlers. All
 * vectors enter through entry.S and arrive in do_interrupt().
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/printk.h>
#include <lego/preempt.h>
#include <lego/spinlock.h>
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <lego/sched.h>

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

struct vector_desc {
	irq_handler_t handler;
	void *data;
	const char *name;
	u64 count;
};

static struct idt_gate idt[NR_VECTORS] __aligned(16);
static struct vector_desc vectors[NR_VECTORS];
static DEFINE_SPINLOCK(vector_lock);
void (*irq_eoi)(void);

extern char interrupt_stubs[];
void do_interrupt(struct pt_regs *regs);
void do_exception(struct pt_regs *regs);
void preempt_schedule_irq(void);

static void set_gate(int vec, int ist)
{
	u64 addr = (u64)interrupt_stubs + vec * 16;
	struct idt_gate *g = &idt[vec];

	g->offset_low = addr & 0xffff;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = 0x8e;	/* present, DPL 0, interrupt gate: IF cleared */
	g->offset_mid = (addr >> 16) & 0xffff;
	g->offset_high = addr >> 32;
	g->reserved = 0;
}

void idt_init(void)
{
	for (int v = 0; v < NR_VECTORS; v++)
		set_gate(v, 0);
	set_gate(2, IST_NMI);
	set_gate(8, IST_DOUBLE_FAULT);
	set_gate(18, IST_MACHINE_CHECK);
}

void load_idt(void)
{
	struct desc_ptr idtr = { sizeof(idt) - 1, (u64)idt };

	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}

int request_vector(int vector, irq_handler_t handler, void *data, const char *name)
{
	unsigned long flags;
	int ret = 0;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS)
		return -EINVAL;
	spin_lock_irqsave(&vector_lock, flags);
	if (vectors[vector].handler) {
		ret = -EBUSY;
	} else {
		vectors[vector].data = data;
		vectors[vector].name = name;
		WRITE_ONCE(vectors[vector].handler, handler);
	}
	spin_unlock_irqrestore(&vector_lock, flags);
	return ret;
}

int alloc_vector(irq_handler_t handler, void *data, const char *name)
{
	for (int v = IRQ_DYN_FIRST; v <= IRQ_DYN_LAST; v++)
		if (!request_vector(v, handler, data, name))
			return v;
	return -ENOSPC;
}

void free_vector(int vector)
{
	unsigned long flags;

	spin_lock_irqsave(&vector_lock, flags);
	vectors[vector].handler = NULL;
	vectors[vector].name = NULL;
	spin_unlock_irqrestore(&vector_lock, flags);
}

void do_interrupt(struct pt_regs *regs)
{
	struct cpu_local *cpu;
	struct vector_desc *d;

	if (regs->vector < FIRST_EXTERNAL_VECTOR) {
		do_exception(regs);
		return;
	}

	cpu = this_cpu();
	cpu->irq_depth++;
	cpu->nr_interrupts++;
	d = &vectors[regs->vector];
	d->count++;
	if (d->handler)
		d->handler(regs, d->data);
	else if (regs->vector != SPURIOUS_VECTOR)
		pr_warn("irq: unexpected vector %llu on cpu %d\n", regs->vector, cpu->cpu);
	if (regs->vector != SPURIOUS_VECTOR && irq_eoi)
		irq_eoi();
	cpu->irq_depth--;

#ifdef CONFIG_COMP_PROCESSOR
	if (user_mode(regs)) {
		exit_to_user_mode(regs);
		return;
	}
#endif
	/* preempt only what was interruptible: a thread, not a locked section */
	if (!cpu->irq_depth && (regs->rflags & (1UL << 9)) && !preempt_count() &&
	    need_resched())
		preempt_schedule_irq();
}
