/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KERNEL_CPUTIME_H
#define _KERNEL_CPUTIME_H

/* Moved to <lego/cputime.h>: /proc (managers/processor/fs) reads them too. */
#include <lego/cputime.h>

#endif
