// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol lookup for backtraces. The table is produced at link time by
 * scripts/kallsyms.sh: addresses sorted ascending, with name offsets.
 */
#include <lego/kallsyms.h>
#include <lego/string.h>

extern const u64 __kallsyms_num;
extern const u64 __kallsyms_addrs[];
extern const u32 __kallsyms_name_offs[];
extern const char __kallsyms_names[];
extern char _text[], _etext[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset,
			    unsigned long *size)
{
	u64 lo = 0, hi = __kallsyms_num;
	u64 next;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext || !hi)
		return NULL;
	/* find the last symbol at or below addr */
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (__kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (__kallsyms_addrs[lo] > addr)
		return NULL;
	next = lo + 1 < __kallsyms_num ? __kallsyms_addrs[lo + 1] : (u64)_etext;
	if (offset)
		*offset = addr - __kallsyms_addrs[lo];
	if (size)
		*size = next - __kallsyms_addrs[lo];
	return &__kallsyms_names[__kallsyms_name_offs[lo]];
}

void kallsyms_format(unsigned long addr, char *buf, size_t len)
{
	unsigned long off, size;
	const char *name = kallsyms_lookup(addr, &off, &size);

	if (name)
		snprintf(buf, len, "%s+0x%lx/0x%lx", name, off, size);
	else
		snprintf(buf, len, "0x%016lx", addr);
}
