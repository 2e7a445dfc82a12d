// deadlock: finds the moment every thread is blocked for good, prints who
// holds and waits for what at which lines, and ends the process with
// DEADLOCK_EXIT_STATUS (see deadlock.h).
//
// What "blocked for good" means. Every wait a program can make without a
// timeout ends in one _thread lock acquire with timeout -1: threading's
// Condition, Event, Semaphore, Barrier and Thread.join, and queue.Queue, are
// written in Python over such locks. A thread that sleeps, reads input,
// waits with a timeout or waits for the GIL is not blocked for good. The
// program is deadlocked when every live thread (main, plus every started
// thread that has not run its last bytecode) is inside an untimed acquire of
// a lock that someone holds, and has not been granted it. No thread can then
// run bytecode again, so no lock can be released: the verdict is exact, not
// a timeout guess.
//
// Bookkeeping. One mutex [mu] per interpreter guards nlive, nblocked and
// every ThreadState's dl_wait (never the GIL: the free-threaded mode uses the
// same code). An untimed wait registers in its begin hook, before the
// bracket releases the GIL, and deregisters in its end hook, before the GIL
// is taken back. Only two events can make "every thread blocked" true: a
// running thread registers, or a running thread ends; those are the check
// points (deadlock_wait_hooks' begin, deadlock_thread_exit). When nblocked
// == nlive each waiter is confirmed with sync_waiter_stuck under its lock's
// own mutex (lock order: mu, then interp->lock, then a sync mutex; sync never
// calls a hook with its mutex held). That closes the windows the counters
// leave open: a registered thread whose lock was just released is not
// stuck, and one whose acquire succeeded but which has not deregistered yet
// is "granted" (sync sets the flag under the lock's mutex). A registered
// thread only leaves its wait when its lock is free, which takes a thread
// outside any wait: once all are confirmed stuck, nothing can change.
//
// The report. The detecting thread keeps [mu] until the process ends (no
// waiter can deregister) and, in GIL mode, holds the GIL; all other threads
// are parked in waits, so the heap is frozen and the report may read frames,
// dicts and names freely. For each waiter its innermost frame outside the
// embedded modules gives the line; its outermost embedded frame says what it
// waits in (Thread.join, Event.wait, Queue.get...). A wait for a lock the
// program created (lock_id != 0) has an owner: sync records the owner thread
// and the acquire site with the lock. Owner edges make the wait-for graph;
// its cycles are printed first. A site is an instruction address; the code
// objects sites point into are remembered in an insert-only lock-free set
// when deadlock_site first sees them, so a site can be turned into a line
// even after its frame is gone. Then stdout is flushed, the report written
// to stderr, and the process ends with _exit: the parked threads can never
// be woken, so nothing could unwind them.
#include "deadlock.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "class.h"
#include "dict.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "lockorder.h"
#include "module.h"
#include "sbuf.h"
#include "str.h"
#include "thread.h"
#include "tuple.h"

#define CODE_SET_SIZE 4096   // code objects sites can point into (power of two)
#define NAME_LEN 160
#define TEXT_LEN 512

struct Deadlock {
    pthread_mutex_t mu;
    int64_t nlive;       // mu: threads that may still run bytecode
    int64_t nblocked;    // mu: of those, registered in an untimed wait
    _Atomic uint64_t next_lock_id;
    _Atomic(const Code *) codes[CODE_SET_SIZE];   // insert-only, never cleared
};

Deadlock *deadlock_new(void) {
    Deadlock *dl = calloc(1, sizeof(Deadlock));
    if (!dl)
        return NULL;
    if (pthread_mutex_init(&dl->mu, NULL) != 0) {
        free(dl);
        return NULL;
    }
    dl->nlive = 1;   // the main thread
    atomic_init(&dl->next_lock_id, 1);
    return dl;
}

void deadlock_free(Deadlock *dl) {
    if (!dl)
        return;
    pthread_mutex_destroy(&dl->mu);
    free(dl);
}

// --- frames and places -------------------------------------------------------------

// Code of the modules compiled into the binary (lib/*.py, see module.c).
static bool code_embedded(const Code *c) {
    return strncmp(str_cstr(c->filename), "<gilvm>/", 8) == 0;
}

static Frame *user_frame(Frame *f) {
    while (f && code_embedded(f->code))
        f = f->prev;
    return f;
}

static int frame_line(const Frame *f) {
    return code_line_at(f->code, frame_lasti(f));
}

static void remember_code(Deadlock *dl, const Code *c) {
    size_t mask = CODE_SET_SIZE - 1;
    size_t h = ((uintptr_t)c >> 4) * 0x9E3779B97F4A7C15ull >> 20;
    for (size_t i = 0; i < CODE_SET_SIZE; i++) {
        _Atomic(const Code *) *slot = &dl->codes[(h + i) & mask];
        const Code *seen = atomic_load_explicit(slot, memory_order_acquire);
        if (seen == c)
            return;
        if (!seen) {
            const Code *expected = NULL;
            if (atomic_compare_exchange_strong_explicit(slot, &expected, c, memory_order_acq_rel,
                                                        memory_order_acquire) ||
                expected == c)
                return;
        }
    }
    // Full: sites in further code objects are reported without a line.
}

// The last code object deadlock_site found outside the embedded modules and
// remembered, per OS thread: a loop taking a lock skips the filename test and
// the set. A cache of facts about an immortal object, not interpreter state.
static _Thread_local const Code *site_code_cache;

uint64_t deadlock_site(ThreadState *ts) {
    Frame *f = ts->frame;
    if (f && f->code == site_code_cache)
        return (uint64_t)(uintptr_t)f->ip;
    f = user_frame(f);
    if (!f)
        f = ts->frame;
    if (!f)
        return 0;
    if (ts->interp->deadlock) {
        remember_code(ts->interp->deadlock, f->code);
        if (!code_embedded(f->code))
            site_code_cache = f->code;
    }
    return (uint64_t)(uintptr_t)f->ip;
}

// The place of a site (an instruction address just after the acquire call).
static DeadlockPlace site_place(Deadlock *dl, uint64_t site) {
    const uint32_t *ip = (const uint32_t *)(uintptr_t)site;
    for (size_t i = 0; site && i < CODE_SET_SIZE; i++) {
        const Code *c = atomic_load_explicit(&dl->codes[i], memory_order_acquire);
        if (c && ip > c->instrs && ip <= c->instrs + c->ninstrs)
            return (DeadlockPlace){c, code_line_at(c, (uint32_t)(ip - c->instrs - 1))};
    }
    return (DeadlockPlace){NULL, 0};
}

DeadlockPlace deadlock_site_place(Interp *in, uint64_t site) {
    return in->deadlock ? site_place(in->deadlock, site) : (DeadlockPlace){NULL, 0};
}

DeadlockPlace deadlock_user_place(ThreadState *ts) {
    Frame *f = user_frame(ts->frame);
    if (!f)
        return (DeadlockPlace){NULL, 0};
    return (DeadlockPlace){f->code, frame_line(f)};
}

void deadlock_format_place(DeadlockPlace p, char *buf, size_t n) {
    if (!p.code) {
        snprintf(buf, n, "an unknown line");
        return;
    }
    const char *name = str_cstr(p.code->name);
    snprintf(buf, n, "%s:%d in %s%s", str_cstr(p.code->filename), p.line, name,
             name[0] == '<' ? "" : "()");
}

uint64_t deadlock_lock_id(ThreadState *ts) {
    Deadlock *dl = ts->interp->deadlock;
    Frame *f = ts->frame;
    if (!dl || !f)
        return 0;
    if (code_embedded(f->code)) {
        // threading.Condition() with no lock makes an RLock for the program.
        if (strcmp(str_cstr(f->code->qualname), "Condition.__init__") != 0 || !f->prev ||
            code_embedded(f->prev->code))
            return 0;
    }
    return atomic_fetch_add(&dl->next_lock_id, 1);
}

// --- names ---------------------------------------------------------------------------

// [obj]'s instance dict if it is an instance of a class the program (or
// threading) defined; else VAL_NULL. Borrowed.
static Value instance_dict(Value obj) {
    if (!val_is_obj(obj) || !(val_type(obj)->tflags & TF_HEAPTYPE))
        return VAL_NULL;
    Value *slot = obj_dict_slot(obj);
    return slot && *slot && val_is_dict(*slot) ? *slot : VAL_NULL;
}

void deadlock_thread_name(Interp *in, uint64_t tid, char *buf, size_t n) {
    bool found = false;
    Value th = in->modules ? dict_get_cstr(in->modules, "threading") : VAL_NULL;
    Value active = th && val_type(th) == &module_type ? dict_get_cstr(module_dict(th), "_active")
                                                      : VAL_NULL;
    if (active && val_is_dict(active)) {
        Value key = int_from_u64(tid);
        Value t = key ? dict_get(active, key) : VAL_NULL;
        Value d = t ? instance_dict(t) : VAL_NULL;
        Value name = d ? dict_get_cstr(d, "_name") : VAL_NULL;
        if (name && val_is_str(name)) {
            snprintf(buf, n, "%s", str_cstr(name));
            found = true;
        }
        decref(name);
        decref(t);
        decref(key);
    }
    decref(active);
    decref(th);
    if (exc_occurred())
        exc_clear();
    if (!found) {
        if (in->main_thread && in->main_thread->id == tid)
            snprintf(buf, n, "MainThread");
        else
            snprintf(buf, n, "thread %llu", (unsigned long long)tid);
    }
}

// The name of a threading.Thread object (its _name), or "?".
static void thread_obj_name(Value t, char *buf, size_t n) {
    Value d = instance_dict(t);
    Value name = d ? dict_get_cstr(d, "_name") : VAL_NULL;
    snprintf(buf, n, "%s", name && val_is_str(name) ? str_cstr(name) : "?");
    decref(name);
    if (exc_occurred())
        exc_clear();
}

// [v] named [vname] is [obj] (depth 0), or holds it one attribute or item
// deep (depth 1).
static bool match(Value v, const char *vname, Value obj, int depth, char *buf, size_t n) {
    if (depth == 0) {
        if (v != obj)
            return false;
        snprintf(buf, n, "%s", vname);
        return true;
    }
    if (!val_is_obj(v))
        return false;
    Value d = instance_dict(v);
    if (d) {
        size_t pos = 0;
        Value k, x;
        while (dict_next(d, &pos, &k, &x)) {
            if (x == obj && val_is_str(k)) {
                snprintf(buf, n, "%s.%s", vname, str_cstr(k));
                return true;
            }
        }
    } else if (val_is_list(v) || val_is_tuple(v)) {
        size_t len = val_is_list(v) ? as_list(v)->len : tuple_len(v);
        for (size_t i = 0; i < len; i++) {
            Value x = val_is_list(v) ? as_list(v)->items[i] : tuple_get(v, i);
            if (x == obj) {
                snprintf(buf, n, "%s[%zu]", vname, i);
                return true;
            }
        }
    }
    return false;
}

static bool search_dict(Value d, Value obj, int depth, char *buf, size_t n) {
    size_t pos = 0;
    Value k, v;
    while (dict_next(d, &pos, &k, &v)) {
        if (!val_is_str(k))
            continue;
        if (depth > 0 && val_is_obj(v) && val_type(v) == &module_type)
            continue;
        if (match(v, str_cstr(k), obj, depth, buf, n))
            return true;
    }
    return false;
}

static bool search_locals(Frame *f, Value obj, int depth, char *buf, size_t n) {
    const Code *c = f->code;
    for (uint32_t i = 0; i < code_nfast(c); i++) {
        Value v = f->slots[i];
        Value name = i < c->nlocals ? c->varnames[i]
                     : i < c->nlocals + c->ncells ? c->cellvars[i - c->nlocals]
                                                  : c->freevars[i - c->nlocals - c->ncells];
        if (i >= c->nlocals && v && val_type(v) == &cell_type)
            v = ((Cell *)val_obj(v))->ref;
        if (v && match(v, str_cstr(name), obj, depth, buf, n))
            return true;
    }
    return false;
}

// Without iterating any dict: the globals [f]'s code names, then their
// attributes that the code names, and tuple items.
static bool search_named(Frame *f, Value obj, char *buf, size_t n) {
    const Code *c = f->code;
    for (int depth = 0; f->globals && depth < 2; depth++) {
        for (uint32_t i = 0; i < c->nnames; i++) {
            Value v = dict_get(f->globals, c->names[i]);
            bool hit = depth == 0 && v == obj;
            if (hit)
                snprintf(buf, n, "%s", str_cstr(c->names[i]));
            Value d = depth == 1 && v ? instance_dict(v) : VAL_NULL;
            for (uint32_t j = 0; d && !hit && j < c->nnames; j++) {
                Value x = dict_get(d, c->names[j]);
                if ((hit = x == obj))
                    snprintf(buf, n, "%s.%s", str_cstr(c->names[i]), str_cstr(c->names[j]));
                decref(x);
            }
            if (depth == 1 && !hit && v && val_is_tuple(v))
                hit = match(v, str_cstr(c->names[i]), obj, 1, buf, n);
            decref(v);
            if (hit)
                return true;
        }
    }
    return false;
}

int deadlock_object_name(ThreadState *ts, Value obj, int how, char *buf, size_t n) {
    bool found = false;
    if (!(how & DEADLOCK_NAME_ITERATE)) {
        for (Frame *f = user_frame(ts->frame); f && !found; f = user_frame(f->prev))
            found = search_named(f, obj, buf, n);
        if (exc_occurred())
            exc_clear();
        return found ? DEADLOCK_NAMED_GLOBAL : 0;
    }
    // Globals first: they name an object the same way in every thread.
    for (int depth = 0; depth < 2; depth++) {
        Value last = VAL_NULL;
        for (Frame *f = user_frame(ts->frame); f; f = user_frame(f->prev)) {
            if (f->globals && f->globals != last && search_dict(f->globals, obj, depth, buf, n))
                return DEADLOCK_NAMED_GLOBAL;
            last = f->globals;
        }
    }
    for (int depth = 0; (how & DEADLOCK_NAME_LOCALS) && depth < 2; depth++)
        for (Frame *f = user_frame(ts->frame); f; f = user_frame(f->prev))
            if (search_locals(f, obj, depth, buf, n))
                return DEADLOCK_NAMED_LOCAL;
    return 0;
}

// --- the report ---------------------------------------------------------------------

typedef struct {
    ThreadState *ts;
    DeadlockWait *w;
    char name[NAME_LEN];
    char where[TEXT_LEN];      // "x.py:5 in f()", or "" when no line applies
    char what[TEXT_LEN];       // "waits in join() for Thread-1", "waits on Event ready"
    bool lock_wait;            // waits for a lock the program created
    char lock[NAME_LEN + 32];   // "Lock lock_b"
    uint64_t owner;            // its owner thread (0 = none)
    char acquired[TEXT_LEN];   // where the owner acquired it
    int next;                  // entry of the owner, -1
    int cycle;                 // 1.. for members of a cycle, 0 otherwise
    int mark;
} Entry;

static Value frame_arg0(Frame *f) {
    if (f->code->argcount == 0)
        return VAL_NULL;
    Value v = f->slots[0];
    return v && val_type(v) != &cell_type ? v : VAL_NULL;
}

static Value frame_local(Frame *f, const char *name) {
    for (uint32_t i = 0; i < f->code->nlocals; i++)
        if (strcmp(str_cstr(f->code->varnames[i]), name) == 0)
            return f->slots[i];
    return VAL_NULL;
}

// "Lock lock_b": the lock [w] waits for, as thread [ts] would name it.
static void lock_label(ThreadState *ts, const DeadlockWait *w, char *buf, size_t n) {
    char lname[NAME_LEN];
    const char *kind = w->kind == SYNC_WAIT_RLOCK ? "RLock" : "Lock";
    switch (deadlock_object_name(ts, w->lock, DEADLOCK_NAME_ALL, lname, sizeof lname)) {
    case DEADLOCK_NAMED_GLOBAL:
        snprintf(buf, n, "%s %s", kind, lname);
        break;
    case DEADLOCK_NAMED_LOCAL:   // other threads may use the same local name
        snprintf(buf, n, "%s %s (at %p)", kind, lname, (void *)w->lock);
        break;
    default:
        snprintf(buf, n, "%s at %p", kind, (void *)w->lock);
    }
}

static void describe_lock(Entry *e, Deadlock *dl) {
    DeadlockWait *w = e->w;
    lock_label(e->ts, w, e->lock, sizeof e->lock);
    uint64_t site = 0;
    e->owner = w->kind == SYNC_WAIT_RLOCK ? sync_rlock_owner((SyncRLock *)w->on, NULL, &site)
                                          : sync_lock_owner((SyncLock *)w->on, &site);
    deadlock_format_place(site_place(dl, site), e->acquired, sizeof e->acquired);
    e->lock_wait = true;
    snprintf(e->what, sizeof e->what, "waits for %s", e->lock);
}

// What the thread waits in, from its outermost frame in threading or queue.
static void describe_wait(Entry *e, Interp *in) {
    Frame *outer = NULL, *user = e->ts->frame;
    while (user && code_embedded(user->code)) {
        outer = user;
        user = user->prev;
    }
    if (user)
        deadlock_format_place((DeadlockPlace){user->code, frame_line(user)}, e->where,
                              sizeof e->where);
    if (e->w->lock_id != 0) {
        describe_lock(e, in->deadlock);
        return;
    }
    if (!outer) {
        snprintf(e->what, sizeof e->what, "waits for a lock");
        return;
    }
    const char *qual = str_cstr(outer->code->qualname);
    bool in_queue = strcmp(str_cstr(outer->code->filename), "<gilvm>/queue.py") == 0;
    Value self = frame_arg0(outer);
    char oname[NAME_LEN] = "";
    char tname[NAME_LEN];
    if (strcmp(qual, "Thread.join") == 0 && self) {
        thread_obj_name(self, tname, sizeof tname);
        snprintf(e->what, sizeof e->what, "waits in join() for %s", tname);
    } else if (strcmp(qual, "Thread.start") == 0 && self) {
        thread_obj_name(self, tname, sizeof tname);
        snprintf(e->what, sizeof e->what, "waits in start() for %s", tname);
    } else if (strcmp(qual, "_shutdown") == 0) {
        Value t = frame_local(outer, "t");
        if (t)
            thread_obj_name(t, tname, sizeof tname);
        snprintf(e->what, sizeof e->what,
                 "has finished the script and waits for %s to end (it is not a daemon thread)",
                 t ? tname : "the other threads");
    } else if (in_queue && self && strchr(qual, '.')) {
        const char *meth = strchr(qual, '.') + 1;
        deadlock_object_name(e->ts, self, DEADLOCK_NAME_ALL, oname, sizeof oname);
        snprintf(e->what, sizeof e->what, "waits in %s.%s()%s%s%s", type_name(val_type(self)),
                 meth, oname[0] ? " on " : "", oname,
                 strcmp(meth, "get") == 0   ? " (the queue is empty)"
                 : strcmp(meth, "put") == 0 ? " (the queue is full)"
                                            : "");
    } else if (self && val_type(self)->tflags & TF_HEAPTYPE) {
        // Event.wait, Condition.wait(_for), Semaphore.acquire, Barrier.wait...
        deadlock_object_name(e->ts, self, DEADLOCK_NAME_ALL, oname, sizeof oname);
        snprintf(e->what, sizeof e->what, "waits on %s%s%s", type_name(val_type(self)),
                 oname[0] ? " " : "", oname);
    } else {
        snprintf(e->what, sizeof e->what, "waits in %s()", qual);
    }
}

bool deadlock_describe_wait(ThreadState *ts, char *buf, size_t n, uint64_t *owner) {
    Deadlock *dl = ts->interp->deadlock;
    if (!dl || pthread_mutex_trylock(&dl->mu) != 0)
        return false;
    bool found = false;
    if (ts->dl_wait) {
        Entry *e = calloc(1, sizeof(Entry));
        if (e) {
            e->ts = ts;
            e->w = ts->dl_wait;
            describe_wait(e, ts->interp);
            if (owner)
                *owner = e->lock_wait ? e->owner : 0;
            if (e->lock_wait && e->owner) {
                char oname[NAME_LEN];
                deadlock_thread_name(ts->interp, e->owner, oname, sizeof oname);
                snprintf(buf, n, "%s, held by %s (acquired at %s)", e->what, oname,
                         e->acquired);
            } else {
                snprintf(buf, n, "%s", e->what);
            }
            free(e);
            found = true;
        }
    }
    pthread_mutex_unlock(&dl->mu);
    return found;
}

static int cmp_entry(const void *a, const void *b) {
    uint64_t x = ((const Entry *)a)->ts->id, y = ((const Entry *)b)->ts->id;
    return (x > y) - (x < y);
}

// Called with dl->mu and in->lock held, every live thread stuck. Never returns.
static _Noreturn void report_and_exit(Interp *in, size_t nwaiting) {
    Entry *es = calloc(nwaiting ? nwaiting : 1, sizeof(Entry));
    size_t n = 0;
    for (ThreadState *t = in->threads; t && es; t = t->next) {
        if (!t->dl_wait || n == nwaiting)
            continue;
        es[n].ts = t;
        es[n].w = t->dl_wait;
        n++;
    }
    SBuf b;
    sbuf_init(&b);
    if (es) {
        qsort(es, n, sizeof(Entry), cmp_entry);
        for (size_t i = 0; i < n; i++) {
            es[i].next = -1;
            deadlock_thread_name(in, es[i].ts->id, es[i].name, sizeof es[i].name);
            describe_wait(&es[i], in);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; es[i].lock_wait && es[i].owner && j < n; j++)
                if (es[j].ts->id == es[i].owner)
                    es[i].next = (int)j;
        // Cycles of the wait-for graph (each entry has at most one edge).
        int ncycles = 0;
        for (size_t i = 0; i < n; i++) {
            size_t j = i;
            while (es[j].mark == 0) {
                es[j].mark = (int)i + 1;
                if (es[j].next < 0)
                    break;
                j = (size_t)es[j].next;
            }
            if (es[j].mark == (int)i + 1 && es[j].next >= 0 && es[j].cycle == 0) {
                ncycles++;
                size_t k = j;
                do {
                    es[k].cycle = ncycles;
                    k = (size_t)es[k].next;
                } while (k != j);
            }
        }

        sbuf_printf(&b, "Deadlock: %s\n",
                    n == 1 ? "the only thread is blocked for good, nothing can wake it."
                           : "every thread is blocked for good and none can wake another.");
        for (int c = 1; c <= ncycles; c++) {
            sbuf_printf(&b, "Lock cycle (each thread holds a lock the next one waits for):\n");
            size_t first = 0;
            while (es[first].cycle != c)
                first++;
            size_t k = first;
            do {
                // What k holds is what the thread before it in the cycle waits
                // for; named as k's own frames name it (locals differ by thread).
                size_t prev = k;
                while ((size_t)es[prev].next != k)
                    prev = (size_t)es[prev].next;
                char held[NAME_LEN + 32];
                lock_label(es[k].ts, es[prev].w, held, sizeof held);
                sbuf_printf(&b, "  %s holds %s, acquired at %s\n", es[k].name, held,
                            es[prev].acquired);
                if (es[k].next == (int)k)
                    sbuf_printf(&b, "      and waits for it again at %s (a Lock is not "
                                    "re-entrant; an RLock is)\n", es[k].where);
                else
                    sbuf_printf(&b, "      and waits for %s at %s\n", es[k].lock, es[k].where);
                k = (size_t)es[k].next;
            } while (k != first);
        }
        bool others = false;
        for (size_t i = 0; i < n; i++)
            others |= es[i].cycle == 0;
        if (others)
            sbuf_printf(&b, "%s\n", ncycles ? "Other blocked threads:" : "Blocked threads:");
        for (size_t i = 0; i < n; i++) {
            if (es[i].cycle)
                continue;
            sbuf_printf(&b, "  %s %s", es[i].name, es[i].what);
            if (es[i].where[0])
                sbuf_printf(&b, " at %s", es[i].where);
            if (es[i].lock_wait && es[i].owner) {
                char oname[NAME_LEN];
                if (es[i].next >= 0)
                    snprintf(oname, sizeof oname, "%s", es[es[i].next].name);
                else
                    snprintf(oname, sizeof oname,
                             "a thread that ended without releasing it (ident %llu)",
                             (unsigned long long)es[i].owner);
                sbuf_printf(&b, ",\n      held by %s, acquired at %s", oname, es[i].acquired);
            }
            sbuf_putc(&b, '\n');
        }
    }
    sbuf_printf(&b, "gilvm: deadlock, exit status %d\n", DEADLOCK_EXIT_STATUS);
    fflush(stdout);
    if (b.data)
        fputs(b.data, stderr);
    else
        fputs("Deadlock: every thread is blocked for good (out of memory for the details).\n",
              stderr);
    fflush(stderr);
    _exit(DEADLOCK_EXIT_STATUS);
}

// With dl->mu held: report and end the process if every live thread is stuck.
static void check(Interp *in, Deadlock *dl) {
    if (dl->nblocked < dl->nlive)
        return;
    pthread_mutex_lock(&in->lock);
    size_t nwaiting = 0;
    for (ThreadState *t = in->threads; t; t = t->next) {
        DeadlockWait *w = t->dl_wait;
        if (!w)
            continue;
        if (!sync_waiter_stuck(w->on, w->kind, t->id, &w->granted)) {
            pthread_mutex_unlock(&in->lock);
            return;
        }
        nwaiting++;
    }
    report_and_exit(in, nwaiting);
}

// --- the hooks ------------------------------------------------------------------------

static void hook_begin(void *ctx, const void *on, int kind) {
    DeadlockWait *w = ctx;
    w->inner = thread_wait_hooks(w->ts);   // only now: most acquires never wait
    Deadlock *dl = w->ts->interp->deadlock;
    if (w->forever && dl && (kind == SYNC_WAIT_LOCK || kind == SYNC_WAIT_RLOCK)) {
        w->on = on;
        w->kind = kind;
        pthread_mutex_lock(&dl->mu);
        w->granted = false;
        w->registered = true;
        w->ts->dl_wait = w;
        dl->nblocked++;
        check(w->ts->interp, dl);
        pthread_mutex_unlock(&dl->mu);
    }
    if (w->inner.begin)
        w->inner.begin(w->inner.ctx, on, kind);
}

static void hook_end(void *ctx) {
    DeadlockWait *w = ctx;
    if (w->registered) {
        Deadlock *dl = w->ts->interp->deadlock;
        pthread_mutex_lock(&dl->mu);
        w->registered = false;
        w->ts->dl_wait = NULL;
        dl->nblocked--;
        pthread_mutex_unlock(&dl->mu);
    }
    if (w->inner.end)
        w->inner.end(w->inner.ctx);
}

static int hook_interrupted(void *ctx) {
    DeadlockWait *w = ctx;
    return w->inner.interrupted ? w->inner.interrupted(w->inner.ctx) : 0;
}

static int hook_park(void *ctx, const void *on, int kind, double timeout, int64_t *deadline) {
    DeadlockWait *w = ctx;
    return w->inner.park ? w->inner.park(w->inner.ctx, on, kind, timeout, deadline) : -1;
}

SyncWaitHooks deadlock_wait_hooks(DeadlockWait *w, ThreadState *ts, Value lock,
                                  uint64_t lock_id, double timeout) {
    w->ts = ts;
    w->lock = lock;
    w->lock_id = lock_id;
    w->forever = timeout < 0;
    w->registered = false;
    return (SyncWaitHooks){hook_begin, hook_end, hook_interrupted, w, &w->granted,
                           ts->interp->sched ? hook_park : NULL};
}

// --- live threads ----------------------------------------------------------------------

void deadlock_thread_starting(Interp *in) {
    Deadlock *dl = in->deadlock;
    if (!dl)
        return;
    pthread_mutex_lock(&dl->mu);
    dl->nlive++;
    pthread_mutex_unlock(&dl->mu);
}

void deadlock_thread_not_started(Interp *in) {
    Deadlock *dl = in->deadlock;
    if (!dl)
        return;
    pthread_mutex_lock(&dl->mu);
    dl->nlive--;   // the caller runs: no check needed
    pthread_mutex_unlock(&dl->mu);
}

void deadlock_thread_exit(ThreadState *ts) {
    lockorder_thread_exit(ts);
    Deadlock *dl = ts->interp->deadlock;
    if (!dl)
        return;
    pthread_mutex_lock(&dl->mu);
    dl->nlive--;
    check(ts->interp, dl);
    pthread_mutex_unlock(&dl->mu);
}
