// parser.c -- recursive-descent parser for the Python 3.11 subset (see parser.h).
//
// Structure: one function per grammar rule (python.gram names in comments),
// tokens pulled on demand from the lexer into a growable buffer so the parser
// can look ahead and backtrack (mark/reset) where the grammar needs it
// (parenthesized with-items, the "Perhaps you forgot a comma?" probe).
//
// Errors: the first error sticks; every rule returns NULL once p->failed is
// set, and callers propagate NULL. CPython's second-pass invalid_* rules are
// folded in at the point where the single pass notices the problem. After a
// parser (not lexer) error in a file, the rest of the source is tokenized and
// a tokenizer error, if any, replaces the parser's (CPython does the same).
//
// Recursion: p->depth counts nested rule activations on every recursive path
// (expression, unary operators, blocks); past MAX_DEPTH the parse fails.
// The finished tree is measured with ast_depth() against AST_MAX_DEPTH
// because left-assoc chains (a+b+c+...) are built by loops, not recursion.
//
// Memory: nodes go into the arena; the token buffer is malloc'd and freed at
// the end of every parse_*() call.
#include "parser.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 900

typedef enum FuncKind { FN_NONE, FN_DEF, FN_ASYNC, FN_LAMBDA } FuncKind;

typedef struct Parser {
    Arena *a;
    const char *src;
    size_t len;
    Lexer lx;
    Token *toks;       // malloc'd
    int ntok, cap;
    int pos;           // next token
    bool lex_done;     // ENDMARKER produced or lexer failed
    bool failed;
    bool lex_failed;   // the error came from the lexer
    bool eof_error;    // the error was found at the end of the input
    ParseError *err;
    int depth;
    int no_invalid;    // >0 while probing: skip the comma/legacy diagnostics
    // Context for the compile-time checks.
    FuncKind func;
    bool in_loop;
    bool in_class;
    bool has_deferred;
    ParseError deferred;
    // f-string sub-parser state
    struct Parser *outer;  // enclosing parser (f-string replacement field)
    int fstring_level;     // nesting of f-string format specs
} Parser;

// -- errors

static size_t line_start_of(Parser *p, int line) {
    return lex_line_start(p->src, p->len, line);
}

// Fill [e] from 0-based byte columns.
static void fill_error(Parser *p, ParseError *e, const char *kind, int line, int col,
                       int end_line, int end_col, const char *fmt, va_list ap) {
    const char *prefix = p->outer && strcmp(kind, "SyntaxError") == 0 ? "f-string: " : "";
    size_t n = strlen(prefix);
    memcpy(e->msg, prefix, n + 1);
    vsnprintf(e->msg + n, sizeof e->msg - n, fmt, ap);
    e->kind = kind;
    e->line = line;
    e->col = lex_char_offset(p->src, p->len, line_start_of(p, line), col);
    e->end_line = end_line;
    e->end_col = lex_char_offset(p->src, p->len, line_start_of(p, end_line), end_col);
}

static void *error_range(Parser *p, const char *kind, int line, int col, int end_line,
                         int end_col, const char *fmt, ...) {
    if (p->failed) return NULL;
    va_list ap;
    va_start(ap, fmt);
    fill_error(p, p->err, kind, line, col, end_line, end_col, fmt, ap);
    va_end(ap);
    p->failed = true;
    return NULL;
}

#define ERR_TOK(p, t, ...) \
    error_range((p), "SyntaxError", (t)->line, (t)->col, (t)->end_line, (t)->end_col, __VA_ARGS__)
#define ERR_NODE(p, n, ...) \
    error_range((p), "SyntaxError", (n)->line, (n)->col, (n)->end_line, (n)->end_col, __VA_ARGS__)
#define ERR_SPAN(p, a, b, ...) \
    error_range((p), "SyntaxError", (a)->line, (a)->col, (b)->end_line, (b)->end_col, __VA_ARGS__)

static void *oom(Parser *p) {
    if (p->failed) return NULL;
    p->failed = true;
    p->err->kind = "MemoryError";
    snprintf(p->err->msg, sizeof p->err->msg, "out of memory while parsing");
    p->err->line = p->err->end_line = 0;
    p->err->col = p->err->end_col = 0;
    return NULL;
}

// A compile-time error, reported only if the parse succeeds.
static void defer_range(Parser *p, int line, int col, int end_line, int end_col,
                        const char *fmt, ...) {
    Parser *root = p;
    while (root->outer) root = root->outer;
    if (root->has_deferred || p->failed) return;
    va_list ap;
    va_start(ap, fmt);
    Parser *saved = p->outer;
    p->outer = NULL;  // no "f-string: " prefix for these
    fill_error(p, &root->deferred, "SyntaxError", line, col, end_line, end_col, fmt, ap);
    p->outer = saved;
    va_end(ap);
    root->has_deferred = true;
}

#define DEFER_NODE(p, n, ...) defer_range((p), (n)->line, (n)->col, (n)->end_line, (n)->end_col, __VA_ARGS__)
#define DEFER_TOK(p, t, ...) defer_range((p), (t)->line, (t)->col, (t)->end_line, (t)->end_col, __VA_ARGS__)

// -- tokens

static void lexer_failed(Parser *p) {
    p->lex_done = true;
    if (!p->failed) {
        *p->err = p->lx.err;
        if (p->outer && strcmp(p->err->kind, "SyntaxError") == 0 &&
            strncmp(p->err->msg, "f-string", 8) != 0) {
            char tmp[sizeof p->err->msg];
            snprintf(tmp, sizeof tmp, "f-string: %.240s", p->err->msg);
            memcpy(p->err->msg, tmp, sizeof tmp);
        }
        p->failed = true;
        p->lex_failed = true;
        p->eof_error = p->lx.eof_error;
    }
}

// Token [i], lexing on demand. Past the end (or after a lexer error) the last
// token, an ENDMARKER, is returned again.
static Token *tok_at(Parser *p, int i) {
    while (i >= p->ntok && !p->lex_done) {
        if (p->ntok == p->cap) {
            int ncap = p->cap ? p->cap * 2 : 256;
            Token *nt = realloc(p->toks, (size_t)ncap * sizeof *nt);
            if (!nt) {
                oom(p);
                p->lex_done = true;
                break;
            }
            p->toks = nt;
            p->cap = ncap;
        }
        Token *t = &p->toks[p->ntok];
        if (!lex_next(&p->lx, t)) {
            lexer_failed(p);
            // A synthetic ENDMARKER so callers see the end of input.
            t->kind = TK_ENDMARKER;
            t->start = t->end = p->lx.pos;
            t->line = t->end_line = p->lx.line;
            t->col = t->end_col = (int)(p->lx.pos - p->lx.line_start);
            t->level = p->lx.level;
            p->ntok++;
            break;
        }
        p->ntok++;
        if (t->kind == TK_ENDMARKER) p->lex_done = true;
    }
    if (p->ntok == 0) {  // only on out-of-memory before any token
        static Token end = {.kind = TK_ENDMARKER, .line = 1, .end_line = 1};
        return &end;
    }
    return &p->toks[i < p->ntok ? i : p->ntok - 1];
}

static Token *cur(Parser *p) { return tok_at(p, p->pos); }
static TokenKind kind(Parser *p) { return cur(p)->kind; }
static TokenKind peek_kind(Parser *p, int k) { return tok_at(p, p->pos + k)->kind; }

static Token *advance(Parser *p) {
    Token *t = cur(p);
    if (p->pos < p->ntok && t->kind != TK_ENDMARKER) p->pos++;
    return t;
}

static bool accept(Parser *p, TokenKind k) {
    if (kind(p) != k) return false;
    advance(p);
    return true;
}

static bool is_ws_token(TokenKind k) {
    return k == TK_NEWLINE || k == TK_INDENT || k == TK_DEDENT || k == TK_ENDMARKER;
}

// End of the last consumed token that is not NEWLINE/INDENT/DEDENT (the end
// CPython gives a node).
static void last_end(Parser *p, int *line, int *col) {
    for (int i = p->pos - 1; i >= 0; i--) {
        Token *t = &p->toks[i];
        if (!is_ws_token(t->kind)) {
            *line = t->end_line;
            *col = t->end_col;
            return;
        }
    }
    *line = 1;
    *col = 0;
}

// "invalid syntax" (or the INDENT/DEDENT variants) at the current token.
static void *invalid_syntax(Parser *p) {
    if (p->failed) return NULL;
    Token *t = cur(p);
    if (t->kind == TK_INDENT) {
        int off_col = t->end_col;
        return error_range(p, "IndentationError", t->line, off_col - 1, t->line, off_col - 1,
                           "unexpected indent");
    }
    if (t->kind == TK_DEDENT)
        return error_range(p, "IndentationError", t->line, t->col, t->line, t->col,
                           "unexpected unindent");
    if (t->kind == TK_ENDMARKER) p->eof_error = true;
    return ERR_TOK(p, t, "invalid syntax");
}

static Token *expect(Parser *p, TokenKind k) {
    if (kind(p) == k) return advance(p);
    return invalid_syntax(p);
}

// CPython's forced token (&&':'): "expected ':'" at the current token.
static Token *expect_forced(Parser *p, TokenKind k) {
    if (kind(p) == k) return advance(p);
    if (p->failed) return NULL;
    Token *t = cur(p);
    if (t->kind == TK_ENDMARKER) p->eof_error = true;
    return ERR_TOK(p, t, "expected '%s'", lex_token_name(k));
}

// -- nodes and lists

static Node *new_node(Parser *p, NodeKind k, int line, int col) {
    Node *n = arena_alloc(p->a, sizeof *n);
    if (!n) return oom(p);
    n->kind = k;
    n->line = n->end_line = line;
    n->col = n->end_col = col;
    return n;
}

static Node *node_at_tok(Parser *p, NodeKind k, const Token *t) {
    return new_node(p, k, t->line, t->col);
}

static Node *node_at_node(Parser *p, NodeKind k, const Node *n) {
    return new_node(p, k, n->line, n->col);
}

// Set the end of [n] to the end of the last consumed token.
static Node *finish(Parser *p, Node *n) {
    if (n) last_end(p, &n->end_line, &n->end_col);
    return n;
}

static void copy_end(Node *n, const Node *from) {
    n->end_line = from->end_line;
    n->end_col = from->end_col;
}

typedef struct Vec {
    Node **items;
    int len, cap;
} Vec;

static bool vec_push(Parser *p, Vec *v, Node *n) {
    if (v->len == v->cap) {
        if (v->cap > INT32_MAX / 4) return oom(p), false;
        int ncap = v->cap ? v->cap * 2 : 4;
        Node **ni = arena_alloc(p->a, (size_t)ncap * sizeof *ni);
        if (!ni) return oom(p), false;
        if (v->len) memcpy(ni, v->items, (size_t)v->len * sizeof *ni);
        v->items = ni;
        v->cap = ncap;
    }
    v->items[v->len++] = n;
    return true;
}

static NodeList vec_list(Vec *v) {
    NodeList l = {v->items, v->len};
    return l;
}

static NodeList list1(Parser *p, Node *n) {
    Vec v = {0};
    vec_push(p, &v, n);
    return vec_list(&v);
}

static const char *tok_text(Parser *p, const Token *t) {
    const char *s = arena_memdup(p->a, p->src + t->start, t->end - t->start);
    if (!s) oom(p);
    return s;
}

static bool tok_is(Parser *p, const Token *t, const char *text) {
    size_t n = strlen(text);
    return t->end - t->start == n && memcmp(p->src + t->start, text, n) == 0;
}

// -- depth guard

static bool enter(Parser *p) {
    if (++p->depth > MAX_DEPTH) {
        if (!p->failed) {
            Token *t = cur(p);
            ERR_TOK(p, t, "expression too deeply nested");
        }
        return false;
    }
    return true;
}

static void leave(Parser *p) { p->depth--; }

// -- backtracking

typedef struct Mark {
    int pos;
    bool has_deferred;
    int depth;
} Mark;

static Mark mark(Parser *p) {
    Parser *root = p;
    while (root->outer) root = root->outer;
    Mark m = {p->pos, root->has_deferred, p->depth};
    return m;
}

// Undo a failed attempt; false if it failed for good (lexer error or OOM).
static bool reset(Parser *p, Mark m) {
    if (p->lex_failed || (p->failed && strcmp(p->err->kind, "MemoryError") == 0)) return false;
    Parser *root = p;
    while (root->outer) root = root->outer;
    p->failed = false;
    p->eof_error = false;
    p->pos = m.pos;
    root->has_deferred = m.has_deferred;
    p->depth = m.depth;
    return true;
}

// -- expression helpers

static Node *p_expression(Parser *p);
static Node *p_named_expression(Parser *p, bool check_eq);
static Node *p_star_expressions(Parser *p, bool *made_tuple);
static Node *p_star_named_expression(Parser *p);
static Node *p_bitwise_or(Parser *p);
static Node *p_disjunction(Parser *p);
static Node *p_yield_expr(Parser *p);
static Node *p_primary(Parser *p);
static Node *p_params(Parser *p, bool lambda, TokenKind close);
static bool p_comp_for(Parser *p, Vec *gens);
static Node *p_strings(Parser *p);
static Node *p_dict_value(Parser *p);

static bool starts_expression(TokenKind k) {
    switch (k) {
    case TK_NAME: case TK_NUMBER: case TK_STRING: case TK_LPAR: case TK_LSQB:
    case TK_LBRACE: case TK_MINUS: case TK_PLUS: case TK_TILDE: case TK_ELLIPSIS:
    case TK_NONE: case TK_TRUE: case TK_FALSE: case TK_NOT: case TK_LAMBDA: case TK_AWAIT:
        return true;
    default:
        return false;
    }
}

static bool is_name(const Node *n, const char *id) {
    return n->kind == AST_NAME && strcmp(n->name.id, id) == 0;
}

// CPython's _PyPegen_get_expr_name(): how messages name an expression.
static const char *expr_name(const Node *e) {
    switch (e->kind) {
    case AST_ATTRIBUTE: return "attribute";
    case AST_SUBSCRIPT: return "subscript";
    case AST_STARRED: return "starred";
    case AST_NAME: return "name";
    case AST_LIST: return "list";
    case AST_TUPLE: return "tuple";
    case AST_LAMBDA: return "lambda";
    case AST_CALL: return "function call";
    case AST_BOOL_OP: case AST_BIN_OP: case AST_UNARY_OP: return "expression";
    case AST_GENERATOR_EXP: return "generator expression";
    case AST_YIELD: case AST_YIELD_FROM: return "yield expression";
    case AST_AWAIT: return "await expression";
    case AST_LIST_COMP: return "list comprehension";
    case AST_SET_COMP: return "set comprehension";
    case AST_DICT_COMP: return "dict comprehension";
    case AST_DICT: return "dict literal";
    case AST_SET: return "set display";
    case AST_JOINED_STR: case AST_FORMATTED_VALUE: return "f-string expression";
    case AST_CONSTANT:
        switch (e->constant.kind) {
        case CONST_NONE: return "None";
        case CONST_TRUE: return "True";
        case CONST_FALSE: return "False";
        case CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case AST_COMPARE: return "comparison";
    case AST_IF_EXP: return "conditional expression";
    case AST_NAMED_EXPR: return "named expression";
    default: return "expression";
    }
}

typedef enum TargetsType { STAR_TARGETS, DEL_TARGETS, FOR_TARGETS } TargetsType;

// CPython's _PyPegen_get_invalid_target(): the sub-expression that makes [e]
// an invalid target, or NULL when [e] is a valid one.
static const Node *invalid_target(const Node *e, TargetsType type) {
    switch (e->kind) {
    case AST_LIST:
    case AST_TUPLE:
        for (int i = 0; i < e->seq.elts.len; i++) {
            const Node *bad = invalid_target(e->seq.elts.items[i], type);
            if (bad) return bad;
        }
        return NULL;
    case AST_STARRED:
        if (type == DEL_TARGETS) return e;
        return invalid_target(e->starred.value, type);
    case AST_COMPARE:
        if (type == FOR_TARGETS && e->compare.ops[0] == CMPOP_IN)
            return invalid_target(e->compare.left, type);
        return e;
    case AST_NAME:
    case AST_SUBSCRIPT:
    case AST_ATTRIBUTE:
        return NULL;
    default:
        return e;
    }
}

static void set_ctx(Node *e, ExprContext ctx) {
    switch (e->kind) {
    case AST_NAME: e->name.ctx = ctx; break;
    case AST_ATTRIBUTE: e->attribute.ctx = ctx; break;
    case AST_SUBSCRIPT: e->subscript.ctx = ctx; break;
    case AST_STARRED:
        e->starred.ctx = ctx;
        set_ctx(e->starred.value, ctx);
        break;
    case AST_LIST:
    case AST_TUPLE:
        e->seq.ctx = ctx;
        for (int i = 0; i < e->seq.elts.len; i++) set_ctx(e->seq.elts.items[i], ctx);
        break;
    default: break;
    }
}

// Validate [e] as an assignment / for / with / del target and set its context.
static bool make_target(Parser *p, Node *e, TargetsType type) {
    const Node *bad = invalid_target(e, type);
    if (bad) {
        if (type == DEL_TARGETS) ERR_NODE(p, bad, "cannot delete %s", expr_name(bad));
        else ERR_NODE(p, bad, "cannot assign to %s", expr_name(bad));
        return false;
    }
    set_ctx(e, type == DEL_TARGETS ? CTX_DEL : CTX_STORE);
    return true;
}

// Compile-time checks on an assignment target (CPython's compiler does them).
static void check_starred_target(Parser *p, const Node *e) {
    if (e->kind == AST_STARRED) {
        DEFER_NODE(p, e, "starred assignment target must be in a list or tuple");
        return;
    }
    if (e->kind != AST_LIST && e->kind != AST_TUPLE) return;
    int stars = 0;
    for (int i = 0; i < e->seq.elts.len; i++) {
        const Node *x = e->seq.elts.items[i];
        if (x->kind == AST_STARRED) {
            if (++stars > 1) {
                DEFER_NODE(p, e, "multiple starred expressions in assignment");
                return;
            }
            check_starred_target(p, x->starred.value);
        } else {
            check_starred_target(p, x);
        }
    }
}

static bool is_soft_keyword(Parser *p, const Token *t) {
    return t->kind == TK_NAME && (tok_is(p, t, "match") || tok_is(p, t, "case") || tok_is(p, t, "_"));
}

// CPython's invalid_expression / invalid_legacy_expression: [a] (starting at
// token [start]) is directly followed by another expression.
static void check_juxtaposed(Parser *p, int start, Node *a) {
    bool legacy = is_name(a, "print") || is_name(a, "exec");
    Mark m = mark(p);
    p->no_invalid++;
    Node *b = legacy ? p_star_expressions(p, NULL) : p_expression(p);
    p->no_invalid--;
    if (!b) {
        reset(p, m);
        return;
    }
    if (legacy) {
        ERR_SPAN(p, a, b, "Missing parentheses in call to '%s'. Did you mean %s(...)?", a->name.id,
                 a->name.id);
        return;
    }
    int level = p->toks[p->pos - 1].level;
    Token st = *tok_at(p, start);
    bool name_string = st.kind == TK_NAME && tok_at(p, start + 1)->kind == TK_STRING;
    st = *tok_at(p, start);
    if (level > 0 && !name_string && !is_soft_keyword(p, &st)) {
        ERR_SPAN(p, a, b, "invalid syntax. Perhaps you forgot a comma?");
        return;
    }
    reset(p, m);
}

// -- atoms

static Node *mk_constant(Parser *p, const Token *t, ConstKind k) {
    Node *n = node_at_tok(p, AST_CONSTANT, t);
    if (!n) return NULL;
    n->constant.kind = k;
    n->end_line = t->end_line;
    n->end_col = t->end_col;
    return n;
}

static Node *p_number(Parser *p) {
    Token t = *cur(p);
    advance(p);
    size_t n = t.end - t.start;
    char *s = arena_alloc(p->a, n + 1);
    if (!s) return oom(p);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (p->src[t.start + i] != '_') s[k++] = p->src[t.start + i];
    s[k] = '\0';
    char last = (char)(s[k - 1] | 0x20);
    if (last == 'j') return ERR_TOK(p, &t, "complex numbers are not supported by gilvm");
    Node *c = mk_constant(p, &t, CONST_INT);
    if (!c) return NULL;
    int base = 10;
    const char *digits = s;
    if (k > 1 && s[0] == '0' && strchr("xXoObB", s[1])) {
        base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
        digits = s + 2;
    } else if (strpbrk(s, ".eE")) {
        c->constant.kind = CONST_FLOAT;
        c->constant.float_ = strtod(s, NULL);
        return c;
    }
    while (digits[0] == '0' && digits[1]) digits++;
    c->constant.int_.digits = digits;
    c->constant.int_.base = base;
    return c;
}

static Node *p_name(Parser *p) {
    Token t = *cur(p);
    if (!expect(p, TK_NAME)) return NULL;
    Node *n = node_at_tok(p, AST_NAME, &t);
    if (!n) return NULL;
    n->name.id = tok_text(p, &t);
    n->name.ctx = CTX_LOAD;
    return finish(p, n);
}

static Node *mk_seq(Parser *p, NodeKind k, const Token *open, Vec *elts) {
    Node *n = node_at_tok(p, k, open);
    if (!n) return NULL;
    n->seq.elts = vec_list(elts);
    n->seq.ctx = CTX_LOAD;
    return finish(p, n);
}

static Node *mk_comp(Parser *p, NodeKind k, const Token *open, Node *elt, Vec *gens) {
    Node *n = node_at_tok(p, k, open);
    if (!n) return NULL;
    n->comp.elt = elt;
    n->comp.generators = vec_list(gens);
    return finish(p, n);
}

// '(' ... ')': tuple, group, generator expression or yield.
static Node *p_paren(Parser *p) {
    Token open = *cur(p);
    advance(p);
    if (accept(p, TK_RPAR)) {
        Vec none = {0};
        return mk_seq(p, AST_TUPLE, &open, &none);
    }
    if (kind(p) == TK_YIELD) {
        Node *y = p_yield_expr(p);
        if (!y || !expect(p, TK_RPAR)) return NULL;
        return y;
    }
    if (kind(p) == TK_DOUBLESTAR) {
        Token t = *cur(p);
        advance(p);
        Node *v = p_bitwise_or(p);
        if (!v) return NULL;
        return error_range(p, "SyntaxError", t.line, t.col, v->end_line, v->end_col,
                           "cannot use double starred expression here");
    }
    Node *first = p_star_named_expression(p);
    if (!first) return NULL;
    if (kind(p) == TK_FOR || kind(p) == TK_ASYNC) {
        if (first->kind == AST_STARRED)
            return ERR_NODE(p, first, "iterable unpacking cannot be used in comprehension");
        Vec gens = {0};
        if (!p_comp_for(p, &gens) || !expect(p, TK_RPAR)) return NULL;
        return mk_comp(p, AST_GENERATOR_EXP, &open, first, &gens);
    }
    if (kind(p) == TK_COMMA) {
        Vec elts = {0};
        vec_push(p, &elts, first);
        while (accept(p, TK_COMMA)) {
            if (kind(p) == TK_RPAR) break;
            Node *e = p_star_named_expression(p);
            if (!e || !vec_push(p, &elts, e)) return NULL;
        }
        if (!expect(p, TK_RPAR)) return NULL;
        return mk_seq(p, AST_TUPLE, &open, &elts);
    }
    if (kind(p) != TK_RPAR) return invalid_syntax(p);
    if (first->kind == AST_STARRED)
        return ERR_NODE(p, first, "cannot use starred expression here");
    advance(p);
    return first;
}

static Node *p_list(Parser *p) {
    Token open = *cur(p);
    advance(p);
    Vec elts = {0};
    if (accept(p, TK_RSQB)) return mk_seq(p, AST_LIST, &open, &elts);
    Node *first = p_star_named_expression(p);
    if (!first) return NULL;
    if (kind(p) == TK_FOR || kind(p) == TK_ASYNC) {
        if (first->kind == AST_STARRED)
            return ERR_NODE(p, first, "iterable unpacking cannot be used in comprehension");
        Vec gens = {0};
        if (!p_comp_for(p, &gens) || !expect(p, TK_RSQB)) return NULL;
        return mk_comp(p, AST_LIST_COMP, &open, first, &gens);
    }
    vec_push(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (kind(p) == TK_RSQB) break;
        Node *e = p_star_named_expression(p);
        if (!e || !vec_push(p, &elts, e)) return NULL;
    }
    if (!expect(p, TK_RSQB)) return NULL;
    return mk_seq(p, AST_LIST, &open, &elts);
}

// One "key: value" or "**mapping" item of a dict display. *key NULL for **.
static bool p_dict_item(Parser *p, Node **key, Node **value) {
    if (kind(p) == TK_DOUBLESTAR) {
        advance(p);
        *key = NULL;
        *value = p_bitwise_or(p);
        return *value != NULL;
    }
    *key = p_expression(p);
    if (!*key) return false;
    if (kind(p) == TK_COMMA || kind(p) == TK_RBRACE)
        return ERR_NODE(p, *key, "':' expected after dictionary key"), false;
    if (!expect(p, TK_COLON)) return false;
    return (*value = p_dict_value(p)) != NULL;
}

static Node *p_dict_value(Parser *p) {
    if (kind(p) == TK_STAR) {
        Token t = *cur(p);
        advance(p);
        Node *v = p_bitwise_or(p);
        if (!v) return NULL;
        return error_range(p, "SyntaxError", t.line, t.col, v->end_line, v->end_col,
                           "cannot use a starred expression in a dictionary value");
    }
    if (kind(p) == TK_RBRACE || kind(p) == TK_COMMA) {
        Token colon = p->toks[p->pos - 1];
        return ERR_TOK(p, &colon, "expression expected after dictionary key and ':'");
    }
    return p_expression(p);
}

// '{' ... '}': dict, set, dict/set comprehension.
static Node *p_brace(Parser *p) {
    Token open = *cur(p);
    advance(p);
    if (accept(p, TK_RBRACE)) {
        Node *d = node_at_tok(p, AST_DICT, &open);
        return finish(p, d);
    }
    Node *key = NULL, *value = NULL;
    bool is_dict;
    if (kind(p) == TK_DOUBLESTAR) {
        Token ds = *cur(p);
        if (!p_dict_item(p, &key, &value)) return NULL;
        if (kind(p) == TK_FOR || kind(p) == TK_ASYNC)
            return ERR_TOK(p, &ds, "dict unpacking cannot be used in dict comprehension");
        is_dict = true;
    } else {
        key = p_star_named_expression(p);
        if (!key) return NULL;
        is_dict = kind(p) == TK_COLON && key->kind != AST_STARRED && key->kind != AST_NAMED_EXPR;
        if (is_dict) {
            advance(p);
            if (!(value = p_dict_value(p))) return NULL;
        }
    }
    if (kind(p) == TK_FOR || kind(p) == TK_ASYNC) {
        if (!is_dict && key->kind == AST_STARRED)
            return ERR_NODE(p, key, "iterable unpacking cannot be used in comprehension");
        Vec gens = {0};
        if (!p_comp_for(p, &gens) || !expect(p, TK_RBRACE)) return NULL;
        if (!is_dict) return mk_comp(p, AST_SET_COMP, &open, key, &gens);
        Node *n = node_at_tok(p, AST_DICT_COMP, &open);
        if (!n) return NULL;
        n->dict_comp.key = key;
        n->dict_comp.value = value;
        n->dict_comp.generators = vec_list(&gens);
        return finish(p, n);
    }
    Vec keys = {0}, values = {0};
    if (is_dict) {
        vec_push(p, &keys, key);
        vec_push(p, &values, value);
    } else {
        vec_push(p, &values, key);
    }
    while (accept(p, TK_COMMA)) {
        if (kind(p) == TK_RBRACE) break;
        if (is_dict) {
            if (!p_dict_item(p, &key, &value)) return NULL;
            vec_push(p, &keys, key);
            vec_push(p, &values, value);
        } else {
            Node *e = p_star_named_expression(p);
            if (!e || !vec_push(p, &values, e)) return NULL;
        }
    }
    if (p->failed || !expect(p, TK_RBRACE)) return NULL;
    Node *n = node_at_tok(p, is_dict ? AST_DICT : AST_SET, &open);
    if (!n) return NULL;
    if (is_dict) {
        n->dict.keys = vec_list(&keys);
        n->dict.values = vec_list(&values);
    } else {
        n->set.elts = vec_list(&values);
    }
    return finish(p, n);
}

static Node *p_atom(Parser *p) {
    Token t = *cur(p);
    switch (t.kind) {
    case TK_NAME: return p_name(p);
    case TK_TRUE: advance(p); return mk_constant(p, &t, CONST_TRUE);
    case TK_FALSE: advance(p); return mk_constant(p, &t, CONST_FALSE);
    case TK_NONE: advance(p); return mk_constant(p, &t, CONST_NONE);
    case TK_ELLIPSIS: advance(p); return mk_constant(p, &t, CONST_ELLIPSIS);
    case TK_NUMBER: return p_number(p);
    case TK_STRING: return p_strings(p);
    case TK_LPAR: return p_paren(p);
    case TK_LSQB: return p_list(p);
    case TK_LBRACE: return p_brace(p);
    default: return invalid_syntax(p);
    }
}

// -- primaries

// Arguments of a call (or class bases) after '('; consumes ')'.
static bool p_call_args(Parser *p, int open_idx, NodeList *out_args, NodeList *out_kws) {
    Vec args = {0}, kws = {0};
    bool seen_kw = false, seen_dstar = false;
    const char *late_error = NULL;  // CPython reports it after the last argument
    while (kind(p) != TK_RPAR && !p->failed) {
        if (kind(p) == TK_STAR) {
            Token st = *cur(p);
            advance(p);
            Node *v = p_expression(p);
            if (!v) return false;
            Node *s = node_at_tok(p, AST_STARRED, &st);
            if (!s) return false;
            s->starred.value = v;
            s->starred.ctx = CTX_LOAD;
            finish(p, s);
            if (seen_dstar) {
                ERR_TOK(p, &st, "iterable argument unpacking follows keyword argument unpacking");
                return false;
            }
            vec_push(p, &args, s);
        } else if (kind(p) == TK_DOUBLESTAR) {
            Token st = *cur(p);
            advance(p);
            Node *v = p_expression(p);
            if (!v) return false;
            Node *k = node_at_tok(p, AST_KEYWORD, &st);
            if (!k) return false;
            k->keyword.value = v;
            finish(p, k);
            seen_dstar = true;
            vec_push(p, &kws, k);
        } else if (kind(p) == TK_NAME && peek_kind(p, 1) == TK_EQUAL) {
            Token nt = *cur(p);
            advance(p);
            advance(p);
            Node *v = p_expression(p);
            if (!v) return false;
            Node *k = node_at_tok(p, AST_KEYWORD, &nt);
            if (!k) return false;
            k->keyword.arg = tok_text(p, &nt);
            k->keyword.value = v;
            finish(p, k);
            for (int i = 0; i < kws.len; i++) {
                const char *o = kws.items[i]->keyword.arg;
                if (o && k->keyword.arg && strcmp(o, k->keyword.arg) == 0)
                    DEFER_NODE(p, k, "keyword argument repeated: %s", o);
            }
            seen_kw = true;
            vec_push(p, &kws, k);
        } else if ((kind(p) == TK_TRUE || kind(p) == TK_FALSE || kind(p) == TK_NONE) &&
                   peek_kind(p, 1) == TK_EQUAL) {
            Token nt = *cur(p);
            Token eq = *tok_at(p, p->pos + 1);
            return error_range(p, "SyntaxError", nt.line, nt.col, eq.end_line, eq.end_col,
                               "cannot assign to %s", lex_token_name(nt.kind)),
                   false;
        } else {
            Node *v = p_named_expression(p, false);
            if (!v) return false;
            if (kind(p) == TK_EQUAL) {
                Token eq = *cur(p);
                return error_range(p, "SyntaxError", v->line, v->col, eq.end_line, eq.end_col,
                                   "expression cannot contain assignment, perhaps you meant \"==\"?"),
                       false;
            }
            if (kind(p) == TK_FOR || kind(p) == TK_ASYNC) {
                Vec gens = {0};
                if (!p_comp_for(p, &gens)) return false;
                Node *g = node_at_node(p, AST_GENERATOR_EXP, v);
                if (!g) return false;
                g->comp.elt = v;
                g->comp.generators = vec_list(&gens);
                finish(p, g);
                if (args.len || kws.len || kind(p) != TK_RPAR) {
                    ERR_NODE(p, g, "Generator expression must be parenthesized");
                    return false;
                }
                // The sole argument: its span is the call's parentheses.
                Token open = p->toks[open_idx];
                g->line = open.line;
                g->col = open.col;
                g->end_line = cur(p)->end_line;
                g->end_col = cur(p)->end_col;
                v = g;
            }
            if ((seen_kw || seen_dstar) && !late_error)
                late_error = seen_dstar ? "positional argument follows keyword argument unpacking"
                                        : "positional argument follows keyword argument";
            vec_push(p, &args, v);
        }
        if (!accept(p, TK_COMMA)) break;
    }
    if (late_error && !p->failed) {
        Token t = *cur(p);
        return ERR_TOK(p, &t, "%s", late_error), false;
    }
    if (p->failed || !expect(p, TK_RPAR)) return false;
    *out_args = vec_list(&args);
    *out_kws = vec_list(&kws);
    return true;
}

// One element of a subscript: slice, starred or named expression.
static Node *p_slice(Parser *p) {
    if (kind(p) == TK_STAR) {
        Token st = *cur(p);
        advance(p);
        Node *v = p_bitwise_or(p);
        if (!v) return NULL;
        Node *s = node_at_tok(p, AST_STARRED, &st);
        if (!s) return NULL;
        s->starred.value = v;
        return finish(p, s);
    }
    Token start = *cur(p);
    Node *lower = NULL;
    if (kind(p) != TK_COLON) {
        lower = p_named_expression(p, true);
        if (!lower) return NULL;
        if (kind(p) != TK_COLON || lower->kind == AST_NAMED_EXPR) return lower;
    }
    Node *s = node_at_tok(p, AST_SLICE, &start);
    if (!s) return NULL;
    advance(p);  // ':'
    s->slice.lower = lower;
    if (kind(p) != TK_COLON && kind(p) != TK_COMMA && kind(p) != TK_RSQB) {
        if (!(s->slice.upper = p_expression(p))) return NULL;
    }
    if (accept(p, TK_COLON) && kind(p) != TK_COMMA && kind(p) != TK_RSQB) {
        if (!(s->slice.step = p_expression(p))) return NULL;
    }
    return finish(p, s);
}

static Node *p_slices(Parser *p) {
    Token start = *cur(p);
    Node *first = p_slice(p);
    if (!first) return NULL;
    if (kind(p) != TK_COMMA && first->kind != AST_STARRED) return first;
    Vec elts = {0};
    vec_push(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (kind(p) == TK_RSQB) break;
        Node *e = p_slice(p);
        if (!e || !vec_push(p, &elts, e)) return NULL;
    }
    if (p->failed) return NULL;
    return mk_seq(p, AST_TUPLE, &start, &elts);
}

static Node *p_primary(Parser *p) {
    Token start0 = *cur(p);
    Node *a = p_atom(p);
    while (a) {
        if (kind(p) == TK_DOT) {
            advance(p);
            Token nt = *cur(p);
            if (!expect(p, TK_NAME)) return NULL;
            Node *n = node_at_tok(p, AST_ATTRIBUTE, &start0);
            if (!n) return NULL;
            n->attribute.value = a;
            n->attribute.attr = tok_text(p, &nt);
            a = finish(p, n);
        } else if (kind(p) == TK_LPAR) {
            int open_idx = p->pos;
            advance(p);
            Node *n = node_at_tok(p, AST_CALL, &start0);
            if (!n) return NULL;
            n->call.func = a;
            if (!enter(p)) return NULL;
            bool ok = p_call_args(p, open_idx, &n->call.args, &n->call.keywords);
            leave(p);
            if (!ok) return NULL;
            a = finish(p, n);
        } else if (kind(p) == TK_LSQB) {
            advance(p);
            Node *n = node_at_tok(p, AST_SUBSCRIPT, &start0);
            if (!n) return NULL;
            n->subscript.value = a;
            if (!enter(p)) return NULL;
            n->subscript.slice = p_slices(p);
            leave(p);
            if (!n->subscript.slice || !expect(p, TK_RSQB)) return NULL;
            a = finish(p, n);
        } else {
            break;
        }
    }
    return a;
}

static void check_await(Parser *p, const Node *n) {
    if (p->func == FN_NONE) DEFER_NODE(p, n, "'await' outside function");
    else if (p->func != FN_ASYNC) DEFER_NODE(p, n, "'await' outside async function");
}

static Node *p_await_primary(Parser *p) {
    if (kind(p) != TK_AWAIT) return p_primary(p);
    Token t = *cur(p);
    advance(p);
    if (!enter(p)) return NULL;
    Node *v = p_primary(p);
    leave(p);
    if (!v) return NULL;
    Node *n = node_at_tok(p, AST_AWAIT, &t);
    if (!n) return NULL;
    n->value_expr.value = v;
    finish(p, n);
    check_await(p, n);
    return n;
}

static Node *p_factor(Parser *p);

static Node *p_power(Parser *p) {
    Token start0 = *cur(p);
    Node *a = p_await_primary(p);
    if (!a || kind(p) != TK_DOUBLESTAR) return a;
    advance(p);
    if (!enter(p)) return NULL;
    Node *b = p_factor(p);
    leave(p);
    if (!b) return NULL;
    Node *n = node_at_tok(p, AST_BIN_OP, &start0);
    if (!n) return NULL;
    n->bin_op.left = a;
    n->bin_op.op = BIN_POW;
    n->bin_op.right = b;
    finish(p, n);
    return n;
}

static Node *p_factor(Parser *p) {
    UnaryOpKind op;
    switch (kind(p)) {
    case TK_PLUS: op = UNARY_UADD; break;
    case TK_MINUS: op = UNARY_USUB; break;
    case TK_TILDE: op = UNARY_INVERT; break;
    default: return p_power(p);
    }
    Token t = *cur(p);
    advance(p);
    if (!enter(p)) return NULL;
    Node *v = p_factor(p);
    leave(p);
    if (!v) return NULL;
    Node *n = node_at_tok(p, AST_UNARY_OP, &t);
    if (!n) return NULL;
    n->unary_op.op = op;
    n->unary_op.operand = v;
    finish(p, n);
    return n;
}

// Binary operator levels, loosest first: | ^ & shifts sums terms.
static bool binop_at(TokenKind k, int level, BinOpKind *op) {
    switch (level) {
    case 0: if (k == TK_VBAR) return *op = BIN_BITOR, true; return false;
    case 1: if (k == TK_CIRCUMFLEX) return *op = BIN_BITXOR, true; return false;
    case 2: if (k == TK_AMPER) return *op = BIN_BITAND, true; return false;
    case 3:
        if (k == TK_LEFTSHIFT) return *op = BIN_LSHIFT, true;
        if (k == TK_RIGHTSHIFT) return *op = BIN_RSHIFT, true;
        return false;
    case 4:
        if (k == TK_PLUS) return *op = BIN_ADD, true;
        if (k == TK_MINUS) return *op = BIN_SUB, true;
        return false;
    default:
        switch (k) {
        case TK_STAR: *op = BIN_MULT; return true;
        case TK_SLASH: *op = BIN_DIV; return true;
        case TK_DOUBLESLASH: *op = BIN_FLOORDIV; return true;
        case TK_PERCENT: *op = BIN_MOD; return true;
        case TK_AT: *op = BIN_MATMULT; return true;
        default: return false;
        }
    }
}

static Node *p_binary(Parser *p, int level) {
    Token start0 = *cur(p);
    Node *a = level == 6 ? p_factor(p) : p_binary(p, level + 1);
    BinOpKind op;
    while (a && binop_at(kind(p), level, &op)) {
        advance(p);
        Node *b = level == 6 ? p_factor(p) : p_binary(p, level + 1);
        if (!b) return NULL;
        Node *n = node_at_tok(p, AST_BIN_OP, &start0);
        if (!n) return NULL;
        n->bin_op.left = a;
        n->bin_op.op = op;
        n->bin_op.right = b;
        finish(p, n);
        a = n;
    }
    return a;
}

static Node *p_bitwise_or(Parser *p) { return p_binary(p, 0); }

static Node *p_comparison(Parser *p) {
    Token start0 = *cur(p);
    Node *a = p_bitwise_or(p);
    if (!a) return NULL;
    Vec comps = {0};
    CmpOpKind *ops = NULL;
    int cap = 0;
    for (;;) {
        CmpOpKind op;
        int ntok = 1;
        switch (kind(p)) {
        case TK_EQEQUAL: op = CMPOP_EQ; break;
        case TK_NOTEQUAL: op = CMPOP_NOT_EQ; break;
        case TK_LESS: op = CMPOP_LT; break;
        case TK_LESSEQUAL: op = CMPOP_LT_E; break;
        case TK_GREATER: op = CMPOP_GT; break;
        case TK_GREATEREQUAL: op = CMPOP_GT_E; break;
        case TK_IN: op = CMPOP_IN; break;
        case TK_IS:
            op = CMPOP_IS;
            if (peek_kind(p, 1) == TK_NOT) op = CMPOP_IS_NOT, ntok = 2;
            break;
        case TK_NOT:
            if (peek_kind(p, 1) != TK_IN) goto done;
            op = CMPOP_NOT_IN;
            ntok = 2;
            break;
        default: goto done;
        }
        while (ntok--) advance(p);
        Node *b = p_bitwise_or(p);
        if (!b) return NULL;
        if (comps.len == cap) {
            int ncap = cap ? cap * 2 : 4;
            CmpOpKind *no = arena_alloc(p->a, (size_t)ncap * sizeof *no);
            if (!no) return oom(p);
            if (cap) memcpy(no, ops, (size_t)cap * sizeof *no);
            ops = no;
            cap = ncap;
        }
        ops[comps.len] = op;
        if (!vec_push(p, &comps, b)) return NULL;
    }
done:
    if (!comps.len) return a;
    Node *n = node_at_tok(p, AST_COMPARE, &start0);
    if (!n) return NULL;
    n->compare.left = a;
    n->compare.ops = ops;
    n->compare.comparators = vec_list(&comps);
    finish(p, n);
    return n;
}

static Node *p_inversion(Parser *p) {
    if (kind(p) != TK_NOT) return p_comparison(p);
    Token t = *cur(p);
    advance(p);
    if (!enter(p)) return NULL;
    Node *v = p_inversion(p);
    leave(p);
    if (!v) return NULL;
    Node *n = node_at_tok(p, AST_UNARY_OP, &t);
    if (!n) return NULL;
    n->unary_op.op = UNARY_NOT;
    n->unary_op.operand = v;
    finish(p, n);
    return n;
}

static Node *p_boolop(Parser *p, bool is_or) {
    Token start0 = *cur(p);
    Node *a = is_or ? p_boolop(p, false) : p_inversion(p);
    TokenKind k = is_or ? TK_OR : TK_AND;
    if (!a || kind(p) != k) return a;
    Vec values = {0};
    vec_push(p, &values, a);
    while (accept(p, k)) {
        Node *b = is_or ? p_boolop(p, false) : p_inversion(p);
        if (!b || !vec_push(p, &values, b)) return NULL;
    }
    Node *n = node_at_tok(p, AST_BOOL_OP, &start0);
    if (!n) return NULL;
    n->bool_op.op = is_or ? BOOL_OR : BOOL_AND;
    n->bool_op.values = vec_list(&values);
    finish(p, n);
    return n;
}

static Node *p_disjunction(Parser *p) { return p_boolop(p, true); }

static Node *p_lambda(Parser *p) {
    Token t = *cur(p);
    advance(p);
    Node *args = p_params(p, true, TK_COLON);
    if (!args || !expect(p, TK_COLON)) return NULL;
    FuncKind saved = p->func;
    bool saved_loop = p->in_loop;
    p->func = FN_LAMBDA;
    p->in_loop = false;
    Node *body = p_expression(p);
    p->func = saved;
    p->in_loop = saved_loop;
    if (!body) return NULL;
    Node *n = node_at_tok(p, AST_LAMBDA, &t);
    if (!n) return NULL;
    n->lambda.args = args;
    n->lambda.body = body;
    finish(p, n);
    return n;
}

static Node *expression_body(Parser *p) {
    Token start0 = *cur(p);
    if (kind(p) == TK_LAMBDA) return p_lambda(p);
    int start = p->pos;
    Node *a = p_disjunction(p);
    if (!a) return NULL;
    if (kind(p) == TK_IF) {
        advance(p);
        Node *test = p_disjunction(p);
        if (!test) return NULL;
        if (kind(p) != TK_ELSE) {
            if (kind(p) != TK_COLON)
                return ERR_SPAN(p, a, test, "expected 'else' after 'if' expression");
            return invalid_syntax(p);
        }
        advance(p);
        Node *orelse = p_expression(p);
        if (!orelse) return NULL;
        Node *n = node_at_tok(p, AST_IF_EXP, &start0);
        if (!n) return NULL;
        n->if_exp.test = test;
        n->if_exp.body = a;
        n->if_exp.orelse = orelse;
        finish(p, n);
        return n;
    }
    if (!p->no_invalid && starts_expression(kind(p))) {
        check_juxtaposed(p, start, a);
        if (p->failed) return NULL;
    }
    return a;
}

static Node *p_expression(Parser *p) {
    if (!enter(p)) return NULL;
    Node *r = expression_body(p);
    leave(p);
    return r;
}

// named_expression: NAME ':=' expression | expression !':='
// [check_eq]: CPython's invalid_named_expression diagnostics for "x = 1"
// where an expression is expected (conditions, elements).
static Node *p_named_expression(Parser *p, bool check_eq) {
    if (kind(p) == TK_NAME && peek_kind(p, 1) == TK_COLONEQUAL) {
        Node *target = p_name(p);
        if (!target) return NULL;
        advance(p);
        Node *v = p_expression(p);
        if (!v) return NULL;
        target->name.ctx = CTX_STORE;
        Node *n = node_at_node(p, AST_NAMED_EXPR, target);
        if (!n) return NULL;
        n->named_expr.target = target;
        n->named_expr.value = v;
        finish(p, n);
        return n;
    }
    TokenKind first = kind(p);
    int start = p->pos;
    Node *e = p_expression(p);
    if (!e) return NULL;
    if (kind(p) == TK_COLONEQUAL)
        return ERR_NODE(p, e, "cannot use assignment expressions with %s", expr_name(e));
    if (check_eq && !p->no_invalid && kind(p) == TK_EQUAL) {
        // a = b where an expression is expected.
        Mark m = mark(p);
        advance(p);
        p->no_invalid++;
        Node *b = p_bitwise_or(p);
        p->no_invalid--;
        bool fits = b && kind(p) != TK_EQUAL && kind(p) != TK_COLONEQUAL;
        if (!reset(p, m)) return NULL;
        if (fits) {
            if (e->kind == AST_NAME)
                return ERR_SPAN(p, e, b, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
            bool excluded = first == TK_LSQB || first == TK_TRUE || first == TK_NONE ||
                            first == TK_FALSE ||
                            (first == TK_LPAR && (e->kind == AST_TUPLE || e->kind == AST_GENERATOR_EXP) &&
                             e->line == tok_at(p, start)->line && e->col == tok_at(p, start)->col);
            if (!excluded && invalid_target(e, STAR_TARGETS))
                return ERR_NODE(p, e, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                                expr_name(e));
        }
    }
    return e;
}

static Node *mk_starred(Parser *p) {
    Token st = *cur(p);
    advance(p);
    Node *v = p_bitwise_or(p);
    if (!v) return NULL;
    Node *s = node_at_tok(p, AST_STARRED, &st);
    if (!s) return NULL;
    s->starred.value = v;
    s->starred.ctx = CTX_LOAD;
    finish(p, s);
    return s;
}

static Node *p_star_named_expression(Parser *p) {
    if (kind(p) == TK_STAR) return mk_starred(p);
    return p_named_expression(p, true);
}

static Node *p_star_expression(Parser *p) {
    if (kind(p) == TK_STAR) return mk_starred(p);
    return p_expression(p);
}

// star_expressions: a tuple when there is a comma. [made_tuple] reports an
// unparenthesized tuple.
static Node *p_star_expressions(Parser *p, bool *made_tuple) {
    if (made_tuple) *made_tuple = false;
    Token start = *cur(p);
    Node *first = p_star_expression(p);
    if (!first || kind(p) != TK_COMMA) return first;
    Vec elts = {0};
    vec_push(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (!starts_expression(kind(p)) && kind(p) != TK_STAR) break;
        Node *e = p_star_expression(p);
        if (!e || !vec_push(p, &elts, e)) return NULL;
    }
    if (p->failed) return NULL;
    if (made_tuple) *made_tuple = true;
    return mk_seq(p, AST_TUPLE, &start, &elts);
}

static void check_yield(Parser *p, const Node *n) {
    if (p->func == FN_NONE) DEFER_NODE(p, n, "'yield' outside function");
}

static Node *p_yield_expr(Parser *p) {
    Token t = *cur(p);
    advance(p);
    Node *n;
    if (accept(p, TK_FROM)) {
        Node *v = p_expression(p);
        if (!v) return NULL;
        n = node_at_tok(p, AST_YIELD_FROM, &t);
        if (!n) return NULL;
        n->value_expr.value = v;
    } else {
        Node *v = NULL;
        if (starts_expression(kind(p)) || kind(p) == TK_STAR) {
            if (!(v = p_star_expressions(p, NULL))) return NULL;
        }
        n = node_at_tok(p, AST_YIELD, &t);
        if (!n) return NULL;
        n->value_expr.value = v;
    }
    finish(p, n);
    check_yield(p, n);
    return n;
}

// Targets of "for" and comprehensions: ['*'] bitwise_or, comma-separated.
static Node *p_star_targets(Parser *p) {
    Token start = *cur(p);
    Node *first = kind(p) == TK_STAR ? mk_starred(p) : p_bitwise_or(p);
    if (!first || kind(p) != TK_COMMA) return first;
    Vec elts = {0};
    vec_push(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (kind(p) == TK_IN || kind(p) == TK_EQUAL) break;
        Node *e = kind(p) == TK_STAR ? mk_starred(p) : p_bitwise_or(p);
        if (!e || !vec_push(p, &elts, e)) return NULL;
    }
    if (p->failed) return NULL;
    return mk_seq(p, AST_TUPLE, &start, &elts);
}

// for_if_clauses
static bool p_comp_for(Parser *p, Vec *gens) {
    while (kind(p) == TK_FOR || kind(p) == TK_ASYNC) {
        Token t = *cur(p);
        bool is_async = accept(p, TK_ASYNC);
        if (!expect(p, TK_FOR)) return false;
        Node *target = p_star_targets(p);
        if (!target) return false;
        if (kind(p) != TK_IN) {
            const Node *bad = invalid_target(target, FOR_TARGETS);
            if (bad) return ERR_NODE(p, bad, "cannot assign to %s", expr_name(bad)), false;
            return invalid_syntax(p), false;
        }
        if (!make_target(p, target, FOR_TARGETS)) return false;
        advance(p);
        Node *iter = p_disjunction(p);
        if (!iter) return false;
        Node *c = node_at_tok(p, AST_COMPREHENSION, &t);
        if (!c) return false;
        c->comprehension.target = target;
        c->comprehension.iter = iter;
        c->comprehension.is_async = is_async;
        if (is_async && p->func != FN_ASYNC)
            DEFER_TOK(p, &t, "asynchronous comprehension outside of an asynchronous function");
        Vec ifs = {0};
        while (accept(p, TK_IF)) {
            Node *cond = p_disjunction(p);
            if (!cond || !vec_push(p, &ifs, cond)) return false;
        }
        c->comprehension.ifs = vec_list(&ifs);
        finish(p, c);
        if (!vec_push(p, gens, c)) return false;
    }
    if (kind(p) == TK_IN) return invalid_syntax(p), false;
    return !p->failed;
}

// -- parameters

static Node *p_param(Parser *p, bool lambda) {
    Token nt = *cur(p);
    if (!expect(p, TK_NAME)) return NULL;
    Node *a = node_at_tok(p, AST_ARG, &nt);
    if (!a) return NULL;
    a->arg.arg = tok_text(p, &nt);
    if (!lambda && accept(p, TK_COLON)) {
        if (kind(p) == TK_STAR) {
            if (!(a->arg.annotation = mk_starred(p))) return NULL;
        } else if (!(a->arg.annotation = p_expression(p))) {
            return NULL;
        }
    }
    return finish(p, a);
}

static void check_duplicate_arg(Parser *p, Vec *all, Node *a) {
    for (int i = 0; i < all->len; i++)
        if (strcmp(all->items[i]->arg.arg, a->arg.arg) == 0) {
            DEFER_NODE(p, a, "duplicate argument '%s' in function definition", a->arg.arg);
            return;
        }
    vec_push(p, all, a);
}

static Node *p_params(Parser *p, bool lambda, TokenKind close) {
    Node *args = node_at_tok(p, AST_ARGUMENTS, cur(p));
    if (!args) return NULL;
    Vec posonly = {0}, regular = {0}, kwonly = {0}, kwdefaults = {0}, defaults = {0}, all = {0};
    bool seen_slash = false, seen_star = false, seen_default = false;
    Node *vararg = NULL, *kwarg = NULL;
    while (kind(p) != close && !p->failed) {
        Token t = *cur(p);
        if (kwarg) return ERR_TOK(p, &t, "arguments cannot follow var-keyword argument");
        if (t.kind == TK_SLASH) {
            if (seen_slash) return ERR_TOK(p, &t, "/ may appear only once");
            if (seen_star) return ERR_TOK(p, &t, "/ must be ahead of *");
            if (regular.len == 0) {
                if (posonly.len == 0 && !seen_star) return invalid_syntax(p);
                return ERR_TOK(p, &t, "at least one argument must precede /");
            }
            posonly = regular;
            regular = (Vec){0};
            seen_slash = true;
            advance(p);
        } else if (t.kind == TK_STAR) {
            if (seen_star) return ERR_TOK(p, &t, "* argument may appear only once");
            advance(p);
            seen_star = true;
            if (kind(p) == TK_COMMA || kind(p) == close) {
                bool named_follow = kind(p) == TK_COMMA && peek_kind(p, 1) != close &&
                                    peek_kind(p, 1) != TK_DOUBLESTAR;
                if (!named_follow) return ERR_TOK(p, &t, "named arguments must follow bare *");
            } else {
                if (!(vararg = p_param(p, lambda))) return NULL;
                check_duplicate_arg(p, &all, vararg);
                if (kind(p) == TK_EQUAL)
                    return ERR_TOK(p, cur(p), "var-positional argument cannot have default value");
            }
        } else if (t.kind == TK_DOUBLESTAR) {
            advance(p);
            if (!(kwarg = p_param(p, lambda))) return NULL;
            check_duplicate_arg(p, &all, kwarg);
            if (kind(p) == TK_EQUAL)
                return ERR_TOK(p, cur(p), "var-keyword argument cannot have default value");
        } else if (t.kind == TK_NAME) {
            Node *a = p_param(p, lambda);
            if (!a) return NULL;
            check_duplicate_arg(p, &all, a);
            Node *d = NULL;
            if (accept(p, TK_EQUAL)) {
                if (!(d = p_expression(p))) return NULL;
            }
            if (seen_star) {
                vec_push(p, &kwonly, a);
                vec_push(p, &kwdefaults, d);
            } else {
                if (d) {
                    seen_default = true;
                    vec_push(p, &defaults, d);
                } else if (seen_default) {
                    return ERR_NODE(p, a, "non-default argument follows default argument");
                }
                vec_push(p, &regular, a);
            }
        } else {
            return invalid_syntax(p);
        }
        if (!accept(p, TK_COMMA)) break;
    }
    if (p->failed) return NULL;
    args->arguments.posonlyargs = vec_list(&posonly);
    args->arguments.args = vec_list(&regular);
    args->arguments.vararg = vararg;
    args->arguments.kwonlyargs = vec_list(&kwonly);
    args->arguments.kw_defaults = vec_list(&kwdefaults);
    args->arguments.kwarg = kwarg;
    args->arguments.defaults = vec_list(&defaults);
    return finish(p, args);
}

// -- string literals

typedef struct Buf {
    char *d;
    size_t len, cap;
    bool oom;
} Buf;

static void buf_put(Buf *b, const void *s, size_t n) {
    if (b->oom || n == 0) return;
    if (b->len + n > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->len + n) {
            if (ncap > SIZE_MAX / 2) {
                b->oom = true;
                return;
            }
            ncap *= 2;
        }
        char *nd = realloc(b->d, ncap);
        if (!nd) {
            b->oom = true;
            return;
        }
        b->d = nd;
        b->cap = ncap;
    }
    memcpy(b->d + b->len, s, n);
    b->len += n;
}

static void buf_putc(Buf *b, char c) { buf_put(b, &c, 1); }

// UTF-8 encode [cp]; lone surrogates are encoded like any other code point.
static void buf_put_cp(Buf *b, unsigned cp) {
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_put(b, s, n);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Error located just after string token [t] (where CPython reports it).
static void *string_error(Parser *p, const Token *t, const char *fmt, const char *detail,
                          size_t a, size_t b) {
    char msg[200];
    snprintf(msg, sizeof msg, fmt, (int)a, (int)b, detail);
    return error_range(p, "SyntaxError", t->end_line, t->end_col, t->end_line, t->end_col, "%s", msg);
}

// Decode backslash escapes of s[0..n) into [out]. [base] = offset of s inside
// the literal body, for CPython's "position a-b" in messages.
static bool decode_escapes(Parser *p, Buf *out, const char *s, size_t n, bool bytes,
                           const Token *t, size_t base) {
    static const char UERR[] = "(unicode error) 'unicodeescape' codec can't decode bytes in "
                               "position %d-%d: %s";
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (i < n && s[i] != '\\') i++;
        buf_put(out, s + run, i - run);
        if (i >= n) break;
        size_t esc = i;
        i++;  // backslash
        if (i >= n) {  // cannot happen: the lexer keeps a backslash with its char
            buf_putc(out, '\\');
            break;
        }
        char c = s[i++];
        switch (c) {
        case '\n': break;
        case '\r':
            if (i < n && s[i] == '\n') i++;
            break;
        case '\\': buf_putc(out, '\\'); break;
        case '\'': buf_putc(out, '\''); break;
        case '"': buf_putc(out, '"'); break;
        case 'a': buf_putc(out, '\a'); break;
        case 'b': buf_putc(out, '\b'); break;
        case 'f': buf_putc(out, '\f'); break;
        case 'n': buf_putc(out, '\n'); break;
        case 'r': buf_putc(out, '\r'); break;
        case 't': buf_putc(out, '\t'); break;
        case 'v': buf_putc(out, '\v'); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            unsigned v = (unsigned)(c - '0');
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
                v = v * 8 + (unsigned)(s[i++] - '0');
            if (bytes) buf_putc(out, (char)(v & 0xFF));
            else buf_put_cp(out, v);
            break;
        }
        case 'x': case 'u': case 'U': {
            int need = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            if (bytes && c != 'x') {  // not an escape in bytes
                buf_putc(out, '\\');
                buf_putc(out, c);
                break;
            }
            unsigned v = 0;
            int k = 0;
            for (; k < need && i < n && hexval((unsigned char)s[i]) >= 0; k++)
                v = v * 16 + (unsigned)hexval((unsigned char)s[i++]);
            if (k < need) {
                if (bytes)
                    return error_range(p, "SyntaxError", t->end_line, t->end_col, t->end_line,
                                       t->end_col, "(value error) invalid \\x escape at position %d",
                                       (int)(base + esc)),
                           false;
                const char *what = c == 'x' ? "truncated \\xXX escape"
                                 : c == 'u' ? "truncated \\uXXXX escape"
                                            : "truncated \\UXXXXXXXX escape";
                return string_error(p, t, UERR, what, base + esc, base + i - 1), false;
            }
            if (bytes) {
                buf_putc(out, (char)v);
            } else {
                if (v > 0x10FFFF)
                    return string_error(p, t, UERR, "illegal Unicode character", base + esc,
                                        base + i - 1),
                           false;
                buf_put_cp(out, v);
            }
            break;
        }
        case 'N':
            if (!bytes) {
                // Character names need Unicode's name table, which gilvm
                // does not carry.
                size_t e = i;
                if (e < n && s[e] == '{') {
                    while (e < n && s[e] != '}') e++;
                    if (e < n) e++;
                }
                return string_error(p, t, UERR, "unknown Unicode character name", base + esc,
                                    base + e - 1),
                       false;
            }
            // fallthrough
        default:
            // Unknown escapes stay as written (CPython warns).
            buf_putc(out, '\\');
            i--;
            break;
        }
    }
    return true;
}

typedef struct StrInfo {
    bool bytes, raw, fstr;
    size_t body, body_end;  // offsets of the text between the quotes
} StrInfo;

static StrInfo string_info(Parser *p, const Token *t) {
    StrInfo si = {0};
    size_t i = t->start;
    for (; p->src[i] != '"' && p->src[i] != '\''; i++) {
        char c = (char)(p->src[i] | 0x20);
        if (c == 'b') si.bytes = true;
        if (c == 'r') si.raw = true;
        if (c == 'f') si.fstr = true;
    }
    char q = p->src[i];
    size_t qn = (i + 2 < t->end && p->src[i + 1] == q && p->src[i + 2] == q && t->end - i >= 6) ? 3 : 1;
    si.body = i + qn;
    si.body_end = t->end - qn;
    return si;
}

// Line and byte column of source offset [off] inside token [t].
static void pos_in_token(Parser *p, const Token *t, size_t off, int *line, int *col) {
    int l = t->line;
    size_t ls = t->start - (size_t)t->col;
    for (size_t i = t->start; i < off && i < p->len; i++) {
        if (p->src[i] == '\n' || (p->src[i] == '\r' && (i + 1 >= p->len || p->src[i + 1] != '\n'))) {
            l++;
            ls = i + 1;
        }
    }
    *line = l;
    *col = (int)(off - ls);
}

// CPython 3.11 reports f-string scanning errors just after the literal.
static void *fstring_error_at(Parser *p, const Token *t, size_t off, const char *msg) {
    (void)off;
    return error_range(p, "SyntaxError", t->end_line, t->end_col, t->end_line, t->end_col, "%s", msg);
}

static Node *mk_str_constant(Parser *p, Buf *b) {
    if (b->oom) return oom(p);
    Node *c = new_node(p, AST_CONSTANT, 0, 0);
    if (!c) return NULL;
    c->constant.kind = CONST_STR;
    c->constant.str.data = arena_memdup(p->a, b->d ? b->d : "", b->len);
    if (!c->constant.str.data) return oom(p);
    c->constant.str.len = b->len;
    b->len = 0;
    return c;
}

// Move the pending literal text into [parts] as a Constant.
static bool flush_literal(Parser *p, Buf *lit, Vec *parts) {
    if (lit->oom) return oom(p), false;
    if (lit->len == 0) return true;
    Node *c = mk_str_constant(p, lit);
    return c && vec_push(p, parts, c);
}

static bool fstring_body(Parser *p, const Token *t, size_t *pos, size_t end, bool raw, int level,
                         Buf *lit, Vec *parts);

// Parse the replacement-field expression src[start..end) with a sub-parser.
static Node *fstring_expr(Parser *p, const Token *t, size_t start, size_t end) {
    int line, col;
    pos_in_token(p, t, start, &line, &col);
    Parser sub;
    memset(&sub, 0, sizeof sub);
    sub.a = p->a;
    sub.src = p->src;
    sub.len = p->len;
    sub.err = p->err;
    sub.outer = p;
    sub.depth = p->depth + 1;
    sub.func = p->func;
    sub.in_loop = p->in_loop;
    sub.no_invalid = p->no_invalid;
    sub.fstring_level = p->fstring_level;
    lex_init_expr(&sub.lx, p->src, start, end, line, start - (size_t)col);
    Node *e = kind(&sub) == TK_YIELD ? p_yield_expr(&sub) : p_star_expressions(&sub, NULL);
    if (e && kind(&sub) != TK_ENDMARKER) invalid_syntax(&sub);
    if (e && !sub.failed && e->kind == AST_STARRED) ERR_NODE(&sub, e, "cannot use starred expression here");
    free(sub.toks);
    if (sub.failed) {
        p->failed = true;
        p->lex_failed = false;
        return NULL;
    }
    return e;
}

// One "{expr[=][!c][:spec]}" starting at src[*pos] == '{'.
static bool fstring_field(Parser *p, const Token *t, size_t *pos, size_t end, bool raw, int level,
                          Buf *lit, Vec *parts) {
    const char *s = p->src;
    size_t i = *pos + 1;
    if (level >= 2) return fstring_error_at(p, t, *pos, "f-string: expressions nested too deeply"), false;
    size_t expr_start = i;
    char quote = 0;
    int string_type = 0, depth = 0;
    char stack[LEX_MAX_LEVEL];
    for (; i < end; i++) {
        char ch = s[i];
        if (ch == '\\')
            return fstring_error_at(p, t, i, "f-string expression part cannot include a backslash"),
                   false;
        if (quote) {
            if (ch == quote) {
                if (string_type == 3) {
                    if (i + 2 < end && s[i + 1] == ch && s[i + 2] == ch) {
                        i += 2;
                        quote = 0;
                    }
                } else {
                    quote = 0;
                }
            }
            continue;
        }
        if (ch == '\'' || ch == '"') {
            if (i + 2 < end && s[i + 1] == ch && s[i + 2] == ch) {
                string_type = 3;
                i += 2;
            } else {
                string_type = 1;
            }
            quote = ch;
        } else if (ch == '[' || ch == '{' || ch == '(') {
            if (depth >= LEX_MAX_LEVEL)
                return fstring_error_at(p, t, i, "f-string: too many nested parenthesis"), false;
            stack[depth++] = ch;
        } else if (ch == '#') {
            return fstring_error_at(p, t, i, "f-string expression part cannot include '#'"), false;
        } else if (depth == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' ||
                                  ch == '<')) {
            if (i + 1 < end) {
                char next = s[i + 1];
                if ((ch == '!' || ch == '=' || ch == '<' || ch == '>') && next == '=') {
                    i++;
                    continue;
                }
            }
            if (ch == '>' || ch == '<') continue;
            break;
        } else if (ch == ']' || ch == '}' || ch == ')') {
            char msg[100];
            if (!depth) {
                snprintf(msg, sizeof msg, "f-string: unmatched '%c'", ch);
                return fstring_error_at(p, t, i, msg), false;
            }
            char open = stack[--depth];
            if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') || (open == '{' && ch == '}'))) {
                snprintf(msg, sizeof msg,
                         "f-string: closing parenthesis '%c' does not match opening parenthesis '%c'",
                         ch, open);
                return fstring_error_at(p, t, i, msg), false;
            }
        }
    }
    size_t expr_end = i;
    if (quote) return fstring_error_at(p, t, i, "f-string: unterminated string"), false;
    if (depth) {
        char msg[40];
        snprintf(msg, sizeof msg, "f-string: unmatched '%c'", stack[depth - 1]);
        return fstring_error_at(p, t, i, msg), false;
    }
    if (i >= end) return fstring_error_at(p, t, i, "f-string: expecting '}'"), false;
    bool blank = true;
    for (size_t k = expr_start; k < expr_end; k++)
        if (!(s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r' || s[k] == '\f')) blank = false;
    if (blank) return fstring_error_at(p, t, i, "f-string: empty expression not allowed"), false;
    Node *e = fstring_expr(p, t, expr_start, expr_end);
    if (!e) return false;
    size_t text_end = 0;
    if (s[i] == '=') {
        i++;
        while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f')) i++;
        if (i >= end) return fstring_error_at(p, t, i, "f-string: expecting '}'"), false;
        text_end = i;
    }
    int conversion = -1;
    if (s[i] == '!') {
        i++;
        if (i >= end) return fstring_error_at(p, t, i, "f-string: expecting '}'"), false;
        conversion = (unsigned char)s[i];
        if (!(conversion == 's' || conversion == 'r' || conversion == 'a'))
            return fstring_error_at(p, t, i,
                                    "f-string: invalid conversion character: expected 's', 'r', or 'a'"),
                   false;
        i++;
    }
    Node *spec = NULL;
    if (i < end && s[i] == ':') {
        i++;
        Buf slit = {0};
        Vec sparts = {0};
        p->fstring_level++;
        bool ok = fstring_body(p, t, &i, end, raw, level + 1, &slit, &sparts) &&
                  flush_literal(p, &slit, &sparts);
        p->fstring_level--;
        free(slit.d);
        if (!ok) return false;
        spec = new_node(p, AST_JOINED_STR, 0, 0);
        if (!spec) return false;
        spec->joined_str.values = vec_list(&sparts);
    }
    if (i >= end || s[i] != '}') return fstring_error_at(p, t, i, "f-string: expecting '}'"), false;
    i++;
    if (text_end) {
        buf_put(lit, s + expr_start, text_end - expr_start);
        if (!spec && conversion == -1) conversion = 'r';
    }
    if (!flush_literal(p, lit, parts)) return false;
    Node *fv = new_node(p, AST_FORMATTED_VALUE, 0, 0);
    if (!fv) return false;
    fv->formatted.value = e;
    fv->formatted.conversion = conversion;
    fv->formatted.format_spec = spec;
    if (!vec_push(p, parts, fv)) return false;
    *pos = i;
    return true;
}

// Literal text and fields of an f-string body from src[*pos]; at [level] > 0
// (a format spec) stops before the closing '}'.
static bool fstring_body(Parser *p, const Token *t, size_t *pos, size_t end, bool raw, int level,
                         Buf *lit, Vec *parts) {
    const char *s = p->src;
    size_t i = *pos, chunk = i;
#define FLUSH_CHUNK(upto)                                                                   \
    do {                                                                                    \
        if (raw) buf_put(lit, s + chunk, (upto) - chunk);                                   \
        else if (!decode_escapes(p, lit, s + chunk, (upto) - chunk, false, t, chunk - t->start)) \
            return false;                                                                   \
    } while (0)
    while (i < end) {
        char c = s[i];
        if (c == '\\' && !raw && i + 1 < end) {
            if (s[i + 1] == 'N' && i + 2 < end && s[i + 2] == '{') {
                i += 3;
                while (i < end && s[i] != '}') i++;
                if (i < end) i++;
                continue;
            }
            if (s[i + 1] == '{' || s[i + 1] == '}') {
                i++;
                continue;
            }
            i += 2;
            continue;
        }
        if (c == '{' || c == '}') {
            if (level == 0 && i + 1 < end && s[i + 1] == c) {
                FLUSH_CHUNK(i + 1);
                i += 2;
                chunk = i;
                continue;
            }
            FLUSH_CHUNK(i);
            if (c == '}') {
                if (level == 0) return fstring_error_at(p, t, i, "f-string: single '}' is not allowed"), false;
                *pos = i;
                return true;
            }
            if (!fstring_field(p, t, &i, end, raw, level, lit, parts)) return false;
            chunk = i;
            continue;
        }
        i++;
    }
    FLUSH_CHUNK(i);
#undef FLUSH_CHUNK
    if (level > 0) return fstring_error_at(p, t, i, "f-string: expecting '}'"), false;
    *pos = i;
    return true;
}

static void set_span(Node *n, const Node *span) {
    n->line = span->line;
    n->col = span->col;
    n->end_line = span->end_line;
    n->end_col = span->end_col;
}

// Give f-string parts (and their format specs) the span of the whole literal,
// as CPython 3.11 does.
static void span_parts(NodeList *l, const Node *span) {
    for (int i = 0; i < l->len; i++) {
        Node *n = l->items[i];
        set_span(n, span);
        if (n->kind == AST_FORMATTED_VALUE && n->formatted.format_spec) {
            set_span(n->formatted.format_spec, span);
            span_parts(&n->formatted.format_spec->joined_str.values, span);
        }
    }
}

// One or more adjacent STRING tokens.
static Node *p_strings(Parser *p) {
    int i0 = p->pos, i1 = p->pos;
    bool any_bytes = false, any_str = false, any_f = false;
    while (tok_at(p, i1)->kind == TK_STRING) {
        Token t = *tok_at(p, i1);
        StrInfo si = string_info(p, &t);
        if (si.bytes) any_bytes = true;
        else any_str = true;
        if (si.fstr) any_f = true;
        i1++;
    }
    if (p->failed) return NULL;
    if (any_bytes && any_str) {
        Token after = *tok_at(p, i1);
        return error_range(p, "SyntaxError", after.line, after.col, after.line, after.col,
                           "cannot mix bytes and nonbytes literals");
    }
    Buf lit = {0};
    Vec parts = {0};
    bool ok = true;
    for (int i = i0; i < i1 && ok; i++) {
        Token t = p->toks[i];
        StrInfo si = string_info(p, &t);
        if (si.fstr) {
            size_t pos = si.body;
            ok = fstring_body(p, &t, &pos, si.body_end, si.raw, 0, &lit, &parts);
        } else if (si.bytes) {
            for (size_t k = si.body; k < si.body_end; k++)
                if ((unsigned char)p->src[k] >= 0x80) {
                    ERR_TOK(p, &t, "bytes can only contain ASCII literal characters");
                    ok = false;
                    break;
                }
            if (ok && si.raw) buf_put(&lit, p->src + si.body, si.body_end - si.body);
            else if (ok) ok = decode_escapes(p, &lit, p->src + si.body, si.body_end - si.body, true, &t, 0);
        } else if (si.raw) {
            buf_put(&lit, p->src + si.body, si.body_end - si.body);
        } else {
            ok = decode_escapes(p, &lit, p->src + si.body, si.body_end - si.body, false, &t, 0);
        }
    }
    Node *result = NULL;
    if (ok && lit.oom) oom(p);
    else if (ok && !any_f) {
        result = mk_str_constant(p, &lit);
        if (result && any_bytes) result->constant.kind = CONST_BYTES;
    } else if (ok && flush_literal(p, &lit, &parts)) {
        result = new_node(p, AST_JOINED_STR, 0, 0);
        if (result) result->joined_str.values = vec_list(&parts);
    }
    free(lit.d);
    if (!result) return NULL;
    Token first = p->toks[i0], last = p->toks[i1 - 1];
    result->line = first.line;
    result->col = first.col;
    result->end_line = last.end_line;
    result->end_col = last.end_col;
    if (result->kind == AST_JOINED_STR) span_parts(&result->joined_str.values, result);
    p->pos = i1;
    return result;
}

// -- statements

static bool p_statement(Parser *p, Vec *out);

// A block after ':'. [what] and [line] name the header for CPython's
// "expected an indented block after ..." message.
static bool p_block(Parser *p, NodeList *out, const char *what, int line) {
    Vec body = {0};
    if (kind(p) == TK_NEWLINE) {
        Token nl = *cur(p);
        advance(p);
        if (kind(p) != TK_INDENT) {
            if (p->failed) return false;
            Token t = *cur(p);
            if (t.kind == TK_ENDMARKER || (t.kind == TK_DEDENT && t.line > nl.line)) {
                p->eof_error = t.kind == TK_ENDMARKER || p->lx.eof_done;
                error_range(p, "IndentationError", nl.line, nl.col, nl.line, nl.col,
                            "expected an indented block after %s on line %d", what, line);
            } else {
                error_range(p, "IndentationError", t.line, t.col, t.end_line, t.end_col,
                            "expected an indented block after %s on line %d", what, line);
            }
            return false;
        }
        advance(p);
        if (!enter(p)) return false;
        while (kind(p) != TK_DEDENT && kind(p) != TK_ENDMARKER && !p->failed)
            if (!p_statement(p, &body)) break;
        leave(p);
        if (p->failed) return false;
        accept(p, TK_DEDENT);
    } else {
        if (!p_statement(p, &body)) return false;
        // Only simple statements may follow ':' on the same line.
    }
    *out = vec_list(&body);
    return true;
}

// ':' where CPython only says "expected ':'" at the end of the line.
static bool expect_colon(Parser *p) {
    if (kind(p) == TK_COLON) return advance(p), true;
    if (kind(p) == TK_NEWLINE) return expect_forced(p, TK_COLON) != NULL;
    return invalid_syntax(p), false;
}

static Node *finish_stmt(Parser *p, Node *n, const NodeList *last_body) {
    if (!n) return NULL;
    if (last_body && last_body->len) copy_end(n, last_body->items[last_body->len - 1]);
    else finish(p, n);
    return n;
}

static NodeList *last_nonempty(NodeList *a, NodeList *b, NodeList *c, NodeList *d) {
    if (d && d->len) return d;
    if (c && c->len) return c;
    if (b && b->len) return b;
    return a;
}

static Node *p_if(Parser *p, bool is_elif) {
    Token t = *cur(p);
    advance(p);
    Node *n = node_at_tok(p, AST_IF, &t);
    if (!n) return NULL;
    if (!(n->if_stmt.test = p_named_expression(p, true))) return NULL;
    if (!expect_colon(p)) return NULL;
    if (!p_block(p, &n->if_stmt.body, is_elif ? "'elif' statement" : "'if' statement", t.line))
        return NULL;
    if (kind(p) == TK_ELIF) {
        Node *e = p_if(p, true);
        if (!e) return NULL;
        n->if_stmt.orelse = list1(p, e);
    } else if (kind(p) == TK_ELSE) {
        Token et = *cur(p);
        advance(p);
        if (!expect_forced(p, TK_COLON)) return NULL;
        if (!p_block(p, &n->if_stmt.orelse, "'else' statement", et.line)) return NULL;
    }
    return finish_stmt(p, n, last_nonempty(&n->if_stmt.body, &n->if_stmt.orelse, NULL, NULL));
}

// Loop body with break/continue allowed; else clause in the outer context.
static bool p_loop_body(Parser *p, NodeList *body, NodeList *orelse, const char *what, int line) {
    bool saved = p->in_loop;
    p->in_loop = true;
    bool ok = p_block(p, body, what, line);
    p->in_loop = saved;
    if (!ok) return false;
    if (kind(p) == TK_ELSE) {
        Token et = *cur(p);
        advance(p);
        if (!expect_forced(p, TK_COLON)) return false;
        if (!p_block(p, orelse, "'else' statement", et.line)) return false;
    }
    return true;
}

static Node *p_while(Parser *p) {
    Token t = *cur(p);
    advance(p);
    Node *n = node_at_tok(p, AST_WHILE, &t);
    if (!n || !(n->while_stmt.test = p_named_expression(p, true))) return NULL;
    if (!expect_colon(p)) return NULL;
    if (!p_loop_body(p, &n->while_stmt.body, &n->while_stmt.orelse, "'while' statement", t.line))
        return NULL;
    return finish_stmt(p, n, last_nonempty(&n->while_stmt.body, &n->while_stmt.orelse, NULL, NULL));
}

static Node *p_for(Parser *p, const Token *start, bool is_async) {
    Token t = *cur(p);  // 'for'
    advance(p);
    Node *n = node_at_tok(p, AST_FOR, start);
    if (!n) return NULL;
    n->for_stmt.is_async = is_async;
    Node *target = p_star_targets(p);
    if (!target) return NULL;
    if (kind(p) != TK_IN) {
        const Node *bad = invalid_target(target, FOR_TARGETS);
        if (bad) return ERR_NODE(p, bad, "cannot assign to %s", expr_name(bad));
        return invalid_syntax(p);
    }
    if (!make_target(p, target, FOR_TARGETS)) return NULL;
    check_starred_target(p, target);
    advance(p);
    n->for_stmt.target = target;
    if (!(n->for_stmt.iter = p_star_expressions(p, NULL))) return NULL;
    if (!expect_colon(p)) return NULL;
    if (!p_loop_body(p, &n->for_stmt.body, &n->for_stmt.orelse, "'for' statement", t.line))
        return NULL;
    finish_stmt(p, n, last_nonempty(&n->for_stmt.body, &n->for_stmt.orelse, NULL, NULL));
    if (is_async && p->func != FN_ASYNC) DEFER_NODE(p, n, "'async for' outside async function");
    return n;
}

static Node *p_with_item(Parser *p) {
    Node *e = p_expression(p);
    if (!e) return NULL;
    Node *w = node_at_node(p, AST_WITHITEM, e);
    if (!w) return NULL;
    w->withitem.context_expr = e;
    if (accept(p, TK_AS)) {
        Node *target = kind(p) == TK_STAR ? mk_starred(p) : p_bitwise_or(p);
        if (!target) return NULL;
        if (kind(p) != TK_COMMA && kind(p) != TK_RPAR && kind(p) != TK_COLON) return invalid_syntax(p);
        if (!make_target(p, target, STAR_TARGETS)) return NULL;
        w->withitem.optional_vars = target;
    }
    return finish(p, w);
}

static Node *p_with(Parser *p, const Token *start, bool is_async) {
    Token t = *cur(p);  // 'with'
    advance(p);
    Node *n = node_at_tok(p, AST_WITH, start);
    if (!n) return NULL;
    n->with_stmt.is_async = is_async;
    Vec items = {0};
    bool done = false;
    if (kind(p) == TK_LPAR) {
        // with (a as b, c as d): -- else fall back to an expression.
        Mark m = mark(p);
        advance(p);
        p->no_invalid++;
        bool ok = true;
        while (ok && kind(p) != TK_RPAR) {
            Node *w = p_with_item(p);
            ok = w && vec_push(p, &items, w);
            if (!ok || !accept(p, TK_COMMA)) break;
        }
        p->no_invalid--;
        if (ok && items.len && accept(p, TK_RPAR) && kind(p) == TK_COLON) {
            done = true;
        } else {
            if (!reset(p, m)) return NULL;
            items = (Vec){0};
        }
    }
    if (!done) {
        do {
            Node *w = p_with_item(p);
            if (!w || !vec_push(p, &items, w)) return NULL;
        } while (accept(p, TK_COMMA));
    }
    n->with_stmt.items = vec_list(&items);
    if (!expect_colon(p)) return NULL;
    if (!p_block(p, &n->with_stmt.body, "'with' statement", t.line)) return NULL;
    finish_stmt(p, n, &n->with_stmt.body);
    if (is_async && p->func != FN_ASYNC) DEFER_NODE(p, n, "'async with' outside async function");
    return n;
}

static Node *p_try(Parser *p) {
    Token t = *cur(p);
    advance(p);
    Node *n = node_at_tok(p, AST_TRY, &t);
    if (!n) return NULL;
    if (!expect_forced(p, TK_COLON)) return NULL;
    if (!p_block(p, &n->try_stmt.body, "'try' statement", t.line)) return NULL;
    Vec handlers = {0};
    Node *bare = NULL;
    while (kind(p) == TK_EXCEPT) {
        Token et = *cur(p);
        advance(p);
        if (kind(p) == TK_STAR) return invalid_syntax(p);  // except* is not supported
        Node *h = node_at_tok(p, AST_EXCEPT_HANDLER, &et);
        if (!h) return NULL;
        if (bare && !p->failed) {
            defer_range(p, bare->line, bare->col, bare->end_line, bare->end_col,
                        "default 'except:' must be last");
        }
        if (kind(p) != TK_COLON) {
            Node *type = p_expression(p);
            if (!type) return NULL;
            if (kind(p) == TK_COMMA) {
                advance(p);
                Node *more = p_expression(p);
                if (!more) return NULL;
                while (accept(p, TK_COMMA)) {
                    if (kind(p) == TK_COLON || kind(p) == TK_AS) break;
                    if (!(more = p_expression(p))) return NULL;
                }
                return ERR_SPAN(p, type, more, "multiple exception types must be parenthesized");
            }
            h->handler.type = type;
            if (accept(p, TK_AS)) {
                Token nt = *cur(p);
                if (!expect(p, TK_NAME)) return NULL;
                h->handler.name = tok_text(p, &nt);
            }
        }
        if (!expect_colon(p)) return NULL;
        if (!p_block(p, &h->handler.body, "'except' statement", et.line)) return NULL;
        finish_stmt(p, h, &h->handler.body);
        if (!h->handler.type) bare = h;
        if (!vec_push(p, &handlers, h)) return NULL;
    }
    n->try_stmt.handlers = vec_list(&handlers);
    if (handlers.len && kind(p) == TK_ELSE) {
        Token et = *cur(p);
        advance(p);
        if (!expect_forced(p, TK_COLON)) return NULL;
        if (!p_block(p, &n->try_stmt.orelse, "'else' statement", et.line)) return NULL;
    }
    if (kind(p) == TK_FINALLY) {
        Token ft = *cur(p);
        advance(p);
        if (!expect_forced(p, TK_COLON)) return NULL;
        if (!p_block(p, &n->try_stmt.finalbody, "'finally' statement", ft.line)) return NULL;
    }
    if (!handlers.len && !n->try_stmt.finalbody.len) {
        if (p->failed) return NULL;
        Token c = *cur(p);
        int i = p->pos;
        while (c.kind == TK_DEDENT) c = *tok_at(p, ++i);
        if (c.kind == TK_ENDMARKER) {
            p->eof_error = true;
            int l, col;
            last_end(p, &l, &col);
            return error_range(p, "SyntaxError", l, col, l, col, "expected 'except' or 'finally' block");
        }
        return ERR_TOK(p, &c, "expected 'except' or 'finally' block");
    }
    return finish_stmt(p, n, last_nonempty(&n->try_stmt.body, &n->try_stmt.handlers,
                                           &n->try_stmt.orelse, &n->try_stmt.finalbody));
}

static Node *p_funcdef(Parser *p, const Token *start, bool is_async, Vec *decorators) {
    Token t = *cur(p);  // 'def'
    advance(p);
    Node *n = node_at_tok(p, AST_FUNCTION_DEF, start);
    if (!n) return NULL;
    Token nt = *cur(p);
    if (!expect(p, TK_NAME)) return NULL;
    n->func_def.name = tok_text(p, &nt);
    n->func_def.is_async = is_async;
    n->func_def.decorator_list = vec_list(decorators);
    if (!expect_forced(p, TK_LPAR)) return NULL;
    if (!(n->func_def.args = p_params(p, false, TK_RPAR))) return NULL;
    if (!expect(p, TK_RPAR)) return NULL;
    if (accept(p, TK_RARROW)) {
        if (!(n->func_def.returns = p_expression(p))) return NULL;
    }
    if (!expect_forced(p, TK_COLON)) return NULL;
    FuncKind saved = p->func;
    bool saved_loop = p->in_loop, saved_class = p->in_class;
    p->func = is_async ? FN_ASYNC : FN_DEF;
    p->in_loop = p->in_class = false;
    bool ok = p_block(p, &n->func_def.body, "function definition", t.line);
    p->func = saved;
    p->in_loop = saved_loop;
    p->in_class = saved_class;
    if (!ok) return NULL;
    return finish_stmt(p, n, &n->func_def.body);
}

static Node *p_classdef(Parser *p, Vec *decorators) {
    Token t = *cur(p);
    advance(p);
    Node *n = node_at_tok(p, AST_CLASS_DEF, &t);
    if (!n) return NULL;
    Token nt = *cur(p);
    if (!expect(p, TK_NAME)) return NULL;
    n->class_def.name = tok_text(p, &nt);
    n->class_def.decorator_list = vec_list(decorators);
    if (kind(p) == TK_LPAR) {
        int open_idx = p->pos;
        advance(p);
        if (!enter(p)) return NULL;
        bool ok = p_call_args(p, open_idx, &n->class_def.bases, &n->class_def.keywords);
        leave(p);
        if (!ok) return NULL;
    }
    if (!expect_colon(p)) return NULL;
    FuncKind saved = p->func;
    bool saved_loop = p->in_loop, saved_class = p->in_class;
    p->func = FN_NONE;
    p->in_loop = false;
    p->in_class = true;
    bool ok = p_block(p, &n->class_def.body, "class definition", t.line);
    p->func = saved;
    p->in_loop = saved_loop;
    p->in_class = saved_class;
    if (!ok) return NULL;
    return finish_stmt(p, n, &n->class_def.body);
}

static Node *p_decorated(Parser *p) {
    Vec decorators = {0};
    while (kind(p) == TK_AT) {
        advance(p);
        Node *d = p_named_expression(p, true);
        if (!d || !vec_push(p, &decorators, d)) return NULL;
        if (!expect(p, TK_NEWLINE)) return NULL;
    }
    Token t = *cur(p);
    if (t.kind == TK_DEF) return p_funcdef(p, &t, false, &decorators);
    if (t.kind == TK_CLASS) return p_classdef(p, &decorators);
    if (t.kind == TK_ASYNC && peek_kind(p, 1) == TK_DEF) {
        advance(p);
        return p_funcdef(p, &t, true, &decorators);
    }
    // Decorators last in the input (a class body typed at the REPL): the
    // definition is still to come, so the REPL asks for another line.
    int i = p->pos;
    while (tok_at(p, i)->kind == TK_DEDENT) i++;
    bool at_end = tok_at(p, i)->kind == TK_ENDMARKER;
    Node *r = invalid_syntax(p);
    if (at_end) p->eof_error = true;
    return r;
}

// dotted_name: NAME ('.' NAME)*
static const char *p_dotted_name(Parser *p) {
    Token first = *cur(p);
    if (!expect(p, TK_NAME)) return NULL;
    size_t start = first.start, end = first.end;
    bool plain = true;
    while (kind(p) == TK_DOT) {
        advance(p);
        Token nt = *cur(p);
        if (!expect(p, TK_NAME)) return NULL;
        if (nt.start != end + 1) plain = false;
        end = nt.end;
    }
    if (plain) {
        const char *s = arena_memdup(p->a, p->src + start, end - start);
        return s ? s : oom(p);
    }
    // "a . b": rebuild without the blanks.
    Buf b = {0};
    for (size_t i = start; i < end; i++) {
        char c = p->src[i];
        if (c != ' ' && c != '\t' && c != '\\' && c != '\n' && c != '\r' && c != '\f') buf_putc(&b, c);
    }
    const char *s = b.oom ? NULL : arena_memdup(p->a, b.d ? b.d : "", b.len);
    free(b.d);
    return s ? s : oom(p);
}

static Node *p_alias(Parser *p, bool dotted) {
    Token t = *cur(p);
    Node *a = node_at_tok(p, AST_ALIAS, &t);
    if (!a) return NULL;
    if (dotted) {
        a->alias.name = p_dotted_name(p);
    } else {
        if (!expect(p, TK_NAME)) return NULL;
        a->alias.name = tok_text(p, &t);
    }
    if (!a->alias.name) return NULL;
    if (accept(p, TK_AS)) {
        Token nt = *cur(p);
        if (!expect(p, TK_NAME)) return NULL;
        a->alias.asname = tok_text(p, &nt);
    }
    return finish(p, a);
}

static Node *p_import(Parser *p) {
    Token t = *cur(p);
    advance(p);
    Node *n = node_at_tok(p, AST_IMPORT, &t);
    if (!n) return NULL;
    Vec names = {0};
    do {
        Node *a = p_alias(p, true);
        if (!a || !vec_push(p, &names, a)) return NULL;
    } while (accept(p, TK_COMMA));
    n->import.names = vec_list(&names);
    return finish(p, n);
}

static Node *p_from_import(Parser *p) {
    Token t = *cur(p);
    advance(p);
    Node *n = node_at_tok(p, AST_IMPORT_FROM, &t);
    if (!n) return NULL;
    int level = 0;
    for (;;) {
        if (accept(p, TK_DOT)) level++;
        else if (accept(p, TK_ELLIPSIS)) level += 3;
        else break;
    }
    if (kind(p) == TK_NAME) {
        if (!(n->import_from.module = p_dotted_name(p))) return NULL;
    } else if (level == 0) {
        return invalid_syntax(p);
    }
    n->import_from.level = level;
    if (!expect(p, TK_IMPORT)) return NULL;
    Vec names = {0};
    if (kind(p) == TK_STAR) {
        Token st = *cur(p);
        advance(p);
        Node *a = node_at_tok(p, AST_ALIAS, &st);
        if (!a) return NULL;
        a->alias.name = "*";
        finish(p, a);
        vec_push(p, &names, a);
        if (p->func != FN_NONE || p->in_class)
            DEFER_TOK(p, &st, "import * only allowed at module level");
    } else if (accept(p, TK_LPAR)) {
        do {
            if (kind(p) == TK_RPAR && names.len) break;
            Node *a = p_alias(p, false);
            if (!a || !vec_push(p, &names, a)) return NULL;
        } while (accept(p, TK_COMMA));
        if (!expect(p, TK_RPAR)) return NULL;
    } else {
        do {
            if (names.len && (kind(p) == TK_NEWLINE || kind(p) == TK_SEMI)) {
                Token c = *cur(p);
                return error_range(p, "SyntaxError", c.line, c.col, c.line, c.col,
                                   "trailing comma not allowed without surrounding parentheses");
            }
            Node *a = p_alias(p, false);
            if (!a || !vec_push(p, &names, a)) return NULL;
        } while (accept(p, TK_COMMA));
    }
    n->import_from.names = vec_list(&names);
    return finish(p, n);
}

static Node *p_names_stmt(Parser *p, NodeKind k) {
    Token t = *cur(p);
    advance(p);
    Node *n = node_at_tok(p, k, &t);
    if (!n) return NULL;
    const char **items = NULL;
    int len = 0, cap = 0;
    do {
        Token nt = *cur(p);
        if (!expect(p, TK_NAME)) return NULL;
        if (len == cap) {
            int ncap = cap ? cap * 2 : 4;
            const char **ni = arena_alloc(p->a, (size_t)ncap * sizeof *ni);
            if (!ni) return oom(p);
            if (len) memcpy(ni, items, (size_t)len * sizeof *ni);
            items = ni;
            cap = ncap;
        }
        if (!(items[len++] = tok_text(p, &nt))) return NULL;
    } while (accept(p, TK_COMMA));
    n->names_stmt.names.items = items;
    n->names_stmt.names.len = len;
    finish(p, n);
    if (k == AST_NONLOCAL && p->func == FN_NONE && !p->in_class)
        DEFER_NODE(p, n, "nonlocal declaration not allowed at module level");
    return n;
}

static Node *p_rhs(Parser *p) {  // yield_expr | star_expressions
    if (kind(p) == TK_YIELD) return p_yield_expr(p);
    return p_star_expressions(p, NULL);
}

static void check_bare_starred(Parser *p, const Node *v) {
    if (v && v->kind == AST_STARRED) DEFER_NODE(p, v, "can't use starred expression here");
}

static bool augassign_op(TokenKind k, BinOpKind *op) {
    switch (k) {
    case TK_PLUSEQUAL: *op = BIN_ADD; return true;
    case TK_MINEQUAL: *op = BIN_SUB; return true;
    case TK_STAREQUAL: *op = BIN_MULT; return true;
    case TK_ATEQUAL: *op = BIN_MATMULT; return true;
    case TK_SLASHEQUAL: *op = BIN_DIV; return true;
    case TK_PERCENTEQUAL: *op = BIN_MOD; return true;
    case TK_AMPEREQUAL: *op = BIN_BITAND; return true;
    case TK_VBAREQUAL: *op = BIN_BITOR; return true;
    case TK_CIRCUMFLEXEQUAL: *op = BIN_BITXOR; return true;
    case TK_LEFTSHIFTEQUAL: *op = BIN_LSHIFT; return true;
    case TK_RIGHTSHIFTEQUAL: *op = BIN_RSHIFT; return true;
    case TK_DOUBLESTAREQUAL: *op = BIN_POW; return true;
    case TK_DOUBLESLASHEQUAL: *op = BIN_FLOORDIV; return true;
    default: return false;
    }
}

// Expression statement, assignment, augmented or annotated assignment.
static Node *p_expr_stmt(Parser *p) {
    Token first = *cur(p);
    Node *e = p_rhs(p);
    if (!e) return NULL;
    BinOpKind op;
    if (kind(p) == TK_COLON) {
        if (e->kind == AST_TUPLE || e->kind == AST_LIST) {
            const Node *f = e->kind == AST_TUPLE && first.kind != TK_LPAR ? e->seq.elts.items[0] : e;
            return ERR_NODE(p, f, "only single target (not %s) can be annotated",
                            e->kind == AST_TUPLE ? "tuple" : "list");
        }
        if (e->kind != AST_NAME && e->kind != AST_ATTRIBUTE && e->kind != AST_SUBSCRIPT)
            return ERR_NODE(p, e, "illegal target for annotation");
        advance(p);
        Node *n = node_at_tok(p, AST_ANN_ASSIGN, &first);
        if (!n) return NULL;
        set_ctx(e, CTX_STORE);
        n->ann_assign.target = e;
        n->ann_assign.simple = e->kind == AST_NAME && first.kind != TK_LPAR;
        if (!(n->ann_assign.annotation = p_expression(p))) return NULL;
        if (accept(p, TK_EQUAL)) {
            if (!(n->ann_assign.value = p_rhs(p))) return NULL;
        }
        return finish(p, n);
    }
    if (kind(p) == TK_EQUAL) {
        Vec targets = {0};
        Node *value;
        for (;;) {
            if (e->kind == AST_YIELD || e->kind == AST_YIELD_FROM)
                return ERR_NODE(p, e, "assignment to yield expression not possible");
            const Node *bad = invalid_target(e, STAR_TARGETS);
            if (bad) {
                if (targets.len == 0 && first.kind != TK_TRUE && first.kind != TK_NONE &&
                    first.kind != TK_FALSE && first.kind != TK_LSQB &&
                    !(first.kind == TK_LPAR && (e->kind == AST_TUPLE || e->kind == AST_GENERATOR_EXP) &&
                      e->line == first.line && e->col == first.col)) {
                    Mark m = mark(p);
                    advance(p);
                    p->no_invalid++;
                    Node *b = starts_expression(kind(p)) && kind(p) != TK_NOT && kind(p) != TK_LAMBDA
                                  ? p_bitwise_or(p) : NULL;
                    p->no_invalid--;
                    bool fits = b && kind(p) != TK_EQUAL && kind(p) != TK_COLONEQUAL;
                    if (!reset(p, m)) return NULL;
                    if (fits)
                        return ERR_NODE(p, e, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                                        expr_name(e));
                }
                return ERR_NODE(p, bad, "cannot assign to %s", expr_name(bad));
            }
            set_ctx(e, CTX_STORE);
            check_starred_target(p, e);
            if (!vec_push(p, &targets, e)) return NULL;
            advance(p);  // '='
            Node *rhs = p_rhs(p);
            if (!rhs) return NULL;
            if (kind(p) != TK_EQUAL) {
                value = rhs;
                break;
            }
            e = rhs;
        }
        check_bare_starred(p, value);
        Node *n = node_at_tok(p, AST_ASSIGN, &first);
        if (!n) return NULL;
        n->assign.targets = vec_list(&targets);
        n->assign.value = value;
        return finish(p, n);
    }
    if (augassign_op(kind(p), &op)) {
        if (e->kind != AST_NAME && e->kind != AST_ATTRIBUTE && e->kind != AST_SUBSCRIPT)
            return ERR_NODE(p, e, "'%s' is an illegal expression for augmented assignment", expr_name(e));
        advance(p);
        set_ctx(e, CTX_STORE);
        Node *n = node_at_tok(p, AST_AUG_ASSIGN, &first);
        if (!n) return NULL;
        n->aug_assign.target = e;
        n->aug_assign.op = op;
        if (!(n->aug_assign.value = p_rhs(p))) return NULL;
        return finish(p, n);
    }
    check_bare_starred(p, e);
    Node *n = node_at_tok(p, AST_EXPR, &first);
    if (!n) return NULL;
    n->expr_stmt.value = e;
    finish(p, n);
    return n;
}

static Node *p_simple_stmt(Parser *p) {
    Token t = *cur(p);
    Node *n;
    switch (t.kind) {
    case TK_PASS:
    case TK_BREAK:
    case TK_CONTINUE:
        advance(p);
        n = node_at_tok(p, t.kind == TK_PASS ? AST_PASS : t.kind == TK_BREAK ? AST_BREAK : AST_CONTINUE, &t);
        if (!n) return NULL;
        finish(p, n);
        if (t.kind == TK_BREAK && !p->in_loop) DEFER_NODE(p, n, "'break' outside loop");
        if (t.kind == TK_CONTINUE && !p->in_loop) DEFER_NODE(p, n, "'continue' not properly in loop");
        return n;
    case TK_RETURN:
        advance(p);
        n = node_at_tok(p, AST_RETURN, &t);
        if (!n) return NULL;
        if (kind(p) != TK_NEWLINE && kind(p) != TK_SEMI) {
            if (!(n->return_stmt.value = p_star_expressions(p, NULL))) return NULL;
            check_bare_starred(p, n->return_stmt.value);
        }
        finish(p, n);
        if (p->func == FN_NONE) DEFER_NODE(p, n, "'return' outside function");
        return n;
    case TK_RAISE:
        advance(p);
        n = node_at_tok(p, AST_RAISE, &t);
        if (!n) return NULL;
        if (kind(p) != TK_NEWLINE && kind(p) != TK_SEMI) {
            if (!(n->raise.exc = p_expression(p))) return NULL;
            if (accept(p, TK_FROM) && !(n->raise.cause = p_expression(p))) return NULL;
        }
        return finish(p, n);
    case TK_GLOBAL: return p_names_stmt(p, AST_GLOBAL);
    case TK_NONLOCAL: return p_names_stmt(p, AST_NONLOCAL);
    case TK_DEL: {
        advance(p);
        n = node_at_tok(p, AST_DELETE, &t);
        if (!n) return NULL;
        bool made_tuple;
        Node *e = p_star_expressions(p, &made_tuple);
        if (!e) return NULL;
        if (!make_target(p, e, DEL_TARGETS)) return NULL;
        if (kind(p) != TK_NEWLINE && kind(p) != TK_SEMI) return invalid_syntax(p);
        n->delete.targets = made_tuple ? e->seq.elts : list1(p, e);
        return finish(p, n);
    }
    case TK_ASSERT:
        advance(p);
        n = node_at_tok(p, AST_ASSERT, &t);
        if (!n || !(n->assert_stmt.test = p_expression(p))) return NULL;
        if (accept(p, TK_COMMA) && !(n->assert_stmt.msg = p_expression(p))) return NULL;
        return finish(p, n);
    case TK_IMPORT: return p_import(p);
    case TK_FROM: return p_from_import(p);
    default:
        if (!starts_expression(t.kind) && t.kind != TK_STAR && t.kind != TK_YIELD)
            return invalid_syntax(p);
        return p_expr_stmt(p);
    }
}

// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
static bool p_simple_stmts(Parser *p, Vec *out) {
    for (;;) {
        Node *s = p_simple_stmt(p);
        if (!s || !vec_push(p, out, s)) return false;
        if (accept(p, TK_SEMI)) {
            if (kind(p) == TK_NEWLINE) break;
            continue;
        }
        break;
    }
    if (kind(p) != TK_NEWLINE) return invalid_syntax(p), false;
    advance(p);
    return true;
}

static bool p_statement(Parser *p, Vec *out) {
    Token t = *cur(p);
    Node *n = NULL;
    switch (t.kind) {
    case TK_IF: n = p_if(p, false); break;
    case TK_WHILE: n = p_while(p); break;
    case TK_FOR: n = p_for(p, &t, false); break;
    case TK_TRY: n = p_try(p); break;
    case TK_WITH: n = p_with(p, &t, false); break;
    case TK_DEF: {
        Vec none = {0};
        n = p_funcdef(p, &t, false, &none);
        break;
    }
    case TK_CLASS: {
        Vec none = {0};
        n = p_classdef(p, &none);
        break;
    }
    case TK_AT: n = p_decorated(p); break;
    case TK_ASYNC: {
        TokenKind k = peek_kind(p, 1);
        if (k == TK_DEF || k == TK_FOR || k == TK_WITH) {
            advance(p);
            if (k == TK_DEF) {
                Vec none = {0};
                n = p_funcdef(p, &t, true, &none);
            } else if (k == TK_FOR) {
                n = p_for(p, &t, true);
            } else {
                n = p_with(p, &t, true);
            }
            break;
        }
        return invalid_syntax(p), false;
    }
    default:
        return p_simple_stmts(p, out);
    }
    return n && vec_push(p, out, n);
}

// -- entry points

// NUL bytes and invalid UTF-8 are rejected before tokenizing, as CPython
// does when it decodes the source.
static bool check_source(const char *src, size_t len, ParseError *err) {
    int line = 1;
    size_t ls = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\n') {
            line++;
            ls = i + 1;
        }
        if (c == 0) {
            err->kind = "SyntaxError";
            snprintf(err->msg, sizeof err->msg, "source code cannot contain null bytes");
            err->line = err->end_line = line;
            err->col = err->end_col = lex_char_offset(src, len, ls, (int)(i - ls));
            return false;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        const char *why = NULL;
        if (!n) {
            why = "invalid start byte";
        } else {
            for (int k = 1; k < n && !why; k++) {
                if (i + (size_t)k >= len) {
                    why = "unexpected end of data";
                    break;
                }
                unsigned char d = (unsigned char)src[i + (size_t)k];
                unsigned lo = 0x80, hi = 0xBF;
                if (k == 1) {
                    if (c == 0xE0) lo = 0xA0;
                    if (c == 0xED) hi = 0x9F;
                    if (c == 0xF0) lo = 0x90;
                    if (c == 0xF4) hi = 0x8F;
                }
                if (d < lo || d > hi) why = "invalid continuation byte";
            }
        }
        if (why) {
            err->kind = "SyntaxError";
            snprintf(err->msg, sizeof err->msg,
                     "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %d: %s", c,
                     (int)(i - ls), why);
            err->line = err->end_line = line;
            err->col = err->end_col = lex_char_offset(src, len, ls, (int)(i - ls));
            return false;
        }
        i += (size_t)n;
    }
    return true;
}

static void parser_init(Parser *p, Arena *a, const char *src, size_t len, ParseError *err) {
    memset(p, 0, sizeof *p);
    p->a = a;
    p->src = src;
    p->len = len;
    p->err = err;
    lex_init(&p->lx, src, len);
}

// After a parser error in a file, CPython tokenizes the rest of the source
// and reports a tokenizer error found there instead.
static void scan_rest(Parser *p) {
    if (p->lex_done || p->lex_failed || !p->err->kind || strcmp(p->err->kind, "MemoryError") == 0 ||
        strncmp(p->err->msg, "unexpected ", 11) == 0)
        return;
    int err_line = p->err->line;
    Token t;
    for (;;) {
        if (!lex_next(&p->lx, &t)) {
            const ParseError *le = &p->lx.err;
            bool never_closed = strstr(le->msg, "was never closed") != NULL;
            if (!p->lx.soft_error || (never_closed && le->line < err_line)) {
                *p->err = *le;
                p->eof_error = p->lx.eof_error;
            }
            return;
        }
        if (t.kind == TK_ENDMARKER || t.kind == TK_ERRORTOKEN) return;
    }
}

static bool check_depth(Parser *p, NodeList *body) {
    for (int i = 0; i < body->len; i++) {
        int d = ast_depth(body->items[i]);
        if (d < 0) return oom(p), false;
        if (d > AST_MAX_DEPTH - 2) {
            Node *s = body->items[i];
            ERR_NODE(p, s, "expression too deeply nested");
            return false;
        }
    }
    return true;
}

static Node *finish_parse(Parser *p, Node *root, NodeList *body, bool file_mode) {
    if (!p->failed && body) check_depth(p, body);
    if (!p->failed && p->has_deferred) {
        *p->err = p->deferred;
        p->failed = true;
    }
    if (p->failed && file_mode) scan_rest(p);
    free(p->toks);
    p->toks = NULL;
    return p->failed ? NULL : root;
}

Node *parse_module(Arena *a, const char *src, size_t len, ParseError *err) {
    memset(err, 0, sizeof *err);
    if (!check_source(src, len, err)) return NULL;
    Parser p;
    parser_init(&p, a, src, len, err);
    Node *m = new_node(&p, AST_MODULE, 1, 0);
    Vec body = {0};
    while (m && !p.failed && kind(&p) != TK_ENDMARKER)
        if (!p_statement(&p, &body)) break;
    if (m) m->module.body = vec_list(&body);
    return finish_parse(&p, m, m ? &m->module.body : NULL, true);
}

static bool is_compound(const Node *n) {
    switch (n->kind) {
    case AST_FUNCTION_DEF: case AST_CLASS_DEF: case AST_IF: case AST_FOR: case AST_WHILE:
    case AST_WITH: case AST_TRY:
        return true;
    default:
        return false;
    }
}

static Node *interactive(Arena *a, const char *src, size_t len, ParseError *err, bool *eof_error) {
    memset(err, 0, sizeof *err);
    *eof_error = false;
    if (!check_source(src, len, err)) return NULL;
    Parser p;
    parser_init(&p, a, src, len, err);
    Node *m = new_node(&p, AST_INTERACTIVE, 1, 0);
    Vec body = {0};
    if (m && kind(&p) != TK_ENDMARKER && !p.failed) {
        p_statement(&p, &body);
        if (!p.failed && kind(&p) != TK_ENDMARKER) {
            Token t = *cur(&p);
            ERR_TOK(&p, &t, "multiple statements found while compiling a single statement");
        }
    }
    if (m) m->module.body = vec_list(&body);
    Node *r = finish_parse(&p, m, m ? &m->module.body : NULL, false);
    *eof_error = p.failed && p.eof_error;
    return r;
}

Node *parse_interactive(Arena *a, const char *src, size_t len, ParseError *err) {
    bool eof;
    return interactive(a, src, len, err, &eof);
}

Node *parse_expression(Arena *a, const char *src, size_t len, ParseError *err) {
    memset(err, 0, sizeof *err);
    if (!check_source(src, len, err)) return NULL;
    Parser p;
    parser_init(&p, a, src, len, err);
    while (p.lx.pos < len && (src[p.lx.pos] == ' ' || src[p.lx.pos] == '\t')) p.lx.pos++;
    p.lx.at_bol = false;
    Node *m = new_node(&p, AST_EXPRESSION, 1, 0);
    Node *e = m ? p_star_expressions(&p, NULL) : NULL;
    if (e) {
        check_bare_starred(&p, e);
        while (accept(&p, TK_NEWLINE)) {}
        if (kind(&p) != TK_ENDMARKER) invalid_syntax(&p);
        m->expression.body = e;
    }
    Node *r = NULL;
    if (e && !p.failed) {
        NodeList one = {&m->expression.body, 1};
        r = finish_parse(&p, m, &one, false);
    } else {
        finish_parse(&p, m, NULL, false);
    }
    return r;
}

// The last line of [src] holds only blanks (the REPL's "empty line").
static bool ends_with_blank_line(const char *src, size_t len) {
    size_t end = len;
    if (end && src[end - 1] == '\n') end--;
    if (end && src[end - 1] == '\r') end--;
    size_t i = end;
    while (i > 0 && src[i - 1] != '\n' && src[i - 1] != '\r') {
        char c = src[i - 1];
        if (c != ' ' && c != '\t' && c != '\f') return false;
        i--;
    }
    return i > 0;  // there is an earlier line
}

bool parse_needs_more(const char *src, size_t len) {
    if (!src || len == 0) return false;
    ParseError err;
    if (!check_source(src, len, &err)) return false;
    Lexer *lx = malloc(sizeof *lx);
    if (!lx) return false;
    lex_init(lx, src, len);
    Token t;
    bool any = false, lex_ok;
    while ((lex_ok = lex_next(lx, &t)) && t.kind != TK_ENDMARKER)
        if (!is_ws_token(t.kind)) any = true;
    bool eof_error = lx->eof_error;
    free(lx);
    if (!lex_ok) return eof_error;  // open bracket, triple quote, backslash
    if (!any || ends_with_blank_line(src, len)) return false;
    Arena a;
    arena_init(&a);
    bool more;
    Node *n = interactive(&a, src, len, &err, &eof_error);
    if (!n) more = eof_error;
    else more = n->module.body.len == 1 && is_compound(n->module.body.items[0]);
    arena_free(&a);
    return more;
}
