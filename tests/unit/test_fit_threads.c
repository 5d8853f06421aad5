// SPDX-License-Identifier: GPL-2.0
/*
 * FIT in real time with real threads, as in the kernel: a delivery thread
 * for the wire, a service thread and workers per node, and many callers
 * blocked in fit_core_call() at once, over a lossy wire. Also the join
 * protocol, and a dead peer's timeout measured on the wall clock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../../net/fit/core/fit_internal.h"
#include "fit/sim.h"
#include "host.h"

#define MS	1000000ULL
#define SEC	1000000000ULL
#define NODES	3
#define THREADS	8
#define CALLS	60

struct caller {
	struct sim *s;
	int id;
	int ok;
	long first_err;
};

static void *caller_thread(void *arg)
{
	struct caller *c = arg;
	static const size_t sizes[] = { 8, 100, 1400, 4096, 9000, 70000 };
	u8 *req = malloc(300000), *rep = malloc(300000);
	int i, from, to;
	size_t len;
	u64 tag;
	long r;

	host_srand(1000 + c->id);
	for (i = 0; i < CALLS; i++) {
		from = c->id % NODES;
		to = (from + 1 + host_rand() % (NODES - 1)) % NODES;
		len = i == CALLS - 1 ? 250000 : sizes[host_rand() % 6];
		tag = (u64)c->id * CALLS + i;
		sim_pattern(req, len, tag);
		memcpy(req, &tag, 8);
		r = fit_core_call(sim_core(c->s, from), to, SIM_OP_TAGGED, req, len, rep, len,
				  20 * SEC);
		if (r == (long)len && !memcmp(req, rep, len))
			c->ok++;
		else if (!c->first_err)
			c->first_err = r < 0 ? r : -EBADMSG;
	}
	free(req);
	free(rep);
	return NULL;
}

static void test_threads_echo(void **state)
{
	struct sim *s = sim_new(NODES, true);
	struct caller c[THREADS];
	pthread_t t[THREADS];
	u64 total = 0;
	int i, j, n;

	sim_set_delay(s, 200000, 100000);
	if (!getenv("FIT_CLEAN"))
		sim_set_net(s, 30000, 30000, 30000, 2000);
	for (i = 0; i < THREADS; i++) {
		c[i] = (struct caller){ .s = s, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, caller_thread, &c[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].first_err, 0);
		assert_int_equal(c[i].ok, CALLS);
	}
	/* every call ran exactly once, on one node */
	for (i = 0; i < THREADS; i++) {
		for (j = 0; j < CALLS; j++) {
			u64 tag = (u64)i * CALLS + j;

			for (n = 0; n < NODES; n++)
				total += sim_runs(s, n, tag);
			assert_int_equal(sim_runs(s, 0, tag) + sim_runs(s, 1, tag) +
					 sim_runs(s, 2, tag), 1);
		}
	}
	assert_int_equal(total, THREADS * CALLS);
	sim_free(s);
	assert_int_equal(sim_leaked(), 0);
}

/* The same with input that never sends, as from a NIC receive path. */
static void test_threads_echo_nosend(void **state)
{
	sim_input_nosend = true;
	test_threads_echo(state);
	sim_input_nosend = false;
}

static void test_threads_join(void **state)
{
	/* 0 knows nobody; 1 and 2 know only 0 */
	const u32 masks[NODES] = { 0, 1, 1 };
	struct sim *s = sim_new_masked(NODES, true, masks);
	char buf[100];

	assert_false(fit_core_has_peer(sim_core(s, 0), 1));
	assert_int_equal(fit_core_join(sim_core(s, 1), 0, 5 * SEC), 1);
	assert_true(fit_core_has_peer(sim_core(s, 0), 1));
	/* 2 learns of 1 through 0, and introduces itself to 1 */
	assert_int_equal(fit_core_join(sim_core(s, 2), 0, 5 * SEC), 2);
	assert_true(fit_core_has_peer(sim_core(s, 2), 1));
	assert_true(fit_core_has_peer(sim_core(s, 1), 2));
	assert_int_equal(fit_core_call(sim_core(s, 1), 2, FIT_OP_ECHO, "hello", 5, buf,
				       sizeof(buf), SEC), 5);
	assert_int_equal(fit_core_call(sim_core(s, 2), 1, FIT_OP_ECHO, "hi", 2, buf,
				       sizeof(buf), SEC), 2);
	assert_int_equal(fit_core_call(sim_core(s, 0), 2, FIT_OP_ECHO, "yo", 2, buf,
				       sizeof(buf), SEC), 2);
	/* joining through a node that is not there fails in time */
	assert_int_equal(fit_core_join(sim_core(s, 0), 7, SEC), -EHOSTUNREACH);
	sim_free(s);
	assert_int_equal(sim_leaked(), 0);
}

static void test_threads_dead_peer(void **state)
{
	struct sim *s = sim_new(2, true);
	struct timespec a, b;
	u64 ms, tag;
	long r;
	int i;

	sim_set_down(s, 1, true);
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = fit_core_call(sim_core(s, 0), 1, FIT_OP_ECHO, "x", 1, NULL, 0, 300 * MS);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_int_equal(r, -ETIMEDOUT);
	assert_true(ms >= 300 && ms < 600);
	assert_int_equal(fit_core_send(sim_core(s, 0), 1, SIM_OP_ONEWAY, "x", 1, 100 * MS),
			 -ETIMEDOUT);
	sim_set_down(s, 1, false);
	memcpy(&tag, "12345678", 8);
	assert_int_equal(fit_core_send(sim_core(s, 0), 1, SIM_OP_ONEWAY, &tag, 8, SEC), 0);
	/* delivery is acknowledged before the handler runs: give it a moment */
	for (i = 0; i < 100 && !sim_runs(s, 1, tag); i++)
		usleep(10000);
	assert_int_equal(sim_runs(s, 1, tag), 1);
	sim_free(s);
	assert_int_equal(sim_leaked(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_echo),
		cmocka_unit_test(test_threads_echo_nosend),
		cmocka_unit_test(test_threads_join),
		cmocka_unit_test(test_threads_dead_peer),
	};

	if (getenv("FIT_TEST"))
		cmocka_set_test_filter(getenv("FIT_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
