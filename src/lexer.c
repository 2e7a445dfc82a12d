// lexer.c -- on-demand Python 3.11 tokenizer (see lexer.h).
//
// Modelled on CPython's Parser/tokenizer.c so that error wording and error
// offsets match: indentation uses two stacks (tabs to multiples of 8, and tabs
// as 1 column) to detect TabError; brackets keep a stack for "unmatched ')'"
// and "'(' was never closed"; numbers are checked as CPython's tok_get()
// checks them (underscores, leading zeros, "invalid decimal literal").
#include "lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TABSIZE 8

static const char *const TOKEN_NAMES[TK_COUNT] = {
    [TK_ENDMARKER] = "ENDMARKER", [TK_NAME] = "NAME", [TK_NUMBER] = "NUMBER",
    [TK_STRING] = "STRING", [TK_NEWLINE] = "NEWLINE", [TK_INDENT] = "INDENT",
    [TK_DEDENT] = "DEDENT", [TK_ERRORTOKEN] = "ERRORTOKEN",
    [TK_LPAR] = "(", [TK_RPAR] = ")", [TK_LSQB] = "[", [TK_RSQB] = "]",
    [TK_LBRACE] = "{", [TK_RBRACE] = "}", [TK_COLON] = ":", [TK_COMMA] = ",",
    [TK_SEMI] = ";", [TK_DOT] = ".", [TK_ELLIPSIS] = "...", [TK_RARROW] = "->",
    [TK_COLONEQUAL] = ":=", [TK_PLUS] = "+", [TK_MINUS] = "-", [TK_STAR] = "*",
    [TK_SLASH] = "/", [TK_VBAR] = "|", [TK_AMPER] = "&", [TK_LESS] = "<",
    [TK_GREATER] = ">", [TK_EQUAL] = "=", [TK_PERCENT] = "%", [TK_TILDE] = "~",
    [TK_CIRCUMFLEX] = "^", [TK_AT] = "@", [TK_EQEQUAL] = "==", [TK_NOTEQUAL] = "!=",
    [TK_LESSEQUAL] = "<=", [TK_GREATEREQUAL] = ">=", [TK_LEFTSHIFT] = "<<",
    [TK_RIGHTSHIFT] = ">>", [TK_DOUBLESTAR] = "**", [TK_DOUBLESLASH] = "//",
    [TK_PLUSEQUAL] = "+=", [TK_MINEQUAL] = "-=", [TK_STAREQUAL] = "*=",
    [TK_SLASHEQUAL] = "/=", [TK_PERCENTEQUAL] = "%=", [TK_AMPEREQUAL] = "&=",
    [TK_VBAREQUAL] = "|=", [TK_CIRCUMFLEXEQUAL] = "^=", [TK_LEFTSHIFTEQUAL] = "<<=",
    [TK_RIGHTSHIFTEQUAL] = ">>=", [TK_DOUBLESTAREQUAL] = "**=",
    [TK_DOUBLESLASHEQUAL] = "//=", [TK_ATEQUAL] = "@=",
    [TK_FALSE] = "False", [TK_NONE] = "None", [TK_TRUE] = "True", [TK_AND] = "and",
    [TK_AS] = "as", [TK_ASSERT] = "assert", [TK_ASYNC] = "async", [TK_AWAIT] = "await",
    [TK_BREAK] = "break", [TK_CLASS] = "class", [TK_CONTINUE] = "continue",
    [TK_DEF] = "def", [TK_DEL] = "del", [TK_ELIF] = "elif", [TK_ELSE] = "else",
    [TK_EXCEPT] = "except", [TK_FINALLY] = "finally", [TK_FOR] = "for",
    [TK_FROM] = "from", [TK_GLOBAL] = "global", [TK_IF] = "if", [TK_IMPORT] = "import",
    [TK_IN] = "in", [TK_IS] = "is", [TK_LAMBDA] = "lambda", [TK_NONLOCAL] = "nonlocal",
    [TK_NOT] = "not", [TK_OR] = "or", [TK_PASS] = "pass", [TK_RAISE] = "raise",
    [TK_RETURN] = "return", [TK_TRY] = "try", [TK_WHILE] = "while", [TK_WITH] = "with",
    [TK_YIELD] = "yield",
};

const char *lex_token_name(TokenKind kind) {
    if ((int)kind < 0 || kind >= TK_COUNT || !TOKEN_NAMES[kind]) return "?";
    return TOKEN_NAMES[kind];
}

int lex_char_offset(const char *src, size_t len, size_t line_start, int col) {
    int n = 0;
    for (size_t i = line_start; i < line_start + (size_t)col && i < len; i++)
        if (((unsigned char)src[i] & 0xC0) != 0x80) n++;
    if (line_start + (size_t)col > len) n += (int)(line_start + (size_t)col - len);
    return n + 1;
}

size_t lex_line_start(const char *src, size_t len, int line) {
    size_t p = 0;
    for (int l = 1; l < line && p < len; p++) {
        if (src[p] == '\n' || (src[p] == '\r' && (p + 1 >= len || src[p + 1] != '\n'))) l++;
        if (l == line) return p + 1;
    }
    return line <= 1 ? 0 : p;
}

void lex_init(Lexer *lx, const char *src, size_t len) {
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->at_bol = true;
    // A UTF-8 byte order mark is allowed at the very start.
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) lx->pos = lx->line_start = 3;
}

void lex_init_expr(Lexer *lx, const char *src, size_t start, size_t end, int line,
                   size_t line_start) {
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = end;
    lx->pos = start;
    lx->line = line;
    lx->line_start = line_start;
    lx->expr_mode = true;
}

// -- errors

// [col1]/[end_col1] are CPython offsets (1-based characters).
static bool fail(Lexer *lx, const char *kind, int line, int col1, int end_line, int end_col1,
                 const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->err.msg, sizeof lx->err.msg, fmt, ap);
    va_end(ap);
    lx->err.kind = kind;
    lx->err.line = line;
    lx->err.col = col1;
    lx->err.end_line = end_line;
    lx->err.end_col = end_col1;
    lx->failed = true;
    return false;
}

// Offset CPython reports for an error found with its cursor at [pos] on the
// current line: the number of characters before [pos].
static int chars_before(Lexer *lx, size_t pos) {
    return lex_char_offset(lx->src, lx->len, lx->line_start, (int)(pos - lx->line_start)) - 1;
}

static bool fail_cur(Lexer *lx, size_t pos, const char *msg) {
    int off = chars_before(lx, pos);
    return fail(lx, "SyntaxError", lx->line, off, lx->line, off, "%s", msg);
}

// -- character classes

static bool is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static bool is_xdigit(int c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int peekc(Lexer *lx, size_t p) {
    return p < lx->len ? (unsigned char)lx->src[p] : -1;
}

// Decode the UTF-8 sequence at [p] (validated by the parser beforehand).
static unsigned decode_utf8(const char *s, size_t len, size_t p, int *nbytes) {
    unsigned char c = (unsigned char)s[p];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (p + (size_t)n > len) n = (int)(len - p);
    unsigned cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (int i = 1; i < n; i++) cp = (cp << 6) | ((unsigned char)s[p + (size_t)i] & 0x3Fu);
    *nbytes = n;
    return cp;
}

// Non-ASCII code points that cannot appear in an identifier. An approximation
// of Unicode XID_Continue: punctuation, symbols, spaces, arrows, emoji.
static bool is_bad_ident_cp(unsigned cp) {
    if (cp < 0xC0) return !(cp == 0xAA || cp == 0xB5 || cp == 0xBA || cp == 0xB7);
    if (cp == 0xD7 || cp == 0xF7) return true;
    if (cp >= 0x2000 && cp <= 0x206F) return true;  // general punctuation
    if (cp >= 0x20A0 && cp <= 0x20CF) return true;  // currency
    if (cp >= 0x2190 && cp <= 0x2BFF) return true;  // arrows, math, shapes
    if (cp >= 0x3000 && cp <= 0x3004) return true;
    if (cp >= 0x3008 && cp <= 0x3020) return true;
    if (cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF)) return true;
    if (cp >= 0xFF01 && cp <= 0xFF0F) return true;
    if (cp >= 0xFF1A && cp <= 0xFF20) return true;
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;  // emoji
    return false;
}

static bool is_nonprintable_cp(unsigned cp) {
    return cp < 0xA1 || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
           cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF);
}

// -- keywords

static TokenKind keyword_kind(const char *s, size_t n) {
    for (int k = TK_FIRST_KEYWORD; k < TK_COUNT; k++) {
        const char *kw = TOKEN_NAMES[k];
        if (strlen(kw) == n && memcmp(kw, s, n) == 0) return (TokenKind)k;
    }
    return TK_NAME;
}

static bool is_string_prefix(const char *s, size_t n) {
    if (n == 0 || n > 2) return false;
    char a = (char)(s[0] | 0x20), b = n == 2 ? (char)(s[1] | 0x20) : 0;
    if (n == 1) return a == 'r' || a == 'u' || a == 'b' || a == 'f';
    return (a == 'b' && b == 'r') || (a == 'r' && b == 'b') || (a == 'f' && b == 'r') ||
           (a == 'r' && b == 'f');
}

// -- tokens

static void newline_at(Lexer *lx, size_t p) {
    lx->line++;
    lx->line_start = p;
}

// Length of the line break at [p] (0 if none): \n, \r\n or \r.
static size_t eol_len(Lexer *lx, size_t p) {
    int c = peekc(lx, p);
    if (c == '\n') return 1;
    if (c == '\r') return peekc(lx, p + 1) == '\n' ? 2 : 1;
    return 0;
}

static void set_token(Lexer *lx, Token *t, TokenKind kind, size_t start, int line, int col) {
    t->kind = kind;
    t->start = start;
    t->end = lx->pos;
    t->line = line;
    t->col = col;
    t->end_line = lx->line;
    t->end_col = (int)(lx->pos - lx->line_start);
    t->level = lx->level + (lx->expr_mode ? 1 : 0);  // f-string fields sit in braces
}

// CPython's verify_end_of_number(): a number directly followed by a letter is
// an error, except before the keywords that may legally follow a number.
static bool verify_end_of_number(Lexer *lx, size_t p, const char *kind) {
    int c = peekc(lx, p);
    const char *s = lx->src + p;
    size_t rest = lx->len - p;
#define STARTS(w) (rest >= sizeof(w) - 1 && memcmp(s, w, sizeof(w) - 1) == 0)
    if (STARTS("and") || STARTS("else") || STARTS("for") || STARTS("if") || STARTS("in") ||
        STARTS("is") || STARTS("or") || STARTS("not"))
        return true;
#undef STARTS
    if (c >= 0 && is_ident_char((unsigned char)c)) {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid %s literal", kind);
        return fail_cur(lx, p, msg);
    }
    return true;
}

// Digits with single underscores between them; p at the first digit.
static bool decimal_tail(Lexer *lx, size_t *pp) {
    size_t p = *pp;
    for (;;) {
        while (is_digit(peekc(lx, p))) p++;
        if (peekc(lx, p) != '_') break;
        p++;
        if (!is_digit(peekc(lx, p))) return fail_cur(lx, p, "invalid decimal literal");
    }
    *pp = p;
    return true;
}

// Digits of a 0x / 0o / 0b literal; p just after the prefix letter.
static bool radix_digits(Lexer *lx, size_t *pp, int radix, const char *kind) {
    size_t p = *pp;
    do {
        if (peekc(lx, p) == '_') p++;
        int c = peekc(lx, p);
        bool ok = radix == 16 ? is_xdigit(c) : radix == 8 ? (c >= '0' && c <= '7')
                                                          : (c == '0' || c == '1');
        if (!ok) {
            if (radix != 16 && is_digit(c)) {
                char msg[64];
                snprintf(msg, sizeof msg, "invalid digit '%c' in %s literal", c, kind);
                return fail_cur(lx, p + 1, msg);
            }
            char msg[64];
            snprintf(msg, sizeof msg, "invalid %s literal", kind);
            return fail_cur(lx, p, msg);
        }
        for (;;) {
            c = peekc(lx, p);
            ok = radix == 16 ? is_xdigit(c) : radix == 8 ? (c >= '0' && c <= '7')
                                                         : (c == '0' || c == '1');
            if (!ok) break;
            p++;
        }
    } while (peekc(lx, p) == '_');
    int c = peekc(lx, p);
    if (radix != 16 && is_digit(c)) {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid digit '%c' in %s literal", c, kind);
        return fail_cur(lx, p + 1, msg);
    }
    *pp = p;
    return verify_end_of_number(lx, p, kind);
}

static bool lex_number(Lexer *lx, Token *t) {
    size_t start = lx->pos, p = start;
    int col = (int)(start - lx->line_start);
    int c = peekc(lx, p);
    if (c == '0' && (peekc(lx, p + 1) | 0x20) == 'x') {
        p += 2;
        if (!radix_digits(lx, &p, 16, "hexadecimal")) return false;
        goto done;
    }
    if (c == '0' && (peekc(lx, p + 1) | 0x20) == 'o') {
        p += 2;
        if (!radix_digits(lx, &p, 8, "octal")) return false;
        goto done;
    }
    if (c == '0' && (peekc(lx, p + 1) | 0x20) == 'b') {
        p += 2;
        if (!radix_digits(lx, &p, 2, "binary")) return false;
        goto done;
    }
    bool is_float = false;
    if (c == '0') {
        // Zeros (maybe with underscores); other digits after them are only
        // allowed in a float or imaginary literal.
        for (;;) {
            while (peekc(lx, p) == '0') p++;
            if (peekc(lx, p) != '_') break;
            p++;
            if (!is_digit(peekc(lx, p))) return fail_cur(lx, p, "invalid decimal literal");
        }
        size_t zeros_end = p;
        bool nonzero = false;
        if (is_digit(peekc(lx, p))) {
            nonzero = true;
            if (!decimal_tail(lx, &p)) return false;
        }
        c = peekc(lx, p);
        if (c == '.' || (c | 0x20) == 'e' || (c | 0x20) == 'j') {
            // fall into the float handling below
        } else if (nonzero) {
            int s1 = chars_before(lx, start) + 1, e1 = chars_before(lx, zeros_end) + 1;
            return fail(lx, "SyntaxError", lx->line, s1, lx->line, e1,
                        "leading zeros in decimal integer literals are not permitted; "
                        "use an 0o prefix for octal integers");
        }
    } else if (c != '.') {
        if (!decimal_tail(lx, &p)) return false;
    }
    c = peekc(lx, p);
    if (c == '.') {
        is_float = true;
        p++;
        if (is_digit(peekc(lx, p)) && !decimal_tail(lx, &p)) return false;
        c = peekc(lx, p);
    }
    if ((c | 0x20) == 'e') {
        size_t e = p;
        p++;
        c = peekc(lx, p);
        if (c == '+' || c == '-') {
            p++;
            if (!is_digit(peekc(lx, p))) return fail_cur(lx, p, "invalid decimal literal");
        } else if (!is_digit(c)) {
            // "1else": the number ends before the 'e'.
            if (!verify_end_of_number(lx, e, "decimal")) return false;
            p = e;
            goto done;
        }
        if (!decimal_tail(lx, &p)) return false;
        is_float = true;
        c = peekc(lx, p);
    }
    (void)is_float;
    if ((c | 0x20) == 'j') {
        p++;
        if (!verify_end_of_number(lx, p, "imaginary")) return false;
        goto done;
    }
    if (!verify_end_of_number(lx, p, "decimal")) return false;
done:
    lx->pos = p;
    set_token(lx, t, TK_NUMBER, start, lx->line, col);
    return true;
}

// [start] = first prefix char, [q] = the opening quote.
static bool lex_string(Lexer *lx, Token *t, size_t start, size_t q) {
    int line = lx->line, col = (int)(start - lx->line_start);
    char quote = lx->src[q];
    bool triple = peekc(lx, q + 1) == quote && peekc(lx, q + 2) == quote;
    size_t p = q + (triple ? 3 : 1);
    int start_off = chars_before(lx, start) + 1;
    for (;;) {
        if (p >= lx->len) {
            lx->eof_error = triple;
            if (triple) {
                int detected = lx->line;
                // A final newline moved the counter past the last line.
                if (lx->len > 0 && lx->line_start == lx->len && detected > line) detected--;
                return fail(lx, "SyntaxError", line, start_off, line, start_off,
                            "unterminated triple-quoted string literal (detected at line %d)",
                            detected);
            }
            return fail(lx, "SyntaxError", line, start_off, line, start_off,
                        "unterminated string literal (detected at line %d)", lx->line);
        }
        char c = lx->src[p];
        if (c == quote) {
            if (!triple) {
                p++;
                break;
            }
            if (peekc(lx, p + 1) == quote && peekc(lx, p + 2) == quote) {
                p += 3;
                break;
            }
            p++;
            continue;
        }
        if (c == '\\') {
            p++;
            size_t n = eol_len(lx, p);
            if (n) {
                p += n;
                newline_at(lx, p);
            } else if (p < lx->len) {
                p++;
            }
            continue;
        }
        size_t n = eol_len(lx, p);
        if (n) {
            if (!triple)
                return fail(lx, "SyntaxError", line, start_off, line, start_off,
                            "unterminated string literal (detected at line %d)", lx->line);
            p += n;
            newline_at(lx, p);
            continue;
        }
        p++;
    }
    lx->pos = p;
    set_token(lx, t, TK_STRING, start, line, col);
    return true;
}

static bool lex_name(Lexer *lx, Token *t) {
    size_t start = lx->pos, p = start;
    int col = (int)(start - lx->line_start);
    while (p < lx->len && is_ident_char((unsigned char)lx->src[p])) {
        unsigned char c = (unsigned char)lx->src[p];
        if (c >= 0x80) {
            int n;
            unsigned cp = decode_utf8(lx->src, lx->len, p, &n);
            if (is_bad_ident_cp(cp)) {
                if (p > start) break;  // an identifier followed by a bad char
                int off = chars_before(lx, p) + 1;
                if (is_nonprintable_cp(cp))
                    return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                                "invalid non-printable character U+%04X", cp);
                return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                            "invalid character '%.*s' (U+%04X)", n, lx->src + p, cp);
            }
            p += (size_t)n;
        } else {
            p++;
        }
    }
    int q = peekc(lx, p);
    if ((q == '"' || q == '\'') && is_string_prefix(lx->src + start, p - start))
        return lex_string(lx, t, start, p);
    lx->pos = p;
    set_token(lx, t, keyword_kind(lx->src + start, p - start), start, lx->line, col);
    return true;
}

typedef struct OpDef {
    const char *text;
    TokenKind kind;
} OpDef;

// Longest first.
static const OpDef OPS[] = {
    {"**=", TK_DOUBLESTAREQUAL}, {"//=", TK_DOUBLESLASHEQUAL}, {">>=", TK_RIGHTSHIFTEQUAL},
    {"<<=", TK_LEFTSHIFTEQUAL}, {"...", TK_ELLIPSIS},
    {"->", TK_RARROW}, {":=", TK_COLONEQUAL}, {"==", TK_EQEQUAL}, {"!=", TK_NOTEQUAL},
    {"<=", TK_LESSEQUAL}, {">=", TK_GREATEREQUAL}, {"<<", TK_LEFTSHIFT}, {">>", TK_RIGHTSHIFT},
    {"**", TK_DOUBLESTAR}, {"//", TK_DOUBLESLASH}, {"+=", TK_PLUSEQUAL}, {"-=", TK_MINEQUAL},
    {"*=", TK_STAREQUAL}, {"/=", TK_SLASHEQUAL}, {"%=", TK_PERCENTEQUAL}, {"&=", TK_AMPEREQUAL},
    {"|=", TK_VBAREQUAL}, {"^=", TK_CIRCUMFLEXEQUAL}, {"@=", TK_ATEQUAL},
    {"(", TK_LPAR}, {")", TK_RPAR}, {"[", TK_LSQB}, {"]", TK_RSQB}, {"{", TK_LBRACE},
    {"}", TK_RBRACE}, {":", TK_COLON}, {",", TK_COMMA}, {";", TK_SEMI}, {".", TK_DOT},
    {"+", TK_PLUS}, {"-", TK_MINUS}, {"*", TK_STAR}, {"/", TK_SLASH}, {"|", TK_VBAR},
    {"&", TK_AMPER}, {"<", TK_LESS}, {">", TK_GREATER}, {"=", TK_EQUAL}, {"%", TK_PERCENT},
    {"~", TK_TILDE}, {"^", TK_CIRCUMFLEX}, {"@", TK_AT},
};

static bool lex_op(Lexer *lx, Token *t) {
    size_t start = lx->pos;
    int col = (int)(start - lx->line_start);
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        size_t n = strlen(OPS[i].text);
        if (lx->len - start < n || memcmp(lx->src + start, OPS[i].text, n) != 0) continue;
        TokenKind k = OPS[i].kind;
        char ch = OPS[i].text[0];
        if (k == TK_LPAR || k == TK_LSQB || k == TK_LBRACE) {
            if (lx->level >= LEX_MAX_LEVEL) {
                int off = chars_before(lx, start + 1);
                return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                            "too many nested parentheses");
            }
            lx->parens[lx->level].ch = ch;
            lx->parens[lx->level].line = lx->line;
            lx->parens[lx->level].pos = start;
            lx->parens[lx->level].line_start = lx->line_start;
            lx->level++;
        } else if (k == TK_RPAR || k == TK_RSQB || k == TK_RBRACE) {
            if (lx->level == 0) {
                int off = chars_before(lx, start) + 1;
                return fail(lx, "SyntaxError", lx->line, off, lx->line, off, "unmatched '%c'", ch);
            }
            char open = lx->parens[lx->level - 1].ch;
            int oline = lx->parens[lx->level - 1].line;
            if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') ||
                  (open == '{' && ch == '}'))) {
                int off = chars_before(lx, start) + 1;
                if (oline != lx->line)
                    return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                                "closing parenthesis '%c' does not match opening "
                                "parenthesis '%c' on line %d",
                                ch, open, oline);
                return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                            "closing parenthesis '%c' does not match opening parenthesis '%c'",
                            ch, open);
            }
            lx->level--;
        }
        lx->pos = start + n;
        set_token(lx, t, k, start, lx->line, col);
        return true;
    }
    // Not an operator: one (UTF-8) character as an ERRORTOKEN, or an
    // invalid-character error for non-ASCII.
    unsigned char c = (unsigned char)lx->src[start];
    if (c >= 0x80) {
        int n;
        unsigned cp = decode_utf8(lx->src, lx->len, start, &n);
        int off = col + 1;
        off = chars_before(lx, start) + 1;
        if (is_nonprintable_cp(cp))
            return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                        "invalid non-printable character U+%04X", cp);
        return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                    "invalid character '%.*s' (U+%04X)", n, lx->src + start, cp);
    }
    if (c < 0x20 && c != '\t' && c != '\f') {
        int off = chars_before(lx, start) + 1;
        return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                    "invalid non-printable character U+%04X", c);
    }
    lx->pos = start + 1;
    set_token(lx, t, TK_ERRORTOKEN, start, lx->line, col);
    return true;
}

// Indentation of a new logical line; sets lx->pending. Returns false on error.
// *blank is set for lines holding only whitespace/comments.
static bool lex_indentation(Lexer *lx, bool *blank) {
    int col = 0, altcol = 0;
    size_t p = lx->pos;
    for (;; p++) {
        int c = peekc(lx, p);
        if (c == ' ') {
            col++;
            altcol++;
        } else if (c == '\t') {
            col = (col / TABSIZE + 1) * TABSIZE;
            altcol++;
        } else if (c == '\f') {
            col = altcol = 0;
        } else {
            break;
        }
    }
    int c = peekc(lx, p);
    if (c == '#' || c == '\n' || c == '\r' || c < 0 ||
        (c == '\\' && eol_len(lx, p + 1))) {
        *blank = true;
        lx->pos = p;
        return true;
    }
    *blank = false;
    lx->pos = p;
    int *ind = lx->indstack, *alt = lx->altindstack;
    if (col == ind[lx->indent]) {
        if (altcol != alt[lx->indent])
            return lx->soft_error = true, fail(lx, "TabError", lx->line, 1, lx->line, 1,
                        "inconsistent use of tabs and spaces in indentation");
    } else if (col > ind[lx->indent]) {
        if (lx->indent + 1 >= LEX_MAX_INDENT) {
            int off = chars_before(lx, p);
            return lx->soft_error = true, fail(lx, "IndentationError", lx->line, off, lx->line, off,
                        "too many levels of indentation");
        }
        if (altcol <= alt[lx->indent])
            return lx->soft_error = true, fail(lx, "TabError", lx->line, 1, lx->line, 1,
                        "inconsistent use of tabs and spaces in indentation");
        lx->pending++;
        lx->indent++;
        ind[lx->indent] = col;
        alt[lx->indent] = altcol;
    } else {
        while (lx->indent > 0 && col < ind[lx->indent]) {
            lx->pending--;
            lx->indent--;
        }
        if (col != ind[lx->indent]) {
            size_t e = p;
            while (e < lx->len && !eol_len(lx, e)) e++;
            int off = chars_before(lx, e) + 1;
            return lx->soft_error = true, fail(lx, "IndentationError", lx->line, off, lx->line, off,
                        "unindent does not match any outer indentation level");
        }
        if (altcol != alt[lx->indent])
            return lx->soft_error = true, fail(lx, "TabError", lx->line, 1, lx->line, 1,
                        "inconsistent use of tabs and spaces in indentation");
    }
    return true;
}

bool lex_next(Lexer *lx, Token *t) {
    if (lx->failed) return false;
    for (;;) {
        if (lx->pending > 0) {
            lx->pending--;
            set_token(lx, t, TK_INDENT, lx->line_start, lx->line, 0);
            return true;
        }
        if (lx->pending < 0) {
            lx->pending++;
            size_t p = lx->pos;
            int col = (int)(p - lx->line_start);
            t->kind = TK_DEDENT;
            t->start = t->end = p;
            t->line = t->end_line = lx->line;
            t->col = t->end_col = col;
            t->level = lx->level;
            return true;
        }
        if (lx->at_bol && !lx->expr_mode && lx->level == 0) {
            bool blank;
            if (!lex_indentation(lx, &blank)) return false;
            if (!blank) {
                lx->at_bol = false;
                continue;  // emit pending INDENT/DEDENTs first
            }
        }
        // Skip whitespace and comments.
        for (;;) {
            int c = peekc(lx, lx->pos);
            if (c == ' ' || c == '\t' || c == '\f') {
                lx->pos++;
            } else if (c == '#') {
                if (lx->expr_mode) break;
                while (lx->pos < lx->len && !eol_len(lx, lx->pos)) lx->pos++;
            } else {
                break;
            }
        }
        size_t p = lx->pos;
        if (p >= lx->len) {
            int col = (int)(p - lx->line_start);
            if (!lx->expr_mode && lx->level > 0) {
                lx->eof_error = lx->soft_error = true;
                int i = lx->level - 1;
                int pcol = lex_char_offset(lx->src, lx->len, lx->parens[i].line_start,
                                           (int)(lx->parens[i].pos - lx->parens[i].line_start));
                return fail(lx, "SyntaxError", lx->parens[i].line, pcol, lx->parens[i].line,
                            pcol, "'%c' was never closed", lx->parens[i].ch);
            }
            if (!lx->expr_mode && lx->line_has_tokens) {
                lx->line_has_tokens = false;
                lx->at_bol = true;
                t->kind = TK_NEWLINE;
                t->start = t->end = p;
                t->line = t->end_line = lx->line;
                t->col = t->end_col = col;
                t->level = 0;
                return true;
            }
            if (!lx->eof_done) {
                lx->eof_done = true;
                lx->pending = -lx->indent;
                lx->indent = 0;
                if (lx->pending) continue;
            }
            t->kind = TK_ENDMARKER;
            t->start = t->end = p;
            t->line = t->end_line = lx->line;
            t->col = t->end_col = col;
            t->level = lx->level;
            return true;
        }
        int c = (unsigned char)lx->src[p];
        size_t nl = eol_len(lx, p);
        if (nl) {
            int col = (int)(p - lx->line_start);
            int line = lx->line;
            lx->pos = p + nl;
            newline_at(lx, lx->pos);
            if (lx->expr_mode || lx->level > 0) continue;
            if (!lx->line_has_tokens) {  // blank line after a continuation
                lx->at_bol = true;
                continue;
            }
            lx->at_bol = true;
            lx->line_has_tokens = false;
            t->kind = TK_NEWLINE;
            t->start = p;
            t->end = p + nl;
            t->line = t->end_line = line;
            t->col = t->end_col = col;  // zero width, as in CPython
            t->level = 0;
            return true;
        }
        if (c == '\\') {
            size_t n = eol_len(lx, p + 1);
            if (n) {
                if (p + 1 + n >= lx->len && !lx->expr_mode) {
                    lx->eof_error = lx->soft_error = true;
                    int off = chars_before(lx, p + 1) + 1;
                    return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                                "unexpected EOF while parsing");
                }
                lx->pos = p + 1 + n;
                newline_at(lx, lx->pos);
                continue;
            }
            if (lx->expr_mode)
                return fail_cur(lx, p + 1, "f-string expression part cannot include a backslash");
            if (p + 1 >= lx->len) {
                lx->eof_error = lx->soft_error = true;
                int off = chars_before(lx, p + 1) + 1;
                return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                            "unexpected EOF while parsing");
            }
            int off = chars_before(lx, p + 2);
            lx->soft_error = true;
            return fail(lx, "SyntaxError", lx->line, off, lx->line, off,
                        "unexpected character after line continuation character");
        }
        lx->line_has_tokens = true;
        bool ok;
        if (is_ident_start((unsigned char)c))
            ok = lex_name(lx, t);
        else if (is_digit(c) || (c == '.' && is_digit(peekc(lx, p + 1))))
            ok = lex_number(lx, t);
        else if (c == '"' || c == '\'')
            ok = lex_string(lx, t, p, p);
        else
            ok = lex_op(lx, t);
        return ok;
    }
}
