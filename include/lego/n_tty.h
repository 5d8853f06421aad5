/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_N_TTY_H
#define _LEGO_N_TTY_H

/*
 * The line discipline of a terminal (drivers/tty/n_tty.c), as pure logic:
 * bytes from the wire go in, and out come bytes to echo (through the emit
 * callback), input that readers may take, and signals for the caller to
 * send. No locking, sleeping or hardware here: the tty (drivers/tty/
 * tty_io.c) serialises every call with its lock, and host unit tests drive
 * it directly (tests/unit/test_n_tty.c).
 */
#include <lego/types.h>
#include <uapi/lego/termios.h>

#define N_TTY_BUF_SIZE		4096	/* input kept while nobody reads; a power of two */
#define N_TTY_OUT_SIZE		64	/* output is batched this much before emit */

/* Per buffered byte. */
#define N_TTY_DELIM		0x01	/* ends a line in canonical mode */
#define N_TTY_EOF		0x02	/* the VEOF marker: ends a line, never read */

/* Signals the caller sends to the foreground process group. */
#define N_TTY_SIGINT		0x01
#define N_TTY_SIGQUIT		0x02
#define N_TTY_SIGTSTP		0x04

/* What a call to n_tty_receive() asks of its caller. */
struct n_tty_events {
	bool readable;		/* new input for readers: wake them */
	unsigned int signals;	/* N_TTY_SIG* */
	unsigned int dropped;	/* bytes ignored because the buffer was full */
};

typedef void (*n_tty_emit_t)(void *ctx, const char *s, size_t n);

struct n_tty {
	struct termios termios;
	/* input ring: free-running indices, tail <= canon_head <= head */
	u8 buf[N_TTY_BUF_SIZE];
	u8 flags[N_TTY_BUF_SIZE];
	u32 tail;		/* next byte a reader takes */
	u32 canon_head;		/* end of complete lines (canonical mode) */
	u32 head;		/* end of input; canon_head..head is the line being edited */
	bool lnext;		/* VLNEXT seen: the next byte is taken literally */
	unsigned int column;	/* where the output cursor is, as far as we know */
	unsigned int canon_column;	/* column at which the edited line began */
	/* output batching */
	n_tty_emit_t emit;
	void *ctx;
	char out[N_TTY_OUT_SIZE];
	size_t out_len;
};

/* Linux's defaults: canonical, echo, ^C ^\ ^Z signals, ICRNL, OPOST|ONLCR. */
void n_tty_init(struct n_tty *ld, n_tty_emit_t emit, void *ctx);
void n_tty_default_termios(struct termios *t);
/* New modes; entering or leaving ICANON re-partitions pending input as Linux does. */
void n_tty_set_termios(struct n_tty *ld, const struct termios *t);

/* Bytes from the terminal. Echoes through emit; *ev is filled (not accumulated). */
void n_tty_receive(struct n_tty *ld, const u8 *s, size_t n, struct n_tty_events *ev);
/* Output from a program: OPOST processing, then emit. */
void n_tty_write(struct n_tty *ld, const u8 *s, size_t n);

/*
 * Take input. Canonical mode: at most one line (its NL included, a VEOF
 * marker consumed but not copied); *line_done says the line's end was
 * consumed, so 0 with *line_done is end of file. Raw mode: what is there.
 */
size_t n_tty_read(struct n_tty *ld, u8 *dst, size_t n, bool *line_done);
/* A read would not block: a complete line (canonical) or any byte (raw). */
bool n_tty_input_ready(const struct n_tty *ld);
/* Bytes a read could return now (FIONREAD). */
size_t n_tty_avail(const struct n_tty *ld);
/* Discard all pending input, complete lines included. */
void n_tty_flush_input(struct n_tty *ld);

/*
 * How a non-canonical read of n bytes waits (VMIN/VTIME): it returns once
 * it has min bytes (0: at once, whatever is there); if timeout_ns is not 0
 * it also returns when that much time passes without input - measured
 * from the call, or, if interbyte, from the last byte received (and not
 * before the first one).
 */
struct n_tty_raw_wait {
	size_t min;
	u64 timeout_ns;
	bool interbyte;
};
void n_tty_raw_wait(const struct n_tty *ld, size_t n, struct n_tty_raw_wait *w);

static inline bool n_tty_canonical(const struct n_tty *ld)
{
	return ld->termios.c_lflag & ICANON;
}

#endif
