// set and frozenset: CPython 3.11's table algorithm, step for step, so that
// iteration order (and so every printed set of ints, floats, tuples) matches.
//
// Table: mask+1 (a power of two, at least 8) SetEntry slots. A slot is
//   empty   key == VAL_NULL, hash == 0
//   dummy   key == DUMMY,    hash == -1   (a deleted element)
//   active  anything else; it owns one reference to key.
// fill = active + dummy, used = active. Probing looks at LINEAR_PROBES
// neighbours before jumping with i = (i*5 + 1 + perturb) & mask. After an
// insertion into an empty slot the table is rebuilt when fill*5 >= mask*3.
// Insertion reuses the last dummy seen on the probe path (as 3.11 does).
// The table is always allocated (8 slots for an empty set).
//
// Re-entrancy and threads: __eq__ of an element may mutate the set. The only
// call-outs from table code are in `lookkey` and `add_entry` (val_eq); they
// drop the table lock around the call and restart when the table or the
// entry changed. Elements leave the table before they are decref'd.
// TABLE_LOCK/TABLE_UNLOCK are no-ops under the GIL and the object's lock in
// free-threaded mode. frozenset hashes are cached in [hash].
#include "set.h"

#include "abstract.h"
#include "class.h"
#include "code.h"
#include "dict.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "str.h"
#include "tuple.h"

#ifndef BEGIN_CRITICAL
#define TABLE_LOCK(s) ((void)(s))
#define TABLE_UNLOCK(s) ((void)(s))
#else
#define TABLE_LOCK(s) BEGIN_CRITICAL(&(s)->ob)
#define TABLE_UNLOCK(s) END_CRITICAL(&(s)->ob)
#endif

#define SET_MINSIZE 8
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

static Object dummy_obj = OBJECT_HEAD_IMMORTAL(&object_type);
#define DUMMY obj_val(&dummy_obj)

static inline SetObj *as_set(Value v) { return (SetObj *)val_obj(v); }
static bool is_exact_str(Value v) { return val_is_obj(v) && val_obj(v)->type == &str_type; }
static bool is_set_type(Value v) {
    return val_is_obj(v) &&
           (val_obj(v)->type == &set_type || type_is_subtype(val_obj(v)->type, &set_type));
}
static bool is_exact_anyset(Value v) {
    return val_is_obj(v) &&
           (val_obj(v)->type == &set_type || val_obj(v)->type == &frozenset_type);
}

static int key_hash(Value key, int64_t *h) {
    if (is_exact_str(key)) {
        *h = str_hash(key);
        return 0;
    }
    return val_hash(key, h);
}

static SetEntry *alloc_table(size_t n) {
    if (n > SIZE_MAX / sizeof(SetEntry)) {
        exc_nomemory();
        return NULL;
    }
    SetEntry *t = calloc(n, sizeof(SetEntry));
    if (!t)
        exc_nomemory();
    return t;
}

// ---------------------------------------------------------------------------
// Probing (CPython's set_lookkey / set_add_entry / set_insert_clean)

// The slot holding [key] or the empty slot ending its probe; NULL on error.
// Entered and left with the lock held.
static SetEntry *lookkey(SetObj *so, Value key, int64_t hash) {
restart:;
    size_t perturb = (size_t)hash;
    size_t mask = so->mask;
    size_t i = (size_t)hash & mask;
    for (;;) {
        SetEntry *entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == VAL_NULL)
                return entry;
            if (entry->hash == hash) {
                Value startkey = entry->key;
                if (startkey == key)
                    return entry;
                if (is_exact_str(startkey) && is_exact_str(key) && str_eq(startkey, key))
                    return entry;
                // CALL-OUT: __eq__ may mutate the set.
                SetEntry *table = so->table;
                incref(startkey);
                TABLE_UNLOCK(so);
                int cmp = val_eq(startkey, key);
                decref(startkey);
                TABLE_LOCK(so);
                if (cmp < 0)
                    return NULL;
                if (table != so->table || entry->key != startkey)
                    goto restart;
                if (cmp > 0)
                    return entry;
                mask = so->mask;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static int table_resize(SetObj *so, size_t minused);

// Insert [key] (borrowed) with [hash]; 0 ok (present or added), -1 error.
static int add_entry(SetObj *so, Value key, int64_t hash) {
    SetEntry *entry, *freeslot;
    size_t perturb, mask, i;
    incref(key);   // the comparison below may drop the caller's last reference
    TABLE_LOCK(so);
restart:
    mask = so->mask;
    i = (size_t)hash & mask;
    freeslot = NULL;
    perturb = (size_t)hash;
    for (;;) {
        entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == VAL_NULL)
                goto found_unused_or_dummy;
            if (entry->hash == hash) {
                Value startkey = entry->key;
                if (startkey == key)
                    goto found_active;
                if (is_exact_str(startkey) && is_exact_str(key) && str_eq(startkey, key))
                    goto found_active;
                // CALL-OUT: __eq__ may mutate the set.
                SetEntry *table = so->table;
                incref(startkey);
                TABLE_UNLOCK(so);
                int cmp = val_eq(startkey, key);
                decref(startkey);
                TABLE_LOCK(so);
                if (cmp > 0)
                    goto found_active;
                if (cmp < 0)
                    goto comparison_error;
                if (table != so->table || entry->key != startkey)
                    goto restart;
                mask = so->mask;
            } else if (entry->hash == -1) {
                freeslot = entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }

found_unused_or_dummy:
    if (freeslot == NULL)
        goto found_unused;
    so->used++;
    freeslot->key = key;
    freeslot->hash = hash;
    TABLE_UNLOCK(so);
    return 0;

found_unused:
    so->fill++;
    so->used++;
    entry->key = key;
    entry->hash = hash;
    if (so->fill * 5 < mask * 3) {
        TABLE_UNLOCK(so);
        return 0;
    }
    {
        int rc = table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
        TABLE_UNLOCK(so);
        return rc;
    }

found_active:
    TABLE_UNLOCK(so);
    decref(key);
    return 0;

comparison_error:
    TABLE_UNLOCK(so);
    decref(key);
    return -1;
}

static void insert_clean(SetEntry *table, size_t mask, Value key, int64_t hash) {
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    for (;;) {
        SetEntry *entry = &table[i];
        if (entry->key == VAL_NULL)
            goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == VAL_NULL)
                    goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        entry->key = key;
        entry->hash = hash;
        return;
    }
}

// Rebuild the table with the smallest size > [minused]; drops dummies. No
// call-outs, no refcount changes.
static int table_resize(SetObj *so, size_t minused) {
    size_t newsize = SET_MINSIZE;
    while (newsize <= minused) {
        if (newsize > SIZE_MAX / 2 / sizeof(SetEntry)) {
            exc_nomemory();
            return -1;
        }
        newsize <<= 1;
    }
    if (newsize == SET_MINSIZE && so->mask == SET_MINSIZE - 1 && so->fill == so->used)
        return 0;   // CPython keeps its small table as it is: no dummies to purge
    SetEntry *newtable = alloc_table(newsize);
    if (!newtable)
        return -1;
    SetEntry *oldtable = so->table;
    size_t oldmask = so->mask;
    so->mask = newsize - 1;
    so->table = newtable;
    for (size_t j = 0; j <= oldmask; j++) {
        SetEntry *e = &oldtable[j];
        if (e->key != VAL_NULL && e->key != DUMMY)
            insert_clean(newtable, so->mask, e->key, e->hash);
    }
    so->fill = so->used;
    free(oldtable);
    return 0;
}

static int contains_entry(SetObj *so, Value key, int64_t hash) {
    TABLE_LOCK(so);
    SetEntry *e = lookkey(so, key, hash);
    int r = e ? e->key != VAL_NULL : -1;
    TABLE_UNLOCK(so);
    return r;
}

// 1 found and removed, 0 missing, -1 error.
static int discard_entry(SetObj *so, Value key, int64_t hash) {
    TABLE_LOCK(so);
    SetEntry *e = lookkey(so, key, hash);
    if (!e || e->key == VAL_NULL) {
        TABLE_UNLOCK(so);
        return e ? 0 : -1;
    }
    Value old = e->key;
    e->key = DUMMY;
    e->hash = -1;
    so->used--;
    TABLE_UNLOCK(so);
    decref(old);
    return 1;
}

static int add_key(SetObj *so, Value key) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return -1;
    return add_entry(so, key, h);
}

static int contains_key(SetObj *so, Value key) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return -1;
    return contains_entry(so, key, h);
}

static int discard_key(SetObj *so, Value key) {
    int64_t h;
    if (key_hash(key, &h) < 0)
        return -1;
    return discard_entry(so, key, h);
}

// Active entry at or after *pos (advances *pos); borrowed.
static SetEntry *next_entry(SetObj *so, size_t *pos) {
    size_t i = *pos;
    while (i <= so->mask && (so->table[i].key == VAL_NULL || so->table[i].key == DUMMY))
        i++;
    *pos = i + 1;
    return i <= so->mask ? &so->table[i] : NULL;
}

// Empty the set. The elements are dropped after the set is already empty
// (a destructor may look at it). -1 only when the fresh 8-slot table cannot
// be allocated.
static int clear_internal(SetObj *so) {
    SetEntry *fresh = alloc_table(SET_MINSIZE);
    if (!fresh)
        return -1;
    TABLE_LOCK(so);
    SetEntry *table = so->table;
    size_t n = so->mask + 1;
    so->table = fresh;
    so->mask = SET_MINSIZE - 1;
    so->fill = so->used = 0;
    so->hash = -1;
    TABLE_UNLOCK(so);
    for (size_t i = 0; i < n; i++)
        if (table[i].key != VAL_NULL && table[i].key != DUMMY)
            decref(table[i].key);
    free(table);
    return 0;
}

// ---------------------------------------------------------------------------
// Construction and merging

static Value make_new_set(Type *t, Value iterable);

static Value alloc_set(Type *t) {
    SetObj *so = obj_alloc(t, t->basic_size ? t->basic_size : sizeof(SetObj));
    if (!so)
        return VAL_NULL;
    so->table = alloc_table(SET_MINSIZE);
    if (!so->table) {
        obj_free(&so->ob);
        return VAL_NULL;
    }
    so->mask = SET_MINSIZE - 1;
    so->hash = -1;
    return obj_val(so);
}

static int set_merge(SetObj *so, Value otherv) {
    SetObj *other = as_set(otherv);
    if (other == so || other->used == 0)
        return 0;
    TABLE_LOCK(so);
    if ((so->fill + other->used) * 5 >= so->mask * 3) {
        if (table_resize(so, (so->used + other->used) * 2) != 0) {
            TABLE_UNLOCK(so);
            return -1;
        }
    }
    // Our table is empty and the same size, no dummies: copy slot by slot.
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (size_t i = 0; i <= other->mask; i++) {
            Value key = other->table[i].key;
            if (key != VAL_NULL) {
                so->table[i].key = incref(key);
                so->table[i].hash = other->table[i].hash;
            }
        }
        so->fill = other->fill;
        so->used = other->used;
        TABLE_UNLOCK(so);
        return 0;
    }
    if (so->fill == 0) {
        so->fill = other->used;
        so->used = other->used;
        for (size_t i = 0; i <= other->mask; i++) {
            Value key = other->table[i].key;
            if (key != VAL_NULL && key != DUMMY)
                insert_clean(so->table, so->mask, incref(key), other->table[i].hash);
        }
        TABLE_UNLOCK(so);
        return 0;
    }
    TABLE_UNLOCK(so);
    for (size_t i = 0; i <= other->mask; i++) {
        Value key = other->table[i].key;
        if (key != VAL_NULL && key != DUMMY) {
            int64_t h = other->table[i].hash;
            incref(key);
            int rc = add_entry(so, key, h);
            decref(key);
            if (rc)
                return -1;
        }
    }
    return 0;
}

static int update_internal(SetObj *so, Value other) {
    // set_merge reads [other]'s table directly: not while another thread
    // may change it (free-threaded), where the locked iterator below is used.
    if (val_is_anyset(other) && !obj_locking)
        return set_merge(so, other);
    if (val_is_obj(other) && val_obj(other)->type == &dict_type && !obj_locking) {
        Dict *d = as_dict(other);
        size_t dictsize = d->used;
        if ((so->fill + dictsize) * 5 >= so->mask * 3) {
            TABLE_LOCK(so);
            int rc = table_resize(so, (so->used + dictsize) * 2);
            TABLE_UNLOCK(so);
            if (rc != 0)
                return -1;
        }
        for (size_t i = 0; i < d->nentries; i++) {
            Value key = d->entries[i].key;
            if (key == VAL_NULL)
                continue;
            incref(key);
            int rc = add_entry(so, key, d->entries[i].hash);
            decref(key);
            if (rc)
                return -1;
        }
        return 0;
    }
    Value it = val_iter(other);
    if (!it)
        return -1;
    Value key;
    while ((key = val_next(it)) != VAL_NULL) {
        int rc = add_key(so, key);
        decref(key);
        if (rc) {
            decref(it);
            return -1;
        }
    }
    decref(it);
    return exc_occurred() ? -1 : 0;
}

static Value make_new_set(Type *t, Value iterable) {
    Value s = alloc_set(t);
    if (s && iterable && update_internal(as_set(s), iterable) < 0)
        clear_ref(&s);
    return s;
}

// Operations on subclass instances build plain sets/frozensets.
static Value make_new_set_basetype(Type *t, Value iterable) {
    if (t != &set_type && t != &frozenset_type)
        t = type_is_subtype(t, &set_type) ? &set_type : &frozenset_type;
    return make_new_set(t, iterable);
}

Value set_new(Type *t) { return alloc_set(t); }

Value set_from_iterable(Type *t, Value it) { return make_new_set(t, it); }

int set_add(Value s, Value key) { return add_key(as_set(s), key); }

// The unhashable-set retry of CPython: a set key is looked up as a frozenset.
static int with_frozen_key(SetObj *so, Value key, int (*op)(SetObj *, Value)) {
    int rv = op(so, key);
    if (rv < 0 && is_set_type(key) && exc_matches(&exc_TypeError)) {
        exc_clear();
        Value tmp = make_new_set(&frozenset_type, key);
        if (!tmp)
            return -1;
        rv = op(so, tmp);
        decref(tmp);
    }
    return rv;
}

int set_contains(Value s, Value key) { return with_frozen_key(as_set(s), key, contains_key); }

int set_discard(Value s, Value key) { return with_frozen_key(as_set(s), key, discard_key); }

size_t set_len(Value s) { return as_set(s)->used; }

bool set_next(Value s, size_t *pos, Value *key) {
    SetEntry *e = next_entry(as_set(s), pos);
    if (!e)
        return false;
    *key = e->key;
    return true;
}

int set_update(Value s, Value other) { return update_internal(as_set(s), other); }

Value set_const_literal(Value items) {
    Value first = make_new_set(&frozenset_type, items);
    if (!first)
        return VAL_NULL;
    // Re-add in [first]'s iteration order, as merge_consts_recursive does.
    Value order = list_new(set_len(first));
    size_t pos = 0;
    Value k;
    while (order && set_next(first, &pos, &k)) {
        if (list_append(order, k) < 0)
            clear_ref(&order);
    }
    decref(first);
    if (!order)
        return VAL_NULL;
    Value r = make_new_set(&frozenset_type, order);
    decref(order);
    return r;
}

// ---------------------------------------------------------------------------
// The algebra (CPython's functions of the same names)

static Value set_copy(Value so) { return make_new_set_basetype(val_type(so), so); }

static void swap_bodies(SetObj *a, SetObj *b) {
    size_t t;
    t = a->fill; a->fill = b->fill; b->fill = t;
    t = a->used; a->used = b->used; b->used = t;
    t = a->mask; a->mask = b->mask; b->mask = t;
    SetEntry *u = a->table; a->table = b->table; b->table = u;
    Value av = obj_val(a), bv = obj_val(b);
    if (type_is_subtype(val_type(av), &frozenset_type) &&
        type_is_subtype(val_type(bv), &frozenset_type)) {
        int64_t h = a->hash; a->hash = b->hash; b->hash = h;
    } else {
        a->hash = -1;
        b->hash = -1;
    }
}

static Value set_intersection(Value sov, Value other) {
    if (sov == other)
        return set_copy(sov);
    Value result = make_new_set_basetype(val_type(sov), VAL_NULL);
    if (!result)
        return VAL_NULL;
    SetObj *so = as_set(sov);
    if (val_is_anyset(other)) {
        SetObj *o = as_set(other);
        if (o->used > so->used) {
            SetObj *tmp = so;
            so = o;
            o = tmp;
        }
        size_t pos = 0;
        SetEntry *e;
        while ((e = next_entry(o, &pos)) != NULL) {
            Value key = incref(e->key);
            int64_t hash = e->hash;
            int rv = contains_entry(so, key, hash);
            if (rv > 0)
                rv = add_entry(as_set(result), key, hash) ? -1 : 1;
            decref(key);
            if (rv < 0) {
                decref(result);
                return VAL_NULL;
            }
        }
        return result;
    }
    Value it = val_iter(other);
    if (!it) {
        decref(result);
        return VAL_NULL;
    }
    Value key;
    while ((key = val_next(it)) != VAL_NULL) {
        int64_t hash;
        int rv = key_hash(key, &hash);
        if (rv == 0)
            rv = contains_entry(so, key, hash);
        if (rv > 0) {
            rv = add_entry(as_set(result), key, hash) ? -1 : 1;
            if (rv > 0 && as_set(result)->used >= so->used) {
                decref(key);
                break;
            }
        }
        decref(key);
        if (rv < 0) {
            decref(it);
            decref(result);
            return VAL_NULL;
        }
    }
    decref(it);
    if (exc_occurred()) {
        decref(result);
        return VAL_NULL;
    }
    return result;
}

int set_intersection_update(Value s, Value other) {
    Value tmp = set_intersection(s, other);
    if (!tmp)
        return -1;
    swap_bodies(as_set(s), as_set(tmp));
    decref(tmp);
    return 0;
}

static int difference_update_internal(SetObj *so, Value other) {
    if (obj_val(so) == other)
        return clear_internal(so);
    if (val_is_anyset(other)) {
        if ((as_set(other)->used >> 3) > so->used) {
            other = set_intersection(obj_val(so), other);
            if (!other)
                return -1;
        } else {
            incref(other);
        }
        size_t pos = 0;
        SetEntry *e;
        while ((e = next_entry(as_set(other), &pos)) != NULL) {
            Value key = incref(e->key);
            int rc = discard_entry(so, key, e->hash);
            decref(key);
            if (rc < 0) {
                decref(other);
                return -1;
            }
        }
        decref(other);
    } else {
        Value it = val_iter(other);
        if (!it)
            return -1;
        Value key;
        while ((key = val_next(it)) != VAL_NULL) {
            int rc = discard_key(so, key);
            decref(key);
            if (rc < 0) {
                decref(it);
                return -1;
            }
        }
        decref(it);
        if (exc_occurred())
            return -1;
    }
    if (so->fill - so->used <= so->mask / 4)
        return 0;
    TABLE_LOCK(so);
    int rc = table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
    TABLE_UNLOCK(so);
    return rc;
}

int set_difference_update(Value s, Value other) {
    return difference_update_internal(as_set(s), other);
}

static Value copy_and_difference(Value so, Value other) {
    Value result = set_copy(so);
    if (result && difference_update_internal(as_set(result), other) < 0)
        clear_ref(&result);
    return result;
}

static Value set_difference(Value sov, Value other) {
    size_t other_size;
    bool other_dict = val_is_obj(other) && val_obj(other)->type == &dict_type;
    if (val_is_anyset(other))
        other_size = as_set(other)->used;
    else if (other_dict)
        other_size = dict_len(other);
    else
        return copy_and_difference(sov, other);
    SetObj *so = as_set(sov);
    if ((so->used >> 2) > other_size)
        return copy_and_difference(sov, other);
    Value result = make_new_set_basetype(val_type(sov), VAL_NULL);
    if (!result)
        return VAL_NULL;
    size_t pos = 0;
    SetEntry *e;
    while ((e = next_entry(so, &pos)) != NULL) {
        Value key = incref(e->key);
        int64_t hash = e->hash;
        int rv;
        if (other_dict) {
            rv = dict_contains(other, key);   // hash is recomputed: same value
        } else {
            rv = contains_entry(as_set(other), key, hash);
        }
        if (rv == 0)
            rv = add_entry(as_set(result), key, hash) ? -1 : 0;
        decref(key);
        if (rv < 0) {
            decref(result);
            return VAL_NULL;
        }
    }
    return result;
}

int set_symmetric_difference_update(Value sv, Value other) {
    SetObj *so = as_set(sv);
    if (sv == other)
        return clear_internal(so);
    if (val_is_obj(other) && val_obj(other)->type == &dict_type && !obj_locking) {
        Dict *d = as_dict(other);
        for (size_t i = 0; i < d->nentries; i++) {
            Value key = d->entries[i].key;
            if (key == VAL_NULL)
                continue;
            int64_t hash = d->entries[i].hash;
            incref(key);
            int rv = discard_entry(so, key, hash);
            if (rv == 0)
                rv = add_entry(so, key, hash) ? -1 : 0;
            decref(key);
            if (rv < 0)
                return -1;
        }
        return 0;
    }
    Value otherset;
    if (val_is_anyset(other))
        otherset = incref(other);
    else if (!(otherset = make_new_set_basetype(val_type(sv), other)))
        return -1;
    size_t pos = 0;
    SetEntry *e;
    while ((e = next_entry(as_set(otherset), &pos)) != NULL) {
        Value key = incref(e->key);
        int64_t hash = e->hash;
        int rv = discard_entry(so, key, hash);
        if (rv == 0)
            rv = add_entry(so, key, hash) ? -1 : 0;
        decref(key);
        if (rv < 0) {
            decref(otherset);
            return -1;
        }
    }
    decref(otherset);
    return 0;
}

static Value set_symmetric_difference(Value so, Value other) {
    Value otherset = make_new_set_basetype(val_type(so), other);
    if (otherset && set_symmetric_difference_update(otherset, so) < 0)
        clear_ref(&otherset);
    return otherset;
}

// 1 / 0 / -1
static int issubset(Value sov, Value other) {
    SetObj *so = as_set(sov);
    if (!val_is_anyset(other)) {
        Value tmp = set_intersection(sov, other);
        if (!tmp)
            return -1;
        int r = as_set(tmp)->used == so->used;
        decref(tmp);
        return r;
    }
    if (so->used > as_set(other)->used)
        return 0;
    size_t pos = 0;
    SetEntry *e;
    while ((e = next_entry(so, &pos)) != NULL) {
        Value key = incref(e->key);
        int rv = contains_entry(as_set(other), key, e->hash);
        decref(key);
        if (rv <= 0)
            return rv;
    }
    return 1;
}

static int issuperset(Value so, Value other) {
    if (val_is_anyset(other))
        return issubset(other, so);
    Value it = val_iter(other);
    if (!it)
        return -1;
    Value key;
    while ((key = val_next(it)) != VAL_NULL) {
        int rv = contains_key(as_set(so), key);
        decref(key);
        if (rv <= 0) {
            decref(it);
            return rv;
        }
    }
    decref(it);
    return exc_occurred() ? -1 : 1;
}

static int isdisjoint(Value sov, Value other) {
    SetObj *so = as_set(sov);
    if (sov == other)
        return so->used == 0;
    if (is_exact_anyset(other)) {
        SetObj *o = as_set(other);
        if (o->used > so->used) {
            SetObj *tmp = so;
            so = o;
            o = tmp;
        }
        size_t pos = 0;
        SetEntry *e;
        while ((e = next_entry(o, &pos)) != NULL) {
            Value key = incref(e->key);
            int rv = contains_entry(so, key, e->hash);
            decref(key);
            if (rv != 0)
                return rv < 0 ? -1 : 0;
        }
        return 1;
    }
    Value it = val_iter(other);
    if (!it)
        return -1;
    Value key;
    while ((key = val_next(it)) != VAL_NULL) {
        int rv = contains_key(so, key);
        decref(key);
        if (rv != 0) {
            decref(it);
            return rv < 0 ? -1 : 0;
        }
    }
    decref(it);
    return exc_occurred() ? -1 : 1;
}

// ---------------------------------------------------------------------------
// Slots

static void set_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;   // queued: freed by the outermost dealloc
    SetObj *so = (SetObj *)o;
    if (so->table) {
        for (size_t i = 0; i <= so->mask; i++) {
            Value k = so->table[i].key;
            if (k != VAL_NULL && k != DUMMY)
                decref(k);
        }
        free(so->table);
        so->table = NULL;
    }
    obj_free(o);
    list_trash_end();
}

// [pre] + [body] + [post] (body borrowed).
static Value wrap_v(Value pre, Value body, const char *post) {
    Value b = str_from_cstr(post);
    Value a = b ? str_concat(pre, body) : VAL_NULL;
    Value r = a ? str_concat(a, b) : VAL_NULL;
    decref(a);
    decref(b);
    return r;
}

static Value wrap(const char *pre, Value body, const char *post) {
    Value p = str_from_cstr(pre);
    Value r = p ? wrap_v(p, body, post) : VAL_NULL;
    decref(p);
    return r;
}

static Value join_reprs(Value list) {
    Value sep = str_from_cstr(", ");
    if (!sep)
        return VAL_NULL;
    Value r = str_join(sep, list);
    decref(sep);
    return r;
}

static Value set_repr(Value self) {
    SetObj *so = as_set(self);
    Type *t = val_type(self);
    int st = repr_enter(self);
    if (st != 0)
        return st > 0 ? str_printf("%s(...)", type_name(t)) : VAL_NULL;
    Value result = VAL_NULL;
    if (so->used == 0) {
        result = str_printf("%s()", type_name(t));
        goto done;
    }
    Value keys = VAL_NULL, parts = VAL_NULL;
    // Snapshot the elements first: their reprs may mutate the set.
    keys = list_new(so->used);
    if (!keys)
        goto done;
    size_t pos = 0;
    Value k;
    while (set_next(self, &pos, &k)) {
        if (list_append(keys, k) < 0)
            goto fail;
    }
    parts = list_new(list_len(keys));
    if (!parts)
        goto fail;
    for (size_t i = 0; i < list_len(keys); i++) {
        Value r = val_repr(as_list(keys)->items[i]);
        if (!r || list_append_steal(parts, r) < 0)
            goto fail;
    }
    Value body = join_reprs(parts);
    if (body) {
        if (t == &set_type) {
            result = wrap("{", body, "}");
        } else {
            Value pre = str_printf("%s({", type_name(t));
            result = pre ? wrap_v(pre, body, "})") : VAL_NULL;
            decref(pre);
        }
        decref(body);
    }
fail:
    decref(keys);
    decref(parts);
done:
    repr_leave(self);
    return result;
}

static int64_t set_len_slot(Value self) { return (int64_t)as_set(self)->used; }

static int set_contains_slot(Value self, Value key) { return set_contains(self, key); }

static int set_bool(Value self) { return as_set(self)->used != 0; }

static uint64_t shuffle_bits(uint64_t h) {
    return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL;
}

static int frozenset_hash(Value self, int64_t *out) {
    SetObj *so = as_set(self);
    if (so->hash != -1) {
        *out = so->hash;
        return 0;
    }
    uint64_t hash = 0;
    for (size_t i = 0; i <= so->mask; i++)
        hash ^= shuffle_bits((uint64_t)so->table[i].hash);
    if ((so->mask + 1 - so->fill) & 1)
        hash ^= shuffle_bits(0);
    if ((so->fill - so->used) & 1)
        hash ^= shuffle_bits((uint64_t)-1);
    hash ^= ((uint64_t)so->used + 1) * 1927868237ULL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923ULL;
    if (hash == (uint64_t)-1)
        hash = 590923713ULL;
    so->hash = (int64_t)hash;
    *out = (int64_t)hash;
    return 0;
}

static int set_unhashable(Value self, int64_t *out) {
    UNUSED(out);
    return exc_raise_int(&exc_TypeError, "unhashable type: '%s'", val_type_name(self));
}

static Value set_richcmp(Value v, Value w, int op) {
    if (!val_is_anyset(v) || !val_is_anyset(w))
        return incref(VAL_NOTIMPL);
    SetObj *a = as_set(v), *b = as_set(w);
    int r;
    switch (op) {
    case CMP_EQ:
    case CMP_NE:
        if (a->used != b->used)
            r = 0;
        else if (a->hash != -1 && b->hash != -1 && a->hash != b->hash)
            r = 0;
        else
            r = issubset(v, w);
        if (r >= 0 && op == CMP_NE)
            r = !r;
        break;
    case CMP_LE: r = issubset(v, w); break;
    case CMP_GE: r = issuperset(v, w); break;
    case CMP_LT: r = a->used >= b->used ? 0 : issubset(v, w); break;
    default: r = a->used <= b->used ? 0 : issuperset(v, w); break;
    }
    if (r < 0)
        return VAL_NULL;
    return bool_val(r);
}

static Value set_or(Value a, Value b) {
    if (!val_is_anyset(a) || !val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    Value result = set_copy(a);
    if (!result || a == b)
        return result;
    if (update_internal(as_set(result), b) < 0)
        clear_ref(&result);
    return result;
}

static Value set_and(Value a, Value b) {
    if (!val_is_anyset(a) || !val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    return set_intersection(a, b);
}

static Value set_sub(Value a, Value b) {
    if (!val_is_anyset(a) || !val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    return set_difference(a, b);
}

static Value set_xor(Value a, Value b) {
    if (!val_is_anyset(a) || !val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    return set_symmetric_difference(a, b);
}

static Value set_ior(Value a, Value b) {
    if (!val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    if (update_internal(as_set(a), b) < 0)
        return VAL_NULL;
    return incref(a);
}

static Value set_iand(Value a, Value b) {
    if (!val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    if (set_intersection_update(a, b) < 0)
        return VAL_NULL;
    return incref(a);
}

static Value set_isub(Value a, Value b) {
    if (!val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    if (difference_update_internal(as_set(a), b) < 0)
        return VAL_NULL;
    return incref(a);
}

static Value set_ixor(Value a, Value b) {
    if (!val_is_anyset(b))
        return incref(VAL_NOTIMPL);
    if (set_symmetric_difference_update(a, b) < 0)
        return VAL_NULL;
    return incref(a);
}

// Iterator

typedef struct {
    Object ob;
    Value set;        // VAL_NULL once exhausted
    int64_t used;     // size at creation, -1 after a size change
    size_t pos;
    int64_t len;
} SetIter;

Type set_iter_type;

static Value set_iter(Value self) {
    SetIter *si = obj_alloc(&set_iter_type, sizeof(SetIter));
    if (!si)
        return VAL_NULL;
    si->set = incref(self);
    si->used = (int64_t)as_set(self)->used;
    si->len = si->used;
    return obj_val(si);
}

static void setiter_dealloc(Object *o) {
    clear_ref(&((SetIter *)o)->set);
    obj_free(o);
}

static Value self_iter(Value self) { return incref(self); }

// Free-threaded: threads may share one iterator. Its fields move under the
// set's lock (every sharer takes the same one), and the set stays referenced
// until the iterator dies, so no thread frees it under another.
static Value setiter_next(Value self) {
    SetIter *si = (SetIter *)val_obj(self);
    if (!si->set)
        return VAL_NULL;
    SetObj *so = as_set(si->set);
    TABLE_LOCK(so);
    if (si->used != (int64_t)so->used) {
        si->used = -1;
        TABLE_UNLOCK(so);
        return exc_raise(&exc_RuntimeError, "Set changed size during iteration");
    }
    SetEntry *e = next_entry(so, &si->pos);
    Value k = e ? incref(e->key) : VAL_NULL;
    if (e)
        si->len--;
    TABLE_UNLOCK(so);
    if (!e) {
        if (!obj_locking)
            clear_ref(&si->set);
        return VAL_NULL;
    }
    return k;
}

static Value setiter_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("set_iterator.__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    SetIter *si = (SetIter *)val_obj(self);
    int64_t n = 0;
    if (si->set) {
        SetObj *so = as_set(si->set);
        TABLE_LOCK(so);
        if (si->used == (int64_t)so->used)
            n = si->len;
        TABLE_UNLOCK(so);
    }
    return small_new(n);
}

static const MethodDef setiter_methods[] = {
    {"__length_hint__", setiter_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type set_iter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "set_iterator",
    .basic_size = sizeof(SetIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = setiter_dealloc,
    .iter = self_iter,
    .iternext = setiter_next,
};

// Constructors

static int no_kwargs(const char *name, Value kwnames) {
    if (kwnames && tuple_len(kwnames) > 0)
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    return 0;
}

static Value set_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return alloc_set(t);
}

static int set_init_slot(Value self, Value *args, size_t nargs, Value kwnames) {
    if (no_kwargs("set", kwnames) < 0)
        return -1;
    if (nargs > 1)
        return exc_raise_int(&exc_TypeError, "%s expected at most 1 argument, got %zu",
                             type_name(val_type(self)), nargs);
    SetObj *so = as_set(self);
    if (so->fill && clear_internal(so) < 0)
        return -1;
    so->hash = -1;
    if (nargs == 0)
        return 0;
    return update_internal(so, args[0]);
}

static Value frozenset_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    if (t == &frozenset_type && no_kwargs("frozenset", kwnames) < 0)
        return VAL_NULL;
    if (nargs > 1)
        return exc_raise(&exc_TypeError, "%s expected at most 1 argument, got %zu", type_name(t),
                         nargs);
    Value iterable = nargs ? args[0] : VAL_NULL;
    if (t == &frozenset_type && iterable && val_is_obj(iterable) &&
        val_obj(iterable)->type == &frozenset_type)
        return incref(iterable);
    return make_new_set(t, iterable);
}

static int frozenset_init_slot(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return 0;
}

// ---------------------------------------------------------------------------
// Methods

#define NOARGS(name)                                          \
    do {                                                      \
        UNUSED(args);                                         \
        if (args_check("set." name, nargs, kwnames, 0, 0) < 0)       \
            return VAL_NULL;                                  \
    } while (0)
#define ONEARG(name)                                          \
    do {                                                      \
        if (args_check("set." name, nargs, kwnames, 1, 1) < 0)       \
            return VAL_NULL;                                  \
    } while (0)
#define VARARGS(name)                                         \
    do {                                                      \
        if (no_kwargs("set." name, kwnames) < 0)              \
            return VAL_NULL;                                  \
    } while (0)

static Value ret_none(int rc) { return rc < 0 ? VAL_NULL : incref(VAL_NONE); }
static Value ret_bool(int rc) { return rc < 0 ? VAL_NULL : bool_val(rc); }

static Value m_add(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("add");
    return ret_none(add_key(as_set(self), args[0]));
}

static Value m_discard(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("discard");
    return ret_none(set_discard(self, args[0]));
}

static Value m_remove(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("remove");
    int rv = set_discard(self, args[0]);
    if (rv < 0)
        return VAL_NULL;
    if (rv == 0)
        return exc_raise_value(&exc_KeyError, args[0]);
    return incref(VAL_NONE);
}

static Value m_pop(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("pop");
    SetObj *so = as_set(self);
    TABLE_LOCK(so);
    if (so->used == 0) {
        TABLE_UNLOCK(so);
        return exc_raise(&exc_KeyError, "pop from an empty set");
    }
    SetEntry *entry = so->table + (so->finger & so->mask);
    SetEntry *limit = so->table + so->mask;
    while (entry->key == VAL_NULL || entry->key == DUMMY) {
        entry++;
        if (entry > limit)
            entry = so->table;
    }
    Value key = entry->key;
    entry->key = DUMMY;
    entry->hash = -1;
    so->used--;
    so->finger = (size_t)(entry - so->table) + 1;
    TABLE_UNLOCK(so);
    return key;
}

static Value m_clear(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("clear");
    return ret_none(clear_internal(as_set(self)));
}

static Value m_copy(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("copy");
    return set_copy(self);
}

static Value m_frozen_copy(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("frozenset.copy", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    if (val_type(self) == &frozenset_type)
        return incref(self);
    return set_copy(self);
}

static Value m_update(Value self, Value *args, size_t nargs, Value kwnames) {
    VARARGS("update");
    for (size_t i = 0; i < nargs; i++)
        if (update_internal(as_set(self), args[i]) < 0)
            return VAL_NULL;
    return incref(VAL_NONE);
}

static Value m_union(Value self, Value *args, size_t nargs, Value kwnames) {
    VARARGS("union");
    Value result = set_copy(self);
    if (!result)
        return VAL_NULL;
    for (size_t i = 0; i < nargs; i++) {
        if (args[i] == self)
            continue;
        if (update_internal(as_set(result), args[i]) < 0) {
            decref(result);
            return VAL_NULL;
        }
    }
    return result;
}

static Value intersection_multi(Value self, Value *args, size_t nargs) {
    if (nargs == 0)
        return set_copy(self);
    Value result = incref(self);
    for (size_t i = 0; i < nargs; i++) {
        Value n = set_intersection(result, args[i]);
        decref(result);
        if (!n)
            return VAL_NULL;
        result = n;
    }
    return result;
}

static Value m_intersection(Value self, Value *args, size_t nargs, Value kwnames) {
    VARARGS("intersection");
    return intersection_multi(self, args, nargs);
}

static Value m_intersection_update(Value self, Value *args, size_t nargs, Value kwnames) {
    VARARGS("intersection_update");
    Value tmp = intersection_multi(self, args, nargs);
    if (!tmp)
        return VAL_NULL;
    swap_bodies(as_set(self), as_set(tmp));
    decref(tmp);
    return incref(VAL_NONE);
}

static Value m_difference(Value self, Value *args, size_t nargs, Value kwnames) {
    VARARGS("difference");
    if (nargs == 0)
        return set_copy(self);
    Value result = set_difference(self, args[0]);
    for (size_t i = 1; result && i < nargs; i++)
        if (difference_update_internal(as_set(result), args[i]) < 0)
            clear_ref(&result);
    return result;
}

static Value m_difference_update(Value self, Value *args, size_t nargs, Value kwnames) {
    VARARGS("difference_update");
    for (size_t i = 0; i < nargs; i++)
        if (difference_update_internal(as_set(self), args[i]) < 0)
            return VAL_NULL;
    return incref(VAL_NONE);
}

static Value m_symmetric_difference(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("symmetric_difference");
    return set_symmetric_difference(self, args[0]);
}

static Value m_symmetric_difference_update(Value self, Value *args, size_t nargs,
                                           Value kwnames) {
    ONEARG("symmetric_difference_update");
    return ret_none(set_symmetric_difference_update(self, args[0]));
}

static Value m_issubset(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("issubset");
    return ret_bool(issubset(self, args[0]));
}

static Value m_issuperset(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("issuperset");
    return ret_bool(issuperset(self, args[0]));
}

static Value m_isdisjoint(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("isdisjoint");
    return ret_bool(isdisjoint(self, args[0]));
}

static Value m_contains(Value self, Value *args, size_t nargs, Value kwnames) {
    ONEARG("__contains__");
    return ret_bool(set_contains(self, args[0]));
}

static Value m_init(Value self, Value *args, size_t nargs, Value kwnames) {
    return set_init_slot(self, args, nargs, kwnames) < 0 ? VAL_NULL : incref(VAL_NONE);
}

static Value m_len(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("__len__");
    return small_new((intptr_t)as_set(self)->used);
}

static Value m_iter(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("__iter__");
    return set_iter(self);
}

static Value m_repr(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("__repr__");
    return set_repr(self);
}

static const MethodDef set_methods[] = {
    {"__init__", m_init, 0, NULL},
    {"__len__", m_len, 0, NULL},
    {"__iter__", m_iter, 0, NULL},
    {"__repr__", m_repr, 0, NULL},
    {"add", m_add, 0, NULL},
    {"clear", m_clear, 0, NULL},
    {"__contains__", m_contains, 0, NULL},
    {"copy", m_copy, 0, NULL},
    {"discard", m_discard, 0, NULL},
    {"difference", m_difference, 0, NULL},
    {"difference_update", m_difference_update, 0, NULL},
    {"intersection", m_intersection, 0, NULL},
    {"intersection_update", m_intersection_update, 0, NULL},
    {"isdisjoint", m_isdisjoint, 0, NULL},
    {"issubset", m_issubset, 0, NULL},
    {"issuperset", m_issuperset, 0, NULL},
    {"pop", m_pop, 0, NULL},
    {"remove", m_remove, 0, NULL},
    {"symmetric_difference", m_symmetric_difference, 0, NULL},
    {"symmetric_difference_update", m_symmetric_difference_update, 0, NULL},
    {"union", m_union, 0, NULL},
    {"update", m_update, 0, NULL},
    {NULL, NULL, 0, NULL},
};

static const MethodDef frozenset_methods[] = {
    {"__len__", m_len, 0, NULL},
    {"__iter__", m_iter, 0, NULL},
    {"__repr__", m_repr, 0, NULL},
    {"__contains__", m_contains, 0, NULL},
    {"copy", m_frozen_copy, 0, NULL},
    {"difference", m_difference, 0, NULL},
    {"intersection", m_intersection, 0, NULL},
    {"isdisjoint", m_isdisjoint, 0, NULL},
    {"issubset", m_issubset, 0, NULL},
    {"issuperset", m_issuperset, 0, NULL},
    {"symmetric_difference", m_symmetric_difference, 0, NULL},
    {"union", m_union, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type set_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "set",
    .basic_size = sizeof(SetObj),
    .tflags = TF_BASETYPE,
    .dealloc = set_dealloc,
    .new_ = set_new_slot,
    .init = set_init_slot,
    .repr = set_repr,
    .hash = set_unhashable,
    .richcmp = set_richcmp,
    .iter = set_iter,
    .nb = {[NB_SUB] = set_sub, [NB_AND] = set_and, [NB_OR] = set_or, [NB_XOR] = set_xor},
    .nb_inplace = {[NB_SUB] = set_isub, [NB_AND] = set_iand, [NB_OR] = set_ior,
                   [NB_XOR] = set_ixor},
    .nb_bool = set_bool,
    .len = set_len_slot,
    .contains = set_contains_slot,
};

Type frozenset_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "frozenset",
    .basic_size = sizeof(SetObj),
    .tflags = TF_BASETYPE,
    .dealloc = set_dealloc,
    .new_ = frozenset_new_slot,
    .init = frozenset_init_slot,
    .repr = set_repr,
    .hash = frozenset_hash,
    .richcmp = set_richcmp,
    .iter = set_iter,
    .nb = {[NB_SUB] = set_sub, [NB_AND] = set_and, [NB_OR] = set_or, [NB_XOR] = set_xor},
    .nb_bool = set_bool,
    .len = set_len_slot,
    .contains = set_contains_slot,
};

void set_type_init(void) {
    type_ready(&set_type);
    type_add_methods(&set_type, set_methods);
    type_ready(&frozenset_type);
    type_add_methods(&frozenset_type, frozenset_methods);
    type_ready(&set_iter_type);
    type_add_methods(&set_iter_type, setiter_methods);
}
