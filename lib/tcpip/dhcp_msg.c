/*
 * dhcp_msg.c - DHCP message parser and builder.  See uk/tcpip/dhcp_msg.h.
 *
 * Everything the parser reads comes from the network: each access is
 * bounds-checked against the area being parsed, and any inconsistency
 * rejects the whole message.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/tcpip/dhcp_msg.h>

/* Offsets in the fixed BOOTP header. */
#define OFF_OP 0
#define OFF_HTYPE 1
#define OFF_HLEN 2
#define OFF_XID 4
#define OFF_SECS 8
#define OFF_FLAGS 10
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_SIADDR 20
#define OFF_GIADDR 24
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define SNAME_LEN 64
#define OFF_FILE 108
#define FILE_LEN 128
#define OFF_COOKIE 236

#define HTYPE_ETHER 1
#define OVERLOAD_FILE 1
#define OVERLOAD_SNAME 2

/* Parser state across the option areas of one message. */
struct pstate {
    struct uk_dhcp_msg *m;
    uint32_t seen[8]; /* one bit per option code: duplicates are rejected */
    int overload;     /* from option 52, 0 if absent */
};

static struct uk_ipv4_addr addr_at(const uint8_t *p)
{
    struct uk_ipv4_addr a;
    a.v = uk_load_be32(p);
    return a;
}

static bool mask_is_contiguous(uint32_t m)
{
    uint32_t inv = ~m;
    return (inv & (inv + 1)) == 0;
}

/* Stores one fixed-size 4-byte value option. */
static int opt_u32(const uint8_t *v, size_t n, bool *has, uint32_t *dst)
{
    if (n != 4)
        return UK_EPROTO;
    *has = true;
    *dst = uk_load_be32(v);
    return 0;
}

static int opt_addr(const uint8_t *v, size_t n, bool *has,
                    struct uk_ipv4_addr *dst)
{
    return opt_u32(v, n, has, &dst->v);
}

/* Lists of addresses (routers, DNS servers): a non-empty multiple of 4. */
static bool addr_list_ok(size_t n)
{
    return n >= 4 && n % 4 == 0;
}

static int option(struct pstate *s, bool in_options, uint8_t code,
                  const uint8_t *v, size_t n)
{
    struct uk_dhcp_msg *m = s->m;
    size_t i;
    if (s->seen[code / 32] & (1u << (code % 32)))
        return UK_EPROTO;
    s->seen[code / 32] |= 1u << (code % 32);
    switch (code) {
    case UK_DHCPOPT_MSG_TYPE:
        if (n != 1 || v[0] < UK_DHCPDISCOVER || v[0] > UK_DHCPINFORM)
            return UK_EPROTO;
        m->type = v[0];
        return 0;
    case UK_DHCPOPT_OVERLOAD:
        if (!in_options || n != 1 || v[0] < 1 || v[0] > 3)
            return UK_EPROTO;
        s->overload = v[0];
        return 0;
    case UK_DHCPOPT_SUBNET_MASK:
        if (opt_addr(v, n, &m->has_mask, &m->mask) != 0 ||
            !mask_is_contiguous(m->mask.v))
            return UK_EPROTO;
        return 0;
    case UK_DHCPOPT_ROUTER:
        if (!addr_list_ok(n))
            return UK_EPROTO;
        m->has_router = true;
        m->router = addr_at(v);
        return 0;
    case UK_DHCPOPT_DNS:
        if (!addr_list_ok(n))
            return UK_EPROTO;
        for (i = 0; i < n / 4 && m->ndns < UK_DHCP_MAX_DNS; i++)
            m->dns[m->ndns++] = addr_at(v + 4 * i);
        return 0;
    case UK_DHCPOPT_SERVER_ID:
        return opt_addr(v, n, &m->has_server_id, &m->server_id);
    case UK_DHCPOPT_REQUESTED_IP:
        return opt_addr(v, n, &m->has_requested, &m->requested);
    case UK_DHCPOPT_LEASE_TIME:
        return opt_u32(v, n, &m->has_lease, &m->lease_s);
    case UK_DHCPOPT_T1:
        return opt_u32(v, n, &m->has_t1, &m->t1_s);
    case UK_DHCPOPT_T2:
        return opt_u32(v, n, &m->has_t2, &m->t2_s);
    default:
        return 0; /* not ours: skipped, its length was checked */
    }
}

/* Parses the options in p[0..n); an END option must close the area. */
static int parse_area(struct pstate *s, bool in_options, const uint8_t *p,
                      size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t code = p[i++], olen;
        int rc;
        if (code == UK_DHCPOPT_PAD)
            continue;
        if (code == UK_DHCPOPT_END)
            return 0;
        if (i >= n)
            return UK_EPROTO;
        olen = p[i++];
        if (olen > n - i)
            return UK_EPROTO;
        rc = option(s, in_options, code, p + i, olen);
        if (rc != 0)
            return rc;
        i += olen;
    }
    return UK_EPROTO;
}

static int parse_header(const uint8_t *p, size_t len, struct uk_dhcp_msg *m)
{
    if (len < UK_DHCP_OPTIONS_OFF)
        return UK_EPROTO;
    if (p[OFF_OP] != UK_BOOTREQUEST && p[OFF_OP] != UK_BOOTREPLY)
        return UK_EPROTO;
    if (p[OFF_HTYPE] != HTYPE_ETHER || p[OFF_HLEN] != 6)
        return UK_EPROTO;
    if (uk_load_be32(p + OFF_COOKIE) != UK_DHCP_MAGIC)
        return UK_EPROTO;
    m->op = p[OFF_OP];
    m->xid = uk_load_be32(p + OFF_XID);
    m->secs = uk_load_be16(p + OFF_SECS);
    m->flags = uk_load_be16(p + OFF_FLAGS);
    m->ciaddr = addr_at(p + OFF_CIADDR);
    m->yiaddr = addr_at(p + OFF_YIADDR);
    m->siaddr = addr_at(p + OFF_SIADDR);
    m->giaddr = addr_at(p + OFF_GIADDR);
    memcpy(m->chaddr.b, p + OFF_CHADDR, 6);
    return 0;
}

int uk_dhcp_parse(const void *data, size_t len, struct uk_dhcp_msg *out)
{
    const uint8_t *p = (const uint8_t *)data;
    struct uk_dhcp_msg m;
    struct pstate s;
    int rc;
    memset(&m, 0, sizeof m);
    memset(&s, 0, sizeof s);
    s.m = &m;
    rc = parse_header(p, len, &m);
    if (rc == 0)
        rc = parse_area(&s, true, p + UK_DHCP_OPTIONS_OFF,
                        len - UK_DHCP_OPTIONS_OFF);
    /* RFC 2131 section 4.1: the file field first, then sname. */
    if (rc == 0 && (s.overload & OVERLOAD_FILE))
        rc = parse_area(&s, false, p + OFF_FILE, FILE_LEN);
    if (rc == 0 && (s.overload & OVERLOAD_SNAME))
        rc = parse_area(&s, false, p + OFF_SNAME, SNAME_LEN);
    if (rc == 0 && m.type == 0)
        rc = UK_EPROTO;
    if (rc != 0)
        return UK_EPROTO;
    *out = m;
    return 0;
}

/* Appends option code with n value bytes at *pos. */
static void put_opt(uint8_t *out, size_t *pos, uint8_t code, const void *v,
                    uint8_t n)
{
    out[(*pos)++] = code;
    out[(*pos)++] = n;
    memcpy(out + *pos, v, n);
    *pos += n;
}

static void put_addr_opt(uint8_t *out, size_t *pos, uint8_t code,
                         struct uk_ipv4_addr a)
{
    uint8_t v[4];
    uk_store_be32(v, a.v);
    put_opt(out, pos, code, v, 4);
}

size_t uk_dhcp_build(const struct uk_dhcp_build *b, uint8_t *out, size_t cap)
{
    static const uint8_t params[] = {
        UK_DHCPOPT_SUBNET_MASK, UK_DHCPOPT_ROUTER, UK_DHCPOPT_DNS,
        UK_DHCPOPT_LEASE_TIME,  UK_DHCPOPT_T1,     UK_DHCPOPT_T2};
    uint8_t v[7];
    size_t pos = UK_DHCP_OPTIONS_OFF;
    if (cap < UK_DHCP_MAX_LEN)
        return 0;
    memset(out, 0, UK_DHCP_MAX_LEN);
    out[OFF_OP] = UK_BOOTREQUEST;
    out[OFF_HTYPE] = HTYPE_ETHER;
    out[OFF_HLEN] = 6;
    uk_store_be32(out + OFF_XID, b->xid);
    uk_store_be16(out + OFF_SECS, b->secs);
    uk_store_be16(out + OFF_FLAGS,
                  b->broadcast ? UK_DHCP_FLAG_BROADCAST : 0);
    uk_store_be32(out + OFF_CIADDR, b->ciaddr.v);
    memcpy(out + OFF_CHADDR, b->mac.b, 6);
    uk_store_be32(out + OFF_COOKIE, UK_DHCP_MAGIC);

    v[0] = b->type;
    put_opt(out, &pos, UK_DHCPOPT_MSG_TYPE, v, 1);
    v[0] = HTYPE_ETHER;
    memcpy(v + 1, b->mac.b, 6);
    put_opt(out, &pos, UK_DHCPOPT_CLIENT_ID, v, 7);
    if (b->has_requested)
        put_addr_opt(out, &pos, UK_DHCPOPT_REQUESTED_IP, b->requested);
    if (b->has_server_id)
        put_addr_opt(out, &pos, UK_DHCPOPT_SERVER_ID, b->server_id);
    uk_store_be16(v, UK_DHCP_MAX_LEN + 28);
    put_opt(out, &pos, UK_DHCPOPT_MAX_MSG_SIZE, v, 2);
    if (b->hostname != NULL && b->hostname[0] != '\0') {
        size_t n = strlen(b->hostname);
        put_opt(out, &pos, UK_DHCPOPT_HOSTNAME, b->hostname,
                (uint8_t)(n > 63 ? 63 : n));
    }
    if (b->type != UK_DHCPRELEASE)
        put_opt(out, &pos, UK_DHCPOPT_PARAM_LIST, params, sizeof params);
    out[pos++] = UK_DHCPOPT_END;
    return pos < UK_DHCP_MIN_LEN ? UK_DHCP_MIN_LEN : pos;
}
