// The small-object allocator behind obj_alloc/obj_free.
//
// Why: a program that builds millions of small objects (str.split of a big
// text) spent half its time in glibc malloc and in page faults on fresh 4 KB
// pages. Here fresh memory comes from 2 MB-aligned segments advised with
// MADV_HUGEPAGE (one fault maps 2 MB when transparent huge pages are in
// `madvise` mode), blocks of one size are bump-allocated, and freed blocks
// are reused from per-thread lists without any lock or atomic operation.
//
// Layout. At first use one range of address space is reserved (PROT_NONE,
// 32 GB, or less if the system refuses) and made writable 2 MB at a time as
// it fills ([region], committed grows, never shrinks). It is cut into 16 KB
// pages; a page is given to one size class for good and page_class[] records
// which, so a free needs only the block's address: inside the range means
// ours (class from page_class), outside means malloc's. Requests above
// ALLOC_SMALL_MAX, and every request once the range is exhausted or cannot
// be committed, go to malloc, so a failed allocation is malloc's NULL.
// Size classes step by 8 bytes up to 128 (str objects of short words differ
// by a few bytes), by 16 up to 256 and by 32 up to 512; blocks are 8-byte
// aligned, which is all any object needs (no object holds a long double).
//
// Who owns what:
//   ThreadCache (_Thread_local tcache)  the calling thread only, no lock. Per
//       class: a LIFO [free] list, at most one [spare] batch of freed blocks,
//       and a [bump] range of never-used memory. A block freed by any thread
//       joins the *freeing* thread's list: a block is not tied to a thread,
//       only to its class, so cross-thread frees need nothing special.
//   Pool (pools[c], one per class)  guarded by its [lock]: batches of freed
//       blocks (a batch is a list of up to class_batch[c] blocks; its head
//       block also stores the link to the next batch and the count) and
//       leftover bump ranges of threads that ended.
//   Region  guarded by region.lock: [next] (first page never handed out) and
//       [committed]. [base]/[size] are set once under pthread_once and read
//       without a lock by alloc_free (size with acquire, then base).
//   page_class[i]  written once (relaxed atomic) under region.lock before any
//       block of page i exists; read by alloc_free, which runs after the
//       block's allocation and therefore sees the value.
// A thread's cache holds at most two batches per class (~16 KB): when its
// list fills a batch, the previous spare batch goes to the pool. When a
// thread ends (alloc_thread_exit from thread.c, or the pthread key
// destructor for threads the VM did not start) every list, spare batch and
// bump remainder goes to the pool, so nothing is stranded with a dead thread.
//
// Memory is reused, never returned to the system: a page stays with its
// class, so a program that frees a million 64-byte strs and then allocates
// a million 96-byte tuples needs fresh pages for the tuples.
//
// Sanitizers: the allocator is always built (its unit test runs under ASan
// and TSan), but obj_alloc uses it only when GILVM_SMALL_ALLOC is 1, which
// config.h turns off in ASan/TSan builds so that the sanitizers see every
// object as its own malloc block.
#include "alloc.h"

#include <pthread.h>
#include <sys/mman.h>

#define PG_SHIFT 14
#define PG_SIZE ((size_t)1 << PG_SHIFT)             // a 16 KB page: one size class
#define SEGMENT_SIZE ((size_t)2 << 20)                 // commit step = huge page
#define REGION_MAX ((size_t)32 << 30)                  // first reservation tried
#define REGION_MIN ((size_t)64 << 20)                  // smallest one tried
#define BATCH_BYTES 8192                               // bytes of blocks per batch

#define SIZE_CLASSES(X)                                                           \
    X(32) X(40) X(48) X(56) X(64) X(72) X(80) X(88) X(96) X(104) X(112) X(120)    \
    X(128) X(144) X(160) X(176) X(192) X(208) X(224) X(240) X(256) X(288) X(320) \
    X(352) X(384) X(416) X(448) X(480) X(512)

#define X(s) +1
enum { NCLASSES = 0 SIZE_CLASSES(X) };
#undef X

static const uint16_t class_size[NCLASSES] = {
#define X(s) s,
    SIZE_CLASSES(X)
#undef X
};
static const uint16_t class_batch[NCLASSES] = {
#define X(s) BATCH_BYTES / (s),
    SIZE_CLASSES(X)
#undef X
};
// Class of a request of n bytes: size_class[(n + 7) >> 3], n <= ALLOC_SMALL_MAX.
static const uint8_t size_class[ALLOC_SMALL_MAX / 8 + 1] = {
    0, 0, 0, 0, 0,                                      // 0..32
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,              // 40..128 by 8
    13, 13, 14, 14, 15, 15, 16, 16,                     // 144..256 by 16
    17, 17, 18, 18, 19, 19, 20, 20,
    21, 21, 21, 21, 22, 22, 22, 22, 23, 23, 23, 23,     // 288..512 by 32
    24, 24, 24, 24, 25, 25, 25, 25, 26, 26, 26, 26,
    27, 27, 27, 27, 28, 28, 28, 28,
};
_Static_assert(NCLASSES == 29, "size_class[] lists 29 classes");
_Static_assert(ALLOC_SMALL_MAX == 512, "size_class[] ends at 512");

// A free block. [next] links a list; the head of a pooled batch also holds
// the next batch and the batch's length (every block is >= 32 bytes).
typedef struct Block {
    struct Block *next;
    struct Block *next_batch;
    size_t count;
} Block;

// A leftover bump range [start, end) in the pool, described in its first block.
typedef struct Range {
    char *end;
    struct Range *next;
} Range;

typedef struct {
    Block *free;
    uint32_t nfree;
    Block *spare;          // a full batch, or NULL
    char *bump, *bump_end;
} ClassCache;

typedef struct {
    ClassCache cls[NCLASSES];
    bool registered;       // the key destructor will flush this cache
} ThreadCache;

typedef struct {
    pthread_mutex_t lock;
    Block *batches;
    Range *ranges;
    size_t nblocks;        // blocks in [batches]
} Pool;

static _Thread_local ThreadCache tcache;

static Pool pools[NCLASSES];

static struct {
    pthread_once_t once;
    pthread_mutex_t lock;
    pthread_key_t key;
    _Atomic uintptr_t base;
    _Atomic size_t size;
    size_t next;
    size_t committed;
} region = {.once = PTHREAD_ONCE_INIT, .lock = PTHREAD_MUTEX_INITIALIZER};

static _Atomic uint8_t page_class[REGION_MAX >> PG_SHIFT];

// --- the region -------------------------------------------------------------------

static void thread_cache_destructor(void *arg);

static void region_init(void) {
    for (size_t i = 0; i < NCLASSES; i++)
        pthread_mutex_init(&pools[i].lock, NULL);
    pthread_key_create(&region.key, thread_cache_destructor);
    // Reserve with room to align the start to a segment, then trim.
    for (size_t size = REGION_MAX; size >= REGION_MIN; size /= 2) {
        size_t span = size + SEGMENT_SIZE;
        char *p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (p == MAP_FAILED)
            continue;
        uintptr_t start = ((uintptr_t)p + SEGMENT_SIZE - 1) & ~(uintptr_t)(SEGMENT_SIZE - 1);
        size_t head = start - (uintptr_t)p;
        if (head)
            munmap(p, head);
        if (SEGMENT_SIZE - head)
            munmap((char *)start + size, SEGMENT_SIZE - head);
        // [size] last, with release: a thread that reads a non-zero size
        // (acquire) also sees [base].
        atomic_store_explicit(&region.base, start, RELAXED);
        atomic_store_explicit(&region.size, size, memory_order_release);
        return;
    }
    // No reservation: every block comes from malloc.
}

// A fresh page for class [c], or NULL when the region is full or cannot grow.
static char *region_page(unsigned c) {
    size_t size = atomic_load_explicit(&region.size, memory_order_acquire);
    char *base = (char *)atomic_load_explicit(&region.base, RELAXED);
    if (!size)
        return NULL;
    char *page = NULL;
    pthread_mutex_lock(&region.lock);
    if (region.next + PG_SIZE <= size) {
        if (region.next + PG_SIZE > region.committed) {
            char *seg = base + region.committed;
            if (mprotect(seg, SEGMENT_SIZE, PROT_READ | PROT_WRITE) == 0) {
                // Advice only: without huge pages the segment still works.
                (void)madvise(seg, SEGMENT_SIZE, MADV_HUGEPAGE);
                region.committed += SEGMENT_SIZE;
            }
        }
        if (region.next + PG_SIZE <= region.committed) {
            page = base + region.next;
            atomic_store_explicit(&page_class[region.next >> PG_SHIFT], (uint8_t)c, RELAXED);
            region.next += PG_SIZE;
        }
    }
    pthread_mutex_unlock(&region.lock);
    return page;
}

// --- the pool ---------------------------------------------------------------------

static void pool_put_batch(unsigned c, Block *head, size_t count) {
    Pool *p = &pools[c];
    head->count = count;
    pthread_mutex_lock(&p->lock);
    head->next_batch = p->batches;
    p->batches = head;
    p->nblocks += count;
    pthread_mutex_unlock(&p->lock);
}

static void pool_put_range(unsigned c, char *start, char *end) {
    Pool *p = &pools[c];
    Range *r = (Range *)start;
    r->end = end;
    pthread_mutex_lock(&p->lock);
    r->next = p->ranges;
    p->ranges = r;
    pthread_mutex_unlock(&p->lock);
}

// Refill an empty cache from the pool: a batch of freed blocks, else a
// leftover range. False when the pool has neither.
static bool pool_take(unsigned c, ClassCache *cc) {
    Pool *p = &pools[c];
    bool got = false;
    pthread_mutex_lock(&p->lock);
    if (p->batches) {
        Block *b = p->batches;
        p->batches = b->next_batch;
        p->nblocks -= b->count;
        cc->free = b;
        cc->nfree = (uint32_t)b->count;
        got = true;
    } else if (p->ranges) {
        Range *r = p->ranges;
        p->ranges = r->next;
        cc->bump = (char *)r;
        cc->bump_end = r->end;
        got = true;
    }
    pthread_mutex_unlock(&p->lock);
    return got;
}

// --- thread caches ----------------------------------------------------------------

static void cache_register(void) {
    pthread_once(&region.once, region_init);
    if (!tcache.registered) {
        tcache.registered = true;
        pthread_setspecific(region.key, &tcache);
    }
}

static void cache_flush(void) {
    for (unsigned c = 0; c < NCLASSES; c++) {
        ClassCache *cc = &tcache.cls[c];
        if (cc->free)
            pool_put_batch(c, cc->free, cc->nfree);
        if (cc->spare)
            pool_put_batch(c, cc->spare, class_batch[c]);
        if ((uintptr_t)cc->bump < (uintptr_t)cc->bump_end)
            pool_put_range(c, cc->bump, cc->bump_end);
        *cc = (ClassCache){0};
    }
    tcache.registered = false;
}

static void thread_cache_destructor(void *arg) {
    UNUSED(arg);
    cache_flush();
}

void alloc_thread_exit(void) { cache_flush(); }

// --- allocation -------------------------------------------------------------------

static void *alloc_slow(unsigned c) {
    ClassCache *cc = &tcache.cls[c];
    size_t size = class_size[c];
    cache_register();
    if (cc->spare) {
        cc->free = cc->spare;
        cc->nfree = class_batch[c];
        cc->spare = NULL;
    } else if (!pool_take(c, cc)) {
        char *page = region_page(c);
        if (!page)
            return malloc(size);
        cc->bump = page;
        cc->bump_end = page + PG_SIZE / size * size;
    }
    // Now the list or the bump range has a block.
    Block *b = cc->free;
    if (b) {
        cc->free = b->next;
        cc->nfree--;
        return b;
    }
    char *p = cc->bump;
    cc->bump = p + size;
    return p;
}

void *alloc_new(size_t size) {
    if (UNLIKELY(size > ALLOC_SMALL_MAX))
        return malloc(size);
    unsigned c = size_class[(size + 7) >> 3];
    ClassCache *cc = &tcache.cls[c];
    Block *b = cc->free;
    if (LIKELY(b)) {
        cc->free = b->next;
        cc->nfree--;
        return b;
    }
    // A bump range ends on a block boundary, so it has a block while
    // bump < bump_end (both NULL when there is none).
    char *p = cc->bump;
    if (LIKELY((uintptr_t)p < (uintptr_t)cc->bump_end)) {
        cc->bump = p + class_size[c];
        return p;
    }
    return alloc_slow(c);
}

// The list of class [c] just reached a full batch: keep it as the spare,
// sending the previous spare to the pool.
static void free_slow(unsigned c, ClassCache *cc) {
    cache_register();
    if (cc->spare)
        pool_put_batch(c, cc->spare, class_batch[c]);
    cc->spare = cc->free;
    cc->free = NULL;
    cc->nfree = 0;
}

void alloc_free(void *ptr) {
    size_t size = atomic_load_explicit(&region.size, memory_order_acquire);
    uintptr_t off = (uintptr_t)ptr - atomic_load_explicit(&region.base, RELAXED);
    if (UNLIKELY(off >= size)) {
        free(ptr);
        return;
    }
    unsigned c = atomic_load_explicit(&page_class[off >> PG_SHIFT], RELAXED);
    ClassCache *cc = &tcache.cls[c];
    Block *b = ptr;
    b->next = cc->free;
    cc->free = b;
    if (UNLIKELY(++cc->nfree >= class_batch[c]))
        free_slow(c, cc);
}

size_t alloc_block_size(const void *ptr) {
    size_t size = atomic_load_explicit(&region.size, memory_order_acquire);
    uintptr_t off = (uintptr_t)ptr - atomic_load_explicit(&region.base, RELAXED);
    if (off >= size)
        return 0;
    return class_size[atomic_load_explicit(&page_class[off >> PG_SHIFT], RELAXED)];
}

// --- figures ----------------------------------------------------------------------

void alloc_stats(AllocStats *out) {
    pthread_once(&region.once, region_init);
    *out = (AllocStats){.reserved = atomic_load_explicit(&region.size, RELAXED)};
    pthread_mutex_lock(&region.lock);
    out->committed = region.committed;
    out->pages_used = region.next / PG_SIZE;
    pthread_mutex_unlock(&region.lock);
    for (unsigned c = 0; c < NCLASSES; c++) {
        pthread_mutex_lock(&pools[c].lock);
        out->pooled += pools[c].nblocks;
        pthread_mutex_unlock(&pools[c].lock);
    }
}

size_t alloc_class_count(void) { return NCLASSES; }

size_t alloc_class_size(size_t i) { return i < NCLASSES ? class_size[i] : 0; }
