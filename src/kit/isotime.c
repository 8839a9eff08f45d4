/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTC times as "YYYY-MM-DDTHH:MM:SSZ", and proleptic Gregorian day counts.
 *
 * Only that one form is read: no fractions, offsets, lower case or leap
 * seconds, so every accepted text maps to exactly one itsm_time and back.
 */
#include "kit/json.h"
#include "itsm/errors.h"

#include <string.h>

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil): years run
 * from March, so the leap day is the last day of its year and the month
 * lengths follow the closed form (153*m + 2) / 5. */
int64_t itsm__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;         /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;            /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void itsm__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                          /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;     /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                   /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                        /* [0, 11] */
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;                               /* [1, 31] */
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;                                  /* [1, 12] */
    *y = yoe + era * 400 + (mm <= 2);
    *m = (unsigned)mm;
    *d = (unsigned)dd;
}

/* Two decimal digits (v < 100) by table: times are written for every
 * event, so no division loop per digit. */
static void put2(char *out, unsigned v)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                   "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                   "8081828384858687888990919293949596979899";
    memcpy(out, pairs + 2 * v, 2);
}

void itsm__time_format(itsm_time t, char out[21])
{
    /* Out of range is a caller bug; clamp so the text stays well formed. */
    if (t < ITSM_TIME_MIN)
        t = ITSM_TIME_MIN;
    if (t > ITSM_TIME_MAX)
        t = ITSM_TIME_MAX;
    int64_t y;
    unsigned mo, d;
    itsm__civil_from_days(t / 86400, &y, &mo, &d);
    unsigned secs = (unsigned)(t % 86400), yy = (unsigned)y;   /* [0, 9999] in range */
    put2(out, yy / 100);
    put2(out + 2, yy % 100);
    out[4] = '-';
    put2(out + 5, mo);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, secs / 3600);
    out[13] = ':';
    put2(out + 14, secs / 60 % 60);
    out[16] = ':';
    put2(out + 17, secs % 60);
    out[19] = 'Z';
    out[20] = '\0';
}

/* n decimal digits at s, or -1 if any is not a digit. */
static int read_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static unsigned days_in_month(int y, int m)
{
    static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 29;
    return dim[m - 1];
}

int itsm__time_parse(const char *s, size_t n, itsm_time *out)
{
    if (s == NULL || n != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return ITSM_EPARSE;
    int y = read_digits(s, 4), mo = read_digits(s + 5, 2), d = read_digits(s + 8, 2);
    int h = read_digits(s + 11, 2), mi = read_digits(s + 14, 2), sec = read_digits(s + 17, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, mo) ||
        h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
        return ITSM_EPARSE;
    itsm_time t = itsm__days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
                  h * 3600 + mi * 60 + sec;
    /* Years 1970..9999 keep t in range by construction; check anyway. */
    if (t < ITSM_TIME_MIN || t > ITSM_TIME_MAX)
        return ITSM_EPARSE;
    if (out)
        *out = t;
    return ITSM_OK;
}
