// The global interpreter lock (see gil.h for the protocol).
//
// Design, after CPython's Python/ceval_gil.c ("new GIL"), with one mutex
// instead of CPython's two (the forced-switch wait shares the GIL's mutex,
// which makes "release, then wait for the switch" one critical section and
// removes the race CPython's comment in drop_gil warns about).
//
// Ownership and protection, field by field:
//   Gil.mutex, .released, .switched   created by gil_init, freed by gil_destroy.
//   Gil.holder           written only under mutex (by the acquiring/releasing
//                        thread); atomic so gil_held_by can read it without
//                        the mutex. Invariant: holder != NULL while a thread
//                        runs bytecode; at most one holder.
//   Gil.last_holder_id, .had_holder, .switch_number, .waiters,
//   .waiters_since, .stats   mutex only.
//   Gil.interval_us, .switch_every, .switch_mode   atomics (relaxed):
//                        tunables, any thread.
//   Gil.on_event, .event_ctx         written before threads start, read-only
//                        afterwards (happens-before via thread creation).
//   GilThread.eval_breaker, .drop_bit, .id   immutable after gil_thread_init.
//   *GilThread.eval_breaker          atomic word owned by the interpreter;
//                        this module only fetch_or / fetch_and's [drop_bit].
//                        The drop bit is set by a waiter, under mutex, only
//                        on the current holder; cleared under mutex by
//                        acquire and release. So a waiter never touches a
//                        GilThread that is not holding (and therefore alive).
//   GilThread.stats, .acquired_ns    written only by the owning thread, and
//                        only under mutex. The owner may read them without
//                        locking; other threads use gil_thread_stats_snapshot.
//
// Waiting (gil_acquire): wait on [released] for at most one interval; if the
// wait timed out, the GIL is still held and switch_number did not move (no
// hand-over during a whole interval), set the holder's drop bit. Then wait
// again. A wake-up for any other reason just waits again. With the interval
// off (0) a waiter never asks: it waits until the holder lets go of its own
// accord (CPython 2 and MicroPython had no drop requests).
//
// Forced switching (gil_drop_request_honour, GIL_HANDOVER): after releasing,
// the old holder waits on [switched] until switch_number moves, as long as
// someone is waiting; only then does it try to re-acquire. Waiters leave the
// wait loop only by taking the GIL, and a release always signals one of them,
// so this wait ends. With GIL_RELEASE the old holder re-acquires at once and
// races the waiter it just signalled, which on a multicore machine it usually
// wins (the woken waiter still has to be scheduled): CPython 2's check
// interval and MicroPython's GIL divisor behave like that.
//
// Events are emitted after the mutex is unlocked; timestamps are taken while
// it is held so they order correctly with the state change they describe.
#include "gil.h"

#include <errno.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// A failing lock/unlock/wait means a corrupted Gil or (debug builds, error-
// checking mutex) a thread re-locking it, e.g. from an event hook: fatal.
static void check(int rc, const char *what) {
    if (UNLIKELY(rc != 0)) {
        fprintf(stderr, "gilvm: fatal: GIL %s failed: %s\n", what, strerror(rc));
        abort();
    }
}

static void lock(Gil *g) { check(pthread_mutex_lock(&g->mutex), "mutex lock"); }
static void unlock(Gil *g) { check(pthread_mutex_unlock(&g->mutex), "mutex unlock"); }

static GilThread *holder_of(Gil *g) {
    return atomic_load_explicit(&g->holder, RELAXED);   // callers hold the mutex
}

static void emit(Gil *g, GilThread *t, int event, uint64_t ns) {
    if (g->on_event)
        g->on_event(g->event_ctx, t, event, ns);
}

// As emit, for callers holding the mutex: drop it around the hook.
static void emit_locked(Gil *g, GilThread *t, int event, uint64_t ns) {
    if (g->on_event) {
        unlock(g);
        g->on_event(g->event_ctx, t, event, ns);
        lock(g);
    }
}

int gil_init(Gil *g, int64_t interval_us) {
    memset(g, 0, sizeof *g);
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    if (pthread_mutexattr_init(&ma) != 0)
        return -1;
#if GILVM_DEBUG
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
#endif
    int rc = pthread_mutex_init(&g->mutex, &ma);
    pthread_mutexattr_destroy(&ma);
    if (rc != 0)
        return -1;
    if (pthread_condattr_init(&ca) != 0)
        goto fail_mutex;
    if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0) {
        pthread_condattr_destroy(&ca);
        goto fail_mutex;
    }
    if (pthread_cond_init(&g->released, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        goto fail_mutex;
    }
    if (pthread_cond_init(&g->switched, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        pthread_cond_destroy(&g->released);
        goto fail_mutex;
    }
    pthread_condattr_destroy(&ca);
    atomic_init(&g->holder, NULL);
    atomic_init(&g->interval_us, interval_us > 0 ? interval_us : DEFAULT_SWITCH_INTERVAL_US);
    atomic_init(&g->switch_every, 0);
    atomic_init(&g->switch_mode, GIL_HANDOVER);
    return 0;
fail_mutex:
    pthread_mutex_destroy(&g->mutex);
    return -1;
}

void gil_destroy(Gil *g) {
    ASSERT(atomic_load(&g->holder) == NULL, "GIL destroyed while held");
    ASSERT(g->waiters == 0, "GIL destroyed with waiters");
    pthread_cond_destroy(&g->switched);
    pthread_cond_destroy(&g->released);
    pthread_mutex_destroy(&g->mutex);
}

void gil_set_event_hook(Gil *g, GilEventFn fn, void *ctx) {
    g->on_event = fn;
    g->event_ctx = ctx;
}

void gil_thread_init(GilThread *t, _Atomic uint32_t *eval_breaker, uint32_t drop_bit,
                     uint64_t id) {
    memset(t, 0, sizeof *t);
    t->eval_breaker = eval_breaker;
    t->drop_bit = drop_bit;
    t->id = id;
}

static void clear_drop_bit(GilThread *t) {
    atomic_fetch_and(t->eval_breaker, ~t->drop_bit);
}

// Make [t] the holder. Mutex held, GIL free. [t0] is when t asked.
static void take_locked(Gil *g, GilThread *t, bool contended, uint64_t t0) {
    uint64_t now = now_ns();
    ASSERT(holder_of(g) == NULL, "taking a held GIL");
    atomic_store_explicit(&g->holder, t, memory_order_release);
    g->switch_number++;
    g->stats.acquisitions++;
    if (!g->had_holder || g->last_holder_id != t->id)
        g->stats.handovers++;
    g->had_holder = true;
    g->last_holder_id = t->id;
    t->stats.acquisitions++;
    t->acquired_ns = now;
    if (contended) {
        uint64_t waited = now - t0;
        g->stats.contended_acquisitions++;
        g->stats.contended_ns += waited;
        t->stats.waits++;
        t->stats.wait_ns += waited;
        if (waited > t->stats.max_wait_ns)
            t->stats.max_wait_ns = waited;
    }
    // By the invariant the bit is clear already; clearing keeps a stray bit
    // set by someone else from forcing a switch nobody asked for.
    clear_drop_bit(t);
    pthread_cond_broadcast(&g->switched);
}

// Let go of the GIL held by [t]. Mutex held. Returns the release time.
static uint64_t release_locked(Gil *g, GilThread *t, bool voluntary) {
    uint64_t now = now_ns();
    uint64_t held = now - t->acquired_ns;
    t->stats.held_ns += held;
    g->stats.held_ns += held;
    if (voluntary) {
        t->stats.voluntary_releases++;
        g->stats.voluntary_releases++;
    } else {
        t->stats.forced_switches++;
        g->stats.forced_switches++;
    }
    clear_drop_bit(t);
    atomic_store_explicit(&g->holder, NULL, memory_order_release);
    if (g->waiters > 0)
        pthread_cond_signal(&g->released);
    return now;
}

static struct timespec deadline_after_us(int64_t us) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(us / 1000000);
    ts.tv_nsec += (long)(us % 1000000) * 1000;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

int gil_acquire(Gil *g, GilThread *t) {
    uint64_t t0 = now_ns();
    lock(g);
    GilThread *h = holder_of(g);
    if (UNLIKELY(h == t)) {
        unlock(g);
        return -1;
    }
    bool contended = h != NULL;
    if (contended) {
        if (g->waiters++ == 0)
            g->waiters_since = now_ns();
        emit_locked(g, t, GIL_EV_WANT, t0);
        while ((h = holder_of(g)) != NULL) {
            uint64_t saved = g->switch_number;
            int64_t interval = atomic_load_explicit(&g->interval_us, RELAXED);
            if (interval == 0) {
                // No drop requests: wait for the holder to let go.
                check(pthread_cond_wait(&g->released, &g->mutex), "condition wait");
                continue;
            }
            struct timespec dl = deadline_after_us(interval);
            int rc = pthread_cond_timedwait(&g->released, &g->mutex, &dl);
            if (rc != ETIMEDOUT)
                check(rc, "condition wait");
            h = holder_of(g);
            if (rc == ETIMEDOUT && h != NULL && g->switch_number == saved) {
                uint32_t old = atomic_fetch_or(h->eval_breaker, h->drop_bit);
                if (!(old & h->drop_bit)) {
                    g->stats.drop_requests++;
                    emit_locked(g, t, GIL_EV_DROP_REQUESTED, now_ns());
                }
            }
        }
        g->waiters--;
    }
    take_locked(g, t, contended, t0);
    uint64_t ns = t->acquired_ns;
    if (contended && g->waiters == 0)
        g->stats.contended_wall_ns += ns - g->waiters_since;
    unlock(g);
    emit(g, t, GIL_EV_ACQUIRED, ns);
    return 0;
}

int gil_release(Gil *g, GilThread *t, bool voluntary) {
    lock(g);
    if (UNLIKELY(holder_of(g) != t)) {
        unlock(g);
        return -1;
    }
    uint64_t ns = release_locked(g, t, voluntary);
    unlock(g);
    emit(g, t, GIL_EV_RELEASED, ns);
    return 0;
}

bool gil_drop_request_honour(Gil *g, GilThread *t) {
    lock(g);
    if (holder_of(g) != t || !(atomic_load(t->eval_breaker) & t->drop_bit)) {
        unlock(g);
        return false;
    }
    uint64_t ns = release_locked(g, t, false);
    // Forced switching: do not race the waiter for the GIL we just let go.
    // GIL_RELEASE races it.
    if (atomic_load_explicit(&g->switch_mode, RELAXED) == GIL_HANDOVER) {
        uint64_t saved = g->switch_number;
        while (g->waiters > 0 && g->switch_number == saved)
            check(pthread_cond_wait(&g->switched, &g->mutex), "condition wait");
    }
    unlock(g);
    emit(g, t, GIL_EV_RELEASED, ns);
    gil_acquire(g, t);   // cannot fail: t does not hold it
    return true;
}

bool gil_held_by(Gil *g, const GilThread *t) {
    return atomic_load_explicit(&g->holder, memory_order_acquire) == t;
}

int gil_set_interval(Gil *g, int64_t us) {
    if (us < 0)
        return -1;
    atomic_store_explicit(&g->interval_us, us, RELAXED);
    return 0;
}

int64_t gil_get_interval(Gil *g) {
    return atomic_load_explicit(&g->interval_us, RELAXED);
}

void gil_set_switch_every(Gil *g, uint64_t n) {
    atomic_store_explicit(&g->switch_every, n, RELAXED);
}

uint64_t gil_get_switch_every(Gil *g) {
    return atomic_load_explicit(&g->switch_every, RELAXED);
}

void gil_set_switch_mode(Gil *g, GilSwitchMode mode) {
    atomic_store_explicit(&g->switch_mode, (int)mode, RELAXED);
}

GilSwitchMode gil_get_switch_mode(Gil *g) {
    return (GilSwitchMode)atomic_load_explicit(&g->switch_mode, RELAXED);
}

void gil_stats_snapshot(Gil *g, GilStats *out) {
    lock(g);
    *out = g->stats;
    uint64_t now = now_ns();
    GilThread *h = holder_of(g);
    if (h)
        out->held_ns += now - h->acquired_ns;
    if (g->waiters > 0)
        out->contended_wall_ns += now - g->waiters_since;
    unlock(g);
}

void gil_thread_stats_snapshot(Gil *g, const GilThread *t, GilThreadStats *out) {
    lock(g);
    *out = t->stats;
    if (holder_of(g) == t)
        out->held_ns += now_ns() - t->acquired_ns;
    unlock(g);
}
