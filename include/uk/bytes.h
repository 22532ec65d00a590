/*
 * uk/bytes.h - loads and stores of big-endian (network order) integers at
 * any alignment, for parsing and building wire formats.
 */
#ifndef UK_BYTES_H
#define UK_BYTES_H

#include <stdint.h>

static inline uint16_t uk_load_be16(const void *p)
{
    const uint8_t *b = (const uint8_t *)p;
    return (uint16_t)((unsigned)b[0] << 8 | b[1]);
}

static inline uint32_t uk_load_be32(const void *p)
{
    const uint8_t *b = (const uint8_t *)p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | b[3];
}

static inline void uk_store_be16(void *p, uint16_t v)
{
    uint8_t *b = (uint8_t *)p;
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static inline void uk_store_be32(void *p, uint32_t v)
{
    uint8_t *b = (uint8_t *)p;
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

#endif
