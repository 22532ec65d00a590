/*
 * uk_mock.h - cmocka mocks generated from an interface's own method list,
 * so a mock can never drift from the interface it stands in for.
 *
 *   #include <uk/flow.h>
 *   #include "uk_mock.h"
 *   UK_MOCK_DEFINE(uk_flow, UK_FLOW_METHODS);
 *
 * defines, all `static` in the including file:
 *
 *   R mock_uk_flow_<method>(params)   one per method (required, void and
 *                                     optional alike), same prototype as
 *                                     the ops field;
 *   const struct uk_flow_ops mock_uk_flow_ops
 *                                     a table with every method mocked;
 *   struct uk_flow_ops mock_uk_flow_fake
 *                                     per-method fakes, all NULL at start
 *                                     (see "Fakes" below);
 *   struct uk_flow mock_uk_flow       an object using mock_uk_flow_ops.
 *
 * What each generated mock does, in order:
 *
 *   1. function_called(): the test must announce the call with
 *      expect_function_call(mock_uk_flow_read) (or expect_function_calls,
 *      or ignore_function_calls to accept any number in any order).
 *      Unexpected calls, calls out of the announced order and announced
 *      calls that never happen fail the test.
 *   2. If mock_uk_flow_fake.<method> is set, calls it with the same
 *      arguments and returns what it returns.
 *   3. Otherwise returns mock_type(R): the test queues the value with
 *      will_return(mock_uk_flow_read, 0) (will_return_always, ...).  Void
 *      methods return nothing and consume no value.
 *
 * Fakes.  Checking a parameter generically (check_expected on each) would
 * need the parameter list split into names, which a C99 macro cannot do
 * without __VA_ARGS__ counting tricks, and cmocka's check_expected cannot
 * take the struct-by-value parameters some interfaces have.  So parameter
 * checks and side effects (capturing a read callback to complete it later,
 * copying a sent frame) go in a fake: an ordinary function with the
 * method's prototype, installed for one method, e.g.
 *
 *   static int fake_read(struct uk_flow *self, uk_flow_read_cb cb,
 *                        void *arg) { check_expected_ptr(cb); ...
 *                                     return mock_type(int); }
 *   mock_uk_flow_fake.read = fake_read;
 *
 * (check_expected/mock_type inside a fake are keyed by the fake's own
 * name: expect_value(fake_read, ...), will_return(fake_read, ...).)
 * Reset fakes between tests with memset(&mock_uk_flow_fake, 0, ...), e.g.
 * in a cmocka setup function: the generated objects are per file, not per
 * test.
 *
 * Return types must be scalars (integers or pointers): mock_type() casts
 * cmocka's integer value to R.  The macro may be used once per interface
 * and file; its unused parts draw no warnings.
 *
 * Includes <cmocka.h> (with the headers it needs first) itself.
 */
#ifndef UK_TEST_MOCK_H
#define UK_TEST_MOCK_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <uk/iface.h>

#if defined(__GNUC__)
#define UK__MOCK_UNUSED __attribute__((unused))
#else
#define UK__MOCK_UNUSED
#endif

/* One mock function per method. */
#define UK__MOCK_M(T, R, name, params, args)                                  \
    static R mock_##T##_##name params                                         \
    {                                                                         \
        function_called();                                                    \
        if (mock_##T##_fake.name != NULL)                                     \
            return mock_##T##_fake.name args;                                 \
        return mock_type(R);                                                  \
    }
#define UK__MOCK_V(T, name, params, args)                                     \
    static void mock_##T##_##name params                                      \
    {                                                                         \
        function_called();                                                    \
        if (mock_##T##_fake.name != NULL)                                     \
            mock_##T##_fake.name args;                                        \
    }
#define UK__MOCK_O(T, R, name, params, args, dflt)                            \
    UK__MOCK_M(T, R, name, params, args)

/* Designated initialisers of the mock table. */
#define UK__MOCK_INIT_M(T, R, name, params, args) .name = mock_##T##_##name,
#define UK__MOCK_INIT_V(T, name, params, args) .name = mock_##T##_##name,
#define UK__MOCK_INIT_O(T, R, name, params, args, dflt)                       \
    .name = mock_##T##_##name,

/*
 * UK_MOCK_DEFINE(T, METHODS): the mocks of interface T from its method list
 * METHODS (e.g. uk_udpv4, UK_UDPV4_METHODS).  File scope; ends with the
 * caller's semicolon.
 */
#define UK_MOCK_DEFINE(T, METHODS)                                            \
    static UK__MOCK_UNUSED struct T##_ops mock_##T##_fake;                    \
    METHODS(T, UK__MOCK_M, UK__MOCK_V, UK__MOCK_O)                            \
    static UK__MOCK_UNUSED const struct T##_ops mock_##T##_ops = {            \
        METHODS(T, UK__MOCK_INIT_M, UK__MOCK_INIT_V, UK__MOCK_INIT_O)};       \
    static UK__MOCK_UNUSED struct T mock_##T = {&mock_##T##_ops}

#endif
