/*
 * kvstore.h - the kvstore example: a small command-line key/value tool
 * over a KV_RW store (uk/kv_rw.h), written against CONSOLE and KV_RW only.
 *
 * kvstore_run(con, kv, act, done): performs, in order, the commit of
 * act->set/act->del (one commit holding both), then act->get, the listing
 * of act->list and the history (act->log commits, newest first), printing
 * each result as a line on con; then done(status), 0 or the first error.
 * act, con and kv are BORROWED until done runs.
 */
#ifndef KVSTORE_H
#define KVSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include <uk/console.h>
#include <uk/kv_rw.h>

struct kvstore_actions {
    const char *set, *value; /* put set := value (value "" if NULL) */
    const char *del;         /* delete */
    const char *get;         /* print the value */
    const char *list;        /* print a directory ("" the root) */
    unsigned long log;       /* print the last `log` commits */
    const char *msg;         /* the commit message */
    int64_t time_s;          /* the commit time */
};

void kvstore_run(struct uk_console *con, struct uk_kv_rw *kv,
                 const struct kvstore_actions *act,
                 void (*done)(int status));

#endif
