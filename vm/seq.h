// range, slice and the built-in iterator types (sequence iterator, enumerate,
// zip, map, filter, reversed).
#ifndef GILVM_SEQ_H
#define GILVM_SEQ_H

#include "object.h"

typedef struct {
    Object ob;
    int64_t start, stop, step, len;
} Range;

typedef struct {
    Object ob;
    Value start, stop, step;
} Slice;

extern Type range_type, slice_type, range_iter_type, seq_iter_type, enumerate_type, zip_type,
    map_type, filter_type, reversed_type, callable_iter_type;

Value range_new(int64_t start, int64_t stop, int64_t step);
Value slice_new(Value start, Value stop, Value step);     // increfs
// Resolve a slice against a sequence of [len]: CPython's PySlice_GetIndicesEx.
int slice_indices(Value slice, int64_t len, int64_t *start, int64_t *stop, int64_t *step,
                  int64_t *slicelen);
// Iterator over anything with __getitem__ (the old protocol) or a list/tuple.
Value seq_iter_new(Value seq);

// --- added by the seq owner ---
// range_iterator: `remaining` values left, the next one is `cur`; each step
// adds `step` (wrapping arithmetic: only values actually yielded matter).
// An iterator made in free-threaded mode ([shared]) may be used by several
// threads at once: they claim values by compare-and-swap on `remaining` and
// compute each as start + (total - remaining) * step, so each value goes to
// exactly one thread ([cur] unused). The kind is fixed at creation, so one
// iterator never mixes the two ways.
typedef struct {
    Object ob;
    int64_t cur, step;
    uint64_t remaining;
    bool shared;
    int64_t start;
    uint64_t total;
} RangeIter;

// iter(callable, sentinel) (increfs both).
Value callable_iter_new(Value callable, Value sentinel);
// The sequence iterators for lists and tuples (type names list_iterator and
// tuple_iterator); seq_iter_type is the generic "iterator".
extern Type seq_list_iter_type, seq_tuple_iter_type;
// Ready every type of this file (runtime start-up).
void seq_type_init(void);

#endif
