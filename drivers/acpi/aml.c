// SPDX-License-Identifier: GPL-2.0
/*
 * Just enough AML to find the S5 sleep type without an interpreter: the
 * byte pattern firmware uses to declare the \_S5 package,
 *
 *   NameOp ['\\'] '_S5_' PackageOp PkgLength NumElements SLP_TYPa SLP_TYPb ...
 *
 * (ACPI spec 20.2). Pure code over a buffer, bounds-checked at every byte,
 * so host unit tests can feed it truncated and corrupt byte code.
 */
#include <lego/kernel.h>
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/string.h>

#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_QWORD_PREFIX	0x0e
#define AML_PACKAGE_OP		0x12
#define AML_ROOT_CHAR		0x5c
#define AML_ONES_OP		0xff

/* An integer data object: ZeroOp, OneOp, OnesOp or a constant prefix. */
static int aml_integer(const u8 *p, u32 len, u32 *pos, u64 *val)
{
	static const u8 size[] = {
		[AML_BYTE_PREFIX] = 1, [AML_WORD_PREFIX] = 2,
		[AML_DWORD_PREFIX] = 4, [AML_QWORD_PREFIX] = 8,
	};
	u8 op;

	if (*pos >= len)
		return -EINVAL;
	op = p[(*pos)++];
	if (op == AML_ZERO_OP || op == AML_ONE_OP) {
		*val = op;
		return 0;
	}
	if (op == AML_ONES_OP) {
		*val = ~0ULL;
		return 0;
	}
	if (op >= ARRAY_SIZE(size) || !size[op] || *pos + size[op] > len)
		return -EINVAL;
	*val = 0;
	for (u32 i = 0; i < size[op]; i++)
		*val |= (u64)p[*pos + i] << (8 * i);
	*pos += size[op];
	return 0;
}

/* p points just after the name: PackageOp PkgLength NumElements elements. */
static int parse_s5_package(const u8 *p, u32 len, u8 *typa, u8 *typb)
{
	u32 pos = 1, nbytes, pkglen, end;
	u64 a, b;
	u8 count;

	if (len < 3 || p[0] != AML_PACKAGE_OP)
		return -EINVAL;
	/* PkgLength: bits 7-6 of the lead byte count the bytes that follow */
	nbytes = p[pos] >> 6;
	if (pos + 1 + nbytes > len)
		return -EINVAL;
	if (!nbytes) {
		pkglen = p[pos] & 0x3f;
	} else {
		pkglen = p[pos] & 0x0f;
		for (u32 i = 0; i < nbytes; i++)
			pkglen |= (u32)p[pos + 1 + i] << (4 + 8 * i);
	}
	/* the length counts itself but not the PackageOp */
	end = min(len, 1 + pkglen);
	pos += 1 + nbytes;
	if (pos >= end)
		return -EINVAL;
	count = p[pos++];
	if (!count || aml_integer(p, end, &pos, &a))
		return -EINVAL;
	b = a;
	if (count >= 2 && aml_integer(p, end, &pos, &b))
		return -EINVAL;
	/* SLP_TYP is a 3-bit field */
	if (a > 7 || b > 7)
		return -EINVAL;
	*typa = a;
	*typb = b;
	return 0;
}

int acpi_aml_find_s5(const u8 *aml, u32 len, u8 *typa, u8 *typb)
{
	if (!aml)
		return -ENOENT;
	for (u32 i = 1; i + 4 <= len; i++) {
		bool named;

		if (memcmp(aml + i, "_S5_", 4))
			continue;
		named = aml[i - 1] == AML_NAME_OP ||
			(i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP);
		if (named && !parse_s5_package(aml + i + 4, len - i - 4, typa, typb))
			return 0;
	}
	return -ENOENT;
}
