/*
 * kvd_fuzz.c - libFuzzer target of the kvd example's command parser
 * (examples/kvd/proto.h): the input is one command line.  Checked: a
 * parsed key follows the key rule (or is the root, for LIST only), a SET's
 * value lies inside the line, LOG's count is within KVD_LOG_MAX, and a
 * failure names its reason.  tests/kvd/test_kvd_proto.c runs it on
 * pseudo-random lines in CI.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/err.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct kvd_cmd cmd;
    const char *why = NULL;
    int rc = kvd_parse(data, size, &cmd, &why);
    if (rc != 0) {
        check(rc == UK_EINVAL && why != NULL && why[0] != '\0');
        return 0;
    }
    switch (cmd.op) {
    case KVD_SET:
        check(cmd.val >= data && cmd.val + cmd.val_len == data + size);
        /* fall through */
    case KVD_DEL:
    case KVD_GET:
    case KVD_GETAT:
        check(cmd.key[0] != '\0' && uk_kv_key_check(cmd.key) == 0);
        break;
    case KVD_LIST:
        check(cmd.key[0] == '\0' || uk_kv_key_check(cmd.key) == 0);
        break;
    case KVD_LOG:
        check(cmd.n <= KVD_LOG_MAX);
        break;
    case KVD_HELP:
    case KVD_QUIT:
        break;
    default:
        check(0);
    }
    return 0;
}
