/*
 * netfront_harness.c - netfront.c on the host, for tests and the fuzz
 * target (with the platform fakes of xen_fakes.c): a device attached to
 * plain memory with a listener that checks every delivered frame lies
 * inside an RX page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/loop.h>
#include <uk/target.h>

#include "netfront_harness.h"
#include "pages.h"
#include "xen.h"
#include "xen_fakes.h"
#include "xenstore.h"

/* ---- harness ---- */

#define NPAGES (2 + UK__NF_TX + UK__NF_RX)

struct uk__netfront nf;
static uint8_t *pages;
struct uk_buf *held[HOLD_MAX];
int nheld, delivered;
bool hold_frames;

static void rx_cb(void *arg, struct uk_buf *b)
{
    uint8_t *page;
    int i;
    (void)arg;
    delivered++;
    /* The frame lies inside one of the RX slot pages. */
    for (i = 0; i < UK__NF_RX; i++) {
        page = nf.rxs[i].page;
        if (b->data >= page && b->data < page + 4096)
            break;
    }
    if (i == UK__NF_RX || b->len == 0 || b->data + b->len > page + 4096)
        abort(); /* a frame outside our pages: the bug we guard against */
    if (hold_frames && nheld < HOLD_MAX)
        held[nheld++] = b;
    else
        uk_buf_free(b);
}

void nfh_setup(void)
{
    xf_init();
    pages = aligned_alloc(4096, (size_t)NPAGES * 4096);
    if (pages == NULL)
        abort();
    memset(pages, 0, (size_t)NPAGES * 4096);
    delivered = nheld = 0;
    hold_frames = false;
    uk__netfront_attach(&nf, pages);
    uk_network_listen(&nf.net, rx_cb, NULL);
}

void nfh_teardown(void)
{
    while (nheld > 0)
        uk_buf_free(held[--nheld]);
    free(pages);
}

void nfh_rx_respond(uint32_t idx, uint16_t id, uint16_t off, uint16_t flags,
                    int16_t status)
{
    volatile struct uk_xen_netif_rx_rsp *r = &nf.rx->ring[idx % 256].rsp;
    r->id = id;
    r->offset = off;
    r->flags = flags;
    r->status = status;
}

unsigned nfh_rx_in_flight(void)
{
    unsigned i, n = 0;
    for (i = 0; i < UK__NF_RX; i++)
        n += nf.rxs[i].state == 2; /* IN_FLIGHT */
    return n;
}


static uint16_t u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

void nfh_run_bytes(const uint8_t *data, size_t size)
{
    uint32_t rx_pending = 0, tx_pending = 0;
    while (size >= 1) {
        uint8_t op = data[0];
        size_t need = (op & 3) == 0 ? 9 : (op & 3) == 3 ? 4 : 2;
        if (size < need)
            break;
        if (op & 0x80)
            while (nheld > 0)
                uk_buf_free(held[--nheld]);
        hold_frames = (op & 0x40) != 0;
        switch (op & 3) {
        case 0: /* the backend writes an RX response */
            nfh_rx_respond(nf.rx_cons + rx_pending++, u16(data + 1),
                           u16(data + 3), u16(data + 5),
                           (int16_t)u16(data + 7));
            break;
        case 1: /* ... and publishes it (maybe with a runaway index) */
            nf.rx->h.rsp_prod = nf.rx_cons + rx_pending +
                                (data[1] > 250 ? 100000u * data[1] : 0);
            rx_pending = 0;
            uk__netfront_poll(&nf);
            break;
        case 2: { /* the guest sends a frame */
            size_t len = (size_t)data[1] + 1;
            struct uk_iov iov = {data, len < size ? len : size};
            (void)uk_network_sendv(&nf.net, &iov, 1);
            break;
        }
        case 3: /* the backend completes a TX request, right or wrong */
            nf.tx->ring[(nf.tx_cons + tx_pending++) % 256].rsp.id =
                u16(data + 1);
            nf.tx->ring[(nf.tx_cons + tx_pending - 1) % 256].rsp.status =
                (int16_t)(int8_t)data[3];
            nf.tx->h.rsp_prod = nf.tx_cons + tx_pending;
            tx_pending = 0;
            uk__netfront_poll(&nf);
            break;
        }
        if (nf.ntx_free > UK__NF_TX ||
            nfh_rx_in_flight() + (unsigned)nheld > UK__NF_RX)
            abort(); /* a slot was freed twice or lost */
        data += need;
        size -= need;
    }
}
