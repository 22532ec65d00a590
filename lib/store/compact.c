/*
 * compact.c - uk_kvstore's compaction: copies every live value into the
 * other zone as a snapshot (records of kind SNAP, packed in index order;
 * the last one carries the head's message), flushes, then writes and
 * flushes the next superblock, which makes the other zone live.  Until
 * that superblock is durable the old zone is untouched and stays the one
 * named, so a crash anywhere in between reopens to the old state.
 *
 * History before the snapshot is dropped: the snapshot stands for the head
 * at compaction time.  Values are re-read one at a time into rbuf.
 */
#include <string.h>

#include "store.h"

static uint32_t cap(const struct uk_kvstore *s)
{
    return s->cfg.record_max - KVS_HDR_LEN;
}

static uint32_t op_size(const struct uk_kvstore *s, size_t i)
{
    return UK_KV_OP_HDR + s->ix.ents[i].key_len + s->ix.ents[i].len;
}

/* Bytes the snapshot takes, packed as pack() will pack it. */
static uint64_t snapshot_bytes(const struct uk_kvstore *s, size_t msg_len)
{
    uint32_t ss = s->info.sector_size, body = 0;
    uint64_t total = 0;
    size_t i;
    for (i = 0; i < s->ix.n; i++) {
        if (op_size(s, i) > cap(s) - body) {
            total += kvs_record_size(body, ss);
            body = 0;
        }
        body += op_size(s, i);
    }
    if (msg_len > cap(s) - body) {
        total += kvs_record_size(body, ss);
        body = 0;
    }
    return total + kvs_record_size(body + (uint32_t)msg_len, ss);
}

static void failed(struct uk_kvstore *s)
{
    s->failed = UK_EIO;
    s->cp.next(s, UK_EIO);
}

static void pack(struct uk_kvstore *s);
static void finish_chunks(struct uk_kvstore *s);

static void switched(struct uk_kvstore *s, int status)
{
    if (status != 0) {
        failed(s);
        return;
    }
    s->zone = s->cp.zone;
    s->gen = s->cp.gen;
    s->tail = s->cp.pos;
    s->last_pos = s->cp.prev_pos;
    s->last_crc = s->cp.prev_crc;
    s->head.where[0] = s->gen;
    s->head.where[1] = s->last_pos;
    s->head.checksum = s->last_crc;
    s->cp.next(s, 0);
}

static void write_sb(struct uk_kvstore *s, int status)
{
    struct kvs_sb sb;
    uint32_t ss = s->info.sector_size;
    if (status != 0) {
        failed(s);
        return;
    }
    sb.sector_size = ss;
    sb.generation = s->cp.gen;
    sb.zone_sectors = s->zone_sectors;
    sb.zone = s->cp.zone;
    sb.record_max = s->cfg.record_max;
    memset(s->wbuf, 0, ss);
    kvs_sb_encode(s->wbuf, &sb);
    s->op_next = switched;
    kvs_io(s, true, s->cp.gen % 2, s->wbuf, 1, kvs_then_flush);
}

static void chunk_written(struct uk_kvstore *s, int status)
{
    struct kvs_hdr h;
    if (status != 0) {
        failed(s);
        return;
    }
    (void)kvs_hdr_decode(s->wbuf, KVS_HDR_LEN, s->cfg.record_max, &h);
    s->cp.prev_pos = s->cp.pos;
    s->cp.prev_crc = h.crc;
    s->cp.pos += kvs_record_size(h.body_len, s->info.sector_size);
    s->cp.len = 0;
    s->cp.nops = 0;
    s->cp.first = s->cp.ent;
    if (h.flags & KVS_FLAG_LAST)
        kvs_flush(s, write_sb);
    else if (s->cp.ent < s->ix.n)
        pack(s);
    else
        finish_chunks(s);
}

/* Writes the chunk in wbuf; the last one gets the head's message, put in
 * front of its operations (moving the values placed so far). */
static void write_chunk(struct uk_kvstore *s, bool last)
{
    struct kvs_hdr h;
    uint32_t ss = s->info.sector_size;
    size_t msg_len = last ? strlen(s->head.msg) : 0, i;
    if (msg_len > 0) {
        memmove(s->wbuf + KVS_HDR_LEN + msg_len, s->wbuf + KVS_HDR_LEN,
                s->cp.len);
        memcpy(s->wbuf + KVS_HDR_LEN, s->head.msg, msg_len);
        for (i = s->cp.first; i < s->cp.ent; i++)
            s->ix.ents[i].loc += msg_len;
    }
    memset(&h, 0, sizeof h);
    h.kind = KVS_KIND_SNAP;
    h.flags = last ? KVS_FLAG_LAST : 0;
    h.msg_len = (uint16_t)msg_len;
    h.generation = s->cp.gen;
    h.seq = s->head.id;
    h.parent = s->head.parent;
    h.prev_pos = s->cp.prev_pos;
    h.time_s = s->head.time_s;
    h.body_len = s->cp.len + (uint32_t)msg_len;
    h.nops = s->cp.nops;
    h.prev_crc = s->cp.prev_crc;
    kvs_seal(s, s->wbuf, &h);
    kvs_io(s, true, (kvs_zone_base(s, s->cp.zone) + s->cp.pos) / ss, s->wbuf,
           (size_t)(kvs_record_size(h.body_len, ss) / ss), chunk_written);
}

static void finish_chunks(struct uk_kvstore *s)
{
    write_chunk(s, strlen(s->head.msg) <= cap(s) - s->cp.len);
}

/* Appends entry cp.ent's operation, its value (if any) in rbuf at
 * io_skip, and moves the entry to its new place. */
static void append(struct uk_kvstore *s)
{
    struct uk__kvs_ent *e = &s->ix.ents[s->cp.ent];
    uint8_t *p = s->wbuf + KVS_HDR_LEN + s->cp.len;
    p[0] = UK_KV_OP_PUT;
    p[1] = 0;
    p[2] = (uint8_t)e->key_len;
    p[3] = (uint8_t)(e->key_len >> 8);
    p[4] = (uint8_t)e->len;
    p[5] = (uint8_t)(e->len >> 8);
    p[6] = (uint8_t)(e->len >> 16);
    p[7] = (uint8_t)(e->len >> 24);
    memcpy(p + UK_KV_OP_HDR, kvs_index_key(&s->ix, s->cp.ent), e->key_len);
    if (e->len > 0)
        memcpy(p + UK_KV_OP_HDR + e->key_len, s->rbuf + s->io_skip, e->len);
    e->loc = kvs_zone_base(s, s->cp.zone) + s->cp.pos + KVS_HDR_LEN +
             s->cp.len + UK_KV_OP_HDR + e->key_len;
    s->cp.len += op_size(s, s->cp.ent);
    s->cp.nops++;
    s->cp.ent++;
}

static void value_read(struct uk_kvstore *s, int status)
{
    if (status != 0) {
        failed(s);
        return;
    }
    append(s);
    if (s->cp.ent < s->ix.n)
        pack(s);
    else
        finish_chunks(s);
}

/* Packs entries from cp.ent until one needs a read or a chunk is full. */
static void pack(struct uk_kvstore *s)
{
    uint32_t ss = s->info.sector_size;
    while (s->cp.ent < s->ix.n) {
        struct uk__kvs_ent *e = &s->ix.ents[s->cp.ent];
        if (op_size(s, s->cp.ent) > cap(s) - s->cp.len) {
            write_chunk(s, false);
            return;
        }
        if (e->len > 0) {
            s->io_skip = (size_t)(e->loc % ss);
            kvs_io(s, false, e->loc / ss, s->rbuf,
                   (size_t)((e->loc % ss + e->len + ss - 1) / ss),
                   value_read);
            return;
        }
        append(s);
    }
    finish_chunks(s);
}

void kvs_compact(struct uk_kvstore *s, kvs_step next)
{
    s->cp.next = next;
    if (snapshot_bytes(s, strlen(s->head.msg)) > kvs_zone_bytes(s)) {
        next(s, UK_ENOSPC);
        return;
    }
    s->cp.zone = 1 - s->zone;
    s->cp.gen = s->gen + 1;
    s->cp.pos = 0;
    s->cp.prev_pos = KVS_NONE;
    s->cp.prev_crc = 0;
    s->cp.len = 0;
    s->cp.nops = 0;
    s->cp.ent = 0;
    s->cp.first = 0;
    pack(s);
}
