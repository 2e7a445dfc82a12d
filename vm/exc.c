// Exceptions: the built-in hierarchy, the error API and traceback printing.
//
// Every built-in exception type is a static Type `exc_NAME` whose instances
// are BaseExc (or a layout that extends it, see exc_syntax.h: SyntaxError,
// OSError and ImportError families). Heap subclasses inherit the layout and
// the slots here; their instances get attributes through the BaseExc dict.
//
// Ownership: a BaseExc owns its args tuple, traceback, cause, context and
// value. The thread state owns the exception being raised (ts->exc) and the
// one being handled (ts->handled). exc_set_steal chains ts->handled into the
// new exception's __context__ the way CPython's _PyErr_SetObject does,
// breaking any cycle the new link would create.
//
// MemoryError must be raisable without allocating: one immortal instance
// (nomem_instance) is reused. Being immortal and shared, it never receives
// traceback entries or a __context__.
//
// Tracebacks: the interpreter calls exc_add_traceback once per frame as the
// exception leaves (or is caught in) it, innermost first; each call prepends
// a node, so the chain reads outermost -> innermost as in CPython.
//
// Deep structures: exception chains and traceback chains are freed through
// the per-thread trashcan (list_trash_begin), and exc_print walks chains
// iteratively, so neither recurses on the C stack per link.
#include <errno.h>
#include <stdarg.h>

#include "abstract.h"
#include "class.h"
#include "code.h"
#include "dict.h"
#include "exc.h"
#include "module.h"
#include "exc_syntax.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "names.h"
#include "state.h"
#include "str.h"
#include "thread.h"
#include "tuple.h"

// --- kinds of exception layout -------------------------------------------------

typedef enum { K_BASE, K_STOPITER, K_SYSEXIT, K_SYNTAX, K_OSERROR, K_IMPORT } ExcKind;

static ExcKind exc_kind(Type *t) {
    // Checked cheapest-first: most exceptions are none of these.
    if (type_is_subtype(t, &exc_StopIteration))
        return K_STOPITER;
    if (type_is_subtype(t, &exc_SystemExit))
        return K_SYSEXIT;
    if (type_is_subtype(t, &exc_OSError))
        return K_OSERROR;
    if (type_is_subtype(t, &exc_SyntaxError))
        return K_SYNTAX;
    if (type_is_subtype(t, &exc_ImportError))
        return K_IMPORT;
    return K_BASE;
}

static size_t kind_size(ExcKind k) {
    switch (k) {
    case K_SYNTAX: return sizeof(SyntaxExc);
    case K_OSERROR: return sizeof(OSErrorExc);
    case K_IMPORT: return sizeof(ImportExc);
    default: return sizeof(BaseExc);
    }
}

// The extra Value fields of a layout, as an array, and their count. Only
// valid when the instance is at least kind_size(k) bytes (always true for
// types built here and their heap subclasses).
static Value *extra_fields(BaseExc *e, ExcKind k, size_t *n) {
    switch (k) {
    case K_SYNTAX: *n = 8; return &((SyntaxExc *)e)->msg;
    case K_OSERROR: *n = 4; return &((OSErrorExc *)e)->myerrno;
    case K_IMPORT: *n = 3; return &((ImportExc *)e)->msg;
    default: *n = 0; return NULL;
    }
}

static bool has_layout(Value self, ExcKind k) {
    return val_type(self)->basic_size >= kind_size(k);
}

static inline BaseExc *as_exc(Value v) {
    return (BaseExc *)val_obj(v);
}

static inline Value or_none(Value v) {
    return incref(v ? v : VAL_NONE);
}

bool val_is_exc(Value v) {
    return val_is_obj(v) && ((val_obj(v)->type->tflags & TF_EXC_SUBCLASS) ||
                             type_is_subtype(val_obj(v)->type, &exc_BaseException));
}

static bool val_is_type(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &type_type ||
                             (val_obj(v)->type->tflags & TF_TYPE_SUBCLASS));
}

bool val_is_exc_type(Value v) {
    return val_is_type(v) && type_is_subtype((Type *)val_obj(v), &exc_BaseException);
}

// Attribute name comparison: interned names compare by pointer.
static bool name_is(Value name, Value interned) {
    if (name == interned)
        return true;
    return val_is_str(name) && !as_str(name)->interned && str_eq(name, interned);
}

static bool name_is_cstr(Value name, const char *s) {
    return val_is_str(name) && strcmp(str_cstr(name), s) == 0;
}

// --- life cycle -------------------------------------------------------------------

static void exc_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    BaseExc *e = (BaseExc *)o;
    clear_ref(&e->dict);
    clear_ref(&e->args);
    clear_ref(&e->traceback);
    clear_ref(&e->cause);
    clear_ref(&e->context);
    clear_ref(&e->value);
    ExcKind k = exc_kind(o->type);
    if (o->type->basic_size >= kind_size(k)) {
        size_t n;
        Value *f = extra_fields(e, k, &n);
        for (size_t i = 0; i < n; i++)
            clear_ref(&f[i]);
    }
    obj_free(o);
    list_trash_end();
}

// errno -> OSError subclass, as CPython's errnomap.
static Type *oserror_subtype(Value err) {
    if (!val_is_small(err))
        return NULL;
    switch (small_get(err)) {
    case ENOENT: return &exc_FileNotFoundError;
    case EACCES:
    case EPERM: return &exc_PermissionError;
    case EINTR: return &exc_InterruptedError;
    case ETIMEDOUT: return &exc_TimeoutError;
    case EPIPE:
    case ESHUTDOWN: return &exc_BrokenPipeError;
    case ECONNRESET: return &exc_ConnectionResetError;
    case ECONNREFUSED: return &exc_ConnectionRefusedError;
    default: return NULL;
    }
}

// BaseException.__new__: allocate and keep the positional args. Keywords are
// ignored here (subclass __init__ may take them) and rejected by __init__.
static Value exc_type_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(kwnames);
    if (t == &exc_OSError && nargs >= 2) {
        Type *sub = oserror_subtype(args[0]);
        if (sub)
            t = sub;
    }
    size_t size = t->basic_size;
    ExcKind k = exc_kind(t);
    if (size < kind_size(k))
        size = kind_size(k);
    BaseExc *e = obj_alloc(t, size);
    if (!e)
        return VAL_NULL;
    e->args = tuple_from_array(args, nargs);
    if (!e->args) {
        decref(obj_val(e));
        return VAL_NULL;
    }
    return obj_val(e);
}

static int syntax_init(SyntaxExc *s, Value args) {
    size_t n = tuple_len(args);
    if (n >= 1)
        set_ref(&s->msg, incref(tuple_get(args, 0)));
    if (n == 2) {
        Value info = tuple_from_iterable(tuple_get(args, 1));
        if (!info)
            return -1;
        size_t m = tuple_len(info);
        if (m < 4 || m > 6) {
            decref(info);
            return exc_raise_int(&exc_IndexError, "tuple index out of range");
        }
        set_ref(&s->filename, incref(tuple_get(info, 0)));
        set_ref(&s->lineno, incref(tuple_get(info, 1)));
        set_ref(&s->offset, incref(tuple_get(info, 2)));
        set_ref(&s->text, incref(tuple_get(info, 3)));
        if (m >= 5)
            set_ref(&s->end_lineno, incref(tuple_get(info, 4)));
        if (m >= 6)
            set_ref(&s->end_offset, incref(tuple_get(info, 5)));
        decref(info);
    }
    return 0;
}

static void oserror_init(OSErrorExc *o, Value *args, size_t nargs) {
    if (nargs < 2 || nargs > 5)
        return;
    set_ref(&o->myerrno, incref(args[0]));
    set_ref(&o->strerror, incref(args[1]));
    if (nargs >= 3 && args[2] != VAL_NONE) {
        set_ref(&o->filename, incref(args[2]));
        if (nargs >= 5 && args[4] != VAL_NONE)
            set_ref(&o->filename2, incref(args[4]));
        // With a filename, args keeps only (errno, strerror).
        Value t = tuple_from_array(args, 2);
        if (t)
            set_ref(&o->base.args, t);
    }
}

// BaseException.__init__ and the per-kind field setup.
static int exc_type_init(Value self, Value *args, size_t nargs, Value kwnames) {
    BaseExc *e = as_exc(self);
    Type *t = val_type(self);
    ExcKind k = exc_kind(t);
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    if (nkw && k == K_IMPORT && has_layout(self, k)) {
        ImportExc *ie = (ImportExc *)e;
        for (size_t i = 0; i < nkw; i++) {
            Value kn = tuple_get(kwnames, i);
            if (name_is_cstr(kn, "name"))
                set_ref(&ie->name, incref(args[nargs + i]));
            else if (name_is_cstr(kn, "path"))
                set_ref(&ie->path, incref(args[nargs + i]));
            else
                return exc_raise_int(&exc_TypeError,
                                     "'%s' is an invalid keyword argument for %s()",
                                     str_cstr(kn), t->name);
        }
    } else if (nkw) {
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", t->name);
    }
    Value a = tuple_from_array(args, nargs);
    if (!a)
        return -1;
    set_ref(&e->args, a);
    switch (k) {
    case K_STOPITER:
        set_ref(&e->value, incref(nargs > 0 ? args[0] : VAL_NONE));
        break;
    case K_SYSEXIT:
        if (nargs == 0)
            set_ref(&e->value, incref(VAL_NONE));
        else if (nargs == 1)
            set_ref(&e->value, incref(args[0]));
        else
            set_ref(&e->value, incref(a));
        break;
    case K_SYNTAX:
        if (has_layout(self, k))
            return syntax_init((SyntaxExc *)e, a);
        break;
    case K_OSERROR:
        if (has_layout(self, k))
            oserror_init((OSErrorExc *)e, args, nargs);
        break;
    case K_IMPORT:
        if (has_layout(self, k))
            set_ref(&((ImportExc *)e)->msg, incref(nargs == 1 ? args[0] : VAL_NONE));
        break;
    default:
        break;
    }
    return 0;
}

Value exc_new(Type *type, Value *args, size_t nargs) {
    if (type->tflags & TF_HEAPTYPE)
        return val_call(obj_val(type), args, nargs, VAL_NULL);
    Value e = exc_type_new(type, args, nargs, VAL_NULL);
    if (!e)
        return VAL_NULL;
    if (exc_type_init(e, args, nargs, VAL_NULL) < 0) {
        decref(e);
        return VAL_NULL;
    }
    return e;
}

// --- str and repr ----------------------------------------------------------------

static Value args_of(Value self) {
    Value a = as_exc(self)->args;
    return a ? a : tuple_empty();
}

Value exc_str(Value self) {
    Value a = args_of(self);
    switch (tuple_len(a)) {
    case 0: return str_from_cstr("");
    case 1: return val_str(tuple_get(a, 0));
    default: return val_str(a);
    }
}

static Value keyerror_str(Value self) {
    Value a = args_of(self);
    if (tuple_len(a) == 1)
        return val_repr(tuple_get(a, 0));
    return exc_str(self);
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static Value syntax_str(Value self) {
    if (!has_layout(self, K_SYNTAX))
        return exc_str(self);
    SyntaxExc *s = (SyntaxExc *)val_obj(self);
    Value msg = val_str(s->msg ? s->msg : VAL_NONE);
    if (!msg)
        return VAL_NULL;
    const char *fname = (s->filename && val_is_str(s->filename))
                            ? base_name(str_cstr(s->filename)) : NULL;
    bool have_line = s->lineno && val_is_int(s->lineno) && val_type(s->lineno) != &bool_type;
    int64_t line = 0;
    if (have_line && int_as_i64(s->lineno, &line) < 0) {
        exc_clear();
        have_line = false;
    }
    Value r;
    if (!fname && !have_line)
        return msg;
    if (fname && have_line)
        r = str_printf("%s (%s, line %lld)", str_cstr(msg), fname, (long long)line);
    else if (fname)
        r = str_printf("%s (%s)", str_cstr(msg), fname);
    else
        r = str_printf("%s (line %lld)", str_cstr(msg), (long long)line);
    decref(msg);
    return r;
}

static Value oserror_str(Value self) {
    if (!has_layout(self, K_OSERROR))
        return exc_str(self);
    OSErrorExc *o = (OSErrorExc *)val_obj(self);
    Value parts[4] = {VAL_NULL, VAL_NULL, VAL_NULL, VAL_NULL};
    Value r = VAL_NULL;
    if (o->filename) {
        if (!(parts[0] = val_str(o->myerrno ? o->myerrno : VAL_NONE)) ||
            !(parts[1] = val_str(o->strerror ? o->strerror : VAL_NONE)) ||
            !(parts[2] = val_repr(o->filename)))
            goto done;
        if (o->filename2) {
            if (!(parts[3] = val_repr(o->filename2)))
                goto done;
            r = str_printf("[Errno %s] %s: %s -> %s", str_cstr(parts[0]), str_cstr(parts[1]),
                           str_cstr(parts[2]), str_cstr(parts[3]));
        } else {
            r = str_printf("[Errno %s] %s: %s", str_cstr(parts[0]), str_cstr(parts[1]),
                           str_cstr(parts[2]));
        }
    } else if (o->myerrno && o->strerror) {
        if (!(parts[0] = val_str(o->myerrno)) || !(parts[1] = val_str(o->strerror)))
            goto done;
        r = str_printf("[Errno %s] %s", str_cstr(parts[0]), str_cstr(parts[1]));
    } else {
        r = exc_str(self);
    }
done:
    for (int i = 0; i < 4; i++)
        decref(parts[i]);
    return r;
}

static Value import_str(Value self) {
    if (has_layout(self, K_IMPORT)) {
        Value m = ((ImportExc *)val_obj(self))->msg;
        if (m && val_is_obj(m) && val_obj(m)->type == &str_type)
            return incref(m);
    }
    return exc_str(self);
}

static Value exc_repr(Value self) {
    Value a = args_of(self);
    const char *name = type_name(val_type(self));
    const char *dot = strrchr(name, '.');
    if (dot)
        name = dot + 1;
    Value r = val_repr(tuple_len(a) == 1 ? tuple_get(a, 0) : a);
    if (!r)
        return VAL_NULL;
    Value s = tuple_len(a) == 1 ? str_printf("%s(%s)", name, str_cstr(r))
                                : str_printf("%s%s", name, str_cstr(r));
    decref(r);
    return s;
}

// --- attributes ------------------------------------------------------------------

static Value exc_getattr(Value self, Value name) {
    BaseExc *e = as_exc(self);
    if (name_is(name, names.args))
        return incref(args_of(self));
    if (name_is(name, names.__traceback__))
        return or_none(e->traceback);
    if (name_is(name, names.__cause__))
        return or_none(e->cause);
    if (name_is(name, names.__context__))
        return or_none(e->context);
    if (name_is(name, names.__suppress_context__))
        return incref(bool_val(e->suppress_context));
    Type *t = val_type(self);
    ExcKind k = exc_kind(t);
    if (k == K_STOPITER && name_is(name, names.value))
        return or_none(e->value);
    if (k == K_SYSEXIT && name_is(name, names.code))
        return or_none(e->value);
    if (k != K_BASE && has_layout(self, k) && val_is_str(name)) {
        static const char *const syntax_names[] = {"msg", "filename", "lineno", "offset", "text",
                                                   "end_lineno", "end_offset",
                                                   "print_file_and_line", NULL};
        static const char *const os_names[] = {"errno", "strerror", "filename", "filename2", NULL};
        static const char *const import_names[] = {"msg", "name", "path", NULL};
        const char *const *list = k == K_SYNTAX ? syntax_names
                                  : k == K_OSERROR ? os_names
                                  : k == K_IMPORT ? import_names : NULL;
        if (list) {
            size_t n;
            Value *f = extra_fields(e, k, &n);
            for (size_t i = 0; list[i]; i++)
                if (strcmp(str_cstr(name), list[i]) == 0)
                    return or_none(f[i]);
        }
    }
    return generic_getattr(self, name);
}

// A member that may hold any object: deleting stores NULL (reads as None).
static int set_member(Value *slot, Value v) {
    set_ref(slot, v ? incref(v) : VAL_NULL);
    return 0;
}

static int set_exc_link(Value *slot, Value v, const char *what) {
    if (!v)
        return exc_raise_int(&exc_TypeError, "%s may not be deleted", what);
    if (v == VAL_NONE) {
        clear_ref(slot);
        return 0;
    }
    if (!val_is_exc(v))
        return exc_raise_int(&exc_TypeError, "exception %s must be None or derive from BaseException",
                             strcmp(what, "__cause__") == 0 ? "cause" : "context");
    set_ref(slot, incref(v));
    return 0;
}


static int exc_setattr(Value self, Value name, Value v) {
    BaseExc *e = as_exc(self);
    if (name_is(name, names.args)) {
        if (!v)
            return exc_raise_int(&exc_TypeError, "args may not be deleted");
        Value t = tuple_from_iterable(v);
        if (!t)
            return -1;
        set_ref(&e->args, t);
        return 0;
    }
    if (name_is(name, names.__traceback__)) {
        if (!v)
            return exc_raise_int(&exc_TypeError, "__traceback__ may not be deleted");
        if (v == VAL_NONE) {
            clear_ref(&e->traceback);
            return 0;
        }
        if (val_type(v) != &traceback_type)
            return exc_raise_int(&exc_TypeError, "__traceback__ must be a traceback or None");
        set_ref(&e->traceback, incref(v));
        return 0;
    }
    if (name_is(name, names.__cause__)) {
        if (set_exc_link(&e->cause, v, "__cause__") < 0)
            return -1;
        e->suppress_context = true;
        return 0;
    }
    if (name_is(name, names.__context__))
        return set_exc_link(&e->context, v, "__context__");
    if (name_is(name, names.__suppress_context__)) {
        if (!v)
            return exc_raise_int(&exc_TypeError, "can't delete numeric/char attribute");
        if (v != VAL_TRUE && v != VAL_FALSE)
            return exc_raise_int(&exc_TypeError, "attribute value type must be bool");
        e->suppress_context = v == VAL_TRUE;
        return 0;
    }
    ExcKind k = exc_kind(val_type(self));
    if (k == K_STOPITER && name_is(name, names.value))
        return set_member(&e->value, v);
    if (k == K_SYSEXIT && name_is(name, names.code))
        return set_member(&e->value, v);
    if ((k == K_SYNTAX || k == K_OSERROR || k == K_IMPORT) && has_layout(self, k) &&
        val_is_str(name)) {
        static const char *const syntax_names[] = {"msg", "filename", "lineno", "offset", "text",
                                                   "end_lineno", "end_offset",
                                                   "print_file_and_line", NULL};
        static const char *const os_names[] = {"errno", "strerror", "filename", "filename2", NULL};
        static const char *const import_names[] = {"msg", "name", "path", NULL};
        const char *const *list = k == K_SYNTAX ? syntax_names
                                  : k == K_OSERROR ? os_names : import_names;
        size_t n;
        Value *f = extra_fields(e, k, &n);
        for (size_t i = 0; list[i]; i++)
            if (strcmp(str_cstr(name), list[i]) == 0)
                return set_member(&f[i], v);
    }
    return generic_setattr(self, name, v);
}

// --- methods ---------------------------------------------------------------------

static Value exc_new_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (nargs < 1 || !val_is_exc_type(args[0]))
        return exc_raise(&exc_TypeError, "BaseException.__new__(X): X is not a subtype of BaseException");
    Type *t = (Type *)val_obj(args[0]);
    return exc_type_new(t, args + 1, nargs - 1, kwnames);
}

static Value exc_init_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (exc_type_init(self, args, nargs, kwnames) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value exc_str_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__str__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    // The str of the nearest built-in class: a subclass's Python __str__
    // calling super().__str__() must not recurse into itself.
    Type *t = val_type(self);
    while (t->tflags & TF_HEAPTYPE)
        t = t->base;
    return t->str ? t->str(self) : exc_str(self);
}

static Value exc_repr_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__repr__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return exc_repr(self);
}

static Value exc_with_traceback(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("with_traceback", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (exc_setattr(self, names.__traceback__, args[0]) < 0)
        return VAL_NULL;
    return incref(self);
}

static Value exc_add_note(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("add_note", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "note must be a str, not '%s'", val_type_name(args[0]));
    Value notes = val_getattr_opt(self, names.__notes__);
    if (!notes) {
        if (exc_occurred())
            return VAL_NULL;
        notes = list_new(1);
        if (!notes)
            return VAL_NULL;
        if (val_setattr(self, names.__notes__, notes) < 0) {
            decref(notes);
            return VAL_NULL;
        }
    }
    if (!val_is_list(notes)) {
        decref(notes);
        return exc_raise(&exc_TypeError, "Cannot add note: __notes__ is not a list");
    }
    int r = list_append(notes, args[0]);
    decref(notes);
    return r < 0 ? VAL_NULL : incref(VAL_NONE);
}

static const MethodDef exc_methods[] = {
    {"__new__", exc_new_meth, METH_STATIC, NULL},
    {"__init__", exc_init_meth, 0, NULL},
    {"__str__", exc_str_meth, 0, NULL},
    {"__repr__", exc_repr_meth, 0, NULL},
    {"with_traceback", exc_with_traceback, 0, NULL},
    {"add_note", exc_add_note, 0, NULL},
    {NULL, NULL, 0, NULL},
};

// --- the types -------------------------------------------------------------------

#define DEFINE_EXC(ename, ebase)                                           \
    Type exc_##ename = {                                                   \
        .ob = OBJECT_HEAD_IMMORTAL(&type_type),                            \
        .name = #ename,                                                    \
        .base = &exc_##ebase,                                              \
        .tflags = TF_BASETYPE | TF_EXC_SUBCLASS,                           \
        .basic_size = sizeof(BaseExc),                                     \
        .dict_offset = offsetof(BaseExc, dict),                            \
        .dealloc = exc_dealloc,                                            \
        .new_ = exc_type_new,                                              \
        .init = exc_type_init,                                             \
        .repr = exc_repr,                                                  \
        .str = exc_str,                                                    \
        .getattr = exc_getattr,                                            \
        .setattr = exc_setattr,                                            \
    };
// BaseException's base is `object`: alias it so the macro reads uniformly.
#define exc_object object_type
BUILTIN_EXCEPTIONS(DEFINE_EXC)
#undef exc_object
#undef DEFINE_EXC

// The preallocated MemoryError (args set at start-up).
static BaseExc nomem_instance = {.ob = OBJECT_HEAD_IMMORTAL(&exc_MemoryError)};

// --- traceback objects ---------------------------------------------------------------

static void tb_dealloc(Object *o) {
    if (!list_trash_begin(o))
        return;
    Traceback *tb = (Traceback *)o;
    clear_ref(&tb->next);
    obj_free(o);
    list_trash_end();
}

static Value tb_getattr(Value self, Value name) {
    Traceback *tb = (Traceback *)val_obj(self);
    if (name_is_cstr(name, "tb_next"))
        return or_none(tb->next);
    if (name_is_cstr(name, "tb_lineno"))
        return int_from_i64(tb->line);
    if (name_is_cstr(name, "tb_lasti"))
        return small_new(0);
    if (name_is_cstr(name, "tb_frame"))
        return incref(VAL_NONE);
    return generic_getattr(self, name);
}

Type traceback_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "traceback",
    .basic_size = sizeof(Traceback),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = tb_dealloc,
    .getattr = tb_getattr,
};

void exc_add_traceback(Value exc, Code *code, uint32_t instr) {
    if (!val_is_exc(exc) || obj_is_immortal(val_obj(exc)))
        return;
    ThreadState *ts = ts_cur;
    // A failed allocation must not replace the exception being propagated.
    Value saved = ts ? ts->exc : VAL_NULL;
    if (ts)
        ts->exc = VAL_NULL;
    Traceback *tb = obj_alloc(&traceback_type, sizeof(Traceback));
    if (ts) {
        clear_ref(&ts->exc);
        ts->exc = saved;
    }
    if (!tb)
        return;
    tb->code = obj_val(code);
    tb->line = code_line_at(code, instr);
    if (code->lines && instr < code->ninstrs) {
        tb->col = code->lines[instr].col;
        tb->end_col = code->lines[instr].end_col;
    }
    BaseExc *e = as_exc(exc);
    tb->next = e->traceback;   // the old head becomes the inner part
    e->traceback = obj_val(tb);
}

// --- raising ---------------------------------------------------------------------

// Would linking exc -> ... -> [ctx] through __context__ create a cycle with
// [value]? Cut the link that points back at [value] (CPython's algorithm,
// with Floyd's cycle check for pre-existing cycles).
static void break_context_cycle(Value ctx, Value value) {
    Value o = ctx, slow = ctx;
    bool toggle = false;
    for (;;) {
        Value c = as_exc(o)->context;
        if (!c)
            break;
        if (c == value) {
            clear_ref(&as_exc(o)->context);
            break;
        }
        o = c;
        if (o == slow)
            break;
        if (toggle)
            slow = as_exc(slow)->context;
        toggle = !toggle;
    }
}

void exc_set_steal(Value exc) {
    ThreadState *ts = ts_cur;
    if (!ts) {
        fprintf(stderr, "gilvm: exception raised before start-up finished\n");
        decref(exc);
        return;
    }
    Value h = ts->handled;
    if (h && h != VAL_NONE && h != exc && val_is_exc(h) && val_is_exc(exc) &&
        !obj_is_immortal(val_obj(exc))) {
        break_context_cycle(h, exc);
        set_ref(&as_exc(exc)->context, incref(h));
    }
    set_ref(&ts->exc, exc);
}

Value exc_nomemory(void) {
    ThreadState *ts = ts_cur;
    if (!ts) {
        fprintf(stderr, "gilvm: out of memory\n");
        exit(1);
    }
    set_ref(&ts->exc, obj_val(&nomem_instance));
    return VAL_NULL;
}

static Value raise_va(Type *type, const char *fmt, va_list ap) {
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    Value msg;
    if (n < 0) {
        msg = str_from_cstr("");
    } else if ((size_t)n < sizeof small) {
        msg = str_new(small, (size_t)n);
    } else {
        char *buf = malloc((size_t)n + 1);
        if (!buf) {
            va_end(ap2);
            return exc_nomemory();
        }
        vsnprintf(buf, (size_t)n + 1, fmt, ap2);
        msg = str_take(buf, (size_t)n);
    }
    va_end(ap2);
    if (!msg)
        return VAL_NULL;
    Value e = exc_new(type, &msg, 1);
    decref(msg);
    if (e)
        exc_set_steal(e);
    return VAL_NULL;
}

Value exc_raise(Type *type, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    raise_va(type, fmt, ap);
    va_end(ap);
    return VAL_NULL;
}

int exc_raise_int(Type *type, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    raise_va(type, fmt, ap);
    va_end(ap);
    return -1;
}

Value exc_raise_value(Type *type, Value arg) {
    // VAL_NULL means "no argument": type().
    Value e = exc_new(type, &arg, arg ? 1 : 0);
    if (e)
        exc_set_steal(e);
    return VAL_NULL;
}

void exc_raise_object(Value v) {
    if (val_is_exc_type(v)) {
        Value e = val_call0(v);
        if (!e)
            return;
        if (!val_is_exc(e)) {
            Value tr = type_repr(v);
            Value er = tr ? type_repr(obj_val(val_type(e))) : VAL_NULL;
            if (tr && er)
                exc_raise(&exc_TypeError,
                          "calling %s should have returned an instance of BaseException, not %s",
                          str_cstr(tr), str_cstr(er));
            decref(tr);
            decref(er);
            decref(e);
            return;
        }
        exc_set_steal(e);
        return;
    }
    if (val_is_exc(v)) {
        exc_set_steal(incref(v));
        return;
    }
    exc_raise(&exc_TypeError, "exceptions must derive from BaseException");
}

bool exc_occurred(void) {
    return ts_cur->exc != VAL_NULL;
}

Value exc_fetch(void) {
    ThreadState *ts = ts_cur;
    Value e = ts->exc;
    ts->exc = VAL_NULL;
    return e;
}

void exc_clear(void) {
    clear_ref(&ts_cur->exc);
}

bool exc_matches(Type *type) {
    Value e = ts_cur->exc;
    return e && val_isinstance(e, type);
}

// --- printing --------------------------------------------------------------------

// A growable text buffer; on allocation failure it keeps what it has.
typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            return;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_puts(Buf *b, const char *s) {
    buf_add(b, s, strlen(s));
}

static void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(Buf *b, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        return;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_add(b, big, (size_t)n);
    free(big);
}

// Source files read during one exc_print call.
#define SRC_CACHE_SIZE 8
typedef struct {
    Value filename;        // borrowed (kept alive by the code objects)
    char *data;            // NULL: unreadable
    size_t *starts;        // offset of each line
    size_t nlines;
} SrcFile;

typedef struct {
    SrcFile files[SRC_CACHE_SIZE];
    size_t n, next_evict;
} SrcCache;

static void src_free(SrcFile *f) {
    free(f->data);
    free(f->starts);
    memset(f, 0, sizeof *f);
}

static void src_load(SrcFile *f, Value filename) {
    f->filename = filename;
    const char *name = str_cstr(filename);
    size_t nlen = str_len(filename);
    if (nlen == 0 || (name[0] == '<' && name[nlen - 1] == '>'))
        return;
    // Modules compiled into the binary (lib/*.py) are named <gilvm>/NAME.py.
    const char *embedded = NULL;
    size_t embedded_len = 0;
    if (strncmp(name, "<gilvm>/", 8) == 0) {
        for (const EmbeddedModule *em = embedded_modules; em->name; em++) {
            size_t ml = strlen(em->name);
            if (nlen == 8 + ml + 3 && strncmp(name + 8, em->name, ml) == 0 &&
                strcmp(name + 8 + ml, ".py") == 0) {
                embedded = em->source;
                embedded_len = em->len;
            }
        }
        if (!embedded)
            return;
    }
    FILE *fp = embedded ? NULL : fopen(name, "rb");
    if (!fp && !embedded)
        return;
    size_t cap = embedded ? embedded_len + 1 : 4096, len = 0;
    char *data = malloc(cap);
    if (embedded && data) {
        memcpy(data, embedded, embedded_len);
        len = embedded_len;
    }
    while (data && fp) {
        if (len + 1 >= cap) {
            char *nd = realloc(data, cap * 2);
            if (!nd) {
                free(data);
                data = NULL;
                break;
            }
            data = nd;
            cap *= 2;
        }
        size_t got = fread(data + len, 1, cap - len - 1, fp);
        if (got == 0)
            break;
        len += got;
    }
    if (fp)
        fclose(fp);
    if (!data)
        return;
    data[len] = '\0';
    size_t nl = 1;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n')
            nl++;
    size_t *starts = malloc(nl * sizeof *starts);
    if (!starts) {
        free(data);
        return;
    }
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n' && i + 1 < len)
            starts[k++] = i + 1;
    f->data = data;
    f->starts = starts;
    f->nlines = k;
}

// The text of line [line] of [filename] without its indentation and line
// ending, or NULL when unavailable. Points into the cache; *len set.
static const char *src_line(SrcCache *c, Value filename, int32_t line, size_t *len) {
    if (!filename || !val_is_str(filename) || line < 1)
        return NULL;
    SrcFile *f = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (c->files[i].filename == filename || str_eq(c->files[i].filename, filename)) {
            f = &c->files[i];
            break;
        }
    if (!f) {
        if (c->n < SRC_CACHE_SIZE) {
            f = &c->files[c->n++];
        } else {
            f = &c->files[c->next_evict];
            c->next_evict = (c->next_evict + 1) % SRC_CACHE_SIZE;
            src_free(f);
        }
        src_load(f, filename);
    }
    if (!f->data || (size_t)line > f->nlines)
        return NULL;
    const char *s = f->data + f->starts[line - 1];
    const char *e = strchr(s, '\n');
    if (!e)
        e = s + strlen(s);
    if (e > s && e[-1] == '\r')
        e--;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\f'))
        s++;
    *len = (size_t)(e - s);
    return s;
}

static void src_cache_free(SrcCache *c) {
    for (size_t i = 0; i < c->n; i++)
        src_free(&c->files[i]);
}

#define TB_LIMIT 1000
#define TB_RECURSIVE_CUTOFF 3

static void print_repeated(Buf *b, size_t cnt) {
    cnt -= TB_RECURSIVE_CUTOFF;
    buf_printf(b, cnt > 1 ? "  [Previous line repeated %zu more times]\n"
                          : "  [Previous line repeated %zu more time]\n",
               cnt);
}

static bool same_str(Value a, Value b) {
    return a == b || (a && b && val_is_str(a) && val_is_str(b) && str_eq(a, b));
}

static void print_tb(Buf *b, SrcCache *cache, Value tbv) {
    size_t depth = 0;
    for (Value t = tbv; t; t = ((Traceback *)val_obj(t))->next)
        depth++;
    while (tbv && depth > TB_LIMIT) {
        depth--;
        tbv = ((Traceback *)val_obj(tbv))->next;
    }
    buf_puts(b, "Traceback (most recent call last):\n");
    Value last_file = VAL_NULL, last_name = VAL_NULL;
    int32_t last_line = -1;
    size_t cnt = 0;
    for (Value t = tbv; t; t = ((Traceback *)val_obj(t))->next) {
        Traceback *tb = (Traceback *)val_obj(t);
        Code *code = (Code *)val_obj(tb->code);
        if (!last_file || !same_str(code->filename, last_file) || last_line == -1 ||
            tb->line != last_line || !last_name || !same_str(code->name, last_name)) {
            if (cnt > TB_RECURSIVE_CUTOFF)
                print_repeated(b, cnt);
            last_file = code->filename;
            last_line = tb->line;
            last_name = code->name;
            cnt = 0;
        }
        cnt++;
        if (cnt > TB_RECURSIVE_CUTOFF)
            continue;
        buf_printf(b, "  File \"%s\", line %d, in %s\n",
                   code->filename && val_is_str(code->filename) ? str_cstr(code->filename) : "???",
                   (int)tb->line,
                   code->name && val_is_str(code->name) ? str_cstr(code->name) : "???");
        size_t len;
        const char *line = src_line(cache, code->filename, tb->line, &len);
        if (line) {
            buf_puts(b, "    ");
            buf_add(b, line, len);
            buf_puts(b, "\n");
        }
    }
    if (cnt > TB_RECURSIVE_CUTOFF)
        print_repeated(b, cnt);
}

// CPython's print_error_text: the source line and a caret line.
static void print_error_text(Buf *b, int64_t offset, int64_t end_offset, const char *text) {
    size_t carets = (end_offset > 0 && end_offset > offset) ? (size_t)(end_offset - offset) : 1;
    offset--;   // 1-based -> 0-based
    while (*text == ' ' || *text == '\t' || *text == '\f') {
        text++;
        offset--;
    }
    int64_t len = (int64_t)strlen(text);
    if (len > 0 && text[len - 1] == '\n')
        len--;
    if (offset > len)
        offset = len;
    for (;;) {
        const char *nl = strchr(text, '\n');
        if (!nl)
            break;
        int64_t inl = nl - text;
        if (inl >= offset)
            break;
        inl++;
        text += inl;
        len -= inl;
        offset -= inl;
    }
    buf_puts(b, "    ");
    buf_puts(b, text);
    if (text[len] != '\n')
        buf_puts(b, "\n");
    if (offset < 0)
        return;
    buf_puts(b, "    ");
    while (--offset >= 0)
        buf_puts(b, " ");
    for (size_t i = 0; i < carets; i++)
        buf_puts(b, "^");
    buf_puts(b, "\n");
}

static int64_t small_or(Value v, int64_t dflt) {
    int64_t x;
    if (!v || v == VAL_NONE || !val_is_int(v))
        return dflt;
    if (int_as_i64(v, &x) < 0) {
        exc_clear();
        return dflt;
    }
    return x;
}

// The "  File ..., line N" header and caret of a SyntaxError. Returns the
// value whose str() ends the report (the msg), a new reference.
static Value print_syntax(Buf *b, Value exc) {
    SyntaxExc *s = (SyntaxExc *)val_obj(exc);
    int64_t lineno = small_or(s->lineno, 0);
    int64_t offset = small_or(s->offset, -1);
    int64_t end_lineno = small_or(s->end_lineno, lineno);
    int64_t end_offset = small_or(s->end_offset, -1);
    const char *fname = (s->filename && val_is_str(s->filename)) ? str_cstr(s->filename)
                                                                   : "<string>";
    buf_printf(b, "  File \"%s\", line %lld\n", fname, (long long)lineno);
    if (s->text && val_is_str(s->text)) {
        const char *text = str_cstr(s->text);
        int64_t line_size = (int64_t)str_len(s->text);   // bytes, as CPython
        if (end_lineno > lineno)
            end_offset = line_size;
        if (end_offset > line_size + 1)
            end_offset = line_size + 1;
        print_error_text(b, offset, end_offset, text);
    }
    return incref(s->msg ? s->msg : VAL_NONE);
}

// The qualified class name CPython prints: module prefix unless the class
// lives in builtins or __main__.
static void print_type_name(Buf *b, Type *t) {
    Value mod = t->module;
    if (mod && val_is_str(mod) && strcmp(str_cstr(mod), "builtins") != 0 &&
        strcmp(str_cstr(mod), "__main__") != 0) {
        buf_puts(b, str_cstr(mod));
        buf_puts(b, ".");
    }
    Value qn = VAL_NULL;
    if ((t->tflags & TF_HEAPTYPE) && t->dict) {
        qn = dict_get(t->dict, names.__qualname__);
        if (!qn && exc_occurred())
            exc_clear();
    }
    if (qn && val_is_str(qn))
        buf_puts(b, str_cstr(qn));
    else
        buf_puts(b, type_name(t));
    decref(qn);
}

// "Type: message" (or "Type") for [exc] whose str() is taken from [shown].
static void print_final_line(Buf *b, Value exc, Value shown) {
    print_type_name(b, val_type(exc));
    Value s = shown == VAL_NONE ? str_from_cstr("") : val_str(shown);
    if (!s) {
        exc_clear();
        buf_puts(b, ": <exception str() failed>");
    } else if (str_len(s) > 0) {
        buf_puts(b, ": ");
        buf_add(b, str_cstr(s), str_len(s));
    }
    decref(s);
    buf_puts(b, "\n");
}

static void print_notes(Buf *b, Value exc) {
    Value *ds = obj_dict_slot(exc);
    Value d = ds ? obj_dict_peek(ds) : VAL_NULL;
    if (!d)
        return;
    Value notes = dict_get(d, names.__notes__);
    if (!notes) {
        exc_clear();
        return;
    }
    if (val_is_list(notes) || val_is_tuple(notes)) {
        size_t n = val_is_list(notes) ? as_list(notes)->len : tuple_len(notes);
        for (size_t i = 0; i < n; i++) {
            Value note = val_is_list(notes) ? list_get_new(notes, (int64_t)i)
                                            : incref(tuple_get(notes, i));
            if (!note) {
                exc_clear();
                break;
            }
            Value s = val_str(note);
            decref(note);
            if (!s) {
                exc_clear();
                buf_puts(b, "<note str() failed>\n");
                continue;
            }
            buf_add(b, str_cstr(s), str_len(s));
            buf_puts(b, "\n");
            decref(s);
        }
    } else {
        Value r = val_repr(notes);
        if (r) {
            buf_add(b, str_cstr(r), str_len(r));
            buf_puts(b, "\n");
            decref(r);
        } else {
            exc_clear();
            buf_puts(b, "<__notes__ repr() failed>\n");
        }
    }
    decref(notes);
}

static void print_one(Buf *b, SrcCache *cache, Value exc) {
    if (!val_is_exc(exc)) {
        Value r = val_repr(exc);
        buf_printf(b, "TypeError: print_exception(): Exception expected for value, %s found\n",
                   val_type_name(exc));
        decref(r);
        return;
    }
    BaseExc *e = as_exc(exc);
    if (e->traceback)
        print_tb(b, cache, e->traceback);
    Value shown;
    if (val_isinstance(exc, &exc_SyntaxError) && has_layout(exc, K_SYNTAX))
        shown = print_syntax(b, exc);
    else
        shown = incref(exc);
    print_final_line(b, exc, shown);
    decref(shown);
    print_notes(b, exc);
}

// A set of pointers (open addressing) for the chain walk: long chains stay
// linear.
typedef struct {
    Value *slots;
    size_t cap, n;
} PtrSet;

static size_t ptr_hash(Value v, size_t mask) {
    uint64_t h = (uint64_t)v * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & mask;
}

// 0 added, 1 already present, -1 out of memory.
static int ptrset_add(PtrSet *s, Value v) {
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        Value *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i])
                continue;
            size_t j = ptr_hash(s->slots[i], cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t j = ptr_hash(v, s->cap - 1);
    while (s->slots[j]) {
        if (s->slots[j] == v)
            return 1;
        j = (j + 1) & (s->cap - 1);
    }
    s->slots[j] = v;
    s->n++;
    return 0;
}

static const char cause_message[] =
    "\nThe above exception was the direct cause of the following exception:\n\n";
static const char context_message[] =
    "\nDuring handling of the above exception, another exception occurred:\n\n";

void exc_print(Value exc) {
    ThreadState *ts = ts_cur;
    Value saved = ts->exc;
    ts->exc = VAL_NULL;
    // The chain, newest first: chain[i+1] is chain[i]'s cause or context.
    size_t n = 0, cap = 16;
    Value *chain = malloc(cap * sizeof *chain);
    bool *is_cause = malloc(cap * sizeof *is_cause);
    if (!chain || !is_cause) {
        free(chain);
        free(is_cause);
        fputs("MemoryError\n", stderr);
        ts->exc = saved;
        return;
    }
    chain[n++] = exc;
    PtrSet seenset = {0};
    ptrset_add(&seenset, exc);
    for (;;) {
        Value cur = chain[n - 1];
        if (!val_is_exc(cur))
            break;
        BaseExc *e = as_exc(cur);
        Value next;
        bool cause;
        if (e->cause) {
            next = e->cause;
            cause = true;
        } else if (!e->suppress_context && e->context) {
            next = e->context;
            cause = false;
        } else {
            break;
        }
        int seen = ptrset_add(&seenset, next);
        if (seen != 0)
            break;   // already printed (a cycle) or out of memory
        if (n == cap) {
            Value *nc = realloc(chain, cap * 2 * sizeof *nc);
            if (!nc)
                break;
            chain = nc;
            bool *ni = realloc(is_cause, cap * 2 * sizeof *ni);
            if (!ni)
                break;
            is_cause = ni;
            cap *= 2;
        }
        is_cause[n - 1] = cause;
        chain[n++] = next;
    }
    free(seenset.slots);
    Buf b = {0};
    SrcCache cache = {0};
    for (size_t i = n; i-- > 0;) {
        print_one(&b, &cache, chain[i]);
        if (i > 0)
            buf_puts(&b, is_cause[i - 1] ? cause_message : context_message);
    }
    src_cache_free(&cache);
    free(chain);
    free(is_cause);
    // Blocking writes: the GIL is released around them (only C memory is
    // touched), and the traceback goes out in one call.
    thread_begin_blocking(ts);
    fflush(stdout);
    if (b.p)
        fwrite(b.p, 1, b.len, stderr);
    else
        fputs("MemoryError\n", stderr);
    fflush(stderr);
    thread_end_blocking(ts);
    free(b.p);
    clear_ref(&ts->exc);
    ts->exc = saved;
}

Value exc_format_line(Value exc) {
    Buf b = {0};
    Value shown;
    if (val_isinstance(exc, &exc_SyntaxError) && has_layout(exc, K_SYNTAX))
        shown = incref(((SyntaxExc *)val_obj(exc))->msg ? ((SyntaxExc *)val_obj(exc))->msg
                                                        : VAL_NONE);
    else
        shown = incref(exc);
    print_final_line(&b, exc, shown);
    decref(shown);
    if (!b.p)
        return exc_nomemory();
    // Drop the newline.
    Value r = str_new(b.p, b.len ? b.len - 1 : 0);
    free(b.p);
    return r;
}

// --- SyntaxError construction ---------------------------------------------------

Value exc_syntax_error_new(const char *kind, const char *msg, const char *filename, int line,
                           int col, int end_col, const char *text) {
    Type *t = &exc_SyntaxError;
    if (kind && strcmp(kind, "IndentationError") == 0)
        t = &exc_IndentationError;
    else if (kind && strcmp(kind, "TabError") == 0)
        t = &exc_TabError;
    Value items[6] = {VAL_NULL};
    Value m = str_from_cstr(msg);
    items[0] = filename ? str_from_cstr(filename) : incref(VAL_NONE);
    items[1] = int_from_i64(line);
    items[2] = col > 0 ? int_from_i64(col) : incref(VAL_NONE);
    items[3] = text ? str_from_cstr(text) : incref(VAL_NONE);
    items[4] = int_from_i64(line);
    items[5] = end_col > 0 ? int_from_i64(end_col) : incref(VAL_NONE);
    Value r = VAL_NULL;
    bool ok = m != VAL_NULL;
    for (int i = 0; i < 6; i++)
        ok = ok && items[i];
    if (ok) {
        Value info = tuple_from_array_steal(items, 6);
        if (info) {
            Value args[2] = {m, info};
            r = exc_new(t, args, 2);
            decref(info);
        }
    } else {
        for (int i = 0; i < 6; i++)
            decref(items[i]);
    }
    decref(m);
    return r;
}

// --- start-up --------------------------------------------------------------------

void exc_init_types(void) {
#define READY(ename, ebase)                                              \
    do {                                                                 \
        Type *t = &exc_##ename;                                          \
        size_t sz = kind_size(exc_kind(t));                              \
        if (t->basic_size < sz)                                          \
            t->basic_size = (uint32_t)sz;                                \
        type_ready(t);                                                   \
    } while (0);
    BUILTIN_EXCEPTIONS(READY)
#undef READY
    exc_KeyError.str = keyerror_str;
    exc_SyntaxError.str = syntax_str;
    exc_IndentationError.str = syntax_str;
    exc_TabError.str = syntax_str;
    exc_ImportError.str = import_str;
    exc_ModuleNotFoundError.str = import_str;
    // Every OSError subclass was readied with the inherited str: reset them.
    Type *os_types[] = {&exc_OSError, &exc_TimeoutError, &exc_ConnectionError,
                        &exc_BrokenPipeError, &exc_ConnectionResetError,
                        &exc_ConnectionRefusedError, &exc_FileNotFoundError,
                        &exc_PermissionError, &exc_InterruptedError};
    for (size_t i = 0; i < ARRAY_LEN(os_types); i++)
        os_types[i]->str = oserror_str;
    type_add_methods(&exc_BaseException, exc_methods);
    type_ready(&traceback_type);
    nomem_instance.args = tuple_empty();
}
