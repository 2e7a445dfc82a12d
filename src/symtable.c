// Scope analysis (see symtable.h).
//
// Pass 1 (visit_*) records, per scope, every name bound (assignment targets,
// parameters, def/class/import names, except/with/for targets), used, or
// declared global/nonlocal. Pass 2 (resolve) decides each name's access:
// function locals are fast locals; a name used but not bound is looked up in
// the enclosing function scopes (class bodies are skipped, except that
// `__class__` resolves to the class's cell); a binding that an inner scope
// captures becomes a cell; every scope between the capturing one and the
// binding one passes the cell through as a free variable.
#include "symtable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    Arena *arena;
    SymtableError *err;
    bool failed;
    int order;
} Builder;

static unsigned long hash_name(const char *s) {
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static Symbol *table_find(Scope *s, const char *name, bool create, Builder *b) {
    if (s->cap_syms == 0) {
        if (!create)
            return NULL;
        s->cap_syms = 16;
        s->syms = arena_alloc(b->arena, sizeof(Symbol) * (size_t)s->cap_syms);
        if (!s->syms)
            return NULL;
        memset(s->syms, 0, sizeof(Symbol) * (size_t)s->cap_syms);
    }
    unsigned long mask = (unsigned long)s->cap_syms - 1;
    unsigned long i = hash_name(name) & mask;
    while (s->syms[i].name) {
        if (strcmp(s->syms[i].name, name) == 0)
            return &s->syms[i];
        i = (i + 1) & mask;
    }
    if (!create)
        return NULL;
    if ((s->nsyms + 1) * 2 > s->cap_syms) {
        // Grow and re-insert.
        Symbol *old = s->syms;
        int oldcap = s->cap_syms;
        s->cap_syms *= 2;
        s->syms = arena_alloc(b->arena, sizeof(Symbol) * (size_t)s->cap_syms);
        if (!s->syms)
            return NULL;
        memset(s->syms, 0, sizeof(Symbol) * (size_t)s->cap_syms);
        mask = (unsigned long)s->cap_syms - 1;
        for (int k = 0; k < oldcap; k++) {
            if (!old[k].name)
                continue;
            unsigned long j = hash_name(old[k].name) & mask;
            while (s->syms[j].name)
                j = (j + 1) & mask;
            s->syms[j] = old[k];
        }
        i = hash_name(name) & mask;
        while (s->syms[i].name)
            i = (i + 1) & mask;
    }
    s->syms[i].name = name;
    s->syms[i].flags = 0;
    s->syms[i].scope = SYM_NONE;
    s->syms[i].order = b->order++;
    s->nsyms++;
    return &s->syms[i];
}

Symbol *scope_lookup(Scope *s, const char *name) {
    if (!s->cap_syms)
        return NULL;
    unsigned long mask = (unsigned long)s->cap_syms - 1;
    unsigned long i = hash_name(name) & mask;
    while (s->syms[i].name) {
        if (strcmp(s->syms[i].name, name) == 0)
            return &s->syms[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

Scope *scope_next_child(Scope *s) {
    if (s->child_cursor >= s->nchildren)
        return NULL;
    return s->children[s->child_cursor++];
}

static void fail(Builder *b, const Node *n, const char *fmt, const char *name) {
    if (b->failed)
        return;
    b->failed = true;
    snprintf(b->err->msg, sizeof b->err->msg, fmt, name);
    b->err->line = n ? n->line : 1;
    b->err->col = n ? n->col + 1 : 1;
}

static Scope *new_scope(Builder *b, ScopeKind kind, const Node *node, const char *name,
                        Scope *parent) {
    Scope *s = arena_alloc(b->arena, sizeof(Scope));
    if (!s) {
        fail(b, node, "%s", "out of memory");
        return NULL;
    }
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->node = node;
    s->name = name;
    s->parent = parent;
    if (parent) {
        if (parent->nchildren == parent->cap_children) {
            int cap = parent->cap_children ? parent->cap_children * 2 : 4;
            Scope **n = arena_alloc(b->arena, sizeof(Scope *) * (size_t)cap);
            if (!n) {
                fail(b, node, "%s", "out of memory");
                return NULL;
            }
            if (parent->nchildren)
                memcpy(n, parent->children, sizeof(Scope *) * (size_t)parent->nchildren);
            parent->children = n;
            parent->cap_children = cap;
        }
        parent->children[parent->nchildren++] = s;
    }
    return s;
}

static void add(Builder *b, Scope *s, const char *name, int flag, const Node *at) {
    Symbol *sym = table_find(s, name, true, b);
    if (!sym) {
        fail(b, at, "%s", "out of memory");
        return;
    }
    if ((flag & (DEF_BOUND | DEF_USE)) && (sym->flags & DEF_GLOBAL) == 0 &&
        (sym->flags & DEF_NONLOCAL) == 0) {
        sym->flags |= flag;
        return;
    }
    sym->flags |= flag;
}

static void visit_stmts(Builder *b, Scope *s, const NodeList *l);
static void visit_expr(Builder *b, Scope *s, const Node *n);

static void visit_exprs(Builder *b, Scope *s, const NodeList *l) {
    for (int i = 0; i < l->len; i++)
        if (l->items[i])
            visit_expr(b, s, l->items[i]);
}

static void add_params(Builder *b, Scope *fs, const Node *args) {
    const NodeList *lists[] = {&args->arguments.posonlyargs, &args->arguments.args,
                               &args->arguments.kwonlyargs};
    for (int k = 0; k < 3; k++) {
        if (k == 2 && args->arguments.vararg) {
            // order: positional, then kw-only, then *args, **kwargs (as CPython numbers them)
        }
        for (int i = 0; i < lists[k]->len; i++) {
            const char *nm = lists[k]->items[i]->arg.arg;
            Symbol *ex = scope_lookup(fs, nm);
            if (ex && (ex->flags & DEF_PARAM)) {
                fail(b, lists[k]->items[i], "duplicate argument '%s' in function definition", nm);
                return;
            }
            add(b, fs, nm, DEF_PARAM | DEF_BOUND, lists[k]->items[i]);
            fs->nparams++;
        }
    }
    if (args->arguments.vararg) {
        add(b, fs, args->arguments.vararg->arg.arg, DEF_PARAM | DEF_BOUND, args->arguments.vararg);
        fs->nparams++;
    }
    if (args->arguments.kwarg) {
        add(b, fs, args->arguments.kwarg->arg.arg, DEF_PARAM | DEF_BOUND, args->arguments.kwarg);
        fs->nparams++;
    }
}

static void visit_defaults(Builder *b, Scope *s, const Node *args) {
    visit_exprs(b, s, &args->arguments.defaults);
    visit_exprs(b, s, &args->arguments.kw_defaults);
}

// The scope a walrus target binds in: the nearest enclosing non-comprehension.
static void bind_walrus(Builder *b, Scope *s, const Node *target) {
    const char *nm = target->name.id;
    if (!s->is_comprehension) {
        add(b, s, nm, DEF_BOUND, target);
        return;
    }
    Scope *t = s;
    while (t->is_comprehension)
        t = t->parent;
    if (t->kind == SCOPE_CLASS) {
        fail(b, target, "%s",
             "assignment expression within a comprehension cannot be used in a class body");
        return;
    }
    add(b, t, nm, DEF_BOUND, target);
    for (Scope *c = s; c != t; c = c->parent)
        add(b, c, nm, t->kind == SCOPE_MODULE ? DEF_GLOBAL : DEF_NONLOCAL, target);
}

static void visit_comprehension(Builder *b, Scope *s, const Node *n) {
    const NodeList *gens = n->kind == AST_DICT_COMP ? &n->dict_comp.generators : &n->comp.generators;
    if (gens->len == 0)
        return;
    const char *name = n->kind == AST_LIST_COMP   ? "<listcomp>"
                       : n->kind == AST_SET_COMP  ? "<setcomp>"
                       : n->kind == AST_DICT_COMP ? "<dictcomp>"
                                                  : "<genexpr>";
    Scope *cs = new_scope(b, SCOPE_FUNCTION, n, name, s);
    if (!cs)
        return;
    cs->is_comprehension = true;
    cs->is_generator = n->kind == AST_GENERATOR_EXP;
    add(b, cs, ".0", DEF_PARAM | DEF_BOUND, n);
    cs->nparams = 1;
    // The first iterable is evaluated in the enclosing scope (after the
    // comprehension's own scope is created: the compiler visits in that order).
    visit_expr(b, s, gens->items[0]->comprehension.iter);
    for (int i = 0; i < gens->len; i++) {
        const Node *g = gens->items[i];
        if (i > 0)
            visit_expr(b, cs, g->comprehension.iter);
        visit_expr(b, cs, g->comprehension.target);
        visit_exprs(b, cs, &g->comprehension.ifs);
    }
    if (n->kind == AST_DICT_COMP) {
        visit_expr(b, cs, n->dict_comp.key);
        visit_expr(b, cs, n->dict_comp.value);
    } else {
        visit_expr(b, cs, n->comp.elt);
    }
}

static void visit_child_cb(const Node *child, void *ctx);

typedef struct {
    Builder *b;
    Scope *s;
} VisitCtx;

static void visit_expr(Builder *b, Scope *s, const Node *n) {
    if (!n || b->failed)
        return;
    switch (n->kind) {
    case AST_NAME:
        if (n->name.ctx == CTX_LOAD) {
            add(b, s, n->name.id, DEF_USE, n);
            if (s->kind == SCOPE_FUNCTION &&
                (strcmp(n->name.id, "super") == 0 || strcmp(n->name.id, "__class__") == 0))
                add(b, s, "__class__", DEF_USE, n);
        } else {
            add(b, s, n->name.id, DEF_BOUND, n);
        }
        return;
    case AST_NAMED_EXPR:
        visit_expr(b, s, n->named_expr.value);
        bind_walrus(b, s, n->named_expr.target);
        return;
    case AST_LAMBDA: {
        visit_defaults(b, s, n->lambda.args);
        Scope *fs = new_scope(b, SCOPE_FUNCTION, n, "<lambda>", s);
        if (!fs)
            return;
        add_params(b, fs, n->lambda.args);
        visit_expr(b, fs, n->lambda.body);
        return;
    }
    case AST_LIST_COMP:
    case AST_SET_COMP:
    case AST_DICT_COMP:
    case AST_GENERATOR_EXP:
        visit_comprehension(b, s, n);
        return;
    case AST_YIELD:
    case AST_YIELD_FROM:
        if (s->is_comprehension && !(s->is_generator && 0)) {
            fail(b, n, "'yield' inside %s",
                 strcmp(s->name, "<listcomp>") == 0   ? "list comprehension"
                 : strcmp(s->name, "<setcomp>") == 0  ? "set comprehension"
                 : strcmp(s->name, "<dictcomp>") == 0 ? "dict comprehension"
                                                      : "generator expression");
            return;
        }
        if (s->kind != SCOPE_FUNCTION) {
            fail(b, n, "%s", "'yield' outside function");
            return;
        }
        s->is_generator = true;
        visit_expr(b, s, n->value_expr.value);
        return;
    case AST_AWAIT:
        if (s->kind != SCOPE_FUNCTION) {
            fail(b, n, "%s", "'await' outside function");
            return;
        }
        visit_expr(b, s, n->value_expr.value);
        return;
    default: {
        VisitCtx ctx = {b, s};
        ast_visit_children(n, visit_child_cb, &ctx);
        return;
    }
    }
}

static void visit_stmt(Builder *b, Scope *s, const Node *n);

static void visit_child_cb(const Node *child, void *ctx) {
    VisitCtx *c = ctx;
    visit_expr(c->b, c->s, child);
}

static void declare(Builder *b, Scope *s, const Node *n, bool global) {
    for (int i = 0; i < n->names_stmt.names.len; i++) {
        const char *nm = n->names_stmt.names.items[i];
        Symbol *ex = scope_lookup(s, nm);
        if (ex) {
            if (global && (ex->flags & DEF_NONLOCAL)) {
                fail(b, n, "name '%s' is nonlocal and global", nm);
                return;
            }
            if (!global && (ex->flags & DEF_GLOBAL)) {
                fail(b, n, "name '%s' is nonlocal and global", nm);
                return;
            }
            if (ex->flags & DEF_PARAM) {
                fail(b, n, global ? "name '%s' is parameter and global"
                                  : "name '%s' is parameter and nonlocal",
                     nm);
                return;
            }
            if (ex->flags & DEF_BOUND) {
                fail(b, n, global ? "name '%s' is assigned to before global declaration"
                                  : "name '%s' is assigned to before nonlocal declaration",
                     nm);
                return;
            }
            if (ex->flags & DEF_USE) {
                fail(b, n, global ? "name '%s' is used prior to global declaration"
                                  : "name '%s' is used prior to nonlocal declaration",
                     nm);
                return;
            }
        }
        if (!global && s->kind == SCOPE_MODULE) {
            fail(b, n, "%s", "nonlocal declaration not allowed at module level");
            return;
        }
        add(b, s, nm, global ? DEF_GLOBAL : DEF_NONLOCAL, n);
    }
}

static void bind_import_name(Builder *b, Scope *s, const Node *alias, const Node *at) {
    const char *nm = alias->alias.asname;
    if (!nm) {
        // `import a.b.c` binds `a`.
        const char *full = alias->alias.name;
        const char *dot = strchr(full, '.');
        if (dot) {
            size_t len = (size_t)(dot - full);
            char *first = arena_alloc(b->arena, len + 1);
            if (!first) {
                fail(b, at, "%s", "out of memory");
                return;
            }
            memcpy(first, full, len);
            first[len] = 0;
            nm = first;
        } else {
            nm = full;
        }
    }
    add(b, s, nm, DEF_BOUND, at);
}

static void visit_stmt(Builder *b, Scope *s, const Node *n) {
    if (!n || b->failed)
        return;
    switch (n->kind) {
    case AST_FUNCTION_DEF: {
        add(b, s, n->func_def.name, DEF_BOUND, n);
        visit_exprs(b, s, &n->func_def.decorator_list);
        visit_defaults(b, s, n->func_def.args);
        Scope *fs = new_scope(b, SCOPE_FUNCTION, n, n->func_def.name, s);
        if (!fs)
            return;
        fs->is_coroutine = n->func_def.is_async;
        add_params(b, fs, n->func_def.args);
        visit_stmts(b, fs, &n->func_def.body);
        return;
    }
    case AST_CLASS_DEF: {
        add(b, s, n->class_def.name, DEF_BOUND, n);
        visit_exprs(b, s, &n->class_def.decorator_list);
        Scope *cs = new_scope(b, SCOPE_CLASS, n, n->class_def.name, s);
        if (!cs)
            return;
        visit_stmts(b, cs, &n->class_def.body);
        // Bases after the body: the compiler builds the body's code first.
        visit_exprs(b, s, &n->class_def.bases);
        for (int i = 0; i < n->class_def.keywords.len; i++)
            visit_expr(b, s, n->class_def.keywords.items[i]->keyword.value);
        return;
    }
    case AST_RETURN:
        if (s->kind != SCOPE_FUNCTION) {
            fail(b, n, "%s", "'return' outside function");
            return;
        }
        visit_expr(b, s, n->return_stmt.value);
        return;
    case AST_GLOBAL:
        declare(b, s, n, true);
        return;
    case AST_NONLOCAL:
        declare(b, s, n, false);
        return;
    case AST_IMPORT:
        for (int i = 0; i < n->import.names.len; i++)
            bind_import_name(b, s, n->import.names.items[i], n);
        return;
    case AST_IMPORT_FROM:
        for (int i = 0; i < n->import_from.names.len; i++) {
            const Node *al = n->import_from.names.items[i];
            if (strcmp(al->alias.name, "*") == 0) {
                if (s->kind != SCOPE_MODULE) {
                    fail(b, n, "%s", "import * only allowed at module level");
                    return;
                }
                continue;
            }
            add(b, s, al->alias.asname ? al->alias.asname : al->alias.name, DEF_BOUND, n);
        }
        return;
    case AST_AUG_ASSIGN:
        if (n->aug_assign.target->kind == AST_NAME) {
            add(b, s, n->aug_assign.target->name.id, DEF_USE | DEF_BOUND, n);
        } else {
            visit_expr(b, s, n->aug_assign.target);
        }
        visit_expr(b, s, n->aug_assign.value);
        return;
    case AST_ANN_ASSIGN:
        if (n->ann_assign.value || n->ann_assign.target->kind != AST_NAME)
            visit_expr(b, s, n->ann_assign.target);
        else if (s->kind == SCOPE_FUNCTION)
            add(b, s, n->ann_assign.target->name.id, DEF_BOUND, n);
        visit_expr(b, s, n->ann_assign.value);
        return;
    case AST_TRY:
        visit_stmts(b, s, &n->try_stmt.body);
        for (int i = 0; i < n->try_stmt.handlers.len; i++) {
            const Node *h = n->try_stmt.handlers.items[i];
            visit_expr(b, s, h->handler.type);
            if (h->handler.name)
                add(b, s, h->handler.name, DEF_BOUND, h);
            visit_stmts(b, s, &h->handler.body);
        }
        visit_stmts(b, s, &n->try_stmt.orelse);
        visit_stmts(b, s, &n->try_stmt.finalbody);
        return;
    case AST_FOR:
        visit_expr(b, s, n->for_stmt.target);
        visit_expr(b, s, n->for_stmt.iter);
        visit_stmts(b, s, &n->for_stmt.body);
        visit_stmts(b, s, &n->for_stmt.orelse);
        return;
    case AST_WHILE:
        visit_expr(b, s, n->while_stmt.test);
        visit_stmts(b, s, &n->while_stmt.body);
        visit_stmts(b, s, &n->while_stmt.orelse);
        return;
    case AST_IF:
        visit_expr(b, s, n->if_stmt.test);
        visit_stmts(b, s, &n->if_stmt.body);
        visit_stmts(b, s, &n->if_stmt.orelse);
        return;
    case AST_WITH:
        for (int i = 0; i < n->with_stmt.items.len; i++) {
            const Node *it = n->with_stmt.items.items[i];
            visit_expr(b, s, it->withitem.context_expr);
            visit_expr(b, s, it->withitem.optional_vars);
        }
        visit_stmts(b, s, &n->with_stmt.body);
        return;
    default:
        // Statements made only of expressions (Assign, Expr, Delete, Raise,
        // Assert, Return...) visit their children as expressions.
        {
            VisitCtx ctx = {b, s};
            ast_visit_children(n, visit_child_cb, &ctx);
        }
        return;
    }
}

static void visit_stmts(Builder *b, Scope *s, const NodeList *l) {
    for (int i = 0; i < l->len && !b->failed; i++)
        visit_stmt(b, s, l->items[i]);
}

// --- pass 2 --------------------------------------------------------------------------

static bool binds(const Symbol *sym) {
    return sym && (sym->flags & (DEF_BOUND | DEF_PARAM)) && !(sym->flags & DEF_GLOBAL) &&
           !(sym->flags & DEF_NONLOCAL);
}

// Find where a free name of [s] is bound: returns the binding function scope,
// or NULL for a global. Scopes in between pass the cell through.
static Scope *find_binder(Scope *s, const char *name, bool *is_global) {
    *is_global = false;
    for (Scope *p = s->parent; p; p = p->parent) {
        if (p->kind == SCOPE_MODULE) {
            *is_global = true;
            return NULL;
        }
        Symbol *sym = scope_lookup(p, name);
        if (p->kind == SCOPE_CLASS) {
            if (strcmp(name, "__class__") == 0)
                return p;
            continue;
        }
        if (!sym)
            continue;
        if (sym->flags & DEF_GLOBAL) {
            *is_global = true;
            return NULL;
        }
        if (binds(sym))
            return p;
        // nonlocal or plain use: keep looking outward
    }
    *is_global = true;
    return NULL;
}

static void make_free_chain(Builder *b, Scope *from, Scope *binder, const char *name) {
    for (Scope *p = from->parent; p && p != binder; p = p->parent) {
        Symbol *sym = table_find(p, name, true, b);
        if (!sym)
            return;
        sym->flags |= DEF_FREE_PASS;
        if (p->kind == SCOPE_FUNCTION)
            sym->scope = SYM_FREE;
    }
    Symbol *bs = table_find(binder, name, true, b);
    if (!bs)
        return;
    bs->flags |= DEF_CELL;
    if (binder->kind == SCOPE_CLASS)
        binder->needs_class_cell = true;
}

static void resolve_scope(Builder *b, Scope *s) {
    if (b->failed)
        return;
    for (int i = 0; i < s->cap_syms; i++) {
        Symbol *sym = &s->syms[i];
        if (!sym->name)
            continue;
        if (sym->scope == SYM_FREE && (sym->flags & DEF_FREE_PASS))
            continue;
        if (s->kind == SCOPE_MODULE) {
            sym->scope = SYM_NAME;
            continue;
        }
        if (sym->flags & DEF_GLOBAL) {
            sym->scope = SYM_GLOBAL_EXPLICIT;
            continue;
        }
        if (sym->flags & DEF_NONLOCAL) {
            bool g;
            Scope *binder = find_binder(s, sym->name, &g);
            if (!binder || binder->kind == SCOPE_CLASS) {
                const Node *at = s->node;
                fail(b, at, "no binding for nonlocal '%s' found", sym->name);
                return;
            }
            sym->scope = SYM_FREE;
            sym->flags |= DEF_FREE;
            make_free_chain(b, s, binder, sym->name);
            continue;
        }
        if (s->kind == SCOPE_CLASS) {
            if (binds(sym)) {
                sym->scope = SYM_NAME;
                continue;
            }
            bool g;
            Scope *binder = find_binder(s, sym->name, &g);
            if (binder && binder->kind == SCOPE_FUNCTION) {
                sym->scope = SYM_FREE;
                sym->flags |= DEF_FREE | DEF_FREE_PASS;
                make_free_chain(b, s, binder, sym->name);
            } else {
                sym->scope = SYM_NAME;
            }
            continue;
        }
        // Function scope.
        if (binds(sym)) {
            if (sym->scope != SYM_CELL)
                sym->scope = SYM_LOCAL;
            continue;
        }
        bool g;
        Scope *binder = find_binder(s, sym->name, &g);
        if (binder) {
            sym->scope = SYM_FREE;
            sym->flags |= DEF_FREE;
            if (binder->kind == SCOPE_CLASS)
                s->uses_class_cell = true;
            make_free_chain(b, s, binder, sym->name);
        } else {
            sym->scope = SYM_GLOBAL_IMPLICIT;
        }
    }
    for (int i = 0; i < s->nchildren; i++)
        resolve_scope(b, s->children[i]);
}

// Locals captured by inner scopes become cells (after all children resolved).
static void finish_cells(Scope *s) {
    for (int i = 0; i < s->nchildren; i++)
        finish_cells(s->children[i]);
    for (int i = 0; i < s->cap_syms; i++) {
        Symbol *sym = &s->syms[i];
        if (!sym->name)
            continue;
        if ((sym->flags & DEF_CELL) && s->kind == SCOPE_FUNCTION && binds(sym))
            sym->scope = SYM_CELL;
    }
}

Scope *symtable_build(Arena *a, const Node *mod, SymtableError *err) {
    Builder b = {.arena = a, .err = err, .failed = false, .order = 0};
    Scope *top = new_scope(&b, SCOPE_MODULE, mod, "<module>", NULL);
    if (!top)
        return NULL;
    if (mod->kind == AST_EXPRESSION)
        visit_expr(&b, top, mod->expression.body);
    else
        visit_stmts(&b, top, &mod->module.body);
    if (!b.failed)
        resolve_scope(&b, top);
    if (b.failed)
        return NULL;
    finish_cells(top);
    return top;
}
