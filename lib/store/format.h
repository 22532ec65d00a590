/*
 * format.h - the on-disk format of uk_kvstore (internal to lib/store; the
 * fuzz target and tests include it too).  Everything little-endian.
 *
 * Device: sector 0 and sector 1 hold a superblock pair; then two zones of
 * zone_sectors sectors each.  Superblock generation g lives in sector
 * g % 2; the valid one with the highest generation names the live zone.
 * Only the live zone is written, append-only; compaction copies the live
 * data into the other zone and then writes the next superblock, so a
 * crash at any write leaves one complete, consistent zone named.
 *
 * Superblock (first 64 bytes of its sector, the rest zero):
 *   0 magic "ukstore1"   8 version:u32 (1)   12 sector_size:u32
 *   16 generation:u64    24 zone_sectors:u64  32 zone:u32 (0 or 1)
 *   36 record_max:u32    40..59 zero          60 crc32c of bytes 0..59
 *
 * A zone is a chain of records, each starting on a sector boundary:
 * first the snapshot (records of kind SNAP holding a put for every live
 * key; the last has flag LAST), then one record per commit.  Record header
 * (64 bytes), then the body: the commit message (msg_len bytes), then the
 * operations (uk/kv_rw.h's transaction encoding):
 *   0 magic "ukrc"  4 kind:u8  5 flags:u8  6 msg_len:u16
 *   8 generation:u64   16 seq:u64 (the commit id)   24 parent:u64
 *   32 prev_pos:u64 (zone byte offset of the previous record; ~0 none)
 *   40 time_s:i64   48 body_len:u32   52 nops:u32
 *   56 prev_crc:u32 (the previous record's crc; 0 for none)
 *   60 crc:u32, crc32c of header bytes 0..59 and the body
 * A record is valid only if its crc, generation and chaining (seq, prev_pos,
 * prev_crc) match what precedes it, so a torn write, a stale record of an
 * older generation or of an earlier, crashed run never passes.
 */
#ifndef UK_STORE_FORMAT_H
#define UK_STORE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KVS_SB_LEN 64
#define KVS_HDR_LEN 64
#define KVS_VERSION 1u
#define KVS_NONE UINT64_MAX

#define KVS_KIND_COMMIT 1
#define KVS_KIND_SNAP 2
#define KVS_FLAG_LAST 1

struct kvs_sb {
    uint32_t sector_size;
    uint64_t generation;
    uint64_t zone_sectors;
    uint32_t zone;
    uint32_t record_max;
};

struct kvs_hdr {
    uint8_t kind, flags;
    uint16_t msg_len;
    uint64_t generation, seq, parent, prev_pos;
    int64_t time_s;
    uint32_t body_len, nops, prev_crc, crc;
};

/* One decoded operation; key and val point into the record (LENT). */
struct kvs_op {
    int kind;
    const char *key;
    size_t key_len;
    const uint8_t *val;
    uint32_t val_len;
    size_t val_off; /* offset of val from the start of the ops */
};

/* CRC-32C (Castagnoli) of data, continuing from crc (0 to start). */
uint32_t kvs_crc32c(uint32_t crc, const void *data, size_t len);

void kvs_sb_encode(uint8_t out[KVS_SB_LEN], const struct kvs_sb *sb);

/* Decodes and checks a superblock: magic, version, crc, zone 0 or 1,
 * sector size a power of two >= 512, sizes non-zero.  Returns 0 or
 * UK_EPROTO. */
int kvs_sb_decode(const uint8_t *in, size_t len, struct kvs_sb *sb);

/* Encodes h (with h->crc as given) into out. */
void kvs_hdr_encode(uint8_t out[KVS_HDR_LEN], const struct kvs_hdr *h);

/* Decodes a header and checks what it can alone: magic, kind, flags,
 * msg_len <= UK_KV_MSG_MAX <= body_len, KVS_HDR_LEN + body_len <=
 * record_max.  Returns 0 or UK_EPROTO. */
int kvs_hdr_decode(const uint8_t *in, size_t len, uint32_t record_max,
                   struct kvs_hdr *h);

/* The crc a record with header bytes hdr[0..60) and body should carry. */
uint32_t kvs_record_crc(const uint8_t *hdr, const uint8_t *body,
                        size_t body_len);

/* Bytes a record of body_len takes on a device of sector size ss. */
uint64_t kvs_record_size(uint32_t body_len, uint32_t ss);

/*
 * Iterates the operations in ops[0..len).  *off starts at 0.  Returns 1
 * and fills *op, 0 at the end, UK_EPROTO for a malformed operation (bad
 * kind, key failing the key rule, lengths past the end).
 */
int kvs_op_next(const uint8_t *ops, size_t len, size_t *off,
                struct kvs_op *op);

/* Checks a whole ops area: exactly nops well-formed operations.  Returns
 * 0 or UK_EPROTO. */
int kvs_ops_check(const uint8_t *ops, size_t len, uint32_t nops);

#endif
