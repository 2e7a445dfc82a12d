// dict: CPython's compact, insertion-ordered hash table.
//
// Layout: [indices] is an open-addressing table of nindices (a power of two)
// int64 slots holding IX_EMPTY, IX_DUMMY or the position of an entry in the
// dense [entries] array; entries keep insertion order, a deleted entry keeps
// its place with key == VAL_NULL until the next resize compacts the array.
// Probing is CPython's: i = (i*5 + perturb + 1) & mask, perturb >>= 5.
// An empty dict owns no tables (nindices == 0) until the first insertion.
// [cap] is the insertion budget until the next resize: the entries array
// holds at least that many, and indices keep at least a third of their slots
// empty so that every probe ends.
//
// Ownership: every live entry owns one reference to its key and its value.
// Getters return new references; dict_next is the only borrowing iterator.
//
// Re-entrancy and threads. Hashing and comparing user keys runs Python code,
// which may mutate the dict being searched. The rules:
//   * hashes are computed before touching the table;
//   * `lookup` is the only place that calls out while walking the table
//     (val_eq on a key with an equal hash). Around that call it drops the
//     table lock, and afterwards restarts the probe if [version] moved;
//   * old keys/values are decref'd only after the table is consistent again
//     (and, in free-threaded mode, after the lock is dropped), because a
//     destructor may run Python code.
// TABLE_LOCK/TABLE_UNLOCK mark the critical sections: no-ops under the GIL,
// the per-object lock (Object.mutex) in free-threaded mode. Every table access
// of an operation sits between one pair; `lookup` is entered and left with the
// lock held.
#include "dict.h"
#include "state.h"

#include "abstract.h"
#include "class.h"
#include "code.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "set.h"
#include "str.h"
#include "tuple.h"

#ifndef BEGIN_CRITICAL
#define TABLE_LOCK(s) ((void)(s))
#define TABLE_UNLOCK(s) ((void)(s))
#else
#define TABLE_LOCK(s) BEGIN_CRITICAL(&(s)->ob)
#define TABLE_UNLOCK(s) END_CRITICAL(&(s)->ob)
#endif

#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define DICT_MINSIZE 8
#define PERTURB_SHIFT 5
#define USABLE(n) (((n) << 1) / 3)
#define LOOKUP_ERROR (-2)
#define LOOKUP_MISSING (-1)


// Versions are unique across all dicts (a global counter handed out to each
// thread in blocks), so a cache that remembers (dict, version) can never be
// fooled by another dict or by a change followed by its undo.
static _Atomic uint64_t dict_version_blocks;
#define DICT_VERSION_BLOCK 4096

uint64_t dict_next_version(void) {
    ThreadState *ts = ts_cur;
    if (LIKELY(ts && ts->dict_version_next < ts->dict_version_limit))
        return ts->dict_version_next++;
    uint64_t block = atomic_fetch_add_explicit(&dict_version_blocks, 1, memory_order_relaxed) + 1;
    uint64_t first = block * DICT_VERSION_BLOCK;
    if (ts) {
        ts->dict_version_next = first + 1;
        ts->dict_version_limit = first + DICT_VERSION_BLOCK;
    }
    return first;
}

static bool is_exact_str(Value v) { return val_is_obj(v) && val_obj(v)->type == &str_type; }

static int key_hash(Value key, int64_t *h) {
    if (is_exact_str(key)) {
        *h = str_hash(key);
        return 0;
    }
    return val_hash(key, h);
}

// Argument-clinic style checks: "dict.get() takes no keyword arguments" but
// "get expected at least 1 argument, got 0".
static int meth_args(const char *qualname, const char *name, size_t nargs, Value kwnames,
                     size_t min, size_t max) {
    if (kwnames && tuple_len(kwnames) > 0)
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", qualname);
    return args_check(name, nargs, VAL_NULL, min, max);
}

static int unhashable(Value self, int64_t *out) {
    UNUSED(out);
    return exc_raise_int(&exc_TypeError, "unhashable type: '%s'", val_type_name(self));
}

// ---------------------------------------------------------------------------
// Table primitives: no call-outs, run with the table lock held.

// First slot on [hash]'s probe path that holds no entry (empty or dummy).
static size_t free_slot(const Dict *d, int64_t hash) {
    size_t mask = d->nindices - 1;
    size_t i = (size_t)hash & mask;
    size_t perturb = (size_t)hash;
    while (d->indices[i] >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

// Rebuild with room for at least [minused] entries, dropping deleted ones.
static int resize(Dict *d, size_t minused) {
    size_t n = DICT_MINSIZE;
    while (n <= minused || USABLE(n) <= d->used) {
        if (n > (SIZE_MAX / 2) / sizeof(DictEntry)) {
            exc_nomemory();
            return -1;
        }
        n <<= 1;
    }
    size_t cap = USABLE(n);
    int64_t *ix = malloc(n * sizeof *ix);
    DictEntry *ents = malloc(cap * sizeof *ents);
    if (!ix || !ents) {
        free(ix);
        free(ents);
        exc_nomemory();
        return -1;
    }
    memset(ix, 0xff, n * sizeof *ix);   // all IX_EMPTY
    size_t k = 0;
    for (size_t j = 0; j < d->nentries; j++) {
        if (d->entries[j].key != VAL_NULL)
            ents[k++] = d->entries[j];
    }
    free(d->indices);
    free(d->entries);
    d->indices = ix;
    d->entries = ents;
    d->nindices = n;
    d->cap = cap;
    d->nentries = k;
    for (size_t j = 0; j < k; j++)
        d->indices[free_slot(d, ents[j].hash)] = (int64_t)j;
    dict_bump_version(d);
    return 0;
}

// Append a key known to be absent; takes over both references.
static int insert_new(Dict *d, Value key, int64_t hash, Value v) {
    if (d->nindices == 0 || d->nentries >= d->cap) {
        if (resize(d, d->used * 3) < 0)
            return -1;
    }
    size_t slot = free_slot(d, hash);
    DictEntry *e = &d->entries[d->nentries];
    e->hash = hash;
    e->key = key;
    e->value = v;
    d->indices[slot] = (int64_t)d->nentries;
    d->nentries++;
    d->used++;
    dict_bump_version(d);
    return 0;
}

// Remove the entry [ix] found at index slot [slot]; the caller drops the
// returned references after unlocking.
static void remove_entry(Dict *d, size_t slot, int64_t ix, Value *oldkey, Value *oldval) {
    DictEntry *e = &d->entries[ix];
    *oldkey = e->key;
    *oldval = e->value;
    e->key = VAL_NULL;
    e->value = VAL_NULL;
    d->indices[slot] = IX_DUMMY;
    d->used--;
    dict_bump_version(d);
}

// ---------------------------------------------------------------------------
// Lookup. Entered and left with the lock held. Returns the entry index, or
// LOOKUP_MISSING, or LOOKUP_ERROR. *slotp receives the index slot of the
// entry when found.

static int64_t lookup(Dict *d, Value key, int64_t hash, size_t *slotp) {
restart:
    if (d->nindices == 0)
        return LOOKUP_MISSING;
    size_t mask = d->nindices - 1;
    size_t i = (size_t)hash & mask;
    size_t perturb = (size_t)hash;
    for (;;) {
        int64_t ix = d->indices[i];
        if (ix == IX_EMPTY)
            return LOOKUP_MISSING;
        if (ix >= 0) {
            DictEntry *e = &d->entries[ix];
            if (e->key == key) {
                *slotp = i;
                return ix;
            }
            if (e->hash == hash) {
                if (is_exact_str(e->key) && is_exact_str(key)) {
                    if (str_eq(e->key, key)) {
                        *slotp = i;
                        return ix;
                    }
                } else {
                    // CALL-OUT: __eq__ may run Python code and mutate [d].
                    Value startkey = incref(e->key);
                    uint64_t version = dict_version(obj_val(d));
                    TABLE_UNLOCK(d);
                    int cmp = val_eq(startkey, key);
                    decref(startkey);
                    TABLE_LOCK(d);
                    if (cmp < 0)
                        return LOOKUP_ERROR;
                    if (dict_version(obj_val(d)) != version)
                        goto restart;
                    if (cmp > 0) {
                        *slotp = i;
                        return ix;
                    }
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

// ---------------------------------------------------------------------------
// Core operations with a precomputed hash.

// New reference or VAL_NULL (missing without exception, or error).
static Value get_hashed(Value dv, Value key, int64_t hash) {
    Dict *d = as_dict(dv);
    size_t slot;
    TABLE_LOCK(d);
    int64_t ix = lookup(d, key, hash, &slot);
    Value v = ix >= 0 ? incref(d->entries[ix].value) : VAL_NULL;
    TABLE_UNLOCK(d);
    return v;
}

static int contains_hashed(Value dv, Value key, int64_t hash) {
    Dict *d = as_dict(dv);
    size_t slot;
    TABLE_LOCK(d);
    int64_t ix = lookup(d, key, hash, &slot);
    TABLE_UNLOCK(d);
    return ix >= 0 ? 1 : ix == LOOKUP_MISSING ? 0 : -1;
}

// Store; increfs [key] and [v].
static int set_hashed(Value dv, Value key, int64_t hash, Value v) {
    Dict *d = as_dict(dv);
    size_t slot;
    Value old = VAL_NULL;
    incref(key);
    incref(v);
    TABLE_LOCK(d);
    int64_t ix = lookup(d, key, hash, &slot);
    int rc = 0;
    if (ix >= 0) {
        old = d->entries[ix].value;
        d->entries[ix].value = v;
        dict_bump_version(d);
    } else if (ix == LOOKUP_MISSING) {
        rc = insert_new(d, key, hash, v);
    } else {
        rc = -1;
    }
    TABLE_UNLOCK(d);
    if (ix >= 0) {
        decref(key);
        decref(old);
    } else if (rc < 0) {
        decref(key);
        decref(v);
    }
    return rc;
}

// Remove [key]: 1 removed (*oldval gets the value's reference if non-NULL),
// 0 missing, -1 error.
static int pop_hashed(Value dv, Value key, int64_t hash, Value *oldval) {
    Dict *d = as_dict(dv);
    size_t slot;
    Value ok = VAL_NULL, ov = VAL_NULL;
    TABLE_LOCK(d);
    int64_t ix = lookup(d, key, hash, &slot);
    if (ix >= 0)
        remove_entry(d, slot, ix, &ok, &ov);
    TABLE_UNLOCK(d);
    if (ix < 0)
        return ix == LOOKUP_MISSING ? 0 : -1;
    decref(ok);
    if (oldval)
        *oldval = ov;
    else
        decref(ov);
    return 1;
}

// ---------------------------------------------------------------------------
// Public API

Value dict_new(void) {
    Dict *d = obj_alloc(&dict_type, sizeof(Dict));
    if (!d)
        return VAL_NULL;
    dict_bump_version(d);
    return obj_val(d);
}

static Value dict_new_of_type(Type *t) {
    Dict *d = obj_alloc(t, t->basic_size ? t->basic_size : sizeof(Dict));
    if (!d)
        return VAL_NULL;
    dict_bump_version(d);
    return obj_val(d);
}

Value dict_get_at(Value dv, uint32_t ix, Value key) {
    Dict *d = as_dict(dv);
    Value v = VAL_NULL;
    TABLE_LOCK(d);
    if (ix < d->nentries && d->entries[ix].key == key)
        v = incref(d->entries[ix].value);
    TABLE_UNLOCK(d);
    return v;
}

Value dict_replace_at(Value dv, uint32_t ix, Value key, Value v) {
    Dict *d = as_dict(dv);
    Value old = VAL_NULL;
    TABLE_LOCK(d);
    if (ix < d->nentries && d->entries[ix].key == key) {
        old = d->entries[ix].value;
        d->entries[ix].value = v;
        dict_bump_version(d);
    }
    TABLE_UNLOCK(d);
    return old;
}

int64_t dict_index_of_str(Value dv, Value key) {
    Dict *d = as_dict(dv);
    size_t slot;
    int64_t h = str_hash(key);
    TABLE_LOCK(d);
    int64_t ix = lookup(d, key, h, &slot);
    TABLE_UNLOCK(d);
    return ix >= 0 ? ix : -1;
}

Value dict_get(Value d, Value key) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return VAL_NULL;
    return get_hashed(d, key, h);
}

Value dict_get_cstr(Value d, const char *key) {
    Value k = str_intern_cstr(key);
    if (!k)
        return VAL_NULL;
    return get_hashed(d, k, str_hash(k));
}

int dict_set(Value d, Value key, Value v) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return -1;
    return set_hashed(d, key, h, v);
}

int dict_set_cstr(Value d, const char *key, Value v) {
    Value k = str_intern_cstr(key);
    if (!k)
        return -1;
    return set_hashed(d, k, str_hash(k), v);
}

int dict_del(Value d, Value key) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return -1;
    return pop_hashed(d, key, h, NULL);
}

int dict_contains(Value d, Value key) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return -1;
    return contains_hashed(d, key, h);
}

size_t dict_len(Value dv) {
    Dict *d = as_dict(dv);
    TABLE_LOCK(d);
    size_t n = d->used;
    TABLE_UNLOCK(d);
    return n;
}

bool dict_next(Value dv, size_t *pos, Value *key, Value *value) {
    Dict *d = as_dict(dv);
    size_t i = *pos;
    while (i < d->nentries && d->entries[i].key == VAL_NULL)
        i++;
    if (i >= d->nentries)
        return false;
    if (key)
        *key = d->entries[i].key;
    if (value)
        *value = d->entries[i].value;
    *pos = i + 1;
    return true;
}

// Entry [i] as new references when it is live; false past the end. Skips
// nothing: a deleted entry gives *key == VAL_NULL.
static bool entry_at(Dict *d, size_t i, Value *key, Value *value, int64_t *hash) {
    TABLE_LOCK(d);
    bool ok = i < d->nentries;
    if (ok) {
        *key = incref(d->entries[i].key);
        *value = incref(d->entries[i].value);
        if (hash)
            *hash = d->entries[i].hash;
    }
    TABLE_UNLOCK(d);
    return ok;
}

// Merge all of dict [other] into [d]: [override] false keeps existing keys.
static int merge_dict(Value d, Value other, bool override) {
    if (d == other)
        return 0;
    Dict *o = as_dict(other);
    Dict *dd = as_dict(d);
    size_t oused = dict_len(other);
    if (override && oused > 0) {
        // Pre-size: one resize instead of several.
        TABLE_LOCK(dd);
        int rc = dd->used == 0 && dd->nindices < oused * 3 / 2 ? resize(dd, oused * 3 / 2 + 1) : 0;
        TABLE_UNLOCK(dd);
        if (rc < 0)
            return -1;
    }
    for (size_t i = 0;; i++) {
        Value k, v;
        int64_t h;
        if (!entry_at(o, i, &k, &v, &h))
            break;
        if (k == VAL_NULL)
            continue;
        int rc = 0;
        if (override) {
            rc = set_hashed(d, k, h, v);
        } else {
            rc = contains_hashed(d, k, h);
            if (rc == 0)
                rc = set_hashed(d, k, h, v);
        }
        decref(k);
        decref(v);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static bool has_dict_iter(Value v);

// dict.update(other) semantics: a dict, a mapping with keys(), or pairs.
static int update_arg(Value d, Value other) {
    if (val_is_dict(other) && has_dict_iter(other))
        return merge_dict(d, other, true);
    Value keys_meth = val_getattr_opt(other, str_intern_cstr("keys"));
    if (keys_meth == VAL_NULL && exc_occurred())
        return -1;
    if (keys_meth != VAL_NULL) {
        Value keys = val_call0(keys_meth);
        decref(keys_meth);
        if (!keys)
            return -1;
        Value it = val_iter(keys);
        decref(keys);
        if (!it)
            return -1;
        Value k;
        while ((k = val_next(it)) != VAL_NULL) {
            Value v = val_getitem(other, k);
            int rc = v ? dict_set(d, k, v) : -1;
            decref(k);
            decref(v);
            if (rc < 0) {
                decref(it);
                return -1;
            }
        }
        decref(it);
        return exc_occurred() ? -1 : 0;
    }
    // An iterable of pairs.
    Value it = val_iter(other);
    if (!it)
        return -1;
    Value item;
    for (size_t n = 0; (item = val_next(it)) != VAL_NULL; n++) {
        Value seq;
        if (val_is_tuple(item) || val_is_list(item)) {
            seq = incref(item);
        } else {
            seq = tuple_from_iterable(item);
            if (!seq) {
                if (exc_matches(&exc_TypeError)) {
                    exc_clear();
                    exc_raise(&exc_TypeError,
                              "cannot convert dictionary update sequence element #%zu to a sequence",
                              n);
                }
                decref(item);
                decref(it);
                return -1;
            }
        }
        decref(item);
        size_t len = val_is_tuple(seq) ? tuple_len(seq) : list_len(seq);
        if (len != 2) {
            exc_raise(&exc_ValueError,
                      "dictionary update sequence element #%zu has length %zu; 2 is required", n,
                      len);
            decref(seq);
            decref(it);
            return -1;
        }
        Value k, v;
        if (val_is_tuple(seq)) {
            k = incref(tuple_get(seq, 0));
            v = incref(tuple_get(seq, 1));
        } else {
            k = list_get_new(seq, 0);
            v = list_get_new(seq, 1);
        }
        decref(seq);
        int rc = (k && v) ? dict_set(d, k, v) : -1;
        decref(k);
        decref(v);
        if (rc < 0) {
            decref(it);
            return -1;
        }
    }
    decref(it);
    return exc_occurred() ? -1 : 0;
}

int dict_update(Value d, Value other) { return update_arg(d, other); }

// Store keyword arguments args[nargs + i] named by [kwnames].
static int update_kwargs(Value d, Value *args, size_t nargs, Value kwnames) {
    if (!kwnames)
        return 0;
    for (size_t i = 0; i < tuple_len(kwnames); i++) {
        if (dict_set(d, tuple_get(kwnames, i), args[nargs + i]) < 0)
            return -1;
    }
    return 0;
}

Value dict_for_iteration(Value d) {
    return obj_locking ? dict_copy(d) : incref(d);
}

Value dict_copy(Value dv) {
    Value r = dict_new();
    if (!r)
        return VAL_NULL;
    if (merge_dict(r, dv, true) < 0) {
        decref(r);
        return VAL_NULL;
    }
    return r;
}

Value dict_keys_list(Value dv) {
    Dict *d = as_dict(dv);
    Value l = list_new(d->used);
    if (!l)
        return VAL_NULL;
    TABLE_LOCK(d);
    for (size_t i = 0; i < d->nentries; i++) {
        if (d->entries[i].key != VAL_NULL && list_append(l, d->entries[i].key) < 0) {
            TABLE_UNLOCK(d);
            decref(l);
            return VAL_NULL;
        }
    }
    TABLE_UNLOCK(d);
    return l;
}

static Value values_list(Value dv) {
    Dict *d = as_dict(dv);
    Value l = list_new(d->used);
    if (!l)
        return VAL_NULL;
    for (size_t i = 0; i < d->nentries; i++) {
        if (d->entries[i].key != VAL_NULL && list_append(l, d->entries[i].value) < 0) {
            decref(l);
            return VAL_NULL;
        }
    }
    return l;
}

static Value items_list(Value dv) {
    Dict *d = as_dict(dv);
    Value l = list_new(d->used);
    if (!l)
        return VAL_NULL;
    for (size_t i = 0; i < d->nentries; i++) {
        DictEntry *e = &d->entries[i];
        if (e->key == VAL_NULL)
            continue;
        Value t = tuple_pack(2, e->key, e->value);
        if (!t || list_append_steal(l, t) < 0) {
            decref(l);
            return VAL_NULL;
        }
    }
    return l;
}

// Remove everything; the references are dropped after the dict is empty.
static void clear_all(Dict *d) {
    TABLE_LOCK(d);
    int64_t *ix = d->indices;
    DictEntry *ents = d->entries;
    size_t n = d->nentries;
    d->indices = NULL;
    d->entries = NULL;
    d->nindices = d->nentries = d->cap = d->used = 0;
    dict_bump_version(d);
    TABLE_UNLOCK(d);
    for (size_t i = 0; i < n; i++) {
        if (ents[i].key != VAL_NULL) {
            decref(ents[i].key);
            decref(ents[i].value);
        }
    }
    free(ix);
    free(ents);
}

// ---------------------------------------------------------------------------
// Slots

static void dict_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;   // queued: freed by the outermost dealloc
    clear_all((Dict *)o);
    obj_free(o);
    list_trash_end();
}

static Value dict_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return dict_new_of_type(t);
}

static int dict_init_slot(Value self, Value *args, size_t nargs, Value kwnames) {
    if (nargs > 1)
        return exc_raise_int(&exc_TypeError, "dict expected at most 1 argument, got %zu", nargs);
    if (nargs == 1 && update_arg(self, args[0]) < 0)
        return -1;
    return update_kwargs(self, args, nargs, kwnames);
}

static Value dict_repr(Value self) {
    Dict *d = as_dict(self);
    if (d->used == 0)
        return str_from_cstr("{}");
    int r = repr_enter(self);
    if (r != 0)
        return r > 0 ? str_from_cstr("{...}") : VAL_NULL;
    Value parts = list_new(d->used);
    Value result = VAL_NULL;
    if (!parts)
        goto done;
    for (size_t i = 0;; i++) {
        Value k, v;
        if (!entry_at(d, i, &k, &v, NULL))
            break;
        if (k == VAL_NULL)
            continue;
        Value kr = val_repr(k);
        Value vr = kr ? val_repr(v) : VAL_NULL;
        decref(k);
        decref(v);
        if (!vr) {
            decref(kr);
            goto done;
        }
        Value colon = str_from_cstr(": ");
        Value a = colon ? str_concat(kr, colon) : VAL_NULL;
        Value item = a ? str_concat(a, vr) : VAL_NULL;
        decref(colon);
        decref(a);
        decref(kr);
        decref(vr);
        if (!item || list_append_steal(parts, item) < 0)
            goto done;
    }
    Value sep = str_from_cstr(", ");
    Value body = sep ? str_join(sep, parts) : VAL_NULL;
    decref(sep);
    if (body) {
        Value open = str_from_cstr("{"), close = str_from_cstr("}");
        Value a = open ? str_concat(open, body) : VAL_NULL;
        result = (a && close) ? str_concat(a, close) : VAL_NULL;
        decref(open);
        decref(close);
        decref(a);
        decref(body);
    }
done:
    decref(parts);
    repr_leave(self);
    return result;
}

static int64_t dict_len_slot(Value self) { return (int64_t)dict_len(self); }

static Value dict_getitem(Value self, Value key) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return VAL_NULL;
    Value v = get_hashed(self, key, h);
    if (v || exc_occurred())
        return v;
    if (val_type(self) != &dict_type) {
        Value missing = type_lookup_cstr(val_type(self), "__missing__");
        if (missing)
            return val_call2(missing, self, key);
    }
    return exc_raise_value(&exc_KeyError, key);
}

static int dict_setitem(Value self, Value key, Value v) {
    if (v != VAL_NULL)
        return dict_set(self, key, v);
    int rc = dict_del(self, key);
    if (rc == 0) {
        exc_raise_value(&exc_KeyError, key);
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

static int dict_contains_slot(Value self, Value key) { return dict_contains(self, key); }

// a == b for two dicts: 1, 0 or -1.
static int dict_equal(Value a, Value b) {
    Dict *da = as_dict(a), *db = as_dict(b);
    if (da->used != db->used)
        return 0;
    for (size_t i = 0;; i++) {
        Value k, av;
        int64_t h;
        if (!entry_at(da, i, &k, &av, &h))
            break;
        if (k == VAL_NULL)
            continue;
        Value bv = get_hashed(b, k, h);
        int cmp;
        if (!bv)
            cmp = exc_occurred() ? -1 : 0;
        else
            cmp = val_eq(av, bv);
        decref(k);
        decref(av);
        decref(bv);
        if (cmp <= 0)
            return cmp;
    }
    return 1;
}

static Value dict_richcmp(Value a, Value b, int op) {
    if (!val_is_dict(a) || !val_is_dict(b) || (op != CMP_EQ && op != CMP_NE))
        return incref(VAL_NOTIMPL);
    int eq = dict_equal(a, b);
    if (eq < 0)
        return VAL_NULL;
    return bool_val(op == CMP_EQ ? eq : !eq);
}

static Value dict_or(Value a, Value b) {
    if (!val_is_dict(a) || !val_is_dict(b))
        return incref(VAL_NOTIMPL);
    Value r = dict_copy(a);
    if (r && update_arg(r, b) < 0)
        clear_ref(&r);
    return r;
}

static Value dict_ior(Value a, Value b) {
    if (update_arg(a, b) < 0)
        return VAL_NULL;
    return incref(a);
}

static int dict_bool(Value self) { return as_dict(self)->used != 0; }

// ---------------------------------------------------------------------------
// Iterators: one struct, a kind per type.

enum { IT_KEYS, IT_VALUES, IT_ITEMS };

typedef struct {
    Object ob;
    Value dict;          // VAL_NULL once exhausted
    int64_t used;        // size at creation; -1 once a size change was seen
    int64_t pos;         // next entry to look at (reverse: counts down)
    int64_t remaining;   // entries still expected
    int kind;
    bool reverse;
} DictIter;

Type dict_keyiter_type, dict_valueiter_type, dict_itemiter_type, dict_revkeyiter_type,
    dict_revvalueiter_type, dict_revitemiter_type;

static Value dictiter_new(Value dv, int kind, bool reverse) {
    static Type *const fwd[] = {&dict_keyiter_type, &dict_valueiter_type, &dict_itemiter_type};
    static Type *const rev[] = {&dict_revkeyiter_type, &dict_revvalueiter_type,
                                &dict_revitemiter_type};
    DictIter *it = obj_alloc(reverse ? rev[kind] : fwd[kind], sizeof(DictIter));
    if (!it)
        return VAL_NULL;
    Dict *d = as_dict(dv);
    it->dict = incref(dv);
    it->used = (int64_t)d->used;
    it->remaining = (int64_t)d->used;
    it->kind = kind;
    it->reverse = reverse;
    it->pos = reverse ? (int64_t)d->nentries - 1 : 0;
    return obj_val(it);
}

static void dictiter_dealloc(Object *o) {
    clear_ref(&((DictIter *)o)->dict);
    obj_free(o);
}

static Value self_iter(Value self) { return incref(self); }

// Free-threaded: threads may share one iterator. Its fields move under the
// dict's lock (every sharer takes the same one), and the dict stays
// referenced until the iterator dies, so no thread frees it under another.
static Value dictiter_next(Value self) {
    DictIter *it = (DictIter *)val_obj(self);
    if (!it->dict)
        return VAL_NULL;
    Dict *d = as_dict(it->dict);
    Value k = VAL_NULL, v = VAL_NULL;
    TABLE_LOCK(d);
    if (it->used != (int64_t)d->used) {
        it->used = -1;
        TABLE_UNLOCK(d);
        return exc_raise(&exc_RuntimeError, "dictionary changed size during iteration");
    }
    int64_t i = it->pos;
    if (it->reverse) {
        if (i >= (int64_t)d->nentries)
            i = (int64_t)d->nentries - 1;
        while (i >= 0 && d->entries[i].key == VAL_NULL)
            i--;
        if (i >= 0) {
            k = incref(d->entries[i].key);
            v = incref(d->entries[i].value);
            it->pos = i - 1;
        }
    } else {
        while (i < (int64_t)d->nentries && d->entries[i].key == VAL_NULL)
            i++;
        if (i < (int64_t)d->nentries) {
            k = incref(d->entries[i].key);
            v = incref(d->entries[i].value);
            it->pos = i + 1;
        }
    }
    bool changed = k != VAL_NULL && it->remaining == 0;
    if (k != VAL_NULL && !changed)
        it->remaining--;
    TABLE_UNLOCK(d);
    if (k == VAL_NULL) {
        if (!obj_locking)
            clear_ref(&it->dict);
        return VAL_NULL;
    }
    if (changed) {
        decref(k);
        decref(v);
        if (!obj_locking)
            clear_ref(&it->dict);
        return exc_raise(&exc_RuntimeError, "dictionary keys changed during iteration");
    }
    switch (it->kind) {
    case IT_KEYS:
        decref(v);
        return k;
    case IT_VALUES:
        decref(k);
        return v;
    default: {
        Value t = tuple_new(2);
        if (!t) {
            decref(k);
            decref(v);
            return VAL_NULL;
        }
        tuple_set_steal(t, 0, k);
        tuple_set_steal(t, 1, v);
        return t;
    }
    }
}

static Value dictiter_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    DictIter *it = (DictIter *)val_obj(self);
    int64_t n = 0;
    if (it->dict) {
        Dict *d = as_dict(it->dict);
        TABLE_LOCK(d);
        if (it->used == (int64_t)d->used)
            n = it->remaining;
        TABLE_UNLOCK(d);
    }
    return small_new(n);
}

static const MethodDef dictiter_methods[] = {
    {"__length_hint__", dictiter_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

#define DICTITER_TYPE(var, tname)                                                            \
    Type var = {                                                                             \
        .ob = OBJECT_HEAD_IMMORTAL(&type_type),                                              \
        .name = tname,                                                                       \
        .basic_size = sizeof(DictIter),                                                      \
        .tflags = TF_ABSTRACT_NEW,                                                           \
        .dealloc = dictiter_dealloc,                                                         \
        .iter = self_iter,                                                                   \
        .iternext = dictiter_next,                                                           \
    };

DICTITER_TYPE(dict_keyiter_type, "dict_keyiterator")
DICTITER_TYPE(dict_valueiter_type, "dict_valueiterator")
DICTITER_TYPE(dict_itemiter_type, "dict_itemiterator")
DICTITER_TYPE(dict_revkeyiter_type, "dict_reversekeyiterator")
DICTITER_TYPE(dict_revvalueiter_type, "dict_reversevalueiterator")
DICTITER_TYPE(dict_revitemiter_type, "dict_reverseitemiterator")

static Value dict_iter(Value self) { return dictiter_new(self, IT_KEYS, false); }

static bool has_dict_iter(Value v) { return val_type(v)->iter == dict_iter; }

// ---------------------------------------------------------------------------
// Views

typedef struct {
    Object ob;
    Value dict;
} DictView;

Type dict_keys_type, dict_values_type, dict_items_type;

static Value view_new(Value dv, Type *t) {
    DictView *v = obj_alloc(t, sizeof(DictView));
    if (!v)
        return VAL_NULL;
    v->dict = incref(dv);
    return obj_val(v);
}

static Value view_dict(Value v) { return ((DictView *)val_obj(v))->dict; }

static int view_kind(Value v) {
    Type *t = val_type(v);
    return t == &dict_keys_type ? IT_KEYS : t == &dict_values_type ? IT_VALUES : IT_ITEMS;
}

static void view_dealloc(Object *o) {
    clear_ref(&((DictView *)o)->dict);
    obj_free(o);
}

static int64_t view_len(Value self) { return (int64_t)as_dict(view_dict(self))->used; }

static Value view_iter(Value self) { return dictiter_new(view_dict(self), view_kind(self), false); }

static Value view_reversed(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__reversed__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return dictiter_new(view_dict(self), view_kind(self), true);
}

static Value view_repr(Value self) {
    int r = repr_enter(self);
    if (r != 0)
        return r > 0 ? str_from_cstr("...") : VAL_NULL;
    Value dv = view_dict(self);
    int kind = view_kind(self);
    Value l = kind == IT_KEYS ? dict_keys_list(dv) : kind == IT_VALUES ? values_list(dv)
                                                                      : items_list(dv);
    Value result = VAL_NULL;
    if (l) {
        Value lr = val_repr(l);
        if (lr) {
            Value pre = str_printf("%s(", val_type_name(self));
            Value close = str_from_cstr(")");
            Value a = (pre && close) ? str_concat(pre, lr) : VAL_NULL;
            result = a ? str_concat(a, close) : VAL_NULL;
            decref(pre);
            decref(close);
            decref(a);
            decref(lr);
        }
        decref(l);
    }
    repr_leave(self);
    return result;
}

static int keys_contains(Value self, Value key) { return dict_contains(view_dict(self), key); }

static int items_contains(Value self, Value item) {
    if (!val_is_tuple(item) || tuple_len(item) != 2)
        return 0;
    Value v = dict_get(view_dict(self), tuple_get(item, 0));
    if (!v)
        return exc_occurred() ? -1 : 0;
    int r = val_eq(v, tuple_get(item, 1));
    decref(v);
    return r;
}

static int values_contains(Value self, Value item) {
    Dict *d = as_dict(view_dict(self));
    for (size_t i = 0;; i++) {
        Value k, v;
        if (!entry_at(d, i, &k, &v, NULL))
            return 0;
        if (k == VAL_NULL)
            continue;
        int r = val_eq(v, item);
        decref(k);
        decref(v);
        if (r != 0)
            return r;
    }
}

static Value dict_keys_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.keys", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return view_new(self, &dict_keys_type);
}

static Value dict_values_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.values", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return view_new(self, &dict_values_type);
}

static Value dict_items_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.items", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return view_new(self, &dict_items_type);
}

// Set-like operations of keys and items views: set(a) OP b, as CPython.
static bool is_setlike_view(Value v) {
    return val_is_obj(v) &&
           (val_obj(v)->type == &dict_keys_type || val_obj(v)->type == &dict_items_type);
}

static Value view_setop(Value a, Value b, int op) {
    if (!is_setlike_view(a) && !is_setlike_view(b))
        return incref(VAL_NOTIMPL);
    Value s = set_from_iterable(&set_type, a);
    if (!s)
        return VAL_NULL;
    int rc;
    switch (op) {
    case NB_SUB: rc = set_difference_update(s, b); break;
    case NB_AND: rc = set_intersection_update(s, b); break;
    case NB_OR: rc = set_update(s, b); break;
    default: rc = set_symmetric_difference_update(s, b); break;
    }
    if (rc < 0)
        clear_ref(&s);
    return s;
}

static Value view_sub(Value a, Value b) { return view_setop(a, b, NB_SUB); }
static Value view_and(Value a, Value b) { return view_setop(a, b, NB_AND); }
static Value view_or(Value a, Value b) { return view_setop(a, b, NB_OR); }
static Value view_xor(Value a, Value b) { return view_setop(a, b, NB_XOR); }

// Every element of [a] is in [b] (via b's containment).
static int all_contained(Value a, Value b) {
    Value it = val_iter(a);
    if (!it)
        return -1;
    Value x;
    while ((x = val_next(it)) != VAL_NULL) {
        int r = val_contains(b, x);
        decref(x);
        if (r <= 0) {
            decref(it);
            return r;
        }
    }
    decref(it);
    return exc_occurred() ? -1 : 1;
}

static Value view_richcmp(Value a, Value b, int op) {
    if (!is_setlike_view(a) || !(val_is_anyset(b) || is_setlike_view(b)))
        return incref(VAL_NOTIMPL);
    int64_t la = val_len(a), lb = val_len(b);
    if (la < 0 || lb < 0)
        return VAL_NULL;
    int r;
    switch (op) {
    case CMP_EQ:
    case CMP_NE:
        r = la == lb ? all_contained(a, b) : 0;
        if (r >= 0 && op == CMP_NE)
            r = !r;
        break;
    case CMP_LT: r = la < lb ? all_contained(a, b) : 0; break;
    case CMP_LE: r = la <= lb ? all_contained(a, b) : 0; break;
    case CMP_GT: r = la > lb ? all_contained(b, a) : 0; break;
    default: r = la >= lb ? all_contained(b, a) : 0; break;
    }
    if (r < 0)
        return VAL_NULL;
    return bool_val(r);
}

static Value view_isdisjoint(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("isdisjoint", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value it = val_iter(args[0]);
    if (!it)
        return VAL_NULL;
    Value x;
    while ((x = val_next(it)) != VAL_NULL) {
        int r = val_contains(self, x);
        decref(x);
        if (r != 0) {
            decref(it);
            return r < 0 ? VAL_NULL : incref(VAL_FALSE);
        }
    }
    decref(it);
    return exc_occurred() ? VAL_NULL : incref(VAL_TRUE);
}

static const MethodDef view_methods[] = {
    {"__reversed__", view_reversed, 0, NULL},
    {NULL, NULL, 0, NULL},
};

static const MethodDef setview_methods[] = {
    {"__reversed__", view_reversed, 0, NULL},
    {"isdisjoint", view_isdisjoint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type dict_keys_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "dict_keys",
    .basic_size = sizeof(DictView),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = view_dealloc,
    .repr = view_repr,
    .hash = unhashable,
    .richcmp = view_richcmp,
    .iter = view_iter,
    .len = view_len,
    .contains = keys_contains,
    .nb = {[NB_SUB] = view_sub, [NB_AND] = view_and, [NB_OR] = view_or, [NB_XOR] = view_xor},
};

Type dict_items_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "dict_items",
    .basic_size = sizeof(DictView),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = view_dealloc,
    .repr = view_repr,
    .hash = unhashable,
    .richcmp = view_richcmp,
    .iter = view_iter,
    .len = view_len,
    .contains = items_contains,
    .nb = {[NB_SUB] = view_sub, [NB_AND] = view_and, [NB_OR] = view_or, [NB_XOR] = view_xor},
};

Type dict_values_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "dict_values",
    .basic_size = sizeof(DictView),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = view_dealloc,
    .repr = view_repr,
    .iter = view_iter,
    .len = view_len,
    .contains = values_contains,
};

// ---------------------------------------------------------------------------
// Methods

static Value dict_get_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (meth_args("dict.get", "get", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    Value v = dict_get(self, args[0]);
    if (v || exc_occurred())
        return v;
    return incref(nargs > 1 ? args[1] : VAL_NONE);
}

static Value dict_setdefault_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (meth_args("dict.setdefault", "setdefault", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    Value key = args[0];
    Value dflt = nargs > 1 ? args[1] : VAL_NONE;
    int64_t h;
    if (key_hash(key, &h) < 0)
        return VAL_NULL;
    Dict *d = as_dict(self);
    size_t slot;
    Value result = VAL_NULL;
    TABLE_LOCK(d);
    int64_t ix = lookup(d, key, h, &slot);
    if (ix >= 0) {
        result = incref(d->entries[ix].value);
    } else if (ix == LOOKUP_MISSING) {
        incref(key);
        incref(dflt);
        if (insert_new(d, key, h, dflt) < 0) {
            decref(key);
            decref(dflt);
        } else {
            result = incref(dflt);
        }
    }
    TABLE_UNLOCK(d);
    return result;
}

static Value dict_pop_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (meth_args("dict.pop", "pop", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    int64_t h;
    if (key_hash(args[0], &h) < 0)
        return VAL_NULL;
    Value old = VAL_NULL;
    int rc = pop_hashed(self, args[0], h, &old);
    if (rc < 0)
        return VAL_NULL;
    if (rc > 0)
        return old;
    if (nargs > 1)
        return incref(args[1]);
    return exc_raise_value(&exc_KeyError, args[0]);
}

static Value dict_popitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.popitem", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Dict *d = as_dict(self);
    Value t = tuple_new(2);
    if (!t)
        return VAL_NULL;
    TABLE_LOCK(d);
    if (d->used == 0) {
        TABLE_UNLOCK(d);
        decref(t);
        return exc_raise(&exc_KeyError, "popitem(): dictionary is empty");
    }
    size_t i = d->nentries - 1;
    while (d->entries[i].key == VAL_NULL)
        i--;
    DictEntry *e = &d->entries[i];
    // Find the index slot pointing at entry [i] (by identity: no call-out).
    size_t mask = d->nindices - 1;
    size_t s = (size_t)e->hash & mask;
    size_t perturb = (size_t)e->hash;
    while (d->indices[s] != (int64_t)i) {
        perturb >>= PERTURB_SHIFT;
        s = (s * 5 + perturb + 1) & mask;
    }
    Value k, v;
    remove_entry(d, s, (int64_t)i, &k, &v);
    // The tail entry slot is free again, but its index slot stays a dummy:
    // lower the insertion budget so that indices never fill up (CPython
    // likewise does not give back dk_usable here).
    d->nentries = i;
    d->cap--;
    TABLE_UNLOCK(d);
    tuple_set_steal(t, 0, k);
    tuple_set_steal(t, 1, v);
    return t;
}

static Value dict_update_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (nargs > 1)
        return exc_raise(&exc_TypeError, "update expected at most 1 argument, got %zu", nargs);
    // keyword arguments are the update's items
    if (nargs == 1 && update_arg(self, args[0]) < 0)
        return VAL_NULL;
    if (update_kwargs(self, args, nargs, kwnames) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value dict_copy_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.copy", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return dict_copy(self);
}

static Value dict_clear_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.clear", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    clear_all(as_dict(self));
    return incref(VAL_NONE);
}

static Value dict_fromkeys_meth(Value cls, Value *args, size_t nargs, Value kwnames) {
    if (meth_args("dict.fromkeys", "fromkeys", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    Value value = nargs > 1 ? args[1] : VAL_NONE;
    Value d = val_call0(cls);
    if (!d)
        return VAL_NULL;
    Value it = val_iter(args[0]);
    if (!it) {
        decref(d);
        return VAL_NULL;
    }
    bool exact = val_type(d) == &dict_type;
    Value k;
    while ((k = val_next(it)) != VAL_NULL) {
        int rc = exact ? dict_set(d, k, value) : val_setitem(d, k, value);
        decref(k);
        if (rc < 0) {
            decref(it);
            decref(d);
            return VAL_NULL;
        }
    }
    decref(it);
    if (exc_occurred()) {
        decref(d);
        return VAL_NULL;
    }
    return d;
}

static Value dict_reversed_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.__reversed__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return dictiter_new(self, IT_KEYS, true);
}

static Value dict_getitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("dict.__getitem__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return dict_getitem(self, args[0]);
}

static Value dict_contains_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("dict.__contains__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int r = dict_contains(self, args[0]);
    return r < 0 ? VAL_NULL : bool_val(r);
}

static Value dict_setitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("dict.__setitem__", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    return dict_set(self, args[0], args[1]) < 0 ? VAL_NULL : incref(VAL_NONE);
}

static Value dict_delitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("dict.__delitem__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return dict_setitem(self, args[0], VAL_NULL) < 0 ? VAL_NULL : incref(VAL_NONE);
}

static Value dict_len_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.__len__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return small_new((intptr_t)as_dict(self)->used);
}

static Value dict_iter_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.__iter__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return dict_iter(self);
}

static Value dict_init_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    return dict_init_slot(self, args, nargs, kwnames) < 0 ? VAL_NULL : incref(VAL_NONE);
}

static Value dict_repr_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("dict.__repr__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return dict_repr(self);
}

static Value dict_eq_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("dict.__eq__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return dict_richcmp(self, args[0], CMP_EQ);
}

static Value dict_ne_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("dict.__ne__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return dict_richcmp(self, args[0], CMP_NE);
}

static const MethodDef dict_methods[] = {
    {"__setitem__", dict_setitem_meth, 0, NULL},
    {"__delitem__", dict_delitem_meth, 0, NULL},
    {"__len__", dict_len_meth, 0, NULL},
    {"__iter__", dict_iter_meth, 0, NULL},
    {"__init__", dict_init_meth, 0, NULL},
    {"__repr__", dict_repr_meth, 0, NULL},
    {"__eq__", dict_eq_meth, 0, NULL},
    {"__ne__", dict_ne_meth, 0, NULL},
    {"get", dict_get_meth, 0, NULL},
    {"setdefault", dict_setdefault_meth, 0, NULL},
    {"pop", dict_pop_meth, 0, NULL},
    {"popitem", dict_popitem_meth, 0, NULL},
    {"keys", dict_keys_meth, 0, NULL},
    {"values", dict_values_meth, 0, NULL},
    {"items", dict_items_meth, 0, NULL},
    {"update", dict_update_meth, 0, NULL},
    {"copy", dict_copy_meth, 0, NULL},
    {"clear", dict_clear_meth, 0, NULL},
    {"fromkeys", dict_fromkeys_meth, METH_CLASS, NULL},
    {"__reversed__", dict_reversed_meth, 0, NULL},
    {"__getitem__", dict_getitem_meth, 0, NULL},
    {"__contains__", dict_contains_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type dict_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "dict",
    .basic_size = sizeof(Dict),
    .tflags = TF_BASETYPE | TF_DICT_SUBCLASS,
    .dealloc = dict_dealloc,
    .new_ = dict_new_slot,
    .init = dict_init_slot,
    .repr = dict_repr,
    .hash = unhashable,
    .richcmp = dict_richcmp,
    .iter = dict_iter,
    .nb = {[NB_OR] = dict_or},
    .nb_inplace = {[NB_OR] = dict_ior},
    .nb_bool = dict_bool,
    .len = dict_len_slot,
    .getitem = dict_getitem,
    .setitem = dict_setitem,
    .contains = dict_contains_slot,
};

void dict_type_init(void) {
    type_ready(&dict_type);
    type_add_methods(&dict_type, dict_methods);
    type_ready(&dict_keys_type);
    type_add_methods(&dict_keys_type, setview_methods);
    type_ready(&dict_items_type);
    type_add_methods(&dict_items_type, setview_methods);
    type_ready(&dict_values_type);
    type_add_methods(&dict_values_type, view_methods);
    Type *iters[] = {&dict_keyiter_type,    &dict_valueiter_type,    &dict_itemiter_type,
                     &dict_revkeyiter_type, &dict_revvalueiter_type, &dict_revitemiter_type};
    for (size_t i = 0; i < ARRAY_LEN(iters); i++) {
        type_ready(iters[i]);
        type_add_methods(iters[i], dictiter_methods);
    }
}
