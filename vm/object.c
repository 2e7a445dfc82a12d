// Object allocation, death and the slow paths of biased reference counting.
//
// The fast paths (obj_incref/obj_decref) are inline in object.h. Here:
//   obj_merge_zero     the owner's local count reached zero: if no other
//                      thread holds a reference the object dies; otherwise
//                      the owner gives up its local count (state MERGED) and
//                      from then on every thread counts on ref_shared.
//   obj_decref_shared  a non-owner drops a reference; at a zero shared count
//                      the reference goes to the owner's merge queue (brc.c).
//   obj_merge_counts   the owner (or anyone, once the owner has exited)
//                      folds both counts into ref_shared.
// In GIL mode every thread shares one owner id, so only the first path runs.
// The object locks of free-threaded mode live here too (obj_lock_slow).
//
// Memory comes from the small-object allocator (alloc.c) unless
// GILVM_SMALL_ALLOC is 0 (sanitizer builds), then from malloc.
//
// Immortal heap objects (interned strings, code objects and their constants)
// are recorded in a registry that lives until the process exits, so they
// stay reachable and leak checkers do not report them; the debug live-object
// count leaves them out.
#include <pthread.h>
#include <sched.h>

#include "alloc.h"
#include "brc.h"
#include "exc.h"
#include "object.h"
#include "runtime.h"

_Thread_local uintptr_t rc_self = RC_ID_MAIN;

#if GILVM_DEBUG
static _Atomic int64_t live_objects;
#endif

int64_t obj_live_count(void) {
#if GILVM_DEBUG
    return atomic_load(&live_objects);
#else
    return -1;
#endif
}

#if GILVM_SMALL_ALLOC
#define OBJ_MALLOC alloc_new
#define OBJ_FREE alloc_free
#else
#define OBJ_MALLOC malloc
#define OBJ_FREE free
#endif

void *obj_alloc(Type *type, size_t size) {
    Object *o = OBJ_MALLOC(size);
    if (UNLIKELY(!o)) {
        exc_nomemory();
        return NULL;
    }
    memset(o, 0, size);
    o->type = type;
    if (UNLIKELY(rc_self == RC_ID_NAIVE)) {
        // Born merged: every count update goes to the shared path.
        atomic_store_explicit(&o->ref_shared, ((intptr_t)1 << REF_SHARED_SHIFT) | REF_SHARED_MERGED,
                              RELAXED);
        atomic_store_explicit(&o->shadow, 1, RELAXED);
    } else {
        atomic_store_explicit(&o->ref_local, 1, RELAXED);
        atomic_store_explicit(&o->owner, rc_self, RELAXED);
    }
    if (type->tflags & TF_HEAPTYPE)
        obj_incref(&type->ob);
#if GILVM_DEBUG
    atomic_fetch_add_explicit(&live_objects, 1, RELAXED);
#endif
    return o;
}

_Thread_local void (*obj_free_hook)(Object *o);

void obj_free(Object *o) {
    Type *t = o->type;
    if (UNLIKELY(obj_free_hook != NULL))
        obj_free_hook(o);
#if GILVM_DEBUG
    if (!obj_is_immortal(o))
        atomic_fetch_sub_explicit(&live_objects, 1, RELAXED);
#endif
    OBJ_FREE(o);
    if (t->tflags & TF_HEAPTYPE)
        obj_decref(&t->ob);
}

void obj_dealloc(Object *o) {
    o->type->dealloc(o);
}

// Both merges give up ownership (owner = 0) before the compare-and-swap that
// publishes the merged count: from that CAS on another thread may drop the
// last reference and free the object, so nothing may touch it afterwards.
void obj_merge_zero(Object *o) {
    intptr_t sh = atomic_load_explicit(&o->ref_shared, memory_order_acquire);
    if (sh == 0) {
        obj_dealloc(o);
        return;
    }
    // Other threads still hold references (or the object is queued for
    // merging): hand the count over to the shared field.
    atomic_store_explicit(&o->owner, 0, memory_order_relaxed);
    intptr_t merged;
    do {
        merged = (sh & ~(intptr_t)3) | REF_SHARED_MERGED;
    } while (!atomic_compare_exchange_weak_explicit(&o->ref_shared, &sh, merged,
                                                    memory_order_acq_rel, memory_order_acquire));
    if (merged == REF_SHARED_MERGED)
        obj_dealloc(o);
}

intptr_t obj_merge_counts(Object *o, intptr_t extra) {
    intptr_t local = (intptr_t)atomic_load_explicit(&o->ref_local, RELAXED);
    atomic_store_explicit(&o->ref_local, 0, RELAXED);
    atomic_store_explicit(&o->owner, 0, RELAXED);
    intptr_t sh = atomic_load_explicit(&o->ref_shared, memory_order_acquire);
    intptr_t count, merged;
    do {
        count = local + (sh >> REF_SHARED_SHIFT) + extra;
        merged = (intptr_t)((uintptr_t)count << REF_SHARED_SHIFT) | REF_SHARED_MERGED;
    } while (!atomic_compare_exchange_weak_explicit(&o->ref_shared, &sh, merged,
                                                    memory_order_acq_rel, memory_order_acquire));
    return count;
}

_Thread_local uint64_t rc_cross_thread;

// --- naive reference counting (--naive-refcount) ---------------------------------
//
// Next to the real count, each object keeps a 16-bit shadow count updated
// the way a VM without atomics or a GIL would: read, add, write back. Those
// are relaxed atomic loads and stores (no C-level data race), but two
// threads doing it at once lose one update, exactly as `counter += 1` does
// in Python. The shadow never frees anything; the counters below record
// what it would have done. Process-wide on purpose: the object layer knows
// nothing of the interpreter, and the report is printed once at exit.
static _Atomic uint64_t naive_updates, naive_early, naive_wrong;

static void naive_update(Object *o, int delta, intptr_t real_after) {
    atomic_fetch_add_explicit(&naive_updates, 1, RELAXED);
    uint16_t s = atomic_load_explicit(&o->shadow, RELAXED);
    s = (uint16_t)(s + delta);
    atomic_store_explicit(&o->shadow, s, RELAXED);
    // A naive VM would free this object now, while it is still in use
    // (counted once per object).
    if (s == 0 && real_after > 0 &&
        !(atomic_fetch_or_explicit(&o->flags, OF_NAIVE_EARLY, RELAXED) & OF_NAIVE_EARLY))
        atomic_fetch_add_explicit(&naive_early, 1, RELAXED);
}

void obj_naive_report(uint64_t *updates, uint64_t *early, uint64_t *wrong) {
    *updates = atomic_load(&naive_updates);
    *early = atomic_load(&naive_early);
    *wrong = atomic_load(&naive_wrong);
}

void obj_incref_shared(Object *o) {
    rc_cross_thread++;
    intptr_t old = atomic_fetch_add_explicit(&o->ref_shared, (intptr_t)1 << REF_SHARED_SHIFT, RELAXED);
    if (UNLIKELY(rc_self == RC_ID_NAIVE))
        naive_update(o, 1, (old >> REF_SHARED_SHIFT) + 1);
}

void obj_decref_shared(Object *o) {
    rc_cross_thread++;
    if (UNLIKELY(rc_self == RC_ID_NAIVE)) {
        // Objects are born merged in this mode: no queueing, one count.
        intptr_t old = atomic_fetch_sub_explicit(&o->ref_shared, (intptr_t)1 << REF_SHARED_SHIFT,
                                                 memory_order_acq_rel);
        intptr_t after = (old >> REF_SHARED_SHIFT) - 1;
        naive_update(o, -1, after);
        if (after == 0 && (old & 3) == REF_SHARED_MERGED) {
            atomic_thread_fence(memory_order_acquire);
            if (atomic_load_explicit(&o->shadow, RELAXED) != 0)
                atomic_fetch_add_explicit(&naive_wrong, 1, RELAXED);
            obj_dealloc(o);
        }
        return;
    }
    intptr_t sh = atomic_load_explicit(&o->ref_shared, RELAXED);
    intptr_t next;
    bool queue;
    do {
        // A zero shared count (not queued, not merged): the reference being
        // dropped was counted by the owner. Keep it and let the owner merge.
        queue = sh == 0;
        next = queue ? REF_SHARED_QUEUED : sh - ((intptr_t)1 << REF_SHARED_SHIFT);
    } while (!atomic_compare_exchange_weak_explicit(&o->ref_shared, &sh, next,
                                                    memory_order_acq_rel, RELAXED));
    if (queue) {
        brc_queue_object(o);
    } else if (next == REF_SHARED_MERGED) {
        atomic_thread_fence(memory_order_acquire);
        obj_dealloc(o);
    }
}

// --- object locks ------------------------------------------------------------------

_Thread_local bool obj_locking;
_Thread_local uint64_t obj_lock_contended;

void obj_lock_slow(Object *o) {
    obj_lock_contended++;
    for (unsigned spins = 0;; spins++) {
        uint8_t unlocked = 0;
        if (atomic_load_explicit(&o->mutex, RELAXED) == 0 &&
            atomic_compare_exchange_weak_explicit(&o->mutex, &unlocked, 1, memory_order_acquire,
                                                  RELAXED))
            return;
        // Holders never block, so the lock frees up within microseconds
        // unless the holder's core was taken away: spin briefly, then yield.
        if (spins < 100) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        } else {
            sched_yield();
        }
    }
}

int64_t obj_refcount(const Object *o) {
    uint32_t l = atomic_load_explicit(&o->ref_local, RELAXED);
    if (l == REF_IMMORTAL)
        return (int64_t)UINT32_MAX;
    intptr_t sh = atomic_load_explicit(&o->ref_shared, RELAXED);
    return (int64_t)l + (sh >> REF_SHARED_SHIFT);
}

// --- immortal registry ------------------------------------------------------

static pthread_mutex_t immortal_lock = PTHREAD_MUTEX_INITIALIZER;
static Object **immortals;
static size_t n_immortals, cap_immortals;

void obj_make_immortal(Object *o) {
    if (obj_is_immortal(o))
        return;
#if GILVM_DEBUG
    atomic_fetch_sub_explicit(&live_objects, 1, RELAXED);
#endif
    atomic_store_explicit(&o->ref_local, REF_IMMORTAL, RELAXED);
    pthread_mutex_lock(&immortal_lock);
    if (n_immortals == cap_immortals) {
        size_t cap = cap_immortals ? cap_immortals * 2 : 1024;
        Object **n = realloc(immortals, cap * sizeof *n);
        if (!n) {
            // Out of memory: the object simply stays alive until exit.
            pthread_mutex_unlock(&immortal_lock);
            return;
        }
        immortals = n;
        cap_immortals = cap;
    }
    immortals[n_immortals++] = o;
    pthread_mutex_unlock(&immortal_lock);
}
