/*
 * action.c - OpenFlow 1.0 action lists: validation of wire lists,
 * walking them, and writing them.
 *
 * Every action starts with type(2) len(2); len counts the whole action
 * and is a multiple of 8.  Sizes: 8 bytes for OUTPUT (port, max_len),
 * SET_VLAN_VID (vid, pad 2), SET_VLAN_PCP (pcp, pad 3), STRIP_VLAN (pad 4),
 * SET_NW_SRC/DST (addr), SET_NW_TOS (tos, pad 3), SET_TP_SRC/DST (port,
 * pad 2); 16 bytes for SET_DL_SRC/DST (addr 6, pad 6) and ENQUEUE (port,
 * pad 6, queue_id).
 */
#include <string.h>

#include "wire.h"

/* The wire size of each known action type, 0 for unknown. */
static size_t action_size(uint16_t type)
{
    switch (type) {
    case UK_OFPAT_SET_DL_SRC:
    case UK_OFPAT_SET_DL_DST:
    case UK_OFPAT_ENQUEUE:
        return 16;
    default:
        return type <= UK_OFPAT_ENQUEUE ? 8 : 0;
    }
}

static bool output_port_ok(uint16_t port)
{
    return (port != 0 && port < UK_OFPP_MAX) || port >= UK_OFPP_IN_PORT;
}

/* Checks the arguments of one action of known type and right length. */
static int action_args_check(const uint8_t *p, struct uk_of_err *err)
{
    uint16_t type = uk_load_be16(p), port;
    switch (type) {
    case UK_OFPAT_OUTPUT:
        if (!output_port_ok(uk_load_be16(p + 4)))
            return uk__of_fail(err, UK_OFPET_BAD_ACTION,
                               UK_OFPBAC_BAD_OUT_PORT);
        break;
    case UK_OFPAT_ENQUEUE:
        port = uk_load_be16(p + 4);
        if (port == 0 || (port >= UK_OFPP_MAX && port != UK_OFPP_IN_PORT))
            return uk__of_fail(err, UK_OFPET_BAD_ACTION,
                               UK_OFPBAC_BAD_OUT_PORT);
        break;
    case UK_OFPAT_SET_VLAN_VID:
        if (uk_load_be16(p + 4) > 0x0fff)
            return uk__of_fail(err, UK_OFPET_BAD_ACTION,
                               UK_OFPBAC_BAD_ARGUMENT);
        break;
    case UK_OFPAT_SET_VLAN_PCP:
        if (p[4] > 7)
            return uk__of_fail(err, UK_OFPET_BAD_ACTION,
                               UK_OFPBAC_BAD_ARGUMENT);
        break;
    case UK_OFPAT_SET_NW_TOS:
        if ((p[4] & 3) != 0)
            return uk__of_fail(err, UK_OFPET_BAD_ACTION,
                               UK_OFPBAC_BAD_ARGUMENT);
        break;
    default:
        break;
    }
    return 0;
}

int uk__of_actions_check(const uint8_t *p, size_t len, size_t *count,
                         struct uk_of_err *err)
{
    size_t off = 0, n = 0;
    while (off < len) {
        uint16_t type, alen;
        int rc;
        if (len - off < 8)
            return uk__of_fail(err, UK_OFPET_BAD_ACTION, UK_OFPBAC_BAD_LEN);
        type = uk_load_be16(p + off);
        alen = uk_load_be16(p + off + 2);
        if (alen < 8 || alen % 8 != 0 || alen > len - off)
            return uk__of_fail(err, UK_OFPET_BAD_ACTION, UK_OFPBAC_BAD_LEN);
        if (type == UK_OFPAT_VENDOR)
            return uk__of_fail(err, UK_OFPET_BAD_ACTION,
                               UK_OFPBAC_BAD_VENDOR);
        if (action_size(type) == 0)
            return uk__of_fail(err, UK_OFPET_BAD_ACTION, UK_OFPBAC_BAD_TYPE);
        if (alen != action_size(type))
            return uk__of_fail(err, UK_OFPET_BAD_ACTION, UK_OFPBAC_BAD_LEN);
        rc = action_args_check(p + off, err);
        if (rc != 0)
            return rc;
        off += alen;
        n++;
    }
    *count = n;
    return 0;
}

/* Decodes the (validated) action at p. */
static void action_read(const uint8_t *p, struct uk_of_action *a)
{
    memset(a, 0, sizeof *a);
    a->type = uk_load_be16(p);
    switch (a->type) {
    case UK_OFPAT_OUTPUT:
        a->u.output.port = uk_load_be16(p + 4);
        a->u.output.max_len = uk_load_be16(p + 6);
        break;
    case UK_OFPAT_SET_VLAN_VID:
        a->u.vlan_vid = uk_load_be16(p + 4);
        break;
    case UK_OFPAT_SET_VLAN_PCP:
        a->u.vlan_pcp = p[4];
        break;
    case UK_OFPAT_SET_DL_SRC:
    case UK_OFPAT_SET_DL_DST:
        memcpy(a->u.dl_addr.b, p + 4, 6);
        break;
    case UK_OFPAT_SET_NW_SRC:
    case UK_OFPAT_SET_NW_DST:
        a->u.nw_addr = uk_load_be32(p + 4);
        break;
    case UK_OFPAT_SET_NW_TOS:
        a->u.nw_tos = p[4];
        break;
    case UK_OFPAT_SET_TP_SRC:
    case UK_OFPAT_SET_TP_DST:
        a->u.tp_port = uk_load_be16(p + 4);
        break;
    case UK_OFPAT_ENQUEUE:
        a->u.enqueue.port = uk_load_be16(p + 4);
        a->u.enqueue.queue_id = uk_load_be32(p + 12);
        break;
    default: /* STRIP_VLAN: no argument */
        break;
    }
}

bool uk_of_action_next(const struct uk_of_actions *a, size_t *pos,
                       struct uk_of_action *out)
{
    if (a->list != NULL) {
        if (*pos >= a->count)
            return false;
        *out = a->list[(*pos)++];
        return true;
    }
    if (a->wire == NULL || *pos + 8 > a->wire_len)
        return false;
    action_read(a->wire + *pos, out);
    *pos += uk_load_be16(a->wire + *pos + 2);
    return true;
}

static int action_write(struct uk__of_w *w, const struct uk_of_action *a)
{
    size_t size = action_size(a->type);
    if (size == 0)
        return UK_EINVAL;
    uk__of_w16(w, a->type);
    uk__of_w16(w, (uint16_t)size);
    switch (a->type) {
    case UK_OFPAT_OUTPUT:
        uk__of_w16(w, a->u.output.port);
        uk__of_w16(w, a->u.output.max_len);
        break;
    case UK_OFPAT_SET_VLAN_VID:
        uk__of_w16(w, a->u.vlan_vid);
        uk__of_w16(w, 0);
        break;
    case UK_OFPAT_SET_VLAN_PCP:
        uk__of_w8(w, a->u.vlan_pcp);
        uk__of_wzero(w, 3);
        break;
    case UK_OFPAT_SET_DL_SRC:
    case UK_OFPAT_SET_DL_DST:
        uk__of_wbytes(w, a->u.dl_addr.b, 6);
        uk__of_wzero(w, 6);
        break;
    case UK_OFPAT_SET_NW_SRC:
    case UK_OFPAT_SET_NW_DST:
        uk__of_w32(w, a->u.nw_addr);
        break;
    case UK_OFPAT_SET_NW_TOS:
        uk__of_w8(w, a->u.nw_tos);
        uk__of_wzero(w, 3);
        break;
    case UK_OFPAT_SET_TP_SRC:
    case UK_OFPAT_SET_TP_DST:
        uk__of_w16(w, a->u.tp_port);
        uk__of_w16(w, 0);
        break;
    case UK_OFPAT_ENQUEUE:
        uk__of_w16(w, a->u.enqueue.port);
        uk__of_wzero(w, 6);
        uk__of_w32(w, a->u.enqueue.queue_id);
        break;
    default: /* STRIP_VLAN */
        uk__of_wzero(w, 4);
        break;
    }
    return 0;
}

int uk__of_actions_write(struct uk__of_w *w, const struct uk_of_actions *a)
{
    size_t i;
    if (a->list == NULL) {
        uk__of_wbytes(w, a->wire, a->wire != NULL ? a->wire_len : 0);
        return 0;
    }
    for (i = 0; i < a->count; i++) {
        int rc = action_write(w, &a->list[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}
