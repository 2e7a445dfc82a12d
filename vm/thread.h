// OS threads for Python threads, and the one bracket around every blocking
// operation.
//
// Each Python thread is a POSIX thread with its own ThreadState. In GIL mode
// a thread holds the interpreter's GIL while it runs bytecode; whatever can
// block (sleep, lock and join waits, reading input) is bracketed by
// thread_begin_blocking / thread_end_blocking, which release and re-take the
// GIL. No other code releases the GIL (besides the eval breaker's hand-over).
#ifndef GILVM_THREAD_H
#define GILVM_THREAD_H

#include "state.h"
#include "sync.h"

// Release the GIL around a blocking call. Nests (only the outermost pair
// releases). Must be paired on the same thread. The outermost pair is
// counted and, when events are recorded, emits EV_BLOCK / EV_UNBLOCK:
// [kind] is a WaitKind (events.h), [on] the primitive waited on or NULL.
// thread_begin_blocking is the same with WAIT_IO.
void thread_begin_blocking_on(ThreadState *ts, int kind, const void *on);
void thread_begin_blocking(ThreadState *ts);
void thread_end_blocking(ThreadState *ts);
// Hooks for vm/sync.c waits: the bracket above plus Ctrl-C polling.
SyncWaitHooks thread_wait_hooks(ThreadState *ts);
// Switch the interpreter to [mode] (GIL <-> free-threaded): only the main
// thread, holding the GIL in GIL mode, outside any blocking bracket. Works only
// while no other thread state exists; returns how many do (0: switched, or
// already in [mode]). Leaving GIL mode releases the GIL, entering takes it.
int thread_switch_mode(Interp *in, InterpMode mode);
// Start a thread running [func](*args, **kwargs). Returns its ident, or -1
// with RuntimeError("can't start new thread").
int64_t thread_start(Value func, Value args, Value kwargs);
// The eval breaker saw a GIL drop request: hand the GIL over.
void thread_honour_drop_request(ThreadState *ts);
// Make the calling OS thread run [ts]: register its reference-count owner
// id, set the per-thread mode switches, take the GIL in GIL mode.
void thread_attach(ThreadState *ts);
// The reverse, after the thread's last reference-count operation: merge its
// queued objects, unregister, leave the GIL.
void thread_detach(ThreadState *ts);
// The eval breaker saw EB_STOP_WORLD: park if the interpreter is finalizing.
void thread_honour_stop(ThreadState *ts);
// Called by the main thread before tearing the interpreter down: mark it
// finalizing and, in free-threaded mode, wait until every other thread is
// parked or blocked outside bytecode (they park when they wake). In GIL mode
// the GIL does that: other threads park when they next take it.
void thread_stop_others(Interp *in);

#endif
