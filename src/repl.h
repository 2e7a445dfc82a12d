// The interactive prompt (readline): `>>>` / `...`, results echoed with
// repr, tracebacks printed and the session goes on.
#ifndef GILVM_REPL_H
#define GILVM_REPL_H

#include "../vm/state.h"

// Run the REPL on [globals] until EOF. Returns the exit status.
int repl_run(Interp *in, Value globals);

#endif
