// Values, the object header, the type struct and the reference-count API.
//
// A Value is one machine word:
//
//   ...xxxxxxx1   small int: the word shifted right by one (63-bit signed)
//   ...xxxxxx00   pointer to an Object (never NULL for a live value)
//   0             VAL_NULL: "no value" -- an error return, an empty slot
//
// Small ints carry no count and never allocate; ints outside the small range
// are BigInt objects (GMP) and an int is a BigInt only when it does not fit, so
// two equal ints are either the same small word or two BigInts.
//
// Reference counts follow PEP 703's biased counting so that one code path
// serves the GIL and the free-threaded modes:
//   ref_local  changed only by the thread whose id is in `owner` (plain
//              load/store, relaxed atomics so other threads may read it)
//   ref_shared changed by every other thread with atomic add/sub; the low two
//              bits hold the merge state (REF_SHARED_*)
// `rc_self` is the calling thread's id. In GIL mode every thread uses the same
// id (RC_ID_MAIN), so all counting is the cheap local path and the GIL orders
// it; in free-threaded mode the main thread keeps RC_ID_MAIN and every other
// thread gets its own id. An object dies when both counts reach zero
// (obj_merge_zero / obj_decref_shared in object.c). When a non-owner's
// decrement would take a zero shared count negative, it sets QUEUED instead
// and hands the object (with that reference) to the owner, which merges the
// two counts at its next eval-breaker check (brc.c): so an object whose owner
// never touches it again is still freed.
// Immortal objects (None, True, False, types, interned names, code constants)
// have ref_local == REF_IMMORTAL and are never counted or freed.
//
// Ownership is in the names: `_new` returns a new reference, `_borrow` a
// borrowed one, `_steal` takes over the caller's reference. Functions that
// return Value return a new reference unless documented otherwise; VAL_NULL
// means an exception is set in the current thread state.
#ifndef GILVM_OBJECT_H
#define GILVM_OBJECT_H

#include "common.h"

typedef uintptr_t Value;
typedef struct Object Object;
typedef struct Type Type;

#define VAL_NULL ((Value)0)

#define SMALL_MAX (INTPTR_MAX >> 1)
#define SMALL_MIN (INTPTR_MIN >> 1)

static inline bool val_is_small(Value v) { return (v & 1) != 0; }
static inline bool val_is_obj(Value v) { return v != 0 && (v & 1) == 0; }
// Arithmetic shift of a negative value: gcc and clang shift arithmetically.
static inline intptr_t small_get(Value v) { return (intptr_t)v >> 1; }
static inline Value small_new(intptr_t i) { return ((uintptr_t)i << 1) | 1; }
static inline bool small_fits(int64_t i) { return i >= SMALL_MIN && i <= SMALL_MAX; }
static inline Object *val_obj(Value v) { return (Object *)v; }
static inline Value obj_val(const void *o) { return (Value)o; }

#define REF_IMMORTAL UINT32_MAX
#define REF_SHARED_SHIFT 2
#define REF_SHARED_MERGED 3   // owner gave up ref_local: ref_shared is the count
#define REF_SHARED_QUEUED 2   // handed to the owner for merging
#define RC_ID_MAIN ((uintptr_t)1)
// --naive-refcount: every thread counts under this id and every object is
// born merged (owner 0), so all counting takes the shared path, where the
// shadow count is kept (object.c).
#define RC_ID_NAIVE ((uintptr_t)2)

// Object flags.
enum {
    OF_TRACKED = 1 << 0,   // reserved for the cycle collector
    OF_NAIVE_EARLY = 1 << 1,  // --naive-refcount: the shadow count hit zero in use
};

struct Object {
    Type *type;
    _Atomic uint32_t ref_local;
    _Atomic uint8_t mutex;       // per-object lock (free-threaded mode), see obj_lock
    _Atomic uint8_t flags;       // OF_*, set with atomic or
    _Atomic uint16_t shadow;     // --naive-refcount: the count kept the unsafe way
    _Atomic intptr_t ref_shared;
    _Atomic uintptr_t owner;
};

#define OBJECT_HEAD_IMMORTAL(typeptr) \
    { .type = (typeptr), .ref_local = REF_IMMORTAL, .owner = 0 }

extern _Thread_local uintptr_t rc_self;

void obj_merge_zero(Object *o);
void obj_decref_shared(Object *o);
void obj_dealloc(Object *o);

// --naive-refcount figures so far: shadow count updates, objects whose shadow
// count reached zero while still in use, objects freed with a nonzero shadow.
void obj_naive_report(uint64_t *updates, uint64_t *early, uint64_t *wrong);

// Per-thread counters of the free-threaded slow paths, for --stats: reference
// count operations on objects owned by another thread, and object-lock
// acquisitions that found the lock taken.
extern _Thread_local uint64_t rc_cross_thread;
extern _Thread_local uint64_t obj_lock_contended;

void obj_incref_shared(Object *o);

static inline void obj_incref(Object *o) {
    uint32_t l = atomic_load_explicit(&o->ref_local, RELAXED);
    if (l == REF_IMMORTAL)
        return;
    if (LIKELY(atomic_load_explicit(&o->owner, RELAXED) == rc_self))
        atomic_store_explicit(&o->ref_local, l + 1, RELAXED);
    else
        obj_incref_shared(o);
}

static inline void obj_decref(Object *o) {
    uint32_t l = atomic_load_explicit(&o->ref_local, RELAXED);
    if (l == REF_IMMORTAL)
        return;
    if (LIKELY(atomic_load_explicit(&o->owner, RELAXED) == rc_self)) {
        ASSERT(l > 0, "decref of an object whose local count is zero");
        atomic_store_explicit(&o->ref_local, l - 1, RELAXED);
        if (l == 1)
            obj_merge_zero(o);
    } else {
        obj_decref_shared(o);
    }
}

static inline Value incref(Value v) {
    if (val_is_obj(v))
        obj_incref(val_obj(v));
    return v;
}
static inline void decref(Value v) {
    if (val_is_obj(v))
        obj_decref(val_obj(v));
}
// Drop [*slot] and clear it (VAL_NULL allowed).
static inline void clear_ref(Value *slot) {
    Value v = *slot;
    *slot = VAL_NULL;
    decref(v);
}
// Store [v] (a new reference) into [*slot], dropping the old value afterwards
// so that a destructor running on the old value sees a consistent slot.
static inline void set_ref(Value *slot, Value v) {
    Value old = *slot;
    *slot = v;
    decref(old);
}

// ---------------------------------------------------------------------------
// Per-object locks (DESIGN decision 8). In free-threaded mode each single
// operation on a container (list, dict, set, cell) runs between
// BEGIN_CRITICAL(o) and END_CRITICAL(o): a one-byte spin lock in the header,
// uncontended cost one compare-and-swap. Rules that keep it deadlock-free and
// short: never hold two object locks at once, never call Python code, block,
// or drop a reference (a destructor may run anything) while holding one. In
// GIL mode `obj_locking` is false and the brackets cost one predictable
// branch. obj_locking is per thread and set once when the thread attaches.
extern _Thread_local bool obj_locking;
void obj_lock_slow(Object *o);
static inline void obj_lock(Object *o) {
    uint8_t unlocked = 0;
    if (UNLIKELY(!atomic_compare_exchange_weak_explicit(&o->mutex, &unlocked, 1,
                                                        memory_order_acquire, RELAXED)))
        obj_lock_slow(o);
}
static inline void obj_unlock(Object *o) {
    atomic_store_explicit(&o->mutex, 0, memory_order_release);
}
#define BEGIN_CRITICAL(o)             \
    do {                              \
        if (UNLIKELY(obj_locking))    \
            obj_lock(o);              \
    } while (0)
#define END_CRITICAL(o)               \
    do {                              \
        if (UNLIKELY(obj_locking))    \
            obj_unlock(o);            \
    } while (0)

static inline bool obj_is_immortal(const Object *o) {
    return atomic_load_explicit(&o->ref_local, RELAXED) == REF_IMMORTAL;
}
void obj_make_immortal(Object *o);
// The count sys.getrefcount reports (local + shared).
int64_t obj_refcount(const Object *o);

// Allocate an object of [size] bytes owned by the calling thread, count 1,
// zero-filled after the header. Returns NULL with MemoryError set on failure.
void *obj_alloc(Type *type, size_t size);
// Release the memory of an object whose fields are already cleared.
void obj_free(Object *o);
// Called by obj_free before the memory goes, when not NULL: --race forgets
// what it knew about the object (race.c). Per thread, set when the thread
// attaches, like obj_locking.
extern _Thread_local void (*obj_free_hook)(Object *o);

// ---------------------------------------------------------------------------
// Types

typedef Value (*BinaryFunc)(Value a, Value b);
typedef Value (*UnaryFunc)(Value a);
// The one calling convention: positional args in [args, args+nargs), then
// the values of the keyword args named by the tuple [kwnames] (or VAL_NULL)
// follow at args[nargs + i]. All borrowed; returns a new reference.
typedef Value (*CallFunc)(Value callable, Value *args, size_t nargs, Value kwnames);

// Binary operator slots, in the order of the BINARY_OP argument.
#define NB_OPS(X)                 \
    X(ADD, "+", "__add__", "__radd__", "__iadd__")              \
    X(SUB, "-", "__sub__", "__rsub__", "__isub__")              \
    X(MUL, "*", "__mul__", "__rmul__", "__imul__")              \
    X(TRUEDIV, "/", "__truediv__", "__rtruediv__", "__itruediv__") \
    X(FLOORDIV, "//", "__floordiv__", "__rfloordiv__", "__ifloordiv__") \
    X(MOD, "%", "__mod__", "__rmod__", "__imod__")              \
    X(POW, "**", "__pow__", "__rpow__", "__ipow__")             \
    X(LSHIFT, "<<", "__lshift__", "__rlshift__", "__ilshift__") \
    X(RSHIFT, ">>", "__rshift__", "__rrshift__", "__irshift__") \
    X(AND, "&", "__and__", "__rand__", "__iand__")              \
    X(OR, "|", "__or__", "__ror__", "__ior__")                  \
    X(XOR, "^", "__xor__", "__rxor__", "__ixor__")              \
    X(MATMUL, "@", "__matmul__", "__rmatmul__", "__imatmul__")

enum {
#define X(name, sym, d, r, i) NB_##name,
    NB_OPS(X)
#undef X
    NB_COUNT
};

// Rich comparison ops, in the order of the COMPARE_OP argument.
enum { CMP_LT, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_GE };

// Type flags.
enum {
    TF_BASETYPE = 1 << 0,     // may be subclassed
    TF_HEAPTYPE = 1 << 1,     // created by a class statement (counted, freed)
    TF_INT_SUBCLASS = 1 << 2,
    TF_STR_SUBCLASS = 1 << 3,
    TF_TUPLE_SUBCLASS = 1 << 4,
    TF_LIST_SUBCLASS = 1 << 5,
    TF_DICT_SUBCLASS = 1 << 6,
    TF_EXC_SUBCLASS = 1 << 7, // BaseException and below
    TF_TYPE_SUBCLASS = 1 << 8,
    TF_ABSTRACT_NEW = 1 << 9, // no instances from Python code
};

struct Type {
    Object ob;
    const char *name;
    Type *base;
    Value dict;                // attributes and methods (Dict)
    Value mro;                 // Tuple of types, self first
    Value name_obj;            // Str, heap types only (keeps [name] alive)
    Value module;              // Str or VAL_NULL
    uint32_t tflags;
    uint32_t basic_size;       // instance size in bytes
    uint32_t dict_offset;      // offset of the instance dict slot, 0 = none
    // An instance dict may hide a method (no LOAD_METHOD cache). Set once,
    // from any thread, while others read it: atomic, apart from [tflags]
    // (which is written only while a type is built).
    _Atomic bool instance_shadows;

    void (*dealloc)(Object *o);       // clear fields and free
    Value (*new_)(Type *t, Value *args, size_t nargs, Value kwnames);
    int (*init)(Value self, Value *args, size_t nargs, Value kwnames);
    UnaryFunc repr;
    UnaryFunc str;
    int (*hash)(Value self, int64_t *out);       // -1 = error
    Value (*richcmp)(Value a, Value b, int op);   // may return NotImplemented
    Value (*getattr)(Value self, Value name);     // VAL_NULL + AttributeError
    int (*setattr)(Value self, Value name, Value v);  // v == VAL_NULL deletes
    CallFunc call;
    UnaryFunc iter;
    // VAL_NULL with no exception set means "exhausted".
    UnaryFunc iternext;
    Value (*descr_get)(Value descr, Value obj, Value type);  // obj may be VAL_NULL
    int (*descr_set)(Value descr, Value obj, Value v);

    BinaryFunc nb[NB_COUNT];          // may return NotImplemented
    BinaryFunc nb_inplace[NB_COUNT];  // may be NULL or return NotImplemented
    UnaryFunc nb_neg, nb_pos, nb_invert, nb_abs;
    UnaryFunc nb_int, nb_float, nb_index;
    int (*nb_bool)(Value self);       // -1 error

    int64_t (*len)(Value self);       // -1 error
    Value (*getitem)(Value self, Value key);
    int (*setitem)(Value self, Value key, Value v);   // v == VAL_NULL deletes
    int (*contains)(Value self, Value item);          // -1 error
};

// The type of any value, borrowed. Small ints are ints.
extern Type int_type;
static inline Type *val_type(Value v) {
    return val_is_small(v) ? &int_type : val_obj(v)->type;
}
bool type_is_subtype(const Type *t, const Type *base);
static inline bool val_isinstance(Value v, Type *t) {
    Type *vt = val_type(v);
    return vt == t || type_is_subtype(vt, t);
}

// The immortal singletons.
extern Object none_obj, notimpl_obj, ellipsis_obj;
#define VAL_NONE obj_val(&none_obj)
#define VAL_NOTIMPL obj_val(&notimpl_obj)
#define VAL_ELLIPSIS obj_val(&ellipsis_obj)

#endif
