// The global interpreter lock, modelled on CPython's "new GIL"
// (DESIGN.md decision 7). Standalone: depends on common.h and pthreads only,
// knows nothing of ThreadState; the interpreter embeds one Gil in Interp and
// one GilThread in each ThreadState.
//
// Protocol, as the interpreter will use it:
//   - a thread runs bytecode only between gil_acquire and gil_release;
//   - a waiter waits one switch interval at a time; if the GIL did not change
//     hands during a whole interval it sets [drop_bit] in the holder's eval
//     breaker (decision 5); with the interval off (0) it never asks;
//   - the holder, seeing that bit at a preemption point (set by a waiter or
//     by the holder itself, e.g. --switch-every), calls
//     gil_drop_request_honour, which releases, waits until a waiter has taken
//     the GIL (forced switching, GIL_HANDOVER) or not at all (GIL_RELEASE),
//     and re-acquires;
//   - blocking C code releases with gil_release(..., true) and re-takes with
//     gil_acquire (decision 6: only the begin/end-blocking pair does that).
// The drop bit of a GilThread is set only while that thread holds the GIL;
// gil_acquire and gil_release clear it.
//
// Threading contract: a GilThread is used by its own OS thread only (other
// threads may read its stats through gil_thread_stats_snapshot). It must not
// hold the GIL when it is destroyed. gil_set_event_hook must be called before
// any other thread uses the Gil. Everything else may be called from any
// thread at any time between gil_init and gil_destroy.
#ifndef GILVM_GIL_H
#define GILVM_GIL_H

#include <pthread.h>

#include "common.h"

typedef struct GilThreadStats {
    uint64_t acquisitions;
    uint64_t waits;               // acquisitions that found the GIL held
    uint64_t wait_ns;             // total time spent in those waits
    uint64_t max_wait_ns;
    uint64_t forced_switches;     // releases asked for by another thread
    uint64_t voluntary_releases;  // releases of its own accord (blocking, exit)
    uint64_t held_ns;             // total time holding the GIL
} GilThreadStats;

typedef struct GilThread {
    _Atomic uint32_t *eval_breaker;   // the owning thread's word (not owned here)
    uint32_t drop_bit;                // bit set there to ask for a drop
    uint64_t id;                      // caller's id, for events and hand-over counts
    GilThreadStats stats;             // see gil.c for who may read it
    uint64_t acquired_ns;             // when the current holding began
} GilThread;

typedef struct GilStats {
    uint64_t acquisitions;
    uint64_t contended_acquisitions;  // the acquirer found the GIL held
    uint64_t handovers;               // acquisitions by a thread other than the last holder
    uint64_t drop_requests;           // drop bits set by waiters
    uint64_t forced_switches;
    uint64_t voluntary_releases;
    uint64_t held_ns;                 // includes the current holding, if any
    uint64_t contended_ns;            // total time waiters spent waiting
    uint64_t contended_wall_ns;       // wall time with at least one waiter (includes
                                      // the current stretch, if any)
} GilStats;

// Events for the timeline (decision 10). [t] is always the calling thread,
// so a hook may append to t's own ring without locking; [ns] is a
// CLOCK_MONOTONIC timestamp. The hook is never called with the Gil's mutex
// held, so it may call any gil_ function except acquire/release/honour.
enum {
    GIL_EV_WANT,            // t found the GIL held and starts waiting (ns = when it asked)
    GIL_EV_ACQUIRED,        // t holds the GIL
    GIL_EV_DROP_REQUESTED,  // t set the drop bit of the current holder
    GIL_EV_RELEASED,        // t released the GIL
};
typedef void (*GilEventFn)(void *ctx, GilThread *t, int event, uint64_t ns);

// What gil_drop_request_honour does after releasing (--switch-mode).
typedef enum {
    GIL_HANDOVER,   // wait until a waiting thread has taken the GIL (CPython 3.2+, Ruby)
    GIL_RELEASE,    // re-acquire at once, racing the waiters (CPython 2, MicroPython)
} GilSwitchMode;

typedef struct Gil {
    pthread_mutex_t mutex;
    pthread_cond_t released;          // signalled when the holder lets go
    pthread_cond_t switched;          // broadcast when a thread takes the GIL
    _Atomic(GilThread *) holder;      // NULL when free; written under mutex
    uint64_t last_holder_id;
    bool had_holder;
    uint64_t switch_number;           // acquisitions so far (CPython's switch_number)
    int waiters;                      // threads inside gil_acquire's wait loop
    uint64_t waiters_since;           // when [waiters] last went from 0 to 1
    _Atomic int64_t interval_us;      // 0 = off: waiters never ask for a drop
    _Atomic uint64_t switch_every;    // instruction budget, 0 = off; stored for the interpreter
    _Atomic int switch_mode;          // a GilSwitchMode
    GilStats stats;
    GilEventFn on_event;              // NULL = no events
    void *event_ctx;
} Gil;

// Initialise [g] free, with switch interval [interval_us] (<= 0: the default,
// DEFAULT_SWITCH_INTERVAL_US). Returns 0, or -1 if a pthread object could not
// be created (nothing to destroy then).
int gil_init(Gil *g, int64_t interval_us);
// Free [g]'s pthread objects. No thread may hold or wait for it.
void gil_destroy(Gil *g);
// Install [fn] (NULL = none) with [ctx]; only before other threads use [g].
void gil_set_event_hook(Gil *g, GilEventFn fn, void *ctx);

// Prepare [t] for its thread: zero stats, remember where its drop bit lives.
void gil_thread_init(GilThread *t, _Atomic uint32_t *eval_breaker, uint32_t drop_bit,
                     uint64_t id);

// Block until [t] holds the GIL. Returns 0, or -1 if [t] already holds it
// (nothing changes).
int gil_acquire(Gil *g, GilThread *t);
// Release the GIL held by [t]. [voluntary]: true when t gives it up of its
// own accord (blocking call, thread exit); false when someone asked for it
// (counted as a forced switch; no hand-over wait, see honour). Clears t's drop
// bit. Returns 0, or -1 if [t] does not hold the GIL.
int gil_release(Gil *g, GilThread *t, bool voluntary);
// Called by the holder [t] at a preemption point when its drop bit is set:
// clear the bit, release, wait until a waiting thread has taken the GIL
// (GIL_HANDOVER; GIL_RELEASE does not wait), then re-acquire. Returns true if the GIL changed hands (the caller must reload
// any shared state), false if there was no request to honour (bit clear or t
// not the holder; nothing changes).
bool gil_drop_request_honour(Gil *g, GilThread *t);
// Whether [t] holds the GIL: exact when [t] is the calling thread, a snapshot
// otherwise.
bool gil_held_by(Gil *g, const GilThread *t);

// The switch interval in microseconds; 0 = off (waiters never ask for a
// drop). gil_set_interval returns -1 (and changes nothing) if [us] < 0.
// Waiters pick up a new value at their next wait.
int gil_set_interval(Gil *g, int64_t us);
int64_t gil_get_interval(Gil *g);
void gil_set_switch_every(Gil *g, uint64_t n);
uint64_t gil_get_switch_every(Gil *g);
// How a drop request is honoured; takes effect at the next one.
void gil_set_switch_mode(Gil *g, GilSwitchMode mode);
GilSwitchMode gil_get_switch_mode(Gil *g);

// Consistent copies of the counters, taken under the mutex.
void gil_stats_snapshot(Gil *g, GilStats *out);
void gil_thread_stats_snapshot(Gil *g, const GilThread *t, GilThreadStats *out);

#endif
