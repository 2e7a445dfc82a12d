// The interpreter: running frames, calling functions, and the interpreter
// and thread lifetimes.
#ifndef GILVM_INTERP_H
#define GILVM_INTERP_H

#include "state.h"

// Run [f] (already pushed) until it returns or yields. Returns the value.
Value interp_run(ThreadState *ts, Frame *f);
// Resume a suspended frame; with [throwing] the thread's pending exception
// is raised at the point of suspension (generator.throw).
Value interp_resume(ThreadState *ts, Frame *f, bool throwing);
// f(*args, **kwargs) with [args] any iterable and [kwargs] a mapping or VAL_NULL.
Value interp_call_ex(Value func, Value args, Value kwargs);
// The __build_class__ builtin.
Value interp_build_class_func(void);
void interp_install_signals(ThreadState *main_ts);
// Raise KeyboardInterrupt if Ctrl-C arrived (main thread): -1, else 0.
// Blocking waits call it when interrupted.
// Ctrl-C arrived and the main thread has not raised KeyboardInterrupt yet.
extern _Atomic int gilvm_sigint_pending;
int interp_check_signals(void);
// Call a Python function from C.
Value func_call(Value func, Value *args, size_t nargs, Value kwnames);
// Bind arguments into a new frame's locals (CPython's rules and messages).
int frame_bind_args(Frame *f, Value func, Value *args, size_t nargs, Value kwnames);
// Run module-level [code] with [globals] as its namespace.
Value interp_exec_code(Code *code, Value globals, Value locals);

typedef struct {
    InterpMode mode;
    int argc;
    char **argv;           // sys.argv
    bool interactive;
    bool naive_refcount;   // --naive-refcount (see object.c)
    bool events;           // record event rings (--timeline, --trace)
} InterpConfig;

Interp *interp_new(const InterpConfig *cfg);
// Tear down; false when daemon threads still run and the interpreter had to
// be left in place (the process is about to exit).
bool interp_free(Interp *in);
ThreadState *tstate_new(Interp *in);
void tstate_free(ThreadState *ts);
// Empty the thread's lookup caches (dropping the references free-threaded
// entries own): at thread exit and when the interpreter changes mode.
void tstate_clear_caches(ThreadState *ts);
// Report and clear an uncaught exception: prints the traceback; SystemExit
// sets the exit code. Returns the process exit status.
int interp_handle_uncaught(Interp *in);
// Debug builds: objects currently alive (allocated and not freed).
int64_t obj_live_count(void);

#endif
