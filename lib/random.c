// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel random numbers: xoshiro256** under a lock, reseeded by stirring
 * in the cycle counter on every call so that two boots (and two callers
 * racing) never see the same stream. The seed comes from the
 * architecture (arch_random_seed: RDRAND or the TSC).
 */
#include <lego/random.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <asm/processor.h>

static DEFINE_SPINLOCK(random_lock);
static u64 state[4];
static bool seeded;

static inline u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* splitmix64: spreads a weak seed over all of the state */
static u64 splitmix(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 next(void)
{
	u64 result = rotl(state[1] * 5, 7) * 9;
	u64 t = state[1] << 17;

	state[2] ^= state[0];
	state[3] ^= state[1];
	state[1] ^= state[2];
	state[0] ^= state[3];
	state[2] ^= t;
	state[3] = rotl(state[3], 45);
	return result;
}

static void stir(void)
{
	u64 s = arch_random_seed();
	int i;

	if (!seeded) {
		for (i = 0; i < 4; i++)
			state[i] = splitmix(&s);
		seeded = true;
		return;
	}
	state[0] ^= splitmix(&s);
}

u64 get_random_u64(void)
{
	unsigned long flags;
	u64 v;

	spin_lock_irqsave(&random_lock, flags);
	stir();
	v = next();
	spin_unlock_irqrestore(&random_lock, flags);
	return v;
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		u64 v = get_random_u64();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
