/* SPDX-License-Identifier: Apache-2.0 */
#include "itsm/errors.h"
#include "itsm/version.h"

static const struct { int code; const char *name; const char *text; } error_table[] = {
    { ITSM_OK,          "ITSM_OK",          "no error" },
    { ITSM_ENOMEM,      "ITSM_ENOMEM",      "out of memory" },
    { ITSM_EINVAL,      "ITSM_EINVAL",      "invalid argument" },
    { ITSM_ENOTFOUND,   "ITSM_ENOTFOUND",   "not found" },
    { ITSM_EEXISTS,     "ITSM_EEXISTS",     "already exists" },
    { ITSM_ETRANSITION, "ITSM_ETRANSITION", "no such transition" },
    { ITSM_EGUARD,      "ITSM_EGUARD",      "guard failed" },
    { ITSM_ECONFLICT,   "ITSM_ECONFLICT",   "stale revision" },
    { ITSM_ESTORE,      "ITSM_ESTORE",      "store failed" },
    { ITSM_EPARSE,      "ITSM_EPARSE",      "parse error" },
    { ITSM_ELIMIT,      "ITSM_ELIMIT",      "limit exceeded" },
    { ITSM_EPOLICY,     "ITSM_EPOLICY",     "inconsistent policy" },
    { ITSM_ESTATE,      "ITSM_ESTATE",      "not allowed in the current state" },
    { ITSM_EUSER,       "ITSM_EUSER",       "host callback failed" },
    { ITSM_ECLOCK,      "ITSM_ECLOCK",      "clock before the record's last event" },
    { ITSM_ETAMPER,     "ITSM_ETAMPER",     "stored event does not match its hash chain" },
};

const char *itsm_errstr(int code)
{
    for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
        if (error_table[i].code == code)
            return error_table[i].text;
    return "unknown error";
}

const char *itsm_errname(int code)
{
    for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
        if (error_table[i].code == code)
            return error_table[i].name;
    return "ITSM_EUNKNOWN";
}

int itsm_version_number(void) { return ITSM_VERSION_NUMBER; }
const char *itsm_version_string(void) { return ITSM_VERSION_STRING; }
