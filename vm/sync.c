// sync: Lock, RLock, Semaphore, Event, Condition, Barrier (see sync.h).
//
// Locking. Each primitive has one internal mutex [m] and one condition
// variable [cv] (CLOCK_MONOTONIC). [m] protects every other field of its
// struct, always; there are no lock-free reads. Internal mutexes are leaves:
// no other mutex is taken and no callback runs while one is held. A Condition
// never holds its own [m] while it touches the user lock (they are taken one
// after the other), and no hook or barrier action runs under any [m], so they
// may release the GIL, take it, or call sync again.
//
//   SyncLock       m: locked, owner, site
//   SyncRLock      m: owner, count, site
//   SyncSemaphore  m: value (bound, bounded are immutable after init)
//   SyncEvent      m: flag, sets
//   SyncCondition  m: head, tail and every queued SyncCondWaiter's fields
//                  (lock/rlock immutable; the user lock has its own m)
//   SyncBarrier    m: count, state (parties immutable)
//
// Waiting. block_on() is the one waiting loop: try under [m]; if that fails
// and the timeout allows, leave [m], call begin, take [m], then sleep on [cv]
// until the try succeeds, the deadline passes, or the periodic poll of
// interrupted() (made with [m] released) says stop; leave [m] and call end.
// A waiter that gives up (timeout, interrupt) signals [cv] once more: a
// pthread_cond_timedwait that times out may have consumed a signal meant for
// another waiter, and passing it on keeps the wake-up from being lost.
// A successful bracketed wait sets *hooks->granted under [m], where
// sync_waiter_stuck (the deadlock detector's question) reads it.
// Wake-ups: Lock/RLock/Semaphore releases signal (one waiter can use it);
// Event, Condition and Barrier broadcast (waiters check their own predicate).
//
// Condition waiters are SyncCondWaiter nodes on the waiting thread's stack,
// queued FIFO under the condition's [m]. notify(n) dequeues up to n nodes and
// marks them notified under [m]; a waiter only unlinks its own node under [m]
// when it gives up, so no node is touched after its thread returns. The node
// is queued before the user lock is released, and notify needs the user
// lock, so no notify can slip between the release and the wait.
#include "sync.h"

#include <errno.h>
#include <math.h>
#include <time.h>

#define NS_PER_SEC 1000000000L

struct SyncCondWaiter {
    SyncCondWaiter *prev, *next;
    bool notified;
};

// --- time -----------------------------------------------------------------------

static struct timespec mono_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

static struct timespec ts_add(struct timespec t, double seconds) {
    // [seconds] is in [0, SYNC_TIMEOUT_MAX]: truncation is floor, no libm.
    time_t whole = (time_t)seconds;
    t.tv_sec += whole;
    t.tv_nsec += (long)((seconds - (double)whole) * (double)NS_PER_SEC);
    while (t.tv_nsec >= NS_PER_SEC) {
        t.tv_nsec -= NS_PER_SEC;
        t.tv_sec++;
    }
    return t;
}

static bool ts_ge(struct timespec a, struct timespec b) {
    return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec >= b.tv_nsec;
}

// --- init helpers ---------------------------------------------------------------

static SyncStatus fail(const char **err, const char *msg) {
    if (err)
        *err = msg;
    return SYNC_ERROR;
}

// Every state change that may end somebody's wait goes through these two,
// which also move the epoch the scheduler (scheduler.c) watches: a parked waiter
// retries only after the epoch moved.
static _Atomic uint64_t epoch;

uint64_t sync_epoch(void) {
    return atomic_load_explicit(&epoch, memory_order_acquire);
}

static void wake_one(pthread_cond_t *cv) {
    atomic_fetch_add_explicit(&epoch, 1, memory_order_release);
    pthread_cond_signal(cv);
}

static void wake_all(pthread_cond_t *cv) {
    atomic_fetch_add_explicit(&epoch, 1, memory_order_release);
    pthread_cond_broadcast(cv);
}

static SyncStatus init_pair(pthread_mutex_t *m, pthread_cond_t *cv, const char **err) {
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return fail(err, "cannot create lock");
    if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(cv, &attr) != 0) {
        pthread_condattr_destroy(&attr);
        return fail(err, "cannot create lock");
    }
    pthread_condattr_destroy(&attr);
    if (pthread_mutex_init(m, NULL) != 0) {
        pthread_cond_destroy(cv);
        return fail(err, "cannot create lock");
    }
    return SYNC_OK;
}

static void destroy_pair(pthread_mutex_t *m, pthread_cond_t *cv) {
    pthread_cond_destroy(cv);
    pthread_mutex_destroy(m);
}

// --- the waiting loop -------------------------------------------------------------

// Called with the primitive's [m] held; true when the caller got what it
// waits for (and has taken it, if there is something to take).
typedef bool (*TryFn)(void *arg);

typedef enum { STEP_WOKE, STEP_TIMEOUT, STEP_INTERRUPTED } WaitStep;

typedef struct {
    const SyncWaitHooks *hooks;
    bool forever;
    bool poll;                    // interrupted() is polled
    struct timespec deadline;     // unless forever
    struct timespec next_poll;    // if poll
} Wait;

static void wait_start(Wait *w, double timeout, const SyncWaitHooks *hooks,
                       bool interruptible) {
    struct timespec now = mono_now();
    w->hooks = hooks;
    w->forever = timeout < 0 || timeout > SYNC_TIMEOUT_MAX;
    w->poll = interruptible && hooks && hooks->interrupted;
    if (!w->forever)
        w->deadline = ts_add(now, timeout);
    w->next_poll = ts_add(now, SYNC_POLL_INTERVAL_MS / 1000.0);
}

// One sleep on [cv] (with [m] held) until a wake-up, the deadline or the
// next interrupt poll.
static WaitStep wait_step(Wait *w, pthread_cond_t *cv, pthread_mutex_t *m) {
    if (w->poll) {
        struct timespec until =
            (!w->forever && ts_ge(w->next_poll, w->deadline)) ? w->deadline : w->next_poll;
        pthread_cond_timedwait(cv, m, &until);
    } else if (!w->forever) {
        pthread_cond_timedwait(cv, m, &w->deadline);
    } else {
        pthread_cond_wait(cv, m);
    }
    // The return code is not trusted: the clock decides.
    struct timespec now = mono_now();
    if (!w->forever && ts_ge(now, w->deadline))
        return STEP_TIMEOUT;
    if (w->poll && ts_ge(now, w->next_poll)) {
        pthread_mutex_unlock(m);
        int stop = w->hooks->interrupted(w->hooks->ctx);
        pthread_mutex_lock(m);
        w->next_poll = ts_add(mono_now(), SYNC_POLL_INTERVAL_MS / 1000.0);
        if (stop)
            return STEP_INTERRUPTED;
    }
    return STEP_WOKE;
}

static void hook_begin(const SyncWaitHooks *hooks, const void *on, SyncWaitKind kind) {
    if (hooks && hooks->begin)
        hooks->begin(hooks->ctx, on, (int)kind);
}

static void hook_end(const SyncWaitHooks *hooks) {
    if (hooks && hooks->end)
        hooks->end(hooks->ctx);
}

// Waits until [try_fn]([arg]) succeeds. Called and returns with [m] NOT held.
// SYNC_OK, SYNC_TIMEOUT or SYNC_INTERRUPTED (only if [interruptible]).
static SyncStatus block_on(pthread_mutex_t *m, pthread_cond_t *cv, TryFn try_fn, void *arg,
                           double timeout, bool interruptible, const SyncWaitHooks *hooks,
                           const void *waiting_on, SyncWaitKind kind) {
    pthread_mutex_lock(m);
    bool got = try_fn(arg);
    pthread_mutex_unlock(m);
    if (got)
        return SYNC_OK;
    if (timeout == 0)
        return SYNC_TIMEOUT;

    hook_begin(hooks, waiting_on, kind);
    pthread_mutex_lock(m);
    Wait w;
    wait_start(&w, timeout, hooks, interruptible);
    WaitStep step = STEP_WOKE;
    SyncStatus st;
    if (hooks && hooks->park) {
        // A scheduler decides who runs: retry whenever it says so.
        int64_t deadline = 0;
        for (;;) {
            if (try_fn(arg)) {
                st = SYNC_OK;
                break;
            }
            if (step == STEP_TIMEOUT) {
                st = SYNC_TIMEOUT;
                break;
            }
            pthread_mutex_unlock(m);
            int r = hooks->park(hooks->ctx, waiting_on, (int)kind, timeout, &deadline);
            pthread_mutex_lock(m);
            if (r < 0)
                goto kernel_wait;   // no scheduler after all
            if (r == 2 && interruptible) {
                st = SYNC_INTERRUPTED;
                break;
            }
            step = r == 1 ? STEP_TIMEOUT : STEP_WOKE;
        }
        if (st == SYNC_OK && hooks->granted)
            *hooks->granted = true;
        pthread_mutex_unlock(m);
        hook_end(hooks);
        return st;
    }
kernel_wait:
    for (;;) {
        if (try_fn(arg)) {   // success beats a simultaneous timeout
            st = SYNC_OK;
            break;
        }
        if (step == STEP_TIMEOUT) {
            st = SYNC_TIMEOUT;
            break;
        }
        step = wait_step(&w, cv, m);
        if (step == STEP_INTERRUPTED) {
            st = SYNC_INTERRUPTED;
            break;
        }
    }
    if (st != SYNC_OK)
        pthread_cond_signal(cv);   // pass on a wake-up we may have consumed
    else if (hooks && hooks->granted)
        *hooks->granted = true;
    pthread_mutex_unlock(m);
    hook_end(hooks);
    return st;
}

// Normalises Python's (blocking, timeout) pair; false for NaN.
static bool check_timeout(bool blocking, double *timeout, const char **err) {
    if (!blocking) {
        *timeout = 0;
        return true;
    }
    if (isnan(*timeout)) {
        fail(err, "Invalid value NaN (not a number)");
        return false;
    }
    return true;
}

// --- Lock -------------------------------------------------------------------------

SyncStatus sync_lock_init(SyncLock *l, const char **err) {
    l->locked = false;
    l->owner = 0;
    l->site = 0;
    return init_pair(&l->m, &l->cv, err);
}

void sync_lock_destroy(SyncLock *l) { destroy_pair(&l->m, &l->cv); }

typedef struct {
    SyncLock *l;
    uint64_t tid, site;
} LockTry;

static bool lock_try(void *arg) {
    LockTry *a = arg;
    if (a->l->locked)
        return false;
    a->l->locked = true;
    a->l->owner = a->tid;
    a->l->site = a->site;
    return true;
}

static SyncStatus lock_acquire(SyncLock *l, uint64_t tid, uint64_t site, double timeout,
                               bool interruptible, const SyncWaitHooks *hooks) {
    LockTry a = {l, tid, site};
    return block_on(&l->m, &l->cv, lock_try, &a, timeout, interruptible, hooks, l,
                    SYNC_WAIT_LOCK);
}

SyncStatus sync_lock_acquire(SyncLock *l, uint64_t tid, uint64_t site, bool blocking,
                             double timeout, const SyncWaitHooks *hooks, const char **err) {
    if (!check_timeout(blocking, &timeout, err))
        return SYNC_ERROR;
    return lock_acquire(l, tid, site, timeout, true, hooks);
}

// Releases [l]; its acquire site in *[site] if not NULL.
static SyncStatus lock_release(SyncLock *l, uint64_t *site, const char **err) {
    pthread_mutex_lock(&l->m);
    if (!l->locked) {
        pthread_mutex_unlock(&l->m);
        return fail(err, "release unlocked lock");
    }
    if (site)
        *site = l->site;
    l->locked = false;
    l->owner = 0;
    l->site = 0;
    wake_one(&l->cv);
    pthread_mutex_unlock(&l->m);
    return SYNC_OK;
}

SyncStatus sync_lock_release(SyncLock *l, const char **err) {
    return lock_release(l, NULL, err);
}

bool sync_lock_locked(SyncLock *l) {
    pthread_mutex_lock(&l->m);
    bool locked = l->locked;
    pthread_mutex_unlock(&l->m);
    return locked;
}

uint64_t sync_lock_owner(SyncLock *l, uint64_t *site) {
    pthread_mutex_lock(&l->m);
    uint64_t owner = l->owner;
    if (site)
        *site = l->site;
    pthread_mutex_unlock(&l->m);
    return owner;
}

// --- RLock --------------------------------------------------------------------------

SyncStatus sync_rlock_init(SyncRLock *r, const char **err) {
    r->owner = 0;
    r->count = 0;
    r->site = 0;
    return init_pair(&r->m, &r->cv, err);
}

void sync_rlock_destroy(SyncRLock *r) { destroy_pair(&r->m, &r->cv); }

typedef struct {
    SyncRLock *r;
    uint64_t tid, site, count;   // count: what the owner's count becomes
} RLockTry;

static bool rlock_try(void *arg) {
    RLockTry *a = arg;
    if (a->r->owner != 0)
        return false;
    a->r->owner = a->tid;
    a->r->count = a->count;
    a->r->site = a->site;
    return true;
}

static SyncStatus rlock_acquire(SyncRLock *r, uint64_t tid, uint64_t site, uint64_t count,
                                double timeout, bool interruptible,
                                const SyncWaitHooks *hooks) {
    RLockTry a = {r, tid, site, count};
    return block_on(&r->m, &r->cv, rlock_try, &a, timeout, interruptible, hooks, r,
                    SYNC_WAIT_RLOCK);
}

SyncStatus sync_rlock_acquire(SyncRLock *r, uint64_t tid, uint64_t site, bool blocking,
                              double timeout, const SyncWaitHooks *hooks, const char **err) {
    ASSERT(tid != 0, "thread id 0 means no owner");
    if (!check_timeout(blocking, &timeout, err))
        return SYNC_ERROR;
    pthread_mutex_lock(&r->m);
    if (r->owner == tid) {
        // Only the owner changes count while it owns the lock.
        SyncStatus st = SYNC_OK;
        if (r->count == UINT64_MAX)
            st = fail(err, "internal lock count overflowed");
        else
            r->count++;
        pthread_mutex_unlock(&r->m);
        return st;
    }
    pthread_mutex_unlock(&r->m);
    return rlock_acquire(r, tid, site, 1, timeout, true, hooks);
}

// Releases [r] fully when [all], else once; the count and site it had in the
// non-NULL outs.
static SyncStatus rlock_release(SyncRLock *r, uint64_t tid, bool all, uint64_t *count,
                                uint64_t *site, const char **err) {
    pthread_mutex_lock(&r->m);
    if (tid == 0 || r->owner != tid) {
        pthread_mutex_unlock(&r->m);
        return fail(err, "cannot release un-acquired lock");
    }
    if (count)
        *count = r->count;
    if (site)
        *site = r->site;
    r->count = all ? 0 : r->count - 1;
    if (r->count == 0) {
        r->owner = 0;
        r->site = 0;
        wake_one(&r->cv);
    }
    pthread_mutex_unlock(&r->m);
    return SYNC_OK;
}

SyncStatus sync_rlock_release(SyncRLock *r, uint64_t tid, const char **err) {
    return rlock_release(r, tid, false, NULL, NULL, err);
}

bool sync_rlock_is_owned(SyncRLock *r, uint64_t tid) {
    pthread_mutex_lock(&r->m);
    bool owned = tid != 0 && r->owner == tid;
    pthread_mutex_unlock(&r->m);
    return owned;
}

uint64_t sync_rlock_owner(SyncRLock *r, uint64_t *count, uint64_t *site) {
    pthread_mutex_lock(&r->m);
    uint64_t owner = r->owner;
    if (count)
        *count = r->count;
    if (site)
        *site = r->site;
    pthread_mutex_unlock(&r->m);
    return owner;
}

// --- Semaphore ------------------------------------------------------------------------

SyncStatus sync_semaphore_init(SyncSemaphore *s, uint64_t value, bool bounded,
                               const char **err) {
    s->value = value;
    s->bound = value;
    s->bounded = bounded;
    return init_pair(&s->m, &s->cv, err);
}

void sync_semaphore_destroy(SyncSemaphore *s) { destroy_pair(&s->m, &s->cv); }

static bool semaphore_try(void *arg) {
    SyncSemaphore *s = arg;
    if (s->value == 0)
        return false;
    s->value--;
    return true;
}

SyncStatus sync_semaphore_acquire(SyncSemaphore *s, bool blocking, double timeout,
                                  const SyncWaitHooks *hooks, const char **err) {
    if (!check_timeout(blocking, &timeout, err))
        return SYNC_ERROR;
    return block_on(&s->m, &s->cv, semaphore_try, s, timeout, true, hooks, s,
                    SYNC_WAIT_SEMAPHORE);
}

SyncStatus sync_semaphore_release(SyncSemaphore *s, uint64_t n, const char **err) {
    if (n == 0)
        return fail(err, "n must be one or more");
    pthread_mutex_lock(&s->m);
    const char *msg = NULL;
    if (s->bounded && (s->value > s->bound || n > s->bound - s->value))
        msg = "Semaphore released too many times";
    else if (n > UINT64_MAX - s->value)
        msg = "semaphore value overflowed";
    if (msg) {
        pthread_mutex_unlock(&s->m);
        return fail(err, msg);
    }
    s->value += n;
    if (n == 1)
        wake_one(&s->cv);
    else
        wake_all(&s->cv);
    pthread_mutex_unlock(&s->m);
    return SYNC_OK;
}

uint64_t sync_semaphore_value(SyncSemaphore *s) {
    pthread_mutex_lock(&s->m);
    uint64_t v = s->value;
    pthread_mutex_unlock(&s->m);
    return v;
}

// --- Event ------------------------------------------------------------------------------

SyncStatus sync_event_init(SyncEvent *e, const char **err) {
    e->flag = false;
    e->sets = 0;
    return init_pair(&e->m, &e->cv, err);
}

void sync_event_destroy(SyncEvent *e) { destroy_pair(&e->m, &e->cv); }

void sync_event_set(SyncEvent *e) {
    pthread_mutex_lock(&e->m);
    if (!e->flag) {
        e->flag = true;
        e->sets++;
        wake_all(&e->cv);
    }
    pthread_mutex_unlock(&e->m);
}

void sync_event_clear(SyncEvent *e) {
    pthread_mutex_lock(&e->m);
    e->flag = false;
    pthread_mutex_unlock(&e->m);
}

bool sync_event_is_set(SyncEvent *e) {
    pthread_mutex_lock(&e->m);
    bool flag = e->flag;
    pthread_mutex_unlock(&e->m);
    return flag;
}

typedef struct {
    SyncEvent *e;
    bool started;
    uint64_t sets;   // e->sets when the wait started
} EventTry;

static bool event_try(void *arg) {
    EventTry *a = arg;
    if (!a->started) {
        a->started = true;
        a->sets = a->e->sets;
    }
    return a->e->flag || a->e->sets != a->sets;
}

SyncStatus sync_event_wait(SyncEvent *e, double timeout, const SyncWaitHooks *hooks,
                           const char **err) {
    if (!check_timeout(true, &timeout, err))
        return SYNC_ERROR;
    EventTry a = {e, false, 0};
    return block_on(&e->m, &e->cv, event_try, &a, timeout, true, hooks, e, SYNC_WAIT_EVENT);
}

// --- Condition --------------------------------------------------------------------------

static SyncStatus condition_init(SyncCondition *c, SyncLock *lock, SyncRLock *rlock,
                                 const char **err) {
    c->lock = lock;
    c->rlock = rlock;
    c->head = c->tail = NULL;
    return init_pair(&c->m, &c->cv, err);
}

SyncStatus sync_condition_init_lock(SyncCondition *c, SyncLock *lock, const char **err) {
    return condition_init(c, lock, NULL, err);
}

SyncStatus sync_condition_init_rlock(SyncCondition *c, SyncRLock *rlock, const char **err) {
    return condition_init(c, NULL, rlock, err);
}

void sync_condition_destroy(SyncCondition *c) {
    ASSERT(c->head == NULL, "condition destroyed while threads wait on it");
    destroy_pair(&c->m, &c->cv);
}

// The rest run with c->m held.
static void waiter_push(SyncCondition *c, SyncCondWaiter *w) {
    w->next = NULL;
    w->prev = c->tail;
    if (c->tail)
        c->tail->next = w;
    else
        c->head = w;
    c->tail = w;
}

static void waiter_unlink(SyncCondition *c, SyncCondWaiter *w) {
    if (w->prev)
        w->prev->next = w->next;
    else
        c->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        c->tail = w->prev;
    w->prev = w->next = NULL;
}

static void notify_locked(SyncCondition *c, uint64_t n) {
    bool any = false;
    while (n > 0 && c->head) {
        SyncCondWaiter *w = c->head;
        waiter_unlink(c, w);
        w->notified = true;
        any = true;
        n--;
    }
    if (any)
        wake_all(&c->cv);
}

static bool waiter_try(void *arg) { return ((SyncCondWaiter *)arg)->notified; }

// Python's _is_owned: a Lock is locked by anyone, an RLock owned by [tid].
static bool condition_owned(SyncCondition *c, uint64_t tid) {
    return c->lock ? sync_lock_locked(c->lock) : sync_rlock_is_owned(c->rlock, tid);
}

SyncStatus sync_condition_wait(SyncCondition *c, uint64_t tid, double timeout,
                               const SyncWaitHooks *hooks, const char **err) {
    if (!check_timeout(true, &timeout, err))
        return SYNC_ERROR;
    SyncCondWaiter node = {NULL, NULL, false};
    pthread_mutex_lock(&c->m);
    waiter_push(c, &node);
    pthread_mutex_unlock(&c->m);

    // Release after queueing (see the top of the file). The release itself
    // checks ownership, so a failure means "not acquired".
    uint64_t count = 0, site = 0;
    SyncStatus st = c->lock ? lock_release(c->lock, &site, NULL)
                            : rlock_release(c->rlock, tid, true, &count, &site, NULL);
    if (st != SYNC_OK) {
        pthread_mutex_lock(&c->m);
        waiter_unlink(c, &node);
        pthread_mutex_unlock(&c->m);
        return fail(err, "cannot wait on un-acquired lock");
    }

    st = block_on(&c->m, &c->cv, waiter_try, &node, timeout, true, hooks, c,
                  SYNC_WAIT_CONDITION);
    if (st != SYNC_OK) {
        pthread_mutex_lock(&c->m);
        if (!node.notified)
            waiter_unlink(c, &node);
        else if (st == SYNC_TIMEOUT)
            st = SYNC_OK;            // notified just after the deadline: keep it
        else
            notify_locked(c, 1);     // interrupted: hand the notify on
        pthread_mutex_unlock(&c->m);
    }

    if (c->lock)
        lock_acquire(c->lock, tid, site, -1, false, hooks);
    else
        rlock_acquire(c->rlock, tid, site, count, -1, false, hooks);
    return st;
}

SyncStatus sync_condition_notify(SyncCondition *c, uint64_t tid, uint64_t n,
                                 const char **err) {
    if (!condition_owned(c, tid))
        return fail(err, "cannot notify on un-acquired lock");
    pthread_mutex_lock(&c->m);
    notify_locked(c, n);
    pthread_mutex_unlock(&c->m);
    return SYNC_OK;
}

SyncStatus sync_condition_notify_all(SyncCondition *c, uint64_t tid, const char **err) {
    return sync_condition_notify(c, tid, UINT64_MAX, err);
}

// --- Barrier ----------------------------------------------------------------------------
//
// CPython's algorithm (Lib/threading.py) with one more state, ACTION: CPython
// runs the action holding the condition's lock; here it runs with [m]
// released, and ACTION makes arrivals wait (as DRAINING does), keeps waiters
// waiting, and makes reset() a no-op as it would be right after the action.

SyncStatus sync_barrier_init(SyncBarrier *b, uint64_t parties, const char **err) {
    if (parties == 0)
        return fail(err, "parties must be >= 1");
    b->parties = parties;
    b->count = 0;
    b->state = SYNC_BARRIER_FILLING;
    return init_pair(&b->m, &b->cv, err);
}

void sync_barrier_destroy(SyncBarrier *b) { destroy_pair(&b->m, &b->cv); }

typedef struct {
    SyncBarrier *b;
    uint64_t index;
    bool broken, last;
} BarrierEnter;

// Entering: wait while the previous round drains, then take an index.
static bool barrier_enter_try(void *arg) {
    BarrierEnter *a = arg;
    SyncBarrier *b = a->b;
    if (b->state == SYNC_BARRIER_DRAINING || b->state == SYNC_BARRIER_RESETTING ||
        b->state == SYNC_BARRIER_ACTION)
        return false;
    if (b->state == SYNC_BARRIER_BROKEN) {
        a->broken = true;
        return true;
    }
    a->index = b->count++;
    if (b->count == b->parties) {
        a->last = true;
        b->state = SYNC_BARRIER_ACTION;
    }
    return true;
}

static bool barrier_released_try(void *arg) {
    return ((SyncBarrier *)arg)->state != SYNC_BARRIER_FILLING;
}

static bool barrier_no_action_try(void *arg) {
    return ((SyncBarrier *)arg)->state != SYNC_BARRIER_ACTION;
}

// With [m] held: a thread leaves wait(); the last one out ends the drain.
static void barrier_exit_locked(SyncBarrier *b) {
    b->count--;
    if (b->count == 0 &&
        (b->state == SYNC_BARRIER_DRAINING || b->state == SYNC_BARRIER_RESETTING)) {
        b->state = SYNC_BARRIER_FILLING;
        wake_all(&b->cv);
    }
}

static void barrier_break_locked(SyncBarrier *b) {
    b->state = SYNC_BARRIER_BROKEN;
    wake_all(&b->cv);
}

SyncStatus sync_barrier_wait(SyncBarrier *b, double timeout, SyncBarrierAction action,
                             void *action_ctx, const SyncWaitHooks *hooks,
                             uint64_t *index, const char **err) {
    if (!check_timeout(true, &timeout, err))
        return SYNC_ERROR;
    // As CPython, waiting for the previous round to drain has no timeout.
    BarrierEnter a = {b, 0, false, false};
    SyncStatus st = block_on(&b->m, &b->cv, barrier_enter_try, &a, -1, true, hooks, b,
                             SYNC_WAIT_BARRIER);
    if (st != SYNC_OK)
        return st;
    if (a.broken)
        return SYNC_BROKEN;
    if (index)
        *index = a.index;

    if (a.last) {
        int failed = action ? action(action_ctx) : 0;
        pthread_mutex_lock(&b->m);
        if (failed) {
            barrier_break_locked(b);
            st = fail(err, "barrier action failed");
        } else if (b->state == SYNC_BARRIER_ACTION) {
            b->state = SYNC_BARRIER_DRAINING;
            wake_all(&b->cv);
        }
        // else abort() came during the action: we pass, the others see broken.
        barrier_exit_locked(b);
        pthread_mutex_unlock(&b->m);
        return st;
    }

    st = block_on(&b->m, &b->cv, barrier_released_try, b, timeout, true, hooks, b,
                  SYNC_WAIT_BARRIER);
    if (st == SYNC_OK) {
        // The action may still run: CPython's waiters cannot pass before it
        // ends (it holds the lock), whatever their timeout.
        block_on(&b->m, &b->cv, barrier_no_action_try, b, -1, false, hooks, b,
                 SYNC_WAIT_BARRIER);
    }
    pthread_mutex_lock(&b->m);
    if (st == SYNC_TIMEOUT) {
        if (b->state == SYNC_BARRIER_FILLING)
            barrier_break_locked(b);   // CPython: a timed-out waiter breaks it
        else
            st = SYNC_OK;              // released just at the deadline
    }
    if (st == SYNC_OK && b->state != SYNC_BARRIER_DRAINING)
        st = SYNC_BROKEN;              // broken or reset while waiting
    barrier_exit_locked(b);
    pthread_mutex_unlock(&b->m);
    return st;
}

void sync_barrier_reset(SyncBarrier *b) {
    pthread_mutex_lock(&b->m);
    if (b->count > 0) {
        if (b->state == SYNC_BARRIER_FILLING || b->state == SYNC_BARRIER_BROKEN)
            b->state = SYNC_BARRIER_RESETTING;
    } else {
        b->state = SYNC_BARRIER_FILLING;
    }
    wake_all(&b->cv);
    pthread_mutex_unlock(&b->m);
}

void sync_barrier_abort(SyncBarrier *b) {
    pthread_mutex_lock(&b->m);
    barrier_break_locked(b);
    pthread_mutex_unlock(&b->m);
}

uint64_t sync_barrier_n_waiting(SyncBarrier *b) {
    pthread_mutex_lock(&b->m);
    uint64_t n = b->state == SYNC_BARRIER_FILLING ? b->count : 0;
    pthread_mutex_unlock(&b->m);
    return n;
}

bool sync_barrier_broken(SyncBarrier *b) {
    pthread_mutex_lock(&b->m);
    bool broken = b->state == SYNC_BARRIER_BROKEN;
    pthread_mutex_unlock(&b->m);
    return broken;
}

// --- deadlock detection ---------------------------------------------------------------

bool sync_waiter_stuck(const void *waiting_on, int kind, uint64_t tid, const bool *granted) {
    bool stuck = false;
    switch (kind) {
    case SYNC_WAIT_LOCK: {
        SyncLock *l = (SyncLock *)waiting_on;
        pthread_mutex_lock(&l->m);
        stuck = l->locked && !(granted && *granted);
        pthread_mutex_unlock(&l->m);
        break;
    }
    case SYNC_WAIT_RLOCK: {
        SyncRLock *r = (SyncRLock *)waiting_on;
        pthread_mutex_lock(&r->m);
        stuck = r->owner != 0 && r->owner != tid && !(granted && *granted);
        pthread_mutex_unlock(&r->m);
        break;
    }
    case SYNC_WAIT_SEMAPHORE: {
        SyncSemaphore *s = (SyncSemaphore *)waiting_on;
        pthread_mutex_lock(&s->m);
        stuck = s->value == 0 && !(granted && *granted);
        pthread_mutex_unlock(&s->m);
        break;
    }
    default:
        break;
    }
    return stuck;
}
