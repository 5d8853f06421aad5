/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_COMPLETION_H
#define _LEGO_COMPLETION_H

#include <lego/wait.h>

/* "This happened": one side completes, others wait for it. */
struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

void init_completion(struct completion *c);
void complete(struct completion *c);		/* releases one waiter */
void complete_all(struct completion *c);	/* releases every waiter, now and later */
void wait_for_completion(struct completion *c);
/* Returns the time left, or 0 if it timed out. */
u64 wait_for_completion_timeout(struct completion *c, u64 timeout_ns);

#endif
