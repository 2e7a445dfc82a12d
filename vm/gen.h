// Generators: a suspended frame in a heap object. send() links the frame into
// the running thread's chain and resumes the interpreter on it; YIELD_VALUE
// returns from interp_run with the frame kept alive.
#ifndef GILVM_GEN_H
#define GILVM_GEN_H

#include "state.h"

typedef enum { GEN_CREATED, GEN_SUSPENDED, GEN_RUNNING, GEN_CLOSED } GenState;

typedef struct Gen {
    Object ob;
    Frame *frame;        // heap frame, NULL once closed
    Value name, qualname;
    _Atomic int state;   // GenState; see gen_resume for how a thread claims it
    Value handled;       // the exception being handled inside the generator
} Gen;

extern Type gen_type;
// Steals the frame (FRAME_HEAP).
Value gen_new(Frame *f);
// Resume with [v]: returns the yielded value; VAL_NULL with the exception
// set, or VAL_NULL with *stop_value set (new ref) when the generator returned.
Value gen_send_ex(Value gen, Value v, Value *stop_value);
Value gen_throw(Value gen, Value exc);

#endif
