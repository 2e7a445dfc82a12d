// The `_thread` module: the low-level layer under lib/threading.py, as in
// CPython. start_new_thread starts a real OS thread (thread.c); lock and
// RLock objects wrap vm/sync.c primitives and wait inside the blocking
// bracket, so a thread blocked on a lock never holds the GIL. The bracket
// comes from deadlock_wait_hooks (the deadlock detector sees untimed waits)
// and acquires and releases of the program's locks go to --lock-order.
// Every lock also carries a --race vector clock (race.h): joined into the
// acquiring thread after an acquire, and the releasing thread's joined into
// it before a release (before: once released, another thread may acquire).
#include <math.h>

#include "abstract.h"
#include "class.h"
#include "deadlock.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "func.h"
#include "int.h"
#include "interp.h"
#include "lockorder.h"
#include "module.h"
#include "race.h"
#include "str.h"
#include "thread.h"
#include "tuple.h"

typedef struct {
    Object ob;
    SyncLock lock;
    uint64_t dl_id;     // deadlock_lock_id(): 0 for threading's own locks
    RaceClock *race;    // --race: the lock's vector clock (race.c's mutex)
} LockObj;

typedef struct {
    Object ob;
    SyncRLock lock;
    uint64_t dl_id;
    RaceClock *race;
} RLockObj;

static Type lock_type, rlock_type;

// acquire(blocking=True, timeout=-1) arguments, as CPython checks them.
static int parse_acquire(const char *fname, Value *args, size_t nargs, Value kwnames,
                         bool *blocking, double *timeout) {
    static const char *const kw[] = {"blocking", "timeout", NULL};
    Value a[2];
    if (args_parse(fname, args, nargs, kwnames, kw, 0, 2, a) < 0)
        return -1;
    *blocking = true;
    *timeout = -1;
    if (a[0]) {
        int t = val_truthy(a[0]);
        if (t < 0)
            return -1;
        *blocking = t;
    }
    if (a[1]) {
        if (val_as_double(a[1], timeout) < 0)
            return -1;
        if (!*blocking && *timeout != -1)
            return exc_raise_int(&exc_ValueError, "can't specify a timeout for a non-blocking call");
        if (*timeout < 0 && *timeout != -1)
            return exc_raise_int(&exc_ValueError, "timeout value must be a non-negative number");
        if (*timeout > SYNC_TIMEOUT_MAX)
            return exc_raise_int(&exc_OverflowError, "timeout value is too large");
    }
    if (!*blocking)
        *timeout = 0;
    return 0;
}

static Value acquire_result(SyncStatus st, const char *err) {
    switch (st) {
    case SYNC_OK: return incref(VAL_TRUE);
    case SYNC_TIMEOUT: return incref(VAL_FALSE);
    case SYNC_INTERRUPTED:
        interp_check_signals();
        if (!exc_occurred())
            exc_raise_value(&exc_KeyboardInterrupt, VAL_NULL);
        return VAL_NULL;
    default: return exc_raise(&exc_RuntimeError, "%s", err ? err : "lock error");
    }
}

// --- lock ---------------------------------------------------------------------

static Value lock_new_obj(void) {
    LockObj *l = obj_alloc(&lock_type, sizeof(LockObj));
    if (!l)
        return VAL_NULL;
    const char *err = NULL;
    if (sync_lock_init(&l->lock, &err) != SYNC_OK) {
        obj_free(&l->ob);
        return exc_raise(&exc_RuntimeError, "can't allocate lock");
    }
    l->dl_id = deadlock_lock_id(ts_cur);
    race_lock_created(ts_cur, l->dl_id);
    return obj_val(l);
}

static void lock_dealloc(Object *o) {
    race_lock_clock_free(((LockObj *)o)->race);
    sync_lock_destroy(&((LockObj *)o)->lock);
    obj_free(o);
}

// acquire() of a Lock or an RLock: the same arguments, hooks and result.
static Value do_acquire(Value self, bool recursive, Value *args, size_t nargs, Value kwnames) {
    bool blocking;
    double timeout;
    if (parse_acquire("acquire", args, nargs, kwnames, &blocking, &timeout) < 0)
        return VAL_NULL;
    ThreadState *ts = ts_cur;
    uint64_t id = recursive ? ((RLockObj *)val_obj(self))->dl_id : ((LockObj *)val_obj(self))->dl_id;
    DeadlockWait wait;
    SyncWaitHooks hooks = deadlock_wait_hooks(&wait, ts, self, id, timeout);
    const char *err = NULL;
    uint64_t site = deadlock_site(ts);
    void *sync = recursive ? (void *)&((RLockObj *)val_obj(self))->lock
                           : (void *)&((LockObj *)val_obj(self))->lock;
    int kind = recursive ? SYNC_WAIT_RLOCK : SYNC_WAIT_LOCK;
    if (timeout < 0)
        lockorder_acquiring(ts, self, id, kind, sync);
    SyncStatus st = recursive ? sync_rlock_acquire(sync, ts->id, site, blocking, timeout, &hooks, &err)
                              : sync_lock_acquire(sync, ts->id, site, blocking, timeout, &hooks, &err);
    if (st == SYNC_OK) {
        lockorder_acquired(ts, self, id, kind, sync);
        race_lock_acquired(ts, recursive ? &((RLockObj *)val_obj(self))->race
                                         : &((LockObj *)val_obj(self))->race, id, self);
    }
    return acquire_result(st, err);
}

static Value lock_acquire(Value self, Value *args, size_t nargs, Value kwnames) {
    return do_acquire(self, false, args, nargs, kwnames);
}

static Value lock_release(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("release", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    const char *err = NULL;
    LockObj *l = (LockObj *)val_obj(self);
    if (UNLIKELY(ts_cur->interp->race != NULL) && sync_lock_locked(&l->lock))
        race_lock_releasing_tracked(ts_cur, &l->race, l->dl_id, true);
    if (sync_lock_release(&l->lock, &err) != SYNC_OK)
        return exc_raise(&exc_RuntimeError, "release unlocked lock");
    lockorder_released(ts_cur, l->dl_id, SYNC_WAIT_LOCK, &l->lock);
    return incref(VAL_NONE);
}

static Value lock_exit(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return lock_release(self, NULL, 0, VAL_NULL);
}

static Value lock_locked(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("locked", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(bool_val(sync_lock_locked(&((LockObj *)val_obj(self))->lock)));
}

static Value lock_repr(Value self) {
    bool locked = sync_lock_locked(&((LockObj *)val_obj(self))->lock);
    return str_printf("<%s _thread.lock object at %p>", locked ? "locked" : "unlocked",
                      (void *)self);
}

bool mod_thread_lock_owner(Value v, uint64_t *owner, uint64_t *site) {
    if (!val_is_obj(v))
        return false;
    if (val_type(v) == &lock_type) {
        LockObj *l = (LockObj *)val_obj(v);
        *owner = l->dl_id ? sync_lock_owner(&l->lock, site) : 0;
        return l->dl_id != 0;
    }
    if (val_type(v) == &rlock_type) {
        RLockObj *r = (RLockObj *)val_obj(v);
        *owner = r->dl_id ? sync_rlock_owner(&r->lock, NULL, site) : 0;
        return r->dl_id != 0;
    }
    return false;
}

static const MethodDef lock_methods[] = {
    {"acquire", lock_acquire, 0, NULL},
    {"acquire_lock", lock_acquire, 0, NULL},
    {"release", lock_release, 0, NULL},
    {"release_lock", lock_release, 0, NULL},
    {"locked", lock_locked, 0, NULL},
    {"locked_lock", lock_locked, 0, NULL},
    {"__enter__", lock_acquire, 0, NULL},
    {"__exit__", lock_exit, 0, NULL},
    {NULL, NULL, 0, NULL},
};

static Type lock_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "_thread.lock",
    .basic_size = sizeof(LockObj),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = lock_dealloc,
    .repr = lock_repr,
};

// --- RLock -------------------------------------------------------------------------

static Value rlock_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("RLock", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    RLockObj *r = obj_alloc(t, t->basic_size);
    if (!r)
        return VAL_NULL;
    const char *err = NULL;
    if (sync_rlock_init(&r->lock, &err) != SYNC_OK) {
        obj_free(&r->ob);
        return exc_raise(&exc_RuntimeError, "can't allocate lock");
    }
    r->dl_id = deadlock_lock_id(ts_cur);
    race_lock_created(ts_cur, r->dl_id);
    return obj_val(r);
}

static void rlock_dealloc(Object *o) {
    race_lock_clock_free(((RLockObj *)o)->race);
    sync_rlock_destroy(&((RLockObj *)o)->lock);
    obj_free(o);
}

static Value rlock_acquire(Value self, Value *args, size_t nargs, Value kwnames) {
    return do_acquire(self, true, args, nargs, kwnames);
}

static Value rlock_release(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("release", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    const char *err = NULL;
    RLockObj *r = (RLockObj *)val_obj(self);
    if (UNLIKELY(ts_cur->interp->race != NULL)) {
        uint64_t count = 0;
        if (sync_rlock_owner(&r->lock, &count, NULL) == ts_cur->id)
            race_lock_releasing_tracked(ts_cur, &r->race, r->dl_id, count == 1);
    }
    if (sync_rlock_release(&r->lock, ts_cur->id, &err) != SYNC_OK)
        return exc_raise(&exc_RuntimeError, "cannot release un-acquired lock");
    lockorder_released(ts_cur, r->dl_id, SYNC_WAIT_RLOCK, &r->lock);
    return incref(VAL_NONE);
}

static Value rlock_exit(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return rlock_release(self, NULL, 0, VAL_NULL);
}

static Value rlock_is_owned(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("_is_owned", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(bool_val(sync_rlock_is_owned(&((RLockObj *)val_obj(self))->lock, ts_cur->id)));
}

// Condition.wait() support: release fully, returning the saved count.
static Value rlock_release_save(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("_release_save", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    SyncRLock *r = &((RLockObj *)val_obj(self))->lock;
    uint64_t count = 0;
    uint64_t owner = sync_rlock_owner(r, &count, NULL);
    if (owner != ts_cur->id || count == 0)
        return exc_raise(&exc_RuntimeError, "cannot release un-acquired lock");
    const char *err = NULL;
    race_lock_releasing(ts_cur, &((RLockObj *)val_obj(self))->race,
                        ((RLockObj *)val_obj(self))->dl_id, true);
    for (uint64_t i = 0; i < count; i++)
        sync_rlock_release(r, ts_cur->id, &err);
    lockorder_released(ts_cur, ((RLockObj *)val_obj(self))->dl_id, SYNC_WAIT_RLOCK, r);
    return int_from_u64(count);
}

static Value rlock_acquire_restore(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("_acquire_restore", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int64_t count;
    if (int_as_i64(args[0], &count) < 0)
        return VAL_NULL;
    ThreadState *ts = ts_cur;
    RLockObj *r = (RLockObj *)val_obj(self);
    DeadlockWait wait;
    SyncWaitHooks hooks = deadlock_wait_hooks(&wait, ts, self, r->dl_id, -1);
    uint64_t site = deadlock_site(ts);
    lockorder_acquiring(ts, self, r->dl_id, SYNC_WAIT_RLOCK, &r->lock);
    for (int64_t i = 0; i < count; i++) {
        const char *err = NULL;
        SyncStatus st = sync_rlock_acquire(&r->lock, ts->id, site, true, -1, &hooks, &err);
        if (st != SYNC_OK) {
            Value res = acquire_result(st, err);
            if (!res)
                return VAL_NULL;
            decref(res);
        } else if (i == 0) {
            lockorder_acquired(ts, self, r->dl_id, SYNC_WAIT_RLOCK, &r->lock);
            race_lock_acquired(ts, &r->race, r->dl_id, self);
        }
    }
    return incref(VAL_NONE);
}

static Value rlock_repr(Value self) {
    uint64_t count = 0;
    uint64_t owner = sync_rlock_owner(&((RLockObj *)val_obj(self))->lock, &count, NULL);
    return str_printf("<%s _thread.RLock object owner=%llu count=%llu at %p>",
                      owner ? "locked" : "unlocked", (unsigned long long)owner,
                      (unsigned long long)count, (void *)self);
}

static const MethodDef rlock_methods[] = {
    {"acquire", rlock_acquire, 0, NULL},
    {"release", rlock_release, 0, NULL},
    {"__enter__", rlock_acquire, 0, NULL},
    {"__exit__", rlock_exit, 0, NULL},
    {"_is_owned", rlock_is_owned, 0, NULL},
    {"_release_save", rlock_release_save, 0, NULL},
    {"_acquire_restore", rlock_acquire_restore, 0, NULL},
    {NULL, NULL, 0, NULL},
};

static Type rlock_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "_thread.RLock",
    .basic_size = sizeof(RLockObj),
    .tflags = TF_BASETYPE,
    .dealloc = rlock_dealloc,
    .new_ = rlock_new,
    .repr = rlock_repr,
};

// --- module functions ----------------------------------------------------------------

static Value m_start_new_thread(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("start_new_thread", nargs, kwnames, 2, 3) < 0)
        return VAL_NULL;
    if (!val_is_callable(args[0]))
        return exc_raise(&exc_TypeError, "first arg must be callable");
    if (!val_is_tuple(args[1]))
        return exc_raise(&exc_TypeError, "2nd arg must be a tuple");
    Value kw = nargs == 3 ? args[2] : VAL_NONE;
    if (kw != VAL_NONE && !val_is_dict(kw))
        return exc_raise(&exc_TypeError, "optional 3rd arg must be a dictionary");
    int64_t id = thread_start(args[0], args[1], kw);
    if (id < 0)
        return VAL_NULL;
    return int_from_i64(id);
}

static Value m_allocate_lock(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("allocate_lock", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return lock_new_obj();
}

static Value m_get_ident(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("get_ident", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_u64(ts_cur->id);
}

static Value m_get_native_id(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("get_native_id", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_u64(ts_cur->native_id);
}

static Value m_count(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("_count", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_i64(atomic_load(&ts_cur->interp->nthreads));
}

// set_name(name): the calling thread's name, for --stats, --timeline,
// --trace and the OS (as CPython 3.14's; the OS name is cut to 15 bytes).
static Value m_set_name(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("set_name", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "set_name() argument must be str, not %s",
                         val_type(args[0])->name);
    const char *name = str_cstr(args[0]);
    events_set_name(ts_cur, name);
    char os_name[16];
    size_t n = strlen(name) < 15 ? strlen(name) : 15;
    while (n > 0 && n < strlen(name) && ((unsigned char)name[n] & 0xC0) == 0x80)
        n--;   // do not cut a UTF-8 sequence
    memcpy(os_name, name, n);
    os_name[n] = 0;
    pthread_setname_np(pthread_self(), os_name);
    return incref(VAL_NONE);
}

// _set_daemon(flag): whether gilvm waits for the calling thread at exit
// (threading's daemon flag; threads started with _thread alone count as
// daemons). gilvm-only.
static Value m_set_daemon(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("_set_daemon", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int t = val_truthy(args[0]);
    if (t < 0)
        return VAL_NULL;
    events_set_daemon(ts_cur, t);
    return incref(VAL_NONE);
}

// _print_exception(exc): CPython's traceback printing, for threading.excepthook.
static Value m_print_exception(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("_print_exception", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_exc(args[0]))
        return exc_raise(&exc_TypeError, "_print_exception() needs an exception");
    fflush(stdout);
    exc_print(args[0]);
    return incref(VAL_NONE);
}

static const MethodDef thread_functions[] = {
    {"start_new_thread", m_start_new_thread, 0, NULL},
    {"start_new", m_start_new_thread, 0, NULL},
    {"allocate_lock", m_allocate_lock, 0, NULL},
    {"allocate", m_allocate_lock, 0, NULL},
    {"get_ident", m_get_ident, 0, NULL},
    {"get_native_id", m_get_native_id, 0, NULL},
    {"_count", m_count, 0, NULL},
    {"set_name", m_set_name, 0, NULL},
    {"_set_daemon", m_set_daemon, 0, NULL},
    {"_print_exception", m_print_exception, 0, NULL},
    {NULL, NULL, 0, NULL},
};

static void thread_types_ready_once(void) {
    type_ready(&lock_type);
    type_add_methods(&lock_type, lock_methods);
    type_ready(&rlock_type);
    type_add_methods(&rlock_type, rlock_methods);
}

static void thread_types_ready(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, thread_types_ready_once);
}

Value mod_thread_init(void) {
    thread_types_ready();
    Value m = module_new("_thread");
    if (!m)
        return VAL_NULL;
    if (module_add_functions(m, thread_functions) < 0 ||
        module_add(m, "LockType", obj_val(&lock_type)) < 0 ||
        module_add(m, "RLock", obj_val(&rlock_type)) < 0 ||
        module_add(m, "error", obj_val(&exc_RuntimeError)) < 0 ||
        module_add_steal(m, "TIMEOUT_MAX", float_new(SYNC_TIMEOUT_MAX)) < 0) {
        decref(m);
        return VAL_NULL;
    }
    return m;
}
