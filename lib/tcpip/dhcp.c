/*
 * dhcp.c - the DHCP client state machine (RFC 2131 section 4.4).  See
 * uk/tcpip/dhcp.h.
 *
 *   INIT -> SELECTING (DISCOVER) -> REQUESTING (REQUEST) -> BOUND (ACK)
 *   BOUND -T1-> RENEWING (unicast) -T2-> REBINDING (broadcast) -expiry->
 *   INIT; a NAK sends REQUESTING back to INIT and RENEWING/REBINDING to
 *   INIT with the address removed.
 */
#include <string.h>

#include <uk/tcpip/dhcp.h>

#define NS_PER_S 1000000000ull
#define RETX_BASE_S 4
#define RETX_MAX_SHIFT 4         /* 4 s << 4 = 64 s, RFC 2131 4.1 */
#define REQUEST_ATTEMPTS 4       /* REQUESTs before restarting */
#define RENEW_RETX_MIN_S 60      /* RFC 2131 4.4.5 */
#define DEFAULT_FALLBACK_S 30
#define INFINITE_LEASE 0xffffffffu

static void on_retx(void *arg);
static void on_fallback(void *arg);
static void begin_discover(struct uk_dhcp *d);

const char *uk_dhcp_state_name(enum uk_dhcp_state s)
{
    static const char *const names[] = {
        "stopped", "init",      "selecting", "requesting",
        "bound",   "renewing",  "rebinding", "fallback"};
    if ((unsigned)s >= sizeof names / sizeof names[0])
        return "?";
    return names[s];
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void say(struct uk_dhcp *d, const char *fmt, ...)
{
    char line[UK_CONSOLE_LINE_MAX];
    va_list ap;
    int n;
    if (d->con == NULL)
        return;
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    (void)uk_console_log(d->con, line, (size_t)n);
}

static uint64_t now(struct uk_dhcp *d)
{
    return uk_time_now_ns(d->time);
}

static unsigned prefix_len(struct uk_ipv4_addr mask)
{
    unsigned n = 0;
    uint32_t m = mask.v;
    while (m & 0x80000000u) {
        n++;
        m <<= 1;
    }
    return n;
}

/* The delay before retransmission number `attempt` (0-based): 4 s doubled
 * each time up to 64 s, randomised by -1..+1 s. */
static uint64_t backoff_ns(struct uk_dhcp *d, unsigned attempt)
{
    unsigned shift = attempt < RETX_MAX_SHIFT ? attempt : RETX_MAX_SHIFT;
    uint64_t base = (uint64_t)(RETX_BASE_S << shift) * NS_PER_S;
    uint64_t jitter = (uk_random_u32(d->rnd) % 2001u) * 1000000ull;
    return base - NS_PER_S + jitter;
}

static uint32_t new_xid(struct uk_dhcp *d)
{
    uint32_t x = uk_random_u32(d->rnd);
    return x != d->xid ? x : x + 1;
}

/* Builds the message for the current state and sends it. */
static void transmit(struct uk_dhcp *d)
{
    struct uk_dhcp_build b;
    struct uk_ipv4_ep dst;
    uint64_t secs = (now(d) - d->begin_ns) / NS_PER_S;
    size_t len;
    memset(&b, 0, sizeof b);
    b.type = d->state == UK_DHCP_SELECTING ? UK_DHCPDISCOVER : UK_DHCPREQUEST;
    b.xid = d->xid;
    b.secs = (uint16_t)(secs > 65535 ? 65535 : secs);
    b.mac = d->cfg.mac;
    b.hostname = d->cfg.hostname;
    dst.addr = uk_ipv4(255, 255, 255, 255);
    dst.port = UK_DHCP_SERVER_PORT;
    switch (d->state) {
    case UK_DHCP_SELECTING:
        b.broadcast = true;
        break;
    case UK_DHCP_REQUESTING:
        b.broadcast = true;
        b.has_requested = true;
        b.requested = d->offered.addr;
        b.has_server_id = true;
        b.server_id = d->offered.server;
        break;
    case UK_DHCP_RENEWING:
        dst.addr = d->lease.server;
        b.ciaddr = d->lease.addr;
        break;
    case UK_DHCP_REBINDING:
        b.ciaddr = d->lease.addr;
        break;
    default:
        return;
    }
    len = uk_dhcp_build(&b, d->msg, sizeof d->msg);
    /* A failed send is a lost datagram: the retransmission covers it. */
    if (uk_udpv4_sendto(d->udp, UK_DHCP_CLIENT_PORT, &dst, d->msg, len) == 0)
        d->stats.sent++;
    d->attempts++;
}

/* Retransmission while renewing/rebinding: half the time left until
 * `until_ns`, at least 60 s (RFC 2131 4.4.5). */
static void arm_renew_retx(struct uk_dhcp *d, uint64_t until_ns)
{
    uint64_t t = now(d);
    uint64_t wait = until_ns > t ? (until_ns - t) / 2 : 0;
    if (wait < RENEW_RETX_MIN_S * NS_PER_S)
        wait = RENEW_RETX_MIN_S * NS_PER_S;
    uk_time_after(d->time, &d->retx, wait, on_retx, d);
}

static uint64_t lease_deadline(const struct uk_dhcp_lease *l, uint32_t secs)
{
    return l->start_ns + (uint64_t)secs * NS_PER_S;
}

static void cancel_lease_timers(struct uk_dhcp *d)
{
    uk_time_cancel(d->time, &d->t1);
    uk_time_cancel(d->time, &d->t2);
    uk_time_cancel(d->time, &d->expiry);
}

/* Removes the address and starts over, telling the application. */
static void lose_lease(struct uk_dhcp *d, const char *why)
{
    struct uk_ipv4_config none;
    struct uk_dhcp_lease old = d->lease;
    char a[UK_IPV4_STRLEN];
    cancel_lease_timers(d);
    uk_time_cancel(d->time, &d->retx);
    memset(&none, 0, sizeof none);
    (void)uk_ipv4_set_config(d->ip, &none);
    memset(&d->lease, 0, sizeof d->lease);
    d->stats.expiries++;
    say(d, "dhcp: lost lease on %s: %s; discovering again",
        uk_ipv4_format(old.addr, a), why);
    /* Without a new lease in time, fall back as at start. */
    d->bound_once = false;
    uk_time_after(d->time, &d->fallback, d->cfg.fallback_after_ns,
                  on_fallback, d);
    begin_discover(d);
    if (d->cb != NULL)
        d->cb(d->cb_arg, UK_DHCP_LOST, &old);
}

static void on_t1(void *arg)
{
    struct uk_dhcp *d = (struct uk_dhcp *)arg;
    d->state = UK_DHCP_RENEWING;
    d->xid = new_xid(d);
    d->attempts = 0;
    d->begin_ns = d->request_ns = now(d);
    transmit(d);
    arm_renew_retx(d, lease_deadline(&d->lease, d->lease.t2_s));
}

static void on_t2(void *arg)
{
    struct uk_dhcp *d = (struct uk_dhcp *)arg;
    d->state = UK_DHCP_REBINDING;
    d->xid = new_xid(d);
    d->attempts = 0;
    d->begin_ns = d->request_ns = now(d);
    transmit(d);
    arm_renew_retx(d, lease_deadline(&d->lease, d->lease.lease_s));
}

static void on_expiry(void *arg)
{
    lose_lease((struct uk_dhcp *)arg, "lease expired");
}

static void begin_discover(struct uk_dhcp *d)
{
    d->state = UK_DHCP_SELECTING;
    d->xid = new_xid(d);
    d->attempts = 0;
    d->begin_ns = now(d);
    transmit(d);
    uk_time_after(d->time, &d->retx, backoff_ns(d, 0), on_retx, d);
}

static void on_retx(void *arg)
{
    struct uk_dhcp *d = (struct uk_dhcp *)arg;
    switch (d->state) {
    case UK_DHCP_INIT:
        begin_discover(d);
        break;
    case UK_DHCP_REQUESTING:
        if (d->attempts >= REQUEST_ATTEMPTS) {
            say(d, "dhcp: no answer to REQUEST, discovering again");
            begin_discover(d);
            break;
        }
        /* fall through */
    case UK_DHCP_SELECTING:
        transmit(d);
        uk_time_after(d->time, &d->retx, backoff_ns(d, d->attempts - 1),
                      on_retx, d);
        break;
    case UK_DHCP_RENEWING:
        transmit(d);
        arm_renew_retx(d, lease_deadline(&d->lease, d->lease.t2_s));
        break;
    case UK_DHCP_REBINDING:
        transmit(d);
        arm_renew_retx(d, lease_deadline(&d->lease, d->lease.lease_s));
        break;
    default:
        break;
    }
}

static void on_fallback(void *arg)
{
    struct uk_dhcp *d = (struct uk_dhcp *)arg;
    uint64_t after = d->cfg.fallback_after_ns / NS_PER_S;
    char a[UK_IPV4_STRLEN], g[UK_IPV4_STRLEN];
    if (d->bound_once || d->state == UK_DHCP_STOPPED)
        return;
    if (!d->cfg.has_fallback) {
        say(d, "dhcp: no lease after %llu s; no static fallback address "
               "configured, still trying",
            (unsigned long long)after);
        return;
    }
    say(d, "dhcp: no lease after %llu s; using the static fallback %s/%u "
           "gateway %s and stopping DHCP",
        (unsigned long long)after, uk_ipv4_format(d->cfg.fallback.addr, a),
        prefix_len(d->cfg.fallback.netmask),
        uk_ipv4_format(d->cfg.fallback.gateway, g));
    uk_dhcp_stop(d);
    d->state = UK_DHCP_FALLEN_BACK;
    if (uk_ipv4_set_config(d->ip, &d->cfg.fallback) != 0)
        say(d, "dhcp: the fallback configuration was refused");
    if (d->cb != NULL)
        d->cb(d->cb_arg, UK_DHCP_FALLBACK, NULL);
}

void uk_dhcp_init(struct uk_dhcp *d, struct uk_udpv4 *udp, struct uk_ipv4 *ip,
                  struct uk_time *time, struct uk_random *rnd,
                  struct uk_console *con, const struct uk_dhcp_config *cfg,
                  uk_dhcp_event_cb cb, void *arg)
{
    memset(d, 0, sizeof *d);
    d->udp = udp;
    d->ip = ip;
    d->time = time;
    d->rnd = rnd;
    d->con = con;
    d->cfg = *cfg;
    if (d->cfg.fallback_after_ns == 0)
        d->cfg.fallback_after_ns = DEFAULT_FALLBACK_S * NS_PER_S;
    d->cb = cb;
    d->cb_arg = arg;
    d->state = UK_DHCP_STOPPED;
}

const struct uk_dhcp_lease *uk_dhcp_lease(const struct uk_dhcp *d)
{
    switch (d->state) {
    case UK_DHCP_BOUND_STATE:
    case UK_DHCP_RENEWING:
    case UK_DHCP_REBINDING:
        return &d->lease;
    default:
        return NULL;
    }
}

void uk_dhcp_stop(struct uk_dhcp *d)
{
    uk_time_cancel(d->time, &d->retx);
    uk_time_cancel(d->time, &d->fallback);
    cancel_lease_timers(d);
    if (d->listening)
        (void)uk_udpv4_unlisten(d->udp, UK_DHCP_CLIENT_PORT);
    d->listening = false;
    d->state = UK_DHCP_STOPPED;
}

/* The classful mask, for an ACK that names none (RFC 2131 leaves the
 * default to the client). */
static struct uk_ipv4_addr default_mask(struct uk_ipv4_addr a)
{
    unsigned top = a.v >> 24;
    return uk_ipv4_netmask(top < 128 ? 8 : top < 192 ? 16 : 24);
}

/* Fills a lease from an OFFER or ACK; false if it is unusable. */
static bool lease_from(struct uk_dhcp *d, const struct uk_dhcp_msg *m,
                       struct uk_dhcp_lease *l)
{
    uint32_t lease = m->lease_s;
    unsigned top = m->yiaddr.v >> 24;
    if (!m->has_server_id || !m->has_lease || lease == 0 || top == 0 ||
        top == 127 || top >= 224)
        return false;
    memset(l, 0, sizeof *l);
    l->addr = m->yiaddr;
    l->netmask = m->has_mask ? m->mask : default_mask(m->yiaddr);
    l->router = m->has_router ? m->router : uk_ipv4_any();
    l->server = m->server_id;
    memcpy(l->dns, m->dns, sizeof l->dns);
    l->ndns = m->ndns;
    l->lease_s = lease;
    l->t1_s = (uint32_t)(lease / 2);
    l->t2_s = (uint32_t)((uint64_t)lease * 7 / 8);
    /* Server-given T1/T2 only when consistent: T1 < T2 < lease. */
    if (m->has_t2 && m->t2_s < lease)
        l->t2_s = m->t2_s;
    if (m->has_t1 && m->t1_s < l->t2_s)
        l->t1_s = m->t1_s;
    if (l->t1_s >= l->t2_s)
        l->t1_s = l->t2_s / 2;
    l->start_ns = d->request_ns;
    return true;
}

static void arm_lease_timers(struct uk_dhcp *d)
{
    cancel_lease_timers(d);
    if (d->lease.lease_s == INFINITE_LEASE)
        return;
    uk_time_start(d->time, &d->t1, lease_deadline(&d->lease, d->lease.t1_s),
                  on_t1, d);
    uk_time_start(d->time, &d->t2, lease_deadline(&d->lease, d->lease.t2_s),
                  on_t2, d);
    uk_time_start(d->time, &d->expiry,
                  lease_deadline(&d->lease, d->lease.lease_s), on_expiry, d);
}

static void on_ack(struct uk_dhcp *d, const struct uk_dhcp_msg *m)
{
    struct uk_dhcp_lease l;
    struct uk_ipv4_config cfg, cur;
    char a[UK_IPV4_STRLEN], g[UK_IPV4_STRLEN], s[UK_IPV4_STRLEN];
    bool renewal;
    if (!lease_from(d, m, &l)) {
        d->stats.rejected++;
        return;
    }
    renewal = d->state != UK_DHCP_REQUESTING &&
              uk_ipv4_eq(l.addr, d->lease.addr);
    cfg.addr = l.addr;
    cfg.netmask = l.netmask;
    cfg.gateway = l.router;
    uk_ipv4_config(d->ip, &cur);
    if (memcmp(&cfg, &cur, sizeof cfg) != 0 &&
        uk_ipv4_set_config(d->ip, &cfg) != 0) {
        say(d, "dhcp: the IPv4 layer refused %s; discovering again",
            uk_ipv4_format(l.addr, a));
        d->stats.rejected++;
        d->state = UK_DHCP_INIT;
        uk_time_after(d->time, &d->retx, backoff_ns(d, 0), on_retx, d);
        return;
    }
    d->lease = l;
    d->state = UK_DHCP_BOUND_STATE;
    d->bound_once = true;
    uk_time_cancel(d->time, &d->retx);
    uk_time_cancel(d->time, &d->fallback);
    arm_lease_timers(d);
    if (renewal) {
        d->stats.renewals++;
        say(d, "dhcp: renewed %s with server %s, lease %lu s",
            uk_ipv4_format(l.addr, a), uk_ipv4_format(l.server, s),
            (unsigned long)l.lease_s);
    } else {
        d->stats.leases++;
        say(d, "dhcp: bound to %s/%u gateway %s from server %s, lease %lu s",
            uk_ipv4_format(l.addr, a), prefix_len(l.netmask),
            uk_ipv4_format(l.router, g), uk_ipv4_format(l.server, s),
            (unsigned long)l.lease_s);
    }
    if (d->cb != NULL)
        d->cb(d->cb_arg, renewal ? UK_DHCP_RENEWED : UK_DHCP_BOUND, &d->lease);
}

static void on_offer(struct uk_dhcp *d, const struct uk_dhcp_msg *m)
{
    if (!lease_from(d, m, &d->offered)) {
        d->stats.rejected++;
        return;
    }
    d->state = UK_DHCP_REQUESTING;
    d->attempts = 0;
    d->request_ns = now(d);
    transmit(d);
    uk_time_after(d->time, &d->retx, backoff_ns(d, 0), on_retx, d);
}

static void on_nak(struct uk_dhcp *d)
{
    d->stats.naks++;
    if (d->state == UK_DHCP_REQUESTING) {
        /* Start over after 1..3 s, so a server that refuses everything
         * cannot make us spin. */
        say(d, "dhcp: request refused (NAK), discovering again");
        d->state = UK_DHCP_INIT;
        uk_time_after(d->time, &d->retx,
                      NS_PER_S + (uk_random_u32(d->rnd) % 2001u) * 1000000ull,
                      on_retx, d);
        return;
    }
    lose_lease(d, "the server refused to extend it (NAK)");
}

/* Whether m answers our current transaction. */
static bool is_ours(struct uk_dhcp *d, const struct uk_dhcp_msg *m)
{
    return m->op == UK_BOOTREPLY && m->xid == d->xid &&
           uk_mac_eq(&m->chaddr, &d->cfg.mac);
}

static void on_udp(void *arg, const struct uk_udpv4_info *info,
                   const void *data, size_t len)
{
    struct uk_dhcp *d = (struct uk_dhcp *)arg;
    struct uk_dhcp_msg m;
    UK_UNUSED(info);
    d->stats.received++;
    if (uk_dhcp_parse(data, len, &m) != 0 || !is_ours(d, &m)) {
        d->stats.rejected++;
        return;
    }
    switch (d->state) {
    case UK_DHCP_SELECTING:
        if (m.type == UK_DHCPOFFER)
            on_offer(d, &m);
        else
            d->stats.rejected++;
        return;
    case UK_DHCP_REQUESTING:
        /* Only the server we chose may answer. */
        if (!m.has_server_id ||
            !uk_ipv4_eq(m.server_id, d->offered.server)) {
            d->stats.rejected++;
            return;
        }
        break;
    case UK_DHCP_RENEWING:
    case UK_DHCP_REBINDING:
        break;
    default:
        d->stats.rejected++;
        return;
    }
    if (m.type == UK_DHCPACK)
        on_ack(d, &m);
    else if (m.type == UK_DHCPNAK)
        on_nak(d);
    else
        d->stats.rejected++;
}

int uk_dhcp_start(struct uk_dhcp *d)
{
    int rc;
    if (d->state != UK_DHCP_STOPPED && d->state != UK_DHCP_FALLEN_BACK)
        return UK_EBUSY;
    rc = uk_udpv4_listen(d->udp, UK_DHCP_CLIENT_PORT, on_udp, d);
    if (rc != 0)
        return rc;
    d->listening = true;
    d->state = UK_DHCP_INIT;
    d->bound_once = false;
    memset(&d->lease, 0, sizeof d->lease);
    uk_time_defer(d->time, &d->retx, on_retx, d);
    uk_time_after(d->time, &d->fallback, d->cfg.fallback_after_ns,
                  on_fallback, d);
    return 0;
}
