/*
 * index.h - uk_kvstore's in-memory index (internal): where the value of
 * every live key is on the device.  Fixed capacity from caller-owned
 * memory: at most `cap` keys holding at most `key_cap` bytes of key text.
 *
 * Entries are kept sorted by key, with '/' ordering before every other
 * byte, so that the keys of a directory are contiguous and a listing comes
 * out sorted by name as uk/kv_ro.h wants.  Key text lives in one area in
 * the same order (no fragmentation); insertion and removal move the tail:
 * O(keys), which is what a small store with a bounded index can afford.
 */
#ifndef UK_STORE_INDEX_H
#define UK_STORE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uk/kv_ro.h>
#include <uk/kvstore.h>


void kvs_index_init(struct uk__kvs_index *ix, struct uk__kvs_ent *ents, size_t cap,
                    char *keys, size_t key_cap);

/* The entry of key[0..len), or NULL. */
struct uk__kvs_ent *kvs_index_get(struct uk__kvs_index *ix, const char *key,
                              size_t len);

/* Sets key[0..len) to e's loc/seq/mtime/len (inserting it if new).
 * Returns 0 or UK_ELIMIT (index full). */
int kvs_index_put(struct uk__kvs_index *ix, const char *key, size_t len,
                  const struct uk__kvs_ent *e);

/* Removes key[0..len) if present. */
void kvs_index_del(struct uk__kvs_index *ix, const char *key, size_t len);

/* Whether `keys` more keys of `bytes` more bytes certainly fit. */
bool kvs_index_has_room(const struct uk__kvs_index *ix, size_t keys,
                        size_t bytes);

/* The text of entry i (not NUL-terminated; length ents[i].key_len). */
const char *kvs_index_key(const struct uk__kvs_index *ix, size_t i);

/* uk_kv_ro's stat and list over the index (see uk/kv_ro.h); key and dir
 * already checked.  digest is filled from the entry's place. */
int kvs_index_stat(struct uk__kvs_index *ix, const char *key,
                   struct uk_kv_stat *out);
int kvs_index_list(struct uk__kvs_index *ix, const char *dir, size_t index,
                   struct uk_kv_entry *out);

#endif
