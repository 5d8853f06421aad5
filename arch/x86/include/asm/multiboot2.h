/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_MULTIBOOT2_H
#define _ASM_X86_MULTIBOOT2_H

#include <lego/types.h>

#define MB2_BOOTLOADER_MAGIC	0x36d76289

void multiboot2_parse(u32 magic, phys_addr_t info);

#endif
