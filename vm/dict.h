// dict: insertion-ordered hash table (indices + dense entries, as CPython's
// compact dict). Lookups with interned string keys compare pointers first.
// Every operation may call __hash__/__eq__ of user keys: the table is
// re-checked after such calls. Getters return new references.
#ifndef GILVM_DICT_H
#define GILVM_DICT_H

#include "object.h"

typedef struct {
    int64_t hash;
    Value key;     // VAL_NULL for a deleted entry
    Value value;
} DictEntry;

typedef struct {
    Object ob;
    size_t used;          // live entries
    size_t nentries;      // entries used in [entries] (live + deleted)
    size_t cap;           // capacity of [entries]
    size_t nindices;      // power of two
    int64_t *indices;     // -1 empty, -2 dummy, else entry index
    DictEntry *entries;
    _Atomic uint64_t version;  // bumped on every change (for caches); see dict_version
} Dict;

extern Type dict_type;
static inline bool val_is_dict(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &dict_type ||
                             (val_obj(v)->type->tflags & TF_DICT_SUBCLASS));
}
static inline Dict *as_dict(Value d) { return (Dict *)val_obj(d); }

Value dict_new(void);
// A fresh version number (unique across dicts), for [version].
uint64_t dict_next_version(void);
// New reference or VAL_NULL; VAL_NULL without an exception = missing.
Value dict_get(Value d, Value key);
// The version: written under the dict's lock, read by caches without it
// (relaxed: a cache only compares it, then re-validates under the lock in
// free-threaded mode).
static inline uint64_t dict_version(Value d) {
    return atomic_load_explicit(&as_dict(d)->version, RELAXED);
}
static inline void dict_bump_version(Dict *d) {
    atomic_store_explicit(&d->version, dict_next_version(), RELAXED);
}
// The value of the entry at index [ix] if that entry still holds the key
// [key] (a new reference), else VAL_NULL; taken under the dict's lock. For
// caches that remember where a key was.
Value dict_get_at(Value d, uint32_t ix, Value key);
// If the entry at [ix] still holds [key]: store [v] (stolen) there and
// return the old value for the caller to drop; else VAL_NULL (nothing
// changes, [v] still the caller's). Under the dict's lock.
Value dict_replace_at(Value d, uint32_t ix, Value key, Value v);
// Entry index of the exact-str key [key] (no Python code runs), or -1.
// Caches use it with dict_entry_is(): an index stays valid while the entry
// at it still holds the same key.
int64_t dict_index_of_str(Value d, Value key);
static inline bool dict_entry_is(Value d, uint32_t ix, Value key) {
    Dict *dd = as_dict(d);
    return ix < dd->nentries && dd->entries[ix].key == key;
}
// Same with a C string key (interned lookup).
Value dict_get_cstr(Value d, const char *key);
int dict_set(Value d, Value key, Value v);            // increfs both
int dict_set_cstr(Value d, const char *key, Value v);
// 1 deleted, 0 missing (no exception), -1 error
int dict_del(Value d, Value key);
int dict_contains(Value d, Value key);                // -1 error
size_t dict_len(Value d);
// Iterate: *pos starts at 0; borrowed key/value; false at the end. Only for
// code that does not run Python code between steps.
bool dict_next(Value d, size_t *pos, Value *key, Value *value);
// A dict with [d]'s items to walk with dict_next (new reference): [d] itself
// under the GIL, a private copy in free-threaded mode, where another thread
// may change [d] between two steps.
Value dict_for_iteration(Value d);
int dict_update(Value d, Value other);                // mapping or pairs
Value dict_copy(Value d);
Value dict_keys_list(Value d);

// --- added by the dict owner ---
// Views (d.keys(), d.values(), d.items()) and their iterators.
extern Type dict_keys_type, dict_values_type, dict_items_type;
extern Type dict_keyiter_type, dict_valueiter_type, dict_itemiter_type, dict_revkeyiter_type,
    dict_revvalueiter_type, dict_revitemiter_type;
// Ready dict, its views and iterators (runtime start-up).
void dict_type_init(void);

#endif
