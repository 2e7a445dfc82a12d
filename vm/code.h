// Code objects: the immutable output of the compiler.
//
// A Code is created once, made immortal together with its constants, and
// shared freely between threads; nothing in it changes after creation.
// Frame slot layout for a code object (see frame.h):
//   [0, nlocals)                 fast locals, arguments first
//   [nlocals, nlocals+ncells)    cells for the variables inner functions capture
//   [.., +nfree)                 cells captured from the enclosing function
//   [.., +stacksize)             the value stack
#ifndef GILVM_CODE_H
#define GILVM_CODE_H

#include "object.h"

enum {
    CO_VARARGS = 1 << 0,
    CO_VARKEYWORDS = 1 << 1,
    CO_GENERATOR = 1 << 2,
    CO_COROUTINE = 1 << 3,
    CO_MODULE = 1 << 4,      // module or REPL code: names live in a dict
    CO_CLASS_BODY = 1 << 5,  // class body: names live in the class namespace
    CO_NESTED = 1 << 6,
};

// One line-table row per instruction.
typedef struct {
    int32_t line;
    uint16_t col, end_col;   // 0-based byte columns on [line]
} LineInfo;

// Exception table: instructions in [start, end) are protected by [handler];
// on an exception the stack is cut to [depth] items and the exception pushed.
typedef struct {
    uint32_t start, end, handler, depth;
} ExcEntry;

typedef struct Code {
    Object ob;
    uint32_t *instrs;
    uint32_t ninstrs;
    LineInfo *lines;
    ExcEntry *exctab;
    uint32_t nexc;
    Value *consts;           // immortal values
    uint32_t nconsts;
    Value *names;            // interned Str
    uint32_t nnames;
    Value *varnames;         // local names, arguments first
    Value *cellvars;         // names of cells (ncells)
    Value *freevars;         // names of free variables (nfree)
    int32_t *cell2arg;       // for each cell: the argument it starts from, or -1
    uint32_t nlocals, ncells, nfree, stacksize;
    uint32_t argcount;       // positional parameters, positional-only included
    uint32_t posonlyargcount;
    uint32_t kwonlyargcount;
    uint32_t flags;
    int32_t firstline;
    Value name;              // Str
    Value qualname;          // Str
    Value filename;          // Str
} Code;

extern Type code_type;

static inline uint32_t code_nslots(const Code *c) {
    return c->nlocals + c->ncells + c->nfree + c->stacksize;
}
int code_line_at(const Code *c, uint32_t instr_index);

#endif
