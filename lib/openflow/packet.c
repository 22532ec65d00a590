/*
 * packet.c - OpenFlow 1.0 matching on packets: field extraction from an
 * Ethernet frame and the match predicates of a flow table.
 */
#include <string.h>

#include <uk/bytes.h>
#include <uk/openflow_match.h>

#define ETH_VLAN 0x8100
#define ETH_IPV4 0x0800
#define ETH_ARP 0x0806

static void ipv4_fields(struct uk_of_match *m, const uint8_t *p, size_t len)
{
    size_t ihl;
    if (len < 20 || p[0] >> 4 != 4)
        return;
    ihl = (size_t)(p[0] & 15) * 4;
    if (ihl < 20)
        return;
    m->nw_tos = p[1] & 0xfc;
    m->nw_proto = p[9];
    m->nw_src = uk_load_be32(p + 12);
    m->nw_dst = uk_load_be32(p + 16);
    if ((uk_load_be16(p + 6) & 0x1fff) != 0 || ihl > len)
        return; /* a later fragment has no transport header */
    p += ihl;
    len -= ihl;
    if ((m->nw_proto == 6 || m->nw_proto == 17) && len >= 4) {
        m->tp_src = uk_load_be16(p);
        m->tp_dst = uk_load_be16(p + 2);
    } else if (m->nw_proto == 1 && len >= 2) {
        m->tp_src = p[0];
        m->tp_dst = p[1];
    }
}

static void arp_fields(struct uk_of_match *m, const uint8_t *p, size_t len)
{
    if (len < 28 || uk_load_be16(p) != 1 || uk_load_be16(p + 2) != ETH_IPV4 ||
        p[4] != 6 || p[5] != 4)
        return;
    if (uk_load_be16(p + 6) <= 0xff)
        m->nw_proto = (uint8_t)uk_load_be16(p + 6);
    m->nw_src = uk_load_be32(p + 14);
    m->nw_dst = uk_load_be32(p + 24);
}

int uk_of_match_from_frame(struct uk_of_match *m, const uint8_t *frame,
                           size_t len, uint16_t in_port)
{
    size_t off = 14;
    uint16_t type;
    if (len < 14)
        return UK_EINVAL;
    memset(m, 0, sizeof *m);
    m->in_port = in_port;
    memcpy(m->dl_dst.b, frame, 6);
    memcpy(m->dl_src.b, frame + 6, 6);
    m->dl_vlan = UK_OFP_VLAN_NONE;
    type = uk_load_be16(frame + 12);
    if (type == ETH_VLAN && len >= 18) {
        uint16_t tci = uk_load_be16(frame + 14);
        m->dl_vlan = tci & 0x0fff;
        m->dl_vlan_pcp = (uint8_t)(tci >> 13);
        type = uk_load_be16(frame + 16);
        off = 18;
    }
    if (type < 0x0600) {
        /* 802.3: the type of an LLC/SNAP header with a zero OUI, else
         * "not an Ethernet type". */
        const uint8_t *l = frame + off;
        if (len - off >= 8 && l[0] == 0xaa && l[1] == 0xaa && l[2] == 0x03 &&
            l[3] == 0 && l[4] == 0 && l[5] == 0) {
            type = uk_load_be16(l + 6);
            off += 8;
        } else {
            type = UK_OFP_DL_TYPE_NOT_ETH;
        }
    }
    m->dl_type = type;
    if (type == ETH_IPV4)
        ipv4_fields(m, frame + off, len - off);
    else if (type == ETH_ARP)
        arp_fields(m, frame + off, len - off);
    return 0;
}

uint32_t uk_of_nw_mask(uint32_t wildcards, unsigned shift)
{
    unsigned bits = (wildcards >> shift) & 0x3f;
    return bits >= 32 ? 0 : 0xffffffffu << bits;
}

bool uk_of_match_covers(const struct uk_of_match *r,
                        const struct uk_of_match *p)
{
    uint32_t w = r->wildcards;
    uint32_t sm = uk_of_nw_mask(w, UK_OFPFW_NW_SRC_SHIFT);
    uint32_t dm = uk_of_nw_mask(w, UK_OFPFW_NW_DST_SHIFT);
    return (w & UK_OFPFW_IN_PORT || r->in_port == p->in_port) &&
           (w & UK_OFPFW_DL_VLAN || r->dl_vlan == p->dl_vlan) &&
           (w & UK_OFPFW_DL_VLAN_PCP || r->dl_vlan_pcp == p->dl_vlan_pcp) &&
           (w & UK_OFPFW_DL_SRC || uk_mac_eq(&r->dl_src, &p->dl_src)) &&
           (w & UK_OFPFW_DL_DST || uk_mac_eq(&r->dl_dst, &p->dl_dst)) &&
           (w & UK_OFPFW_DL_TYPE || r->dl_type == p->dl_type) &&
           (w & UK_OFPFW_NW_TOS || r->nw_tos == p->nw_tos) &&
           (w & UK_OFPFW_NW_PROTO || r->nw_proto == p->nw_proto) &&
           ((r->nw_src ^ p->nw_src) & sm) == 0 &&
           ((r->nw_dst ^ p->nw_dst) & dm) == 0 &&
           (w & UK_OFPFW_TP_SRC || r->tp_src == p->tp_src) &&
           (w & UK_OFPFW_TP_DST || r->tp_dst == p->tp_dst);
}

/* Wildcards with the nw prefix counts clamped to 32, so that equal rules
 * compare equal. */
static uint32_t canonical_wildcards(uint32_t w)
{
    unsigned s = (w >> UK_OFPFW_NW_SRC_SHIFT) & 0x3f;
    unsigned d = (w >> UK_OFPFW_NW_DST_SHIFT) & 0x3f;
    w &= UK_OFPFW_ALL & ~(UK_OFPFW_NW_SRC_MASK | UK_OFPFW_NW_DST_MASK);
    w |= (uint32_t)(s > 32 ? 32 : s) << UK_OFPFW_NW_SRC_SHIFT;
    w |= (uint32_t)(d > 32 ? 32 : d) << UK_OFPFW_NW_DST_SHIFT;
    return w;
}

bool uk_of_match_equal(const struct uk_of_match *a,
                       const struct uk_of_match *b)
{
    return canonical_wildcards(a->wildcards) ==
               canonical_wildcards(b->wildcards) &&
           uk_of_match_covers(a, b);
}

bool uk_of_match_subsumes(const struct uk_of_match *wide,
                          const struct uk_of_match *narrow)
{
    static const uint32_t flags = UK_OFPFW_IN_PORT | UK_OFPFW_DL_VLAN |
                                  UK_OFPFW_DL_SRC | UK_OFPFW_DL_DST |
                                  UK_OFPFW_DL_TYPE | UK_OFPFW_NW_PROTO |
                                  UK_OFPFW_TP_SRC | UK_OFPFW_TP_DST |
                                  UK_OFPFW_DL_VLAN_PCP | UK_OFPFW_NW_TOS;
    uint32_t ws = uk_of_nw_mask(wide->wildcards, UK_OFPFW_NW_SRC_SHIFT);
    uint32_t wd = uk_of_nw_mask(wide->wildcards, UK_OFPFW_NW_DST_SHIFT);
    uint32_t ns = uk_of_nw_mask(narrow->wildcards, UK_OFPFW_NW_SRC_SHIFT);
    uint32_t nd = uk_of_nw_mask(narrow->wildcards, UK_OFPFW_NW_DST_SHIFT);
    /* A field the wide rule matches must be matched by the narrow one. */
    if ((narrow->wildcards & flags & ~wide->wildcards) != 0)
        return false;
    if ((ws & ~ns) != 0 || (wd & ~nd) != 0)
        return false;
    return uk_of_match_covers(wide, narrow);
}

/* Sets the nw prefix wildcard count at shift to 32 (all wildcarded). */
static uint32_t nw_all(uint32_t w, unsigned shift)
{
    return (w & ~(0x3fu << shift)) | 32u << shift;
}

void uk_of_match_normalize(struct uk_of_match *m)
{
    uint32_t w = canonical_wildcards(m->wildcards);
    bool ip = !(w & UK_OFPFW_DL_TYPE) && m->dl_type == ETH_IPV4;
    bool arp = !(w & UK_OFPFW_DL_TYPE) && m->dl_type == ETH_ARP;
    bool l4 = ip && !(w & UK_OFPFW_NW_PROTO) &&
              (m->nw_proto == 1 || m->nw_proto == 6 || m->nw_proto == 17);
    if (!ip && !arp) {
        w |= UK_OFPFW_NW_PROTO | UK_OFPFW_NW_TOS;
        w = nw_all(nw_all(w, UK_OFPFW_NW_SRC_SHIFT), UK_OFPFW_NW_DST_SHIFT);
    }
    if (arp)
        w |= UK_OFPFW_NW_TOS;
    if (!l4)
        w |= UK_OFPFW_TP_SRC | UK_OFPFW_TP_DST;
    m->wildcards = w;
    if (w & UK_OFPFW_IN_PORT)
        m->in_port = 0;
    if (w & UK_OFPFW_DL_VLAN)
        m->dl_vlan = 0;
    if (w & UK_OFPFW_DL_VLAN_PCP)
        m->dl_vlan_pcp = 0;
    if (w & UK_OFPFW_DL_SRC)
        memset(m->dl_src.b, 0, 6);
    if (w & UK_OFPFW_DL_DST)
        memset(m->dl_dst.b, 0, 6);
    if (w & UK_OFPFW_DL_TYPE)
        m->dl_type = 0;
    if (w & UK_OFPFW_NW_TOS)
        m->nw_tos = 0;
    if (w & UK_OFPFW_NW_PROTO)
        m->nw_proto = 0;
    m->nw_src &= uk_of_nw_mask(w, UK_OFPFW_NW_SRC_SHIFT);
    m->nw_dst &= uk_of_nw_mask(w, UK_OFPFW_NW_DST_SHIFT);
    if (w & UK_OFPFW_TP_SRC)
        m->tp_src = 0;
    if (w & UK_OFPFW_TP_DST)
        m->tp_dst = 0;
}
