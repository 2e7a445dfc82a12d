// Object allocation, death and the slow paths of biased reference counting.
//
// The fast paths (obj_incref/obj_decref) are inline in object.h. Here:
//   obj_merge_zero     the owner's local count reached zero: if no other
//                      thread holds a reference the object dies; otherwise
//                      the owner gives up its local count (state MERGED) and
//                      from then on every thread counts on ref_shared.
//   obj_decref_shared  a non-owner drops a reference.
// In GIL mode every thread shares one owner id, so only the first path runs.
//
// Memory comes from the small-object allocator (alloc.c) unless
// GILVM_SMALL_ALLOC is 0 (sanitizer builds), then from malloc.
//
// Immortal heap objects (interned strings, code objects and their constants)
// are recorded in a registry that lives until the process exits, so they
// stay reachable and leak checkers do not report them; the debug live-object
// count leaves them out.
#include <pthread.h>

#include "alloc.h"
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
    atomic_store_explicit(&o->ref_local, 1, RELAXED);
    atomic_store_explicit(&o->owner, rc_self, RELAXED);
    if (type->tflags & TF_HEAPTYPE)
        obj_incref(&type->ob);
#if GILVM_DEBUG
    atomic_fetch_add_explicit(&live_objects, 1, RELAXED);
#endif
    return o;
}

void obj_free(Object *o) {
    Type *t = o->type;
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

void obj_merge_zero(Object *o) {
    intptr_t sh = atomic_load_explicit(&o->ref_shared, memory_order_acquire);
    for (;;) {
        if ((sh >> REF_SHARED_SHIFT) == 0) {
            obj_dealloc(o);
            return;
        }
        // Other threads still hold references: hand the count over to them.
        intptr_t merged = (sh & ~(intptr_t)3) | REF_SHARED_MERGED;
        if (atomic_compare_exchange_weak_explicit(&o->ref_shared, &sh, merged,
                                                  memory_order_acq_rel, memory_order_acquire)) {
            atomic_store_explicit(&o->owner, 0, memory_order_release);
            return;
        }
    }
}

void obj_decref_shared(Object *o) {
    intptr_t one = (intptr_t)1 << REF_SHARED_SHIFT;
    intptr_t old = atomic_fetch_sub_explicit(&o->ref_shared, one, memory_order_acq_rel);
    if ((old & 3) == REF_SHARED_MERGED && (old >> REF_SHARED_SHIFT) == 1) {
        atomic_thread_fence(memory_order_acquire);
        obj_dealloc(o);
    }
    // A negative shared count while the owner still counts locally is
    // settled when the owner's count reaches zero (obj_merge_zero). The
    // owner-side merge queue for objects the owner never touches again is
    // part of the free-threaded runtime (thread.c).
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
