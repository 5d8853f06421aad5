/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_CMDLINE_H
#define _LEGO_CMDLINE_H

#include <lego/types.h>

#define CMDLINE_MAX		4096
#define CMDLINE_MAX_PARAMS	128

/*
 * The kernel command line is a list of words: key=value, key="value with
 * spaces", or a bare key (a flag). Everything after a lone "--" is not
 * parsed and is returned by cmdline_rest(). A later occurrence of a key
 * overrides an earlier one.
 */
int cmdline_parse(const char *line);
const char *cmdline_raw(void);
const char *cmdline_rest(void);

const char *cmdline_get(const char *key);	/* NULL if absent, "" for a flag */
bool cmdline_has(const char *key);
int cmdline_get_ulong(const char *key, unsigned long *out);
int cmdline_get_size(const char *key, u64 *out);	/* 4096, 64K, 64M, 2G */
bool cmdline_get_bool(const char *key, bool dflt);
bool cmdline_list_has(const char *key, const char *item);	/* key=a,b,c */

int parse_size(const char *s, u64 *out);

/*
 * Call fn with the value of every occurrence of key, in order (for options
 * that accumulate, like init.env=); stops at and returns fn's first
 * non-zero result.
 */
int cmdline_for_each_value(const char *key, int (*fn)(const char *value, void *data),
			   void *data);

/*
 * Call fn for each option no part of the kernel asked for (a typo, or an
 * option of another role); returns how many. Meaningful once boot is over.
 */
int cmdline_for_each_unused(void (*fn)(const char *key, const char *value));

#endif
