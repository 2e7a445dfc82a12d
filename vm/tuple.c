// tuple: an immutable array of values, and its iterator.
//
// Invariants: a Tuple's items are all non-NULL once it is visible to any code
// other than its creator (tuple_new leaves them VAL_NULL for the creator to
// fill; dealloc tolerates VAL_NULL so a half-built tuple can be dropped on an
// error path). The empty tuple is one immortal static object, returned by
// every constructor that produces a length-0 exact tuple. A tuple owns one
// reference to each item. Tuples are immutable, so no lock protects them: any
// thread may read items and take references freely.
//
// The hash is CPython's xxHash-based tuplehash (Objects/tupleobject.c) so that
// sets and dicts keyed by tuples of ints iterate in CPython's order.
// Dealloc goes through the list.c trashcan (list_trash_begin/end) so that
// deeply nested tuples do not overflow the C stack.
#include "tuple.h"

#include <stdarg.h>

#include "abstract.h"
#include "code.h"   // exc.h uses Code without including code.h
#include "class.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "seq.h"
#include "str.h"

static Tuple empty_tuple = {.ob = OBJECT_HEAD_IMMORTAL(&tuple_type), .len = 0};

#define TUPLE_MAX_LEN ((SIZE_MAX - sizeof(Tuple)) / sizeof(Value) / 2)

Value tuple_empty(void) { return obj_val(&empty_tuple); }

// A tuple of type [t] (tuple or a subclass) with [len] VAL_NULL items.
// Subclass instances are laid out as max(basic_size, sizeof(Tuple)) bytes
// followed by nothing: items[] always starts at offsetof(Tuple, items).
static Value alloc_tuple(Type *t, size_t len) {
    if (t == &tuple_type && len == 0)
        return obj_val(&empty_tuple);
    if (len > TUPLE_MAX_LEN)
        return exc_nomemory();
    size_t base = sizeof(Tuple);
    if (t->basic_size > base)
        base = t->basic_size;
    Tuple *tp = obj_alloc(t, base + len * sizeof(Value));
    if (!tp)
        return VAL_NULL;
    tp->len = len;
    tp->hash_cache = -1;
    return obj_val(tp);
}

Value tuple_new(size_t len) { return alloc_tuple(&tuple_type, len); }

Value tuple_from_array(const Value *items, size_t n) {
    Value t = tuple_new(n);
    if (!t)
        return VAL_NULL;
    for (size_t i = 0; i < n; i++)
        as_tuple(t)->items[i] = incref(items[i]);
    return t;
}

Value tuple_from_array_steal(Value *items, size_t n) {
    Value t = tuple_new(n);
    if (!t) {
        for (size_t i = 0; i < n; i++)
            clear_ref(&items[i]);
        return VAL_NULL;
    }
    for (size_t i = 0; i < n; i++)
        as_tuple(t)->items[i] = items[i];
    return t;
}

Value tuple_pack(size_t n, ...) {
    Value t = tuple_new(n);
    if (!t)
        return VAL_NULL;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        as_tuple(t)->items[i] = incref(va_arg(ap, Value));
    va_end(ap);
    return t;
}

Value tuple_from_iterable(Value it) {
    if (val_is_obj(it) && val_obj(it)->type == &tuple_type)
        return incref(it);
    // Lists: list_copy_items takes the items under the list's lock.
    if (val_is_list(it)) {
        size_t n;
        Value *items = list_copy_items(it, &n);
        if (!items)
            return VAL_NULL;
        Value t = tuple_from_array_steal(items, n);
        free(items);
        return t;
    }
    Value lst = list_from_iterable(it);
    if (!lst)
        return VAL_NULL;
    Value t = tuple_from_array(as_list(lst)->items, as_list(lst)->len);
    decref(lst);
    return t;
}

static void tuple_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    Tuple *t = (Tuple *)o;
    for (size_t i = t->len; i-- > 0;)
        clear_ref(&t->items[i]);
    obj_free(o);
    list_trash_end();
}

// ---------------------------------------------------------------------------
// Index helpers (also the model for list.c and str.c)

// [key] as a C index for sequence [what] ("tuple"): TypeError for non-ints,
// IndexError for ints that do not fit. Returns -1 on error.
static int seq_index(Value key, const char *what, int64_t *out) {
    if (val_is_small(key)) {
        *out = small_get(key);
        return 0;
    }
    if (!val_is_int(key) && !val_type(key)->nb_index) {
        exc_raise(&exc_TypeError, "%s indices must be integers or slices, not %s", what,
                  val_type_name(key));
        return -1;
    }
    if (val_index_i64(key, out) < 0) {
        if (exc_matches(&exc_OverflowError)) {
            exc_clear();
            exc_raise(&exc_IndexError, "cannot fit 'int' into an index-sized integer");
        }
        return -1;
    }
    return 0;
}

// A start/stop argument of index()/count()-style methods: clamps huge ints
// (CPython's _PyEval_SliceIndex); None is allowed when [none_ok].
int tuple_slice_arg(Value v, bool none_ok, int64_t *out) {
    if (v == VAL_NULL || (none_ok && v == VAL_NONE))
        return 0;
    if (val_is_small(v)) {
        *out = small_get(v);
        return 0;
    }
    if (!val_is_int(v) && !val_type(v)->nb_index) {
        exc_raise(&exc_TypeError, none_ok ? "slice indices must be integers or None or have an __index__ method"
                                          : "slice indices must be integers or have an __index__ method");
        return -1;
    }
    if (val_index_i64(v, out) < 0) {
        if (!exc_matches(&exc_OverflowError) || !val_is_int(v))
            return -1;
        exc_clear();
        *out = int_sign(v) < 0 ? INT64_MIN : INT64_MAX;
    }
    return 0;
}

// Clamp [*start, *stop) against [len] as CPython's ADJUST_INDICES does.
void tuple_adjust_range(int64_t len, int64_t *start, int64_t *stop) {
    if (*stop > len)
        *stop = len;
    else if (*stop < 0) {
        *stop += len;
        if (*stop < 0)
            *stop = 0;
    }
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = 0;
    }
}

// The repeat count of `seq * n`: -1 with CPython's errors, else 0 and *out
// (negative counts become 0). [self] is the sequence, [n] the other operand.
int tuple_repeat_count(Value n, int64_t *out) {
    if (val_is_small(n)) {
        *out = small_get(n) < 0 ? 0 : small_get(n);
        return 0;
    }
    if (!val_is_int(n) && !val_type(n)->nb_index) {
        exc_raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", val_type_name(n));
        return -1;
    }
    if (val_index_i64(n, out) < 0) {
        if (exc_matches(&exc_OverflowError)) {
            exc_clear();
            exc_raise(&exc_OverflowError, "cannot fit 'int' into an index-sized integer");
        }
        return -1;
    }
    if (*out < 0)
        *out = 0;
    return 0;
}

// ---------------------------------------------------------------------------
// Slots

static int64_t tuple_len_slot(Value self) { return (int64_t)tuple_len(self); }

static Value tuple_repr(Value self) {
    size_t n = tuple_len(self);
    if (n == 0)
        return str_from_cstr("()");
    int r = repr_enter(self);
    if (r != 0)
        return r > 0 ? str_from_cstr("(...)") : VAL_NULL;
    Value parts = list_new(n);
    Value result = VAL_NULL;
    if (!parts)
        goto done;
    for (size_t i = 0; i < n; i++) {
        Value s = val_repr(tuple_get(self, i));
        if (!s || list_append_steal(parts, s) < 0)
            goto done;
    }
    {
        Value sep = str_from_cstr(", ");
        if (!sep)
            goto done;
        Value body = str_join(sep, parts);
        decref(sep);
        if (!body)
            goto done;
        result = n == 1 ? str_printf("(%s,)", str_cstr(body)) : str_printf("(%s)", str_cstr(body));
        decref(body);
    }
done:
    decref(parts);
    repr_leave(self);
    return result;
}

#define XXPRIME_1 ((uint64_t)11400714785074694791ULL)
#define XXPRIME_2 ((uint64_t)14029467366897019727ULL)
#define XXPRIME_5 ((uint64_t)2870177450012600261ULL)
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

static int tuple_hash(Value self, int64_t *out) {
    size_t n = tuple_len(self);
    uint64_t acc = XXPRIME_5;
    if (recursion_enter(" while getting the hash of an object") < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int64_t h;
        if (val_hash(tuple_get(self, i), &h) < 0) {
            recursion_leave();
            return -1;
        }
        acc += (uint64_t)h * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    recursion_leave();
    acc += n ^ (XXPRIME_5 ^ 3527539UL);
    if (acc == (uint64_t)-1)
        acc = 1546275796;
    *out = (int64_t)acc;
    return 0;
}

// Result of comparing two lengths with [op].
Value tuple_cmp_sizes(int64_t a, int64_t b, int op) {
    bool r = false;
    switch (op) {
    case CMP_LT: r = a < b; break;
    case CMP_LE: r = a <= b; break;
    case CMP_EQ: r = a == b; break;
    case CMP_NE: r = a != b; break;
    case CMP_GT: r = a > b; break;
    case CMP_GE: r = a >= b; break;
    }
    return incref(bool_val(r));
}

static Value tuple_richcmp(Value a, Value b, int op) {
    if (!val_is_tuple(a) || !val_is_tuple(b))
        return incref(VAL_NOTIMPL);
    size_t na = tuple_len(a), nb = tuple_len(b), i;
    for (i = 0; i < na && i < nb; i++) {
        int k = val_eq(tuple_get(a, i), tuple_get(b, i));
        if (k < 0)
            return VAL_NULL;
        if (!k)
            break;
    }
    if (i >= na || i >= nb)
        return tuple_cmp_sizes((int64_t)na, (int64_t)nb, op);
    if (op == CMP_EQ)
        return incref(VAL_FALSE);
    if (op == CMP_NE)
        return incref(VAL_TRUE);
    return val_richcmp(tuple_get(a, i), tuple_get(b, i), op);
}

static Value tuple_slice(Value self, Value key) {
    int64_t start, stop, step, slicelen;
    if (slice_indices(key, (int64_t)tuple_len(self), &start, &stop, &step, &slicelen) < 0)
        return VAL_NULL;
    if (step == 1 && slicelen == (int64_t)tuple_len(self) && val_obj(self)->type == &tuple_type)
        return incref(self);
    Value t = tuple_new((size_t)slicelen);
    if (!t)
        return VAL_NULL;
    for (int64_t i = 0, j = start; i < slicelen; i++, j += step)
        as_tuple(t)->items[i] = incref(tuple_get(self, (size_t)j));
    return t;
}

static Value tuple_getitem(Value self, Value key) {
    if (val_is_obj(key) && val_obj(key)->type == &slice_type)
        return tuple_slice(self, key);
    int64_t i;
    if (seq_index(key, "tuple", &i) < 0)
        return VAL_NULL;
    int64_t n = (int64_t)tuple_len(self);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        return exc_raise(&exc_IndexError, "tuple index out of range");
    return incref(tuple_get(self, (size_t)i));
}

static int tuple_contains(Value self, Value item) {
    for (size_t i = 0; i < tuple_len(self); i++) {
        int k = val_eq(tuple_get(self, i), item);
        if (k != 0)
            return k;
    }
    return 0;
}

static Value tuple_concat(Value a, Value b) {
    if (!val_is_tuple(a))
        return incref(VAL_NOTIMPL);
    if (!val_is_tuple(b)) {
        // Give a reflected __radd__ of a user class its chance first.
        if (val_type(b)->tflags & TF_HEAPTYPE && type_lookup_cstr(val_type(b), "__radd__"))
            return incref(VAL_NOTIMPL);
        return exc_raise(&exc_TypeError, "can only concatenate tuple (not \"%s\") to tuple",
                         val_type_name(b));
    }
    size_t na = tuple_len(a), nb = tuple_len(b);
    if (nb == 0 && val_obj(a)->type == &tuple_type)
        return incref(a);
    if (na == 0 && val_obj(b)->type == &tuple_type)
        return incref(b);
    if (na > TUPLE_MAX_LEN - nb)
        return exc_nomemory();
    Value t = tuple_new(na + nb);
    if (!t)
        return VAL_NULL;
    for (size_t i = 0; i < na; i++)
        as_tuple(t)->items[i] = incref(tuple_get(a, i));
    for (size_t i = 0; i < nb; i++)
        as_tuple(t)->items[na + i] = incref(tuple_get(b, i));
    return t;
}

static Value tuple_repeat(Value a, Value b) {
    Value seq = a, n = b;
    if (!val_is_tuple(a)) {
        seq = b;
        n = a;
    }
    if (!val_is_tuple(seq))
        return incref(VAL_NOTIMPL);
    if (seq == a && !val_is_int(n) && !val_type(n)->nb_index &&
        (val_type(n)->tflags & TF_HEAPTYPE) && type_lookup_cstr(val_type(n), "__rmul__"))
        return incref(VAL_NOTIMPL);
    int64_t count;
    if (tuple_repeat_count(n, &count) < 0)
        return VAL_NULL;
    size_t len = tuple_len(seq);
    if (len == 0 || count == 0)
        return tuple_empty();
    if (count == 1 && val_obj(seq)->type == &tuple_type)
        return incref(seq);
    if ((uint64_t)count > TUPLE_MAX_LEN / len)
        return exc_nomemory();
    Value t = tuple_new(len * (size_t)count);
    if (!t)
        return VAL_NULL;
    Value *dst = as_tuple(t)->items;
    for (int64_t k = 0; k < count; k++)
        for (size_t i = 0; i < len; i++)
            *dst++ = incref(tuple_get(seq, i));
    return t;
}

static Value tuple_iter(Value self);

static Value tuple_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    if (kwnames && tuple_len(kwnames) > 0 && t == &tuple_type)
        return exc_raise(&exc_TypeError, "tuple() takes no keyword arguments");
    if (nargs > 1)
        return exc_raise(&exc_TypeError, "tuple expected at most 1 argument, got %zu", nargs);
    Value base = nargs ? tuple_from_iterable(args[0]) : tuple_empty();
    if (!base || t == &tuple_type)
        return base;
    size_t n = tuple_len(base);
    Value r = alloc_tuple(t, n);
    if (r)
        for (size_t i = 0; i < n; i++)
            as_tuple(r)->items[i] = incref(tuple_get(base, i));
    decref(base);
    return r;
}

// ---------------------------------------------------------------------------
// Methods

static Value tuple_count_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (kwnames && tuple_len(kwnames))
        return exc_raise(&exc_TypeError, "tuple.count() takes no keyword arguments");
    if (nargs != 1)
        return exc_raise(&exc_TypeError, "tuple.count() takes exactly one argument (%zu given)", nargs);
    int64_t c = 0;
    for (size_t i = 0; i < tuple_len(self); i++) {
        int k = val_eq(tuple_get(self, i), args[0]);
        if (k < 0)
            return VAL_NULL;
        c += k;
    }
    return int_from_i64(c);
}

static Value tuple_index_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (kwnames && tuple_len(kwnames))
        return exc_raise(&exc_TypeError, "index() takes no keyword arguments");
    if (nargs < 1)
        return exc_raise(&exc_TypeError, "index expected at least 1 argument, got %zu", nargs);
    if (nargs > 3)
        return exc_raise(&exc_TypeError, "index expected at most 3 arguments, got %zu", nargs);
    int64_t start = 0, stop = INT64_MAX;
    if (nargs > 1 && tuple_slice_arg(args[1], false, &start) < 0)
        return VAL_NULL;
    if (nargs > 2 && tuple_slice_arg(args[2], false, &stop) < 0)
        return VAL_NULL;
    int64_t n = (int64_t)tuple_len(self);
    tuple_adjust_range(n, &start, &stop);
    for (int64_t i = start; i < stop && i < n; i++) {
        int k = val_eq(tuple_get(self, (size_t)i), args[0]);
        if (k < 0)
            return VAL_NULL;
        if (k)
            return int_from_i64(i);
    }
    return exc_raise(&exc_ValueError, "tuple.index(x): x not in tuple");
}

static Value tuple_len_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__len__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_i64((int64_t)tuple_len(self));
}

static Value tuple_getitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__getitem__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return tuple_getitem(self, args[0]);
}

static Value tuple_contains_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__contains__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int k = tuple_contains(self, args[0]);
    return k < 0 ? VAL_NULL : incref(bool_val(k));
}

static Value tuple_iter_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__iter__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return tuple_iter(self);
}

static Value tuple_add_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__add__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_tuple(args[0]))
        return incref(VAL_NOTIMPL);
    return tuple_concat(self, args[0]);
}

static Value tuple_mul_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__mul__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_int(args[0]) && !val_type(args[0])->nb_index)
        return incref(VAL_NOTIMPL);
    return tuple_repeat(self, args[0]);
}

static Value tuple_hash_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__hash__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    int64_t h;
    if (tuple_hash(self, &h) < 0)
        return VAL_NULL;
    return int_from_i64(h);
}

#define CMP_METH(name, op)                                                          \
    static Value tuple_##name##_meth(Value self, Value *args, size_t nargs, Value kw) { \
        if (args_check("__" #name "__", nargs, kw, 1, 1) < 0)                        \
            return VAL_NULL;                                                         \
        return tuple_richcmp(self, args[0], op);                                     \
    }
CMP_METH(lt, CMP_LT)
CMP_METH(le, CMP_LE)
CMP_METH(eq, CMP_EQ)
CMP_METH(ne, CMP_NE)
CMP_METH(gt, CMP_GT)
CMP_METH(ge, CMP_GE)
#undef CMP_METH

static const MethodDef tuple_methods[] = {
    {"count", tuple_count_meth, 0, "Return number of occurrences of value."},
    {"index", tuple_index_meth, 0, "Return first index of value."},
    {"__len__", tuple_len_meth, 0, NULL},
    {"__getitem__", tuple_getitem_meth, 0, NULL},
    {"__contains__", tuple_contains_meth, 0, NULL},
    {"__iter__", tuple_iter_meth, 0, NULL},
    {"__add__", tuple_add_meth, 0, NULL},
    {"__mul__", tuple_mul_meth, 0, NULL},
    {"__rmul__", tuple_mul_meth, 0, NULL},
    {"__hash__", tuple_hash_meth, 0, NULL},
    {"__lt__", tuple_lt_meth, 0, NULL},
    {"__le__", tuple_le_meth, 0, NULL},
    {"__eq__", tuple_eq_meth, 0, NULL},
    {"__ne__", tuple_ne_meth, 0, NULL},
    {"__gt__", tuple_gt_meth, 0, NULL},
    {"__ge__", tuple_ge_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type tuple_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "tuple",
    .basic_size = sizeof(Tuple),
    .tflags = TF_BASETYPE | TF_TUPLE_SUBCLASS,
    .dealloc = tuple_dealloc,
    .new_ = tuple_new_slot,
    .repr = tuple_repr,
    .hash = tuple_hash,
    .richcmp = tuple_richcmp,
    .iter = tuple_iter,
    .nb = {[NB_ADD] = tuple_concat, [NB_MUL] = tuple_repeat},
    .len = tuple_len_slot,
    .getitem = tuple_getitem,
    .contains = tuple_contains,
};

// ---------------------------------------------------------------------------
// tuple_iterator: [seq] is dropped once exhausted.

static Value tuple_iter(Value self) {
    TupleIter *it = obj_alloc(&tuple_iter_type, sizeof(TupleIter));
    if (!it)
        return VAL_NULL;
    it->seq = incref(self);
    it->index = 0;
    return obj_val(it);
}

static void tuple_iter_dealloc(Object *o) {
    clear_ref(&((TupleIter *)o)->seq);
    obj_free(o);
}

static Value iter_self(Value self) { return incref(self); }

static Value tuple_iter_next(Value self) {
    TupleIter *it = (TupleIter *)val_obj(self);
    if (UNLIKELY(obj_locking)) {
        // Free-threaded: a shared iterator's state moves under its lock; the
        // tuple is dropped after the lock is let go.
        Value r = VAL_NULL, drop = VAL_NULL;
        obj_lock(&it->ob);
        if (it->seq && it->index < tuple_len(it->seq)) {
            r = incref(tuple_get(it->seq, it->index++));
        } else {
            drop = it->seq;
            it->seq = VAL_NULL;
        }
        obj_unlock(&it->ob);
        decref(drop);
        return r;
    }
    if (!it->seq)
        return VAL_NULL;
    if (it->index < tuple_len(it->seq))
        return incref(tuple_get(it->seq, it->index++));
    clear_ref(&it->seq);
    return VAL_NULL;
}

static Value tuple_iter_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    TupleIter *it = (TupleIter *)val_obj(self);
    return int_from_i64(it->seq ? (int64_t)(tuple_len(it->seq) - it->index) : 0);
}

static Value tuple_iter_next_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__next__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Value r = tuple_iter_next(self);
    if (!r && !exc_occurred())
        exc_raise_object(obj_val(&exc_StopIteration));
    return r;
}

static const MethodDef tuple_iter_methods[] = {
    {"__next__", tuple_iter_next_meth, 0, NULL},
    {"__length_hint__", tuple_iter_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type tuple_iter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "tuple_iterator",
    .basic_size = sizeof(TupleIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = tuple_iter_dealloc,
    .iter = iter_self,
    .iternext = tuple_iter_next,
};

void tuple_type_init(void) {
    type_ready(&tuple_type);
    type_add_methods(&tuple_type, tuple_methods);
    type_ready(&tuple_iter_type);
    type_add_methods(&tuple_iter_type, tuple_iter_methods);
}
