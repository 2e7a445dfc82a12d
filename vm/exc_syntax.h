// SyntaxError construction for the compiler, and the layouts of the
// exception types that carry fields beyond BaseExc (owned by exc.c).
//
// These layouts extend BaseExc, so a BaseExc* is valid for every exception;
// heap subclasses inherit basic_size from their solid base (class.c).
#ifndef GILVM_EXC_SYNTAX_H
#define GILVM_EXC_SYNTAX_H

#include "exc.h"

typedef struct {
    BaseExc base;
    // VAL_NULL reads as None.
    Value msg, filename, lineno, offset, text, end_lineno, end_offset, print_file_and_line;
} SyntaxExc;

typedef struct {
    BaseExc base;
    Value myerrno, strerror, filename, filename2;
} OSErrorExc;

typedef struct {
    BaseExc base;
    Value msg, name, path;
} ImportExc;

// A new SyntaxError (or the subclass named by [kind]: "SyntaxError",
// "IndentationError", "TabError"; NULL means SyntaxError) as CPython's parser
// builds it: args = (msg, (filename, lineno, offset, text, end_lineno,
// end_offset)). [line] is 1-based. [col] and [end_col] are 1-based character
// columns (CPython's `offset` / `end_offset`, end exclusive); 0 or less means
// unknown (None). [text] is the source line (with or without its newline),
// NULL for None. Returns a new reference; the exception is NOT set (pass it
// to exc_set_steal). VAL_NULL + MemoryError on failure.
Value exc_syntax_error_new(const char *kind, const char *msg, const char *filename, int line,
                           int col, int end_col, const char *text);

#endif
