/* internal.h - what the two halves of uk_stream share. */
#ifndef UK_STREAM_INTERNAL_H
#define UK_STREAM_INTERNAL_H

#include <uk/stream.h>

/* The read side's part of uk_stream_fini (read.c). */
void uk__stream_read_fini(struct uk_stream *s);

#endif
