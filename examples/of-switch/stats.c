/*
 * stats.c - the switch's answers to stats requests: description, flows
 * (several replies with REPLY_MORE when they do not fit one), aggregate,
 * table and ports; queues are refused (there are none).
 */
#include <string.h>

#include "of_switch.h"

#define FLOWS_PER_REPLY 64

static bool flow_selected(const struct ofs_flow *f,
                          const struct uk_of_flow_stats_request *q)
{
    struct uk_of_actions a;
    struct uk_of_action act;
    size_t pos = 0;
    if (!f->used || (q->table_id != 0 && q->table_id != 0xff) ||
        !uk_of_match_subsumes(&q->match, &f->match))
        return false;
    if (q->out_port == UK_OFPP_NONE)
        return true;
    a.wire = f->actions;
    a.wire_len = f->actions_len;
    a.list = NULL;
    a.count = 0;
    while (uk_of_action_next(&a, &pos, &act))
        if (act.type == UK_OFPAT_OUTPUT && act.u.output.port == q->out_port)
            return true;
    return false;
}

static void flow_stats(struct ofs *sw, struct uk_of_conn *c,
                       const struct uk_of_msg *m)
{
    static struct uk_of_flow_stats list[FLOWS_PER_REPLY];
    struct uk_of_msg r;
    uint64_t now = uk_time_now_ns(sw->time);
    size_t n = 0;
    int i;
    memset(&r, 0, sizeof r);
    r.hdr.type = UK_OFPT_STATS_REPLY;
    r.hdr.xid = m->hdr.xid;
    r.u.stats_reply.type = UK_OFPST_FLOW;
    r.u.stats_reply.u.entries.list = list;
    for (i = 0; i <= OFS_FLOWS; i++) {
        const struct ofs_flow *f = i < OFS_FLOWS ? &sw->flows[i] : NULL;
        if (f != NULL && flow_selected(f, &m->u.stats_request.u.flow)) {
            struct uk_of_flow_stats *s = &list[n++];
            uint64_t age = now - f->created_ns;
            memset(s, 0, sizeof *s);
            s->match = f->match;
            s->duration_sec = (uint32_t)(age / UK_NS_PER_S);
            s->duration_nsec = (uint32_t)(age % UK_NS_PER_S);
            s->priority = f->priority;
            s->idle_timeout = f->idle_timeout;
            s->hard_timeout = f->hard_timeout;
            s->cookie = f->cookie;
            s->packet_count = f->packets;
            s->byte_count = f->bytes;
            s->actions.wire = f->actions;
            s->actions.wire_len = f->actions_len;
        }
        if (n == FLOWS_PER_REPLY || (f == NULL)) {
            r.u.stats_reply.flags = f != NULL ? UK_OFPSF_REPLY_MORE : 0;
            r.u.stats_reply.u.entries.count = n;
            uk_of_conn_send(c, &r);
            n = 0;
        }
    }
}

static void aggregate(struct ofs *sw, struct uk_of_conn *c,
                      const struct uk_of_msg *m)
{
    struct uk_of_msg r;
    int i;
    memset(&r, 0, sizeof r);
    r.hdr.type = UK_OFPT_STATS_REPLY;
    r.hdr.xid = m->hdr.xid;
    r.u.stats_reply.type = UK_OFPST_AGGREGATE;
    for (i = 0; i < OFS_FLOWS; i++) {
        const struct ofs_flow *f = &sw->flows[i];
        if (!flow_selected(f, &m->u.stats_request.u.flow))
            continue;
        r.u.stats_reply.u.aggregate.packet_count += f->packets;
        r.u.stats_reply.u.aggregate.byte_count += f->bytes;
        r.u.stats_reply.u.aggregate.flow_count++;
    }
    uk_of_conn_send(c, &r);
}

static void table(struct ofs *sw, struct uk_of_conn *c,
                  const struct uk_of_msg *m)
{
    struct uk_of_table_stats t;
    struct uk_of_msg r;
    int i;
    memset(&t, 0, sizeof t);
    memcpy(t.name, "classifier", 11);
    t.wildcards = UK_OFPFW_ALL;
    t.max_entries = OFS_FLOWS;
    for (i = 0; i < OFS_FLOWS; i++)
        t.active_count += sw->flows[i].used;
    t.lookup_count = sw->lookups;
    t.matched_count = sw->matched;
    memset(&r, 0, sizeof r);
    r.hdr.type = UK_OFPT_STATS_REPLY;
    r.hdr.xid = m->hdr.xid;
    r.u.stats_reply.type = UK_OFPST_TABLE;
    r.u.stats_reply.u.entries.list = &t;
    r.u.stats_reply.u.entries.count = 1;
    uk_of_conn_send(c, &r);
}

static void ports(struct ofs *sw, struct uk_of_conn *c,
                  const struct uk_of_msg *m)
{
    struct uk_of_port_stats list[OFS_MAX_PORTS];
    struct uk_of_msg r;
    uint16_t want = m->u.stats_request.u.port_no;
    size_t n = 0;
    unsigned i;
    for (i = 0; i < sw->nports; i++) {
        const struct ofs_port *p = &sw->ports[i];
        if (want != UK_OFPP_NONE && want != p->no)
            continue;
        memset(&list[n], 0, sizeof list[n]);
        list[n].port_no = p->no;
        list[n].rx_packets = p->rx_packets;
        list[n].tx_packets = p->tx_packets;
        list[n].rx_bytes = p->rx_bytes;
        list[n].tx_bytes = p->tx_bytes;
        list[n].rx_dropped = p->rx_dropped;
        list[n].tx_dropped = p->tx_dropped;
        n++;
    }
    memset(&r, 0, sizeof r);
    r.hdr.type = UK_OFPT_STATS_REPLY;
    r.hdr.xid = m->hdr.xid;
    r.u.stats_reply.type = UK_OFPST_PORT;
    r.u.stats_reply.u.entries.list = list;
    r.u.stats_reply.u.entries.count = n;
    uk_of_conn_send(c, &r);
}

void uk__ofs_stats(struct ofs *sw, struct uk_of_conn *c,
                   const struct uk_of_msg *m, const uint8_t *raw, size_t len)
{
    struct uk_of_msg r;
    struct uk_of_desc_stats *d = &r.u.stats_reply.u.desc;
    switch (m->u.stats_request.type) {
    case UK_OFPST_DESC:
        memset(&r, 0, sizeof r);
        r.hdr.type = UK_OFPT_STATS_REPLY;
        r.hdr.xid = m->hdr.xid;
        r.u.stats_reply.type = UK_OFPST_DESC;
        snprintf(d->mfr_desc, sizeof d->mfr_desc, "uk");
        snprintf(d->hw_desc, sizeof d->hw_desc, "uk of-switch");
        snprintf(d->sw_desc, sizeof d->sw_desc, "uk OpenFlow 1.0");
        snprintf(d->serial_num, sizeof d->serial_num, "none");
        snprintf(d->dp_desc, sizeof d->dp_desc, "of-switch, %u ports",
                 sw->nports);
        uk_of_conn_send(c, &r);
        break;
    case UK_OFPST_FLOW:
        flow_stats(sw, c, m);
        break;
    case UK_OFPST_AGGREGATE:
        aggregate(sw, c, m);
        break;
    case UK_OFPST_TABLE:
        table(sw, c, m);
        break;
    case UK_OFPST_PORT:
        ports(sw, c, m);
        break;
    default: /* QUEUE: there are no queues */
        uk_of_conn_send_error(c, UK_OFPET_QUEUE_OP_FAILED,
                              UK_OFPQOFC_BAD_QUEUE, raw, len);
        break;
    }
}
