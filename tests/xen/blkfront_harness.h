/*
 * blkfront_harness.h - blkfront.c on the host against a fake blkback
 * (blkfront_harness.c), shared by xen_blkfront_test and the fuzz target.
 *
 * The fake backend serves a disk in memory: it takes the requests the
 * front end posted (checking each is well formed: segment count, sector
 * ranges inside a page, grant references naming our pages, disk range),
 * does them at once, and answers them when and how the test says, in any
 * order, with any status, or with wrong ids and indices.
 */
#ifndef BLKFRONT_HARNESS_H
#define BLKFRONT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blkfront.h"
#include "xen_fakes.h"

#define BFH_SECTORS 1024 /* the disk, in 512-byte units (512 KiB) */
#define BFH_TAKEN_MAX 64

struct bfh_taken {
    uint64_t id;
    uint8_t op; /* as the response should echo it */
    unsigned nseg;
};

extern struct uk__blkfront bf;
extern uint8_t *bfh_disk;
extern struct bfh_taken bfh_taken[BFH_TAKEN_MAX]; /* taken, unanswered */
extern unsigned bfh_ntaken;
extern unsigned bfh_flushes, bfh_writes_since_flush;

/* Attaches bf to fresh pages; the disk is zeroed.  Returns attach's rc. */
int bfh_setup(unsigned long sector_size, unsigned long max_indirect,
              bool flush, bool read_only);
void bfh_teardown(void);
/* The backend takes every request posted since last time (doing reads
 * and writes on the disk).  Aborts on a malformed request. */
unsigned bfh_take(void);
/* Writes the response to bfh_taken[i] (then drops it from the list),
 * unpublished. */
void bfh_answer(unsigned i, int16_t status);
/* Writes an arbitrary response, unpublished, in the next ring place
 * whose request was taken (none left: nothing). */
void bfh_answer_raw(uint64_t id, uint8_t op, int16_t status);
/* Publishes the responses written (plus `extra`, a runaway index) and
 * lets the front end process them. */
void bfh_publish(uint32_t extra);
/* take + answer everything OK + publish, until nothing is posted, then
 * runs deferred completions. */
void bfh_serve_all(void);
/* Checks slot and page accounting; aborts when a slot or page was lost
 * or freed twice. */
void bfh_check(void);
/* Plays bytes as a sequence of guest requests and backend actions (the
 * fuzz input format). */
void bfh_run_bytes(const uint8_t *data, size_t size);

#endif
