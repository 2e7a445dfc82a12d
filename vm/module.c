// Modules and the import of built-in modules.
//
// sys.modules (interp->modules) caches every imported module. A built-in
// module is created by its init function on first import, per interpreter.
// Only built-in modules exist: anything else is ModuleNotFoundError.
#include "module.h"

#include "abstract.h"
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "interp.h"
#include "names.h"
#include "state.h"
#include "str.h"
#include "thread.h"

Value module_new(const char *name) {
    Module *m = obj_alloc(&module_type, sizeof(Module));
    if (!m)
        return VAL_NULL;
    m->dict = dict_new();
    m->name = str_from_cstr(name);
    if (!m->dict || !m->name) {
        decref(obj_val(m));
        return VAL_NULL;
    }
    if (dict_set(m->dict, names.__name__, m->name) < 0 ||
        dict_set(m->dict, names.__doc__, VAL_NONE) < 0) {
        decref(obj_val(m));
        return VAL_NULL;
    }
    return obj_val(m);
}

static void module_dealloc(Object *o) {
    Module *m = (Module *)o;
    clear_ref(&m->dict);
    clear_ref(&m->name);
    obj_free(o);
}

static Value module_repr(Value v) {
    Module *m = (Module *)val_obj(v);
    Value file = dict_get(m->dict, names.__file__);
    Value r;
    if (file && val_is_str(file))
        r = str_printf("<module '%s' from '%s'>", str_cstr(m->name), str_cstr(file));
    else
        r = str_printf("<module '%s' (built-in)>", str_cstr(m->name));
    decref(file);
    return r;
}

static Value module_getattr(Value self, Value name) {
    Module *m = (Module *)val_obj(self);
    Value v = dict_get(m->dict, name);
    if (v || exc_occurred())
        return v;
    if (name == names.__dict__)
        return incref(m->dict);
    return exc_raise(&exc_AttributeError, "module '%s' has no attribute '%s'", str_cstr(m->name),
                     str_cstr(name));
}

static int module_setattr(Value self, Value name, Value v) {
    Module *m = (Module *)val_obj(self);
    if (!v) {
        int r = dict_del(m->dict, name);
        if (r == 0)
            return exc_raise_int(&exc_AttributeError, "module '%s' has no attribute '%s'",
                                 str_cstr(m->name), str_cstr(name));
        return r < 0 ? -1 : 0;
    }
    return dict_set(m->dict, name, v);
}

Type module_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "module",
    .basic_size = sizeof(Module),
    .dealloc = module_dealloc,
    .repr = module_repr,
    .getattr = module_getattr,
    .setattr = module_setattr,
};

int module_add(Value m, const char *name, Value v) {
    return dict_set(module_dict(m), str_intern_cstr(name), v);
}

int module_add_steal(Value m, const char *name, Value v) {
    if (!v)
        return -1;
    int r = module_add(m, name, v);
    decref(v);
    return r;
}

int module_add_functions(Value m, const MethodDef *defs) {
    Module *mod = (Module *)val_obj(m);
    for (const MethodDef *d = defs; d->name; d++) {
        Value f = builtin_new(d, VAL_NULL, mod->name);
        if (!f || module_add_steal(m, d->name, f) < 0)
            return -1;
    }
    return 0;
}

const BuiltinModule builtin_modules[] = {
    {"sys", mod_sys_init},
    {"math", mod_math_init},
    {"time", mod_time_init},
    {"builtins", mod_builtins_init},
    {"_thread", mod_thread_init},
    {NULL, NULL},
};

// Import an embedded Python module: a fresh module in sys.modules, then its
// code run with the module's dict as globals.
static Value import_embedded(Interp *in, Value name, const EmbeddedModule *em) {
    if (!in->compile)
        return exc_raise(&exc_ImportError, "no compiler for module '%s'", em->name);
    char filename[256];
    snprintf(filename, sizeof filename, "<gilvm>/%s.py", em->name);
    Code *code = in->compile(em->source, em->len, filename);
    if (!code)
        return VAL_NULL;
    Value m = module_new(em->name);
    if (!m)
        return VAL_NULL;
    Value d = module_dict(m);
    // In sys.modules before its code runs (an import cycle finds it), marked
    // as initializing until the code has run (other threads wait for it).
    atomic_store(&((Module *)val_obj(m))->initializing, true);
    if (dict_set(d, names.__builtins__, in->builtins_module) < 0 ||
        dict_set(d, names.__file__, str_intern_cstr(filename)) < 0 ||
        dict_set(in->modules, name, m) < 0) {
        decref(m);
        return VAL_NULL;
    }
    Value r = interp_exec_code(code, d, VAL_NULL);
    atomic_store(&((Module *)val_obj(m))->initializing, false);
    if (!r) {
        Value exc = exc_fetch();
        dict_del(in->modules, name);
        exc_set_steal(exc);
        decref(m);
        return VAL_NULL;
    }
    decref(r);
    return m;
}

static Value find_or_load(Interp *in, Value name);

// The import lock. A module found in sys.modules and fully initialized is
// returned at once. Otherwise the importing thread takes the interpreter's
// import lock (recursive: an import inside a module's code goes on) and
// looks again: another thread may have loaded it meanwhile, or may still be
// running its code -- which the lock waits for, so no thread ever sees a
// half-initialized module, except the thread running it (an import cycle,
// as in CPython). The wait is a blocking bracket (the GIL is released).
Value module_import(Value name) {
    ThreadState *ts = ts_cur;
    Interp *in = ts->interp;
    Value m = dict_get(in->modules, name);
    if (m && val_type(m) == &module_type &&
        atomic_load(&((Module *)val_obj(m))->initializing)) {
        decref(m);
        m = VAL_NULL;
    } else if (m || exc_occurred()) {
        return m;
    }
    SyncWaitHooks hooks = thread_wait_hooks(ts);
    SyncStatus st;
    while ((st = sync_rlock_acquire(&in->import_lock, ts->id, 0, true, -1, &hooks, NULL)) ==
           SYNC_INTERRUPTED) {
        if (interp_check_signals() < 0)
            return VAL_NULL;
    }
    m = find_or_load(in, name);
    sync_rlock_release(&in->import_lock, ts->id, NULL);
    return m;
}

static Value find_or_load(Interp *in, Value name) {
    Value m = dict_get(in->modules, name);
    if (m || exc_occurred())
        return m;
    const char *n = str_cstr(name);
    for (const BuiltinModule *b = builtin_modules; b->name; b++) {
        if (strcmp(b->name, n) == 0) {
            m = b->init();
            if (!m)
                return VAL_NULL;
            if (dict_set(in->modules, name, m) < 0) {
                decref(m);
                return VAL_NULL;
            }
            return m;
        }
    }
    for (const EmbeddedModule *em = embedded_modules; em->name; em++)
        if (strcmp(em->name, n) == 0)
            return import_embedded(in, name, em);
    Value e = str_printf("No module named '%s'", n);
    if (!e)
        return VAL_NULL;
    Value exc = exc_new(&exc_ModuleNotFoundError, &e, 1);
    decref(e);
    if (exc) {
        val_setattr(exc, names.name, name);
        exc_set_steal(exc);
    }
    return VAL_NULL;
}

void module_type_init(void) {
    type_ready(&module_type);
}
