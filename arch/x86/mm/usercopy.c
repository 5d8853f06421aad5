// SPDX-License-Identifier: GPL-2.0
/*
 * copy_from_user and friends: range checks around the fault-tolerant
 * copies in copy_user.S. A user page that is not in the ExCache is fetched
 * by the page fault the copy takes, transparently.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/uaccess.h>

unsigned long __copy_user(void *to, const void *from, unsigned long n);
unsigned long __clear_user(void *to, unsigned long n);

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left;

	if (!access_ok(from, n)) {
		memset(to, 0, n);
		return n;
	}
	left = __copy_user(to, (const void *)from, n);
	if (left)	/* never hand back stale kernel bytes */
		memset((char *)to + n - left, 0, left);
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return __copy_user((void *)to, from, n);
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return __clear_user((void *)to, n);
}

/* Page by page: a whole page is either reachable or not. */
long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long a = (unsigned long)src;
	long done = 0;

	while (done < count) {
		long chunk = PAGE_SIZE - ((a + done) & (PAGE_SIZE - 1));
		char *nul;

		if (chunk > count - done)
			chunk = count - done;
		if (copy_from_user(dst + done, src + done, chunk))
			return -EFAULT;
		nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	return count;
}

char *strndup_user(const char __user *s, long max)
{
	char *buf = kmalloc(max, GFP_KERNEL);
	long len;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(buf, s, max);
	if (len < 0) {
		kfree(buf);
		return ERR_PTR(len);
	}
	if (len == max) {
		kfree(buf);
		return ERR_PTR(-ENAMETOOLONG);
	}
	return buf;
}
