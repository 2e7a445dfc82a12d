// lexer.h -- Python 3.11 tokenizer for gilvm.
//
// Produces one token per lex_next() call, on demand, the way CPython's
// tokenizer feeds its parser: NAME/NUMBER/STRING/operator/keyword tokens plus
// NEWLINE (end of a logical line), INDENT/DEDENT and ENDMARKER. Newlines
// inside (), [] and {} and after a backslash are joined away; blank and
// comment-only lines produce nothing.
//
// Tokens point into the source (start/end byte offsets); nothing is decoded
// here: the parser decodes string and number literals. The lexer only checks
// their shape (unterminated strings, bad digits, leading zeros ...).
//
// Errors use CPython 3.11's wording and its (1-based, character) offsets; the
// first error sticks: after lex_next() returns false every further call
// returns false. The lexer allocates nothing.
#ifndef GILVM_LEXER_H
#define GILVM_LEXER_H

#include <stdbool.h>
#include <stddef.h>

// A syntax error, filled by the lexer or the parser.
typedef struct ParseError {
    const char *kind;   // "SyntaxError", "IndentationError", "TabError", "MemoryError"
    char msg[256];
    int line, col;      // col 1-based in characters, like SyntaxError.offset
    int end_line, end_col;
} ParseError;

#define LEX_MAX_INDENT 100  // CPython MAXINDENT: 99 nested blocks
#define LEX_MAX_LEVEL 200   // CPython MAXLEVEL: nested brackets

typedef enum TokenKind {
    TK_ENDMARKER, TK_NAME, TK_NUMBER, TK_STRING, TK_NEWLINE, TK_INDENT, TK_DEDENT,
    TK_ERRORTOKEN,  // a character that starts no token ('$', '?', '!' ...)
    // operators and delimiters
    TK_LPAR, TK_RPAR, TK_LSQB, TK_RSQB, TK_LBRACE, TK_RBRACE,
    TK_COLON, TK_COMMA, TK_SEMI, TK_DOT, TK_ELLIPSIS, TK_RARROW, TK_COLONEQUAL,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_VBAR, TK_AMPER, TK_LESS, TK_GREATER,
    TK_EQUAL, TK_PERCENT, TK_TILDE, TK_CIRCUMFLEX, TK_AT,
    TK_EQEQUAL, TK_NOTEQUAL, TK_LESSEQUAL, TK_GREATEREQUAL,
    TK_LEFTSHIFT, TK_RIGHTSHIFT, TK_DOUBLESTAR, TK_DOUBLESLASH,
    TK_PLUSEQUAL, TK_MINEQUAL, TK_STAREQUAL, TK_SLASHEQUAL, TK_PERCENTEQUAL,
    TK_AMPEREQUAL, TK_VBAREQUAL, TK_CIRCUMFLEXEQUAL, TK_LEFTSHIFTEQUAL,
    TK_RIGHTSHIFTEQUAL, TK_DOUBLESTAREQUAL, TK_DOUBLESLASHEQUAL, TK_ATEQUAL,
    // keywords
    TK_FALSE, TK_NONE, TK_TRUE, TK_AND, TK_AS, TK_ASSERT, TK_ASYNC, TK_AWAIT,
    TK_BREAK, TK_CLASS, TK_CONTINUE, TK_DEF, TK_DEL, TK_ELIF, TK_ELSE, TK_EXCEPT,
    TK_FINALLY, TK_FOR, TK_FROM, TK_GLOBAL, TK_IF, TK_IMPORT, TK_IN, TK_IS,
    TK_LAMBDA, TK_NONLOCAL, TK_NOT, TK_OR, TK_PASS, TK_RAISE, TK_RETURN, TK_TRY,
    TK_WHILE, TK_WITH, TK_YIELD,
    TK_COUNT
} TokenKind;

#define TK_FIRST_KEYWORD TK_FALSE

typedef struct Token {
    TokenKind kind;
    size_t start, end;    // byte offsets into the source
    int line, col;        // 1-based line, 0-based byte column
    int end_line, end_col;
    int level;            // bracket nesting after this token
} Token;

typedef struct Lexer {
    const char *src;
    size_t len;           // lexing stops here
    size_t pos;
    int line;
    size_t line_start;    // offset of the first byte of the current line
    bool at_bol;          // next token starts a logical line (indentation)
    bool line_has_tokens; // a token was produced on the current logical line
    bool eof_done;        // NEWLINE/DEDENTs at EOF were produced
    bool expr_mode;       // f-string expression: no NEWLINE/INDENT, ENDMARKER at len
    int indent;           // top of the indentation stacks
    int indstack[LEX_MAX_INDENT + 1];
    int altindstack[LEX_MAX_INDENT + 1];  // tabs counted as 1 column (TabError)
    int pending;          // >0: INDENTs to emit, <0: DEDENTs to emit
    int level;            // bracket nesting
    // Open brackets; [pos]/[line_start] are byte offsets (the column in
    // characters is computed only for an error message).
    struct { char ch; int line; size_t pos, line_start; } parens[LEX_MAX_LEVEL];
    bool cont_line;       // the current line is a backslash continuation
    // Error state: once set, lex_next() keeps failing.
    bool failed;
    bool eof_error;       // the error was detected at end of input (REPL)
    bool soft_error;      // CPython reports it via tok->done, not an exception: a
                          // parser error found earlier wins over it
    ParseError err;
} Lexer;

// Tokenize [len] bytes at [src]. The source must stay alive while tokens are
// used. UTF-8 and NUL-byte checks are done by the parser before lexing.
void lex_init(Lexer *lx, const char *src, size_t len);
// Tokenize only src[start..end), an f-string replacement field, whose first
// byte is at [line]/[col]. Newlines are ignored, brackets must balance.
void lex_init_expr(Lexer *lx, const char *src, size_t start, size_t end, int line,
                   size_t line_start);
// Next token into [tok]. false on error (lx->err filled).
bool lex_next(Lexer *lx, Token *tok);

// "if", "(", "NAME" ... for messages and tests.
const char *lex_token_name(TokenKind kind);
// Column (1-based, in characters) of byte [col] of the line starting at
// [line_start], as CPython reports SyntaxError.offset.
int lex_char_offset(const char *src, size_t len, size_t line_start, int col);
// Offset of the first byte of line [line] (1-based); len if past the end.
size_t lex_line_start(const char *src, size_t len, int line);

#endif
