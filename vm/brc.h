// Biased reference counting, the cross-thread half (PEP 703): the queue of
// objects a thread must merge because other threads dropped references the
// owner had counted. See object.h for the counting scheme.
//
// Every thread that counts references under its own owner id registers a
// BrcThread for that id before its first reference-count operation and
// unregisters it after its last. brc_queue_object (called by a non-owner
// whose decrement found a zero shared count) appends the object to its
// owner's queue and sets the owner's eval-breaker bit; the owner merges at
// its next check (brc_merge_queued). If the owner has exited, the caller
// merges the counts itself: no live thread writes that object's local count.
//
// Locking: one process-wide mutex guards the registry and every queue; it is
// a leaf (no other lock is taken under it, no object is freed under it).
#ifndef GILVM_BRC_H
#define GILVM_BRC_H

#include "object.h"

typedef struct BrcThread BrcThread;
struct BrcThread {
    uintptr_t id;
    _Atomic uint32_t *eval_breaker;   // the owner's word (not owned here)
    uint32_t bit;                     // set there when the queue is not empty
    Object **queue;                   // objects holding one queued reference each
    size_t n, cap;
    BrcThread *prev, *next;
};

// An owner id no registered thread has: set as rc_self after unregistering.
#define RC_ID_NONE UINTPTR_MAX

void brc_thread_register(BrcThread *t, uintptr_t id, _Atomic uint32_t *eval_breaker, uint32_t bit);
// Merge whatever is queued, then leave the registry. The calling thread must
// make no reference-count operation under [t]'s id afterwards.
void brc_thread_unregister(BrcThread *t);
// The owner [t] merges its queued objects (frees those whose count is zero).
void brc_merge_queued(BrcThread *t);
// Called by obj_decref_shared with the reference it did not drop.
void brc_queue_object(Object *o);
// obj_merge_counts (object.c): fold ref_local + shared count + [extra] into
// ref_shared (state MERGED), clear owner; returns the merged count.
intptr_t obj_merge_counts(Object *o, intptr_t extra);

#endif
