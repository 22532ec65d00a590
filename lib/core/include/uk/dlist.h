/*
 * uk/dlist.h - an intrusive doubly linked list, for queues a layer keeps in
 * age order (oldest first) and leaves from the middle in O(1): idle
 * connections to reclaim, connections waiting for a buffer.
 *
 * An element embeds a struct uk_dlink and belongs to at most one list
 * through it, which its owner keeps track of; UK_CONTAINER_OF (uk/iface.h)
 * gets back the element.  The
 * list does not own its elements.  Header-only.
 */
#ifndef UK_DLIST_H
#define UK_DLIST_H

#include <stdbool.h>
#include <stddef.h>

struct uk_dlink {
    struct uk_dlink *prev, *next;
};

struct uk_dlist {
    struct uk_dlink *first, *last;
    size_t count;
};

static inline void uk_dlist_init(struct uk_dlist *l)
{
    l->first = l->last = NULL;
    l->count = 0;
}

/* Adds n (in no list) at the end of l: the newest. */
static inline void uk_dlist_append(struct uk_dlist *l, struct uk_dlink *n)
{
    n->next = NULL;
    n->prev = l->last;
    if (l->last != NULL)
        l->last->next = n;
    else
        l->first = n;
    l->last = n;
    l->count++;
}

/* Takes n out of l; n must be in l (the list does not record which list
 * an element is in: the owner does). */
static inline void uk_dlist_remove(struct uk_dlist *l, struct uk_dlink *n)
{
    if (n->prev != NULL)
        n->prev->next = n->next;
    else
        l->first = n->next;
    if (n->next != NULL)
        n->next->prev = n->prev;
    else
        l->last = n->prev;
    n->prev = n->next = NULL;
    l->count--;
}

/* Moves n from the list `from` to the end of `to`; either may be NULL
 * (n in no list before, or after). */
static inline void uk_dlist_move(struct uk_dlist *from, struct uk_dlist *to,
                                 struct uk_dlink *n)
{
    if (from != NULL)
        uk_dlist_remove(from, n);
    if (to != NULL)
        uk_dlist_append(to, n);
}

#endif
