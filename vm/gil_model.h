// GIL models: where and how the running thread lets go of the GIL.
//
// A GilModel is the set of scheduling knobs, each one a command-line flag:
//   interval_us          --switch-interval=MS|off  a waiter asks the holder to
//                        let go after this long without a hand-over (0 = off:
//                        waiters never ask)
//   preempt_every        --preempt=backedge|instruction  where a request is
//                        honoured: loop back-edges and calls (false), or any
//                        instruction boundary (true)
//   switch_every         --switch-every=N|off  the holder asks itself after N
//                        instructions (honoured at the next preemption point)
//   switch_on_jumps      --switch-every-jumps=N  instead: the count runs on
//                        jump instructions only and the holder lets go just
//                        before the Nth jump (whatever --preempt says)
//   switch_mode          --switch-mode=handover|release  what letting go
//                        means: wait until a waiter has the GIL, or release
//                        and race the waiters to re-take it at once
// A preset (--gil-model=NAME) is a named GilModel reproducing how a real
// interpreter schedules; flags given explicitly override the preset's values
// whatever their order on the command line (src/main.c applies that rule).
//
// Everything here is immutable data and pure functions, except
// gil_model_apply, which must run before any thread but the main one starts.
#ifndef GILVM_GIL_MODEL_H
#define GILVM_GIL_MODEL_H

#include "gil.h"
#include "opcodes.h"

typedef struct Interp Interp;

typedef struct GilModel {
    int64_t interval_us;
    bool preempt_every;
    uint64_t switch_every;        // 0 = off
    bool switch_on_jumps;         // switch_every counts jumps, not instructions
    GilSwitchMode switch_mode;
} GilModel;

typedef struct GilPreset {
    const char *name;
    const char *about;       // one line: which interpreter, what it does
    GilModel model;
} GilPreset;

// The presets, the default (cpython3.10) first.
extern const GilPreset gil_model_presets[];
extern const size_t gil_model_npresets;

// The preset called [name], or NULL.
const GilPreset *gil_model_find(const char *name);
// The preset whose model equals [m], or NULL.
const GilPreset *gil_model_match(const GilModel *m);
// "cpython3.10, cpython3.2, ..." (static storage).
const char *gil_model_names(void);

// [m] spelled as flags ("--switch-interval=5 --preempt=backedge ..."), into
// [buf] of [n] bytes; counters that are off are left out. Returns buf.
char *gil_model_flags(const GilModel *m, char *buf, size_t n);

// Make [m] the interpreter's model (GIL interval and switch mode, the
// dispatch knobs, the main thread's budgets). Before other threads start.
void gil_model_apply(Interp *in, const GilModel *m);

// The instructions whose handler checks the eval breaker, i.e. where a drop
// request is honoured with --preempt=backedge (interp.c follows this list;
// tests/gil.sh checks the two agree).
#define GIL_MODEL_BACKEDGE_OPS(X, a) X(JUMP_BACKWARD, a) X(CALL, a) X(CALL_KW, a) X(CALL_EX, a)
// The jumps --switch-every-jumps counts: those MicroPython follows with its
// pending-exception check (and GIL divisor), forward or backward, taken or not.
#define GIL_MODEL_COUNTED_JUMPS(X, a)                                                 \
    X(JUMP, a) X(JUMP_BACKWARD, a) X(POP_JUMP_IF_FALSE, a) X(POP_JUMP_IF_TRUE, a)     \
    X(JUMP_IF_FALSE_OR_POP, a) X(JUMP_IF_TRUE_OR_POP, a)

// Membership tests; constant expressions when [op] is one (dispatch tables).
#define GIL_MODEL_OP_IS_(name, op) (op) == OP_##name ||
#define GIL_MODEL_IS_BACKEDGE_OP(op) (GIL_MODEL_BACKEDGE_OPS(GIL_MODEL_OP_IS_, op) 0)
#define GIL_MODEL_IS_COUNTED_JUMP(op) (GIL_MODEL_COUNTED_JUMPS(GIL_MODEL_OP_IS_, op) 0)

// Whether, under [m], the GIL may change hands at an instruction [op]
// (blocking calls aside: they release the GIL under every model).
bool gil_model_preempts_at(const GilModel *m, int op);
// One line for the --dis legend: what a mark means under [m], or that
// nothing is marked. Into [buf] of [n] bytes; returns buf.
char *gil_model_mark_legend(const GilModel *m, char *buf, size_t n);

#endif
