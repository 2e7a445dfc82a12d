// The REPL's colon commands (:help, :dis, :mode, :threads, :stats, :step,
// :quit): typed at the `>>>` prompt, handled here instead of being compiled.
#ifndef GILVM_REPL_CMD_H
#define GILVM_REPL_CMD_H

#include "../vm/state.h"

typedef struct {
    Interp *in;
    Value globals;       // __main__'s namespace (borrowed)
    Code *last_code;     // the last input compiled (immortal), or NULL
    bool quit;           // :quit was given
    bool saved_preempt;  // :step on: the preemption setting to restore at :step off
} ReplSession;

// The commands' names without the ':', NULL-terminated (for completion).
extern const char *const repl_cmd_names[];

// Run the colon command [line] (starts with ':', no newline). Output and
// error messages go to stdout. The caller is the main thread, holding the
// GIL in GIL mode, outside any blocking bracket.
void repl_cmd_run(ReplSession *s, const char *line);

#endif
