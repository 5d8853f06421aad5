// SPDX-License-Identifier: GPL-2.0
/* Host environment of the FIT core for the unit tests; see fit_os_host.h. */
#include <time.h>

#include "fit_os_host.h"

bool fit_host_fake_clock;
u64 fit_host_now;
long fit_host_alloc_fail_after = -1;
long fit_host_allocs;
bool fit_host_verbose = false;

void fit_os_lock_init(struct fit_os_lock *l)
{
	pthread_mutex_init(&l->m, NULL);
}

void fit_os_lock(struct fit_os_lock *l)
{
	pthread_mutex_lock(&l->m);
}

void fit_os_unlock(struct fit_os_lock *l)
{
	pthread_mutex_unlock(&l->m);
}

void fit_os_event_init(struct fit_os_event *e)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_mutex_init(&e->m, NULL);
	pthread_cond_init(&e->c, &a);
	pthread_condattr_destroy(&a);
	e->signalled = false;
}

void fit_os_event_signal(struct fit_os_event *e)
{
	pthread_mutex_lock(&e->m);
	e->signalled = true;
	pthread_cond_broadcast(&e->c);
	pthread_mutex_unlock(&e->m);
}

void fit_os_event_wait(struct fit_os_event *e, u64 timeout_ns)
{
	struct timespec ts;
	u64 t;

	if (fit_host_fake_clock)
		return;		/* nothing would move the fake clock */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec + timeout_ns;
	ts.tv_sec = t / 1000000000ULL;
	ts.tv_nsec = t % 1000000000ULL;
	pthread_mutex_lock(&e->m);
	while (!e->signalled)
		if (pthread_cond_timedwait(&e->c, &e->m, &ts))
			break;
	pthread_mutex_unlock(&e->m);
}

void fit_os_event_destroy(struct fit_os_event *e)
{
	pthread_cond_destroy(&e->c);
	pthread_mutex_destroy(&e->m);
}

u64 fit_os_now_ns(void)
{
	struct timespec ts;

	if (fit_host_fake_clock)
		return __atomic_load_n(&fit_host_now, __ATOMIC_RELAXED);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void *fit_os_alloc(size_t size)
{
	void *p;

	if (fit_host_alloc_fail_after == 0)
		return NULL;
	if (fit_host_alloc_fail_after > 0)
		fit_host_alloc_fail_after--;
	p = malloc(size);
	if (p)
		__atomic_add_fetch(&fit_host_allocs, 1, __ATOMIC_RELAXED);
	return p;
}

void fit_os_free(void *p)
{
	if (p)
		__atomic_sub_fetch(&fit_host_allocs, 1, __ATOMIC_RELAXED);
	free(p);
}
