// tuple: an immutable array of values. The empty tuple is immortal.
#ifndef GILVM_TUPLE_H
#define GILVM_TUPLE_H

#include "object.h"

typedef struct {
    Object ob;
    int64_t hash_cache;  // unused for now
    size_t len;
    Value items[];
} Tuple;

extern Type tuple_type;
static inline bool val_is_tuple(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &tuple_type ||
                             (val_obj(v)->type->tflags & TF_TUPLE_SUBCLASS));
}
static inline Tuple *as_tuple(Value v) { return (Tuple *)val_obj(v); }
static inline size_t tuple_len(Value v) { return as_tuple(v)->len; }
static inline Value tuple_get(Value t, size_t i) { return as_tuple(t)->items[i]; } // borrowed

// Items are left VAL_NULL: fill with tuple_set_steal before anyone sees it.
Value tuple_new(size_t len);
static inline void tuple_set_steal(Value t, size_t i, Value v) { as_tuple(t)->items[i] = v; }
Value tuple_from_array(const Value *items, size_t n);     // increfs
Value tuple_from_array_steal(Value *items, size_t n);
Value tuple_pack(size_t n, ...);                           // increfs
Value tuple_from_iterable(Value it);
Value tuple_empty(void);                                   // immortal

// --- added by the tuple.c owner -------------------------------------------
typedef struct {
    Object ob;
    Value seq;           // Tuple, VAL_NULL once exhausted
    size_t index;
} TupleIter;
extern Type tuple_iter_type;
void tuple_type_init(void);     // readies tuple and tuple_iterator

// Helpers shared by the sequence types (tuple.c, list.c, str.c).
// A start/stop argument of index()/find()-style methods, clamped like
// CPython's _PyEval_SliceIndex (huge ints saturate). VAL_NULL leaves *out
// alone; None too when [none_ok]. -1 with TypeError otherwise.
int tuple_slice_arg(Value v, bool none_ok, int64_t *out);
// CPython's ADJUST_INDICES: clamp [start, stop) against [len].
void tuple_adjust_range(int64_t len, int64_t *start, int64_t *stop);
// The count of `seq * n`: negative -> 0; TypeError "can't multiply sequence
// by non-int of type 'X'"; OverflowError for ints beyond int64.
int tuple_repeat_count(Value n, int64_t *out);
// bool (new reference) of comparing two lengths with [op] (CMP_*).
Value tuple_cmp_sizes(int64_t a, int64_t b, int op);

#endif
