/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_UACCESS_H
#define _LEGO_UACCESS_H

/*
 * Copying to and from user memory. A user address may not be in the
 * ExCache: touching it faults, the fault handler fetches the line (and may
 * sleep), and the copy goes on. An address outside the user half, or one
 * the memory manager has no VMA for, makes the copy stop: these return how
 * many bytes were NOT copied (copy_*) or -EFAULT. Never call them with a
 * spinlock held.
 */
#include <lego/types.h>
#include <uapi/lego/mman.h>

#ifndef __user
#define __user
#endif

static inline bool access_ok(const void __user *p, unsigned long n)
{
	unsigned long a = (unsigned long)p;

	return a <= USER_ADDR_MAX && n <= USER_ADDR_MAX - a;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
/* Length of the string (< count), count if no NUL in count bytes, or -EFAULT. */
long strncpy_from_user(char *dst, const char __user *src, long count);

/* 0 or -EFAULT; x is assigned on success only. */
#define get_user(x, ptr)						\
({									\
	unsigned char __gu_buf[sizeof(*(ptr))] __attribute__((aligned(8))); \
	int __gu_err = copy_from_user(__gu_buf, (ptr), sizeof(*(ptr))) ? -EFAULT : 0; \
	if (!__gu_err)							\
		(x) = *(const __typeof__(*(ptr)) *)__gu_buf;		\
	__gu_err;							\
})

#define put_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __pu_val = (x);				\
	copy_to_user((ptr), &__pu_val, sizeof(__pu_val)) ? -EFAULT : 0;	\
})

/*
 * Lend the copy routines a kernel buffer: until uaccess_kernel_end(),
 * copy_{from,to}_user and clear_user on current accept [buf, buf + len)
 * as if it were user memory, and still refuse every other kernel
 * address. This is how the kernel drives a file's read or write, which
 * take user buffers, on a bounce buffer of its own (sendfile). Does not
 * nest. Returns buf as a user pointer.
 */
void __user *uaccess_kernel_begin(void *buf, size_t len);
void uaccess_kernel_end(void);

/*
 * Fetch a user NUL-terminated string into a new kmalloc buffer (at most
 * max bytes with the NUL): the buffer, or ERR_PTR(-EFAULT/-ENAMETOOLONG/-ENOMEM).
 */
char *strndup_user(const char __user *s, long max);

#endif
