// Scope analysis: which names are local, global, free or cells in each scope.
//
// symtable_build walks the AST once and makes one Scope per module, function,
// lambda, comprehension and class body, recording what each binds, uses and
// declares; then every name is resolved (Python's LEGB rules, class scopes
// skipped for inner functions, `__class__` for zero-argument super()).
// Everything lives in the arena of the AST.
#ifndef GILVM_SYMTABLE_H
#define GILVM_SYMTABLE_H

#include "arena.h"
#include "ast.h"

typedef enum { SCOPE_MODULE, SCOPE_FUNCTION, SCOPE_CLASS } ScopeKind;

// How a name is accessed in a scope.
typedef enum {
    SYM_NONE = 0,
    SYM_LOCAL,            // fast local (function)
    SYM_CELL,             // local captured by an inner scope
    SYM_FREE,             // captured from an enclosing function
    SYM_GLOBAL_EXPLICIT,  // `global x`
    SYM_GLOBAL_IMPLICIT,  // not bound anywhere enclosing: globals then builtins
    SYM_NAME,             // module/class namespace (LOAD_NAME)
} SymScope;

// Flags recorded in pass 1.
enum {
    DEF_BOUND = 1 << 0,
    DEF_PARAM = 1 << 1,
    DEF_USE = 1 << 2,
    DEF_GLOBAL = 1 << 3,
    DEF_NONLOCAL = 1 << 4,
    DEF_FREE_PASS = 1 << 5,   // free here only to pass a cell through (class/function)
    DEF_CELL = 1 << 6,        // captured by an inner scope
    DEF_FREE = 1 << 7,        // resolved as free
    DEF_COMP_ITER = 1 << 8,
};

typedef struct Symbol {
    const char *name;
    int flags;
    SymScope scope;     // resolved
    int order;          // first-seen order (for stable variable numbering)
} Symbol;

typedef struct Scope Scope;
struct Scope {
    ScopeKind kind;
    const Node *node;         // FunctionDef, Lambda, comprehension expr, ClassDef, Module
    const char *name;
    Scope *parent;
    Scope **children;
    int nchildren, cap_children;
    int child_cursor;         // the compiler takes children in creation order
    Symbol *syms;             // open-addressing table
    int nsyms, cap_syms;
    bool is_generator;
    bool is_coroutine;
    bool is_comprehension;
    bool needs_class_cell;    // class scope: some method uses __class__/super
    bool uses_class_cell;     // function: refers to __class__ (free)
    int nparams;
};

typedef struct {
    char msg[256];
    int line, col;
} SymtableError;

// Build and resolve the scopes of [mod]. NULL with [err] filled on a
// SyntaxError (e.g. "nonlocal declaration not allowed at module level").
Scope *symtable_build(Arena *a, const Node *mod, SymtableError *err);
Symbol *scope_lookup(Scope *s, const char *name);
// The next child scope in creation order (the compiler visits in the same order).
Scope *scope_next_child(Scope *s);

#endif
