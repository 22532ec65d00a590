/*
 * probe.c - the appliance the tap interop tests run (tests/tap/test_NAME.sh): a
 * UDP echo server, and optionally a UDP client that sends to a peer on the
 * kernel's side until it answers (which proves our ARP resolved the
 * kernel's MAC).  UDP only, so it links no TCP.
 *
 *   --echo-port=PORT   echo datagrams on PORT (default 7)
 *   --peer=A.B.C.D:P   send "probe N" every 200 ms until a reply comes;
 *                      log "probe: reply from A.B.C.D:P"
 */
#include <string.h>

#include <uk/target.h>

#define PEER_PORT 4000 /* our source port towards the peer */

static struct {
    struct uk_console *con;
    struct uk_time *time;
    struct uk_udpv4 *udp;
    uint16_t echo_port;
    struct uk_ipv4_ep peer;
    bool has_peer, peer_answered;
    unsigned sent;
    struct uk_timer timer;
} P;

static void on_echo(void *arg, const struct uk_udpv4_info *info,
                    const void *data, size_t len)
{
    UK_UNUSED(arg);
    uk_udpv4_sendto(P.udp, P.echo_port, &info->src, data, len);
}

static void on_peer_reply(void *arg, const struct uk_udpv4_info *info,
                          const void *data, size_t len)
{
    char s[UK_IPV4_EP_STRLEN];
    UK_UNUSED(arg);
    if (P.peer_answered)
        return;
    P.peer_answered = true;
    uk_time_cancel(P.time, &P.timer);
    uk_console_printf(P.con, "probe: reply from %s: %.*s",
                      uk_ipv4_ep_format(&info->src, s),
                      (int)(len > 64 ? 64 : len), (const char *)data);
}

static void send_probe(void *arg)
{
    char msg[32];
    int n, rc;
    UK_UNUSED(arg);
    n = snprintf(msg, sizeof msg, "probe %u", P.sent++);
    rc = uk_udpv4_sendto(P.udp, PEER_PORT, &P.peer, msg, (size_t)n);
    if (rc != 0 && P.sent % 10 == 1)
        uk_console_printf(P.con, "probe: send: %s", uk_strerror(rc));
    uk_time_after(P.time, &P.timer, 200 * UK_NS_PER_MS, send_probe, NULL);
}

int uk_main(int argc, char **argv)
{
    const struct uk_opt opts[] = {
        {"echo-port", UK_OPT_PORT, &P.echo_port,
         "UDP port to echo on (default 7)", 0, 0, NULL},
        {"peer", UK_OPT_EP, &P.peer,
         "send probes to this endpoint until it answers", 0, 0,
         &P.has_peer},
        UK_OPT_END,
    };
    int rc;
    P.echo_port = 7;
    rc = uk_parse_options(opts, argc, argv);
    if (rc != UK_RUN)
        return rc;
    P.con = uk_default_console();
    P.time = uk_default_time();
    if (uk_default_udpv4(&P.udp) != 0)
        return 1;
    rc = uk_udpv4_listen(P.udp, P.echo_port, on_echo, NULL);
    if (rc == 0 && P.has_peer)
        rc = uk_udpv4_listen(P.udp, PEER_PORT, on_peer_reply, NULL);
    if (rc != 0) {
        uk_console_printf(P.con, "probe: cannot listen: %s", uk_strerror(rc));
        return 1;
    }
    uk_console_printf(P.con, "probe: echoing on UDP port %u",
                      (unsigned)P.echo_port);
    if (P.has_peer)
        uk_time_defer(P.time, &P.timer, send_probe, NULL);
    return UK_RUN;
}
