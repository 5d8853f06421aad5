// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel command line parsing. The line is copied once into static storage
 * and split in place, so lookups return pointers that stay valid for the
 * life of the kernel and no allocator is needed this early.
 */
#include <lego/cmdline.h>
#include <lego/errno.h>
#include <lego/string.h>

struct param {
	const char *key;
	const char *value;
	bool used;		/* looked up by some part of the kernel */
};

static char raw[CMDLINE_MAX];
static char store[CMDLINE_MAX];
static struct param params[CMDLINE_MAX_PARAMS];
static int nr_params;
static const char *rest = "";

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Split one word at *pp, removing quotes; returns the word or NULL at end. */
static char *next_word(char **pp, int *err)
{
	char *p = *pp, *out, *word;
	bool quoted = false;

	while (is_space(*p))
		p++;
	if (!*p)
		return NULL;
	word = out = p;
	for (; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && is_space(*p))
			break;
		*out++ = *p;
	}
	if (quoted)
		*err = -EINVAL;
	if (*p)
		p++;
	*out = '\0';
	*pp = p;
	return word;
}

int cmdline_parse(const char *line)
{
	char *p = store, *word, *eq;
	int err = 0;

	nr_params = 0;
	rest = "";
	if (strlcpy(raw, line ? line : "", sizeof(raw)) >= sizeof(raw))
		err = -E2BIG;
	strlcpy(store, raw, sizeof(store));

	while ((word = next_word(&p, &err))) {
		if (!strcmp(word, "--")) {
			while (is_space(*p))
				p++;
			rest = p;
			break;
		}
		if (nr_params == CMDLINE_MAX_PARAMS) {
			err = -E2BIG;
			break;
		}
		eq = strchr(word, '=');
		if (eq)
			*eq = '\0';
		params[nr_params].key = word;
		params[nr_params].value = eq ? eq + 1 : "";
		params[nr_params].used = false;
		nr_params++;
	}
	return err;
}

const char *cmdline_raw(void)
{
	return raw;
}

const char *cmdline_rest(void)
{
	return rest;
}

const char *cmdline_get(const char *key)
{
	const char *value = NULL;

	/* mark every occurrence, so an overridden one is not called unknown */
	for (int i = nr_params - 1; i >= 0; i--) {
		if (strcmp(params[i].key, key))
			continue;
		params[i].used = true;
		if (!value)
			value = params[i].value;
	}
	return value;
}

int cmdline_for_each_value(const char *key, int (*fn)(const char *value, void *data),
			   void *data)
{
	int ret = 0;

	for (int i = 0; i < nr_params && !ret; i++) {
		if (strcmp(params[i].key, key))
			continue;
		params[i].used = true;
		ret = fn(params[i].value, data);
	}
	return ret;
}

int cmdline_for_each_unused(void (*fn)(const char *key, const char *value))
{
	int n = 0;

	for (int i = 0; i < nr_params; i++) {
		if (params[i].used)
			continue;
		fn(params[i].key, params[i].value);
		n++;
	}
	return n;
}

bool cmdline_has(const char *key)
{
	return cmdline_get(key) != NULL;
}

int cmdline_get_ulong(const char *key, unsigned long *out)
{
	const char *v = cmdline_get(key);
	char *end;
	unsigned long n;

	if (!v)
		return -ENOENT;
	if (*v < '0' || *v > '9')
		return -EINVAL;
	n = simple_strtoull(v, &end, 0);
	if (*end)
		return -EINVAL;
	*out = n;
	return 0;
}

int parse_size(const char *s, u64 *out)
{
	char *end;
	u64 n, mult = 1;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	n = simple_strtoull(s, &end, 0);
	switch (*end) {
	case 'k': case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return -EINVAL;
	if (n > ~0ULL / mult)
		return -ERANGE;
	*out = n * mult;
	return 0;
}

int cmdline_get_size(const char *key, u64 *out)
{
	const char *v = cmdline_get(key);

	if (!v)
		return -ENOENT;
	return parse_size(v, out);
}

bool cmdline_get_bool(const char *key, bool dflt)
{
	static const char *const yes[] = { "", "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	const char *v = cmdline_get(key);

	if (!v)
		return dflt;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcmp(v, yes[i]))
			return true;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcmp(v, no[i]))
			return false;
	return dflt;
}

bool cmdline_list_has(const char *key, const char *item)
{
	const char *v = cmdline_get(key);
	size_t n = strlen(item);

	while (v && *v) {
		const char *comma = strchr(v, ',');
		size_t len = comma ? (size_t)(comma - v) : strlen(v);

		if (len == n && !strncmp(v, item, n))
			return true;
		v = comma ? comma + 1 : NULL;
	}
	return false;
}
