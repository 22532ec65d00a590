/*
 * uk/arena.h - a bump allocator over caller-owned memory, for structures
 * built once at load time (a DNS zone's index, a flow table).  Nothing is
 * freed individually; uk_arena_reset() forgets everything at once.  Using it
 * keeps every allocation explicit and bounded: the caller chooses the
 * memory, and running out is an error (UK_ENOMEM), never a crash.
 */
#ifndef UK_ARENA_H
#define UK_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct uk_arena {
    uint8_t *base; /* BORROWED for the arena's lifetime */
    size_t size;
    size_t used;
};

static inline void uk_arena_init(struct uk_arena *a, void *mem, size_t size)
{
    a->base = (uint8_t *)mem;
    a->size = size;
    a->used = 0;
}

/* n bytes aligned for any object type, or NULL when the arena is full. */
static inline void *uk_arena_alloc(struct uk_arena *a, size_t n)
{
    const size_t align = sizeof(void *) > sizeof(uint64_t) ? sizeof(void *)
                                                           : sizeof(uint64_t);
    /* Align the address, not the offset: the caller's memory need not be
     * aligned itself. */
    size_t pad = (size_t)(0u - (uintptr_t)(a->base + a->used)) & (align - 1);
    size_t start = a->used + pad;
    if (pad > a->size - a->used || n > a->size - start)
        return NULL;
    a->used = start + n;
    return a->base + start;
}

static inline void uk_arena_reset(struct uk_arena *a) { a->used = 0; }

#endif
