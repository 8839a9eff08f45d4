/* SPDX-License-Identifier: Apache-2.0 */
/* A canonical text of everything an engine shows through its public
 * getters: every record (fields, state, revision, timeline, links, timers
 * as of a given time, major-incident state and deadlines, audiences,
 * auto-close), the handover registry, the quality log and known outages.
 * Two engines that print the same text are indistinguishable through the
 * API. Used by the scenario runner's fault matrix and by the API-sequence
 * fuzz target to check that a failed call changed nothing and that a
 * store's events replay into an equal engine. Public API only. */
#ifndef ITSM_SCENARIO_STATE_H
#define ITSM_SCENARIO_STATE_H

#include <stddef.h>
#include <itsm.h>

typedef struct state_buf {
    char  *s;        /* NUL-terminated text; NULL after an allocation failure */
    size_t n, cap;
    int    oom;
    int    errors;   /* getters that refused (a caller's mistake: check it is 0) */
} state_buf;

/* Append printf-style (sets oom instead of failing). */
void state_put(state_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The engine's state as of `now` (timers are read at that time; the
 * engine is not changed). Appends to `b`. */
void state_engine(state_buf *b, itsm_engine *eng, itsm_time now);
/* One caller-owned packet: content (JSON) and handover state. */
void state_packet(state_buf *b, const itsm_packet *pkt);

/* The engine's state as a malloc'd string (NULL when out of memory or a
 * getter refused). */
char *state_text(itsm_engine *eng, itsm_time now);

#endif
