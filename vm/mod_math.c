// The math module, following CPython 3.11's mathmodule.c: the same special
// cases, error rules (ValueError "math domain error" for invalid arguments,
// OverflowError "math range error" for overflow) and algorithms where the
// result depends on them (fsum: Shewchuk's exact partials; hypot/dist:
// CPython's vector_norm; integer functions exact through GMP).
//
// Stateless: no globals besides constant tables.
//
// Known differences: gamma/lgamma use libm (CPython has its own Lanczos
// code; results may differ in the last bit for non-integer arguments);
// sumprod and the 3.12 additions are absent.
#include <errno.h>
#include <gmp.h>
#include <limits.h>
#include <math.h>

#include "abstract.h"
#include "class.h"
#include "code.h"
#include "exc.h"
#include "float.h"
#include "func.h"
#include "int.h"
#include "module.h"
#include "str.h"
#include "tuple.h"

// --- argument conversion ----------------------------------------------------------

// PyFloat_AsDouble: int, float, or anything with __float__ / __index__.
static int as_double(Value v, double *out) {
    if (val_is_float(v)) {
        *out = float_get(v);
        return 0;
    }
    if (val_is_int(v))
        return val_as_double(v, out);
    Type *t = val_type(v);
    if (t->nb_float) {
        Value f = t->nb_float(v);
        if (!f)
            return -1;
        if (!val_is_float(f)) {
            exc_raise(&exc_TypeError, "%s.__float__ returned non-float (type %s)", t->name,
                      val_type_name(f));
            decref(f);
            return -1;
        }
        *out = float_get(f);
        decref(f);
        return 0;
    }
    if (t->nb_index) {
        Value i = t->nb_index(v);
        if (!i)
            return -1;
        int r = val_as_double(i, out);
        decref(i);
        return r;
    }
    return exc_raise_int(&exc_TypeError, "must be real number, not %s", t->name);
}

// An exact int through __index__ (new reference).
static Value as_index(Value v) {
    if (val_is_int(v))
        return val_type(v) == &bool_type ? small_new(v == VAL_TRUE) : incref(v);
    Type *t = val_type(v);
    if (!t->nb_index)
        return exc_raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                         t->name);
    Value r = t->nb_index(v);
    if (r && !val_is_int(r)) {
        exc_raise(&exc_TypeError, "__index__ returned non-int (type %s)", val_type_name(r));
        decref(r);
        return VAL_NULL;
    }
    return r;
}

static Value domain_error(void) {
    return exc_raise(&exc_ValueError, "math domain error");
}

static Value range_error(void) {
    return exc_raise(&exc_OverflowError, "math range error");
}

// CPython's is_error: errno is set; decide whether it is an error.
static bool is_error(double r) {
    if (errno == EDOM) {
        domain_error();
        return true;
    }
    if (errno == ERANGE) {
        if (fabs(r) < 1.5)
            return false;   // underflow is not an error
        range_error();
        return true;
    }
    exc_raise(&exc_ValueError, "math domain error");
    return true;
}

// CPython's math_1.
static Value math_1(Value arg, double (*fn)(double), bool can_overflow) {
    double x;
    if (as_double(arg, &x) < 0)
        return VAL_NULL;
    errno = 0;
    double r = fn(x);
    if (isnan(r) && !isnan(x))
        return domain_error();
    if (isinf(r) && isfinite(x))
        return can_overflow ? range_error() : domain_error();
    if (isfinite(r) && errno && is_error(r))
        return VAL_NULL;
    return float_new(r);
}

#define FUNC1(name, fn, can_overflow)                                              \
    static Value math_##name(Value self, Value *args, size_t nargs, Value kwnames) { \
        UNUSED(self);                                                              \
        if (args_check("math." #name, nargs, kwnames, 1, 1) < 0)                   \
            return VAL_NULL;                                                       \
        return math_1(args[0], fn, can_overflow);                                  \
    }

static double m_log1p(double x) {
    // log1p(-1) is a singularity; below -1 invalid.
    if (x == -1.0) {
        errno = EDOM;
        return -HUGE_VAL;
    }
    return log1p(x);
}

static const double exact_factorials[] = {
    1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800, 39916800, 479001600,
    6227020800.0, 87178291200.0, 1307674368000.0, 20922789888000.0, 355687428096000.0,
    6402373705728000.0, 121645100408832000.0, 2432902008176640000.0, 51090942171709440000.0,
    1124000727777607680000.0,
};

static double m_tgamma(double x) {
    if (!isfinite(x)) {
        if (isnan(x) || x > 0)
            return x;
        errno = EDOM;
        return NAN;
    }
    if (x == 0) {
        errno = EDOM;
        return copysign(INFINITY, x);   // reported as a domain error
    }
    if (x == floor(x)) {
        if (x < 0) {
            errno = EDOM;
            return NAN;
        }
        if (x <= (double)ARRAY_LEN(exact_factorials))
            return exact_factorials[(int)x - 1];
    }
    errno = 0;
    double r = tgamma(x);
    if (isinf(r))
        errno = ERANGE;
    return r;
}

static double m_lgamma(double x) {
    if (!isfinite(x))
        return isnan(x) ? x : INFINITY;
    if (x == floor(x) && x <= 2.0) {
        if (x <= 0.0) {
            errno = EDOM;
            return INFINITY;
        }
        return 0.0;
    }
    errno = 0;
    double r = lgamma(x);
    if (isinf(r))
        errno = ERANGE;
    return r;
}

FUNC1(acos, acos, false)
FUNC1(acosh, acosh, false)
FUNC1(asin, asin, false)
FUNC1(asinh, asinh, false)
FUNC1(atan, atan, false)
FUNC1(atanh, atanh, false)
FUNC1(cbrt, cbrt, false)
FUNC1(cos, cos, false)
FUNC1(cosh, cosh, true)
FUNC1(erf, erf, false)
FUNC1(erfc, erfc, false)
FUNC1(exp, exp, true)
FUNC1(exp2, exp2, true)
FUNC1(expm1, expm1, true)
FUNC1(fabs, fabs, false)
FUNC1(log1p, m_log1p, false)
FUNC1(sin, sin, false)
FUNC1(sinh, sinh, true)
FUNC1(sqrt, sqrt, false)
FUNC1(tan, tan, false)
FUNC1(tanh, tanh, false)

static Value math_gamma(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.gamma", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    double x;
    if (as_double(args[0], &x) < 0)
        return VAL_NULL;
    errno = 0;
    double r = m_tgamma(x);
    if (errno == EDOM)
        return domain_error();
    if (errno == ERANGE)
        return range_error();
    return float_new(r);
}

static Value math_lgamma(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.lgamma", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    double x;
    if (as_double(args[0], &x) < 0)
        return VAL_NULL;
    errno = 0;
    double r = m_lgamma(x);
    if (errno == EDOM)
        return domain_error();
    if (errno == ERANGE)
        return range_error();
    return float_new(r);
}

// --- logarithms --------------------------------------------------------------------

static double m_log_generic(double x, double (*fn)(double)) {
    if (isfinite(x)) {
        if (x > 0.0)
            return fn(x);
        errno = EDOM;
        return x == 0.0 ? -HUGE_VAL : NAN;
    }
    if (isnan(x) || x > 0.0)
        return x;
    errno = EDOM;
    return NAN;
}

static double m_log(double x) { return m_log_generic(x, log); }
static double m_log2(double x) { return m_log_generic(x, log2); }
static double m_log10(double x) { return m_log_generic(x, log10); }

// CPython's loghelper: ints of any size, others through math_1.
static Value loghelper(Value arg, double (*fn)(double)) {
    if (val_is_int(arg)) {
        if (int_sign(arg) <= 0)
            return domain_error();
        double x;
        if (val_as_double(arg, &x) == 0)
            return float_new(fn(x));
        if (!exc_matches(&exc_OverflowError))
            return VAL_NULL;
        exc_clear();
        // Too big for a double: log(m * 2**e) = log(m) + e * log(2).
        mpz_t z;
        mpz_init(z);
        int_to_mpz(arg, z);
        signed long e;
        double m = mpz_get_d_2exp(&e, z);
        mpz_clear(z);
        return float_new(fn(m) + fn(2.0) * (double)e);
    }
    return math_1(arg, fn, false);
}

static Value math_log(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (kwnames && tuple_len(kwnames))
        return exc_raise(&exc_TypeError, "math.log() takes no keyword arguments");
    if (nargs < 1 || nargs > 2)
        return exc_raise(&exc_TypeError, "math.log requires 1 to 2 arguments");
    Value num = loghelper(args[0], m_log);
    if (!num || nargs == 1)
        return num;
    Value den = loghelper(args[1], m_log);
    if (!den) {
        decref(num);
        return VAL_NULL;
    }
    double n = float_get(num), d = float_get(den);
    decref(num);
    decref(den);
    if (d == 0.0)
        return exc_raise(&exc_ZeroDivisionError, "float division by zero");
    return float_new(n / d);
}

static Value math_log2(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.log2", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return loghelper(args[0], m_log2);
}

static Value math_log10(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.log10", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return loghelper(args[0], m_log10);
}

// --- two-argument float functions ---------------------------------------------------

static int two_doubles(const char *name, Value *args, size_t nargs, Value kwnames, double *x,
                       double *y) {
    if (args_check(name, nargs, kwnames, 2, 2) < 0)
        return -1;
    if (as_double(args[0], x) < 0 || as_double(args[1], y) < 0)
        return -1;
    return 0;
}

static Value math_pow(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x, y, r;
    if (two_doubles("pow", args, nargs, kwnames, &x, &y) < 0)
        return VAL_NULL;
    errno = 0;
    if (!isfinite(x) || !isfinite(y)) {
        if (isnan(x)) {
            r = y == 0.0 ? 1.0 : x;
        } else if (isnan(y)) {
            r = x == 1.0 ? 1.0 : y;
        } else if (isinf(x)) {
            bool odd_y = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
            if (y > 0.0)
                r = odd_y ? x : fabs(x);
            else if (y == 0.0)
                r = 1.0;
            else
                r = odd_y ? copysign(0.0, x) : 0.0;
        } else {
            if (fabs(x) == 1.0)
                r = 1.0;
            else if (y > 0.0 && fabs(x) > 1.0)
                r = y;
            else if (y < 0.0 && fabs(x) < 1.0)
                r = -y;
            else
                r = 0.0;
        }
    } else {
        r = pow(x, y);
        errno = 0;
        if (!isfinite(r)) {
            if (isnan(r))
                errno = EDOM;
            else if (x == 0.0)
                errno = EDOM;
            else
                errno = ERANGE;
        }
    }
    if (errno && is_error(r))
        return VAL_NULL;
    return float_new(r);
}

static Value math_fmod(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x, y;
    if (two_doubles("fmod", args, nargs, kwnames, &x, &y) < 0)
        return VAL_NULL;
    if (isinf(y) && isfinite(x))
        return float_new(x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y))
        return domain_error();
    return float_new(r);
}

static Value math_atan2(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double y, x;
    if (two_doubles("atan2", args, nargs, kwnames, &y, &x) < 0)
        return VAL_NULL;
    return float_new(atan2(y, x));
}

static Value math_copysign(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x, y;
    if (two_doubles("copysign", args, nargs, kwnames, &x, &y) < 0)
        return VAL_NULL;
    return float_new(copysign(x, y));
}

static Value math_remainder(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x, y;
    if (two_doubles("remainder", args, nargs, kwnames, &x, &y) < 0)
        return VAL_NULL;
    if (isnan(x))
        return float_new(x);
    if (isnan(y))
        return float_new(y);
    if (isinf(x) || y == 0.0)
        return domain_error();
    if (isinf(y))
        return float_new(x);
    return float_new(remainder(x, y));
}

static Value math_nextafter(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x, y;
    if (two_doubles("nextafter", args, nargs, kwnames, &x, &y) < 0)
        return VAL_NULL;
    return float_new(nextafter(x, y));
}

static Value math_ulp(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x;
    if (args_check("math.ulp", nargs, kwnames, 1, 1) < 0 || as_double(args[0], &x) < 0)
        return VAL_NULL;
    if (isnan(x))
        return float_new(x);
    x = fabs(x);
    if (isinf(x))
        return float_new(x);
    double x2 = nextafter(x, INFINITY);
    if (isinf(x2)) {
        x2 = nextafter(x, -INFINITY);
        return float_new(x - x2);
    }
    return float_new(x2 - x);
}

static Value math_degrees(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x;
    if (args_check("math.degrees", nargs, kwnames, 1, 1) < 0 || as_double(args[0], &x) < 0)
        return VAL_NULL;
    return float_new(x * (180.0 / M_PI));
}

static Value math_radians(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x;
    if (args_check("math.radians", nargs, kwnames, 1, 1) < 0 || as_double(args[0], &x) < 0)
        return VAL_NULL;
    return float_new(x * (M_PI / 180.0));
}

#define PREDICATE(name, test)                                                        \
    static Value math_##name(Value self, Value *args, size_t nargs, Value kwnames) { \
        UNUSED(self);                                                                \
        double x;                                                                    \
        if (args_check("math." #name, nargs, kwnames, 1, 1) < 0 ||                   \
            as_double(args[0], &x) < 0)                                              \
            return VAL_NULL;                                                         \
        return incref(bool_val(test(x)));                                            \
    }
PREDICATE(isfinite, isfinite)
PREDICATE(isinf, isinf)
PREDICATE(isnan, isnan)

static Value math_isclose(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    static const char *const names_[] = {"a", "b", "rel_tol", "abs_tol", NULL};
    if (nargs > 2)
        return exc_raise(&exc_TypeError, "isclose() takes exactly 2 positional arguments (%zu given)",
                         nargs);
    Value a[4];
    if (args_parse("isclose", args, nargs, kwnames, names_, 2, 2, a) < 0)
        return VAL_NULL;
    double x, y, rel = 1e-09, abs_tol = 0.0;
    if (as_double(a[0], &x) < 0 || as_double(a[1], &y) < 0)
        return VAL_NULL;
    if (a[2] && as_double(a[2], &rel) < 0)
        return VAL_NULL;
    if (a[3] && as_double(a[3], &abs_tol) < 0)
        return VAL_NULL;
    if (rel < 0.0 || abs_tol < 0.0)
        return exc_raise(&exc_ValueError, "tolerances must be non-negative");
    if (x == y)
        return incref(VAL_TRUE);
    if (isinf(x) || isinf(y))
        return incref(VAL_FALSE);
    double diff = fabs(y - x);
    bool r = diff <= fabs(rel * y) || diff <= fabs(rel * x) || diff <= abs_tol;
    return incref(bool_val(r));
}

static Value math_modf(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x, ip;
    if (args_check("math.modf", nargs, kwnames, 1, 1) < 0 || as_double(args[0], &x) < 0)
        return VAL_NULL;
    Value items[2];
    if (isinf(x)) {
        items[0] = float_new(copysign(0.0, x));
        items[1] = float_new(x);
    } else if (isnan(x)) {
        items[0] = float_new(x);
        items[1] = float_new(x);
    } else {
        double fp = modf(x, &ip);
        items[0] = float_new(fp);
        items[1] = float_new(ip);
    }
    if (!items[0] || !items[1]) {
        decref(items[0]);
        decref(items[1]);
        return VAL_NULL;
    }
    return tuple_from_array_steal(items, 2);
}

static Value math_frexp(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    double x;
    if (args_check("math.frexp", nargs, kwnames, 1, 1) < 0 || as_double(args[0], &x) < 0)
        return VAL_NULL;
    int e = 0;
    if (isfinite(x) && x != 0.0)
        x = frexp(x, &e);
    Value m = float_new(x);
    if (!m)
        return VAL_NULL;
    Value items[2] = {m, small_new(e)};
    return tuple_from_array_steal(items, 2);
}

static Value math_ldexp(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("ldexp", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    double x, r;
    if (as_double(args[0], &x) < 0)
        return VAL_NULL;
    if (!val_is_int(args[1]))
        return exc_raise(&exc_TypeError, "Expected an int as second argument to ldexp.");
    int64_t e;
    if (int_as_i64(args[1], &e) < 0) {
        exc_clear();
        e = int_sign(args[1]) < 0 ? INT64_MIN : INT64_MAX;
    }
    errno = 0;
    if (x == 0.0 || !isfinite(x)) {
        r = x;
    } else if (e > INT_MAX) {
        r = copysign(HUGE_VAL, x);
        errno = ERANGE;
    } else if (e < INT_MIN) {
        r = copysign(0.0, x);
    } else {
        r = ldexp(x, (int)e);
        errno = isinf(r) ? ERANGE : 0;
    }
    if (errno && is_error(r))
        return VAL_NULL;
    return float_new(r);
}

// --- vector norms (CPython's vector_norm) ---------------------------------------------

typedef struct {
    double hi, lo;
} DoubleLength;

static DoubleLength dl_fast_sum(double a, double b) {
    double x = a + b;
    double y = (a - x) + b;
    return (DoubleLength){x, y};
}

static DoubleLength dl_mul(double x, double y) {
    double z = x * y;
    double zz = fma(x, y, -z);
    return (DoubleLength){z, zz};
}

// (<float.h> is shadowed by vm/float.h under -Ivm: DBL_MIN is spelled __DBL_MIN__.)
static double vector_norm(size_t n, double *vec, double max, bool found_nan) {
    double x, h, scale, csum = 1.0, frac1 = 0.0, frac2 = 0.0;
    DoubleLength pr, sm;
    int max_e;
    if (isinf(max))
        return max;
    if (found_nan)
        return NAN;
    if (max == 0.0 || n <= 1)
        return max;
    frexp(max, &max_e);
    if (max_e < -1023) {
        for (size_t i = 0; i < n; i++)
            vec[i] /= __DBL_MIN__;
        return __DBL_MIN__ * vector_norm(n, vec, max / __DBL_MIN__, found_nan);
    }
    scale = ldexp(1.0, -max_e);
    for (size_t i = 0; i < n; i++) {
        x = vec[i] * scale;
        pr = dl_mul(x, x);
        sm = dl_fast_sum(csum, pr.hi);
        csum = sm.hi;
        frac1 += pr.lo;
        frac2 += sm.lo;
    }
    h = sqrt(csum - 1.0 + (frac1 + frac2));
    pr = dl_mul(-h, h);
    sm = dl_fast_sum(csum, pr.hi);
    csum = sm.hi;
    frac1 += pr.lo;
    frac2 += sm.lo;
    x = csum - 1.0 + (frac1 + frac2);
    return (h + x / (2.0 * h)) / scale;
}

static Value math_hypot(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (kwnames && tuple_len(kwnames))
        return exc_raise(&exc_TypeError, "hypot() takes no keyword arguments");
    double small[16];
    double *vec = nargs <= 16 ? small : malloc(nargs * sizeof(double));
    if (!vec)
        return exc_nomemory();
    double max = 0.0;
    bool found_nan = false;
    for (size_t i = 0; i < nargs; i++) {
        double x;
        if (as_double(args[i], &x) < 0) {
            if (vec != small)
                free(vec);
            return VAL_NULL;
        }
        x = fabs(x);
        vec[i] = x;
        found_nan |= isnan(x);
        if (x > max)
            max = x;
    }
    double r = vector_norm(nargs, vec, max, found_nan);
    if (vec != small)
        free(vec);
    return float_new(r);
}

static Value math_dist(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("dist", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    Value p = tuple_from_iterable(args[0]);
    if (!p)
        return VAL_NULL;
    Value q = tuple_from_iterable(args[1]);
    if (!q) {
        decref(p);
        return VAL_NULL;
    }
    Value result = VAL_NULL;
    size_t n = tuple_len(p);
    double *vec = NULL;
    if (n != tuple_len(q)) {
        exc_raise(&exc_ValueError, "both points must have the same number of dimensions");
        goto out;
    }
    vec = malloc((n ? n : 1) * sizeof(double));
    if (!vec) {
        exc_nomemory();
        goto out;
    }
    double max = 0.0;
    bool found_nan = false;
    for (size_t i = 0; i < n; i++) {
        double a, b;
        if (as_double(tuple_get(p, i), &a) < 0 || as_double(tuple_get(q, i), &b) < 0)
            goto out;
        double x = fabs(a - b);
        vec[i] = x;
        found_nan |= isnan(x);
        if (x > max)
            max = x;
    }
    result = float_new(vector_norm(n, vec, max, found_nan));
out:
    free(vec);
    decref(p);
    decref(q);
    return result;
}

// --- fsum (Shewchuk, as CPython's math_fsum) ---------------------------------------------

static Value math_fsum(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.fsum", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value it = val_iter(args[0]);
    if (!it)
        return VAL_NULL;
    size_t m = 32, n = 0;
    double stack_p[32];
    double *p = stack_p;
    double special_sum = 0.0, inf_sum = 0.0;
    double x, y, t, hi, yr, lo = 0.0;
    Value result = VAL_NULL;
    for (;;) {
        Value item = val_next(it);
        if (!item) {
            if (exc_occurred())
                goto out;
            break;
        }
        int rc = as_double(item, &x);
        decref(item);
        if (rc < 0)
            goto out;
        double xsave = x;
        size_t i = 0;
        for (size_t j = 0; j < n; j++) {
            y = p[j];
            if (fabs(x) < fabs(y)) {
                t = x;
                x = y;
                y = t;
            }
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                p[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                if (isfinite(xsave)) {
                    exc_raise(&exc_OverflowError, "intermediate overflow in fsum");
                    goto out;
                }
                if (isinf(xsave))
                    inf_sum += xsave;
                special_sum += xsave;
                n = 0;
            } else {
                if (n >= m) {
                    double *np = malloc(2 * m * sizeof(double));
                    if (!np) {
                        exc_nomemory();
                        goto out;
                    }
                    memcpy(np, p, n * sizeof(double));
                    if (p != stack_p)
                        free(p);
                    p = np;
                    m *= 2;
                }
                p[n++] = x;
            }
        }
    }
    if (special_sum != 0.0) {
        if (isnan(inf_sum))
            exc_raise(&exc_ValueError, "-inf + inf in fsum");
        else
            result = float_new(special_sum);
        goto out;
    }
    hi = 0.0;
    if (n > 0) {
        hi = p[--n];
        while (n > 0) {
            x = hi;
            y = p[--n];
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            y = lo * 2.0;
            x = hi + y;
            yr = x - hi;
            if (y == yr)
                hi = x;
        }
    }
    result = float_new(hi);
out:
    if (p != stack_p)
        free(p);
    decref(it);
    return result;
}

static Value math_prod(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (nargs != 1)
        return exc_raise(&exc_TypeError, "prod() takes exactly 1 positional argument (%zu given)",
                         nargs);
    Value start = small_new(1);
    for (size_t i = 0; kwnames && i < tuple_len(kwnames); i++) {
        const char *k = str_cstr(tuple_get(kwnames, i));
        if (strcmp(k, "start") != 0)
            return exc_raise(&exc_TypeError, "prod() got an unexpected keyword argument '%s'", k);
        start = args[nargs + i];
    }
    Value it = val_iter(args[0]);
    if (!it)
        return VAL_NULL;
    Value acc = incref(start);
    for (;;) {
        Value x = val_next(it);
        if (!x) {
            decref(it);
            if (exc_occurred()) {
                decref(acc);
                return VAL_NULL;
            }
            return acc;
        }
        Value r = val_binop(acc, x, NB_MUL);
        decref(x);
        decref(acc);
        if (!r) {
            decref(it);
            return VAL_NULL;
        }
        acc = r;
    }
}

// --- integer functions ----------------------------------------------------------------

// floor/ceil: [fn] for floats, the dunder [dunder] for other objects.
static Value floor_ceil(Value x, double (*fn)(double), const char *dunder) {
    if (val_is_float(x) && val_obj(x)->type == &float_type)
        return int_from_double(fn(float_get(x)));
    if (val_is_int(x))
        return val_type(x) == &bool_type ? small_new(x == VAL_TRUE) : incref(x);
    Value f = type_lookup_cstr(val_type(x), dunder);
    if (f)
        return val_call1(f, x);
    double d;
    if (as_double(x, &d) < 0)
        return VAL_NULL;
    return int_from_double(fn(d));
}

static Value math_floor(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.floor", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return floor_ceil(args[0], floor, "__floor__");
}

static Value math_ceil(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.ceil", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return floor_ceil(args[0], ceil, "__ceil__");
}

static Value math_trunc(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.trunc", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value x = args[0];
    if (val_is_float(x) && val_obj(x)->type == &float_type)
        return int_from_double(float_get(x));
    if (val_is_int(x))
        return val_type(x) == &bool_type ? small_new(x == VAL_TRUE) : incref(x);
    Value f = type_lookup_cstr(val_type(x), "__trunc__");
    if (!f)
        return exc_raise(&exc_TypeError, "type %s doesn't define __trunc__ method",
                         val_type_name(x));
    return val_call1(f, x);
}

// Load an index-able argument into [z]; -1 on error.
static int load_mpz(Value v, mpz_t z) {
    Value i = as_index(v);
    if (!i)
        return -1;
    int_to_mpz(i, z);
    decref(i);
    return 0;
}

static Value math_isqrt(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.isqrt", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    mpz_t z;
    mpz_init(z);
    if (load_mpz(args[0], z) < 0) {
        mpz_clear(z);
        return VAL_NULL;
    }
    if (mpz_sgn(z) < 0) {
        mpz_clear(z);
        return exc_raise(&exc_ValueError, "isqrt() argument must be nonnegative");
    }
    mpz_sqrt(z, z);
    Value r = int_from_mpz(z);
    mpz_clear(z);
    return r;
}

// gcd and lcm over any number of integers.
static Value gcd_lcm(Value *args, size_t nargs, Value kwnames, bool lcm, const char *name) {
    if (kwnames && tuple_len(kwnames))
        return exc_raise(&exc_TypeError, "%s() takes no keyword arguments", name);
    mpz_t acc, x;
    mpz_init_set_ui(acc, lcm ? 1 : 0);
    mpz_init(x);
    for (size_t i = 0; i < nargs; i++) {
        if (load_mpz(args[i], x) < 0) {
            mpz_clears(acc, x, NULL);
            return VAL_NULL;
        }
        if (lcm)
            mpz_lcm(acc, acc, x);
        else
            mpz_gcd(acc, acc, x);
    }
    Value r = int_from_mpz(acc);
    mpz_clears(acc, x, NULL);
    return r;
}

static Value math_gcd(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    return gcd_lcm(args, nargs, kwnames, false, "gcd");
}

static Value math_lcm(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    return gcd_lcm(args, nargs, kwnames, true, "lcm");
}

static Value math_factorial(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("math.factorial", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value i = as_index(args[0]);
    if (!i)
        return VAL_NULL;
    int64_t n;
    int rc = int_as_i64(i, &n);
    int sign = int_sign(i);
    decref(i);
    if (rc < 0) {
        exc_clear();
        if (sign < 0)
            return exc_raise(&exc_ValueError, "factorial() not defined for negative values");
        return exc_raise(&exc_OverflowError,
                         "factorial() argument should not exceed %lld", (long long)INT64_MAX);
    }
    if (n < 0)
        return exc_raise(&exc_ValueError, "factorial() not defined for negative values");
    mpz_t z;
    mpz_init(z);
    mpz_fac_ui(z, (unsigned long)n);
    Value r = int_from_mpz(z);
    mpz_clear(z);
    return r;
}

// n and k for comb/perm: both non-negative exact ints.
static int load_n_k(Value nv, Value kv, mpz_t n, mpz_t k) {
    if (load_mpz(nv, n) < 0 || load_mpz(kv, k) < 0)
        return -1;
    if (mpz_sgn(n) < 0)
        return exc_raise_int(&exc_ValueError, "n must be a non-negative integer");
    if (mpz_sgn(k) < 0)
        return exc_raise_int(&exc_ValueError, "k must be a non-negative integer");
    return 0;
}

static Value math_comb(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("comb", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    mpz_t n, k, r;
    mpz_inits(n, k, r, NULL);
    Value result = VAL_NULL;
    if (load_n_k(args[0], args[1], n, k) < 0)
        goto out;
    if (mpz_cmp(k, n) > 0) {
        result = small_new(0);
        goto out;
    }
    // comb(n, k) == comb(n, n - k): use the smaller k.
    mpz_sub(r, n, k);
    if (mpz_cmp(r, k) < 0)
        mpz_set(k, r);
    if (!mpz_fits_ulong_p(k)) {
        exc_raise(&exc_OverflowError, "min(n - k, k) must not exceed %lld", (long long)INT64_MAX);
        goto out;
    }
    mpz_bin_ui(r, n, mpz_get_ui(k));
    result = int_from_mpz(r);
out:
    mpz_clears(n, k, r, NULL);
    return result;
}

static Value math_perm(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("perm", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    if (nargs == 1 || args[1] == VAL_NONE) {
        Value a = args[0];
        Value i = as_index(a);
        if (!i)
            return VAL_NULL;
        if (int_sign(i) < 0) {
            decref(i);
            return exc_raise(&exc_ValueError, "n must be a non-negative integer");
        }
        Value r = math_factorial(VAL_NULL, &i, 1, VAL_NULL);
        decref(i);
        return r;
    }
    mpz_t n, k, r;
    mpz_inits(n, k, r, NULL);
    Value result = VAL_NULL;
    if (load_n_k(args[0], args[1], n, k) < 0)
        goto out;
    if (mpz_cmp(k, n) > 0) {
        result = small_new(0);
        goto out;
    }
    if (!mpz_fits_ulong_p(k)) {
        exc_raise(&exc_OverflowError, "k must not exceed %lld", (long long)INT64_MAX);
        goto out;
    }
    // n * (n-1) * ... * (n-k+1): GMP's falling factorial is not in every
    // version, so build it from two factorials when n fits, else a product.
    unsigned long kk = mpz_get_ui(k);
    if (mpz_fits_ulong_p(n) && kk > 64) {
        unsigned long nn = mpz_get_ui(n);
        mpz_t d;
        mpz_init(d);
        mpz_fac_ui(r, nn);
        mpz_fac_ui(d, nn - kk);
        mpz_divexact(r, r, d);
        mpz_clear(d);
    } else {
        mpz_set_ui(r, 1);
        for (unsigned long i = 0; i < kk; i++) {
            mpz_mul(r, r, n);
            mpz_sub_ui(n, n, 1);
        }
    }
    result = int_from_mpz(r);
out:
    mpz_clears(n, k, r, NULL);
    return result;
}

static const MethodDef math_functions[] = {
    {"acos", math_acos, 0, NULL},
    {"acosh", math_acosh, 0, NULL},
    {"asin", math_asin, 0, NULL},
    {"asinh", math_asinh, 0, NULL},
    {"atan", math_atan, 0, NULL},
    {"atan2", math_atan2, 0, NULL},
    {"atanh", math_atanh, 0, NULL},
    {"cbrt", math_cbrt, 0, NULL},
    {"ceil", math_ceil, 0, NULL},
    {"comb", math_comb, 0, NULL},
    {"copysign", math_copysign, 0, NULL},
    {"cos", math_cos, 0, NULL},
    {"cosh", math_cosh, 0, NULL},
    {"degrees", math_degrees, 0, NULL},
    {"dist", math_dist, 0, NULL},
    {"erf", math_erf, 0, NULL},
    {"erfc", math_erfc, 0, NULL},
    {"exp", math_exp, 0, NULL},
    {"exp2", math_exp2, 0, NULL},
    {"expm1", math_expm1, 0, NULL},
    {"fabs", math_fabs, 0, NULL},
    {"factorial", math_factorial, 0, NULL},
    {"floor", math_floor, 0, NULL},
    {"fmod", math_fmod, 0, NULL},
    {"frexp", math_frexp, 0, NULL},
    {"fsum", math_fsum, 0, NULL},
    {"gamma", math_gamma, 0, NULL},
    {"gcd", math_gcd, 0, NULL},
    {"hypot", math_hypot, 0, NULL},
    {"isclose", math_isclose, 0, NULL},
    {"isfinite", math_isfinite, 0, NULL},
    {"isinf", math_isinf, 0, NULL},
    {"isnan", math_isnan, 0, NULL},
    {"isqrt", math_isqrt, 0, NULL},
    {"lcm", math_lcm, 0, NULL},
    {"ldexp", math_ldexp, 0, NULL},
    {"lgamma", math_lgamma, 0, NULL},
    {"log", math_log, 0, NULL},
    {"log10", math_log10, 0, NULL},
    {"log1p", math_log1p, 0, NULL},
    {"log2", math_log2, 0, NULL},
    {"modf", math_modf, 0, NULL},
    {"nextafter", math_nextafter, 0, NULL},
    {"perm", math_perm, 0, NULL},
    {"pow", math_pow, 0, NULL},
    {"prod", math_prod, 0, NULL},
    {"radians", math_radians, 0, NULL},
    {"remainder", math_remainder, 0, NULL},
    {"sin", math_sin, 0, NULL},
    {"sinh", math_sinh, 0, NULL},
    {"sqrt", math_sqrt, 0, NULL},
    {"tan", math_tan, 0, NULL},
    {"tanh", math_tanh, 0, NULL},
    {"trunc", math_trunc, 0, NULL},
    {"ulp", math_ulp, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Value mod_math_init(void) {
    Value m = module_new("math");
    if (!m)
        return VAL_NULL;
    if (module_add_functions(m, math_functions) < 0 ||
        module_add_steal(m, "pi", float_new(M_PI)) < 0 ||
        module_add_steal(m, "e", float_new(M_E)) < 0 ||
        module_add_steal(m, "tau", float_new(2.0 * M_PI)) < 0 ||
        module_add_steal(m, "inf", float_new(INFINITY)) < 0 ||
        module_add_steal(m, "nan", float_new(NAN)) < 0) {
        decref(m);
        return VAL_NULL;
    }
    return m;
}
