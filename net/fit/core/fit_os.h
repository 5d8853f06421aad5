/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _FIT_OS_H
#define _FIT_OS_H

/*
 * What the portable FIT core (net/fit/core/) needs from the system it is
 * compiled into. The core includes nothing else, so the same files build
 * in the LegoOS kernel, in the Linux module linux-modules/fit and in the
 * host unit tests; each of them provides one environment header:
 *
 *   LegoOS		net/fit/os_lego.h
 *   Linux module	fit_os_linux.h on the module's include path
 *			(chosen by -DFIT_OS_LINUX, or by KBUILD_MODNAME)
 *   host tests		tests/unit/host/fit_os_host.h (by __HOST_TEST__)
 *
 * An environment header must define, as functions or macros:
 *
 *   u8 u16 u32 u64 s16 s32 s64 size_t bool true false NULL
 *   memcpy memset memcmp snprintf
 *   errno values EINVAL ENOMEM EMSGSIZE ETIMEDOUT EHOSTUNREACH
 *     ECONNRESET EOPNOTSUPP EEXIST EBUSY ENOENT EPROTO ENOSPC (Linux numbers:
 *     replies carry them on the wire)
 *
 *   struct fit_os_lock;
 *	The one lock of a core. Held only for short sections that never
 *	call ops->send. fit_os_alloc, fit_os_free and fit_os_event_signal
 *	are called with it held, so it may be a spinlock only if those
 *	never sleep (LegoOS), and must be a mutex if alloc may sleep (a
 *	Linux glue calling every core entry point from process context).
 *   void fit_os_lock_init(struct fit_os_lock *l);
 *   void fit_os_lock(struct fit_os_lock *l);
 *   void fit_os_unlock(struct fit_os_lock *l);
 *
 *   struct fit_os_event;
 *	One waiter (the thread in fit_core_call) and one signal.
 *   void fit_os_event_init(struct fit_os_event *e);
 *   void fit_os_event_signal(struct fit_os_event *e);
 *   void fit_os_event_wait(struct fit_os_event *e, u64 timeout_ns);
 *	Return when signalled or after about timeout_ns, whichever is first
 *	(early returns are harmless: the core re-checks and waits again).
 *   void fit_os_event_destroy(struct fit_os_event *e);
 *
 *   u64 fit_os_now_ns(void);		monotonic nanoseconds
 *   void *fit_os_alloc(size_t size);	up to FIT_MAX_MSG bytes, not zeroed,
 *					NULL on failure
 *   void fit_os_free(void *p);		p may be NULL
 *
 *   fit_pr_err(fmt, ...) fit_pr_warn(fmt, ...) fit_pr_info(fmt, ...)
 *   fit_pr_debug(fmt, ...)		printf-style logging, "\n" included
 *
 * The per-instance hooks (sending a datagram, waking the service thread
 * and the workers) are struct fit_core_ops in fit_core.h.
 */
#if defined(FIT_OS_LINUX) || defined(KBUILD_MODNAME)
#include "fit_os_linux.h"
#elif defined(__HOST_TEST__)
#include "fit_os_host.h"
#else
#include "../os_lego.h"
#endif

#endif
