/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_BUG_H
#define _LEGO_BUG_H

#include <lego/compiler.h>

__printf(1, 2) __noreturn void panic(const char *fmt, ...);

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)	do { if (unlikely(cond)) BUG(); } while (0)
#define WARN_ON(cond) ({							\
	int __c = !!(cond);						\
	if (unlikely(__c))						\
		printk("\0014WARNING at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	__c;								\
})

#endif
