// :threads -- what every thread of the program is doing, seen from the REPL
// (the main thread, between two inputs).
#ifndef GILVM_REPL_THREADS_H
#define GILVM_REPL_THREADS_H

#include <stdio.h>

#include "../vm/state.h"

// One line per thread state: id, name, state, current line and instruction.
// The caller is the main thread holding the GIL in GIL mode.
void repl_threads_print(Interp *in, FILE *out);
// The threads other than the caller as "NAME (STATE), ...", malloc'd; NULL
// when there are none.
char *repl_threads_others(Interp *in);

#endif
