// Unit tests for vm/dict.c, vm/set.c and vm/seq.c through their C API:
// insertion order and deletes, resizing, dict_next, interned-string keys,
// CPython's set order for small ints, set pop's finger, slice_indices
// (expected values computed with CPython 3.11's slice.indices) and ranges.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "abstract.h"
#include "dict.h"
#include "exc.h"
#include "int.h"
#include "interp.h"
#include "runtime.h"
#include "seq.h"
#include "set.h"
#include "str.h"
#include "tuple.h"

static Interp *interp;

static int setup(void **state) {
    UNUSED(state);
    static char *argv[] = {"test_dict", NULL};
    InterpConfig cfg = {.mode = MODE_GIL, .argc = 1, .argv = argv};
    interp = interp_new(&cfg);   // runs runtime_init and sets the thread state
    return interp ? 0 : -1;
}

static int teardown(void **state) {
    UNUSED(state);
    interp_free(interp);
    return 0;
}

static void test_dict_order_and_delete(void **state) {
    UNUSED(state);
    Value d = dict_new();
    assert_true(d != VAL_NULL);
    for (int i = 0; i < 100; i++)
        assert_int_equal(dict_set(d, small_new((i * 37) % 101), small_new(i)), 0);
    assert_int_equal(dict_len(d), 100);
    for (int i = 0; i < 100; i += 2)
        assert_int_equal(dict_del(d, small_new((i * 37) % 101)), 1);
    assert_int_equal(dict_del(d, small_new(1000)), 0);
    assert_false(exc_occurred());
    assert_int_equal(dict_len(d), 50);
    size_t pos = 0;
    Value k, v;
    int expect = 1;
    while (dict_next(d, &pos, &k, &v)) {
        assert_int_equal(small_get(k), (expect * 37) % 101);
        assert_int_equal(small_get(v), expect);
        expect += 2;
    }
    assert_int_equal(expect, 101);
    Value got = dict_get(d, small_new((3 * 37) % 101));
    assert_int_equal(small_get(got), 3);
    assert_true(dict_get(d, small_new(0)) == VAL_NULL);
    assert_false(exc_occurred());
    decref(d);
}

static void test_dict_cstr_and_copy(void **state) {
    UNUSED(state);
    Value d = dict_new();
    assert_int_equal(dict_set_cstr(d, "alpha", small_new(1)), 0);
    Value key = str_from_cstr("alpha");   // not interned: found by content
    Value v = dict_get(d, key);
    assert_int_equal(small_get(v), 1);
    assert_int_equal(dict_contains(d, key), 1);
    Value c = dict_copy(d);
    assert_int_equal(dict_len(c), 1);
    assert_int_equal(dict_set(d, key, small_new(2)), 0);   // replace, no new entry
    assert_int_equal(dict_len(d), 1);
    Value cv = dict_get_cstr(c, "alpha");
    assert_int_equal(small_get(cv), 1);
    Value keys = dict_keys_list(d);
    assert_int_equal(val_len(keys), 1);
    decref(keys);
    decref(key);
    decref(c);
    decref(d);
}

static void test_dict_unhashable(void **state) {
    UNUSED(state);
    Value d = dict_new();
    Value l = dict_new();   // a dict key is unhashable
    assert_int_equal(dict_set(d, l, small_new(1)), -1);
    assert_true(exc_matches(&exc_TypeError));
    exc_clear();
    decref(l);
    decref(d);
}

// Elements of a set in iteration order.
static void set_order(Value s, intptr_t *out, size_t n) {
    size_t pos = 0, i = 0;
    Value k;
    while (set_next(s, &pos, &k)) {
        assert_true(i < n);
        out[i++] = small_get(k);
    }
    assert_int_equal(i, n);
}

static void test_set_cpython_order(void **state) {
    UNUSED(state);
    static const intptr_t in[] = {100, 5, 37, 8, 64, 0, -1, -2};
    static const intptr_t want[] = {64, 0, 100, 37, 5, 8, -2, -1};   // CPython 3.11 add()
    Value s = set_new(&set_type);
    for (size_t i = 0; i < ARRAY_LEN(in); i++)
        assert_int_equal(set_add(s, small_new(in[i])), 0);
    intptr_t got[8];
    set_order(s, got, 8);
    assert_memory_equal(got, want, sizeof want);
    assert_int_equal(set_discard(s, small_new(37)), 1);
    assert_int_equal(set_discard(s, small_new(37)), 0);
    assert_int_equal(set_contains(s, small_new(37)), 0);
    assert_int_equal(set_len(s), 7);
    decref(s);

    static const intptr_t in2[] = {5, 13, 21, 1, 9};
    static const intptr_t want2[] = {1, 5, 9, 13, 21};
    s = set_new(&set_type);
    for (size_t i = 0; i < ARRAY_LEN(in2); i++)
        set_add(s, small_new(in2[i]));
    intptr_t got2[5];
    set_order(s, got2, 5);
    assert_memory_equal(got2, want2, sizeof want2);
    decref(s);

    // A constant set literal {5, 13, 21, 1, 9} prints in a different order:
    // CPython's compiler builds its frozenset constant twice.
    static const intptr_t want3[] = {1, 5, 21, 9, 13};
    Value t = tuple_new(5);
    for (size_t i = 0; i < 5; i++)
        tuple_set_steal(t, i, small_new(in2[i]));
    Value f = set_const_literal(t);
    Value lit = set_new(&set_type);   // BUILD_SET 0; SET_UPDATE 1
    assert_int_equal(set_update(lit, f), 0);
    intptr_t got3[5];
    set_order(lit, got3, 5);
    decref(lit);
    assert_memory_equal(got3, want3, sizeof want3);
    decref(f);
    decref(t);
}

static void test_set_algebra(void **state) {
    UNUSED(state);
    Value a = set_new(&set_type), b = set_new(&set_type);
    for (int i = 0; i < 10; i++)
        set_add(a, small_new(i));
    for (int i = 5; i < 15; i++)
        set_add(b, small_new(i));
    Value c = set_from_iterable(&set_type, a);
    assert_int_equal(set_intersection_update(c, b), 0);
    assert_int_equal(set_len(c), 5);
    assert_int_equal(set_difference_update(a, b), 0);
    assert_int_equal(set_len(a), 5);
    assert_int_equal(set_symmetric_difference_update(a, c), 0);
    assert_int_equal(set_len(a), 10);
    assert_int_equal(set_update(a, b), 0);
    assert_int_equal(set_len(a), 15);
    decref(a);
    decref(b);
    decref(c);
}

typedef struct {
    Value start, stop, step;
    int64_t len;
    int64_t want[4];
} SliceCase;

static void test_slice_indices(void **state) {
    UNUSED(state);
    const Value N = VAL_NONE;
    // Expected values: CPython 3.11 slice(a, b, c).indices(len) and the length.
    const SliceCase cases[] = {
        {N, N, N, 10, {0, 10, 1, 10}},
        {small_new(2), small_new(8), small_new(3), 5, {2, 5, 3, 1}},
        {N, N, small_new(-1), 4, {3, -1, -1, 4}},
        {small_new(-100), small_new(100), N, 7, {0, 7, 1, 7}},
        {small_new(100), small_new(-100), small_new(-2), 7, {6, -1, -2, 4}},
        {small_new(-3), N, N, 2, {0, 2, 1, 2}},
        {small_new(5), small_new(1), small_new(-2), 10, {5, 1, -2, 2}},
        {small_new(0), small_new(0), N, 0, {0, 0, 1, 0}},
        {N, N, small_new(-3), 0, {-1, -1, -3, 0}},
        {small_new(1), N, small_new(2), 1, {1, 1, 2, 0}},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const SliceCase *c = &cases[i];
        Value s = slice_new(c->start, c->stop, c->step);
        int64_t st, sp, step, n;
        assert_int_equal(slice_indices(s, c->len, &st, &sp, &step, &n), 0);
        assert_int_equal(st, c->want[0]);
        assert_int_equal(sp, c->want[1]);
        assert_int_equal(step, c->want[2]);
        assert_int_equal(n, c->want[3]);
        decref(s);
    }
    Value z = slice_new(N, N, small_new(0));
    int64_t a, b, c, n;
    assert_int_equal(slice_indices(z, 3, &a, &b, &c, &n), -1);
    assert_true(exc_matches(&exc_ValueError));
    exc_clear();
    decref(z);
}

static void test_range_iter(void **state) {
    UNUSED(state);
    Value r = range_new(10, 0, -3);
    assert_int_equal(val_len(r), 4);
    Value it = val_iter(r);
    int64_t want[] = {10, 7, 4, 1};
    for (size_t i = 0; i < 4; i++) {
        Value v = val_next(it);
        assert_int_equal(small_get(v), want[i]);
    }
    assert_true(val_next(it) == VAL_NULL);
    assert_false(exc_occurred());
    assert_true(val_next(it) == VAL_NULL);
    decref(it);
    assert_int_equal(val_contains(r, small_new(7)), 1);
    assert_int_equal(val_contains(r, small_new(8)), 0);
    decref(r);
    // A range near the top of int64 does not overflow while iterating.
    r = range_new(INT64_MAX - 5, INT64_MAX, 2);
    assert_int_equal(val_len(r), 3);
    it = val_iter(r);
    int count = 0;
    Value v;
    while ((v = val_next(it)) != VAL_NULL) {
        count++;
        decref(v);
    }
    assert_int_equal(count, 3);
    decref(it);
    decref(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dict_order_and_delete),
        cmocka_unit_test(test_dict_cstr_and_copy),
        cmocka_unit_test(test_dict_unhashable),
        cmocka_unit_test(test_set_cpython_order),
        cmocka_unit_test(test_set_algebra),
        cmocka_unit_test(test_slice_indices),
        cmocka_unit_test(test_range_iter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
