// Unit tests for vm/sync.c with real pthreads: mutual exclusion, timeouts,
// misuse errors, RLock recursion, semaphores, events, condition
// producer/consumer (notify and notify_all), a condition over a twice-held
// RLock, barriers, interruption, the begin/end bracket and what a deadlock
// detector asks (sync_waiter_stuck, the granted flag).
//
// cmocka's assertions longjmp, so worker threads only record what they saw;
// the main thread asserts after joining. Every check is a property of every
// run: timeouts are checked as ">= timeout and < timeout + 2 s", and the only
// sleeps are 1 ms naps while waiting for another thread to reach a wait.
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#include <cmocka.h>

#include "sync.h"

// --- helpers ------------------------------------------------------------------

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void nap_ms(int ms) {
    struct timespec t = {0, ms * 1000000L};
    nanosleep(&t, NULL);
}

static pthread_t spawn(void *(*fn)(void *), void *arg) {
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fn, arg), 0);
    return t;
}

// A hook recorder, one per thread. begin also reads the primitive it is told
// about through the public API, as the deadlock detector will: that would
// self-deadlock (and TSan would report a double lock) if sync called a hook
// with the internal mutex held.
typedef struct {
    atomic_int begins, ends;
    atomic_int depth;          // begins - ends; must stay 0 or 1
    atomic_int nesting_errors; // begin inside begin, end without begin
    atomic_int stop;           // interrupted() answer
    atomic_int polls;
    atomic_int last_kind;
    _Atomic(const void *) last_on;
} Probe;

static void probe_begin(void *ctx, const void *on, int kind) {
    Probe *p = ctx;
    if (atomic_fetch_add(&p->depth, 1) != 0)
        atomic_fetch_add(&p->nesting_errors, 1);
    atomic_store(&p->last_on, on);
    atomic_store(&p->last_kind, kind);
    switch (kind) {
    case SYNC_WAIT_LOCK: (void)sync_lock_owner((SyncLock *)on, NULL); break;
    case SYNC_WAIT_RLOCK: (void)sync_rlock_owner((SyncRLock *)on, NULL, NULL); break;
    case SYNC_WAIT_SEMAPHORE: (void)sync_semaphore_value((SyncSemaphore *)on); break;
    case SYNC_WAIT_EVENT: (void)sync_event_is_set((SyncEvent *)on); break;
    case SYNC_WAIT_BARRIER: (void)sync_barrier_n_waiting((SyncBarrier *)on); break;
    default: break;
    }
    atomic_fetch_add(&p->begins, 1);
}

static void probe_end(void *ctx) {
    Probe *p = ctx;
    if (atomic_fetch_sub(&p->depth, 1) != 1)
        atomic_fetch_add(&p->nesting_errors, 1);
    atomic_fetch_add(&p->ends, 1);
}

static int probe_interrupted(void *ctx) {
    Probe *p = ctx;
    atomic_fetch_add(&p->polls, 1);
    return atomic_load(&p->stop);
}

static void probe_init(Probe *p, SyncWaitHooks *h) {
    memset(p, 0, sizeof *p);
    *h = (SyncWaitHooks){0};
    h->begin = probe_begin;
    h->end = probe_end;
    h->interrupted = probe_interrupted;
    h->ctx = p;
    h->granted = NULL;
}

static void assert_pairs(Probe *p) {
    assert_int_equal(atomic_load(&p->begins), atomic_load(&p->ends));
    assert_int_equal(atomic_load(&p->depth), 0);
    assert_int_equal(atomic_load(&p->nesting_errors), 0);
}

// Waits (napping) until [p] is inside a bracket: the thread is about to sleep.
static void wait_until_blocked(Probe *p) {
    while (atomic_load(&p->depth) == 0)
        nap_ms(1);
}

// --- Lock -----------------------------------------------------------------------

enum { NTHREADS = 4, NINCR = 100000 };

typedef struct {
    SyncLock *lock;
    long *counter;          // plain: the lock must make it exact (and TSan-clean)
    uint64_t tid;
    Probe probe;
    SyncWaitHooks hooks;
    int errors;
} IncrArg;

static void *incr_worker(void *arg) {
    IncrArg *a = arg;
    for (int i = 0; i < NINCR; i++) {
        if (sync_lock_acquire(a->lock, a->tid, 100 + a->tid, true, -1, &a->hooks, NULL) !=
            SYNC_OK) {
            a->errors++;
            continue;
        }
        (*a->counter)++;
        if (sync_lock_release(a->lock, NULL) != SYNC_OK)
            a->errors++;
    }
    return NULL;
}

static void test_lock_mutual_exclusion(void **state) {
    UNUSED(state);
    SyncLock lock;
    assert_int_equal(sync_lock_init(&lock, NULL), SYNC_OK);
    long counter = 0;
    IncrArg args[NTHREADS];
    pthread_t th[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        args[i] = (IncrArg){.lock = &lock, .counter = &counter, .tid = (uint64_t)i + 1};
        probe_init(&args[i].probe, &args[i].hooks);
        th[i] = spawn(incr_worker, &args[i]);
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(counter, (long)NTHREADS * NINCR);
    for (int i = 0; i < NTHREADS; i++) {
        assert_int_equal(args[i].errors, 0);
        assert_pairs(&args[i].probe);
    }
    assert_false(sync_lock_locked(&lock));
    assert_int_equal(sync_lock_owner(&lock, NULL), 0);
    sync_lock_destroy(&lock);
}

typedef struct {
    SyncLock *lock;
    double timeout;
    SyncStatus st;
    double elapsed;
} TimedArg;

static void *timed_lock_worker(void *arg) {
    TimedArg *a = arg;
    double t0 = now_s();
    a->st = sync_lock_acquire(a->lock, 2, 0, true, a->timeout, NULL, NULL);
    a->elapsed = now_s() - t0;
    return NULL;
}

static void test_lock_nonblocking_and_timed(void **state) {
    UNUSED(state);
    SyncLock lock;
    const char *err = NULL;
    assert_int_equal(sync_lock_init(&lock, NULL), SYNC_OK);
    assert_int_equal(sync_lock_acquire(&lock, 1, 42, false, -1, NULL, NULL), SYNC_OK);
    assert_true(sync_lock_locked(&lock));
    uint64_t site = 0;
    assert_int_equal(sync_lock_owner(&lock, &site), 1);
    assert_int_equal(site, 42);
    // Not re-entrant: the owner's own try fails; so does timeout 0.
    assert_int_equal(sync_lock_acquire(&lock, 1, 0, false, -1, NULL, NULL), SYNC_TIMEOUT);
    assert_int_equal(sync_lock_acquire(&lock, 1, 0, true, 0, NULL, NULL), SYNC_TIMEOUT);
    // NaN is refused.
    assert_int_equal(sync_lock_acquire(&lock, 1, 0, true, 0.0 / 0.0, NULL, &err), SYNC_ERROR);
    assert_non_null(err);

    // A timed acquire from another thread times out after about the timeout.
    TimedArg a = {&lock, 0.2, SYNC_OK, 0};
    pthread_t t = spawn(timed_lock_worker, &a);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_TIMEOUT);
    assert_true(a.elapsed >= 0.2);
    assert_true(a.elapsed < 0.2 + 2.0);

    // No busy waiting: with an interrupted() hook the only periodic wake-up
    // is the poll, at most one per SYNC_POLL_INTERVAL_MS.
    Probe p;
    SyncWaitHooks h;
    probe_init(&p, &h);
    double t0 = now_s();
    assert_int_equal(sync_lock_acquire(&lock, 3, 0, true, 0.3, &h, NULL), SYNC_TIMEOUT);
    double dt = now_s() - t0;
    assert_true(dt >= 0.3 && dt < 2.3);
    assert_true(atomic_load(&p.polls) <= (int)(dt * 1000 / SYNC_POLL_INTERVAL_MS) + 1);
    assert_int_equal(atomic_load(&p.begins), 1);
    assert_pairs(&p);

    // A timed acquire that succeeds: release from this thread while it waits.
    a.timeout = 30;
    t = spawn(timed_lock_worker, &a);
    nap_ms(20);   // usually lets it block; correct either way
    assert_int_equal(sync_lock_release(&lock, NULL), SYNC_OK);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_OK);
    assert_int_equal(sync_lock_owner(&lock, NULL), 2);
    // Not owned: any thread releases it.
    assert_int_equal(sync_lock_release(&lock, NULL), SYNC_OK);
    sync_lock_destroy(&lock);
}

static void test_lock_release_unlocked(void **state) {
    UNUSED(state);
    SyncLock lock;
    const char *err = NULL;
    assert_int_equal(sync_lock_init(&lock, NULL), SYNC_OK);
    assert_int_equal(sync_lock_release(&lock, &err), SYNC_ERROR);
    assert_string_equal(err, "release unlocked lock");
    assert_int_equal(sync_lock_acquire(&lock, 1, 0, true, -1, NULL, NULL), SYNC_OK);
    assert_int_equal(sync_lock_release(&lock, &err), SYNC_OK);
    err = NULL;
    assert_int_equal(sync_lock_release(&lock, &err), SYNC_ERROR);
    assert_string_equal(err, "release unlocked lock");
    sync_lock_destroy(&lock);
}

// --- RLock ----------------------------------------------------------------------

typedef struct {
    SyncRLock *r;
    SyncEvent tried;      // set after the checks made while main holds it
    SyncStatus release_st, try_st, wait_st;
    const char *err;
    uint64_t owner_after, count_after;
} RLockOther;

static void *rlock_other(void *arg) {
    RLockOther *a = arg;
    a->release_st = sync_rlock_release(a->r, 2, &a->err);
    a->try_st = sync_rlock_acquire(a->r, 2, 0, false, -1, NULL, NULL);
    sync_event_set(&a->tried);
    // Blocks until the main thread has released both levels.
    a->wait_st = sync_rlock_acquire(a->r, 2, 7, true, -1, NULL, NULL);
    a->owner_after = sync_rlock_owner(a->r, &a->count_after, NULL);
    sync_rlock_release(a->r, 2, NULL);
    return NULL;
}

static void test_rlock(void **state) {
    UNUSED(state);
    SyncRLock r;
    const char *err = NULL;
    assert_int_equal(sync_rlock_init(&r, NULL), SYNC_OK);
    assert_int_equal(sync_rlock_release(&r, 1, &err), SYNC_ERROR);
    assert_string_equal(err, "cannot release un-acquired lock");
    for (int i = 0; i < 3; i++)
        assert_int_equal(sync_rlock_acquire(&r, 1, 10 + (uint64_t)i, true, -1, NULL, NULL),
                         SYNC_OK);
    uint64_t count = 0, site = 0;
    assert_int_equal(sync_rlock_owner(&r, &count, &site), 1);
    assert_int_equal(count, 3);
    assert_int_equal(site, 10);   // the outermost acquire
    assert_true(sync_rlock_is_owned(&r, 1));
    assert_false(sync_rlock_is_owned(&r, 2));

    RLockOther o = {.r = &r};
    assert_int_equal(sync_event_init(&o.tried, NULL), SYNC_OK);
    pthread_t t = spawn(rlock_other, &o);
    assert_int_equal(sync_event_wait(&o.tried, -1, NULL, NULL), SYNC_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sync_rlock_release(&r, 1, NULL), SYNC_OK);
    pthread_join(t, NULL);
    assert_int_equal(o.release_st, SYNC_ERROR);
    assert_string_equal(o.err, "cannot release un-acquired lock");
    assert_int_equal(o.try_st, SYNC_TIMEOUT);
    assert_int_equal(o.wait_st, SYNC_OK);
    assert_int_equal(o.owner_after, 2);
    assert_int_equal(o.count_after, 1);
    assert_int_equal(sync_rlock_owner(&r, &count, NULL), 0);
    assert_int_equal(count, 0);
    sync_event_destroy(&o.tried);
    sync_rlock_destroy(&r);
}

// --- Semaphore ------------------------------------------------------------------

enum { SEM_WORKERS = 6, SEM_ROUNDS = 2000, SEM_SLOTS = 2 };

typedef struct {
    SyncSemaphore *s;
    atomic_int *inside, *max_inside;
    int errors;
} SemArg;

static void *sem_worker(void *arg) {
    SemArg *a = arg;
    for (int i = 0; i < SEM_ROUNDS; i++) {
        if (sync_semaphore_acquire(a->s, true, -1, NULL, NULL) != SYNC_OK) {
            a->errors++;
            continue;
        }
        int now = atomic_fetch_add(a->inside, 1) + 1;
        int seen = atomic_load(a->max_inside);
        while (now > seen && !atomic_compare_exchange_weak(a->max_inside, &seen, now))
            ;
        atomic_fetch_sub(a->inside, 1);
        if (sync_semaphore_release(a->s, 1, NULL) != SYNC_OK)
            a->errors++;
    }
    return NULL;
}

static void test_semaphore(void **state) {
    UNUSED(state);
    SyncSemaphore s;
    const char *err = NULL;
    assert_int_equal(sync_semaphore_init(&s, 2, false, NULL), SYNC_OK);
    assert_int_equal(sync_semaphore_acquire(&s, false, -1, NULL, NULL), SYNC_OK);
    assert_int_equal(sync_semaphore_acquire(&s, true, 0, NULL, NULL), SYNC_OK);
    assert_int_equal(sync_semaphore_acquire(&s, false, -1, NULL, NULL), SYNC_TIMEOUT);
    double t0 = now_s();
    assert_int_equal(sync_semaphore_acquire(&s, true, 0.1, NULL, NULL), SYNC_TIMEOUT);
    double dt = now_s() - t0;
    assert_true(dt >= 0.1 && dt < 2.1);
    assert_int_equal(sync_semaphore_release(&s, 0, &err), SYNC_ERROR);
    assert_string_equal(err, "n must be one or more");
    // Unbounded: may go above the initial value.
    assert_int_equal(sync_semaphore_release(&s, 5, NULL), SYNC_OK);
    assert_int_equal(sync_semaphore_value(&s), 5);
    sync_semaphore_destroy(&s);

    // At most SEM_SLOTS threads inside at once, in every run.
    assert_int_equal(sync_semaphore_init(&s, SEM_SLOTS, true, NULL), SYNC_OK);
    atomic_int inside = 0, max_inside = 0;
    SemArg args[SEM_WORKERS];
    pthread_t th[SEM_WORKERS];
    for (int i = 0; i < SEM_WORKERS; i++) {
        args[i] = (SemArg){&s, &inside, &max_inside, 0};
        th[i] = spawn(sem_worker, &args[i]);
    }
    for (int i = 0; i < SEM_WORKERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].errors, 0);
    }
    assert_true(atomic_load(&max_inside) >= 1 && atomic_load(&max_inside) <= SEM_SLOTS);
    assert_int_equal(sync_semaphore_value(&s), SEM_SLOTS);
    sync_semaphore_destroy(&s);
}

static void test_bounded_semaphore(void **state) {
    UNUSED(state);
    SyncSemaphore s;
    const char *err = NULL;
    assert_int_equal(sync_semaphore_init(&s, 2, true, NULL), SYNC_OK);
    assert_int_equal(sync_semaphore_release(&s, 1, &err), SYNC_ERROR);
    assert_string_equal(err, "Semaphore released too many times");
    assert_int_equal(sync_semaphore_value(&s), 2);
    assert_int_equal(sync_semaphore_acquire(&s, true, -1, NULL, NULL), SYNC_OK);
    err = NULL;
    assert_int_equal(sync_semaphore_release(&s, 2, &err), SYNC_ERROR);   // 1 + 2 > 2
    assert_string_equal(err, "Semaphore released too many times");
    assert_int_equal(sync_semaphore_value(&s), 1);
    assert_int_equal(sync_semaphore_release(&s, 1, NULL), SYNC_OK);
    assert_int_equal(sync_semaphore_value(&s), 2);
    sync_semaphore_destroy(&s);
}

// --- Event ----------------------------------------------------------------------

typedef struct {
    SyncEvent *e;
    Probe probe;
    SyncWaitHooks hooks;
    SyncStatus st;
} EventArg;

static void *event_waiter(void *arg) {
    EventArg *a = arg;
    a->st = sync_event_wait(a->e, -1, &a->hooks, NULL);
    return NULL;
}

static void test_event(void **state) {
    UNUSED(state);
    SyncEvent e;
    assert_int_equal(sync_event_init(&e, NULL), SYNC_OK);
    assert_false(sync_event_is_set(&e));
    double t0 = now_s();
    assert_int_equal(sync_event_wait(&e, 0.1, NULL, NULL), SYNC_TIMEOUT);
    double dt = now_s() - t0;
    assert_true(dt >= 0.1 && dt < 2.1);
    assert_int_equal(sync_event_wait(&e, 0, NULL, NULL), SYNC_TIMEOUT);

    enum { N = 3 };
    EventArg args[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        args[i].e = &e;
        probe_init(&args[i].probe, &args[i].hooks);
        th[i] = spawn(event_waiter, &args[i]);
    }
    for (int i = 0; i < N; i++)
        wait_until_blocked(&args[i].probe);
    sync_event_set(&e);
    sync_event_clear(&e);   // waiters woken by set() still return True
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].st, SYNC_OK);
        assert_int_equal(atomic_load(&args[i].probe.begins), 1);
        assert_int_equal(atomic_load(&args[i].probe.last_kind), SYNC_WAIT_EVENT);
        assert_ptr_equal(atomic_load(&args[i].probe.last_on), &e);
        assert_pairs(&args[i].probe);
    }
    assert_false(sync_event_is_set(&e));
    sync_event_set(&e);
    assert_true(sync_event_is_set(&e));
    Probe p;
    SyncWaitHooks h;
    probe_init(&p, &h);
    assert_int_equal(sync_event_wait(&e, -1, &h, NULL), SYNC_OK);
    assert_int_equal(atomic_load(&p.begins), 0);   // no wait, no bracket
    sync_event_destroy(&e);
}

// --- Condition: producer / consumer -------------------------------------------

enum { PRODUCERS = 2, CONSUMERS = 3, ITEMS = 3000, QCAP = 8 };

// A bounded queue as queue.Queue builds it: one lock, two conditions.
typedef struct {
    SyncLock lock;
    SyncCondition not_empty, not_full;
    int buf[QCAP];
    int head, len;
    int producers_left;
    bool use_notify_all;
    unsigned char seen[PRODUCERS * ITEMS];   // written under the lock
    int dup_or_bad;
} PCQueue;

typedef struct {
    PCQueue *q;
    uint64_t tid;
    int first;           // producers: first item
    int consumed;
    int errors;
    Probe probe;
    SyncWaitHooks hooks;
} PCArg;

static void pc_notify(PCQueue *q, SyncCondition *c, uint64_t tid, int *errors) {
    SyncStatus st = q->use_notify_all ? sync_condition_notify_all(c, tid, NULL)
                                      : sync_condition_notify(c, tid, 1, NULL);
    if (st != SYNC_OK)
        (*errors)++;
}

static void *producer(void *arg) {
    PCArg *a = arg;
    PCQueue *q = a->q;
    for (int i = 0; i < ITEMS; i++) {
        sync_lock_acquire(&q->lock, a->tid, 1, true, -1, &a->hooks, NULL);
        while (q->len == QCAP) {
            if (sync_condition_wait(&q->not_full, a->tid, -1, &a->hooks, NULL) ==
                SYNC_ERROR)
                a->errors++;
        }
        q->buf[(q->head + q->len) % QCAP] = a->first + i;
        q->len++;
        pc_notify(q, &q->not_empty, a->tid, &a->errors);
        sync_lock_release(&q->lock, NULL);
    }
    sync_lock_acquire(&q->lock, a->tid, 2, true, -1, &a->hooks, NULL);
    if (--q->producers_left == 0 &&
        sync_condition_notify_all(&q->not_empty, a->tid, NULL) != SYNC_OK)
        a->errors++;
    sync_lock_release(&q->lock, NULL);
    return NULL;
}

static void *consumer(void *arg) {
    PCArg *a = arg;
    PCQueue *q = a->q;
    for (;;) {
        sync_lock_acquire(&q->lock, a->tid, 3, true, -1, &a->hooks, NULL);
        while (q->len == 0 && q->producers_left > 0) {
            if (sync_condition_wait(&q->not_empty, a->tid, -1, &a->hooks, NULL) ==
                SYNC_ERROR)
                a->errors++;
        }
        if (q->len == 0) {   // drained and no producer left
            sync_lock_release(&q->lock, NULL);
            return NULL;
        }
        int item = q->buf[q->head];
        q->head = (q->head + 1) % QCAP;
        q->len--;
        if (item < 0 || item >= PRODUCERS * ITEMS || q->seen[item]++)
            q->dup_or_bad++;
        a->consumed++;
        pc_notify(q, &q->not_full, a->tid, &a->errors);
        sync_lock_release(&q->lock, NULL);
    }
}

static void run_producer_consumer(bool use_notify_all) {
    PCQueue *q = calloc(1, sizeof *q);
    assert_non_null(q);
    assert_int_equal(sync_lock_init(&q->lock, NULL), SYNC_OK);
    assert_int_equal(sync_condition_init_lock(&q->not_empty, &q->lock, NULL), SYNC_OK);
    assert_int_equal(sync_condition_init_lock(&q->not_full, &q->lock, NULL), SYNC_OK);
    q->producers_left = PRODUCERS;
    q->use_notify_all = use_notify_all;
    PCArg args[PRODUCERS + CONSUMERS];
    pthread_t th[PRODUCERS + CONSUMERS];
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++) {
        args[i] = (PCArg){.q = q, .tid = (uint64_t)i + 1, .first = i * ITEMS};
        probe_init(&args[i].probe, &args[i].hooks);
        th[i] = spawn(i < PRODUCERS ? producer : consumer, &args[i]);
    }
    int consumed = 0;
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].errors, 0);
        assert_pairs(&args[i].probe);
        consumed += args[i].consumed;
    }
    assert_int_equal(consumed, PRODUCERS * ITEMS);
    assert_int_equal(q->dup_or_bad, 0);
    for (int i = 0; i < PRODUCERS * ITEMS; i++)
        assert_int_equal(q->seen[i], 1);
    sync_condition_destroy(&q->not_empty);
    sync_condition_destroy(&q->not_full);
    sync_lock_destroy(&q->lock);
    free(q);
}

static void test_condition_notify(void **state) {
    UNUSED(state);
    run_producer_consumer(false);
}

static void test_condition_notify_all(void **state) {
    UNUSED(state);
    run_producer_consumer(true);
}

static void test_condition_misuse(void **state) {
    UNUSED(state);
    SyncLock lock;
    SyncRLock r;
    SyncCondition c, cr;
    const char *err = NULL;
    assert_int_equal(sync_lock_init(&lock, NULL), SYNC_OK);
    assert_int_equal(sync_rlock_init(&r, NULL), SYNC_OK);
    assert_int_equal(sync_condition_init_lock(&c, &lock, NULL), SYNC_OK);
    assert_int_equal(sync_condition_init_rlock(&cr, &r, NULL), SYNC_OK);
    assert_int_equal(sync_condition_wait(&c, 1, 0, NULL, &err), SYNC_ERROR);
    assert_string_equal(err, "cannot wait on un-acquired lock");
    err = NULL;
    assert_int_equal(sync_condition_notify(&c, 1, 1, &err), SYNC_ERROR);
    assert_string_equal(err, "cannot notify on un-acquired lock");
    // An RLock held by another thread id is not "acquired" for this one.
    assert_int_equal(sync_rlock_acquire(&r, 2, 0, true, -1, NULL, NULL), SYNC_OK);
    err = NULL;
    assert_int_equal(sync_condition_wait(&cr, 1, 0, NULL, &err), SYNC_ERROR);
    assert_string_equal(err, "cannot wait on un-acquired lock");
    assert_int_equal(sync_condition_notify_all(&cr, 1, NULL), SYNC_ERROR);
    assert_int_equal(sync_rlock_owner(&r, NULL, NULL), 2);   // untouched
    // wait(0) with the lock: releases, times out, re-acquires.
    assert_int_equal(sync_condition_wait(&cr, 2, 0, NULL, NULL), SYNC_TIMEOUT);
    assert_true(sync_rlock_is_owned(&r, 2));
    assert_int_equal(sync_lock_acquire(&lock, 1, 5, true, -1, NULL, NULL), SYNC_OK);
    double t0 = now_s();
    assert_int_equal(sync_condition_wait(&c, 1, 0.1, NULL, NULL), SYNC_TIMEOUT);
    double dt = now_s() - t0;
    assert_true(dt >= 0.1 && dt < 2.1);
    uint64_t site = 0;
    assert_int_equal(sync_lock_owner(&lock, &site), 1);
    assert_int_equal(site, 5);   // the site survives the wait
    assert_int_equal(sync_condition_notify(&c, 1, 1, NULL), SYNC_OK);   // nobody waits
    sync_lock_release(&lock, NULL);
    sync_rlock_release(&r, 2, NULL);
    sync_condition_destroy(&c);
    sync_condition_destroy(&cr);
    sync_rlock_destroy(&r);
    sync_lock_destroy(&lock);
}

// --- Condition over an RLock held twice -------------------------------------------

typedef struct {
    SyncRLock *r;
    SyncCondition *c;
    SyncEvent held;       // set once the waiter holds the RLock twice
    SyncStatus st;
    uint64_t owner, count, site;
    Probe probe;
    SyncWaitHooks hooks;
} CondRArg;

static void *cond_rlock_waiter(void *arg) {
    CondRArg *a = arg;
    sync_rlock_acquire(a->r, 1, 77, true, -1, NULL, NULL);
    sync_rlock_acquire(a->r, 1, 78, true, -1, NULL, NULL);
    sync_event_set(&a->held);
    a->st = sync_condition_wait(a->c, 1, -1, &a->hooks, NULL);
    a->owner = sync_rlock_owner(a->r, &a->count, &a->site);
    sync_rlock_release(a->r, 1, NULL);
    sync_rlock_release(a->r, 1, NULL);
    return NULL;
}

static void test_condition_rlock_restores_count(void **state) {
    UNUSED(state);
    SyncRLock r;
    SyncCondition c;
    assert_int_equal(sync_rlock_init(&r, NULL), SYNC_OK);
    assert_int_equal(sync_condition_init_rlock(&c, &r, NULL), SYNC_OK);
    CondRArg a = {.r = &r, .c = &c};
    assert_int_equal(sync_event_init(&a.held, NULL), SYNC_OK);
    probe_init(&a.probe, &a.hooks);
    pthread_t t = spawn(cond_rlock_waiter, &a);
    assert_int_equal(sync_event_wait(&a.held, -1, NULL, NULL), SYNC_OK);
    // This blocks until the waiter's wait() released both levels; the waiter
    // is queued before it releases, so the notify reaches it.
    assert_int_equal(sync_rlock_acquire(&r, 2, 0, true, -1, NULL, NULL), SYNC_OK);
    assert_int_equal(sync_condition_notify(&c, 2, 1, NULL), SYNC_OK);
    assert_int_equal(sync_rlock_release(&r, 2, NULL), SYNC_OK);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_OK);
    assert_int_equal(a.owner, 1);
    assert_int_equal(a.count, 2);
    assert_int_equal(a.site, 77);
    assert_pairs(&a.probe);
    assert_int_equal(sync_rlock_owner(&r, NULL, NULL), 0);
    sync_event_destroy(&a.held);
    sync_condition_destroy(&c);
    sync_rlock_destroy(&r);
}

// --- Barrier ------------------------------------------------------------------------

enum { PARTIES = 3, BROUNDS = 200 };

typedef struct {
    SyncBarrier *b;
    atomic_int *actions;
    uint64_t idx[BROUNDS];
    int errors;
    Probe probe;
    SyncWaitHooks hooks;
} BarrierArg;

static int count_action(void *ctx) {
    atomic_fetch_add((atomic_int *)ctx, 1);
    return 0;
}

static void *barrier_worker(void *arg) {
    BarrierArg *a = arg;
    for (int r = 0; r < BROUNDS; r++) {
        if (sync_barrier_wait(a->b, -1, count_action, a->actions, &a->hooks, &a->idx[r],
                              NULL) != SYNC_OK)
            a->errors++;
    }
    return NULL;
}

static void test_barrier(void **state) {
    UNUSED(state);
    SyncBarrier b;
    assert_int_equal(sync_barrier_init(&b, PARTIES, NULL), SYNC_OK);
    atomic_int actions = 0;
    BarrierArg args[PARTIES];
    pthread_t th[PARTIES];
    for (int i = 0; i < PARTIES; i++) {
        args[i] = (BarrierArg){.b = &b, .actions = &actions};
        probe_init(&args[i].probe, &args[i].hooks);
        th[i] = spawn(barrier_worker, &args[i]);
    }
    for (int i = 0; i < PARTIES; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].errors, 0);
        assert_pairs(&args[i].probe);
    }
    // Every round: the indices are a permutation of 0..PARTIES-1.
    for (int r = 0; r < BROUNDS; r++) {
        unsigned mask = 0;
        for (int i = 0; i < PARTIES; i++) {
            assert_true(args[i].idx[r] < PARTIES);
            mask |= 1u << args[i].idx[r];
        }
        assert_int_equal(mask, (1u << PARTIES) - 1);
    }
    assert_int_equal(atomic_load(&actions), BROUNDS);
    assert_int_equal(sync_barrier_n_waiting(&b), 0);
    assert_false(sync_barrier_broken(&b));
    sync_barrier_destroy(&b);
}

typedef struct {
    SyncBarrier *b;
    double timeout;
    SyncStatus st;
    Probe probe;
    SyncWaitHooks hooks;
} BWaitArg;

static void *barrier_waiter(void *arg) {
    BWaitArg *a = arg;
    uint64_t idx;
    a->st = sync_barrier_wait(a->b, a->timeout, NULL, NULL, &a->hooks, &idx, NULL);
    return NULL;
}

static int failing_action(void *ctx) {
    UNUSED(ctx);
    return 1;
}

static void test_barrier_abort_reset_timeout(void **state) {
    UNUSED(state);
    SyncBarrier b;
    const char *err = NULL;
    assert_int_equal(sync_barrier_init(&b, 0, &err), SYNC_ERROR);
    assert_int_equal(sync_barrier_init(&b, 2, NULL), SYNC_OK);

    // abort() breaks a waiting thread and later waits.
    BWaitArg a = {.b = &b, .timeout = -1};
    probe_init(&a.probe, &a.hooks);
    pthread_t t = spawn(barrier_waiter, &a);
    wait_until_blocked(&a.probe);
    sync_barrier_abort(&b);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_BROKEN);
    assert_pairs(&a.probe);
    assert_true(sync_barrier_broken(&b));
    uint64_t idx;
    assert_int_equal(sync_barrier_wait(&b, -1, NULL, NULL, NULL, &idx, NULL), SYNC_BROKEN);

    // reset() makes it usable again; a waiting thread gets broken.
    sync_barrier_reset(&b);
    assert_false(sync_barrier_broken(&b));
    probe_init(&a.probe, &a.hooks);
    t = spawn(barrier_waiter, &a);
    wait_until_blocked(&a.probe);
    while (sync_barrier_n_waiting(&b) != 1)
        nap_ms(1);
    sync_barrier_reset(&b);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_BROKEN);
    assert_false(sync_barrier_broken(&b));

    // Two threads pass; the last one's index is 1.
    probe_init(&a.probe, &a.hooks);
    t = spawn(barrier_waiter, &a);
    assert_int_equal(sync_barrier_wait(&b, -1, NULL, NULL, NULL, &idx, NULL), SYNC_OK);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_OK);

    // A timed-out waiter breaks the barrier (CPython).
    double t0 = now_s();
    assert_int_equal(sync_barrier_wait(&b, 0.1, NULL, NULL, NULL, &idx, NULL), SYNC_TIMEOUT);
    double dt = now_s() - t0;
    assert_true(dt >= 0.1 && dt < 2.1);
    assert_true(sync_barrier_broken(&b));
    sync_barrier_reset(&b);

    // A failing action breaks it: the last arrival gets the error, the other broken.
    probe_init(&a.probe, &a.hooks);
    t = spawn(barrier_waiter, &a);
    wait_until_blocked(&a.probe);
    err = NULL;
    assert_int_equal(sync_barrier_wait(&b, -1, failing_action, NULL, NULL, &idx, &err),
                     SYNC_ERROR);
    assert_non_null(err);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_BROKEN);
    assert_true(sync_barrier_broken(&b));
    sync_barrier_destroy(&b);
}

// --- interruption ---------------------------------------------------------------------

typedef enum { ON_LOCK, ON_RLOCK, ON_SEM, ON_EVENT, ON_COND, ON_BARRIER } Target;

typedef struct {
    Target target;
    SyncLock lock;        // held by the main thread (ON_LOCK); the condition's lock
    SyncRLock rlock;
    SyncSemaphore sem;
    SyncEvent event;
    SyncCondition cond;
    SyncBarrier barrier;
    Probe probe;
    SyncWaitHooks hooks;
    SyncStatus st;
    double returned_at;
    bool held_after;      // ON_COND: the lock is held again on return
} IntrArg;

static void *intr_waiter(void *arg) {
    IntrArg *a = arg;
    uint64_t idx;
    switch (a->target) {
    case ON_LOCK: a->st = sync_lock_acquire(&a->lock, 2, 0, true, -1, &a->hooks, NULL); break;
    case ON_RLOCK:
        a->st = sync_rlock_acquire(&a->rlock, 2, 0, true, -1, &a->hooks, NULL);
        break;
    case ON_SEM: a->st = sync_semaphore_acquire(&a->sem, true, -1, &a->hooks, NULL); break;
    case ON_EVENT: a->st = sync_event_wait(&a->event, -1, &a->hooks, NULL); break;
    case ON_COND:
        sync_lock_acquire(&a->lock, 2, 0, true, -1, NULL, NULL);
        a->st = sync_condition_wait(&a->cond, 2, -1, &a->hooks, NULL);
        a->held_after = sync_lock_owner(&a->lock, NULL) == 2;
        sync_lock_release(&a->lock, NULL);
        break;
    case ON_BARRIER:
        a->st = sync_barrier_wait(&a->barrier, -1, NULL, NULL, &a->hooks, &idx, NULL);
        break;
    }
    a->returned_at = now_s();
    return NULL;
}

static void test_interrupt(void **state) {
    UNUSED(state);
    for (Target target = ON_LOCK; target <= ON_BARRIER; target++) {
        IntrArg *a = calloc(1, sizeof *a);
        assert_non_null(a);
        a->target = target;
        assert_int_equal(sync_lock_init(&a->lock, NULL), SYNC_OK);
        assert_int_equal(sync_rlock_init(&a->rlock, NULL), SYNC_OK);
        assert_int_equal(sync_semaphore_init(&a->sem, 0, false, NULL), SYNC_OK);
        assert_int_equal(sync_event_init(&a->event, NULL), SYNC_OK);
        assert_int_equal(sync_condition_init_lock(&a->cond, &a->lock, NULL), SYNC_OK);
        assert_int_equal(sync_barrier_init(&a->barrier, 2, NULL), SYNC_OK);
        probe_init(&a->probe, &a->hooks);
        if (target == ON_LOCK)
            sync_lock_acquire(&a->lock, 1, 0, true, -1, NULL, NULL);
        if (target == ON_RLOCK)
            sync_rlock_acquire(&a->rlock, 1, 0, true, -1, NULL, NULL);
        pthread_t t = spawn(intr_waiter, a);
        wait_until_blocked(&a->probe);
        // Polled while blocked (several polls take 50 ms each; wait for two).
        while (atomic_load(&a->probe.polls) < 2)
            nap_ms(1);
        double stop_at = now_s();
        atomic_store(&a->probe.stop, 1);
        pthread_join(t, NULL);
        assert_int_equal(a->st, SYNC_INTERRUPTED);
        assert_true(a->returned_at - stop_at < 1.0);
        assert_pairs(&a->probe);
        switch (target) {
        case ON_LOCK: assert_int_equal(sync_lock_owner(&a->lock, NULL), 1); break;
        case ON_RLOCK: assert_int_equal(sync_rlock_owner(&a->rlock, NULL, NULL), 1); break;
        case ON_SEM: assert_int_equal(sync_semaphore_value(&a->sem), 0); break;
        case ON_COND: assert_true(a->held_after); break;
        case ON_BARRIER: assert_int_equal(sync_barrier_n_waiting(&a->barrier), 0); break;
        default: break;
        }
        if (target == ON_LOCK)
            sync_lock_release(&a->lock, NULL);
        if (target == ON_RLOCK)
            sync_rlock_release(&a->rlock, 1, NULL);
        sync_barrier_destroy(&a->barrier);
        sync_condition_destroy(&a->cond);
        sync_event_destroy(&a->event);
        sync_semaphore_destroy(&a->sem);
        sync_rlock_destroy(&a->rlock);
        sync_lock_destroy(&a->lock);
        free(a);
    }
}

// A notify that races with an interruption is not lost: an interrupted,
// notified waiter passes it on to the next one.
typedef struct {
    SyncLock *lock;
    SyncCondition *c;
    uint64_t tid;
    SyncStatus st;
    Probe probe;
    SyncWaitHooks hooks;
} CWArg;

static void *cond_waiter(void *arg) {
    CWArg *a = arg;
    sync_lock_acquire(a->lock, a->tid, 0, true, -1, NULL, NULL);
    a->st = sync_condition_wait(a->c, a->tid, -1, &a->hooks, NULL);
    sync_lock_release(a->lock, NULL);
    return NULL;
}

static void test_condition_notify_not_lost(void **state) {
    UNUSED(state);
    SyncLock lock;
    SyncCondition c;
    assert_int_equal(sync_lock_init(&lock, NULL), SYNC_OK);
    assert_int_equal(sync_condition_init_lock(&c, &lock, NULL), SYNC_OK);
    CWArg w[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        w[i] = (CWArg){.lock = &lock, .c = &c, .tid = (uint64_t)i + 1};
        probe_init(&w[i].probe, &w[i].hooks);
        th[i] = spawn(cond_waiter, &w[i]);
        wait_until_blocked(&w[i].probe);
    }
    // Notify one (the first, FIFO) and interrupt it: it either sees the
    // notify (OK) or is interrupted and hands the notify to the second.
    sync_lock_acquire(&lock, 3, 0, true, -1, NULL, NULL);
    sync_condition_notify(&c, 3, 1, NULL);
    atomic_store(&w[0].probe.stop, 1);
    sync_lock_release(&lock, NULL);
    pthread_join(th[0], NULL);
    if (w[0].st == SYNC_INTERRUPTED) {
        pthread_join(th[1], NULL);
        assert_int_equal(w[1].st, SYNC_OK);
    } else {
        assert_int_equal(w[0].st, SYNC_OK);
        sync_lock_acquire(&lock, 3, 0, true, -1, NULL, NULL);
        sync_condition_notify(&c, 3, 1, NULL);
        sync_lock_release(&lock, NULL);
        pthread_join(th[1], NULL);
        assert_int_equal(w[1].st, SYNC_OK);
    }
    for (int i = 0; i < 2; i++)
        assert_pairs(&w[i].probe);
    sync_condition_destroy(&c);
    sync_lock_destroy(&lock);
}

// --- deadlock detection: sync_waiter_stuck and the granted flag ---------------

typedef struct {
    SyncLock *lock;
    Probe probe;
    SyncWaitHooks hooks;
    bool granted;           // written by sync under the lock's mutex
    SyncStatus st;
} StuckArg;

static void *stuck_worker(void *arg) {
    StuckArg *a = arg;
    a->st = sync_lock_acquire(a->lock, 2, 7, true, -1, &a->hooks, NULL);
    return NULL;
}

static void test_waiter_stuck_and_granted(void **state) {
    UNUSED(state);
    SyncLock lock;
    assert_int_equal(sync_lock_init(&lock, NULL), SYNC_OK);
    assert_int_equal(sync_lock_acquire(&lock, 1, 0, true, -1, NULL, NULL), SYNC_OK);
    StuckArg a = {.lock = &lock};
    probe_init(&a.probe, &a.hooks);
    a.hooks.granted = &a.granted;
    pthread_t t = spawn(stuck_worker, &a);
    wait_until_blocked(&a.probe);
    // Held by thread 1 and not granted: stuck until thread 1 releases.
    assert_true(sync_waiter_stuck(&lock, SYNC_WAIT_LOCK, 2, &a.granted));
    assert_int_equal(sync_lock_release(&lock, NULL), SYNC_OK);
    pthread_join(t, NULL);
    assert_int_equal(a.st, SYNC_OK);
    assert_true(a.granted);
    // Locked (by the waiter itself) but granted: the wait is over, not stuck.
    assert_false(sync_waiter_stuck(&lock, SYNC_WAIT_LOCK, 2, &a.granted));
    // Without the flag a self-held Lock looks stuck (a Condition's waiter
    // lock, a real self-deadlock); once free, nobody is stuck on it.
    bool no = false;
    assert_true(sync_waiter_stuck(&lock, SYNC_WAIT_LOCK, 2, &no));
    assert_int_equal(sync_lock_release(&lock, NULL), SYNC_OK);
    assert_false(sync_waiter_stuck(&lock, SYNC_WAIT_LOCK, 2, &no));
    assert_pairs(&a.probe);
    sync_lock_destroy(&lock);

    // An RLock never blocks its owner; anyone else is stuck while it is held.
    SyncRLock r;
    assert_int_equal(sync_rlock_init(&r, NULL), SYNC_OK);
    assert_int_equal(sync_rlock_acquire(&r, 1, 0, true, -1, NULL, NULL), SYNC_OK);
    assert_true(sync_waiter_stuck(&r, SYNC_WAIT_RLOCK, 2, &no));
    assert_false(sync_waiter_stuck(&r, SYNC_WAIT_RLOCK, 1, &no));
    assert_int_equal(sync_rlock_release(&r, 1, NULL), SYNC_OK);
    assert_false(sync_waiter_stuck(&r, SYNC_WAIT_RLOCK, 2, &no));
    sync_rlock_destroy(&r);

    // A semaphore at 0 blocks; an event's waiters keep state sync cannot see.
    SyncSemaphore sem;
    assert_int_equal(sync_semaphore_init(&sem, 0, false, NULL), SYNC_OK);
    assert_true(sync_waiter_stuck(&sem, SYNC_WAIT_SEMAPHORE, 2, &no));
    assert_int_equal(sync_semaphore_release(&sem, 1, NULL), SYNC_OK);
    assert_false(sync_waiter_stuck(&sem, SYNC_WAIT_SEMAPHORE, 2, &no));
    sync_semaphore_destroy(&sem);
    SyncEvent ev;
    assert_int_equal(sync_event_init(&ev, NULL), SYNC_OK);
    assert_false(sync_waiter_stuck(&ev, SYNC_WAIT_EVENT, 2, &no));
    sync_event_destroy(&ev);
}

// A scheduler's park hook (vm/scheduler.c): block_on never sleeps in the
// kernel, it calls park after each failed try; the epoch moves when a
// primitive changes state; park's answers end the wait as documented.
typedef struct {
    int calls;
    SyncLock *release_on;   // released by the "other thread" at the 2nd call
    int answer;             // what to return once release_on is done
    int64_t first_deadline;
} Parker;

static int test_park(void *ctx, const void *on, int kind, double timeout, int64_t *deadline) {
    Parker *pk = ctx;
    UNUSED(on);
    UNUSED(timeout);
    assert_int_equal(kind, SYNC_WAIT_LOCK);
    if (pk->calls++ == 0) {
        assert_int_equal(*deadline, 0);   // first call of the wait
        *deadline = 42;
    } else {
        assert_int_equal(*deadline, 42);  // park's to keep
    }
    if (pk->calls == 2 && pk->release_on) {
        uint64_t e = sync_epoch();
        assert_int_equal(sync_lock_release(pk->release_on, NULL), SYNC_OK);
        assert_true(sync_epoch() != e);
        return 0;
    }
    return pk->calls >= 3 ? pk->answer : 0;
}

static int never_interrupted(void *ctx) {
    UNUSED(ctx);
    return 0;
}

static void test_park_hook(void **state) {
    UNUSED(state);
    SyncLock l;
    assert_int_equal(sync_lock_init(&l, NULL), SYNC_OK);
    assert_int_equal(sync_lock_acquire(&l, 1, 0, true, -1, NULL, NULL), SYNC_OK);
    // Released during the wait: acquired on the retry after park.
    Parker pk = {.release_on = &l};
    SyncWaitHooks h = {0};
    h.ctx = &pk;
    h.park = test_park;
    assert_int_equal(sync_lock_acquire(&l, 2, 0, true, -1, &h, NULL), SYNC_OK);
    assert_int_equal(pk.calls, 2);
    assert_int_equal(sync_lock_owner(&l, NULL), 2);
    // Never released: park says the deadline passed (1), then interrupted (2).
    Parker late = {.answer = 1};
    h.ctx = &late;
    assert_int_equal(sync_lock_acquire(&l, 3, 0, true, 5.0, &h, NULL), SYNC_TIMEOUT);
    assert_int_equal(late.calls, 3);
    Parker intr = {.answer = 2};
    h.ctx = &intr;
    h.interrupted = never_interrupted;   // only interruptible waits end on 2
    assert_int_equal(sync_lock_acquire(&l, 3, 0, true, -1, &h, NULL), SYNC_INTERRUPTED);
    assert_int_equal(sync_lock_release(&l, NULL), SYNC_OK);
    sync_lock_destroy(&l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_mutual_exclusion),
        cmocka_unit_test(test_lock_nonblocking_and_timed),
        cmocka_unit_test(test_lock_release_unlocked),
        cmocka_unit_test(test_rlock),
        cmocka_unit_test(test_semaphore),
        cmocka_unit_test(test_bounded_semaphore),
        cmocka_unit_test(test_event),
        cmocka_unit_test(test_condition_notify),
        cmocka_unit_test(test_condition_notify_all),
        cmocka_unit_test(test_condition_misuse),
        cmocka_unit_test(test_condition_rlock_restores_count),
        cmocka_unit_test(test_barrier),
        cmocka_unit_test(test_barrier_abort_reset_timeout),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_condition_notify_not_lost),
        cmocka_unit_test(test_waiter_stuck_and_granted),
        cmocka_unit_test(test_park_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
