// ast.h -- the abstract syntax tree produced by parser.c.
//
// Mirrors Python 3.11's `ast` module: same node names, same fields, same
// meaning, so `python3 -c "import ast; print(ast.dump(ast.parse(src)))"` is the
// reference for what a tree should look like (ast_dump() prints that format).
//
// Ownership: every Node, every NodeList array, every identifier and every
// decoded literal lives in the Arena passed to parse_*(). Nothing is freed
// individually; arena_free() releases the whole tree. Strings are NUL-
// terminated (str/bytes constants also carry a length, they may contain NUL).
//
// Shape: one tagged union. `kind` says which union member is valid; the member
// name is written next to each kind below. Optional children are NULL.
// Lists are NodeList {items, len}; an empty list has len 0 (items may be NULL).
//
// Positions (every node, including helper nodes): line/end_line are 1-based,
// col/end_col are 0-based UTF-8 byte offsets into the line, end exclusive --
// exactly CPython's lineno/col_offset/end_lineno/end_col_offset. Helper nodes
// that have no position in CPython (arguments, withitem, comprehension) get
// the span of their source text anyway.
//
// Depth: the parser rejects any tree deeper than AST_MAX_DEPTH, so a
// recursive walk over a tree returned by parse_*() needs at most that many
// nested calls.
#ifndef GILVM_AST_H
#define GILVM_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define AST_MAX_DEPTH 1000

typedef struct Node Node;

typedef struct NodeList {
    Node **items;
    int len;
} NodeList;

typedef struct IdentList {  // Global / Nonlocal names
    const char **items;
    int len;
} IdentList;

// Kinds. Comment = union member to read, then the Python name(s).
typedef enum NodeKind {
    // -- modules
    AST_MODULE,            // module       Module: body
    AST_INTERACTIVE,       // module       Interactive: body (REPL "single")
    AST_EXPRESSION,        // expression   Expression: body (eval mode)
    // -- statements
    AST_FUNCTION_DEF,      // func_def     FunctionDef / AsyncFunctionDef (is_async)
    AST_CLASS_DEF,         // class_def    ClassDef
    AST_RETURN,            // return_stmt  Return: value?
    AST_DELETE,            // delete       Delete: targets (ctx Del)
    AST_ASSIGN,            // assign       Assign: targets (a = b = v: 2 targets), value
    AST_AUG_ASSIGN,        // aug_assign   AugAssign: target op= value
    AST_ANN_ASSIGN,        // ann_assign   AnnAssign: target: annotation [= value]
    AST_FOR,               // for_stmt     For / AsyncFor (is_async)
    AST_WHILE,             // while_stmt   While
    AST_IF,                // if_stmt      If (elif = an If alone in orelse)
    AST_WITH,              // with_stmt    With / AsyncWith (is_async); items: AST_WITHITEM
    AST_RAISE,             // raise        Raise: exc?, cause?
    AST_TRY,               // try_stmt     Try; handlers: AST_EXCEPT_HANDLER
    AST_ASSERT,            // assert_stmt  Assert: test, msg?
    AST_IMPORT,            // import       Import: names (AST_ALIAS)
    AST_IMPORT_FROM,       // import_from  ImportFrom: module?, names, level
    AST_GLOBAL,            // names_stmt   Global
    AST_NONLOCAL,          // names_stmt   Nonlocal
    AST_EXPR,              // expr_stmt    Expr: value
    AST_PASS,              // (none)
    AST_BREAK,             // (none)
    AST_CONTINUE,          // (none)
    // -- expressions
    AST_BOOL_OP,           // bool_op      BoolOp: op, values (2 or more)
    AST_NAMED_EXPR,        // named_expr   NamedExpr: target := value
    AST_BIN_OP,            // bin_op       BinOp
    AST_UNARY_OP,          // unary_op     UnaryOp
    AST_LAMBDA,            // lambda       Lambda: args (AST_ARGUMENTS), body
    AST_IF_EXP,            // if_exp       IfExp: body if test else orelse
    AST_DICT,              // dict         Dict: keys[i] NULL for **values[i]
    AST_SET,               // set          Set: elts
    AST_LIST_COMP,         // comp         ListComp: elt, generators
    AST_SET_COMP,          // comp         SetComp: elt, generators
    AST_DICT_COMP,         // dict_comp    DictComp: key, value, generators
    AST_GENERATOR_EXP,     // comp         GeneratorExp: elt, generators
    AST_AWAIT,             // value_expr   Await: value
    AST_YIELD,             // value_expr   Yield: value?
    AST_YIELD_FROM,        // value_expr   YieldFrom: value
    AST_COMPARE,           // compare      Compare: left, ops[i] comparators[i]
    AST_CALL,              // call         Call: func, args, keywords (AST_KEYWORD)
    AST_FORMATTED_VALUE,   // formatted    FormattedValue: value, conversion, format_spec?
    AST_JOINED_STR,        // joined_str   JoinedStr: values (Constant str / FormattedValue)
    AST_CONSTANT,          // constant     Constant
    AST_ATTRIBUTE,         // attribute    Attribute: value.attr, ctx
    AST_SUBSCRIPT,         // subscript    Subscript: value[slice], ctx
    AST_STARRED,           // starred      Starred: *value, ctx
    AST_NAME,              // name         Name: id, ctx
    AST_LIST,              // seq          List: elts, ctx
    AST_TUPLE,             // seq          Tuple: elts, ctx
    AST_SLICE,             // slice        Slice: lower?, upper?, step? (only as a subscript)
    // -- helper nodes
    AST_EXCEPT_HANDLER,    // handler      ExceptHandler: type?, name?, body
    AST_ARGUMENTS,         // arguments    arguments
    AST_ARG,               // arg          arg: arg (the name), annotation?
    AST_KEYWORD,           // keyword      keyword: arg? (NULL for **value), value
    AST_ALIAS,             // alias        alias: name ("a.b.c" or "*"), asname?
    AST_WITHITEM,          // withitem     withitem: context_expr, optional_vars?
    AST_COMPREHENSION,     // comprehension  comprehension: target, iter, ifs, is_async
    AST_KIND_COUNT
} NodeKind;

typedef enum ExprContext { CTX_LOAD, CTX_STORE, CTX_DEL } ExprContext;

typedef enum BoolOpKind { BOOL_AND, BOOL_OR } BoolOpKind;

typedef enum BinOpKind {
    BIN_ADD, BIN_SUB, BIN_MULT, BIN_MATMULT, BIN_DIV, BIN_MOD, BIN_POW,
    BIN_LSHIFT, BIN_RSHIFT, BIN_BITOR, BIN_BITXOR, BIN_BITAND, BIN_FLOORDIV,
    BIN_OP_COUNT
} BinOpKind;

typedef enum UnaryOpKind { UNARY_INVERT, UNARY_NOT, UNARY_UADD, UNARY_USUB } UnaryOpKind;

typedef enum CmpOpKind {
    CMPOP_EQ, CMPOP_NOT_EQ, CMPOP_LT, CMPOP_LT_E, CMPOP_GT, CMPOP_GT_E,
    CMPOP_IS, CMPOP_IS_NOT, CMPOP_IN, CMPOP_NOT_IN
} CmpOpKind;

typedef enum ConstKind {
    CONST_NONE, CONST_TRUE, CONST_FALSE, CONST_ELLIPSIS,
    CONST_INT,    // int_.digits in int_.base, e.g. 0x_ff -> digits "ff", base 16
    CONST_FLOAT,  // float_ (strtod of the literal without underscores)
    CONST_STR,    // str.data: decoded UTF-8, str.len bytes (+ NUL), may contain NUL
    CONST_BYTES   // str.data: raw bytes, str.len bytes (+ NUL)
} ConstKind;

struct Node {
    NodeKind kind;
    int line, col, end_line, end_col;
    union {
        struct { NodeList body; } module;
        struct { Node *body; } expression;

        struct {
            const char *name;
            Node *args;               // AST_ARGUMENTS, never NULL
            NodeList body;
            NodeList decorator_list;  // in source order
            Node *returns;            // "-> expr" or NULL
            bool is_async;
        } func_def;
        struct {
            const char *name;
            NodeList bases;
            NodeList keywords;        // AST_KEYWORD (metaclass=..., **kw)
            NodeList body;
            NodeList decorator_list;
        } class_def;
        struct { Node *value; } return_stmt;
        struct { NodeList targets; } delete;
        struct { NodeList targets; Node *value; } assign;
        struct { Node *target; BinOpKind op; Node *value; } aug_assign;
        struct {
            Node *target;             // Name, Attribute or Subscript (ctx Store)
            Node *annotation;
            Node *value;              // NULL for "x: int"
            bool simple;              // target is a Name not in parentheses
        } ann_assign;
        struct { Node *target; Node *iter; NodeList body, orelse; bool is_async; } for_stmt;
        struct { Node *test; NodeList body, orelse; } while_stmt;
        struct { Node *test; NodeList body, orelse; } if_stmt;
        struct { NodeList items; NodeList body; bool is_async; } with_stmt;
        struct { Node *exc; Node *cause; } raise;
        struct { NodeList body, handlers, orelse, finalbody; } try_stmt;
        struct { Node *test; Node *msg; } assert_stmt;
        struct { NodeList names; } import;
        struct {
            const char *module;       // "a.b", or NULL for "from . import x"
            NodeList names;           // AST_ALIAS; one alias "*" for import *
            int level;                // number of leading dots
        } import_from;
        struct { IdentList names; } names_stmt;
        struct { Node *value; } expr_stmt;

        struct { BoolOpKind op; NodeList values; } bool_op;
        struct { Node *target; Node *value; } named_expr;  // target: Name, Store
        struct { Node *left; BinOpKind op; Node *right; } bin_op;
        struct { UnaryOpKind op; Node *operand; } unary_op;
        struct { Node *args; Node *body; } lambda;         // args: AST_ARGUMENTS
        struct { Node *test; Node *body; Node *orelse; } if_exp;
        struct { NodeList keys, values; } dict;            // same len
        struct { NodeList elts; } set;
        struct { Node *elt; NodeList generators; } comp;   // AST_COMPREHENSION
        struct { Node *key; Node *value; NodeList generators; } dict_comp;
        struct { Node *value; } value_expr;                // Await/Yield/YieldFrom
        struct {
            Node *left;
            CmpOpKind *ops;           // ops[i] applies between comparators[i-1]
            NodeList comparators;     // (or left) and comparators[i]; same len
        } compare;
        struct { Node *func; NodeList args; NodeList keywords; } call;
        struct {
            Node *value;
            int conversion;           // -1, 's', 'r' or 'a'
            Node *format_spec;        // AST_JOINED_STR or NULL
        } formatted;
        struct { NodeList values; } joined_str;
        struct {
            ConstKind kind;
            union {
                struct { const char *digits; int base; } int_;
                double float_;
                struct { const char *data; size_t len; } str;
            };
        } constant;
        struct { Node *value; const char *attr; ExprContext ctx; } attribute;
        struct { Node *value; Node *slice; ExprContext ctx; } subscript;
        struct { Node *value; ExprContext ctx; } starred;
        struct { const char *id; ExprContext ctx; } name;
        struct { NodeList elts; ExprContext ctx; } seq;    // List and Tuple
        struct { Node *lower, *upper, *step; } slice;

        struct { Node *type; const char *name; NodeList body; } handler;
        struct {
            NodeList posonlyargs;     // AST_ARG before "/"
            NodeList args;            // AST_ARG
            Node *vararg;             // AST_ARG or NULL ("*args")
            NodeList kwonlyargs;      // AST_ARG after "*" or "*args"
            NodeList kw_defaults;     // same len as kwonlyargs; items may be NULL
            Node *kwarg;              // AST_ARG or NULL ("**kw")
            NodeList defaults;        // defaults of the LAST posonlyargs+args
        } arguments;
        struct { const char *arg; Node *annotation; } arg;
        struct { const char *arg; Node *value; } keyword;
        struct { const char *name; const char *asname; } alias;
        struct { Node *context_expr; Node *optional_vars; } withitem;
        struct { Node *target; Node *iter; NodeList ifs; bool is_async; } comprehension;
    };
};

// Python's class name for [kind] ("FunctionDef", "BinOp", ...). For the flag
// variants use ast_node_name(), which says "AsyncFunctionDef" etc.
const char *ast_kind_name(int kind);
const char *ast_node_name(const Node *n);
const char *ast_binop_name(BinOpKind op);   // "Add", ...
const char *ast_binop_symbol(BinOpKind op); // "+", ...
const char *ast_cmpop_name(CmpOpKind op);   // "Eq", ...

// Call [fn] on every direct child node of [n] in field order (NULL children,
// e.g. Dict keys for **, are skipped). Non-recursive.
void ast_visit_children(const Node *n, void (*fn)(const Node *child, void *ctx), void *ctx);

// Height of the tree (a leaf is 1), computed without recursion.
// -1 when out of memory.
int ast_depth(const Node *n);

// Python `ast.dump(node)` format (3.11, no positions), one line, no newline.
void ast_dump(const Node *n, FILE *out);
// One line per node in pre-order: "Kind line:col-end_line:end_col".
void ast_dump_positions(const Node *n, FILE *out);

#endif
