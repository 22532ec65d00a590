/*
 * structs.c - the fixed structures shared by several OpenFlow 1.0
 * messages: ofp_match (40 bytes) and ofp_phy_port (48 bytes).
 *
 * ofp_match:    wildcards(4) in_port(2) dl_src(6) dl_dst(6) dl_vlan(2)
 *               dl_vlan_pcp(1) pad(1) dl_type(2) nw_tos(1) nw_proto(1)
 *               pad(2) nw_src(4) nw_dst(4) tp_src(2) tp_dst(2)
 * ofp_phy_port: port_no(2) hw_addr(6) name(16) config(4) state(4) curr(4)
 *               advertised(4) supported(4) peer(4)
 */
#include <string.h>

#include "wire.h"

void uk__of_match_read(const uint8_t *p, struct uk_of_match *m)
{
    m->wildcards = uk_load_be32(p);
    m->in_port = uk_load_be16(p + 4);
    memcpy(m->dl_src.b, p + 6, 6);
    memcpy(m->dl_dst.b, p + 12, 6);
    m->dl_vlan = uk_load_be16(p + 18);
    m->dl_vlan_pcp = p[20];
    m->dl_type = uk_load_be16(p + 22);
    m->nw_tos = p[24];
    m->nw_proto = p[25];
    m->nw_src = uk_load_be32(p + 28);
    m->nw_dst = uk_load_be32(p + 32);
    m->tp_src = uk_load_be16(p + 36);
    m->tp_dst = uk_load_be16(p + 38);
}

void uk__of_match_write(struct uk__of_w *w, const struct uk_of_match *m)
{
    uk__of_w32(w, m->wildcards);
    uk__of_w16(w, m->in_port);
    uk__of_wbytes(w, m->dl_src.b, 6);
    uk__of_wbytes(w, m->dl_dst.b, 6);
    uk__of_w16(w, m->dl_vlan);
    uk__of_w8(w, m->dl_vlan_pcp);
    uk__of_w8(w, 0);
    uk__of_w16(w, m->dl_type);
    uk__of_w8(w, m->nw_tos);
    uk__of_w8(w, m->nw_proto);
    uk__of_w16(w, 0);
    uk__of_w32(w, m->nw_src);
    uk__of_w32(w, m->nw_dst);
    uk__of_w16(w, m->tp_src);
    uk__of_w16(w, m->tp_dst);
}

void uk__of_port_read(const uint8_t *p, struct uk_of_port *port)
{
    port->port_no = uk_load_be16(p);
    memcpy(port->hw_addr.b, p + 2, 6);
    uk__of_rstr(port->name, p + 8, UK_OFP_PORT_NAME_LEN);
    port->config = uk_load_be32(p + 24);
    port->state = uk_load_be32(p + 28);
    port->curr = uk_load_be32(p + 32);
    port->advertised = uk_load_be32(p + 36);
    port->supported = uk_load_be32(p + 40);
    port->peer = uk_load_be32(p + 44);
}

void uk__of_port_write(struct uk__of_w *w, const struct uk_of_port *port)
{
    uk__of_w16(w, port->port_no);
    uk__of_wbytes(w, port->hw_addr.b, 6);
    uk__of_wstr(w, port->name, UK_OFP_PORT_NAME_LEN);
    uk__of_w32(w, port->config);
    uk__of_w32(w, port->state);
    uk__of_w32(w, port->curr);
    uk__of_w32(w, port->advertised);
    uk__of_w32(w, port->supported);
    uk__of_w32(w, port->peer);
}

void uk_of_ports_get(const struct uk_of_ports *p, size_t i,
                     struct uk_of_port *out)
{
    if (p->list != NULL)
        *out = p->list[i];
    else
        uk__of_port_read(p->wire + i * UK_OFP_PHY_PORT_LEN, out);
}
