/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_STRING_H
#define _LEGO_STRING_H

#include <lego/types.h>
#include <lego/compiler.h>

#ifdef __KERNEL__
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
#else
#include <string.h>
#endif

/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

#include <stdarg.h>
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);

unsigned long long simple_strtoull(const char *s, char **end, unsigned int base);
long long simple_strtoll(const char *s, char **end, unsigned int base);

#endif
