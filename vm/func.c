// Callables: functions, cells, bound methods, natives, method descriptors,
// staticmethod/classmethod/property, and argument checking for natives.
//
// A Function owns its globals, defaults and closure; its Code is immortal.
// Calling a Function from C goes through func_call (interp.c), which binds
// the arguments into a fresh frame and runs it; the interpreter's CALL does
// the same inline without C recursion.
#include "func.h"

#include "abstract.h"
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "int.h"
#include "interp.h"
#include "module.h"
#include "names.h"
#include "str.h"
#include "tuple.h"

// --- Function -----------------------------------------------------------------

Value func_new(Code *code, Value globals, Value qualname) {
    Function *f = obj_alloc(&function_type, sizeof(Function));
    if (!f)
        return VAL_NULL;
    f->code = code;
    f->globals = incref(globals);
    f->builtins = incref(ts_cur->interp->builtins);
    f->name = incref(code->name);
    f->qualname = incref(qualname ? qualname : code->name);
    Value mod = dict_get(globals, names.__name__);
    f->module = mod;   // new reference or VAL_NULL
    if (!mod && exc_occurred())
        exc_clear();
    f->doc = incref(VAL_NONE);
    return obj_val(f);
}

static void function_dealloc(Object *o) {
    Function *f = (Function *)o;
    clear_ref(&f->globals);
    clear_ref(&f->builtins);
    clear_ref(&f->defaults);
    clear_ref(&f->kwdefaults);
    clear_ref(&f->closure);
    clear_ref(&f->name);
    clear_ref(&f->qualname);
    clear_ref(&f->module);
    clear_ref(&f->dict);
    clear_ref(&f->doc);
    obj_free(o);
}

static Value function_repr(Value v) {
    Function *f = (Function *)val_obj(v);
    return str_printf("<function %s at %p>", str_cstr(f->qualname), (void *)v);
}

static Value function_call(Value f, Value *args, size_t nargs, Value kwnames) {
    return func_call(f, args, nargs, kwnames);
}

static Value function_descr_get(Value descr, Value obj, Value type) {
    UNUSED(type);
    if (!obj)
        return incref(descr);
    return method_new(descr, obj);
}

static Value function_getattr(Value self, Value name) {
    Function *f = (Function *)val_obj(self);
    if (name == names.__name__)
        return incref(f->name);
    if (name == names.__qualname__)
        return incref(f->qualname);
    if (name == names.__module__)
        return incref(f->module ? f->module : VAL_NONE);
    if (name == names.__doc__)
        return incref(f->doc);
    if (name == names.__defaults__)
        return incref(f->defaults ? f->defaults : VAL_NONE);
    if (name == names.__kwdefaults__)
        return incref(f->kwdefaults ? f->kwdefaults : VAL_NONE);
    if (name == names.__globals__)
        return incref(f->globals);
    if (name == names.__code__)
        return incref(obj_val(f->code));
    if (name == names.__closure__)
        return incref(f->closure ? f->closure : VAL_NONE);
    if (name == names.__dict__) {
        if (!f->dict && !(f->dict = dict_new()))
            return VAL_NULL;
        return incref(f->dict);
    }
    if (f->dict) {
        Value v = dict_get(f->dict, name);
        if (v || exc_occurred())
            return v;
    }
    return generic_getattr(self, name);
}

static int function_setattr(Value self, Value name, Value v) {
    Function *f = (Function *)val_obj(self);
    if (name == names.__name__ || name == names.__qualname__) {
        if (!v || !val_is_str(v))
            return exc_raise_int(&exc_TypeError, "%s must be set to a string object",
                                 str_cstr(name));
        set_ref(name == names.__name__ ? &f->name : &f->qualname, incref(v));
        return 0;
    }
    if (name == names.__doc__) {
        set_ref(&f->doc, incref(v ? v : VAL_NONE));
        return 0;
    }
    if (name == names.__module__) {
        set_ref(&f->module, incref(v));
        return 0;
    }
    if (name == names.__defaults__) {
        if (v && v != VAL_NONE && !val_is_tuple(v))
            return exc_raise_int(&exc_TypeError, "__defaults__ must be set to a tuple object");
        set_ref(&f->defaults, (v && v != VAL_NONE) ? incref(v) : VAL_NULL);
        return 0;
    }
    if (!f->dict && !(f->dict = dict_new()))
        return -1;
    if (!v) {
        int r = dict_del(f->dict, name);
        if (r == 0)
            return exc_raise_int(&exc_AttributeError, "'function' object has no attribute '%s'",
                                 str_cstr(name));
        return r < 0 ? -1 : 0;
    }
    return dict_set(f->dict, name, v);
}

Type function_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "function",
    .basic_size = sizeof(Function),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = function_dealloc,
    .repr = function_repr,
    .call = function_call,
    .descr_get = function_descr_get,
    .getattr = function_getattr,
    .setattr = function_setattr,
};

// --- Cell -----------------------------------------------------------------------

Value cell_new(Value v) {
    Cell *c = obj_alloc(&cell_type, sizeof(Cell));
    if (!c)
        return VAL_NULL;
    c->ref = incref(v);
    return obj_val(c);
}

static void cell_dealloc(Object *o) {
    clear_ref(&((Cell *)o)->ref);
    obj_free(o);
}

static Value cell_repr(Value v) {
    Cell *c = (Cell *)val_obj(v);
    if (!c->ref)
        return str_printf("<cell at %p: empty>", (void *)v);
    return str_printf("<cell at %p: %s object at %p>", (void *)v, val_type_name(c->ref),
                      (void *)c->ref);
}

Type cell_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "cell",
    .basic_size = sizeof(Cell),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = cell_dealloc,
    .repr = cell_repr,
};

// --- bound method -----------------------------------------------------------------

Value method_new(Value func, Value self) {
    BoundMethod *m = obj_alloc(&method_type, sizeof(BoundMethod));
    if (!m)
        return VAL_NULL;
    m->func = incref(func);
    m->self = incref(self);
    return obj_val(m);
}

static void method_dealloc(Object *o) {
    BoundMethod *m = (BoundMethod *)o;
    clear_ref(&m->func);
    clear_ref(&m->self);
    obj_free(o);
}

static Value method_call(Value mv, Value *args, size_t nargs, Value kwnames) {
    BoundMethod *m = (BoundMethod *)val_obj(mv);
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    size_t total = nargs + nkw + 1;
    Value stackbuf[8];
    Value *argv = total <= 8 ? stackbuf : malloc(total * sizeof(Value));
    if (!argv)
        return exc_nomemory();
    argv[0] = m->self;
    if (nargs + nkw)
        memcpy(argv + 1, args, (nargs + nkw) * sizeof(Value));
    Value r = val_call(m->func, argv, nargs + 1, kwnames);
    if (argv != stackbuf)
        free(argv);
    return r;
}

static Value method_repr(Value v) {
    BoundMethod *m = (BoundMethod *)val_obj(v);
    Value qn = val_getattr(m->func, names.__qualname__);
    if (!qn) {
        exc_clear();
        qn = str_from_cstr("?");
    }
    Value sr = val_repr(m->self);
    if (!sr) {
        decref(qn);
        return VAL_NULL;
    }
    Value r = str_printf("<bound method %s of %s>", str_cstr(qn), str_cstr(sr));
    decref(qn);
    decref(sr);
    return r;
}

static Value method_getattr(Value self, Value name) {
    BoundMethod *m = (BoundMethod *)val_obj(self);
    if (name == names.__self__)
        return incref(m->self);
    if (name == names.dunder_func)
        return incref(m->func);
    return val_getattr(m->func, name);
}

static Value method_richcmp(Value a, Value b, int op) {
    if ((op != CMP_EQ && op != CMP_NE) || val_type(b) != &method_type)
        return incref(VAL_NOTIMPL);
    BoundMethod *x = (BoundMethod *)val_obj(a), *y = (BoundMethod *)val_obj(b);
    bool eq = x->func == y->func && x->self == y->self;
    return incref(bool_val(op == CMP_EQ ? eq : !eq));
}

static int method_hash(Value v, int64_t *out) {
    BoundMethod *m = (BoundMethod *)val_obj(v);
    *out = (int64_t)((m->func >> 4) ^ (m->self >> 4));
    if (*out == -1)
        *out = -2;
    return 0;
}

Type method_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "method",
    .basic_size = sizeof(BoundMethod),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = method_dealloc,
    .repr = method_repr,
    .call = method_call,
    .getattr = method_getattr,
    .richcmp = method_richcmp,
    .hash = method_hash,
};

// --- builtin functions and method descriptors ------------------------------------

Value builtin_new(const MethodDef *def, Value self, Value module) {
    Builtin *b = obj_alloc(&builtin_type, sizeof(Builtin));
    if (!b)
        return VAL_NULL;
    b->def = def;
    b->self = incref(self);
    b->module = incref(module);
    return obj_val(b);
}

static void builtin_dealloc(Object *o) {
    Builtin *b = (Builtin *)o;
    clear_ref(&b->self);
    clear_ref(&b->module);
    obj_free(o);
}

static Value builtin_call(Value f, Value *args, size_t nargs, Value kwnames) {
    Builtin *b = (Builtin *)val_obj(f);
    return b->def->fn(b->self, args, nargs, kwnames);
}

static Value builtin_repr(Value v) {
    Builtin *b = (Builtin *)val_obj(v);
    if (b->self && !val_is_obj(b->self))
        return str_printf("<built-in method %s of int object>", b->def->name);
    if (b->self && val_obj(b->self)->type != &module_type)
        return str_printf("<built-in method %s of %s object at %p>", b->def->name,
                          val_type_name(b->self), (void *)b->self);
    return str_printf("<built-in function %s>", b->def->name);
}

static Value builtin_getattr(Value self, Value name) {
    Builtin *b = (Builtin *)val_obj(self);
    if (name == names.__name__ || name == names.__qualname__)
        return str_from_cstr(b->def->name);
    if (name == names.__self__)
        return incref(b->self ? b->self : VAL_NONE);
    if (name == names.__module__)
        return incref(b->module ? b->module : VAL_NONE);
    if (name == names.__doc__)
        return b->def->doc ? str_from_cstr(b->def->doc) : incref(VAL_NONE);
    return generic_getattr(self, name);
}

Type builtin_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "builtin_function_or_method",
    .basic_size = sizeof(Builtin),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = builtin_dealloc,
    .repr = builtin_repr,
    .call = builtin_call,
    .getattr = builtin_getattr,
};

Value method_descr_new(const MethodDef *def, Type *owner) {
    MethodDescr *d = obj_alloc(&method_descr_type, sizeof(MethodDescr));
    if (!d)
        return VAL_NULL;
    d->def = def;
    d->owner = owner;
    return obj_val(d);
}

static void method_descr_dealloc(Object *o) {
    obj_free(o);
}

// Calling the descriptor: args[0] is self (LOAD_METHOD, or Type.method(obj, ...)).
static Value method_descr_call(Value dv, Value *args, size_t nargs, Value kwnames) {
    MethodDescr *d = (MethodDescr *)val_obj(dv);
    if (d->def->flags & METH_STATIC)
        return d->def->fn(VAL_NULL, args, nargs, kwnames);
    if (nargs < 1)
        return exc_raise(&exc_TypeError, "unbound method %s.%s() needs an argument",
                         d->owner->name, d->def->name);
    if (d->def->flags & METH_CLASS)
        return d->def->fn(args[0], args + 1, nargs - 1, kwnames);
    if (!val_isinstance(args[0], d->owner))
        return exc_raise(&exc_TypeError,
                         "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                         d->def->name, d->owner->name, val_type_name(args[0]));
    return d->def->fn(args[0], args + 1, nargs - 1, kwnames);
}

static Value method_descr_get(Value dv, Value obj, Value type) {
    MethodDescr *d = (MethodDescr *)val_obj(dv);
    if (d->def->flags & METH_STATIC)
        return builtin_new(d->def, VAL_NULL, VAL_NULL);
    if (d->def->flags & METH_CLASS)
        return builtin_new(d->def, type ? type : obj_val(val_type(obj)), VAL_NULL);
    if (!obj)
        return incref(dv);
    return builtin_new(d->def, obj, VAL_NULL);
}

static Value method_descr_repr(Value v) {
    MethodDescr *d = (MethodDescr *)val_obj(v);
    return str_printf("<method '%s' of '%s' objects>", d->def->name, d->owner->name);
}

Type method_descr_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "method_descriptor",
    .basic_size = sizeof(MethodDescr),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = method_descr_dealloc,
    .repr = method_descr_repr,
    .call = method_descr_call,
    .descr_get = method_descr_get,
};

void type_add_methods(Type *t, const MethodDef *defs) {
    for (const MethodDef *d = defs; d->name; d++) {
        Value descr = method_descr_new(d, t);
        if (!descr) {
            fprintf(stderr, "gilvm: out of memory at start-up\n");
            exit(1);
        }
        obj_make_immortal(val_obj(descr));
        dict_set(t->dict, str_intern_cstr(d->name), descr);
    }
}

// --- staticmethod, classmethod, property -------------------------------------------

static void wrapper_dealloc(Object *o) {
    clear_ref(&((StaticMethod *)o)->func);
    obj_free(o);
}

static Value wrapper_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    if (args_check(t->name, nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    StaticMethod *s = obj_alloc(t, t->basic_size);
    if (!s)
        return VAL_NULL;
    s->func = incref(args[0]);
    return obj_val(s);
}

static Value staticmethod_get(Value d, Value obj, Value type) {
    UNUSED(obj);
    UNUSED(type);
    return incref(((StaticMethod *)val_obj(d))->func);
}

static Value staticmethod_call(Value d, Value *args, size_t nargs, Value kwnames) {
    return val_call(((StaticMethod *)val_obj(d))->func, args, nargs, kwnames);
}

static Value wrapper_getattr(Value self, Value name) {
    if (name == names.dunder_func || name == names.__wrapped__)
        return incref(((StaticMethod *)val_obj(self))->func);
    return generic_getattr(self, name);
}

Type staticmethod_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "staticmethod",
    .basic_size = sizeof(StaticMethod),
    .tflags = TF_BASETYPE,
    .dealloc = wrapper_dealloc,
    .new_ = wrapper_new,
    .descr_get = staticmethod_get,
    .call = staticmethod_call,
    .getattr = wrapper_getattr,
};

static Value classmethod_get(Value d, Value obj, Value type) {
    Value cls = type ? type : obj_val(val_type(obj));
    return method_new(((StaticMethod *)val_obj(d))->func, cls);
}

Type classmethod_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "classmethod",
    .basic_size = sizeof(StaticMethod),
    .tflags = TF_BASETYPE,
    .dealloc = wrapper_dealloc,
    .new_ = wrapper_new,
    .descr_get = classmethod_get,
    .getattr = wrapper_getattr,
};

static void property_dealloc(Object *o) {
    Property *p = (Property *)o;
    clear_ref(&p->fget);
    clear_ref(&p->fset);
    clear_ref(&p->fdel);
    clear_ref(&p->doc);
    clear_ref(&p->name);
    obj_free(o);
}

static Value property_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    static const char *const kw[] = {"fget", "fset", "fdel", "doc", NULL};
    Value a[4];
    if (args_parse("property", args, nargs, kwnames, kw, 0, 4, a) < 0)
        return VAL_NULL;
    Property *p = obj_alloc(t, t->basic_size);
    if (!p)
        return VAL_NULL;
    for (int i = 0; i < 4; i++)
        if (a[i] == VAL_NONE)
            a[i] = VAL_NULL;
    p->fget = incref(a[0]);
    p->fset = incref(a[1]);
    p->fdel = incref(a[2]);
    p->doc = incref(a[3]);
    return obj_val(p);
}

static Value property_missing(Property *p, Value obj, const char *what) {
    if (p->name && val_is_str(p->name))
        return exc_raise(&exc_AttributeError, "property '%s' of '%s' object has no %s",
                         str_cstr(p->name), val_type_name(obj), what);
    return exc_raise(&exc_AttributeError, "property of '%s' object has no %s", val_type_name(obj),
                     what);
}

static Value property_get(Value d, Value obj, Value type) {
    UNUSED(type);
    Property *p = (Property *)val_obj(d);
    if (!obj)
        return incref(d);
    if (!p->fget)
        return property_missing(p, obj, "getter");
    return val_call1(p->fget, obj);
}

static int property_set(Value d, Value obj, Value v) {
    Property *p = (Property *)val_obj(d);
    Value f = v ? p->fset : p->fdel;
    if (!f) {
        property_missing(p, obj, v ? "setter" : "deleter");
        return -1;
    }
    Value r = v ? val_call2(f, obj, v) : val_call1(f, obj);
    if (!r)
        return -1;
    decref(r);
    return 0;
}

static Value property_copy_with(Value self, int which, Value f) {
    Property *p = (Property *)val_obj(self);
    Property *n = obj_alloc(val_type(self), val_type(self)->basic_size);
    if (!n)
        return VAL_NULL;
    n->fget = incref(which == 0 ? f : p->fget);
    n->fset = incref(which == 1 ? f : p->fset);
    n->fdel = incref(which == 2 ? f : p->fdel);
    n->doc = incref(p->doc);
    n->name = incref(p->name);
    return obj_val(n);
}

static Value property_getter(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("getter", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return property_copy_with(self, 0, args[0]);
}
static Value property_setter(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("setter", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return property_copy_with(self, 1, args[0]);
}
static Value property_deleter(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("deleter", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return property_copy_with(self, 2, args[0]);
}

static Value property_set_name(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__set_name__", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    set_ref(&((Property *)val_obj(self))->name, incref(args[1]));
    return incref(VAL_NONE);
}

static const MethodDef property_methods[] = {
    {"__set_name__", property_set_name, 0, NULL},
    {"getter", property_getter, 0, NULL},
    {"setter", property_setter, 0, NULL},
    {"deleter", property_deleter, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type property_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "property",
    .basic_size = sizeof(Property),
    .tflags = TF_BASETYPE,
    .dealloc = property_dealloc,
    .new_ = property_new,
    .descr_get = property_get,
    .descr_set = property_set,
};

// --- argument checking ---------------------------------------------------------------

int args_check(const char *fname, size_t nargs, Value kwnames, size_t min, size_t max) {
    if (kwnames && tuple_len(kwnames) > 0)
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", fname);
    if (nargs >= min && nargs <= max)
        return 0;
    if (min == max) {
        if (min == 0)
            return exc_raise_int(&exc_TypeError, "%s() takes no arguments (%zu given)", fname,
                                 nargs);
        if (min == 1)
            return exc_raise_int(&exc_TypeError, "%s() takes exactly one argument (%zu given)",
                                 fname, nargs);
        return exc_raise_int(&exc_TypeError, "%s expected %zu arguments, got %zu", fname, min,
                             nargs);
    }
    if (nargs < min)
        return exc_raise_int(&exc_TypeError, "%s expected at least %zu argument%s, got %zu", fname,
                             min, min == 1 ? "" : "s", nargs);
    return exc_raise_int(&exc_TypeError, "%s expected at most %zu argument%s, got %zu", fname, max,
                         max == 1 ? "" : "s", nargs);
}

int args_parse(const char *fname, Value *args, size_t nargs, Value kwnames,
               const char *const *names_, size_t min, size_t max, Value *out) {
    size_t nparams = 0;
    while (names_[nparams])
        nparams++;
    for (size_t i = 0; i < nparams; i++)
        out[i] = VAL_NULL;
    if (nargs > max) {
        return exc_raise_int(&exc_TypeError, "%s() takes at most %zu argument%s (%zu given)",
                             fname, max, max == 1 ? "" : "s", nargs);
    }
    for (size_t i = 0; i < nargs; i++)
        out[i] = args[i];
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    for (size_t k = 0; k < nkw; k++) {
        Value kn = tuple_get(kwnames, k);
        const char *ks = str_cstr(kn);
        size_t j = 0;
        while (j < nparams && strcmp(names_[j], ks) != 0)
            j++;
        if (j == nparams)
            return exc_raise_int(&exc_TypeError, "%s() got an unexpected keyword argument '%s'",
                                 fname, ks);
        if (out[j])
            return exc_raise_int(&exc_TypeError,
                                 "argument for %s() given by name ('%s') and position (%zu)", fname,
                                 ks, j + 1);
        out[j] = args[nargs + k];
    }
    for (size_t i = 0; i < min; i++)
        if (!out[i])
            return exc_raise_int(&exc_TypeError,
                                 "%s() missing required argument '%s' (pos %zu)", fname, names_[i],
                                 i + 1);
    return 0;
}

void func_types_init(void) {
    type_ready(&function_type);
    type_ready(&cell_type);
    type_ready(&method_type);
    type_ready(&builtin_type);
    type_ready(&method_descr_type);
    type_ready(&staticmethod_type);
    type_ready(&classmethod_type);
    type_ready(&property_type);
    type_add_methods(&property_type, property_methods);
}
