// Unit tests for vm/str.c, vm/tuple.c and vm/list.c through their C API:
// UTF-8 validation and code points, interning (identity, immortality, thread
// safety), hashing, repr quoting/escapes, str % and str.format, tuple hash
// (CPython's values), list sort stability and the C-stack-safe dealloc of
// deeply nested containers.
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "abstract.h"
#include "exc.h"
#include "int.h"
#include "interp.h"
#include "list.h"
#include "runtime.h"
#include "str.h"
#include "tuple.h"

static int setup(void **state) {
    UNUSED(state);
    // A whole interpreter: exceptions need the main thread state.
    InterpConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    return interp_new(&cfg) ? 0 : -1;
}

// Checks and releases [v] (a new reference).
static void assert_str(Value v, const char *expect) {
    assert_true(v != VAL_NULL);
    assert_true(val_is_str(v));
    assert_string_equal(str_cstr(v), expect);
    assert_int_equal(str_len(v), strlen(expect));
    decref(v);
}

static void test_utf8(void **state) {
    UNUSED(state);
    size_t n;
    assert_true(utf8_valid("h\xc3\xa9llo", 6, &n));
    assert_int_equal(n, 5);
    assert_false(utf8_valid("\xc3", 1, &n));            // truncated
    assert_false(utf8_valid("\xc0\xaf", 2, &n));        // overlong
    assert_false(utf8_valid("\xed\xa0\x80", 3, &n));    // surrogate
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4, &n)); // > U+10FFFF
    assert_true(utf8_valid("\xf0\x9f\x98\x80", 4, &n));
    assert_int_equal(n, 1);
    char buf[4];
    for (uint32_t cp = 0; cp < 0x110000; cp += 0x3FF) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        size_t k = utf8_encode(cp, buf);
        const unsigned char *p = (const unsigned char *)buf;
        assert_int_equal(utf8_decode(&p), cp);
        assert_ptr_equal(p, (const unsigned char *)buf + k);
    }
    Value s = str_from_cstr("caf\xc3\xa9");
    assert_int_equal(as_str(s)->nchars, 4);
    assert_false(as_str(s)->ascii);
    assert_str(str_getitem_index(s, -1), "\xc3\xa9");
    assert_true(str_getitem_index(s, 4) == VAL_NULL);
    assert_true(exc_matches(&exc_IndexError));
    exc_clear();
    decref(s);
    assert_true(str_new("\xff", 1) == VAL_NULL);
    exc_clear();
}

static void test_intern(void **state) {
    UNUSED(state);
    Value a = str_intern_cstr("some_name");
    Value b = str_intern("some_name", 9);
    assert_true(a == b);
    assert_true(obj_is_immortal(val_obj(a)));
    assert_true(as_str(a)->interned);
    Value c = str_from_cstr("some_name");
    assert_true(c != a);
    assert_true(str_eq(c, a));
    assert_true(str_intern_value(c) == a);   // c's reference was dropped
    Value d = str_printf("fresh_%d", 42);
    Value e = str_intern_value(d);
    assert_true(e == d);                      // the only reference became the interned one
    assert_true(str_intern_cstr("fresh_42") == e);
    assert_true(str_from_cstr("") == str_intern("", 0));
}

static void *intern_worker(void *arg) {
    Value *out = arg;
    char name[32];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "thr_%d", i);
        out[i] = str_intern_cstr(name);
    }
    return NULL;
}

static void test_intern_threads(void **state) {
    UNUSED(state);
    static Value res[4][500];
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, intern_worker, res[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int j = 0; j < 500; j++)
        for (int i = 1; i < 4; i++)
            assert_true(res[i][j] == res[0][j]);
}

static void test_hash_eq_compare(void **state) {
    UNUSED(state);
    Value a = str_from_cstr("hello world");
    Value b = str_concat(str_from_cstr("hello "), str_from_cstr("world"));
    assert_true(a != b);
    assert_int_equal(str_hash(a), str_hash(b));
    assert_true(str_hash(a) != -1);
    assert_true(str_eq(a, b));
    assert_true(str_compare(a, b) == 0);
    Value c = str_from_cstr("hello");
    assert_true(str_compare(c, a) < 0);
    Value z = str_from_cstr("z"), e = str_from_cstr("\xc3\xa9");
    assert_true(str_compare(z, e) < 0);   // code point order
    decref(a);
    decref(b);
    decref(c);
    decref(z);
    decref(e);
}

static void test_repr(void **state) {
    UNUSED(state);
    struct {
        const char *in, *out;
    } cases[] = {
        {"", "''"},
        {"it's", "\"it's\""},
        {"both ' and \"", "'both \\' and \"'"},
        {"a\\b\n\t\r", "'a\\\\b\\n\\t\\r'"},
        {"\x01\x7f", "'\\x01\\x7f'"},
        {"caf\xc3\xa9", "'caf\xc3\xa9'"},
        {"\xc2\xa0\xc2\xad", "'\\xa0\\xad'"},
        {"\xe2\x80\xa8", "'\\u2028'"},
        {"\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        Value s = str_from_cstr(cases[i].in);
        Value r = str_repr(s);
        assert_str(r, cases[i].out);
        decref(s);
    }
}

static void test_mod_and_format(void **state) {
    UNUSED(state);
    Value f = str_intern_cstr("%s-%05d|%-4s|%x");
    Value args = tuple_pack(4, str_intern_cstr("a"), small_new(42), str_intern_cstr("b"), small_new(255));
    assert_str(str_mod(f, args), "a-00042|b   |ff");
    Value one = str_intern_cstr("%s %s");
    assert_true(str_mod(one, small_new(1)) == VAL_NULL);
    assert_true(exc_matches(&exc_TypeError));
    exc_clear();
    Value fm = str_intern_cstr("{1}{0}{{}}");
    Value av[2] = {str_intern_cstr("x"), str_intern_cstr("y")};
    assert_str(str_format_method(fm, av, 2, VAL_NULL), "yx{}");
    Value spec = str_intern_cstr("ab");
    assert_str(str_format_spec(spec, "*^6", 3), "**ab**");
    Value seq = tuple_pack(3, str_intern_cstr("a"), str_intern_cstr("b"), str_intern_cstr("c"));
    assert_str(str_join(str_intern_cstr(", "), seq), "a, b, c");
    decref(args);
    decref(seq);
}

static void test_tuple_hash(void **state) {
    UNUSED(state);
    int64_t h;
    // Expected values from CPython 3.11 (64-bit).
    assert_int_equal(val_hash(tuple_empty(), &h), 0);
    assert_int_equal(h, 5740354900026072187LL);
    Value t = tuple_pack(2, small_new(1), small_new(2));
    assert_int_equal(val_hash(t, &h), 0);
    assert_int_equal(h, -3550055125485641917LL);
    decref(t);
    assert_true(tuple_new(0) == tuple_empty());
}

static void test_list_sort_stable(void **state) {
    UNUSED(state);
    // Sort pairs (k % 7, k) by the first item via a key of tuples: ties keep order.
    Value l = list_new(0);
    for (int i = 0; i < 1000; i++) {
        int k = (i * 7919) % 1000;
        list_append_steal(l, tuple_pack(2, small_new(k % 7), small_new(k)));
    }
    assert_int_equal(list_sort(l, VAL_NULL, false), 0);
    for (size_t i = 1; i < list_len(l); i++) {
        Value a = as_list(l)->items[i - 1], b = as_list(l)->items[i];
        assert_true(small_get(tuple_get(a, 0)) <= small_get(tuple_get(b, 0)));
        if (small_get(tuple_get(a, 0)) == small_get(tuple_get(b, 0)))
            assert_true(small_get(tuple_get(a, 1)) < small_get(tuple_get(b, 1)));
    }
    assert_int_equal(list_sort(l, VAL_NULL, true), 0);
    assert_int_equal(small_get(tuple_get(as_list(l)->items[0], 0)), 6);
    decref(l);
}

static void test_deep_dealloc(void **state) {
    UNUSED(state);
    Value v = list_new(0);
    for (int i = 0; i < 200000; i++) {
        Value w = i & 1 ? tuple_pack(1, v) : list_from_array(&v, 1);
        decref(v);
        v = w;
    }
    decref(v);   // must not overflow the C stack
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_intern),
        cmocka_unit_test(test_intern_threads),
        cmocka_unit_test(test_hash_eq_compare),
        cmocka_unit_test(test_repr),
        cmocka_unit_test(test_mod_and_format),
        cmocka_unit_test(test_tuple_hash),
        cmocka_unit_test(test_list_sort_stable),
        cmocka_unit_test(test_deep_dealloc),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
