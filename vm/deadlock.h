// deadlock: the deadlock detector. When every live thread is blocked in a
// lock acquire without a timeout (which is where Thread.join, Event.wait,
// Condition.wait, Semaphore, Barrier and queue.Queue waits all end up, as
// they are written in Python over _thread locks), it prints who holds and
// waits for what, at which lines, and ends the process with status 3. The
// design is at the top of deadlock.c.
//
// Also the helpers --lock-order (lockorder.c) shares: where a thread is in
// the program and what a thread or a lock is called.
#ifndef GILVM_DEADLOCK_H
#define GILVM_DEADLOCK_H

#include "state.h"
#include "sync.h"

// The process exit status after a deadlock report (README, --help).
#define DEADLOCK_EXIT_STATUS 3

typedef struct Deadlock Deadlock;

// One wait of a _thread lock acquire; lives on the waiting thread's stack
// from deadlock_wait_hooks until the sync call returns. Fields after [kind]
// belong to deadlock.c.
typedef struct DeadlockWait {
    SyncWaitHooks inner;    // thread_wait_hooks(), set in begin: the bracket and Ctrl-C
    ThreadState *ts;
    Value lock;             // the lock object waited for (borrowed from the caller)
    uint64_t lock_id;       // its deadlock_lock_id(): 0 for threading's own locks
    bool forever;           // no timeout: the only waits that can be "blocked forever"
    const void *on;         // what sync says it waits on (a SyncLock or SyncRLock)
    int kind;               // SYNC_WAIT_LOCK or SYNC_WAIT_RLOCK
    bool registered;        // counted as blocked; under the detector's mutex
    bool granted;           // set by sync under the lock's own mutex
} DeadlockWait;

// With the interpreter (state.c). NULL when out of memory.
Deadlock *deadlock_new(void);
void deadlock_free(Deadlock *dl);

// The hooks for one acquire of [lock] by [ts] with [timeout] seconds
// (negative = forever): thread_wait_hooks() plus the detector's bookkeeping
// for untimed waits. Entering an untimed wait may print the report and end
// the process (it never returns then).
SyncWaitHooks deadlock_wait_hooks(DeadlockWait *w, ThreadState *ts, Value lock,
                                  uint64_t lock_id, double timeout);

// Live-thread accounting (thread.c): a thread counts from just before its
// pthread_create until its last bytecode has run.
void deadlock_thread_starting(Interp *in);
void deadlock_thread_not_started(Interp *in);   // pthread_create failed
// After the thread's last bytecode, GIL (if any) still held; may report.
void deadlock_thread_exit(ThreadState *ts);

// The acquire "site" sync records with a lock owner: the instruction the
// program is at, in its innermost frame outside the embedded modules
// (threading, queue), so a report names the user's line. 0 = unknown.
uint64_t deadlock_site(ThreadState *ts);
// For a new _thread lock: a non-zero id unique in the process when the
// program itself creates it (directly, or as the implicit RLock of its
// threading.Condition()), 0 for the locks threading and queue use inside.
uint64_t deadlock_lock_id(ThreadState *ts);

// --- shared with lockorder.c --------------------------------------------------

// A place in the program: code object (immortal) and line.
typedef struct {
    const Code *code;
    int line;
} DeadlockPlace;

// [ts]'s innermost frame outside the embedded modules; code NULL if none.
DeadlockPlace deadlock_user_place(ThreadState *ts);
// Where a site recorded with a lock owner is in the program.
DeadlockPlace deadlock_site_place(Interp *in, uint64_t site);
// "file.py:12 in func()" into [buf].
void deadlock_format_place(DeadlockPlace p, char *buf, size_t n);
// The thread's threading name ("MainThread", "Thread-1 (worker)"), else
// "thread <id>". Uses dict lookups only (no iteration).
void deadlock_thread_name(Interp *in, uint64_t tid, char *buf, size_t n);
// A name for [obj] as the program sees it from [ts]'s frames: a global, then
// (with DEADLOCK_NAME_LOCALS) a local variable, or one attribute or item of
// one ("lock_a", "alice.lock", "forks[2]"). DEADLOCK_NAME_ITERATE: the GIL
// is held or every other thread is parked, so dicts may be iterated (any
// global, any attribute); without it only the globals and attributes the
// frames' code mentions are looked up. Returns how it was found, 0 if not
// ([buf] untouched then).
enum {
    DEADLOCK_NAME_ITERATE = 1,
    DEADLOCK_NAME_LOCALS = 2,
    DEADLOCK_NAME_ALL = 3,
};
enum { DEADLOCK_NAMED_GLOBAL = 1, DEADLOCK_NAMED_LOCAL = 2 };
int deadlock_object_name(ThreadState *ts, Value obj, int how, char *buf, size_t n);

// What [ts] waits for in its untimed lock wait, as the deadlock report says
// it ("waits in join() for Thread-1 (work)", "waits for Lock lock_b, held by
// Thread-2 (acquired at x.py:12 in f())") into [buf], and in *[owner] (if not
// NULL) the thread holding the program's lock it waits for (0: none, or not
// such a lock); false when it is in no such wait (or the detector is busy:
// never blocks). The caller holds the GIL (or the scheduler's token), so
// [ts]'s frames and the program's dicts hold still; may be called with
// interp->lock held.
bool deadlock_describe_wait(ThreadState *ts, char *buf, size_t n, uint64_t *owner);

#endif
