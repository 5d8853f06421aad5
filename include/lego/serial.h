/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_SERIAL_H
#define _LEGO_SERIAL_H

void serial_init(void);
void serial_putc(char c);

#endif
