/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_KALLSYMS_H
#define _LEGO_KALLSYMS_H

#include <lego/types.h>

#define KSYM_NAME_LEN 128

/*
 * Name of the kernel function containing addr, with the offset into it and
 * its size; NULL if addr is not kernel text.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset,
			    unsigned long *size);
/* "name+0xoff/0xsize", or the bare hex address if unknown. */
void kallsyms_format(unsigned long addr, char *buf, size_t len);

#endif
