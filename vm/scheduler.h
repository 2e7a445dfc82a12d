// scheduler (sched_*): who may run next when the schedule is not left to the OS
// (DESIGN.md decision 9). Off by default (Interp.sched == NULL): the GIL and
// the kernel decide. On (`--seed N`, `--step`), one token decides: only the
// thread holding it runs bytecode (it also holds the GIL, so statistics,
// timeline and trace still describe real GIL hand-overs), and every
// hand-over is a decision made here, at a preemption point or when the
// holder waits, by a policy:
//   - seeded: a PRNG seeded with N decides after how many preemption points
//     to switch and to which runnable thread;
//   - controlled: a callback (the stepping UI in src/step.c) decides.
// The interleaving is then a function of the seed (or of the commands):
// same seed, same output, on real OS threads.
//
// What makes it deterministic:
//   - threads are registered by their parent at thread_start, in program
//     order, so the set of threads never depends on OS timing;
//   - waits (sync.c's block_on, time.sleep) do not sleep in the kernel: the
//     waiter "parks" -- gives the token away and is considered again only
//     after some primitive changed state (sync_epoch moved) or its virtual
//     deadline passed; its retry runs under the token like everything else;
//   - time is virtual: it advances by SCHED_NS_PER_INSTRUCTION for each
//     instruction the running thread executes (counted at its preemption
//     points), and jumps to the earliest deadline when nobody can run (the
//     process then really sleeps that long, so sleeps still take wall time);
//   - output is written with the token held (no I/O hand-over).
//
// Locking: Sched.mu guards every field of Sched and of each SchedThread
// except [cv] (used with mu). A thread waits for its turn on its own [cv].
// The token holder is the only thread that mutates program state, so the
// policy, the PRNG and the stepping UI run with no further locking (mu is
// not held while the policy runs).
#ifndef GILVM_SCHEDULER_H
#define GILVM_SCHEDULER_H

#include "state.h"

#define SCHED_NS_PER_INSTRUCTION 20   // virtual time an instruction takes (about gilvm's speed)
// Mean preemption points between seeded switches: at every instruction
// boundary (--preempt=instruction, --step) and at back-edges and calls.
#define SCHED_QUANTUM_INSTRUCTION 100
#define SCHED_QUANTUM_BACKEDGE 1000

typedef struct Sched Sched;
typedef struct SchedThread SchedThread;

enum { SCHED_READY, SCHED_RUNNING, SCHED_PARKED, SCHED_DONE };
#define SCHED_WAIT_SLEEP (-1)   // the [kind] of a parked time.sleep

// A controlling policy (stepping). [decide] runs on the token holder [ts]
// at each of its preemption points and returns the thread to run next:
// [ts] itself to go on, another runnable thread to hand over, or NULL to
// let the seeded policy decide this time. [parked] is called when [ts] gives
// the token away because it waits or ends, with the thread chosen to run
// next (NULL: nobody can run yet).
typedef struct {
    ThreadState *(*decide)(void *ctx, ThreadState *ts);
    void (*parked)(void *ctx, ThreadState *ts, ThreadState *next);
    void *ctx;
} SchedControl;

// Turn the scheduler on; the caller is the main thread, alone, holding the
// GIL. [quantum]: mean preemption points between seeded switches. -1 if out
// of memory.
int sched_enable(Interp *in, uint64_t seed, uint32_t quantum);
void sched_free(Interp *in);
// Turn it off again (the REPL's `:step off`): only while the main thread is
// the only one registered (-1 otherwise). Restores the GIL model's settings.
int sched_disable(Interp *in);
void sched_set_control(Interp *in, const SchedControl *ctl);   // NULL: seeded only

// thread_start (parent, holding the token): register [child] as runnable
// before its OS thread exists; sched_thread_forget if it could not start.
int sched_thread_new(Interp *in, ThreadState *child);
void sched_thread_forget(Interp *in, ThreadState *child);
// thread_attach: wait until the token is [ts]'s (before taking the GIL).
void sched_wait_turn(ThreadState *ts);
// thread_detach: [ts] has released the GIL and runs no more bytecode: pass
// the token on.
void sched_thread_exit(ThreadState *ts);

// The eval breaker's EB_SCHED bit: a preemption point of the holder.
void sched_preempt(ThreadState *ts);

// Waits. sched_park gives the token away until [ts] may usefully retry
// (another thread changed some primitive) or virtual time reaches
// *[deadline] (0 on the first call of a wait: set from [timeout] seconds,
// negative = none). Returns 0 to retry, 1 when the deadline has passed, 2
// when Ctrl-C interrupts the main thread. [kind] (a SyncWaitKind) says what
// kind of wait it is, for sched_state_of.
int sched_park(ThreadState *ts, int kind, double timeout, int64_t *deadline);
// time.sleep under the scheduler: 0, or -1 with KeyboardInterrupt raised.
int sched_sleep(ThreadState *ts, int64_t ns);
// The holder [ts] lets the other threads run (those that can) until none is
// left registered or [timeout_ms] of real time passed: threads whose
// function has returned but that have not exited yet finish (the REPL's
// `:step off`).
void sched_let_others_finish(ThreadState *ts, int timeout_ms);

// For observers (the token holder): what [t] is doing (a SCHED_ state), and
// in *[kind] (if not NULL) the kind of its wait when PARKED.
int sched_state_of(ThreadState *t, int *kind);
uint64_t sched_seed(Interp *in);
// The holder's view of runnable threads: true if [t] could take the token now.
bool sched_runnable(ThreadState *t);

#endif
