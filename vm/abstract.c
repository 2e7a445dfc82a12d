// Protocols on any value, dispatched through the type slots.
//
// Binary operators follow CPython's rules: try the left operand's slot, then
// the right's, the right first when its type is a subclass of the left's
// that overrides the operation; NotImplemented from both is a TypeError
// naming the operator and both types. Rich comparisons likewise, with the
// reflected operator, and == / != falling back to identity.
#include "abstract.h"

#include "class.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "func.h"
#include "int.h"
#include "interp.h"
#include "list.h"
#include "names.h"
#include "seq.h"
#include "state.h"
#include "str.h"
#include "tuple.h"

const char *val_type_name(Value v) {
    return val_type(v)->name;
}

Value val_repr(Value v) {
    Type *t = val_type(v);
    if (recursion_enter(" while getting the repr of an object") < 0)
        return VAL_NULL;
    Value r = t->repr ? t->repr(v) : str_printf("<%s object at %p>", t->name, (void *)v);
    recursion_leave();
    if (r && !val_is_str(r)) {
        exc_raise(&exc_TypeError, "__repr__ returned non-string (type %s)", val_type_name(r));
        decref(r);
        return VAL_NULL;
    }
    return r;
}

Value val_str(Value v) {
    if (val_is_obj(v) && val_obj(v)->type == &str_type)
        return incref(v);
    Type *t = val_type(v);
    if (recursion_enter(" while getting the str of an object") < 0)
        return VAL_NULL;
    Value r = t->str ? t->str(v) : val_repr(v);
    recursion_leave();
    if (r && !val_is_str(r)) {
        exc_raise(&exc_TypeError, "__str__ returned non-string (type %s)", val_type_name(r));
        decref(r);
        return VAL_NULL;
    }
    return r;
}

Value val_ascii(Value v) {
    Value r = val_repr(v);
    if (!r || as_str(r)->ascii)
        return r;
    // Escape every non-ASCII code point as \xNN, \uNNNN or \UNNNNNNNN.
    const unsigned char *p = (const unsigned char *)str_cstr(r);
    const unsigned char *end = p + str_len(r);
    size_t cap = str_len(r) * 10 + 1;
    char *buf = malloc(cap);
    if (!buf) {
        decref(r);
        return exc_nomemory();
    }
    size_t n = 0;
    while (p < end) {
        if (*p < 0x80) {
            buf[n++] = (char)*p++;
            continue;
        }
        uint32_t cp = utf8_decode(&p);
        if (cp < 0x100)
            n += (size_t)sprintf(buf + n, "\\x%02x", cp);
        else if (cp < 0x10000)
            n += (size_t)sprintf(buf + n, "\\u%04x", cp);
        else
            n += (size_t)sprintf(buf + n, "\\U%08x", cp);
    }
    decref(r);
    return str_take(buf, n);
}

int val_hash(Value v, int64_t *out) {
    if (val_is_small(v)) {
        intptr_t i = small_get(v);
        // CPython: hash(i) == i for |i| < 2**61 - 1, except -1 -> -2.
        const int64_t M = ((int64_t)1 << 61) - 1;
        int64_t h = i >= 0 ? (int64_t)(i % M) : -(int64_t)((-i) % M);
        *out = h == -1 ? -2 : h;
        return 0;
    }
    Type *t = val_obj(v)->type;
    if (!t->hash)
        return exc_raise_int(&exc_TypeError, "unhashable type: '%s'", t->name);
    return t->hash(v, out);
}

int val_truthy(Value v) {
    if (v == VAL_TRUE)
        return 1;
    if (v == VAL_FALSE || v == VAL_NONE)
        return 0;
    if (val_is_small(v))
        return small_get(v) != 0;
    Type *t = val_obj(v)->type;
    if (t->nb_bool)
        return t->nb_bool(v);
    if (t->len) {
        int64_t n = t->len(v);
        return n < 0 ? -1 : n > 0;
    }
    return 1;
}

static const int swapped_op[] = {
    [CMP_LT] = CMP_GT, [CMP_LE] = CMP_GE, [CMP_EQ] = CMP_EQ,
    [CMP_NE] = CMP_NE, [CMP_GT] = CMP_LT, [CMP_GE] = CMP_LE,
};
static const char *const cmp_symbols[] = {"<", "<=", "==", "!=", ">", ">="};

Value val_richcmp(Value a, Value b, int op) {
    if (recursion_enter(" in comparison") < 0)
        return VAL_NULL;
    Type *ta = val_type(a), *tb = val_type(b);
    Value r;
    bool checked_reverse = false;
    if (ta != tb && type_is_subtype(tb, ta) && tb->richcmp) {
        checked_reverse = true;
        r = tb->richcmp(b, a, swapped_op[op]);
        if (!r || r != VAL_NOTIMPL)
            goto done;
        decref(r);
    }
    if (ta->richcmp) {
        r = ta->richcmp(a, b, op);
        if (!r || r != VAL_NOTIMPL)
            goto done;
        decref(r);
    }
    if (!checked_reverse && tb->richcmp) {
        r = tb->richcmp(b, a, swapped_op[op]);
        if (!r || r != VAL_NOTIMPL)
            goto done;
        decref(r);
    }
    if (op == CMP_EQ) {
        r = incref(bool_val(a == b));
    } else if (op == CMP_NE) {
        r = incref(bool_val(a != b));
    } else {
        r = exc_raise(&exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                      cmp_symbols[op], ta->name, tb->name);
    }
done:
    recursion_leave();
    return r;
}

int val_richcmp_bool(Value a, Value b, int op) {
    if (val_is_small(a) && val_is_small(b)) {
        intptr_t x = small_get(a), y = small_get(b);
        switch (op) {
        case CMP_LT: return x < y;
        case CMP_LE: return x <= y;
        case CMP_EQ: return x == y;
        case CMP_NE: return x != y;
        case CMP_GT: return x > y;
        default: return x >= y;
        }
    }
    Value r = val_richcmp(a, b, op);
    if (!r)
        return -1;
    int t = r == VAL_TRUE ? 1 : r == VAL_FALSE ? 0 : val_truthy(r);
    decref(r);
    return t;
}

int val_eq(Value a, Value b) {
    if (a == b)
        return 1;
    if (val_is_small(a) && val_is_small(b))
        return 0;
    if (val_is_str(a) && val_is_str(b) && val_obj(a)->type == &str_type &&
        val_obj(b)->type == &str_type)
        return str_eq(a, b);
    return val_richcmp_bool(a, b, CMP_EQ);
}

static const char *const nb_symbols[NB_COUNT] = {
#define X(name, sym, d, r, i) sym,
    NB_OPS(X)
#undef X
};

static Value binop_slots(Value a, Value b, int op) {
    Type *ta = val_type(a), *tb = val_type(b);
    BinaryFunc fa = ta->nb[op];
    BinaryFunc fb = tb != ta ? tb->nb[op] : NULL;
    if (fa == fb)
        fb = NULL;
    if (fa) {
        if (fb && type_is_subtype(tb, ta)) {
            Value r = fb(a, b);
            if (r != VAL_NOTIMPL)
                return r;
            decref(r);
            fb = NULL;
        }
        Value r = fa(a, b);
        if (r != VAL_NOTIMPL)
            return r;
        decref(r);
    }
    if (fb)
        return fb(a, b);
    return incref(VAL_NOTIMPL);
}

static Value binop_type_error(Value a, Value b, int op, bool inplace) {
    if (op == NB_MOD && val_is_str(a))
        return exc_raise(&exc_TypeError, "not all arguments converted during string formatting");
    if (op == NB_ADD && val_is_str(a) && !inplace)
        return exc_raise(&exc_TypeError, "can only concatenate str (not \"%s\") to str",
                         val_type_name(b));
    if (op == NB_ADD && val_is_list(a))
        return exc_raise(&exc_TypeError, "can only concatenate list (not \"%s\") to list",
                         val_type_name(b));
    if (op == NB_ADD && val_is_tuple(a))
        return exc_raise(&exc_TypeError, "can only concatenate tuple (not \"%s\") to tuple",
                         val_type_name(b));
    if (op == NB_POW)
        return exc_raise(&exc_TypeError,
                         "unsupported operand type(s) for %s: '%s' and '%s'",
                         inplace ? "**=" : "** or pow()", val_type_name(a), val_type_name(b));
    return exc_raise(&exc_TypeError, "unsupported operand type(s) for %s%s: '%s' and '%s'",
                     nb_symbols[op], inplace ? "=" : "", val_type_name(a), val_type_name(b));
}

Value val_binop(Value a, Value b, int op) {
    Value r = binop_slots(a, b, op);
    if (r != VAL_NOTIMPL)
        return r;
    decref(r);
    // Sequence repetition: int * seq.
    if (op == NB_MUL && val_is_int(a) && val_type(b)->nb[NB_MUL])
        return val_type(b)->nb[NB_MUL](b, a);
    return binop_type_error(a, b, op, false);
}

Value val_inplace(Value a, Value b, int op) {
    BinaryFunc f = val_type(a)->nb_inplace[op];
    if (f) {
        Value r = f(a, b);
        if (r != VAL_NOTIMPL)
            return r;
        decref(r);
    }
    Value r = binop_slots(a, b, op);
    if (r != VAL_NOTIMPL)
        return r;
    decref(r);
    if (op == NB_MUL && val_is_int(a) && val_type(b)->nb[NB_MUL])
        return val_type(b)->nb[NB_MUL](b, a);
    return binop_type_error(a, b, op, true);
}

#define UNARY(fn, slot, sym)                                                               \
    Value fn(Value v) {                                                                    \
        Type *t = val_type(v);                                                             \
        if (!t->slot)                                                                      \
            return exc_raise(&exc_TypeError, "bad operand type for " sym ": '%s'", t->name); \
        return t->slot(v);                                                                 \
    }
UNARY(val_neg, nb_neg, "unary -")
UNARY(val_pos, nb_pos, "unary +")
UNARY(val_invert, nb_invert, "unary ~")
UNARY(val_abs, nb_abs, "abs()")

Value val_getattr(Value obj, Value name) {
    Type *t = val_type(obj);
    if (t->getattr)
        return t->getattr(obj, name);
    return generic_getattr(obj, name);
}

Value val_getattr_cstr(Value obj, const char *name) {
    return val_getattr(obj, str_intern_cstr(name));
}

Value val_getattr_opt(Value obj, Value name) {
    Value r = val_getattr(obj, name);
    if (!r && exc_matches(&exc_AttributeError))
        exc_clear();
    return r;
}

int val_setattr(Value obj, Value name, Value v) {
    Type *t = val_type(obj);
    if (t->setattr)
        return t->setattr(obj, name, v);
    if (t->getattr && !t->setattr) {
        if (type_lookup(t, name))
            return exc_raise_int(&exc_AttributeError, "'%s' object attribute '%s' is read-only",
                                 t->name, str_cstr(name));
        return exc_raise_int(&exc_AttributeError, "'%s' object has no attribute '%s'", t->name,
                             str_cstr(name));
    }
    return generic_setattr(obj, name, v);
}

Value val_getitem(Value obj, Value key) {
    Type *t = val_type(obj);
    if (t->getitem)
        return t->getitem(obj, key);
    if (t == &type_type) {
        // Generic alias syntax (list[int]) -- return the class itself.
        Value f = type_lookup((Type *)val_obj(obj), names.__class_getitem__);
        if (f)
            return val_call2(f, obj, key);
        if (obj == obj_val(&type_type) || ((Type *)val_obj(obj))->tflags == 0)
            return incref(obj);
        return exc_raise(&exc_TypeError, "type '%s' is not subscriptable",
                         ((Type *)val_obj(obj))->name);
    }
    return exc_raise(&exc_TypeError, "'%s' object is not subscriptable", t->name);
}

int val_setitem(Value obj, Value key, Value v) {
    Type *t = val_type(obj);
    if (t->setitem)
        return t->setitem(obj, key, v);
    return exc_raise_int(&exc_TypeError, "'%s' object does not support item assignment", t->name);
}

int val_delitem(Value obj, Value key) {
    Type *t = val_type(obj);
    if (t->setitem)
        return t->setitem(obj, key, VAL_NULL);
    return exc_raise_int(&exc_TypeError, "'%s' object doesn't support item deletion", t->name);
}

int val_contains(Value container, Value item) {
    Type *t = val_type(container);
    if (t->contains)
        return t->contains(container, item);
    if (!t->iter && !t->getitem)
        return exc_raise_int(&exc_TypeError, "argument of type '%s' is not iterable", t->name);
    Value it = val_iter(container);
    if (!it)
        return -1;
    for (;;) {
        Value x = val_next(it);
        if (!x) {
            decref(it);
            return exc_occurred() ? -1 : 0;
        }
        int eq = val_eq(x, item);
        decref(x);
        if (eq != 0) {
            decref(it);
            return eq;
        }
    }
}

int64_t val_len(Value v) {
    Type *t = val_type(v);
    if (!t->len)
        return exc_raise_int(&exc_TypeError, "object of type '%s' has no len()", t->name);
    return t->len(v);
}

Value val_iter(Value v) {
    Type *t = val_type(v);
    if (t->iter) {
        Value it = t->iter(v);
        if (it && !val_type(it)->iternext) {
            exc_raise(&exc_TypeError, "iter() returned non-iterator of type '%s'",
                      val_type_name(it));
            decref(it);
            return VAL_NULL;
        }
        return it;
    }
    if (t->getitem)
        return seq_iter_new(v);
    return exc_raise(&exc_TypeError, "'%s' object is not iterable", t->name);
}

Value val_next(Value it) {
    Type *t = val_type(it);
    if (!t->iternext)
        return exc_raise(&exc_TypeError, "'%s' object is not an iterator", t->name);
    Value v = t->iternext(it);
    if (!v && exc_occurred() && exc_matches(&exc_StopIteration))
        exc_clear();
    return v;
}

Value val_call(Value f, Value *args, size_t nargs, Value kwnames) {
    Type *t = val_type(f);
    if (!t->call)
        return exc_raise(&exc_TypeError, "'%s' object is not callable", t->name);
    if (kwnames && tuple_len(kwnames) == 0)
        kwnames = VAL_NULL;
    return t->call(f, args, nargs, kwnames);
}

Value val_call0(Value f) {
    return val_call(f, NULL, 0, VAL_NULL);
}

Value val_call1(Value f, Value a) {
    return val_call(f, &a, 1, VAL_NULL);
}

Value val_call2(Value f, Value a, Value b) {
    Value args[2] = {a, b};
    return val_call(f, args, 2, VAL_NULL);
}

Value val_call_method(Value obj, const char *name, Value *args, size_t nargs) {
    bool is_method;
    Value m = obj_get_method(obj, str_intern_cstr(name), &is_method);
    if (!m)
        return VAL_NULL;
    Value r;
    if (is_method) {
        Value stackbuf[8];
        Value *argv = nargs + 1 <= 8 ? stackbuf : malloc((nargs + 1) * sizeof(Value));
        if (!argv) {
            decref(m);
            return exc_nomemory();
        }
        argv[0] = obj;
        if (nargs)
            memcpy(argv + 1, args, nargs * sizeof(Value));
        r = val_call(m, argv, nargs + 1, VAL_NULL);
        if (argv != stackbuf)
            free(argv);
    } else {
        r = val_call(m, args, nargs, VAL_NULL);
    }
    decref(m);
    return r;
}

Value val_format(Value v, Value spec) {
    if (val_is_str(v) && val_obj(v)->type == &str_type && (!spec || str_len(spec) == 0))
        return incref(v);
    Value empty = VAL_NULL;
    if (!spec) {
        empty = str_intern_cstr("");
        spec = empty;
    }
    Value r = val_call_method(v, "__format__", &spec, 1);
    if (r && !val_is_str(r)) {
        exc_raise(&exc_TypeError, "__format__ must return a str, not %s", val_type_name(r));
        decref(r);
        return VAL_NULL;
    }
    return r;
}

Value val_to_int(Value v) {
    return val_call1(obj_val(&int_type), v);
}

Value val_to_float(Value v) {
    return val_call1(obj_val(&float_type), v);
}

bool val_is_callable(Value v) {
    return val_type(v)->call != NULL;
}

static int isinstance_one(Value v, Value cls) {
    if (!val_is_obj(cls) || val_obj(cls)->type != &type_type) {
        if (val_is_tuple(cls)) {
            for (size_t i = 0; i < tuple_len(cls); i++) {
                int r = isinstance_one(v, tuple_get(cls, i));
                if (r != 0)
                    return r;
            }
            return 0;
        }
        return exc_raise_int(&exc_TypeError,
                             "isinstance() arg 2 must be a type, a tuple of types, or a union");
    }
    return val_isinstance(v, (Type *)val_obj(cls));
}

int val_isinstance_check(Value v, Value cls) {
    if (recursion_enter(" in __instancecheck__") < 0)
        return -1;
    int r = isinstance_one(v, cls);
    recursion_leave();
    return r;
}

static int issubclass_one(Value d, Value cls) {
    if (!val_is_obj(cls) || val_obj(cls)->type != &type_type) {
        if (val_is_tuple(cls)) {
            for (size_t i = 0; i < tuple_len(cls); i++) {
                int r = issubclass_one(d, tuple_get(cls, i));
                if (r != 0)
                    return r;
            }
            return 0;
        }
        return exc_raise_int(&exc_TypeError,
                             "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    }
    return type_is_subtype((Type *)val_obj(d), (Type *)val_obj(cls));
}

int val_issubclass_check(Value derived, Value cls) {
    if (!val_is_obj(derived) || val_obj(derived)->type != &type_type)
        return exc_raise_int(&exc_TypeError, "issubclass() arg 1 must be a class");
    return issubclass_one(derived, cls);
}

// --- recursion guards -------------------------------------------------------------

int recursion_enter(const char *where) {
    ThreadState *ts = ts_cur;
    char probe;
    if (++ts->depth > ts->interp->recursion_limit && !ts->recursion_headroom) {
        ts->depth--;
        ts->recursion_headroom = true;
        exc_raise(&exc_RecursionError, "maximum recursion depth exceeded%s", where);
        ts->recursion_headroom = false;
        return -1;
    }
    if (&probe < ts->c_stack_limit) {
        ts->depth--;
        exc_raise(&exc_RecursionError, "maximum recursion depth exceeded%s", where);
        return -1;
    }
    return 0;
}

void recursion_leave(void) {
    ts_cur->depth--;
}

int repr_enter(Value obj) {
    ThreadState *ts = ts_cur;
    if (!ts->repr_stack) {
        ts->repr_stack = list_new(4);
        if (!ts->repr_stack)
            return -1;
    }
    List *l = as_list(ts->repr_stack);
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i] == obj)
            return 1;
    // Borrowed entries: the caller keeps [obj] alive until repr_leave.
    if (list_append(ts->repr_stack, VAL_NONE) < 0)
        return -1;
    l->items[l->len - 1] = obj;
    return 0;
}

void repr_leave(Value obj) {
    ThreadState *ts = ts_cur;
    if (!ts->repr_stack)
        return;
    List *l = as_list(ts->repr_stack);
    for (size_t i = l->len; i-- > 0;) {
        if (l->items[i] == obj) {
            memmove(l->items + i, l->items + i + 1, (l->len - i - 1) * sizeof(Value));
            l->len--;
            return;
        }
    }
}
