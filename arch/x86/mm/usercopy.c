// SPDX-License-Identifier: GPL-2.0
/*
 * copy_from_user and friends: range checks around the fault-tolerant
 * copies in copy_user.S. A user page that is not in the ExCache is fetched
 * by the page fault the copy takes, transparently.
 */
#include <lego/bug.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/mm.h>
#include <lego/printk.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/uaccess.h>

unsigned long __copy_user(void *to, const void *from, unsigned long n);
unsigned long __clear_user(void *to, unsigned long n);

void __user *uaccess_kernel_begin(void *buf, size_t len)
{
	struct task_struct *t = current;

	WARN_ON(t->uaccess_kbuf);
	t->uaccess_kbuf = buf;
	t->uaccess_klen = len;
	return (void __user *)buf;
}

void uaccess_kernel_end(void)
{
	current->uaccess_kbuf = NULL;
	current->uaccess_klen = 0;
}

/* User memory, or inside the kernel buffer current lent us. */
static bool uaccess_ok(const void __user *p, unsigned long n)
{
	struct task_struct *t;
	unsigned long a = (unsigned long)p, base;

	if (access_ok(p, n))
		return true;
	t = current;
	base = (unsigned long)t->uaccess_kbuf;
	if (!base || a < base)
		return false;
	return n <= t->uaccess_klen && a - base <= t->uaccess_klen - n;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left;

	if (!uaccess_ok(from, n)) {
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
	if (!uaccess_ok(to, n))
		return n;
	return __copy_user((void *)to, from, n);
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!uaccess_ok(to, n))
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
