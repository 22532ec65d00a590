/*
 * wrap.c - the fault shim (--faults) and the pcap writer (--pcap) around
 * the tap device: tap -> faults -> pcap -> stack, so the capture shows the
 * frames as the stack saw and sent them.
 *
 * --faults takes the lib/tcpip syntax (uk/tcpip/faults.h) with one
 * addition: a probability without '%' is a fraction, so "drop=0.1" means
 * 10% and "drop=3%" means 3%.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <uk/target.h>
#include <uk/tcpip/faults.h>
#include <uk/tcpip/pcap.h>
#include <uk/unix.h>

#include "internal.h"
#include "wrap.h"

#define SPEC_MAX 256

static struct uk_faults F;
static struct uk_pcap P;
static int pcap_fd = -1;

static bool is_probability(const char *k, size_t n)
{
    static const char *const keys[] = {"drop", "corrupt", "dup", "delay",
                                       "reorder"};
    size_t i;
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
            return true;
    return false;
}

/* "0.1" -> "10.0000%"; false if v is not a fraction in [0, 1] with at
 * most 6 decimals. */
static bool fraction_to_percent(const char *v, size_t n, char *out,
                                size_t cap)
{
    unsigned long whole, ppm = 0;
    size_t i = 0, dec = 0;
    if (n == 0 || v[0] < '0' || v[0] > '1')
        return false;
    whole = (unsigned long)(v[i++] - '0');
    if (i < n) {
        if (v[i++] != '.' || i == n)
            return false;
        for (; i < n; i++, dec++) {
            if (v[i] < '0' || v[i] > '9' || dec == 6)
                return false;
            ppm = ppm * 10 + (unsigned long)(v[i] - '0');
        }
    }
    while (dec++ < 6)
        ppm *= 10;
    ppm += whole * 1000000ul;
    if (ppm > 1000000ul)
        return false;
    return snprintf(out, cap, "%lu.%04lu%%", ppm / 10000, ppm % 10000) <
           (int)cap;
}

/* Rewrites the fractions of spec as percentages into out. */
static int normalise(const char *spec, char *out, size_t cap)
{
    size_t pos = 0, o = 0, n = strlen(spec);
    while (pos <= n) {
        size_t end = pos, eq;
        char val[32];
        const char *v;
        size_t vn;
        while (end < n && spec[end] != ',')
            end++;
        for (eq = pos; eq < end && spec[eq] != '='; eq++)
            ;
        v = spec + eq + 1;
        vn = eq < end ? end - eq - 1 : 0;
        if (eq < end && is_probability(spec + pos, eq - pos) && vn > 0 &&
            v[vn - 1] != '%') {
            if (!fraction_to_percent(v, vn, val, sizeof val))
                return UK_EINVAL;
            v = val;
            vn = strlen(val);
        }
        if (o + (eq - pos) + 1 + vn + 2 > cap)
            return UK_EINVAL;
        if (o > 0)
            out[o++] = ',';
        memcpy(out + o, spec + pos, eq - pos);
        o += eq - pos;
        if (eq < end) {
            out[o++] = '=';
            memcpy(out + o, v, vn);
            o += vn;
        }
        pos = end + 1;
    }
    out[o] = '\0';
    return 0;
}

static int wrap_faults(struct uk_network **dev)
{
    struct uk_faults_config cfg;
    char spec[SPEC_MAX];
    int rc;
    if (normalise(uk__tap_opts.faults, spec, sizeof spec) != 0 ||
        uk_faults_parse(spec, strlen(spec), &cfg) != 0) {
        uk_unix_errorf("--faults: '%.80s' is not a fault list such as "
                       "drop=0.1,dup=0.01,reorder=2%%,corrupt=0.001,"
                       "delay=0.05,delay_ms=20,seed=7",
                       uk__tap_opts.faults);
        return UK_EINVAL;
    }
    rc = uk_faults_init(&F, *dev, uk_default_time(), &cfg);
    if (rc != 0) {
        uk_unix_errorf("--faults: %s", uk_strerror(rc));
        return rc;
    }
    uk_console_printf(uk_default_console(), "tap: injecting faults: %s",
                      spec);
    *dev = &F.base;
    return 0;
}

/* The pcap sink: appends to the file with write(2), so the capture is
 * complete whenever the process stops. */
static int file_sink(void *arg, const void *data, size_t len)
{
    const char *p = (const char *)data;
    UK_UNUSED(arg);
    while (len > 0) {
        ssize_t w = write(pcap_fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? uk_unix_error(errno) : UK_EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int wrap_pcap(struct uk_network **dev)
{
    int rc;
    pcap_fd = open(uk__tap_opts.pcap, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                   0644);
    if (pcap_fd < 0) {
        uk_unix_errorf("--pcap: cannot create %s: %s", uk__tap_opts.pcap,
                       strerror(errno));
        return uk_unix_error(errno);
    }
    rc = uk_pcap_init(&P, *dev, uk_default_clock(), file_sink, NULL, 0);
    if (rc != 0) {
        uk_unix_errorf("--pcap: cannot write %s: %s", uk__tap_opts.pcap,
                       uk_strerror(rc));
        close(pcap_fd);
        pcap_fd = -1;
        return rc;
    }
    *dev = &P.base;
    return 0;
}

int uk__tap_wrap(struct uk_network **dev)
{
    int rc = 0;
    if (uk__tap_opts.faults != NULL)
        rc = wrap_faults(dev);
    if (rc == 0 && uk__tap_opts.pcap != NULL)
        rc = wrap_pcap(dev);
    return rc;
}
