// Python threads on POSIX threads, and the blocking bracket (see thread.h).
//
// Lifetime of a thread started by thread_start: the parent allocates its
// ThreadState and a Boot record (owned references to the callable and its
// arguments) and creates a detached pthread; the child takes the GIL, runs
// the callable, releases what it holds while it still has the GIL, then
// leaves the GIL, frees its state and hands its allocator cache back
// (alloc_thread_exit). Joining is done in Python
// (threading.py waits on an event set at the end of the thread's run).
//
// --race (race.c): the child's clock starts as a copy of the parent's, taken
// just before pthread_create; the thread's clock is dropped after its last
// bytecode.
//
// The deadlock detector (deadlock.c) counts a thread as live from just before
// its pthread_create until deadlock_thread_exit, after its last bytecode.
//
// Finalisation: once the main thread starts tearing the interpreter down it
// sets interp->finalizing and keeps the GIL. A thread still alive then (a
// daemon) never gets the GIL back: it parks forever and the process exit
// ends it, as in CPython.
#include "thread.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abstract.h"
#include "alloc.h"
#include "deadlock.h"
#include "exc.h"
#include "scheduler.h"
#include "str.h"
#include "interp.h"
#include "race.h"
#include "tuple.h"

#define THREAD_STACK_SIZE (8u << 20)

void tstate_set_stack(ThreadState *ts, size_t stack_size);
void tstate_clear(ThreadState *ts);
void tstate_delete(ThreadState *ts);

static _Noreturn void park_forever(ThreadState *ts) {
    atomic_store(&ts->run_state, THREAD_PARKED);
    for (;;)
        pause();
}

// After (re)taking the GIL, or on waking in free-threaded mode: a thread
// other than main parks if the interpreter is going away.
static void check_finalizing(ThreadState *ts) {
    Interp *in = ts->interp;
    if (UNLIKELY(atomic_load(&in->finalizing)) && ts != in->main_thread) {
        if (in->mode == MODE_GIL)
            gil_release(&in->gil, &ts->gilt, true);
        park_forever(ts);
    }
}

void thread_attach(ThreadState *ts) {
    Interp *in = ts->interp;
    // Register the owner id before the first count under it (brc.h). In GIL
    // mode every thread counts as RC_ID_MAIN, registered by the main thread.
    if (in->mode == MODE_FREE || ts == in->main_thread)
        brc_thread_register(&ts->brc, ts->rc_id, &ts->eval_breaker, EB_BRC_MERGE);
    rc_self = ts->rc_id;
    obj_locking = in->mode == MODE_FREE;
    race_thread_attach(ts);
    atomic_store(&ts->run_state, THREAD_RUNNING);
    gil_thread_init(&ts->gilt, &ts->eval_breaker, EB_GIL_DROP, ts->id);
    events_thread_attach(ts);
    if (in->mode == MODE_GIL) {
        sched_wait_turn(ts);   // --seed / --step: the scheduler's turn first
        gil_acquire(&in->gil, &ts->gilt);
        check_finalizing(ts);
    }
}

void thread_detach(ThreadState *ts) {
    Interp *in = ts->interp;
    if (in->mode == MODE_FREE || ts == in->main_thread)
        brc_thread_unregister(&ts->brc);
    rc_self = RC_ID_NONE;
    obj_locking = false;
    if (in->mode == MODE_GIL) {
        gil_release(&in->gil, &ts->gilt, true);
        sched_thread_exit(ts);
    }
}

void thread_begin_blocking_on(ThreadState *ts, int kind, const void *on) {
    if (ts->blocking++ > 0)
        return;
    events_block(ts, kind, on);
    // Publish where the thread blocks (for :threads), then the state: a
    // reader that sees BLOCKED sees this position or a later one.
    Frame *f = ts->frame;
    atomic_store_explicit(&ts->blocked_code, f ? f->code : NULL, memory_order_release);
    atomic_store_explicit(&ts->blocked_lasti, f ? frame_lasti(f) : 0, RELAXED);
    atomic_store(&ts->run_state, THREAD_BLOCKED);
    // Under the scheduler the token (and the GIL) moves only when a wait
    // parks (scheduler.c): output and input keep it, so the schedule stays a
    // function of the seed.
    if (ts->interp->mode == MODE_GIL && !ts->interp->sched)
        gil_release(&ts->interp->gil, &ts->gilt, true);
}

void thread_begin_blocking(ThreadState *ts) {
    thread_begin_blocking_on(ts, WAIT_IO, NULL);
}

void thread_end_blocking(ThreadState *ts) {
    if (--ts->blocking > 0)
        return;
    events_unblock(ts);
    // Free-threaded: sequentially consistent store, then the load in
    // check_finalizing: either the finalizing main thread sees RUNNING and
    // waits, or this thread sees `finalizing` and parks (thread_stop_others).
    // Under the GIL the state only informs observers (RUNNING while it waits
    // for the GIL).
    atomic_store(&ts->run_state, THREAD_RUNNING);
    if (ts->interp->mode == MODE_GIL && !ts->interp->sched)
        gil_acquire(&ts->interp->gil, &ts->gilt);
    check_finalizing(ts);
}

int thread_switch_mode(Interp *in, InterpMode mode) {
    ThreadState *ts = ts_cur;
    ASSERT(ts == in->main_thread && ts->blocking == 0, "mode switch outside the main thread's bytecode");
    pthread_mutex_lock(&in->lock);
    int others = 0;
    for (ThreadState *t = in->threads; t; t = t->next)
        others += t != ts;
    if (others == 0 && mode != in->mode) {
        // No other thread exists and only this one can start one, so nobody
        // reads `mode` meanwhile; threads started later see the new value
        // (pthread_create orders it). Reference counting needs nothing: the
        // main thread keeps its owner id in both modes, and objects owned by
        // exited threads are merged by whoever drops them (brc.h).
        if (mode == MODE_FREE) {
            in->mode = MODE_FREE;
            gil_release(&in->gil, &ts->gilt, true);
        } else {
            gil_acquire(&in->gil, &ts->gilt);
            in->mode = MODE_GIL;
        }
        obj_locking = mode == MODE_FREE;
        // The caches hold values validated differently per mode.
        tstate_clear_caches(ts);
    }
    pthread_mutex_unlock(&in->lock);
    return others;
}

void thread_honour_drop_request(ThreadState *ts) {
    Interp *in = ts->interp;
    if (in->mode != MODE_GIL) {
        atomic_fetch_and(&ts->eval_breaker, ~(uint32_t)EB_GIL_DROP);
        return;
    }
    events_gil_forced(ts);
    gil_drop_request_honour(&in->gil, &ts->gilt);
    check_finalizing(ts);
}

void thread_honour_stop(ThreadState *ts) {
    atomic_fetch_and(&ts->eval_breaker, ~(uint32_t)EB_STOP_WORLD);
    check_finalizing(ts);
}

void thread_stop_others(Interp *in) {
    ThreadState *self = ts_cur;
    atomic_store(&in->finalizing, true);
    if (in->mode == MODE_GIL)
        return;   // they park when they next want the GIL
    for (;;) {
        bool all_stopped = true;
        pthread_mutex_lock(&in->lock);
        for (ThreadState *t = in->threads; t; t = t->next) {
            if (t == self)
                continue;
            atomic_fetch_or(&t->eval_breaker, EB_STOP_WORLD);
            if (atomic_load(&t->run_state) == THREAD_RUNNING)
                all_stopped = false;
        }
        pthread_mutex_unlock(&in->lock);
        if (all_stopped)
            return;
        struct timespec pause_ts = {0, 100 * 1000};
        nanosleep(&pause_ts, NULL);
    }
}

static void hook_begin(void *ctx, const void *waiting_on, int kind) {
    static const int kinds[] = {
        [SYNC_WAIT_LOCK] = WAIT_LOCK,           [SYNC_WAIT_RLOCK] = WAIT_RLOCK,
        [SYNC_WAIT_SEMAPHORE] = WAIT_SEMAPHORE, [SYNC_WAIT_EVENT] = WAIT_EVENT,
        [SYNC_WAIT_CONDITION] = WAIT_CONDITION, [SYNC_WAIT_BARRIER] = WAIT_BARRIER,
    };
    int k = kind > 0 && (size_t)kind < ARRAY_LEN(kinds) ? kinds[kind] : WAIT_LOCK;
    thread_begin_blocking_on((ThreadState *)ctx, k, waiting_on);
}

static void hook_end(void *ctx) {
    thread_end_blocking((ThreadState *)ctx);
}


static int hook_interrupted(void *ctx) {
    ThreadState *ts = ctx;
    return ts == ts->interp->main_thread && gilvm_sigint_pending;
}

static int hook_park(void *ctx, const void *on, int kind, double timeout, int64_t *deadline) {
    UNUSED(on);
    return sched_park((ThreadState *)ctx, kind, timeout, deadline);
}

SyncWaitHooks thread_wait_hooks(ThreadState *ts) {
    return (SyncWaitHooks){hook_begin, hook_end, hook_interrupted, ts, NULL,
                           ts->interp->sched ? hook_park : NULL};
}

// --- starting threads -------------------------------------------------------------

typedef struct {
    ThreadState *ts;
    Value func, args, kwargs;   // owned
} Boot;

static void run_boot(Boot *b) {
    Value r = interp_call_ex(b->func, b->args, b->kwargs == VAL_NONE ? VAL_NULL : b->kwargs);
    if (r) {
        decref(r);
        return;
    }
    if (exc_matches(&exc_SystemExit)) {
        exc_clear();
        return;
    }
    // What threading.py does not handle itself (a bare _thread callable).
    Value e = exc_fetch();
    Value fr = val_repr(b->func);
    fflush(stdout);
    fprintf(stderr, "Unhandled exception in thread started by %s\n", fr ? str_cstr(fr) : "?");
    if (!fr)
        exc_clear();
    decref(fr);
    exc_print(e);
    decref(e);
}

static void *thread_main(void *arg) {
    Boot *b = arg;
    ThreadState *ts = b->ts;
    Interp *in = ts->interp;
    ts_cur = ts;
    ts->native_id = (uint64_t)syscall(SYS_gettid);
    tstate_set_stack(ts, THREAD_STACK_SIZE);
    thread_attach(ts);
    run_boot(b);
    race_thread_exit(ts);
    atomic_store(&ts->finished, true);
    decref(b->func);
    decref(b->args);
    decref(b->kwargs);
    free(b);
    tstate_clear(ts);
    deadlock_thread_exit(ts);
    thread_detach(ts);
    events_thread_finish(ts);   // after the last GIL release, so it is counted
    ts_cur = NULL;
    tstate_delete(ts);
    // Blocks this thread freed go back to the shared pool (objects it
    // allocated may live on; any thread may free them).
    alloc_thread_exit();
    // The last touch of the interpreter: once the count drops, the main
    // thread may free it (interp_free).
    atomic_fetch_sub(&in->nthreads, 1);
    return NULL;
}

int64_t thread_start(Value func, Value args, Value kwargs) {
    ThreadState *parent = ts_cur;
    Interp *in = parent->interp;
    ThreadState *ts = tstate_new(in);
    Boot *b = ts ? malloc(sizeof(Boot)) : NULL;
    if (!b) {
        if (ts)
            tstate_delete(ts);
        exc_raise(&exc_RuntimeError, "can't start new thread");
        return -1;
    }
    ts->rc_id = in->naive_refcount ? RC_ID_NAIVE
                : in->mode == MODE_GIL ? RC_ID_MAIN
                : (uintptr_t)ts;
    ts->switch_budget = (int64_t)in->switch_every;
    if (in->sched && sched_thread_new(in, ts) < 0) {
        free(b);
        tstate_delete(ts);
        exc_raise(&exc_RuntimeError, "can't start new thread");
        return -1;
    }
    b->ts = ts;
    b->func = incref(func);
    b->args = incref(args);
    b->kwargs = incref(kwargs);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK_SIZE);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    atomic_fetch_add(&in->nthreads, 1);
    deadlock_thread_starting(in);
    race_thread_start(parent, ts);   // the child starts with what the parent did so far
    int64_t id = (int64_t)ts->id;
    int rc = pthread_create(&tid, &attr, thread_main, b);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        atomic_fetch_sub(&in->nthreads, 1);
        deadlock_thread_not_started(in);
        decref(b->func);
        decref(b->args);
        decref(b->kwargs);
        free(b);
        sched_thread_forget(in, ts);
        tstate_delete(ts);
        exc_raise(&exc_RuntimeError, "can't start new thread");
        return -1;
    }
    return id;
}
