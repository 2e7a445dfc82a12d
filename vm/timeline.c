// --timeline (see timeline.h).
//
// The run, from interpreter start to now, is cut into CHART columns of equal
// time. For each thread and column, the time spent in each activity (from
// events_segments) is summed, and the column shows the activity that took
// most of it. Runs once at exit on the main thread; nothing shared.
#include "timeline.h"

#include "state.h"
#include "stats.h"

#define LABEL 17                                // thread names, then one space
#define CHART (TIMELINE_WIDTH - LABEL - 3)     // between the two '|'
#define TICK 10                                 // columns between scale marks
#define MAX_ROWS 40

static const char marks[] = {
    [ACT_NONE] = ' ',    [ACT_UNKNOWN] = '?', [ACT_RUNNING] = '#',
    [ACT_GIL_WAIT] = '-', [ACT_BLOCKED] = 'L', [ACT_SLEEP] = 'z',
};

// One row: [row] gets CHART marks for [segs] over [t0, t0 + CHART * col_ns).
static void draw_row(const Segment *segs, size_t nsegs, uint64_t t0, double col_ns,
                     char *row) {
    double share[CHART][ARRAY_LEN(marks)];
    memset(share, 0, sizeof share);
    for (size_t i = 0; i < nsegs; i++) {
        double a = (double)(segs[i].start_ns - t0) / col_ns;
        double b = (double)(segs[i].end_ns - t0) / col_ns;
        if (b > CHART)
            b = CHART;
        for (int c = a < 0 ? 0 : (int)a; c < CHART && c < b; c++) {
            double lo = a > c ? a : c, hi = b < c + 1 ? b : c + 1;
            if (hi > lo)
                share[c][segs[i].act] += hi - lo;
        }
    }
    for (int c = 0; c < CHART; c++) {
        // Not alive counts only when it covers most of the column.
        int best = ACT_NONE;
        double most = share[c][ACT_NONE] > 0.5 ? share[c][ACT_NONE] : 0;
        for (int a = ACT_UNKNOWN; a < (int)ARRAY_LEN(marks); a++) {
            if (share[c][a] > most) {
                most = share[c][a];
                best = a;
            }
        }
        row[c] = marks[best];
    }
    row[CHART] = 0;
}

static void put_scale(FILE *out) {
    fprintf(out, "%*s+", LABEL + 1, "");
    for (int c = 1; c < CHART; c++)
        fputc(c % TICK == 0 ? '+' : '-', out);
    fputs("-+\n", out);
}

static void put_label(FILE *out, const char *name) {
    if (strlen(name) <= LABEL - 1)
        fprintf(out, "%-*s ", LABEL, name);
    else
        fprintf(out, "%.*s~  ", LABEL - 2, name);
}

void timeline_print(Interp *in, const ThreadSnapshot *t, size_t n, FILE *out) {
    bool gil = in->mode == MODE_GIL;
    // Up to the snapshot (the end of the last thread), not to now: reading
    // the rings may have taken a while.
    uint64_t t0 = in->events.start_ns, t1 = t0 + 1;
    for (size_t k = 0; k < n; k++)
        if (t[k].fig.end_ns > t1)
            t1 = t[k].fig.end_ns;
    double col_ns = (double)(t1 - t0) / CHART;
    if (col_ns < 1)
        col_ns = 1;
    char a[16], b[16];
    fprintf(out, "\ngilvm --timeline: %zu thread%s over %s, one column = %s\n", n,
            n == 1 ? "" : "s", stats_format_duration(t1 - t0, a),
            stats_format_duration((uint64_t)col_ns, b));

    // The scale: a mark every TICK columns, then the times under them.
    put_scale(out);

    bool unknown = false, lost = false;
    size_t shown = n <= MAX_ROWS ? n : MAX_ROWS - 1;
    for (size_t k = 0; k < shown; k++) {
        size_t nsegs;
        Segment *segs = events_segments(&t[k], gil, &nsegs);
        char row[CHART + 1];
        if (segs) {
            draw_row(segs, nsegs, t0, col_ns, row);
        } else {
            memset(row, '?', CHART);
            row[CHART] = 0;
        }
        free(segs);
        unknown |= t[k].dropped > 0 || !segs;
        lost |= t[k].lost > 0;
        put_label(out, t[k].fig.name);
        fprintf(out, "|%s|\n", row);
    }
    if (shown < n)
        fprintf(out, "%*s(%zu more threads not shown)\n", LABEL + 1, "", n - shown);

    put_scale(out);
    // Labels start under their mark; the last one ends at the right edge.
    char line[TIMELINE_WIDTH + 16];
    memset(line, ' ', sizeof line);
    int end = 0;
    for (int c = 0; c <= CHART; c += TICK) {
        char v[16];
        stats_format_duration((uint64_t)(c * col_ns), v);
        int len = (int)strlen(v);
        int pos = LABEL + 1 + c;
        if (pos + len > TIMELINE_WIDTH)
            pos = TIMELINE_WIDTH - len;
        if (pos < end + 1 && c > 0)
            continue;   // would run into the previous label
        memcpy(line + pos, v, (size_t)len);
        end = pos + len;
    }
    line[end] = 0;
    fprintf(out, "%s\n", line);
    if (gil)
        fprintf(out, "# running (holds the GIL)   - waiting for the GIL   z sleeping or I/O\n"
                     "L blocked on a lock, condition, event, queue or join   blank: not alive\n");
    else
        fprintf(out, "# running   z sleeping or I/O   blank: not alive\n"
                     "L blocked on a lock, condition, event, queue or join\n");
    if (unknown)
        fprintf(out, "? not recorded: the thread's oldest events were overwritten (its ring "
                     "keeps\n  the newest %llu)\n", (unsigned long long)EVENTS_RING_CAP);
    if (lost)
        fprintf(out, "some events were lost (event memory full): rows may be wrong after "
                     "that point\n");
}
