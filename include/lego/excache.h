/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_EXCACHE_H
#define _LEGO_EXCACHE_H

#include <lego/types.h>

/* The contiguous local DRAM region reserved at boot for the ExCache. */
struct excache_region {
	phys_addr_t base;
	u64 size;
};

extern struct excache_region excache_region;

#endif
