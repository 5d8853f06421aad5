/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_RBTREE_H
#define _LEGO_RBTREE_H

/*
 * Intrusive red-black tree. The user embeds a struct rb_node in its
 * object, finds the insertion point itself (walking with its own key
 * comparison), links the node there with rb_link_node() and then calls
 * rb_insert_color() to rebalance. No locking: the owner serialises.
 */
#include <lego/kernel.h>

struct rb_node {
	struct rb_node *parent;
	struct rb_node *left;
	struct rb_node *right;
	bool red;
};

struct rb_root {
	struct rb_node *node;
};

#define RB_ROOT		((struct rb_root) { NULL })
#define rb_entry(ptr, type, member)	container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) \
	({ __typeof__(ptr) __p = (ptr); __p ? rb_entry(__p, type, member) : NULL; })

static inline bool rb_empty(const struct rb_root *root)
{
	return !root->node;
}

/* Put n, a new leaf, at *link (a child pointer of parent, or root->node). */
static inline void rb_link_node(struct rb_node *n, struct rb_node *parent,
				struct rb_node **link)
{
	n->parent = parent;
	n->left = NULL;
	n->right = NULL;
	n->red = true;
	*link = n;
}

void rb_insert_color(struct rb_node *n, struct rb_root *root);
void rb_erase(struct rb_node *n, struct rb_root *root);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *n);
struct rb_node *rb_prev(const struct rb_node *n);

#endif
