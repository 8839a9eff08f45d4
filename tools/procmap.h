/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/procmap.h - the process map of a replay as an SVG picture a person
 * can open: the states of one lifecycle of the conformance report's policy,
 * the moves the log made between them with their counts, and the moves the
 * policy does not allow (or the replay refused) in red, dashed.
 *
 * Layout: the states in columns by their distance from the initial state
 * along the policy's transitions (states nothing reaches, and states the
 * policy does not know, in a last column); an opening comes from a dot left
 * of the initial state; an arc's width grows with the log of its count.
 */
#ifndef ITSM_TOOLS_PROCMAP_H
#define ITSM_TOOLS_PROCMAP_H

#include <itsm.h>
#include <stdio.h>

/* Write the map of `kind` to out; `title` is its caption. 0, or -1 when out
 * of memory. */
int rp_procmap_svg(const itsm_conformance *c, itsm_kind kind, const char *title, FILE *out);

#endif
