// Interpreter and thread-state lifetimes.
//
// interp_new builds the module table with `builtins` and `sys`, then the
// main thread's state. At exit interp_free drops the modules (which frees
// every object a script left reachable from them, cycles aside), then the
// thread states.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abstract.h"
#include "class.h"
#include "deadlock.h"
#include "scheduler.h"
#include "dict.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "tuple.h"
#include "interp.h"
#include "list.h"
#include "lockorder.h"
#include "module.h"
#include "names.h"
#include "race.h"
#include "runtime.h"
#include "str.h"
#include "thread.h"

void frame_free_chunks(ThreadState *ts);

// Room kept free at the bottom of the C stack for error handling.
#define C_STACK_MARGIN (256 * 1024)

static void set_stack_limit(ThreadState *ts, size_t stack_size) {
    char here;
    uintptr_t top = (uintptr_t)&here;
    size_t usable = stack_size > 2 * C_STACK_MARGIN ? stack_size - C_STACK_MARGIN : stack_size / 2;
    ts->c_stack_limit = (char *)(top - usable);
}

void tstate_set_stack(ThreadState *ts, size_t stack_size) {
    set_stack_limit(ts, stack_size);
}

ThreadState *tstate_new(Interp *in) {
    ThreadState *ts = calloc(1, sizeof(ThreadState));
    if (!ts)
        return NULL;
    ts->interp = in;
    ts->rc_id = RC_ID_MAIN;
    pthread_mutex_lock(&in->lock);
    ts->id = ++in->next_thread_id;
    if (events_log_new(in, ts) < 0) {
        pthread_mutex_unlock(&in->lock);
        free(ts);
        return NULL;
    }
    ts->next = in->threads;
    in->threads = ts;
    pthread_mutex_unlock(&in->lock);
    return ts;
}

// Drop every reference the thread state holds (needs the GIL in GIL mode).
void tstate_clear_caches(ThreadState *ts) {
    for (size_t i = 0; i < GCACHE_SIZE; i++)
        if (ts->gcache[i].owned)
            decref(ts->gcache[i].value);
    memset(ts->mcache, 0, sizeof ts->mcache);
    memset(ts->gcache, 0, sizeof ts->gcache);
    memset(ts->acache, 0, sizeof ts->acache);
}

void tstate_clear(ThreadState *ts) {
    tstate_clear_caches(ts);
    clear_ref(&ts->exc);
    clear_ref(&ts->handled);
    if (ts->repr_stack) {
        as_list(ts->repr_stack)->len = 0;   // borrowed entries
        clear_ref(&ts->repr_stack);
    }
}

// Unlink and free the state (no GIL needed: only in->lock).
void tstate_delete(ThreadState *ts) {
    Interp *in = ts->interp;
    frame_free_chunks(ts);
    pthread_mutex_lock(&in->lock);
    for (ThreadState **p = &in->threads; *p; p = &(*p)->next) {
        if (*p == ts) {
            *p = ts->next;
            break;
        }
    }
    events_log_detach(ts);
    pthread_mutex_unlock(&in->lock);
    free(ts);
}

void tstate_free(ThreadState *ts) {
    tstate_clear(ts);
    tstate_delete(ts);
}

Interp *interp_new(const InterpConfig *cfg) {
    runtime_init();
    Interp *in = calloc(1, sizeof(Interp));
    if (!in)
        return NULL;
    in->mode = cfg->mode;
    in->naive_refcount = cfg->naive_refcount;
    in->recursion_limit = DEFAULT_RECURSION_LIMIT;
    in->interactive = cfg->interactive;
    pthread_mutex_init(&in->lock, NULL);
    sync_rlock_init(&in->import_lock, NULL);
    in->deadlock = deadlock_new();
    if (!in->deadlock || gil_init(&in->gil, DEFAULT_SWITCH_INTERVAL_US) != 0) {
        deadlock_free(in->deadlock);
        free(in);
        return NULL;
    }
    events_init(in, cfg->events);
    if (cfg->events)
        gil_set_event_hook(&in->gil, events_gil_hook, NULL);
    ThreadState *ts = tstate_new(in);
    if (!ts) {
        gil_destroy(&in->gil);
        deadlock_free(in->deadlock);
        free(in);
        return NULL;
    }
    in->main_thread = ts;
    ts_cur = ts;
    if (in->naive_refcount)
        ts->rc_id = RC_ID_NAIVE;
    rc_self = ts->rc_id;
    ts->native_id = (uint64_t)syscall(SYS_gettid);
    thread_attach(ts);
    struct rlimit rl;
    size_t stack = 8u << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        stack = (size_t)rl.rlim_cur;
    set_stack_limit(ts, stack);

    in->modules = dict_new();
    in->argv = list_new(0);
    in->type_graveyard = list_new(0);
    if (!in->modules || !in->argv || !in->type_graveyard)
        goto fail;
    for (int i = 0; i < cfg->argc; i++) {
        Value s = str_from_cstr(cfg->argv[i]);
        if (!s || list_append_steal(in->argv, s) < 0)
            goto fail;
    }
    // builtins first: functions created by other modules look it up.
    in->builtins_module = mod_builtins_init();
    if (!in->builtins_module)
        goto fail;
    in->builtins = incref(module_dict(in->builtins_module));
    if (module_add_steal(in->builtins_module, "__build_class__", interp_build_class_func()) < 0)
        goto fail;
    if (dict_set_cstr(in->modules, "builtins", in->builtins_module) < 0)
        goto fail;
    in->sys_module = module_import(str_intern_cstr("sys"));
    if (!in->sys_module)
        goto fail;
    interp_install_signals(ts);
    return in;
fail:
    if (exc_occurred())
        exc_print(ts->exc);
    return NULL;
}

// An interpreter left in place at exit because daemon threads still use it
// (kept reachable so that leak checkers do not report it).
static Interp *parked_interp;

bool interp_free(Interp *in) {
    ThreadState *ts = in->main_thread;
    // Threads still running (daemons) never run bytecode again from here on.
    thread_stop_others(in);
    // Modules may hold objects whose destructors run Python code (generators
    // with finally blocks): keep the thread state usable meanwhile.
    Value modules = in->modules;
    in->modules = VAL_NULL;
    if (modules) {
        // Clear each module's namespace first, as CPython does at shutdown,
        // so functions and classes release what they reference.
        size_t pos = 0;
        Value k, m;
        while (dict_next(modules, &pos, &k, &m)) {
            if (val_type(m) == &module_type && m != in->builtins_module) {
                Value d = module_dict(m);
                Value keys = dict_keys_list(d);
                if (keys) {
                    for (size_t i = 0; i < list_len(keys); i++) {
                        int r = dict_set(d, as_list(keys)->items[i], VAL_NONE);
                        UNUSED(r);
                    }
                    decref(keys);
                }
            }
        }
        decref(modules);
    }
    clear_ref(&in->type_graveyard);
    class_clear_heap_types(in);
    free(in->heap_types);
    in->heap_types = NULL;
    in->n_heap_types = 0;
    clear_ref(&in->sys_module);
    clear_ref(&in->builtins);
    clear_ref(&in->builtins_module);
    clear_ref(&in->argv);
    if (exc_occurred())
        exc_clear();
    bool others = atomic_load(&in->nthreads) > 0;
    tstate_clear(ts);
    if (others) {
        // Daemon threads may still wait on the GIL or the interpreter lock:
        // keep both (and the interpreter) in place; process exit ends them.
        parked_interp = in;
        ts_cur = NULL;
        return false;
    }
    sched_free(in);
    thread_detach(ts);
    lockorder_free(in);
    race_free(in);
    tstate_delete(ts);
    ts_cur = NULL;
    deadlock_free(in->deadlock);
    gil_destroy(&in->gil);
    events_free(in);
    sync_rlock_destroy(&in->import_lock);
    pthread_mutex_destroy(&in->lock);
    free(in);
    return true;
}

int interp_handle_uncaught(Interp *in) {
    ThreadState *ts = in->main_thread;
    Value exc = exc_fetch();
    if (!exc)
        return 0;
    if (val_isinstance(exc, &exc_SystemExit)) {
        BaseExc *be = (BaseExc *)val_obj(exc);
        Value code = be->value;
        if (!code && be->args && tuple_len(be->args) > 0)
            code = tuple_get(be->args, 0);
        int status = 0;
        if (!code || code == VAL_NONE) {
            status = 0;
        } else if (val_is_int(code)) {
            int64_t v = 0;
            if (int_as_i64(code, &v) == 0) {
                status = (int)(v & 0xff);
            } else {
                exc_clear();
                status = 1;
            }
        } else {
            Value s = val_str(code);
            if (s) {
                fflush(stdout);
                fprintf(stderr, "%s\n", str_cstr(s));
                decref(s);
            } else {
                exc_clear();
            }
            status = 1;
        }
        decref(exc);
        UNUSED(ts);
        return status;
    }
    fflush(stdout);
    exc_print(exc);
    decref(exc);
    return 1;
}
