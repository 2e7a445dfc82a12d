// ast_dump.c -- names, child traversal, depth and dumps of the AST (ast.h).
//
// ast_dump() prints exactly what Python 3.11's ast.dump() prints for the same
// tree (optional fields that are None are left out, empty lists are shown),
// so tests can compare against `python3 -c "import ast; ..."`. Only big
// non-decimal int literals differ (printed as written, e.g. 0xffff...).
#include "ast.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const KIND_NAMES[AST_KIND_COUNT] = {
    [AST_MODULE] = "Module", [AST_INTERACTIVE] = "Interactive", [AST_EXPRESSION] = "Expression",
    [AST_FUNCTION_DEF] = "FunctionDef", [AST_CLASS_DEF] = "ClassDef", [AST_RETURN] = "Return",
    [AST_DELETE] = "Delete", [AST_ASSIGN] = "Assign", [AST_AUG_ASSIGN] = "AugAssign",
    [AST_ANN_ASSIGN] = "AnnAssign", [AST_FOR] = "For", [AST_WHILE] = "While", [AST_IF] = "If",
    [AST_WITH] = "With", [AST_RAISE] = "Raise", [AST_TRY] = "Try", [AST_ASSERT] = "Assert",
    [AST_IMPORT] = "Import", [AST_IMPORT_FROM] = "ImportFrom", [AST_GLOBAL] = "Global",
    [AST_NONLOCAL] = "Nonlocal", [AST_EXPR] = "Expr", [AST_PASS] = "Pass", [AST_BREAK] = "Break",
    [AST_CONTINUE] = "Continue", [AST_BOOL_OP] = "BoolOp", [AST_NAMED_EXPR] = "NamedExpr",
    [AST_BIN_OP] = "BinOp", [AST_UNARY_OP] = "UnaryOp", [AST_LAMBDA] = "Lambda",
    [AST_IF_EXP] = "IfExp", [AST_DICT] = "Dict", [AST_SET] = "Set", [AST_LIST_COMP] = "ListComp",
    [AST_SET_COMP] = "SetComp", [AST_DICT_COMP] = "DictComp", [AST_GENERATOR_EXP] = "GeneratorExp",
    [AST_AWAIT] = "Await", [AST_YIELD] = "Yield", [AST_YIELD_FROM] = "YieldFrom",
    [AST_COMPARE] = "Compare", [AST_CALL] = "Call", [AST_FORMATTED_VALUE] = "FormattedValue",
    [AST_JOINED_STR] = "JoinedStr", [AST_CONSTANT] = "Constant", [AST_ATTRIBUTE] = "Attribute",
    [AST_SUBSCRIPT] = "Subscript", [AST_STARRED] = "Starred", [AST_NAME] = "Name",
    [AST_LIST] = "List", [AST_TUPLE] = "Tuple", [AST_SLICE] = "Slice",
    [AST_EXCEPT_HANDLER] = "ExceptHandler", [AST_ARGUMENTS] = "arguments", [AST_ARG] = "arg",
    [AST_KEYWORD] = "keyword", [AST_ALIAS] = "alias", [AST_WITHITEM] = "withitem",
    [AST_COMPREHENSION] = "comprehension",
};

const char *ast_kind_name(int kind) {
    if (kind < 0 || kind >= AST_KIND_COUNT) return "?";
    return KIND_NAMES[kind];
}

const char *ast_node_name(const Node *n) {
    if (n->kind == AST_FUNCTION_DEF && n->func_def.is_async) return "AsyncFunctionDef";
    if (n->kind == AST_FOR && n->for_stmt.is_async) return "AsyncFor";
    if (n->kind == AST_WITH && n->with_stmt.is_async) return "AsyncWith";
    return ast_kind_name(n->kind);
}

static const char *const BINOP_NAMES[BIN_OP_COUNT] = {
    "Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift", "BitOr", "BitXor",
    "BitAnd", "FloorDiv",
};
static const char *const BINOP_SYMBOLS[BIN_OP_COUNT] = {
    "+", "-", "*", "@", "/", "%", "**", "<<", ">>", "|", "^", "&", "//",
};
static const char *const CMPOP_NAMES[] = {
    "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn",
};
static const char *const UNARY_NAMES[] = {"Invert", "Not", "UAdd", "USub"};
static const char *const CTX_NAMES[] = {"Load", "Store", "Del"};

const char *ast_binop_name(BinOpKind op) { return (unsigned)op < BIN_OP_COUNT ? BINOP_NAMES[op] : "?"; }
const char *ast_binop_symbol(BinOpKind op) { return (unsigned)op < BIN_OP_COUNT ? BINOP_SYMBOLS[op] : "?"; }
const char *ast_cmpop_name(CmpOpKind op) { return (unsigned)op <= CMPOP_NOT_IN ? CMPOP_NAMES[op] : "?"; }

// -- traversal

typedef void (*VisitFn)(const Node *child, void *ctx);

static void visit(const Node *n, VisitFn fn, void *ctx) {
    if (n) fn(n, ctx);
}

static void visit_list(const NodeList *l, VisitFn fn, void *ctx) {
    for (int i = 0; i < l->len; i++) visit(l->items[i], fn, ctx);
}

void ast_visit_children(const Node *n, VisitFn fn, void *ctx) {
    switch (n->kind) {
    case AST_MODULE: case AST_INTERACTIVE: visit_list(&n->module.body, fn, ctx); break;
    case AST_EXPRESSION: visit(n->expression.body, fn, ctx); break;
    case AST_FUNCTION_DEF:
        visit(n->func_def.args, fn, ctx);
        visit_list(&n->func_def.body, fn, ctx);
        visit_list(&n->func_def.decorator_list, fn, ctx);
        visit(n->func_def.returns, fn, ctx);
        break;
    case AST_CLASS_DEF:
        visit_list(&n->class_def.bases, fn, ctx);
        visit_list(&n->class_def.keywords, fn, ctx);
        visit_list(&n->class_def.body, fn, ctx);
        visit_list(&n->class_def.decorator_list, fn, ctx);
        break;
    case AST_RETURN: visit(n->return_stmt.value, fn, ctx); break;
    case AST_DELETE: visit_list(&n->delete.targets, fn, ctx); break;
    case AST_ASSIGN:
        visit_list(&n->assign.targets, fn, ctx);
        visit(n->assign.value, fn, ctx);
        break;
    case AST_AUG_ASSIGN:
        visit(n->aug_assign.target, fn, ctx);
        visit(n->aug_assign.value, fn, ctx);
        break;
    case AST_ANN_ASSIGN:
        visit(n->ann_assign.target, fn, ctx);
        visit(n->ann_assign.annotation, fn, ctx);
        visit(n->ann_assign.value, fn, ctx);
        break;
    case AST_FOR:
        visit(n->for_stmt.target, fn, ctx);
        visit(n->for_stmt.iter, fn, ctx);
        visit_list(&n->for_stmt.body, fn, ctx);
        visit_list(&n->for_stmt.orelse, fn, ctx);
        break;
    case AST_WHILE:
        visit(n->while_stmt.test, fn, ctx);
        visit_list(&n->while_stmt.body, fn, ctx);
        visit_list(&n->while_stmt.orelse, fn, ctx);
        break;
    case AST_IF:
        visit(n->if_stmt.test, fn, ctx);
        visit_list(&n->if_stmt.body, fn, ctx);
        visit_list(&n->if_stmt.orelse, fn, ctx);
        break;
    case AST_WITH:
        visit_list(&n->with_stmt.items, fn, ctx);
        visit_list(&n->with_stmt.body, fn, ctx);
        break;
    case AST_RAISE:
        visit(n->raise.exc, fn, ctx);
        visit(n->raise.cause, fn, ctx);
        break;
    case AST_TRY:
        visit_list(&n->try_stmt.body, fn, ctx);
        visit_list(&n->try_stmt.handlers, fn, ctx);
        visit_list(&n->try_stmt.orelse, fn, ctx);
        visit_list(&n->try_stmt.finalbody, fn, ctx);
        break;
    case AST_ASSERT:
        visit(n->assert_stmt.test, fn, ctx);
        visit(n->assert_stmt.msg, fn, ctx);
        break;
    case AST_IMPORT: visit_list(&n->import.names, fn, ctx); break;
    case AST_IMPORT_FROM: visit_list(&n->import_from.names, fn, ctx); break;
    case AST_EXPR: visit(n->expr_stmt.value, fn, ctx); break;
    case AST_BOOL_OP: visit_list(&n->bool_op.values, fn, ctx); break;
    case AST_NAMED_EXPR:
        visit(n->named_expr.target, fn, ctx);
        visit(n->named_expr.value, fn, ctx);
        break;
    case AST_BIN_OP:
        visit(n->bin_op.left, fn, ctx);
        visit(n->bin_op.right, fn, ctx);
        break;
    case AST_UNARY_OP: visit(n->unary_op.operand, fn, ctx); break;
    case AST_LAMBDA:
        visit(n->lambda.args, fn, ctx);
        visit(n->lambda.body, fn, ctx);
        break;
    case AST_IF_EXP:
        visit(n->if_exp.test, fn, ctx);
        visit(n->if_exp.body, fn, ctx);
        visit(n->if_exp.orelse, fn, ctx);
        break;
    case AST_DICT:
        visit_list(&n->dict.keys, fn, ctx);
        visit_list(&n->dict.values, fn, ctx);
        break;
    case AST_SET: visit_list(&n->set.elts, fn, ctx); break;
    case AST_LIST_COMP: case AST_SET_COMP: case AST_GENERATOR_EXP:
        visit(n->comp.elt, fn, ctx);
        visit_list(&n->comp.generators, fn, ctx);
        break;
    case AST_DICT_COMP:
        visit(n->dict_comp.key, fn, ctx);
        visit(n->dict_comp.value, fn, ctx);
        visit_list(&n->dict_comp.generators, fn, ctx);
        break;
    case AST_AWAIT: case AST_YIELD: case AST_YIELD_FROM: visit(n->value_expr.value, fn, ctx); break;
    case AST_COMPARE:
        visit(n->compare.left, fn, ctx);
        visit_list(&n->compare.comparators, fn, ctx);
        break;
    case AST_CALL:
        visit(n->call.func, fn, ctx);
        visit_list(&n->call.args, fn, ctx);
        visit_list(&n->call.keywords, fn, ctx);
        break;
    case AST_FORMATTED_VALUE:
        visit(n->formatted.value, fn, ctx);
        visit(n->formatted.format_spec, fn, ctx);
        break;
    case AST_JOINED_STR: visit_list(&n->joined_str.values, fn, ctx); break;
    case AST_ATTRIBUTE: visit(n->attribute.value, fn, ctx); break;
    case AST_SUBSCRIPT:
        visit(n->subscript.value, fn, ctx);
        visit(n->subscript.slice, fn, ctx);
        break;
    case AST_STARRED: visit(n->starred.value, fn, ctx); break;
    case AST_LIST: case AST_TUPLE: visit_list(&n->seq.elts, fn, ctx); break;
    case AST_SLICE:
        visit(n->slice.lower, fn, ctx);
        visit(n->slice.upper, fn, ctx);
        visit(n->slice.step, fn, ctx);
        break;
    case AST_EXCEPT_HANDLER:
        visit(n->handler.type, fn, ctx);
        visit_list(&n->handler.body, fn, ctx);
        break;
    case AST_ARGUMENTS:
        visit_list(&n->arguments.posonlyargs, fn, ctx);
        visit_list(&n->arguments.args, fn, ctx);
        visit(n->arguments.vararg, fn, ctx);
        visit_list(&n->arguments.kwonlyargs, fn, ctx);
        visit_list(&n->arguments.kw_defaults, fn, ctx);
        visit(n->arguments.kwarg, fn, ctx);
        visit_list(&n->arguments.defaults, fn, ctx);
        break;
    case AST_ARG: visit(n->arg.annotation, fn, ctx); break;
    case AST_KEYWORD: visit(n->keyword.value, fn, ctx); break;
    case AST_WITHITEM:
        visit(n->withitem.context_expr, fn, ctx);
        visit(n->withitem.optional_vars, fn, ctx);
        break;
    case AST_COMPREHENSION:
        visit(n->comprehension.target, fn, ctx);
        visit(n->comprehension.iter, fn, ctx);
        visit_list(&n->comprehension.ifs, fn, ctx);
        break;
    default: break;
    }
}

// -- depth (explicit stack: safe on any tree)

typedef struct DepthItem {
    const Node *n;
    int depth;
} DepthItem;

typedef struct DepthStack {
    DepthItem *items;
    size_t len, cap;
    int cur;  // depth of the node whose children are being pushed
    bool oom;
} DepthStack;

static void push_child(const Node *child, void *ctx) {
    DepthStack *s = ctx;
    if (s->oom) return;
    if (s->len == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        DepthItem *ni = realloc(s->items, ncap * sizeof *ni);
        if (!ni) {
            s->oom = true;
            return;
        }
        s->items = ni;
        s->cap = ncap;
    }
    s->items[s->len].n = child;
    s->items[s->len].depth = s->cur + 1;
    s->len++;
}

int ast_depth(const Node *n) {
    if (!n) return 0;
    DepthStack s = {0};
    s.cur = 0;
    push_child(n, &s);
    int max = 0;
    while (s.len && !s.oom) {
        DepthItem it = s.items[--s.len];
        if (it.depth > max) max = it.depth;
        s.cur = it.depth;
        ast_visit_children(it.n, push_child, &s);
    }
    free(s.items);
    return s.oom ? -1 : max;
}

// -- Python-style reprs

// Shortest repr of a double, formatted like Python's float.__repr__.
static void put_float(double v, FILE *out) {
    if (isnan(v)) {
        fputs("nan", out);
        return;
    }
    if (isinf(v)) {
        fputs(v < 0 ? "-inf" : "inf", out);
        return;
    }
    char buf[64];
    int prec;
    for (prec = 0; prec < 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    snprintf(buf, sizeof buf, "%.*e", prec, v);
    // buf = [-]d[.ddd]e[+-]XX
    const char *s = buf;
    bool neg = *s == '-';
    if (neg) s++;
    char digits[32];
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.') digits[nd++] = *s;
    digits[nd] = '\0';
    int exp = atoi(s + 1);
    if (neg) fputc('-', out);
    if (exp >= -5 + 1 && exp < 16) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++) fputc(i < nd ? digits[i] : '0', out);
            fputc('.', out);
            if (exp + 1 < nd) fputs(digits + exp + 1, out);
            else fputc('0', out);
        } else {
            fputs("0.", out);
            for (int i = 0; i < -exp - 1; i++) fputc('0', out);
            fputs(digits, out);
        }
    } else {
        fputc(digits[0], out);
        if (nd > 1) fprintf(out, ".%s", digits + 1);
        fprintf(out, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
}

static unsigned next_cp(const unsigned char *s, size_t len, size_t *i) {
    unsigned char c = s[*i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (*i + (size_t)n > len) n = 1;
    unsigned cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (int k = 1; k < n; k++) cp = (cp << 6) | (s[*i + (size_t)k] & 0x3Fu);
    *i += (size_t)n;
    return cp;
}

static void put_repr(const char *data, size_t len, bool bytes, FILE *out) {
    const unsigned char *s = (const unsigned char *)data;
    bool has_sq = memchr(s, '\'', len) != NULL, has_dq = memchr(s, '"', len) != NULL;
    char q = has_sq && !has_dq ? '"' : '\'';
    if (bytes) fputc('b', out);
    fputc(q, out);
    for (size_t i = 0; i < len;) {
        size_t at = i;
        unsigned cp = bytes ? s[i++] : next_cp(s, len, &i);
        if (cp == (unsigned char)q || cp == '\\') fprintf(out, "\\%c", (char)cp);
        else if (cp == '\n') fputs("\\n", out);
        else if (cp == '\r') fputs("\\r", out);
        else if (cp == '\t') fputs("\\t", out);
        else if (cp < 0x20 || cp == 0x7F || (bytes && cp >= 0x80) || (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD)
            fprintf(out, "\\x%02x", cp);
        else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
                 (cp >= 0x200B && cp <= 0x200F))
            fprintf(out, "\\u%04x", cp);
        else fwrite(s + at, 1, i - at, out);
    }
    fputc(q, out);
}

static void put_int(const Node *n, FILE *out) {
    const char *d = n->constant.int_.digits;
    int base = n->constant.int_.base;
    if (base == 10) {
        fputs(d, out);
        return;
    }
    uint64_t v = 0;
    bool fits = true;
    for (const char *p = d; *p; p++) {
        int x = *p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10;
        if (v > (UINT64_MAX - (uint64_t)x) / (uint64_t)base) {
            fits = false;
            break;
        }
        v = v * (uint64_t)base + (uint64_t)x;
    }
    if (fits) fprintf(out, "%llu", (unsigned long long)v);
    else fprintf(out, "0%c%s", base == 16 ? 'x' : base == 8 ? 'o' : 'b', d);
}

// -- ast.dump

typedef struct Dump {
    FILE *out;
    bool first;
} Dump;

static void dump(const Node *n, FILE *out);

static void field(Dump *d, const char *name) {
    fprintf(d->out, "%s%s=", d->first ? "" : ", ", name);
    d->first = false;
}

static void f_node(Dump *d, const char *name, const Node *n, bool optional) {
    if (!n && optional) return;
    field(d, name);
    if (n) dump(n, d->out);
    else fputs("None", d->out);
}

static void f_list(Dump *d, const char *name, const NodeList *l) {
    field(d, name);
    fputc('[', d->out);
    for (int i = 0; i < l->len; i++) {
        if (i) fputs(", ", d->out);
        if (l->items[i]) dump(l->items[i], d->out);
        else fputs("None", d->out);
    }
    fputc(']', d->out);
}

static void f_ident(Dump *d, const char *name, const char *s, bool optional) {
    if (!s && optional) return;
    field(d, name);
    if (s) put_repr(s, strlen(s), false, d->out);
    else fputs("None", d->out);
}

static void f_int(Dump *d, const char *name, long v) {
    field(d, name);
    fprintf(d->out, "%ld", v);
}

static void f_op(Dump *d, const char *name, const char *op) {
    field(d, name);
    fprintf(d->out, "%s()", op);
}

static void f_ctx(Dump *d, ExprContext ctx) { f_op(d, "ctx", CTX_NAMES[ctx]); }

static void dump(const Node *n, FILE *out) {
    Dump d = {out, true};
    fprintf(out, "%s(", ast_node_name(n));
    switch (n->kind) {
    case AST_MODULE:
        f_list(&d, "body", &n->module.body);
        field(&d, "type_ignores");
        fputs("[]", out);
        break;
    case AST_INTERACTIVE: f_list(&d, "body", &n->module.body); break;
    case AST_EXPRESSION: f_node(&d, "body", n->expression.body, false); break;
    case AST_FUNCTION_DEF:
        f_ident(&d, "name", n->func_def.name, false);
        f_node(&d, "args", n->func_def.args, false);
        f_list(&d, "body", &n->func_def.body);
        f_list(&d, "decorator_list", &n->func_def.decorator_list);
        f_node(&d, "returns", n->func_def.returns, true);
        break;
    case AST_CLASS_DEF:
        f_ident(&d, "name", n->class_def.name, false);
        f_list(&d, "bases", &n->class_def.bases);
        f_list(&d, "keywords", &n->class_def.keywords);
        f_list(&d, "body", &n->class_def.body);
        f_list(&d, "decorator_list", &n->class_def.decorator_list);
        break;
    case AST_RETURN: f_node(&d, "value", n->return_stmt.value, true); break;
    case AST_DELETE: f_list(&d, "targets", &n->delete.targets); break;
    case AST_ASSIGN:
        f_list(&d, "targets", &n->assign.targets);
        f_node(&d, "value", n->assign.value, false);
        break;
    case AST_AUG_ASSIGN:
        f_node(&d, "target", n->aug_assign.target, false);
        f_op(&d, "op", ast_binop_name(n->aug_assign.op));
        f_node(&d, "value", n->aug_assign.value, false);
        break;
    case AST_ANN_ASSIGN:
        f_node(&d, "target", n->ann_assign.target, false);
        f_node(&d, "annotation", n->ann_assign.annotation, false);
        f_node(&d, "value", n->ann_assign.value, true);
        f_int(&d, "simple", n->ann_assign.simple);
        break;
    case AST_FOR:
        f_node(&d, "target", n->for_stmt.target, false);
        f_node(&d, "iter", n->for_stmt.iter, false);
        f_list(&d, "body", &n->for_stmt.body);
        f_list(&d, "orelse", &n->for_stmt.orelse);
        break;
    case AST_WHILE:
        f_node(&d, "test", n->while_stmt.test, false);
        f_list(&d, "body", &n->while_stmt.body);
        f_list(&d, "orelse", &n->while_stmt.orelse);
        break;
    case AST_IF:
        f_node(&d, "test", n->if_stmt.test, false);
        f_list(&d, "body", &n->if_stmt.body);
        f_list(&d, "orelse", &n->if_stmt.orelse);
        break;
    case AST_WITH:
        f_list(&d, "items", &n->with_stmt.items);
        f_list(&d, "body", &n->with_stmt.body);
        break;
    case AST_RAISE:
        f_node(&d, "exc", n->raise.exc, true);
        f_node(&d, "cause", n->raise.cause, true);
        break;
    case AST_TRY:
        f_list(&d, "body", &n->try_stmt.body);
        f_list(&d, "handlers", &n->try_stmt.handlers);
        f_list(&d, "orelse", &n->try_stmt.orelse);
        f_list(&d, "finalbody", &n->try_stmt.finalbody);
        break;
    case AST_ASSERT:
        f_node(&d, "test", n->assert_stmt.test, false);
        f_node(&d, "msg", n->assert_stmt.msg, true);
        break;
    case AST_IMPORT: f_list(&d, "names", &n->import.names); break;
    case AST_IMPORT_FROM:
        f_ident(&d, "module", n->import_from.module, true);
        f_list(&d, "names", &n->import_from.names);
        f_int(&d, "level", n->import_from.level);
        break;
    case AST_GLOBAL:
    case AST_NONLOCAL:
        field(&d, "names");
        fputc('[', out);
        for (int i = 0; i < n->names_stmt.names.len; i++) {
            if (i) fputs(", ", out);
            const char *s = n->names_stmt.names.items[i];
            put_repr(s, strlen(s), false, out);
        }
        fputc(']', out);
        break;
    case AST_EXPR: f_node(&d, "value", n->expr_stmt.value, false); break;
    case AST_PASS: case AST_BREAK: case AST_CONTINUE: break;
    case AST_BOOL_OP:
        f_op(&d, "op", n->bool_op.op == BOOL_AND ? "And" : "Or");
        f_list(&d, "values", &n->bool_op.values);
        break;
    case AST_NAMED_EXPR:
        f_node(&d, "target", n->named_expr.target, false);
        f_node(&d, "value", n->named_expr.value, false);
        break;
    case AST_BIN_OP:
        f_node(&d, "left", n->bin_op.left, false);
        f_op(&d, "op", ast_binop_name(n->bin_op.op));
        f_node(&d, "right", n->bin_op.right, false);
        break;
    case AST_UNARY_OP:
        f_op(&d, "op", UNARY_NAMES[n->unary_op.op]);
        f_node(&d, "operand", n->unary_op.operand, false);
        break;
    case AST_LAMBDA:
        f_node(&d, "args", n->lambda.args, false);
        f_node(&d, "body", n->lambda.body, false);
        break;
    case AST_IF_EXP:
        f_node(&d, "test", n->if_exp.test, false);
        f_node(&d, "body", n->if_exp.body, false);
        f_node(&d, "orelse", n->if_exp.orelse, false);
        break;
    case AST_DICT:
        f_list(&d, "keys", &n->dict.keys);
        f_list(&d, "values", &n->dict.values);
        break;
    case AST_SET: f_list(&d, "elts", &n->set.elts); break;
    case AST_LIST_COMP: case AST_SET_COMP: case AST_GENERATOR_EXP:
        f_node(&d, "elt", n->comp.elt, false);
        f_list(&d, "generators", &n->comp.generators);
        break;
    case AST_DICT_COMP:
        f_node(&d, "key", n->dict_comp.key, false);
        f_node(&d, "value", n->dict_comp.value, false);
        f_list(&d, "generators", &n->dict_comp.generators);
        break;
    case AST_AWAIT: case AST_YIELD_FROM: f_node(&d, "value", n->value_expr.value, false); break;
    case AST_YIELD: f_node(&d, "value", n->value_expr.value, true); break;
    case AST_COMPARE:
        f_node(&d, "left", n->compare.left, false);
        field(&d, "ops");
        fputc('[', out);
        for (int i = 0; i < n->compare.comparators.len; i++)
            fprintf(out, "%s%s()", i ? ", " : "", ast_cmpop_name(n->compare.ops[i]));
        fputc(']', out);
        f_list(&d, "comparators", &n->compare.comparators);
        break;
    case AST_CALL:
        f_node(&d, "func", n->call.func, false);
        f_list(&d, "args", &n->call.args);
        f_list(&d, "keywords", &n->call.keywords);
        break;
    case AST_FORMATTED_VALUE:
        f_node(&d, "value", n->formatted.value, false);
        f_int(&d, "conversion", n->formatted.conversion);
        f_node(&d, "format_spec", n->formatted.format_spec, true);
        break;
    case AST_JOINED_STR: f_list(&d, "values", &n->joined_str.values); break;
    case AST_CONSTANT:
        field(&d, "value");
        switch (n->constant.kind) {
        case CONST_NONE: fputs("None", out); break;
        case CONST_TRUE: fputs("True", out); break;
        case CONST_FALSE: fputs("False", out); break;
        case CONST_ELLIPSIS: fputs("Ellipsis", out); break;
        case CONST_INT: put_int(n, out); break;
        case CONST_FLOAT: put_float(n->constant.float_, out); break;
        case CONST_STR: put_repr(n->constant.str.data, n->constant.str.len, false, out); break;
        case CONST_BYTES: put_repr(n->constant.str.data, n->constant.str.len, true, out); break;
        }
        break;
    case AST_ATTRIBUTE:
        f_node(&d, "value", n->attribute.value, false);
        f_ident(&d, "attr", n->attribute.attr, false);
        f_ctx(&d, n->attribute.ctx);
        break;
    case AST_SUBSCRIPT:
        f_node(&d, "value", n->subscript.value, false);
        f_node(&d, "slice", n->subscript.slice, false);
        f_ctx(&d, n->subscript.ctx);
        break;
    case AST_STARRED:
        f_node(&d, "value", n->starred.value, false);
        f_ctx(&d, n->starred.ctx);
        break;
    case AST_NAME:
        f_ident(&d, "id", n->name.id, false);
        f_ctx(&d, n->name.ctx);
        break;
    case AST_LIST: case AST_TUPLE:
        f_list(&d, "elts", &n->seq.elts);
        f_ctx(&d, n->seq.ctx);
        break;
    case AST_SLICE:
        f_node(&d, "lower", n->slice.lower, true);
        f_node(&d, "upper", n->slice.upper, true);
        f_node(&d, "step", n->slice.step, true);
        break;
    case AST_EXCEPT_HANDLER:
        f_node(&d, "type", n->handler.type, true);
        f_ident(&d, "name", n->handler.name, true);
        f_list(&d, "body", &n->handler.body);
        break;
    case AST_ARGUMENTS:
        f_list(&d, "posonlyargs", &n->arguments.posonlyargs);
        f_list(&d, "args", &n->arguments.args);
        f_node(&d, "vararg", n->arguments.vararg, true);
        f_list(&d, "kwonlyargs", &n->arguments.kwonlyargs);
        f_list(&d, "kw_defaults", &n->arguments.kw_defaults);
        f_node(&d, "kwarg", n->arguments.kwarg, true);
        f_list(&d, "defaults", &n->arguments.defaults);
        break;
    case AST_ARG:
        f_ident(&d, "arg", n->arg.arg, false);
        f_node(&d, "annotation", n->arg.annotation, true);
        break;
    case AST_KEYWORD:
        f_ident(&d, "arg", n->keyword.arg, true);
        f_node(&d, "value", n->keyword.value, false);
        break;
    case AST_ALIAS:
        f_ident(&d, "name", n->alias.name, false);
        f_ident(&d, "asname", n->alias.asname, true);
        break;
    case AST_WITHITEM:
        f_node(&d, "context_expr", n->withitem.context_expr, false);
        f_node(&d, "optional_vars", n->withitem.optional_vars, true);
        break;
    case AST_COMPREHENSION:
        f_node(&d, "target", n->comprehension.target, false);
        f_node(&d, "iter", n->comprehension.iter, false);
        f_list(&d, "ifs", &n->comprehension.ifs);
        f_int(&d, "is_async", n->comprehension.is_async);
        break;
    default: break;
    }
    fputc(')', out);
}

void ast_dump(const Node *n, FILE *out) {
    if (n) dump(n, out);
    else fputs("None", out);
}

static bool has_position(const Node *n) {
    switch (n->kind) {
    case AST_MODULE: case AST_INTERACTIVE: case AST_EXPRESSION: case AST_ARGUMENTS:
    case AST_WITHITEM: case AST_COMPREHENSION:
        return false;
    default:
        return true;
    }
}

static void dump_pos(const Node *n, void *ctx) {
    FILE *out = ctx;
    if (has_position(n))
        fprintf(out, "%s %d:%d-%d:%d\n", ast_node_name(n), n->line, n->col, n->end_line, n->end_col);
    else
        fprintf(out, "%s\n", ast_node_name(n));
    ast_visit_children(n, dump_pos, out);
}

void ast_dump_positions(const Node *n, FILE *out) {
    if (n) dump_pos(n, out);
}
