// Unit tests for vm/alloc.c: every size class, alignment, reuse of freed
// memory (no growth in an allocate/free loop), the hand-over of a finished
// thread's cache, and many threads allocating blocks that other threads
// (some started after the allocating thread ended) check and free.
//
// The allocator is used directly, so this suite also exercises it in the
// ASan and TSan builds (where obj_alloc itself goes to malloc). Worker
// threads only count what they saw; the main thread asserts after joining.
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "alloc.h"

static AllocStats stats(void) {
    AllocStats s;
    alloc_stats(&s);
    return s;
}

// The smallest class that holds [n] bytes.
static size_t best_class(size_t n) {
    for (size_t i = 0; i < alloc_class_count(); i++)
        if (alloc_class_size(i) >= n)
            return alloc_class_size(i);
    return 0;
}

static void test_size_classes(void **state) {
    (void)state;
    assert_true(stats().reserved > 0);
    size_t prev = 0;
    for (size_t i = 0; i < alloc_class_count(); i++) {
        size_t sz = alloc_class_size(i);
        assert_true(sz > prev && sz % 8 == 0);
        prev = sz;
    }
    assert_int_equal(prev, ALLOC_SMALL_MAX);
    // Every request size gets the smallest class that holds it, 8-aligned
    // and writable to its last byte.
    for (size_t n = 0; n <= ALLOC_SMALL_MAX; n++) {
        unsigned char *p = alloc_new(n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 8, 0);
        size_t bs = alloc_block_size(p);
        assert_int_equal(bs, best_class(n ? n : 1));
        memset(p, 0xA5, bs);
        alloc_free(p);
    }
    // Bigger requests come from malloc.
    for (size_t n = ALLOC_SMALL_MAX + 1; n < 5000; n += 777) {
        char *p = alloc_new(n);
        assert_non_null(p);
        assert_int_equal(alloc_block_size(p), 0);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 1, n);
        alloc_free(p);
    }
    alloc_free(NULL);
}

// Live blocks never overlap: fill each with its own index and check them all.
static void test_blocks_distinct(void **state) {
    (void)state;
    enum { N = 20000 };
    static uint32_t *blocks[N];
    for (size_t i = 0; i < N; i++) {
        size_t n = 4 + (i * 37) % 600;
        blocks[i] = alloc_new(n);
        assert_non_null(blocks[i]);
        blocks[i][0] = (uint32_t)i;
        blocks[i][n / 4 - 1] = (uint32_t)i;
    }
    for (size_t i = 0; i < N; i++) {
        size_t n = 4 + (i * 37) % 600;
        assert_int_equal(blocks[i][0], i);
        assert_int_equal(blocks[i][n / 4 - 1], i);
        alloc_free(blocks[i]);
    }
}

// A loop that allocates and frees the same amount needs no new pages after
// its first round.
static void test_reuse(void **state) {
    (void)state;
    enum { N = 30000 };
    static void *blocks[N];
    size_t after_first = 0;
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < N; i++) {
            blocks[i] = alloc_new(24 + (i % 8) * 40);
            assert_non_null(blocks[i]);
            memset(blocks[i], (int)round, 24);
        }
        for (size_t i = 0; i < N; i++)
            alloc_free(blocks[(i * 7919) % N]);   // another order than allocated
        if (round == 0)
            after_first = stats().pages_used;
    }
    assert_int_equal(stats().pages_used, after_first);
}

// --- a finished thread's cache ------------------------------------------------------

enum { HANDOVER_N = 5000 };

static void *alloc_and_free(void *arg) {
    bool explicit_exit = arg != NULL;
    static _Thread_local void *blocks[HANDOVER_N];
    for (size_t i = 0; i < HANDOVER_N; i++)
        blocks[i] = alloc_new(72);
    for (size_t i = 0; i < HANDOVER_N; i++)
        alloc_free(blocks[i]);
    if (explicit_exit)
        alloc_thread_exit();   // else the key destructor does it
    return NULL;
}

static void test_thread_exit_handover(void **state) {
    (void)state;
    for (int explicit_exit = 0; explicit_exit < 2; explicit_exit++) {
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, alloc_and_free, explicit_exit ? &t : NULL), 0);
        assert_int_equal(pthread_join(t, NULL), 0);
        AllocStats s = stats();
        assert_true(s.pooled >= HANDOVER_N);
        // A new thread doing the same reuses the pooled blocks.
        assert_int_equal(pthread_create(&t, NULL, alloc_and_free, explicit_exit ? &t : NULL), 0);
        assert_int_equal(pthread_join(t, NULL), 0);
        assert_int_equal(stats().pages_used, s.pages_used);
    }
}

// --- many threads -------------------------------------------------------------------
//
// Workers share a mailbox of blocks. Each step a worker allocates a block of
// a size chosen from its own sequence, stamps it (size, checksum of its
// writer), swaps it into a random mailbox slot and checks and frees what it
// took out, which is usually another thread's block and sometimes one from
// a thread that has already ended.

enum { SLOTS = 512, WORKERS = 6, ROUNDS = 8, STEPS = 20000 };

typedef struct {
    uint32_t size;
    uint32_t tag;
} Stamp;

static pthread_mutex_t box_lock = PTHREAD_MUTEX_INITIALIZER;
static Stamp *box[SLOTS];
static _Atomic long bad_blocks, checked_blocks;

static uint32_t next_rand(uint32_t *x) {
    *x = *x * 1664525u + 1013904223u;
    return *x >> 8;
}

static Stamp *make_block(uint32_t size, uint32_t tag) {
    Stamp *b = alloc_new(size);
    if (!b)
        return NULL;
    b->size = size;
    b->tag = tag;
    unsigned char *bytes = (unsigned char *)b;
    for (uint32_t i = sizeof(Stamp); i < size; i++)
        bytes[i] = (unsigned char)(tag + i);
    return b;
}

static void check_and_free(Stamp *b) {
    if (!b)
        return;
    unsigned char *bytes = (unsigned char *)b;
    bool ok = b->size >= sizeof(Stamp);
    for (uint32_t i = sizeof(Stamp); ok && i < b->size; i++)
        ok = bytes[i] == (unsigned char)(b->tag + i);
    if (!ok)
        atomic_fetch_add(&bad_blocks, 1);
    atomic_fetch_add(&checked_blocks, 1);
    alloc_free(b);
}

static void *worker(void *arg) {
    uint32_t x = (uint32_t)(uintptr_t)arg * 2654435761u;
    for (int step = 0; step < STEPS; step++) {
        // Mostly object-sized blocks, some beyond the classes (malloc'd).
        uint32_t r = next_rand(&x);
        uint32_t size = sizeof(Stamp) + (r % 16 == 0 ? r % 900 : r % 200);
        Stamp *b = make_block(size, next_rand(&x));
        if (!b) {
            atomic_fetch_add(&bad_blocks, 1);
            continue;
        }
        size_t slot = next_rand(&x) % SLOTS;
        pthread_mutex_lock(&box_lock);
        Stamp *old = box[slot];
        box[slot] = b;
        pthread_mutex_unlock(&box_lock);
        check_and_free(old);
    }
    return NULL;
}

static void test_threads_free_each_others_blocks(void **state) {
    (void)state;
    size_t pages_before = stats().pages_used, pages_after_first = 0;
    for (int round = 0; round < ROUNDS; round++) {
        pthread_t t[WORKERS];
        for (uintptr_t i = 0; i < WORKERS; i++)
            assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(round * WORKERS + i + 1)), 0);
        for (int i = 0; i < WORKERS; i++)
            assert_int_equal(pthread_join(t[i], NULL), 0);
        if (round == 0)
            pages_after_first = stats().pages_used;
    }
    for (size_t i = 0; i < SLOTS; i++) {
        check_and_free(box[i]);
        box[i] = NULL;
    }
    assert_int_equal(atomic_load(&bad_blocks), 0);
    assert_int_equal(atomic_load(&checked_blocks), (long)ROUNDS * WORKERS * STEPS);
    // Ended threads' caches are reused: later rounds need (almost) no new
    // pages. Without the hand-over each round would strand what its workers
    // cache (up to two batches per class each, ~50 pages a worker here), so
    // the later rounds would need ~ROUNDS * WORKERS * 50 pages.
    size_t first = pages_after_first - pages_before;
    size_t later = stats().pages_used - pages_after_first;
    print_message("pages: %zu for the first round, %zu for the %d others\n", first, later,
                  ROUNDS - 1);
    assert_true(later <= first + 64);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_classes),
        cmocka_unit_test(test_blocks_distinct),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_thread_exit_handover),
        cmocka_unit_test(test_threads_free_each_others_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
