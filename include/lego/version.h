/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_VERSION_H
#define _LEGO_VERSION_H

#define LEGO_VERSION	"0.1"
#define LEGO_BUILD_DATE	__DATE__

#endif
