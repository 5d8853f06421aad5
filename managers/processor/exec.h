/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PROCESSOR_EXEC_H
#define _PROCESSOR_EXEC_H

/* Program arguments on their way to the memory manager (exec.c, init.c). */
#include <lego/types.h>

#define EXEC_ARGS_MAX	(256 * 1024)	/* argv and envp strings together */

struct exec_args {
	char *buf;		/* argc strings then envc strings, each NUL-terminated */
	size_t len;
	int argc;
	int envc;
};

void exec_args_init(struct exec_args *a);
void exec_args_free(struct exec_args *a);
int exec_args_add(struct exec_args *a, const char *s, size_t len);
/* Run the program at path (absolute) in current; 0 or a negative errno. */
int do_execve_args(const char *path, struct exec_args *a);

#endif
