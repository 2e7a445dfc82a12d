// test_repl_complete.c -- cmocka suite for repl_complete.c: what the text
// before the cursor asks to complete, and which candidates qualify.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "repl_complete.h"

// The context at the end of [line] as "KIND prefix" or "ATTR expr prefix".
static void ctx(const char *line, bool primary, char *out, size_t cap) {
    size_t n = strlen(line);
    ReplCompletion c = repl_complete_context(line, n, primary);
    static const char *const kinds[] = {"NOTHING", "INDENT", "NAME", "ATTR", "COMMAND", "ARG"};
    const char *p = line + c.prefix_start;
    switch (c.kind) {
    case RC_NOTHING:
    case RC_INDENT:
        snprintf(out, cap, "%s", kinds[c.kind]);
        break;
    case RC_ATTR:
        snprintf(out, cap, "ATTR %.*s [%.*s]", (int)c.expr_len, line + c.expr_start,
                 (int)c.prefix_len, p);
        break;
    case RC_COMMAND_ARG:
        snprintf(out, cap, "ARG %.*s [%.*s]", (int)c.cmd_len, line + c.cmd_start,
                 (int)c.prefix_len, p);
        break;
    default:
        snprintf(out, cap, "%s [%.*s]", kinds[c.kind], (int)c.prefix_len, p);
        break;
    }
    // The prefix always ends at the cursor.
    if (c.kind != RC_NOTHING)
        assert_int_equal(c.prefix_start + c.prefix_len, n);
}

#define ASSERT_CTX(line, primary, expected)       \
    do {                                          \
        char buf_[256];                           \
        ctx(line, primary, buf_, sizeof buf_);    \
        assert_string_equal(buf_, expected);      \
    } while (0)

static void test_names(void **state) {
    (void)state;
    ASSERT_CTX("pri", true, "NAME [pri]");
    ASSERT_CTX("x = longv", true, "NAME [longv]");
    ASSERT_CTX("f(a, _hid", true, "NAME [_hid]");
    ASSERT_CTX("print(", true, "NAME []");
    ASSERT_CTX("x = 1 + ", true, "NAME []");
    ASSERT_CTX("caf\xc3\xa9", true, "NAME [caf\xc3\xa9]");
}

static void test_attributes(void **state) {
    (void)state;
    ASSERT_CTX("math.sq", true, "ATTR math [sq]");
    ASSERT_CTX("math.", true, "ATTR math []");
    ASSERT_CTX("x = a.b.c.d", true, "ATTR a.b.c [d]");
    ASSERT_CTX("print(obj._x", true, "ATTR obj [_x]");
    ASSERT_CTX("  self.count", true, "ATTR self [count]");
}

static void test_nothing_without_running_code(void **state) {
    (void)state;
    ASSERT_CTX("f().x", true, "NOTHING");
    ASSERT_CTX("d[0].x", true, "NOTHING");
    ASSERT_CTX("'abc'.up", true, "NOTHING");
    ASSERT_CTX("{}.ke", true, "NOTHING");
    ASSERT_CTX("a..b", true, "NOTHING");
    ASSERT_CTX(".b", true, "NOTHING");
    ASSERT_CTX("1.5", true, "NOTHING");
    ASSERT_CTX("x = 12", true, "NOTHING");
    ASSERT_CTX("1.real", true, "NOTHING");
    ASSERT_CTX("f()", true, "NOTHING");
    ASSERT_CTX("x = 'a'", true, "NOTHING");
}

static void test_strings_and_comments(void **state) {
    (void)state;
    ASSERT_CTX("print('hel", true, "NOTHING");
    ASSERT_CTX("print(\"a b\", pri", true, "NAME [pri]");
    ASSERT_CTX("s = 'it\\'s", true, "NOTHING");
    ASSERT_CTX("x = 1  # a comm", true, "NOTHING");
    ASSERT_CTX("'''a ' b", true, "NOTHING");
    ASSERT_CTX("'''a''' + le", true, "NAME [le]");
    ASSERT_CTX("\"#\" + le", true, "NAME [le]");
}

static void test_indent(void **state) {
    (void)state;
    ASSERT_CTX("", true, "INDENT");
    ASSERT_CTX("    ", false, "INDENT");
    ASSERT_CTX("\t", false, "INDENT");
    ASSERT_CTX("    x", false, "NAME [x]");
}

static void test_commands(void **state) {
    (void)state;
    ASSERT_CTX(":", true, "COMMAND []");
    ASSERT_CTX(":th", true, "COMMAND [th]");
    ASSERT_CTX(":mode f", true, "ARG mode [f]");
    ASSERT_CTX(":mode ", true, "ARG mode []");
    ASSERT_CTX(":help d", true, "ARG help [d]");
    ASSERT_CTX(":dis wor", true, "NAME [wor]");
    ASSERT_CTX(":dis ", true, "NAME []");
    ASSERT_CTX(":dis Counter.inc", true, "ATTR Counter [inc]");
    ASSERT_CTX(":dis f()", true, "NOTHING");
    // Only at the >>> prompt; inside a block ':' is Python (a syntax error).
    ASSERT_CTX(":th", false, "NAME [th]");
}

static void test_cursor_inside_line(void **state) {
    (void)state;
    const char *line = "math.sq(2) + 1";
    ReplCompletion c = repl_complete_context(line, 7, true);
    assert_int_equal(c.kind, RC_ATTR);
    assert_int_equal(c.expr_start, 0);
    assert_int_equal(c.expr_len, 4);
    assert_int_equal(c.prefix_start, 5);
    assert_int_equal(c.prefix_len, 2);
}

static size_t sel(const char **names, size_t n, const char *prefix, bool attr, char *out,
                  size_t cap) {
    size_t k = repl_complete_select(names, n, prefix, strlen(prefix), attr);
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < k; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", names[i]);
    return k;
}

static void test_select(void **state) {
    (void)state;
    char buf[256];
    const char *a[] = {"print", "pow", "property", "print", "abs", "_private", "__dunder__"};
    assert_int_equal(sel(a, 7, "pr", false, buf, sizeof buf), 2);
    assert_string_equal(buf, "print property");
    const char *b[] = {"zeta", "alpha", "_priv", "__init__", "beta"};
    assert_int_equal(sel(b, 5, "", true, buf, sizeof buf), 3);
    assert_string_equal(buf, "alpha beta zeta");
    const char *c[] = {"zeta", "alpha", "_priv", "__init__", "beta"};
    assert_int_equal(sel(c, 5, "_", true, buf, sizeof buf), 1);
    assert_string_equal(buf, "_priv");
    const char *d[] = {"zeta", "alpha", "_priv", "__init__", "beta"};
    assert_int_equal(sel(d, 5, "__", true, buf, sizeof buf), 1);
    assert_string_equal(buf, "__init__");
    // Names (not attributes) hide nothing.
    const char *e[] = {"_x", "__name__", "abs"};
    assert_int_equal(sel(e, 3, "", false, buf, sizeof buf), 3);
    assert_string_equal(buf, "__name__ _x abs");
    // Only private names: shown rather than nothing.
    const char *f[] = {"__init__", "__repr__"};
    assert_int_equal(sel(f, 2, "", true, buf, sizeof buf), 2);
    assert_string_equal(buf, "__init__ __repr__");
    const char *g[] = {"x"};
    assert_int_equal(sel(g, 1, "y", false, buf, sizeof buf), 0);
    assert_int_equal(sel(NULL, 0, "", false, buf, sizeof buf), 0);
}

static void test_dotted_name(void **state) {
    (void)state;
    assert_true(repl_complete_is_dotted_name("f", 1));
    assert_true(repl_complete_is_dotted_name("Counter.inc", 11));
    assert_true(repl_complete_is_dotted_name("a.b_2.c", 7));
    assert_false(repl_complete_is_dotted_name("", 0));
    assert_false(repl_complete_is_dotted_name("a.", 2));
    assert_false(repl_complete_is_dotted_name(".a", 2));
    assert_false(repl_complete_is_dotted_name("a..b", 4));
    assert_false(repl_complete_is_dotted_name("2a", 2));
    assert_false(repl_complete_is_dotted_name("f()", 3));
    assert_false(repl_complete_is_dotted_name("a b", 3));
}

static void test_keywords(void **state) {
    (void)state;
    size_t n = 0;
    bool has_while = false;
    for (const char *const *k = repl_complete_keywords; *k; k++, n++)
        has_while |= strcmp(*k, "while") == 0;
    assert_int_equal(n, 35);
    assert_true(has_while);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_nothing_without_running_code),
        cmocka_unit_test(test_strings_and_comments),
        cmocka_unit_test(test_indent),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_cursor_inside_line),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_dotted_name),
        cmocka_unit_test(test_keywords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
