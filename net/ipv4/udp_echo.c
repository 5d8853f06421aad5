// SPDX-License-Identifier: GPL-2.0
/*
 * A client for the UDP echo port of a peer: the raw round trip of the wire
 * and both IP stacks, with nothing of FIT in it. Benchmarks divide FIT's
 * round trip by this one.
 */
#include <lego/kernel.h>
#include <lego/completion.h>
#include <lego/errno.h>
#include <lego/mutex.h>
#include <lego/string.h>
#include <lego/time.h>
#include "ipv4.h"

#define ECHO_CLIENT_PORT	7007
#define UDP_ECHO_PORT		7

static DEFINE_MUTEX(echo_mutex);
static struct completion echo_done;
static u32 echo_expect;		/* sequence number of the outstanding probe */
static bool echo_bound;
static u32 echo_seq;		/* never reused: a late echo matches nothing */

static void echo_rcv(void *ctx, u32 saddr, u16 sport, const void *data, size_t len)
{
	u32 seq;

	if (sport != UDP_ECHO_PORT || len < sizeof(seq))
		return;
	memcpy(&seq, data, sizeof(seq));
	if (seq == READ_ONCE(echo_expect))
		complete(&echo_done);
}

int udp_echo_rtt(u32 daddr, size_t len, int count, u64 *samples, u64 timeout_ns)
{
	static u8 buf[16384];		/* jumbo frames included */
	struct kvec iov = { buf, len };
	int done = 0, err = 0;

	if (len < sizeof(u32) || len > udp_max_payload() || len > sizeof(buf))
		return -EINVAL;
	mutex_lock(&echo_mutex);
	if (!echo_bound) {
		err = udp_bind(ECHO_CLIENT_PORT, echo_rcv, NULL);
		echo_bound = !err;
	}
	for (int i = 0; i < count && !err; i++) {
		u64 t0;
		u32 seq = ++echo_seq ?: ++echo_seq;

		init_completion(&echo_done);
		WRITE_ONCE(echo_expect, seq);
		memset(buf, 0x5a, len);
		memcpy(buf, &seq, sizeof(seq));
		t0 = ktime_get_ns();
		err = udp_sendv(daddr, ECHO_CLIENT_PORT, UDP_ECHO_PORT, &iov, 1);
		if (err)
			break;
		if (!wait_for_completion_timeout(&echo_done, timeout_ns)) {
			err = -ETIMEDOUT;
			break;
		}
		samples[done++] = ktime_get_ns() - t0;
	}
	WRITE_ONCE(echo_expect, 0);
	mutex_unlock(&echo_mutex);
	return done ? done : err;
}
