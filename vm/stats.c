// --stats: the per-thread table and totals (see stats.h).
//
// Everything here runs once, at exit, on the main thread, from a snapshot of
// the thread logs; nothing is shared or locked. Derived figures:
//   running   GIL mode: time holding the GIL; free-threaded: lifetime minus
//             time inside the blocking bracket;
//   blocked   time waiting on another thread (lock, rlock, condition, event,
//             semaphore, barrier, queue, join); sleep/io is the rest of the
//             bracket's time;
//   parallelism  process CPU time / wall time (at most the number of cores);
//   GIL held  share of wall time some thread held the GIL; contended: share
//             of wall time at least one thread waited for it;
//   switches/s   hand-overs (an acquisition by a thread other than the last
//             holder) per second of wall time.
#include "stats.h"

#include <math.h>
#include <time.h>
#include <unistd.h>

#include "scheduler.h"
#include "state.h"

// At most this many rows in the text table (the JSON lists every thread).
#define STATS_MAX_ROWS 24

typedef struct {
    uint64_t wall_ns, cpu_ns;
    long cores;
    bool gil;
    GilStats g;
    int64_t interval_us;
} Totals;

static uint64_t clock_read_ns(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0)
        return 0;
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void totals(Interp *in, Totals *t) {
    memset(t, 0, sizeof *t);
    t->gil = in->mode == MODE_GIL;
    // The GIL's figures first: its snapshot counts the current holding up to
    // its own "now", which must not be later than the wall clock's.
    if (t->gil)
        gil_stats_snapshot(&in->gil, &t->g);
    t->wall_ns = events_now_ns() - in->events.start_ns;
    t->cpu_ns = clock_read_ns(CLOCK_PROCESS_CPUTIME_ID) - in->events.start_cpu_ns;
    t->cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (t->cores < 1)
        t->cores = 1;
    if (t->gil && t->g.held_ns > t->wall_ns)
        t->g.held_ns = t->wall_ns;   // the first acquisition may precede start_ns by a hair
    t->interval_us = gil_get_interval(&in->gil);
}

static uint64_t blocked_ns(const ThreadFigures *f, bool sleep) {
    uint64_t sum = 0;
    for (int k = 0; k < WAIT_KINDS; k++)
        if (events_kind_is_sleep(k) == sleep)
            sum += f->blocked_ns[k];
    return sum;
}

static uint64_t running_ns(const ThreadFigures *f, bool gil) {
    if (gil)
        return f->gil.held_ns;
    uint64_t life = f->end_ns > f->start_ns ? f->end_ns - f->start_ns : 0;
    uint64_t blocked = blocked_ns(f, false) + blocked_ns(f, true);
    return life > blocked ? life - blocked : 0;
}

static double ratio(uint64_t a, uint64_t b) {
    return b ? (double)a / (double)b : 0.0;
}

const char *stats_format_duration(uint64_t ns, char *buf) {
    double us = (double)ns / 1e3, ms = (double)ns / 1e6, s = (double)ns / 1e9;
    if (ns == 0)
        snprintf(buf, 16, "0");
    else if (us < 9.95)
        snprintf(buf, 16, "%.1fus", us);
    else if (us < 999.5)
        snprintf(buf, 16, "%.0fus", us);
    else if (ms < 9.995)
        snprintf(buf, 16, "%.2fms", ms);
    else if (ms < 99.95)
        snprintf(buf, 16, "%.1fms", ms);
    else if (ms < 999.5)
        snprintf(buf, 16, "%.0fms", ms);
    else if (s < 9.995)
        snprintf(buf, 16, "%.2fs", s);
    else if (s < 99.95)
        snprintf(buf, 16, "%.1fs", s);
    else
        snprintf(buf, 16, "%.0fs", s);
    return buf;
}

// 12,345 below 100,000, then three significant digits: 123k, 4.56M, 7.89G.
static const char *format_count(uint64_t n, char *buf) {
    if (n < 100000u) {
        if (n < 1000u)
            snprintf(buf, 16, "%u", (unsigned)n);
        else
            snprintf(buf, 16, "%u,%03u", (unsigned)(n / 1000u), (unsigned)(n % 1000u));
        return buf;
    }
    static const char units[] = "kMGTPE";
    double v = (double)n / 1000.0;
    int u = 0;
    while (v >= 999.5 && u < 5) {
        v /= 1000.0;
        u++;
    }
    snprintf(buf, 16, v < 9.995 ? "%.2f%c" : v < 99.95 ? "%.1f%c" : "%.0f%c", v, units[u]);
    return buf;
}

const char *stats_format_count(uint64_t n, char *buf) {
    return format_count(n, buf);
}

void stats_format_thousands(uint64_t n, char *out, size_t size) {
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
}

// --- text ------------------------------------------------------------------------------

// The table is at most 80 columns wide: the name column, then right-aligned
// columns of 7 (values are at most 6 characters), each with two header lines.
#define NAME_WIDTH 17
#define COLUMN_WIDTH 7

typedef struct {
    const char *head1, *head2;
} Column;

enum { C_BYTECODES, C_CPU, C_HELD, C_RUNNING, C_GILWAIT, C_BLOCKED, C_SLEEP, C_ACQ, C_FORCED,
       C_VOL, C_CONTENDED, C_RCX, C_COUNT };

static const Column columns[C_COUNT] = {
    [C_BYTECODES] = {"byte-", "codes"},  [C_CPU] = {"CPU", "time"},
    [C_HELD] = {"GIL", "held"},          [C_RUNNING] = {"run-", "ning"},
    [C_GILWAIT] = {"GIL", "wait"},       [C_BLOCKED] = {"sync", "wait"},
    [C_SLEEP] = {"sleep", "+ I/O"},      [C_ACQ] = {"GIL", "taken"},
    [C_FORCED] = {"", "forced"},         [C_VOL] = {"volun-", "tary"},
    [C_CONTENDED] = {"lock", "contd"},   [C_RCX] = {"rc", "cross"},
};

static const int gil_columns[] = {C_BYTECODES, C_CPU, C_HELD, C_GILWAIT, C_BLOCKED,
                                  C_SLEEP, C_ACQ, C_FORCED, C_VOL};
static const int free_columns[] = {C_BYTECODES, C_CPU, C_RUNNING, C_BLOCKED, C_SLEEP,
                                   C_CONTENDED, C_RCX};

static void cell(const ThreadFigures *f, int c, bool gil, char *buf) {
    switch (c) {
    case C_BYTECODES: format_count(f->bytecodes, buf); break;
    case C_CPU: stats_format_duration(f->cpu_ns, buf); break;
    case C_HELD:
    case C_RUNNING: stats_format_duration(running_ns(f, gil), buf); break;
    case C_GILWAIT: stats_format_duration(f->gil.wait_ns, buf); break;
    case C_BLOCKED: stats_format_duration(blocked_ns(f, false), buf); break;
    case C_SLEEP: stats_format_duration(blocked_ns(f, true), buf); break;
    case C_ACQ: format_count(f->gil.acquisitions, buf); break;
    case C_FORCED: format_count(f->gil.forced_switches, buf); break;
    case C_VOL: format_count(f->gil.voluntary_releases, buf); break;
    case C_CONTENDED: format_count(f->lock_contended, buf); break;
    case C_RCX: format_count(f->rc_cross_thread, buf); break;
    default: buf[0] = 0;
    }
}

static void put_name(FILE *out, const char *name) {
    if (strlen(name) <= NAME_WIDTH - 1)
        fprintf(out, "%-*s", NAME_WIDTH, name);
    else
        fprintf(out, "%.*s~", NAME_WIDTH - 1, name);
}

void stats_print_text(Interp *in, const ThreadSnapshot *t, size_t n, FILE *out) {
    Totals tot;
    totals(in, &tot);
    const int *cols = tot.gil ? gil_columns : free_columns;
    size_t ncols = tot.gil ? ARRAY_LEN(gil_columns) : ARRAY_LEN(free_columns);
    char a[16], b[16], c[16];

    fprintf(out, "\ngilvm --stats: %zu thread%s, %s", n, n == 1 ? "" : "s",
            tot.gil ? "GIL" : "free-threaded (no GIL)");
    if (tot.gil)
        fprintf(out, ", switch interval %s", stats_format_duration(
                                                 (uint64_t)tot.interval_us * 1000u, a));
    fprintf(out, ", %ld core%s\n", tot.cores, tot.cores == 1 ? "" : "s");
    if (in->sched)
        fprintf(out, "schedule: seeded, --seed=%llu (same flags, same interleaving)\n",
                (unsigned long long)sched_seed(in));
    else if (tot.gil)
        fprintf(out, "schedule: the OS's (--seed=N makes the interleaving repeatable)\n");
    for (int row = 0; row < 2; row++) {
        fprintf(out, "%-*s", NAME_WIDTH, row ? "thread" : "");
        for (size_t i = 0; i < ncols; i++) {
            const Column *col = &columns[cols[i]];
            fprintf(out, "%*s", COLUMN_WIDTH, row ? col->head2 : col->head1);
        }
        fputc('\n', out);
    }
    size_t shown = n <= STATS_MAX_ROWS ? n : STATS_MAX_ROWS - 1;
    for (size_t k = 0; k < shown; k++) {
        const ThreadFigures *f = &t[k].fig;
        put_name(out, f->name);
        for (size_t i = 0; i < ncols; i++) {
            char v[24];
            cell(f, cols[i], tot.gil, v);
            fprintf(out, "%*s", COLUMN_WIDTH, v);
        }
        fputc('\n', out);
    }
    if (shown < n)
        fprintf(out, "... and %zu more threads (counted in the totals; --stats=json lists "
                     "them all)\n", n - shown);

    uint64_t bytecodes = 0;
    for (size_t k = 0; k < n; k++)
        bytecodes += t[k].fig.bytecodes;
    fprintf(out, "total   %s bytecodes, wall %s, CPU %s, parallelism %.2f (CPU / wall)\n",
            format_count(bytecodes, c), stats_format_duration(tot.wall_ns, a),
            stats_format_duration(tot.cpu_ns, b), ratio(tot.cpu_ns, tot.wall_ns));
    if (tot.gil) {
        const GilStats *g = &tot.g;
        fprintf(out, "GIL     held %.1f%% of the time, contended %.1f%% (a thread waiting for "
                     "it)\n",
                100.0 * ratio(g->held_ns, tot.wall_ns),
                100.0 * ratio(g->contended_wall_ns, tot.wall_ns));
        fprintf(out, "        %s hand-overs (%.0f/s), %s acquisitions, %s drop requests, ",
                format_count(g->handovers, a), ratio(g->handovers, tot.wall_ns) * 1e9,
                format_count(g->acquisitions, b), format_count(g->drop_requests, c));
        fprintf(out, "%s forced\n", format_count(g->forced_switches, a));
        fprintf(out, "held: time holding the GIL (running)  sync wait: blocked on locks, "
                     "conditions,\nevents, queues, joins  forced: GIL given up on request  "
                     "voluntary: to block\n");
    } else {
        fprintf(out, "running: alive and not blocked  sync wait: blocked on locks, conditions,"
                     "\nevents, queues, joins  lock contd: per-object locks found held by "
                     "another\nthread  rc cross: refcount updates on objects another thread "
                     "owns\n");
    }
}

// --- JSON ------------------------------------------------------------------------------

void stats_put_json_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

#define U64(x) ((unsigned long long)(x))

void stats_print_json(Interp *in, const ThreadSnapshot *t, size_t n, FILE *out) {
    Totals tot;
    totals(in, &tot);
    uint64_t bytecodes = 0;
    for (size_t k = 0; k < n; k++)
        bytecodes += t[k].fig.bytecodes;
    fprintf(out, "{\"gilvm_stats\": 1, \"mode\": \"%s\", \"cores\": %ld, ",
            tot.gil ? "gil" : "free", tot.cores);
    if (in->sched)
        fprintf(out, "\"seed\": %llu, ", (unsigned long long)sched_seed(in));
    else
        fprintf(out, "\"seed\": null, ");
    fprintf(out, "\"wall_ns\": %llu, \"cpu_ns\": %llu, \"parallelism\": %.4f, "
                 "\"bytecodes\": %llu,\n",
            U64(tot.wall_ns), U64(tot.cpu_ns), ratio(tot.cpu_ns, tot.wall_ns), U64(bytecodes));
    if (tot.gil) {
        const GilStats *g = &tot.g;
        fprintf(out,
                " \"gil\": {\"switch_interval_us\": %lld, \"held_ns\": %llu, "
                "\"held_share\": %.4f, \"contended_ns\": %llu, \"contended_share\": %.4f, "
                "\"wait_ns\": %llu, \"acquisitions\": %llu, \"contended_acquisitions\": %llu, "
                "\"handovers\": %llu, \"switches_per_second\": %.2f, \"drop_requests\": %llu, "
                "\"forced_switches\": %llu, \"voluntary_releases\": %llu},\n",
                (long long)tot.interval_us, U64(g->held_ns), ratio(g->held_ns, tot.wall_ns),
                U64(g->contended_wall_ns), ratio(g->contended_wall_ns, tot.wall_ns),
                U64(g->contended_ns), U64(g->acquisitions), U64(g->contended_acquisitions),
                U64(g->handovers), ratio(g->handovers, tot.wall_ns) * 1e9,
                U64(g->drop_requests), U64(g->forced_switches), U64(g->voluntary_releases));
    } else {
        fprintf(out, " \"gil\": null,\n");
    }
    fprintf(out, " \"threads\": [");
    for (size_t k = 0; k < n; k++) {
        const ThreadFigures *f = &t[k].fig;
        fprintf(out, "%s\n  {\"id\": %llu, \"name\": ", k ? "," : "", U64(f->id));
        stats_put_json_string(out, f->name);
        fprintf(out, ", \"daemon\": %s, \"finished\": %s, \"start_ns\": %llu, \"end_ns\": %llu, ",
                f->daemon ? "true" : "false", f->finished ? "true" : "false",
                U64(f->start_ns - in->events.start_ns), U64(f->end_ns - in->events.start_ns));
        fprintf(out, "\"bytecodes\": %llu, \"cpu_ns\": %llu, \"running_ns\": %llu, ",
                U64(f->bytecodes), U64(f->cpu_ns), U64(running_ns(f, tot.gil)));
        if (tot.gil)
            fprintf(out,
                    "\"gil_wait_ns\": %llu, \"gil_max_wait_ns\": %llu, \"gil_acquisitions\": %llu, "
                    "\"gil_contended_acquisitions\": %llu, \"forced_switches\": %llu, "
                    "\"voluntary_releases\": %llu, ",
                    U64(f->gil.wait_ns), U64(f->gil.max_wait_ns), U64(f->gil.acquisitions),
                    U64(f->gil.waits), U64(f->gil.forced_switches),
                    U64(f->gil.voluntary_releases));
        else
            fprintf(out, "\"gil_wait_ns\": null, \"gil_max_wait_ns\": null, "
                         "\"gil_acquisitions\": null, \"gil_contended_acquisitions\": null, "
                         "\"forced_switches\": null, \"voluntary_releases\": null, ");
        fprintf(out, "\"blocked_ns\": %llu, \"sleep_io_ns\": %llu,\n   \"blocked_by_kind\": {",
                U64(blocked_ns(f, false)), U64(blocked_ns(f, true)));
        for (int kd = 0; kd < WAIT_KINDS; kd++)
            fprintf(out, "%s\"%s\": {\"count\": %llu, \"ns\": %llu}", kd ? ", " : "",
                    events_wait_kind_name(kd), U64(f->blocks[kd]), U64(f->blocked_ns[kd]));
        fprintf(out, "},\n   \"lock_contended\": %llu, \"rc_cross_thread\": %llu}",
                U64(f->lock_contended), U64(f->rc_cross_thread));
    }
    fprintf(out, "\n]}\n");
}
