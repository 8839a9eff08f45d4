/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the scenario runner's statement parser
 * (tools/scenario/parse.c): the tokenizer (quotes, escapes, key=value) and
 * the value readers (integers, durations, times, booleans). Each input line
 * is tokenized; every token is then read as each kind of value. A refusal
 * must leave a message in the runner; nothing may crash or read out of
 * bounds.
 *
 * fuzz-build: -Itools/scenario tools/scenario/parse.c
 */
#include "runner.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    runner r;
    memset(&r, 0, sizeof r);
    r.file = "fuzz.itsm";
    for (char *line = text; line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        r.line++;
        tok toks[RUN_MAX_TOKENS];
        r.err[0] = '\0';
        int n = run_tokenize(&r, line, toks, RUN_MAX_TOKENS);
        if (n < 0 && r.err[0] == '\0')
            abort();   /* a refusal always says why */
        for (int i = 0; i < n; i++) {
            int64_t v;
            itsm_time t;
            int b;
            char out[32];
            if (!toks[i].text)
                abort();
            (void)run_parse_int(&r, toks[i].text, &v, "value");
            (void)run_parse_duration(&r, toks[i].text, &v, "duration");
            if (run_parse_time(&r, toks[i].text, &t, "time") == 0)
                run_format_time(t, out);
            (void)run_parse_bool(&r, toks[i].text, &b, "flag");
        }
        line = end ? end + 1 : NULL;
    }
    free(text);
    return 0;
}
