// list: a growable array of values, its iterators, and the container
// trashcan shared with tuple.c.
//
// Invariants: items[0, len) are live references owned by the list; cap >= len;
// items may be NULL when cap == 0. A list may change under any call back into
// Python code (val_eq, val_richcmp, repr, __index__, iteration of an
// argument): every loop re-reads len after such a call and takes a reference
// to an item before calling out, so no freed item is ever used.
//
// Locking: every access to len/cap/items happens between LOCK(l) and
// UNLOCK(l). In GIL builds they are empty; free-threaded mode makes them the
// per-object critical section. No code calls back into Python or decrefs a
// value (a dealloc may run Python code) while holding it: operations copy or
// incref under the lock, then call out, and drop replaced items after
// unlocking.
//
// Sorting (list_sort) empties the list for the duration of the sort as
// CPython does, so mutation from a comparison is harmless and detected
// ("list modified during sort"). The algorithm is a stable natural merge
// sort that builds runs exactly as CPython's timsort does (count_run plus
// binary insertion up to minrun), so lists shorter than 64 items see the
// same sequence of comparisons as in CPython; longer lists are merged without
// galloping (same result, different comparison sequence).
#include "list.h"

#include "abstract.h"
#include "code.h"   // exc.h uses Code without including code.h
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "seq.h"
#include "str.h"
#include "tuple.h"

#ifndef BEGIN_CRITICAL
#define LOCK(l) ((void)(l))
#define UNLOCK(l) ((void)(l))
#else
#define LOCK(l) BEGIN_CRITICAL(val_obj(l))
#define UNLOCK(l) END_CRITICAL(val_obj(l))
#endif

#define LIST_MAX_LEN ((size_t)INT64_MAX / sizeof(Value) / 2)

// ---------------------------------------------------------------------------
// Trashcan: bounded-depth container deallocation, per thread.

#define TRASH_LIMIT 64

static _Thread_local int trash_depth;
static _Thread_local bool trash_draining;
static _Thread_local Object **trash_pending;
static _Thread_local size_t trash_n, trash_cap;

bool list_trash_begin(Object *o) {
    if (trash_depth >= TRASH_LIMIT) {
        if (trash_n == trash_cap) {
            size_t cap = trash_cap ? trash_cap * 2 : 64;
            Object **p = realloc(trash_pending, cap * sizeof *p);
            if (p) {
                trash_pending = p;
                trash_cap = cap;
            }
        }
        if (trash_n < trash_cap) {
            trash_pending[trash_n++] = o;
            return false;
        }
        // Out of memory: recurse after all.
    }
    trash_depth++;
    return true;
}

void list_trash_end(void) {
    trash_depth--;
    if (trash_depth > 0 || trash_draining)
        return;
    trash_draining = true;
    while (trash_n > 0) {
        Object *o = trash_pending[--trash_n];
        o->type->dealloc(o);
    }
    trash_draining = false;
}

// ---------------------------------------------------------------------------
// Storage (callers hold the lock)

// Make room for [need] items. -1 with MemoryError.
static int reserve(List *l, size_t need) {
    if (need <= l->cap)
        return 0;
    if (need > LIST_MAX_LEN) {
        exc_nomemory();
        return -1;
    }
    // CPython's growth pattern (~1/8 extra plus a little) for small lists;
    // large ones grow by half so that realloc copies stay rare.
    size_t cap = need > 65536 ? need + (need >> 1) : (need + (need >> 3) + 6) & ~(size_t)3;
    if (cap < need)
        cap = need;
    Value *items = realloc(l->items, cap * sizeof(Value));
    if (!items) {
        exc_nomemory();
        return -1;
    }
    l->items = items;
    l->cap = cap;
    return 0;
}

static void drop_array(Value *items, size_t n) {
    for (size_t i = 0; i < n; i++)
        decref(items[i]);
    free(items);
}

static Value alloc_list(Type *t, size_t cap) {
    List *l = obj_alloc(t, t->basic_size > sizeof(List) ? t->basic_size : sizeof(List));
    if (!l)
        return VAL_NULL;
    if (cap) {
        if (cap > LIST_MAX_LEN || !(l->items = malloc(cap * sizeof(Value)))) {
            obj_free(&l->ob);
            return exc_nomemory();
        }
        l->cap = cap;
    }
    return obj_val(l);
}

Value list_new(size_t cap) { return alloc_list(&list_type, cap); }

Value list_from_array(const Value *items, size_t n) {
    Value l = list_new(n);
    if (!l)
        return VAL_NULL;
    for (size_t i = 0; i < n; i++)
        as_list(l)->items[i] = incref(items[i]);
    as_list(l)->len = n;
    return l;
}

// A list adopting [items] (new references, malloc'd, [n] long).
static Value list_adopt(Value *items, size_t n) {
    Value l = list_new(0);
    if (!l) {
        drop_array(items, n);
        return VAL_NULL;
    }
    as_list(l)->items = items;
    as_list(l)->len = n;
    as_list(l)->cap = n;
    if (n == 0) {
        free(items);
        as_list(l)->items = NULL;
    }
    return l;
}

Value *list_copy_items(Value l, size_t *n) {
    LOCK(l);
    List *lp = as_list(l);
    size_t len = lp->len;
    Value *items = malloc((len ? len : 1) * sizeof(Value));
    if (items)
        for (size_t i = 0; i < len; i++)
            items[i] = incref(lp->items[i]);
    UNLOCK(l);
    if (!items) {
        exc_nomemory();
        return NULL;
    }
    *n = len;
    return items;
}

size_t list_len(Value l) {
    LOCK(l);
    size_t n = as_list(l)->len;
    UNLOCK(l);
    return n;
}

int list_append_steal(Value l, Value v) {
    LOCK(l);
    List *lp = as_list(l);
    int r = reserve(lp, lp->len + 1);
    if (r == 0)
        lp->items[lp->len++] = v;
    UNLOCK(l);
    if (r < 0)
        decref(v);
    return r;
}

int list_append(Value l, Value v) { return list_append_steal(l, incref(v)); }

// Append [n] new references (stolen even on failure).
static int append_array_steal(Value l, Value *items, size_t n) {
    LOCK(l);
    List *lp = as_list(l);
    int r = n > LIST_MAX_LEN - lp->len ? (exc_nomemory(), -1) : reserve(lp, lp->len + n);
    if (r == 0 && n > 0) {
        memcpy(lp->items + lp->len, items, n * sizeof(Value));
        lp->len += n;
    }
    UNLOCK(l);
    if (r < 0)
        for (size_t i = 0; i < n; i++)
            decref(items[i]);
    return r;
}

// A snapshot of any iterable as an array of new references. [msg], when
// given, replaces the TypeError of a non-iterable (PySequence_Fast).
static Value *snapshot(Value v, size_t *n, const char *msg) {
    if (val_is_list(v))
        return list_copy_items(v, n);
    if (val_is_tuple(v)) {
        size_t len = tuple_len(v);
        Value *items = malloc((len ? len : 1) * sizeof(Value));
        if (!items) {
            exc_nomemory();
            return NULL;
        }
        for (size_t i = 0; i < len; i++)
            items[i] = incref(tuple_get(v, i));
        *n = len;
        return items;
    }
    Value it = val_iter(v);
    if (!it) {
        if (msg && exc_matches(&exc_TypeError)) {
            exc_clear();
            exc_raise(&exc_TypeError, "%s", msg);
        }
        return NULL;
    }
    size_t len = 0, cap = 8;
    Value *items = malloc(cap * sizeof(Value));
    if (!items) {
        decref(it);
        exc_nomemory();
        return NULL;
    }
    for (;;) {
        Value x = val_next(it);
        if (!x) {
            if (exc_occurred())
                goto fail;
            break;
        }
        if (len == cap) {
            Value *p = cap > LIST_MAX_LEN / 2 ? NULL : realloc(items, cap * 2 * sizeof(Value));
            if (!p) {
                decref(x);
                exc_nomemory();
                goto fail;
            }
            items = p;
            cap *= 2;
        }
        items[len++] = x;
    }
    decref(it);
    *n = len;
    return items;
fail:
    decref(it);
    drop_array(items, len);
    return NULL;
}

int list_extend(Value l, Value iterable) {
    size_t n;
    Value *items = snapshot(iterable, &n, NULL);
    if (!items)
        return -1;
    int r = append_array_steal(l, items, n);
    free(items);
    return r;
}

Value list_from_iterable(Value it) {
    size_t n;
    Value *items = snapshot(it, &n, NULL);
    return items ? list_adopt(items, n) : VAL_NULL;
}

Value list_get_new(Value l, int64_t i) {
    Value r = VAL_NULL;
    LOCK(l);
    List *lp = as_list(l);
    if (i < 0)
        i += (int64_t)lp->len;
    if (i >= 0 && i < (int64_t)lp->len)
        r = incref(lp->items[i]);
    UNLOCK(l);
    if (!r)
        exc_raise(&exc_IndexError, "list index out of range");
    return r;
}

// The item at [i] as a new reference, or VAL_NULL (no exception) past the end.
static ALWAYS_INLINE Value item_at(Value l, size_t i) {
    Value r = VAL_NULL;
    LOCK(l);
    if (i < as_list(l)->len)
        r = incref(as_list(l)->items[i]);
    UNLOCK(l);
    return r;
}

Value list_copy(Value l) {
    size_t n;
    Value *items = list_copy_items(l, &n);
    return items ? list_adopt(items, n) : VAL_NULL;
}

int list_insert(Value l, int64_t where, Value v) {
    LOCK(l);
    List *lp = as_list(l);
    int64_t n = (int64_t)lp->len;
    if (where < 0) {
        where += n;
        if (where < 0)
            where = 0;
    }
    if (where > n)
        where = n;
    int r = reserve(lp, lp->len + 1);
    if (r == 0) {
        memmove(lp->items + where + 1, lp->items + where, (size_t)(n - where) * sizeof(Value));
        lp->items[where] = incref(v);
        lp->len++;
    }
    UNLOCK(l);
    return r;
}

Value list_pop(Value l, int64_t i) {
    Value r = VAL_NULL;
    const char *err = NULL;
    LOCK(l);
    List *lp = as_list(l);
    int64_t n = (int64_t)lp->len;
    if (n == 0)
        err = "pop from empty list";
    else {
        if (i < 0)
            i += n;
        if (i < 0 || i >= n)
            err = "pop index out of range";
        else {
            r = lp->items[i];
            memmove(lp->items + i, lp->items + i + 1, (size_t)(n - i - 1) * sizeof(Value));
            lp->len--;
        }
    }
    UNLOCK(l);
    if (err)
        exc_raise(&exc_IndexError, "%s", err);
    return r;
}

int list_clear(Value l) {
    LOCK(l);
    List *lp = as_list(l);
    Value *items = lp->items;
    size_t n = lp->len;
    lp->items = NULL;
    lp->len = lp->cap = 0;
    UNLOCK(l);
    // Drop from the end so a destructor that looks at the list sees it empty.
    if (items) {
        while (n-- > 0)
            decref(items[n]);
        free(items);
    }
    return 0;
}

int list_reverse(Value l) {
    LOCK(l);
    List *lp = as_list(l);
    if (lp->len > 1)
        for (size_t i = 0, j = lp->len - 1; i < j; i++, j--) {
            Value t = lp->items[i];
            lp->items[i] = lp->items[j];
            lp->items[j] = t;
        }
    UNLOCK(l);
    return 0;
}

static void list_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    List *l = (List *)o;
    if (l->items) {
        for (size_t i = l->len; i-- > 0;)
            decref(l->items[i]);
        free(l->items);
        l->items = NULL;
    }
    l->len = l->cap = 0;
    obj_free(o);
    list_trash_end();
}

// ---------------------------------------------------------------------------
// Sorting

typedef struct {
    Value key;    // compared (== val when there is no key function)
    Value val;
} SortItem;

// *lt = key a < key b. -1 on error.
static int sort_lt(const SortItem *a, const SortItem *b, int *lt) {
    *lt = val_richcmp_bool(a->key, b->key, CMP_LT);
    return *lt < 0 ? -1 : 0;
}

static void reverse_items(SortItem *lo, SortItem *hi) {
    for (--hi; lo < hi; lo++, hi--) {
        SortItem t = *lo;
        *lo = *hi;
        *hi = t;
    }
}

// Length of the run at [lo, hi); a strictly descending run is reported by
// *descending (CPython's count_run).
static int64_t count_run(SortItem *lo, SortItem *hi, bool *descending) {
    *descending = false;
    if (lo + 1 == hi)
        return 1;
    int lt;
    if (sort_lt(lo + 1, lo, &lt) < 0)
        return -1;
    int64_t n = 2;
    if (lt) {
        *descending = true;
        for (SortItem *p = lo + 2; p < hi; p++, n++) {
            if (sort_lt(p, p - 1, &lt) < 0)
                return -1;
            if (!lt)
                break;
        }
    } else {
        for (SortItem *p = lo + 2; p < hi; p++, n++) {
            if (sort_lt(p, p - 1, &lt) < 0)
                return -1;
            if (lt)
                break;
        }
    }
    return n;
}

// Binary insertion sort of [lo, hi) where [lo, start) is already sorted.
// On error the slice is still a permutation of its input.
static int binary_sort(SortItem *lo, SortItem *hi, SortItem *start) {
    if (lo == start)
        start++;
    for (; start < hi; start++) {
        SortItem pivot = *start;
        SortItem *l = lo, *r = start;
        do {
            SortItem *p = l + ((r - l) >> 1);
            int lt;
            if (sort_lt(&pivot, p, &lt) < 0)
                return -1;
            if (lt)
                r = p;
            else
                l = p + 1;
        } while (l < r);
        memmove(l + 1, l, (size_t)(start - l) * sizeof(SortItem));
        *l = pivot;
    }
    return 0;
}

static int64_t compute_minrun(int64_t n) {
    int64_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

// Merge the sorted runs [a, a+na) and [a+na, a+na+nb) using [tmp] (na slots).
// On error the remaining items are copied back so nothing is lost.
static int merge_runs(SortItem *a, size_t na, size_t nb, SortItem *tmp) {
    memcpy(tmp, a, na * sizeof(SortItem));
    SortItem *dst = a, *left = tmp, *lend = tmp + na, *right = a + na, *rend = a + na + nb;
    int r = 0;
    while (left < lend && right < rend) {
        int lt;
        if (sort_lt(right, left, &lt) < 0) {
            r = -1;
            break;
        }
        *dst++ = lt ? *right++ : *left++;
    }
    // Whatever remains of the left run fills the gap up to [right].
    memcpy(dst, left, (size_t)(lend - left) * sizeof(SortItem));
    return r;
}

static int sort_items(SortItem *items, size_t n) {
    if (n < 2)
        return 0;
    int64_t minrun = compute_minrun((int64_t)n);
    size_t *runs = malloc((n + 1) * sizeof(size_t));   // run start offsets
    SortItem *tmp = malloc(n * sizeof(SortItem));
    if (!runs || !tmp) {
        free(runs);
        free(tmp);
        exc_nomemory();
        return -1;
    }
    size_t nruns = 0, pos = 0;
    int r = 0;
    while (pos < n) {
        bool desc;
        int64_t len = count_run(items + pos, items + n, &desc);
        if (len < 0) {
            r = -1;
            goto done;
        }
        if (desc)
            reverse_items(items + pos, items + pos + len);
        if (len < minrun) {
            int64_t force = (int64_t)(n - pos) < minrun ? (int64_t)(n - pos) : minrun;
            if (binary_sort(items + pos, items + pos + force, items + pos + len) < 0) {
                r = -1;
                goto done;
            }
            len = force;
        }
        runs[nruns++] = pos;
        pos += (size_t)len;
    }
    runs[nruns] = n;
    // Merge adjacent runs pairwise until one remains.
    while (nruns > 1) {
        size_t out = 0;
        for (size_t i = 0; i < nruns; i += 2) {
            if (i + 1 < nruns) {
                size_t a = runs[i], b = runs[i + 1], c = runs[i + 2];
                if (merge_runs(items + a, b - a, c - b, tmp) < 0) {
                    r = -1;
                    goto done;
                }
            }
            runs[out++] = runs[i];
        }
        runs[out] = n;
        nruns = out;
    }
done:
    free(runs);
    free(tmp);
    return r;
}

int list_sort(Value l, Value key, bool reverse) {
    if (key == VAL_NONE)
        key = VAL_NULL;
    // Take the items out: the list is empty while the sort runs.
    LOCK(l);
    List *lp = as_list(l);
    Value *saved = lp->items;
    size_t n = lp->len, saved_cap = lp->cap;
    lp->items = NULL;
    lp->len = lp->cap = 0;
    UNLOCK(l);

    int r = 0;
    SortItem *si = n ? malloc(n * sizeof(SortItem)) : NULL;
    size_t nkeys = 0;
    if (n && !si) {
        exc_nomemory();
        r = -1;
        goto restore;
    }
    for (size_t i = 0; i < n; i++) {
        si[i].val = saved[i];
        si[i].key = saved[i];
    }
    if (key) {
        for (; nkeys < n; nkeys++) {
            Value k = val_call1(key, saved[nkeys]);
            if (!k) {
                r = -1;
                goto restore;
            }
            si[nkeys].key = k;
        }
    }
    if (reverse && n > 1)
        reverse_items(si, si + n);
    r = sort_items(si, n);
    if (reverse && n > 1)
        reverse_items(si, si + n);
    for (size_t i = 0; i < n; i++)
        saved[i] = si[i].val;

restore:
    if (si) {
        for (size_t i = 0; i < nkeys; i++)
            decref(si[i].key);
        free(si);
    }
    LOCK(l);
    Value *final = lp->items;
    size_t final_n = lp->len;
    bool modified = final != NULL || final_n != 0;
    lp->items = saved;
    lp->len = n;
    lp->cap = saved_cap;
    UNLOCK(l);
    if (final)
        drop_array(final, final_n);
    if (modified && r == 0) {
        exc_raise(&exc_ValueError, "list modified during sort");
        r = -1;
    }
    return r;
}

// ---------------------------------------------------------------------------
// Argument helpers (CPython's wording for each method)

static bool has_kw(Value kwnames) { return kwnames && tuple_len(kwnames) > 0; }

static int one_arg(const char *name, size_t nargs, Value kwnames) {
    if (has_kw(kwnames))
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    if (nargs != 1)
        return exc_raise_int(&exc_TypeError, "%s() takes exactly one argument (%zu given)", name, nargs);
    return 0;
}

static int no_args(const char *name, size_t nargs, Value kwnames) {
    if (has_kw(kwnames))
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    if (nargs != 0)
        return exc_raise_int(&exc_TypeError, "%s() takes no arguments (%zu given)", name, nargs);
    return 0;
}

static int range_args(const char *name, size_t nargs, Value kwnames, size_t min, size_t max) {
    if (has_kw(kwnames))
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    if (nargs < min)
        return exc_raise_int(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", name,
                             min == max ? "" : "at least ", min, min == 1 ? "" : "s", nargs);
    if (nargs > max)
        return exc_raise_int(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", name,
                             min == max ? "" : "at most ", max, max == 1 ? "" : "s", nargs);
    return 0;
}

// An integer argument through __index__ ("'str' object cannot be
// interpreted as an integer").
static int int_arg(Value v, int64_t *out) {
    if (val_is_small(v)) {
        *out = small_get(v);
        return 0;
    }
    if (!val_is_int(v) && !val_type(v)->nb_index)
        return exc_raise_int(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             val_type_name(v));
    return val_index_i64(v, out);
}

// ---------------------------------------------------------------------------
// Slots

static int64_t list_len_slot(Value self) { return (int64_t)list_len(self); }

static Value list_repr(Value self) {
    if (list_len(self) == 0)
        return str_from_cstr("[]");
    int re = repr_enter(self);
    if (re != 0)
        return re > 0 ? str_from_cstr("[...]") : VAL_NULL;
    Value parts = list_new(0), result = VAL_NULL;
    if (!parts)
        goto done;
    for (size_t i = 0;; i++) {
        Value item = item_at(self, i);
        if (!item)
            break;
        Value s = val_repr(item);
        decref(item);
        if (!s || list_append_steal(parts, s) < 0)
            goto done;
    }
    Value sep = str_from_cstr(", ");
    if (!sep)
        goto done;
    Value body = str_join(sep, parts);
    decref(sep);
    if (!body)
        goto done;
    result = str_printf("[%s]", str_cstr(body));
    decref(body);
done:
    decref(parts);
    repr_leave(self);
    return result;
}

static int list_hash(Value self, int64_t *out) {
    UNUSED(out);
    return exc_raise_int(&exc_TypeError, "unhashable type: '%s'", val_type_name(self));
}

static Value list_richcmp(Value a, Value b, int op) {
    if (!val_is_list(a) || !val_is_list(b))
        return incref(VAL_NOTIMPL);
    if (list_len(a) != list_len(b) && (op == CMP_EQ || op == CMP_NE))
        return incref(bool_val(op == CMP_NE));
    size_t i;
    Value x = VAL_NULL, y = VAL_NULL;
    for (i = 0;; i++) {
        x = item_at(a, i);
        y = item_at(b, i);
        if (!x || !y)
            break;
        int k = x == y ? 1 : val_eq(x, y);
        if (k < 0) {
            decref(x);
            decref(y);
            return VAL_NULL;
        }
        if (!k)
            break;
        clear_ref(&x);
        clear_ref(&y);
    }
    if (!x || !y) {
        decref(x);
        decref(y);
        return tuple_cmp_sizes((int64_t)list_len(a), (int64_t)list_len(b), op);
    }
    Value r;
    if (op == CMP_EQ)
        r = incref(VAL_FALSE);
    else if (op == CMP_NE)
        r = incref(VAL_TRUE);
    else
        r = val_richcmp(x, y, op);
    decref(x);
    decref(y);
    return r;
}

static int index_key(Value key, int64_t *out) {
    if (val_is_small(key)) {
        *out = small_get(key);
        return 0;
    }
    if (!val_is_int(key) && !val_type(key)->nb_index)
        return exc_raise_int(&exc_TypeError, "list indices must be integers or slices, not %s",
                             val_type_name(key));
    if (val_index_i64(key, out) < 0) {
        if (exc_matches(&exc_OverflowError)) {
            exc_clear();
            exc_raise(&exc_IndexError, "cannot fit 'int' into an index-sized integer");
        }
        return -1;
    }
    return 0;
}

static bool is_slice(Value v) { return val_is_obj(v) && val_obj(v)->type == &slice_type; }

// Re-clamp slice indices computed for an older length (a __index__ call in
// slice_indices may have changed the list).
static void reclamp(int64_t len, int64_t *start, int64_t *stop, int64_t step, int64_t *slicelen) {
    if (step > 0) {
        if (*start > len)
            *start = len;
        if (*stop > len)
            *stop = len;
        *slicelen = *stop > *start ? (*stop - *start - 1) / step + 1 : 0;
    } else {
        if (*start > len - 1)
            *start = len - 1;
        if (*stop > len - 1)
            *stop = len - 1;
        *slicelen = *stop < *start ? (*start - *stop - 1) / (-step) + 1 : 0;
    }
}

static Value list_getitem(Value self, Value key) {
    if (!is_slice(key)) {
        int64_t i;
        if (index_key(key, &i) < 0)
            return VAL_NULL;
        return list_get_new(self, i);
    }
    int64_t start, stop, step, slicelen;
    if (slice_indices(key, (int64_t)list_len(self), &start, &stop, &step, &slicelen) < 0)
        return VAL_NULL;
    Value r = list_new(0);
    if (!r)
        return VAL_NULL;
    LOCK(self);
    List *lp = as_list(self);
    reclamp((int64_t)lp->len, &start, &stop, step, &slicelen);
    if (slicelen > 0 && reserve(as_list(r), (size_t)slicelen) == 0) {
        for (int64_t i = 0, j = start; i < slicelen; i++, j += step)
            as_list(r)->items[i] = incref(lp->items[j]);
        as_list(r)->len = (size_t)slicelen;
    }
    UNLOCK(self);
    if ((int64_t)as_list(r)->len != slicelen) {
        decref(r);
        return VAL_NULL;
    }
    return r;
}

// self[start:stop] = items[0, n) (stolen new references; n may be 0 to delete).
static int replace_simple(Value self, int64_t start, int64_t stop, Value *items, size_t n) {
    Value *old = NULL;
    size_t nold = 0;
    int r = 0;
    LOCK(self);
    List *lp = as_list(self);
    int64_t len = (int64_t)lp->len;
    if (start < 0)
        start = 0;
    if (start > len)
        start = len;
    if (stop < start)
        stop = start;
    if (stop > len)
        stop = len;
    nold = (size_t)(stop - start);
    if (nold) {
        old = malloc(nold * sizeof(Value));
        if (!old) {
            exc_nomemory();
            r = -1;
            goto out;
        }
        memcpy(old, lp->items + start, nold * sizeof(Value));
    }
    if (n > nold && reserve(lp, lp->len + (n - nold)) < 0) {
        r = -1;
        goto out;
    }
    memmove(lp->items + start + n, lp->items + stop, (size_t)(len - stop) * sizeof(Value));
    if (n)
        memcpy(lp->items + start, items, n * sizeof(Value));
    lp->len = lp->len - nold + n;
out:
    UNLOCK(self);
    if (r < 0) {
        for (size_t i = 0; i < n; i++)
            decref(items[i]);
        free(old);
        return -1;
    }
    if (old)
        drop_array(old, nold);
    return 0;
}

static int ass_slice(Value self, Value key, Value v) {
    size_t n = 0;
    Value *items = NULL;
    int64_t start, stop, step, slicelen;
    if (slice_indices(key, (int64_t)list_len(self), &start, &stop, &step, &slicelen) < 0)
        return -1;
    if (v) {
        items = snapshot(v, &n, step == 1 ? "can only assign an iterable"
                                          : "must assign iterable to extended slice");
        if (!items)
            return -1;
    }
    if (step == 1) {
        int r = replace_simple(self, start, stop, items, n);
        free(items);
        return r;
    }
    Value *old = NULL;
    int r = 0;
    LOCK(self);
    List *lp = as_list(self);
    reclamp((int64_t)lp->len, &start, &stop, step, &slicelen);
    if (v && (int64_t)n != slicelen) {
        UNLOCK(self);
        exc_raise(&exc_ValueError, "attempt to assign sequence of size %zu to extended slice of size %lld",
                  n, (long long)slicelen);
        drop_array(items, n);
        return -1;
    }
    if (slicelen > 0 && !(old = malloc((size_t)slicelen * sizeof(Value)))) {
        UNLOCK(self);
        exc_nomemory();
        if (items)
            drop_array(items, n);
        return -1;
    }
    if (v) {
        for (int64_t i = 0, j = start; i < slicelen; i++, j += step) {
            old[i] = lp->items[j];
            lp->items[j] = items[i];
        }
    } else if (slicelen > 0) {
        // Delete: walk upward with a positive step, compacting in one pass.
        if (step < 0) {
            start = start + step * (slicelen - 1);
            step = -step;
        }
        size_t dst = (size_t)start, k = 0;
        for (size_t src = (size_t)start; src < lp->len; src++) {
            if (k < (size_t)slicelen && src == (size_t)(start + (int64_t)k * step)) {
                old[k++] = lp->items[src];
                continue;
            }
            lp->items[dst++] = lp->items[src];
        }
        lp->len = dst;
    }
    UNLOCK(self);
    free(items);
    if (old)
        drop_array(old, (size_t)slicelen);
    return r;
}

static int list_setitem(Value self, Value key, Value v) {
    if (is_slice(key))
        return ass_slice(self, key, v);
    int64_t i;
    if (index_key(key, &i) < 0)
        return -1;
    Value old = VAL_NULL;
    bool ok = false;
    LOCK(self);
    List *lp = as_list(self);
    int64_t n = (int64_t)lp->len;
    if (i < 0)
        i += n;
    if (i >= 0 && i < n) {
        ok = true;
        old = lp->items[i];
        if (v)
            lp->items[i] = incref(v);
        else {
            memmove(lp->items + i, lp->items + i + 1, (size_t)(n - i - 1) * sizeof(Value));
            lp->len--;
        }
    }
    UNLOCK(self);
    if (!ok)
        return exc_raise_int(&exc_IndexError, "list assignment index out of range");
    decref(old);
    return 0;
}

static int list_contains(Value self, Value item) {
    for (size_t i = 0;; i++) {
        Value x = item_at(self, i);
        if (!x)
            return 0;
        int k = val_eq(x, item);
        decref(x);
        if (k != 0)
            return k;
    }
}

static Value list_concat(Value a, Value b) {
    if (!val_is_list(a))
        return incref(VAL_NOTIMPL);
    if (!val_is_list(b)) {
        if ((val_type(b)->tflags & TF_HEAPTYPE) && type_lookup_cstr(val_type(b), "__radd__"))
            return incref(VAL_NOTIMPL);
        return exc_raise(&exc_TypeError, "can only concatenate list (not \"%s\") to list",
                         val_type_name(b));
    }
    size_t na, nb;
    Value *ia = list_copy_items(a, &na);
    if (!ia)
        return VAL_NULL;
    Value *ib = list_copy_items(b, &nb);
    if (!ib) {
        drop_array(ia, na);
        return VAL_NULL;
    }
    Value r = list_adopt(ia, na);
    if (!r) {
        drop_array(ib, nb);
        return VAL_NULL;
    }
    if (append_array_steal(r, ib, nb) < 0)
        clear_ref(&r);
    free(ib);
    return r;
}

static Value list_repeat(Value a, Value b) {
    Value seq = a, n = b;
    if (!val_is_list(a)) {
        seq = b;
        n = a;
    }
    if (!val_is_list(seq))
        return incref(VAL_NOTIMPL);
    if (seq == a && !val_is_int(n) && !val_type(n)->nb_index &&
        (val_type(n)->tflags & TF_HEAPTYPE) && type_lookup_cstr(val_type(n), "__rmul__"))
        return incref(VAL_NOTIMPL);
    int64_t count;
    if (tuple_repeat_count(n, &count) < 0)
        return VAL_NULL;
    size_t len;
    Value *items = list_copy_items(seq, &len);
    if (!items)
        return VAL_NULL;
    Value r = VAL_NULL;
    if (len && (uint64_t)count > LIST_MAX_LEN / len) {
        exc_nomemory();
        goto done;
    }
    r = list_new(len * (size_t)count);
    if (!r)
        goto done;
    for (int64_t k = 0; k < count; k++)
        for (size_t i = 0; i < len; i++)
            as_list(r)->items[as_list(r)->len++] = incref(items[i]);
done:
    drop_array(items, len);
    return r;
}

static Value list_inplace_concat(Value a, Value b) {
    if (list_extend(a, b) < 0)
        return VAL_NULL;
    return incref(a);
}

static Value list_inplace_repeat(Value a, Value b) {
    int64_t count;
    if (!val_is_int(b) && !val_type(b)->nb_index)
        return incref(VAL_NOTIMPL);
    if (tuple_repeat_count(b, &count) < 0)
        return VAL_NULL;
    if (count == 0) {
        list_clear(a);
        return incref(a);
    }
    int r = 0;
    LOCK(a);
    List *lp = as_list(a);
    size_t len = lp->len;
    if (len && (uint64_t)count > LIST_MAX_LEN / len) {
        exc_nomemory();
        r = -1;
    } else if (len && reserve(lp, len * (size_t)count) < 0) {
        r = -1;
    } else {
        for (int64_t k = 1; k < count; k++)
            for (size_t i = 0; i < len; i++)
                lp->items[lp->len++] = incref(lp->items[i]);
    }
    UNLOCK(a);
    return r < 0 ? VAL_NULL : incref(a);
}

static Value list_iter(Value self);

static Value list_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return alloc_list(t, 0);
}

static int list_init(Value self, Value *args, size_t nargs, Value kwnames) {
    if (has_kw(kwnames) && val_type(self) == &list_type)
        return exc_raise_int(&exc_TypeError, "list() takes no keyword arguments");
    if (nargs > 1)
        return exc_raise_int(&exc_TypeError, "list expected at most 1 argument, got %zu", nargs);
    list_clear(self);
    return nargs ? list_extend(self, args[0]) : 0;
}

// ---------------------------------------------------------------------------
// Methods

static Value list_append_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (one_arg("list.append", nargs, kwnames) < 0 || list_append(self, args[0]) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value list_extend_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (one_arg("list.extend", nargs, kwnames) < 0 || list_extend(self, args[0]) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value list_insert_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    int64_t i;
    if (range_args("insert", nargs, kwnames, 2, 2) < 0 || int_arg(args[0], &i) < 0)
        return VAL_NULL;
    if (list_insert(self, i, args[1]) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value list_pop_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    int64_t i = -1;
    if (range_args("pop", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    if (nargs && int_arg(args[0], &i) < 0) {
        if (exc_matches(&exc_OverflowError)) {
            exc_clear();
            return exc_raise(&exc_IndexError, "pop index out of range");
        }
        return VAL_NULL;
    }
    return list_pop(self, i);
}

static Value list_remove_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (one_arg("list.remove", nargs, kwnames) < 0)
        return VAL_NULL;
    for (size_t i = 0;; i++) {
        Value x = item_at(self, i);
        if (!x)
            break;
        int k = val_eq(x, args[0]);
        decref(x);
        if (k < 0)
            return VAL_NULL;
        if (k) {
            if (replace_simple(self, (int64_t)i, (int64_t)i + 1, NULL, 0) < 0)
                return VAL_NULL;
            return incref(VAL_NONE);
        }
    }
    return exc_raise(&exc_ValueError, "list.remove(x): x not in list");
}

static Value list_index_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (range_args("index", nargs, kwnames, 1, 3) < 0)
        return VAL_NULL;
    int64_t start = 0, stop = INT64_MAX;
    if (nargs > 1 && tuple_slice_arg(args[1], false, &start) < 0)
        return VAL_NULL;
    if (nargs > 2 && tuple_slice_arg(args[2], false, &stop) < 0)
        return VAL_NULL;
    int64_t len = (int64_t)list_len(self);
    tuple_adjust_range(len, &start, &stop);
    for (int64_t i = start; i < stop; i++) {
        Value x = item_at(self, (size_t)i);
        if (!x)
            break;
        int k = val_eq(x, args[0]);
        decref(x);
        if (k < 0)
            return VAL_NULL;
        if (k)
            return int_from_i64(i);
    }
    Value r = val_repr(args[0]);
    if (!r)
        return VAL_NULL;
    exc_raise(&exc_ValueError, "%s is not in list", str_cstr(r));
    decref(r);
    return VAL_NULL;
}

static Value list_count_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (one_arg("list.count", nargs, kwnames) < 0)
        return VAL_NULL;
    int64_t c = 0;
    for (size_t i = 0;; i++) {
        Value x = item_at(self, i);
        if (!x)
            break;
        int k = val_eq(x, args[0]);
        decref(x);
        if (k < 0)
            return VAL_NULL;
        c += k;
    }
    return int_from_i64(c);
}

static Value list_sort_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (nargs)
        return exc_raise(&exc_TypeError, "sort() takes no positional arguments");
    Value key = VAL_NULL;
    int reverse = 0;
    for (size_t i = 0; kwnames && i < tuple_len(kwnames); i++) {
        const char *k = str_cstr(tuple_get(kwnames, i));
        if (!strcmp(k, "key"))
            key = args[i];
        else if (!strcmp(k, "reverse")) {
            reverse = val_truthy(args[i]);
            if (reverse < 0)
                return VAL_NULL;
        } else
            return exc_raise(&exc_TypeError, "'%s' is an invalid keyword argument for sort()", k);
    }
    if (list_sort(self, key, reverse) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value list_reverse_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (no_args("list.reverse", nargs, kwnames) < 0)
        return VAL_NULL;
    list_reverse(self);
    return incref(VAL_NONE);
}

static Value list_copy_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (no_args("list.copy", nargs, kwnames) < 0)
        return VAL_NULL;
    return list_copy(self);
}

static Value list_clear_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (no_args("list.clear", nargs, kwnames) < 0)
        return VAL_NULL;
    list_clear(self);
    return incref(VAL_NONE);
}

static Value list_init_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (list_init(self, args, nargs, kwnames) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value list_len_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__len__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_i64((int64_t)list_len(self));
}

static Value list_getitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__getitem__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return list_getitem(self, args[0]);
}

static Value list_setitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__setitem__", nargs, kwnames, 2, 2) < 0 || list_setitem(self, args[0], args[1]) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value list_delitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__delitem__", nargs, kwnames, 1, 1) < 0 || list_setitem(self, args[0], VAL_NULL) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value list_contains_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__contains__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int k = list_contains(self, args[0]);
    return k < 0 ? VAL_NULL : incref(bool_val(k));
}

static Value list_iter_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__iter__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return list_iter(self);
}

Value list___reversed__(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__reversed__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return list_reversed_iter(self);
}

static Value list_add_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__add__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return list_concat(self, args[0]);
}

static Value list_iadd_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__iadd__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return list_inplace_concat(self, args[0]);
}

static Value list_mul_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__mul__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_int(args[0]) && !val_type(args[0])->nb_index)
        return incref(VAL_NOTIMPL);
    return list_repeat(self, args[0]);
}

static Value list_imul_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__imul__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return list_inplace_repeat(self, args[0]);
}

#define CMP_METH(name, op)                                                          \
    static Value list_##name##_meth(Value self, Value *args, size_t nargs, Value kw) { \
        if (args_check("__" #name "__", nargs, kw, 1, 1) < 0)                        \
            return VAL_NULL;                                                         \
        return list_richcmp(self, args[0], op);                                      \
    }
CMP_METH(lt, CMP_LT)
CMP_METH(le, CMP_LE)
CMP_METH(eq, CMP_EQ)
CMP_METH(ne, CMP_NE)
CMP_METH(gt, CMP_GT)
CMP_METH(ge, CMP_GE)
#undef CMP_METH

static const MethodDef list_methods[] = {
    {"append", list_append_meth, 0, "Append object to the end of the list."},
    {"extend", list_extend_meth, 0, "Extend list by appending elements from the iterable."},
    {"insert", list_insert_meth, 0, "Insert object before index."},
    {"pop", list_pop_meth, 0, "Remove and return item at index (default last)."},
    {"remove", list_remove_meth, 0, "Remove first occurrence of value."},
    {"index", list_index_meth, 0, "Return first index of value."},
    {"count", list_count_meth, 0, "Return number of occurrences of value."},
    {"sort", list_sort_meth, 0, "Sort the list in ascending order and return None."},
    {"reverse", list_reverse_meth, 0, "Reverse *IN PLACE*."},
    {"copy", list_copy_meth, 0, "Return a shallow copy of the list."},
    {"clear", list_clear_meth, 0, "Remove all items from list."},
    {"__init__", list_init_meth, 0, NULL},
    {"__len__", list_len_meth, 0, NULL},
    {"__getitem__", list_getitem_meth, 0, NULL},
    {"__setitem__", list_setitem_meth, 0, NULL},
    {"__delitem__", list_delitem_meth, 0, NULL},
    {"__contains__", list_contains_meth, 0, NULL},
    {"__iter__", list_iter_meth, 0, NULL},
    {"__reversed__", list___reversed__, 0, NULL},
    {"__add__", list_add_meth, 0, NULL},
    {"__iadd__", list_iadd_meth, 0, NULL},
    {"__mul__", list_mul_meth, 0, NULL},
    {"__rmul__", list_mul_meth, 0, NULL},
    {"__imul__", list_imul_meth, 0, NULL},
    {"__lt__", list_lt_meth, 0, NULL},
    {"__le__", list_le_meth, 0, NULL},
    {"__eq__", list_eq_meth, 0, NULL},
    {"__ne__", list_ne_meth, 0, NULL},
    {"__gt__", list_gt_meth, 0, NULL},
    {"__ge__", list_ge_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type list_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "list",
    .basic_size = sizeof(List),
    .tflags = TF_BASETYPE | TF_LIST_SUBCLASS,
    .dealloc = list_dealloc,
    .new_ = list_new_slot,
    .init = list_init,
    .repr = list_repr,
    .hash = list_hash,
    .richcmp = list_richcmp,
    .iter = list_iter,
    .nb = {[NB_ADD] = list_concat, [NB_MUL] = list_repeat},
    .nb_inplace = {[NB_ADD] = list_inplace_concat, [NB_MUL] = list_inplace_repeat},
    .len = list_len_slot,
    .getitem = list_getitem,
    .setitem = list_setitem,
    .contains = list_contains,
};

// ---------------------------------------------------------------------------
// Iterators: [seq] is dropped once exhausted. The reversed iterator keeps
// index = next position + 1 so that 0 means done.

static Value list_iter(Value self) {
    ListIter *it = obj_alloc(&list_iter_type, sizeof(ListIter));
    if (!it)
        return VAL_NULL;
    it->seq = incref(self);
    return obj_val(it);
}

Value list_reversed_iter(Value l) {
    ListIter *it = obj_alloc(&list_reviter_type, sizeof(ListIter));
    if (!it)
        return VAL_NULL;
    it->seq = incref(l);
    it->index = list_len(l);
    return obj_val(it);
}

static void list_iter_dealloc(Object *o) {
    clear_ref(&((ListIter *)o)->seq);
    obj_free(o);
}

static Value iter_self(Value self) { return incref(self); }

static Value list_iter_next(Value self) {
    ListIter *it = (ListIter *)val_obj(self);
    if (obj_locking) {
        // Free-threaded: threads may share one iterator (a work list handed
        // to several workers). The list stays referenced until the iterator
        // dies, so no thread can free it under another; the index is a
        // relaxed atomic, so two threads may get the same item -- sharing an
        // iterator is a race in the script, not in the VM.
        _Atomic size_t *index = (_Atomic size_t *)&it->index;
        size_t i = atomic_load_explicit(index, RELAXED);
        Value r = it->seq ? item_at(it->seq, i) : VAL_NULL;
        if (r)
            atomic_store_explicit(index, i + 1, RELAXED);
        return r;
    }
    if (!it->seq)
        return VAL_NULL;
    Value r = item_at(it->seq, it->index);
    if (r) {
        it->index++;
        return r;
    }
    clear_ref(&it->seq);
    return VAL_NULL;
}

static Value list_reviter_next(Value self) {
    ListIter *it = (ListIter *)val_obj(self);
    if (!it->seq)
        return VAL_NULL;
    Value r = it->index > 0 ? item_at(it->seq, it->index - 1) : VAL_NULL;
    if (r) {
        it->index--;
        return r;
    }
    clear_ref(&it->seq);
    it->index = 0;
    return VAL_NULL;
}

static Value list_iter_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    ListIter *it = (ListIter *)val_obj(self);
    int64_t n = 0;
    if (it->seq) {
        int64_t len = (int64_t)list_len(it->seq);
        if (val_obj(self)->type == &list_iter_type)
            n = len - (int64_t)it->index;
        else
            n = (int64_t)it->index <= len ? (int64_t)it->index : 0;
    }
    return int_from_i64(n < 0 ? 0 : n);
}

// __next__ for explicit calls: the slot, with StopIteration when exhausted.
static Value list_iter_next_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__next__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Value r = val_type(self)->iternext(self);
    if (!r && !exc_occurred())
        exc_raise_object(obj_val(&exc_StopIteration));
    return r;
}

static const MethodDef list_iter_methods[] = {
    {"__next__", list_iter_next_meth, 0, NULL},
    {"__length_hint__", list_iter_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type list_iter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "list_iterator",
    .basic_size = sizeof(ListIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = list_iter_dealloc,
    .iter = iter_self,
    .iternext = list_iter_next,
};

Type list_reviter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "list_reverseiterator",
    .basic_size = sizeof(ListIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = list_iter_dealloc,
    .iter = iter_self,
    .iternext = list_reviter_next,
};

void list_type_init(void) {
    type_ready(&list_type);
    type_add_methods(&list_type, list_methods);
    // list.__hash__ is None, as in CPython.
    if (list_type.dict)
        dict_set_cstr(list_type.dict, "__hash__", VAL_NONE);
    type_ready(&list_iter_type);
    type_add_methods(&list_iter_type, list_iter_methods);
    type_ready(&list_reviter_type);
    type_add_methods(&list_reviter_type, list_iter_methods);
}
