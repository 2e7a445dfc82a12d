// lockorder: --lock-order, warnings about lock-order inversions (two
// acquisitions that took the same two locks in opposite orders), whether or
// not they deadlocked this time. The design is at the top of lockorder.c.
#ifndef GILVM_LOCKORDER_H
#define GILVM_LOCKORDER_H

#include "state.h"

typedef struct LockOrder LockOrder;

// The functions below cost one load and a branch when --lock-order is off:
// they are inline wrappers around the *_tracked functions of lockorder.c.
void lockorder_acquiring_tracked(ThreadState *ts, Value lock, uint64_t id, int kind,
                                 const void *sync);
void lockorder_acquired_tracked(ThreadState *ts, Value lock, uint64_t id, int kind,
                                const void *sync);
void lockorder_released_tracked(ThreadState *ts, uint64_t id, int kind, const void *sync);

// Turn the checks on (main.c, --lock-order), before any thread starts. -1
// when out of memory.
int lockorder_enable(Interp *in);
// At interpreter teardown, when no other thread is left.
void lockorder_free(Interp *in);
// Before [ts] acquires [lock] (its deadlock_lock_id [id]; 0 = not tracked),
// a SyncLock or SyncRLock [sync] of sync kind [kind], without a timeout:
// orders it after the locks [ts] holds and warns (stderr) on an inversion.
// Checked before the wait, so a warning comes even if this one deadlocks.
// An acquire with a timeout (or non-blocking) cannot wait forever and
// orders nothing: do not call this for it. Re-entering an RLock is ignored.
static inline void lockorder_acquiring(ThreadState *ts, Value lock, uint64_t id, int kind,
                                       const void *sync) {
    if (UNLIKELY(ts->interp->lock_order != NULL) && id != 0)
        lockorder_acquiring_tracked(ts, lock, id, kind, sync);
}
// After any successful acquire: [ts] now holds it (later acquires are
// ordered after it). Only the outermost acquire of an RLock counts.
static inline void lockorder_acquired(ThreadState *ts, Value lock, uint64_t id, int kind,
                                      const void *sync) {
    if (UNLIKELY(ts->interp->lock_order != NULL) && id != 0)
        lockorder_acquired_tracked(ts, lock, id, kind, sync);
}
// After [ts] released it (a Lock may be released by any thread). Only the
// last release of an RLock counts.
static inline void lockorder_released(ThreadState *ts, uint64_t id, int kind,
                                      const void *sync) {
    if (UNLIKELY(ts->interp->lock_order != NULL) && id != 0)
        lockorder_released_tracked(ts, id, kind, sync);
}
// The thread runs no more bytecode: forget what it holds.
void lockorder_thread_exit(ThreadState *ts);

#endif
