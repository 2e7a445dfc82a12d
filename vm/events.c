// Per-thread counters, thread logs and event rings (see events.h for the
// design: who writes what, and the bounds).
//
// Locking: Interp.lock guards the list of logs and each log's name, daemon,
// started, start_ns and ts fields (all written rarely: creation, start,
// set_name, deletion). The ring and the counters are lock-free (single
// writer). A log's [final] figures are written once by the finishing thread
// and published by [done] (release); readers check [done] (acquire) first.
// Logs and rings are freed only by events_free, when no thread runs.
#include "events.h"

#include <errno.h>

#include "interp.h"
#include "str.h"
#include "thread.h"

static const char *const kind_names[WAIT_KINDS] = {
    [WAIT_IO] = "io",           [WAIT_SLEEP] = "sleep",         [WAIT_LOCK] = "lock",
    [WAIT_RLOCK] = "rlock",     [WAIT_CONDITION] = "condition", [WAIT_EVENT] = "event",
    [WAIT_SEMAPHORE] = "semaphore", [WAIT_BARRIER] = "barrier", [WAIT_QUEUE] = "queue",
    [WAIT_JOIN] = "join",
};

const char *events_wait_kind_name(int kind) {
    return kind >= 0 && kind < WAIT_KINDS ? kind_names[kind] : "?";
}

// --- rings -----------------------------------------------------------------------------

static EventSlot *chunk_new(Interp *in) {
    if (atomic_fetch_sub(&in->events.chunks_left, 1) <= 0) {
        atomic_fetch_add(&in->events.chunks_left, 1);
        return NULL;
    }
    EventSlot *c = calloc(EVENTS_CHUNK_EVENTS, sizeof(EventSlot));
    if (!c)
        atomic_fetch_add(&in->events.chunks_left, 1);
    return c;
}

static void ring_put(Interp *in, EventRing *r, const Event *e) {
    uint64_t i = atomic_load_explicit(&r->done, RELAXED);
    size_t c = (size_t)((i / EVENTS_CHUNK_EVENTS) % EVENTS_RING_CHUNKS);
    EventSlot *chunk = atomic_load_explicit(&r->chunks[c], RELAXED);
    if (UNLIKELY(!chunk)) {
        chunk = chunk_new(in);
        if (!chunk) {
            STATS_INC(r->lost);
            return;
        }
        atomic_store_explicit(&r->chunks[c], chunk, memory_order_release);
    }
    atomic_store_explicit(&r->begun, i + 1, RELAXED);
    atomic_thread_fence(memory_order_release);
    EventSlot *s = &chunk[i % EVENTS_CHUNK_EVENTS];
    atomic_store_explicit(&s->w[0], e->ns, RELAXED);
    atomic_store_explicit(&s->w[1],
                          (uint64_t)e->type | (uint64_t)e->kind << 8 |
                              (uint64_t)(uint32_t)e->line << 32,
                          RELAXED);
    atomic_store_explicit(&s->w[2], (uint64_t)e->obj, RELAXED);
    atomic_store_explicit(&s->w[3], (uint64_t)(uintptr_t)e->code, RELAXED);
    atomic_store_explicit(&r->done, i + 1, memory_order_release);
}

size_t events_ring_read(EventRing *r, Event *out, uint64_t *dropped) {
    uint64_t done = atomic_load_explicit(&r->done, memory_order_acquire);
    uint64_t lo = done > EVENTS_RING_CAP ? done - EVENTS_RING_CAP : 0;
    size_t n = 0;
    for (uint64_t i = lo; i < done; i++) {
        size_t c = (size_t)((i / EVENTS_CHUNK_EVENTS) % EVENTS_RING_CHUNKS);
        EventSlot *chunk = atomic_load_explicit(&r->chunks[c], memory_order_acquire);
        if (!chunk)
            continue;   // cannot happen: a chunk exists before its first event
        EventSlot *s = &chunk[i % EVENTS_CHUNK_EVENTS];
        uint64_t w1 = atomic_load_explicit(&s->w[1], RELAXED);
        out[n++] = (Event){
            .ns = atomic_load_explicit(&s->w[0], RELAXED),
            .type = (uint8_t)w1,
            .kind = (uint8_t)(w1 >> 8),
            .line = (int32_t)(uint32_t)(w1 >> 32),
            .obj = (uintptr_t)atomic_load_explicit(&s->w[2], RELAXED),
            .code = (const Code *)(uintptr_t)atomic_load_explicit(&s->w[3], RELAXED),
        };
    }
    // Entries whose slot the writer has begun to reuse since may be torn.
    atomic_thread_fence(memory_order_acquire);
    uint64_t begun = atomic_load_explicit(&r->begun, RELAXED);
    uint64_t valid_from = begun > EVENTS_RING_CAP ? begun - EVENTS_RING_CAP : 0;
    size_t skip = valid_from > lo ? (size_t)(valid_from - lo) : 0;
    if (skip > n)
        skip = n;
    if (skip)
        memmove(out, out + skip, (n - skip) * sizeof(Event));
    *dropped = lo + skip;
    return n - skip;
}

static void emit(ThreadState *ts, EventType type, uint64_t ns) {
    EventRing *r = ts->log ? ts->log->ring : NULL;
    if (r)
        ring_put(ts->interp, r, &(Event){.ns = ns, .type = (uint8_t)type});
}

static uint64_t clock_read_ns(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0)
        return 0;
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

// --- life cycle ------------------------------------------------------------------------

void events_init(Interp *in, bool recording) {
    in->events.recording = recording;
    in->events.start_ns = events_now_ns();
    in->events.start_cpu_ns = clock_read_ns(CLOCK_PROCESS_CPUTIME_ID);
    in->events.logs = in->events.logs_tail = NULL;
    atomic_init(&in->events.chunks_left, EVENTS_TOTAL_CHUNKS);
}

int events_log_new(Interp *in, ThreadState *ts) {
    ThreadLog *log = calloc(1, sizeof(ThreadLog));
    if (!log)
        return -1;
    if (in->events.recording) {
        log->ring = calloc(1, sizeof(EventRing));
        if (!log->ring) {
            free(log);
            return -1;
        }
    }
    log->id = ts->id;
    log->ts = ts;
    // Bare _thread threads are not waited for at exit: daemons until
    // threading says otherwise.
    log->daemon = ts->id != 1;
    if (ts->id == 1)
        snprintf(log->name, sizeof log->name, "MainThread");
    else
        snprintf(log->name, sizeof log->name, "thread %llu", (unsigned long long)ts->id);
    atomic_init(&log->done, false);
    if (in->events.logs_tail)
        in->events.logs_tail->next = log;
    else
        in->events.logs = log;
    in->events.logs_tail = log;
    ts->log = log;
    return 0;
}

void events_log_detach(ThreadState *ts) {
    if (ts->log)
        ts->log->ts = NULL;
}

void events_free(Interp *in) {
    ThreadLog *next;
    for (ThreadLog *log = in->events.logs; log; log = next) {
        next = log->next;
        if (log->ring) {
            for (size_t c = 0; c < EVENTS_RING_CHUNKS; c++)
                free(atomic_load(&log->ring->chunks[c]));
            free(log->ring);
        }
        free(log);
    }
    in->events.logs = in->events.logs_tail = NULL;
}

// --- recording -------------------------------------------------------------------------

void events_thread_attach(ThreadState *ts) {
    Interp *in = ts->interp;
    ThreadLog *log = ts->log;
    uint64_t now = events_now_ns();
    uint64_t cpu = clock_read_ns(CLOCK_THREAD_CPUTIME_ID);
    pthread_mutex_lock(&in->lock);
    log->start_ns = now;
    log->start_cpu_ns = cpu;
    log->thread = pthread_self();
    log->started = true;
    pthread_mutex_unlock(&in->lock);
    emit(ts, EV_START, now);
}

// The counters of [ts] into [f] (relaxed reads: exact for the owner).
static void read_counters(ThreadState *ts, ThreadFigures *f) {
    ThreadStats *s = &ts->stats;
    // The free-threaded slow paths count in thread-locals (object.h): the
    // thread itself publishes them when its figures are read.
    if (ts == ts_cur) {
        atomic_store_explicit(&s->lock_contended, obj_lock_contended, RELAXED);
        atomic_store_explicit(&s->rc_cross_thread, rc_cross_thread, RELAXED);
    }
    f->bytecodes = STATS_GET(s->bytecodes);
    for (int k = 0; k < WAIT_KINDS; k++) {
        f->blocked_ns[k] = STATS_GET(s->blocked_ns[k]);
        f->blocks[k] = STATS_GET(s->blocks[k]);
    }
    f->lock_contended = STATS_GET(s->lock_contended);
    f->rc_cross_thread = STATS_GET(s->rc_cross_thread);
}

void events_thread_finish(ThreadState *ts) {
    Interp *in = ts->interp;
    ThreadLog *log = ts->log;
    uint64_t now = events_now_ns();
    emit(ts, EV_FINISH, now);
    ThreadFigures *f = &log->final;
    read_counters(ts, f);
    f->gil = ts->gilt.stats;   // written only by this thread
    uint64_t cpu = clock_read_ns(CLOCK_THREAD_CPUTIME_ID);
    f->end_ns = now;
    f->finished = true;
    pthread_mutex_lock(&in->lock);
    f->id = log->id;
    memcpy(f->name, log->name, sizeof f->name);
    f->daemon = log->daemon;
    f->start_ns = log->start_ns;
    f->cpu_ns = cpu > log->start_cpu_ns ? cpu - log->start_cpu_ns : 0;
    pthread_mutex_unlock(&in->lock);
    atomic_store_explicit(&log->done, true, memory_order_release);
}

void events_set_name(ThreadState *ts, const char *name) {
    Interp *in = ts->interp;
    pthread_mutex_lock(&in->lock);
    snprintf(ts->log->name, sizeof ts->log->name, "%s", name);
    pthread_mutex_unlock(&in->lock);
}

void events_set_daemon(ThreadState *ts, bool daemon) {
    Interp *in = ts->interp;
    pthread_mutex_lock(&in->lock);
    ts->log->daemon = daemon;
    pthread_mutex_unlock(&in->lock);
}

// Where a blocking call came from. The frames of the embedded modules
// (threading, queue) that lead to a Lock wait say what the user waits for:
// the outermost recognised one gives the kind, and its `self` the object.
// The first frame outside them is the user's line.
static int library_kind(const Code *c) {
    const char *file = str_cstr(c->filename) + 8;   // after "<gilvm>/"
    if (strcmp(file, "queue.py") == 0)
        return WAIT_QUEUE;
    if (strcmp(file, "threading.py") != 0)
        return -1;
    static const struct {
        const char *qualname;
        int kind;
    } map[] = {
        {"Thread.join", WAIT_JOIN},          {"_shutdown", WAIT_JOIN},
        {"Condition.wait", WAIT_CONDITION},  {"Condition.wait_for", WAIT_CONDITION},
        {"Event.wait", WAIT_EVENT},          {"Semaphore.acquire", WAIT_SEMAPHORE},
        {"Barrier.wait", WAIT_BARRIER},
    };
    if (!c->qualname)
        return -1;
    const char *q = str_cstr(c->qualname);
    for (size_t i = 0; i < ARRAY_LEN(map); i++)
        if (strcmp(q, map[i].qualname) == 0)
            return map[i].kind;
    return -1;
}

static bool is_library(const Code *c) {
    return c->filename && strncmp(str_cstr(c->filename), "<gilvm>/", 8) == 0;
}

static void block_site(ThreadState *ts, int *kind, uintptr_t *obj, const Code **code,
                       int32_t *line) {
    Frame *f = ts->frame;
    bool sync = !events_kind_is_sleep(*kind);
    for (; f && is_library(f->code); f = f->prev) {
        int k = sync ? library_kind(f->code) : -1;
        if (k < 0)
            continue;
        *kind = k;
        if (f->code->argcount >= 1 && val_is_obj(f->slots[0]))
            *obj = (uintptr_t)val_obj(f->slots[0]);
    }
    if (f) {
        *code = f->code;
        *line = code_line_at(f->code, frame_lasti(f));
    }
}

void events_block(ThreadState *ts, int kind, const void *on) {
    uint64_t now = events_now_ns();
    Event e = {.ns = now, .type = EV_BLOCK, .obj = (uintptr_t)on};
    block_site(ts, &kind, &e.obj, &e.code, &e.line);
    e.kind = (uint8_t)kind;
    ts->stats.block_since = now;
    ts->stats.block_kind = kind;
    STATS_INC(ts->stats.blocks[kind]);
    EventRing *r = ts->log ? ts->log->ring : NULL;
    if (r)
        ring_put(ts->interp, r, &e);
}

void events_unblock(ThreadState *ts) {
    uint64_t now = events_now_ns();
    STATS_ADD(ts->stats.blocked_ns[ts->stats.block_kind], now - ts->stats.block_since);
    emit(ts, EV_UNBLOCK, now);
}

void events_gil_forced(ThreadState *ts) {
    emit(ts, EV_GIL_FORCED, events_now_ns());
}

void events_gil_hook(void *ctx, GilThread *t, int event, uint64_t ns) {
    UNUSED(ctx);
    ThreadState *ts = (ThreadState *)((char *)t - offsetof(ThreadState, gilt));
    static const uint8_t map[] = {
        [GIL_EV_WANT] = EV_GIL_WANT,
        [GIL_EV_ACQUIRED] = EV_GIL_ACQUIRED,
        [GIL_EV_DROP_REQUESTED] = EV_GIL_DROP_REQUEST,
        [GIL_EV_RELEASED] = EV_GIL_RELEASED,
    };
    if (event >= 0 && (size_t)event < ARRAY_LEN(map))
        emit(ts, (EventType)map[event], ns);
}

// --- reading ---------------------------------------------------------------------------

ThreadSnapshot *events_snapshot(Interp *in, bool with_events, size_t *n) {
    *n = 0;
    uint64_t now = events_now_ns();
    pthread_mutex_lock(&in->lock);
    size_t cap = 0;
    for (ThreadLog *log = in->events.logs; log; log = log->next)
        cap++;
    ThreadSnapshot *out = calloc(cap ? cap : 1, sizeof(ThreadSnapshot));
    EventRing **rings = calloc(cap ? cap : 1, sizeof(EventRing *));
    if (!out || !rings) {
        pthread_mutex_unlock(&in->lock);
        free(out);
        free(rings);
        return NULL;
    }
    size_t k = 0;
    for (ThreadLog *log = in->events.logs; log; log = log->next) {
        if (!log->started)
            continue;
        ThreadFigures *f = &out[k].fig;
        if (atomic_load_explicit(&log->done, memory_order_acquire)) {
            *f = log->final;
        } else if (log->ts) {
            // Alive (the main thread, daemons, a thread still on its way out).
            ThreadState *ts = log->ts;
            f->id = log->id;
            memcpy(f->name, log->name, sizeof f->name);
            f->daemon = log->daemon;
            f->start_ns = log->start_ns;
            f->end_ns = now;
            read_counters(ts, f);
            if (in->mode == MODE_GIL)
                gil_thread_stats_snapshot(&in->gil, &ts->gilt, &f->gil);
            clockid_t clock = CLOCK_THREAD_CPUTIME_ID;
            if (ts != ts_cur && pthread_getcpuclockid(log->thread, &clock) != 0)
                clock = (clockid_t)-1;
            uint64_t cpu = clock == (clockid_t)-1 ? 0 : clock_read_ns(clock);
            f->cpu_ns = cpu > log->start_cpu_ns ? cpu - log->start_cpu_ns : 0;
        } else {
            continue;   // deleted without finishing (a failed start)
        }
        rings[k] = log->ring;
        k++;
    }
    pthread_mutex_unlock(&in->lock);
    // Rings live until events_free: read them without the lock. A thread
    // still alive may add events meanwhile, so give it room for a full ring.
    for (size_t i = 0; with_events && i < k; i++) {
        EventRing *r = rings[i];
        if (!r)
            continue;
        uint64_t done = atomic_load_explicit(&r->done, memory_order_acquire);
        size_t room = (size_t)EVENTS_RING_CAP;
        if (out[i].fig.finished && done < EVENTS_RING_CAP)
            room = done ? (size_t)done : 1;
        out[i].events = malloc(room * sizeof(Event));
        if (!out[i].events)
            continue;
        out[i].nevents = events_ring_read(r, out[i].events, &out[i].dropped);
        out[i].lost = STATS_GET(r->lost);
    }
    free(rings);
    *n = k;
    return out;
}

void events_snapshot_free(ThreadSnapshot *s, size_t n) {
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i].events);
    free(s);
}

// --- activities ------------------------------------------------------------------------

typedef struct {
    Segment *v;
    size_t n, cap;
    bool failed;
} Segments;

static void segment_to(Segments *s, uint64_t ns, Activity act, const Event *cause) {
    if (s->failed)
        return;
    Segment *last = s->n ? &s->v[s->n - 1] : NULL;
    if (last && ns < last->start_ns)
        ns = last->start_ns;   // never step back in time
    if (last && last->act == act && last->cause == cause)
        return;
    if (last) {
        last->end_ns = ns;
        if (last->end_ns == last->start_ns) {   // replaced at once: drop it
            s->n--;
            if (s->n && s->v[s->n - 1].act == act && s->v[s->n - 1].cause == cause)
                return;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        Segment *v = realloc(s->v, cap * sizeof(Segment));
        if (!v) {
            s->failed = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (Segment){.start_ns = ns, .end_ns = ns, .act = act, .cause = cause};
}

Segment *events_segments(const ThreadSnapshot *t, bool gil, size_t *n) {
    Segments s = {0};
    const ThreadFigures *f = &t->fig;
    Activity act = t->dropped ? ACT_UNKNOWN : ACT_NONE;
    const Event *cause = NULL;
    segment_to(&s, f->start_ns, act, NULL);
    for (size_t i = 0; i < t->nevents; i++) {
        const Event *e = &t->events[i];
        switch (e->type) {
        case EV_START:
            act = gil ? ACT_GIL_WAIT : ACT_RUNNING;
            break;
        case EV_GIL_WANT:
            act = ACT_GIL_WAIT;
            break;
        case EV_GIL_ACQUIRED:
            act = ACT_RUNNING;
            break;
        case EV_GIL_RELEASED:
            if (act == ACT_RUNNING)
                act = ACT_GIL_WAIT;   // a forced switch (a block or the end follows otherwise)
            break;
        case EV_BLOCK:
            act = events_kind_is_sleep(e->kind) ? ACT_SLEEP : ACT_BLOCKED;
            break;
        case EV_UNBLOCK:
            act = gil ? ACT_GIL_WAIT : ACT_RUNNING;
            break;
        case EV_FINISH:
            act = ACT_NONE;
            break;
        default:
            continue;   // instants: no change
        }
        if (e->type == EV_BLOCK)
            cause = e;
        else if (act != ACT_BLOCKED && act != ACT_SLEEP)
            cause = NULL;
        segment_to(&s, e->ns, act, cause);
    }
    // Close the last stretch at the end of the thread (or now).
    uint64_t end = f->end_ns;
    if (s.n && end < s.v[s.n - 1].start_ns)
        end = s.v[s.n - 1].start_ns;
    if (s.n)
        s.v[s.n - 1].end_ns = end;
    if (s.failed) {
        free(s.v);
        *n = 0;
        return NULL;
    }
    *n = s.n;
    return s.v;
}

// Threads joined by threading._shutdown may still be on their way out
// (releasing what they hold needs the GIL): let them finish.
static bool finishing_threads(Interp *in) {
    bool any = false;
    pthread_mutex_lock(&in->lock);
    for (ThreadLog *log = in->events.logs; log && !any; log = log->next)
        any = log->started && log->ts && log->ts != ts_cur && !log->daemon &&
              !atomic_load_explicit(&log->done, memory_order_acquire);
    pthread_mutex_unlock(&in->lock);
    return any;
}

void events_wait_for_finishing(Interp *in, int timeout_ms) {
    if (!finishing_threads(in))
        return;
    ThreadState *ts = ts_cur;
    thread_begin_blocking_on(ts, WAIT_JOIN, NULL);
    for (int waited = 0; waited < timeout_ms && finishing_threads(in); waited++) {
        struct timespec ms = {0, 1000000};
        while (nanosleep(&ms, &ms) != 0 && errno == EINTR) {
        }
    }
    thread_end_blocking(ts);
}
