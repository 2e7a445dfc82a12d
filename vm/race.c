// race: --race, the data-race detector (see race.h).
//
// What is a race. Two accesses to the same variable of the program -- a
// global, an attribute of an instance or class, an item of a list or dict --
// from two threads, at least one a write, with neither ordered before the
// other by synchronisation. Order ("happens-before") comes from vector clocks,
// as in ThreadSanitizer: every thread has a clock (one counter per thread id);
// releasing a _thread lock joins the thread's clock into the lock's and ticks
// the thread's own counter; acquiring joins the lock's clock into the
// thread's; a new thread starts with a copy of its parent's clock and the
// parent ticks. Everything else in threading and queue -- Condition, Event,
// Semaphore, Barrier, Thread.join (an Event set at the end of the thread),
// Queue.put/get -- is Python code over _thread locks and orders through them.
// An access made at clock c by thread u happens before thread t's present if
// c <= t.clock[u].
//
// Shadow state. For each location (object address, kind, key) the last write
// and the last read of each thread (up to RACE_READS per location; the oldest
// is forgotten), each with its thread, clock, place, locks held and value. A
// write is checked against the last write and every remembered read, a read
// against the last write. A race found is reported once per pair of source
// lines (both lines, whichever order), at exit, with the count of times seen.
// Locations live in per-object records found by address; when an object dies
// (obj_free_hook) its record goes, so a new object at the same address starts
// clean. At most RACE_MAX_LOCATIONS locations are tracked; then tracking of
// new locations stops and the report says so.
//
// Lost updates. Each location counts its writes (seq). A read remembers the
// seq it saw, the value, and the depth of that value: how many updates
// (read-modify-writes) its history holds since the last plain store. A later
// write by the same thread to that location is an update; its value's depth
// is the depth it read plus one. An update whose value is not in the history
// of the final value was overwritten: their number is updates minus the final
// depth, counted store by store as (depth now - depth read) -- for a counter
// of increments exactly the program's "expected - actual". The first store
// that loses an update is kept as a story: two loads of the same value, two
// stores (or, when several updates were lost at once, load / last store /
// store).
//
// What is watched. The instructions of race_watches, in code outside the
// embedded modules (threading's and queue's own bookkeeping is their
// business); a LOAD_GLOBAL that finds a builtin is not an access (the program
// never writes builtins). The interpreter calls race_instruction from its
// every-instruction path, after the preemption point and before the
// instruction, so its per-thread caches and fast paths change nothing: a
// store is recorded there; a load is recorded at the next instruction
// boundary, before that one's preemption point (race_load_done), with the
// value it really loaded. Under the GIL nothing runs between an access and
// its record: the accounting is exact. Free-threaded, another core's store
// can land between a store's record and the store itself, or between a load
// and its record: the lost-update count is an estimate (and says so); the
// race reports are not affected.
//
// Locking. One mutex [mu] guards everything in struct Race and every
// RaceClock. It is taken only around the shadow-state update, never around
// the Python-level load or store, so the program's races stay real. Under mu
// no Python code runs, no reference is dropped (a destructor would re-enter
// obj_free_hook) and no object lock is taken: values are read and rendered
// before mu is taken. Lock order: mu, then interp->lock (thread names, at
// report time). mu may be taken with the GIL held, never the reverse.
#include "race.h"

#include <stdio.h>
#include <string.h>

#include "abstract.h"
#include "class.h"
#include "deadlock.h"
#include "dict.h"
#include "exc.h"
#include "int.h"
#include "list.h"
#include "module.h"
#include "scheduler.h"
#include "stats.h"
#include "str.h"

#define RACE_READS 16                  // remembered reads per location
#define RACE_LOCKS_KEPT 3              // lock ids kept per access
#define RACE_HELD_MAX 16               // program locks tracked per thread
#define RACE_MAX_LOCATIONS (1u << 18)  // then tracking of new locations stops
#define RACE_MAX_REPORTS 64            // distinct pairs of lines printed
#define RACE_PAIRS_CAP 4096            // distinct pairs of lines remembered
#define RACE_MAX_LOST 16               // locations with lost updates printed
#define RACE_MAX_LOCKS (1u << 16)      // program locks named
#define RACE_FILTER_BITS (1u << 16)    // objects that may have a record
#define RACE_RING 64                   // writes remembered by a racy location, for stories
#define RACE_MAX_RINGS 16              // racy locations that remember writes
#define DESC_LEN 96
#define NAME_LEN 64

// --- vector clocks ------------------------------------------------------------------

typedef struct {
    uint32_t *c;   // c[tid]; entries past n are 0
    uint32_t n;
} VClock;

struct RaceClock {
    VClock vc;
};

static uint32_t vc_get(const VClock *v, uint64_t tid) {
    return tid < v->n ? v->c[tid] : 0;
}

static bool vc_grow(VClock *v, uint32_t n) {
    if (n <= v->n)
        return true;
    uint32_t cap = v->n ? v->n : 8;
    while (cap < n)
        cap *= 2;
    uint32_t *c = realloc(v->c, cap * sizeof(uint32_t));
    if (!c)
        return false;
    memset(c + v->n, 0, (cap - v->n) * sizeof(uint32_t));
    v->c = c;
    v->n = cap;
    return true;
}

static void vc_join(VClock *dst, const VClock *src) {
    if (!vc_grow(dst, src->n))
        return;
    for (uint32_t i = 0; i < src->n; i++)
        if (src->c[i] > dst->c[i])
            dst->c[i] = src->c[i];
}

static void vc_tick(VClock *v, uint64_t tid) {
    if (vc_grow(v, (uint32_t)tid + 1))
        v->c[tid]++;
}

// --- records --------------------------------------------------------------------------

enum { VAL_UNKNOWN, VAL_INT, VAL_TEXT };
typedef struct {
    uint8_t kind;
    int64_t i;
    char s[24];
} RaceVal;

typedef struct {
    uint32_t tid;           // 0 = none
    uint32_t clock;         // the thread's own clock at the access
    const Code *code;       // immortal
    uint32_t lasti;
    uint8_t nlocks;         // program locks held (only the first RACE_LOCKS_KEPT kept)
    uint32_t locks[RACE_LOCKS_KEPT];
    uint64_t tick;          // global order of accesses
    uint64_t seq;           // reads: the location's write count when read
    uint64_t depth;         // reads: the location's update depth when read
    bool pending;           // reads: no store by this thread since
    RaceVal val;            // the value loaded or stored
} Access;

enum { LOC_GLOBAL = 1, LOC_ATTR, LOC_ITEM };

typedef struct {
    char desc[DESC_LEN];
    uint64_t rmw, increments;
    int64_t overwritten;    // updates not in the present value's history
    int story;              // STORY_*
    Access load1, load2, store1, store2;   // 1 is the thread whose update is lost
    uint64_t missed;        // updates between load2 and store2
} Lost;

// The story of the first lost update, best first: two loads of one version,
// two stores; the same with more updates between; or (the thread whose
// update was lost unknown) a load, the last store before, the losing store.
enum { STORY_NONE, STORY_SHORT, STORY_CLASSIC_LONG, STORY_CLASSIC };

// A write, with the read it followed if it was an update.
typedef struct {
    Access store, load;
    bool rmw;
} WriteRec;

typedef struct Loc Loc;
struct Loc {
    Loc *next;
    uint8_t kind;
    uint64_t key;
    char desc[DESC_LEN];    // "global 'counter'"
    uint64_t seq;           // writes so far
    uint64_t plain_seq;     // seq after the last write that was not an update
    uint64_t depth;         // updates in the present value's history since then
    Access write;           // the last write
    Access write_load;      // the read that last write followed, if it was an update
    bool write_rmw;
    WriteRec *ring;         // once racy (at most RACE_MAX_RINGS): write n at [n % RACE_RING]
    Access reads[RACE_READS];
    uint8_t nreads;
    uint64_t rmw, increments;
    uint32_t lost;          // index + 1 into Race.lost, once an update was overwritten
};

typedef struct ObjRec ObjRec;
struct ObjRec {
    ObjRec *next;
    uintptr_t obj;
    Loc **buckets;
    uint32_t nbuckets, n;
};

typedef struct {
    bool exists;
    VClock vc;              // freed when the thread exits
    uint32_t held[RACE_HELD_MAX];
    uint8_t nheld;
} RaceThread;

typedef struct {
    uint64_t holder;        // thread id while held, else 0
    DeadlockPlace created;
    bool named;
    char name[NAME_LEN];
} LockInfo;

typedef struct {
    char desc[DESC_LEN];
    bool cur_write, prev_write;
    Access cur, prev;
    uint64_t count;
} Report;

struct Race {
    pthread_mutex_t mu;
    uint64_t tick;
    RaceThread *threads;    // by thread id
    size_t nthreads;
    LockInfo *locks;        // by deadlock_lock_id
    size_t nlocks;
    ObjRec **objs;          // chained hash by address
    size_t nobj_buckets, nobjs;
    size_t nlocs;
    bool capped;            // RACE_MAX_LOCATIONS reached
    uint64_t accesses;
    uint64_t pairs[RACE_PAIRS_CAP];   // open addressing; 0 = empty
    size_t npairs;
    Report *reports;
    size_t nreports, capreports;
    uint64_t races_unreported;        // pairs past RACE_MAX_REPORTS / RACE_PAIRS_CAP
    Lost *lost;
    size_t nlost, caplost;
    size_t nrings;
    bool reported;
    _Atomic uint64_t filter[RACE_FILTER_BITS / 64];   // addresses that may have a record
};

static size_t addr_hash(uintptr_t a) {
    return (size_t)(((uint64_t)a >> 4) * 0x9E3779B97F4A7C15ull >> 17);
}

// --- life cycle ---------------------------------------------------------------------------

static RaceThread *thread_rec(Race *r, uint64_t tid) {
    if (tid >= r->nthreads) {
        size_t n = r->nthreads ? r->nthreads : 16;
        while (n <= tid)
            n *= 2;
        RaceThread *t = realloc(r->threads, n * sizeof(RaceThread));
        if (!t)
            return NULL;
        memset(t + r->nthreads, 0, (n - r->nthreads) * sizeof(RaceThread));
        r->threads = t;
        r->nthreads = n;
    }
    return &r->threads[tid];
}

int race_enable(Interp *in) {
    Race *r = calloc(1, sizeof(Race));
    if (!r || pthread_mutex_init(&r->mu, NULL) != 0) {
        free(r);
        return -1;
    }
    r->nobj_buckets = 1024;
    r->objs = calloc(r->nobj_buckets, sizeof(ObjRec *));
    uint64_t tid = in->main_thread->id;
    RaceThread *t = r->objs ? thread_rec(r, tid) : NULL;
    if (!t || !vc_grow(&t->vc, (uint32_t)tid + 1)) {
        free(r->objs);
        free(r->threads);
        pthread_mutex_destroy(&r->mu);
        free(r);
        return -1;
    }
    t->exists = true;
    t->vc.c[tid] = 1;
    in->race = r;
    race_thread_attach(in->main_thread);
    return 0;
}

static void objrec_free(Race *r, ObjRec *o) {
    for (uint32_t i = 0; i < o->nbuckets; i++) {
        for (Loc *l = o->buckets[i], *next; l; l = next) {
            next = l->next;
            if (l->ring) {
                free(l->ring);
                r->nrings--;
            }
            free(l);
            r->nlocs--;
        }
    }
    free(o->buckets);
    free(o);
}

void race_free(Interp *in) {
    Race *r = in->race;
    if (!r)
        return;
    obj_free_hook = NULL;
    in->race = NULL;
    for (size_t i = 0; i < r->nobj_buckets; i++) {
        for (ObjRec *o = r->objs[i], *next; o; o = next) {
            next = o->next;
            objrec_free(r, o);
        }
    }
    for (size_t i = 0; i < r->nthreads; i++)
        free(r->threads[i].vc.c);
    free(r->objs);
    free(r->threads);
    free(r->locks);
    free(r->reports);
    free(r->lost);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

// --- objects dying ----------------------------------------------------------------------

static bool filter_maybe(Race *r, uintptr_t obj) {
    size_t bit = addr_hash(obj) & (RACE_FILTER_BITS - 1);
    return atomic_load_explicit(&r->filter[bit / 64], RELAXED) & (1ull << (bit % 64));
}

static void race_object_freed(Object *o) {
    ThreadState *ts = ts_cur;
    Race *r = ts ? ts->interp->race : NULL;
    if (!r || !filter_maybe(r, (uintptr_t)o))
        return;
    pthread_mutex_lock(&r->mu);
    ObjRec **p = &r->objs[addr_hash((uintptr_t)o) & (r->nobj_buckets - 1)];
    for (; *p; p = &(*p)->next) {
        if ((*p)->obj == (uintptr_t)o) {
            ObjRec *dead = *p;
            *p = dead->next;
            r->nobjs--;
            objrec_free(r, dead);
            break;
        }
    }
    pthread_mutex_unlock(&r->mu);
}

void race_thread_attach(ThreadState *ts) {
    if (ts->interp->race)
        obj_free_hook = race_object_freed;
}

// --- threads and locks -------------------------------------------------------------------

void race_thread_start_tracked(ThreadState *parent, ThreadState *child) {
    Race *r = parent->interp->race;
    pthread_mutex_lock(&r->mu);
    // The child's id is the larger: once its record exists, looking up the
    // parent's cannot move the array.
    RaceThread *c = thread_rec(r, child->id);
    RaceThread *p = c ? thread_rec(r, parent->id) : NULL;
    if (p && vc_grow(&c->vc, (uint32_t)child->id + 1)) {
        c->exists = true;
        vc_join(&c->vc, &p->vc);
        c->vc.c[child->id] = 1;
        vc_tick(&p->vc, parent->id);
    }
    pthread_mutex_unlock(&r->mu);
}

void race_thread_exit_tracked(ThreadState *ts) {
    Race *r = ts->interp->race;
    pthread_mutex_lock(&r->mu);
    if (ts->id < r->nthreads) {
        RaceThread *t = &r->threads[ts->id];
        free(t->vc.c);
        t->vc = (VClock){NULL, 0};
        t->exists = false;
    }
    pthread_mutex_unlock(&r->mu);
}

static LockInfo *lock_info(Race *r, uint64_t id) {
    if (id == 0 || id >= RACE_MAX_LOCKS)
        return NULL;
    if (id >= r->nlocks) {
        size_t n = r->nlocks ? r->nlocks : 64;
        while (n <= id)
            n *= 2;
        LockInfo *l = realloc(r->locks, n * sizeof(LockInfo));
        if (!l)
            return NULL;
        memset(l + r->nlocks, 0, (n - r->nlocks) * sizeof(LockInfo));
        r->locks = l;
        r->nlocks = n;
    }
    return &r->locks[id];
}

void race_lock_created_tracked(ThreadState *ts, uint64_t id) {
    Race *r = ts->interp->race;
    DeadlockPlace at = deadlock_user_place(ts);
    pthread_mutex_lock(&r->mu);
    LockInfo *l = lock_info(r, id);
    if (l)
        l->created = at;
    pthread_mutex_unlock(&r->mu);
}

void race_lock_acquired_tracked(ThreadState *ts, RaceClock **clock, uint64_t id, Value lock) {
    Race *r = ts->interp->race;
    // A name for the report, looked up once per lock outside mu (dict lookups).
    char name[NAME_LEN] = "";
    bool want_name = false;
    if (id != 0 && id < RACE_MAX_LOCKS) {
        pthread_mutex_lock(&r->mu);
        LockInfo *l = lock_info(r, id);
        want_name = l && !l->named;
        pthread_mutex_unlock(&r->mu);
    }
    if (want_name &&
        !deadlock_object_name(ts, lock, ts->interp->mode == MODE_GIL ? DEADLOCK_NAME_ITERATE : 0,
                              name, sizeof name))
        name[0] = 0;
    pthread_mutex_lock(&r->mu);
    RaceThread *t = thread_rec(r, ts->id);
    if (t && *clock)
        vc_join(&t->vc, &(*clock)->vc);
    LockInfo *l = lock_info(r, id);
    if (t && l) {
        if (want_name && !l->named) {
            l->named = true;
            snprintf(l->name, sizeof l->name, "%s", name);
        }
        if (l->holder != ts->id) {   // not an inner RLock acquire
            l->holder = ts->id;
            if (t->nheld < RACE_HELD_MAX)
                t->held[t->nheld++] = (uint32_t)id;
        }
    }
    pthread_mutex_unlock(&r->mu);
}

static void held_remove(RaceThread *t, uint32_t id) {
    for (int i = t->nheld; i-- > 0;) {
        if (t->held[i] == id) {
            memmove(&t->held[i], &t->held[i + 1], (size_t)(t->nheld - i - 1) * sizeof(uint32_t));
            t->nheld--;
            return;
        }
    }
}

void race_lock_releasing_tracked(ThreadState *ts, RaceClock **clock, uint64_t id, bool last) {
    Race *r = ts->interp->race;
    pthread_mutex_lock(&r->mu);
    RaceThread *t = thread_rec(r, ts->id);
    if (t) {
        if (!*clock)
            *clock = calloc(1, sizeof(RaceClock));
        if (*clock) {
            vc_join(&(*clock)->vc, &t->vc);
            vc_tick(&t->vc, ts->id);
        }
    }
    LockInfo *l = last ? lock_info(r, id) : NULL;
    if (l && l->holder) {
        // A Lock may be released by another thread than its holder.
        if (l->holder < r->nthreads)
            held_remove(&r->threads[l->holder], (uint32_t)id);
        l->holder = 0;
    }
    pthread_mutex_unlock(&r->mu);
}

void race_lock_clock_free(RaceClock *clock) {
    if (clock) {
        free(clock->vc.c);
        free(clock);
    }
}

// --- keys and values (outside mu) -----------------------------------------------------------

typedef struct {
    uintptr_t obj;
    uint8_t kind;
    uint64_t key;
    Value name;             // LOC_GLOBAL / LOC_ATTR: the interned name
    Value keyval;           // LOC_ITEM: the key (alive on the stack)
    const char *tname;      // LOC_ATTR / LOC_ITEM: the object's type name
    char desc[DESC_LEN];    // made before the operands can go (loads), else empty
} Key;

// A watched load in progress: recorded by race_load_done at the next
// instruction boundary, with the value the instruction really loaded.
typedef struct {
    Key k;
    Frame *f;
    const uint32_t *next;   // the instruction after the load
    Value *sp_after;        // the stack top after it
    uint32_t lasti;
} PendingLoad;

_Thread_local bool race_load_pending;
static _Thread_local PendingLoad pending;

static bool code_embedded(const Code *c) {
    return strncmp(str_cstr(c->filename), "<gilvm>/", 8) == 0;
}

// [v] (a reference the caller holds) as the report shows it.
static void render(Value v, RaceVal *out) {
    if (!v) {
        out->kind = VAL_UNKNOWN;
    } else if (val_is_small(v)) {
        out->kind = VAL_INT;
        out->i = small_get(v);
    } else if (v == VAL_NONE || v == VAL_TRUE || v == VAL_FALSE) {
        out->kind = VAL_TEXT;
        snprintf(out->s, sizeof out->s, "%s",
                 v == VAL_NONE ? "None" : v == VAL_TRUE ? "True" : "False");
    } else if (val_is_str(v)) {
        out->kind = VAL_TEXT;
        if (str_len(v) <= sizeof out->s - 3)
            snprintf(out->s, sizeof out->s, "'%s'", str_cstr(v));
        else
            snprintf(out->s, sizeof out->s, "'%.*s...'", (int)sizeof out->s - 7, str_cstr(v));
    } else {
        out->kind = VAL_TEXT;
        snprintf(out->s, sizeof out->s, "a %s", val_type_name(v));
    }
}

static uint64_t fnv(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

// An attribute of [obj]: of an instance of a class, of a class, or of a
// module (the module's global).
static bool attr_key(Value obj, Value name, Key *k) {
    if (!val_is_obj(obj))
        return false;
    Type *t = val_obj(obj)->type;
    if (t == &module_type) {
        k->obj = (uintptr_t)val_obj(module_dict(obj));
        k->kind = LOC_GLOBAL;
        k->key = (uint64_t)name;
        k->name = name;
        return true;
    }
    if (t == &type_type && (((Type *)val_obj(obj))->tflags & TF_HEAPTYPE)) {
        k->obj = (uintptr_t)val_obj(obj);
        k->kind = LOC_ATTR;
        k->key = (uint64_t)name;
        k->name = name;
        k->tname = ((Type *)val_obj(obj))->name;
        return true;
    }
    if (!(t->tflags & TF_HEAPTYPE))
        return false;
    if (!obj_dict_slot(obj))
        return false;
    k->obj = (uintptr_t)val_obj(obj);
    k->kind = LOC_ATTR;
    k->key = (uint64_t)name;
    k->name = name;
    k->tname = t->name;
    return true;
}

// An item of a list (small int index) or a dict (int, str, None, bool key).
static bool item_key(Value cont, Value key, Key *k) {
    if (!val_is_obj(cont))
        return false;
    if (val_obj(cont)->type == &list_type) {
        if (!val_is_small(key))
            return false;
        List *l = as_list(cont);
        intptr_t i = small_get(key);
        if (i < 0) {
            BEGIN_CRITICAL(&l->ob);
            i += (intptr_t)l->len;
            END_CRITICAL(&l->ob);
            if (i < 0)
                return false;
        }
        k->key = (uint64_t)i;
        k->keyval = VAL_NULL;
    } else if (val_is_dict(cont)) {
        if (val_is_small(key) || key == VAL_NONE || key == VAL_TRUE || key == VAL_FALSE)
            k->key = (uint64_t)key;
        else if (val_is_str(key))
            k->key = fnv(str_cstr(key), str_len(key)) | 1ull << 63;
        else
            return false;
        k->keyval = key;
    } else {
        return false;
    }
    k->obj = (uintptr_t)val_obj(cont);
    k->kind = LOC_ITEM;
    k->tname = val_obj(cont)->type->name;
    return true;
}

// --- the shadow state (under mu) -------------------------------------------------------------

// "a" or "an" before [word] (type names in reports).
static const char *article(const char *word) {
    return word[0] && strchr("AEIOUaeiou", word[0]) ? "an" : "a";
}

static void describe(const Key *k, char *buf, size_t n) {
    switch (k->kind) {
    case LOC_GLOBAL:
        snprintf(buf, n, "global '%s'", str_cstr(k->name));
        break;
    case LOC_ATTR:
        snprintf(buf, n, "attribute '%s' of %s %s object", str_cstr(k->name), article(k->tname),
                 k->tname);
        break;
    default:
        if (!k->keyval)
            snprintf(buf, n, "item [%llu] of a %s", (unsigned long long)k->key, k->tname);
        else if (val_is_str(k->keyval))
            snprintf(buf, n, "item ['%.40s'] of a %s", str_cstr(k->keyval), k->tname);
        else if (val_is_small(k->keyval))
            snprintf(buf, n, "item [%lld] of a %s", (long long)small_get(k->keyval), k->tname);
        else
            snprintf(buf, n, "item [%s] of a %s",
                     k->keyval == VAL_NONE ? "None" : k->keyval == VAL_TRUE ? "True" : "False",
                     k->tname);
        break;
    }
}

static void objs_grow(Race *r) {
    size_t n = r->nobj_buckets * 2;
    ObjRec **b = calloc(n, sizeof(ObjRec *));
    if (!b)
        return;
    for (size_t i = 0; i < r->nobj_buckets; i++) {
        for (ObjRec *o = r->objs[i], *next; o; o = next) {
            next = o->next;
            ObjRec **head = &b[addr_hash(o->obj) & (n - 1)];
            o->next = *head;
            *head = o;
        }
    }
    free(r->objs);
    r->objs = b;
    r->nobj_buckets = n;
}

static size_t key_hash(uint8_t kind, uint64_t key) {
    return (size_t)((key ^ kind) * 0x9E3779B97F4A7C15ull >> 20);
}

static void locs_grow(ObjRec *o) {
    uint32_t n = o->nbuckets * 2;
    Loc **b = calloc(n, sizeof(Loc *));
    if (!b)
        return;
    for (uint32_t i = 0; i < o->nbuckets; i++) {
        for (Loc *l = o->buckets[i], *next; l; l = next) {
            next = l->next;
            Loc **head = &b[key_hash(l->kind, l->key) & (n - 1)];
            l->next = *head;
            *head = l;
        }
    }
    free(o->buckets);
    o->buckets = b;
    o->nbuckets = n;
}

// The location of [k], made if new; NULL past the cap or out of memory.
static Loc *loc_of(Race *r, const Key *k) {
    ObjRec **head = &r->objs[addr_hash(k->obj) & (r->nobj_buckets - 1)];
    ObjRec *o = *head;
    while (o && o->obj != k->obj)
        o = o->next;
    if (o) {
        for (Loc *l = o->buckets[key_hash(k->kind, k->key) & (o->nbuckets - 1)]; l; l = l->next)
            if (l->key == k->key && l->kind == k->kind)
                return l;
    }
    if (r->nlocs >= RACE_MAX_LOCATIONS) {
        r->capped = true;
        return NULL;
    }
    if (!o) {
        o = calloc(1, sizeof(ObjRec));
        if (!o)
            return NULL;
        o->nbuckets = 4;
        o->buckets = calloc(o->nbuckets, sizeof(Loc *));
        if (!o->buckets) {
            free(o);
            return NULL;
        }
        o->obj = k->obj;
        o->next = *head;
        *head = o;
        size_t bit = addr_hash(k->obj) & (RACE_FILTER_BITS - 1);
        atomic_fetch_or_explicit(&r->filter[bit / 64], 1ull << (bit % 64), RELAXED);
        if (++r->nobjs > r->nobj_buckets)
            objs_grow(r);
    }
    Loc *l = calloc(1, sizeof(Loc));
    if (!l)
        return NULL;
    l->kind = k->kind;
    l->key = k->key;
    if (k->desc[0])
        memcpy(l->desc, k->desc, sizeof l->desc);
    else
        describe(k, l->desc, sizeof l->desc);
    Loc **lh = &o->buckets[key_hash(k->kind, k->key) & (o->nbuckets - 1)];
    l->next = *lh;
    *lh = l;
    r->nlocs++;
    if (++o->n > o->nbuckets * 2)
        locs_grow(o);
    return l;
}

static int line_of(const Access *a) {
    return code_line_at(a->code, a->lasti);
}

// True the first time the lines of [a] and [b] race (either order).
static bool first_pair(Race *r, const Access *a, const Access *b) {
    uint64_t x = (uint64_t)(uintptr_t)a->code * 31 + (uint64_t)line_of(a);
    uint64_t y = (uint64_t)(uintptr_t)b->code * 31 + (uint64_t)line_of(b);
    uint64_t lo = x < y ? x : y, hi = x < y ? y : x;
    uint64_t h = (lo * 0x9E3779B97F4A7C15ull) ^ (hi * 0xC2B2AE3D27D4EB4Full);
    if (h == 0)
        h = 1;
    for (size_t i = 0, j = (size_t)(h >> 7); i < RACE_PAIRS_CAP; i++, j++) {
        uint64_t *slot = &r->pairs[j & (RACE_PAIRS_CAP - 1)];
        if (*slot == h)
            return false;
        if (*slot == 0) {
            if (r->npairs * 4 >= RACE_PAIRS_CAP * 3)
                return false;   // full: count, do not report
            *slot = h;
            r->npairs++;
            return true;
        }
    }
    return false;
}

static bool same_lines(const Access *a, const Access *b) {
    return a->code == b->code && line_of(a) == line_of(b);
}

static void race_found(Race *r, Loc *l, const Access *cur, bool cur_write, const Access *prev,
                       bool prev_write) {
    if (!l->ring && r->nrings < RACE_MAX_RINGS) {
        l->ring = calloc(RACE_RING, sizeof(WriteRec));
        r->nrings += l->ring != NULL;
    }
    if (first_pair(r, cur, prev)) {
        if (r->nreports == r->capreports && r->nreports < RACE_MAX_REPORTS) {
            size_t cap = r->capreports ? r->capreports * 2 : 8;
            Report *v = realloc(r->reports, cap * sizeof(Report));
            if (v) {
                r->reports = v;
                r->capreports = cap;
            }
        }
        if (r->nreports < r->capreports) {
            Report *rep = &r->reports[r->nreports++];
            *rep = (Report){.cur_write = cur_write, .prev_write = prev_write, .cur = *cur,
                            .prev = *prev, .count = 1};
            memcpy(rep->desc, l->desc, sizeof rep->desc);
            return;
        }
        r->races_unreported++;
        return;
    }
    // Seen before: count it on its report.
    for (size_t i = 0; i < r->nreports; i++) {
        Report *rep = &r->reports[i];
        if ((same_lines(&rep->cur, cur) && same_lines(&rep->prev, prev)) ||
            (same_lines(&rep->cur, prev) && same_lines(&rep->prev, cur))) {
            rep->count++;
            return;
        }
    }
}

static bool concurrent(const Access *prev, const RaceThread *t, uint32_t tid) {
    return prev->tid != 0 && prev->tid != tid && prev->clock > vc_get(&t->vc, prev->tid);
}

static Lost *lost_of(Race *r, Loc *l) {
    if (l->lost)
        return &r->lost[l->lost - 1];
    if (r->nlost == r->caplost) {
        size_t cap = r->caplost ? r->caplost * 2 : 4;
        Lost *v = realloc(r->lost, cap * sizeof(Lost));
        if (!v)
            return NULL;
        r->lost = v;
        r->caplost = cap;
    }
    Lost *lo = &r->lost[r->nlost++];
    memset(lo, 0, sizeof *lo);
    memcpy(lo->desc, l->desc, sizeof lo->desc);
    lo->rmw = l->rmw;
    lo->increments = l->increments;
    l->lost = (uint32_t)r->nlost;
    return lo;
}

// A store by [cur]'s thread after its read [own] of [l]: an update.
static void count_update(Race *r, Loc *l, const Access *own, const Access *cur) {
    bool inc = own->val.kind == VAL_INT && cur->val.kind == VAL_INT &&
               cur->val.i == own->val.i + 1;
    uint64_t missed = l->seq - own->seq;
    // Read before a plain store: its history is gone anyway, count nothing.
    int64_t delta = own->seq >= l->plain_seq ? (int64_t)l->depth - (int64_t)own->depth : 0;
    l->depth = own->depth + 1;
    Lost *lo = l->lost || delta > 0 ? lost_of(r, l) : NULL;
    if (!lo) {
        l->rmw++;
        l->increments += inc;
        return;
    }
    lo->rmw++;
    lo->increments += inc;
    lo->overwritten += delta;
    if (delta <= 0 || lo->story == STORY_CLASSIC)
        return;
    // The first write after this thread's load: did its thread load the same
    // version?
    const WriteRec *first = NULL;
    WriteRec last = {l->write, l->write_load, l->write_rmw};
    if (missed == 1)
        first = &last;
    else if (l->ring && missed <= RACE_RING)
        first = &l->ring[(own->seq + 1) % RACE_RING];
    int story = STORY_SHORT;
    if (first && first->rmw && first->load.seq == own->seq && first->store.tid != cur->tid)
        story = missed == 1 ? STORY_CLASSIC : STORY_CLASSIC_LONG;
    if (story <= lo->story)
        return;
    lo->story = story;
    lo->missed = missed;
    lo->load2 = *own;
    lo->store2 = *cur;
    if (story == STORY_SHORT) {
        lo->store1 = l->write;
    } else {
        lo->load1 = first->load;
        lo->store1 = first->store;
    }
}

static void record(Race *r, ThreadState *ts, const Key *k, bool write, const Code *code,
                   uint32_t lasti, const RaceVal *val) {
    pthread_mutex_lock(&r->mu);
    RaceThread *t = ts->id < r->nthreads ? &r->threads[ts->id] : NULL;
    Loc *l = t && t->exists ? loc_of(r, k) : NULL;
    if (!l) {
        pthread_mutex_unlock(&r->mu);
        return;
    }
    r->accesses++;
    uint64_t seq = l->seq, depth = l->depth;
    uint32_t tid = (uint32_t)ts->id;
    Access cur = {.tid = tid, .clock = vc_get(&t->vc, tid), .code = code, .lasti = lasti,
                  .nlocks = t->nheld, .tick = ++r->tick, .seq = seq, .depth = depth,
                  .val = *val};
    for (int i = 0; i < t->nheld && i < RACE_LOCKS_KEPT; i++)
        cur.locks[i] = t->held[i];
    if (concurrent(&l->write, t, tid))
        race_found(r, l, &cur, write, &l->write, true);
    Access *own = NULL;
    for (int i = 0; i < l->nreads; i++) {
        Access *a = &l->reads[i];
        if (a->tid == tid)
            own = a;
        else if (write && concurrent(a, t, tid))
            race_found(r, l, &cur, true, a, false);
    }
    if (write) {
        bool rmw = own && own->pending;
        if (rmw) {
            count_update(r, l, own, &cur);
            own->pending = false;
        }
        l->seq++;
        if (!rmw) {
            l->plain_seq = l->seq;
            l->depth = 0;
        }
        l->write = cur;
        l->write_rmw = rmw;
        if (rmw)
            l->write_load = *own;
        if (l->ring)
            l->ring[l->seq % RACE_RING] = (WriteRec){cur, rmw ? *own : (Access){0}, rmw};
    } else {
        if (!own) {
            if (l->nreads < RACE_READS) {
                own = &l->reads[l->nreads++];
            } else {
                own = &l->reads[0];
                for (int i = 1; i < l->nreads; i++)
                    if (l->reads[i].tick < own->tick)
                        own = &l->reads[i];
            }
        }
        *own = cur;
        own->pending = true;
    }
    pthread_mutex_unlock(&r->mu);
}

void race_instruction(ThreadState *ts, Frame *f, const uint32_t *instr, uint32_t op,
                      uint32_t oparg, Value *sp) {
    Race *r = ts->interp->race;
    const Code *code = f->code;
    race_load_pending = false;
    if (!r || code_embedded(code))
        return;
    Key k = {0};
    Value stored = VAL_NULL;   // a store's value (borrowed from the stack)
    Value *sp_after = sp;      // a load's stack top once done
    bool write = false, ok = false;
    switch (op) {
    case OP_LOAD_NAME:
    case OP_STORE_NAME:
    case OP_DELETE_NAME:
        if (f->locals && f->locals != f->globals)
            return;   // a class body's namespace
        // fall through
    case OP_LOAD_GLOBAL:
    case OP_STORE_GLOBAL:
    case OP_DELETE_GLOBAL:
        k.obj = (uintptr_t)val_obj(f->globals);
        k.kind = LOC_GLOBAL;
        k.name = code->names[oparg];
        k.key = (uint64_t)k.name;
        write = op != OP_LOAD_GLOBAL && op != OP_LOAD_NAME;
        if (!write) {
            // Not a global: a builtin (never written) or a NameError to come.
            Value v = dict_get(f->globals, k.name);
            if (!v) {
                if (exc_occurred())
                    exc_clear();
                return;
            }
            decref(v);
            sp_after = sp + 1;
        }
        stored = op == OP_STORE_GLOBAL || op == OP_STORE_NAME ? sp[-1] : VAL_NULL;
        ok = true;
        break;
    case OP_LOAD_ATTR:
    case OP_STORE_ATTR:
    case OP_DELETE_ATTR:
        write = op != OP_LOAD_ATTR;
        ok = attr_key(sp[-1], code->names[oparg], &k);
        stored = op == OP_STORE_ATTR ? sp[-2] : VAL_NULL;
        break;
    case OP_BINARY_SUBSCR:
    case OP_STORE_SUBSCR:
    case OP_DELETE_SUBSCR:
        write = op != OP_BINARY_SUBSCR;
        ok = item_key(sp[-2], sp[-1], &k);
        stored = op == OP_STORE_SUBSCR ? sp[-3] : VAL_NULL;
        sp_after = sp - 1;
        break;
    default:
        return;
    }
    if (!ok)
        return;
    uint32_t lasti = (uint32_t)(instr - code->instrs);
    if (!write) {
        // Recorded once done, with the value the instruction loaded.
        describe(&k, k.desc, sizeof k.desc);
        pending = (PendingLoad){k, f, instr + 1, sp_after, lasti};
        race_load_pending = true;
        return;
    }
    RaceVal val = {0};
    render(stored, &val);
    record(r, ts, &k, true, code, lasti, &val);
}

void race_load_done(ThreadState *ts, Frame *f, const uint32_t *instr, Value *sp) {
    race_load_pending = false;
    Race *r = ts->interp->race;
    // Elsewhere (the load raised, or ran Python code that loaded again):
    // the load is not recorded.
    if (!r || f != pending.f || instr != pending.next || sp != pending.sp_after)
        return;
    RaceVal val = {0};
    render(sp[-1], &val);
    record(r, ts, &pending.k, false, f->code, pending.lasti, &val);
}

// --- the report -----------------------------------------------------------------------------

static void thread_name(Interp *in, uint64_t tid, char *buf, size_t n) {
    snprintf(buf, n, "thread %llu", (unsigned long long)tid);
    pthread_mutex_lock(&in->lock);
    for (ThreadLog *l = in->events.logs; l; l = l->next)
        if (l->id == tid)
            snprintf(buf, n, "%s", l->name);
    pthread_mutex_unlock(&in->lock);
}

// Line [line] of [code]'s file, trimmed, or "" (no file: -c, stdin).
static void source_line(const Code *code, int line, char *buf, size_t n) {
    buf[0] = 0;
    const char *name = str_cstr(code->filename);
    if (name[0] == '<')
        return;
    FILE *fp = fopen(name, "r");
    if (!fp)
        return;
    char text[512];
    int at = 0;
    while (fgets(text, sizeof text, fp)) {
        size_t len = strlen(text);
        bool whole = len > 0 && text[len - 1] == '\n';
        if (++at == line) {
            char *s = text;
            while (*s == ' ' || *s == '\t')
                s++;
            len = strlen(s);
            while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
                s[--len] = 0;
            if (len > 60)
                snprintf(buf, n, "%.57s...", s);
            else
                snprintf(buf, n, "%s", s);
            break;
        }
        while (!whole && fgets(text, sizeof text, fp)) {   // the rest of a long line
            len = strlen(text);
            whole = len > 0 && text[len - 1] == '\n';
        }
    }
    fclose(fp);
}

static void place(const Access *a, char *buf, size_t n) {
    int line = line_of(a);
    char src[80];
    source_line(a->code, line, src, sizeof src);
    if (src[0])
        snprintf(buf, n, "%s:%d (%s)", str_cstr(a->code->filename), line, src);
    else
        snprintf(buf, n, "%s:%d", str_cstr(a->code->filename), line);
}

static void locks_held(Race *r, const Access *a, char *buf, size_t n) {
    if (a->nlocks == 0) {
        snprintf(buf, n, "holding no locks");
        return;
    }
    size_t o = (size_t)snprintf(buf, n, "holding ");
    for (int i = 0; i < a->nlocks && i < RACE_LOCKS_KEPT && o < n; i++) {
        LockInfo *l = a->locks[i] < r->nlocks ? &r->locks[a->locks[i]] : NULL;
        char one[NAME_LEN + 80];
        if (l && l->name[0])
            snprintf(one, sizeof one, "'%s'", l->name);
        else if (l && l->created.code)
            snprintf(one, sizeof one, "the lock created at %s:%d",
                     str_cstr(l->created.code->filename), l->created.line);
        else
            snprintf(one, sizeof one, "a lock");
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "", one);
    }
    if (a->nlocks > RACE_LOCKS_KEPT && o < n)
        snprintf(buf + o, n - o, " and %d more", a->nlocks - RACE_LOCKS_KEPT);
}

static void value_text(const RaceVal *v, char *buf, size_t n) {
    if (v->kind == VAL_INT)
        snprintf(buf, n, "%lld", (long long)v->i);
    else if (v->kind == VAL_TEXT)
        snprintf(buf, n, "%s", v->s);
    else
        snprintf(buf, n, "a value");
}

static void story_line(Interp *in, const Access *a, bool store, const char *extra) {
    char who[NAME_LEN], val[32];
    thread_name(in, a->tid, who, sizeof who);
    value_text(&a->val, val, sizeof val);
    fprintf(stderr, "    %s %s %s  (%s:%d)%s\n", who, store ? "stores" : "loads", val,
            str_cstr(a->code->filename), line_of(a), extra);
}

static void print_lost(Interp *in, const Lost *lo) {
    char n1[32], n2[32];
    stats_format_thousands(lo->rmw, n1, sizeof n1);
    stats_format_thousands(lo->overwritten > 0 ? (uint64_t)lo->overwritten : 0, n2, sizeof n2);
    bool incs = lo->increments == lo->rmw;
    bool exact = in->mode == MODE_GIL;
    fprintf(stderr, "gilvm --race: lost updates on %s: %s %s executed, %s%s overwritten\n",
            lo->desc, n1, incs ? "increments" : "read-modify-write updates", exact ? "" : "about ",
            n2);
    if (!exact)
        fprintf(stderr, "  (free-threaded the count is an estimate: the detector sees a load or a "
                        "store a moment before or after it lands)\n");
    if (!incs && lo->increments) {
        stats_format_thousands(lo->increments, n1, sizeof n1);
        fprintf(stderr, "  (%s of the updates were increments)\n", n1);
    }
    char who[NAME_LEN], n3[32], extra[NAME_LEN + 80];
    stats_format_thousands(lo->missed - 1, n3, sizeof n3);
    if (lo->story == STORY_CLASSIC || lo->story == STORY_CLASSIC_LONG) {
        fprintf(stderr, "  how an update was lost:\n");
        bool first = lo->load1.tick < lo->load2.tick;
        story_line(in, first ? &lo->load1 : &lo->load2, false, "");
        story_line(in, first ? &lo->load2 : &lo->load1, false, "");
        story_line(in, &lo->store1, true, "");
        if (lo->story == STORY_CLASSIC_LONG)
            fprintf(stderr, "    ... %s more update%s by other threads ...\n", n3,
                    lo->missed == 2 ? "" : "s");
        thread_name(in, lo->store1.tid, who, sizeof who);
        snprintf(extra, sizeof extra, "  <- overwrites the update of %s%s", who,
                 lo->story == STORY_CLASSIC ? "" : " and the ones after it");
        story_line(in, &lo->store2, true, extra);
    } else if (lo->story == STORY_SHORT) {
        fprintf(stderr, "  how updates were lost:\n");
        story_line(in, &lo->load2, false, "");
        stats_format_thousands(lo->missed, n3, sizeof n3);
        snprintf(extra, sizeof extra, "  (the last of %s updates since that load)", n3);
        story_line(in, &lo->store1, true, extra);
        story_line(in, &lo->store2, true, "  <- overwrites them");
    }
}

void race_report(Interp *in) {
    Race *r = in->race;
    if (!r)
        return;
    fflush(stdout);
    pthread_mutex_lock(&r->mu);
    if (r->reported) {
        pthread_mutex_unlock(&r->mu);
        return;
    }
    r->reported = true;
    for (size_t i = 0; i < r->nreports; i++) {
        const Report *rep = &r->reports[i];
        char who[NAME_LEN], at[256], held[256], times[32];
        fprintf(stderr, "gilvm --race: data race on %s\n", rep->desc);
        thread_name(in, rep->cur.tid, who, sizeof who);
        place(&rep->cur, at, sizeof at);
        locks_held(r, &rep->cur, held, sizeof held);
        fprintf(stderr, "  %s by %s at %s, %s\n", rep->cur_write ? "write" : "read", who, at,
                held);
        thread_name(in, rep->prev.tid, who, sizeof who);
        place(&rep->prev, at, sizeof at);
        locks_held(r, &rep->prev, held, sizeof held);
        fprintf(stderr, "  previous %s by %s at %s, %s\n", rep->prev_write ? "write" : "read",
                who, at, held);
        if (rep->count > 1) {
            stats_format_thousands(rep->count, times, sizeof times);
            fprintf(stderr, "  (seen %s times at these lines)\n", times);
        }
    }
    if (r->races_unreported)
        fprintf(stderr, "gilvm --race: %llu more pairs of racing lines not shown\n",
                (unsigned long long)r->races_unreported);
    for (size_t i = 0; i < r->nlost && i < RACE_MAX_LOST; i++)
        if (r->lost[i].overwritten > 0)
            print_lost(in, &r->lost[i]);
    if (r->capped)
        fprintf(stderr, "gilvm --race: tracking stopped after %u locations (new ones were not "
                        "checked)\n", RACE_MAX_LOCATIONS);
    char n1[32];
    stats_format_thousands(r->accesses, n1, sizeof n1);
    size_t pairs = r->nreports + (size_t)r->races_unreported;
    if (pairs == 0)
        fprintf(stderr, "gilvm --race: no data races found (%s accesses checked)\n", n1);
    else
        fprintf(stderr, "gilvm --race: %zu data race%s reported (%s accesses checked; the exit "
                        "status is not changed)\n", pairs, pairs == 1 ? "" : "s", n1);
    if (pairs > 0 && in->sched)
        fprintf(stderr, "gilvm --race: this interleaving comes back with the same flags "
                        "(--seed=%llu)\n", (unsigned long long)sched_seed(in));
    else if (pairs > 0 && in->mode == MODE_GIL)
        fprintf(stderr, "gilvm --race: to replay an interleaving exactly, run with --seed=N "
                        "(and --preempt=instruction)\n");
    pthread_mutex_unlock(&r->mu);
    fflush(stderr);
}
