/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_KCONFIG_H
#define _LEGO_KCONFIG_H

/*
 * IS_ENABLED(CONFIG_FOO) is 1 if FOO is set to y and 0 otherwise, usable in
 * plain C conditions so both branches are always compiled.
 */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(ignored, val, ...) val
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define IS_ENABLED(option) ___is_defined(option)

#endif
