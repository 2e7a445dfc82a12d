// Interpreter state and per-thread state.
//
// Interp holds everything a running program shares: the mode, modules, the
// builtins, the thread list. ThreadState belongs to one OS thread: its frame
// chain, its data stack, the exception being raised, the eval breaker. The
// running thread's state is `ts_cur` (thread-local); nothing else about a run
// lives in a C global. What is process-wide on purpose: static type objects,
// the immortal singletons and the intern table (runtime.c), all immutable
// after start-up or guarded by their own lock.
//
// Frames live on a per-thread data stack (chunks that grow on demand); a
// generator's frame lives in the generator object and is linked into the
// chain only while it runs.
#ifndef GILVM_STATE_H
#define GILVM_STATE_H

#include <pthread.h>

#include "brc.h"
#include "code.h"
#include "events.h"
#include "gil.h"
#include "object.h"
#include "sync.h"

typedef enum { MODE_GIL = 0, MODE_FREE = 1 } InterpMode;

typedef struct Frame Frame;
typedef struct ThreadState ThreadState;
typedef struct Interp Interp;

enum {
    FRAME_ENTRY = 1 << 0,   // RETURN_VALUE/YIELD leave interp_run
    FRAME_HEAP = 1 << 1,    // owned by a generator, not on the data stack
};
enum { FRAME_CREATED, FRAME_RUNNING, FRAME_SUSPENDED, FRAME_DONE };

struct Frame {
    Code *code;
    Value func;             // the Function being run (owned)
    Value globals;          // Dict, borrowed from func
    Value builtins;         // Dict, borrowed from the interpreter
    Value locals;           // Dict for module and class bodies (owned), else VAL_NULL
    Frame *prev;
    uint32_t *ip;           // next instruction; saved before anything that can call out
    Value *sp;              // stack top, saved with ip
    void *gen;              // owning generator, or NULL
    uint32_t flags;
    uint32_t state;         // FRAME_RUNNING / FRAME_SUSPENDED / FRAME_DONE
    Value slots[];          // see code.h for the layout
};

static inline Value *frame_stack_base(Frame *f) {
    return f->slots + f->code->nlocals + f->code->ncells + f->code->nfree;
}
// Index of the instruction being executed (for tracebacks and line numbers).
static inline uint32_t frame_lasti(const Frame *f) {
    return f->ip > f->code->instrs ? (uint32_t)(f->ip - f->code->instrs - 1) : 0;
}

// Eval breaker bits: set by anyone, checked by the thread at preemption points.
enum {
    EB_SIGNAL = 1 << 0,      // Ctrl-C or another signal is pending
    EB_GIL_DROP = 1 << 1,    // another thread asks for the GIL
    EB_ASYNC_EXC = 1 << 2,   // an asynchronous exception waits for this thread
    EB_STOP_WORLD = 1 << 3,  // a stop-the-world request
    EB_SCHED = 1 << 4,       // the scheduler (stepping/seeded) wants a decision
    EB_BRC_MERGE = 1 << 5,   // objects wait in this thread's merge queue (brc.c)
};

typedef struct StackChunk StackChunk;

// Per-thread cache of type attribute lookups (type_lookup in class.c):
// entries are valid while their epoch equals the global type epoch, which
// every change to a class's namespace advances.
#define MCACHE_SIZE 512
typedef struct {
    void *type;
    Value name;
    Value value;          // borrowed from the type's dict; VAL_NULL = absent
    uint64_t epoch;
} MCacheEntry;

// Per-thread cache of LOAD_GLOBAL results, keyed by the instruction (code
// objects are immortal, so an instruction address is never reused): valid
// while the globals and builtins dicts keep the versions recorded. Under the
// GIL the value is borrowed from the dict (nobody can change the dict
// without changing its version first). Free-threaded, another thread may
// rebind the name and free the old value at any moment, so the entry owns a
// reference ([owned]): a hit whose versions still match is the value the
// dict held when the versions were read, alive because the cache holds it.
#define GCACHE_SIZE 256
typedef struct {
    const uint32_t *ip;
    Value globals, builtins;
    uint64_t gversion, bversion;
    Value value;          // borrowed, or owned when [owned]
    bool owned;
} GCacheEntry;

// Per-thread cache of attribute accesses on instances of classes, keyed by
// the instruction: for LOAD_ATTR/STORE_ATTR the position of the attribute in
// the instance dict; for LOAD_METHOD the function found on the class. Valid
// while the class and the type epoch are those recorded.
#define ACACHE_SIZE 256
enum { AC_INSTANCE = 1, AC_METHOD = 2 };
typedef struct {
    const uint32_t *ip;
    void *type;
    uint64_t epoch;
    uint32_t kind;
    uint32_t index;       // AC_INSTANCE: entry index in the instance dict
    Value value;          // AC_METHOD: the function (borrowed from the class)
} ACacheEntry;

struct ThreadState {
    Interp *interp;
    uintptr_t rc_id;               // this thread's reference-count owner id
    _Atomic uint32_t eval_breaker;
    Value exc;                     // exception being raised, or VAL_NULL (owned)
    Value handled;                 // exception being handled (sys.exc_info), owned
    Frame *frame;                  // innermost running frame
    int depth;                     // Python call depth, for RecursionError
    bool recursion_headroom;       // set while a RecursionError is being built
    char *c_stack_limit;           // below this the C stack is nearly full
    StackChunk *chunk;             // data stack for frames
    Value *ds_top, *ds_limit;
    Value repr_stack;              // List of objects being repr'd (borrowed entries)
    GilThread gilt;                // this thread's side of the GIL
    uint64_t native_id;            // the OS thread id (gettid)
    int blocking;                  // nesting of thread_begin_blocking
    int64_t switch_budget;         // instructions (jumps) left before --switch-every(-jumps)
    MCacheEntry mcache[MCACHE_SIZE];
    GCacheEntry gcache[GCACHE_SIZE];
    ACacheEntry acache[ACACHE_SIZE];
    uint64_t dict_version_next, dict_version_limit;
    ThreadState *next;
    uint64_t id;                   // small sequential id (1 = main)
    BrcThread brc;                 // merge queue of objects owned by rc_id
    _Atomic int run_state;         // THREAD_RUNNING / THREAD_BLOCKED / THREAD_PARKED
    ThreadStats stats;             // counters (events.h)
    ThreadLog *log;                // what outlives this state (events.h)
    // Deadlock detector and --lock-order (vm/deadlock.c, vm/lockorder.c),
    // each under its own mutex, never the GIL.
    struct DeadlockWait *dl_wait;  // the untimed lock wait in progress, or NULL
    struct LockOrderHeld *lo_held; // --lock-order: the locks this thread holds
    struct SchedThread *sched;     // vm/scheduler.c: this thread's place in the schedule, or NULL
    bool sched_boundary;           // the eval breaker runs between two instructions (not
                                   // inside one, as after a call): for the stepping UI
    // Published by the thread for observers such as the REPL's :threads, which
    // may read them at any time: where it entered its outermost blocking call
    // (code objects are immortal; NULL when outside any frame) and whether its
    // callable has returned.
    _Atomic(Code *) blocked_code;
    _Atomic uint32_t blocked_lasti;
    _Atomic bool finished;
};

// ThreadState.run_state, read by the stop-the-world of free-threaded mode (and
// by :threads; kept in GIL mode too).
enum { THREAD_RUNNING, THREAD_BLOCKED, THREAD_PARKED };

struct Interp {
    InterpMode mode;
    Value modules;                 // Dict: name -> module
    Value builtins;                // Dict
    Value builtins_module;
    Value sys_module;
    Value argv;                    // List of Str
    int recursion_limit;
    int exit_code;                 // set by the first uncaught SystemExit
    bool exit_requested;           // SystemExit raised at the REPL
    bool interactive;              // REPL: PRINT_EXPR echoes
    bool naive_refcount;           // every thread counts as RC_ID_NAIVE
    pthread_mutex_t lock;          // guards threads, next_thread_id, heap_types, events' logs
    Type **heap_types;             // live classes (uncounted), for shutdown
    size_t n_heap_types, cap_heap_types;
    Value type_graveyard;          // List: class attribute values replaced in free-threaded mode
    ThreadState *threads;
    uint64_t next_thread_id;
    ThreadState *main_thread;
    Gil gil;                       // used when mode == MODE_GIL
    Events events;                 // thread logs and event rings (events.h)
    struct Deadlock *deadlock;     // vm/deadlock.c: the deadlock detector
    struct Sched *sched;           // vm/scheduler.c: --seed / --step, NULL when the OS schedules
    SyncRLock import_lock;         // held while a module's code runs for its first import
    struct LockOrder *lock_order;  // vm/lockorder.c: --lock-order state, NULL when off
    struct Race *race;             // vm/race.c: --race state, NULL when off; set before any
                                   // thread starts, read-only after
    _Atomic bool finalizing;       // the main thread is tearing down
    _Atomic int nthreads;          // threads started by _thread still running
    bool preempt_every;            // --preempt=instruction: every instruction is a preemption point
    uint64_t switch_every;         // --switch-every=N: hand over after N instructions (0 = off)
    bool switch_on_jumps;          // --switch-every-jumps: count jumps only, let go at the Nth
    // Set by the program (src/): compiles module source for embedded
    // modules; NULL with an exception on error.
    Code *(*compile)(const char *src, size_t len, const char *filename);
};

extern _Thread_local ThreadState *ts_cur;

// Frames on the thread's data stack: frame_push returns a frame with its
// header and fast slots (locals, cells, free variables) zeroed; frame_pop
// releases the slots and the memory. Generator frames come from
// frame_new_heap and are freed with frame_free_heap.
struct StackChunk {
    StackChunk *prev;
    Value *saved_top, *saved_limit;   // the previous chunk's position
    size_t words;
    Value data[];
};

static inline uint32_t code_nfast(const Code *c) {
    return c->nlocals + c->ncells + c->nfree;
}
static inline size_t frame_words(const Code *code) {
    return (sizeof(Frame) + code_nslots(code) * sizeof(Value) + sizeof(Value) - 1) / sizeof(Value);
}
static inline void frame_init_header(Frame *f, Code *code) {
    f->code = code;
    f->func = VAL_NULL;
    f->globals = f->builtins = f->locals = VAL_NULL;
    f->prev = NULL;
    f->ip = code->instrs;
    f->sp = f->slots + code_nfast(code);
    f->gen = NULL;
    f->flags = 0;
    f->state = FRAME_CREATED;
}

Frame *frame_push_slow(ThreadState *ts, Code *code);
void frame_pop_chunk(ThreadState *ts);

static inline Frame *frame_push(ThreadState *ts, Code *code) {
    size_t n = frame_words(code);
    if (UNLIKELY(!ts->ds_top || (size_t)(ts->ds_limit - ts->ds_top) < n))
        return frame_push_slow(ts, code);
    Frame *f = (Frame *)ts->ds_top;
    ts->ds_top += n;
    frame_init_header(f, code);
    Value *p = f->slots;
    for (uint32_t i = code_nfast(code); i > 0; i--)
        *p++ = VAL_NULL;
    return f;
}

// Release locals, cells, the stack up to f->sp, func and locals dict.
void frame_clear_slots(Frame *f);

static inline void frame_pop(ThreadState *ts, Frame *f) {
    frame_clear_slots(f);
    ts->ds_top = (Value *)f;
    StackChunk *c = ts->chunk;
    if (UNLIKELY(ts->ds_top == c->data && c->prev))
        frame_pop_chunk(ts);
}

Frame *frame_new_heap(Code *code);
void frame_free_heap(Frame *f);

#endif
