// lockorder: --lock-order, warnings about lock-order inversions (two
// acquisitions that took the same two locks in opposite orders), whether or
// not they deadlocked this time. The design is at the top of lockorder.c.
#ifndef GILVM_LOCKORDER_H
#define GILVM_LOCKORDER_H

#include "state.h"

typedef struct LockOrder LockOrder;

// Turn the checks on (main.c, --lock-order), before any thread starts. -1
// when out of memory.
int lockorder_enable(Interp *in);
// At interpreter teardown, when no other thread is left.
void lockorder_free(Interp *in);
// After [ts] acquired [lock] (its deadlock_lock_id [id]; 0 = not tracked),
// a SyncLock or SyncRLock [sync] of sync kind [kind]. Only the outermost
// acquire of an RLock counts. May print a warning to stderr.
void lockorder_acquired(ThreadState *ts, Value lock, uint64_t id, int kind, const void *sync);
// After [ts] released it (a Lock may be released by any thread). Only the
// last release of an RLock counts.
void lockorder_released(ThreadState *ts, uint64_t id, int kind, const void *sync);
// The thread runs no more bytecode: forget what it holds.
void lockorder_thread_exit(ThreadState *ts);

#endif
