// sync: the C primitives under threading.Lock/RLock/Semaphore/BoundedSemaphore/
// Event/Condition/Barrier (and queue.Queue, built on Condition), with Python's
// semantics and no knowledge of objects, the GIL or thread states.
//
// Blocking. Every wait that really sleeps is bracketed by [hooks]->begin /
// [hooks]->end (DESIGN decision 6): the interpreter releases the GIL in begin,
// records [waiting_on]/[kind] for `:threads` and the deadlock detector, and
// takes the GIL back in end. begin/end always come in pairs; they are not
// called when the primitive is available at once or the timeout is 0.
// [hooks]->interrupted is polled between them at least every
// SYNC_POLL_INTERVAL_MS (and only then: without it a wait has no periodic
// wake-up); a non-zero answer ends the wait with SYNC_INTERRUPTED, the
// primitive NOT taken (the interpreter has set KeyboardInterrupt or whatever
// the signal handler raised). No hook is ever called with an internal mutex
// held, so hooks may block, take the GIL or call into sync again.
// A NULL [hooks] or NULL member means "no bracket" / "not interruptible".
// [hooks]->granted, when not NULL, is set to true under the primitive's
// mutex at the moment a bracketed wait succeeds (before end is called): with
// sync_waiter_stuck a deadlock detector tells a thread that was just granted
// the primitive from one still waiting for it.
//
// Timeouts are seconds: negative = forever, 0 = do not block. Deadlines are
// CLOCK_MONOTONIC. Values above SYNC_TIMEOUT_MAX count as forever (the
// binding should reject them as CPython does: threading.TIMEOUT_MAX). NaN is
// rejected with SYNC_ERROR.
//
// Thread ids are the interpreter's (ThreadState.id, never 0); 0 means "no
// owner". A "site" is an opaque uint64_t the interpreter passes with an
// acquire (e.g. code object + line) and gets back in deadlock reports.
//
// Errors: SYNC_ERROR comes with a static message in *[err] (when [err] is not
// NULL); each function says which Python exception the message belongs to.
//
// Life cycle: init before any use, destroy when no thread uses or waits on
// the primitive (the binding keeps the object alive while a thread waits).
#ifndef GILVM_SYNC_H
#define GILVM_SYNC_H

#include <pthread.h>

#include "common.h"

#define SYNC_POLL_INTERVAL_MS 50
#define SYNC_TIMEOUT_MAX 9223372036.0   // seconds: CPython's threading.TIMEOUT_MAX on Linux

typedef enum {
    SYNC_OK = 0,        // acquired / notified / set / passed the barrier
    SYNC_TIMEOUT,       // the timeout passed (or 0 and not available)
    SYNC_INTERRUPTED,   // hooks->interrupted() said stop; nothing taken
    SYNC_BROKEN,        // barrier broken or reset (BrokenBarrierError)
    SYNC_ERROR,         // misuse; static message in *err
} SyncStatus;

typedef enum {
    SYNC_WAIT_LOCK = 1,     // waiting_on is a SyncLock *
    SYNC_WAIT_RLOCK,        // SyncRLock *
    SYNC_WAIT_SEMAPHORE,    // SyncSemaphore *
    SYNC_WAIT_EVENT,        // SyncEvent *
    SYNC_WAIT_CONDITION,    // SyncCondition * (waiting for a notify)
    SYNC_WAIT_BARRIER,      // SyncBarrier *
} SyncWaitKind;

typedef struct {
    void (*begin)(void *ctx, const void *waiting_on, int kind);
    void (*end)(void *ctx);
    int (*interrupted)(void *ctx);
    void *ctx;
    bool *granted;      // see above; NULL = not wanted
    // When not NULL, a scheduler decides who runs (scheduler.c): between begin
    // and end the wait does not sleep on the primitive but calls park,
    // without the mutex, after each failed try. park returns 0 (try again),
    // 1 (the timeout has passed: one last try), 2 (interrupted) or -1 (no
    // scheduler: wait in the kernel as usual). *[deadline] is 0 at the first
    // call of a wait and is park's to keep.
    int (*park)(void *ctx, const void *waiting_on, int kind, double timeout, int64_t *deadline);
} SyncWaitHooks;

// Moves whenever a primitive changes state in a way that may end somebody's
// wait. A parked waiter (see [park]) is retried only after it moved.
uint64_t sync_epoch(void);

// For a deadlock detector, between begin and end of a wait by thread [tid]
// on [waiting_on] of [kind], whose hooks had [granted]: true when, under the
// primitive's mutex, the wait has not been granted and cannot be now (lock
// held by someone else, semaphore at 0). Events, conditions and barriers
// keep per-waiter state the detector cannot see: always false (not stuck).
bool sync_waiter_stuck(const void *waiting_on, int kind, uint64_t tid, const bool *granted);

// --- Lock: threading.Lock. Not owned: any thread may release it. ------------
typedef struct {
    pthread_mutex_t m;
    pthread_cond_t cv;
    bool locked;
    uint64_t owner;     // thread of the last acquirer while locked, else 0
    uint64_t site;      // its acquire site while locked, else 0
} SyncLock;

// SYNC_OK, or SYNC_ERROR (pthread failure; RuntimeError).
SyncStatus sync_lock_init(SyncLock *l, const char **err);
void sync_lock_destroy(SyncLock *l);
// [blocking] false = try once ([timeout] ignored). SYNC_OK, SYNC_TIMEOUT,
// SYNC_INTERRUPTED, SYNC_ERROR (NaN timeout; ValueError).
SyncStatus sync_lock_acquire(SyncLock *l, uint64_t tid, uint64_t site, bool blocking,
                             double timeout, const SyncWaitHooks *hooks, const char **err);
// Any thread. SYNC_OK or SYNC_ERROR "release unlocked lock" (RuntimeError).
SyncStatus sync_lock_release(SyncLock *l, const char **err);
bool sync_lock_locked(SyncLock *l);
// Owner thread id (0 = unlocked); its acquire site in *[site] if not NULL.
uint64_t sync_lock_owner(SyncLock *l, uint64_t *site);

// --- RLock: threading.RLock. Owned, recursive. --------------------------------
typedef struct {
    pthread_mutex_t m;
    pthread_cond_t cv;
    uint64_t owner;     // 0 = free
    uint64_t count;     // recursion depth; 0 iff owner == 0
    uint64_t site;      // site of the outermost acquire
} SyncRLock;

SyncStatus sync_rlock_init(SyncRLock *r, const char **err);
void sync_rlock_destroy(SyncRLock *r);
// As sync_lock_acquire; re-entry by the owner never blocks. Extra SYNC_ERROR:
// "internal lock count overflowed" (OverflowError).
SyncStatus sync_rlock_acquire(SyncRLock *r, uint64_t tid, uint64_t site, bool blocking,
                              double timeout, const SyncWaitHooks *hooks, const char **err);
// SYNC_OK or SYNC_ERROR "cannot release un-acquired lock" (RuntimeError).
SyncStatus sync_rlock_release(SyncRLock *r, uint64_t tid, const char **err);
bool sync_rlock_is_owned(SyncRLock *r, uint64_t tid);
// Owner (0 = free); recursion count and outer site through the non-NULL outs.
uint64_t sync_rlock_owner(SyncRLock *r, uint64_t *count, uint64_t *site);

// --- Semaphore / BoundedSemaphore ---------------------------------------------
typedef struct {
    pthread_mutex_t m;
    pthread_cond_t cv;
    uint64_t value;
    uint64_t bound;     // the initial value, checked when [bounded]
    bool bounded;
} SyncSemaphore;

// The binding rejects negative values ("semaphore initial value must be >= 0").
SyncStatus sync_semaphore_init(SyncSemaphore *s, uint64_t value, bool bounded,
                               const char **err);
void sync_semaphore_destroy(SyncSemaphore *s);
SyncStatus sync_semaphore_acquire(SyncSemaphore *s, bool blocking, double timeout,
                                  const SyncWaitHooks *hooks, const char **err);
// release(n). SYNC_ERROR: "Semaphore released too many times" (bounded;
// ValueError; nothing released), "n must be one or more" (ValueError),
// "semaphore value overflowed" (OverflowError).
SyncStatus sync_semaphore_release(SyncSemaphore *s, uint64_t n, const char **err);
uint64_t sync_semaphore_value(SyncSemaphore *s);

// --- Event ----------------------------------------------------------------------
typedef struct {
    pthread_mutex_t m;
    pthread_cond_t cv;
    bool flag;
    uint64_t sets;      // count of false -> true transitions
} SyncEvent;

SyncStatus sync_event_init(SyncEvent *e, const char **err);
void sync_event_destroy(SyncEvent *e);
void sync_event_set(SyncEvent *e);
void sync_event_clear(SyncEvent *e);
bool sync_event_is_set(SyncEvent *e);
// SYNC_OK = wait() returns True (the flag was set at some point while waiting,
// even if cleared since, as in CPython), SYNC_TIMEOUT = False,
// SYNC_INTERRUPTED, SYNC_ERROR (NaN).
SyncStatus sync_event_wait(SyncEvent *e, double timeout, const SyncWaitHooks *hooks,
                           const char **err);

// --- Condition: over an external SyncLock or SyncRLock ------------------------
typedef struct SyncCondWaiter SyncCondWaiter;
typedef struct {
    pthread_mutex_t m;
    pthread_cond_t cv;
    SyncLock *lock;               // exactly one of lock / rlock is set
    SyncRLock *rlock;
    SyncCondWaiter *head, *tail;  // FIFO of waiters (nodes on their stacks)
} SyncCondition;

// The lock is borrowed: it must outlive the condition.
SyncStatus sync_condition_init_lock(SyncCondition *c, SyncLock *lock, const char **err);
SyncStatus sync_condition_init_rlock(SyncCondition *c, SyncRLock *rlock, const char **err);
void sync_condition_destroy(SyncCondition *c);
// Releases the lock fully (an RLock's count and site are saved), waits for a
// notify, and always re-acquires before returning, also after a timeout or an
// interruption (the re-acquire is bracketed with kind LOCK/RLOCK but not
// interruptible, so `with cond:` never exits without the lock).
// SYNC_OK = notified (True), SYNC_TIMEOUT (False), SYNC_INTERRUPTED (a
// notify that raced with the interruption is passed to the next waiter),
// SYNC_ERROR "cannot wait on un-acquired lock" (RuntimeError) or NaN.
// "Acquired" is Python's _is_owned: a Lock is locked (by anyone), an RLock
// is owned by [tid].
SyncStatus sync_condition_wait(SyncCondition *c, uint64_t tid, double timeout,
                               const SyncWaitHooks *hooks, const char **err);
// Wakes the [n] longest-waiting threads. SYNC_ERROR "cannot notify on
// un-acquired lock" (RuntimeError).
SyncStatus sync_condition_notify(SyncCondition *c, uint64_t tid, uint64_t n,
                                 const char **err);
SyncStatus sync_condition_notify_all(SyncCondition *c, uint64_t tid, const char **err);

// --- Barrier ------------------------------------------------------------------
typedef enum {
    SYNC_BARRIER_FILLING,    // threads arriving
    SYNC_BARRIER_ACTION,     // the last arrival runs the action
    SYNC_BARRIER_DRAINING,   // released threads leaving
    SYNC_BARRIER_RESETTING,  // reset() while threads waited: they leave broken
    SYNC_BARRIER_BROKEN,
} SyncBarrierState;

typedef struct {
    pthread_mutex_t m;
    pthread_cond_t cv;
    uint64_t parties;
    uint64_t count;          // threads inside wait()
    SyncBarrierState state;
} SyncBarrier;

// Called by the last thread to arrive, before any is released, with no mutex
// held and outside any bracket. Non-zero = it failed (its exception is set):
// the barrier breaks.
typedef int (*SyncBarrierAction)(void *ctx);

// [parties] >= 1 (the binding raises ValueError otherwise).
SyncStatus sync_barrier_init(SyncBarrier *b, uint64_t parties, const char **err);
void sync_barrier_destroy(SyncBarrier *b);
// SYNC_OK with the arrival index (0 .. parties-1) in *[index];
// SYNC_BROKEN (BrokenBarrierError); SYNC_TIMEOUT: this thread timed out and
// broke the barrier (raise BrokenBarrierError as CPython does);
// SYNC_INTERRUPTED: this thread left, the barrier is not broken (as CPython);
// SYNC_ERROR "barrier action failed" (the action's exception stands; the
// barrier is broken) or NaN. [action] may be NULL.
SyncStatus sync_barrier_wait(SyncBarrier *b, double timeout, SyncBarrierAction action,
                             void *action_ctx, const SyncWaitHooks *hooks,
                             uint64_t *index, const char **err);
// Threads waiting now get SYNC_BROKEN; the barrier is then usable again.
void sync_barrier_reset(SyncBarrier *b);
// Breaks the barrier: current and future waits get SYNC_BROKEN until reset.
void sync_barrier_abort(SyncBarrier *b);
uint64_t sync_barrier_n_waiting(SyncBarrier *b);
bool sync_barrier_broken(SyncBarrier *b);

#endif
