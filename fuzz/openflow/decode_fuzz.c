/*
 * decode_fuzz.c - libFuzzer target for the OpenFlow 1.0 decoder: the input
 * is a byte stream of messages.  Each framed message is decoded; whatever
 * decodes is walked completely (actions, ports, stats entries, the
 * packet-in's frame as a match) and re-encoded, and the re-encoding must
 * decode again to the same bytes (pad bytes aside, encoding is a fixed
 * point).  Also replayed by tests/openflow/test_fuzz_replay.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/openflow.h>
#include <uk/openflow_match.h>

int of_fuzz_decode(const uint8_t *data, size_t size);

static void walk_actions(const struct uk_of_actions *a)
{
    struct uk_of_action act;
    size_t pos = 0, n = 0;
    while (uk_of_action_next(a, &pos, &act))
        n++;
    if (n != a->count)
        abort();
}

static void walk(const struct uk_of_msg *m)
{
    const struct uk_of_stats_reply *r = &m->u.stats_reply;
    struct uk_of_match match;
    size_t i, pos = 0, n = 0;
    switch (m->hdr.type) {
    case UK_OFPT_FEATURES_REPLY:
        for (i = 0; i < m->u.features.ports.count; i++) {
            struct uk_of_port p;
            uk_of_ports_get(&m->u.features.ports, i, &p);
            if (strlen(p.name) > UK_OFP_PORT_NAME_LEN)
                abort();
        }
        break;
    case UK_OFPT_PACKET_IN:
        if (uk_of_match_from_frame(&match, m->u.packet_in.data,
                                   m->u.packet_in.data_len, 1) == 0 &&
            !uk_of_match_covers(&match, &match))
            abort();
        break;
    case UK_OFPT_PACKET_OUT:
        walk_actions(&m->u.packet_out.actions);
        break;
    case UK_OFPT_FLOW_MOD:
        walk_actions(&m->u.flow_mod.actions);
        match = m->u.flow_mod.match;
        uk_of_match_normalize(&match);
        if (!uk_of_match_subsumes(&match, &match))
            abort();
        break;
    case UK_OFPT_STATS_REPLY:
        if (r->type == UK_OFPST_FLOW) {
            struct uk_of_flow_stats fs;
            while (uk_of_flow_stats_next(&r->u.entries, &pos, &fs)) {
                walk_actions(&fs.actions);
                n++;
            }
            if (n != r->u.entries.count)
                abort();
        } else if (r->type == UK_OFPST_TABLE) {
            struct uk_of_table_stats t;
            for (i = 0; i < r->u.entries.count; i++)
                uk_of_table_stats_get(&r->u.entries, i, &t);
        } else if (r->type == UK_OFPST_PORT) {
            struct uk_of_port_stats p;
            for (i = 0; i < r->u.entries.count; i++)
                uk_of_port_stats_get(&r->u.entries, i, &p);
        } else if (r->type == UK_OFPST_QUEUE) {
            struct uk_of_queue_stats q;
            for (i = 0; i < r->u.entries.count; i++)
                uk_of_queue_stats_get(&r->u.entries, i, &q);
        }
        break;
    default:
        break;
    }
}

/* Re-encoding what decoded: must succeed, and be a fixed point. */
static void reencode(const struct uk_of_msg *m)
{
    static uint8_t a[UK_OFP_MAX_MSG], b[UK_OFP_MAX_MSG];
    struct uk_of_msg d;
    struct uk_of_err err;
    size_t na, nb;
    if (uk_of_encode(m, a, sizeof a, &na) != 0)
        abort();
    if (na != m->hdr.length)
        abort();
    if (uk_of_decode(a, na, &d, &err) != 0)
        abort();
    if (uk_of_encode(&d, b, sizeof b, &nb) != 0 || nb != na ||
        memcmp(a, b, na) != 0)
        abort();
}

int of_fuzz_decode(const uint8_t *data, size_t size)
{
    size_t off = 0, n;
    while (off < size) {
        struct uk_of_msg m;
        struct uk_of_err err;
        int rc = uk_of_frame(data + off, size - off, &n);
        if (rc != 0) {
            /* an incomplete or unframeable rest: the decoder refuses it */
            if (uk_of_decode(data + off, size - off, &m, &err) != UK_EMSGSIZE)
                abort();
            break;
        }
        rc = uk_of_decode(data + off, n, &m, &err);
        if (rc == 0) {
            walk(&m);
            reencode(&m);
        } else if (rc == UK_EPROTO) {
            if (err.type > UK_OFPET_QUEUE_OP_FAILED)
                abort();
        } else {
            abort();
        }
        off += n;
    }
    return 0;
}

#ifndef OF_FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return of_fuzz_decode(data, size);
}
#endif
