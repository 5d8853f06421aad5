/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_RANDOM_H
#define _LEGO_RANDOM_H

/*
 * Kernel random bytes (lib/random.c): a ChaCha-style mixing generator
 * seeded from RDRAND when the CPU has it, else from the TSC and the time
 * of boot. Good enough for AT_RANDOM, getrandom and /dev/urandom in a
 * test cluster; not a cryptographic source.
 */
#include <lego/types.h>

void get_random_bytes(void *buf, size_t len);
u64 get_random_u64(void);

#endif
