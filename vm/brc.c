// Biased reference counting: per-owner merge queues (see brc.h).
#include "brc.h"

#include <pthread.h>

static pthread_mutex_t brc_lock = PTHREAD_MUTEX_INITIALIZER;
static BrcThread *brc_threads;

void brc_thread_register(BrcThread *t, uintptr_t id, _Atomic uint32_t *eval_breaker, uint32_t bit) {
    t->id = id;
    t->eval_breaker = eval_breaker;
    t->bit = bit;
    t->queue = NULL;
    t->n = t->cap = 0;
    pthread_mutex_lock(&brc_lock);
    t->prev = NULL;
    t->next = brc_threads;
    if (brc_threads)
        brc_threads->prev = t;
    brc_threads = t;
    pthread_mutex_unlock(&brc_lock);
}

// Take [t]'s queue (under the lock); *n objects, caller frees the array.
static Object **take_queue(BrcThread *t, size_t *n) {
    Object **q = t->queue;
    *n = t->n;
    t->queue = NULL;
    t->n = t->cap = 0;
    return q;
}

static void merge_all(Object **q, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (obj_merge_counts(q[i], -1) == 0)
            obj_dealloc(q[i]);
    free(q);
}

void brc_merge_queued(BrcThread *t) {
    size_t n;
    pthread_mutex_lock(&brc_lock);
    atomic_fetch_and_explicit(t->eval_breaker, ~t->bit, RELAXED);
    Object **q = take_queue(t, &n);
    pthread_mutex_unlock(&brc_lock);
    merge_all(q, n);
}

void brc_thread_unregister(BrcThread *t) {
    for (;;) {
        size_t n;
        pthread_mutex_lock(&brc_lock);
        Object **q = take_queue(t, &n);
        if (n == 0) {
            if (t->prev)
                t->prev->next = t->next;
            else
                brc_threads = t->next;
            if (t->next)
                t->next->prev = t->prev;
            pthread_mutex_unlock(&brc_lock);
            free(q);
            return;
        }
        pthread_mutex_unlock(&brc_lock);
        merge_all(q, n);   // may queue more (a dealloc drops references)
    }
}

void brc_queue_object(Object *o) {
    uintptr_t owner = atomic_load_explicit(&o->owner, memory_order_acquire);
    if (owner == 0) {
        // The owner merged the counts meanwhile: drop the reference normally.
        obj_decref_shared(o);
        return;
    }
    pthread_mutex_lock(&brc_lock);
    BrcThread *t = brc_threads;
    while (t && t->id != owner)
        t = t->next;
    if (!t) {
        // The owner has exited and nobody writes the local count any more.
        intptr_t count = obj_merge_counts(o, -1);
        pthread_mutex_unlock(&brc_lock);
        if (count == 0)
            obj_dealloc(o);
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        Object **q = realloc(t->queue, cap * sizeof *q);
        if (!q) {
            // Out of memory: the object keeps its queued reference and lives
            // until exit. Nothing is freed too early.
            pthread_mutex_unlock(&brc_lock);
            return;
        }
        t->queue = q;
        t->cap = cap;
    }
    t->queue[t->n++] = o;
    atomic_fetch_or_explicit(t->eval_breaker, t->bit, RELAXED);
    pthread_mutex_unlock(&brc_lock);
}
