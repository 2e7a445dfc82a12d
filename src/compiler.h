// The compiler: source -> AST (parser.c) -> scopes (symtable.c) -> code
// objects. Every code object and constant it makes is immortal and shared.
#ifndef GILVM_COMPILER_H
#define GILVM_COMPILER_H

#include <stddef.h>

#include "../vm/code.h"

typedef enum {
    COMPILE_EXEC,     // a module / script
    COMPILE_SINGLE,   // one REPL input: expression statements print their value
    COMPILE_EVAL,     // one expression, returned
} CompileMode;

// Compile [src] ([len] bytes) named [filename]. Returns the module's code
// object, or NULL with SyntaxError/IndentationError/MemoryError set.
Code *compile_source(const char *src, size_t len, const char *filename, CompileMode mode);

#endif
