// Unit tests for vm/int.c and vm/float.c through their C API: the small/big
// boundary (SMALL_MAX, SMALL_MIN, 2**63, -(2**63)) and the normalisation
// invariant (a BigInt never holds a small-range value), floor division and
// modulo signs, pow (incl. modular inverse), shifts, hashes, exact int/float
// comparison and correctly rounded true division. Expected values are
// CPython 3.11's.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "abstract.h"
#include "exc.h"
#include "float.h"
#include "int.h"
#include "interp.h"
#include "runtime.h"
#include "str.h"
#include "tuple.h"

static int setup(void **state) {
    UNUSED(state);
    InterpConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    return interp_new(&cfg) ? 0 : -1;
}

// The decimal text of an int result (consumes [v]).
static void assert_int_str(Value v, const char *want) {
    assert_true(v != VAL_NULL);
    assert_true(val_is_int(v));
    Value s = int_repr(v);
    assert_true(s != VAL_NULL);
    assert_string_equal(str_cstr(s), want);
    decref(s);
    decref(v);
}

static Value big(const char *digits) {
    Value v = int_from_string(digits[0] == '-' ? digits + 1 : digits,
                              strlen(digits) - (digits[0] == '-'), 10);
    assert_true(v != VAL_NULL);
    if (digits[0] == '-') {
        Value n = int_binop(small_new(0), v, NB_SUB);
        decref(v);
        v = n;
    }
    return v;
}

// A BigInt must never hold a small-range value; small values must be tagged.
static void assert_normalised(Value v) {
    if (val_is_small(v))
        return;
    mpz_t z;
    mpz_init(z);
    int_to_mpz(v, z);
    bool fits = mpz_fits_slong_p(z) && small_fits(mpz_get_si(z));
    mpz_clear(z);
    assert_false(fits);
}

static void binop_is(Value a, Value b, int op, const char *want) {
    Value r = int_binop(a, b, op);
    assert_true(r != VAL_NULL);
    assert_normalised(r);
    assert_int_str(r, want);
}

static void raises(Value r, Type *exc, const char *msg) {
    assert_true(r == VAL_NULL);
    assert_true(exc_matches(exc));
    Value e = exc_fetch();
    Value s = exc_str(e);
    assert_string_equal(str_cstr(s), msg);
    decref(s);
    decref(e);
}

static void test_small_big_boundary(void **state) {
    UNUSED(state);
    Value max = small_new(SMALL_MAX), min = small_new(SMALL_MIN);
    binop_is(max, small_new(1), NB_ADD, "4611686018427387904");
    binop_is(min, small_new(1), NB_SUB, "-4611686018427387905");
    binop_is(min, small_new(-1), NB_FLOORDIV, "4611686018427387904");
    binop_is(min, small_new(-1), NB_MUL, "4611686018427387904");
    binop_is(max, max, NB_MUL, "21267647932558653957237540927630737409");
    // Back into the small range: the result must be tagged again.
    Value b = int_binop(max, small_new(1), NB_ADD);
    Value r = int_binop(b, small_new(1), NB_SUB);
    assert_true(val_is_small(r));
    assert_int_equal(small_get(r), SMALL_MAX);
    decref(b);
    Value two63 = int_binop(small_new(2), small_new(63), NB_POW);
    assert_int_str(incref(two63), "9223372036854775808");
    Value neg = int_binop(small_new(0), two63, NB_SUB);
    assert_int_str(incref(neg), "-9223372036854775808");
    int64_t x;
    assert_int_equal(int_as_i64(neg, &x), 0);
    assert_true(x == INT64_MIN);
    raises(int_as_i64(two63, &x) < 0 ? VAL_NULL : small_new(0), &exc_OverflowError,
           "Python int too large to convert to C long");
    binop_is(two63, neg, NB_ADD, "0");
    binop_is(two63, small_new(1), NB_RSHIFT, "4611686018427387904");
    decref(two63);
    decref(neg);
    assert_int_str(int_from_i64(INT64_MAX), "9223372036854775807");
    assert_int_str(int_from_u64(UINT64_MAX), "18446744073709551615");
    assert_true(val_is_small(int_from_i64(SMALL_MAX)));
    Value big = int_from_i64((int64_t)SMALL_MAX + 1);
    assert_false(val_is_small(big));
    decref(big);
}

static void test_floor_div_mod(void **state) {
    UNUSED(state);
    binop_is(small_new(-7), small_new(2), NB_FLOORDIV, "-4");
    binop_is(small_new(-7), small_new(2), NB_MOD, "1");
    binop_is(small_new(7), small_new(-2), NB_FLOORDIV, "-4");
    binop_is(small_new(7), small_new(-2), NB_MOD, "-1");
    binop_is(small_new(-7), small_new(-2), NB_MOD, "-1");
    binop_is(small_new(-6), small_new(2), NB_FLOORDIV, "-3");
    Value b = big("1000000000000000000000000000000");
    binop_is(b, small_new(-7), NB_FLOORDIV, "-142857142857142857142857142858");
    binop_is(b, small_new(-7), NB_MOD, "-6");
    Value nb = big("-1000000000000000000000000000000");
    binop_is(nb, small_new(7), NB_MOD, "6");
    decref(b);
    decref(nb);
    raises(int_binop(small_new(1), small_new(0), NB_FLOORDIV), &exc_ZeroDivisionError,
           "integer division or modulo by zero");
    raises(int_binop(small_new(1), small_new(0), NB_MOD), &exc_ZeroDivisionError,
           "integer modulo by zero");
    raises(int_binop(small_new(1), small_new(0), NB_TRUEDIV), &exc_ZeroDivisionError,
           "division by zero");
}

static void test_pow(void **state) {
    UNUSED(state);
    binop_is(small_new(3), small_new(40), NB_POW, "12157665459056928801");
    binop_is(small_new(-2), small_new(63), NB_POW, "-9223372036854775808");
    binop_is(small_new(-1), big("100000000000000000000001"), NB_POW, "-1");
    Value f = int_binop(small_new(2), small_new(-1), NB_POW);
    assert_true(val_is_float(f));
    assert_true(float_get(f) == 0.5);
    decref(f);
    raises(int_binop(small_new(0), small_new(-1), NB_POW), &exc_ZeroDivisionError,
           "0.0 cannot be raised to a negative power");
    assert_int_str(int_pow_mod(small_new(3), small_new(-1), small_new(7)), "5");
    assert_int_str(int_pow_mod(small_new(2), small_new(10), small_new(-3)), "-2");
    assert_int_str(int_pow_mod(small_new(-2), small_new(3), small_new(5)), "2");
    assert_int_str(int_pow_mod(small_new(5), small_new(-1), small_new(1)), "0");
    raises(int_pow_mod(small_new(2), small_new(-1), small_new(4)), &exc_ValueError,
           "base is not invertible for the given modulus");
    raises(int_pow_mod(small_new(2), small_new(3), small_new(0)), &exc_ValueError,
           "pow() 3rd argument cannot be 0");
}

static void test_shifts_bits(void **state) {
    UNUSED(state);
    binop_is(small_new(1), small_new(62), NB_LSHIFT, "4611686018427387904");
    binop_is(small_new(-1), small_new(62), NB_LSHIFT, "-4611686018427387904");
    binop_is(small_new(3), small_new(100), NB_LSHIFT, "3802951800684688204490109616128");
    binop_is(small_new(-5), small_new(1), NB_RSHIFT, "-3");
    binop_is(small_new(-5), small_new(100), NB_RSHIFT, "-1");
    binop_is(big("-100000000000000000000000"), big("100000000000000000000"), NB_RSHIFT, "-1");
    raises(int_binop(small_new(1), small_new(-1), NB_LSHIFT), &exc_ValueError,
           "negative shift count");
    Value huge = big("9223372036854775808");
    raises(int_binop(small_new(1), huge, NB_LSHIFT), &exc_MemoryError, "");
    binop_is(small_new(0), huge, NB_LSHIFT, "0");
    decref(huge);
    binop_is(small_new(-12), small_new(10), NB_AND, "0");
    binop_is(small_new(-12), small_new(10), NB_OR, "-2");
    binop_is(small_new(-12), small_new(10), NB_XOR, "-2");
    binop_is(small_new(-12), small_new(7), NB_AND, "4");
    binop_is(big("-100000000000000000000000"), small_new(255), NB_AND, "0");
    assert_true(int_binop(VAL_TRUE, VAL_FALSE, NB_OR) == VAL_TRUE);
    assert_true(int_binop(VAL_TRUE, VAL_TRUE, NB_XOR) == VAL_FALSE);
    assert_true(int_binop(VAL_TRUE, small_new(1), NB_AND) == small_new(1));
    assert_int_equal(int_bit_length(small_new(-8)), 4);
}

static void test_hash_compare(void **state) {
    UNUSED(state);
    assert_int_equal(int_hash(small_new(-1)), -2);
    assert_int_equal(int_hash(small_new(-2)), -2);
    Value b = big("1000000000000000000000000000000");
    assert_int_equal(int_hash(b), 465258685558744706);
    Value t = int_binop(small_new(2), small_new(61), NB_POW);
    assert_int_equal(int_hash(t), 1);
    decref(t);
    // Exact comparison with floats: 2**53 + 1 != 2.0**53.
    Value p = int_binop(small_new(2), small_new(53), NB_POW);
    Value p1 = int_binop(p, small_new(1), NB_ADD);
    assert_int_equal(int_cmp_double(p1, 9007199254740992.0), 1);
    assert_int_equal(int_cmp_double(p, 9007199254740992.0), 0);
    assert_int_equal(int_cmp_double(b, INFINITY), -1);
    assert_int_equal(int_cmp_double(b, NAN), 2);
    assert_int_equal(int_cmp_double(b, 1e30), -1);   // 1e30 == 1000000000000000019884624838656
    decref(p);
    decref(p1);
    decref(b);
    // Correct rounding of big true division: (10**30 + 1) / 10**30 == 1.0.
    Value n = big("1000000000000000000000000000001"), d = big("1000000000000000000000000000000");
    Value q = int_binop(n, d, NB_TRUEDIV);
    assert_true(float_get(q) == 1.0);
    decref(q);
    decref(n);
    decref(d);
    Value third = int_binop(big("10000000000000000000000"), small_new(3), NB_TRUEDIV);
    assert_true(float_get(third) == 3333333333333333333333.0 / 1.0);
    decref(third);
}

static void test_conversions(void **state) {
    UNUSED(state);
    raises(int_from_double(INFINITY), &exc_OverflowError, "cannot convert float infinity to integer");
    raises(int_from_double(NAN), &exc_ValueError, "cannot convert float NaN to integer");
    assert_int_str(int_from_double(-1e20), "-100000000000000000000");
    assert_int_str(int_from_double(-2.9), "-2");
    double d;
    Value b = int_binop(small_new(10), small_new(400), NB_POW);
    assert_int_equal(int_as_double(b, &d), -1);
    raises(VAL_NULL, &exc_OverflowError, "int too large to convert to float");
    decref(b);
    int64_t x;
    Value f = float_new(1.5);
    assert_int_equal(val_index_i64(f, &x), -1);
    raises(VAL_NULL, &exc_TypeError, "'float' object cannot be interpreted as an integer");
    decref(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_big_boundary),
        cmocka_unit_test(test_floor_div_mod),
        cmocka_unit_test(test_pow),
        cmocka_unit_test(test_shifts_bits),
        cmocka_unit_test(test_hash_compare),
        cmocka_unit_test(test_conversions),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
