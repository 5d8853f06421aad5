// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format a message, prefix each line with the time since boot, keep
 * it in the log ring and write it to every registered console whose level
 * allows it.
 */
#include <lego/printk.h>
#include <lego/console.h>
#include <lego/spinlock.h>
#include <lego/string.h>
#include <lego/time.h>
#include <stdarg.h>

#define LOG_BUF_LEN	(1 << 17)

static char log_buf[LOG_BUF_LEN];
static u64 log_head;		/* total bytes ever logged */
static LIST_HEAD(consoles);
static DEFINE_SPINLOCK(printk_lock);
static bool line_open;		/* last message did not end with a newline */
int console_loglevel = CONFIG_LOGLEVEL_DEFAULT;
bool oops_in_progress;

void register_console(struct console *con)
{
	list_add_tail(&con->node, &consoles);
}

static void emit(const char *s, size_t len, bool to_console)
{
	struct console *con;

	for (size_t i = 0; i < len; i++)
		log_buf[(log_head + i) % LOG_BUF_LEN] = s[i];
	log_head += len;
	if (!to_console)
		return;
	list_for_each_entry(con, &consoles, node)
		con->write(con, s, len);
}

static char *memchr_inline(char *p, char c, size_t n)
{
	for (; n; n--, p++)
		if (*p == c)
			return p;
	return NULL;
}

/* Returns the level and skips the marker; KERN_CONT gives -1. */
static int parse_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] != KERN_SOH[0] || !f[1])
		return LOGLEVEL_DEFAULT;
	*fmt = f + 2;
	if (f[1] == 'c')
		return -1;
	if (f[1] >= '0' && f[1] <= '7')
		return f[1] - '0';
	return LOGLEVEL_DEFAULT;
}

/*
 * Under panic another CPU may hold the lock forever: wait a bounded time,
 * then print anyway. A garbled line beats a silent hang.
 */
static bool printk_lock_acquire(void)
{
	if (!oops_in_progress) {
		arch_spin_lock(&printk_lock);
		return true;
	}
	for (int i = 0; i < 10000000; i++) {
		if (arch_spin_trylock(&printk_lock))
			return true;
		cpu_relax();
	}
	return false;
}

int vprintk(const char *fmt, va_list ap)
{
	static char text[1024];
	static int cur_level = LOGLEVEL_DEFAULT;
	unsigned long flags;
	bool locked, show;
	int level, n;
	char *p;

	level = parse_level(&fmt);
	local_irq_save(flags);
	locked = printk_lock_acquire();

	if (level < 0)
		level = cur_level;
	else
		cur_level = level;
	show = level <= console_loglevel || oops_in_progress;
	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (n >= (int)sizeof(text))
		n = sizeof(text) - 1;

	for (p = text; p < text + n;) {
		char *nl = memchr_inline(p, '\n', text + n - p);
		size_t len = nl ? (size_t)(nl - p + 1) : (size_t)(text + n - p);

		if (!line_open) {
			char stamp[32];
			u64 ns = ktime_get_ns();
			int sl = snprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
					  ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / NSEC_PER_USEC);

			emit(stamp, sl, show);
		}
		emit(p, len, show);
		line_open = !nl;
		p += len;
	}

	if (locked)
		arch_spin_unlock(&printk_lock);
	local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
