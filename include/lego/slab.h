/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_SLAB_H
#define _LEGO_SLAB_H

#include <lego/types.h>
#include <lego/gfp.h>

/*
 * Small-object allocator. kmalloc() serves requests up to
 * KMALLOC_MAX_CACHE_SIZE from power-of-two size classes carved out of
 * single pages, each object aligned to its size (so at least 16 bytes);
 * larger requests take whole pages from the buddy allocator and are
 * page aligned. Never sleeps; safe from any context. kfree() of a pointer
 * that kmalloc did not return, or of one already freed, panics.
 */
#define KMALLOC_SHIFT_LOW	4
#define KMALLOC_SHIFT_HIGH	11
#define KMALLOC_MIN_SIZE	(1UL << KMALLOC_SHIFT_LOW)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_NR_CACHES	(KMALLOC_SHIFT_HIGH - KMALLOC_SHIFT_LOW + 1)

/* kmalloc(0) returns this: not NULL (no failure), but faults if used. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(p)	((unsigned long)(p) <= (unsigned long)ZERO_SIZE_PTR)

void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
size_t ksize(const void *p);		/* usable size of the allocation */

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

/*
 * Named caches of fixed-size objects (at most PAGE_SIZE, aligned to
 * @align, a power of two, at least 8; 0 means 8). @name is not copied.
 * kmem_cache_destroy() refuses (and leaks the cache) while objects are
 * still allocated.
 */
struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align);
void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *obj);
size_t kmem_cache_size(const struct kmem_cache *cache);

static inline void *kmem_cache_zalloc(struct kmem_cache *cache, gfp_t gfp)
{
	return kmem_cache_alloc(cache, gfp | __GFP_ZERO);
}

/* Called by mem_init() once the buddy allocator works. */
void kmem_cache_init(void);
/* One line per cache: object size, slabs, objects in use. */
void slab_dump(void);

#endif
