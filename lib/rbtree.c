// SPDX-License-Identifier: GPL-2.0
/*
 * Red-black tree balancing (the classic textbook algorithm with explicit
 * parent pointers; a NULL child counts as a black leaf). Used by the
 * memory manager's VMA tree; see <lego/rbtree.h> for the interface.
 */
#include <lego/rbtree.h>

static bool is_red(const struct rb_node *n)
{
	return n && n->red;
}

/* Make @new take @old's place under old's parent (or as the root). */
static void replace_child(struct rb_root *root, struct rb_node *parent,
			  struct rb_node *old, struct rb_node *new)
{
	if (!parent)
		root->node = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

static void rotate_left(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->parent = x->parent;
	replace_child(root, x->parent, x, y);
	y->left = x;
	x->parent = y;
}

static void rotate_right(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	y->parent = x->parent;
	replace_child(root, x->parent, x, y);
	y->right = x;
	x->parent = y;
}

void rb_insert_color(struct rb_node *n, struct rb_root *root)
{
	struct rb_node *p, *g, *u;

	while ((p = n->parent) && p->red) {
		/* p is red, so it is not the root: g exists */
		g = p->parent;
		if (p == g->left) {
			u = g->right;
			if (is_red(u)) {
				p->red = false;
				u->red = false;
				g->red = true;
				n = g;
				continue;
			}
			if (n == p->right) {
				rotate_left(root, p);
				n = p;
				p = n->parent;
			}
			p->red = false;
			g->red = true;
			rotate_right(root, g);
		} else {
			u = g->left;
			if (is_red(u)) {
				p->red = false;
				u->red = false;
				g->red = true;
				n = g;
				continue;
			}
			if (n == p->left) {
				rotate_right(root, p);
				n = p;
				p = n->parent;
			}
			p->red = false;
			g->red = true;
			rotate_left(root, g);
		}
	}
	root->node->red = false;
}

/* Restore the black height after a black node above x (under xp) went. */
static void erase_fixup(struct rb_root *root, struct rb_node *x, struct rb_node *xp)
{
	struct rb_node *w;

	while (x != root->node && !is_red(x)) {
		if (x == xp->left) {
			w = xp->right;
			if (is_red(w)) {
				w->red = false;
				xp->red = true;
				rotate_left(root, xp);
				w = xp->right;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = xp;
				xp = x->parent;
				continue;
			}
			if (!is_red(w->right)) {
				w->left->red = false;
				w->red = true;
				rotate_right(root, w);
				w = xp->right;
			}
			w->red = xp->red;
			xp->red = false;
			w->right->red = false;
			rotate_left(root, xp);
		} else {
			w = xp->left;
			if (is_red(w)) {
				w->red = false;
				xp->red = true;
				rotate_right(root, xp);
				w = xp->left;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = xp;
				xp = x->parent;
				continue;
			}
			if (!is_red(w->left)) {
				w->right->red = false;
				w->red = true;
				rotate_left(root, w);
				w = xp->left;
			}
			w->red = xp->red;
			xp->red = false;
			w->left->red = false;
			rotate_right(root, xp);
		}
		x = root->node;
		break;
	}
	if (x)
		x->red = false;
}

void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *y = z, *x, *xp;
	bool removed_red;

	/* y is the node that really leaves its place: z, or z's successor */
	if (z->left && z->right) {
		y = z->right;
		while (y->left)
			y = y->left;
	}
	x = y->left ? y->left : y->right;
	xp = y->parent;
	removed_red = y->red;
	if (x)
		x->parent = xp;
	replace_child(root, xp, y, x);

	if (y != z) {
		/* the successor takes z's place, colour and children */
		if (xp == z)
			xp = y;
		y->left = z->left;
		y->right = z->right;
		y->parent = z->parent;
		y->red = z->red;
		if (y->left)
			y->left->parent = y;
		if (y->right)
			y->right->parent = y;
		replace_child(root, z->parent, z, y);
	}
	if (!removed_red)
		erase_fixup(root, x, xp);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	while (n && n->left)
		n = n->left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	while (n && n->right)
		n = n->right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *n)
{
	const struct rb_node *p;

	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct rb_node *)n;
	}
	while ((p = n->parent) && n == p->right)
		n = p;
	return (struct rb_node *)p;
}

struct rb_node *rb_prev(const struct rb_node *n)
{
	const struct rb_node *p;

	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct rb_node *)n;
	}
	while ((p = n->parent) && n == p->left)
		n = p;
	return (struct rb_node *)p;
}
