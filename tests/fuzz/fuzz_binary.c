/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the binary event form (src/kit/json_bin.c), see
 * README.md. For every input:
 *   - read as the binary form (itsm_event_binary_to_json): a refusal is
 *     ITSM_EPARSE or ITSM_ELIMIT with an offset inside the input; an
 *     accepted input is canonical, so its JSON converts back to exactly the
 *     input's bytes (one value, one binary form);
 *   - read as JSON (itsm_event_json_to_binary): an accepted document's
 *     binary form reads back to the same JSON the writer makes of it;
 *   - replayed (itsm_engine_replay) into a fresh engine: a binary input
 *     gives one of the codes a malformed or unknown event may give, and
 *     the engine stays usable (a live mutation still works).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "fuzz_binary: check failed: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                                \
        }                                                                           \
    } while (0)

static char *to_json(const void *bin, size_t n, size_t *len, int *rc, itsm_parse_error *err)
{
    *rc = itsm_event_binary_to_json(bin, n, NULL, 0, len, err);
    if ((*rc != ITSM_ELIMIT && *rc != ITSM_OK) || *len == 0)   /* *len 0: the input was refused */
        return NULL;
    char *out = malloc(*len + 1);
    CHECK(out);
    *rc = itsm_event_binary_to_json(bin, n, out, *len + 1, len, err);
    CHECK(*rc == ITSM_OK);
    return out;
}

static unsigned char *to_bin(const char *json, size_t n, size_t *len, int *rc)
{
    *rc = itsm_event_json_to_binary(json, n, NULL, 0, len, NULL);
    if ((*rc != ITSM_ELIMIT && *rc != ITSM_OK) || *len == 0)   /* *len 0: the input was refused */
        return NULL;
    unsigned char *out = malloc(*len ? *len : 1);
    CHECK(out);
    *rc = itsm_event_json_to_binary(json, n, out, *len, len, NULL);
    CHECK(*rc == ITSM_OK);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    itsm_parse_error err;
    size_t jl = 0, bl = 0;
    int rc;
    char *json = to_json(data, size, &jl, &rc, &err);
    if (!json) {
        CHECK(rc == ITSM_EPARSE || rc == ITSM_ELIMIT);
        CHECK(err.offset <= size && err.text[0]);
    } else {
        unsigned char *back = to_bin(json, jl, &bl, &rc);
        CHECK(back && bl == size && memcmp(back, data, size) == 0);
        free(back);
        free(json);
    }

    unsigned char *bin = to_bin((const char *)data, size, &bl, &rc);
    if (bin) {
        char *j1 = to_json(bin, bl, &jl, &rc, &err);
        CHECK(j1);
        size_t bl2 = 0;
        unsigned char *bin2 = to_bin(j1, jl, &bl2, &rc);
        CHECK(bin2 && bl2 == bl && memcmp(bin2, bin, bl) == 0);
        free(bin2);
        free(j1);
        free(bin);
    }

    if (size && data[0] == 0xE5) {
        itsm_engine *eng;
        CHECK(itsm_engine_new(&eng, NULL) == ITSM_OK);
        rc = itsm_engine_replay(eng, data, size, &err);
        CHECK(rc == ITSM_OK || rc == ITSM_EPARSE || rc == ITSM_ELIMIT || rc == ITSM_ENOTFOUND ||
              rc == ITSM_ECONFLICT);
        itsm_record *r;
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.id = "FUZZ-LIVE-1";
        CHECK(itsm_record_open(&r, eng, &o) == ITSM_OK);
        itsm_engine_free(eng);
    }
    return 0;
}
