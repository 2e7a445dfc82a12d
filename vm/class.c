// Types as objects: `type` and `object`, class statements, instances,
// attribute lookup, super().
//
// Static types (int, list, ...) are immortal C structs made ready once at
// start-up (type_ready): their dict and MRO are built then and never change.
// A class statement makes a heap type (type_new_class): counted like any
// object, kept alive by each of its instances (obj_alloc increfs it). Its
// slots are inherited from the base that decides its layout and then pointed
// at wrappers (slot_*) for every dunder method the class or a heap base
// defines, so the interpreter calls user-defined __add__ or __eq__ through
// the same slots as built-in ones. Assigning a dunder on the class later
// refreshes the slots.
//
// Instance layout: the base's layout plus, when the base has none, one Value
// slot for the instance dict at [dict_offset]. The dict is created on the
// first attribute store.
#include "class.h"

#include "abstract.h"
#include "dict.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "interp.h"
#include "list.h"
#include "names.h"
#include "state.h"
#include "str.h"
#include "tuple.h"

const char *type_name(const Type *t) {
    return t->name;
}

bool type_is_subtype(const Type *t, const Type *base) {
    if (t == base)
        return true;
    if (t->mro) {
        Tuple *mro = as_tuple(t->mro);
        for (size_t i = 0; i < mro->len; i++)
            if (mro->items[i] == obj_val(base))
                return true;
        return false;
    }
    for (const Type *b = t->base; b; b = b->base)
        if (b == base)
            return true;
    return base == &object_type;
}

// Advanced on every change to any class namespace; see MCacheEntry.
_Atomic uint64_t type_epoch = 1;

void type_modified(void) {
    atomic_fetch_add_explicit(&type_epoch, 1, memory_order_release);
}

static Value type_lookup_uncached(Type *t, Value name);

Value type_lookup(Type *t, Value name) {
    ThreadState *ts = ts_cur;
    if (LIKELY(ts && as_str(name)->interned)) {
        uint64_t epoch = atomic_load_explicit(&type_epoch, memory_order_acquire);
        size_t h = (((uintptr_t)t >> 5) ^ ((uintptr_t)name >> 4)) & (MCACHE_SIZE - 1);
        MCacheEntry *e = &ts->mcache[h];
        if (e->type == t && e->name == name && e->epoch == epoch)
            return e->value;
        Value v = type_lookup_uncached(t, name);
        if (!exc_occurred()) {
            e->type = t;
            e->name = name;
            e->value = v;
            e->epoch = epoch;
        }
        return v;
    }
    return type_lookup_uncached(t, name);
}

static Value type_lookup_uncached(Type *t, Value name) {
    if (!t->mro) {
        for (Type *b = t; b; b = b->base) {
            if (b->dict) {
                Value v = dict_get(b->dict, name);
                if (v) {
                    decref(v);   // type dicts keep their values alive
                    return v;
                }
            }
        }
        return VAL_NULL;
    }
    Tuple *mro = as_tuple(t->mro);
    for (size_t i = 0; i < mro->len; i++) {
        Type *b = (Type *)val_obj(mro->items[i]);
        Value v = dict_get(b->dict, name);
        if (v) {
            decref(v);
            return v;
        }
    }
    return VAL_NULL;
}

Value type_lookup_cstr(Type *t, const char *name) {
    return type_lookup(t, str_intern_cstr(name));
}

Value *obj_dict_slot(Value obj) {
    if (!val_is_obj(obj))
        return NULL;
    Type *t = val_obj(obj)->type;
    if (!t->dict_offset)
        return NULL;
    return (Value *)((char *)val_obj(obj) + t->dict_offset);
}

// Mark [t]: an instance dict may now hide one of its methods. Once set the
// flag stays; the compare-and-swap makes the epoch bump happen once.
static void type_set_instance_shadows(Type *t) {
    if (atomic_load_explicit(&t->instance_shadows, RELAXED))
        return;
    atomic_store_explicit(&t->instance_shadows, true, RELAXED);
    type_modified();
}

Value obj_dict_ensure(Value *slot) {
    Value d = obj_dict_peek(slot);
    if (d)
        return d;
    Value fresh = dict_new();
    if (!fresh)
        return VAL_NULL;
    Value expected = VAL_NULL;
    if (atomic_compare_exchange_strong_explicit((_Atomic Value *)slot, &expected, fresh,
                                                memory_order_acq_rel, memory_order_acquire))
        return fresh;
    decref(fresh);   // another thread made it first
    return expected;
}

// --- attribute access --------------------------------------------------------

static Value attr_error(Value obj, Value name) {
    return exc_raise(&exc_AttributeError, "'%s' object has no attribute '%s'", val_type_name(obj),
                     str_cstr(name));
}

static bool is_data_descr(Value d) {
    Type *dt = val_type(d);
    return dt->descr_get && dt->descr_set;
}

Value generic_getattr(Value obj, Value name) {
    Type *t = val_type(obj);
    Value descr = type_lookup(t, name);
    if (descr && is_data_descr(descr))
        return val_type(descr)->descr_get(descr, obj, obj_val(t));
    Value *ds = obj_dict_slot(obj);
    Value idict = ds ? obj_dict_peek(ds) : VAL_NULL;
    if (idict) {
        Value v = dict_get(idict, name);
        if (v)
            return v;
        if (exc_occurred())
            return VAL_NULL;
    }
    if (descr) {
        Type *dt = val_type(descr);
        if (dt->descr_get)
            return dt->descr_get(descr, obj, obj_val(t));
        return incref(descr);
    }
    if (name == names.__dict__ && ds) {
        Value d = obj_dict_ensure(ds);
        if (!d)
            return VAL_NULL;
        // The dict escapes: any method name may be stored into it directly.
        type_set_instance_shadows(t);
        return incref(d);
    }
    if (t->tflags & TF_HEAPTYPE) {
        Value ga = type_lookup(t, names.__getattr__);
        if (ga)
            return val_call2(ga, obj, name);
    }
    return attr_error(obj, name);
}

int generic_setattr(Value obj, Value name, Value v) {
    Type *t = val_type(obj);
    Value descr = type_lookup(t, name);
    if (descr && val_type(descr)->descr_set)
        return val_type(descr)->descr_set(descr, obj, v);
    Value *ds = obj_dict_slot(obj);
    if (!ds) {
        if (descr)
            return exc_raise_int(&exc_AttributeError, "'%s' object attribute '%s' is read-only",
                                 t->name, str_cstr(name));
        return exc_raise_int(&exc_AttributeError, "'%s' object has no attribute '%s'", t->name,
                             str_cstr(name));
    }
    if (!v) {
        Value d = obj_dict_peek(ds);
        int r = d ? dict_del(d, name) : 0;
        if (r == 0) {
            attr_error(obj, name);
            return -1;
        }
        return r < 0 ? -1 : 0;
    }
    Value d = obj_dict_ensure(ds);
    if (!d)
        return -1;
    // An instance attribute now hides a class attribute: method caches for
    // this class must look at the instance dict again.
    if (descr)
        type_set_instance_shadows(t);
    return dict_set(d, name, v);
}

Value obj_get_method(Value obj, Value name, bool *is_method) {
    Type *t = val_type(obj);
    *is_method = false;
    if (t->getattr == generic_getattr) {
        Value descr = type_lookup(t, name);
        if (descr) {
            Type *dt = val_type(descr);
            if (dt == &function_type || dt == &method_descr_type || dt == &slot_wrapper_type) {
                Value *ds = obj_dict_slot(obj);
                Value idict = ds ? obj_dict_peek(ds) : VAL_NULL;
                if (idict) {
                    Value v = dict_get(idict, name);
                    if (v)
                        return v;
                    if (exc_occurred())
                        return VAL_NULL;
                }
                if (dt == &method_descr_type &&
                    (((MethodDescr *)val_obj(descr))->def->flags & (METH_STATIC | METH_CLASS)))
                    return dt->descr_get(descr, obj, obj_val(t));
                *is_method = true;
                return incref(descr);
            }
        }
    }
    return val_getattr(obj, name);
}

// --- type creation -------------------------------------------------------------

// Copy every slot [t] leaves empty from [b].
static void inherit_slots(Type *t, const Type *b) {
#define INHERIT(f)      \
    if (!t->f)          \
        t->f = b->f;
    INHERIT(dealloc)
    INHERIT(new_)
    INHERIT(init)
    INHERIT(repr)
    INHERIT(str)
    INHERIT(hash)
    INHERIT(richcmp)
    INHERIT(getattr)
    INHERIT(setattr)
    INHERIT(call)
    INHERIT(iter)
    INHERIT(iternext)
    INHERIT(descr_get)
    INHERIT(descr_set)
    INHERIT(nb_neg)
    INHERIT(nb_pos)
    INHERIT(nb_invert)
    INHERIT(nb_abs)
    INHERIT(nb_int)
    INHERIT(nb_float)
    INHERIT(nb_index)
    INHERIT(nb_bool)
    INHERIT(len)
    INHERIT(getitem)
    INHERIT(setitem)
    INHERIT(contains)
    for (int i = 0; i < NB_COUNT; i++) {
        INHERIT(nb[i])
        INHERIT(nb_inplace[i])
    }
#undef INHERIT
    if (!t->basic_size)
        t->basic_size = b->basic_size;
    if (!t->dict_offset)
        t->dict_offset = b->dict_offset;
    t->tflags |= b->tflags & (TF_INT_SUBCLASS | TF_STR_SUBCLASS | TF_TUPLE_SUBCLASS |
                              TF_LIST_SUBCLASS | TF_DICT_SUBCLASS | TF_EXC_SUBCLASS |
                              TF_TYPE_SUBCLASS);
}


// --- slot wrappers ---------------------------------------------------------------
//
// A static type implements its protocols in C slots; Python code still sees
// them as methods (`it.__next__()`, `super().__init__(msg)`, `int.__add__`).
// type_ready puts one SlotWrapper in the type's dict for every slot the type
// defines itself; calling it calls that type's slot on the first argument.

typedef enum {
    SW_REPR, SW_STR, SW_HASH, SW_ITER, SW_NEXT, SW_LEN, SW_GETITEM, SW_SETITEM, SW_DELITEM,
    SW_CONTAINS, SW_CALL, SW_BOOL, SW_INIT, SW_NEG, SW_POS, SW_ABS, SW_INVERT, SW_INT,
    SW_FLOAT, SW_INDEX, SW_CMP, SW_NB, SW_RNB,
} SlotKind;

typedef struct {
    Object ob;
    Type *owner;
    SlotKind kind;
    int op;               // SW_CMP: CMP_*; SW_NB/SW_RNB: NB_*
    Value name;           // interned
} SlotWrapper;

Type slot_wrapper_type;

static bool is_builtin_method(Value f) {
    Type *t = val_type(f);
    return t == &method_descr_type || t == &slot_wrapper_type;
}

static Value slot_wrapper_call(Value wv, Value *args, size_t nargs, Value kwnames) {
    SlotWrapper *w = (SlotWrapper *)val_obj(wv);
    Type *t = w->owner;
    const char *name = str_cstr(w->name);
    if (nargs < 1)
        return exc_raise(&exc_TypeError, "descriptor '%s' of '%s' object needs an argument", name,
                         t->name);
    Value self = args[0];
    if (!val_isinstance(self, t))
        return exc_raise(&exc_TypeError,
                         "descriptor '%s' requires a '%s' object but received a '%s'", name,
                         t->name, val_type_name(self));
    args++;
    nargs--;
    size_t want;
    switch (w->kind) {
    case SW_CALL:
        return t->call(self, args, nargs, kwnames);
    case SW_INIT:
        if (t->init(self, args, nargs, kwnames) < 0)
            return VAL_NULL;
        return incref(VAL_NONE);
    case SW_GETITEM: case SW_DELITEM: case SW_CONTAINS: case SW_CMP: case SW_NB: case SW_RNB:
        want = 1;
        break;
    case SW_SETITEM:
        want = 2;
        break;
    default:
        want = 0;
        break;
    }
    if (kwnames && tuple_len(kwnames))
        return exc_raise(&exc_TypeError, "%s() takes no keyword arguments", name);
    if (nargs != want)
        return exc_raise(&exc_TypeError, "expected %zu argument%s, got %zu", want,
                         want == 1 ? "" : "s", nargs);
    switch (w->kind) {
    case SW_REPR: return t->repr(self);
    case SW_STR: return t->str(self);
    case SW_HASH: {
        int64_t h;
        if (t->hash(self, &h) < 0)
            return VAL_NULL;
        return int_from_i64(h);
    }
    case SW_ITER: return t->iter(self);
    case SW_NEXT: {
        Value r = t->iternext(self);
        if (!r && !exc_occurred())
            exc_raise_value(&exc_StopIteration, VAL_NULL);
        return r;
    }
    case SW_LEN: {
        int64_t n = t->len(self);
        return n < 0 ? VAL_NULL : int_from_i64(n);
    }
    case SW_GETITEM: return t->getitem(self, args[0]);
    case SW_SETITEM:
    case SW_DELITEM:
        if (t->setitem(self, args[0], w->kind == SW_SETITEM ? args[1] : VAL_NULL) < 0)
            return VAL_NULL;
        return incref(VAL_NONE);
    case SW_CONTAINS: {
        int r = t->contains(self, args[0]);
        return r < 0 ? VAL_NULL : incref(bool_val(r));
    }
    case SW_BOOL: {
        int r = t->nb_bool(self);
        return r < 0 ? VAL_NULL : incref(bool_val(r));
    }
    case SW_NEG: return t->nb_neg(self);
    case SW_POS: return t->nb_pos(self);
    case SW_ABS: return t->nb_abs(self);
    case SW_INVERT: return t->nb_invert(self);
    case SW_INT: return t->nb_int(self);
    case SW_FLOAT: return t->nb_float(self);
    case SW_INDEX: return t->nb_index(self);
    case SW_CMP: return t->richcmp(self, args[0], w->op);
    case SW_NB: return t->nb[w->op](self, args[0]);
    case SW_RNB: return t->nb[w->op](args[0], self);
    default: return incref(VAL_NONE);
    }
}

static Value slot_wrapper_get(Value wv, Value obj, Value type) {
    UNUSED(type);
    if (!obj)
        return incref(wv);
    return method_new(wv, obj);
}

static Value slot_wrapper_repr(Value wv) {
    SlotWrapper *w = (SlotWrapper *)val_obj(wv);
    return str_printf("<slot wrapper '%s' of '%s' objects>", str_cstr(w->name), w->owner->name);
}

static void slot_wrapper_dealloc(Object *o) {
    obj_free(o);
}

Type slot_wrapper_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "wrapper_descriptor",
    .basic_size = sizeof(SlotWrapper),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = slot_wrapper_dealloc,
    .repr = slot_wrapper_repr,
    .call = slot_wrapper_call,
    .descr_get = slot_wrapper_get,
};

static void add_wrapper(Type *t, const char *name, SlotKind kind, int op) {
    Value key = str_intern_cstr(name);
    Value have = dict_get(t->dict, key);
    if (have) {
        decref(have);
        return;
    }
    SlotWrapper *w = obj_alloc(&slot_wrapper_type, sizeof(SlotWrapper));
    if (!w) {
        exc_clear();
        return;
    }
    w->owner = t;
    w->kind = kind;
    w->op = op;
    w->name = key;
    obj_make_immortal(&w->ob);
    dict_set(t->dict, key, obj_val(w));
}

// Wrappers for the slots [t] defines itself (not inherited from [b]).
static void add_slot_wrappers(Type *t, const Type *b) {
#define OWN(f) (t->f && (!b || t->f != b->f))
    if (OWN(repr)) add_wrapper(t, "__repr__", SW_REPR, 0);
    if (OWN(str)) add_wrapper(t, "__str__", SW_STR, 0);
    if (OWN(hash)) add_wrapper(t, "__hash__", SW_HASH, 0);
    if (OWN(iter)) add_wrapper(t, "__iter__", SW_ITER, 0);
    if (OWN(iternext)) add_wrapper(t, "__next__", SW_NEXT, 0);
    if (OWN(len)) add_wrapper(t, "__len__", SW_LEN, 0);
    if (OWN(getitem)) add_wrapper(t, "__getitem__", SW_GETITEM, 0);
    if (OWN(setitem)) {
        add_wrapper(t, "__setitem__", SW_SETITEM, 0);
        add_wrapper(t, "__delitem__", SW_DELITEM, 0);
    }
    if (OWN(contains)) add_wrapper(t, "__contains__", SW_CONTAINS, 0);
    if (OWN(call)) add_wrapper(t, "__call__", SW_CALL, 0);
    if (OWN(nb_bool)) add_wrapper(t, "__bool__", SW_BOOL, 0);
    if (OWN(init)) add_wrapper(t, "__init__", SW_INIT, 0);
    if (OWN(nb_neg)) add_wrapper(t, "__neg__", SW_NEG, 0);
    if (OWN(nb_pos)) add_wrapper(t, "__pos__", SW_POS, 0);
    if (OWN(nb_abs)) add_wrapper(t, "__abs__", SW_ABS, 0);
    if (OWN(nb_invert)) add_wrapper(t, "__invert__", SW_INVERT, 0);
    if (OWN(nb_int)) add_wrapper(t, "__int__", SW_INT, 0);
    if (OWN(nb_float)) add_wrapper(t, "__float__", SW_FLOAT, 0);
    if (OWN(nb_index)) add_wrapper(t, "__index__", SW_INDEX, 0);
    if (OWN(richcmp) && t != &object_type) {
        static const char *const cn[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
        for (int i = 0; i < 6; i++)
            add_wrapper(t, cn[i], SW_CMP, i);
    }
    static const char *const dn[NB_COUNT] = {
#define X(name, sym, d, r, i) d,
        NB_OPS(X)
#undef X
    };
    static const char *const rn[NB_COUNT] = {
#define X(name, sym, d, r, i) r,
        NB_OPS(X)
#undef X
    };
    for (int i = 0; i < NB_COUNT; i++) {
        if (OWN(nb[i])) {
            add_wrapper(t, dn[i], SW_NB, i);
            add_wrapper(t, rn[i], SW_RNB, i);
        }
    }
#undef OWN
}

void type_ready(Type *t) {
    if (t->mro)
        return;
    if (!t->base && t != &object_type)
        t->base = &object_type;
    if (t->base && !t->base->mro)
        type_ready(t->base);
    if (!t->dict) {
        t->dict = dict_new();
        obj_make_immortal(val_obj(t->dict));
    }
    size_t n = 0;
    for (Type *b = t; b; b = b->base)
        n++;
    Value mro = tuple_new(n);
    n = 0;
    for (Type *b = t; b; b = b->base)
        tuple_set_steal(mro, n++, obj_val(b));
    obj_make_immortal(val_obj(mro));
    if (!(t->tflags & TF_HEAPTYPE) && t != &slot_wrapper_type)
        add_slot_wrappers(t, t->base);
    if (t->base)
        inherit_slots(t, t->base);
    t->mro = mro;
    if (!t->name_obj) {
        const char *dot = strrchr(t->name, '.');
        t->name_obj = str_intern_cstr(dot ? dot + 1 : t->name);
    }
}

// C3 linearisation of [bases] for the new type [t]. New reference (Tuple).
static Value c3_mro(Type *t, Value bases) {
    size_t nb = tuple_len(bases);
    if (nb == 1) {
        Tuple *bm = as_tuple(((Type *)val_obj(tuple_get(bases, 0)))->mro);
        Value mro = tuple_new(bm->len + 1);
        if (!mro)
            return VAL_NULL;
        // mro[0] is the type itself, not counted (no self-cycle); see
        // heap_type_dealloc and the __mro__ getter.
        tuple_set_steal(mro, 0, obj_val(t));
        for (size_t i = 0; i < bm->len; i++)
            tuple_set_steal(mro, i + 1, incref(bm->items[i]));
        return mro;
    }
    // Sequences to merge: each base's MRO, then the list of bases.
    size_t nseq = nb + 1;
    Value *seqs[nseq];
    size_t lens[nseq], heads[nseq];
    for (size_t i = 0; i < nb; i++) {
        Tuple *bm = as_tuple(((Type *)val_obj(tuple_get(bases, i)))->mro);
        seqs[i] = bm->items;
        lens[i] = bm->len;
        heads[i] = 0;
    }
    seqs[nb] = as_tuple(bases)->items;
    lens[nb] = nb;
    heads[nb] = 0;
    Value out = list_new(8);
    if (!out)
        return VAL_NULL;
    list_append(out, obj_val(t));
    for (;;) {
        bool any = false;
        Value cand = VAL_NULL;
        for (size_t i = 0; i < nseq && !cand; i++) {
            if (heads[i] >= lens[i])
                continue;
            any = true;
            Value c = seqs[i][heads[i]];
            bool in_tail = false;
            for (size_t j = 0; j < nseq && !in_tail; j++)
                for (size_t k = heads[j] + 1; k < lens[j]; k++)
                    if (seqs[j][k] == c) {
                        in_tail = true;
                        break;
                    }
            if (!in_tail)
                cand = c;
        }
        if (!any)
            break;
        if (!cand) {
            decref(out);
            return exc_raise(&exc_TypeError,
                             "Cannot create a consistent method resolution order (MRO)");
        }
        list_append(out, cand);
        for (size_t i = 0; i < nseq; i++)
            if (heads[i] < lens[i] && seqs[i][heads[i]] == cand)
                heads[i]++;
    }
    Value tup = tuple_from_array(as_list(out)->items, as_list(out)->len);
    decref(out);
    if (tup)
        decref(tuple_get(tup, 0));   // mro[0] is not counted
    return tup;
}

// Slot wrappers: each looks the dunder up on the instance's type and calls it.

static Value call_dunder(Value self, Value name, Value *args, size_t nargs, bool *found) {
    Value f = type_lookup(val_type(self), name);
    if (!f) {
        *found = false;
        return VAL_NULL;
    }
    *found = true;
    Value argv[4];
    argv[0] = self;
    for (size_t i = 0; i < nargs; i++)
        argv[i + 1] = args[i];
    return val_call(f, argv, nargs + 1, VAL_NULL);
}

static Value call_dunder_req(Value self, Value name, Value *args, size_t nargs) {
    bool found;
    Value r = call_dunder(self, name, args, nargs, &found);
    if (!found)
        return attr_error(self, name);
    return r;
}

static Value slot_repr(Value self) {
    return call_dunder_req(self, names.__repr__, NULL, 0);
}
static Value slot_str(Value self) {
    return call_dunder_req(self, names.__str__, NULL, 0);
}
static int slot_hash(Value self, int64_t *out) {
    Value f = type_lookup(val_type(self), names.__hash__);
    if (!f || f == VAL_NONE)
        return exc_raise_int(&exc_TypeError, "unhashable type: '%s'", val_type_name(self));
    Value r = val_call1(f, self);
    if (!r)
        return -1;
    if (!val_is_int(r)) {
        decref(r);
        return exc_raise_int(&exc_TypeError, "__hash__ method should return an integer");
    }
    int64_t h;
    if (val_is_small(r)) {
        h = small_get(r);
    } else {
        h = int_hash(r);
    }
    decref(r);
    if (h == -1)
        h = -2;
    *out = h;
    return 0;
}

static Value cmp_name(int op) {
    switch (op) {
    case CMP_LT: return names.__lt__;
    case CMP_LE: return names.__le__;
    case CMP_EQ: return names.__eq__;
    case CMP_NE: return names.__ne__;
    case CMP_GT: return names.__gt__;
    default: return names.__ge__;
    }
}

static Value slot_richcmp(Value a, Value b, int op) {
    if (!(val_type(a)->tflags & TF_HEAPTYPE) || val_type(a)->richcmp != slot_richcmp)
        return incref(VAL_NOTIMPL);
    Value f = type_lookup(val_type(a), cmp_name(op));
    if (!f || f == VAL_NONE)
        return incref(VAL_NOTIMPL);
    // object's own comparisons are method descriptors: let val_richcmp's
    // defaults (identity) handle them.
    if (is_builtin_method(f)) {
        if (op == CMP_NE) {
            // Default __ne__ inverts __eq__.
            Value eq = slot_richcmp(a, b, CMP_EQ);
            if (!eq || eq == VAL_NOTIMPL)
                return eq;
            int t = val_truthy(eq);
            decref(eq);
            if (t < 0)
                return VAL_NULL;
            return incref(bool_val(!t));
        }
        return incref(VAL_NOTIMPL);
    }
    return val_call2(f, a, b);
}

static int slot_init(Value self, Value *args, size_t nargs, Value kwnames) {
    Value f = type_lookup(val_type(self), names.__init__);
    if (!f)
        return 0;
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    Value stackbuf[8];
    Value *argv = nargs + nkw + 1 <= 8 ? stackbuf : malloc((nargs + nkw + 1) * sizeof(Value));
    if (!argv) {
        exc_nomemory();
        return -1;
    }
    argv[0] = self;
    if (nargs + nkw)
        memcpy(argv + 1, args, (nargs + nkw) * sizeof(Value));
    Value r = val_call(f, argv, nargs + 1, kwnames);
    if (argv != stackbuf)
        free(argv);
    if (!r)
        return -1;
    if (r != VAL_NONE) {
        exc_raise(&exc_TypeError, "__init__() should return None, not '%s'", val_type_name(r));
        decref(r);
        return -1;
    }
    return 0;
}

static Value slot_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    Value f = type_lookup(t, names.__new__);
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    Value *argv = malloc((nargs + nkw + 1) * sizeof(Value));
    if (!argv)
        return exc_nomemory();
    argv[0] = obj_val(t);
    if (nargs + nkw)
        memcpy(argv + 1, args, (nargs + nkw) * sizeof(Value));
    // __new__ is stored as a staticmethod: unwrap it.
    if (val_type(f) == &staticmethod_type)
        f = ((StaticMethod *)val_obj(f))->func;
    Value r = val_call(f, argv, nargs + 1, kwnames);
    free(argv);
    return r;
}

static Value slot_call(Value self, Value *args, size_t nargs, Value kwnames) {
    Value f = type_lookup(val_type(self), names.__call__);
    if (!f)
        return exc_raise(&exc_TypeError, "'%s' object is not callable", val_type_name(self));
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    Value stackbuf[8];
    Value *argv = nargs + nkw + 1 <= 8 ? stackbuf : malloc((nargs + nkw + 1) * sizeof(Value));
    if (!argv)
        return exc_nomemory();
    argv[0] = self;
    if (nargs + nkw)
        memcpy(argv + 1, args, (nargs + nkw) * sizeof(Value));
    Value r = val_call(f, argv, nargs + 1, kwnames);
    if (argv != stackbuf)
        free(argv);
    return r;
}

static Value slot_iter(Value self) {
    return call_dunder_req(self, names.__iter__, NULL, 0);
}

static Value slot_iternext(Value self) {
    Value r = call_dunder_req(self, names.__next__, NULL, 0);
    if (!r && exc_matches(&exc_StopIteration)) {
        exc_clear();
        return VAL_NULL;
    }
    return r;
}

static int64_t slot_len(Value self) {
    Value r = call_dunder_req(self, names.__len__, NULL, 0);
    if (!r)
        return -1;
    int64_t n;
    if (!val_is_int(r)) {
        exc_raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                  val_type_name(r));
        decref(r);
        return -1;
    }
    int rc = int_as_i64(r, &n);
    decref(r);
    if (rc < 0)
        return -1;
    if (n < 0)
        return exc_raise_int(&exc_ValueError, "__len__() should return >= 0");
    return n;
}

static Value slot_getitem(Value self, Value key) {
    return call_dunder_req(self, names.__getitem__, &key, 1);
}

static int slot_setitem(Value self, Value key, Value v) {
    Value r;
    if (v) {
        Value a[2] = {key, v};
        r = call_dunder_req(self, names.__setitem__, a, 2);
    } else {
        r = call_dunder_req(self, names.__delitem__, &key, 1);
    }
    if (!r)
        return -1;
    decref(r);
    return 0;
}

static int slot_contains(Value self, Value item) {
    bool found;
    Value r = call_dunder(self, names.__contains__, &item, 1, &found);
    if (!found) {
        // Fall back to iteration, as CPython does.
        Value it = val_iter(self);
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
    if (!r)
        return -1;
    int t = val_truthy(r);
    decref(r);
    return t;
}

static int slot_bool(Value self) {
    bool found;
    Value r = call_dunder(self, names.__bool__, NULL, 0, &found);
    if (!found) {
        if (type_lookup(val_type(self), names.__len__)) {
            int64_t n = slot_len(self);
            return n < 0 ? -1 : n > 0;
        }
        return 1;
    }
    if (!r)
        return -1;
    if (r != VAL_TRUE && r != VAL_FALSE) {
        exc_raise(&exc_TypeError, "__bool__ should return bool, returned %s", val_type_name(r));
        decref(r);
        return -1;
    }
    return r == VAL_TRUE;
}

static Value slot_getattr_hook(Value self, Value name) {
    // __getattribute__ overridden: call it; AttributeError falls back to __getattr__.
    Value ga = type_lookup(val_type(self), names.__getattribute__);
    Value r;
    if (ga && !is_builtin_method(ga))
        r = val_call2(ga, self, name);
    else
        r = generic_getattr(self, name);
    return r;
}

static int slot_setattr_hook(Value self, Value name, Value v) {
    Value r;
    if (v) {
        Value f = type_lookup(val_type(self), names.__setattr__);
        if (!f || is_builtin_method(f))
            return generic_setattr(self, name, v);
        Value a[3] = {self, name, v};
        r = val_call(f, a, 3, VAL_NULL);
    } else {
        Value f = type_lookup(val_type(self), names.__delattr__);
        if (!f || is_builtin_method(f))
            return generic_setattr(self, name, v);
        r = val_call2(f, self, name);
    }
    if (!r)
        return -1;
    decref(r);
    return 0;
}

static Value slot_descr_get(Value descr, Value obj, Value type) {
    Value f = type_lookup(val_type(descr), names.__get__);
    Value a[3] = {descr, obj ? obj : VAL_NONE, type ? type : VAL_NONE};
    return val_call(f, a, 3, VAL_NULL);
}

static int slot_descr_set(Value descr, Value obj, Value v) {
    Value r;
    if (v) {
        Value f = type_lookup(val_type(descr), names.__set__);
        if (!f)
            return exc_raise_int(&exc_AttributeError, "__set__");
        Value a[3] = {descr, obj, v};
        r = val_call(f, a, 3, VAL_NULL);
    } else {
        Value f = type_lookup(val_type(descr), names.__delete__);
        if (!f)
            return exc_raise_int(&exc_AttributeError, "__delete__");
        r = val_call2(f, descr, obj);
    }
    if (!r)
        return -1;
    decref(r);
    return 0;
}

#define UNARY_SLOT(fn, field)                                  \
    static Value fn(Value self) {                              \
        return call_dunder_req(self, names.field, NULL, 0);    \
    }
UNARY_SLOT(slot_neg, __neg__)
UNARY_SLOT(slot_pos, __pos__)
UNARY_SLOT(slot_abs, __abs__)
UNARY_SLOT(slot_invert, __invert__)
UNARY_SLOT(slot_int, __int__)
UNARY_SLOT(slot_float, __float__)
UNARY_SLOT(slot_index, __index__)

// Binary operator names, indexed by NB_*.
static Value nb_names[NB_COUNT][3];

static bool defines(Type *t, Value name) {
    Value f = type_lookup(t, name);
    return f && !is_builtin_method(f);
}

// a op b for heap types: a.__op__(b) when [a] is an instance with the method,
// else b.__rop__(a). Subclass priority is handled by val_binop.
static Value slot_binop(Value a, Value b, int op) {
    Type *ta = val_type(a), *tb = val_type(b);
    if ((ta->tflags & TF_HEAPTYPE) && ta->nb[op]) {
        Value f = type_lookup(ta, nb_names[op][0]);
        if (f && !is_builtin_method(f)) {
            Value r = val_call2(f, a, b);
            if (!r || r != VAL_NOTIMPL)
                return r;
            decref(r);
        }
    }
    if (tb != ta && (tb->tflags & TF_HEAPTYPE)) {
        Value f = type_lookup(tb, nb_names[op][1]);
        if (f && !is_builtin_method(f))
            return val_call2(f, b, a);
    }
    return incref(VAL_NOTIMPL);
}

#define BINOP_SLOT(name, sym, d, r, i)                     \
    static Value slot_nb_##name(Value a, Value b) {        \
        return slot_binop(a, b, NB_##name);                \
    }                                                      \
    static Value slot_nbi_##name(Value a, Value b) {       \
        Value f = type_lookup(val_type(a), nb_names[NB_##name][2]); \
        if (!f)                                            \
            return incref(VAL_NOTIMPL);                    \
        return val_call2(f, a, b);                         \
    }
NB_OPS(BINOP_SLOT)
#undef BINOP_SLOT

static const BinaryFunc slot_nb_table[NB_COUNT] = {
#define X(name, sym, d, r, i) slot_nb_##name,
    NB_OPS(X)
#undef X
};
static const BinaryFunc slot_nbi_table[NB_COUNT] = {
#define X(name, sym, d, r, i) slot_nbi_##name,
    NB_OPS(X)
#undef X
};

// Point [t]'s slots at the wrappers for every dunder it defines in Python.
static void fixup_slots(Type *t) {
    if (defines(t, names.__repr__))
        t->repr = slot_repr;
    if (defines(t, names.__str__))
        t->str = slot_str;
    if (defines(t, names.__hash__) || type_lookup(t, names.__hash__) == VAL_NONE)
        t->hash = slot_hash;
    if (defines(t, names.__eq__) || defines(t, names.__ne__) || defines(t, names.__lt__) ||
        defines(t, names.__le__) || defines(t, names.__gt__) || defines(t, names.__ge__))
        t->richcmp = slot_richcmp;
    if (defines(t, names.__init__))
        t->init = slot_init;
    if (defines(t, names.__new__))
        t->new_ = slot_new;
    if (defines(t, names.__call__))
        t->call = slot_call;
    if (defines(t, names.__iter__))
        t->iter = slot_iter;
    if (defines(t, names.__next__))
        t->iternext = slot_iternext;
    if (defines(t, names.__len__))
        t->len = slot_len;
    if (defines(t, names.__getitem__))
        t->getitem = slot_getitem;
    if (defines(t, names.__setitem__) || defines(t, names.__delitem__))
        t->setitem = slot_setitem;
    if (defines(t, names.__contains__))
        t->contains = slot_contains;
    if (defines(t, names.__bool__) || defines(t, names.__len__))
        t->nb_bool = slot_bool;
    if (defines(t, names.__getattribute__) || defines(t, names.__getattr__))
        t->getattr = slot_getattr_hook;
    if (defines(t, names.__setattr__) || defines(t, names.__delattr__))
        t->setattr = slot_setattr_hook;
    if (defines(t, names.__get__))
        t->descr_get = slot_descr_get;
    if (defines(t, names.__set__) || defines(t, names.__delete__))
        t->descr_set = slot_descr_set;
    if (defines(t, names.__neg__))
        t->nb_neg = slot_neg;
    if (defines(t, names.__pos__))
        t->nb_pos = slot_pos;
    if (defines(t, names.__abs__))
        t->nb_abs = slot_abs;
    if (defines(t, names.__invert__))
        t->nb_invert = slot_invert;
    if (defines(t, names.__int__))
        t->nb_int = slot_int;
    if (defines(t, names.__float__))
        t->nb_float = slot_float;
    if (defines(t, names.__index__))
        t->nb_index = slot_index;
    for (int i = 0; i < NB_COUNT; i++) {
        if (defines(t, nb_names[i][0]) || defines(t, nb_names[i][1]))
            t->nb[i] = slot_nb_table[i];
        if (defines(t, nb_names[i][2]))
            t->nb_inplace[i] = slot_nbi_table[i];
    }
}

static void heap_type_dealloc(Object *o);

// Every live class is listed (uncounted) in its interpreter so that shutdown
// can break the cycles classes are part of (methods using super() hold the
// class through their __class__ cell) without a cycle collector.
static void register_heap_type(Type *t) {
    Interp *in = ts_cur->interp;
    pthread_mutex_lock(&in->lock);
    if (in->n_heap_types == in->cap_heap_types) {
        size_t cap = in->cap_heap_types ? in->cap_heap_types * 2 : 64;
        Type **n = realloc(in->heap_types, cap * sizeof *n);
        if (n) {
            in->heap_types = n;
            in->cap_heap_types = cap;
        }
    }
    if (in->n_heap_types < in->cap_heap_types)
        in->heap_types[in->n_heap_types++] = t;
    pthread_mutex_unlock(&in->lock);
}

static void unregister_heap_type(Type *t) {
    Interp *in = ts_cur ? ts_cur->interp : NULL;
    if (!in)
        return;
    pthread_mutex_lock(&in->lock);
    for (size_t i = in->n_heap_types; i-- > 0;) {
        if (in->heap_types[i] == t) {
            in->heap_types[i] = in->heap_types[--in->n_heap_types];
            break;
        }
    }
    pthread_mutex_unlock(&in->lock);
}

void class_clear_heap_types(Interp *in) {
    // Replace each class's namespace with an empty one; dropping the old
    // dicts may free other classes, so take them one at a time.
    for (;;) {
        Value victim = VAL_NULL;
        pthread_mutex_lock(&in->lock);
        for (size_t i = 0; i < in->n_heap_types && !victim; i++) {
            Type *t = in->heap_types[i];
            if (t->dict && dict_len(t->dict) > 0) {
                victim = t->dict;
                t->dict = VAL_NULL;
            }
        }
        pthread_mutex_unlock(&in->lock);
        if (!victim)
            break;
        type_modified();
        Value empty = dict_new();
        // The type whose dict we took still needs one for lookups.
        pthread_mutex_lock(&in->lock);
        for (size_t i = 0; i < in->n_heap_types; i++)
            if (!in->heap_types[i]->dict) {
                in->heap_types[i]->dict = empty;
                empty = VAL_NULL;
                break;
            }
        pthread_mutex_unlock(&in->lock);
        decref(empty);
        decref(victim);
    }
}

static void subtype_dealloc(Object *o) {
    Type *t = o->type;
    // Find the first static type: it knows how to free the base layout.
    Type *base = t;
    while (base->tflags & TF_HEAPTYPE)
        base = base->base;
    if (t->dict_offset && t->dict_offset != base->dict_offset) {
        Value *ds = (Value *)((char *)o + t->dict_offset);
        clear_ref(ds);
    }
    base->dealloc(o);
}

Value type_new_class(Value name, Value bases, Value ns) {
    if (!val_is_str(name))
        return exc_raise(&exc_TypeError, "type.__new__() argument 1 must be str, not %s",
                         val_type_name(name));
    size_t nb = tuple_len(bases);
    Value base_tuple = nb ? incref(bases) : tuple_pack(1, obj_val(&object_type));
    if (!base_tuple)
        return VAL_NULL;
    nb = tuple_len(base_tuple);
    // The solid base decides the layout: the one with the largest instances.
    Type *solid = NULL;
    for (size_t i = 0; i < nb; i++) {
        Value b = tuple_get(base_tuple, i);
        if (!val_is_obj(b) || val_obj(b)->type != &type_type) {
            decref(base_tuple);
            return exc_raise(&exc_TypeError, "bases must be types");
        }
        Type *bt = (Type *)val_obj(b);
        if (!(bt->tflags & TF_BASETYPE)) {
            decref(base_tuple);
            return exc_raise(&exc_TypeError, "type '%s' is not an acceptable base type",
                             bt->name);
        }
        if (!solid || bt->basic_size > solid->basic_size)
            solid = bt;
    }
    Type *t = obj_alloc(&type_type, sizeof(Type));
    if (!t) {
        decref(base_tuple);
        return VAL_NULL;
    }
    t->tflags = TF_HEAPTYPE | TF_BASETYPE;
    t->base = solid;
    obj_incref(&solid->ob);
    t->name_obj = incref(name);
    t->name = str_cstr(name);
    t->dict = dict_copy(ns);
    if (!t->dict) {
        decref(base_tuple);
        decref(obj_val(t));
        return VAL_NULL;
    }
    t->mro = c3_mro(t, base_tuple);
    decref(base_tuple);
    if (!t->mro) {
        decref(obj_val(t));
        return VAL_NULL;
    }
    Value mod = dict_get(ns, names.__module__);
    if (mod)
        t->module = mod;
    else if (exc_occurred()) {
        decref(obj_val(t));
        return VAL_NULL;
    }
    // Layout: the base's, plus a dict slot when the base has none.
    t->basic_size = solid->basic_size;
    t->dict_offset = solid->dict_offset;
    // Variable-size bases (str, tuple) keep their items where a dict slot
    // would go: their subclasses' instances have no attribute dict.
    bool var_sized = solid->tflags & (TF_STR_SUBCLASS | TF_TUPLE_SUBCLASS);
    if (!t->dict_offset && !var_sized) {
        t->dict_offset = solid->basic_size;
        t->basic_size = solid->basic_size + sizeof(Value);
    }
    inherit_slots(t, solid);
    t->dealloc = subtype_dealloc;
    if (solid->getattr == generic_getattr || !solid->getattr)
        t->getattr = generic_getattr;
    if (solid->setattr == generic_setattr || !solid->setattr)
        t->setattr = generic_setattr;
    // __eq__ without __hash__ makes instances unhashable, as in Python 3.
    Value own_eq = dict_get(t->dict, names.__eq__);
    if (own_eq) {
        decref(own_eq);
        Value own_hash = dict_get(t->dict, names.__hash__);
        if (own_hash)
            decref(own_hash);
        else if (dict_set(t->dict, names.__hash__, VAL_NONE) < 0) {
            decref(obj_val(t));
            return VAL_NULL;
        }
    }
    // __new__ and __init_subclass__ are implicitly static/class methods.
    Value nw = dict_get(t->dict, names.__new__);
    if (nw) {
        if (val_type(nw) == &function_type) {
            StaticMethod *sm = obj_alloc(&staticmethod_type, sizeof(StaticMethod));
            if (!sm) {
                decref(nw);
                decref(obj_val(t));
                return VAL_NULL;
            }
            sm->func = incref(nw);
            dict_set(t->dict, names.__new__, obj_val(sm));
            decref(obj_val(sm));
        }
        decref(nw);
    }
    fixup_slots(t);
    register_heap_type(t);
    // __set_name__ on every attribute that has one (descriptors, properties).
    {
        Value items = dict_keys_list(t->dict);
        for (size_t i = 0; items && i < as_list(items)->len; i++) {
            Value key = as_list(items)->items[i];
            Value v = dict_get(t->dict, key);
            if (!v)
                continue;
            Value sn = type_lookup(val_type(v), names.__set_name__);
            if (sn) {
                Value a[3] = {v, obj_val(t), key};
                Value r = val_call(sn, a, 3, VAL_NULL);
                if (!r) {
                    decref(v);
                    decref(items);
                    decref(obj_val(t));
                    return VAL_NULL;
                }
                decref(r);
            }
            decref(v);
        }
        decref(items);
    }
    // The zero-argument super() cell.
    Value cell = dict_get(t->dict, names.__classcell__);
    if (cell) {
        if (val_type(cell) == &cell_type)
            set_ref(&((Cell *)val_obj(cell))->ref, incref(obj_val(t)));
        dict_del(t->dict, names.__classcell__);
        decref(cell);
    }
    return obj_val(t);
}

static void heap_type_dealloc(Object *o) {
    Type *t = (Type *)o;
    if (!(t->tflags & TF_HEAPTYPE))
        return;   // static types are immortal
    unregister_heap_type(t);
    type_modified();
    clear_ref(&t->dict);
    if (t->mro)
        as_tuple(t->mro)->items[0] = VAL_NULL;   // the uncounted self entry
    clear_ref(&t->mro);
    clear_ref(&t->module);
    Value name = t->name_obj;
    t->name_obj = VAL_NULL;
    Type *base = t->base;
    obj_free(o);
    decref(name);
    if (base)
        obj_decref(&base->ob);
}

// --- type: calling, attributes, repr ------------------------------------------

Value type_call(Value tv, Value *args, size_t nargs, Value kwnames) {
    Type *t = (Type *)val_obj(tv);
    if (t == &type_type) {
        if (nargs == 1 && !kwnames)
            return incref(obj_val(val_type(args[0])));
        if (nargs == 3) {
            if (!val_is_tuple(args[1]) || !val_is_dict(args[2]))
                return exc_raise(&exc_TypeError, "type() argument 2 must be tuple and 3 dict");
            return type_new_class(args[0], args[1], args[2]);
        }
        return exc_raise(&exc_TypeError, "type() takes 1 or 3 arguments");
    }
    if (!t->new_)
        return exc_raise(&exc_TypeError, "cannot create '%s' instances", t->name);
    Value obj = t->new_(t, args, nargs, kwnames);
    if (!obj)
        return VAL_NULL;
    Type *ot = val_type(obj);
    if (ot->init && type_is_subtype(ot, t)) {
        if (ot->init(obj, args, nargs, kwnames) < 0) {
            decref(obj);
            return VAL_NULL;
        }
    }
    return obj;
}

Value type_repr(Value v) {
    Type *t = (Type *)val_obj(v);
    if (t->module && val_is_str(t->module) && strcmp(str_cstr(t->module), "builtins") != 0) {
        Value qn = type_lookup(t, names.__qualname__);
        const char *n = (qn && val_is_str(qn)) ? str_cstr(qn) : t->name;
        return str_printf("<class '%s.%s'>", str_cstr(t->module), n);
    }
    return str_printf("<class '%s'>", t->name);
}

static Value type_getattr(Value self, Value name) {
    Type *t = (Type *)val_obj(self);
    // Attributes every type answers itself.
    if (name == names.__name__)
        return incref(t->name_obj);
    if (name == names.__qualname__) {
        Value qn = (t->tflags & TF_HEAPTYPE) ? dict_get(t->dict, names.__qualname__) : VAL_NULL;
        return qn ? qn : incref(t->name_obj);
    }
    if (name == names.__module__) {
        if (t->module)
            return incref(t->module);
        return str_from_cstr("builtins");
    }
    if (name == names.__mro__)
        return tuple_from_array(as_tuple(t->mro)->items, as_tuple(t->mro)->len);
    if (name == names.__bases__) {
        if (!t->base)
            return tuple_empty();
        Tuple *mro = as_tuple(t->mro);
        // Direct bases are the MRO entries that are not bases of an earlier one.
        Value l = list_new(2);
        for (size_t i = 1; i < mro->len; i++) {
            Type *c = (Type *)val_obj(mro->items[i]);
            bool covered = false;
            for (size_t j = 0; j < as_list(l)->len; j++)
                if (type_is_subtype((Type *)val_obj(as_list(l)->items[j]), c))
                    covered = true;
            if (!covered)
                list_append(l, mro->items[i]);
        }
        Value tup = tuple_from_array(as_list(l)->items, as_list(l)->len);
        decref(l);
        return tup;
    }
    if (name == names.__base__)
        return incref(t->base ? obj_val(t->base) : VAL_NONE);
    if (name == names.__dict__)
        return dict_copy(t->dict);
    if (name == names.__doc__) {
        Value d = dict_get(t->dict, names.__doc__);
        return d ? d : incref(VAL_NONE);
    }
    Value descr = type_lookup(t, name);
    if (descr) {
        Type *dt = val_type(descr);
        if (dt->descr_get)
            return dt->descr_get(descr, VAL_NULL, self);
        return incref(descr);
    }
    // Methods of `type` itself (mro(), __subclasses__...).
    Value meta = type_lookup(&type_type, name);
    if (meta) {
        Type *dt = val_type(meta);
        if (dt->descr_get)
            return dt->descr_get(meta, self, obj_val(&type_type));
        return incref(meta);
    }
    return exc_raise(&exc_AttributeError, "type object '%s' has no attribute '%s'", t->name,
                     str_cstr(name));
}

static int type_setattr(Value self, Value name, Value v) {
    Type *t = (Type *)val_obj(self);
    if (!(t->tflags & TF_HEAPTYPE))
        return exc_raise_int(&exc_TypeError,
                             "cannot set '%s' attribute of immutable type '%s'", str_cstr(name),
                             t->name);
    Interp *in = ts_cur->interp;
    // type_lookup hands out borrowed values from class dicts. Under the GIL
    // no other thread runs while this one replaces a value; without it,
    // another thread may be using the old value right now, so it is kept
    // alive (in the interpreter's graveyard) until exit.
    Value old = obj_locking ? dict_get(t->dict, name) : VAL_NULL;
    if (old && list_append_steal(in->type_graveyard, old) < 0)
        return -1;
    int r;
    if (v) {
        r = dict_set(t->dict, name, v);
    } else {
        r = dict_del(t->dict, name);
        if (r == 0)
            return exc_raise_int(&exc_AttributeError, "type object '%s' has no attribute '%s'",
                                 t->name, str_cstr(name));
        r = r < 0 ? -1 : 0;
    }
    // Instances made before this assignment may already hold the name:
    // method caches must check instance dicts for this class and below.
    pthread_mutex_lock(&in->lock);
    for (size_t i = 0; i < in->n_heap_types; i++)
        if (type_is_subtype(in->heap_types[i], t))
            atomic_store_explicit(&in->heap_types[i]->instance_shadows, true, RELAXED);
    pthread_mutex_unlock(&in->lock);
    type_modified();
    if (r == 0 && str_cstr(name)[0] == '_' && str_cstr(name)[1] == '_')
        fixup_slots(t);
    return r;
}

static int type_hash(Value self, int64_t *out) {
    *out = (int64_t)(self >> 4);
    return 0;
}

static Value type_mro_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("mro", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Type *t = (Type *)val_obj(self);
    return list_from_array(as_tuple(t->mro)->items, as_tuple(t->mro)->len);
}

static const MethodDef type_methods[] = {
    {"mro", type_mro_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type type_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "type",
    .basic_size = sizeof(Type),
    .tflags = TF_TYPE_SUBCLASS,
    .dealloc = heap_type_dealloc,
    .repr = type_repr,
    .hash = type_hash,
    .getattr = type_getattr,
    .setattr = type_setattr,
    .call = type_call,
};

// --- object ------------------------------------------------------------------

static void object_dealloc(Object *o) {
    obj_free(o);
}

static Value object_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if ((nargs || kwnames) && !(t->init && t->init != object_type.init) &&
        t->new_ == object_type.new_)
        return exc_raise(&exc_TypeError, "%s() takes no arguments", t->name);
    if (t->tflags & TF_ABSTRACT_NEW)
        return exc_raise(&exc_TypeError, "cannot create '%s' instances", t->name);
    Object *o = obj_alloc(t, t->basic_size);
    return o ? obj_val(o) : VAL_NULL;
}

static int object_init(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    Type *t = val_type(self);
    if ((nargs || kwnames) && t->new_ == object_type.new_)
        return exc_raise_int(&exc_TypeError, "%s() takes no arguments", t->name);
    if ((nargs || kwnames) && t->init != object_init)
        return exc_raise_int(&exc_TypeError,
                             "object.__init__() takes exactly one argument (the instance to initialize)");
    return 0;
}

static Value object_repr(Value self) {
    Type *t = val_type(self);
    if (t->module && val_is_str(t->module) && strcmp(str_cstr(t->module), "builtins") != 0) {
        Value qn = type_lookup(t, names.__qualname__);
        const char *n = (qn && val_is_str(qn)) ? str_cstr(qn) : t->name;
        return str_printf("<%s.%s object at %p>", str_cstr(t->module), n, (void *)self);
    }
    return str_printf("<%s object at %p>", t->name, (void *)self);
}

static Value object_str(Value self) {
    return val_type(self)->repr(self);
}

static int object_hash(Value self, int64_t *out) {
    // CPython hashes objects by address rotated by 4 bits.
    uintptr_t p = (uintptr_t)self;
    *out = (int64_t)((p >> 4) | (p << (8 * sizeof(p) - 4)));
    if (*out == -1)
        *out = -2;
    return 0;
}

static Value object_richcmp(Value a, Value b, int op) {
    if (op == CMP_EQ)
        return incref(a == b ? VAL_TRUE : VAL_NOTIMPL);
    if (op == CMP_NE)
        return incref(a != b ? VAL_NOTIMPL : VAL_FALSE);
    return incref(VAL_NOTIMPL);
}

#define OBJ_CMP_METH(fn, op)                                                     \
    static Value fn(Value self, Value *args, size_t nargs, Value kwnames) {      \
        if (args_check(#fn, nargs, kwnames, 1, 1) < 0)                           \
            return VAL_NULL;                                                     \
        return object_richcmp(self, args[0], op);                                \
    }
OBJ_CMP_METH(object_eq, CMP_EQ)
OBJ_CMP_METH(object_ne, CMP_NE)
OBJ_CMP_METH(object_lt, CMP_LT)
OBJ_CMP_METH(object_le, CMP_LE)
OBJ_CMP_METH(object_gt, CMP_GT)
OBJ_CMP_METH(object_ge, CMP_GE)

static Value object_init_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(self);
    UNUSED(kwnames);
    UNUSED(nargs);
    return incref(VAL_NONE);
}

static Value object_new_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (nargs < 1 || !val_is_obj(args[0]) || val_obj(args[0])->type != &type_type)
        return exc_raise(&exc_TypeError, "object.__new__(X): X is not a type object");
    Type *t = (Type *)val_obj(args[0]);
    UNUSED(kwnames);
    Object *o = obj_alloc(t, t->basic_size);
    return o ? obj_val(o) : VAL_NULL;
}

static Value object_repr_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__repr__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return object_repr(self);
}

static Value object_str_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__str__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return val_type(self)->repr(self);
}

static Value object_hash_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__hash__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    int64_t h;
    object_hash(self, &h);
    return int_from_i64(h);
}

static Value object_setattr_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__setattr__", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "attribute name must be string, not '%s'",
                         val_type_name(args[0]));
    if (generic_setattr(self, args[0], args[1]) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value object_getattribute_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__getattribute__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "attribute name must be string, not '%s'",
                         val_type_name(args[0]));
    // Plain lookup without the __getattr__ fallback.
    Type *t = val_type(self);
    Value name = args[0];
    Value descr = type_lookup(t, name);
    if (descr && is_data_descr(descr))
        return val_type(descr)->descr_get(descr, self, obj_val(t));
    Value *ds = obj_dict_slot(self);
    Value idict = ds ? obj_dict_peek(ds) : VAL_NULL;
    if (idict) {
        Value v = dict_get(idict, name);
        if (v || exc_occurred())
            return v;
    }
    if (descr) {
        if (val_type(descr)->descr_get)
            return val_type(descr)->descr_get(descr, self, obj_val(t));
        return incref(descr);
    }
    return attr_error(self, name);
}

static Value object_delattr_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__delattr__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (generic_setattr(self, args[0], VAL_NULL) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value object_format_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__format__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "format() argument 2 must be str, not %s",
                         val_type_name(args[0]));
    if (str_len(args[0]) > 0)
        return exc_raise(&exc_TypeError, "unsupported format string passed to %s.__format__",
                         val_type_name(self));
    return val_str(self);
}

static Value object_init_subclass(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return incref(VAL_NONE);
}

static const MethodDef object_methods[] = {
    {"__init__", object_init_meth, 0, NULL},
    {"__new__", object_new_meth, METH_STATIC, NULL},
    {"__repr__", object_repr_meth, 0, NULL},
    {"__str__", object_str_meth, 0, NULL},
    {"__hash__", object_hash_meth, 0, NULL},
    {"__eq__", object_eq, 0, NULL},
    {"__ne__", object_ne, 0, NULL},
    {"__lt__", object_lt, 0, NULL},
    {"__le__", object_le, 0, NULL},
    {"__gt__", object_gt, 0, NULL},
    {"__ge__", object_ge, 0, NULL},
    {"__setattr__", object_setattr_meth, 0, NULL},
    {"__getattribute__", object_getattribute_meth, 0, NULL},
    {"__delattr__", object_delattr_meth, 0, NULL},
    {"__format__", object_format_meth, 0, NULL},
    {"__init_subclass__", object_init_subclass, METH_CLASS, NULL},
    {NULL, NULL, 0, NULL},
};

Type object_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "object",
    .basic_size = sizeof(Object),
    .tflags = TF_BASETYPE,
    .dealloc = object_dealloc,
    .new_ = object_new,
    .init = object_init,
    .repr = object_repr,
    .str = object_str,
    .hash = object_hash,
    .richcmp = object_richcmp,
    .getattr = generic_getattr,
    .setattr = generic_setattr,
};

// --- super -------------------------------------------------------------------

static void super_dealloc(Object *o) {
    Super *s = (Super *)o;
    if (s->type)
        obj_decref(&s->type->ob);
    clear_ref(&s->obj);
    if (s->obj_type)
        obj_decref(&s->obj_type->ob);
    obj_free(o);
}

static Value super_make(Type *type, Value obj) {
    Type *ot;
    if (val_is_obj(obj) && val_obj(obj)->type == &type_type &&
        type_is_subtype((Type *)val_obj(obj), type))
        ot = (Type *)val_obj(obj);
    else if (type_is_subtype(val_type(obj), type))
        ot = val_type(obj);
    else
        return exc_raise(&exc_TypeError,
                         "super(type, obj): obj must be an instance or subtype of type");
    Super *s = obj_alloc(&super_type, sizeof(Super));
    if (!s)
        return VAL_NULL;
    s->type = type;
    obj_incref(&type->ob);
    s->obj = incref(obj);
    s->obj_type = ot;
    obj_incref(&ot->ob);
    return obj_val(s);
}

static Value super_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(t);
    if (kwnames)
        return exc_raise(&exc_TypeError, "super() takes no keyword arguments");
    if (nargs == 2) {
        if (!val_is_obj(args[0]) || val_obj(args[0])->type != &type_type)
            return exc_raise(&exc_TypeError, "super() argument 1 must be a type, not %s",
                             val_type_name(args[0]));
        return super_make((Type *)val_obj(args[0]), args[1]);
    }
    if (nargs != 0)
        return exc_raise(&exc_TypeError, "super() takes 0 or 2 arguments");
    // Zero-argument form: the caller's first argument and its __class__ cell.
    Frame *f = ts_cur->frame;
    if (!f || f->code->argcount == 0)
        return exc_raise(&exc_RuntimeError, "super(): no arguments");
    Code *c = f->code;
    Value first = f->slots[0];
    // A first argument that is also a cell lives in the cell.
    for (uint32_t i = 0; i < c->ncells; i++)
        if (c->cell2arg && c->cell2arg[i] == 0) {
            Value cell = f->slots[c->nlocals + i];
            first = cell ? ((Cell *)val_obj(cell))->ref : VAL_NULL;
        }
    if (!first)
        return exc_raise(&exc_RuntimeError, "super(): arg[0] deleted");
    for (uint32_t i = 0; i < c->nfree; i++) {
        if (c->freevars[i] == names.__class__) {
            Value cell = f->slots[c->nlocals + c->ncells + i];
            Value cls = cell ? ((Cell *)val_obj(cell))->ref : VAL_NULL;
            if (!cls)
                return exc_raise(&exc_RuntimeError, "super(): empty __class__ cell");
            if (val_type(cls) != &type_type)
                return exc_raise(&exc_RuntimeError, "super(): __class__ is not a type (%s)",
                                 val_type_name(cls));
            return super_make((Type *)val_obj(cls), first);
        }
    }
    return exc_raise(&exc_RuntimeError, "super(): __class__ cell not found");
}

static Value super_getattr(Value self, Value name) {
    Super *s = (Super *)val_obj(self);
    if (name != names.__class__) {
        Tuple *mro = as_tuple(s->obj_type->mro);
        size_t i = 0;
        while (i < mro->len && mro->items[i] != obj_val(s->type))
            i++;
        for (i++; i < mro->len; i++) {
            Type *b = (Type *)val_obj(mro->items[i]);
            Value v = dict_get(b->dict, name);
            if (v) {
                Type *vt = val_type(v);
                if (vt->descr_get) {
                    Value inst = s->obj == obj_val(s->obj_type) ? VAL_NULL : s->obj;
                    Value r = vt->descr_get(v, inst, obj_val(s->obj_type));
                    decref(v);
                    return r;
                }
                return v;
            }
        }
    }
    return generic_getattr(self, name);
}

static Value super_repr(Value self) {
    Super *s = (Super *)val_obj(self);
    return str_printf("<super: <class '%s'>, <%s object>>", s->type->name, s->obj_type->name);
}

Type super_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "super",
    .basic_size = sizeof(Super),
    .dealloc = super_dealloc,
    .new_ = super_new,
    .repr = super_repr,
    .getattr = super_getattr,
};

void class_types_init(void) {
#define X(name, sym, d, r, i)                                \
    nb_names[NB_##name][0] = str_intern_cstr(d);             \
    nb_names[NB_##name][1] = str_intern_cstr(r);             \
    nb_names[NB_##name][2] = str_intern_cstr(i);
    NB_OPS(X)
#undef X
    type_ready(&object_type);
    type_ready(&type_type);
    type_add_methods(&object_type, object_methods);
    type_add_methods(&type_type, type_methods);
    type_ready(&super_type);
    type_ready(&slot_wrapper_type);
}
