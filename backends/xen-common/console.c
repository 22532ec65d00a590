/*
 * console.c - the PV console ring (io/console.h) and the CONSOLE object.
 *
 * Output is copied into the ring's `out` half and Xen is notified through
 * the console event channel; dom0's xenconsoled drains it.  Before the ring
 * is found (and for fatal messages) lines go to the architecture's debug
 * port.  Operator input is not read yet: reads end with EOF at once.
 */
#include <string.h>

#include <uk/target.h>

#include "xen.h"

/* How long a line may wait for ring space before it is dropped. */
#define WAIT_NS (2 * UK_NS_PER_S)

static volatile struct uk_xen_cons_ring *ring;
static uint32_t ring_port;

int uk__xen_console_init(void)
{
    uint64_t pfn = 0, port = 0;
    if (uk__xen_hvm_get_param(UK_XEN_HVM_PARAM_CONSOLE_PFN, &pfn) != 0 ||
        uk__xen_hvm_get_param(UK_XEN_HVM_PARAM_CONSOLE_EVTCHN, &port) != 0 ||
        pfn == 0)
        return UK_EIO;
    /* The glue maps guest-physical memory 1:1 (at least the low 4 GiB,
     * where Xen puts this page). */
    ring = (volatile struct uk_xen_cons_ring *)(uintptr_t)(pfn << 12);
    ring_port = (uint32_t)port;
    return 0;
}

bool uk__xen_console_has_ring(void)
{
    return ring != NULL;
}

static uint32_t out_space(void)
{
    uint32_t used = ring->out_prod - ring->out_cons;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return used > UK_XEN_CONS_OUT_SIZE ? 0 : UK_XEN_CONS_OUT_SIZE - used;
}

/* Waits (bounded) until n bytes fit; false if they never did. */
static bool wait_space(uint32_t n)
{
    uint64_t start = uk__xen_system_ns();
    while (out_space() < n) {
        uk__xen_evtchn_notify(ring_port);
        if (uk__xen_system_ns() - start > WAIT_NS)
            return false;
        uk__xen_hypercall(UK_XEN_HC_SCHED_OP, UK_XEN_SCHEDOP_YIELD, 0, 0);
    }
    return true;
}

static void ring_put(const char *s, size_t len)
{
    uint32_t prod = ring->out_prod;
    size_t i;
    for (i = 0; i < len; i++, prod++)
        ring->out[prod & (UK_XEN_CONS_OUT_SIZE - 1)] = s[i];
    __atomic_thread_fence(__ATOMIC_RELEASE);
    ring->out_prod = prod;
}

/* Writes bytes (plus a newline if nl), all or nothing. */
static int put(const char *s, size_t len, bool nl)
{
    if (ring == NULL) {
        uk__xen_arch_debug_write(s, len);
        if (nl)
            uk__xen_arch_debug_write("\n", 1);
        return 0;
    }
    if (len > UK_XEN_CONS_OUT_SIZE - 1)
        len = UK_XEN_CONS_OUT_SIZE - 1;
    if (!wait_space((uint32_t)len + (nl ? 1 : 0)))
        return UK_EAGAIN;
    ring_put(s, len);
    if (nl)
        ring_put("\n", 1);
    uk__xen_evtchn_notify(ring_port);
    return 0;
}

void uk__xen_console_line(const char *line, size_t len)
{
    (void)put(line, len, true);
}

/* ---- the CONSOLE object ---- */

static struct {
    struct uk_console con;
    struct uk_timer rd, wr, cl;
    uk_flow_read_cb rcb;
    void *rarg;
    uk_flow_write_cb wcb;
    void *warg;
    size_t wlen;
    int wstatus;
    uk_done_cb ccb;
    void *carg;
    bool closed;
} cons;

static void read_done(void *arg)
{
    uk_flow_read_cb cb = cons.rcb;
    UK_UNUSED(arg);
    cons.rcb = NULL;
    cb(cons.rarg, cons.closed ? UK_ECANCELED : UK_EOF, NULL, 0);
}

static int con_read(struct uk_console *self, uk_flow_read_cb cb, void *arg)
{
    UK_UNUSED(self);
    if (cons.closed)
        return UK_ECLOSED;
    if (cons.rcb != NULL)
        return UK_EBUSY;
    cons.rcb = cb;
    cons.rarg = arg;
    uk_time_defer(uk_default_time(), &cons.rd, read_done, NULL);
    return 0;
}

static void write_done(void *arg)
{
    uk_flow_write_cb cb = cons.wcb;
    UK_UNUSED(arg);
    cons.wcb = NULL;
    cb(cons.warg, cons.wstatus, cons.wlen);
}

static int con_writev(struct uk_console *self, const struct uk_iov *iov,
                      int iovcnt, uk_flow_write_cb cb, void *arg)
{
    int i, rc = 0;
    UK_UNUSED(self);
    if (cons.closed)
        return UK_ECLOSED;
    if (cons.wcb != NULL)
        return UK_EBUSY;
    if (iovcnt < 1 || iovcnt > UK_IOV_MAX)
        return UK_EINVAL;
    cons.wlen = 0;
    for (i = 0; i < iovcnt && rc == 0; i++) {
        const char *p = iov[i].base;
        size_t left = iov[i].len;
        while (left > 0 && rc == 0) {
            size_t n = left > 1024 ? 1024 : left;
            rc = put(p, n, false);
            if (rc == 0) {
                cons.wlen += n;
                p += n;
                left -= n;
            }
        }
    }
    cons.wstatus = rc == 0 ? 0 : UK_EIO;
    cons.wcb = cb;
    cons.warg = arg;
    uk_time_defer(uk_default_time(), &cons.wr, write_done, NULL);
    return 0;
}

static void close_done(void *arg)
{
    UK_UNUSED(arg);
    if (cons.ccb != NULL)
        cons.ccb(cons.carg);
}

static int con_close(struct uk_console *self, uk_done_cb cb, void *arg)
{
    UK_UNUSED(self);
    if (cons.closed)
        return UK_ECLOSED;
    cons.closed = true;
    cons.ccb = cb;
    cons.carg = arg;
    /* Deferred after any pending read/write completion (FIFO). */
    uk_time_defer(uk_default_time(), &cons.cl, close_done, NULL);
    return 0;
}

static int con_log(struct uk_console *self, const char *line, size_t len)
{
    UK_UNUSED(self);
    return put(line, len, true);
}

static const struct uk_console_ops console_ops = {
    .read = con_read,
    .writev = con_writev,
    .close = con_close,
    .log = con_log,
};

struct uk_console *uk_default_console(void)
{
    cons.con.ops = &console_ops;
    return &cons.con;
}
