// float: a boxed C double.
//
// A FloatObj is immutable once built; instances of user subclasses share the
// layout, so float_get works on any instance of float. Arithmetic follows
// CPython's floatobject.c line by line where results can differ in sign or
// special values (floor division and modulo, pow with zeros, infinities and
// nans); ints in mixed operations are converted with int_as_double (correctly
// rounded, OverflowError "int too large to convert to float"), while
// comparisons with ints are exact (int_cmp_double), as in CPython.
//
// Known difference: CPython 3.11 returns a complex for a negative base raised
// to a non-integral power ((-8) ** (1/3)); gilvm has no complex type and
// raises ValueError "negative number cannot be raised to a fractional power".
//
// Repr, format(), round() and hash come from fmt.c (exact CPython output).
#include "float.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <strings.h>

#include "abstract.h"
#include "class.h"
#include "exc.h"
#include "fmt.h"
#include "func.h"
#include "int.h"
#include "str.h"
#include "tuple.h"

Value float_new(double d) {
    FloatObj *f = obj_alloc(&float_type, sizeof(FloatObj));
    if (!f)
        return VAL_NULL;
    f->value = d;
    return obj_val(f);
}

// Any instance of float (subclasses included).
static inline bool is_float(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &float_type || val_isinstance(v, &float_type));
}

static Value raise_fmt(int rc, const char *err) {
    switch (rc) {
    case FMT_ERR_MEMORY: return exc_nomemory();
    case FMT_ERR_OVERFLOW: return exc_raise(&exc_OverflowError, "%s", err);
    case FMT_ERR_TYPE: return exc_raise(&exc_TypeError, "%s", err);
    default: return exc_raise(&exc_ValueError, "%s", err);
    }
}

static Value sbuf_to_str(SBuf *b) {
    size_t n;
    char *s = sbuf_take(b, &n);
    if (!s)
        return exc_nomemory();
    return str_take(s, n);
}

// --- conversions -------------------------------------------------------------------

// The double a __float__ result [r] (stolen) stands for.
static int float_result(Value v, Value r, double *out) {
    if (!r)
        return -1;
    if (!is_float(r)) {
        exc_raise(&exc_TypeError, "%s.__float__ returned non-float (type %s)", val_type_name(v),
                  val_type_name(r));
        decref(r);
        return -1;
    }
    *out = float_get(r);
    decref(r);
    return 0;
}

int val_as_double(Value v, double *out) {
    if (is_float(v)) {
        *out = float_get(v);
        return 0;
    }
    if (val_is_int(v))
        return int_as_double(v, out);
    Type *t = val_type(v);
    if (t->nb_float)
        return float_result(v, t->nb_float(v), out);
    if (t->nb_index) {
        Value r = t->nb_index(v);
        if (!r)
            return -1;
        int rc = val_is_int(r) ? int_as_double(r, out)
                               : exc_raise_int(&exc_TypeError,
                                               "__index__ returned non-int (type %s)",
                                               val_type_name(r));
        decref(r);
        return rc;
    }
    return exc_raise_int(&exc_TypeError, "must be real number, not %s", t->name);
}

Value float_repr(Value v) {
    SBuf b;
    sbuf_init(&b);
    if (fmt_double_repr(float_get(v), &b) != 0) {
        sbuf_free(&b);
        return exc_nomemory();
    }
    return sbuf_to_str(&b);
}

Value float_format(double d, const char *spec, size_t len) {
    SBuf b;
    sbuf_init(&b);
    char err[512] = "";
    int rc;
    if (len == 0) {
        rc = fmt_double_repr(d, &b) == 0 ? 0 : FMT_ERR_MEMORY;
    } else {
        FmtSpec fs;
        rc = fmt_spec_parse(spec, len, "float", &fs, err, sizeof err);
        if (rc == 0)
            rc = fmt_format_double(d, &fs, &b, err, sizeof err);
    }
    if (rc != 0) {
        sbuf_free(&b);
        return raise_fmt(rc, err);
    }
    return sbuf_to_str(&b);
}

int64_t float_hash(double d) {
    return fmt_hash_double(d);
}

static int float_hash_slot(Value v, int64_t *out) {
    double d = float_get(v);
    if (isnan(d)) {
        // CPython 3.10+: a nan hashes by identity (_Py_HashPointer).
        uintptr_t y = (uintptr_t)val_obj(v);
        y = (y >> 4) | (y << (8 * sizeof(uintptr_t) - 4));
        int64_t h = (int64_t)y;
        *out = h == -1 ? -2 : h;
        return 0;
    }
    *out = fmt_hash_double(d);
    return 0;
}

// --- arithmetic --------------------------------------------------------------------

// Operand [v] as a double: 1 converted, 0 not a number (NotImplemented),
// -1 error (an int too large).
static int operand(Value v, double *out) {
    if (is_float(v)) {
        *out = float_get(v);
        return 1;
    }
    if (val_is_int(v))
        return int_as_double(v, out) < 0 ? -1 : 1;
    return 0;
}

static bool is_odd_integer(double x) {
    return fmod(fabs(x), 2.0) == 1.0;
}

Value float_pow_double(double iv, double iw) {
    if (iw == 0)
        return float_new(1.0);
    if (isnan(iv))
        return float_new(iv);
    if (isnan(iw))
        return float_new(iv == 1.0 ? 1.0 : iw);
    if (isinf(iw)) {
        iv = fabs(iv);
        if (iv == 1.0)
            return float_new(1.0);
        if ((iw > 0) == (iv > 1.0))
            return float_new(fabs(iw));
        return float_new(0.0);
    }
    if (isinf(iv)) {
        bool odd = is_odd_integer(iw);
        if (iw > 0)
            return float_new(odd ? iv : fabs(iv));
        return float_new(odd ? copysign(0.0, iv) : 0.0);
    }
    if (iv == 0.0) {
        bool odd = is_odd_integer(iw);
        if (iw < 0)
            return exc_raise(&exc_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return float_new(odd ? iv : 0.0);
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != floor(iw))
            return exc_raise(&exc_ValueError,
                             "negative number cannot be raised to a fractional power");
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0)
        return float_new(negate ? -1.0 : 1.0);
    errno = 0;
    double ix = pow(iv, iw);
    if (errno == 0) {
        if (isinf(ix))
            errno = ERANGE;
    } else if (errno == ERANGE && ix == 0.0) {
        errno = 0;   // underflow to zero is not an error
    }
    if (negate)
        ix = -ix;
    if (errno == ERANGE) {
        // CPython raises OverflowError(errno, strerror): two arguments.
        Value a[2] = {small_new(ERANGE), str_intern_cstr("Numerical result out of range")};
        Value e = exc_new(&exc_OverflowError, a, 2);
        if (e)
            exc_set_steal(e);
        return VAL_NULL;
    }
    if (errno != 0)
        return exc_raise(&exc_ValueError, "math domain error");
    return float_new(ix);
}

// CPython's _float_div_mod; [w] != 0.
static void div_mod(double vx, double wx, double *floordiv, double *mod) {
    double m = fmod(vx, wx);
    double div = (vx - m) / wx;
    if (m) {
        if ((wx < 0) != (m < 0)) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = copysign(0.0, wx);
    }
    double fd;
    if (div) {
        fd = floor(div);
        if (div - fd > 0.5)
            fd += 1.0;
    } else {
        fd = copysign(0.0, vx / wx);
    }
    *floordiv = fd;
    *mod = m;
}

Value float_binop(Value a, Value b, int op) {
    double x, y;
    int ra = operand(a, &x);
    if (ra <= 0)
        return ra < 0 ? VAL_NULL : incref(VAL_NOTIMPL);
    int rb = operand(b, &y);
    if (rb <= 0)
        return rb < 0 ? VAL_NULL : incref(VAL_NOTIMPL);
    switch (op) {
    case NB_ADD: return float_new(x + y);
    case NB_SUB: return float_new(x - y);
    case NB_MUL: return float_new(x * y);
    case NB_TRUEDIV:
        if (y == 0.0)
            return exc_raise(&exc_ZeroDivisionError, "float division by zero");
        return float_new(x / y);
    case NB_FLOORDIV: {
        if (y == 0.0)
            return exc_raise(&exc_ZeroDivisionError, "float floor division by zero");
        double q, m;
        div_mod(x, y, &q, &m);
        return float_new(q);
    }
    case NB_MOD: {
        if (y == 0.0)
            return exc_raise(&exc_ZeroDivisionError, "float modulo");
        double m = fmod(x, y);
        if (m) {
            if ((y < 0) != (m < 0))
                m += y;
        } else {
            m = copysign(0.0, y);
        }
        return float_new(m);
    }
    case NB_POW: return float_pow_double(x, y);
    default: return incref(VAL_NOTIMPL);
    }
}

Value float_divmod(Value a, Value b) {
    double x, y;
    int ra = operand(a, &x);
    if (ra <= 0)
        return ra < 0 ? VAL_NULL : incref(VAL_NOTIMPL);
    int rb = operand(b, &y);
    if (rb <= 0)
        return rb < 0 ? VAL_NULL : incref(VAL_NOTIMPL);
    if (y == 0.0)
        return exc_raise(&exc_ZeroDivisionError, "float divmod()");
    double q, m;
    div_mod(x, y, &q, &m);
    Value items[2] = {float_new(q), float_new(m)};
    if (!items[0] || !items[1]) {
        decref(items[0]);
        decref(items[1]);
        return VAL_NULL;
    }
    return tuple_from_array_steal(items, 2);
}

static bool cmp_holds(int c, int op) {
    if (c == 2)
        return op == CMP_NE;
    switch (op) {
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_EQ: return c == 0;
    case CMP_NE: return c != 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

static const int swapped[] = {
    [CMP_LT] = CMP_GT, [CMP_LE] = CMP_GE, [CMP_EQ] = CMP_EQ,
    [CMP_NE] = CMP_NE, [CMP_GT] = CMP_LT, [CMP_GE] = CMP_LE,
};

Value float_compare(Value a, Value b, int op) {
    if (is_float(a)) {
        double x = float_get(a);
        if (is_float(b)) {
            double y = float_get(b);
            switch (op) {
            case CMP_LT: return bool_val(x < y);
            case CMP_LE: return bool_val(x <= y);
            case CMP_EQ: return bool_val(x == y);
            case CMP_NE: return bool_val(x != y);
            case CMP_GT: return bool_val(x > y);
            default: return bool_val(x >= y);
            }
        }
        if (val_is_int(b))   // int vs float, seen from the int
            return bool_val(cmp_holds(int_cmp_double(b, x), swapped[op]));
    } else if (val_is_int(a) && is_float(b)) {
        return bool_val(cmp_holds(int_cmp_double(a, float_get(b)), op));
    }
    return incref(VAL_NOTIMPL);
}

// --- slots -------------------------------------------------------------------------

#define NB_SLOT(name)                                 \
    static Value float_nb_##name(Value a, Value b) {  \
        return float_binop(a, b, NB_##name);          \
    }
NB_SLOT(ADD)
NB_SLOT(SUB)
NB_SLOT(MUL)
NB_SLOT(TRUEDIV)
NB_SLOT(FLOORDIV)
NB_SLOT(MOD)
NB_SLOT(POW)
#undef NB_SLOT

static Value float_neg(Value v) {
    return float_new(-float_get(v));
}
static Value float_pos(Value v) {
    if (val_obj(v)->type == &float_type)
        return incref(v);
    return float_new(float_get(v));
}
static Value float_abs(Value v) {
    return float_new(fabs(float_get(v)));
}
static int float_bool(Value v) {
    return float_get(v) != 0.0;
}
static Value float_int(Value v) {
    return int_from_double(float_get(v));
}
static Value float_float(Value v) {
    return float_pos(v);
}

static void float_dealloc(Object *o) {
    obj_free(o);
}

// float(x) without a subclass: CPython's PyNumber_Float.
static Value float_from_object(Value x) {
    if (val_is_obj(x) && val_obj(x)->type == &float_type)
        return incref(x);
    if (val_is_str(x)) {
        double d;
        if (fmt_parse_double(str_cstr(x), str_len(x), &d) < 0) {
            Value r = val_repr(x);
            if (!r)
                return VAL_NULL;
            exc_raise(&exc_ValueError, "could not convert string to float: %s", str_cstr(r));
            decref(r);
            return VAL_NULL;
        }
        return float_new(d);
    }
    Type *t = val_type(x);
    if (t->nb_float) {
        double d;
        if (float_result(x, t->nb_float(x), &d) < 0)
            return VAL_NULL;
        return float_new(d);
    }
    if (t->nb_index) {
        Value r = t->nb_index(x);
        if (!r)
            return VAL_NULL;
        double d;
        int rc = val_is_int(r) ? int_as_double(r, &d)
                               : exc_raise_int(&exc_TypeError,
                                               "__index__ returned non-int (type %s)",
                                               val_type_name(r));
        decref(r);
        return rc < 0 ? VAL_NULL : float_new(d);
    }
    return exc_raise(&exc_TypeError,
                     "float() argument must be a string or a real number, not '%s'", t->name);
}

static Value float_type_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    if (kwnames && tuple_len(kwnames) > 0)
        return exc_raise(&exc_TypeError, "float() takes no keyword arguments");
    if (nargs > 1)
        return exc_raise(&exc_TypeError, "float expected at most 1 argument, got %zu", nargs);
    Value r = nargs ? float_from_object(args[0]) : float_new(0.0);
    if (!r || t == &float_type)
        return r;
    FloatObj *f = obj_alloc(t, t->basic_size);
    if (f)
        f->value = float_get(r);
    decref(r);
    return f ? obj_val(f) : VAL_NULL;
}

static Value float_richcmp(Value a, Value b, int op) {
    return float_compare(a, b, op);
}

// --- methods -----------------------------------------------------------------------

#define NOARGS(fname)                                              \
    UNUSED(args);                                                  \
    if (args_check(fname, nargs, kwnames, 0, 0) < 0)               \
        return VAL_NULL;

static Value float_is_integer_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("float.is_integer")
    double d = float_get(self);
    return bool_val(isfinite(d) && floor(d) == d);
}

static Value float_ratio_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("float.as_integer_ratio")
    double d = float_get(self);
    if (isinf(d))
        return exc_raise(&exc_OverflowError, "cannot convert Infinity to integer ratio");
    if (isnan(d))
        return exc_raise(&exc_ValueError, "cannot convert NaN to integer ratio");
    int e;
    double part = frexp(d, &e);
    for (int i = 0; i < 300 && part != floor(part); i++) {
        part *= 2.0;
        e--;
    }
    mpz_t num, den;
    mpz_init_set_d(num, part);
    mpz_init_set_ui(den, 1);
    if (e > 0)
        mpz_mul_2exp(num, num, (mp_bitcnt_t)e);
    else
        mpz_mul_2exp(den, den, (mp_bitcnt_t)-e);
    Value items[2] = {int_from_mpz(num), int_from_mpz(den)};
    mpz_clear(num);
    mpz_clear(den);
    if (!items[0] || !items[1]) {
        decref(items[0]);
        decref(items[1]);
        return VAL_NULL;
    }
    return tuple_from_array_steal(items, 2);
}

static Value float_self_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("float.conjugate")
    return float_pos(self);
}

static Value float_trunc_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("float.__trunc__")
    return int_from_double(float_get(self));
}

static Value float_floor_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("float.__floor__")
    return int_from_double(floor(float_get(self)));
}

static Value float_ceil_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("float.__ceil__")
    return int_from_double(ceil(float_get(self)));
}

static Value float_round_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__round__", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    double d = float_get(self);
    if (nargs == 0 || args[0] == VAL_NONE)
        return int_from_double(fmt_round_half_even(d));
    int64_t n;
    if (val_index_clamp_i64(args[0], &n) < 0)
        return VAL_NULL;
    if (n > INT32_MAX)
        n = INT32_MAX;
    if (n < INT32_MIN)
        n = INT32_MIN;
    double out;
    if (fmt_round_double(d, (int)n, &out) != 0)
        return exc_raise(&exc_OverflowError, "rounded value too large to represent");
    return float_new(out);
}

static Value float_format_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__format__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "__format__() argument must be str, not %s",
                         val_type_name(args[0]));
    if (str_len(args[0]) == 0 && val_obj(self)->type != &float_type)
        return val_str(self);   // a subclass: str(self), as CPython
    return float_format(float_get(self), str_cstr(args[0]), str_len(args[0]));
}

static Value float_getnewargs_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("__getnewargs__")
    Value f = float_new(float_get(self));
    if (!f)
        return VAL_NULL;
    return tuple_from_array_steal(&f, 1);
}

static Value float_divmod_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__divmod__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return float_divmod(self, args[0]);
}

static Value float_rdivmod_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__rdivmod__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return float_divmod(args[0], self);
}

static Value float_pow_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__pow__", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    if (nargs == 2 && args[1] != VAL_NONE)
        return exc_raise(&exc_TypeError,
                         "pow() 3rd argument not allowed unless all arguments are integers");
    return float_binop(self, args[0], NB_POW);
}

static Value float_rpow_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__rpow__", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    if (nargs == 2 && args[1] != VAL_NONE)
        return exc_raise(&exc_TypeError,
                         "pow() 3rd argument not allowed unless all arguments are integers");
    return float_binop(args[0], self, NB_POW);
}

#define FLOAT_BINOP_METHODS(X) \
    X(ADD, add) X(SUB, sub) X(MUL, mul) X(TRUEDIV, truediv) X(FLOORDIV, floordiv) X(MOD, mod)

#define BINOP_METH(OP, name)                                                                 \
    static Value float_##name##_meth(Value self, Value *args, size_t nargs, Value kwnames) { \
        if (args_check("__" #name "__", nargs, kwnames, 1, 1) < 0)                          \
            return VAL_NULL;                                                                 \
        return float_binop(self, args[0], NB_##OP);                                          \
    }                                                                                        \
    static Value float_r##name##_meth(Value self, Value *args, size_t nargs,                 \
                                      Value kwnames) {                                       \
        if (args_check("__r" #name "__", nargs, kwnames, 1, 1) < 0)                         \
            return VAL_NULL;                                                                 \
        return float_binop(args[0], self, NB_##OP);                                          \
    }
FLOAT_BINOP_METHODS(BINOP_METH)
#undef BINOP_METH

#define CMP_METHODS(X) X(LT, lt) X(LE, le) X(EQ, eq) X(NE, ne) X(GT, gt) X(GE, ge)
#define CMP_METH(OP, name)                                                                   \
    static Value float_##name##_meth(Value self, Value *args, size_t nargs, Value kwnames) { \
        if (args_check("__" #name "__", nargs, kwnames, 1, 1) < 0)                          \
            return VAL_NULL;                                                                 \
        return float_compare(self, args[0], CMP_##OP);                                       \
    }
CMP_METHODS(CMP_METH)
#undef CMP_METH

#define UNARY_METHODS(X) \
    X(neg, float_neg) X(pos, float_pos) X(abs, float_abs) X(repr, float_repr) \
    X(int, float_int) X(float, float_float)
#define UNARY_METH(name, fn)                                                                 \
    static Value float_##name##_meth(Value self, Value *args, size_t nargs, Value kwnames) { \
        NOARGS("__" #name "__")                                                              \
        return fn(self);                                                                     \
    }
UNARY_METHODS(UNARY_METH)
#undef UNARY_METH

static Value float_bool_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("__bool__")
    return bool_val(float_bool(self));
}

static Value float_hash_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("__hash__")
    int64_t h;
    float_hash_slot(self, &h);
    return int_from_i64(h);
}

static Value float_hex_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    NOARGS("float.hex")
    double x = float_get(self);
    if (isnan(x) || isinf(x))
        return float_repr(self);
    if (x == 0.0)
        return str_from_cstr(copysign(1.0, x) < 0 ? "-0x0.0p+0" : "0x0.0p+0");
    // CPython's float_hex: one leading hex digit, 13 after the point.
    int e;
    double m = frexp(fabs(x), &e);
    int shift = 1 - (DBL_MIN_EXP - e > 0 ? DBL_MIN_EXP - e : 0);
    m = ldexp(m, shift);
    e -= shift;
    static const char hexd[] = "0123456789abcdef";
    char digits[20];
    int n = 0;
    digits[n++] = hexd[(int)m];
    m -= (int)m;
    digits[n++] = '.';
    for (int i = 0; i < (DBL_MANT_DIG - 1) / 4; i++) {
        m *= 16.0;
        digits[n++] = hexd[(int)m];
        m -= (int)m;
    }
    digits[n] = '\0';
    return str_printf("%s0x%sp%c%d", x < 0 ? "-" : "", digits, e < 0 ? '-' : '+', abs(e));
}

static bool ascii_space(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool hex_digit(char c) {
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

// float.fromhex(s): validated here, converted by strtod (correctly rounded
// for hexadecimal input).
static Value float_fromhex_meth(Value cls, Value *args, size_t nargs, Value kwnames) {
    if (args_check("float.fromhex", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "fromhex() argument must be str, not %s",
                         val_type_name(args[0]));
    const char *p = str_cstr(args[0]), *end = p + str_len(args[0]);
    while (p < end && ascii_space(*p))
        p++;
    while (end > p && ascii_space(end[-1]))
        end--;
    size_t len = (size_t)(end - p);
    char *buf = malloc(len + 8);
    if (!buf)
        return exc_nomemory();
    const char *q = p;
    size_t k = 0;
    if (q < end && (*q == '+' || *q == '-'))
        buf[k++] = *q++;
    double d;
    bool ok = false;
    size_t rest = (size_t)(end - q);
    if ((rest == 3 && strncasecmp(q, "inf", 3) == 0) ||
        (rest == 8 && strncasecmp(q, "infinity", 8) == 0) ||
        (rest == 3 && strncasecmp(q, "nan", 3) == 0)) {
        memcpy(buf + k, q, rest);
        k += rest;
        ok = true;
    } else {
        if (end - q >= 2 && q[0] == '0' && (q[1] | 0x20) == 'x')
            q += 2;
        buf[k++] = '0';
        buf[k++] = 'x';
        size_t ndigits = 0;
        while (q < end && hex_digit(*q)) {
            buf[k++] = *q++;
            ndigits++;
        }
        if (q < end && *q == '.') {
            buf[k++] = *q++;
            while (q < end && hex_digit(*q)) {
                buf[k++] = *q++;
                ndigits++;
            }
        }
        ok = ndigits > 0;
        if (ok && q < end && (*q | 0x20) == 'p') {
            buf[k++] = *q++;
            if (q < end && (*q == '+' || *q == '-'))
                buf[k++] = *q++;
            size_t nexp = 0;
            while (q < end && *q >= '0' && *q <= '9') {
                buf[k++] = *q++;
                nexp++;
            }
            ok = nexp > 0;
        }
        ok = ok && q == end;
    }
    buf[k] = '\0';
    if (!ok) {
        free(buf);
        return exc_raise(&exc_ValueError, "invalid hexadecimal floating-point string");
    }
    errno = 0;
    d = strtod(buf, NULL);
    free(buf);
    if (isinf(d) && errno == ERANGE)
        return exc_raise(&exc_OverflowError,
                         "hexadecimal value too large to represent as a float");
    Value f = float_new(d);
    if (!f || cls == obj_val(&float_type))
        return f;
    Value r = val_call1(cls, f);   // a subclass: cls(result), as CPython
    decref(f);
    return r;
}

static Value float_new_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    return int_static_new(&float_type, args, nargs, kwnames, float_type_new);
}

static const MethodDef float_methods[] = {
    {"__new__", float_new_meth, METH_STATIC, NULL},
    {"is_integer", float_is_integer_meth, 0, NULL},
    {"hex", float_hex_meth, 0, NULL},
    {"fromhex", float_fromhex_meth, METH_CLASS, NULL},
    {"as_integer_ratio", float_ratio_meth, 0, NULL},
    {"conjugate", float_self_meth, 0, NULL},
    {"__trunc__", float_trunc_meth, 0, NULL},
    {"__floor__", float_floor_meth, 0, NULL},
    {"__ceil__", float_ceil_meth, 0, NULL},
    {"__round__", float_round_meth, 0, NULL},
    {"__format__", float_format_meth, 0, NULL},
    {"__getnewargs__", float_getnewargs_meth, 0, NULL},
    {"__divmod__", float_divmod_meth, 0, NULL},
    {"__rdivmod__", float_rdivmod_meth, 0, NULL},
    {"__pow__", float_pow_meth, 0, NULL},
    {"__rpow__", float_rpow_meth, 0, NULL},
#define BINOP_DEF(OP, name) {"__" #name "__", float_##name##_meth, 0, NULL}, \
                            {"__r" #name "__", float_r##name##_meth, 0, NULL},
    FLOAT_BINOP_METHODS(BINOP_DEF)
#undef BINOP_DEF
#define CMP_DEF(OP, name) {"__" #name "__", float_##name##_meth, 0, NULL},
    CMP_METHODS(CMP_DEF)
#undef CMP_DEF
#define UNARY_DEF(name, fn) {"__" #name "__", float_##name##_meth, 0, NULL},
    UNARY_METHODS(UNARY_DEF)
#undef UNARY_DEF
    {"__bool__", float_bool_meth, 0, NULL},
    {"__hash__", float_hash_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

static Value float_real_get(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return float_pos(self);
}

static Value float_imag_get(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return float_new(0.0);
}

static const MethodDef float_getters[] = {
    {"real", float_real_get, 0, NULL},
    {"imag", float_imag_get, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type float_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "float",
    .basic_size = sizeof(FloatObj),
    .tflags = TF_BASETYPE,
    .dealloc = float_dealloc,
    .new_ = float_type_new,
    .repr = float_repr,
    .hash = float_hash_slot,
    .richcmp = float_richcmp,
    .nb = {
        [NB_ADD] = float_nb_ADD,
        [NB_SUB] = float_nb_SUB,
        [NB_MUL] = float_nb_MUL,
        [NB_TRUEDIV] = float_nb_TRUEDIV,
        [NB_FLOORDIV] = float_nb_FLOORDIV,
        [NB_MOD] = float_nb_MOD,
        [NB_POW] = float_nb_POW,
    },
    .nb_neg = float_neg,
    .nb_pos = float_pos,
    .nb_abs = float_abs,
    .nb_int = float_int,
    .nb_float = float_float,
    .nb_bool = float_bool,
};

void float_type_init(void) {
    type_ready(&float_type);
    type_add_methods(&float_type, float_methods);
    int_add_properties(&float_type, float_getters);
}
