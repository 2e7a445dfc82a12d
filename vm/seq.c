// range, slice and the built-in iterator types: the sequence iterator (old
// __getitem__ protocol, and the list/tuple iterators), enumerate, zip, map,
// filter, reversed and the callable iterator of iter(f, sentinel).
//
// range: start/stop/step are C int64 (a range outside that is an
// OverflowError here, unlike CPython). Its length is computed once; a range
// longer than INT64_MAX (only possible with extreme bounds) iterates fine but
// len() raises OverflowError as CPython does for lengths above sys.maxsize.
// range_iterator is on the hot path of `for i in range(n)`: its iternext is a
// counter decrement and a tagged-int construction (RangeIter in seq.h, so the
// interpreter may inline it).
//
// Iterators own references to what they iterate and drop them once exhausted
// (the next call then returns VAL_NULL again, no exception). None of these
// objects is shared-mutable in a way that needs a lock: an iterator used by
// two threads at once is a race in the script, not in the VM, as long as each
// step only reads its own fields and takes new references (list items through
// list_get_new).
#include "seq.h"

#include "abstract.h"
#include "class.h"
#include "code.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "str.h"
#include "tuple.h"

static Value self_iter(Value self) { return incref(self); }

static int no_kwargs(const char *name, Value kwnames) {
    if (kwnames && tuple_len(kwnames) > 0)
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    return 0;
}

static int nargs_range(const char *name, size_t nargs, size_t min, size_t max) {
    if (nargs < min)
        return exc_raise_int(&exc_TypeError, "%s expected at least %zu argument%s, got %zu", name,
                             min, min == 1 ? "" : "s", nargs);
    if (nargs > max)
        return exc_raise_int(&exc_TypeError, "%s expected at most %zu argument%s, got %zu", name,
                             max, max == 1 ? "" : "s", nargs);
    return 0;
}

static bool is_name(Value name, const char *s) {
    return val_is_str(name) && strcmp(str_cstr(name), s) == 0;
}

static Value alloc_of(Type *t, size_t size) {
    Object *o = obj_alloc(t, t->basic_size > size ? t->basic_size : size);
    return o ? obj_val(o) : VAL_NULL;
}

// [pre] + [body] + [post] (body borrowed).
static Value wrap(const char *pre, Value body, const char *post) {
    Value p = str_from_cstr(pre), q = str_from_cstr(post);
    Value a = (p && q) ? str_concat(p, body) : VAL_NULL;
    Value r = a ? str_concat(a, q) : VAL_NULL;
    decref(p);
    decref(q);
    decref(a);
    return r;
}

// ---------------------------------------------------------------------------
// range

// Number of elements, as an unsigned count (may exceed INT64_MAX).
static uint64_t range_ulen(int64_t start, int64_t stop, int64_t step) {
    if (step > 0 && start < stop)
        return ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1;
    if (step < 0 && start > stop)
        return ((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1;
    return 0;
}

static Range *as_range(Value v) { return (Range *)val_obj(v); }

Value range_new(int64_t start, int64_t stop, int64_t step) {
    Range *r = obj_alloc(&range_type, sizeof(Range));
    if (!r)
        return VAL_NULL;
    r->start = start;
    r->stop = stop;
    r->step = step;
    uint64_t n = range_ulen(start, stop, step);
    r->len = n > (uint64_t)INT64_MAX ? -1 : (int64_t)n;
    return obj_val(r);
}

static Value int64_val(int64_t v) { return small_fits(v) ? small_new(v) : int_from_i64(v); }

// The [i]-th element (0 <= i < len).
static int64_t range_item(const Range *r, uint64_t i) {
    return (int64_t)((uint64_t)r->start + i * (uint64_t)r->step);
}

static uint64_t range_len_u(const Range *r) { return range_ulen(r->start, r->stop, r->step); }

static Value range_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(t);
    if (no_kwargs("range", kwnames) < 0 || nargs_range("range", nargs, 1, 3) < 0)
        return VAL_NULL;
    int64_t v[3] = {0, 0, 1};
    for (size_t i = 0; i < nargs; i++)
        if (val_index_i64(args[i], &v[nargs == 1 ? 1 : i]) < 0)
            return VAL_NULL;
    if (v[2] == 0)
        return exc_raise(&exc_ValueError, "range() arg 3 must not be zero");
    return range_new(v[0], v[1], v[2]);
}

static void plain_dealloc(Object *o) { obj_free(o); }

static Value range_repr(Value self) {
    Range *r = as_range(self);
    if (r->step == 1)
        return str_printf("range(%lld, %lld)", (long long)r->start, (long long)r->stop);
    return str_printf("range(%lld, %lld, %lld)", (long long)r->start, (long long)r->stop,
                      (long long)r->step);
}

static int64_t range_len_slot(Value self) {
    Range *r = as_range(self);
    if (r->len < 0)
        return exc_raise_int(&exc_OverflowError, "Python int too large to convert to C ssize_t");
    return r->len;
}

static int range_bool(Value self) { return range_len_u(as_range(self)) != 0; }

// Is the int [x] an element? (no errors)
static bool range_has_i64(const Range *r, int64_t x) {
    if (r->step > 0 ? (x < r->start || x >= r->stop) : (x > r->start || x <= r->stop))
        return false;
    uint64_t diff = r->step > 0 ? (uint64_t)x - (uint64_t)r->start
                                : (uint64_t)r->start - (uint64_t)x;
    uint64_t st = r->step > 0 ? (uint64_t)r->step : 0 - (uint64_t)r->step;
    return diff % st == 0;
}

// 1/0 for ints; -2 when [x] is not an int (the caller falls back to search).
static int range_contains_int(const Range *r, Value x) {
    if (val_is_small(x))
        return range_has_i64(r, small_get(x));
    if (!val_is_int(x))
        return -2;
    int64_t i;
    if (int_as_i64(x, &i) < 0) {
        exc_clear();
        return 0;   // outside int64: outside every range we can build
    }
    return range_has_i64(r, i);
}

static int range_contains(Value self, Value x) {
    int r = range_contains_int(as_range(self), x);
    if (r != -2)
        return r;
    // Generic search by equality, as CPython's _PySequence_IterSearch.
    Range *rg = as_range(self);
    uint64_t n = range_len_u(rg);
    for (uint64_t i = 0; i < n; i++) {
        Value v = int64_val(range_item(rg, i));
        if (!v)
            return -1;
        int eq = val_eq(v, x);
        decref(v);
        if (eq != 0)
            return eq;
    }
    return 0;
}

static Value range_getitem(Value self, Value key) {
    Range *r = as_range(self);
    if (val_isinstance(key, &slice_type)) {
        if (r->len < 0)
            return exc_raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
        int64_t start, stop, step, n;
        if (slice_indices(key, r->len, &start, &stop, &step, &n) < 0)
            return VAL_NULL;
        __int128 nstart = (__int128)r->start + (__int128)start * r->step;
        __int128 nstop = (__int128)r->start + (__int128)stop * r->step;
        __int128 nstep = (__int128)step * r->step;
        if (nstart < INT64_MIN || nstart > INT64_MAX || nstop < INT64_MIN || nstop > INT64_MAX ||
            nstep < INT64_MIN || nstep > INT64_MAX)
            return exc_raise(&exc_OverflowError, "range slice out of supported bounds");
        return range_new((int64_t)nstart, (int64_t)nstop, (int64_t)nstep);
    }
    if (!val_is_int(key) && !val_type(key)->nb_index)
        return exc_raise(&exc_TypeError, "range indices must be integers or slices, not %s",
                         val_type_name(key));
    int64_t i;
    if (val_index_i64(key, &i) < 0) {
        if (exc_matches(&exc_OverflowError)) {
            exc_clear();
            return exc_raise(&exc_IndexError, "range object index out of range");
        }
        return VAL_NULL;
    }
    uint64_t n = range_len_u(r);
    uint64_t ui;
    if (i < 0) {
        uint64_t neg = 0 - (uint64_t)i;
        if (neg > n)
            return exc_raise(&exc_IndexError, "range object index out of range");
        ui = n - neg;
    } else {
        ui = (uint64_t)i;
        if (ui >= n)
            return exc_raise(&exc_IndexError, "range object index out of range");
    }
    return int64_val(range_item(r, ui));
}

static Value range_richcmp(Value a, Value b, int op) {
    if (!val_isinstance(a, &range_type) || !val_isinstance(b, &range_type) ||
        (op != CMP_EQ && op != CMP_NE))
        return incref(VAL_NOTIMPL);
    Range *x = as_range(a), *y = as_range(b);
    bool eq;
    uint64_t n = range_len_u(x);
    if (a == b)
        eq = true;
    else if (n != range_len_u(y))
        eq = false;
    else if (n == 0)
        eq = true;
    else if (x->start != y->start)
        eq = false;
    else if (n == 1)
        eq = true;
    else
        eq = x->step == y->step;
    return bool_val(op == CMP_EQ ? eq : !eq);
}

static int range_hash(Value self, int64_t *out) {
    Range *r = as_range(self);
    uint64_t n = range_len_u(r);
    Value t;
    Value len = n > (uint64_t)INT64_MAX ? int_from_u64(n) : int64_val((int64_t)n);
    if (!len)
        return -1;
    if (n == 0)
        t = tuple_pack(3, len, VAL_NONE, VAL_NONE);
    else if (n == 1) {
        Value s = int64_val(r->start);
        t = s ? tuple_pack(3, len, s, VAL_NONE) : VAL_NULL;
        decref(s);
    } else {
        Value s = int64_val(r->start), st = int64_val(r->step);
        t = (s && st) ? tuple_pack(3, len, s, st) : VAL_NULL;
        decref(s);
        decref(st);
    }
    decref(len);
    if (!t)
        return -1;
    int rc = val_hash(t, out);
    decref(t);
    return rc;
}

static Value range_getattr(Value self, Value name) {
    Range *r = as_range(self);
    if (is_name(name, "start"))
        return int64_val(r->start);
    if (is_name(name, "stop"))
        return int64_val(r->stop);
    if (is_name(name, "step"))
        return int64_val(r->step);
    return generic_getattr(self, name);
}

static Value rangeiter_make(int64_t start, int64_t step, uint64_t n) {
    RangeIter *it = obj_alloc(&range_iter_type, sizeof(RangeIter));
    if (!it)
        return VAL_NULL;
    it->cur = start;
    it->step = step;
    it->remaining = n;
    it->shared = obj_locking;   // made free-threaded: threads may share it
    it->start = start;
    it->total = n;
    return obj_val(it);
}

static Value range_iter(Value self) {
    Range *r = as_range(self);
    return rangeiter_make(r->start, r->step, range_len_u(r));
}

static Value range_reversed_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("range.__reversed__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Range *r = as_range(self);
    uint64_t n = range_len_u(r);
    int64_t last = n ? range_item(r, n - 1) : r->start;
    return rangeiter_make(last, (int64_t)(0 - (uint64_t)r->step), n);
}

static Value range_count_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("range.count", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int r = range_contains_int(as_range(self), args[0]);
    if (r != -2)
        return small_new(r);
    Range *rg = as_range(self);
    uint64_t n = range_len_u(rg);
    int64_t count = 0;
    for (uint64_t i = 0; i < n; i++) {
        Value v = int64_val(range_item(rg, i));
        if (!v)
            return VAL_NULL;
        int eq = val_eq(v, args[0]);
        decref(v);
        if (eq < 0)
            return VAL_NULL;
        count += eq;
    }
    return small_new(count);
}

static Value range_index_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("range.index", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Range *rg = as_range(self);
    Value x = args[0];
    int r = range_contains_int(rg, x);
    if (r == 1) {
        int64_t i;
        if (val_is_small(x))
            i = small_get(x);
        else if (int_as_i64(x, &i) < 0)
            return VAL_NULL;
        uint64_t diff = rg->step > 0 ? (uint64_t)i - (uint64_t)rg->start
                                     : (uint64_t)rg->start - (uint64_t)i;
        uint64_t st = rg->step > 0 ? (uint64_t)rg->step : 0 - (uint64_t)rg->step;
        return int64_val((int64_t)(diff / st));
    }
    if (r == 0) {
        Value rep = val_repr(x);
        if (!rep)
            return VAL_NULL;
        exc_raise(&exc_ValueError, "%s is not in range", str_cstr(rep));
        decref(rep);
        return VAL_NULL;
    }
    uint64_t n = range_len_u(rg);
    for (uint64_t i = 0; i < n; i++) {
        Value v = int64_val(range_item(rg, i));
        if (!v)
            return VAL_NULL;
        int eq = val_eq(v, x);
        decref(v);
        if (eq < 0)
            return VAL_NULL;
        if (eq)
            return int64_val((int64_t)i);
    }
    return exc_raise(&exc_ValueError, "sequence.index(x): x not in sequence");
}

static const MethodDef range_methods[] = {
    {"__reversed__", range_reversed_meth, 0, NULL},
    {"count", range_count_meth, 0, NULL},
    {"index", range_index_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type range_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "range",
    .basic_size = sizeof(Range),
    .dealloc = plain_dealloc,
    .new_ = range_new_slot,
    .repr = range_repr,
    .hash = range_hash,
    .richcmp = range_richcmp,
    .getattr = range_getattr,
    .iter = range_iter,
    .nb_bool = range_bool,
    .len = range_len_slot,
    .getitem = range_getitem,
    .contains = range_contains,
};

static Value rangeiter_next(Value self) {
    RangeIter *it = (RangeIter *)val_obj(self);
    int64_t v;
    if (LIKELY(!it->shared)) {
        if (it->remaining == 0)
            return VAL_NULL;
        it->remaining--;
        v = it->cur;
        it->cur = (int64_t)((uint64_t)v + (uint64_t)it->step);
    } else {
        _Atomic uint64_t *rem = (_Atomic uint64_t *)&it->remaining;
        uint64_t r = atomic_load_explicit(rem, RELAXED);
        do {
            if (r == 0)
                return VAL_NULL;
        } while (!atomic_compare_exchange_weak_explicit(rem, &r, r - 1, RELAXED, RELAXED));
        v = (int64_t)((uint64_t)it->start + (it->total - r) * (uint64_t)it->step);
    }
    if (LIKELY(small_fits(v)))
        return small_new(v);
    return int_from_i64(v);
}

static Value rangeiter_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    RangeIter *it = (RangeIter *)val_obj(self);
    return int_from_u64(atomic_load_explicit((_Atomic uint64_t *)&it->remaining, RELAXED));
}

static const MethodDef rangeiter_methods[] = {
    {"__length_hint__", rangeiter_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type range_iter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "range_iterator",
    .basic_size = sizeof(RangeIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = plain_dealloc,
    .iter = self_iter,
    .iternext = rangeiter_next,
};

// ---------------------------------------------------------------------------
// slice

static Slice *as_slice(Value v) { return (Slice *)val_obj(v); }

Value slice_new(Value start, Value stop, Value step) {
    Slice *s = obj_alloc(&slice_type, sizeof(Slice));
    if (!s)
        return VAL_NULL;
    s->start = incref(start ? start : VAL_NONE);
    s->stop = incref(stop ? stop : VAL_NONE);
    s->step = incref(step ? step : VAL_NONE);
    return obj_val(s);
}

// A slice bound as int64, clamped to the int64 range like CPython's
// _PyEval_SliceIndex clamps to Py_ssize_t.
static int slice_bound(Value v, int64_t *out) {
    if (val_is_small(v)) {
        *out = small_get(v);
        return 0;
    }
    Value iv;
    if (val_is_int(v)) {
        iv = incref(v);
    } else if (val_type(v)->nb_index) {
        iv = val_type(v)->nb_index(v);
        if (!iv)
            return -1;
    } else {
        return exc_raise_int(&exc_TypeError,
                             "slice indices must be integers or None or have an __index__ method");
    }
    if (int_as_i64(iv, out) < 0) {
        if (!exc_matches(&exc_OverflowError)) {
            decref(iv);
            return -1;
        }
        exc_clear();
        *out = int_sign(iv) < 0 ? INT64_MIN : INT64_MAX;
    }
    decref(iv);
    return 0;
}

// PySlice_Unpack: step 0 is an error; None bounds get their defaults.
static int slice_unpack(Value sv, int64_t *start, int64_t *stop, int64_t *step) {
    Slice *s = as_slice(sv);
    if (s->step == VAL_NONE) {
        *step = 1;
    } else {
        if (slice_bound(s->step, step) < 0)
            return -1;
        if (*step == 0)
            return exc_raise_int(&exc_ValueError, "slice step cannot be zero");
        if (*step < -INT64_MAX)
            *step = -INT64_MAX;   // so that -step cannot overflow
    }
    if (s->start == VAL_NONE)
        *start = *step < 0 ? INT64_MAX : 0;
    else if (slice_bound(s->start, start) < 0)
        return -1;
    if (s->stop == VAL_NONE)
        *stop = *step < 0 ? INT64_MIN : INT64_MAX;
    else if (slice_bound(s->stop, stop) < 0)
        return -1;
    return 0;
}

// PySlice_AdjustIndices.
static int64_t slice_adjust(int64_t len, int64_t *start, int64_t *stop, int64_t step) {
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = step < 0 ? -1 : 0;
    } else if (*start >= len) {
        *start = step < 0 ? len - 1 : len;
    }
    if (*stop < 0) {
        *stop += len;
        if (*stop < 0)
            *stop = step < 0 ? -1 : 0;
    } else if (*stop >= len) {
        *stop = step < 0 ? len - 1 : len;
    }
    if (step < 0) {
        if (*stop < *start)
            return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

int slice_indices(Value slice, int64_t len, int64_t *start, int64_t *stop, int64_t *step,
                  int64_t *slicelen) {
    if (slice_unpack(slice, start, stop, step) < 0)
        return -1;
    int64_t n = slice_adjust(len, start, stop, *step);
    if (slicelen)
        *slicelen = n;
    return 0;
}

static Value slice_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(t);
    if (no_kwargs("slice", kwnames) < 0 || nargs_range("slice", nargs, 1, 3) < 0)
        return VAL_NULL;
    if (nargs == 1)
        return slice_new(VAL_NONE, args[0], VAL_NONE);
    return slice_new(args[0], args[1], nargs == 3 ? args[2] : VAL_NONE);
}

static void slice_dealloc(Object *o) {
    Slice *s = (Slice *)o;
    clear_ref(&s->start);
    clear_ref(&s->stop);
    clear_ref(&s->step);
    obj_free(o);
}

static Value slice_repr(Value self) {
    Slice *s = as_slice(self);
    Value t = tuple_pack(3, s->start, s->stop, s->step);
    if (!t)
        return VAL_NULL;
    Value r = val_repr(t);   // "(a, b, c)"
    decref(t);
    if (!r)
        return VAL_NULL;
    Value out = wrap("slice", r, "");
    decref(r);
    return out;
}

static int slice_unhashable(Value self, int64_t *out) {
    UNUSED(self);
    UNUSED(out);
    return exc_raise_int(&exc_TypeError, "unhashable type: 'slice'");
}

static Value slice_richcmp(Value a, Value b, int op) {
    if (!val_isinstance(a, &slice_type) || !val_isinstance(b, &slice_type))
        return incref(VAL_NOTIMPL);
    if (a == b && (op == CMP_EQ || op == CMP_NE))
        return bool_val(op == CMP_EQ);
    Slice *x = as_slice(a), *y = as_slice(b);
    Value ta = tuple_pack(3, x->start, x->stop, x->step);
    Value tb = ta ? tuple_pack(3, y->start, y->stop, y->step) : VAL_NULL;
    Value r = tb ? val_richcmp(ta, tb, op) : VAL_NULL;
    decref(ta);
    decref(tb);
    return r;
}

static Value slice_getattr(Value self, Value name) {
    Slice *s = as_slice(self);
    if (is_name(name, "start"))
        return incref(s->start);
    if (is_name(name, "stop"))
        return incref(s->stop);
    if (is_name(name, "step"))
        return incref(s->step);
    return generic_getattr(self, name);
}

static Value slice_indices_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("slice.indices", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int64_t len;
    if (val_index_i64(args[0], &len) < 0)
        return VAL_NULL;
    if (len < 0)
        return exc_raise(&exc_ValueError, "length should not be negative");
    int64_t start, stop, step;
    if (slice_indices(self, len, &start, &stop, &step, NULL) < 0)
        return VAL_NULL;
    // The step comes back unclamped (CPython computes indices() on ints).
    Slice *sl = as_slice(self);
    Value c;
    if (sl->step == VAL_NONE || val_is_small(sl->step) || (step != INT64_MAX && step != -INT64_MAX))
        c = int64_val(step);
    else if (val_is_int(sl->step))
        c = incref(sl->step);
    else
        c = val_type(sl->step)->nb_index(sl->step);
    Value a = int64_val(start), b = int64_val(stop);
    Value t = (a && b && c) ? tuple_pack(3, a, b, c) : VAL_NULL;
    decref(a);
    decref(b);
    decref(c);
    return t;
}

static const MethodDef slice_methods[] = {
    {"indices", slice_indices_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type slice_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "slice",
    .basic_size = sizeof(Slice),
    .dealloc = slice_dealloc,
    .new_ = slice_new_slot,
    .repr = slice_repr,
    .hash = slice_unhashable,
    .richcmp = slice_richcmp,
    .getattr = slice_getattr,
};

// ---------------------------------------------------------------------------
// Sequence iterator: lists and tuples by index, anything else by __getitem__
// until IndexError (or StopIteration).

typedef struct {
    Object ob;
    Value seq;         // VAL_NULL once exhausted
    int64_t index;
} SeqIter;

Type seq_list_iter_type, seq_tuple_iter_type;

Value seq_iter_new(Value seq) {
    Type *t = val_is_list(seq) ? &seq_list_iter_type
              : val_is_tuple(seq) ? &seq_tuple_iter_type
                                  : &seq_iter_type;
    SeqIter *it = obj_alloc(t, sizeof(SeqIter));
    if (!it)
        return VAL_NULL;
    it->seq = incref(seq);
    return obj_val(it);
}

static void seqiter_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    clear_ref(&((SeqIter *)o)->seq);
    obj_free(o);
    list_trash_end();
}

// Free-threaded: threads may share one iterator. The sequence stays
// referenced until the iterator dies (never dropped early, so no thread can
// free it under another) and the index is claimed under the iterator's own
// lock, released before the item is fetched (one object lock at a time).
static Value seqiter_next_shared(SeqIter *it) {
    Value seq = it->seq;   // set at creation, never changed in this mode
    if (!seq)
        return VAL_NULL;
    obj_lock(&it->ob);
    int64_t i = it->index;
    bool done = i < 0;
    if (!done)
        it->index = i + 1;
    obj_unlock(&it->ob);
    if (done)
        return VAL_NULL;
    Value v = val_is_list(seq)    ? list_get_new(seq, i)
              : val_is_tuple(seq) ? ((size_t)i < tuple_len(seq) ? incref(tuple_get(seq, (size_t)i))
                                                                 : VAL_NULL)
                                  : val_getitem(seq, int64_val(i));
    if (v)
        return v;
    if (val_is_tuple(seq) || exc_matches(&exc_IndexError) || exc_matches(&exc_StopIteration)) {
        exc_clear();
        obj_lock(&it->ob);
        it->index = -1;   // exhausted for every sharer
        obj_unlock(&it->ob);
    }
    return VAL_NULL;
}

static Value seqiter_next(Value self) {
    SeqIter *it = (SeqIter *)val_obj(self);
    if (UNLIKELY(obj_locking))
        return seqiter_next_shared(it);
    Value seq = it->seq;
    if (!seq || it->index < 0)   // < 0: exhausted while free-threaded
        return VAL_NULL;
    Value v;
    if (val_is_tuple(seq)) {
        if ((size_t)it->index < tuple_len(seq)) {
            v = incref(tuple_get(seq, (size_t)it->index));
            it->index++;
            return v;
        }
        clear_ref(&it->seq);
        return VAL_NULL;
    }
    if (val_is_list(seq)) {
        if ((size_t)it->index < list_len(seq)) {
            v = list_get_new(seq, it->index);
            if (v) {
                it->index++;
                return v;
            }
            if (!exc_matches(&exc_IndexError))
                return VAL_NULL;
            exc_clear();   // shrunk by another thread meanwhile
        }
        clear_ref(&it->seq);
        return VAL_NULL;
    }
    v = val_getitem(seq, int64_val(it->index));
    if (v) {
        it->index++;
        return v;
    }
    if (exc_matches(&exc_IndexError) || exc_matches(&exc_StopIteration)) {
        exc_clear();
        clear_ref(&it->seq);
    }
    return VAL_NULL;
}

static Value seqiter_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    SeqIter *it = (SeqIter *)val_obj(self);
    if (!it->seq)
        return small_new(0);
    int64_t n = val_len(it->seq);
    if (n < 0)
        return VAL_NULL;
    return small_new(n > it->index ? n - it->index : 0);
}

static const MethodDef seqiter_methods[] = {
    {"__length_hint__", seqiter_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

#define SEQITER_TYPE(var, tname)                                                             \
    Type var = {                                                                             \
        .ob = OBJECT_HEAD_IMMORTAL(&type_type),                                              \
        .name = tname,                                                                       \
        .basic_size = sizeof(SeqIter),                                                       \
        .tflags = TF_ABSTRACT_NEW,                                                           \
        .dealloc = seqiter_dealloc,                                                          \
        .iter = self_iter,                                                                   \
        .iternext = seqiter_next,                                                            \
    };

SEQITER_TYPE(seq_iter_type, "iterator")
SEQITER_TYPE(seq_list_iter_type, "list_iterator")
SEQITER_TYPE(seq_tuple_iter_type, "tuple_iterator")

// ---------------------------------------------------------------------------
// enumerate(iterable, start=0)

typedef struct {
    Object ob;
    Value it;
    int64_t index;     // used while [big] is VAL_NULL
    Value big;         // the index as an int once it leaves int64 (or started there)
} Enumerate;

static Value enumerate_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    static const char *const kw[] = {"iterable", "start", NULL};
    Value a[2] = {VAL_NULL, VAL_NULL};
    if (args_parse("enumerate", args, nargs, kwnames, kw, 1, 2, a) < 0)
        return VAL_NULL;
    Value it = val_iter(a[0]);
    if (!it)
        return VAL_NULL;
    int64_t start = 0;
    Value big = VAL_NULL;
    if (a[1]) {
        if (val_is_small(a[1])) {
            start = small_get(a[1]);
        } else if (!val_is_int(a[1]) && !val_type(a[1])->nb_index) {
            decref(it);
            return exc_raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             val_type_name(a[1]));
        } else {
            big = val_is_int(a[1]) ? incref(a[1]) : val_type(a[1])->nb_index(a[1]);
            if (!big) {
                decref(it);
                return VAL_NULL;
            }
            if (val_is_small(big)) {
                start = small_get(big);
                clear_ref(&big);
            } else if (val_is_obj(big) && val_obj(big)->type == &bool_type) {
                start = ((BoolObj *)val_obj(big))->value;
                clear_ref(&big);
            }
        }
    }
    Value e = alloc_of(t, sizeof(Enumerate));
    if (!e) {
        decref(it);
        decref(big);
        return VAL_NULL;
    }
    Enumerate *en = (Enumerate *)val_obj(e);
    en->it = it;
    en->index = start;
    en->big = big;
    return e;
}

static void enumerate_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    Enumerate *en = (Enumerate *)o;
    clear_ref(&en->it);
    clear_ref(&en->big);
    obj_free(o);
    list_trash_end();
}

static Value enumerate_next(Value self) {
    Enumerate *en = (Enumerate *)val_obj(self);
    Value item = val_next(en->it);
    if (!item)
        return VAL_NULL;
    if (UNLIKELY(obj_locking) && !en->big) {
        // Free-threaded, shared enumerate: claim an index under its lock
        // (past int64's small range the general path below, unlocked, is
        // kept for the single-thread case only).
        obj_lock(&en->ob);
        int64_t i = en->index;
        bool small = i < SMALL_MAX;
        if (small)
            en->index = i + 1;
        obj_unlock(&en->ob);
        if (small) {
            Value t = tuple_new(2);
            if (!t) {
                decref(item);
                return VAL_NULL;
            }
            tuple_set_steal(t, 0, small_new(i));
            tuple_set_steal(t, 1, item);
            return t;
        }
    }
    Value idx;
    if (!en->big) {
        idx = small_new(en->index);
        if (en->index == SMALL_MAX) {
            en->big = int_from_i64(SMALL_MAX);
            Value one = small_new(1);
            Value nb = en->big ? val_binop(en->big, one, NB_ADD) : VAL_NULL;
            set_ref(&en->big, nb);
            if (!nb) {
                decref(item);
                return VAL_NULL;
            }
        } else {
            en->index++;
        }
    } else {
        idx = incref(en->big);
        Value nb = val_binop(en->big, small_new(1), NB_ADD);
        if (!nb) {
            decref(idx);
            decref(item);
            return VAL_NULL;
        }
        set_ref(&en->big, nb);
    }
    Value t = tuple_new(2);
    if (!t) {
        decref(idx);
        decref(item);
        return VAL_NULL;
    }
    tuple_set_steal(t, 0, idx);
    tuple_set_steal(t, 1, item);
    return t;
}

Type enumerate_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "enumerate",
    .basic_size = sizeof(Enumerate),
    .tflags = TF_BASETYPE,
    .dealloc = enumerate_dealloc,
    .new_ = enumerate_new_slot,
    .iter = self_iter,
    .iternext = enumerate_next,
};

// ---------------------------------------------------------------------------
// zip(*iterables, strict=False)

typedef struct {
    Object ob;
    Value iters;       // Tuple of iterators
    bool strict;
} Zip;

static Value zip_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    bool strict = false;
    if (kwnames) {
        for (size_t i = 0; i < tuple_len(kwnames); i++) {
            Value k = tuple_get(kwnames, i);
            if (!is_name(k, "strict"))
                return exc_raise(&exc_TypeError, "'%s' is an invalid keyword argument for zip()",
                                 str_cstr(k));
            int b = val_truthy(args[nargs + i]);
            if (b < 0)
                return VAL_NULL;
            strict = b;
        }
    }
    Value iters = tuple_new(nargs);
    if (!iters)
        return VAL_NULL;
    for (size_t i = 0; i < nargs; i++)
        tuple_set_steal(iters, i, VAL_NONE);   // placeholders: safe to decref on error
    for (size_t i = 0; i < nargs; i++) {
        Value it = val_iter(args[i]);
        if (!it) {
            decref(iters);
            return VAL_NULL;
        }
        tuple_set_steal(iters, i, it);
    }
    Value z = alloc_of(t, sizeof(Zip));
    if (!z) {
        decref(iters);
        return VAL_NULL;
    }
    ((Zip *)val_obj(z))->iters = iters;
    ((Zip *)val_obj(z))->strict = strict;
    return z;
}

static void zip_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    clear_ref(&((Zip *)o)->iters);
    obj_free(o);
    list_trash_end();
}

// Argument [i] (0-based) ended first under strict=True: check the others.
static Value zip_strict_end(Zip *z, size_t i) {
    const char *plural = i == 1 ? " " : "s 1-";
    if (i)
        return exc_raise(&exc_ValueError, "zip() argument %zu is shorter than argument%s%zu",
                         i + 1, plural, i);
    size_t n = tuple_len(z->iters);
    for (i = 1; i < n; i++) {
        Value item = val_next(tuple_get(z->iters, i));
        if (item) {
            decref(item);
            plural = i == 1 ? " " : "s 1-";
            return exc_raise(&exc_ValueError, "zip() argument %zu is longer than argument%s%zu",
                             i + 1, plural, i);
        }
        if (exc_occurred())
            return VAL_NULL;
    }
    return VAL_NULL;
}

static Value zip_next(Value self) {
    Zip *z = (Zip *)val_obj(self);
    size_t n = tuple_len(z->iters);
    if (n == 0)
        return VAL_NULL;
    Value t = tuple_new(n);
    if (!t)
        return VAL_NULL;
    for (size_t i = 0; i < n; i++)
        tuple_set_steal(t, i, VAL_NONE);
    for (size_t i = 0; i < n; i++) {
        Value item = val_next(tuple_get(z->iters, i));
        if (!item) {
            decref(t);
            if (z->strict && !exc_occurred())
                return zip_strict_end(z, i);
            return VAL_NULL;
        }
        tuple_set_steal(t, i, item);
    }
    return t;
}

Type zip_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "zip",
    .basic_size = sizeof(Zip),
    .tflags = TF_BASETYPE,
    .dealloc = zip_dealloc,
    .new_ = zip_new_slot,
    .iter = self_iter,
    .iternext = zip_next,
};

// ---------------------------------------------------------------------------
// map(func, *iterables)

typedef struct {
    Object ob;
    Value func;
    Value iters;       // Tuple of iterators
} Map;

static Value map_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    if (t == &map_type && no_kwargs("map", kwnames) < 0)
        return VAL_NULL;
    if (nargs < 2)
        return exc_raise(&exc_TypeError, "map() must have at least two arguments.");
    size_t n = nargs - 1;
    Value iters = tuple_new(n);
    if (!iters)
        return VAL_NULL;
    for (size_t i = 0; i < n; i++)
        tuple_set_steal(iters, i, VAL_NONE);
    for (size_t i = 0; i < n; i++) {
        Value it = val_iter(args[i + 1]);
        if (!it) {
            decref(iters);
            return VAL_NULL;
        }
        tuple_set_steal(iters, i, it);
    }
    Value m = alloc_of(t, sizeof(Map));
    if (!m) {
        decref(iters);
        return VAL_NULL;
    }
    ((Map *)val_obj(m))->func = incref(args[0]);
    ((Map *)val_obj(m))->iters = iters;
    return m;
}

static void map_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    clear_ref(&((Map *)o)->func);
    clear_ref(&((Map *)o)->iters);
    obj_free(o);
    list_trash_end();
}

static Value map_next(Value self) {
    Map *m = (Map *)val_obj(self);
    size_t n = tuple_len(m->iters);
    Value small[4];
    Value *items = n <= 4 ? small : malloc(n * sizeof(Value));
    if (!items)
        return exc_nomemory();
    size_t got = 0;
    Value r = VAL_NULL;
    for (; got < n; got++) {
        items[got] = val_next(tuple_get(m->iters, got));
        if (!items[got])
            goto done;
    }
    r = val_call(m->func, items, n, VAL_NULL);
done:
    for (size_t i = 0; i < got; i++)
        decref(items[i]);
    if (items != small)
        free(items);
    return r;
}

Type map_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "map",
    .basic_size = sizeof(Map),
    .tflags = TF_BASETYPE,
    .dealloc = map_dealloc,
    .new_ = map_new_slot,
    .iter = self_iter,
    .iternext = map_next,
};

// ---------------------------------------------------------------------------
// filter(func or None, iterable)

typedef struct {
    Object ob;
    Value func;        // None: truthiness
    Value it;
} Filter;

static Value filter_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    if (t == &filter_type && no_kwargs("filter", kwnames) < 0)
        return VAL_NULL;
    if (nargs != 2)
        return exc_raise(&exc_TypeError, "filter expected 2 arguments, got %zu", nargs);
    Value it = val_iter(args[1]);
    if (!it)
        return VAL_NULL;
    Value f = alloc_of(t, sizeof(Filter));
    if (!f) {
        decref(it);
        return VAL_NULL;
    }
    ((Filter *)val_obj(f))->func = incref(args[0]);
    ((Filter *)val_obj(f))->it = it;
    return f;
}

static void filter_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    clear_ref(&((Filter *)o)->func);
    clear_ref(&((Filter *)o)->it);
    obj_free(o);
    list_trash_end();
}

static Value filter_next(Value self) {
    Filter *f = (Filter *)val_obj(self);
    bool plain = f->func == VAL_NONE || f->func == obj_val(&bool_type);
    for (;;) {
        Value item = val_next(f->it);
        if (!item)
            return VAL_NULL;
        int ok;
        if (plain) {
            ok = val_truthy(item);
        } else {
            Value r = val_call1(f->func, item);
            ok = r ? val_truthy(r) : -1;
            decref(r);
        }
        if (ok > 0)
            return item;
        decref(item);
        if (ok < 0)
            return VAL_NULL;
    }
}

Type filter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "filter",
    .basic_size = sizeof(Filter),
    .tflags = TF_BASETYPE,
    .dealloc = filter_dealloc,
    .new_ = filter_new_slot,
    .iter = self_iter,
    .iternext = filter_next,
};

// ---------------------------------------------------------------------------
// reversed(seq)

typedef struct {
    Object ob;
    Value seq;         // VAL_NULL once exhausted
    int64_t index;     // next index to read, counting down
} Reversed;

static Value reversed_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    if (t == &reversed_type && no_kwargs("reversed", kwnames) < 0)
        return VAL_NULL;
    if (nargs != 1)
        return exc_raise(&exc_TypeError, "reversed expected 1 argument, got %zu", nargs);
    Value seq = args[0];
    Type *st = val_type(seq);
    Value meth = type_lookup_cstr(st, "__reversed__");
    if (meth == VAL_NONE)
        return exc_raise(&exc_TypeError, "'%s' object is not reversible", val_type_name(seq));
    if (meth)
        return val_call1(meth, seq);
    bool is_dict = st->tflags & TF_DICT_SUBCLASS;
    if (!st->getitem || !st->len || is_dict)
        return exc_raise(&exc_TypeError, "'%s' object is not reversible", val_type_name(seq));
    int64_t n = val_len(seq);
    if (n < 0)
        return VAL_NULL;
    Value r = alloc_of(t, sizeof(Reversed));
    if (!r)
        return VAL_NULL;
    ((Reversed *)val_obj(r))->seq = incref(seq);
    ((Reversed *)val_obj(r))->index = n - 1;
    return r;
}

static void reversed_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    clear_ref(&((Reversed *)o)->seq);
    obj_free(o);
    list_trash_end();
}

static Value reversed_next(Value self) {
    Reversed *r = (Reversed *)val_obj(self);
    if (!r->seq)
        return VAL_NULL;
    if (r->index >= 0) {
        Value v;
        if (val_is_tuple(r->seq))
            v = (size_t)r->index < tuple_len(r->seq) ? incref(tuple_get(r->seq, (size_t)r->index))
                                                     : VAL_NULL;
        else if (val_is_list(r->seq))
            v = (size_t)r->index < list_len(r->seq) ? list_get_new(r->seq, r->index) : VAL_NULL;
        else
            v = val_getitem(r->seq, int64_val(r->index));
        if (v) {
            r->index--;
            return v;
        }
        if (exc_occurred()) {
            if (!exc_matches(&exc_IndexError) && !exc_matches(&exc_StopIteration))
                return VAL_NULL;
            exc_clear();
        }
    }
    r->index = -1;
    clear_ref(&r->seq);
    return VAL_NULL;
}

static Value reversed_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Reversed *r = (Reversed *)val_obj(self);
    if (!r->seq)
        return small_new(0);
    int64_t n = val_len(r->seq);
    if (n < 0)
        return VAL_NULL;
    return small_new(n < r->index + 1 ? 0 : r->index + 1);
}

static const MethodDef reversed_methods[] = {
    {"__length_hint__", reversed_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type reversed_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "reversed",
    .basic_size = sizeof(Reversed),
    .tflags = TF_BASETYPE,
    .dealloc = reversed_dealloc,
    .new_ = reversed_new_slot,
    .iter = self_iter,
    .iternext = reversed_next,
};

// ---------------------------------------------------------------------------
// iter(callable, sentinel)

typedef struct {
    Object ob;
    Value callable;    // VAL_NULL once exhausted
    Value sentinel;
} CallableIter;

Value callable_iter_new(Value callable, Value sentinel) {
    CallableIter *it = obj_alloc(&callable_iter_type, sizeof(CallableIter));
    if (!it)
        return VAL_NULL;
    it->callable = incref(callable);
    it->sentinel = incref(sentinel);
    return obj_val(it);
}

static void callable_iter_dealloc(Object *o) {
    CallableIter *it = (CallableIter *)o;
    clear_ref(&it->callable);
    clear_ref(&it->sentinel);
    obj_free(o);
}

static Value callable_iter_next(Value self) {
    CallableIter *it = (CallableIter *)val_obj(self);
    if (!it->callable)
        return VAL_NULL;
    Value v = val_call0(it->callable);
    if (!v) {
        if (exc_matches(&exc_StopIteration)) {
            exc_clear();
            clear_ref(&it->callable);
            clear_ref(&it->sentinel);
        }
        return VAL_NULL;
    }
    int eq = val_eq(v, it->sentinel);
    if (eq == 0)
        return v;
    decref(v);
    if (eq > 0) {
        clear_ref(&it->callable);
        clear_ref(&it->sentinel);
    }
    return VAL_NULL;
}

Type callable_iter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "callable_iterator",
    .basic_size = sizeof(CallableIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = callable_iter_dealloc,
    .iter = self_iter,
    .iternext = callable_iter_next,
};

// ---------------------------------------------------------------------------

void seq_type_init(void) {
    type_ready(&range_type);
    type_add_methods(&range_type, range_methods);
    type_ready(&range_iter_type);
    type_add_methods(&range_iter_type, rangeiter_methods);
    type_ready(&slice_type);
    type_add_methods(&slice_type, slice_methods);
    Type *seqiters[] = {&seq_iter_type, &seq_list_iter_type, &seq_tuple_iter_type};
    for (size_t i = 0; i < ARRAY_LEN(seqiters); i++) {
        type_ready(seqiters[i]);
        type_add_methods(seqiters[i], seqiter_methods);
    }
    type_ready(&enumerate_type);
    type_ready(&zip_type);
    type_ready(&map_type);
    type_ready(&filter_type);
    type_ready(&reversed_type);
    type_add_methods(&reversed_type, reversed_methods);
    type_ready(&callable_iter_type);
}
