/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON the user documentation prints, read by the library as a reader
 * of the docs would feed it:
 *   - every event line of docs/events.md is an event in its stored form
 *     (itsm_event_json_to_binary takes it, and gives it back byte for byte);
 *   - the packet of docs/handover.md parses, and the writer gives it back
 *     with every member, in the order printed ("the writer always emits
 *     every member below, in this order");
 *   - every policy example of docs/policy.md, docs/service-levels.md,
 *     docs/oncall.md, docs/recurrence.md and docs/requests.md is a valid
 *     document or member (a member is read inside a document with the
 *     default lifecycles, which its conditions name); an example that
 *     elides with "..." is left out;
 *   - every block docs/policy.md introduces as "Default:" is what the
 *     default policy writes for that member.
 * The documents are read from the source tree at run time, so an example
 * edited into something the library refuses fails here. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOCS ITSM_TEST_DATA "/../../docs/"

typedef struct block { char *text; size_t len; int line; char before[256]; } block;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* The ```json blocks of `doc`, each with the last non-blank line before it.
 * Returns the count; *out is malloc'd, each text too. */
static size_t json_blocks(const char *doc, block **out)
{
    char *s = slurp(doc);
    size_t n = 0, cap = 8;
    block *b = calloc(cap, sizeof *b);
    char prev[256] = "";
    int line = 0, in = 0;
    char *p = s;
    while (*p) {
        char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        line++;
        if (!in && len == 7 && strncmp(p, "```json", 7) == 0) {
            if (n == cap)
                b = realloc(b, (cap *= 2) * sizeof *b);
            memset(&b[n], 0, sizeof b[n]);
            b[n].line = line + 1;
            snprintf(b[n].before, sizeof b[n].before, "%s", prev);
            b[n].text = calloc(1, strlen(s) + 1);
            in = 1;
        } else if (in && len >= 3 && strncmp(p, "```", 3) == 0) {
            n++;
            in = 0;
        } else if (in) {
            memcpy(b[n].text + b[n].len, p, len);
            b[n].len += len;
            b[n].text[b[n].len++] = '\n';
        } else if (len > 0) {
            snprintf(prev, sizeof prev, "%.*s", (int)len, p);
        }
        p = e ? e + 1 : p + len;
    }
    free(s);
    *out = b;
    return n;
}

static void free_blocks(block *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(b[i].text);
    free(b);
}

/* `s` without the white space outside its strings. */
static char *squeeze(const char *s)
{
    char *o = malloc(strlen(s) + 1), *w = o;
    int str = 0;
    for (; *s; s++) {
        if (str) {
            *w++ = *s;
            if (*s == '\\' && s[1])
                *w++ = *++s;
            else if (*s == '"')
                str = 0;
        } else if (*s == '"') {
            *w++ = *s;
            str = 1;
        } else if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
            *w++ = *s;
        }
    }
    *w = '\0';
    return o;
}

static char *policy_json(const itsm_policy *p)
{
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    return doc;
}

/* The default policy's "lifecycles" member, as written. */
static char *default_lifecycles(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *doc = policy_json(p);
    itsm_policy_free(p);
    char *at = strstr(doc, "\"lifecycles\":");
    assert_non_null(at);
    char *q = strchr(at, '{');
    int depth = 0, str = 0;
    for (; *q; q++) {
        if (str) {
            if (*q == '\\')
                q++;
            else if (*q == '"')
                str = 0;
        } else if (*q == '"') {
            str = 1;
        } else if (*q == '{') {
            depth++;
        } else if (*q == '}' && --depth == 0) {
            break;
        }
    }
    size_t n = (size_t)(q + 1 - at);
    char *m = malloc(n + 1);
    memcpy(m, at, n);
    m[n] = '\0';
    free(doc);
    return m;
}

/* ---- events.md ------------------------------------------------------------- */

static void every_event_docs_events_shows_is_a_stored_event(void **state)
{
    (void)state;
    block *b;
    size_t n = json_blocks(DOCS "events.md", &b);
    assert_true(n >= 20);
    size_t events = 0;
    for (size_t i = 0; i < n; i++) {
        char *line = b[i].text;
        int ln = b[i].line;
        while (*line) {
            char *e = strchr(line, '\n');
            *e = '\0';
            size_t len = strlen(line);
            if (len) {
                static unsigned char bin[1 << 16];
                static char back[1 << 16];
                size_t blen = 0, jlen = 0;
                itsm_parse_error err;
                int rc = itsm_event_json_to_binary(line, len, bin, sizeof bin, &blen, &err);
                if (rc)
                    fail_msg("docs/events.md:%d: %s %s", ln, itsm_errname(rc), err.text);
                assert_ok(itsm_event_binary_to_json(bin, blen, back, sizeof back, &jlen, &err));
                if (jlen != len || memcmp(back, line, len))
                    fail_msg("docs/events.md:%d: written back as\n%s", ln, back);
                events++;
            }
            line = e + 1;
            ln++;
        }
    }
    assert_true(events >= 40);
    free_blocks(b, n);
}

/* ---- handover.md ----------------------------------------------------------- */

static void the_packet_docs_handover_shows_is_written_back_member_for_member(void **state)
{
    (void)state;
    block *b;
    size_t n = json_blocks(DOCS "handover.md", &b);
    assert_int_equal(n, 1);
    itsm_packet *pkt;
    itsm_parse_error err;
    int rc = itsm_packet_from_json(&pkt, b[0].text, b[0].len, NULL, NULL, &err);
    if (rc)
        fail_msg("docs/handover.md:%zu: %s %s", b[0].line + err.line - 1, itsm_errname(rc), err.text);
    size_t len = 0;
    assert_int_equal(itsm_packet_to_json(pkt, NULL, 0, &len), ITSM_ELIMIT);
    char *out = malloc(len + 1);
    assert_ok(itsm_packet_to_json(pkt, out, len + 1, &len));
    char *want = squeeze(b[0].text);
    assert_string_equal(out, want);
    free(want);
    free(out);
    itsm_packet_free(pkt);
    free_blocks(b, n);
}

/* ---- policy examples ------------------------------------------------------- */

static int read_example(const char *doc, const block *b, const char *lifecycles, itsm_parse_error *err)
{
    const char *t = b->text;
    while (*t == ' ' || *t == '\n')
        t++;
    size_t cap = b->len + strlen(lifecycles) + 128;
    char *d = malloc(cap);
    if (*t == '{' && strstr(t, "\"itsm_policy\""))
        snprintf(d, cap, "%s", t);                           /* a whole document */
    else if (*t == '{')                                       /* a catalogue item */
        snprintf(d, cap, "{\"itsm_policy\":1,%s,\"fulfilment\":{\"catalogue\":[%s]}}", lifecycles, t);
    else if (strstr(t, "\"lifecycles\""))
        snprintf(d, cap, "{\"itsm_policy\":1,%s}", t);
    else
        snprintf(d, cap, "{\"itsm_policy\":1,%s,%s}", lifecycles, t);
    itsm_policy *p = NULL;
    int rc = itsm_policy_parse_json(&p, d, strlen(d), NULL, NULL, err);
    if (rc == ITSM_OK)
        itsm_policy_free(p);
    (void)doc;
    free(d);
    return rc;
}

static void every_policy_example_of_the_docs_is_read(void **state)
{
    (void)state;
    static const char *const docs[] = { "policy.md", "service-levels.md", "oncall.md", "recurrence.md",
                                        "requests.md" };
    char *lifecycles = default_lifecycles();
    size_t read = 0;
    for (size_t d = 0; d < sizeof docs / sizeof *docs; d++) {
        char path[512];
        snprintf(path, sizeof path, DOCS "%s", docs[d]);
        block *b;
        size_t n = json_blocks(path, &b);
        assert_true(n >= 1);
        for (size_t i = 0; i < n; i++) {
            if (strstr(b[i].text, "..."))
                continue;                                     /* an elided excerpt */
            itsm_parse_error err;
            int rc = read_example(docs[d], &b[i], lifecycles, &err);
            if (rc)
                fail_msg("docs/%s:%d: %s %zu:%zu %s", docs[d], b[i].line, itsm_errname(rc), err.line, err.column,
                         err.text);
            read++;
        }
        free_blocks(b, n);
    }
    assert_true(read >= 14);
    free(lifecycles);
}

/* "Default:" in docs/policy.md: the block after it is the default's member,
 * as itsm_policy_to_json writes it (white space apart). So is the inline
 * oncall default. */
static void every_default_docs_policy_prints_is_the_default(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *def = policy_json(p);
    itsm_policy_free(p);
    block *b;
    size_t n = json_blocks(DOCS "policy.md", &b);
    size_t defaults = 0;
    for (size_t i = 0; i < n; i++) {
        size_t bl = strlen(b[i].before);
        int is_default = (bl >= 8 && strcmp(b[i].before + bl - 8, "Default:") == 0) ||
                         strstr(b[i].before, "The default (what") != NULL ||
                         strstr(b[i].before, "`itsm_policy_new_empty` hold):") != NULL;
        if (!is_default)
            continue;
        char *want = squeeze(b[i].text);
        if (!strstr(def, want))
            fail_msg("docs/policy.md:%d: the default policy does not write\n%s\n(it writes\n%s)", b[i].line, want,
                     def);
        free(want);
        defaults++;
    }
    assert_true(defaults >= 6);
    assert_non_null(strstr(def, "\"oncall\":{\"group_window\":0,\"policies\":[]}"));
    free_blocks(b, n);
    free(def);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_event_docs_events_shows_is_a_stored_event),
        cmocka_unit_test(the_packet_docs_handover_shows_is_written_back_member_for_member),
        cmocka_unit_test(every_policy_example_of_the_docs_is_read),
        cmocka_unit_test(every_default_docs_policy_prints_is_the_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
