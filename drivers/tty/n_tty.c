// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal line discipline: canonical line editing (erase, kill, word
 * erase, literal next, reprint, end of file), echo, input mapping (ICRNL
 * and friends), signal characters, output post-processing (ONLCR, tabs)
 * and the VMIN/VTIME rules of raw reads. Pure logic: no locks, no
 * hardware, no sleeping; the caller (tty_io.c) serialises and acts on the
 * events. Behaviour follows termios(3) and Linux's documented defaults.
 */
#include <lego/n_tty.h>
#include <lego/string.h>

#define MASK		(N_TTY_BUF_SIZE - 1)
#define TAB_STOP	8
#define NSEC_PER_DECISECOND	100000000ULL

/* ^C and friends as characters: control code of an upper-case letter. */
#define CTRL(c)		((c) & 0x1f)
#define DEL		0x7f

static bool lflag(const struct n_tty *ld, tcflag_t f)
{
	return ld->termios.c_lflag & f;
}

static bool iflag(const struct n_tty *ld, tcflag_t f)
{
	return ld->termios.c_iflag & f;
}

static bool oflag(const struct n_tty *ld, tcflag_t f)
{
	return ld->termios.c_oflag & f;
}

/* c is the control character at idx; a disabled (0) entry matches nothing. */
static bool is_cc(const struct n_tty *ld, int idx, u8 c)
{
	cc_t v = ld->termios.c_cc[idx];

	return v != _POSIX_VDISABLE && v == c;
}

static bool is_ctrl(u8 c)
{
	return c < 0x20 || c == DEL;
}

/* A UTF-8 continuation byte takes no column of its own (with IUTF8). */
static bool is_continuation(const struct n_tty *ld, u8 c)
{
	return iflag(ld, IUTF8) && (c & 0xc0) == 0x80;
}

static bool is_word_char(u8 c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

void n_tty_default_termios(struct termios *t)
{
	static const cc_t cc[NCCS] = {
		[VINTR] = CTRL('C'),	[VQUIT] = CTRL('\\'),	[VERASE] = DEL,
		[VKILL] = CTRL('U'),	[VEOF] = CTRL('D'),	[VTIME] = 0,
		[VMIN] = 1,		[VSTART] = CTRL('Q'),	[VSTOP] = CTRL('S'),
		[VSUSP] = CTRL('Z'),	[VREPRINT] = CTRL('R'),	[VDISCARD] = CTRL('O'),
		[VWERASE] = CTRL('W'),	[VLNEXT] = CTRL('V'),
	};

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_line = N_TTY;
	memcpy(t->c_cc, cc, sizeof(cc));
}

void n_tty_init(struct n_tty *ld, n_tty_emit_t emit, void *ctx)
{
	memset(ld, 0, sizeof(*ld));
	n_tty_default_termios(&ld->termios);
	ld->emit = emit;
	ld->ctx = ctx;
}

/* ------------------------------------------------------------ output */

static void out_flush(struct n_tty *ld)
{
	if (ld->out_len && ld->emit)
		ld->emit(ld->ctx, ld->out, ld->out_len);
	ld->out_len = 0;
}

static void out_raw(struct n_tty *ld, char c)
{
	if (ld->out_len == N_TTY_OUT_SIZE)
		out_flush(ld);
	ld->out[ld->out_len++] = c;
}

/* One byte of output through OPOST processing, keeping the column. */
static void out_char(struct n_tty *ld, u8 c)
{
	if (!oflag(ld, OPOST)) {
		out_raw(ld, c);
		return;
	}
	switch (c) {
	case '\n':
		if (oflag(ld, ONLCR)) {
			out_raw(ld, '\r');
			ld->column = 0;
		} else if (oflag(ld, ONLRET)) {
			ld->column = 0;
		}
		out_raw(ld, '\n');
		return;
	case '\r':
		if (oflag(ld, ONOCR) && ld->column == 0)
			return;
		if (oflag(ld, OCRNL)) {
			if (oflag(ld, ONLRET))
				ld->column = 0;
			out_raw(ld, '\n');
			return;
		}
		ld->column = 0;
		out_raw(ld, '\r');
		return;
	case '\t': {
		unsigned int next = (ld->column | (TAB_STOP - 1)) + 1;

		if ((ld->termios.c_oflag & TABDLY) == XTABS) {
			while (ld->column < next) {
				out_raw(ld, ' ');
				ld->column++;
			}
			return;
		}
		ld->column = next;
		out_raw(ld, '\t');
		return;
	}
	case '\b':
		if (ld->column)
			ld->column--;
		out_raw(ld, '\b');
		return;
	default:
		if (!is_ctrl(c)) {
			if (oflag(ld, OLCUC) && c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if (!is_continuation(ld, c))
				ld->column++;
		}
		out_raw(ld, c);
	}
}

static void out_str(struct n_tty *ld, const char *s)
{
	while (*s)
		out_char(ld, *s++);
}

void n_tty_write(struct n_tty *ld, const u8 *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(ld, s[i]);
	out_flush(ld);
}

/* ------------------------------------------------------------ echo */

/* A character as echo shows it: control characters as ^X with ECHOCTL. */
static void echo_char(struct n_tty *ld, u8 c)
{
	if (lflag(ld, ECHOCTL) && is_ctrl(c) && c != '\t') {
		out_char(ld, '^');
		out_char(ld, c ^ 0x40);
		return;
	}
	out_char(ld, c);
}

/* The column after echoing c at col, as echo_char() would move it. */
static unsigned int echo_width(const struct n_tty *ld, u8 c, unsigned int col)
{
	if (c == '\t')
		return (col | (TAB_STOP - 1)) + 1;
	if (is_ctrl(c))
		return lflag(ld, ECHOCTL) ? col + 2 : col;
	if (is_continuation(ld, c))
		return col;
	return col + 1;
}

/* Column reached by echoing the edited line up to (not including) end. */
static unsigned int line_column(const struct n_tty *ld, u32 end)
{
	unsigned int col = ld->canon_column;

	for (u32 i = ld->canon_head; i != end; i++)
		col = echo_width(ld, ld->buf[i & MASK], col);
	return col;
}

/* Rub out cols columns on the terminal. */
static void echo_rubout(struct n_tty *ld, unsigned int cols)
{
	while (cols--)
		out_str(ld, "\b \b");
}

/* ------------------------------------------------------------ input */

static u32 used(const struct n_tty *ld)
{
	return ld->head - ld->tail;
}

static void put_byte(struct n_tty *ld, u8 c, u8 flags)
{
	ld->buf[ld->head & MASK] = c;
	ld->flags[ld->head & MASK] = flags;
	ld->head++;
}

/* The edited line becomes readable. */
static void commit_line(struct n_tty *ld, struct n_tty_events *ev)
{
	ld->canon_head = ld->head;
	ev->readable = true;
}

void n_tty_flush_input(struct n_tty *ld)
{
	ld->tail = ld->canon_head = ld->head;
	ld->lnext = false;
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* Where an erase of this kind would cut the edited line. */
static u32 erase_point(const struct n_tty *ld, enum erase_kind kind)
{
	u32 h = ld->head;
	bool seen_word = false;

	if (kind == ERASE_LINE)
		return ld->canon_head;
	while (h != ld->canon_head) {
		u8 c = ld->buf[(h - 1) & MASK];

		if (kind == ERASE_WORD) {
			/* trailing separators go, then one word */
			if (is_word_char(c))
				seen_word = true;
			else if (seen_word)
				break;
		}
		h--;
		/* a multibyte character goes whole */
		if (kind == ERASE_CHAR && !is_continuation(ld, c))
			break;
	}
	return h;
}

static void erase(struct n_tty *ld, u8 c, enum erase_kind kind)
{
	unsigned int from, to;
	u32 cut;

	if (ld->head == ld->canon_head)
		return;
	cut = erase_point(ld, kind);
	if (!lflag(ld, ECHO)) {
		ld->head = cut;
		return;
	}
	if (kind == ERASE_LINE && !(lflag(ld, ECHOK) && lflag(ld, ECHOKE) && lflag(ld, ECHOE))) {
		/* old-style kill: show the kill character, then a fresh line */
		ld->head = cut;
		echo_char(ld, c);
		if (lflag(ld, ECHOK))
			out_char(ld, '\n');
		return;
	}
	if (!lflag(ld, ECHOE)) {
		ld->head = cut;
		echo_char(ld, c);
		return;
	}
	from = line_column(ld, ld->head);
	to = line_column(ld, cut);
	ld->head = cut;
	echo_rubout(ld, from > to ? from - to : 0);
}

/* ^R: show the edited line again on a line of its own. */
static void reprint(struct n_tty *ld, u8 c)
{
	if (!lflag(ld, ECHO))
		return;
	echo_char(ld, c);
	out_char(ld, '\n');
	ld->canon_column = ld->column;
	for (u32 i = ld->canon_head; i != ld->head; i++)
		echo_char(ld, ld->buf[i & MASK]);
}

/* ^C, ^\ or ^Z with ISIG: 0 if c is not one of them. */
static unsigned int signal_of(const struct n_tty *ld, u8 c)
{
	if (!lflag(ld, ISIG))
		return 0;
	if (is_cc(ld, VINTR, c))
		return N_TTY_SIGINT;
	if (is_cc(ld, VQUIT, c))
		return N_TTY_SIGQUIT;
	if (is_cc(ld, VSUSP, c))
		return N_TTY_SIGTSTP;
	return 0;
}

/* Store an ordinary byte (and echo it), if there is room. */
static void receive_plain(struct n_tty *ld, u8 c, struct n_tty_events *ev)
{
	bool canon = n_tty_canonical(ld);
	/* in canonical mode the last slot is kept for the line's end */
	u32 room = canon ? N_TTY_BUF_SIZE - 1 : N_TTY_BUF_SIZE;

	if (used(ld) >= room) {
		ev->dropped++;
		return;
	}
	if (canon && ld->head == ld->canon_head)
		ld->canon_column = ld->column;
	if (lflag(ld, ECHO)) {
		if (c == '\n' && !canon)
			out_char(ld, '\n');
		else
			echo_char(ld, c);
	}
	put_byte(ld, c, 0);
	if (!canon) {
		ld->canon_head = ld->head;
		ev->readable = true;
	}
}

/* A line's end in canonical mode: NL, VEOL, VEOL2 (stored) or VEOF (a marker). */
static void receive_delim(struct n_tty *ld, u8 c, bool eof, struct n_tty_events *ev)
{
	if (used(ld) >= N_TTY_BUF_SIZE) {
		ev->dropped++;
		return;
	}
	if (!eof) {
		if (c == '\n') {
			if (lflag(ld, ECHO) || lflag(ld, ECHONL))
				out_char(ld, '\n');
		} else if (lflag(ld, ECHO)) {
			echo_char(ld, c);
		}
	}
	put_byte(ld, c, N_TTY_DELIM | (eof ? N_TTY_EOF : 0));
	commit_line(ld, ev);
}

/* The canonical-mode editing characters; false if c is not one. */
static bool receive_canon_special(struct n_tty *ld, u8 c, struct n_tty_events *ev)
{
	bool ext = lflag(ld, IEXTEN);

	if (is_cc(ld, VERASE, c) || c == '\b') {
		erase(ld, c, ERASE_CHAR);
	} else if (is_cc(ld, VKILL, c)) {
		erase(ld, c, ERASE_LINE);
	} else if (ext && is_cc(ld, VWERASE, c)) {
		erase(ld, c, ERASE_WORD);
	} else if (ext && is_cc(ld, VLNEXT, c)) {
		ld->lnext = true;
		/* a placeholder the literal character will overwrite */
		if (lflag(ld, ECHO) && lflag(ld, ECHOCTL)) {
			out_char(ld, '^');
			out_char(ld, '\b');
		}
	} else if (ext && is_cc(ld, VREPRINT, c)) {
		reprint(ld, c);
	} else if (c == '\n' || is_cc(ld, VEOL, c) || (ext && is_cc(ld, VEOL2, c))) {
		receive_delim(ld, c, false, ev);
	} else if (is_cc(ld, VEOF, c)) {
		receive_delim(ld, c, true, ev);
	} else {
		return false;
	}
	return true;
}

static void receive_char(struct n_tty *ld, u8 c, struct n_tty_events *ev)
{
	unsigned int sig;

	if (iflag(ld, ISTRIP))
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = false;
		receive_plain(ld, c, ev);
		return;
	}
	sig = signal_of(ld, c);
	if (sig) {
		if (!lflag(ld, NOFLSH))
			n_tty_flush_input(ld);
		if (lflag(ld, ECHO))
			echo_char(ld, c);
		ev->signals |= sig;
		return;
	}
	if (c == '\r') {
		if (iflag(ld, IGNCR))
			return;
		if (iflag(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(ld, INLCR)) {
		c = '\r';
	}
	if (n_tty_canonical(ld) && receive_canon_special(ld, c, ev))
		return;
	receive_plain(ld, c, ev);
}

void n_tty_receive(struct n_tty *ld, const u8 *s, size_t n, struct n_tty_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	for (size_t i = 0; i < n; i++)
		receive_char(ld, s[i], ev);
	out_flush(ld);
}

/* ------------------------------------------------------------ readers */

size_t n_tty_read(struct n_tty *ld, u8 *dst, size_t n, bool *line_done)
{
	bool canon = n_tty_canonical(ld);
	u32 end = canon ? ld->canon_head : ld->head;
	size_t copied = 0;

	*line_done = false;
	while (ld->tail != end) {
		u32 i = ld->tail & MASK;
		u8 f = ld->flags[i];

		if (f & N_TTY_EOF) {
			/* a marker left by canonical mode: never data */
			ld->tail++;
			if (canon) {
				*line_done = true;
				break;
			}
			continue;
		}
		if (copied == n)
			break;
		dst[copied++] = ld->buf[i];
		ld->tail++;
		if (canon && (f & N_TTY_DELIM)) {
			*line_done = true;
			break;
		}
	}
	if (!canon)
		ld->canon_head = ld->head;
	return copied;
}

bool n_tty_input_ready(const struct n_tty *ld)
{
	if (n_tty_canonical(ld))
		return ld->tail != ld->canon_head;
	return n_tty_avail(ld) > 0;
}

size_t n_tty_avail(const struct n_tty *ld)
{
	u32 end = n_tty_canonical(ld) ? ld->canon_head : ld->head;
	size_t n = 0;

	for (u32 i = ld->tail; i != end; i++)
		if (!(ld->flags[i & MASK] & N_TTY_EOF))
			n++;
	return n;
}

void n_tty_raw_wait(const struct n_tty *ld, size_t n, struct n_tty_raw_wait *w)
{
	size_t vmin = ld->termios.c_cc[VMIN];
	u64 vtime = ld->termios.c_cc[VTIME] * NSEC_PER_DECISECOND;

	w->timeout_ns = vtime;
	w->interbyte = vmin > 0 && vtime;
	if (vmin == 0)
		w->min = vtime ? 1 : 0;	/* TIME alone: one byte or the timeout */
	else
		w->min = vmin < n ? vmin : n;
}

/* ------------------------------------------------------------ modes */

void n_tty_set_termios(struct n_tty *ld, const struct termios *t)
{
	bool was_canon = n_tty_canonical(ld);

	ld->termios = *t;
	if (was_canon == n_tty_canonical(ld))
		return;
	ld->lnext = false;
	if (!was_canon) {
		/* pending raw input becomes one readable chunk, not an editable line */
		if (ld->head != ld->tail)
			ld->flags[(ld->head - 1) & MASK] |= N_TTY_DELIM;
		ld->canon_column = ld->column;
	}
	/* raw mode reads to head; canonical mode starts with a fresh line */
	ld->canon_head = ld->head;
}
