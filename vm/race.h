// race: --race, a data-race detector for the program's own variables in the
// spirit of ThreadSanitizer (vector clocks), plus lost-update accounting for
// read-modify-write sequences such as `counter += 1`. The design is at the
// top of race.c.
//
// Cost when off: the interpreter reaches the access hook only through its
// every-instruction dispatch table (interp.c), which it selects when --race
// is on; the lock and thread hooks below are one load and a branch on
// Interp.race; freeing an object tests the thread-local obj_free_hook.
#ifndef GILVM_RACE_H
#define GILVM_RACE_H

#include "opcodes.h"
#include "state.h"

typedef struct Race Race;
// A synchronisation object's vector clock (one per _thread lock), owned by
// the lock object: NULL until the lock is first released under --race, freed
// with race_lock_clock_free when the lock dies.
typedef struct RaceClock RaceClock;

// Turn the detector on (main.c, --race), before any thread starts. -1 when
// out of memory.
int race_enable(Interp *in);
// Print the reports (stderr) once, when the program is over: after the main
// script and the non-daemon threads are done (finish() in main.c).
void race_report(Interp *in);
// At interpreter teardown, when no other thread is left.
void race_free(Interp *in);

// The instructions whose accesses the detector watches.
static inline bool race_watches(uint32_t op) {
    switch (op) {
    case OP_LOAD_GLOBAL: case OP_STORE_GLOBAL: case OP_DELETE_GLOBAL:
    case OP_LOAD_NAME: case OP_STORE_NAME: case OP_DELETE_NAME:
    case OP_LOAD_ATTR: case OP_STORE_ATTR: case OP_DELETE_ATTR:
    case OP_BINARY_SUBSCR: case OP_STORE_SUBSCR: case OP_DELETE_SUBSCR:
        return true;
    default:
        return false;
    }
}
// Before [f] runs the instruction at [instr] (a watched opcode [op] with
// [oparg]), its operands on the stack below [sp]: records the access and
// checks it against earlier ones. Called with the GIL held in GIL mode;
// raises nothing, runs no Python code.
void race_instruction(ThreadState *ts, Frame *f, const uint32_t *instr, uint32_t op,
                      uint32_t oparg, Value *sp);

// A watched load is recorded once done, with the value it loaded: at the
// next instruction boundary (before its preemption point) the interpreter
// calls race_load_done when race_load_pending, with the frame, the
// instruction about to run and the stack top.
extern _Thread_local bool race_load_pending;
void race_load_done(ThreadState *ts, Frame *f, const uint32_t *instr, Value *sp);

// Threads (thread.c): [child] starts with [parent]'s clock, before
// pthread_create; the thread's bytecode is over (its clock is dropped).
void race_thread_start_tracked(ThreadState *parent, ThreadState *child);
void race_thread_exit_tracked(ThreadState *ts);
static inline void race_thread_start(ThreadState *parent, ThreadState *child) {
    if (UNLIKELY(parent->interp->race != NULL))
        race_thread_start_tracked(parent, child);
}
static inline void race_thread_exit(ThreadState *ts) {
    if (UNLIKELY(ts->interp->race != NULL))
        race_thread_exit_tracked(ts);
}
// In the attaching thread (thread_attach): installs obj_free_hook when on.
void race_thread_attach(ThreadState *ts);

// _thread locks (mod_thread.c). [clock] is the lock object's RaceClock slot,
// [id] its deadlock_lock_id (0 for threading's own locks: they order
// accesses but are not named in reports), [lock] the object (for its name).
//   created: a program lock was made here (names it "created at LINE").
//   acquired: after any successful acquire (the thread joins the clock).
//   releasing: before a release that will succeed, while the thread still
//     holds it ([last]: the lock becomes free, not an inner RLock release).
void race_lock_created_tracked(ThreadState *ts, uint64_t id);
void race_lock_acquired_tracked(ThreadState *ts, RaceClock **clock, uint64_t id, Value lock);
void race_lock_releasing_tracked(ThreadState *ts, RaceClock **clock, uint64_t id, bool last);
static inline void race_lock_created(ThreadState *ts, uint64_t id) {
    if (UNLIKELY(ts->interp->race != NULL) && id != 0)
        race_lock_created_tracked(ts, id);
}
static inline void race_lock_acquired(ThreadState *ts, RaceClock **clock, uint64_t id,
                                      Value lock) {
    if (UNLIKELY(ts->interp->race != NULL))
        race_lock_acquired_tracked(ts, clock, id, lock);
}
static inline void race_lock_releasing(ThreadState *ts, RaceClock **clock, uint64_t id,
                                       bool last) {
    if (UNLIKELY(ts->interp->race != NULL))
        race_lock_releasing_tracked(ts, clock, id, last);
}
// The lock object dies (no thread uses it any more).
void race_lock_clock_free(RaceClock *clock);

#endif
