// lockorder: --lock-order, the lock-order inversion warnings (see
// lockorder.h); the idea of the Linux kernel's lockdep.
//
// Each thread keeps the program locks it holds, in acquisition order
// (ThreadState.lo_held). Acquiring B while holding A records the edge A -> B
// once, with the thread and the two places of its first occurrence; this
// happens before waiting for B, as lockdep does, so a warning comes even when
// this very acquire deadlocks. When
// the edge B -> A is already known, two acquisitions took the same locks in
// opposite orders: had they overlapped in time, each thread could have held
// its first lock and waited forever for the other's. One warning per set of
// four places (both places of both orders) goes to stderr; the program goes
// on. An acquire with a timeout adds no edge (it cannot wait forever; the
// kernel's trylock rule). Locks are identified by their deadlock_lock_id, never reused (an
// address can be, once a lock is freed). Only locks the program created
// count: threading's own (a Condition's waiter locks, which a wait takes
// while holding the condition's lock and keeps while re-taking it) would
// "invert" on every wait.
//
// Locking. One mutex [mu] guards the edge table, the list of warnings given
// and every thread's held list: a Lock may be released by a thread other
// than its holder, which then edits the holder's list. A held entry is
// pushed only if, under [mu], the thread still owns the lock, so a release
// racing with the push cannot leave a stale entry. Lock order: [mu], then
// interp->lock, then a sync mutex; [mu] may be taken with the GIL held,
// never the reverse. Names are looked up outside [mu]: a thread's name once,
// at its first tracked acquire (dict lookups); lock names for a warning by
// iterating dicts in GIL mode (holding the GIL), by looking up only the
// names the acquiring code mentions in the free-threaded mode, where other
// threads may be changing a dict while it would be iterated.
#include "lockorder.h"

#include <string.h>

#include "deadlock.h"
#include "str.h"
#include "sync.h"

#define NAME_LEN 160

typedef struct {
    uint64_t id;
    Value lock;              // compared, never dereferenced: it may be gone
    int kind;
    DeadlockPlace at;
} Held;

typedef struct LockOrderHeld LockOrderHeld;
struct LockOrderHeld {
    Held *v;
    size_t n, cap;
    char name[NAME_LEN];     // the thread's name at its first tracked acquire
};

typedef struct {
    uint64_t a, b;           // a was held while b was taken; a == 0: empty slot
    char *thread;            // who did it first (owned)
    DeadlockPlace at_a, at_b;
} Edge;

typedef struct {
    DeadlockPlace p[4];
} Warned;

struct LockOrder {
    pthread_mutex_t mu;
    Edge *edges;             // open addressing, cap a power of two
    size_t nedges, cap;
    Warned *warned;
    size_t nwarned, capwarned;
};

int lockorder_enable(Interp *in) {
    LockOrder *lo = calloc(1, sizeof(LockOrder));
    if (!lo)
        return -1;
    lo->cap = 64;
    lo->edges = calloc(lo->cap, sizeof(Edge));
    if (!lo->edges || pthread_mutex_init(&lo->mu, NULL) != 0) {
        free(lo->edges);
        free(lo);
        return -1;
    }
    in->lock_order = lo;
    return 0;
}

static void held_free(LockOrderHeld *h) {
    if (h) {
        free(h->v);
        free(h);
    }
}

void lockorder_free(Interp *in) {
    LockOrder *lo = in->lock_order;
    if (!lo)
        return;
    for (ThreadState *t = in->threads; t; t = t->next) {
        held_free(t->lo_held);
        t->lo_held = NULL;
    }
    for (size_t i = 0; i < lo->cap; i++)
        free(lo->edges[i].thread);
    free(lo->edges);
    free(lo->warned);
    pthread_mutex_destroy(&lo->mu);
    free(lo);
    in->lock_order = NULL;
}

// --- the edge table (under mu) -----------------------------------------------------

static size_t edge_slot(const Edge *edges, size_t cap, uint64_t a, uint64_t b) {
    size_t mask = cap - 1;
    size_t h = (size_t)((a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full)) >> 7;
    for (;; h++) {
        const Edge *e = &edges[h & mask];
        if (e->a == 0 || (e->a == a && e->b == b))
            return h & mask;
    }
}

static Edge *edge_find(LockOrder *lo, uint64_t a, uint64_t b) {
    Edge *e = &lo->edges[edge_slot(lo->edges, lo->cap, a, b)];
    return e->a ? e : NULL;
}

static void edge_add(LockOrder *lo, uint64_t a, uint64_t b, const char *thread,
                     DeadlockPlace at_a, DeadlockPlace at_b) {
    if ((lo->nedges + 1) * 2 > lo->cap) {
        size_t cap = lo->cap * 2;
        Edge *edges = calloc(cap, sizeof(Edge));
        if (!edges)
            return;
        for (size_t i = 0; i < lo->cap; i++)
            if (lo->edges[i].a)
                edges[edge_slot(edges, cap, lo->edges[i].a, lo->edges[i].b)] = lo->edges[i];
        free(lo->edges);
        lo->edges = edges;
        lo->cap = cap;
    }
    char *name = strdup(thread);
    if (!name)
        return;
    lo->edges[edge_slot(lo->edges, lo->cap, a, b)] = (Edge){a, b, name, at_a, at_b};
    lo->nedges++;
}

static bool same_place(DeadlockPlace x, DeadlockPlace y) {
    return x.code == y.code && x.line == y.line;
}

// True the first time these two orders at these four places are seen
// (whichever came first).
static bool first_warning(LockOrder *lo, Warned w) {
    for (size_t i = 0; i < lo->nwarned; i++) {
        bool same = true, swapped = true;
        for (int k = 0; k < 4; k++) {
            same &= same_place(lo->warned[i].p[k], w.p[k]);
            swapped &= same_place(lo->warned[i].p[k], w.p[(k + 2) % 4]);
        }
        if (same || swapped)
            return false;
    }
    if (lo->nwarned == lo->capwarned) {
        size_t cap = lo->capwarned ? lo->capwarned * 2 : 8;
        Warned *v = realloc(lo->warned, cap * sizeof(Warned));
        if (!v)
            return true;
        lo->warned = v;
        lo->capwarned = cap;
    }
    lo->warned[lo->nwarned++] = w;
    return true;
}

// --- held lists (under mu) ---------------------------------------------------------

static void held_push(LockOrderHeld *h, Held e) {
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        Held *v = realloc(h->v, cap * sizeof(Held));
        if (!v)
            return;
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = e;
}

static bool held_remove(LockOrderHeld *h, uint64_t id) {
    for (size_t i = h ? h->n : 0; i-- > 0;) {
        if (h->v[i].id == id) {
            memmove(&h->v[i], &h->v[i + 1], (h->n - i - 1) * sizeof(Held));
            h->n--;
            return true;
        }
    }
    return false;
}

// --- acquire and release ---------------------------------------------------------------

typedef struct {
    const char *first_thread;       // took b then a
    DeadlockPlace first_b, first_a;
    Held a;                          // this thread: a (held) then b (now)
    Value b;
    int b_kind;
    DeadlockPlace now;
} Inversion;

static void lock_name(ThreadState *ts, Value lock, int kind, char *buf, size_t n) {
    // Globals only: a local name would be this thread's, not the other's.
    if (deadlock_object_name(ts, lock, ts->interp->mode == MODE_GIL ? DEADLOCK_NAME_ITERATE : 0,
                             buf, n))
        return;
    snprintf(buf, n, "%s at %p", kind == SYNC_WAIT_RLOCK ? "RLock" : "Lock", (void *)lock);
}

static void short_place(DeadlockPlace p, char *buf, size_t n) {
    if (p.code)
        snprintf(buf, n, "%s:%d", str_cstr(p.code->filename), p.line);
    else
        snprintf(buf, n, "unknown line");
}

static void warn(ThreadState *ts, const char *me, const Inversion *v) {
    char a[NAME_LEN], b[NAME_LEN], p1[NAME_LEN], p2[NAME_LEN], p3[NAME_LEN], p4[NAME_LEN];
    lock_name(ts, v->a.lock, v->a.kind, a, sizeof a);
    lock_name(ts, v->b, v->b_kind, b, sizeof b);
    short_place(v->first_b, p1, sizeof p1);
    short_place(v->first_a, p2, sizeof p2);
    short_place(v->a.at, p3, sizeof p3);
    short_place(v->now, p4, sizeof p4);
    fflush(stdout);
    fprintf(stderr,
            "lock-order inversion: %s took %s (%s) then %s (%s); %s took %s (%s) then %s (%s)\n"
            "  (when these run at the same time, each thread can hold its first lock and wait "
            "forever for the other's: take the locks in one order everywhere)\n",
            v->first_thread, b, p1, a, p2, me, a, p3, b, p4);
    fflush(stderr);
}

static bool still_owned(ThreadState *ts, int kind, const void *sync) {
    uint64_t owner = kind == SYNC_WAIT_RLOCK ? sync_rlock_owner((SyncRLock *)sync, NULL, NULL)
                                             : sync_lock_owner((SyncLock *)sync, NULL);
    return owner == ts->id;
}

// [ts]'s held list, made (and the thread named) at its first tracked lock.
static LockOrderHeld *held_of(LockOrder *lo, ThreadState *ts) {
    if (!ts->lo_held) {
        // Only this thread allocates its list; others read it under mu.
        LockOrderHeld *h = calloc(1, sizeof(LockOrderHeld));
        if (!h)
            return NULL;
        deadlock_thread_name(ts->interp, ts->id, h->name, sizeof h->name);
        pthread_mutex_lock(&lo->mu);
        ts->lo_held = h;
        pthread_mutex_unlock(&lo->mu);
    }
    return ts->lo_held;
}

void lockorder_acquiring_tracked(ThreadState *ts, Value lock, uint64_t id, int kind,
                                 const void *sync) {
    LockOrder *lo = ts->interp->lock_order;
    if (!lo || id == 0 || (kind == SYNC_WAIT_RLOCK && still_owned(ts, kind, sync)))
        return;
    LockOrderHeld *h = held_of(lo, ts);
    if (!h)
        return;
    DeadlockPlace now = deadlock_user_place(ts);
    Inversion found[4];
    size_t nfound = 0;
    pthread_mutex_lock(&lo->mu);
    for (size_t i = 0; i < h->n; i++) {
        Held *a = &h->v[i];
        if (a->id == id)
            continue;
        if (!edge_find(lo, a->id, id))
            edge_add(lo, a->id, id, h->name, a->at, now);
        Edge *rev = edge_find(lo, id, a->id);
        if (rev && nfound < ARRAY_LEN(found) &&
            first_warning(lo, (Warned){{rev->at_a, rev->at_b, a->at, now}}))
            found[nfound++] = (Inversion){rev->thread, rev->at_a, rev->at_b, *a, lock, kind, now};
    }
    pthread_mutex_unlock(&lo->mu);
    for (size_t i = 0; i < nfound; i++)
        warn(ts, h->name, &found[i]);
}

void lockorder_acquired_tracked(ThreadState *ts, Value lock, uint64_t id, int kind,
                                const void *sync) {
    LockOrder *lo = ts->interp->lock_order;
    if (!lo || id == 0)
        return;
    if (kind == SYNC_WAIT_RLOCK) {
        uint64_t count = 0;
        sync_rlock_owner((SyncRLock *)sync, &count, NULL);
        if (count != 1)
            return;
    }
    LockOrderHeld *h = held_of(lo, ts);
    if (!h)
        return;
    DeadlockPlace now = deadlock_user_place(ts);
    pthread_mutex_lock(&lo->mu);
    if (still_owned(ts, kind, sync))
        held_push(h, (Held){id, lock, kind, now});
    pthread_mutex_unlock(&lo->mu);
}

void lockorder_released_tracked(ThreadState *ts, uint64_t id, int kind, const void *sync) {
    LockOrder *lo = ts->interp->lock_order;
    if (!lo || id == 0)
        return;
    if (kind == SYNC_WAIT_RLOCK && still_owned(ts, kind, sync))
        return;   // an inner release of a recursive acquire
    pthread_mutex_lock(&lo->mu);
    if (!held_remove(ts->lo_held, id)) {
        // A Lock released by another thread than the one that took it.
        Interp *in = ts->interp;
        pthread_mutex_lock(&in->lock);
        for (ThreadState *t = in->threads; t; t = t->next)
            if (t != ts && held_remove(t->lo_held, id))
                break;
        pthread_mutex_unlock(&in->lock);
    }
    pthread_mutex_unlock(&lo->mu);
}

void lockorder_thread_exit(ThreadState *ts) {
    LockOrder *lo = ts->interp->lock_order;
    if (!lo)
        return;
    pthread_mutex_lock(&lo->mu);
    LockOrderHeld *h = ts->lo_held;
    ts->lo_held = NULL;
    pthread_mutex_unlock(&lo->mu);
    held_free(h);
}
