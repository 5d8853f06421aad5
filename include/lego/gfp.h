/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_GFP_H
#define _LEGO_GFP_H

typedef unsigned int gfp_t;

#define __GFP_ZERO	0x1u	/* zero the memory before returning it */
#define __GFP_NOWARN	0x2u	/* failure is expected: do not log it */
#define GFP_KERNEL	0x0u
#define GFP_ATOMIC	0x0u	/* the allocators never sleep, so this is GFP_KERNEL */

#endif
