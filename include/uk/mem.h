/*
 * uk/mem.h - MEM: the image's one memory budget, and the accounts that
 * layers draw on it.
 *
 * An image gets its memory once, at boot (the Xen memory map, the device
 * tree, --memory=SIZE on unix and tap), and the target carves one budget
 * from it: uk_default_mem() in uk/target.h.  Every buffer whose number
 * grows with load (TCP rings, HTTP input, DNS zone data, netfront pages) is
 * taken from that budget when it is needed and given back when it is not;
 * nothing is reserved per slot at compile time.  Layers take a struct
 * uk_mem * as a constructor argument like any other dependency, so tests
 * pass a small budget of their own.
 *
 *   void *alloc(self, size_t n)                                 required
 *       n bytes (n > 0), aligned for any object, uninitialised; NULL when
 *       the budget cannot give them (never a crash, never a wait).  The
 *       block is the caller's until it gives it back with free().
 *
 *   void free(self, void *p, size_t n)                          required
 *       Gives back a block from alloc(); n is the size asked for.  p NULL
 *       does nothing.
 *
 *   void stats(self, struct uk_mem_stats *out)                  required
 *       The budget's size and use, for pressure decisions and logs.
 *
 * Accounts (struct uk_mem_account, below) give a layer its own share of a
 * budget with a soft limit and a hard one, like Linux's tcp_mem: under the
 * soft limit a layer grows freely; above it (or when the whole budget is
 * nearly used) it is "under pressure" and should shrink and reclaim (close
 * idle keep-alives first, then the oldest connections that never sent a
 * complete request); at the hard limit allocations fail.
 */
#ifndef UK_MEM_H
#define UK_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/iface.h>

struct uk_mem_stats {
    size_t total;      /* bytes the budget can give, in all */
    size_t used;       /* bytes given and not yet given back */
    size_t peak;       /* largest `used` seen */
    uint64_t failures; /* alloc() calls that returned NULL */
};

#define UK_MEM_METHODS(T, M, V, O)                                            \
    M(T, void *, alloc, (struct T * self, size_t n), (self, n))               \
    V(T, free, (struct T * self, void *p, size_t n), (self, p, n))            \
    V(T, stats, (struct T * self, struct uk_mem_stats * out), (self, out))
UK_INTERFACE(uk_mem, UK_MEM_METHODS);

/* Whether the budget as a whole is under pressure: 7/8 or more of it is
 * given out.  Layers reclaim before they run out, not after. */
static inline bool uk_mem_is_under_pressure(struct uk_mem *m)
{
    struct uk_mem_stats s;
    uk_mem_stats(m, &s);
    return s.used >= s.total - s.total / 8;
}

/*
 * A layer's share of a budget.  Fields are the owner's to read; change
 * them only through the functions below.  An account does not lock: the
 * image has one event loop.
 */
struct uk_mem_account {
    struct uk_mem *mem; /* BORROWED: the budget drawn on */
    const char *name;   /* BORROWED: for logs ("tcp", "http") */
    size_t used;        /* bytes this account holds now */
    size_t pressure;    /* soft limit: above it, shrink and reclaim */
    size_t limit;       /* hard limit: allocations beyond it fail */
    uint64_t failures;  /* allocations refused (limit or budget) */
};

/* Sets up an account on mem with the given soft and hard limits in bytes
 * (SIZE_MAX for "the whole budget"). */
static inline void uk_mem_account_init(struct uk_mem_account *a,
                                       struct uk_mem *mem, const char *name,
                                       size_t pressure, size_t limit)
{
    a->mem = mem;
    a->name = name;
    a->used = 0;
    a->pressure = pressure;
    a->limit = limit;
    a->failures = 0;
}

/* n bytes from the account's budget, or NULL (the account's hard limit or
 * the budget is reached).  Give them back with uk_mem_account_free. */
static inline void *uk_mem_account_alloc(struct uk_mem_account *a, size_t n)
{
    void *p = NULL;
    if (n <= a->limit && a->used <= a->limit - n)
        p = uk_mem_alloc(a->mem, n);
    if (p == NULL)
        a->failures++;
    else
        a->used += n;
    return p;
}

/* Gives back n bytes from uk_mem_account_alloc(a, n); p NULL does nothing. */
static inline void uk_mem_account_free(struct uk_mem_account *a, void *p,
                                       size_t n)
{
    if (p == NULL)
        return;
    uk_mem_free(a->mem, p, n);
    a->used -= n;
}

/* Whether the account should shrink: over its soft limit, or the budget as
 * a whole under pressure. */
static inline bool uk_mem_account_is_under_pressure(struct uk_mem_account *a)
{
    return a->used >= a->pressure || uk_mem_is_under_pressure(a->mem);
}

#endif
