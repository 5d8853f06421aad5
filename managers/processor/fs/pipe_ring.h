/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PROCESSOR_FS_PIPE_RING_H
#define _PROCESSOR_FS_PIPE_RING_H

/*
 * A pipe's byte ring (pipe_ring.c). It hands out contiguous spans instead
 * of copying, so that the caller can copy straight to or from user memory
 * (which may fault and sleep) under its own mutex. Not thread-safe by
 * itself. Pure code: tests/unit/test_pipe.c runs it on the host.
 */
#include <lego/types.h>

struct pipe_ring {
	char *buf;
	size_t size;		/* a power of two */
	size_t head;		/* bytes ever written (wraps; only differences matter) */
	size_t tail;		/* bytes ever read */
};

void ring_init(struct pipe_ring *r, char *buf, size_t size);

static inline size_t ring_used(const struct pipe_ring *r)
{
	return r->head - r->tail;
}

static inline size_t ring_free(const struct pipe_ring *r)
{
	return r->size - ring_used(r);
}

/* The readable bytes that are contiguous at the tail: *p and how many. */
size_t ring_read_span(const struct pipe_ring *r, char **p);
/* n bytes of the read span were taken. */
void ring_consume(struct pipe_ring *r, size_t n);
/* The free bytes that are contiguous at the head: *p and how many. */
size_t ring_write_span(const struct pipe_ring *r, char **p);
/* n bytes of the write span were filled. */
void ring_produce(struct pipe_ring *r, size_t n);

#endif
