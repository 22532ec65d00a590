/*
 * open.c - uk_kvstore_open: choose the superblock, replay the live zone
 * into the index (recovery), or format an empty device.
 *
 * Recovery reads the zone's records in order: the snapshot records, then
 * commits for as long as each one is intact and chained to the one before
 * (generation, sequence, previous position and crc).  The first record that
 * is not is where the log ends: a commit torn by power loss, an old
 * record, or never-written space.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

static void opened(void *arg)
{
    struct uk_kvstore *s = arg;
    s->open_cb(s->open_arg, s->phase);
}

static void finish(struct uk_kvstore *s, int status)
{
    s->opening = false;
    if (status != 0)
        s->failed = UK_EIO;
    s->phase = status;
    uk_time_defer(s->time, &s->io_timer, opened, s);
    if (status == 0 && s->q_first != NULL && s->cur == NULL)
        uk_time_defer(s->time, &s->timer, kvs_kick, s);
}

static void scan(struct uk_kvstore *s, int status)
{
    struct kvs_hdr h;
    uint64_t pos = s->pos, next;
    bool snap = s->walk_seq == 0, ok = status == 0;
    if (ok) {
        kvs_loaded(s, &h);
        ok = h.generation == s->gen && h.prev_pos == s->last_pos &&
             h.prev_crc == s->last_crc;
        if (snap)
            ok = ok && h.kind == KVS_KIND_SNAP &&
                 (s->last_pos == KVS_NONE || h.seq == s->head.id);
        else
            ok = ok && h.kind == KVS_KIND_COMMIT &&
                 h.seq == s->head.id + 1 && h.parent == s->head.id;
    }
    if (!ok) {
        if (status != 0 && status != UK_EPROTO)
            finish(s, status); /* the device failed */
        else if (snap)
            finish(s, UK_EPROTO); /* the superblock names a bad snapshot */
        else {
            s->tail = pos; /* the end of the log */
            finish(s, 0);
        }
        return;
    }
    if (kvs_ops_check(s->rbuf + KVS_HDR_LEN + h.msg_len,
                      h.body_len - h.msg_len, h.nops) != 0) {
        finish(s, UK_EPROTO); /* intact yet malformed: not ours */
        return;
    }
    if (kvs_apply(s, s->rbuf, &h, pos) != 0) {
        finish(s, UK_ELIMIT);
        return;
    }
    kvs_commit_from(s, s->rbuf, pos, &s->head);
    s->last_pos = pos;
    s->last_crc = h.crc;
    if (snap && (h.flags & KVS_FLAG_LAST))
        s->walk_seq = 1;
    next = pos + kvs_record_size(h.body_len, s->info.sector_size);
    if (next > kvs_zone_bytes(s) - s->info.sector_size) {
        s->tail = next; /* the zone is full */
        finish(s, s->walk_seq == 0 ? UK_EPROTO : 0);
        return;
    }
    kvs_load(s, next, scan);
}

/* Formatting: the other superblock slot is cleared and an empty snapshot
 * written (and flushed) before generation 1's superblock names it. */
static void format_snap(struct uk_kvstore *s, int status);
static void format_done(struct uk_kvstore *s, int status)
{
    if (status != 0) {
        finish(s, status);
        return;
    }
    s->head.where[0] = s->gen;
    finish(s, 0);
}

static void format_sb(struct uk_kvstore *s, int status)
{
    struct kvs_sb sb;
    uint32_t ss = s->info.sector_size;
    if (status != 0) {
        finish(s, status);
        return;
    }
    sb.sector_size = ss;
    sb.generation = s->gen;
    sb.zone_sectors = s->zone_sectors;
    sb.zone = 0;
    sb.record_max = s->cfg.record_max;
    memset(s->wbuf, 0, ss);
    kvs_sb_encode(s->wbuf, &sb);
    s->op_next = format_done;
    kvs_io(s, true, s->gen % 2, s->wbuf, 1, kvs_then_flush);
}

static void format_snap(struct uk_kvstore *s, int status)
{
    struct kvs_hdr h;
    uint32_t ss = s->info.sector_size;
    if (status != 0) {
        finish(s, status);
        return;
    }
    memset(&h, 0, sizeof h);
    h.kind = KVS_KIND_SNAP;
    h.flags = KVS_FLAG_LAST;
    h.generation = s->gen;
    h.prev_pos = KVS_NONE;
    kvs_seal(s, s->wbuf, &h);
    memset(&s->head, 0, sizeof s->head);
    s->head.checksum = h.crc;
    s->last_pos = 0;
    s->last_crc = h.crc;
    s->tail = ss;
    s->op_next = format_sb;
    kvs_io(s, true, kvs_zone_base(s, 0) / ss, s->wbuf, 1, kvs_then_flush);
}

/* The sector after the snapshot is cleared too: on a device that held a
 * store before, that store's first commit could otherwise chain to an
 * identical empty snapshot and come back. */
static void format_clear(struct uk_kvstore *s, int status)
{
    uint32_t ss = s->info.sector_size;
    if (status != 0) {
        finish(s, status);
        return;
    }
    kvs_io(s, true, kvs_zone_base(s, 0) / ss + 1, s->wbuf, 1, format_snap);
}

static void format(struct uk_kvstore *s)
{
    uint32_t ss = s->info.sector_size;
    s->zone_sectors = (s->info.sectors - 2) / 2;
    s->zone = 0;
    s->gen = 1;
    memset(s->wbuf, 0, ss);
    kvs_io(s, true, (s->gen + 1) % 2, s->wbuf, 1, format_clear);
}

static void read_sbs(struct uk_kvstore *s, int status)
{
    struct kvs_sb a, b, *best = NULL;
    uint32_t ss = s->info.sector_size;
    if (status != 0) {
        finish(s, status);
        return;
    }
    if (kvs_sb_decode(s->rbuf, ss, &a) == 0)
        best = &a;
    if (kvs_sb_decode(s->rbuf + ss, ss, &b) == 0 &&
        (best == NULL || b.generation > a.generation))
        best = &b;
    if (best == NULL) {
        if (s->cfg.create && !s->info.read_only)
            format(s);
        else
            finish(s, UK_ENOENT);
        return;
    }
    if (best->sector_size != ss || best->record_max > s->cfg.record_max ||
        best->zone_sectors > (s->info.sectors - 2) / 2 ||
        best->zone_sectors * ss < 2 * (uint64_t)best->record_max) {
        finish(s, UK_EPROTO);
        return;
    }
    s->zone_sectors = best->zone_sectors;
    s->zone = best->zone;
    s->gen = best->generation;
    s->last_pos = KVS_NONE;
    s->last_crc = 0;
    s->walk_seq = 0; /* scan's phase: 0 snapshot, 1 commits */
    memset(&s->head, 0, sizeof s->head);
    kvs_load(s, 0, scan);
}

int uk_kvstore_open(struct uk_kvstore *s, struct uk_block *blk,
                    struct uk_time *time, const struct uk_kvstore_config *cfg,
                    void *mem, size_t len, uk_kv_rw_cb cb, void *arg)
{
    uint32_t ss;
    int rc;
    memset(s, 0, sizeof *s);
    s->kv.ops = &uk__kvstore_ops;
    s->blk = blk;
    s->time = time;
    s->cfg = *cfg;
    uk_block_info(blk, &s->info);
    ss = s->info.sector_size;
    if (ss < 512 || cfg->record_max < ss || cfg->record_max % ss != 0 ||
        s->info.sectors < 2 ||
        (s->info.sectors - 2) / 2 < 2 * (uint64_t)(cfg->record_max / ss) ||
        cfg->key_bytes > UINT32_MAX)
        return UK_EINVAL;
    if ((rc = kvs_setup(s, mem, len)) != 0)
        return rc;
    s->has_flush = uk_block_has_flush(blk);
    s->open_cb = cb;
    s->open_arg = arg;
    s->opening = true;
    snprintf(s->id, sizeof s->id, "kvstore:%s", uk_block_id(blk));
    kvs_io(s, false, 0, s->rbuf, 2, read_sbs);
    return 0;
}
