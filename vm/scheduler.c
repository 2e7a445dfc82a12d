// The token scheduler behind --seed and --step (see scheduler.h for the model).
//
// Fields and their protection:
//   Sched.mu guards threads, turn, vnow and every SchedThread's state,
//   epoch_seen, wake_vt, timer_only, kind and list links. The token
//   holder alone uses rng, budget, in_policy and the control callbacks (the
//   token passes under mu, which orders one holder's writes before the
//   next holder's reads).
//   SchedThread memory: allocated by the parent in sched_thread_new, freed by
//   the thread itself in sched_thread_exit after it gave the token away (no
//   one else keeps a pointer: the list is walked under mu).
//
// The token and the GIL. The holder also holds the GIL. To hand over, the
// holder releases the GIL, marks the successor RUNNING and sets [turn]
// (under mu), signals the successor's condition, then waits on its own
// condition until [turn] is its own again, and re-takes the GIL. The
// successor waits for [turn] first and the GIL second, so at most one thread
// wants the GIL at any moment and the GIL's own waiters never ask for a drop
// (the switch interval is off while the scheduler is on).
//
// Who may run: a READY thread (preempted, or new), or a PARKED one that may
// succeed if it tries again -- sync's epoch moved since it failed, its
// virtual deadline has come, or it is the main thread and Ctrl-C is
// pending. When nobody may run, virtual time jumps to the earliest deadline
// and the process really sleeps until then. With no deadline at all the
// program waits for something outside it (a deadlock -- deadlock.c reports
// lock cycles -- or Ctrl-C) and the holder polls for Ctrl-C.
#include "scheduler.h"

#include <errno.h>
#include <signal.h>
#include <time.h>

#include "events.h"
#include "exc.h"
#include "gil.h"
#include "interp.h"
#include "sync.h"
#include "thread.h"


struct SchedThread {
    ThreadState *ts;
    uint64_t id;
    int state;               // SCHED_*
    bool started;            // has had the token at least once
    uint64_t counted;        // its instructions already added to virtual time (the
                             // thread's own field: no lock)
    uint64_t epoch_seen;     // PARKED: sync_epoch() when its last try failed
    int64_t wake_vt;         // PARKED: virtual deadline, INT64_MAX = none
    bool timer_only;         // PARKED in a sleep: only the deadline wakes it
    int kind;
    pthread_cond_t cv;       // signalled when [turn] becomes this thread
    SchedThread *next;       // in id order
};

struct Sched {
    pthread_mutex_t mu;
    Interp *in;
    SchedThread *threads;
    SchedThread *turn;       // the token holder
    int64_t vnow;            // virtual time, ns
    uint64_t seed, rng;
    uint32_t quantum;
    int64_t budget;          // preemption points before the next seeded switch
    bool in_policy;          // the control callback runs (no hand-over meanwhile)
    bool has_ctl;
    SchedControl ctl;
    int64_t saved_interval_us;     // the GIL model's, restored by sched_disable
    uint64_t saved_switch_every;
};

// --- helpers ----------------------------------------------------------------------

static uint64_t next_random(Sched *s) {   // splitmix64
    uint64_t z = (s->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int64_t draw_budget(Sched *s) {
    return 1 + (int64_t)(next_random(s) % (2 * (uint64_t)s->quantum));
}

static SchedThread *thread_new(ThreadState *ts, int state) {
    SchedThread *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (pthread_cond_init(&t->cv, NULL) != 0) {
        free(t);
        return NULL;
    }
    t->ts = ts;
    t->id = ts->id;
    t->state = state;
    t->wake_vt = INT64_MAX;
    return t;
}

static void thread_free(SchedThread *t) {
    pthread_cond_destroy(&t->cv);
    free(t);
}

// Keep the list in id order (ids are given in creation order).
static void link_thread(Sched *s, SchedThread *t) {
    SchedThread **p = &s->threads;
    while (*p && (*p)->id < t->id)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
}

static void unlink_thread(Sched *s, SchedThread *t) {
    for (SchedThread **p = &s->threads; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            return;
        }
    }
}

// mu held.
static bool may_run(Sched *s, const SchedThread *t, uint64_t epoch) {
    if (t->state == SCHED_READY)
        return true;
    if (t->state != SCHED_PARKED)
        return false;
    if (t->wake_vt <= s->vnow)
        return true;
    if (t->ts == s->in->main_thread && gilvm_sigint_pending)
        return true;
    return !t->timer_only && t->epoch_seen != epoch;
}

// A thread that may run, other than [except]; NULL if none. Seeded: a
// uniform choice; under a controlling policy: predictable for someone
// stepping by hand (a new thread first, then the lowest id). mu held.
static SchedThread *pick(Sched *s, const SchedThread *except) {
    uint64_t epoch = sync_epoch();
    uint64_t n = 0;
    for (SchedThread *t = s->threads; t; t = t->next)
        if (t != except && may_run(s, t, epoch))
            n++;
    if (n == 0)
        return NULL;
    if (s->has_ctl) {
        // A thread that has not run yet first: the one just started is
        // usually what the waiter waits for (Thread.start waits for it).
        for (SchedThread *t = s->threads; t; t = t->next)
            if (t != except && !t->started && may_run(s, t, epoch))
                return t;
        for (SchedThread *t = s->threads; t; t = t->next)
            if (t != except && may_run(s, t, epoch))
                return t;
        return NULL;
    }
    uint64_t k = next_random(s) % n;
    for (SchedThread *t = s->threads; t; t = t->next)
        if (t != except && may_run(s, t, epoch) && k-- == 0)
            return t;
    return NULL;
}

static void give(Sched *s, SchedThread *to) {
    to->state = SCHED_RUNNING;
    to->started = true;
    s->turn = to;
    pthread_cond_signal(&to->cv);
}

static void wait_turn(Sched *s, SchedThread *me) {
    while (s->turn != me)
        pthread_cond_wait(&me->cv, &s->mu);
}

// Really sleep [ns] (a jump of virtual time), in slices so Ctrl-C is seen.
static void real_sleep(int64_t ns) {
    while (ns > 0 && !gilvm_sigint_pending) {
        int64_t slice = ns < 50000000 ? ns : 50000000;
        struct timespec d = {(time_t)(slice / 1000000000), (long)(slice % 1000000000)};
        nanosleep(&d, NULL);
        ns -= slice;
    }
}

// The thread to run after [me] (PARKED or DONE), [me] included, waiting for
// virtual or real time as needed; nobody else runs meanwhile. mu held (let
// go while sleeping).
static SchedThread *choose(Sched *s) {
    for (;;) {
        SchedThread *t = pick(s, NULL);
        if (t)
            return t;
        int64_t soonest = INT64_MAX;
        for (SchedThread *u = s->threads; u; u = u->next)
            if (u->state == SCHED_PARKED && u->wake_vt < soonest)
                soonest = u->wake_vt;
        int64_t wait_ns = soonest != INT64_MAX ? soonest - s->vnow : 0;
        pthread_mutex_unlock(&s->mu);
        if (soonest != INT64_MAX) {
            real_sleep(wait_ns);
            pthread_mutex_lock(&s->mu);
            if (!gilvm_sigint_pending)
                s->vnow = soonest;
        } else {
            // Nothing ends by itself: wait for Ctrl-C (or the deadlock report).
            real_sleep(50000000);
            pthread_mutex_lock(&s->mu);
        }
    }
}

// --- life cycle ---------------------------------------------------------------------

int sched_enable(Interp *in, uint64_t seed, uint32_t quantum) {
    Sched *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    ThreadState *main_ts = in->main_thread;
    SchedThread *m = thread_new(main_ts, SCHED_RUNNING);
    if (m) {
        m->started = true;
        m->counted = STATS_GET(main_ts->stats.bytecodes);
    }
    if (!m || pthread_mutex_init(&s->mu, NULL) != 0) {
        if (m)
            thread_free(m);
        free(s);
        return -1;
    }
    s->in = in;
    s->seed = seed;
    s->rng = seed;
    s->quantum = quantum ? quantum : 1;
    s->budget = draw_budget(s);
    link_thread(s, m);
    s->turn = m;
    main_ts->sched = m;
    // The scheduler alone decides hand-overs: no time-based drop requests,
    // no instruction budget.
    s->saved_interval_us = gil_get_interval(&in->gil);
    s->saved_switch_every = in->switch_every;
    gil_set_interval(&in->gil, 0);
    in->switch_every = 0;
    in->sched = s;
    atomic_fetch_or(&main_ts->eval_breaker, EB_SCHED);
    return 0;
}

void sched_free(Interp *in) {
    Sched *s = in->sched;
    if (!s)
        return;
    // Called by the main thread when no other thread is left (interp_free).
    SchedThread *t = s->threads;
    while (t) {
        SchedThread *next = t->next;
        t->ts->sched = NULL;
        thread_free(t);
        t = next;
    }
    pthread_mutex_destroy(&s->mu);
    free(s);
    in->sched = NULL;
}

int sched_disable(Interp *in) {
    Sched *s = in->sched;
    if (!s)
        return 0;
    pthread_mutex_lock(&s->mu);
    bool alone = s->threads && !s->threads->next && s->threads->ts == in->main_thread;
    pthread_mutex_unlock(&s->mu);
    if (!alone)
        return -1;
    atomic_fetch_and(&in->main_thread->eval_breaker, ~(uint32_t)EB_SCHED);
    gil_set_interval(&in->gil, s->saved_interval_us);
    in->switch_every = s->saved_switch_every;
    sched_free(in);
    return 0;
}

void sched_set_control(Interp *in, const SchedControl *ctl) {
    Sched *s = in->sched;
    if (!s)
        return;
    s->has_ctl = ctl != NULL;
    if (ctl)
        s->ctl = *ctl;
}

int sched_thread_new(Interp *in, ThreadState *child) {
    Sched *s = in->sched;
    SchedThread *t = thread_new(child, SCHED_READY);
    if (!t)
        return -1;
    pthread_mutex_lock(&s->mu);
    link_thread(s, t);
    pthread_mutex_unlock(&s->mu);
    child->sched = t;
    return 0;
}

void sched_thread_forget(Interp *in, ThreadState *child) {
    Sched *s = in->sched;
    SchedThread *t = child->sched;
    if (!s || !t)
        return;
    pthread_mutex_lock(&s->mu);
    unlink_thread(s, t);
    pthread_mutex_unlock(&s->mu);
    child->sched = NULL;
    thread_free(t);
}

void sched_wait_turn(ThreadState *ts) {
    Sched *s = ts->interp->sched;
    SchedThread *me = ts->sched;
    if (!s || !me)
        return;
    atomic_fetch_or(&ts->eval_breaker, EB_SCHED);
    pthread_mutex_lock(&s->mu);
    wait_turn(s, me);
    pthread_mutex_unlock(&s->mu);
}

void sched_thread_exit(ThreadState *ts) {
    Sched *s = ts->interp->sched;
    SchedThread *me = ts->sched;
    if (!s || !me)
        return;
    pthread_mutex_lock(&s->mu);
    me->state = SCHED_DONE;
    SchedThread *next = choose(s);
    pthread_mutex_unlock(&s->mu);
    if (s->has_ctl && s->ctl.parked)
        s->ctl.parked(s->ctl.ctx, ts, next->ts);
    pthread_mutex_lock(&s->mu);
    unlink_thread(s, me);
    ts->sched = NULL;   // before the hand-over: the next holder may look
    give(s, next);
    pthread_mutex_unlock(&s->mu);
    thread_free(me);
}

// --- hand-overs ------------------------------------------------------------------------

// The holder [ts] lets [to] run (a preemption: [to] is READY or PARKED;
// [ts] becomes READY) and waits for its own next turn. The GIL is let go
// first, so the successor finds it free.
static void switch_to(ThreadState *ts, SchedThread *to) {
    Sched *s = ts->interp->sched;
    SchedThread *me = ts->sched;
    events_gil_forced(ts);
    gil_release(&ts->interp->gil, &ts->gilt, false);
    pthread_mutex_lock(&s->mu);
    me->state = SCHED_READY;
    give(s, to);
    wait_turn(s, me);
    pthread_mutex_unlock(&s->mu);
    gil_acquire(&ts->interp->gil, &ts->gilt);
}

void sched_preempt(ThreadState *ts) {
    Interp *in = ts->interp;
    Sched *s = in->sched;
    SchedThread *me = ts->sched;
    if (!s || !me || s->in_policy || atomic_load(&in->finalizing))
        return;
    // Instructions are counted into ts->stats.bytecodes at every preemption
    // point (the eval breaker flushes the count before calling here).
    uint64_t done = STATS_GET(ts->stats.bytecodes);
    uint64_t ran = done - me->counted;
    me->counted = done;
    pthread_mutex_lock(&s->mu);
    s->vnow += (int64_t)(ran * SCHED_NS_PER_INSTRUCTION);
    pthread_mutex_unlock(&s->mu);
    ThreadState *next = NULL;
    if (s->has_ctl) {
        s->in_policy = true;
        next = s->ctl.decide(s->ctl.ctx, ts);
        s->in_policy = false;
        if (next == ts)
            return;
    }
    SchedThread *to = NULL;
    if (next) {
        to = next->sched;
    } else {
        if (--s->budget > 0)
            return;
        s->budget = draw_budget(s);
        pthread_mutex_lock(&s->mu);
        to = pick(s, me);
        pthread_mutex_unlock(&s->mu);
    }
    if (to && to != me)
        switch_to(ts, to);
}

static int park(ThreadState *ts, int kind, int64_t deadline, bool timer_only) {
    Sched *s = ts->interp->sched;
    SchedThread *me = ts->sched;
    bool is_main = ts == ts->interp->main_thread;
    pthread_mutex_lock(&s->mu);
    if (s->vnow >= deadline) {
        pthread_mutex_unlock(&s->mu);
        return 1;
    }
    if (is_main && gilvm_sigint_pending) {
        pthread_mutex_unlock(&s->mu);
        return 2;
    }
    me->state = SCHED_PARKED;
    me->epoch_seen = sync_epoch();
    me->wake_vt = deadline;
    me->timer_only = timer_only;
    me->kind = kind;
    SchedThread *next = choose(s);
    pthread_mutex_unlock(&s->mu);
    if (next != me) {
        if (s->has_ctl && s->ctl.parked)
            s->ctl.parked(s->ctl.ctx, ts, next->ts);
        gil_release(&ts->interp->gil, &ts->gilt, true);
        pthread_mutex_lock(&s->mu);
        give(s, next);
        wait_turn(s, me);
        pthread_mutex_unlock(&s->mu);
        gil_acquire(&ts->interp->gil, &ts->gilt);
    } else {
        pthread_mutex_lock(&s->mu);
        give(s, me);
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_lock(&s->mu);
    me->wake_vt = INT64_MAX;
    bool late = s->vnow >= deadline;
    pthread_mutex_unlock(&s->mu);
    if (is_main && gilvm_sigint_pending)
        return 2;
    return late ? 1 : 0;
}

void sched_let_others_finish(ThreadState *ts, int timeout_ms) {
    Sched *s = ts->interp->sched;
    SchedThread *me = ts->sched;
    if (!s || !me)
        return;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        pthread_mutex_lock(&s->mu);
        bool alone = s->threads == me && !me->next;
        int64_t wake = s->vnow + 1000000;
        pthread_mutex_unlock(&s->mu);
        clock_gettime(CLOCK_MONOTONIC, &t);
        int64_t ms = (int64_t)(t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (alone || ms >= timeout_ms)
            return;
        park(ts, SCHED_WAIT_SLEEP, wake, true);   // 1 ms for the others
    }
}

static int64_t deadline_after(Sched *s, double seconds) {
    if (seconds < 0 || seconds > 9e9)
        return INT64_MAX;
    pthread_mutex_lock(&s->mu);
    int64_t now = s->vnow;
    pthread_mutex_unlock(&s->mu);
    int64_t ns = (int64_t)(seconds * 1e9);
    return now + (ns > 0 ? ns : 1);
}

int sched_park(ThreadState *ts, int kind, double timeout, int64_t *deadline) {
    Sched *s = ts->interp->sched;
    if (!s || !ts->sched)
        return -1;
    if (s->in_policy)
        return 1;   // code run by the stepping UI never waits
    if (*deadline == 0)
        *deadline = deadline_after(s, timeout);
    return park(ts, kind, *deadline, false);
}

int sched_sleep(ThreadState *ts, int64_t ns) {
    Sched *s = ts->interp->sched;
    if (s->in_policy || ns <= 0)
        return 0;
    int64_t deadline = deadline_after(s, (double)ns / 1e9);
    thread_begin_blocking_on(ts, WAIT_SLEEP, NULL);
    int r;
    while ((r = park(ts, SCHED_WAIT_SLEEP, deadline, true)) == 0) {
    }
    thread_end_blocking(ts);
    if (r == 2)
        return interp_check_signals();
    return 0;
}

// --- observers --------------------------------------------------------------------------

int sched_state_of(ThreadState *t, int *kind) {
    Sched *s = t->interp->sched;
    SchedThread *st = t->sched;
    if (!s || !st)
        return SCHED_DONE;
    pthread_mutex_lock(&s->mu);
    int state = st->state;
    if (kind)
        *kind = st->kind;
    pthread_mutex_unlock(&s->mu);
    return state;
}

bool sched_runnable(ThreadState *t) {
    Sched *s = t->interp->sched;
    SchedThread *st = t->sched;
    if (!s || !st)
        return false;
    pthread_mutex_lock(&s->mu);
    bool r = st == s->turn || may_run(s, st, sync_epoch());
    pthread_mutex_unlock(&s->mu);
    return r;
}

uint64_t sched_seed(Interp *in) {
    return in->sched ? in->sched->seed : 0;
}
