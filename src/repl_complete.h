// Tab completion for the REPL, the pure half: what the text before the cursor
// asks to complete, and which names qualify. No interpreter state: the REPL
// (repl.c) gathers the names from __main__, builtins and objects and asks
// these functions to classify and filter. Unit-tested in
// tests/unit/test_repl_complete.c.
#ifndef GILVM_REPL_COMPLETE_H
#define GILVM_REPL_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    RC_NOTHING,      // nothing sensible: inside a string or comment, after `)`, a number...
    RC_INDENT,       // only blanks before the cursor: Tab indents
    RC_NAME,         // a global or builtin name or a keyword starting with the prefix
    RC_ATTR,         // an attribute of the dotted name [expr] starting with the prefix
    RC_COMMAND,      // a colon command name (the prefix excludes the ':')
    RC_COMMAND_ARG,  // a word after a colon command other than :dis (see [cmd])
} ReplCompleteKind;

typedef struct {
    ReplCompleteKind kind;
    size_t prefix_start, prefix_len;   // in the line: the part being completed
    size_t expr_start, expr_len;       // RC_ATTR: the dotted name before the last dot
    size_t cmd_start, cmd_len;         // RC_COMMAND_ARG: the command name (after ':')
} ReplCompletion;

// Classify the completion wanted at [point] in [line] (the bytes before the
// cursor are line[0, point)). [at_primary]: the line is the first of an input
// (`>>>` prompt), where a leading ':' starts a colon command. The argument of
// `:dis` completes like Python names (RC_NAME / RC_ATTR).
ReplCompletion repl_complete_context(const char *line, size_t point, bool at_primary);

// Keep those of [names] (n entries, any order, duplicates allowed) that start
// with [prefix] (plen bytes); sort them bytewise and drop duplicates, in place.
// For attributes ([attribute]) names starting with '_' are hidden unless the
// prefix starts with '_', and names starting with '__' unless it starts with
// "__" (as Python's rlcompleter). Returns how many are kept (names[0, result)).
size_t repl_complete_select(const char **names, size_t n, const char *prefix, size_t plen,
                            bool attribute);

// Whether [s] (len bytes) is a dotted name: identifiers separated by single
// dots (ASCII letters, digits, '_' and any non-ASCII byte; no leading digit).
bool repl_complete_is_dotted_name(const char *s, size_t len);

// Python's keywords, NULL-terminated (completed like names).
extern const char *const repl_complete_keywords[];

#endif
