// :threads. A snapshot of the thread list is taken under interp->lock (so no
// thread state is freed while it is read), then printed without it.
//
// What can be read safely about another thread:
//   - its name from its thread log (events.h, guarded by interp->lock, set by
//     threading when the thread starts or is renamed);
//   - its id, run_state, `finished` and what it published when it last
//     blocked (blocked_code / blocked_lasti): atomics, any time;
//   - in GIL mode its innermost frame too: the caller holds the GIL, so every
//     other thread is either blocked (its frame and ip were saved before the
//     blocking call) or waiting for the GIL, and none of them touches its
//     frames until it has the GIL back. The GIL's mutex orders those writes
//     before this read;
//   - in free-threaded mode a running thread's frame changes under our feet
//     (and its frames may be freed at any moment), so only the published
//     position is shown: exact for a blocked thread, "last blocked at" for
//     a running one.
// Code objects are immortal, so a published Code pointer stays valid.
#include "repl_threads.h"

#include <stdlib.h>
#include <string.h>

#include "../vm/code.h"
#include "../vm/deadlock.h"
#include "../vm/dict.h"
#include "../vm/exc.h"
#include "../vm/module.h"
#include "../vm/sbuf.h"
#include "../vm/str.h"
#include "dis.h"
#include "../vm/events.h"

typedef struct {
    uint64_t id;
    bool self;
    bool finished;
    int run_state;
    Code *code;        // where it is (or was), NULL if unknown
    uint32_t lasti;
    bool exact;        // [code]/[lasti] are where it is now
    Code *caller;      // GIL mode: the innermost frame outside gilvm's own
    uint32_t caller_lasti;   // modules (threading.py...), if not the innermost
    char name[64];     // as threading named it (events.h)
    char *wait;        // malloc'd extra line (what it waits on), or NULL
} Row;

// What the thread waits on, printed under its row: the deadlock detector's
// description of its untimed lock wait (join, queue get, Event, a Lock and
// who holds it). Called under interp->lock: it must not block or run code
// (deadlock_describe_wait only tries the detector's mutex).
static bool is_library(const Code *c);

static void wait_info(Interp *in, ThreadState *t, SBuf *out) {
    // In GIL mode the caller holds the GIL: a blocked thread's frames and
    // the program's dicts hold still. Without a GIL they do not.
    char buf[512];
    if (in->mode != MODE_GIL)
        return;
    uint64_t owner = 0;
    if (deadlock_describe_wait(t, buf, sizeof buf, &owner)) {
        sbuf_printf(out, "%s", buf);
        // Where the holder is now (the caller holds interp->lock: states stay).
        for (ThreadState *o = in->threads; owner && o; o = o->next) {
            if (o->id != owner)
                continue;
            if (o == ts_cur) {
                sbuf_printf(out, "; it is at the >>> prompt");
                break;
            }
            Frame *f = o->frame;
            while (f && is_library(f->code))
                f = f->prev;
            if (f)
                sbuf_printf(out, "; it is now at line %d", code_line_at(f->code, frame_lasti(f)));
            break;
        }
    }
    // The locks it holds, among the program's global ones.
    Value m = in->modules ? dict_get_cstr(in->modules, "__main__") : VAL_NULL;
    if (!m) {
        exc_clear();
        return;
    }
    Dict *d = as_dict(module_dict(m));
    int nheld = 0;
    for (uint32_t i = 0; i < d->nentries; i++) {
        uint64_t owner = 0, site = 0;
        Value k = d->entries[i].key;
        if (!k || !val_is_str(k) || !mod_thread_lock_owner(d->entries[i].value, &owner, &site) ||
            owner != t->id)
            continue;
        char at[200];
        deadlock_format_place(deadlock_site_place(in, site), at, sizeof at);
        sbuf_printf(out, "%s%s (taken at %s)", out->len ? (nheld ? ", " : "; holds ") : "holds ",
                    str_cstr(k), at);
        nheld++;
    }
    decref(m);
}

// Code of gilvm's embedded modules (lib/*.py: threading, queue).
static bool is_library(const Code *c) {
    return strncmp(str_cstr(c->filename), "<gilvm>", 7) == 0;
}

static int cmp_row(const void *a, const void *b) {
    const Row *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

// The rows, sorted by id; *n receives the count. NULL if out of memory.
static Row *snapshot(Interp *in, size_t *n) {
    ThreadState *self = ts_cur;
    pthread_mutex_lock(&in->lock);
    size_t count = 0;
    for (ThreadState *t = in->threads; t; t = t->next)
        count++;
    Row *rows = calloc(count ? count : 1, sizeof(Row));
    size_t k = 0;
    for (ThreadState *t = in->threads; t && rows; t = t->next) {
        Row *r = &rows[k++];
        r->id = t->id;
        r->self = t == self;
        r->finished = atomic_load(&t->finished);
        r->run_state = atomic_load(&t->run_state);
        if (t->log)   // under interp->lock
            snprintf(r->name, sizeof r->name, "%s", t->log->name);
        else
            snprintf(r->name, sizeof r->name, "thread %llu", (unsigned long long)t->id);
        if (r->self) {
            SBuf w;
            sbuf_init(&w);
            wait_info(in, t, &w);   // the locks it holds
            r->wait = w.data;
            continue;
        }
        if (in->mode == MODE_GIL) {
            Frame *f = t->frame;
            r->code = f ? f->code : NULL;
            r->lasti = f ? frame_lasti(f) : 0;
            r->exact = true;
            for (Frame *g = f; g && r->code && is_library(r->code); g = g->prev) {
                if (!is_library(g->code)) {
                    r->caller = g->code;
                    r->caller_lasti = frame_lasti(g);
                    break;
                }
            }
        } else {
            // Acquire: the code object's fields were written by whichever
            // thread compiled it. [lasti] may come from a later blocking
            // call than [code] if the thread blocks again meanwhile: clamped.
            r->code = atomic_load_explicit(&t->blocked_code, memory_order_acquire);
            r->lasti = atomic_load_explicit(&t->blocked_lasti, RELAXED);
            if (r->code && r->lasti >= r->code->ninstrs)
                r->lasti = 0;
            r->exact = r->run_state == THREAD_BLOCKED;
        }
        SBuf w;
        sbuf_init(&w);
        wait_info(in, t, &w);
        r->wait = w.data;
    }
    pthread_mutex_unlock(&in->lock);
    if (!rows)
        return NULL;
    qsort(rows, k, sizeof(Row), cmp_row);
    *n = k;
    return rows;
}

static void free_rows(Row *rows, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(rows[i].wait);
    }
    free(rows);
}

static const char *state_name(Interp *in, const Row *r) {
    if (r->self)
        return "running";
    if (r->finished)
        return "finished";
    switch (r->run_state) {
    case THREAD_BLOCKED:
        return "blocked";
    case THREAD_PARKED:
        return "parked";
    default:
        if (in->mode == MODE_GIL && !r->code)
            return "starting";
        return "running";
    }
}

static void print_position(Code *c, uint32_t lasti, FILE *out) {
    fprintf(out, "%s:%d in %s, instruction %u: ", str_cstr(c->filename), code_line_at(c, lasti),
            str_cstr(c->qualname), lasti);
    dis_instruction(c, lasti, out);
}

void repl_threads_print(Interp *in, FILE *out) {
    size_t n = 0;
    Row *rows = snapshot(in, &n);
    if (!rows) {
        fputs(":threads: out of memory\n", out);
        return;
    }
    int w = 4;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(rows[i].name) > w)
            w = (int)strlen(rows[i].name);
    fprintf(out, "mode: %s\n", in->mode == MODE_GIL ? "GIL" : "free-threaded (no GIL)");
    fprintf(out, "  ID  %-*s  %-8s  WHERE\n", w, "NAME", "STATE");
    for (size_t i = 0; i < n; i++) {
        Row *r = &rows[i];
        fprintf(out, "%c%3llu  %-*s  %-8s  ", r->self ? '*' : ' ', (unsigned long long)r->id, w,
                r->name, state_name(in, r));
        if (r->self) {
            fputs("at the >>> prompt (runs this REPL)", out);
        } else if (r->finished) {
            fputs("its function has returned; the thread is exiting", out);
        } else if (!r->code) {
            fputs(r->exact || r->run_state != THREAD_RUNNING
                      ? "outside any Python frame"
                      : "position unknown: it runs without a GIL and has not blocked yet",
                  out);
        } else if (r->exact) {
            print_position(r->code, r->lasti, out);
            if (in->mode == MODE_GIL && r->run_state == THREAD_RUNNING)
                fputs("  (waiting for the GIL)", out);
            if (r->caller) {
                fprintf(out, "\n      %*s  %-8s  called from ", w, "", "");
                print_position(r->caller, r->caller_lasti, out);
            }
        } else {
            fputs("no GIL: position changes as it runs; last blocked at ", out);
            print_position(r->code, r->lasti, out);
        }
        fputc('\n', out);
        if (r->wait && *r->wait)
            fprintf(out, "      %*s  %s\n", w, "", r->wait);
    }
    fputs("(* = this thread. blocked: in a sleep, lock, event, queue or join wait)\n", out);
    free_rows(rows, n);
}

char *repl_threads_others(Interp *in) {
    size_t n = 0;
    Row *rows = snapshot(in, &n);
    if (!rows)
        return NULL;
    SBuf b;
    sbuf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].self)
            continue;
        if (b.len)
            sbuf_puts(&b, ", ");
        sbuf_puts(&b, rows[i].name);
        sbuf_puts(&b, " (");
        sbuf_puts(&b, state_name(in, &rows[i]));
        sbuf_puts(&b, ")");
    }
    free_rows(rows, n);
    return b.data;
}
