/*
 * assert.h - assert() for freestanding uk builds.  A failed assertion calls
 * uk_libc_assert_fail(), which the target defines (it logs and halts).
 * Like the standard header it may be included repeatedly, and honours
 * NDEBUG at each inclusion.
 */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e)                                                             \
    ((e) ? (void)0 : uk_libc_assert_fail(#e, __FILE__, __LINE__))
#endif

#ifndef UK_LIBC_ASSERT_H
#define UK_LIBC_ASSERT_H
void uk_libc_assert_fail(const char *expr, const char *file, int line);
#endif
