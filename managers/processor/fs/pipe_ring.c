// SPDX-License-Identifier: GPL-2.0
/* The byte ring behind pipes: contiguous spans over a power-of-two buffer. */
#include <lego/kernel.h>
#include "pipe_ring.h"

void ring_init(struct pipe_ring *r, char *buf, size_t size)
{
	r->buf = buf;
	r->size = size;
	r->head = 0;
	r->tail = 0;
}

size_t ring_read_span(const struct pipe_ring *r, char **p)
{
	size_t off = r->tail & (r->size - 1);

	*p = r->buf + off;
	return min(ring_used(r), r->size - off);
}

void ring_consume(struct pipe_ring *r, size_t n)
{
	r->tail += n;
}

size_t ring_write_span(const struct pipe_ring *r, char **p)
{
	size_t off = r->head & (r->size - 1);

	*p = r->buf + off;
	return min(ring_free(r), r->size - off);
}

void ring_produce(struct pipe_ring *r, size_t n)
{
	r->head += n;
}
