/*
 * notes_mem.c - NOTES (notes.h) in memory: each note a copy in an account
 * of the image's budget, bounded in bytes and count.  Callbacks are
 * deferred one turn, as a store's would be.
 */
#include <string.h>

#include "notes_mem.h"

static struct api_notes_mem *of(struct api_notes *self)
{
    return UK_CONTAINER_OF(self, struct api_notes_mem, notes);
}

static void add_done(void *arg)
{
    struct api_notes_req *req = (struct api_notes_req *)arg;
    req->add_cb(req->arg, req->status, req->id);
}

static int mem_add(struct api_notes *self, struct api_notes_req *req,
                   const char *text, size_t len, api_notes_add_cb cb,
                   void *arg)
{
    struct api_notes_mem *n = of(self);
    char *copy;
    if (len > API_NOTE_MAX)
        return UK_EMSGSIZE;
    if (n->count >= API_NOTES_MAX)
        return UK_ELIMIT;
    copy = (char *)uk_mem_account_alloc(&n->acct, len > 0 ? len : 1);
    req->status = copy != NULL ? 0 : UK_ENOSPC;
    req->id = n->count;
    if (copy != NULL) {
        memcpy(copy, text, len);
        n->text[n->count] = copy;
        n->len[n->count] = len;
        n->count++;
    }
    req->add_cb = cb;
    req->arg = arg;
    uk_time_defer(n->time, &req->timer, add_done, req);
    return 0;
}

static uint32_t mem_count(struct api_notes *self)
{
    return of(self)->count;
}

static void read_done(void *arg)
{
    struct api_notes_req *req = (struct api_notes_req *)arg;
    req->read_cb(req->arg, 0, req->len);
}

static int mem_read(struct api_notes *self, struct api_notes_req *req,
                    uint32_t id, char *buf, size_t cap, api_notes_read_cb cb,
                    void *arg)
{
    struct api_notes_mem *n = of(self);
    if (id >= n->count)
        return UK_ENOENT;
    if (cap < n->len[id])
        return UK_ERANGE;
    memcpy(buf, n->text[id], n->len[id]);
    req->read_cb = cb;
    req->arg = arg;
    req->len = n->len[id];
    uk_time_defer(n->time, &req->timer, read_done, req);
    return 0;
}

static const struct api_notes_ops mem_ops = {
    .add = mem_add,
    .count = mem_count,
    .read = mem_read,
};

void api_notes_mem_init(struct api_notes_mem *n, struct uk_mem *mem,
                        size_t limit, struct uk_time *time)
{
    memset(n, 0, sizeof *n);
    n->notes.ops = &mem_ops;
    n->time = time;
    uk_mem_account_init(&n->acct, mem, "notes", limit, limit);
}
