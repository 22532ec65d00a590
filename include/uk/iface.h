/*
 * uk/iface.h - the interface generator.
 *
 * Every OS component of uk is an interface: a list of methods declared once
 * as an X-macro, from which this header stamps out
 *
 *   struct T_ops   the method table (vtable), one function pointer a method;
 *   struct T       the object: a pointer to its ops, which every
 *                  implementation embeds as its FIRST member;
 *   T_method()     a static inline dispatch wrapper per method;
 *   T_has_method() for optional methods, whether the object implements it.
 *
 * A method list is a macro taking the object type T and three hooks:
 *
 *   M(T, R, name, params, args)        required method returning R
 *   V(T, name, params, args)           required method returning void
 *   O(T, R, name, params, args, dflt)  optional method returning R; the
 *                                      wrapper returns dflt when the ops
 *                                      table leaves it NULL
 *
 * `params` is the parenthesised parameter list, whose first parameter is
 * always `struct T *self`; `args` is the matching argument list.  C99 has no
 * `return f();` for void functions, hence the separate V hook.
 *
 * Interface inclusion (Mirage's `include DEVICE`): a list may expand another
 * list with its own T, so the included methods appear flat in the including
 * table, with the including type as self, and need no casts:
 *
 *   #define UK_FLOW_METHODS(T, M, V, O) ... methods of FLOW ...
 *   #define UK_CONSOLE_METHODS(T, M, V, O)  \
 *       UK_FLOW_METHODS(T, M, V, O)          \
 *       M(T, int, log, (struct T *self, const char *s, size_t n), (self, s, n))
 *   UK_INTERFACE(uk_console, UK_CONSOLE_METHODS)
 *
 * The same lists generate other things too (tests generate cmocka mocks and
 * name tables with UK_IFACE_NAMES), so those never drift from the
 * interface.
 */
#ifndef UK_IFACE_H
#define UK_IFACE_H

#include <stdbool.h>
#include <stddef.h>

#include <uk/err.h>

/* Method-table fields. */
#define UK__OPS_M(T, R, name, params, args) R(*name) params;
#define UK__OPS_V(T, name, params, args) void(*name) params;
#define UK__OPS_O(T, R, name, params, args, dflt) R(*name) params;

/* Dispatch wrappers. */
#define UK__WRAP_M(T, R, name, params, args)                                  \
    static inline R T##_##name params { return self->ops->name args; }
#define UK__WRAP_V(T, name, params, args)                                     \
    static inline void T##_##name params { self->ops->name args; }
#define UK__WRAP_O(T, R, name, params, args, dflt)                            \
    static inline R T##_##name params                                         \
    {                                                                         \
        return self->ops->name != NULL ? self->ops->name args : (dflt);       \
    }                                                                         \
    static inline bool T##_has_##name(const struct T *self)                   \
    {                                                                         \
        return self->ops->name != NULL;                                       \
    }

/*
 * UK_INTERFACE(T, METHODS) declares struct T_ops, struct T and the wrappers.
 * Use at file scope, once per interface, in the interface's header.
 */
#define UK_INTERFACE(T, METHODS)                                              \
    struct T;                                                                 \
    struct T##_ops {                                                          \
        METHODS(T, UK__OPS_M, UK__OPS_V, UK__OPS_O)                           \
    };                                                                        \
    struct T {                                                                \
        const struct T##_ops *ops;                                            \
    };                                                                        \
    METHODS(T, UK__WRAP_M, UK__WRAP_V, UK__WRAP_O)                            \
    struct T##_ops /* swallows the caller's semicolon */

/*
 * UK_IFACE_NAMES(T, METHODS, array): a static table of the method names, in
 * table order, for tracing and test diagnostics.  Other generators (mocks,
 * recorders) are written by passing their own three hooks to METHODS.
 */
#define UK__NAME_M(T, R, name, params, args) #name,
#define UK__NAME_V(T, name, params, args) #name,
#define UK__NAME_O(T, R, name, params, args, dflt) #name,
#define UK_IFACE_NAMES(T, METHODS, array)                                     \
    static const char *const array[] = {                                      \
        METHODS(T, UK__NAME_M, UK__NAME_V, UK__NAME_O)}

/*
 * UK_CONTAINER_OF(ptr, type, member): the object that embeds *ptr.  How an
 * implementation gets from the generic `self` back to its own state.
 */
#define UK_CONTAINER_OF(ptr, type, member)                                    \
    ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* Silence "unused" for parameters a particular implementation ignores. */
#define UK_UNUSED(x) ((void)(x))

#endif
