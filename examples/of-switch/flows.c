/*
 * flows.c - the switch's flow table: lookup by priority (exact-match
 * entries above every wildcarded one, as OpenFlow 1.0 requires), the
 * flow-mod commands, and expiry by idle and hard timeouts with
 * flow-removed messages.
 */
#include <string.h>

#include "of_switch.h"

/* Exact-match entries rank above every wildcarded priority. */
static uint32_t rank(const struct ofs_flow *f)
{
    return f->match.wildcards == 0 ? 0x10000u : f->priority;
}

struct ofs_flow *uk__ofs_lookup(struct ofs *sw, const struct uk_of_match *pkt)
{
    struct ofs_flow *best = NULL;
    int i;
    for (i = 0; i < OFS_FLOWS; i++) {
        struct ofs_flow *f = &sw->flows[i];
        if (f->used && (best == NULL || rank(f) > rank(best)) &&
            uk_of_match_covers(&f->match, pkt))
            best = f;
    }
    return best;
}

static bool outputs_to(const struct ofs_flow *f, uint16_t port)
{
    struct uk_of_actions a;
    struct uk_of_action act;
    size_t pos = 0;
    if (port == UK_OFPP_NONE)
        return true;
    a.wire = f->actions;
    a.wire_len = f->actions_len;
    a.list = NULL;
    a.count = 0;
    while (uk_of_action_next(&a, &pos, &act))
        if ((act.type == UK_OFPAT_OUTPUT && act.u.output.port == port) ||
            (act.type == UK_OFPAT_ENQUEUE && act.u.enqueue.port == port))
            return true;
    return false;
}

static void flow_removed(struct ofs *sw, struct ofs_flow *f, uint8_t reason)
{
    struct uk_of_msg m;
    uint64_t age = uk_time_now_ns(sw->time) - f->created_ns;
    f->used = false;
    if (!(f->flags & UK_OFPFF_SEND_FLOW_REM) || !sw->connected)
        return;
    memset(&m, 0, sizeof m);
    m.hdr.type = UK_OFPT_FLOW_REMOVED;
    m.u.flow_removed.match = f->match;
    m.u.flow_removed.cookie = f->cookie;
    m.u.flow_removed.priority = f->priority;
    m.u.flow_removed.reason = reason;
    m.u.flow_removed.duration_sec = (uint32_t)(age / UK_NS_PER_S);
    m.u.flow_removed.duration_nsec = (uint32_t)(age % UK_NS_PER_S);
    m.u.flow_removed.idle_timeout = f->idle_timeout;
    m.u.flow_removed.packet_count = f->packets;
    m.u.flow_removed.byte_count = f->bytes;
    uk__ofs_send(sw, &m);
}

/* Selects the entries a MODIFY/DELETE (strict or not) applies to. */
static bool selected(const struct ofs_flow *f, const struct uk_of_flow_mod *fm,
                     const struct uk_of_match *m, bool strict)
{
    if (!f->used)
        return false;
    if (strict)
        return f->priority == fm->priority && uk_of_match_equal(&f->match, m);
    return uk_of_match_subsumes(m, &f->match);
}

static void set_actions(struct ofs_flow *f, const struct uk_of_actions *a)
{
    memcpy(f->actions, a->wire, a->wire_len);
    f->actions_len = (uint16_t)a->wire_len;
}

static int add(struct ofs *sw, const struct uk_of_flow_mod *fm,
               const struct uk_of_match *m, struct uk_of_err *err)
{
    struct ofs_flow *slot = NULL;
    int i;
    for (i = 0; i < OFS_FLOWS; i++) {
        struct ofs_flow *f = &sw->flows[i];
        if (!f->used) {
            if (slot == NULL)
                slot = f;
            continue;
        }
        if (f->priority == fm->priority && uk_of_match_equal(&f->match, m)) {
            slot = f; /* identical: replaced, counters cleared */
            break;
        }
        if ((fm->flags & UK_OFPFF_CHECK_OVERLAP) &&
            f->priority == fm->priority &&
            (uk_of_match_subsumes(&f->match, m) ||
             uk_of_match_subsumes(m, &f->match))) {
            err->type = UK_OFPET_FLOW_MOD_FAILED;
            err->code = UK_OFPFMFC_OVERLAP;
            return UK_EPROTO;
        }
    }
    if (slot == NULL) {
        err->type = UK_OFPET_FLOW_MOD_FAILED;
        err->code = UK_OFPFMFC_ALL_TABLES_FULL;
        return UK_EPROTO;
    }
    memset(slot, 0, sizeof *slot);
    slot->used = true;
    slot->match = *m;
    slot->priority = fm->priority;
    slot->idle_timeout = fm->idle_timeout;
    slot->hard_timeout = fm->hard_timeout;
    slot->flags = fm->flags;
    slot->cookie = fm->cookie;
    slot->created_ns = slot->used_ns = uk_time_now_ns(sw->time);
    set_actions(slot, &fm->actions);
    return 0;
}

int uk__ofs_flow_mod(struct ofs *sw, const struct uk_of_flow_mod *fm,
                     struct uk_of_err *err)
{
    struct uk_of_match m = fm->match;
    bool strict = fm->command == UK_OFPFC_MODIFY_STRICT ||
                  fm->command == UK_OFPFC_DELETE_STRICT;
    int i, n = 0, rc;
    uk_of_match_normalize(&m);
    if (fm->flags & UK_OFPFF_EMERG) {
        err->type = UK_OFPET_FLOW_MOD_FAILED;
        err->code = UK_OFPFMFC_UNSUPPORTED;
        return UK_EPROTO;
    }
    if (fm->actions.wire_len > OFS_ACTIONS_MAX) {
        err->type = UK_OFPET_BAD_ACTION;
        err->code = UK_OFPBAC_TOO_MANY;
        return UK_EPROTO;
    }
    if (fm->command == UK_OFPFC_DELETE || fm->command == UK_OFPFC_DELETE_STRICT) {
        for (i = 0; i < OFS_FLOWS; i++) {
            struct ofs_flow *f = &sw->flows[i];
            if (selected(f, fm, &m, strict) && outputs_to(f, fm->out_port))
                flow_removed(sw, f, UK_OFPRR_DELETE);
        }
        return 0;
    }
    rc = uk__ofs_check_actions(sw, &fm->actions, err);
    if (rc != 0)
        return rc;
    if (fm->command == UK_OFPFC_ADD)
        return add(sw, fm, &m, err);
    for (i = 0; i < OFS_FLOWS; i++) {
        struct ofs_flow *f = &sw->flows[i];
        if (selected(f, fm, &m, strict)) {
            set_actions(f, &fm->actions);
            n++;
        }
    }
    return n > 0 ? 0 : add(sw, fm, &m, err); /* no match: an ADD */
}

void uk__ofs_expire(void *arg)
{
    struct ofs *sw = arg;
    uint64_t now = uk_time_now_ns(sw->time);
    int i;
    for (i = 0; i < OFS_FLOWS; i++) {
        struct ofs_flow *f = &sw->flows[i];
        if (!f->used)
            continue;
        if (f->hard_timeout != 0 &&
            now - f->created_ns >= f->hard_timeout * UK_NS_PER_S)
            flow_removed(sw, f, UK_OFPRR_HARD_TIMEOUT);
        else if (f->idle_timeout != 0 &&
                 now - f->used_ns >= f->idle_timeout * UK_NS_PER_S)
            flow_removed(sw, f, UK_OFPRR_IDLE_TIMEOUT);
    }
    uk_time_after(sw->time, &sw->expiry, UK_NS_PER_S / 2, uk__ofs_expire, sw);
}
