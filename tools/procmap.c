/* SPDX-License-Identifier: Apache-2.0 */
/* tools/procmap.c - the process map as SVG (see procmap.h). */
#include "procmap.h"

#define PI 3.14159265358979323846


#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAXN = 256, BOXW = 170, BOXH = 40, LEFT = 60, TOP = 110 };

typedef struct node {
    const char *name;
    unsigned    flags;
    int         known;     /* a state of the policy */
    double      x, y;      /* centre */
} node;

static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static int find(node *n, int nn, const char *name)
{
    for (int i = 0; i < nn; i++)
        if (!strcmp(n[i].name, name))
            return i;
    return -1;
}

int rp_procmap_svg(const itsm_conformance *c, itsm_kind kind, const char *title, FILE *out)
{
    node *n = calloc(MAXN, sizeof *n);
    if (!n)
        return -1;
    int nn = 0, init = -1;
    size_t ns = itsm_conformance_state_count(c, kind);
    for (size_t i = 0; i < ns && nn < MAXN; i++) {
        itsm_conformance_state_at(c, kind, i, &n[nn].name, &n[nn].flags);
        n[nn].known = 1;
        if (n[nn].flags & ITSM_STATE_INITIAL)
            init = nn;
        nn++;
    }
    /* states the log used that the policy does not have */
    for (size_t i = 0; i < itsm_conformance_move_count(c); i++) {
        itsm_conformance_move m = { .size = sizeof m };
        itsm_conformance_move_at(c, i, &m);
        if (m.kind != kind)
            continue;
        const char *ends[2] = { m.from, m.to };
        for (int e = 0; e < 2; e++)
            if (ends[e] && find(n, nn, ends[e]) < 0 && nn < MAXN) {
                n[nn].name = ends[e];
                nn++;
            }
    }
    /* the states on an ellipse, in policy order (which tends to follow
     * the process), the initial state at the top; unknown states last */
    double rx = 140 + 42.0 * nn, ry = 90 + 30.0 * nn;
    double width = 2 * rx + BOXW + 2 * LEFT, height = 2 * ry + BOXH + TOP + 80;
    if (width < 960)
        width = 960;
    double cx0 = width / 2, cy0 = TOP + 30 + ry;
    int start = init >= 0 ? init : 0;
    for (int k = 0; k < nn; k++) {
        int i = (start + k) % nn;
        double a = -PI / 2 + 2 * PI * k / nn;
        n[i].x = cx0 + rx * cos(a);
        n[i].y = cy0 + ry * sin(a);
    }
    size_t maxcount = 1;
    itsm_conformance_summary s = { .size = sizeof s };
    itsm_conformance_summary_of(&s, c);
    for (size_t i = 0; i < itsm_conformance_move_count(c); i++) {
        itsm_conformance_move m = { .size = sizeof m };
        itsm_conformance_move_at(c, i, &m);
        if (m.kind == kind && m.count > maxcount)
            maxcount = m.count;
    }

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                 "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"13\">\n",
            width, height, width, height);
    fprintf(out, "<title>");
    esc(out, title);
    fprintf(out, "</title>\n<defs>\n"
                 "<marker id=\"ok\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"11\" "
                 "markerHeight=\"11\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
                 "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker>\n"
                 "<marker id=\"bad\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"11\" "
                 "markerHeight=\"11\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
                 "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker>\n"
                 "</defs>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
    fprintf(out, "<text x=\"20\" y=\"28\" font-size=\"17\" font-weight=\"bold\">");
    esc(out, title);
    fprintf(out, "</text>\n<text x=\"20\" y=\"48\" fill=\"#444\">%zu records, %zu moves, fitness %.4f "
                 "(the share of moves the policy allows)</text>\n<text x=\"20\" y=\"66\" fill=\"#444\">"
                 "grey: allowed; red, dashed: not allowed by the policy or refused by the replay; "
                 "the width grows with the count; hover an arc for its figures</text>\n",
            s.records, s.moves, s.fitness);

    /* moves */
    fprintf(out, "<g id=\"moves\" fill=\"none\">\n");
    for (size_t i = 0; i < itsm_conformance_move_count(c); i++) {
        itsm_conformance_move m = { .size = sizeof m };
        itsm_conformance_move_at(c, i, &m);
        if (m.kind != kind || (m.from && !strcmp(m.from, m.to)))
            continue;
        int t = find(n, nn, m.to), f = m.from ? find(n, nn, m.from) : -1;
        if (t < 0 || (m.from && f < 0))
            continue;
        double x1, y1, x2 = n[t].x, y2 = n[t].y;
        if (f < 0) {   /* an opening: from a dot left of the state */
            x1 = n[t].x - BOXW / 2.0 - 70;
            y1 = n[t].y - 30;
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#222\"/>\n", x1, y1);
        } else {
            x1 = n[f].x;
            y1 = n[f].y;
        }
        /* leave and enter at the box edges, bowed so a pair of opposite
         * moves does not overlap */
        double dx = x2 - x1, dy = y2 - y1, len = sqrt(dx * dx + dy * dy);
        if (len < 1)
            continue;
        double ux = dx / len, uy = dy / len;
        double kx = fabs(ux) > 1e-9 ? (BOXW / 2.0 + 2) / fabs(ux) : 1e9;
        double ky = fabs(uy) > 1e-9 ? (BOXH / 2.0 + 2) / fabs(uy) : 1e9;
        double edge = kx < ky ? kx : ky;
        double sx = f < 0 ? x1 + 6 * ux : x1 + edge * ux, sy = f < 0 ? y1 + 6 * uy : y1 + edge * uy;
        double ex = x2 - edge * ux, ey = y2 - edge * uy;
        double bow = f < 0 ? 0 : 0.12 * len + 12;   /* to the left of the way: opposite moves part */
        double cx = (sx + ex) / 2 - uy * bow, cy = (sy + ey) / 2 + ux * bow;
        int bad = m.deviation != ITSM_DEVIATION_NONE || m.refused;
        double w = 1 + 5 * log((double)m.count + 1) / log((double)maxcount + 1);
        fprintf(out, "<path d=\"M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f\" stroke=\"%s\" stroke-width=\"%.2f\"%s "
                     "marker-end=\"url(#%s)\"><title>",
                sx, sy, cx, cy, ex, ey, bad ? "#c62828" : "#777", w, bad ? " stroke-dasharray=\"6,4\"" : "",
                bad ? "bad" : "ok");
        esc(out, m.from ? m.from : "(opened)");
        fputs(" -> ", out);
        esc(out, m.to);
        fprintf(out, ": %zu, allowed %zu, refused %zu, %s", m.count, m.allowed, m.refused,
                itsm_deviation_name(m.deviation));
        if (m.skipped) {
            fputs(", skips ", out);
            esc(out, m.skipped);
        }
        fprintf(out, "</title></path>\n");
        /* the label at the curve's middle */
        double lx = 0.25 * sx + 0.5 * cx + 0.25 * ex, ly = 0.25 * sy + 0.5 * cy + 0.25 * ey;
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\" "
                     "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">%zu",
                lx, ly - 3, bad ? "#c62828" : "#333", m.count);
        if (m.refused)
            fprintf(out, " (%zu refused)", m.refused);
        else if (bad)
            fprintf(out, " (%s)", itsm_deviation_name(m.deviation));
        fputs("</text>\n", out);
    }
    fprintf(out, "</g>\n");

    /* states */
    fprintf(out, "<g id=\"states\">\n");
    for (int i = 0; i < nn; i++) {
        const char *fill = !n[i].known ? "#fdecea" : n[i].flags & ITSM_STATE_CLOSED ? "#e0e0e0" : "#e3f2fd";
        const char *stroke = !n[i].known ? "#c62828" : "#1565c0";
        fprintf(out, "<g class=\"state\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"8\" "
                     "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
                n[i].x - BOXW / 2.0, n[i].y - BOXH / 2.0, BOXW, BOXH, fill, stroke,
                n[i].flags & ITSM_STATE_INITIAL ? "3" : "1.5", n[i].known ? "" : " stroke-dasharray=\"5,3\"");
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", n[i].x, n[i].y + 4);
        esc(out, n[i].name);
        fprintf(out, "</text></g>\n");
    }
    fprintf(out, "</g>\n</svg>\n");
    free(n);
    return 0;
}
