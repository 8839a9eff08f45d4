/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: time zones and calendars - the POSIX TZ rule parser
 * (src/tz.c), the TZif footer reader, yearly holiday rules, and the
 * calendar math over a zone the parser accepted.
 *
 * For every input:
 * 1. as a TZ rule: a refusal names a position inside the input and a
 *    reason; an accepted rule gives, at instants spread over 1970..9999,
 *    only its standard or daylight offset, a next change strictly later
 *    with the offset constant until then; a calendar on it (weekday
 *    office hours, a Sunday night span across the usual change hours, a
 *    yearly holiday) satisfies work(a, add(a, w)) == w, the earliest such
 *    instant, and work(a, c) == work(a, b) + work(b, c);
 * 2. as a TZif file: an extracted footer is a rule the parser accepts;
 * 3. as a yearly holiday rule: an accepted rule formats to text that
 *    parses back to the same rule.
 */
#include "sla/calendar.h"
#include "kit/tz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static uint64_t mix(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void check_zone(const char *text, size_t len, uint64_t seed)
{
    itsm__tz z;
    size_t pos = 0;
    const char *why = NULL;
    if (itsm__tz_parse(&z, text, len, &pos, &why) != ITSM_OK) {
        if (!why || !*why || pos > len)
            abort();
        return;
    }
    for (int k = 0; k < 16; k++) {
        int64_t t = (int64_t)(mix(&seed) % (uint64_t)ITSM_TIME_MAX), next;
        int32_t o = itsm__tz_offset(&z, t, &next);
        if ((o != z.std && o != z.dst) || next <= t)
            abort();
        if (next != INT64_MAX && itsm__tz_offset(&z, next - 1, NULL) != o)
            abort();
    }

    /* a calendar on the zone */
    char zone[ITSM__TZ_MAX + 1];
    memcpy(zone, text, len);
    zone[len] = '\0';
    if (strlen(zone) != len)
        return;
    itsm_work_span spans[6];
    for (int d = 0; d < 5; d++)
        spans[d] = (itsm_work_span){ d, 9 * 3600, 17 * 3600 };
    spans[5] = (itsm_work_span){ 6, 1 * 3600, 4 * 3600 };
    const char *hol[] = { "last Sun Mar", "Dec 25" };
    itsm_calendar_def def = ITSM_CALENDAR_DEF_INIT;
    def.name = "fuzz";
    def.zone = zone;
    def.spans = spans;
    def.nspans = 6;
    def.holidays = hol;
    def.nholidays = 2;
    itsm_allocator alloc;
    itsm__alloc_resolve(&alloc, NULL);
    itsm__cal c;
    char msg[256];
    if (itsm__cal_build(&c, &def, &alloc, msg, sizeof msg) != ITSM_OK)
        abort();   /* the parser accepted it */
    for (int k = 0; k < 4; k++) {
        itsm_time a = (itsm_time)(mix(&seed) % (uint64_t)(ITSM_TIME_MAX - 400LL * DAY));
        int64_t w = (int64_t)(mix(&seed) % (200ULL * 3600));
        itsm_time due = itsm__cal_add(&c, a, w);
        if (due < a || due > ITSM_TIME_MAX)
            abort();
        if (due < ITSM_TIME_MAX && (itsm__cal_work(&c, a, due) != w || (w > 0 && itsm__cal_work(&c, a, due - 1) >= w)))
            abort();
        itsm_time b = a + (itsm_time)(mix(&seed) % (60ULL * DAY)), e = b + (itsm_time)(mix(&seed) % (60ULL * DAY));
        if (itsm__cal_work(&c, a, e) != itsm__cal_work(&c, a, b) + itsm__cal_work(&c, b, e))
            abort();
    }
    itsm__cal_clear(&c, &alloc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < size && i < 64; i++)
        seed = (seed ^ data[i]) * 0x100000001b3u;
    if (!seed)
        seed = 1;

    if (size <= ITSM__TZ_MAX)
        check_zone((const char *)data, size, seed);

    char out[ITSM__TZ_MAX + 1];
    int rc = itsm__tzif_footer(out, sizeof out, data, size);
    if (rc == ITSM_OK) {
        itsm__tz z;
        size_t pos;
        const char *why;
        if (itsm__tz_parse(&z, out, strlen(out), &pos, &why) != ITSM_OK)
            abort();
    } else if (rc != ITSM_EPARSE && rc != ITSM_ENOTFOUND && rc != ITSM_ELIMIT) {
        abort();
    }

    if (size < 32 && !memchr(data, '\0', size)) {
        char s[32], f[16];
        memcpy(s, data, size);
        s[size] = '\0';
        itsm__holrule r, back;
        if (itsm__holrule_parse(&r, s) == ITSM_OK) {
            itsm__holrule_format(&r, f);
            if (itsm__holrule_parse(&back, f) != ITSM_OK || memcmp(&r, &back, sizeof r) != 0)
                abort();
        }
    }
    return 0;
}
