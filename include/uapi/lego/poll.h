/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_POLL_H
#define _UAPI_LEGO_POLL_H

/* Linux x86-64 values for poll(2) and select(2) (ABI: never change). */

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLMSG		0x0400
#define POLLRDHUP	0x2000

struct pollfd_abi {
	__INT32_TYPE__ fd;
	__INT16_TYPE__ events;
	__INT16_TYPE__ revents;
};

/* select(2): fd_set is FD_SETSIZE bits in unsigned longs */
#define FD_SETSIZE	1024

#endif
