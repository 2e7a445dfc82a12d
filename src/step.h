// step: the stepping UI (--step, --step-script). It is the controlling
// policy of the scheduler (vm/scheduler.h): the user grants each instruction.
#ifndef GILVM_STEP_H
#define GILVM_STEP_H

#include "../vm/state.h"

// Start stepping for the program about to run in [in] (the scheduler must be
// on). Commands come from [script] when not NULL (then from standard input
// if it is a terminal), else from standard input. The program's own source
// file, for showing lines, is [filename]. -1 with a message on stderr if
// [script] cannot be read.
int step_start(Interp *in, const char *script, const char *filename);
void step_finish(Interp *in);
bool step_active(void);

// The REPL's `:step`: stepping for the statements typed next (commands from
// the terminal). `q` then only stops stepping the current statement;
// step_quit_requested says so once, for the REPL to turn stepping off.
int step_start_repl(Interp *in);
bool step_quit_requested(void);
// The source being stepped when it is not a file (REPL input, -c CODE), for
// showing its lines (no-op unless stepping).
void step_set_source(const char *src, size_t len);

#endif
