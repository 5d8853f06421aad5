// SPDX-License-Identifier: GPL-2.0
/*
 * ExCache configuration as text: policy names, the run-time specification
 * written to /proc/excache (excache_configure), and the counters' text.
 * Pure string work, shared with the host unit tests.
 */
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/cmdline.h>
#include "excache_core.h"

static const char *const exc_policy_names[EXC_NR_POLICIES] = {
	[EXC_POLICY_FIFO]	= "fifo",
	[EXC_POLICY_LRU]	= "lru",
	[EXC_POLICY_RANDOM]	= "random",
};

const char *exc_policy_name(enum exc_policy p)
{
	return p < EXC_NR_POLICIES ? exc_policy_names[p] : "?";
}

int exc_policy_parse(const char *s, size_t len)
{
	int p;

	for (p = 0; p < EXC_NR_POLICIES; p++)
		if (strlen(exc_policy_names[p]) == len && !strncmp(s, exc_policy_names[p], len))
			return p;
	return -EINVAL;
}

static bool exc_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A decimal number that is the whole of s; -EINVAL otherwise. */
static int exc_parse_uint(const char *s, unsigned int *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9' || strlen(s) > 9)
		return -EINVAL;
	v = simple_strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* One key=value word (or "reset") applied to cfg. */
static int exc_parse_word(char *word, struct exc_config *cfg, bool *reset)
{
	char *val = strchr(word, '=');
	u64 size;
	int p;

	if (!val) {
		if (strcmp(word, "reset"))
			return -EINVAL;
		*reset = true;
		return 0;
	}
	*val++ = '\0';
	if (!strcmp(word, "size")) {
		if (parse_size(val, &size))
			return -EINVAL;
		cfg->size = size & ~0xfffULL;
		return 0;
	}
	if (!strcmp(word, "ways"))
		return exc_parse_uint(val, &cfg->ways);
	if (!strcmp(word, "victim"))
		return exc_parse_uint(val, &cfg->victim);
	if (!strcmp(word, "policy")) {
		p = exc_policy_parse(val, strlen(val));
		if (p < 0)
			return -EINVAL;
		cfg->policy = p;
		return 0;
	}
	return -EINVAL;
}

int exc_parse_spec(const char *spec, const struct exc_config *cur, unsigned long max_lines,
		   struct exc_config *out, bool *reset)
{
	struct exc_config cfg = *cur;
	bool want_reset = false;
	int words = 0;
	char word[48];

	for (;;) {
		size_t len = 0;

		while (exc_is_space(*spec))
			spec++;
		if (!*spec)
			break;
		while (spec[len] && !exc_is_space(spec[len]))
			len++;
		if (len >= sizeof(word))
			return -EINVAL;
		memcpy(word, spec, len);
		word[len] = '\0';
		spec += len;
		if (exc_parse_word(word, &cfg, &want_reset))
			return -EINVAL;
		words++;
	}
	if (!words || exc_config_check(&cfg, max_lines))
		return -EINVAL;
	*out = cfg;
	*reset = want_reset;
	return 0;
}

/* snprintf that never reports more than it wrote, so appends can chain. */
static size_t exc_append(char *buf, size_t size, size_t pos, const char *name, u64 v)
{
	int n;

	if (pos + 1 >= size)
		return pos;
	n = snprintf(buf + pos, size - pos, "%s %llu\n", name, (unsigned long long)v);
	if (n < 0)
		return pos;
	return min(pos + (size_t)n, size - 1);
}

size_t exc_format_stats(char *buf, size_t size, const struct exc_cache *c,
			const struct excache_stats *s)
{
	u64 fetches = s->misses > s->zerofills ? s->misses - s->zerofills : 0;
	size_t pos;
	int n;

	if (!size)
		return 0;
	n = snprintf(buf, size, "lines %llu ways %llu sets %lu policy %s victim %u\n",
		     (unsigned long long)s->lines, (unsigned long long)s->ways, c->nsets,
		     exc_policy_name(c->cfg.policy), c->cfg.victim);
	pos = n < 0 ? 0 : min((size_t)n, size - 1);
	pos = exc_append(buf, size, pos, "hits", s->hits);
	pos = exc_append(buf, size, pos, "misses", s->misses);
	pos = exc_append(buf, size, pos, "zerofills", s->zerofills);
	pos = exc_append(buf, size, pos, "evictions", s->evictions);
	pos = exc_append(buf, size, pos, "wb_clean", s->wb_clean);
	pos = exc_append(buf, size, pos, "wb_dirty", s->wb_dirty);
	pos = exc_append(buf, size, pos, "wb_piggyback", s->wb_piggyback);
	pos = exc_append(buf, size, pos, "flush_wb", s->flush_wb);
	pos = exc_append(buf, size, pos, "victim_hits", s->victim_hits);
	pos = exc_append(buf, size, pos, "miss_ns_avg", fetches ? s->miss_ns_total / fetches : 0);
	pos = exc_append(buf, size, pos, "miss_ns_max", s->miss_ns_max);
	return pos;
}
