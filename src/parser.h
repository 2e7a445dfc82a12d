// parser.h -- recursive-descent parser: source text -> AST (see ast.h).
//
// Grammar and error messages follow CPython 3.11 (Grammar/python.gram and its
// invalid_* rules): a program that python3 rejects is rejected here with the
// same message and, wherever practical, the same line and offset.
//
// Beyond syntax, the parser also reports the compile-time errors CPython finds
// right after parsing, only when the whole input parsed cleanly (so a later
// syntax error still wins, as in CPython): 'return' outside function, 'yield'
// outside function, 'await' outside (async) function, 'break' outside loop,
// 'continue' not properly in loop, 'async for'/'async with' outside async
// function, nonlocal at module level, duplicate argument, keyword argument
// repeated, starred expression misuse.
//
// Limits (never a C stack overflow): brackets nest at most 200 deep ("too many
// nested parentheses"), blocks 99 deep ("too many levels of indentation"),
// other expression nesting and the final tree at most AST_MAX_DEPTH
// ("expression too deeply nested").
//
// Memory: the tree lives in [a]; on error the arena may hold garbage, which
// arena_free() releases. The parser frees its own scratch memory.
#ifndef GILVM_PARSER_H
#define GILVM_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "lexer.h"  // ParseError

// A file ("exec" mode): AST_MODULE. NULL on error, [err] filled.
Node *parse_module(Arena *a, const char *src, size_t len, ParseError *err);
// One REPL entry ("single" mode): AST_INTERACTIVE holding one simple-statement
// line (possibly "a; b") or one compound statement.
Node *parse_interactive(Arena *a, const char *src, size_t len, ParseError *err);
// One expression ("eval" mode, leading blanks allowed): AST_EXPRESSION.
Node *parse_expression(Arena *a, const char *src, size_t len, ParseError *err);

// For the REPL: true when [src] is an incomplete entry that needs another
// line -- an open bracket, an unterminated triple-quoted string, a trailing
// backslash, or a compound statement not yet closed by an empty line. false
// for complete input and for input with a syntax error before its end (so
// the REPL reports it at once). Pure: no allocation survives, no globals.
bool parse_needs_more(const char *src, size_t len);

#endif
