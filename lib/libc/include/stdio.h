/*
 * stdio.h - the part of <stdio.h> portable uk code may use: formatting into
 * memory only (no FILE, no I/O).
 */
#ifndef UK_LIBC_STDIO_H
#define UK_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...);
int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt,
              va_list ap);

#endif
