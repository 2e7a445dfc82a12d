// The interpreter loop.
//
// interp_run executes frames until the entry frame returns or yields.
// Python-to-Python calls do not recurse in C: CALL pushes the callee's frame
// and continues in the same loop; RETURN_VALUE pops it. C code that calls a
// Python function (func_call) runs a nested interp_run whose entry frame is
// marked FRAME_ENTRY.
//
// Hot state lives in locals: `ip` (next instruction), `sp` (stack top), `f`
// (the frame) and the frame's constants and names. SAVE() writes ip/sp back
// into the frame; it is done before anything that can call out (Python code,
// a blocking wait, a GIL hand-over, an exception), so that tracebacks, the
// stepping UI and generators always see a consistent frame. LOAD() reverses
// it after a frame switch.
//
// Errors: every failing operation jumps to `error`, which records a traceback
// entry for the frame, then looks up the exception table; a handler resets the
// stack to its recorded depth and continues there, otherwise the frame is
// unwound and the search goes on in the caller.
//
// Preemption points: JUMP_BACKWARD and calls check the thread's eval breaker
// (one atomic word); everything that must interrupt bytecode sets a bit there.
// The GIL model (gil_model.h) decides when a run starts between the plain
// dispatch table and every_table, whose entries all pass EVERY_INSTRUCTION
// first (--preempt=instruction, --switch-every, --switch-every-jumps). The
// plain table's path does no work for the models; it is also sensitive to
// code layout: check `valgrind --tool=cachegrind` counts before and after
// touching the selection or EVERY_INSTRUCTION.
//
// --race (race.h) selects every_table too: EVERY_INSTRUCTION then calls
// race_instruction for the watched opcodes, so the plain table's path has no
// --race test at all.
//
// Counting: every dispatch bumps a local instruction count, added to the
// thread's ThreadStats at the eval breaker and on leaving interp_resume
// (about one machine instruction per bytecode; see README, --stats).
#include "interp.h"

#include <signal.h>

#include "abstract.h"
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "func.h"
#include "gen.h"
#include "gil_model.h"
#include "int.h"
#include "list.h"
#include "module.h"
#include "names.h"
#include "opcodes.h"
#include "scheduler.h"
#include "race.h"
#include "seq.h"
#include "set.h"
#include "str.h"
#include "thread.h"
#include "tuple.h"

_Thread_local ThreadState *ts_cur;

// --- eval breaker -----------------------------------------------------------------

static _Atomic(ThreadState *) signal_target;
// Set by the SIGINT handler on any thread, read by every thread (waits poll
// it): a lock-free atomic, safe in a signal handler.
_Atomic int gilvm_sigint_pending;
#define sigint_pending gilvm_sigint_pending

static void on_sigint(int sig) {
    UNUSED(sig);
    sigint_pending = 1;
    ThreadState *ts = atomic_load(&signal_target);
    if (ts)
        atomic_fetch_or(&ts->eval_breaker, EB_SIGNAL);
}

void interp_install_signals(ThreadState *main_ts) {
    atomic_store(&signal_target, main_ts);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

int interp_check_signals(void) {
    ThreadState *ts = ts_cur;
    if (ts != atomic_load(&signal_target) || !sigint_pending)
        return 0;
    sigint_pending = 0;
    atomic_fetch_and(&ts->eval_breaker, ~(uint32_t)EB_SIGNAL);
    exc_raise_value(&exc_KeyboardInterrupt, VAL_NULL);
    return -1;
}

static int handle_eval_breaker(ThreadState *ts) {
    uint32_t bits = atomic_load_explicit(&ts->eval_breaker, RELAXED);
    if (bits & EB_BRC_MERGE)
        brc_merge_queued(&ts->brc);
    if (bits & EB_STOP_WORLD)
        thread_honour_stop(ts);
    if (bits & EB_GIL_DROP)
        thread_honour_drop_request(ts);
    if (bits & EB_SCHED)
        sched_preempt(ts);   // stays set: every preemption point is a decision
    if (bits & EB_SIGNAL) {
        if (interp_check_signals() < 0)
            return -1;
        atomic_fetch_and(&ts->eval_breaker, ~(uint32_t)EB_SIGNAL);
    }
    return 0;
}

// --- helpers used by the loop ---------------------------------------------------------

static Value name_error(Value name) {
    Value msg = str_printf("name '%s' is not defined", str_cstr(name));
    if (!msg)
        return VAL_NULL;
    Value exc = exc_new(&exc_NameError, &msg, 1);
    decref(msg);
    if (exc) {
        val_setattr(exc, names.name, name);
        exc_set_steal(exc);
    }
    return VAL_NULL;
}

static Value load_global(Frame *f, Value name) {
    Value v = dict_get(f->globals, name);
    if (v || exc_occurred())
        return v;
    v = dict_get(f->builtins, name);
    if (v || exc_occurred())
        return v;
    return name_error(name);
}

static Value unbound_local(Code *c, uint32_t i) {
    return exc_raise(&exc_UnboundLocalError,
                     "cannot access local variable '%s' where it is not associated with a value",
                     str_cstr(c->varnames[i]));
}

static Value cell_name(Code *c, uint32_t i) {
    return i < c->ncells ? c->cellvars[i] : c->freevars[i - c->ncells];
}

static Value unbound_deref(Code *c, uint32_t i) {
    if (i < c->ncells)
        return exc_raise(&exc_UnboundLocalError,
                         "cannot access local variable '%s' where it is not associated with a value",
                         str_cstr(cell_name(c, i)));
    return exc_raise(&exc_NameError,
                     "cannot access free variable '%s' where it is not associated with a value in "
                     "enclosing scope",
                     str_cstr(cell_name(c, i)));
}

static void reverse_values(Value *v, size_t n) {
    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
        Value t = v[i];
        v[i] = v[j - 1];
        v[j - 1] = t;
    }
}

static int unpack_iterable(Value seq, size_t before, size_t after, bool starred, Value *out) {
    // out receives the values in order: before..., [list], after...
    if (!starred && (val_is_tuple(seq) || val_is_list(seq))) {
        // Free-threaded: a list may change meanwhile; work on a snapshot.
        Value *snap = NULL;
        size_t n;
        Value *items;
        if (val_is_tuple(seq)) {
            n = tuple_len(seq);
            items = as_tuple(seq)->items;
        } else if (!obj_locking) {
            n = as_list(seq)->len;
            items = as_list(seq)->items;
        } else {
            snap = items = list_copy_items(seq, &n);
            if (!snap)
                return -1;
        }
        if (n != before) {
            if (snap) {
                for (size_t i = 0; i < n; i++)
                    decref(snap[i]);
                free(snap);
            }
            if (n < before)
                return exc_raise_int(&exc_ValueError,
                                     "not enough values to unpack (expected %zu, got %zu)", before,
                                     n);
            return exc_raise_int(&exc_ValueError, "too many values to unpack (expected %zu)",
                                 before);
        }
        for (size_t i = 0; i < n; i++)
            out[i] = snap ? items[i] : incref(items[i]);
        free(snap);
        return 0;
    }
    Value it = val_iter(seq);
    if (!it) {
        if (exc_matches(&exc_TypeError) && !val_type(seq)->iter && !val_type(seq)->getitem) {
            exc_clear();
            exc_raise(&exc_TypeError, "cannot unpack non-iterable %s object", val_type_name(seq));
        }
        return -1;
    }
    size_t i = 0;
    for (; i < before; i++) {
        Value v = val_next(it);
        if (!v) {
            if (!exc_occurred()) {
                if (starred)
                    exc_raise(&exc_ValueError,
                              "not enough values to unpack (expected at least %zu, got %zu)",
                              before + after, i);
                else
                    exc_raise(&exc_ValueError, "not enough values to unpack (expected %zu, got %zu)",
                              before, i);
            }
            goto fail;
        }
        out[i] = v;
    }
    if (!starred) {
        Value extra = val_next(it);
        if (extra) {
            decref(extra);
            exc_raise(&exc_ValueError, "too many values to unpack (expected %zu)", before);
            goto fail;
        }
        if (exc_occurred())
            goto fail;
        decref(it);
        return 0;
    }
    Value rest = list_from_iterable(it);
    if (!rest)
        goto fail;
    size_t nrest = as_list(rest)->len;
    if (nrest < after) {
        exc_raise(&exc_ValueError, "not enough values to unpack (expected at least %zu, got %zu)",
                  before + after, before + nrest);
        decref(rest);
        goto fail;
    }
    for (size_t k = 0; k < after; k++)
        out[before + 1 + k] = incref(as_list(rest)->items[nrest - after + k]);
    for (size_t k = 0; k < after; k++)
        decref(as_list(rest)->items[nrest - after + k]);
    as_list(rest)->len = nrest - after;
    out[before] = rest;
    decref(it);
    return 0;
fail:
    for (size_t k = 0; k < i; k++)
        decref(out[k]);
    decref(it);
    return -1;
}

static int do_raise(Value exc, Value cause) {
    ThreadState *ts = ts_cur;
    if (!exc) {
        Value h = ts->handled;
        if (!h || h == VAL_NONE)
            return exc_raise_int(&exc_RuntimeError, "No active exception to reraise");
        ts->exc = incref(h);
        return 1;   // a re-raise: keep the traceback as it is
    }
    Value inst;
    if (val_is_exc_type(exc)) {
        inst = val_call0(exc);
        if (!inst)
            return -1;
        if (!val_is_exc(inst)) {
            decref(inst);
            return exc_raise_int(&exc_TypeError,
                                 "calling %s should have returned an instance of BaseException, "
                                 "not %s",
                                 val_type_name(exc), val_type_name(inst));
        }
    } else if (val_is_exc(exc)) {
        inst = incref(exc);
    } else {
        return exc_raise_int(&exc_TypeError, "exceptions must derive from BaseException");
    }
    if (cause) {
        Value c;
        if (cause == VAL_NONE) {
            c = VAL_NULL;
        } else if (val_is_exc_type(cause)) {
            c = val_call0(cause);
            if (!c) {
                decref(inst);
                return -1;
            }
        } else if (val_is_exc(cause)) {
            c = incref(cause);
        } else {
            decref(inst);
            return exc_raise_int(&exc_TypeError, "exception causes must derive from BaseException");
        }
        BaseExc *be = (BaseExc *)val_obj(inst);
        set_ref(&be->cause, c);
        be->suppress_context = true;
    }
    exc_set_steal(inst);
    return 0;
}

static int check_exc_type(Value t) {
    if (val_is_tuple(t)) {
        for (size_t i = 0; i < tuple_len(t); i++)
            if (check_exc_type(tuple_get(t, i)) < 0)
                return -1;
        return 0;
    }
    if (!val_is_exc_type(t))
        return exc_raise_int(&exc_TypeError,
                             "catching classes that do not inherit from BaseException is not "
                             "allowed");
    return 0;
}

static Value format_value(Value v, int conv, Value spec) {
    Value s;
    switch (conv) {
    case 1: s = val_str(v); break;
    case 2: s = val_repr(v); break;
    case 3: s = val_ascii(v); break;
    default: s = incref(v); break;
    }
    if (!s)
        return VAL_NULL;
    Value r = val_format(s, spec);
    decref(s);
    return r;
}

static Value build_string(Value *items, size_t n) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += str_len(items[i]);
    char *buf = malloc(len + 1);
    if (!buf)
        return exc_nomemory();
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(buf + off, str_cstr(items[i]), str_len(items[i]));
        off += str_len(items[i]);
    }
    buf[len] = 0;
    return str_take(buf, len);
}

static Value import_name(Frame *f, Value name, Value fromlist, Value level) {
    UNUSED(f);
    if (val_is_small(level) && small_get(level) > 0)
        return exc_raise(&exc_ImportError, "attempted relative import with no known parent package");
    Value m = module_import(name);
    UNUSED(fromlist);
    return m;
}

static Value import_from(Value module, Value name) {
    Value v = val_getattr(module, name);
    if (v || !exc_matches(&exc_AttributeError))
        return v;
    exc_clear();
    Value mname = val_getattr_opt(module, names.__name__);
    Value r = exc_raise(&exc_ImportError, "cannot import name '%s' from '%s' (unknown location)",
                        str_cstr(name), mname && val_is_str(mname) ? str_cstr(mname) : "?");
    decref(mname);
    return r;
}

static int import_star(Frame *f, Value module) {
    Value d = val_getattr(module, names.__dict__);
    if (!d)
        return -1;
    Value target = f->locals ? f->locals : f->globals;
    Value all = dict_for_iteration(d);
    decref(d);
    if (!all)
        return -1;
    d = all;
    size_t pos = 0;
    Value k, v;
    int rc = 0;
    while (dict_next(d, &pos, &k, &v)) {
        if (val_is_str(k) && str_cstr(k)[0] == '_')
            continue;
        if (dict_set(target, k, v) < 0) {
            rc = -1;
            break;
        }
    }
    decref(d);
    return rc;
}

static void print_expr(Value v) {
    if (v == VAL_NONE)
        return;
    Value r = val_repr(v);
    if (!r)
        return;
    fwrite(str_cstr(r), 1, str_len(r), stdout);
    fputc('\n', stdout);
    decref(r);
    dict_set_cstr(ts_cur->interp->builtins, "_", v);
}

static int dict_merge_kwargs(Value target, Value src) {
    if (!val_is_dict(src)) {
        Value keys = val_call_method(src, "keys", NULL, 0);
        if (!keys) {
            if (exc_matches(&exc_AttributeError)) {
                exc_clear();
                exc_raise(&exc_TypeError, "argument after ** must be a mapping, not %s",
                          val_type_name(src));
            }
            return -1;
        }
        Value it = val_iter(keys);
        decref(keys);
        if (!it)
            return -1;
        Value k;
        while ((k = val_next(it))) {
            Value v = val_getitem(src, k);
            if (!v || dict_set(target, k, v) < 0) {
                decref(k);
                decref(v);
                decref(it);
                return -1;
            }
            decref(k);
            decref(v);
        }
        decref(it);
        return exc_occurred() ? -1 : 0;
    }
    Value items = dict_for_iteration(src);
    if (!items)
        return -1;
    size_t pos = 0;
    Value k, v;
    int rc = 0;
    while (rc == 0 && dict_next(items, &pos, &k, &v)) {
        int c = val_is_str(k) ? dict_contains(target, k) : -1;
        if (c < 0) {
            if (!val_is_str(k))
                exc_raise(&exc_TypeError, "keywords must be strings");
            rc = -1;
        } else if (c) {
            rc = exc_raise_int(&exc_TypeError, "got multiple values for keyword argument '%s'",
                               str_cstr(k));
        } else {
            rc = dict_set(target, k, v);
        }
    }
    decref(items);
    return rc;
}

// f(*args, **kwargs) -> val_call with a flat argument array.
Value interp_call_ex(Value func, Value args, Value kwargs) {
    Value tup = val_is_tuple(args) ? incref(args) : tuple_from_iterable(args);
    if (!tup) {
        if (exc_matches(&exc_TypeError) && !val_type(args)->iter && !val_type(args)->getitem) {
            exc_clear();
            Value fr = val_repr(func);
            exc_raise(&exc_TypeError, "%s argument after * must be an iterable, not %s",
                      fr ? str_cstr(fr) : "function", val_type_name(args));
            decref(fr);
        }
        return VAL_NULL;
    }
    size_t n = tuple_len(tup);
    if (!kwargs || dict_len(kwargs) == 0) {
        Value r = val_call(func, as_tuple(tup)->items, n, VAL_NULL);
        decref(tup);
        return r;
    }
    // The call may change [kwargs]: the arguments are references of our own.
    Value kw = dict_for_iteration(kwargs);
    size_t nkw = kw ? dict_len(kw) : 0;
    Value *argv = kw ? malloc((n + nkw) * sizeof(Value)) : NULL;
    Value kwnames = argv ? tuple_new(nkw) : VAL_NULL;
    if (!kwnames) {
        free(argv);
        decref(kw);
        decref(tup);
        return exc_occurred() ? VAL_NULL : exc_nomemory();
    }
    memcpy(argv, as_tuple(tup)->items, n * sizeof(Value));
    size_t pos = 0, i = 0;
    Value k, v;
    while (i < nkw && dict_next(kw, &pos, &k, &v)) {
        tuple_set_steal(kwnames, i, incref(k));
        argv[n + i] = incref(v);
        i++;
    }
    decref(kw);
    Value r = val_call(func, argv, n, kwnames);
    for (size_t j = 0; j < i; j++)
        decref(argv[n + j]);
    free(argv);
    decref(kwnames);
    decref(tup);
    return r;
}

static Value make_function(Frame *f, Code *code, Value defaults, Value kwdefaults, Value closure) {
    Value fn = func_new(code, f->globals, code->qualname);
    if (!fn)
        return VAL_NULL;
    Function *func = (Function *)val_obj(fn);
    func->defaults = defaults;
    func->kwdefaults = kwdefaults;
    func->closure = closure;
    return fn;
}

// Prepare a frame for calling Python function [func]: bind arguments, make
// cells, copy the closure. On error the frame is still the caller's to pop.
static int frame_setup_cells(Frame *nf, Function *fn);

static inline bool simple_args(const Code *c, size_t nargs, Value kwnames) {
    return !kwnames && nargs == c->argcount && !(c->flags & (CO_VARARGS | CO_VARKEYWORDS)) &&
           !c->kwonlyargcount;
}

static int frame_setup(Frame *nf, Value func, Value *args, size_t nargs, Value kwnames) {
    Function *fn = (Function *)val_obj(func);
    Code *c = fn->code;
    nf->func = incref(func);
    nf->globals = fn->globals;
    nf->builtins = fn->builtins;
    if (simple_args(c, nargs, kwnames)) {
        for (size_t i = 0; i < nargs; i++)
            nf->slots[i] = incref(args[i]);
    } else if (frame_bind_args(nf, func, args, nargs, kwnames) < 0) {
        return -1;
    }
    if (c->ncells || c->nfree)
        return frame_setup_cells(nf, fn);
    return 0;
}

static int frame_setup_cells(Frame *nf, Function *fn) {
    Code *c = fn->code;
    if (c->ncells) {
        for (uint32_t i = 0; i < c->ncells; i++) {
            int32_t a = c->cell2arg ? c->cell2arg[i] : -1;
            Value cell = cell_new(a >= 0 ? nf->slots[a] : VAL_NULL);
            if (!cell)
                return -1;
            if (a >= 0)
                clear_ref(&nf->slots[a]);
            nf->slots[c->nlocals + i] = cell;
        }
    }
    if (c->nfree) {
        Tuple *cl = as_tuple(fn->closure);
        for (uint32_t i = 0; i < c->nfree; i++)
            nf->slots[c->nlocals + c->ncells + i] = incref(cl->items[i]);
    }
    return 0;
}

static Value make_generator(ThreadState *ts, Value func, Value *args, size_t nargs,
                            Value kwnames) {
    UNUSED(ts);
    Code *c = ((Function *)val_obj(func))->code;
    Frame *nf = frame_new_heap(c);
    if (!nf)
        return VAL_NULL;
    if (frame_setup(nf, func, args, nargs, kwnames) < 0) {
        frame_free_heap(nf);
        return VAL_NULL;
    }
    return gen_new(nf);
}

Value func_call(Value func, Value *args, size_t nargs, Value kwnames) {
    ThreadState *ts = ts_cur;
    Code *c = ((Function *)val_obj(func))->code;
    if (c->flags & (CO_GENERATOR | CO_COROUTINE))
        return make_generator(ts, func, args, nargs, kwnames);
    Frame *nf = frame_push(ts, c);
    if (!nf)
        return VAL_NULL;
    if (frame_setup(nf, func, args, nargs, kwnames) < 0) {
        frame_pop(ts, nf);
        return VAL_NULL;
    }
    nf->flags |= FRAME_ENTRY;
    Value r = interp_run(ts, nf);
    frame_pop(ts, nf);
    return r;
}

Value interp_exec_code(Code *code, Value globals, Value locals) {
    ThreadState *ts = ts_cur;
    Value fn = func_new(code, globals, code->name);
    if (!fn)
        return VAL_NULL;
    Frame *nf = frame_push(ts, code);
    if (!nf) {
        decref(fn);
        return VAL_NULL;
    }
    nf->func = fn;
    nf->globals = globals;
    nf->builtins = ((Function *)val_obj(fn))->builtins;
    nf->locals = incref(locals ? locals : globals);
    nf->flags |= FRAME_ENTRY;
    Value r = interp_run(ts, nf);
    frame_pop(ts, nf);
    return r;
}

// __build_class__(func, name, *bases, metaclass=None)
static Value build_class(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (nargs < 2)
        return exc_raise(&exc_TypeError, "__build_class__: not enough arguments");
    Value body = args[0], name = args[1];
    if (val_type(body) != &function_type)
        return exc_raise(&exc_TypeError, "__build_class__: func must be a function");
    if (!val_is_str(name))
        return exc_raise(&exc_TypeError, "__build_class__: name is not a string");
    Value meta = VAL_NULL;
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    for (size_t k = 0; k < nkw; k++) {
        if (str_eq(tuple_get(kwnames, k), names.metaclass))
            meta = args[nargs + k];
        else
            return exc_raise(&exc_TypeError, "__init_subclass__() takes no keyword arguments");
    }
    Value bases = tuple_from_array(args + 2, nargs - 2);
    if (!bases)
        return VAL_NULL;
    Value ns = dict_new();
    if (!ns) {
        decref(bases);
        return VAL_NULL;
    }
    Function *fn = (Function *)val_obj(body);
    Value modname = dict_get(fn->globals, names.__name__);
    if (modname) {
        dict_set(ns, names.__module__, modname);
        decref(modname);
    }
    dict_set(ns, names.__qualname__, fn->qualname);
    // Run the body with the namespace as its locals.
    ThreadState *ts = ts_cur;
    Frame *nf = frame_push(ts, fn->code);
    Value r = VAL_NULL;
    if (nf) {
        if (frame_setup(nf, body, NULL, 0, VAL_NULL) == 0) {
            nf->locals = incref(ns);
            nf->flags |= FRAME_ENTRY;
            r = interp_run(ts, nf);
        }
        frame_pop(ts, nf);
    }
    Value cls = VAL_NULL;
    if (r) {
        decref(r);
        if (meta && meta != obj_val(&type_type)) {
            Value a[3] = {name, bases, ns};
            cls = val_call(meta, a, 3, VAL_NULL);
        } else {
            cls = type_new_class(name, bases, ns);
        }
    }
    decref(ns);
    decref(bases);
    return cls;
}

static const MethodDef build_class_def = {"__build_class__", build_class, 0, NULL};

Value interp_build_class_func(void) {
    return builtin_new(&build_class_def, VAL_NULL, VAL_NULL);
}

// --- attribute caches (see ACacheEntry) -------------------------------------------

// After a successful generic attribute access on an instance of a class,
// remember where [name] lives in the instance dict.
static void attr_cache_fill(ACacheEntry *e, const uint32_t *ip, Value obj, Value name) {
    if (!val_is_obj(obj))
        return;
    Type *t = val_obj(obj)->type;
    if (!(t->tflags & TF_HEAPTYPE) || t->getattr != generic_getattr ||
        t->setattr != generic_setattr || !t->dict_offset || !as_str(name)->interned)
        return;
    // A class attribute of the same name (property, descriptor) would win.
    if (type_lookup(t, name))
        return;
    Value d = obj_dict_peek((Value *)((char *)val_obj(obj) + t->dict_offset));
    if (!d || val_obj(d)->type != &dict_type)
        return;
    int64_t ix = dict_index_of_str(d, name);
    if (ix < 0 || ix > UINT32_MAX)
        return;
    e->ip = ip;
    e->type = t;
    e->epoch = type_epoch_now();
    e->kind = AC_INSTANCE;
    e->index = (uint32_t)ix;
    e->value = VAL_NULL;
}

// After LOAD_METHOD found a plain function on a class whose instances never
// shadow class attributes, remember it.
static void method_cache_fill(ACacheEntry *e, const uint32_t *ip, Value obj, Value name, Value m) {
    if (!val_is_obj(obj))
        return;
    Type *t = val_obj(obj)->type;
    if (!(t->tflags & TF_HEAPTYPE) || atomic_load_explicit(&t->instance_shadows, RELAXED) ||
        t->getattr != generic_getattr || val_type(m) != &function_type ||
        !as_str(name)->interned)
        return;
    uint64_t epoch = type_epoch_now();
    if (type_lookup(t, name) != m)
        return;
    e->ip = ip;
    e->type = t;
    e->epoch = epoch;
    e->kind = AC_METHOD;
    e->index = 0;
    e->value = m;
}

// --- the loop ---------------------------------------------------------------------------

#if GILVM_USE_COMPUTED_GOTO
#define TARGET(op) TARGET_##op:
// [dispatch] is the plain table, or -- with --preempt=instruction or
// --switch-every -- a table whose every entry first passes the preemption
// point (EVERY_INSTRUCTION) and then jumps through the plain table.
#define DISPATCH()                                  \
    do {                                            \
        uint32_t w_ = *ip++;                        \
        nexec++;                                    \
        oparg = INSTR_ARG(w_);                      \
        goto *dispatch[INSTR_OP(w_)];               \
    } while (0)
#else
#define TARGET(op) case OP_##op:
#define DISPATCH() goto dispatch
#endif

#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define PEEK(n) (sp[-(intptr_t)(n)])
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define SAVE() (f->ip = ip, f->sp = sp)
#define LOAD_FRAME()                         \
    do {                                     \
        ip = f->ip;                          \
        sp = f->sp;                          \
        consts = f->code->consts;            \
        code_names = f->code->names;         \
        ts->frame = f;                       \
    } while (0)
#define ERROR_IF(cond) \
    do {               \
        if (cond)      \
            goto error; \
    } while (0)
#define JUMPTO(t) (ip = f->code->instrs + (t))
// Instructions executed are counted in [nexec] (a register) and added to
// the thread's counter when the loop may stop for a while: at the eval
// breaker and when interp_resume returns.
#define FLUSH_COUNT()                            \
    do {                                         \
        STATS_ADD(ts->stats.bytecodes, nexec);   \
        nexec = 0;                               \
    } while (0)
#define CHECK_EVAL_BREAKER()                                                  \
    do {                                                                      \
        if (UNLIKELY(atomic_load_explicit(&ts->eval_breaker, RELAXED))) {     \
            SAVE();                                                           \
            FLUSH_COUNT();                                                    \
            if (handle_eval_breaker(ts) < 0)                                  \
                goto error;                                                   \
        }                                                                     \
    } while (0)

Value interp_run(ThreadState *ts, Frame *f) {
    return interp_resume(ts, f, false);
}

Value interp_resume(ThreadState *ts, Frame *f, bool throwing) {
#if GILVM_USE_COMPUTED_GOTO
    static void *const dispatch_table[OP_COUNT] = {
#define OP_LABEL(name, kind, effect, jeffect, doc) [OP_##name] = &&TARGET_##name,
        OPCODES(OP_LABEL)
#undef OP_LABEL
    };
    static void *const every_table[OP_COUNT] = {
#define OP_EVERY(name, kind, effect, jeffect, doc) [OP_##name] = &&EVERY_INSTRUCTION,
        OPCODES(OP_EVERY)
#undef OP_EVERY
    };
    Interp *interp = ts->interp;
    void *const *dispatch = (interp->preempt_every || interp->switch_every || interp->race)
                                ? every_table
                                : dispatch_table;
    uint32_t opcode = 0;
#else
    Interp *interp = ts->interp;
    bool every = interp->preempt_every || interp->switch_every || interp->race;
#endif
    uint32_t *ip;
    Value *sp;
    Value *consts;
    Value *code_names;
    uint32_t oparg;
    bool reraise = false;
    uint64_t nexec = 0;   // instructions not yet added to ts->stats.bytecodes

    if (recursion_enter("") < 0)
        return VAL_NULL;
    f->prev = ts->frame;
    f->state = FRAME_RUNNING;
    LOAD_FRAME();
    if (throwing)
        goto error;

#if GILVM_USE_COMPUTED_GOTO
    DISPATCH();

EVERY_INSTRUCTION:
    opcode = INSTR_OP(ip[-1]);
    if (UNLIKELY(race_load_pending)) {
        SAVE();
        race_load_done(ts, f, ip - 1, sp);
    }
    // --switch-every counts instructions towards a hand-over (honoured at the
    // next preemption point); --preempt=instruction makes every instruction
    // boundary a preemption point (older interpreters' behaviour).
    // With --switch-every-jumps only the counted jumps count, and the GIL is
    // let go right before the jump that exhausts the budget.
    bool check = interp->preempt_every;
    if (interp->switch_every &&
        (!interp->switch_on_jumps || GIL_MODEL_IS_COUNTED_JUMP(opcode)) &&
        --ts->switch_budget <= 0) {
        ts->switch_budget = (int64_t)interp->switch_every;
        atomic_fetch_or_explicit(&ts->eval_breaker, EB_GIL_DROP, RELAXED);
        check |= interp->switch_on_jumps;
    }
    if (check) {
        uint32_t *next = ip;
        ip--;   // the instruction about to run is the current one
        ts->sched_boundary = true;
        CHECK_EVAL_BREAKER();
        ts->sched_boundary = false;
        ip = next;
    }
    // --race watches accesses after the preemption point, right before the
    // instruction (and its caches and fast paths) runs.
    if (UNLIKELY(interp->race != NULL) && race_watches(opcode)) {
        SAVE();
        race_instruction(ts, f, ip - 1, opcode, oparg, sp);
    }
    goto *dispatch_table[opcode];
#else
dispatch : {
    uint32_t w_ = *ip++;
    nexec++;
    oparg = INSTR_ARG(w_);
    if (UNLIKELY(every)) {
        // As EVERY_INSTRUCTION in the computed-goto build.
        if (UNLIKELY(race_load_pending)) {
            SAVE();
            race_load_done(ts, f, ip - 1, sp);
        }
        bool check = interp->preempt_every;
        if (interp->switch_every &&
            (!interp->switch_on_jumps || GIL_MODEL_IS_COUNTED_JUMP(INSTR_OP(w_))) &&
            --ts->switch_budget <= 0) {
            ts->switch_budget = (int64_t)interp->switch_every;
            atomic_fetch_or_explicit(&ts->eval_breaker, EB_GIL_DROP, RELAXED);
            check |= interp->switch_on_jumps;
        }
        if (check) {
            uint32_t *next = ip;
            ip--;
            ts->sched_boundary = true;
            CHECK_EVAL_BREAKER();
            ts->sched_boundary = false;
            ip = next;
        }
        if (UNLIKELY(interp->race != NULL) && race_watches(INSTR_OP(w_))) {
            SAVE();
            race_instruction(ts, f, ip - 1, INSTR_OP(w_), oparg, sp);
        }
    }
    switch (INSTR_OP(w_)) {
#endif

    TARGET(NOP) {
        DISPATCH();
    }

    TARGET(POP_TOP) {
        decref(POP());
        DISPATCH();
    }

    TARGET(PUSH_NULL) {
        PUSH(VAL_NULL);
        DISPATCH();
    }

    TARGET(COPY) {
        Value v = PEEK(oparg);
        PUSH(incref(v));
        DISPATCH();
    }

    TARGET(SWAP) {
        Value t = TOP();
        TOP() = PEEK(oparg);
        PEEK(oparg) = t;
        DISPATCH();
    }

    TARGET(LOAD_CONST) {
        PUSH(incref(consts[oparg]));
        DISPATCH();
    }

    TARGET(LOAD_FAST) {
        Value v = f->slots[oparg];
        if (UNLIKELY(!v)) {
            SAVE();
            unbound_local(f->code, oparg);
            goto error;
        }
        PUSH(incref(v));
        DISPATCH();
    }

    TARGET(STORE_FAST) {
        Value v = POP();
        Value old = f->slots[oparg];
        f->slots[oparg] = v;
        if (old) {
            SAVE();
            decref(old);
        }
        DISPATCH();
    }

    TARGET(DELETE_FAST) {
        Value old = f->slots[oparg];
        if (!old) {
            SAVE();
            unbound_local(f->code, oparg);
            goto error;
        }
        f->slots[oparg] = VAL_NULL;
        SAVE();
        decref(old);
        DISPATCH();
    }

    TARGET(LOAD_DEREF) {
        Cell *cell = (Cell *)val_obj(f->slots[f->code->nlocals + oparg]);
        Value v = cell_get(cell);
        if (!v) {
            SAVE();
            unbound_deref(f->code, oparg);
            goto error;
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(LOAD_CLOSURE) {
        PUSH(incref(f->slots[f->code->nlocals + oparg]));
        DISPATCH();
    }

    TARGET(LOAD_CLASSDEREF) {
        SAVE();
        Value name = cell_name(f->code, oparg);
        Value v = f->locals ? dict_get(f->locals, name) : VAL_NULL;
        ERROR_IF(!v && exc_occurred());
        if (!v) {
            Cell *cell = (Cell *)val_obj(f->slots[f->code->nlocals + oparg]);
            v = cell_get(cell);
            if (!v) {
                unbound_deref(f->code, oparg);
                goto error;
            }
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_DEREF) {
        Cell *cell = (Cell *)val_obj(f->slots[f->code->nlocals + oparg]);
        Value old = cell_swap(cell, POP());
        SAVE();
        decref(old);
        DISPATCH();
    }

    TARGET(DELETE_DEREF) {
        Cell *cell = (Cell *)val_obj(f->slots[f->code->nlocals + oparg]);
        SAVE();
        Value old = cell_swap(cell, VAL_NULL);
        if (!old) {
            unbound_deref(f->code, oparg);
            goto error;
        }
        decref(old);
        DISPATCH();
    }

    TARGET(LOAD_GLOBAL) {
        GCacheEntry *e = &ts->gcache[((uintptr_t)ip >> 2) & (GCACHE_SIZE - 1)];
        if (LIKELY(e->ip == ip && e->globals == f->globals && e->builtins == f->builtins &&
                   e->gversion == dict_version(f->globals) &&
                   e->bversion == dict_version(f->builtins))) {
            PUSH(incref(e->value));   // see GCacheEntry for why this is safe in both modes
            DISPATCH();
        }
        SAVE();
        uint64_t gversion = dict_version(f->globals), bversion = dict_version(f->builtins);
        Value v = load_global(f, code_names[oparg]);
        ERROR_IF(!v);
        // Cache only what can be checked by version alone: a name found in
        // a plain dict (not a dict subclass with its own lookup).
        if (val_is_obj(f->globals) && val_obj(f->globals)->type == &dict_type &&
            val_obj(f->builtins)->type == &dict_type) {
            Value old = e->value;
            bool old_owned = e->owned;
            e->ip = ip;
            e->globals = f->globals;
            e->builtins = f->builtins;
            e->gversion = gversion;
            e->bversion = bversion;
            e->owned = obj_locking;
            e->value = obj_locking ? incref(v) : v;
            if (old_owned)
                decref(old);
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_GLOBAL) {
        SAVE();
        Value v = POP();
        int r = dict_set(f->globals, code_names[oparg], v);
        decref(v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DELETE_GLOBAL) {
        SAVE();
        int r = dict_del(f->globals, code_names[oparg]);
        if (r == 0)
            name_error(code_names[oparg]);
        ERROR_IF(r <= 0);
        DISPATCH();
    }

    TARGET(LOAD_NAME) {
        SAVE();
        Value name = code_names[oparg];
        Value v = VAL_NULL;
        if (f->locals && f->locals != f->globals) {
            v = dict_get(f->locals, name);
            ERROR_IF(!v && exc_occurred());
        }
        if (!v) {
            v = load_global(f, name);
            ERROR_IF(!v);
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(STORE_NAME) {
        SAVE();
        Value v = POP();
        Value target = f->locals ? f->locals : f->globals;
        int r = dict_set(target, code_names[oparg], v);
        decref(v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DELETE_NAME) {
        SAVE();
        Value target = f->locals ? f->locals : f->globals;
        int r = dict_del(target, code_names[oparg]);
        if (r == 0)
            name_error(code_names[oparg]);
        ERROR_IF(r <= 0);
        DISPATCH();
    }

    TARGET(LOAD_ATTR) {
        Value obj = TOP();
        ACacheEntry *e = &ts->acache[((uintptr_t)ip >> 2) & (ACACHE_SIZE - 1)];
        if (LIKELY(e->ip == ip && val_is_obj(obj) && e->type == val_obj(obj)->type &&
                   e->kind == AC_INSTANCE && e->epoch == type_epoch_now())) {
            Value d = obj_dict_peek((Value *)((char *)val_obj(obj) + ((Type *)e->type)->dict_offset));
            if (LIKELY(!obj_locking)) {
                if (d && dict_entry_is(d, e->index, code_names[oparg])) {
                    TOP() = incref(as_dict(d)->entries[e->index].value);
                    SAVE();
                    decref(obj);
                    DISPATCH();
                }
            } else if (d) {
                // dict_get_at, inline: the value is taken under the dict's lock.
                Dict *dd = as_dict(d);
                obj_lock(&dd->ob);
                Value v = dict_entry_is(d, e->index, code_names[oparg])
                              ? incref(dd->entries[e->index].value)
                              : VAL_NULL;
                obj_unlock(&dd->ob);
                if (v) {
                    TOP() = v;
                    SAVE();
                    decref(obj);
                    DISPATCH();
                }
            }
        }
        SAVE();
        Value v = val_getattr(obj, code_names[oparg]);
        if (v)
            attr_cache_fill(e, ip, obj, code_names[oparg]);
        decref(obj);
        if (!v) {
            sp--;
            goto error;
        }
        TOP() = v;
        DISPATCH();
    }

    TARGET(STORE_ATTR) {
        Value obj = TOP();
        ACacheEntry *e = &ts->acache[((uintptr_t)ip >> 2) & (ACACHE_SIZE - 1)];
        if (LIKELY(e->ip == ip && val_is_obj(obj) && e->type == val_obj(obj)->type &&
                   e->kind == AC_INSTANCE && e->epoch == type_epoch_now())) {
            Value d = obj_dict_peek((Value *)((char *)val_obj(obj) + ((Type *)e->type)->dict_offset));
            // dict_replace_at, inline.
            Value old = VAL_NULL;
            if (d) {
                Dict *dd = as_dict(d);
                BEGIN_CRITICAL(&dd->ob);
                if (dict_entry_is(d, e->index, code_names[oparg])) {
                    old = dd->entries[e->index].value;
                    dd->entries[e->index].value = SECOND();
                    dict_bump_version(dd);
                }
                END_CRITICAL(&dd->ob);
            }
            if (old) {
                sp -= 2;
                SAVE();
                decref(old);
                decref(obj);
                DISPATCH();
            }
        }
        SAVE();
        sp--;
        Value v = POP();
        int r = val_setattr(obj, code_names[oparg], v);
        if (r == 0)
            attr_cache_fill(e, ip, obj, code_names[oparg]);
        decref(obj);
        decref(v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DELETE_ATTR) {
        SAVE();
        Value obj = POP();
        int r = val_setattr(obj, code_names[oparg], VAL_NULL);
        decref(obj);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(LOAD_METHOD) {
        Value obj = TOP();
        ACacheEntry *e = &ts->acache[((uintptr_t)ip >> 2) & (ACACHE_SIZE - 1)];
        if (LIKELY(e->ip == ip && val_is_obj(obj) && e->type == val_obj(obj)->type &&
                   e->kind == AC_METHOD && e->epoch == type_epoch_now())) {
            TOP() = incref(e->value);
            PUSH(obj);
            DISPATCH();
        }
        SAVE();
        bool is_method;
        Value m = obj_get_method(obj, code_names[oparg], &is_method);
        if (!m) {
            decref(POP());
            goto error;
        }
        if (is_method) {
            method_cache_fill(e, ip, obj, code_names[oparg], m);
            TOP() = m;
            PUSH(obj);
        } else {
            TOP() = m;
            PUSH(VAL_NULL);
            decref(obj);
        }
        DISPATCH();
    }

    TARGET(BINARY_SUBSCR) {
        SAVE();
        Value key = POP();
        Value container = TOP();
        Value v;
        if (val_is_small(key) && val_is_obj(container) &&
            val_obj(container)->type == &list_type) {
            List *l = as_list(container);
            intptr_t i = small_get(key);
            BEGIN_CRITICAL(&l->ob);
            if (i < 0)
                i += (intptr_t)l->len;
            v = i >= 0 && (size_t)i < l->len ? incref(l->items[i]) : VAL_NULL;
            END_CRITICAL(&l->ob);
            if (!v)
                v = val_getitem(container, key);
        } else {
            v = val_getitem(container, key);
        }
        decref(key);
        decref(container);
        if (!v) {
            sp--;
            goto error;
        }
        TOP() = v;
        DISPATCH();
    }

    TARGET(STORE_SUBSCR) {
        SAVE();
        Value key = POP();
        Value container = POP();
        Value v = POP();
        int r = 1;
        if (val_is_small(key) && val_is_obj(container) &&
            val_obj(container)->type == &list_type && small_get(key) >= 0) {
            List *l = as_list(container);
            size_t i = (size_t)small_get(key);
            BEGIN_CRITICAL(&l->ob);
            if (i < l->len) {
                Value old = l->items[i];
                l->items[i] = v;
                v = old;
                r = 0;
            }
            END_CRITICAL(&l->ob);
        }
        if (r)
            r = val_setitem(container, key, v);
        decref(v);
        decref(key);
        decref(container);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DELETE_SUBSCR) {
        SAVE();
        Value key = POP();
        Value container = POP();
        int r = val_delitem(container, key);
        decref(key);
        decref(container);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(BUILD_SLICE) {
        Value step = oparg == 3 ? POP() : VAL_NONE;
        Value stop = POP();
        Value start = POP();
        SAVE();
        Value s = slice_new(start, stop, step);
        decref(start);
        decref(stop);
        decref(step);
        ERROR_IF(!s);
        PUSH(s);
        DISPATCH();
    }

    TARGET(BINARY_OP) {
        Value b = POP();
        Value a = TOP();
        if (val_is_small(a) && val_is_small(b)) {
            intptr_t x = (intptr_t)a, y = (intptr_t)b, r;
            intptr_t bx = small_get(a), by = small_get(b);
            switch (oparg >= NB_COUNT ? oparg - NB_COUNT : oparg) {
            case NB_ADD:
                // Tagged: (2x+1) + (2y+1) - 1 = 2(x+y)+1.
                if (!__builtin_add_overflow(x, y - 1, &r)) {
                    TOP() = (Value)r;
                    DISPATCH();
                }
                break;
            case NB_SUB:
                if (!__builtin_sub_overflow(x, y - 1, &r)) {
                    TOP() = (Value)r;
                    DISPATCH();
                }
                break;
            case NB_MUL:
                if (!__builtin_mul_overflow(bx, y - 1, &r)) {
                    TOP() = (Value)(r | 1);
                    DISPATCH();
                }
                break;
            case NB_FLOORDIV:
                if (by != 0 && !(bx == SMALL_MIN && by == -1)) {
                    intptr_t q = bx / by;
                    if ((bx % by != 0) && ((bx < 0) != (by < 0)))
                        q--;
                    TOP() = small_new(q);
                    DISPATCH();
                }
                break;
            case NB_MOD:
                if (by != 0) {
                    intptr_t m = bx % by;
                    if (m != 0 && ((m < 0) != (by < 0)))
                        m += by;
                    TOP() = small_new(m);
                    DISPATCH();
                }
                break;
            case NB_AND:
                TOP() = a & b;
                DISPATCH();
            case NB_OR:
                TOP() = a | b;
                DISPATCH();
            case NB_XOR:
                TOP() = small_new(bx ^ by);
                DISPATCH();
            default:
                break;
            }
        }
        SAVE();
        Value r = oparg >= NB_COUNT ? val_inplace(a, b, (int)(oparg - NB_COUNT))
                                    : val_binop(a, b, (int)oparg);
        decref(a);
        decref(b);
        if (!r) {
            sp--;
            goto error;
        }
        TOP() = r;
        DISPATCH();
    }

    TARGET(UNARY_NEGATIVE) {
        Value v = TOP();
        if (val_is_small(v) && small_get(v) != SMALL_MIN) {
            TOP() = small_new(-small_get(v));
            DISPATCH();
        }
        SAVE();
        Value r = val_neg(v);
        decref(v);
        if (!r) {
            sp--;
            goto error;
        }
        TOP() = r;
        DISPATCH();
    }

    TARGET(UNARY_POSITIVE) {
        SAVE();
        Value v = TOP();
        Value r = val_pos(v);
        decref(v);
        if (!r) {
            sp--;
            goto error;
        }
        TOP() = r;
        DISPATCH();
    }

    TARGET(UNARY_INVERT) {
        SAVE();
        Value v = TOP();
        Value r = val_invert(v);
        decref(v);
        if (!r) {
            sp--;
            goto error;
        }
        TOP() = r;
        DISPATCH();
    }

    TARGET(UNARY_NOT) {
        Value v = TOP();
        int t;
        if (v == VAL_TRUE)
            t = 1;
        else if (v == VAL_FALSE || v == VAL_NONE)
            t = 0;
        else {
            SAVE();
            t = val_truthy(v);
            decref(v);
            if (t < 0) {
                sp--;
                goto error;
            }
        }
        TOP() = bool_val(!t);
        DISPATCH();
    }

    TARGET(COMPARE_OP) {
        Value b = POP();
        Value a = TOP();
        if (val_is_small(a) && val_is_small(b)) {
            intptr_t x = (intptr_t)a, y = (intptr_t)b;
            bool r;
            switch (oparg) {
            case CMP_LT: r = x < y; break;
            case CMP_LE: r = x <= y; break;
            case CMP_EQ: r = x == y; break;
            case CMP_NE: r = x != y; break;
            case CMP_GT: r = x > y; break;
            default: r = x >= y; break;
            }
            TOP() = bool_val(r);
            DISPATCH();
        }
        SAVE();
        Value r = val_richcmp(a, b, (int)oparg);
        decref(a);
        decref(b);
        if (!r) {
            sp--;
            goto error;
        }
        TOP() = r;
        DISPATCH();
    }

    TARGET(IS_OP) {
        Value b = POP();
        Value a = TOP();
        bool r = (a == b) ^ (oparg != 0);
        SAVE();
        decref(a);
        decref(b);
        TOP() = bool_val(r);
        DISPATCH();
    }

    TARGET(CONTAINS_OP) {
        SAVE();
        Value container = POP();
        Value item = TOP();
        int r = val_contains(container, item);
        decref(container);
        decref(item);
        if (r < 0) {
            sp--;
            goto error;
        }
        TOP() = bool_val((r != 0) ^ (oparg != 0));
        DISPATCH();
    }

    TARGET(BUILD_TUPLE) {
        SAVE();
        Value t = tuple_from_array_steal(sp - oparg, oparg);
        sp -= oparg;
        ERROR_IF(!t);
        PUSH(t);
        DISPATCH();
    }

    TARGET(BUILD_LIST) {
        SAVE();
        Value l = list_new(oparg);
        if (!l) {
            while (oparg--)
                decref(POP());
            goto error;
        }
        sp -= oparg;
        if (oparg)
            memcpy(as_list(l)->items, sp, oparg * sizeof(Value));
        as_list(l)->len = oparg;
        PUSH(l);
        DISPATCH();
    }

    TARGET(BUILD_SET) {
        SAVE();
        Value s = set_new(&set_type);
        int err = s ? 0 : -1;
        for (uint32_t i = 0; i < oparg; i++) {
            Value v = sp[-(intptr_t)oparg + i];
            if (!err && set_add(s, v) < 0)
                err = -1;
            decref(v);
        }
        sp -= oparg;
        if (err) {
            decref(s);
            goto error;
        }
        PUSH(s);
        DISPATCH();
    }

    TARGET(BUILD_MAP) {
        SAVE();
        Value d = dict_new();
        int err = d ? 0 : -1;
        Value *base = sp - 2 * oparg;
        for (uint32_t i = 0; i < oparg; i++) {
            if (!err && dict_set(d, base[2 * i], base[2 * i + 1]) < 0)
                err = -1;
            decref(base[2 * i]);
            decref(base[2 * i + 1]);
        }
        sp = base;
        if (err) {
            decref(d);
            goto error;
        }
        PUSH(d);
        DISPATCH();
    }

    TARGET(BUILD_STRING) {
        SAVE();
        Value s = build_string(sp - oparg, oparg);
        for (uint32_t i = 0; i < oparg; i++)
            decref(POP());
        ERROR_IF(!s);
        PUSH(s);
        DISPATCH();
    }

    TARGET(LIST_APPEND) {
        SAVE();
        Value v = POP();
        int r = list_append_steal(PEEK(oparg), v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(SET_ADD) {
        SAVE();
        Value v = POP();
        int r = set_add(PEEK(oparg), v);
        decref(v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(MAP_ADD) {
        SAVE();
        Value v = POP();
        Value k = POP();
        int r = dict_set(PEEK(oparg), k, v);
        decref(k);
        decref(v);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(LIST_EXTEND) {
        SAVE();
        Value it = POP();
        int r = list_extend(PEEK(oparg), it);
        if (r < 0 && exc_matches(&exc_TypeError) && !val_type(it)->iter &&
            !val_type(it)->getitem) {
            exc_clear();
            exc_raise(&exc_TypeError, "Value after * must be an iterable, not %s",
                      val_type_name(it));
        }
        decref(it);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(SET_UPDATE) {
        SAVE();
        Value it = POP();
        int r = set_update(PEEK(oparg), it);
        decref(it);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DICT_UPDATE) {
        SAVE();
        Value m = POP();
        int r = dict_update(PEEK(oparg), m);
        if (r < 0 && exc_matches(&exc_AttributeError)) {
            exc_clear();
            exc_raise(&exc_TypeError, "'%s' object is not a mapping", val_type_name(m));
        }
        decref(m);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(DICT_MERGE) {
        SAVE();
        Value m = POP();
        int r = dict_merge_kwargs(PEEK(oparg), m);
        decref(m);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(LIST_TO_TUPLE) {
        SAVE();
        Value l = TOP();
        Value t = tuple_from_array(as_list(l)->items, as_list(l)->len);
        decref(l);
        if (!t) {
            sp--;
            goto error;
        }
        TOP() = t;
        DISPATCH();
    }

    TARGET(FORMAT_VALUE) {
        SAVE();
        Value spec = (oparg & 4) ? POP() : VAL_NULL;
        Value v = TOP();
        Value r = format_value(v, (int)(oparg & 3), spec);
        decref(spec);
        decref(v);
        if (!r) {
            sp--;
            goto error;
        }
        TOP() = r;
        DISPATCH();
    }

    // The unpacked values go straight to their stack slots (first value on
    // top). No variable-length array here: leaving a VLA's block with a
    // computed goto would never give its stack space back.
    TARGET(UNPACK_SEQUENCE) {
        SAVE();
        Value seq = POP();
        int r = unpack_iterable(seq, oparg, 0, false, sp);
        decref(seq);
        ERROR_IF(r < 0);
        reverse_values(sp, oparg);
        sp += oparg;
        DISPATCH();
    }

    TARGET(UNPACK_EX) {
        SAVE();
        size_t before = oparg & 0xff, after = oparg >> 8;
        Value seq = POP();
        int r = unpack_iterable(seq, before, after, true, sp);
        decref(seq);
        ERROR_IF(r < 0);
        reverse_values(sp, before + after + 1);
        sp += before + after + 1;
        DISPATCH();
    }

    TARGET(JUMP) {
        JUMPTO(oparg);
        DISPATCH();
    }

    TARGET(JUMP_BACKWARD) {
        // Check before jumping: an exception raised here (Ctrl-C) belongs to
        // this instruction, inside the loop and its try blocks, not to the
        // one before the loop's first instruction.
        CHECK_EVAL_BREAKER();
        JUMPTO(oparg);
        DISPATCH();
    }

    TARGET(POP_JUMP_IF_FALSE) {
        Value v = POP();
        if (v == VAL_FALSE) {
            JUMPTO(oparg);
        } else if (v != VAL_TRUE) {
            SAVE();
            int t = val_truthy(v);
            decref(v);
            ERROR_IF(t < 0);
            if (!t)
                JUMPTO(oparg);
        }
        DISPATCH();
    }

    TARGET(POP_JUMP_IF_TRUE) {
        Value v = POP();
        if (v == VAL_TRUE) {
            JUMPTO(oparg);
        } else if (v != VAL_FALSE) {
            SAVE();
            int t = val_truthy(v);
            decref(v);
            ERROR_IF(t < 0);
            if (t)
                JUMPTO(oparg);
        }
        DISPATCH();
    }

    TARGET(JUMP_IF_FALSE_OR_POP) {
        SAVE();
        Value v = TOP();
        int t = val_truthy(v);
        ERROR_IF(t < 0);
        if (!t) {
            JUMPTO(oparg);
        } else {
            sp--;
            decref(v);
        }
        DISPATCH();
    }

    TARGET(JUMP_IF_TRUE_OR_POP) {
        SAVE();
        Value v = TOP();
        int t = val_truthy(v);
        ERROR_IF(t < 0);
        if (t) {
            JUMPTO(oparg);
        } else {
            sp--;
            decref(v);
        }
        DISPATCH();
    }

    TARGET(GET_ITER) {
        SAVE();
        Value v = TOP();
        Value it = val_iter(v);
        decref(v);
        if (!it) {
            sp--;
            goto error;
        }
        TOP() = it;
        DISPATCH();
    }

    TARGET(FOR_ITER) {
        Value it = TOP();
        SAVE();
        Value v = val_type(it)->iternext(it);
        if (v) {
            PUSH(v);
            DISPATCH();
        }
        if (exc_occurred()) {
            if (!exc_matches(&exc_StopIteration))
                goto error;
            exc_clear();
        }
        sp--;
        decref(it);
        JUMPTO(oparg);
        DISPATCH();
    }

    TARGET(CALL) {
        Value *args = sp - oparg;
        size_t nargs = oparg;
        Value self_or_null = args[-1];
        Value callable = args[-2];
        if (self_or_null) {
            args--;
            nargs++;
        }
        SAVE();
        if (val_is_obj(callable) && val_obj(callable)->type == &function_type &&
            !(((Function *)val_obj(callable))->code->flags & (CO_GENERATOR | CO_COROUTINE))) {
            Code *c = ((Function *)val_obj(callable))->code;
            if (UNLIKELY(ts->depth >= ts->interp->recursion_limit)) {
                exc_raise(&exc_RecursionError, "maximum recursion depth exceeded");
                goto call_cleanup_error;
            }
            Frame *nf = frame_push(ts, c);
            if (!nf)
                goto call_cleanup_error;
            if (LIKELY(simple_args(c, nargs, VAL_NULL))) {
                // Move the callable and the arguments into the new frame.
                Function *fn = (Function *)val_obj(callable);
                nf->func = callable;
                nf->globals = fn->globals;
                nf->builtins = fn->builtins;
                for (size_t i = 0; i < nargs; i++)
                    nf->slots[i] = args[i];
                sp -= oparg + 2;
                if (UNLIKELY(c->ncells || c->nfree) && frame_setup_cells(nf, fn) < 0) {
                    nf->prev = f;
                    frame_pop(ts, nf);
                    goto error;
                }
            } else {
                if (frame_setup(nf, callable, args, nargs, VAL_NULL) < 0) {
                    frame_pop(ts, nf);
                    goto call_cleanup_error;
                }
                // Drop the caller's references to the callable and arguments.
                for (Value *p = sp - oparg - 2; p < sp; p++)
                    decref(*p);
                sp -= oparg + 2;
            }
            f->sp = sp;
            nf->prev = f;
            nf->state = FRAME_RUNNING;
            f = nf;
            ts->depth++;
            LOAD_FRAME();
            CHECK_EVAL_BREAKER();
            DISPATCH();
        }
        {
            Value r = val_call(callable, args, nargs, VAL_NULL);
            for (Value *p = sp - oparg - 2; p < sp; p++)
                decref(*p);
            sp -= oparg + 2;
            ERROR_IF(!r);
            PUSH(r);
            CHECK_EVAL_BREAKER();
            DISPATCH();
        }
    call_cleanup_error:
        for (Value *p = sp - oparg - 2; p < sp; p++)
            decref(*p);
        sp -= oparg + 2;
        goto error;
    }

    TARGET(CALL_KW) {
        Value kwnames = POP();
        size_t nkw = tuple_len(kwnames);
        Value *args = sp - oparg;
        size_t nargs = oparg - nkw;
        Value self_or_null = args[-1];
        Value callable = args[-2];
        if (self_or_null) {
            args--;
            nargs++;
        }
        SAVE();
        Value r = val_call(callable, args, nargs, kwnames);
        for (Value *p = sp - oparg - 2; p < sp; p++)
            decref(*p);
        sp -= oparg + 2;
        decref(kwnames);
        ERROR_IF(!r);
        PUSH(r);
        CHECK_EVAL_BREAKER();
        DISPATCH();
    }

    TARGET(CALL_EX) {
        SAVE();
        Value kwargs = (oparg & CE_KWARGS) ? POP() : VAL_NULL;
        Value args = POP();
        Value self_or_null = POP();
        Value callable = POP();
        Value r = interp_call_ex(callable, args, kwargs);
        decref(kwargs);
        decref(args);
        decref(self_or_null);
        decref(callable);
        ERROR_IF(!r);
        PUSH(r);
        CHECK_EVAL_BREAKER();
        DISPATCH();
    }

    TARGET(MAKE_FUNCTION) {
        SAVE();
        Code *code = (Code *)val_obj(POP());
        Value closure = (oparg & MF_CLOSURE) ? POP() : VAL_NULL;
        Value kwdefaults = (oparg & MF_KWDEFAULTS) ? POP() : VAL_NULL;
        Value defaults = (oparg & MF_DEFAULTS) ? POP() : VAL_NULL;
        Value fn = make_function(f, code, defaults, kwdefaults, closure);
        if (!fn) {
            decref(closure);
            decref(kwdefaults);
            decref(defaults);
            goto error;
        }
        PUSH(fn);
        DISPATCH();
    }

    TARGET(RETURN_VALUE) {
        Value r = POP();
        SAVE();
        if (f->flags & FRAME_ENTRY) {
            f->state = FRAME_DONE;
            ts->frame = f->prev;
            FLUSH_COUNT();
            recursion_leave();
            return r;
        }
        Frame *caller = f->prev;
        frame_pop(ts, f);
        ts->depth--;
        f = caller;
        LOAD_FRAME();
        PUSH(r);
        DISPATCH();
    }

    TARGET(YIELD_VALUE) {
        Value r = POP();
        SAVE();
        f->state = FRAME_SUSPENDED;
        ts->frame = f->prev;
        FLUSH_COUNT();
        recursion_leave();
        return r;
    }

    TARGET(SEND) {
        SAVE();
        Value v = POP();
        Value it = TOP();
        Value r;
        Value stop = VAL_NULL;
        if (val_type(it) == &gen_type) {
            r = gen_send_ex(it, v, &stop);
        } else if (v == VAL_NONE) {
            r = val_next(it);
            if (!r && !exc_occurred())
                stop = incref(VAL_NONE);
        } else {
            r = val_call_method(it, "send", &v, 1);
            if (!r && exc_matches(&exc_StopIteration)) {
                Value e = exc_fetch();
                BaseExc *be = (BaseExc *)val_obj(e);
                stop = incref(be->value ? be->value : VAL_NONE);
                decref(e);
            }
        }
        decref(v);
        if (r) {
            PUSH(r);
            DISPATCH();
        }
        if (!stop)
            goto error;
        decref(POP());
        PUSH(stop);
        JUMPTO(oparg);
        DISPATCH();
    }

    TARGET(GET_YIELD_FROM_ITER) {
        Value v = TOP();
        if (val_type(v) != &gen_type) {
            SAVE();
            Value it = val_iter(v);
            decref(v);
            if (!it) {
                sp--;
                goto error;
            }
            TOP() = it;
        }
        DISPATCH();
    }

    TARGET(RAISE_VARARGS) {
        SAVE();
        Value cause = oparg == 2 ? POP() : VAL_NULL;
        Value exc = oparg >= 1 ? POP() : VAL_NULL;
        int r = do_raise(exc, cause);
        decref(exc);
        decref(cause);
        if (r == 1)
            reraise = true;
        goto error;
    }

    TARGET(RERAISE) {
        Value exc = POP();
        SAVE();
        Value old = ts->exc;
        ts->exc = exc;
        decref(old);
        reraise = true;
        goto error;
    }

    TARGET(PUSH_EXC_INFO) {
        Value exc = POP();
        PUSH(ts->handled ? ts->handled : VAL_NONE);
        ts->handled = incref(exc);
        PUSH(exc);
        DISPATCH();
    }

    TARGET(POP_EXCEPT) {
        Value prev = POP();
        Value old = ts->handled;
        ts->handled = prev == VAL_NONE ? VAL_NULL : prev;
        SAVE();
        decref(old);
        DISPATCH();
    }

    TARGET(CHECK_EXC_MATCH) {
        SAVE();
        Value type = POP();
        Value exc = TOP();
        if (check_exc_type(type) < 0) {
            decref(type);
            goto error;
        }
        int r = val_isinstance_check(exc, type);
        decref(type);
        ERROR_IF(r < 0);
        PUSH(bool_val(r));
        DISPATCH();
    }

    TARGET(BEFORE_WITH) {
        SAVE();
        Value mgr = TOP();
        Type *t = val_type(mgr);
        Value enter = type_lookup(t, names.__enter__);
        Value exit = type_lookup(t, names.__exit__);
        if (!enter || !exit) {
            exc_raise(&exc_TypeError,
                      "'%s' object does not support the context manager protocol", t->name);
            goto error;
        }
        Value bound_exit = val_type(exit)->descr_get
                               ? val_type(exit)->descr_get(exit, mgr, obj_val(t))
                               : incref(exit);
        ERROR_IF(!bound_exit);
        Value res = val_call1(enter, mgr);
        if (!res) {
            decref(bound_exit);
            goto error;
        }
        TOP() = bound_exit;
        decref(mgr);
        PUSH(res);
        DISPATCH();
    }

    TARGET(WITH_EXIT) {
        SAVE();
        Value exit = POP();
        Value a[3] = {VAL_NONE, VAL_NONE, VAL_NONE};
        Value r = val_call(exit, a, 3, VAL_NULL);
        decref(exit);
        ERROR_IF(!r);
        decref(r);
        DISPATCH();
    }

    TARGET(WITH_EXCEPT_START) {
        SAVE();
        Value exc = TOP();
        Value exit = PEEK(3);
        BaseExc *be = (BaseExc *)val_obj(exc);
        Value a[3] = {obj_val(val_type(exc)), exc, be->traceback ? be->traceback : VAL_NONE};
        Value r = val_call(exit, a, 3, VAL_NULL);
        ERROR_IF(!r);
        PUSH(r);
        DISPATCH();
    }

    TARGET(IMPORT_NAME) {
        SAVE();
        Value fromlist = POP();
        Value level = TOP();
        Value m = import_name(f, code_names[oparg], fromlist, level);
        decref(fromlist);
        decref(level);
        if (!m) {
            sp--;
            goto error;
        }
        TOP() = m;
        DISPATCH();
    }

    TARGET(IMPORT_FROM) {
        SAVE();
        Value v = import_from(TOP(), code_names[oparg]);
        ERROR_IF(!v);
        PUSH(v);
        DISPATCH();
    }

    TARGET(IMPORT_STAR) {
        SAVE();
        Value m = POP();
        int r = import_star(f, m);
        decref(m);
        ERROR_IF(r < 0);
        DISPATCH();
    }

    TARGET(LOAD_BUILD_CLASS) {
        SAVE();
        Value v = dict_get(f->builtins, names.__build_class__);
        if (!v) {
            if (!exc_occurred())
                exc_raise(&exc_NameError, "__build_class__ not found");
            goto error;
        }
        PUSH(v);
        DISPATCH();
    }

    TARGET(PRINT_EXPR) {
        SAVE();
        Value v = POP();
        print_expr(v);
        decref(v);
        ERROR_IF(exc_occurred());
        DISPATCH();
    }

    TARGET(LOAD_ASSERTION_ERROR) {
        PUSH(obj_val(&exc_AssertionError));
        DISPATCH();
    }

#if !GILVM_USE_COMPUTED_GOTO
    default:
        exc_raise(&exc_SystemError, "unknown opcode %u", INSTR_OP(ip[-1]));
        goto error;
    }
}
#endif

error : {
    // ts->exc is set. Record where it passed, unless re-raised here.
    uint32_t lasti = (uint32_t)(ip - f->code->instrs - 1);
    if (!reraise && ts->exc)
        exc_add_traceback(ts->exc, f->code, lasti);
    reraise = false;
    if (!ts->exc)
        exc_raise(&exc_SystemError, "error return without exception set");
    for (;;) {
        Code *c = f->code;
        const ExcEntry *h = NULL;
        for (uint32_t i = 0; i < c->nexc; i++) {
            if (c->exctab[i].start <= lasti && lasti < c->exctab[i].end) {
                h = &c->exctab[i];
                break;
            }
        }
        if (h) {
            Value *base = frame_stack_base(f) + h->depth;
            while (sp > base)
                decref(POP());
            PUSH(exc_fetch());
            JUMPTO(h->handler);
            DISPATCH();
        }
        // No handler here: unwind the frame.
        Value *base = frame_stack_base(f);
        while (sp > base)
            decref(POP());
        SAVE();
        if (f->flags & FRAME_ENTRY) {
            f->state = FRAME_DONE;
            ts->frame = f->prev;
            FLUSH_COUNT();
            recursion_leave();
            return VAL_NULL;
        }
        Frame *caller = f->prev;
        frame_pop(ts, f);
        ts->depth--;
        f = caller;
        LOAD_FRAME();
        lasti = (uint32_t)(ip - f->code->instrs - 1);
        exc_add_traceback(ts->exc, f->code, lasti);
    }
}
}
