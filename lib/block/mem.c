/*
 * mem.c - a BLOCK device in memory (uk/blockmem.h).
 */
#include <string.h>

#include <uk/blockmem.h>

#define MEM(self) UK_CONTAINER_OF(self, struct uk_block_mem, blk)

static void complete(void *arg)
{
    struct uk_block_req *req = arg;
    req->busy = false;
    req->cb(req->arg, req->status);
}

/* Claims req for a request of nsectors at sector.  Returns 0 or the
 * call's error. */
static int begin(struct uk_block_mem *m, struct uk_block_req *req,
                 uint64_t sector, size_t nsectors, uk_block_cb cb, void *arg)
{
    if (req->busy)
        return UK_EBUSY;
    if (!uk_block_range_ok(&m->info, sector, nsectors))
        return UK_EINVAL;
    req->busy = true;
    req->cb = cb;
    req->arg = arg;
    req->status = 0;
    uk_time_defer(m->time, &req->timer, complete, req);
    return 0;
}

static int mem_read(struct uk_block *self, struct uk_block_req *req,
                    uint64_t sector, void *buf, size_t nsectors,
                    uk_block_cb cb, void *arg)
{
    struct uk_block_mem *m = MEM(self);
    int rc = begin(m, req, sector, nsectors, cb, arg);
    if (rc != 0)
        return rc;
    memcpy(buf, m->data + sector * m->info.sector_size,
           nsectors * m->info.sector_size);
    m->reads++;
    return 0;
}

static int mem_write(struct uk_block *self, struct uk_block_req *req,
                     uint64_t sector, const void *buf, size_t nsectors,
                     uk_block_cb cb, void *arg)
{
    struct uk_block_mem *m = MEM(self);
    int rc;
    if (m->info.read_only)
        return UK_EROFS;
    if ((rc = begin(m, req, sector, nsectors, cb, arg)) != 0)
        return rc;
    memcpy(m->data + sector * m->info.sector_size, buf,
           nsectors * m->info.sector_size);
    m->writes++;
    return 0;
}

static void mem_info(struct uk_block *self, struct uk_block_info *out)
{
    *out = MEM(self)->info;
}

static const char *mem_id(struct uk_block *self)
{
    UK_UNUSED(self);
    return "mem";
}

/* Deferred calls run in FIFO order: pending requests complete first. */
static void mem_disconnect(struct uk_block *self, uk_done_cb cb, void *arg)
{
    struct uk_block_mem *m = MEM(self);
    if (cb != NULL)
        uk_time_defer(m->time, &m->done, cb, arg);
}

static const struct uk_block_ops mem_ops = {
    .id = mem_id,
    .disconnect = mem_disconnect,
    .info = mem_info,
    .read = mem_read,
    .write = mem_write,
};

void uk_block_mem_init(struct uk_block_mem *m, struct uk_time *time,
                       void *data, uint32_t sector_size, uint64_t sectors)
{
    memset(m, 0, sizeof *m);
    m->blk.ops = &mem_ops;
    m->time = time;
    m->data = data;
    m->info.sector_size = sector_size;
    m->info.sectors = sectors;
    m->info.read_only = false;
}
