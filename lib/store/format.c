/*
 * format.c - encoding and checking of uk_kvstore's on-disk structures
 * (format.h).  Everything read from the device passes through here.
 */
#include <string.h>

#include <uk/err.h>
#include <uk/kv_ro.h>
#include <uk/kv_rw.h>

#include "format.h"

static const uint8_t sb_magic[8] = {'u', 'k', 's', 't', 'o', 'r', 'e', '1'};
static const uint8_t rec_magic[4] = {'u', 'k', 'r', 'c'};

/* CRC-32C (reflected polynomial 0x82f63b78), four bits at a time: a
 * 64-byte table instead of 1 KiB, fast enough for sector-sized records. */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x105ec76fu, 0x20bd8edeu, 0x30e349b1u,
    0x417b1dbcu, 0x5125dad3u, 0x61c69362u, 0x7198540du,
    0x82f63b78u, 0x92a8fc17u, 0xa24bb5a6u, 0xb21572c9u,
    0xc38d26c4u, 0xd3d3e1abu, 0xe330a81au, 0xf36e6f75u};

uint32_t kvs_crc32c(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t i;
    crc = ~crc;
    for (i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ crc_nibble[crc & 15u];
        crc = (crc >> 4) ^ crc_nibble[crc & 15u];
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void kvs_sb_encode(uint8_t out[KVS_SB_LEN], const struct kvs_sb *sb)
{
    memset(out, 0, KVS_SB_LEN);
    memcpy(out, sb_magic, 8);
    put32(out + 8, KVS_VERSION);
    put32(out + 12, sb->sector_size);
    put64(out + 16, sb->generation);
    put64(out + 24, sb->zone_sectors);
    put32(out + 32, sb->zone);
    put32(out + 36, sb->record_max);
    put32(out + 60, kvs_crc32c(0, out, 60));
}

int kvs_sb_decode(const uint8_t *in, size_t len, struct kvs_sb *sb)
{
    if (len < KVS_SB_LEN || memcmp(in, sb_magic, 8) != 0 ||
        get32(in + 8) != KVS_VERSION ||
        get32(in + 60) != kvs_crc32c(0, in, 60))
        return UK_EPROTO;
    sb->sector_size = get32(in + 12);
    sb->generation = get64(in + 16);
    sb->zone_sectors = get64(in + 24);
    sb->zone = get32(in + 32);
    sb->record_max = get32(in + 36);
    if (sb->sector_size < 512 || (sb->sector_size & (sb->sector_size - 1)) ||
        sb->zone > 1 || sb->zone_sectors == 0 || sb->generation == 0 ||
        sb->record_max < sb->sector_size ||
        sb->record_max % sb->sector_size != 0)
        return UK_EPROTO;
    return 0;
}

void kvs_hdr_encode(uint8_t out[KVS_HDR_LEN], const struct kvs_hdr *h)
{
    memcpy(out, rec_magic, 4);
    out[4] = h->kind;
    out[5] = h->flags;
    out[6] = (uint8_t)h->msg_len;
    out[7] = (uint8_t)(h->msg_len >> 8);
    put64(out + 8, h->generation);
    put64(out + 16, h->seq);
    put64(out + 24, h->parent);
    put64(out + 32, h->prev_pos);
    put64(out + 40, (uint64_t)h->time_s);
    put32(out + 48, h->body_len);
    put32(out + 52, h->nops);
    put32(out + 56, h->prev_crc);
    put32(out + 60, h->crc);
}

int kvs_hdr_decode(const uint8_t *in, size_t len, uint32_t record_max,
                   struct kvs_hdr *h)
{
    if (len < KVS_HDR_LEN || memcmp(in, rec_magic, 4) != 0)
        return UK_EPROTO;
    h->kind = in[4];
    h->flags = in[5];
    h->msg_len = (uint16_t)(in[6] | in[7] << 8);
    h->generation = get64(in + 8);
    h->seq = get64(in + 16);
    h->parent = get64(in + 24);
    h->prev_pos = get64(in + 32);
    h->time_s = (int64_t)get64(in + 40);
    h->body_len = get32(in + 48);
    h->nops = get32(in + 52);
    h->prev_crc = get32(in + 56);
    h->crc = get32(in + 60);
    if ((h->kind != KVS_KIND_COMMIT && h->kind != KVS_KIND_SNAP) ||
        (h->flags & ~KVS_FLAG_LAST) != 0 ||
        (h->kind == KVS_KIND_COMMIT && h->flags != 0) ||
        h->msg_len > UK_KV_MSG_MAX || h->msg_len > h->body_len ||
        record_max < KVS_HDR_LEN ||
        h->body_len > record_max - KVS_HDR_LEN)
        return UK_EPROTO;
    return 0;
}

uint32_t kvs_record_crc(const uint8_t *hdr, const uint8_t *body,
                        size_t body_len)
{
    return kvs_crc32c(kvs_crc32c(0, hdr, 60), body, body_len);
}

uint64_t kvs_record_size(uint32_t body_len, uint32_t ss)
{
    uint64_t n = (uint64_t)KVS_HDR_LEN + body_len;
    return (n + ss - 1) / ss * ss;
}

/* The key rule of uk/kv_ro.h for a key given by length: no NUL inside,
 * not empty, uk_kv_key_check. */
static int key_check_n(const char *key, size_t n)
{
    char tmp[UK_KV_KEY_MAX + 1];
    if (n == 0 || n > UK_KV_KEY_MAX || memchr(key, '\0', n) != NULL)
        return UK_EPROTO;
    memcpy(tmp, key, n);
    tmp[n] = '\0';
    return uk_kv_key_check(tmp) == 0 ? 0 : UK_EPROTO;
}

int kvs_op_next(const uint8_t *ops, size_t len, size_t *off,
                struct kvs_op *op)
{
    const uint8_t *p;
    size_t rest;
    if (*off >= len)
        return 0;
    rest = len - *off;
    p = ops + *off;
    if (rest < UK_KV_OP_HDR)
        return UK_EPROTO;
    op->kind = p[0];
    op->key_len = (size_t)(p[2] | p[3] << 8);
    op->val_len = get32(p + 4);
    if ((op->kind != UK_KV_OP_PUT && op->kind != UK_KV_OP_DEL) || p[1] != 0 ||
        (op->kind == UK_KV_OP_DEL && op->val_len != 0) ||
        rest - UK_KV_OP_HDR < op->key_len ||
        rest - UK_KV_OP_HDR - op->key_len < op->val_len)
        return UK_EPROTO;
    op->key = (const char *)(p + UK_KV_OP_HDR);
    if (key_check_n(op->key, op->key_len) != 0)
        return UK_EPROTO;
    op->val = p + UK_KV_OP_HDR + op->key_len;
    op->val_off = *off + UK_KV_OP_HDR + op->key_len;
    *off += UK_KV_OP_HDR + op->key_len + op->val_len;
    return 1;
}

int kvs_ops_check(const uint8_t *ops, size_t len, uint32_t nops)
{
    size_t off = 0;
    uint32_t n = 0;
    struct kvs_op op;
    int rc;
    while ((rc = kvs_op_next(ops, len, &off, &op)) == 1)
        n++;
    return rc == 0 && n == nops ? 0 : UK_EPROTO;
}
