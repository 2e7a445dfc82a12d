// test_lexer.c -- cmocka suite for lexer.c: tokens, indentation, literals,
// and the tokenizer's CPython-worded errors with their offsets.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lexer.h"

// Tokens of [src] as "NAME(text) OP ..." into [out]; on error the message.
static void lex_all(const char *src, char *out, size_t cap) {
    Lexer lx;
    lex_init(&lx, src, strlen(src));
    Token t;
    size_t n = 0;
    out[0] = '\0';
    for (;;) {
        if (!lex_next(&lx, &t)) {
            snprintf(out + n, cap - n, "ERR(%s: %s @%d:%d)", lx.err.kind, lx.err.msg, lx.err.line,
                     lx.err.col);
            return;
        }
        const char *name = lex_token_name(t.kind);
        if (t.kind == TK_NAME || t.kind == TK_NUMBER || t.kind == TK_STRING || t.kind == TK_ERRORTOKEN)
            n += (size_t)snprintf(out + n, cap - n, "%s(%.*s) ", name, (int)(t.end - t.start), src + t.start);
        else
            n += (size_t)snprintf(out + n, cap - n, "%s ", name);
        if (t.kind == TK_ENDMARKER || n >= cap - 1) return;
    }
}

#define ASSERT_TOKENS(src, expected)               \
    do {                                           \
        char buf_[2048];                           \
        lex_all(src, buf_, sizeof buf_);           \
        assert_string_equal(buf_, expected);       \
    } while (0)

static void test_simple_tokens(void **state) {
    (void)state;
    ASSERT_TOKENS("x = 1\n", "NAME(x) = NUMBER(1) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("x", "NAME(x) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("", "ENDMARKER ");
    ASSERT_TOKENS("if not a is None: pass\n", "if not NAME(a) is None : pass NEWLINE ENDMARKER ");
    ASSERT_TOKENS("async def f(): await x\n", "async def NAME(f) ( ) : await NAME(x) NEWLINE ENDMARKER ");
}

static void test_operators(void **state) {
    (void)state;
    ASSERT_TOKENS("a:=b->c**=d//=e@f@=g...h!=i<<=j>>=k\n",
                  "NAME(a) := NAME(b) -> NAME(c) **= NAME(d) //= NAME(e) @ NAME(f) @= NAME(g) ... NAME(h) "
                  "!= NAME(i) <<= NAME(j) >>= NAME(k) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("a|b&c^d~e%f<=g>=h==i+=j-=k*=l/=m%=n&=o|=p^=q\n",
                  "NAME(a) | NAME(b) & NAME(c) ^ NAME(d) ~ NAME(e) % NAME(f) <= NAME(g) >= NAME(h) == NAME(i) "
                  "+= NAME(j) -= NAME(k) *= NAME(l) /= NAME(m) %= NAME(n) &= NAME(o) |= NAME(p) ^= NAME(q) "
                  "NEWLINE ENDMARKER ");
    ASSERT_TOKENS("a $ b\n", "NAME(a) ERRORTOKEN($) NAME(b) NEWLINE ENDMARKER ");
}

static void test_indentation(void **state) {
    (void)state;
    ASSERT_TOKENS("if x:\n    y\n    # c\n\n        \n    z\nw\n",
                  "if NAME(x) : NEWLINE INDENT NAME(y) NEWLINE NAME(z) NEWLINE DEDENT NAME(w) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("if x:\n  if y:\n    z", "if NAME(x) : NEWLINE INDENT if NAME(y) : NEWLINE INDENT NAME(z) "
                                           "NEWLINE DEDENT DEDENT ENDMARKER ");
    ASSERT_TOKENS("if x:\n\ty\n\tz\n", "if NAME(x) : NEWLINE INDENT NAME(y) NEWLINE NAME(z) NEWLINE DEDENT ENDMARKER ");
    ASSERT_TOKENS("if x:\n\ty\n        z\n",
                  "if NAME(x) : NEWLINE INDENT NAME(y) NEWLINE ERR(TabError: inconsistent use of tabs and spaces in indentation @3:1)");
    ASSERT_TOKENS("if x:\n    y\n  z\n",
                  "if NAME(x) : NEWLINE INDENT NAME(y) NEWLINE ERR(IndentationError: unindent does not match any outer indentation level @3:4)");
}

static void test_line_joining(void **state) {
    (void)state;
    ASSERT_TOKENS("x = (1,\n  2)\n", "NAME(x) = ( NUMBER(1) , NUMBER(2) ) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("x = [\n# c\n]\n", "NAME(x) = [ ] NEWLINE ENDMARKER ");
    ASSERT_TOKENS("x = 1 + \\\n  2\n", "NAME(x) = NUMBER(1) + NUMBER(2) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("x \\y", "NAME(x) ERR(SyntaxError: unexpected character after line continuation character @1:4)");
    ASSERT_TOKENS("x = 1 \\", "NAME(x) = NUMBER(1) ERR(SyntaxError: unexpected EOF while parsing @1:8)");
    ASSERT_TOKENS("x\r\ny\r", "NAME(x) NEWLINE NAME(y) NEWLINE ENDMARKER ");
}

static void test_numbers(void **state) {
    (void)state;
    ASSERT_TOKENS("0 00 0_0 1_000 0x_1f 0O17 0b1_0 1.5 .5 5. 1e10 1E-5 1_0.0_1e+1_0 0.0 007.5 09e1 1j\n",
                  "NUMBER(0) NUMBER(00) NUMBER(0_0) NUMBER(1_000) NUMBER(0x_1f) NUMBER(0O17) NUMBER(0b1_0) "
                  "NUMBER(1.5) NUMBER(.5) NUMBER(5.) NUMBER(1e10) NUMBER(1E-5) NUMBER(1_0.0_1e+1_0) NUMBER(0.0) "
                  "NUMBER(007.5) NUMBER(09e1) NUMBER(1j) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("1if x else 2", "NUMBER(1) if NAME(x) else NUMBER(2) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("012", "ERR(SyntaxError: leading zeros in decimal integer literals are not permitted; "
                         "use an 0o prefix for octal integers @1:1)");
    ASSERT_TOKENS("1__0", "ERR(SyntaxError: invalid decimal literal @1:2)");
    ASSERT_TOKENS("1abc", "ERR(SyntaxError: invalid decimal literal @1:1)");
    ASSERT_TOKENS("0x", "ERR(SyntaxError: invalid hexadecimal literal @1:2)");
    ASSERT_TOKENS("0b102", "ERR(SyntaxError: invalid digit '2' in binary literal @1:5)");
    ASSERT_TOKENS("0o8", "ERR(SyntaxError: invalid digit '8' in octal literal @1:3)");
}

static void test_strings(void **state) {
    (void)state;
    ASSERT_TOKENS("'a' \"b\" '''c\nd''' r'\\'' b'x' Rb'y' bR'z' f'{x}' FR'w' u'v'\n",
                  "STRING('a') STRING(\"b\") STRING('''c\nd''') STRING(r'\\'') STRING(b'x') STRING(Rb'y') "
                  "STRING(bR'z') STRING(f'{x}') STRING(FR'w') STRING(u'v') NEWLINE ENDMARKER ");
    ASSERT_TOKENS("'a\\\nb'", "STRING('a\\\nb') NEWLINE ENDMARKER ");
    ASSERT_TOKENS("ub'x'", "NAME(ub) STRING('x') NEWLINE ENDMARKER ");
    ASSERT_TOKENS("x = 'abc\ny", "NAME(x) = ERR(SyntaxError: unterminated string literal (detected at line 1) @1:5)");
    ASSERT_TOKENS("x = 1\ns = '''ab\n\n", "NAME(x) = NUMBER(1) NEWLINE NAME(s) = "
                                          "ERR(SyntaxError: unterminated triple-quoted string literal (detected at line 3) @2:5)");
}

static void test_brackets(void **state) {
    (void)state;
    ASSERT_TOKENS(")", "ERR(SyntaxError: unmatched ')' @1:1)");
    ASSERT_TOKENS("(]", "( ERR(SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' @1:2)");
    ASSERT_TOKENS("(\n]", "( ERR(SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' on line 1 @2:1)");
    ASSERT_TOKENS("f(a,", "NAME(f) ( NAME(a) , ERR(SyntaxError: '(' was never closed @1:2)");
    char deep[260];
    memset(deep, '(', 201);
    deep[201] = '\0';
    char out[4096];
    lex_all(deep, out, sizeof out);
    assert_non_null(strstr(out, "ERR(SyntaxError: too many nested parentheses @1:201)"));
}

static void test_unicode(void **state) {
    (void)state;
    ASSERT_TOKENS("\xEF\xBB\xBFx", "NAME(x) NEWLINE ENDMARKER ");  // BOM
    ASSERT_TOKENS("caf\xC3\xA9 = 1", "NAME(caf\xC3\xA9) = NUMBER(1) NEWLINE ENDMARKER ");
    ASSERT_TOKENS("x \xE2\x82\xAC", "NAME(x) ERR(SyntaxError: invalid character '\xE2\x82\xAC' (U+20AC) @1:3)");
    ASSERT_TOKENS("\xC3\xA9 \xE2\x82\xAC", "NAME(\xC3\xA9) ERR(SyntaxError: invalid character '\xE2\x82\xAC' (U+20AC) @1:3)");
}

static void test_positions(void **state) {
    (void)state;
    const char *src = "x = '''a\nb''' + y\n";
    Lexer lx;
    lex_init(&lx, src, strlen(src));
    Token t;
    assert_true(lex_next(&lx, &t));  // x
    assert_true(lex_next(&lx, &t));  // =
    assert_int_equal(t.col, 2);
    assert_true(lex_next(&lx, &t));  // string over two lines
    assert_int_equal(t.kind, TK_STRING);
    assert_int_equal(t.line, 1);
    assert_int_equal(t.col, 4);
    assert_int_equal(t.end_line, 2);
    assert_int_equal(t.end_col, 4);
    assert_true(lex_next(&lx, &t));  // +
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 5);
    assert_int_equal(lex_char_offset("\xC3\xA9x", 3, 0, 2), 2);
    assert_int_equal(lex_line_start("a\nbc\nd", 6, 3), 5);
}

static void test_indent_limit(void **state) {
    (void)state;
    static char src[120 * 130];
    size_t n = 0;
    for (int d = 0; d < 110; d++) {
        for (int k = 0; k < d; k++) src[n++] = ' ';
        memcpy(src + n, "if x:\n", 6);
        n += 6;
    }
    src[n] = '\0';
    Lexer lx;
    lex_init(&lx, src, n);
    Token t;
    while (lex_next(&lx, &t) && t.kind != TK_ENDMARKER) {}
    assert_true(lx.failed);
    assert_string_equal(lx.err.kind, "IndentationError");
    assert_string_equal(lx.err.msg, "too many levels of indentation");
    assert_int_equal(lx.err.line, 101);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_tokens), cmocka_unit_test(test_operators),
        cmocka_unit_test(test_indentation),   cmocka_unit_test(test_line_joining),
        cmocka_unit_test(test_numbers),       cmocka_unit_test(test_strings),
        cmocka_unit_test(test_brackets),      cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_positions),     cmocka_unit_test(test_indent_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
