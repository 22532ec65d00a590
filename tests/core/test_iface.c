/*
 * test_iface.c - the interface generator (uk/iface.h) and the mocks that
 * tests/support/uk_mock.h builds from real method lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uk/flow.h>
#include <uk/network.h>
#include <uk/udpv4.h>

#include "uk_mock.h"

/* A test interface: required, void and optional methods, and one included
 * list (a "base" that the "shape" interface includes). */
#define T_BASE_METHODS(T, M, V, O)                                            \
    M(T, int, base_id, (struct T * self), (self))                             \
    V(T, reset, (struct T * self, int to), (self, to))

#define T_SHAPE_METHODS(T, M, V, O)                                           \
    T_BASE_METHODS(T, M, V, O)                                                \
    M(T, long, area, (struct T * self, long scale), (self, scale))            \
    O(T, int, perimeter, (struct T * self, int *out), (self, out), UK_ENOTSUP)\
    O(T, const char *, label, (struct T * self), (self), "none")

UK_INTERFACE(t_shape, T_SHAPE_METHODS);
UK_IFACE_NAMES(t_shape, T_SHAPE_METHODS, shape_names);

/* An implementation: a square that embeds the interface object first. */
struct square {
    struct t_shape shape;
    long side;
    int resets;
};

static struct square *sq(struct t_shape *s)
{
    return UK_CONTAINER_OF(s, struct square, shape);
}

static int square_base_id(struct t_shape *s) { return (int)sq(s)->side; }

static void square_reset(struct t_shape *s, int to)
{
    sq(s)->side = to;
    sq(s)->resets++;
}

static long square_area(struct t_shape *s, long scale)
{
    return sq(s)->side * sq(s)->side * scale;
}

static int square_perimeter(struct t_shape *s, int *out)
{
    *out = (int)(4 * sq(s)->side);
    return 0;
}

static const char *square_label(struct t_shape *s)
{
    UK_UNUSED(s);
    return "square";
}

static const struct t_shape_ops square_full = {
    .base_id = square_base_id,
    .reset = square_reset,
    .area = square_area,
    .perimeter = square_perimeter,
    .label = square_label,
};

/* Only the required methods: the optional ones fall back to defaults. */
static const struct t_shape_ops square_minimal = {
    .base_id = square_base_id,
    .reset = square_reset,
    .area = square_area,
};

static void test_dispatch(void **state)
{
    struct square s = {{&square_full}, 3, 0};
    int per = 0;
    (void)state;
    assert_int_equal(t_shape_base_id(&s.shape), 3);
    assert_int_equal(t_shape_area(&s.shape, 2), 18);
    assert_int_equal(t_shape_perimeter(&s.shape, &per), 0);
    assert_int_equal(per, 12);
    assert_string_equal(t_shape_label(&s.shape), "square");
    t_shape_reset(&s.shape, 5);
    assert_int_equal(s.side, 5);
    assert_int_equal(s.resets, 1);
    assert_int_equal(t_shape_area(&s.shape, 1), 25);
    assert_ptr_equal(sq(&s.shape), &s);
}

static void test_optional_defaults(void **state)
{
    struct square full = {{&square_full}, 2, 0};
    struct square min = {{&square_minimal}, 2, 0};
    int per = -7;
    (void)state;
    assert_true(t_shape_has_perimeter(&full.shape));
    assert_true(t_shape_has_label(&full.shape));
    assert_false(t_shape_has_perimeter(&min.shape));
    assert_false(t_shape_has_label(&min.shape));
    /* The default is returned and the method is not called. */
    assert_int_equal(t_shape_perimeter(&min.shape, &per), UK_ENOTSUP);
    assert_int_equal(per, -7);
    assert_string_equal(t_shape_label(&min.shape), "none");
    /* Required methods still dispatch. */
    assert_int_equal(t_shape_area(&min.shape, 1), 4);
}

static void test_table_layout(void **state)
{
    (void)state;
    /* Included methods come first, flat, in list order. */
    assert_int_equal(offsetof(struct t_shape_ops, base_id), 0);
    assert_true(offsetof(struct t_shape_ops, reset) >
                offsetof(struct t_shape_ops, base_id));
    assert_true(offsetof(struct t_shape_ops, area) >
                offsetof(struct t_shape_ops, reset));
    assert_true(offsetof(struct t_shape_ops, label) >
                offsetof(struct t_shape_ops, perimeter));
    assert_int_equal(sizeof(struct t_shape), sizeof(void *));
    assert_int_equal(offsetof(struct t_shape, ops), 0);
}

static void test_names(void **state)
{
    static const char *const want[] = {"base_id", "reset", "area",
                                       "perimeter", "label"};
    size_t i;
    (void)state;
    assert_int_equal(sizeof shape_names / sizeof shape_names[0],
                     sizeof want / sizeof want[0]);
    assert_int_equal(sizeof shape_names / sizeof shape_names[0],
                     sizeof(struct t_shape_ops) / sizeof(void (*)(void)));
    for (i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(shape_names[i], want[i]);
}

UK_IFACE_NAMES(uk_flow, UK_FLOW_METHODS, flow_names);
UK_IFACE_NAMES(uk_udpv4, UK_UDPV4_METHODS, udpv4_names);

static void test_names_real(void **state)
{
    (void)state;
    assert_int_equal(sizeof flow_names / sizeof flow_names[0], 7);
    assert_string_equal(flow_names[0], "read");
    assert_string_equal(flow_names[6], "endpoints");
    /* DEVICE is spliced in first. */
    assert_int_equal(sizeof udpv4_names / sizeof udpv4_names[0], 5);
    assert_string_equal(udpv4_names[0], "id");
    assert_string_equal(udpv4_names[1], "disconnect");
    assert_string_equal(udpv4_names[4], "send");
}

/* ---- mocks generated from the real lists ---- */

UK_MOCK_DEFINE(uk_flow, UK_FLOW_METHODS);
UK_MOCK_DEFINE(uk_udpv4, UK_UDPV4_METHODS);
UK_MOCK_DEFINE(uk_network, UK_NETWORK_METHODS);

static int reset_fakes(void **state)
{
    (void)state;
    memset(&mock_uk_flow_fake, 0, sizeof mock_uk_flow_fake);
    memset(&mock_uk_udpv4_fake, 0, sizeof mock_uk_udpv4_fake);
    memset(&mock_uk_network_fake, 0, sizeof mock_uk_network_fake);
    return 0;
}

static void on_read(void *arg, int status, const void *data, size_t len)
{
    UK_UNUSED(arg);
    UK_UNUSED(status);
    UK_UNUSED(data);
    UK_UNUSED(len);
}

static void test_mock_flow(void **state)
{
    struct uk_flow *f = &mock_uk_flow;
    struct uk_ipv4_ep a, b;
    (void)state;
    /* Every method, optional ones included, is in the mock table. */
    assert_true(uk_flow_has_shutdown(f));
    assert_true(uk_flow_has_endpoints(f));

    /* Calls in the announced order, each returning the queued value. */
    expect_function_call(mock_uk_flow_read);
    will_return(mock_uk_flow_read, 0);
    expect_function_call(mock_uk_flow_read);
    will_return(mock_uk_flow_read, UK_EBUSY);
    expect_function_call(mock_uk_flow_writev);
    will_return(mock_uk_flow_writev, UK_EPIPE);
    expect_function_call(mock_uk_flow_endpoints);
    will_return(mock_uk_flow_endpoints, UK_ENOTSUP);
    assert_int_equal(uk_flow_read(f, on_read, NULL), 0);
    assert_int_equal(uk_flow_read(f, on_read, NULL), UK_EBUSY);
    /* The header's helper dispatches through writev. */
    assert_int_equal(uk_flow_write(f, "x", 1, NULL, NULL), UK_EPIPE);
    assert_int_equal(uk_flow_endpoints(f, &a, &b), UK_ENOTSUP);
}

/* A fake for one method: checks parameters and captures the callback. */
static uk_flow_read_cb captured_cb;
static void *captured_arg;

static int fake_read(struct uk_flow *self, uk_flow_read_cb cb, void *arg)
{
    check_expected_ptr(self);
    captured_cb = cb;
    captured_arg = arg;
    return mock_type(int);
}

static void test_mock_fake(void **state)
{
    struct uk_flow *f = &mock_uk_flow;
    int marker;
    (void)state;
    mock_uk_flow_fake.read = fake_read;
    expect_function_call(mock_uk_flow_read);
    expect_value(fake_read, self, f);
    will_return(fake_read, 0);
    assert_int_equal(uk_flow_read(f, on_read, &marker), 0);
    assert_ptr_equal(captured_cb, on_read);
    assert_ptr_equal(captured_arg, &marker);
    /* Methods without a fake still use will_return. */
    expect_function_call(mock_uk_flow_close);
    will_return(mock_uk_flow_close, UK_ECLOSED);
    assert_int_equal(uk_flow_close(f, NULL, NULL), UK_ECLOSED);
}

static const char *fake_id(struct uk_udpv4 *self)
{
    UK_UNUSED(self);
    return "fake-udp";
}

static void test_mock_udpv4(void **state)
{
    struct uk_udpv4 *u = &mock_uk_udpv4;
    struct uk_ipv4_ep dst = {{0x7f000001u}, 53};
    (void)state;
    /* Included DEVICE methods are mocked too, pointer returns included. */
    expect_function_call(mock_uk_udpv4_id);
    will_return(mock_uk_udpv4_id, "udp0");
    assert_string_equal(uk_udpv4_id(u), "udp0");
    expect_function_call(mock_uk_udpv4_disconnect); /* void: no value */
    uk_udpv4_disconnect(u, NULL, NULL);
    mock_uk_udpv4_fake.id = fake_id;
    expect_function_call(mock_uk_udpv4_id);
    assert_string_equal(uk_udpv4_id(u), "fake-udp");

    /* ignore_function_calls accepts any number of calls. */
    ignore_function_calls(mock_uk_udpv4_send);
    will_return_always(mock_uk_udpv4_send, UK_ENOBUFS);
    assert_int_equal(uk_udpv4_sendto(u, 1000, &dst, "q", 1), UK_ENOBUFS);
    assert_int_equal(uk_udpv4_sendto(u, 1000, &dst, "q", 1), UK_ENOBUFS);
    assert_int_equal(uk_udpv4_sendto(u, 1000, &dst, "q", 1), UK_ENOBUFS);
}

static struct uk_mac fake_mac_value = {{2, 0, 0, 0, 0, 7}};

static void fake_mac(struct uk_network *self, struct uk_mac *out)
{
    UK_UNUSED(self);
    *out = fake_mac_value;
}

static void test_mock_network(void **state)
{
    struct uk_network *n = &mock_uk_network;
    struct uk_mac m = {{0, 0, 0, 0, 0, 0}};
    struct uk_buf *out = NULL;
    (void)state;
    expect_function_call(mock_uk_network_mtu);
    will_return(mock_uk_network_mtu, 1500);
    expect_function_call(mock_uk_network_alloc);
    will_return(mock_uk_network_alloc, UK_ENOBUFS);
    expect_function_call(mock_uk_network_mac);
    assert_int_equal(uk_network_mtu(n), 1500);
    assert_int_equal(uk_network_alloc(n, 14, 100, &out), UK_ENOBUFS);
    assert_null(out);
    mock_uk_network_fake.mac = fake_mac; /* a void fake */
    uk_network_mac(n, &m);
    assert_true(uk_mac_eq(&m, &fake_mac_value));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch),
        cmocka_unit_test(test_optional_defaults),
        cmocka_unit_test(test_table_layout),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_names_real),
        cmocka_unit_test_setup(test_mock_flow, reset_fakes),
        cmocka_unit_test_setup(test_mock_fake, reset_fakes),
        cmocka_unit_test_setup(test_mock_udpv4, reset_fakes),
        cmocka_unit_test_setup(test_mock_network, reset_fakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
