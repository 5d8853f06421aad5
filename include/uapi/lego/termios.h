/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UAPI_LEGO_TERMIOS_H
#define _UAPI_LEGO_TERMIOS_H

/*
 * Terminal interface as the Linux x86-64 system call ABI defines it: the
 * struct termios that TCGETS/TCSETS copy (the kernel's 19-entry c_cc, not
 * the C library's larger one), struct winsize, the tty ioctl numbers and
 * the mode bits. Octal, as the ABI documents them. Never change a value.
 */
#include <lego/types.h>

typedef u8 cc_t;
typedef u32 speed_t;
typedef u32 tcflag_t;

#define NCCS		19

struct termios {
	tcflag_t c_iflag;	/* input modes */
	tcflag_t c_oflag;	/* output modes */
	tcflag_t c_cflag;	/* control modes */
	tcflag_t c_lflag;	/* local modes */
	cc_t c_line;		/* line discipline number (0: N_TTY) */
	cc_t c_cc[NCCS];	/* control characters */
};

struct winsize {
	u16 ws_row;
	u16 ws_col;
	u16 ws_xpixel;
	u16 ws_ypixel;
};

/* c_cc indexes */
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VTIME		5
#define VMIN		6
#define VSWTC		7
#define VSTART		8
#define VSTOP		9
#define VSUSP		10
#define VEOL		11
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOL2		16

/* A c_cc entry with this value is disabled. */
#define _POSIX_VDISABLE	0

/* c_iflag */
#define IGNBRK		0000001
#define BRKINT		0000002
#define IGNPAR		0000004
#define PARMRK		0000010
#define INPCK		0000020
#define ISTRIP		0000040
#define INLCR		0000100
#define IGNCR		0000200
#define ICRNL		0000400
#define IUCLC		0001000
#define IXON		0002000
#define IXANY		0004000
#define IXOFF		0010000
#define IMAXBEL		0020000
#define IUTF8		0040000

/* c_oflag */
#define OPOST		0000001
#define OLCUC		0000002
#define ONLCR		0000004
#define OCRNL		0000010
#define ONOCR		0000020
#define ONLRET		0000040
#define OFILL		0000100
#define OFDEL		0000200
#define NLDLY		0000400
#define NL0		0000000
#define NL1		0000400
#define CRDLY		0003000
#define CR0		0000000
#define CR1		0001000
#define CR2		0002000
#define CR3		0003000
#define TABDLY		0014000
#define TAB0		0000000
#define TAB1		0004000
#define TAB2		0010000
#define TAB3		0014000
#define XTABS		0014000
#define BSDLY		0020000
#define BS0		0000000
#define BS1		0020000
#define VTDLY		0040000
#define VT0		0000000
#define VT1		0040000
#define FFDLY		0100000
#define FF0		0000000
#define FF1		0100000

/* c_cflag */
#define CBAUD		0010017
#define B0		0000000
#define B50		0000001
#define B75		0000002
#define B110		0000003
#define B134		0000004
#define B150		0000005
#define B200		0000006
#define B300		0000007
#define B600		0000010
#define B1200		0000011
#define B1800		0000012
#define B2400		0000013
#define B4800		0000014
#define B9600		0000015
#define B19200		0000016
#define B38400		0000017
#define CSIZE		0000060
#define CS5		0000000
#define CS6		0000020
#define CS7		0000040
#define CS8		0000060
#define CSTOPB		0000100
#define CREAD		0000200
#define PARENB		0000400
#define PARODD		0001000
#define HUPCL		0002000
#define CLOCAL		0004000
#define CBAUDEX		0010000
#define BOTHER		0010000
#define B57600		0010001
#define B115200		0010002
#define B230400		0010003
#define B460800		0010004
#define B500000		0010005
#define B576000		0010006
#define B921600		0010007
#define B1000000	0010010
#define CIBAUD		002003600000
#define CMSPAR		010000000000
#define CRTSCTS		020000000000

/* c_lflag */
#define ISIG		0000001
#define ICANON		0000002
#define XCASE		0000004
#define ECHO		0000010
#define ECHOE		0000020
#define ECHOK		0000040
#define ECHONL		0000100
#define NOFLSH		0000200
#define TOSTOP		0000400
#define ECHOCTL		0001000
#define ECHOPRT		0002000
#define ECHOKE		0004000
#define FLUSHO		0010000
#define PENDIN		0040000
#define IEXTEN		0100000
#define EXTPROC		0200000

/* ioctl requests on a tty */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCGETA		0x5405
#define TCSETA		0x5406
#define TCSETAW		0x5407
#define TCSETAF		0x5408
#define TCSBRK		0x5409
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCEXCL	0x540C
#define TIOCNXCL	0x540D
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCSTI		0x5412
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define TIOCMGET	0x5415
#define TIOCMBIS	0x5416
#define TIOCMBIC	0x5417
#define TIOCMSET	0x5418
#define TIOCGSOFTCAR	0x5419
#define TIOCSSOFTCAR	0x541A
#define FIONREAD	0x541B
#define TIOCINQ		FIONREAD
#define TIOCLINUX	0x541C
#define TIOCCONS	0x541D
#define TIOCGSERIAL	0x541E
#define TIOCSSERIAL	0x541F
#define TIOCPKT		0x5420
#define FIONBIO		0x5421
#define TIOCNOTTY	0x5422
#define TIOCSETD	0x5423
#define TIOCGETD	0x5424
#define TCSBRKP		0x5425
#define TIOCSBRK	0x5427
#define TIOCCBRK	0x5428
#define TIOCGSID	0x5429
#define TIOCGPTN	0x80045430
#define TIOCSPTLCK	0x40045431
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define FIOASYNC	0x5452

/* TCFLSH arguments */
#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2

/* TCXONC arguments */
#define TCOOFF		0
#define TCOON		1
#define TCIOFF		2
#define TCION		3

/* Line discipline numbers (TIOCGETD/TIOCSETD). */
#define N_TTY		0

#endif
