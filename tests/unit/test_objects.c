// Unit tests for the object core: reference counts, immortals, small-int
// tagging, and the compiler's output (opcodes, exception tables).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/compiler.h"
#include "../../vm/abstract.h"
#include "../../vm/dict.h"
#include "../../vm/exc.h"
#include "../../vm/interp.h"
#include "../../vm/list.h"
#include "../../vm/opcodes.h"
#include "../../vm/str.h"
#include "../../vm/tuple.h"

static Interp *interp;

static int setup(void **state) {
    UNUSED(state);
    static char *argv[] = {"test"};
    InterpConfig cfg = {.mode = MODE_GIL, .argc = 1, .argv = argv};
    interp = interp_new(&cfg);
    return interp ? 0 : -1;
}

static int teardown(void **state) {
    UNUSED(state);
    interp_free(interp);
    return 0;
}

static void test_small_ints(void **state) {
    UNUSED(state);
    Value a = small_new(SMALL_MAX);
    Value b = small_new(SMALL_MIN);
    assert_true(val_is_small(a));
    assert_int_equal(small_get(a), SMALL_MAX);
    assert_int_equal(small_get(b), SMALL_MIN);
    assert_int_equal(small_get(small_new(-1)), -1);
    assert_false(val_is_obj(a));
    assert_false(val_is_obj(VAL_NULL));
    // incref/decref of small ints do nothing (and do not crash)
    incref(a);
    decref(a);
}

static void test_refcounts(void **state) {
    UNUSED(state);
    Value l = list_new(0);
    assert_int_equal(obj_refcount(val_obj(l)), 1);
    incref(l);
    assert_int_equal(obj_refcount(val_obj(l)), 2);
    Value outer = list_new(0);
    assert_int_equal(list_append(outer, l), 0);
    assert_int_equal(obj_refcount(val_obj(l)), 3);
    decref(outer);   // frees outer, drops its reference to l
    assert_int_equal(obj_refcount(val_obj(l)), 2);
    decref(l);
    assert_int_equal(obj_refcount(val_obj(l)), 1);
    decref(l);
}

static void test_immortals(void **state) {
    UNUSED(state);
    int64_t before = obj_refcount(&none_obj);
    for (int i = 0; i < 1000; i++)
        incref(VAL_NONE);
    assert_true(obj_is_immortal(&none_obj));
    assert_int_equal(obj_refcount(&none_obj), before);
    Value s = str_intern_cstr("some_name");
    assert_true(obj_is_immortal(val_obj(s)));
    assert_true(s == str_intern_cstr("some_name"));
    decref(s);
    decref(s);
    assert_true(obj_is_immortal(val_obj(s)));
}

static void test_live_count(void **state) {
    UNUSED(state);
    int64_t before = obj_live_count();
    if (before < 0)
        skip();   // counting is a debug-build feature
    Value d = dict_new();
    Value k = str_from_cstr("key-not-interned");
    dict_set(d, k, small_new(1));
    decref(k);
    assert_int_equal(obj_live_count(), before + 2);
    decref(d);
    assert_int_equal(obj_live_count(), before);
}

// Opcodes of the code object named [fname] among [c]'s constants, or of [c].
static Code *find_code(Code *c, const char *fname) {
    if (strcmp(str_cstr(c->name), fname) == 0)
        return c;
    for (uint32_t i = 0; i < c->nconsts; i++) {
        Value v = c->consts[i];
        if (val_is_obj(v) && val_obj(v)->type == &code_type) {
            Code *r = find_code((Code *)val_obj(v), fname);
            if (r)
                return r;
        }
    }
    return NULL;
}

static void assert_ops(Code *c, const int *ops, size_t n) {
    assert_true(c->ninstrs >= n);
    for (size_t i = 0; i < n; i++) {
        int op = (int)INSTR_OP(c->instrs[i]);
        if (op != ops[i])
            fail_msg("instruction %zu is %s, expected %s", i, opcode_names[op], opcode_names[ops[i]]);
    }
}

static void test_compile_augassign_global(void **state) {
    UNUSED(state);
    const char *src = "counter = 0\ndef work():\n    global counter\n    counter += 1\n";
    Code *c = compile_source(src, strlen(src), "<test>", COMPILE_EXEC);
    assert_non_null(c);
    Code *w = find_code(c, "work");
    assert_non_null(w);
    static const int ops[] = {OP_LOAD_GLOBAL, OP_LOAD_CONST, OP_BINARY_OP, OP_STORE_GLOBAL};
    assert_ops(w, ops, 4);
    assert_int_equal(INSTR_ARG(w->instrs[2]), NB_COUNT + NB_ADD);
}

static void test_compile_augassign_attr_subscr(void **state) {
    UNUSED(state);
    const char *src = "def f(o, d):\n    o.n += 1\n    d[0] -= 2\n";
    Code *c = compile_source(src, strlen(src), "<test>", COMPILE_EXEC);
    assert_non_null(c);
    Code *f = find_code(c, "f");
    static const int ops[] = {
        OP_LOAD_FAST, OP_COPY, OP_LOAD_ATTR, OP_LOAD_CONST, OP_BINARY_OP, OP_SWAP, OP_STORE_ATTR,
        OP_LOAD_FAST, OP_LOAD_CONST, OP_COPY, OP_COPY, OP_BINARY_SUBSCR, OP_LOAD_CONST,
        OP_BINARY_OP, OP_SWAP, OP_SWAP, OP_STORE_SUBSCR,
    };
    assert_ops(f, ops, ARRAY_LEN(ops));
}

static void test_compile_try_has_handlers(void **state) {
    UNUSED(state);
    const char *src = "def f():\n    try:\n        g()\n    except ValueError as e:\n        return 1\n"
                      "    finally:\n        h()\n";
    Code *c = compile_source(src, strlen(src), "<test>", COMPILE_EXEC);
    assert_non_null(c);
    Code *f = find_code(c, "f");
    assert_true(f->nexc >= 3);
    for (uint32_t i = 0; i < f->nexc; i++) {
        assert_true(f->exctab[i].start < f->exctab[i].end);
        assert_true(f->exctab[i].handler < f->ninstrs);
        assert_true(f->exctab[i].depth < f->stacksize);
    }
}

static void test_compile_scopes(void **state) {
    UNUSED(state);
    const char *src = "def outer():\n    x = 1\n    def inner():\n        nonlocal x\n        x += 1\n"
                      "        return x\n    return inner\n";
    Code *c = compile_source(src, strlen(src), "<test>", COMPILE_EXEC);
    assert_non_null(c);
    Code *outer = find_code(c, "outer"), *inner = find_code(c, "inner");
    assert_int_equal(outer->ncells, 1);
    assert_string_equal(str_cstr(outer->cellvars[0]), "x");
    assert_int_equal(inner->nfree, 1);
    assert_string_equal(str_cstr(inner->freevars[0]), "x");
}

static void test_compile_errors(void **state) {
    UNUSED(state);
    const char *bad[] = {"return 1\n", "break\n", "def f():\n    nonlocal q\n", "x = (1 +\n"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        Code *c = compile_source(bad[i], strlen(bad[i]), "<test>", COMPILE_EXEC);
        assert_null(c);
        assert_true(exc_matches(&exc_SyntaxError));
        exc_clear();
    }
}

static void test_run_fstring(void **state) {
    UNUSED(state);
    const char *src = "r = f'{1234567:,} {0.5:.1%} {3.14159:08.3f} {255:#x} {\"ab\"!r:>6}|'";
    Code *c = compile_source(src, strlen(src), "<test>", COMPILE_EXEC);
    assert_non_null(c);
    Value g = dict_new();
    dict_set_cstr(g, "__builtins__", interp->builtins_module);
    Value r = interp_exec_code(c, g, VAL_NULL);
    assert_non_null((void *)r);
    decref(r);
    Value s = dict_get_cstr(g, "r");
    assert_non_null((void *)s);
    assert_string_equal(str_cstr(s), "1,234,567 50.0% 0003.142 0xff   'ab'|");
    decref(s);
    decref(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_ints),
        cmocka_unit_test(test_refcounts),
        cmocka_unit_test(test_immortals),
        cmocka_unit_test(test_live_count),
        cmocka_unit_test(test_compile_augassign_global),
        cmocka_unit_test(test_compile_augassign_attr_subscr),
        cmocka_unit_test(test_compile_try_has_handlers),
        cmocka_unit_test(test_compile_scopes),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_run_fstring),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
