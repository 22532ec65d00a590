/*
 * xenstore.c - the xenstore client (xenstore.h).
 *
 * Every index and length xenstored writes is checked before use: the
 * producer may run at most one ring ahead of the consumer, and a payload
 * is at most UK_XEN_XS_PAYLOAD_MAX bytes.  A violation is UK_EPROTO.
 */
#include <string.h>

#include <uk/target.h>

#include "xen.h"
#include "xenstore.h"

#define EVQ_LEN 8
#define EV_MAX 256 /* longest "path\0token\0" kept; longer ones are cut */

static volatile struct uk_xen_xs_ring *ring;
static uint32_t port, req_id;
static struct {
    char data[EV_MAX];
    size_t len;
} evq[EVQ_LEN];
static unsigned evq_head, evq_count;
#define MAX_WATCHES 8
static struct {
    char token[32]; /* "" = free slot */
    uk__xs_watch_cb cb;
    void *arg;
} watches[MAX_WATCHES];
static struct uk_timer deliver_timer;

static void on_event(void *arg, uint32_t p);

int uk__xs_init(void)
{
    uint64_t pfn = 0, ev = 0;
    if (ring != NULL)
        return 0;
    if (uk__xen_hvm_get_param(UK_XEN_HVM_PARAM_STORE_PFN, &pfn) != 0 ||
        uk__xen_hvm_get_param(UK_XEN_HVM_PARAM_STORE_EVTCHN, &ev) != 0 ||
        pfn == 0)
        return UK_EIO;
    ring = (volatile struct uk_xen_xs_ring *)(uintptr_t)(pfn << 12);
    port = (uint32_t)ev;
    return uk__xen_evtchn_bind(port, on_event, NULL);
}

/* Sleeps until the xenstore port fires or the deadline passes. */
static void poll_port(uint64_t deadline)
{
    uint32_t ports[1];
    struct uk_xen_sched_poll p;
    ports[0] = port;
    p.ports = (uint64_t)(uintptr_t)ports;
    p.nr_ports = 1;
    p.pad = 0;
    p.timeout = deadline;
    (void)uk__xen_hypercall(UK_XEN_HC_SCHED_OP, UK_XEN_SCHEDOP_POLL,
                            (unsigned long)&p, 0);
}

static void clear_pending(void)
{
    __atomic_and_fetch(&uk__xen_shared->evtchn_pending[port / 64],
                       ~(1ull << (port % 64)), __ATOMIC_ACQ_REL);
}

/* Waits until the ring index *idx moves from seen (xenstored made room or
 * answered): clears the port's pending bit before re-reading *idx, so a
 * notification between the read and the poll is not lost.  Returns 0, or
 * UK_ETIMEDOUT once the deadline has passed. */
static int wait_change(const volatile uint32_t *idx, uint32_t seen,
                       uint64_t deadline)
{
    clear_pending();
    if (*idx == seen) {
        if (uk__xen_system_ns() >= deadline)
            return UK_ETIMEDOUT;
        poll_port(deadline);
    }
    return 0;
}

/* Copies len bytes into the request ring, waiting for space. */
static int put(const void *data, size_t len, uint64_t deadline)
{
    const char *p = data;
    while (len > 0) {
        uint32_t cons = ring->req_cons, prod = ring->req_prod, n, i;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod - cons > UK_XEN_XS_RING_SIZE)
            return UK_EPROTO;
        n = UK_XEN_XS_RING_SIZE - (prod - cons);
        if (n == 0) {
            if (wait_change(&ring->req_cons, cons, deadline) != 0)
                return UK_ETIMEDOUT;
            continue;
        }
        if (n > len)
            n = (uint32_t)len;
        for (i = 0; i < n; i++)
            ring->req[(prod + i) % UK_XEN_XS_RING_SIZE] = p[i];
        __atomic_thread_fence(__ATOMIC_RELEASE);
        ring->req_prod = prod + n;
        uk__xen_evtchn_notify(port);
        p += n;
        len -= n;
    }
    return 0;
}

/* Copies len bytes out of the response ring (into buf, or nowhere if buf
 * is NULL), waiting for them. */
static int get(void *buf, size_t len, uint64_t deadline)
{
    char *p = buf;
    while (len > 0) {
        uint32_t cons = ring->rsp_cons, prod = ring->rsp_prod, n, i;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod - cons > UK_XEN_XS_RING_SIZE)
            return UK_EPROTO;
        n = prod - cons;
        if (n == 0) {
            if (wait_change(&ring->rsp_prod, prod, deadline) != 0)
                return UK_ETIMEDOUT;
            continue;
        }
        if (n > len)
            n = (uint32_t)len;
        for (i = 0; i < n; i++) {
            char c = ring->rsp[(cons + i) % UK_XEN_XS_RING_SIZE];
            if (p != NULL)
                *p++ = c;
        }
        __atomic_thread_fence(__ATOMIC_ACQ_REL);
        ring->rsp_cons = cons + n;
        uk__xen_evtchn_notify(port);
        len -= n;
    }
    return 0;
}

static void deliver(void *arg)
{
    unsigned i;
    UK_UNUSED(arg);
    while (evq_count > 0) {
        char *d = evq[evq_head].data;
        size_t plen = strnlen(d, evq[evq_head].len);
        const char *token = plen + 1 < evq[evq_head].len ? d + plen + 1 : "";
        evq_head = (evq_head + 1) % EVQ_LEN;
        evq_count--;
        for (i = 0; i < MAX_WATCHES; i++)
            if (watches[i].cb != NULL && strcmp(watches[i].token, token) == 0)
                watches[i].cb(watches[i].arg, d, token);
    }
}

/* Reads a watch event's payload into the queue (dropped if full). */
static int queue_event(uint32_t len, uint64_t deadline)
{
    unsigned slot = (evq_head + evq_count) % EVQ_LEN;
    bool keep = evq_count < EVQ_LEN;
    size_t take = len < EV_MAX - 1 ? len : EV_MAX - 1;
    int rc = get(keep ? evq[slot].data : NULL, take, deadline);
    if (rc == 0)
        rc = get(NULL, len - take, deadline);
    if (rc != 0 || !keep)
        return rc;
    evq[slot].data[take] = '\0';
    evq[slot].len = take + 1;
    evq_count++;
    if (!uk_timer_is_armed(&deliver_timer))
        uk_time_defer(uk_default_time(), &deliver_timer, deliver, NULL);
    return 0;
}

static int error_code(const char *s)
{
    static const struct {
        const char *name;
        int code;
    } map[] = {{"ENOENT", UK_ENOENT}, {"EACCES", UK_EACCES},
               {"EEXIST", UK_EEXIST}, {"EINVAL", UK_EINVAL},
               {"EAGAIN", UK_EAGAIN}, {"E2BIG", UK_EMSGSIZE},
               {"ENOSPC", UK_ENOSPC}};
    size_t i;
    for (i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(s, map[i].name) == 0)
            return map[i].code;
    return UK_EIO;
}

/*
 * Sends a request whose payload is the concatenation of parts (each
 * including any NUL it needs), then waits for its reply, queueing watch
 * events met on the way.  The reply goes to out[cap] NUL-terminated
 * (out may be NULL); *outlen gets its length.
 */
static int request(uint32_t type, uint32_t tx, const char *const *parts,
                   const size_t *lens, int nparts, char *out, size_t cap,
                   size_t *outlen)
{
    uint64_t deadline = uk__xen_system_ns() + UK_XS_TIMEOUT_NS;
    struct uk_xen_xs_msg h;
    size_t total = 0;
    uint32_t id;
    int i, rc;
    if ((rc = uk__xs_init()) != 0)
        return rc;
    for (i = 0; i < nparts; i++)
        total += lens[i];
    if (total > UK_XEN_XS_PAYLOAD_MAX)
        return UK_EMSGSIZE;
    id = ++req_id;
    h.type = type;
    h.req_id = id;
    h.tx_id = tx;
    h.len = (uint32_t)total;
    if ((rc = put(&h, sizeof h, deadline)) != 0)
        return rc;
    for (i = 0; i < nparts; i++)
        if ((rc = put(parts[i], lens[i], deadline)) != 0)
            return rc;
    for (;;) {
        char err[16];
        size_t take;
        if ((rc = get(&h, sizeof h, deadline)) != 0)
            return rc;
        if (h.len > UK_XEN_XS_PAYLOAD_MAX)
            return UK_EPROTO;
        if (h.type == UK_XEN_XS_WATCH_EVENT) {
            if ((rc = queue_event(h.len, deadline)) != 0)
                return rc;
            continue;
        }
        if (h.req_id != id) { /* a stale reply: skip it */
            if ((rc = get(NULL, h.len, deadline)) != 0)
                return rc;
            continue;
        }
        if (h.type == UK_XEN_XS_ERROR) {
            take = h.len < sizeof err - 1 ? h.len : sizeof err - 1;
            if ((rc = get(err, take, deadline)) != 0 ||
                (rc = get(NULL, h.len - take, deadline)) != 0)
                return rc;
            err[take] = '\0';
            return error_code(err);
        }
        if (h.type != type)
            return UK_EPROTO;
        take = out == NULL ? 0 : (h.len < cap ? h.len : cap - 1);
        if ((rc = get(out, take, deadline)) != 0 ||
            (rc = get(NULL, h.len - take, deadline)) != 0)
            return rc;
        if (out != NULL && cap > 0)
            out[take] = '\0';
        if (outlen != NULL)
            *outlen = take;
        return out != NULL && take < h.len ? UK_EMSGSIZE : 0;
    }
}

int uk__xs_read(uint32_t tx, const char *path, char *buf, size_t cap,
                size_t *len)
{
    const char *parts[1] = {path};
    size_t lens[1] = {strlen(path) + 1};
    if (cap == 0)
        return UK_EINVAL;
    return request(UK_XEN_XS_READ, tx, parts, lens, 1, buf, cap, len);
}

int uk__xs_write(uint32_t tx, const char *path, const char *value)
{
    const char *parts[2] = {path, value};
    size_t lens[2] = {strlen(path) + 1, strlen(value)};
    return request(UK_XEN_XS_WRITE, tx, parts, lens, 2, NULL, 0, NULL);
}

int uk__xs_rm(uint32_t tx, const char *path)
{
    const char *parts[1] = {path};
    size_t lens[1] = {strlen(path) + 1};
    return request(UK_XEN_XS_RM, tx, parts, lens, 1, NULL, 0, NULL);
}

int uk__xs_directory(uint32_t tx, const char *path, char *buf, size_t cap,
                     unsigned *count)
{
    const char *parts[1] = {path};
    size_t lens[1] = {strlen(path) + 1}, len = 0, i;
    int rc;
    if (cap == 0)
        return UK_EINVAL;
    rc = request(UK_XEN_XS_DIRECTORY, tx, parts, lens, 1, buf, cap, &len);
    *count = 0;
    if (rc != 0)
        return rc;
    for (i = 0; i < len; i++)
        if (buf[i] == '\0')
            (*count)++;
    return 0;
}

int uk__xs_tx_start(uint32_t *tx)
{
    const char *parts[1] = {""};
    size_t lens[1] = {1};
    char id[16];
    uint32_t v = 0;
    size_t i;
    int rc = request(UK_XEN_XS_TRANSACTION_START, 0, parts, lens, 1, id,
                     sizeof id, NULL);
    if (rc != 0)
        return rc;
    for (i = 0; id[i] >= '0' && id[i] <= '9' && v < 100000000u; i++)
        v = v * 10 + (uint32_t)(id[i] - '0');
    if (id[i] != '\0' || v == 0)
        return UK_EPROTO;
    *tx = v;
    return 0;
}

int uk__xs_tx_end(uint32_t tx, int commit)
{
    const char *parts[1] = {commit ? "T" : "F"};
    size_t lens[1] = {2};
    return request(UK_XEN_XS_TRANSACTION_END, tx, parts, lens, 1, NULL, 0,
                   NULL);
}

int uk__xs_watch(const char *path, const char *token, uk__xs_watch_cb cb,
                 void *arg)
{
    const char *parts[2] = {path, token};
    size_t lens[2] = {strlen(path) + 1, strlen(token) + 1};
    unsigned i;
    int rc;
    if (lens[1] > sizeof watches[0].token)
        return UK_EINVAL;
    for (i = 0; i < MAX_WATCHES && watches[i].token[0] != '\0'; i++)
        ;
    if (i == MAX_WATCHES)
        return UK_ENOSPC;
    rc = request(UK_XEN_XS_WATCH, 0, parts, lens, 2, NULL, 0, NULL);
    if (rc != 0)
        return rc;
    memcpy(watches[i].token, token, lens[1]);
    watches[i].cb = cb;
    watches[i].arg = arg;
    return 0;
}

int uk__xs_unwatch(const char *path, const char *token)
{
    const char *parts[2] = {path, token};
    size_t lens[2] = {strlen(path) + 1, strlen(token) + 1};
    unsigned i;
    for (i = 0; i < MAX_WATCHES; i++)
        if (strcmp(watches[i].token, token) == 0) {
            watches[i].token[0] = '\0';
            watches[i].cb = NULL;
        }
    return request(UK_XEN_XS_UNWATCH, 0, parts, lens, 2, NULL, 0, NULL);
}

void uk__xs_wait(uint64_t deadline)
{
    if (ring == NULL)
        return;
    clear_pending();
    poll_port(deadline);
}

/* In the loop: events that arrived with no request waiting. */
static void on_event(void *arg, uint32_t p)
{
    UK_UNUSED(arg);
    UK_UNUSED(p);
    for (;;) {
        struct uk_xen_xs_msg h;
        uint64_t deadline = uk__xen_system_ns() + UK_XS_TIMEOUT_NS;
        uint32_t avail = ring->rsp_prod - ring->rsp_cons;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (avail < sizeof h || avail > UK_XEN_XS_RING_SIZE)
            return;
        if (get(&h, sizeof h, deadline) != 0 ||
            h.len > UK_XEN_XS_PAYLOAD_MAX)
            return;
        if (h.type == UK_XEN_XS_WATCH_EVENT)
            (void)queue_event(h.len, deadline);
        else
            (void)get(NULL, h.len, deadline);
    }
}
