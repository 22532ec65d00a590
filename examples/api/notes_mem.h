/* notes_mem.h - NOTES in memory, each note's bytes from a budget. */
#ifndef API_NOTES_MEM_H
#define API_NOTES_MEM_H

#include <uk/mem.h>
#include <uk/time.h>

#include "notes.h"

struct api_notes_mem {
    struct api_notes notes;
    struct uk_mem_account acct; /* every note's bytes */
    struct uk_time *time;       /* for deferred callbacks (BORROWED) */
    char *text[API_NOTES_MAX];  /* from acct */
    size_t len[API_NOTES_MAX];
    uint32_t count;
};

/*
 * api_notes_mem_init(n, mem, limit, time): notes whose bytes come from
 * mem (BORROWED), at most limit bytes in all (UK_ENOSPC beyond).
 */
void api_notes_mem_init(struct api_notes_mem *n, struct uk_mem *mem,
                        size_t limit, struct uk_time *time);

#endif
