// AST -> bytecode.
//
// One Unit per code object being compiled. Code is emitted into a pseudo
// instruction stream whose jump arguments are label ids, plus SETUP markers
// that record where an exception handler is installed. Every emitted
// instruction remembers the innermost active handler (the compile-time
// handler stack, which is lexical). assemble() then
//   1. computes the stack depth at every instruction by flow analysis (the
//      SETUP marker's depth fixes its handler's depth),
//   2. drops the markers, resolves labels to instruction indices,
//   3. turns runs of instructions with the same handler into the exception
//      table, and builds the line table.
//
// Control flow that leaves a block early (return, break, continue) unwinds
// the compile-time block stack (FBlock): it pops loop iterators, restores
// the handled exception, calls __exit__ and inlines `finally` bodies, as
// CPython's compiler does.
//
// Augmented assignment is deliberately emitted as separate load / operate /
// store instructions: `counter += 1` on a global, an attribute or a
// subscript is not atomic, and --dis shows why.
#include "compiler.h"

#include <stdarg.h>

#include "../vm/abstract.h"
#include "../vm/dict.h"
#include "../vm/exc.h"
#include "../vm/exc_syntax.h"
#include "../vm/float.h"
#include "../vm/int.h"
#include "../vm/list.h"
#include "../vm/opcodes.h"
#include "../vm/set.h"
#include "../vm/str.h"
#include "../vm/tuple.h"
#include "arena.h"
#include "ast.h"
#include "parser.h"
#include "symtable.h"

// Pseudo-opcodes that exist only until assembly.
enum { PSEUDO_SETUP = 250 };

typedef struct {
    uint16_t op;
    uint32_t arg;
    int32_t line;
    uint16_t col, end_col;
    int32_t handler;   // index into Unit.handlers, -1 = none
} Instr;

typedef struct {
    int label;        // where the handler code starts
    int adjust;       // handler depth = depth at its SETUP marker + adjust
    int depth;        // computed by the flow analysis
} Handler;

typedef enum {
    FB_WHILE,
    FB_FOR,
    FB_TRY_EXCEPT,
    FB_FINALLY_TRY,
    FB_FINALLY_END,
    FB_HANDLER,
    FB_WITH,
} FBlockKind;

typedef struct {
    FBlockKind kind;
    int label_continue, label_break;
    const NodeList *finalbody;
    const char *name;     // FB_HANDLER: the `as` name
    int hsp_base;         // handler-stack height outside this block's handlers
} FBlock;

#define MAX_BLOCKS 64
#define MAX_HANDLERS 256

typedef struct Unit {
    struct Unit *parent;
    Scope *scope;
    Instr *instrs;
    int n, cap;
    int *labels;
    int nlabels, cap_labels;
    Value consts;       // List
    Value const_map;    // Dict: str/int constant -> index
    Value names;        // List of interned Str
    Value name_map;     // Dict
    Value varnames;     // List of interned Str
    Value varname_map;
    Value cellvars, freevars;   // Lists of interned Str
    Handler *handlers;
    int nhandlers, cap_handlers;
    int hstack[MAX_HANDLERS];
    int hsp;
    FBlock fblocks[MAX_BLOCKS];
    int nfb;
    int line, col, end_col;
    Value name, qualname;
    uint32_t argcount, posonly, kwonly, flags;
    int firstline;
    bool in_loop_else;
} Unit;

typedef struct {
    const char *src;
    size_t srclen;
    const char *filename;
    CompileMode mode;
    Unit *u;
    bool failed;
    int depth;          // C recursion guard
} Compiler;

// --- errors -----------------------------------------------------------------------------

static char *source_line(Compiler *c, int line) {
    const char *p = c->src, *end = c->src + c->srclen;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *e = p;
    while (e < end && *e != '\n')
        e++;
    size_t len = (size_t)(e - p);
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, p, len);
        s[len] = 0;
    }
    return s;
}

static void syntax_error_at(Compiler *c, int line, int col, const char *fmt, ...) {
    if (c->failed)
        return;
    c->failed = true;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *text = source_line(c, line);
    Value e = exc_syntax_error_new("SyntaxError", msg, c->filename, line, col, 0, text);
    free(text);
    if (e)
        exc_set_steal(e);
}

#define SYNTAX_ERROR(c, node, ...) syntax_error_at((c), (node)->line, (node)->col + 1, __VA_ARGS__)

static void fail_nomem(Compiler *c) {
    if (!c->failed) {
        c->failed = true;
        if (!exc_occurred())
            exc_nomemory();
    }
}

// Any runtime error (allocation, int literal conversion) marks the compile failed.
static void check_exc(Compiler *c) {
    if (exc_occurred())
        c->failed = true;
}

// --- emission ------------------------------------------------------------------------------

static void set_loc(Unit *u, const Node *n) {
    u->line = n->line;
    u->col = (uint16_t)(n->col < 0 ? 0 : n->col > 65535 ? 65535 : n->col);
    u->end_col = (uint16_t)(n->line == n->end_line ? (n->end_col > 65535 ? 65535 : n->end_col)
                                                   : 65535);
}

static int emit(Compiler *c, int op, uint32_t arg) {
    Unit *u = c->u;
    if (c->failed)
        return -1;
    if (arg > ARG_MAX) {
        syntax_error_at(c, u->line, u->col + 1, "too many constants, names or locals");
        return -1;
    }
    if (u->n == u->cap) {
        int cap = u->cap ? u->cap * 2 : 64;
        Instr *n = realloc(u->instrs, sizeof(Instr) * (size_t)cap);
        if (!n) {
            fail_nomem(c);
            return -1;
        }
        u->instrs = n;
        u->cap = cap;
    }
    Instr *in = &u->instrs[u->n++];
    in->op = (uint16_t)op;
    in->arg = arg;
    in->line = u->line;
    in->col = (uint16_t)u->col;
    in->end_col = (uint16_t)u->end_col;
    in->handler = u->hsp ? u->hstack[u->hsp - 1] : -1;
    return 0;
}

static int new_label(Compiler *c) {
    Unit *u = c->u;
    if (u->nlabels == u->cap_labels) {
        int cap = u->cap_labels ? u->cap_labels * 2 : 32;
        int *n = realloc(u->labels, sizeof(int) * (size_t)cap);
        if (!n) {
            fail_nomem(c);
            return 0;
        }
        u->labels = n;
        u->cap_labels = cap;
    }
    u->labels[u->nlabels] = -1;
    return u->nlabels++;
}

static void place_label(Compiler *c, int label) {
    if (!c->failed)
        c->u->labels[label] = c->u->n;
}

static int new_handler(Compiler *c, int label, int adjust) {
    Unit *u = c->u;
    if (u->nhandlers == u->cap_handlers) {
        int cap = u->cap_handlers ? u->cap_handlers * 2 : 8;
        Handler *n = realloc(u->handlers, sizeof(Handler) * (size_t)cap);
        if (!n) {
            fail_nomem(c);
            return 0;
        }
        u->handlers = n;
        u->cap_handlers = cap;
    }
    u->handlers[u->nhandlers] = (Handler){label, adjust, -1};
    return u->nhandlers++;
}

// Install handler [h] from here on (emits its SETUP marker).
static void push_handler(Compiler *c, int h) {
    Unit *u = c->u;
    if (u->hsp >= MAX_HANDLERS) {
        syntax_error_at(c, u->line, u->col + 1, "too many statically nested blocks");
        return;
    }
    emit(c, PSEUDO_SETUP, (uint32_t)h);
    u->hstack[u->hsp++] = h;
}

static void pop_handler(Compiler *c) {
    if (c->u->hsp > 0)
        c->u->hsp--;
}

// Push a block; [own_handlers] handlers pushed just before belong to it.
static int push_fblock(Compiler *c, FBlockKind kind, int lcont, int lbreak, int own_handlers) {
    Unit *u = c->u;
    if (u->nfb >= MAX_BLOCKS) {
        syntax_error_at(c, u->line, u->col + 1, "too many statically nested blocks");
        return -1;
    }
    u->fblocks[u->nfb++] = (FBlock){kind, lcont, lbreak, NULL, NULL, u->hsp - own_handlers};
    return 0;
}

static void pop_fblock(Compiler *c) {
    if (c->u->nfb > 0)
        c->u->nfb--;
}

// --- constants and names -----------------------------------------------------------------------

// Index of [v] (stolen) in the constant pool; equal str and int constants
// share an entry. The value becomes immortal.
static uint32_t add_const(Compiler *c, Value v) {
    Unit *u = c->u;
    if (!v) {
        fail_nomem(c);
        return 0;
    }
    bool keyable = (val_is_small(v) || (val_is_obj(v) && val_obj(v)->type == &str_type));
    if (keyable) {
        Value idx = dict_get(u->const_map, v);
        if (idx) {
            decref(v);
            return (uint32_t)small_get(idx);
        }
    }
    if (val_is_obj(v) && val_obj(v)->type == &str_type)
        v = str_intern_value(v);
    else if (val_is_obj(v))
        obj_make_immortal(val_obj(v));
    uint32_t i = (uint32_t)as_list(u->consts)->len;
    if (list_append(u->consts, v) < 0) {
        fail_nomem(c);
        return 0;
    }
    if (keyable && dict_set(u->const_map, v, small_new(i)) < 0)
        fail_nomem(c);
    decref(v);
    return i;
}

static uint32_t name_index(Compiler *c, Value map, Value list, const char *name) {
    Value s = str_intern_cstr(name);
    Value idx = dict_get(map, s);
    if (idx)
        return (uint32_t)small_get(idx);
    uint32_t i = (uint32_t)as_list(list)->len;
    if (list_append(list, s) < 0 || dict_set(map, s, small_new(i)) < 0)
        fail_nomem(c);
    return i;
}

static uint32_t add_name(Compiler *c, const char *name) {
    return name_index(c, c->u->name_map, c->u->names, name);
}

static int find_in(Value list, const char *name) {
    List *l = as_list(list);
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(str_cstr(l->items[i]), name) == 0)
            return (int)i;
    return -1;
}

static int emit_const(Compiler *c, Value v) {
    return emit(c, OP_LOAD_CONST, add_const(c, v));
}

// --- units ----------------------------------------------------------------------------------------

static void free_unit(Unit *u) {
    free(u->instrs);
    free(u->labels);
    free(u->handlers);
    decref(u->consts);
    decref(u->const_map);
    decref(u->names);
    decref(u->name_map);
    decref(u->varnames);
    decref(u->varname_map);
    decref(u->cellvars);
    decref(u->freevars);
    decref(u->name);
    decref(u->qualname);
    free(u);
}

static int sym_order_cmp(const void *a, const void *b) {
    const Symbol *x = *(const Symbol *const *)a, *y = *(const Symbol *const *)b;
    return x->order - y->order;
}

// Start compiling a code object for [scope].
static Unit *enter_unit(Compiler *c, Scope *scope, const char *name, const char *qualname,
                        int firstline) {
    Unit *u = calloc(1, sizeof(Unit));
    if (!u) {
        fail_nomem(c);
        return NULL;
    }
    u->parent = c->u;
    u->scope = scope;
    u->consts = list_new(8);
    u->const_map = dict_new();
    u->names = list_new(8);
    u->name_map = dict_new();
    u->varnames = list_new(8);
    u->varname_map = dict_new();
    u->cellvars = list_new(0);
    u->freevars = list_new(0);
    u->name = str_intern_cstr(name);
    u->qualname = str_from_cstr(qualname);
    u->firstline = firstline;
    u->line = firstline;
    if (!u->consts || !u->const_map || !u->names || !u->name_map || !u->varnames ||
        !u->varname_map || !u->cellvars || !u->freevars || !u->qualname) {
        free_unit(u);
        fail_nomem(c);
        return NULL;
    }
    c->u = u;
    // Parameters first, in CPython's order, then the other locals.
    if (scope->kind == SCOPE_FUNCTION) {
        const Node *n = scope->node;
        const Node *args = NULL;
        if (n->kind == AST_FUNCTION_DEF)
            args = n->func_def.args;
        else if (n->kind == AST_LAMBDA)
            args = n->lambda.args;
        if (args) {
            const NodeList *pos[] = {&args->arguments.posonlyargs, &args->arguments.args};
            for (int k = 0; k < 2; k++)
                for (int i = 0; i < pos[k]->len; i++)
                    name_index(c, u->varname_map, u->varnames, pos[k]->items[i]->arg.arg);
            u->posonly = (uint32_t)args->arguments.posonlyargs.len;
            u->argcount = (uint32_t)(args->arguments.posonlyargs.len + args->arguments.args.len);
            for (int i = 0; i < args->arguments.kwonlyargs.len; i++)
                name_index(c, u->varname_map, u->varnames,
                           args->arguments.kwonlyargs.items[i]->arg.arg);
            u->kwonly = (uint32_t)args->arguments.kwonlyargs.len;
            if (args->arguments.vararg) {
                name_index(c, u->varname_map, u->varnames, args->arguments.vararg->arg.arg);
                u->flags |= CO_VARARGS;
            }
            if (args->arguments.kwarg) {
                name_index(c, u->varname_map, u->varnames, args->arguments.kwarg->arg.arg);
                u->flags |= CO_VARKEYWORDS;
            }
        } else {
            // A comprehension: one parameter, the iterator.
            name_index(c, u->varname_map, u->varnames, ".0");
            u->argcount = 1;
        }
        if (scope->is_generator)
            u->flags |= CO_GENERATOR;
        if (scope->is_coroutine)
            u->flags |= CO_COROUTINE;
    }
    // Locals, cells and free variables in first-seen order.
    Symbol **syms = malloc(sizeof(Symbol *) * (size_t)(scope->nsyms + 1));
    if (!syms) {
        fail_nomem(c);
        return u;
    }
    int ns = 0;
    for (int i = 0; i < scope->cap_syms; i++)
        if (scope->syms[i].name)
            syms[ns++] = &scope->syms[i];
    qsort(syms, (size_t)ns, sizeof(Symbol *), sym_order_cmp);
    for (int i = 0; i < ns; i++) {
        Symbol *s = syms[i];
        if (scope->kind == SCOPE_FUNCTION) {
            if (s->scope == SYM_LOCAL || s->scope == SYM_CELL)
                name_index(c, u->varname_map, u->varnames, s->name);
            if (s->scope == SYM_CELL)
                list_append(u->cellvars, str_intern_cstr(s->name));
            if (s->scope == SYM_FREE)
                list_append(u->freevars, str_intern_cstr(s->name));
        } else if (scope->kind == SCOPE_CLASS) {
            if ((s->flags & (DEF_FREE | DEF_FREE_PASS)) && strcmp(s->name, "__class__") != 0)
                list_append(u->freevars, str_intern_cstr(s->name));
        }
    }
    if (scope->kind == SCOPE_CLASS && scope->needs_class_cell)
        list_append(u->cellvars, str_intern_cstr("__class__"));
    free(syms);
    if (scope->kind == SCOPE_MODULE)
        u->flags |= CO_MODULE;
    if (scope->kind == SCOPE_CLASS)
        u->flags |= CO_CLASS_BODY;
    check_exc(c);
    return u;
}

// --- assembly ----------------------------------------------------------------------------------------

static bool is_terminal(int op) {
    return op == OP_JUMP || op == OP_JUMP_BACKWARD || op == OP_RETURN_VALUE ||
           op == OP_RAISE_VARARGS || op == OP_RERAISE;
}

static Value *list_to_array(Value list, uint32_t *n) {
    List *l = as_list(list);
    *n = (uint32_t)l->len;
    Value *a = malloc(sizeof(Value) * (l->len ? l->len : 1));
    if (!a)
        return NULL;
    for (size_t i = 0; i < l->len; i++) {
        a[i] = l->items[i];
        if (val_is_obj(a[i]))
            obj_make_immortal(val_obj(a[i]));
    }
    return a;
}

static Code *assemble(Compiler *c) {
    Unit *u = c->u;
    if (c->failed)
        return NULL;
    int n = u->n;
    int *depth = malloc(sizeof(int) * (size_t)(n + 1));
    int *work = malloc(sizeof(int) * (size_t)(n + 1) * 2 + 16);
    int *newpos = malloc(sizeof(int) * (size_t)(n + 1));
    if (!depth || !work || !newpos) {
        free(depth);
        free(work);
        free(newpos);
        fail_nomem(c);
        return NULL;
    }
    for (int i = 0; i <= n; i++)
        depth[i] = -1;
    int maxdepth = 0, nwork = 0;
    bool bad = false;
#define PROPAGATE(target, d)                                  \
    do {                                                      \
        int t_ = (target), d_ = (d);                          \
        if (t_ < 0 || t_ > n || d_ < 0) {                     \
            bad = true;                                       \
        } else if (depth[t_] < 0) {                           \
            depth[t_] = d_;                                   \
            work[nwork++] = t_;                               \
            if (d_ > maxdepth)                                \
                maxdepth = d_;                                \
        } else if (depth[t_] != d_) {                         \
            bad = true;                                       \
        }                                                     \
    } while (0)
    PROPAGATE(0, 0);
    while (nwork > 0 && !bad) {
        int i = work[--nwork];
        int d = depth[i];
        // Walk straight-line code from i.
        for (; i < n && !bad; i++) {
            depth[i] = d;
            Instr *in = &u->instrs[i];
            if (in->op == PSEUDO_SETUP) {
                Handler *h = &u->handlers[in->arg];
                h->depth = d + h->adjust;
                PROPAGATE(u->labels[h->label], h->depth + 1);
                continue;
            }
            if (opcode_is_jump(in->op))
                PROPAGATE(u->labels[in->arg], d + opcode_stack_effect(in->op, (int)in->arg, true));
            if (is_terminal(in->op))
                break;
            d += opcode_stack_effect(in->op, (int)in->arg, false);
            if (d < 0) {
                bad = true;
                break;
            }
            if (d > maxdepth)
                maxdepth = d;
            if (i + 1 < n && depth[i + 1] >= 0) {
                if (depth[i + 1] != d)
                    bad = true;
                break;
            }
        }
    }
#undef PROPAGATE
    if (bad) {
        free(depth);
        free(work);
        free(newpos);
        if (!c->failed) {
            c->failed = true;
            exc_raise(&exc_SystemError, "gilvm compiler: inconsistent stack depth in %s",
                      str_cstr(u->qualname));
        }
        return NULL;
    }
    // Drop the markers.
    int m = 0;
    for (int i = 0; i < n; i++) {
        newpos[i] = m;
        if (u->instrs[i].op != PSEUDO_SETUP)
            m++;
    }
    newpos[n] = m;
    Code *code = obj_alloc(&code_type, sizeof(Code));
    if (!code) {
        free(depth);
        free(work);
        free(newpos);
        c->failed = true;
        return NULL;
    }
    code->instrs = malloc(sizeof(uint32_t) * (size_t)(m ? m : 1));
    code->lines = malloc(sizeof(LineInfo) * (size_t)(m ? m : 1));
    code->exctab = malloc(sizeof(ExcEntry) * (size_t)(m ? m : 1));
    if (!code->instrs || !code->lines || !code->exctab) {
        free(depth);
        free(work);
        free(newpos);
        obj_make_immortal(&code->ob);
        c->failed = true;
        exc_nomemory();
        return NULL;
    }
    int k = 0;
    uint32_t nexc = 0;
    int cur_h = -1;
    uint32_t run_start = 0;
    for (int i = 0; i < n; i++) {
        Instr *in = &u->instrs[i];
        if (in->op == PSEUDO_SETUP)
            continue;
        uint32_t arg = in->arg;
        if (opcode_is_jump(in->op))
            arg = (uint32_t)newpos[u->labels[arg]];
        code->instrs[k] = INSTR(in->op, arg);
        code->lines[k] = (LineInfo){in->line, in->col, in->end_col};
        int h = (depth[i] >= 0) ? in->handler : -1;
        if (h >= 0 && u->handlers[h].depth < 0)
            h = -1;
        if (h != cur_h) {
            if (cur_h >= 0 && (uint32_t)k > run_start)
                code->exctab[nexc++] =
                    (ExcEntry){run_start, (uint32_t)k,
                               (uint32_t)newpos[u->labels[u->handlers[cur_h].label]],
                               (uint32_t)u->handlers[cur_h].depth};
            cur_h = h;
            run_start = (uint32_t)k;
        }
        k++;
    }
    if (cur_h >= 0 && (uint32_t)k > run_start)
        code->exctab[nexc++] = (ExcEntry){run_start, (uint32_t)k,
                                          (uint32_t)newpos[u->labels[u->handlers[cur_h].label]],
                                          (uint32_t)u->handlers[cur_h].depth};
    free(depth);
    free(work);
    free(newpos);
    code->ninstrs = (uint32_t)m;
    code->nexc = nexc;
    code->consts = list_to_array(u->consts, &code->nconsts);
    code->names = list_to_array(u->names, &code->nnames);
    code->varnames = list_to_array(u->varnames, &code->nlocals);
    uint32_t ncells, nfree;
    code->cellvars = list_to_array(u->cellvars, &ncells);
    code->freevars = list_to_array(u->freevars, &nfree);
    code->ncells = ncells;
    code->nfree = nfree;
    code->cell2arg = malloc(sizeof(int32_t) * (ncells ? ncells : 1));
    if (code->cell2arg) {
        uint32_t nargs = u->argcount + u->kwonly + ((u->flags & CO_VARARGS) ? 1 : 0) +
                         ((u->flags & CO_VARKEYWORDS) ? 1 : 0);
        for (uint32_t i = 0; i < ncells; i++) {
            code->cell2arg[i] = -1;
            for (uint32_t a = 0; a < nargs && a < code->nlocals; a++)
                if (code->varnames[a] == code->cellvars[i])
                    code->cell2arg[i] = (int32_t)a;
        }
    }
    code->stacksize = (uint32_t)maxdepth + 1;
    code->argcount = u->argcount;
    code->posonlyargcount = u->posonly;
    code->kwonlyargcount = u->kwonly;
    code->flags = u->flags;
    code->firstline = u->firstline;
    code->name = incref(u->name);
    code->qualname = incref(u->qualname);
    obj_make_immortal(val_obj(code->qualname));
    code->filename = str_intern_cstr(c->filename);
    obj_make_immortal(&code->ob);
    if (!code->consts || !code->names || !code->varnames || !code->cellvars || !code->freevars ||
        !code->cell2arg) {
        c->failed = true;
        exc_nomemory();
        return NULL;
    }
    return code;
}

static Code *leave_unit(Compiler *c) {
    Code *code = assemble(c);
    Unit *u = c->u;
    c->u = u->parent;
    free_unit(u);
    return code;
}

// --- names --------------------------------------------------------------------------------------------

typedef enum { ACC_LOAD, ACC_STORE, ACC_DEL } Access;

static int deref_index(Compiler *c, const char *name) {
    Unit *u = c->u;
    int i = find_in(u->cellvars, name);
    if (i >= 0)
        return i;
    i = find_in(u->freevars, name);
    if (i >= 0)
        return (int)as_list(u->cellvars)->len + i;
    return -1;
}

static void compile_name(Compiler *c, const char *name, Access acc) {
    Unit *u = c->u;
    Scope *s = u->scope;
    Symbol *sym = scope_lookup(s, name);
    SymScope sc = sym ? sym->scope : (s->kind == SCOPE_FUNCTION ? SYM_GLOBAL_IMPLICIT : SYM_NAME);
    static const int name_ops[3] = {OP_LOAD_NAME, OP_STORE_NAME, OP_DELETE_NAME};
    static const int global_ops[3] = {OP_LOAD_GLOBAL, OP_STORE_GLOBAL, OP_DELETE_GLOBAL};
    static const int fast_ops[3] = {OP_LOAD_FAST, OP_STORE_FAST, OP_DELETE_FAST};
    static const int deref_ops[3] = {OP_LOAD_DEREF, OP_STORE_DEREF, OP_DELETE_DEREF};
    if (s->kind == SCOPE_MODULE) {
        emit(c, name_ops[acc], add_name(c, name));
        return;
    }
    if (s->kind == SCOPE_CLASS) {
        if (sc == SYM_GLOBAL_EXPLICIT) {
            emit(c, global_ops[acc], add_name(c, name));
        } else if (sc == SYM_FREE && sym && !(sym->flags & DEF_BOUND)) {
            int i = deref_index(c, name);
            emit(c, acc == ACC_LOAD ? OP_LOAD_CLASSDEREF : deref_ops[acc], (uint32_t)i);
        } else {
            emit(c, name_ops[acc], add_name(c, name));
        }
        return;
    }
    switch (sc) {
    case SYM_LOCAL: {
        int i = find_in(u->varnames, name);
        emit(c, fast_ops[acc], (uint32_t)i);
        return;
    }
    case SYM_CELL:
    case SYM_FREE: {
        int i = deref_index(c, name);
        if (i < 0) {
            emit(c, global_ops[acc], add_name(c, name));
            return;
        }
        emit(c, deref_ops[acc], (uint32_t)i);
        return;
    }
    default:
        emit(c, global_ops[acc], add_name(c, name));
        return;
    }
}

// --- expressions ------------------------------------------------------------------------------------

static void compile_expr(Compiler *c, const Node *n);
static void compile_stmts(Compiler *c, const NodeList *l);
static void compile_store(Compiler *c, const Node *t);

static const int binop_map[BIN_OP_COUNT] = {
    [BIN_ADD] = NB_ADD,       [BIN_SUB] = NB_SUB,         [BIN_MULT] = NB_MUL,
    [BIN_MATMULT] = NB_MATMUL, [BIN_DIV] = NB_TRUEDIV,    [BIN_MOD] = NB_MOD,
    [BIN_POW] = NB_POW,       [BIN_LSHIFT] = NB_LSHIFT,   [BIN_RSHIFT] = NB_RSHIFT,
    [BIN_BITOR] = NB_OR,      [BIN_BITXOR] = NB_XOR,      [BIN_BITAND] = NB_AND,
    [BIN_FLOORDIV] = NB_FLOORDIV,
};

static Value constant_value(Compiler *c, const Node *n) {
    switch (n->constant.kind) {
    case CONST_NONE: return VAL_NONE;
    case CONST_TRUE: return VAL_TRUE;
    case CONST_FALSE: return VAL_FALSE;
    case CONST_ELLIPSIS: return VAL_ELLIPSIS;
    case CONST_INT: {
        Value v = int_from_string(n->constant.int_.digits, strlen(n->constant.int_.digits),
                                  n->constant.int_.base);
        if (!v) {
            // Too many digits for int->str (CPython's limit) etc.
            Value e = exc_fetch();
            Value msg = e ? exc_str(e) : VAL_NULL;
            decref(e);
            SYNTAX_ERROR(c, n, "%s", msg ? str_cstr(msg) : "invalid integer literal");
            decref(msg);
        }
        return v;
    }
    case CONST_FLOAT: return float_new(n->constant.float_);
    case CONST_STR: {
        Value v = str_new(n->constant.str.data, n->constant.str.len);
        check_exc(c);
        return v;
    }
    case CONST_BYTES:
        SYNTAX_ERROR(c, n, "bytes literals are not supported by gilvm");
        return VAL_NULL;
    }
    return VAL_NULL;
}

static bool is_starred(const Node *n) {
    return n && n->kind == AST_STARRED;
}

static bool has_starred(const NodeList *l) {
    for (int i = 0; i < l->len; i++)
        if (is_starred(l->items[i]))
            return true;
    return false;
}

// Build a list from [elts] (with *unpacking) on the stack.
static void compile_list_items(Compiler *c, const NodeList *elts) {
    if (!has_starred(elts) && elts->len <= 64) {
        for (int i = 0; i < elts->len; i++)
            compile_expr(c, elts->items[i]);
        emit(c, OP_BUILD_LIST, (uint32_t)elts->len);
        return;
    }
    emit(c, OP_BUILD_LIST, 0);
    for (int i = 0; i < elts->len; i++) {
        const Node *e = elts->items[i];
        if (is_starred(e)) {
            compile_expr(c, e->starred.value);
            emit(c, OP_LIST_EXTEND, 1);
        } else {
            compile_expr(c, e);
            emit(c, OP_LIST_APPEND, 1);
        }
    }
}

// A constant, or a negated numeric constant (-1), as CPython folds them.
static bool is_constant_node(const Node *e) {
    if (e->kind == AST_UNARY_OP && e->unary_op.op == UNARY_USUB &&
        e->unary_op.operand->kind == AST_CONSTANT)
        return e->unary_op.operand->constant.kind == CONST_INT ||
               e->unary_op.operand->constant.kind == CONST_FLOAT;
    return e->kind == AST_CONSTANT && e->constant.kind != CONST_BYTES;
}

// The value of a node accepted by is_constant_node (new reference).
static Value folded_constant(Compiler *c, const Node *e) {
    if (e->kind == AST_CONSTANT)
        return constant_value(c, e);
    Value v = constant_value(c, e->unary_op.operand);
    if (!v)
        return VAL_NULL;
    Value neg = val_neg(v);
    decref(v);
    if (!neg)
        check_exc(c);
    return neg;
}

static bool all_constant(const NodeList *l) {
    for (int i = 0; i < l->len; i++)
        if (!is_constant_node(l->items[i]))
            return false;
    return true;
}

static void compile_tuple(Compiler *c, const NodeList *elts) {
    if (elts->len > 0 && all_constant(elts) && elts->len <= 4096) {
        Value t = tuple_new((size_t)elts->len);
        if (!t) {
            fail_nomem(c);
            return;
        }
        for (int i = 0; i < elts->len; i++) {
            Value v = folded_constant(c, elts->items[i]);
            if (!v) {
                tuple_set_steal(t, (size_t)i, incref(VAL_NONE));
                c->failed = true;
                continue;
            }
            if (val_is_obj(v) && val_obj(v)->type == &str_type)
                v = str_intern_value(v);
            else if (val_is_obj(v))
                obj_make_immortal(val_obj(v));
            tuple_set_steal(t, (size_t)i, v);
        }
        emit_const(c, t);
        return;
    }
    if (!has_starred(elts) && elts->len <= 64) {
        for (int i = 0; i < elts->len; i++)
            compile_expr(c, elts->items[i]);
        emit(c, OP_BUILD_TUPLE, (uint32_t)elts->len);
        return;
    }
    compile_list_items(c, elts);
    emit(c, OP_LIST_TO_TUPLE, 0);
}

static void compile_set(Compiler *c, const NodeList *elts) {
    if (elts->len >= 3 && all_constant(elts) && elts->len <= 4096) {
        // As CPython: a constant frozenset added to an empty set, which fixes
        // the iteration order CPython shows for such displays.
        Value t = tuple_new((size_t)elts->len);
        if (!t) {
            fail_nomem(c);
            return;
        }
        for (int i = 0; i < elts->len; i++) {
            Value v = folded_constant(c, elts->items[i]);
            tuple_set_steal(t, (size_t)i, v ? v : incref(VAL_NONE));
        }
        Value fs = c->failed ? VAL_NULL : set_const_literal(t);
        decref(t);
        if (!fs) {
            check_exc(c);
            return;
        }
        emit(c, OP_BUILD_SET, 0);
        emit_const(c, fs);
        emit(c, OP_SET_UPDATE, 1);
        return;
    }
    if (!has_starred(elts) && elts->len <= 64) {
        for (int i = 0; i < elts->len; i++)
            compile_expr(c, elts->items[i]);
        emit(c, OP_BUILD_SET, (uint32_t)elts->len);
        return;
    }
    emit(c, OP_BUILD_SET, 0);
    for (int i = 0; i < elts->len; i++) {
        const Node *e = elts->items[i];
        if (is_starred(e)) {
            compile_expr(c, e->starred.value);
            emit(c, OP_SET_UPDATE, 1);
        } else {
            compile_expr(c, e);
            emit(c, OP_SET_ADD, 1);
        }
    }
}

static void compile_dict(Compiler *c, const Node *n) {
    const NodeList *keys = &n->dict.keys, *vals = &n->dict.values;
    bool simple = keys->len <= 64;
    for (int i = 0; i < keys->len && simple; i++)
        if (!keys->items[i])
            simple = false;
    if (simple) {
        for (int i = 0; i < keys->len; i++) {
            compile_expr(c, keys->items[i]);
            compile_expr(c, vals->items[i]);
        }
        emit(c, OP_BUILD_MAP, (uint32_t)keys->len);
        return;
    }
    emit(c, OP_BUILD_MAP, 0);
    for (int i = 0; i < keys->len; i++) {
        if (!keys->items[i]) {
            compile_expr(c, vals->items[i]);
            emit(c, OP_DICT_UPDATE, 1);
        } else {
            compile_expr(c, keys->items[i]);
            compile_expr(c, vals->items[i]);
            emit(c, OP_MAP_ADD, 1);
        }
    }
}

static int compare_op(CmpOpKind k, int *op) {
    switch (k) {
    case CMPOP_EQ: *op = OP_COMPARE_OP; return CMP_EQ;
    case CMPOP_NOT_EQ: *op = OP_COMPARE_OP; return CMP_NE;
    case CMPOP_LT: *op = OP_COMPARE_OP; return CMP_LT;
    case CMPOP_LT_E: *op = OP_COMPARE_OP; return CMP_LE;
    case CMPOP_GT: *op = OP_COMPARE_OP; return CMP_GT;
    case CMPOP_GT_E: *op = OP_COMPARE_OP; return CMP_GE;
    case CMPOP_IS: *op = OP_IS_OP; return 0;
    case CMPOP_IS_NOT: *op = OP_IS_OP; return 1;
    case CMPOP_IN: *op = OP_CONTAINS_OP; return 0;
    case CMPOP_NOT_IN: *op = OP_CONTAINS_OP; return 1;
    }
    *op = OP_COMPARE_OP;
    return 0;
}

static void emit_compare(Compiler *c, CmpOpKind k) {
    int op;
    int arg = compare_op(k, &op);
    emit(c, op, (uint32_t)arg);
}

static void compile_compare(Compiler *c, const Node *n) {
    compile_expr(c, n->compare.left);
    int ncmp = n->compare.comparators.len;
    if (ncmp == 1) {
        compile_expr(c, n->compare.comparators.items[0]);
        emit_compare(c, n->compare.ops[0]);
        return;
    }
    int cleanup = new_label(c), end = new_label(c);
    for (int i = 0; i < ncmp - 1; i++) {
        compile_expr(c, n->compare.comparators.items[i]);
        emit(c, OP_SWAP, 2);
        emit(c, OP_COPY, 2);
        emit_compare(c, n->compare.ops[i]);
        emit(c, OP_JUMP_IF_FALSE_OR_POP, (uint32_t)cleanup);
    }
    compile_expr(c, n->compare.comparators.items[ncmp - 1]);
    emit_compare(c, n->compare.ops[ncmp - 1]);
    emit(c, OP_JUMP, (uint32_t)end);
    place_label(c, cleanup);
    emit(c, OP_SWAP, 2);
    emit(c, OP_POP_TOP, 0);
    place_label(c, end);
}

// Jump to [label] when [n] is falsy (cond == false) or truthy (cond == true).
static void compile_jump_if(Compiler *c, const Node *n, bool cond, int label) {
    if (n->kind == AST_UNARY_OP && n->unary_op.op == UNARY_NOT) {
        compile_jump_if(c, n->unary_op.operand, !cond, label);
        return;
    }
    if (n->kind == AST_BOOL_OP) {
        bool is_and = n->bool_op.op == BOOL_AND;
        const NodeList *v = &n->bool_op.values;
        if (is_and != cond) {
            // and-false / or-true: any element decides the jump
            for (int i = 0; i < v->len; i++)
                compile_jump_if(c, v->items[i], cond, label);
        } else {
            int skip = new_label(c);
            for (int i = 0; i < v->len - 1; i++)
                compile_jump_if(c, v->items[i], !cond, skip);
            compile_jump_if(c, v->items[v->len - 1], cond, label);
            place_label(c, skip);
        }
        return;
    }
    compile_expr(c, n);
    emit(c, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, (uint32_t)label);
}

static Code *compile_function_body(Compiler *c, const Node *n, Scope *fs, const char *qualname);
static void make_closure(Compiler *c, Code *code, uint32_t flags);

static char *qualify(Compiler *c, const char *name) {
    // qualname: enclosing function names get ".<locals>".
    Unit *u = c->u;
    const char *prefix = NULL;
    char *buf;
    if (u && u->scope->kind != SCOPE_MODULE) {
        prefix = str_cstr(u->qualname);
        bool fn = u->scope->kind == SCOPE_FUNCTION;
        size_t len = strlen(prefix) + strlen(name) + 16;
        buf = malloc(len);
        if (!buf)
            return NULL;
        snprintf(buf, len, "%s%s.%s", prefix, fn ? ".<locals>" : "", name);
    } else {
        buf = malloc(strlen(name) + 1);
        if (!buf)
            return NULL;
        strcpy(buf, name);
    }
    return buf;
}

static void compile_comprehension_loops(Compiler *c, const Node *n, const NodeList *gens, int gi,
                                        int depth) {
    const Node *g = gens->items[gi];
    int start = new_label(c), cleanup = new_label(c), skip = new_label(c);
    if (gi == 0) {
        emit(c, OP_LOAD_FAST, 0);   // .0, already an iterator
    } else {
        compile_expr(c, g->comprehension.iter);
        emit(c, OP_GET_ITER, 0);
    }
    place_label(c, start);
    emit(c, OP_FOR_ITER, (uint32_t)cleanup);
    compile_store(c, g->comprehension.target);
    for (int i = 0; i < g->comprehension.ifs.len; i++)
        compile_jump_if(c, g->comprehension.ifs.items[i], false, skip);
    if (gi + 1 < gens->len) {
        compile_comprehension_loops(c, n, gens, gi + 1, depth + 1);
    } else {
        switch (n->kind) {
        case AST_LIST_COMP:
            compile_expr(c, n->comp.elt);
            emit(c, OP_LIST_APPEND, (uint32_t)(depth + 2));
            break;
        case AST_SET_COMP:
            compile_expr(c, n->comp.elt);
            emit(c, OP_SET_ADD, (uint32_t)(depth + 2));
            break;
        case AST_DICT_COMP:
            compile_expr(c, n->dict_comp.key);
            compile_expr(c, n->dict_comp.value);
            emit(c, OP_MAP_ADD, (uint32_t)(depth + 2));
            break;
        default:
            compile_expr(c, n->comp.elt);
            emit(c, OP_YIELD_VALUE, 0);
            emit(c, OP_POP_TOP, 0);
            break;
        }
    }
    place_label(c, skip);
    emit(c, OP_JUMP_BACKWARD, (uint32_t)start);
    place_label(c, cleanup);
}

static void compile_comprehension(Compiler *c, const Node *n) {
    Scope *cs = scope_next_child(c->u->scope);
    if (!cs) {
        c->failed = true;
        return;
    }
    const NodeList *gens = n->kind == AST_DICT_COMP ? &n->dict_comp.generators : &n->comp.generators;
    char *qn = qualify(c, cs->name);
    if (!qn) {
        fail_nomem(c);
        return;
    }
    Unit *outer = c->u;
    if (!enter_unit(c, cs, cs->name, qn, n->line)) {
        free(qn);
        return;
    }
    free(qn);
    c->u->flags |= CO_NESTED;
    set_loc(c->u, n);
    int accum = n->kind == AST_LIST_COMP   ? OP_BUILD_LIST
                : n->kind == AST_SET_COMP  ? OP_BUILD_SET
                : n->kind == AST_DICT_COMP ? OP_BUILD_MAP
                                           : -1;
    if (accum >= 0)
        emit(c, accum, 0);
    compile_comprehension_loops(c, n, gens, 0, 0);
    if (accum < 0)
        emit_const(c, VAL_NONE);
    emit(c, OP_RETURN_VALUE, 0);
    Code *code = leave_unit(c);
    c->u = outer;
    if (!code)
        return;
    make_closure(c, code, 0);
    emit(c, OP_PUSH_NULL, 0);
    compile_expr(c, gens->items[0]->comprehension.iter);
    emit(c, OP_GET_ITER, 0);
    emit(c, OP_CALL, 1);
}

// Push the closure tuple (if any) and the code, then MAKE_FUNCTION.
static void make_closure(Compiler *c, Code *code, uint32_t flags) {
    if (code->nfree) {
        for (uint32_t i = 0; i < code->nfree; i++) {
            const char *name = str_cstr(code->freevars[i]);
            int idx = deref_index(c, name);
            if (idx < 0) {
                c->failed = true;
                exc_raise(&exc_SystemError, "gilvm compiler: no cell for free variable '%s'",
                          name);
                return;
            }
            emit(c, OP_LOAD_CLOSURE, (uint32_t)idx);
        }
        emit(c, OP_BUILD_TUPLE, code->nfree);
        flags |= MF_CLOSURE;
    }
    emit(c, OP_LOAD_CONST, add_const(c, obj_val(code)));
    emit(c, OP_MAKE_FUNCTION, flags);
}

// Defaults and keyword-only defaults of [args]; returns MAKE_FUNCTION flags.
static uint32_t compile_defaults(Compiler *c, const Node *args) {
    uint32_t flags = 0;
    if (args->arguments.defaults.len) {
        compile_tuple(c, &args->arguments.defaults);
        flags |= MF_DEFAULTS;
    }
    int nkw = 0;
    for (int i = 0; i < args->arguments.kwonlyargs.len; i++) {
        const Node *d = args->arguments.kw_defaults.items[i];
        if (!d)
            continue;
        emit_const(c, str_from_cstr(args->arguments.kwonlyargs.items[i]->arg.arg));
        compile_expr(c, d);
        nkw++;
    }
    if (nkw) {
        emit(c, OP_BUILD_MAP, (uint32_t)nkw);
        flags |= MF_KWDEFAULTS;
    }
    return flags;
}

static void compile_lambda(Compiler *c, const Node *n) {
    uint32_t flags = compile_defaults(c, n->lambda.args);
    Scope *fs = scope_next_child(c->u->scope);
    if (!fs) {
        c->failed = true;
        return;
    }
    char *qn = qualify(c, "<lambda>");
    if (!qn) {
        fail_nomem(c);
        return;
    }
    Unit *outer = c->u;
    if (!enter_unit(c, fs, "<lambda>", qn, n->line)) {
        free(qn);
        return;
    }
    free(qn);
    set_loc(c->u, n->lambda.body);
    compile_expr(c, n->lambda.body);
    if (fs->is_generator) {
        emit(c, OP_POP_TOP, 0);
        emit_const(c, VAL_NONE);
    }
    emit(c, OP_RETURN_VALUE, 0);
    Code *code = leave_unit(c);
    c->u = outer;
    if (code)
        make_closure(c, code, flags);
}

// The arguments of a call whose callable and self/NULL slot are already on
// the stack, after [pushed] positional values also already there (the class
// statement pushes the body function and the name).
static void compile_call_args(Compiler *c, const NodeList *args, const NodeList *kws,
                              int pushed) {
    bool dstar = false;
    for (int i = 0; i < kws->len; i++)
        if (!kws->items[i]->keyword.arg)
            dstar = true;
    if (!has_starred(args) && !dstar && args->len + kws->len <= 250) {
        for (int i = 0; i < args->len; i++)
            compile_expr(c, args->items[i]);
        uint32_t n = (uint32_t)(pushed + args->len + kws->len);
        if (kws->len) {
            Value names = tuple_new((size_t)kws->len);
            if (!names) {
                fail_nomem(c);
                return;
            }
            for (int i = 0; i < kws->len; i++) {
                compile_expr(c, kws->items[i]->keyword.value);
                tuple_set_steal(names, (size_t)i, str_intern_cstr(kws->items[i]->keyword.arg));
            }
            emit(c, OP_LOAD_CONST, add_const(c, names));
            emit(c, OP_CALL_KW, n);
        } else {
            emit(c, OP_CALL, n);
        }
        return;
    }
    // General form: f(*args, **kwargs), the positional part built as a list.
    emit(c, OP_BUILD_LIST, (uint32_t)pushed);
    for (int i = 0; i < args->len; i++) {
        const Node *e = args->items[i];
        if (is_starred(e)) {
            compile_expr(c, e->starred.value);
            emit(c, OP_LIST_EXTEND, 1);
        } else {
            compile_expr(c, e);
            emit(c, OP_LIST_APPEND, 1);
        }
    }
    emit(c, OP_LIST_TO_TUPLE, 0);
    if (kws->len) {
        emit(c, OP_BUILD_MAP, 0);
        for (int i = 0; i < kws->len; i++) {
            const Node *k = kws->items[i];
            if (k->keyword.arg) {
                emit_const(c, str_from_cstr(k->keyword.arg));
                compile_expr(c, k->keyword.value);
                emit(c, OP_BUILD_MAP, 1);
            } else {
                compile_expr(c, k->keyword.value);
            }
            emit(c, OP_DICT_MERGE, 1);
        }
        emit(c, OP_CALL_EX, CE_KWARGS);
    } else {
        emit(c, OP_CALL_EX, 0);
    }
}

static void compile_call(Compiler *c, const Node *n) {
    const Node *fn = n->call.func;
    bool plain_args = !has_starred(&n->call.args);
    for (int i = 0; i < n->call.keywords.len && plain_args; i++)
        if (!n->call.keywords.items[i]->keyword.arg)
            plain_args = false;
    if (fn->kind == AST_ATTRIBUTE && fn->attribute.ctx == CTX_LOAD && plain_args) {
        compile_expr(c, fn->attribute.value);
        set_loc(c->u, n);
        emit(c, OP_LOAD_METHOD, add_name(c, fn->attribute.attr));
    } else {
        compile_expr(c, fn);
        emit(c, OP_PUSH_NULL, 0);
    }
    compile_call_args(c, &n->call.args, &n->call.keywords, 0);
    set_loc(c->u, n);
}

static void compile_joined_str(Compiler *c, const Node *n);

static void compile_formatted(Compiler *c, const Node *n) {
    compile_expr(c, n->formatted.value);
    uint32_t flags = 0;
    switch (n->formatted.conversion) {
    case 's': flags = 1; break;
    case 'r': flags = 2; break;
    case 'a': flags = 3; break;
    default: flags = 0; break;
    }
    if (n->formatted.format_spec) {
        compile_joined_str(c, n->formatted.format_spec);
        flags |= 4;
    }
    emit(c, OP_FORMAT_VALUE, flags);
}

static void compile_joined_str(Compiler *c, const Node *n) {
    const NodeList *v = &n->joined_str.values;
    if (v->len == 0) {
        emit_const(c, str_from_cstr(""));
        return;
    }
    for (int i = 0; i < v->len; i++) {
        const Node *part = v->items[i];
        if (part->kind == AST_FORMATTED_VALUE)
            compile_formatted(c, part);
        else
            compile_expr(c, part);
    }
    if (v->len > 1)
        emit(c, OP_BUILD_STRING, (uint32_t)v->len);
}

static void compile_subscript_key(Compiler *c, const Node *s) {
    if (s->kind == AST_SLICE) {
        if (s->slice.lower)
            compile_expr(c, s->slice.lower);
        else
            emit_const(c, VAL_NONE);
        if (s->slice.upper)
            compile_expr(c, s->slice.upper);
        else
            emit_const(c, VAL_NONE);
        if (s->slice.step) {
            compile_expr(c, s->slice.step);
            emit(c, OP_BUILD_SLICE, 3);
        } else {
            emit(c, OP_BUILD_SLICE, 2);
        }
        return;
    }
    compile_expr(c, s);
}

static void compile_expr(Compiler *c, const Node *n) {
    if (c->failed)
        return;
    Unit *u = c->u;
    int saved_line = u->line, saved_col = u->col, saved_end = u->end_col;
    set_loc(u, n);
    switch (n->kind) {
    case AST_CONSTANT: {
        Value v = constant_value(c, n);
        if (v)
            emit_const(c, v);
        break;
    }
    case AST_NAME:
        compile_name(c, n->name.id, ACC_LOAD);
        break;
    case AST_BIN_OP:
        compile_expr(c, n->bin_op.left);
        compile_expr(c, n->bin_op.right);
        set_loc(u, n);
        emit(c, OP_BINARY_OP, (uint32_t)binop_map[n->bin_op.op]);
        break;
    case AST_UNARY_OP: {
        const Node *o = n->unary_op.operand;
        if (n->unary_op.op == UNARY_USUB && o->kind == AST_CONSTANT &&
            (o->constant.kind == CONST_INT || o->constant.kind == CONST_FLOAT)) {
            Value v = constant_value(c, o);
            if (v) {
                Value neg = val_neg(v);
                decref(v);
                if (neg)
                    emit_const(c, neg);
                else
                    check_exc(c);
            }
            break;
        }
        compile_expr(c, o);
        set_loc(u, n);
        switch (n->unary_op.op) {
        case UNARY_INVERT: emit(c, OP_UNARY_INVERT, 0); break;
        case UNARY_NOT: emit(c, OP_UNARY_NOT, 0); break;
        case UNARY_UADD: emit(c, OP_UNARY_POSITIVE, 0); break;
        case UNARY_USUB: emit(c, OP_UNARY_NEGATIVE, 0); break;
        }
        break;
    }
    case AST_BOOL_OP: {
        int end = new_label(c);
        const NodeList *v = &n->bool_op.values;
        int op = n->bool_op.op == BOOL_AND ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP;
        for (int i = 0; i < v->len - 1; i++) {
            compile_expr(c, v->items[i]);
            emit(c, op, (uint32_t)end);
        }
        compile_expr(c, v->items[v->len - 1]);
        place_label(c, end);
        break;
    }
    case AST_COMPARE:
        compile_compare(c, n);
        break;
    case AST_IF_EXP: {
        int orelse = new_label(c), end = new_label(c);
        compile_jump_if(c, n->if_exp.test, false, orelse);
        compile_expr(c, n->if_exp.body);
        emit(c, OP_JUMP, (uint32_t)end);
        place_label(c, orelse);
        compile_expr(c, n->if_exp.orelse);
        place_label(c, end);
        break;
    }
    case AST_CALL:
        compile_call(c, n);
        break;
    case AST_ATTRIBUTE:
        compile_expr(c, n->attribute.value);
        set_loc(u, n);
        emit(c, OP_LOAD_ATTR, add_name(c, n->attribute.attr));
        break;
    case AST_SUBSCRIPT:
        compile_expr(c, n->subscript.value);
        compile_subscript_key(c, n->subscript.slice);
        set_loc(u, n);
        emit(c, OP_BINARY_SUBSCR, 0);
        break;
    case AST_LIST:
        compile_list_items(c, &n->seq.elts);
        break;
    case AST_TUPLE:
        compile_tuple(c, &n->seq.elts);
        break;
    case AST_SET:
        compile_set(c, &n->set.elts);
        break;
    case AST_DICT:
        compile_dict(c, n);
        break;
    case AST_LIST_COMP:
    case AST_SET_COMP:
    case AST_DICT_COMP:
    case AST_GENERATOR_EXP:
        compile_comprehension(c, n);
        break;
    case AST_LAMBDA:
        compile_lambda(c, n);
        break;
    case AST_JOINED_STR:
        compile_joined_str(c, n);
        break;
    case AST_FORMATTED_VALUE:
        compile_formatted(c, n);
        break;
    case AST_NAMED_EXPR:
        compile_expr(c, n->named_expr.value);
        emit(c, OP_COPY, 1);
        compile_name(c, n->named_expr.target->name.id, ACC_STORE);
        break;
    case AST_YIELD:
        if (n->value_expr.value)
            compile_expr(c, n->value_expr.value);
        else
            emit_const(c, VAL_NONE);
        emit(c, OP_YIELD_VALUE, 0);
        break;
    case AST_YIELD_FROM: {
        compile_expr(c, n->value_expr.value);
        emit(c, OP_GET_YIELD_FROM_ITER, 0);
        emit_const(c, VAL_NONE);
        int loop = new_label(c), exit = new_label(c);
        place_label(c, loop);
        emit(c, OP_SEND, (uint32_t)exit);
        emit(c, OP_YIELD_VALUE, 0);
        emit(c, OP_JUMP_BACKWARD, (uint32_t)loop);
        place_label(c, exit);
        break;
    }
    case AST_AWAIT:
        SYNTAX_ERROR(c, n, "'await' is not supported by gilvm yet");
        break;
    case AST_STARRED:
        SYNTAX_ERROR(c, n, "can't use starred expression here");
        break;
    case AST_SLICE:
        compile_subscript_key(c, n);
        break;
    default:
        SYNTAX_ERROR(c, n, "invalid syntax");
        break;
    }
    u->line = saved_line;
    u->col = saved_col;
    u->end_col = saved_end;
}

// --- assignment targets ---------------------------------------------------------------------------

static void compile_store(Compiler *c, const Node *t) {
    if (c->failed)
        return;
    set_loc(c->u, t);
    switch (t->kind) {
    case AST_NAME:
        compile_name(c, t->name.id, ACC_STORE);
        return;
    case AST_ATTRIBUTE:
        compile_expr(c, t->attribute.value);
        set_loc(c->u, t);
        emit(c, OP_STORE_ATTR, add_name(c, t->attribute.attr));
        return;
    case AST_SUBSCRIPT:
        compile_expr(c, t->subscript.value);
        compile_subscript_key(c, t->subscript.slice);
        set_loc(c->u, t);
        emit(c, OP_STORE_SUBSCR, 0);
        return;
    case AST_TUPLE:
    case AST_LIST: {
        const NodeList *elts = &t->seq.elts;
        int star = -1;
        for (int i = 0; i < elts->len; i++) {
            if (is_starred(elts->items[i])) {
                if (star >= 0) {
                    SYNTAX_ERROR(c, elts->items[i], "multiple starred expressions in assignment");
                    return;
                }
                star = i;
            }
        }
        if (star >= 0) {
            int after = elts->len - star - 1;
            if (star > 255 || after > 65535) {
                SYNTAX_ERROR(c, t, "too many expressions in star-unpacking assignment");
                return;
            }
            emit(c, OP_UNPACK_EX, (uint32_t)(star | (after << 8)));
        } else {
            emit(c, OP_UNPACK_SEQUENCE, (uint32_t)elts->len);
        }
        for (int i = 0; i < elts->len; i++) {
            const Node *e = elts->items[i];
            compile_store(c, is_starred(e) ? e->starred.value : e);
        }
        return;
    }
    case AST_STARRED:
        SYNTAX_ERROR(c, t, "starred assignment target must be in a list or tuple");
        return;
    default:
        SYNTAX_ERROR(c, t, "cannot assign to expression");
        return;
    }
}

static void compile_delete(Compiler *c, const Node *t) {
    set_loc(c->u, t);
    switch (t->kind) {
    case AST_NAME:
        compile_name(c, t->name.id, ACC_DEL);
        return;
    case AST_ATTRIBUTE:
        compile_expr(c, t->attribute.value);
        set_loc(c->u, t);
        emit(c, OP_DELETE_ATTR, add_name(c, t->attribute.attr));
        return;
    case AST_SUBSCRIPT:
        compile_expr(c, t->subscript.value);
        compile_subscript_key(c, t->subscript.slice);
        set_loc(c->u, t);
        emit(c, OP_DELETE_SUBSCR, 0);
        return;
    case AST_TUPLE:
    case AST_LIST:
        for (int i = 0; i < t->seq.elts.len; i++)
            compile_delete(c, t->seq.elts.items[i]);
        return;
    default:
        SYNTAX_ERROR(c, t, "cannot delete expression");
        return;
    }
}

static void compile_aug_assign(Compiler *c, const Node *n) {
    const Node *t = n->aug_assign.target;
    uint32_t op = (uint32_t)(NB_COUNT + binop_map[n->aug_assign.op]);
    switch (t->kind) {
    case AST_NAME:
        compile_name(c, t->name.id, ACC_LOAD);
        compile_expr(c, n->aug_assign.value);
        set_loc(c->u, n);
        emit(c, OP_BINARY_OP, op);
        compile_name(c, t->name.id, ACC_STORE);
        return;
    case AST_ATTRIBUTE: {
        uint32_t name = add_name(c, t->attribute.attr);
        compile_expr(c, t->attribute.value);
        set_loc(c->u, t);
        emit(c, OP_COPY, 1);
        emit(c, OP_LOAD_ATTR, name);
        compile_expr(c, n->aug_assign.value);
        set_loc(c->u, n);
        emit(c, OP_BINARY_OP, op);
        emit(c, OP_SWAP, 2);
        emit(c, OP_STORE_ATTR, name);
        return;
    }
    case AST_SUBSCRIPT:
        compile_expr(c, t->subscript.value);
        compile_subscript_key(c, t->subscript.slice);
        set_loc(c->u, t);
        emit(c, OP_COPY, 2);
        emit(c, OP_COPY, 2);
        emit(c, OP_BINARY_SUBSCR, 0);
        compile_expr(c, n->aug_assign.value);
        set_loc(c->u, n);
        emit(c, OP_BINARY_OP, op);
        emit(c, OP_SWAP, 3);
        emit(c, OP_SWAP, 2);
        emit(c, OP_STORE_SUBSCR, 0);
        return;
    default:
        SYNTAX_ERROR(c, t, "'%s' is an illegal expression for augmented assignment",
                     ast_kind_name(t->kind));
        return;
    }
}

// --- unwinding --------------------------------------------------------------------------------------

// Emit what leaving fblock [i] requires. [preserve_tos]: a value (the return
// value) sits on top of the block's own stack items.
static void unwind_fblock(Compiler *c, int i, bool preserve_tos) {
    Unit *u = c->u;
    FBlock fb = u->fblocks[i];
    switch (fb.kind) {
    case FB_WHILE:
    case FB_TRY_EXCEPT:
        return;
    case FB_FOR:
        if (preserve_tos)
            emit(c, OP_SWAP, 2);
        emit(c, OP_POP_TOP, 0);
        return;
    case FB_WITH:
        if (preserve_tos)
            emit(c, OP_SWAP, 2);
        emit(c, OP_WITH_EXIT, 0);
        return;
    case FB_HANDLER:
        if (preserve_tos)
            emit(c, OP_SWAP, 2);
        emit(c, OP_POP_EXCEPT, 0);
        if (fb.name) {
            emit_const(c, VAL_NONE);
            compile_name(c, fb.name, ACC_STORE);
            compile_name(c, fb.name, ACC_DEL);
        }
        return;
    case FB_FINALLY_END:
        if (preserve_tos)
            emit(c, OP_SWAP, 2);
        emit(c, OP_POP_TOP, 0);
        if (preserve_tos)
            emit(c, OP_SWAP, 2);
        emit(c, OP_POP_EXCEPT, 0);
        return;
    case FB_FINALLY_TRY: {
        // Run the finally body with this block (and those inside it) gone.
        int saved_nfb = u->nfb;
        u->nfb = i;
        compile_stmts(c, fb.finalbody);
        u->nfb = saved_nfb;
        return;
    }
    }
}

// What unwinding overwrites and must be put back afterwards.
typedef struct {
    int hstack[MAX_HANDLERS];
    int hsp;
    FBlock fblocks[MAX_BLOCKS];
    int nfb;
} UnwindSave;

// Unwind blocks above [stop] (exclusive; -1 = all). Handlers that belong to
// unwound blocks stop covering the code emitted here.
static void unwind_to(Compiler *c, int stop, bool preserve_tos, UnwindSave *save) {
    Unit *u = c->u;
    memcpy(save->hstack, u->hstack, sizeof(int) * (size_t)u->hsp);
    save->hsp = u->hsp;
    memcpy(save->fblocks, u->fblocks, sizeof(FBlock) * (size_t)u->nfb);
    save->nfb = u->nfb;
    for (int i = save->nfb - 1; i > stop; i--) {
        FBlock fb = save->fblocks[i];
        if (u->hsp > fb.hsp_base)
            u->hsp = fb.hsp_base;
        u->fblocks[i] = fb;
        u->nfb = i + 1;
        unwind_fblock(c, i, preserve_tos);
    }
}

static void restore_unwind(Compiler *c, const UnwindSave *save) {
    memcpy(c->u->hstack, save->hstack, sizeof(int) * (size_t)save->hsp);
    c->u->hsp = save->hsp;
    memcpy(c->u->fblocks, save->fblocks, sizeof(FBlock) * (size_t)save->nfb);
    c->u->nfb = save->nfb;
}

// --- statements --------------------------------------------------------------------------------------

static void compile_stmt(Compiler *c, const Node *n);

static void compile_stmts(Compiler *c, const NodeList *l) {
    for (int i = 0; i < l->len && !c->failed; i++)
        compile_stmt(c, l->items[i]);
}

static bool const_truth(const Node *n, bool *value) {
    if (n->kind != AST_CONSTANT)
        return false;
    switch (n->constant.kind) {
    case CONST_TRUE: *value = true; return true;
    case CONST_FALSE:
    case CONST_NONE: *value = false; return true;
    case CONST_INT: *value = strspn(n->constant.int_.digits, "0") != strlen(n->constant.int_.digits); return true;
    default: return false;
    }
}

static void compile_if(Compiler *c, const Node *n) {
    int end = new_label(c);
    bool truth;
    if (const_truth(n->if_stmt.test, &truth)) {
        if (truth)
            compile_stmts(c, &n->if_stmt.body);
        else
            compile_stmts(c, &n->if_stmt.orelse);
        place_label(c, end);
        return;
    }
    if (n->if_stmt.orelse.len) {
        int orelse = new_label(c);
        compile_jump_if(c, n->if_stmt.test, false, orelse);
        compile_stmts(c, &n->if_stmt.body);
        emit(c, OP_JUMP, (uint32_t)end);
        place_label(c, orelse);
        compile_stmts(c, &n->if_stmt.orelse);
    } else {
        compile_jump_if(c, n->if_stmt.test, false, end);
        compile_stmts(c, &n->if_stmt.body);
    }
    place_label(c, end);
}

static void compile_while(Compiler *c, const Node *n) {
    int loop = new_label(c), orelse = new_label(c), end = new_label(c);
    bool truth = false;
    bool constant = const_truth(n->while_stmt.test, &truth);
    if (constant && !truth) {
        compile_stmts(c, &n->while_stmt.orelse);
        return;
    }
    place_label(c, loop);
    if (!constant)
        compile_jump_if(c, n->while_stmt.test, false, orelse);
    if (push_fblock(c, FB_WHILE, loop, end, 0) < 0)
        return;
    compile_stmts(c, &n->while_stmt.body);
    pop_fblock(c);
    set_loc(c->u, n);
    emit(c, OP_JUMP_BACKWARD, (uint32_t)loop);
    place_label(c, orelse);
    compile_stmts(c, &n->while_stmt.orelse);
    place_label(c, end);
}

static void compile_for(Compiler *c, const Node *n) {
    if (n->for_stmt.is_async) {
        SYNTAX_ERROR(c, n, "'async for' is not supported by gilvm yet");
        return;
    }
    int loop = new_label(c), cleanup = new_label(c), end = new_label(c);
    compile_expr(c, n->for_stmt.iter);
    set_loc(c->u, n);
    emit(c, OP_GET_ITER, 0);
    place_label(c, loop);
    emit(c, OP_FOR_ITER, (uint32_t)cleanup);
    if (push_fblock(c, FB_FOR, loop, end, 0) < 0)
        return;
    compile_store(c, n->for_stmt.target);
    compile_stmts(c, &n->for_stmt.body);
    pop_fblock(c);
    set_loc(c->u, n);
    emit(c, OP_JUMP_BACKWARD, (uint32_t)loop);
    place_label(c, cleanup);
    compile_stmts(c, &n->for_stmt.orelse);
    place_label(c, end);
}

static int find_loop(Compiler *c) {
    for (int i = c->u->nfb - 1; i >= 0; i--)
        if (c->u->fblocks[i].kind == FB_WHILE || c->u->fblocks[i].kind == FB_FOR)
            return i;
    return -1;
}

static void compile_break_continue(Compiler *c, const Node *n, bool is_break) {
    int loop = find_loop(c);
    if (loop < 0) {
        SYNTAX_ERROR(c, n, is_break ? "'break' outside loop" : "'continue' not properly in loop");
        return;
    }
    UnwindSave save;
    unwind_to(c, loop, false, &save);
    FBlock *fb = &save.fblocks[loop];
    set_loc(c->u, n);
    if (is_break) {
        if (fb->kind == FB_FOR)
            emit(c, OP_POP_TOP, 0);
        emit(c, OP_JUMP, (uint32_t)fb->label_break);
    } else {
        emit(c, OP_JUMP_BACKWARD, (uint32_t)fb->label_continue);
    }
    restore_unwind(c, &save);
}

static void compile_return(Compiler *c, const Node *n) {
    if (n->return_stmt.value)
        compile_expr(c, n->return_stmt.value);
    else
        emit_const(c, VAL_NONE);
    UnwindSave save;
    unwind_to(c, -1, true, &save);
    set_loc(c->u, n);
    emit(c, OP_RETURN_VALUE, 0);
    restore_unwind(c, &save);
}

static void compile_try_except(Compiler *c, const Node *n) {
    int l_except = new_label(c), l_cleanup = new_label(c), l_end = new_label(c);
    int h_body = new_handler(c, l_except, 0);
    push_handler(c, h_body);
    if (push_fblock(c, FB_TRY_EXCEPT, -1, -1, 1) < 0)
        return;
    compile_stmts(c, &n->try_stmt.body);
    pop_fblock(c);
    pop_handler(c);
    compile_stmts(c, &n->try_stmt.orelse);
    emit(c, OP_JUMP, (uint32_t)l_end);

    // Handler entry: [exc]
    place_label(c, l_except);
    set_loc(c->u, n->try_stmt.handlers.items[0]);
    emit(c, OP_PUSH_EXC_INFO, 0);   // [prev, exc]
    int h_cleanup = new_handler(c, l_cleanup, -1);
    push_handler(c, h_cleanup);
    for (int i = 0; i < n->try_stmt.handlers.len && !c->failed; i++) {
        const Node *h = n->try_stmt.handlers.items[i];
        set_loc(c->u, h);
        int next = new_label(c);
        if (h->handler.type) {
            compile_expr(c, h->handler.type);
            emit(c, OP_CHECK_EXC_MATCH, 0);
            emit(c, OP_POP_JUMP_IF_FALSE, (uint32_t)next);
        } else if (i != n->try_stmt.handlers.len - 1) {
            SYNTAX_ERROR(c, h, "default 'except:' must be last");
            return;
        }
        if (h->handler.name) {
            compile_name(c, h->handler.name, ACC_STORE);   // [prev]
            int l_name = new_label(c);
            int h_name = new_handler(c, l_name, 0);
            push_handler(c, h_name);
            if (push_fblock(c, FB_HANDLER, -1, -1, 2) < 0)
                return;
            c->u->fblocks[c->u->nfb - 1].name = h->handler.name;
            compile_stmts(c, &h->handler.body);
            pop_fblock(c);
            pop_handler(c);   // h_name
            pop_handler(c);   // h_cleanup: the exit path is unprotected
            emit(c, OP_POP_EXCEPT, 0);
            emit_const(c, VAL_NONE);
            compile_name(c, h->handler.name, ACC_STORE);
            compile_name(c, h->handler.name, ACC_DEL);
            emit(c, OP_JUMP, (uint32_t)l_end);
            c->u->hstack[c->u->hsp++] = h_cleanup;
            // An exception inside the body: clear the name, then clean up.
            place_label(c, l_name);   // [prev, exc2]
            emit_const(c, VAL_NONE);
            compile_name(c, h->handler.name, ACC_STORE);
            compile_name(c, h->handler.name, ACC_DEL);
            emit(c, OP_RERAISE, 0);
        } else {
            emit(c, OP_POP_TOP, 0);   // [prev]
            if (push_fblock(c, FB_HANDLER, -1, -1, 1) < 0)
                return;
            compile_stmts(c, &h->handler.body);
            pop_fblock(c);
            pop_handler(c);
            emit(c, OP_POP_EXCEPT, 0);
            emit(c, OP_JUMP, (uint32_t)l_end);
            c->u->hstack[c->u->hsp++] = h_cleanup;
        }
        place_label(c, next);
    }
    // No clause matched: re-raise; the cleanup handler restores exc_info.
    emit(c, OP_RERAISE, 0);
    pop_handler(c);
    place_label(c, l_cleanup);   // [prev, exc]
    emit(c, OP_SWAP, 2);
    emit(c, OP_POP_EXCEPT, 0);
    emit(c, OP_RERAISE, 0);
    place_label(c, l_end);
}

static void compile_try(Compiler *c, const Node *n) {
    if (!n->try_stmt.finalbody.len) {
        compile_try_except(c, n);
        return;
    }
    int l_fin = new_label(c), l_fcleanup = new_label(c), l_end = new_label(c);
    int h_fin = new_handler(c, l_fin, 0);
    push_handler(c, h_fin);
    if (push_fblock(c, FB_FINALLY_TRY, -1, -1, 1) < 0)
        return;
    c->u->fblocks[c->u->nfb - 1].finalbody = &n->try_stmt.finalbody;
    if (n->try_stmt.handlers.len)
        compile_try_except(c, n);
    else
        compile_stmts(c, &n->try_stmt.body);
    pop_fblock(c);
    pop_handler(c);
    compile_stmts(c, &n->try_stmt.finalbody);
    emit(c, OP_JUMP, (uint32_t)l_end);
    // Exceptional path: [exc]
    place_label(c, l_fin);
    emit(c, OP_PUSH_EXC_INFO, 0);   // [prev, exc]
    int h_fc = new_handler(c, l_fcleanup, -1);
    push_handler(c, h_fc);
    if (push_fblock(c, FB_FINALLY_END, -1, -1, 1) < 0)
        return;
    compile_stmts(c, &n->try_stmt.finalbody);
    pop_fblock(c);
    emit(c, OP_RERAISE, 0);
    pop_handler(c);
    place_label(c, l_fcleanup);   // [prev, exc]
    emit(c, OP_SWAP, 2);
    emit(c, OP_POP_EXCEPT, 0);
    emit(c, OP_RERAISE, 0);
    place_label(c, l_end);
}

static void compile_with_item(Compiler *c, const Node *n, int item) {
    const Node *it = n->with_stmt.items.items[item];
    int l_exc = new_label(c), l_cleanup = new_label(c), l_suppress = new_label(c),
        l_end = new_label(c);
    compile_expr(c, it->withitem.context_expr);
    set_loc(c->u, n);
    emit(c, OP_BEFORE_WITH, 0);   // [exit, res]
    int h = new_handler(c, l_exc, -1);
    push_handler(c, h);
    if (push_fblock(c, FB_WITH, -1, -1, 1) < 0)
        return;
    if (it->withitem.optional_vars)
        compile_store(c, it->withitem.optional_vars);
    else
        emit(c, OP_POP_TOP, 0);
    if (item + 1 < n->with_stmt.items.len)
        compile_with_item(c, n, item + 1);
    else
        compile_stmts(c, &n->with_stmt.body);
    pop_fblock(c);
    pop_handler(c);
    set_loc(c->u, n);
    emit(c, OP_WITH_EXIT, 0);
    emit(c, OP_JUMP, (uint32_t)l_end);
    place_label(c, l_exc);   // [exit, exc]
    emit(c, OP_PUSH_EXC_INFO, 0);   // [exit, prev, exc]
    int hc = new_handler(c, l_cleanup, -1);
    push_handler(c, hc);
    emit(c, OP_WITH_EXCEPT_START, 0);   // [exit, prev, exc, res]
    emit(c, OP_POP_JUMP_IF_TRUE, (uint32_t)l_suppress);
    emit(c, OP_RERAISE, 0);
    pop_handler(c);
    place_label(c, l_suppress);   // [exit, prev, exc]
    emit(c, OP_POP_TOP, 0);
    emit(c, OP_POP_EXCEPT, 0);
    emit(c, OP_POP_TOP, 0);
    emit(c, OP_JUMP, (uint32_t)l_end);
    place_label(c, l_cleanup);   // [exit, prev, exc2]
    emit(c, OP_SWAP, 2);
    emit(c, OP_POP_EXCEPT, 0);
    emit(c, OP_RERAISE, 0);
    place_label(c, l_end);
}

static void compile_decorators_and_store(Compiler *c, const NodeList *decos, const char *name) {
    for (int i = 0; i < decos->len; i++)
        emit(c, OP_CALL, 1);
    compile_name(c, name, ACC_STORE);
}

static void push_decorators(Compiler *c, const NodeList *decos) {
    for (int i = 0; i < decos->len; i++) {
        compile_expr(c, decos->items[i]);
        emit(c, OP_PUSH_NULL, 0);
    }
}

static bool is_docstring(const NodeList *body) {
    return body->len > 0 && body->items[0]->kind == AST_EXPR &&
           body->items[0]->expr_stmt.value->kind == AST_CONSTANT &&
           body->items[0]->expr_stmt.value->constant.kind == CONST_STR;
}

static Code *compile_function_body(Compiler *c, const Node *n, Scope *fs, const char *qualname) {
    Unit *outer = c->u;
    if (!enter_unit(c, fs, n->func_def.name, qualname, n->line))
        return NULL;
    set_loc(c->u, n);
    const NodeList *body = &n->func_def.body;
    compile_stmts(c, body);
    emit_const(c, VAL_NONE);
    emit(c, OP_RETURN_VALUE, 0);
    Code *code = leave_unit(c);
    c->u = outer;
    return code;
}

static void compile_funcdef(Compiler *c, const Node *n) {
    if (n->func_def.is_async) {
        SYNTAX_ERROR(c, n, "'async def' is not supported by gilvm yet");
        return;
    }
    push_decorators(c, &n->func_def.decorator_list);
    set_loc(c->u, n);
    uint32_t flags = compile_defaults(c, n->func_def.args);
    Scope *fs = scope_next_child(c->u->scope);
    if (!fs) {
        c->failed = true;
        return;
    }
    char *qn = qualify(c, n->func_def.name);
    if (!qn) {
        fail_nomem(c);
        return;
    }
    Code *code = compile_function_body(c, n, fs, qn);
    free(qn);
    if (!code)
        return;
    set_loc(c->u, n);
    make_closure(c, code, flags);
    if (is_docstring(&n->func_def.body)) {
        // func.__doc__ is set from the first constant by MAKE_FUNCTION's caller:
        // keep it simple and store it explicitly.
        const Node *d = n->func_def.body.items[0]->expr_stmt.value;
        emit(c, OP_COPY, 1);
        emit_const(c, str_new(d->constant.str.data, d->constant.str.len));
        emit(c, OP_SWAP, 2);
        emit(c, OP_STORE_ATTR, add_name(c, "__doc__"));
    }
    compile_decorators_and_store(c, &n->func_def.decorator_list, n->func_def.name);
}

static void compile_classdef(Compiler *c, const Node *n) {
    push_decorators(c, &n->class_def.decorator_list);
    set_loc(c->u, n);
    emit(c, OP_LOAD_BUILD_CLASS, 0);
    emit(c, OP_PUSH_NULL, 0);
    Scope *cs = scope_next_child(c->u->scope);
    if (!cs) {
        c->failed = true;
        return;
    }
    char *qn = qualify(c, n->class_def.name);
    if (!qn) {
        fail_nomem(c);
        return;
    }
    Unit *outer = c->u;
    if (!enter_unit(c, cs, n->class_def.name, qn, n->line)) {
        free(qn);
        return;
    }
    free(qn);
    set_loc(c->u, n);
    if (is_docstring(&n->class_def.body)) {
        const Node *d = n->class_def.body.items[0]->expr_stmt.value;
        emit_const(c, str_new(d->constant.str.data, d->constant.str.len));
        compile_name(c, "__doc__", ACC_STORE);
    }
    compile_stmts(c, &n->class_def.body);
    if (cs->needs_class_cell) {
        int idx = deref_index(c, "__class__");
        emit(c, OP_LOAD_CLOSURE, (uint32_t)idx);
        emit(c, OP_STORE_NAME, add_name(c, "__classcell__"));
    }
    emit_const(c, VAL_NONE);
    emit(c, OP_RETURN_VALUE, 0);
    Code *code = leave_unit(c);
    c->u = outer;
    if (!code)
        return;
    set_loc(c->u, n);
    make_closure(c, code, 0);
    emit_const(c, str_from_cstr(n->class_def.name));
    // Bases and keywords, as a call: __build_class__(func, name, *bases, **kw)
    compile_call_args(c, &n->class_def.bases, &n->class_def.keywords, 2);
    set_loc(c->u, n);
    compile_decorators_and_store(c, &n->class_def.decorator_list, n->class_def.name);
}

static void compile_import(Compiler *c, const Node *n) {
    for (int i = 0; i < n->import.names.len; i++) {
        const Node *al = n->import.names.items[i];
        emit_const(c, small_new(0));
        emit_const(c, VAL_NONE);
        emit(c, OP_IMPORT_NAME, add_name(c, al->alias.name));
        if (al->alias.asname) {
            compile_name(c, al->alias.asname, ACC_STORE);
        } else {
            const char *dot = strchr(al->alias.name, '.');
            if (dot) {
                char first[256];
                size_t len = (size_t)(dot - al->alias.name);
                if (len >= sizeof first)
                    len = sizeof first - 1;
                memcpy(first, al->alias.name, len);
                first[len] = 0;
                compile_name(c, first, ACC_STORE);
            } else {
                compile_name(c, al->alias.name, ACC_STORE);
            }
        }
    }
}

static void compile_import_from(Compiler *c, const Node *n) {
    const NodeList *names_ = &n->import_from.names;
    Value fromlist = tuple_new((size_t)names_->len);
    if (!fromlist) {
        fail_nomem(c);
        return;
    }
    for (int i = 0; i < names_->len; i++)
        tuple_set_steal(fromlist, (size_t)i, str_intern_cstr(names_->items[i]->alias.name));
    emit_const(c, small_new(n->import_from.level));
    emit_const(c, fromlist);
    emit(c, OP_IMPORT_NAME, add_name(c, n->import_from.module ? n->import_from.module : ""));
    if (names_->len == 1 && strcmp(names_->items[0]->alias.name, "*") == 0) {
        emit(c, OP_IMPORT_STAR, 0);
        return;
    }
    for (int i = 0; i < names_->len; i++) {
        const Node *al = names_->items[i];
        emit(c, OP_IMPORT_FROM, add_name(c, al->alias.name));
        compile_name(c, al->alias.asname ? al->alias.asname : al->alias.name, ACC_STORE);
    }
    emit(c, OP_POP_TOP, 0);
}

static void compile_stmt(Compiler *c, const Node *n) {
    if (c->failed)
        return;
    if (++c->depth > AST_MAX_DEPTH + 50) {
        SYNTAX_ERROR(c, n, "too many statically nested blocks");
        return;
    }
    set_loc(c->u, n);
    switch (n->kind) {
    case AST_EXPR:
        if (c->mode == COMPILE_SINGLE && c->u->scope->kind == SCOPE_MODULE) {
            compile_expr(c, n->expr_stmt.value);
            emit(c, OP_PRINT_EXPR, 0);
        } else if (n->expr_stmt.value->kind == AST_CONSTANT) {
            // A docstring or a bare constant: nothing to run.
        } else {
            compile_expr(c, n->expr_stmt.value);
            emit(c, OP_POP_TOP, 0);
        }
        break;
    case AST_ASSIGN: {
        compile_expr(c, n->assign.value);
        const NodeList *t = &n->assign.targets;
        for (int i = 0; i < t->len; i++) {
            if (i < t->len - 1)
                emit(c, OP_COPY, 1);
            compile_store(c, t->items[i]);
        }
        break;
    }
    case AST_AUG_ASSIGN:
        compile_aug_assign(c, n);
        break;
    case AST_ANN_ASSIGN:
        if (n->ann_assign.value) {
            compile_expr(c, n->ann_assign.value);
            compile_store(c, n->ann_assign.target);
        }
        break;
    case AST_DELETE:
        for (int i = 0; i < n->delete.targets.len; i++)
            compile_delete(c, n->delete.targets.items[i]);
        break;
    case AST_PASS:
    case AST_GLOBAL:
    case AST_NONLOCAL:
        break;
    case AST_IF:
        compile_if(c, n);
        break;
    case AST_WHILE:
        compile_while(c, n);
        break;
    case AST_FOR:
        compile_for(c, n);
        break;
    case AST_BREAK:
        compile_break_continue(c, n, true);
        break;
    case AST_CONTINUE:
        compile_break_continue(c, n, false);
        break;
    case AST_RETURN:
        compile_return(c, n);
        break;
    case AST_RAISE:
        if (n->raise.exc) {
            compile_expr(c, n->raise.exc);
            if (n->raise.cause) {
                compile_expr(c, n->raise.cause);
                set_loc(c->u, n);
                emit(c, OP_RAISE_VARARGS, 2);
            } else {
                set_loc(c->u, n);
                emit(c, OP_RAISE_VARARGS, 1);
            }
        } else {
            emit(c, OP_RAISE_VARARGS, 0);
        }
        break;
    case AST_ASSERT: {
        int end = new_label(c);
        compile_jump_if(c, n->assert_stmt.test, true, end);
        set_loc(c->u, n);
        emit(c, OP_LOAD_ASSERTION_ERROR, 0);
        if (n->assert_stmt.msg) {
            emit(c, OP_PUSH_NULL, 0);
            compile_expr(c, n->assert_stmt.msg);
            set_loc(c->u, n);
            emit(c, OP_CALL, 1);
        }
        emit(c, OP_RAISE_VARARGS, 1);
        place_label(c, end);
        break;
    }
    case AST_TRY:
        compile_try(c, n);
        break;
    case AST_WITH:
        if (n->with_stmt.is_async) {
            SYNTAX_ERROR(c, n, "'async with' is not supported by gilvm yet");
            break;
        }
        compile_with_item(c, n, 0);
        break;
    case AST_FUNCTION_DEF:
        compile_funcdef(c, n);
        break;
    case AST_CLASS_DEF:
        compile_classdef(c, n);
        break;
    case AST_IMPORT:
        compile_import(c, n);
        break;
    case AST_IMPORT_FROM:
        compile_import_from(c, n);
        break;
    default:
        SYNTAX_ERROR(c, n, "invalid syntax");
        break;
    }
    c->depth--;
}

// --- entry point ---------------------------------------------------------------------------------------

static void parse_error_to_exc(Compiler *c, const ParseError *pe) {
    char *text = source_line(c, pe->line > 0 ? pe->line : 1);
    Value e = exc_syntax_error_new(pe->kind, pe->msg, c->filename, pe->line, pe->col,
                                   pe->end_line == pe->line ? pe->end_col : 0, text);
    free(text);
    if (e)
        exc_set_steal(e);
}

Code *compile_source(const char *src, size_t len, const char *filename, CompileMode mode) {
    Compiler c = {.src = src, .srclen = len, .filename = filename, .mode = mode};
    Arena arena;
    arena_init(&arena);
    ParseError pe;
    memset(&pe, 0, sizeof pe);
    Node *mod;
    switch (mode) {
    case COMPILE_SINGLE: mod = parse_interactive(&arena, src, len, &pe); break;
    case COMPILE_EVAL: mod = parse_expression(&arena, src, len, &pe); break;
    default: mod = parse_module(&arena, src, len, &pe); break;
    }
    if (!mod) {
        if (strcmp(pe.kind ? pe.kind : "", "MemoryError") == 0)
            exc_nomemory();
        else
            parse_error_to_exc(&c, &pe);
        arena_free(&arena);
        return NULL;
    }
    SymtableError se;
    Scope *top = symtable_build(&arena, mod, &se);
    if (!top) {
        syntax_error_at(&c, se.line, se.col, "%s", se.msg);
        arena_free(&arena);
        return NULL;
    }
    Code *code = NULL;
    if (enter_unit(&c, top, "<module>", "<module>", 1)) {
        if (mode == COMPILE_EVAL) {
            set_loc(c.u, mod->expression.body);
            compile_expr(&c, mod->expression.body);
            emit(&c, OP_RETURN_VALUE, 0);
        } else {
            compile_stmts(&c, &mod->module.body);
            c.u->line = c.u->line > 0 ? c.u->line : 1;
            emit_const(&c, VAL_NONE);
            emit(&c, OP_RETURN_VALUE, 0);
        }
        code = leave_unit(&c);
    }
    while (c.u) {
        Unit *u = c.u;
        c.u = u->parent;
        free_unit(u);
    }
    arena_free(&arena);
    if (c.failed && code)
        code = NULL;
    if (!code && !exc_occurred())
        exc_raise(&exc_SystemError, "gilvm compiler failed without an error");
    return code;
}
