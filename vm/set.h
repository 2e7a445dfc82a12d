// set and frozenset: open addressing with CPython's probe sequence and resize
// policy, so that sets of ints and floats iterate in CPython's order.
#ifndef GILVM_SET_H
#define GILVM_SET_H

#include "object.h"

typedef struct {
    Value key;      // VAL_NULL empty; set_dummy for deleted
    int64_t hash;
} SetEntry;

typedef struct {
    Object ob;
    size_t fill;    // active + dummy
    size_t used;    // active
    size_t mask;    // table size - 1
    SetEntry *table;
    int64_t hash;   // frozenset hash cache, -1 if unknown
    size_t finger;
} SetObj;

extern Type set_type, frozenset_type;
static inline bool val_is_anyset(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &set_type || val_obj(v)->type == &frozenset_type ||
                             type_is_subtype(val_obj(v)->type, &set_type) ||
                             type_is_subtype(val_obj(v)->type, &frozenset_type));
}

Value set_new(Type *t);
Value set_from_iterable(Type *t, Value it);
int set_add(Value s, Value key);
int set_contains(Value s, Value key);     // -1 error
int set_discard(Value s, Value key);      // 1 removed, 0 missing, -1 error
size_t set_len(Value s);
bool set_next(Value s, size_t *pos, Value *key);   // borrowed

// --- added by the set owner ---
// In-place algebra on a set [s] with any iterable [other]: 0 or -1.
int set_update(Value s, Value other);
int set_difference_update(Value s, Value other);
int set_intersection_update(Value s, Value other);
int set_symmetric_difference_update(Value s, Value other);
// The frozenset constant CPython 3.11's compiler makes for a set display of
// three or more constants ({1, 2, 3}, also `x in {1, 2, 3}`): it builds
// frozenset(items), and constant merging rebuilds it from that set's
// iteration order, so the display prints in a different order than adding
// the items one by one would give. The compiler should emit
// BUILD_SET 0; LOAD_CONST <this>; SET_UPDATE 1 for such displays.
// [items] is a Tuple; returns a new frozenset.
Value set_const_literal(Value items);
extern Type set_iter_type;
// Ready set, frozenset and the set iterator (runtime start-up).
void set_type_init(void);

#endif
