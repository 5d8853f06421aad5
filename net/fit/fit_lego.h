/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NET_FIT_LEGO_H
#define _NET_FIT_LEGO_H

/* Shared by the files of net/fit (not by the portable core). */
#include "core/fit_core.h"

struct fit_core *fit_lego_core(void);
void fit_udp_addr(u32 ip, u16 port, struct fit_addr *a);

#endif
