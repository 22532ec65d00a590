/*
 * test_query.c - the query parser (uk/dns_query.h) on table vectors:
 * what is dropped, what gets FORMERR / NOTIMP / REFUSED, EDNS0 fields,
 * compression pointers (valid, looping, forward, out of the message).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uk/dns_query.h>
#include <uk/err.h>

/* Header: id 0xabcd, the given flags, counts qd an ns ar. */
#define HDR(f1, f2, qd, an, ns, ar)                                           \
    "\xab\xcd" f1 f2 "\0" qd "\0" an "\0" ns "\0" ar
#define WWW "\3www\7example\3com\0"
#define QA "\0\1\0\1"
#define OPT(size_hi, size_lo, ver, dobyte)                                    \
    "\0\0\x29" size_hi size_lo "\0" ver dobyte "\0"                           \
    "\0\0"

struct vec {
    const char *what;
    const char *msg;
    size_t len;
    int rc;    /* parse return */
    int rcode; /* when rc == 0 */
};

#define V(what, msg, rc, rcode)                                               \
    {                                                                         \
        what, msg, sizeof(msg) - 1, rc, rcode                                 \
    }

static const struct vec vecs[] = {
    V("ok", HDR("\1", "\0", "\1", "\0", "\0", "\0") WWW QA, 0, 0),
    V("short header", "\xab\xcd\0\0\0\1\0", UK_EPROTO, 0),
    V("empty", "", UK_EPROTO, 0),
    V("a response", HDR("\x80", "\0", "\1", "\0", "\0", "\0") WWW QA,
      UK_EPROTO, 0),
    V("header only", HDR("\0", "\0", "\1", "\0", "\0", "\0"), 0,
      UK_DNS_FORMERR),
    V("qdcount 0", HDR("\0", "\0", "\0", "\0", "\0", "\0"), 0, UK_DNS_FORMERR),
    V("qdcount 2", HDR("\0", "\0", "\2", "\0", "\0", "\0") WWW QA WWW QA, 0,
      UK_DNS_FORMERR),
    V("ancount 1", HDR("\0", "\0", "\1", "\1", "\0", "\0") WWW QA, 0,
      UK_DNS_FORMERR),
    V("arcount past the end", HDR("\0", "\0", "\1", "\0", "\0", "\x10") WWW QA,
      0, UK_DNS_FORMERR),
    V("question cut", HDR("\0", "\0", "\1", "\0", "\0", "\0") WWW "\0\1", 0,
      UK_DNS_FORMERR),
    V("name cut", HDR("\0", "\0", "\1", "\0", "\0", "\0") "\3www\7exa", 0,
      UK_DNS_FORMERR),
    V("pointer to itself",
      HDR("\0", "\0", "\1", "\0", "\0", "\0") "\xc0\x0c" QA, 0,
      UK_DNS_FORMERR),
    V("pointer forward",
      HDR("\0", "\0", "\1", "\0", "\0", "\0") "\xc0\x10" QA "\0", 0,
      UK_DNS_FORMERR),
    V("pointer past the end",
      HDR("\0", "\0", "\1", "\0", "\0", "\0") "\xff\xff" QA, 0,
      UK_DNS_FORMERR),
    V("label type 0x40",
      HDR("\0", "\0", "\1", "\0", "\0", "\0") "\x41"
                                              "a\0" QA,
      0, UK_DNS_FORMERR),
    V("opcode UPDATE", HDR("\x28", "\0", "\1", "\0", "\0", "\0") WWW QA, 0,
      UK_DNS_NOTIMP),
    V("opcode NOTIFY", HDR("\x20", "\0", "\1", "\0", "\0", "\0") WWW QA, 0,
      UK_DNS_REFUSED),
    V("two OPT",
      HDR("\0", "\0", "\1", "\0", "\0", "\2")
          WWW QA OPT("\4", "\0", "\0", "\0") OPT("\4", "\0", "\0", "\0"),
      0, UK_DNS_FORMERR),
    V("OPT not at the root",
      HDR("\0", "\0", "\1", "\0", "\0", "\1") WWW QA
      "\1a" OPT("\4", "\0", "\0", "\0"),
      0, UK_DNS_FORMERR),
    V("OPT option overruns",
      HDR("\0", "\0", "\1", "\0", "\0", "\1") WWW QA "\0\0\x29\4\0\0\0\0\0\0\6"
                                                     "\0\x0a\0\x09\1\2",
      0, UK_DNS_FORMERR),
    V("trailing bytes ignored",
      HDR("\0", "\0", "\1", "\0", "\0", "\0") WWW QA "junk", 0, 0),
};

static void test_vectors(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        struct uk_dns_query q;
        int rc =
            uk_dns_query_parse((const uint8_t *)vecs[i].msg, vecs[i].len, &q);
        printf("# %s\n", vecs[i].what);
        assert_int_equal(rc, vecs[i].rc);
        if (rc == 0) {
            assert_int_equal(q.rcode, vecs[i].rcode);
            assert_int_equal(q.id, 0xabcd);
        }
    }
}

static void test_fields(void **state)
{
    static const char msg[] =
        HDR("\1", "\0", "\1", "\0", "\0", "\1") "\3WwW\7example\3com\0"
                                                "\0\x1c\0\1" OPT("\x10", "\0",
                                                                 "\0", "\x80");
    struct uk_dns_query q;
    (void)state;
    assert_int_equal(
        uk_dns_query_parse((const uint8_t *)msg, sizeof msg - 1, &q), 0);
    assert_int_equal(q.rcode, 0);
    assert_int_equal(q.flags, 0x0100);
    assert_int_equal(q.qtype, 28);
    assert_int_equal(q.qclass, 1);
    assert_int_equal(q.qname_len, 17);
    assert_memory_equal(q.qname, "\3WwW\7example\3com\0", 17);
    assert_memory_equal(q.lname, "\3www\7example\3com\0", 17);
    assert_true(q.edns);
    assert_int_equal(q.edns_udp_size, 4096);
    assert_int_equal(q.edns_version, 0);
    assert_int_equal(q.edns_flags, 0x8000);
}

static void test_small_edns_and_version(void **state)
{
    static const char msg[] = HDR("\0", "\0", "\1", "\0", "\0", "\1") WWW QA
        "\0\0\x29\0\x10\0\2\0\0\0\0";
    struct uk_dns_query q;
    (void)state;
    assert_int_equal(
        uk_dns_query_parse((const uint8_t *)msg, sizeof msg - 1, &q), 0);
    assert_true(q.edns);
    assert_int_equal(q.edns_udp_size, 512); /* 16 means 512 */
    assert_int_equal(q.edns_version, 2);
}

static void test_unpack(void **state)
{
    /* "example.com" at 12, then "www" + pointer to 12, then a pointer
     * chain 31 -> 29 -> 12 */
    static const uint8_t m[] = "\0\0\0\0\0\0\0\0\0\0\0\0"
                               "\7example\3com\0"
                               "\3www\xc0\x0c"
                               "\xc0\x19"
                               "\xc0\x1d";
    uint8_t out[UK_DNS_NAME_MAX];
    size_t n, next;
    (void)state;
    assert_int_equal(uk_dns_name_unpack(m, sizeof m - 1, 25, out, &n, &next),
                     0);
    assert_int_equal(n, 17);
    assert_memory_equal(out, "\3www\7example\3com\0", 17);
    assert_int_equal(next, 31);
    assert_int_equal(uk_dns_name_unpack(m, sizeof m - 1, 31, out, &n, &next),
                     0);
    assert_int_equal(n, 17);
    assert_int_equal(next, 33);
    /* 33 -> 29 -> 12: a chain of pointers, each going backwards */
    assert_int_equal(uk_dns_name_unpack(m, sizeof m - 1, 33, out, &n, &next),
                     0);
    assert_int_equal(n, 13);
    /* a pointer to itself, or forward */
    assert_int_equal(uk_dns_name_unpack(m, sizeof m - 1, 29, out, &n, &next),
                     0);
    assert_int_equal(
        uk_dns_name_unpack((const uint8_t *)"\xc0\0", 2, 0, out, &n, &next),
        UK_EPROTO);
    assert_int_equal(
        uk_dns_name_unpack((const uint8_t *)"\xc0\2\0", 3, 0, out, &n, &next),
        UK_EPROTO);
}

/* Names made of a label and a pointer to the name before, `depth` deep:
 * each hop goes backwards, so decoding ends; 126 hops make a 255-byte
 * name, 127 one too long. */
static int chain(int depth, size_t *n)
{
    uint8_t m[12 + 3 + 4 * 200];
    uint8_t out[UK_DNS_NAME_MAX];
    size_t next, pos = 15, prev = 12;
    int i;
    memset(m, 0, sizeof m);
    memcpy(m + 12, "\1a\0", 3);
    for (i = 0; i < depth; i++) {
        m[pos] = 1;
        m[pos + 1] = 'b';
        m[pos + 2] = (uint8_t)(0xc0 | prev >> 8);
        m[pos + 3] = (uint8_t)prev;
        prev = pos;
        pos += 4;
    }
    return uk_dns_name_unpack(m, pos, prev, out, n, &next);
}

static void test_pointer_chain(void **state)
{
    size_t n = 0;
    (void)state;
    assert_int_equal(chain(126, &n), 0);
    assert_int_equal(n, 255);
    assert_int_equal(chain(127, &n), UK_EPROTO);
    assert_int_equal(chain(200, &n), UK_EPROTO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_small_edns_and_version),
        cmocka_unit_test(test_unpack),
        cmocka_unit_test(test_pointer_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
