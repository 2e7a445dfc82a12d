// --trace (see trace.h).
//
// Per thread, the output is one ordered stream: the life slice opens, then
// each activity segment (events_segments) is a B/E pair, with the instant
// events merged in at their timestamps, and the life slice closes. So B/E
// nest by construction and timestamps never go back within a thread.
// Hand-overs and the holder named in a drop request come from all threads'
// EV_GIL_ACQUIRED events sorted by time. Runs once at exit, on the main
// thread.
#include "trace.h"

#include <errno.h>

#include "code.h"
#include "state.h"
#include "stats.h"
#include "str.h"

typedef struct {
    uint64_t ns;
    size_t thread;           // index in the snapshot
} Acquisition;

static int by_time(const void *a, const void *b) {
    const Acquisition *x = a, *y = b;
    return x->ns < y->ns ? -1 : x->ns > y->ns ? 1 : (x->thread > y->thread) - (x->thread < y->thread);
}

// The last acquisition at or before [ns] (NULL if none).
static const Acquisition *holder_at(const Acquisition *acq, size_t n, uint64_t ns) {
    size_t lo = 0, hi = n;   // first index with acq.ns > ns
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (acq[mid].ns <= ns)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &acq[lo - 1] : NULL;
}

typedef struct {
    FILE *out;
    uint64_t t0;
    uint64_t tid;
    bool first;
} Writer;

static void begin_record(Writer *w, const char *ph, const char *name, const char *cat,
                         uint64_t ns) {
    fprintf(w->out, "%s\n{\"ph\": \"%s\", \"pid\": 1, \"tid\": %llu, \"ts\": %.3f, \"name\": ",
            w->first ? "" : ",", ph, (unsigned long long)w->tid,
            (double)(ns - w->t0) / 1000.0);
    w->first = false;
    stats_put_json_string(w->out, name);
    if (cat)
        fprintf(w->out, ", \"cat\": \"%s\"", cat);
}

static void instant(Writer *w, const char *name, uint64_t ns, const char *arg_key,
                    const char *arg_value) {
    begin_record(w, "i", name, "gil", ns);
    fprintf(w->out, ", \"s\": \"t\"");
    if (arg_key) {
        fprintf(w->out, ", \"args\": {\"%s\": ", arg_key);
        stats_put_json_string(w->out, arg_value);
        fputc('}', w->out);
    }
    fputc('}', w->out);
}

static const char *activity_name(const Segment *s, char *buf, size_t size) {
    switch (s->act) {
    case ACT_RUNNING: return "running";
    case ACT_GIL_WAIT: return "GIL wait";
    case ACT_UNKNOWN: return "not recorded";
    case ACT_BLOCKED:
    case ACT_SLEEP:
        snprintf(buf, size, "%s%s", s->act == ACT_BLOCKED ? "blocked: " : "",
                 events_wait_kind_name(s->cause ? s->cause->kind : WAIT_IO));
        return buf;
    default: return "?";
    }
}

static void slice_begin(Writer *w, const Segment *s) {
    char buf[64];
    const char *cat = s->act == ACT_RUNNING || s->act == ACT_GIL_WAIT ? "gil" : "block";
    begin_record(w, "B", activity_name(s, buf, sizeof buf), cat, s->start_ns);
    const Event *e = s->cause;
    if (e) {
        fprintf(w->out, ", \"args\": {\"kind\": \"%s\"", events_wait_kind_name(e->kind));
        if (e->obj)
            fprintf(w->out, ", \"object\": \"0x%llx\"", (unsigned long long)e->obj);
        if (e->code && e->code->filename) {
            char where[512];
            snprintf(where, sizeof where, "%s:%d", str_cstr(e->code->filename), (int)e->line);
            fprintf(w->out, ", \"where\": ");
            stats_put_json_string(w->out, where);
        }
        fputc('}', w->out);
    }
    fputc('}', w->out);
}

static void slice_end(Writer *w, const Segment *s) {
    char buf[64];
    begin_record(w, "E", activity_name(s, buf, sizeof buf), NULL, s->end_ns);
    fputc('}', w->out);
}

// The instant for event [e] of thread [k], if it has one.
static void event_instant(Writer *w, const ThreadSnapshot *t, size_t k, const Event *e,
                          const Acquisition *acq, size_t nacq) {
    if (e->type == EV_GIL_DROP_REQUEST) {
        const Acquisition *h = holder_at(acq, nacq, e->ns);
        instant(w, "GIL drop request", e->ns, h ? "holder" : NULL, h ? t[h->thread].fig.name : NULL);
    } else if (e->type == EV_GIL_FORCED) {
        instant(w, "forced switch", e->ns, NULL, NULL);
    } else if (e->type == EV_GIL_ACQUIRED) {
        const Acquisition *me = holder_at(acq, nacq, e->ns);
        // Step back to this thread's own entry, then to the one before it.
        while (me && me > acq && (me->thread != k || me->ns != e->ns))
            me--;
        if (me && me > acq && me[-1].thread != k)
            instant(w, "GIL handover", e->ns, "from", t[me[-1].thread].fig.name);
    }
}

static void write_thread(Writer *w, const ThreadSnapshot *t, size_t n, size_t k, bool gil,
                         const Acquisition *acq, size_t nacq) {
    const ThreadSnapshot *th = &t[k];
    w->tid = th->fig.id;
    fprintf(w->out, "%s\n{\"ph\": \"M\", \"pid\": 1, \"tid\": %llu, \"name\": \"thread_name\", "
                    "\"args\": {\"name\": ",
            w->first ? "" : ",", (unsigned long long)w->tid);
    w->first = false;
    stats_put_json_string(w->out, th->fig.name);
    fprintf(w->out, "}},\n{\"ph\": \"M\", \"pid\": 1, \"tid\": %llu, \"name\": "
                    "\"thread_sort_index\", \"args\": {\"sort_index\": %zu}}",
            (unsigned long long)w->tid, k);

    size_t nsegs = 0;
    Segment *segs = events_segments(th, gil, &nsegs);
    uint64_t start = th->fig.start_ns, end = th->fig.end_ns;
    if (nsegs && segs[0].start_ns < start)
        start = segs[0].start_ns;
    if (nsegs && segs[nsegs - 1].end_ns > end)
        end = segs[nsegs - 1].end_ns;
    if (th->nevents && th->events[th->nevents - 1].ns > end)
        end = th->events[th->nevents - 1].ns;
    begin_record(w, "B", th->fig.name, "thread", start);
    fprintf(w->out, ", \"args\": {\"bytecodes\": %llu, \"finished\": %s}}",
            (unsigned long long)th->fig.bytecodes, th->fig.finished ? "true" : "false");

    // Merge: segment boundaries and instants, in time order (a boundary
    // first when they coincide).
    size_t s = 0, e = 0;
    bool open = false;
    for (;;) {
        uint64_t seg_ns = UINT64_MAX, ev_ns = UINT64_MAX;
        if (s < nsegs)
            seg_ns = open ? segs[s].end_ns : segs[s].start_ns;
        if (e < th->nevents)
            ev_ns = th->events[e].ns;
        if (seg_ns == UINT64_MAX && ev_ns == UINT64_MAX)
            break;
        if (seg_ns <= ev_ns) {
            const Segment *sg = &segs[s];
            bool shown = sg->act != ACT_NONE;
            if (!open) {
                if (shown)
                    slice_begin(w, sg);
                open = true;
            } else {
                if (shown)
                    slice_end(w, sg);
                open = false;
                s++;
            }
        } else {
            event_instant(w, t, k, &th->events[e], acq, nacq);
            e++;
        }
    }
    UNUSED(n);
    free(segs);
    begin_record(w, "E", th->fig.name, "thread", end);
    fputc('}', w->out);
}

int trace_write(Interp *in, const ThreadSnapshot *t, size_t n, const char *path) {
    bool gil = in->mode == MODE_GIL;
    size_t nacq = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < t[k].nevents; i++)
            nacq += t[k].events[i].type == EV_GIL_ACQUIRED;
    Acquisition *acq = malloc((nacq ? nacq : 1) * sizeof(Acquisition));
    if (!acq) {
        errno = ENOMEM;
        return -1;
    }
    nacq = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < t[k].nevents; i++)
            if (t[k].events[i].type == EV_GIL_ACQUIRED)
                acq[nacq++] = (Acquisition){t[k].events[i].ns, k};
    qsort(acq, nacq, sizeof(Acquisition), by_time);

    FILE *out = fopen(path, "w");
    if (!out) {
        free(acq);
        return -1;
    }
    Writer w = {.out = out, .t0 = in->events.start_ns, .first = true};
    fprintf(out, "{\"displayTimeUnit\": \"ms\", \"otherData\": {\"generator\": \"gilvm %s\", "
                 "\"mode\": \"%s\"},\n\"traceEvents\": [",
            GILVM_VERSION, gil ? "gil" : "free");
    fprintf(out, "\n{\"ph\": \"M\", \"pid\": 1, \"name\": \"process_name\", \"args\": "
                 "{\"name\": \"gilvm\"}}");
    w.first = false;
    for (size_t k = 0; k < n; k++)
        write_thread(&w, t, n, k, gil, acq, nacq);
    fprintf(out, "\n]}\n");
    free(acq);
    int err = ferror(out) ? EIO : 0;
    if (fclose(out) != 0 && !err)
        err = errno;
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}
