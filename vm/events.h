// Per-thread counters and event rings (DESIGN.md decision 10).
//
// Every thread owns three things here:
//   - ThreadStats (in its ThreadState): counters bumped on the hot path with
//     no lock and no atomic read-modify-write. Only the owning thread writes
//     them (STATS_ADD / STATS_INC: a relaxed load and a relaxed store, plain
//     moves on x86); any thread may read them with relaxed loads, so a live
//     reader sees a slightly old value, never a torn one.
//   - a ThreadLog (owned by the Interp, in creation order): its name, its
//     start and end, and, once the thread has finished, a final copy of all
//     its figures. Logs outlive thread states, so a finished thread still
//     appears in --stats, --timeline and --trace.
//   - an EventRing (only while events are recorded: --timeline, --trace, or
//     a consumer that calls for them): timestamped state changes, written by
//     the owning thread without locks, readable by any thread at any time.
//
// Recording is off by default: then no ring exists, the GIL has no event
// hook, and the only costs are the counters (one register increment per
// bytecode, flushed at preemption points and when the loop exits; two clock
// reads per blocking call).
//
// Bounds: a ring keeps the newest EVENTS_RING_CHUNKS * EVENTS_CHUNK_EVENTS
// events of its thread (older ones are overwritten and counted as dropped).
// Chunks are allocated as the ring fills, and all rings together may hold at
// most EVENTS_TOTAL_CHUNKS chunks; past that a thread without room loses new
// events (counted as lost). Logs themselves are small (~400 bytes) and kept
// for every thread ever started until the interpreter is freed.
#ifndef GILVM_EVENTS_H
#define GILVM_EVENTS_H

#include <pthread.h>
#include <time.h>

#include "common.h"
#include "gil.h"

typedef struct Code Code;
typedef struct ThreadState ThreadState;
typedef struct Interp Interp;

typedef enum {
    EV_START = 1,          // the thread exists and is about to take the GIL
    EV_GIL_WANT,           // found the GIL held and waits for it
    EV_GIL_ACQUIRED,       // holds the GIL: runs bytecode from here (GIL mode)
    EV_GIL_DROP_REQUEST,   // waited one interval and asked the holder to let go
    EV_GIL_FORCED,         // the holder honours a drop request (a forced switch)
    EV_GIL_RELEASED,       // let go of the GIL
    EV_BLOCK,              // entered the blocking bracket: kind, object, line
    EV_UNBLOCK,            // the wait is over (it takes the GIL back next)
    EV_FINISH,             // the thread is done; nothing follows
} EventType;

// What a blocked thread waits for. Lock-based waits are refined from the
// Python frames that led to them (threading.Event.wait -> WAIT_EVENT,
// queue.Queue.get -> WAIT_QUEUE, Thread.join -> WAIT_JOIN, ...).
typedef enum {
    WAIT_IO,
    WAIT_SLEEP,
    WAIT_LOCK,
    WAIT_RLOCK,
    WAIT_CONDITION,
    WAIT_EVENT,
    WAIT_SEMAPHORE,
    WAIT_BARRIER,
    WAIT_QUEUE,
    WAIT_JOIN,
    WAIT_KINDS
} WaitKind;

// "lock", "sleep", ... (also the JSON keys).
const char *events_wait_kind_name(int kind);
// Sleeping and I/O, as opposed to waiting for another thread.
static inline bool events_kind_is_sleep(int kind) {
    return kind == WAIT_IO || kind == WAIT_SLEEP;
}

typedef struct {
    uint64_t ns;             // CLOCK_MONOTONIC
    uint8_t type;            // EventType
    uint8_t kind;            // EV_BLOCK: WaitKind
    int32_t line;            // EV_BLOCK: line in [code] that blocked (0 = unknown)
    uintptr_t obj;           // EV_BLOCK: what it waits on (id() of the Python object
                             // when known, else the C primitive's address; 0 = none)
    const Code *code;        // EV_BLOCK: the user code that blocked, or NULL
} Event;

// One stored event: four words, each written and read atomically (relaxed),
// so a reader racing with the writer gets stale or discarded data, never UB.
typedef struct {
    _Atomic uint64_t w[4];
} EventSlot;

#define EVENTS_RING_CAP ((uint64_t)EVENTS_RING_CHUNKS * EVENTS_CHUNK_EVENTS)

// Single writer (the owning thread), any number of readers. Event i lives in
// chunk (i / EVENTS_CHUNK_EVENTS) % EVENTS_RING_CHUNKS. The writer bumps
// [begun] before touching a slot and [done] after (a seqlock over indices):
// a reader copies [done - CAP, done) and then keeps only the entries that
// [begun] shows were not being overwritten meanwhile.
typedef struct EventRing {
    _Atomic uint64_t begun, done;
    _Atomic uint64_t lost;                    // not recorded: no memory for a chunk
    _Atomic(EventSlot *) chunks[EVENTS_RING_CHUNKS];
} EventRing;

// Counters of one thread (see the top of this file for who writes them).
typedef struct ThreadStats {
    _Atomic uint64_t bytecodes;               // instructions executed
    _Atomic uint64_t blocked_ns[WAIT_KINDS];  // time inside the blocking bracket, by kind
    _Atomic uint64_t blocks[WAIT_KINDS];      // brackets entered, by kind
    // Free-threaded mode (incremented by that mode's code):
    _Atomic uint64_t lock_contended;          // per-object locks found held by another thread
    _Atomic uint64_t rc_cross_thread;         // refcount operations on objects owned elsewhere
    // Owner only: the bracket in progress.
    uint64_t block_since;
    int block_kind;
} ThreadStats;

#define STATS_ADD(field, n) \
    atomic_store_explicit(&(field), atomic_load_explicit(&(field), RELAXED) + (n), RELAXED)
#define STATS_INC(field) STATS_ADD(field, 1)
#define STATS_GET(field) atomic_load_explicit(&(field), RELAXED)

// Everything reported about one thread, as plain numbers.
typedef struct ThreadFigures {
    uint64_t id;
    char name[64];
    bool daemon;             // threading daemon, or a bare _thread thread
    bool finished;
    uint64_t start_ns, end_ns;   // end = report time for threads still alive
    uint64_t cpu_ns;
    uint64_t bytecodes;
    uint64_t blocked_ns[WAIT_KINDS], blocks[WAIT_KINDS];
    uint64_t lock_contended, rc_cross_thread;
    GilThreadStats gil;
} ThreadFigures;

typedef struct ThreadLog {
    struct ThreadLog *next;  // Interp.events.logs order (Interp.lock)
    uint64_t id;
    ThreadState *ts;         // while the thread state exists (Interp.lock)
    char name[64];           // Interp.lock
    bool daemon;             // Interp.lock
    bool started;            // Interp.lock: the OS thread ran
    pthread_t thread;        // valid while ts is set and started
    uint64_t start_ns;       // Interp.lock
    uint64_t start_cpu_ns;   // Interp.lock: the thread's CPU clock at start
    _Atomic bool done;       // [final] is complete (release / acquire)
    ThreadFigures final;
    EventRing *ring;         // NULL unless recording; freed with the log
} ThreadLog;

// The interpreter's part (Interp.events).
typedef struct Events {
    bool recording;          // rings on; fixed before the first thread starts
    uint64_t start_ns;       // time zero of every report
    uint64_t start_cpu_ns;   // process CPU time then (parallelism covers the same span)
    ThreadLog *logs, *logs_tail;          // Interp.lock
    _Atomic int64_t chunks_left;          // EVENTS_TOTAL_CHUNKS budget
} Events;

// --- life cycle (state.c, thread.c) --------------------------------------------------
// Before the main thread exists. [recording]: keep event rings.
void events_init(Interp *in, bool recording);
// Give [ts] (just created, id assigned) its log; -1 if out of memory.
int events_log_new(Interp *in, ThreadState *ts);
// The thread state goes away (Interp.lock held): the log stays.
void events_log_detach(ThreadState *ts);
// Free every log (no thread may run any more).
void events_free(Interp *in);

// --- recording (the owning thread only) ------------------------------------------------
static inline uint64_t events_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
// The OS thread begins running [ts] (before it first takes the GIL).
void events_thread_attach(ThreadState *ts);
// The thread is done and no longer holds the GIL: freeze its figures.
void events_thread_finish(ThreadState *ts);
// The outermost blocking bracket begins / ends. [on] is the primitive waited
// on (NULL for sleep and I/O); the kind is refined from the Python frames.
void events_block(ThreadState *ts, int kind, const void *on);
void events_unblock(ThreadState *ts);
// The holder is about to honour a drop request.
void events_gil_forced(ThreadState *ts);
// The GilEventFn installed on Interp.gil while recording.
void events_gil_hook(void *ctx, GilThread *t, int event, uint64_t ns);
// threading tells the VM the calling thread's name and whether it is a
// daemon (_thread.set_name, _thread._set_daemon).
void events_set_name(ThreadState *ts, const char *name);
void events_set_daemon(ThreadState *ts, bool daemon);

// --- reading (any thread) ------------------------------------------------------------
typedef struct {
    ThreadFigures fig;
    Event *events;           // oldest first; NULL unless asked for and recording
    size_t nevents;
    uint64_t dropped;        // older events overwritten in the ring
    uint64_t lost;           // events never recorded (no memory)
} ThreadSnapshot;

// Figures (and, with [with_events], the events) of every thread that ran, in
// order of creation. Threads still alive are read as they are now. Returns
// NULL (and *n = 0) on allocation failure.
ThreadSnapshot *events_snapshot(Interp *in, bool with_events, size_t *n);
void events_snapshot_free(ThreadSnapshot *s, size_t n);
// Copy the events still in [r], oldest first, into [out] (room for
// EVENTS_RING_CAP); returns how many. *[dropped]: older events overwritten.
size_t events_ring_read(EventRing *r, Event *out, uint64_t *dropped);
// What a thread was doing over a stretch of time, rebuilt from its events.
typedef enum {
    ACT_NONE,       // not started yet, or finished
    ACT_UNKNOWN,    // before the oldest event kept in the ring
    ACT_RUNNING,    // GIL mode: holds the GIL; free-threaded: not blocked
    ACT_GIL_WAIT,   // wants the GIL (also the moment between a release and the retake)
    ACT_BLOCKED,    // waits for another thread: lock, condition, event, queue, join...
    ACT_SLEEP,      // time.sleep or I/O
} Activity;

typedef struct {
    uint64_t start_ns, end_ns;
    Activity act;
    const Event *cause;      // ACT_BLOCKED / ACT_SLEEP: the EV_BLOCK event
} Segment;

// The activities of [t] from its start to fig.end_ns, in order, adjacent
// segments never equal (NULL on allocation failure; free() the result).
// [gil]: the interpreter ran in GIL mode.
Segment *events_segments(const ThreadSnapshot *t, bool gil, size_t *n);

// Give threads that are finishing (not daemons, their Python code done) up to
// [timeout_ms] to freeze their figures, with the GIL released.
void events_wait_for_finishing(Interp *in, int timeout_ms);

#endif
