// SPDX-License-Identifier: GPL-2.0
/*
 * Slab allocator: see <lego/slab.h>.
 *
 * A slab is one page from the buddy allocator cut into equal objects.
 * Its bookkeeping lives in its struct page (PG_slab): the owning cache,
 * the page offset of the first free object, and the number of objects in
 * use. Free objects are chained through their first word (the offset of
 * the next free one) and carry a magic second word, so that a double
 * free is caught cheaply: only when the magic is present do we walk the
 * slab's free chain to confirm it.
 *
 * Each cache keeps the slabs that have both used and free objects on its
 * partial list; full slabs are on no list, and a slab whose last object
 * is freed goes straight back to the buddy allocator. One lock per
 * cache, taken with interrupts off.
 */
#define pr_fmt(fmt) "slab: " fmt

#include <lego/kernel.h>
#include <lego/printk.h>
#include <lego/bug.h>
#include <lego/string.h>
#include <lego/spinlock.h>
#include <lego/list.h>
#include <lego/mm.h>
#include <lego/slab.h>

#define SLAB_MIN_ALIGN		8
#define SLAB_MIN_SIZE		16		/* room for struct slab_free */
#define SLAB_END		0xffffu		/* end of a slab's free chain */
#define SLAB_FREE_MAGIC		0xf4eef4eef4eef4eeUL

struct slab_free {
	unsigned long next;	/* page offset of the next free object */
	unsigned long magic;	/* SLAB_FREE_MAGIC while free */
};

struct kmem_cache {
	spinlock_t lock;
	unsigned int size;		/* object stride, a multiple of the alignment */
	unsigned int objs_per_slab;
	struct list_head partial;	/* slabs with used and free objects */
	unsigned long nr_slabs;
	unsigned long nr_objs;		/* objects in use */
	const char *name;
	struct list_head list;		/* on slab_caches */
};

static struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES];
static const char *const kmalloc_names[KMALLOC_NR_CACHES] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

static LIST_HEAD(slab_caches);
static DEFINE_SPINLOCK(slab_caches_lock);

static void cache_init(struct kmem_cache *c, const char *name,
		       unsigned int size)
{
	unsigned long flags;

	spin_lock_init(&c->lock);
	c->size = size;
	c->objs_per_slab = PAGE_SIZE / size;
	INIT_LIST_HEAD(&c->partial);
	c->nr_slabs = 0;
	c->nr_objs = 0;
	c->name = name;

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_add_tail(&c->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

void kmem_cache_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(kmalloc_names) != KMALLOC_NR_CACHES);
	BUILD_BUG_ON(PAGE_SIZE > SLAB_END);

	INIT_LIST_HEAD(&slab_caches);
	for (i = 0; i < KMALLOC_NR_CACHES; i++)
		cache_init(&kmalloc_caches[i], kmalloc_names[i],
			   KMALLOC_MIN_SIZE << i);
}

static bool is_kmalloc_cache(const struct kmem_cache *c)
{
	return c >= kmalloc_caches && c < kmalloc_caches + KMALLOC_NR_CACHES;
}

static struct slab_free *slab_obj(struct page *page, unsigned int off)
{
	return (struct slab_free *)((char *)page_address(page) + off);
}

static bool slab_off_valid(const struct kmem_cache *c, unsigned long off)
{
	return off % c->size == 0 && off / c->size < c->objs_per_slab;
}

/* A fresh page with every object on its free chain, in address order. */
static struct page *new_slab(struct kmem_cache *c, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp & ~__GFP_ZERO, 0);
	unsigned int i;

	if (!page)
		return NULL;
	for (i = 0; i < c->objs_per_slab; i++) {
		struct slab_free *obj = slab_obj(page, i * c->size);

		obj->next = i + 1 < c->objs_per_slab ? (i + 1) * c->size : SLAB_END;
		obj->magic = SLAB_FREE_MAGIC;
	}
	page->s_free = 0;
	page->s_inuse = 0;
	page->slab_cache = c;
	SetPageSlab(page);
	return page;
}

/* Hand an empty slab back to the buddy, as the plain page it came as. */
static void free_slab(struct page *page)
{
	ClearPageSlab(page);
	page->private = 0;
	atomic_set(&page->_refcount, 1);
	__free_pages(page, 0);
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	struct slab_free *obj;
	struct page *page;
	unsigned long flags, next;

	if (unlikely(!c->size))
		panic("kmem_cache_alloc before kmem_cache_init");

	spin_lock_irqsave(&c->lock, flags);
	if (list_empty(&c->partial)) {
		/* Do not hold the cache lock across the page allocation. */
		spin_unlock_irqrestore(&c->lock, flags);
		page = new_slab(c, gfp);
		if (!page)
			return NULL;
		spin_lock_irqsave(&c->lock, flags);
		list_add(&page->lru, &c->partial);
		c->nr_slabs++;
	}

	page = list_first_entry(&c->partial, struct page, lru);
	obj = slab_obj(page, page->s_free);
	next = obj->next;
	if (next != SLAB_END && !slab_off_valid(c, next)) {
		spin_unlock_irqrestore(&c->lock, flags);
		panic("%s: free chain of slab pfn %#lx corrupted (next %#lx): use after free?",
		      c->name, page_to_pfn(page), next);
	}
	page->s_free = (u16)next;
	page->s_inuse++;
	c->nr_objs++;
	if (next == SLAB_END)
		list_del(&page->lru);	/* now full */
	spin_unlock_irqrestore(&c->lock, flags);

	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->size);
	else
		obj->magic = 0;	/* a stale magic would only cost a chain walk */
	return obj;
}

static bool on_free_chain(const struct kmem_cache *c, struct page *page,
			  unsigned long off)
{
	unsigned long o = page->s_free;
	unsigned int n;

	for (n = 0; o != SLAB_END && n < c->objs_per_slab; n++) {
		if (o == off)
			return true;
		o = slab_obj(page, o)->next;
	}
	return false;
}

static void slab_free(struct kmem_cache *c, struct page *page, const void *p)
{
	unsigned long off = (unsigned long)p & ~PAGE_MASK;
	struct slab_free *obj = slab_obj(page, off);
	unsigned long flags;
	const char *bad = NULL;
	bool was_full, empty;

	spin_lock_irqsave(&c->lock, flags);
	if (!slab_off_valid(c, off))
		bad = "not the start of an object";
	else if (obj->magic == SLAB_FREE_MAGIC && on_free_chain(c, page, off))
		bad = "double free";
	if (bad) {
		spin_unlock_irqrestore(&c->lock, flags);
		panic("%s: free of %p: %s", c->name, p, bad);
	}

	was_full = page->s_free == SLAB_END;
	obj->next = page->s_free;
	obj->magic = SLAB_FREE_MAGIC;
	page->s_free = (u16)off;
	page->s_inuse--;
	c->nr_objs--;

	empty = !page->s_inuse;
	if (empty) {
		if (!was_full)
			list_del(&page->lru);
		c->nr_slabs--;
	} else if (was_full) {
		list_add(&page->lru, &c->partial);
	}
	spin_unlock_irqrestore(&c->lock, flags);

	if (empty)
		free_slab(page);
}

/* The page holding @p, which must be memory from the allocators. */
static struct page *obj_to_page(const void *p, const char *who)
{
	unsigned long pfn = PFN_DOWN(__pa(p));

	if (!pfn_valid(pfn))
		panic("%s: %p is not allocated memory", who, p);
	return pfn_to_page(pfn);
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *page;

	if (!obj)
		return;
	page = obj_to_page(obj, "kmem_cache_free");
	if (!PageSlab(page) || page->slab_cache != c)
		panic("kmem_cache_free: %p does not belong to cache %s",
		      obj, c->name);
	slab_free(c, page, obj);
}

static unsigned int kmalloc_index(size_t size)
{
	if (size <= KMALLOC_MIN_SIZE)
		return 0;
	/* Index of the smallest power of two >= size, minus the 16-byte one. */
	return (64 - __builtin_clzl(size - 1)) - KMALLOC_SHIFT_LOW;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct page *page;
	unsigned int order;

	if (!size)
		return ZERO_SIZE_PTR;
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return kmem_cache_alloc(&kmalloc_caches[kmalloc_index(size)], gfp);

	/* Large: whole pages; the buddy records the order in the head page. */
	order = get_order(size);
	if (order >= MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is above the %lu byte maximum\n",
				size, PAGE_SIZE << (MAX_ORDER - 1));
		return NULL;
	}
	page = alloc_pages(gfp, order);
	return page ? page_address(page) : NULL;
}

void kfree(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return;
	page = obj_to_page(p, "kfree");
	if (PageSlab(page)) {
		slab_free(page->slab_cache, page, p);
		return;
	}
	if ((unsigned long)p & ~PAGE_MASK)
		panic("kfree: %p was not returned by kmalloc", p);
	/* __free_pages() panics unless this heads a live allocation. */
	__free_pages(page, page->private);
}

size_t ksize(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	page = obj_to_page(p, "ksize");
	if (PageSlab(page))
		return page->slab_cache->size;
	if (WARN_ON(!PageHead(page)))
		return 0;
	return PAGE_SIZE << page->private;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align)
{
	struct kmem_cache *c;

	if (!align)
		align = SLAB_MIN_ALIGN;
	if ((align & (align - 1)) || align > PAGE_SIZE || !size ||
	    size > PAGE_SIZE) {
		pr_err("kmem_cache_create %s: bad size %zu or align %zu\n",
		       name, size, align);
		return NULL;
	}
	align = max(align, (size_t)SLAB_MIN_ALIGN);
	/* Cannot exceed PAGE_SIZE: it is a multiple of align. */
	size = ALIGN(max(size, (size_t)SLAB_MIN_SIZE), align);

	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	cache_init(c, name, (unsigned int)size);
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags, busy;

	if (!c)
		return;
	if (is_kmalloc_cache(c)) {
		pr_err("kmem_cache_destroy: %s is built in\n", c->name);
		return;
	}

	spin_lock_irqsave(&c->lock, flags);
	busy = c->nr_objs;
	spin_unlock_irqrestore(&c->lock, flags);
	if (busy) {
		pr_err("kmem_cache_destroy %s: %lu objects still in use, cache leaked\n",
		       c->name, busy);
		return;
	}

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_del(&c->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	kfree(c);
}

size_t kmem_cache_size(const struct kmem_cache *c)
{
	return c->size;
}

void slab_dump(void)
{
	struct kmem_cache *c;
	unsigned long flags;

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list)
		pr_info("%-16s size %4u  slabs %6lu  objects %8lu\n", c->name,
			c->size, READ_ONCE(c->nr_slabs), READ_ONCE(c->nr_objs));
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}
