// int and bool.
//
// Representation (object.h, int.h): an int in [SMALL_MIN, SMALL_MAX] is a
// tagged word; any other exact int is a BigInt whose mpz never holds a
// small-range value (int_from_mpz / from_mpz_take normalise every result), so
// equal exact ints have equal representations. Instances of user subclasses
// of int use the BigInt layout too, but their mpz may hold any value; bool is
// a BoolObj (two immortal statics). "An int" below means any of these
// (val_is_int); results are always exact ints (or bools for & | ^ on two
// bools).
//
// int_binop is the one implementation of the binary operators: the type's nb
// slots, the int.__add__... methods and the interpreter's slow path all call
// it. Operands that fit a word are computed without GMP (overflow-checked);
// everything else goes through GMP with borrowed views of BigInt operands.
//
// GMP aborts when malloc fails, so results whose size can be predicted
// (** << *) are refused with MemoryError above INT_MAX_BITS instead.
// Decimal conversions in both directions stop at FMT_INT_MAX_STR_DIGITS
// digits with CPython 3.11's ValueError (sys.set_int_max_str_digits is not
// supported: the limit is fixed).
//
// Everything here is immutable once built, so no locking is needed.
#include "int.h"

#include <inttypes.h>
#include <math.h>

#include "abstract.h"
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "fmt.h"
#include "func.h"
#include "str.h"
#include "tuple.h"

// Largest result (in bits) a predictable operation may build (512 MiB).
#define INT_MAX_BITS ((uint64_t)1 << 32)

// 2**53: every integer up to this magnitude is exact in a double.
#define EXACT_DOUBLE_MAX ((intptr_t)1 << 53)

// --- representation helpers ----------------------------------------------------------

bool val_is_int(Value v) {
    if (val_is_small(v))
        return true;
    if (v == VAL_NULL)
        return false;
    Type *t = val_obj(v)->type;
    return t == &int_type || t == &bool_type || (t->tflags & TF_INT_SUBCLASS);
}

// True when the int [v] has the BigInt layout (exact BigInt or subclass).
static inline bool has_mpz(Value v) {
    return val_is_obj(v) && val_obj(v)->type != &bool_type;
}

static inline mpz_srcptr big_z(Value v) {
    return ((BigInt *)val_obj(v))->z;
}

// The int [v] as a word when its value is in the small range.
static inline bool int_word(Value v, intptr_t *out) {
    if (val_is_small(v)) {
        *out = small_get(v);
        return true;
    }
    Object *o = val_obj(v);
    if (o->type == &bool_type) {
        *out = ((BoolObj *)o)->value;
        return true;
    }
    if (o->type == &int_type)
        return false;  // exact BigInts are outside the small range
    mpz_srcptr z = ((BigInt *)o)->z;
    if (mpz_fits_slong_p(z)) {
        long l = mpz_get_si(z);
        if (small_fits(l)) {
            *out = (intptr_t)l;
            return true;
        }
    }
    return false;
}

// A read-only mpz view of the int [v]: BigInt operands are borrowed, others
// are loaded into [tmp] (initialised by the caller).
static mpz_srcptr int_view(Value v, mpz_t tmp) {
    if (has_mpz(v))
        return big_z(v);
    intptr_t w = 0;
    int_word(v, &w);
    mpz_set_si(tmp, (long)w);
    return tmp;
}

void int_to_mpz(Value v, mpz_t out) {
    if (has_mpz(v)) {
        mpz_set(out, big_z(v));
        return;
    }
    intptr_t w = 0;
    int_word(v, &w);
    mpz_set_si(out, (long)w);
}

Value int_from_i64(int64_t i) {
    if (small_fits(i))
        return small_new((intptr_t)i);
    BigInt *b = obj_alloc(&int_type, sizeof(BigInt));
    if (!b)
        return VAL_NULL;
    mpz_init_set_si(b->z, (long)i);
    return obj_val(b);
}

Value int_from_u64(uint64_t i) {
    if (i <= (uint64_t)SMALL_MAX)
        return small_new((intptr_t)i);
    BigInt *b = obj_alloc(&int_type, sizeof(BigInt));
    if (!b)
        return VAL_NULL;
    mpz_init_set_ui(b->z, (unsigned long)i);
    return obj_val(b);
}

Value int_from_mpz(const mpz_t z) {
    if (mpz_fits_slong_p(z)) {
        long l = mpz_get_si(z);
        if (small_fits(l))
            return small_new((intptr_t)l);
    }
    BigInt *b = obj_alloc(&int_type, sizeof(BigInt));
    if (!b)
        return VAL_NULL;
    mpz_init_set(b->z, z);
    return obj_val(b);
}

// Like int_from_mpz but takes over [z]: it is cleared in every case.
static Value from_mpz_take(mpz_t z) {
    if (mpz_fits_slong_p(z)) {
        long l = mpz_get_si(z);
        if (small_fits(l)) {
            mpz_clear(z);
            return small_new((intptr_t)l);
        }
    }
    BigInt *b = obj_alloc(&int_type, sizeof(BigInt));
    if (!b) {
        mpz_clear(z);
        return VAL_NULL;
    }
    mpz_init(b->z);
    mpz_swap(b->z, z);
    mpz_clear(z);
    return obj_val(b);
}

// The exact int equal to the int [v] (new reference).
static Value int_exact(Value v) {
    if (val_is_small(v) || val_obj(v)->type == &int_type)
        return incref(v);
    intptr_t w;
    if (int_word(v, &w))
        return small_new(w);
    return int_from_mpz(big_z(v));
}

Value int_from_double(double d) {
    if (isinf(d))
        return exc_raise(&exc_OverflowError, "cannot convert float infinity to integer");
    if (isnan(d))
        return exc_raise(&exc_ValueError, "cannot convert float NaN to integer");
    if (d > -4611686018427387904.0 && d < 4611686018427387904.0)   // |d| < 2**62
        return small_new((intptr_t)d);
    mpz_t z;
    mpz_init_set_d(z, d);
    return from_mpz_take(z);
}

// Raise the Python exception a fmt_* error code names.
static Value raise_fmt(int rc, const char *err) {
    switch (rc) {
    case FMT_ERR_MEMORY: return exc_nomemory();
    case FMT_ERR_OVERFLOW: return exc_raise(&exc_OverflowError, "%s", err);
    case FMT_ERR_TYPE: return exc_raise(&exc_TypeError, "%s", err);
    default: return exc_raise(&exc_ValueError, "%s", err);
    }
}

Value int_from_string(const char *digits, size_t len, int base) {
    mpz_t z;
    mpz_init(z);
    char err[256] = "";
    int rc = fmt_parse_int(digits, len, base, z, err, sizeof err);
    if (rc == 0)
        return from_mpz_take(z);
    mpz_clear(z);
    if (rc == FMT_ERR_LIMIT)
        return exc_raise(&exc_ValueError,
                         "%s - Consider hexadecimal for huge integer literals to avoid decimal "
                         "conversion limits.",
                         err);
    if (rc == FMT_ERR_MEMORY)
        return exc_nomemory();
    return exc_raise(&exc_ValueError, "invalid integer literal");
}

// At most the first 200 code points of the str [s] (new reference): the
// message shows repr(s) cut like CPython's "%.200R".
static Value str_head200(Value s) {
    if (as_str(s)->nchars <= 200)
        return incref(s);
    const unsigned char *p = (const unsigned char *)str_cstr(s);
    const unsigned char *start = p;
    for (int i = 0; i < 200; i++)
        utf8_decode(&p);
    return str_new((const char *)start, (size_t)(p - start));
}

// int(s, base) for a str [s]; [base] is 0 or 2..36.
static Value int_parse_str(Value s, int base) {
    mpz_t z;
    mpz_init(z);
    char err[256] = "";
    int rc = fmt_parse_int(str_cstr(s), str_len(s), base, z, err, sizeof err);
    if (rc == 0)
        return from_mpz_take(z);
    mpz_clear(z);
    if (rc == FMT_ERR_LIMIT)
        return exc_raise(&exc_ValueError, "%s", err);
    if (rc == FMT_ERR_MEMORY)
        return exc_nomemory();
    Value full = val_repr(s);
    if (!full)
        return VAL_NULL;
    Value r = str_head200(full);
    decref(full);
    if (!r)
        return VAL_NULL;
    exc_raise(&exc_ValueError, "invalid literal for int() with base %d: %s", base, str_cstr(r));
    decref(r);
    return VAL_NULL;
}

// --- conversions -------------------------------------------------------------------

int int_as_i64(Value v, int64_t *out) {
    intptr_t w;
    if (!val_is_int(v))
        return exc_raise_int(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             val_type_name(v));
    if (int_word(v, &w)) {
        *out = w;
        return 0;
    }
    mpz_srcptr z = big_z(v);
    if (sizeof(long) == 8 && mpz_fits_slong_p(z)) {
        *out = mpz_get_si(z);
        return 0;
    }
    return exc_raise_int(&exc_OverflowError, "Python int too large to convert to C long");
}

int val_index_i64(Value v, int64_t *out) {
    if (val_is_int(v)) {
        intptr_t w;
        if (int_word(v, &w)) {
            *out = w;
            return 0;
        }
        mpz_srcptr z = big_z(v);
        if (sizeof(long) == 8 && mpz_fits_slong_p(z)) {
            *out = mpz_get_si(z);
            return 0;
        }
        return exc_raise_int(&exc_OverflowError, "Python int too large to convert to C ssize_t");
    }
    Type *t = val_type(v);
    if (!t->nb_index)
        return exc_raise_int(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             t->name);
    Value r = t->nb_index(v);
    if (!r)
        return -1;
    if (!val_is_int(r)) {
        exc_raise(&exc_TypeError, "__index__ returned non-int (type %s)", val_type_name(r));
        decref(r);
        return -1;
    }
    int rc = val_index_i64(r, out);
    decref(r);
    return rc;
}

int val_index_clamp_i64(Value v, int64_t *out) {
    if (!val_is_int(v)) {
        Type *t = val_type(v);
        if (!t->nb_index)
            return exc_raise_int(&exc_TypeError,
                                 "'%s' object cannot be interpreted as an integer", t->name);
        Value r = t->nb_index(v);
        if (!r)
            return -1;
        if (!val_is_int(r)) {
            exc_raise(&exc_TypeError, "__index__ returned non-int (type %s)", val_type_name(r));
            decref(r);
            return -1;
        }
        int rc = val_index_clamp_i64(r, out);
        decref(r);
        return rc;
    }
    intptr_t w;
    if (int_word(v, &w)) {
        *out = w;
        return 0;
    }
    mpz_srcptr z = big_z(v);
    if (sizeof(long) == 8 && mpz_fits_slong_p(z))
        *out = mpz_get_si(z);
    else
        *out = mpz_sgn(z) < 0 ? INT64_MIN : INT64_MAX;
    return 0;
}

int int_as_double(Value v, double *out) {
    intptr_t w;
    if (int_word(v, &w)) {
        *out = (double)w;  // int64 -> double rounds half-even
        return 0;
    }
    if (fmt_mpz_to_double(big_z(v), out) != 0)
        return exc_raise_int(&exc_OverflowError, "int too large to convert to float");
    return 0;
}

int int_sign(Value v) {
    intptr_t w;
    if (int_word(v, &w))
        return (w > 0) - (w < 0);
    return mpz_sgn(big_z(v));
}

int int_bit_length(Value v) {
    intptr_t w;
    if (int_word(v, &w)) {
        uint64_t a = w < 0 ? (uint64_t)0 - (uint64_t)w : (uint64_t)w;
        return a ? 64 - __builtin_clzll(a) : 0;
    }
    return (int)mpz_sizeinbase(big_z(v), 2);
}

Value int_repr(Value v) {
    intptr_t w;
    if (int_word(v, &w)) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%" PRIdPTR, w);
        return str_new(buf, (size_t)n);
    }
    mpz_srcptr z = big_z(v);
    size_t est = mpz_sizeinbase(z, 10);  // exact or one too many
    if (est > (size_t)FMT_INT_MAX_STR_DIGITS + 1)
        goto limit;
    char *buf = malloc(est + 2);
    if (!buf)
        return exc_nomemory();
    mpz_get_str(buf, 10, z);
    size_t len = strlen(buf);
    if (len - (buf[0] == '-') > FMT_INT_MAX_STR_DIGITS) {
        free(buf);
        goto limit;
    }
    return str_take(buf, len);
limit:
    return exc_raise(&exc_ValueError,
                     "Exceeds the limit (%d digits) for integer string conversion; use "
                     "sys.set_int_max_str_digits() to increase the limit",
                     FMT_INT_MAX_STR_DIGITS);
}

int64_t int_hash(Value v) {
    intptr_t w;
    if (int_word(v, &w))
        return fmt_hash_int64(w);
    return fmt_hash_mpz(big_z(v));
}

Value int_format(Value v, const char *spec, size_t len) {
    if (len == 0) {
        if (val_is_obj(v) && val_obj(v)->type == &bool_type)
            return str_from_cstr(v == VAL_TRUE ? "True" : "False");
        return int_repr(v);
    }
    char err[512] = "";
    FmtSpec fs;
    int rc = fmt_spec_parse(spec, len, val_type(v)->name, &fs, err, sizeof err);
    if (rc != 0)
        return raise_fmt(rc, err);
    mpz_t tmp;
    mpz_init(tmp);
    SBuf out;
    sbuf_init(&out);
    rc = fmt_format_int(int_view(v, tmp), &fs, &out, err, sizeof err);
    mpz_clear(tmp);
    if (rc != 0) {
        sbuf_free(&out);
        return raise_fmt(rc, err);
    }
    size_t n;
    char *s = sbuf_take(&out, &n);
    if (!s)
        return exc_nomemory();
    return str_take(s, n);
}

// --- comparison --------------------------------------------------------------------

static int int_cmp(Value a, Value b) {
    intptr_t x, y;
    if (int_word(a, &x) && int_word(b, &y))
        return (x > y) - (x < y);
    mpz_t ta, tb;
    mpz_init(ta);
    mpz_init(tb);
    int c = mpz_cmp(int_view(a, ta), int_view(b, tb));
    mpz_clear(ta);
    mpz_clear(tb);
    return (c > 0) - (c < 0);
}

int int_cmp_double(Value v, double d) {
    if (isnan(d))
        return 2;
    if (isinf(d))
        return d > 0 ? -1 : 1;
    intptr_t w;
    if (int_word(v, &w)) {
        // Rounding is monotonic: (double)w < d implies w < d. When they are
        // equal, d is integral and |d| <= 2**62, so it converts exactly.
        double wd = (double)w;
        if (wd != d)
            return wd < d ? -1 : 1;
        int64_t di = (int64_t)d;
        return (w > di) - (w < di);
    }
    int c = mpz_cmp_d(big_z(v), d);  // exact, fractions included
    return (c > 0) - (c < 0);
}

static bool cmp_holds(int c, int op) {
    if (c == 2)  // unordered (nan)
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

Value int_compare(Value a, Value b, int op) {
    if (val_is_int(a)) {
        if (val_is_int(b))
            return bool_val(cmp_holds(int_cmp(a, b), op));
        if (val_is_obj(b) && val_obj(b)->type == &float_type)
            return bool_val(cmp_holds(int_cmp_double(a, float_get(b)), op));
    }
    return incref(VAL_NOTIMPL);
}

// --- arithmetic --------------------------------------------------------------------

// |a| / |b| (b != 0) correctly rounded to a double with the quotient's sign,
// as CPython's long_true_divide: keep 57-58 quotient bits plus a sticky bit
// and round half-even at the precision of the result (subnormals included).
static int ratio_to_double(mpz_srcptr a, mpz_srcptr b, double *out) {
    bool neg = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
    if (mpz_sgn(a) == 0) {
        *out = neg ? -0.0 : 0.0;
        return 0;
    }
    int64_t e = (int64_t)mpz_sizeinbase(a, 2) - (int64_t)mpz_sizeinbase(b, 2);
    if (e > 1025)
        goto overflow;
    if (e < -1080) {
        *out = neg ? -0.0 : 0.0;
        return 0;
    }
    int64_t shift = e - 57;   // |a/b| in (2**(e-1), 2**(e+1)): quotient in [2**56, 2**58)
    mpz_t n, d, q, r;
    mpz_inits(n, d, q, r, NULL);
    mpz_abs(n, a);
    mpz_abs(d, b);
    if (shift < 0)
        mpz_mul_2exp(n, n, (mp_bitcnt_t)-shift);
    else
        mpz_mul_2exp(d, d, (mp_bitcnt_t)shift);
    mpz_tdiv_qr(q, r, n, d);
    uint64_t qq = (uint64_t)mpz_get_ui(q);
    if (mpz_sgn(r))
        qq |= 1;   // sticky
    mpz_clears(n, d, q, r, NULL);
    int qbits = 64 - __builtin_clzll(qq);
    int64_t u = qbits + shift - 53;   // exponent of the result's last place
    if (u < -1074)
        u = -1074;
    int64_t drop = u - shift;   // >= 4
    uint64_t m = 0;
    if (drop < 64) {
        m = qq >> drop;
        uint64_t rem = qq & (((uint64_t)1 << drop) - 1), half = (uint64_t)1 << (drop - 1);
        if (rem > half || (rem == half && (m & 1)))
            m++;
    }
    double res = ldexp((double)m, (int)u);
    if (isinf(res))
        goto overflow;
    *out = neg ? -res : res;
    return 0;
overflow:
    return exc_raise_int(&exc_OverflowError, "integer division result too large for a float");
}

// base ** exp on words; false on overflow of int64.
static bool pow_word(int64_t base, int64_t exp, int64_t *out) {
    int64_t r = 1, b = base;
    while (exp) {
        if ((exp & 1) && __builtin_mul_overflow(r, b, &r))
            return false;
        exp >>= 1;
        if (exp && __builtin_mul_overflow(b, b, &b))
            return false;
    }
    *out = r;
    return true;
}

// int ** negative int: both as floats (CPython does the same).
static Value pow_negative(Value a, Value b) {
    double x, y;
    if (int_as_double(a, &x) < 0 || int_as_double(b, &y) < 0)
        return VAL_NULL;
    return float_pow_double(x, y);
}

static Value big_pow(Value a, Value b, mpz_srcptr za, mpz_srcptr zb) {
    if (mpz_sgn(zb) < 0)
        return pow_negative(a, b);
    if (mpz_cmp_ui(za, 1) == 0 || mpz_sgn(za) == 0 || mpz_sgn(zb) == 0)
        return small_new(mpz_sgn(zb) == 0 ? 1 : mpz_get_si(za));
    if (mpz_cmp_si(za, -1) == 0)
        return small_new(mpz_odd_p(zb) ? -1 : 1);
    if (!mpz_fits_ulong_p(zb))
        return exc_nomemory();
    unsigned long e = mpz_get_ui(zb);
    uint64_t bits = mpz_sizeinbase(za, 2);
    if (e > INT_MAX_BITS / bits)
        return exc_nomemory();
    mpz_t r;
    mpz_init(r);
    mpz_pow_ui(r, za, e);
    return from_mpz_take(r);
}

static Value big_binop(Value a, Value b, int op) {
    mpz_t ta, tb, r;
    mpz_init(ta);
    mpz_init(tb);
    mpz_srcptr za = int_view(a, ta), zb = int_view(b, tb);
    Value res = VAL_NULL;
    mpz_init(r);
    switch (op) {
    case NB_ADD:
        mpz_add(r, za, zb);
        break;
    case NB_SUB:
        mpz_sub(r, za, zb);
        break;
    case NB_MUL:
        if (mpz_sgn(za) && mpz_sgn(zb) &&
            (uint64_t)mpz_sizeinbase(za, 2) + mpz_sizeinbase(zb, 2) > INT_MAX_BITS) {
            res = exc_nomemory();
            goto done;
        }
        mpz_mul(r, za, zb);
        break;
    case NB_TRUEDIV: {
        double d = 0.0;
        if (mpz_sgn(zb) == 0)
            res = exc_raise(&exc_ZeroDivisionError, "division by zero");
        else if (ratio_to_double(za, zb, &d) == 0)
            res = float_new(d);
        goto done;
    }
    case NB_FLOORDIV:
    case NB_MOD:
        if (mpz_sgn(zb) == 0) {
            res = exc_raise(&exc_ZeroDivisionError, op == NB_MOD
                                                        ? "integer modulo by zero"
                                                        : "integer division or modulo by zero");
            goto done;
        }
        if (op == NB_MOD)
            mpz_fdiv_r(r, za, zb);
        else
            mpz_fdiv_q(r, za, zb);
        break;
    case NB_POW:
        res = big_pow(a, b, za, zb);
        goto done;
    case NB_LSHIFT:
        if (mpz_sgn(zb) < 0) {
            res = exc_raise(&exc_ValueError, "negative shift count");
            goto done;
        }
        if (mpz_sgn(za) == 0) {
            res = small_new(0);
            goto done;
        }
        if (!mpz_fits_ulong_p(zb) ||
            mpz_get_ui(zb) + (uint64_t)mpz_sizeinbase(za, 2) > INT_MAX_BITS) {
            res = exc_nomemory();
            goto done;
        }
        mpz_mul_2exp(r, za, mpz_get_ui(zb));
        break;
    case NB_RSHIFT:
        if (mpz_sgn(zb) < 0) {
            res = exc_raise(&exc_ValueError, "negative shift count");
            goto done;
        }
        if (!mpz_fits_ulong_p(zb)) {
            res = small_new(mpz_sgn(za) < 0 ? -1 : 0);
            goto done;
        }
        mpz_fdiv_q_2exp(r, za, mpz_get_ui(zb));
        break;
    case NB_AND:
        mpz_and(r, za, zb);
        break;
    case NB_OR:
        mpz_ior(r, za, zb);
        break;
    case NB_XOR:
        mpz_xor(r, za, zb);
        break;
    default:
        res = incref(VAL_NOTIMPL);
        goto done;
    }
    res = from_mpz_take(r);
    mpz_clear(ta);
    mpz_clear(tb);
    return res;
done:
    mpz_clear(r);
    mpz_clear(ta);
    mpz_clear(tb);
    return res;
}

static inline bool is_bool(Value v) {
    return val_is_obj(v) && val_obj(v)->type == &bool_type;
}

Value int_binop(Value a, Value b, int op) {
    if (!val_is_int(a) || !val_is_int(b))
        return incref(VAL_NOTIMPL);
    intptr_t x, y;
    if (!int_word(a, &x) || !int_word(b, &y))
        return big_binop(a, b, op);
    // Both in the small range (63-bit): + - never overflow an int64.
    int64_t r;
    switch (op) {
    case NB_ADD: return int_from_i64((int64_t)x + y);
    case NB_SUB: return int_from_i64((int64_t)x - y);
    case NB_MUL:
        if (__builtin_mul_overflow((int64_t)x, (int64_t)y, &r))
            return big_binop(a, b, op);
        return int_from_i64(r);
    case NB_TRUEDIV:
        if (y == 0)
            return exc_raise(&exc_ZeroDivisionError, "division by zero");
        if (x >= -EXACT_DOUBLE_MAX && x <= EXACT_DOUBLE_MAX && y >= -EXACT_DOUBLE_MAX &&
            y <= EXACT_DOUBLE_MAX)
            return float_new((double)x / (double)y);
        return big_binop(a, b, op);
    case NB_FLOORDIV: {
        if (y == 0)
            return exc_raise(&exc_ZeroDivisionError, "integer division or modulo by zero");
        intptr_t q = x / y;
        if (x % y != 0 && ((x < 0) != (y < 0)))
            q--;
        return int_from_i64(q);   // SMALL_MIN / -1 leaves the small range
    }
    case NB_MOD: {
        if (y == 0)
            return exc_raise(&exc_ZeroDivisionError, "integer modulo by zero");
        intptr_t m = x % y;
        if (m != 0 && ((m < 0) != (y < 0)))
            m += y;
        return small_new(m);
    }
    case NB_POW:
        if (y < 0)
            return pow_negative(a, b);
        if (pow_word(x, y, &r))
            return int_from_i64(r);
        return big_binop(a, b, op);
    case NB_LSHIFT:
        if (y < 0)
            return exc_raise(&exc_ValueError, "negative shift count");
        if (x == 0)
            return small_new(0);
        if (y < 63) {
            int64_t s = (int64_t)((uint64_t)x << y);
            if ((s >> y) == x)
                return int_from_i64(s);
        }
        return big_binop(a, b, op);
    case NB_RSHIFT:
        if (y < 0)
            return exc_raise(&exc_ValueError, "negative shift count");
        return small_new(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
    case NB_AND:
        if (is_bool(a) && is_bool(b))
            return bool_val(x & y);
        return small_new(x & y);
    case NB_OR:
        if (is_bool(a) && is_bool(b))
            return bool_val(x | y);
        return small_new(x | y);
    case NB_XOR:
        if (is_bool(a) && is_bool(b))
            return bool_val(x ^ y);
        return small_new(x ^ y);
    default:
        return incref(VAL_NOTIMPL);
    }
}

Value int_divmod(Value a, Value b) {
    if (!val_is_int(a) || !val_is_int(b))
        return incref(VAL_NOTIMPL);
    Value q = int_binop(a, b, NB_FLOORDIV);
    if (!q)
        return VAL_NULL;
    Value r = int_binop(a, b, NB_MOD);
    if (!r) {
        decref(q);
        return VAL_NULL;
    }
    Value items[2] = {q, r};
    return tuple_from_array_steal(items, 2);
}

Value int_pow_mod(Value base, Value exp, Value mod) {
    if (!val_is_int(base) || !val_is_int(exp) || !val_is_int(mod)) {
        bool nums = true;
        Value v[3] = {base, exp, mod};
        for (int i = 0; i < 3; i++)
            nums = nums && (val_is_int(v[i]) || val_isinstance(v[i], &float_type));
        if (nums)
            return exc_raise(&exc_TypeError,
                             "pow() 3rd argument not allowed unless all arguments are integers");
        return exc_raise(&exc_TypeError,
                         "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                         val_type_name(base), val_type_name(exp), val_type_name(mod));
    }
    if (int_sign(mod) == 0)
        return exc_raise(&exc_ValueError, "pow() 3rd argument cannot be 0");
    mpz_t b, e, m, r;
    mpz_inits(b, e, m, r, NULL);
    int_to_mpz(base, b);
    int_to_mpz(exp, e);
    int_to_mpz(mod, m);
    bool neg_mod = mpz_sgn(m) < 0;
    mpz_abs(m, m);
    Value res = VAL_NULL;
    if (mpz_cmp_ui(m, 1) == 0) {
        res = small_new(0);
        goto done;
    }
    if (mpz_sgn(e) < 0) {
        if (!mpz_invert(b, b, m)) {
            res = exc_raise(&exc_ValueError, "base is not invertible for the given modulus");
            goto done;
        }
        mpz_neg(e, e);
    }
    mpz_powm(r, b, e, m);   // in [0, |m|)
    if (neg_mod && mpz_sgn(r) != 0)
        mpz_sub(r, r, m);
    res = int_from_mpz(r);
done:
    mpz_clears(b, e, m, r, NULL);
    return res;
}

// --- unary slots -------------------------------------------------------------------

static Value int_neg(Value v) {
    intptr_t w;
    if (int_word(v, &w))
        return int_from_i64(-(int64_t)w);
    mpz_t r;
    mpz_init(r);
    mpz_neg(r, big_z(v));
    return from_mpz_take(r);
}

static Value int_pos(Value v) {
    return int_exact(v);
}

static Value int_abs(Value v) {
    return int_sign(v) < 0 ? int_neg(v) : int_exact(v);
}

static Value int_invert(Value v) {
    intptr_t w;
    if (int_word(v, &w))
        return small_new(~w);   // ~w = -w - 1 stays in the small range
    mpz_t r;
    mpz_init(r);
    mpz_com(r, big_z(v));
    return from_mpz_take(r);
}

static int int_bool(Value v) {
    return int_sign(v) != 0;
}

static Value int_float(Value v) {
    double d;
    if (int_as_double(v, &d) < 0)
        return VAL_NULL;
    return float_new(d);
}

static int int_hash_slot(Value v, int64_t *out) {
    *out = int_hash(v);
    return 0;
}

static Value int_richcmp(Value a, Value b, int op) {
    return int_compare(a, b, op);
}

#define NB_SLOT(name, sym, d, r, i)                 \
    static Value int_nb_##name(Value a, Value b) {  \
        return int_binop(a, b, NB_##name);          \
    }
NB_OPS(NB_SLOT)
#undef NB_SLOT

// --- constructors ------------------------------------------------------------------

static void int_dealloc(Object *o) {
    mpz_clear(((BigInt *)o)->z);
    obj_free(o);
}

// An instance of the int subclass [t] holding the exact int [v] (stolen).
static Value int_subclass_new(Type *t, Value v) {
    BigInt *o = obj_alloc(t, t->basic_size);
    if (!o) {
        decref(v);
        return VAL_NULL;
    }
    mpz_init(o->z);
    int_to_mpz(v, o->z);
    decref(v);
    return obj_val(o);
}

// The int an [r] returned by __int__/__index__ stands for; steals [r].
static Value int_result(Value r, const char *dunder) {
    if (!r)
        return VAL_NULL;
    if (!val_is_int(r)) {
        exc_raise(&exc_TypeError, "%s returned non-int (type %s)", dunder, val_type_name(r));
        decref(r);
        return VAL_NULL;
    }
    Value e = int_exact(r);
    decref(r);
    return e;
}

// int(x) without a base: CPython's PyNumber_Long.
static Value int_from_object(Value x) {
    if (val_is_small(x) || val_obj(x)->type == &int_type)
        return incref(x);
    Type *t = val_type(x);
    if (t == &float_type)
        return int_from_double(float_get(x));
    if (t->nb_int)
        return int_result(t->nb_int(x), "__int__");
    if (t->nb_index)
        return int_result(t->nb_index(x), "__index__");
    Value trunc = type_lookup_cstr(t, "__trunc__");
    if (trunc) {
        Value r = val_call1(trunc, x);
        if (!r)
            return VAL_NULL;
        if (val_is_int(r)) {
            Value e = int_exact(r);
            decref(r);
            return e;
        }
        Type *rt = val_type(r);
        if (!rt->nb_index) {
            exc_raise(&exc_TypeError, "__trunc__ returned non-Integral (type %s)", rt->name);
            decref(r);
            return VAL_NULL;
        }
        Value e = int_result(rt->nb_index(r), "__index__");
        decref(r);
        return e;
    }
    if (val_is_str(x))
        return int_parse_str(x, 10);
    return exc_raise(&exc_TypeError,
                     "int() argument must be a string, a bytes-like object or a real number, "
                     "not '%s'",
                     t->name);
}

static Value int_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    if (nargs + nkw > 2)
        return exc_raise(&exc_TypeError, "int() takes at most 2 arguments (%zu given)",
                         nargs + nkw);
    Value x = nargs >= 1 ? args[0] : VAL_NULL;
    Value base = nargs >= 2 ? args[1] : VAL_NULL;
    for (size_t i = 0; i < nkw; i++) {
        Value name = tuple_get(kwnames, i);
        if (strcmp(str_cstr(name), "base") != 0)
            return exc_raise(&exc_TypeError, "'%s' is an invalid keyword argument for int()",
                             str_cstr(name));
        if (base)
            return exc_raise(&exc_TypeError,
                             "argument for int() given by name ('base') and position (2)");
        base = args[nargs + i];
    }
    Value r;
    if (!x) {
        if (base)
            return exc_raise(&exc_TypeError, "int() missing string argument");
        r = small_new(0);
    } else if (base) {
        int64_t b;
        if (val_index_i64(base, &b) < 0)
            return VAL_NULL;
        if (b != 0 && (b < 2 || b > 36))
            return exc_raise(&exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
        if (!val_is_str(x))
            return exc_raise(&exc_TypeError, "int() can't convert non-string with explicit base");
        r = int_parse_str(x, (int)b);
    } else {
        r = int_from_object(x);
    }
    if (!r || t == &int_type)
        return r;
    return int_subclass_new(t, r);
}

// int.__new__(cls, ...) / bool.__new__ / float.__new__: [args][0] must be a
// subtype of [base]; the rest goes to [new_].
Value int_static_new(Type *base, Value *args, size_t nargs, Value kwnames,
                     Value (*new_)(Type *, Value *, size_t, Value)) {
    if (nargs < 1)
        return exc_raise(&exc_TypeError, "%s.__new__(): not enough arguments", base->name);
    Value tv = args[0];
    if (!val_isinstance(tv, &type_type))
        return exc_raise(&exc_TypeError, "%s.__new__(X): X is not a type object (%s)",
                         base->name, val_type_name(tv));
    Type *t = (Type *)val_obj(tv);
    if (t != base && !type_is_subtype(t, base))
        return exc_raise(&exc_TypeError, "%s.__new__(%s): %s is not a subtype of %s", base->name,
                         t->name, t->name, base->name);
    return new_(t, args + 1, nargs - 1, kwnames);
}

static Value int_new_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    return int_static_new(&int_type, args, nargs, kwnames, int_new);
}

// --- methods -----------------------------------------------------------------------

static Value int_bit_length_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("int.bit_length", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    if (has_mpz(self))
        return int_from_u64(mpz_sgn(big_z(self)) ? mpz_sizeinbase(big_z(self), 2) : 0);
    return small_new(int_bit_length(self));
}

static Value int_bit_count_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("int.bit_count", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    intptr_t w;
    if (int_word(self, &w))
        return small_new(__builtin_popcountll(w < 0 ? (uint64_t)0 - (uint64_t)w : (uint64_t)w));
    mpz_t a;
    mpz_init(a);
    mpz_abs(a, big_z(self));
    Value r = int_from_u64(mpz_popcount(a));
    mpz_clear(a);
    return r;
}

// conjugate, __int__, __index__, __trunc__, __floor__, __ceil__, __pos__.
static Value int_self_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("int.conjugate", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_exact(self);
}

static Value int_float_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("int.__float__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_float(self);
}

// round(v, nd) for nd < 0: half-even to a multiple of 10**-nd.
static Value int_round_neg(Value v, int64_t nd) {
    mpz_t z, p, q, r;
    mpz_inits(z, p, q, r, NULL);
    int_to_mpz(v, z);
    Value res;
    if (nd < -(int64_t)mpz_sizeinbase(z, 10) - 1) {
        res = small_new(0);
    } else {
        mpz_ui_pow_ui(p, 10, (unsigned long)-nd);
        mpz_fdiv_qr(q, r, z, p);
        mpz_mul_2exp(r, r, 1);
        int c = mpz_cmp(r, p);
        if (c > 0 || (c == 0 && mpz_odd_p(q)))
            mpz_add_ui(q, q, 1);
        mpz_mul(q, q, p);
        res = int_from_mpz(q);
    }
    mpz_clears(z, p, q, r, NULL);
    return res;
}

static Value int_round_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__round__", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    if (nargs == 0)
        return int_exact(self);
    int64_t nd;
    if (val_index_clamp_i64(args[0], &nd) < 0)
        return VAL_NULL;
    if (nd >= 0)
        return int_exact(self);
    return int_round_neg(self, nd);
}

static Value int_ratio_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("int.as_integer_ratio", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Value items[2] = {int_exact(self), small_new(1)};
    if (!items[0])
        return VAL_NULL;
    return tuple_from_array_steal(items, 2);
}

static Value int_format_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__format__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "__format__() argument must be str, not %s",
                         val_type_name(args[0]));
    if (str_len(args[0]) == 0 && val_is_obj(self) && val_obj(self)->type != &int_type &&
        val_obj(self)->type != &bool_type)
        return val_str(self);   // a subclass: str(self), as CPython
    return int_format(self, str_cstr(args[0]), str_len(args[0]));
}

static Value int_getnewargs_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__getnewargs__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Value e = int_exact(self);
    if (!e)
        return VAL_NULL;
    return tuple_from_array_steal(&e, 1);
}

static Value int_divmod_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__divmod__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_divmod(self, args[0]);
}

static Value int_rdivmod_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__rdivmod__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_divmod(args[0], self);
}

static Value int_pow_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__pow__", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    if (nargs == 2 && args[1] != VAL_NONE) {
        if (!val_is_int(args[0]) || !val_is_int(args[1]))
            return incref(VAL_NOTIMPL);
        return int_pow_mod(self, args[0], args[1]);
    }
    return int_binop(self, args[0], NB_POW);
}

static Value int_rpow_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__rpow__", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    if (nargs == 2 && args[1] != VAL_NONE) {
        if (!val_is_int(args[0]) || !val_is_int(args[1]))
            return incref(VAL_NOTIMPL);
        return int_pow_mod(args[0], self, args[1]);
    }
    return int_binop(args[0], self, NB_POW);
}

// int.__add__ / int.__radd__ ... for super() and explicit calls.
#define INT_BINOP_METHODS(X) \
    X(ADD, add) X(SUB, sub) X(MUL, mul) X(TRUEDIV, truediv) X(FLOORDIV, floordiv) \
    X(MOD, mod) X(LSHIFT, lshift) X(RSHIFT, rshift) X(AND, and) X(OR, or) X(XOR, xor)

#define BINOP_METH(OP, name)                                                               \
    static Value int_##name##_meth(Value self, Value *args, size_t nargs, Value kwnames) { \
        if (args_check("__" #name "__", nargs, kwnames, 1, 1) < 0)                        \
            return VAL_NULL;                                                               \
        return int_binop(self, args[0], NB_##OP);                                          \
    }                                                                                      \
    static Value int_r##name##_meth(Value self, Value *args, size_t nargs,                 \
                                    Value kwnames) {                                       \
        if (args_check("__r" #name "__", nargs, kwnames, 1, 1) < 0)                       \
            return VAL_NULL;                                                               \
        return int_binop(args[0], self, NB_##OP);                                          \
    }
INT_BINOP_METHODS(BINOP_METH)
#undef BINOP_METH

#define CMP_METHODS(X) X(LT, lt) X(LE, le) X(EQ, eq) X(NE, ne) X(GT, gt) X(GE, ge)
#define CMP_METH(OP, name)                                                                 \
    static Value int_##name##_meth(Value self, Value *args, size_t nargs, Value kwnames) { \
        if (args_check("__" #name "__", nargs, kwnames, 1, 1) < 0)                        \
            return VAL_NULL;                                                               \
        if (!val_is_int(args[0]))                                                          \
            return incref(VAL_NOTIMPL);                                                    \
        return int_compare(self, args[0], CMP_##OP);                                       \
    }
CMP_METHODS(CMP_METH)
#undef CMP_METH

#define UNARY_METHODS(X) X(neg, int_neg) X(abs, int_abs) X(invert, int_invert) X(repr, int_repr)
#define UNARY_METH(name, fn)                                                               \
    static Value int_##name##_meth(Value self, Value *args, size_t nargs, Value kwnames) { \
        UNUSED(args);                                                                      \
        if (args_check("__" #name "__", nargs, kwnames, 0, 0) < 0)                        \
            return VAL_NULL;                                                               \
        return fn(self);                                                                   \
    }
UNARY_METHODS(UNARY_METH)
#undef UNARY_METH

static Value int_bool_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__bool__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return bool_val(int_bool(self));
}

static Value int_hash_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__hash__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_i64(int_hash(self));
}

static const MethodDef int_methods[] = {
    {"__new__", int_new_meth, METH_STATIC, NULL},
    {"bit_length", int_bit_length_meth, 0, NULL},
    {"bit_count", int_bit_count_meth, 0, NULL},
    {"conjugate", int_self_meth, 0, NULL},
    {"as_integer_ratio", int_ratio_meth, 0, NULL},
    {"__int__", int_self_meth, 0, NULL},
    {"__index__", int_self_meth, 0, NULL},
    {"__trunc__", int_self_meth, 0, NULL},
    {"__floor__", int_self_meth, 0, NULL},
    {"__ceil__", int_self_meth, 0, NULL},
    {"__pos__", int_self_meth, 0, NULL},
    {"__float__", int_float_meth, 0, NULL},
    {"__round__", int_round_meth, 0, NULL},
    {"__format__", int_format_meth, 0, NULL},
    {"__getnewargs__", int_getnewargs_meth, 0, NULL},
    {"__divmod__", int_divmod_meth, 0, NULL},
    {"__rdivmod__", int_rdivmod_meth, 0, NULL},
    {"__pow__", int_pow_meth, 0, NULL},
    {"__rpow__", int_rpow_meth, 0, NULL},
#define BINOP_DEF(OP, name) {"__" #name "__", int_##name##_meth, 0, NULL}, \
                            {"__r" #name "__", int_r##name##_meth, 0, NULL},
    INT_BINOP_METHODS(BINOP_DEF)
#undef BINOP_DEF
#define CMP_DEF(OP, name) {"__" #name "__", int_##name##_meth, 0, NULL},
    CMP_METHODS(CMP_DEF)
#undef CMP_DEF
#define UNARY_DEF(name, fn) {"__" #name "__", int_##name##_meth, 0, NULL},
    UNARY_METHODS(UNARY_DEF)
#undef UNARY_DEF
    {"__bool__", int_bool_meth, 0, NULL},
    {"__hash__", int_hash_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

// Property getters (called as method descriptors: self = the int).
static Value int_real_get(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return int_exact(self);
}

static Value int_zero_get(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return small_new(0);
}

static Value int_one_get(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    return small_new(1);
}

static const MethodDef int_getters[] = {
    {"real", int_real_get, 0, NULL},
    {"imag", int_zero_get, 0, NULL},
    {"numerator", int_real_get, 0, NULL},
    {"denominator", int_one_get, 0, NULL},
    {NULL, NULL, 0, NULL},
};

void int_add_properties(Type *t, const MethodDef *defs) {
    for (const MethodDef *d = defs; d->name; d++) {
        Value fget = method_descr_new(d, t);
        Property *p = fget ? obj_alloc(&property_type, sizeof(Property)) : NULL;
        if (!p) {
            fprintf(stderr, "gilvm: out of memory at start-up\n");
            exit(1);
        }
        obj_make_immortal(val_obj(fget));
        p->fget = fget;
        obj_make_immortal(&p->ob);
        dict_set_cstr(t->dict, d->name, obj_val(p));
    }
}

Type int_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "int",
    .basic_size = sizeof(BigInt),
    .tflags = TF_BASETYPE | TF_INT_SUBCLASS,
    .dealloc = int_dealloc,
    .new_ = int_new,
    .repr = int_repr,
    .hash = int_hash_slot,
    .richcmp = int_richcmp,
    .nb = {
#define NB_ENTRY(name, sym, d, r, i) [NB_##name] = int_nb_##name,
        NB_OPS(NB_ENTRY)
#undef NB_ENTRY
    },
    .nb_neg = int_neg,
    .nb_pos = int_pos,
    .nb_invert = int_invert,
    .nb_abs = int_abs,
    .nb_int = int_exact,
    .nb_float = int_float,
    .nb_index = int_exact,
    .nb_bool = int_bool,
};

// --- bool --------------------------------------------------------------------------

BoolObj bool_true = {.ob = OBJECT_HEAD_IMMORTAL(&bool_type), .value = 1};
BoolObj bool_false = {.ob = OBJECT_HEAD_IMMORTAL(&bool_type), .value = 0};

static Value bool_repr(Value v) {
    return str_intern_cstr(v == VAL_TRUE ? "True" : "False");
}

static Value bool_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(t);
    if (kwnames && tuple_len(kwnames) > 0)
        return exc_raise(&exc_TypeError, "bool() takes no keyword arguments");
    if (nargs > 1)
        return exc_raise(&exc_TypeError, "bool expected at most 1 argument, got %zu", nargs);
    if (nargs == 0)
        return VAL_FALSE;
    int b = val_truthy(args[0]);
    if (b < 0)
        return VAL_NULL;
    return bool_val(b);
}

static void bool_dealloc(Object *o) {
    UNUSED(o);   // the two bools are immortal
}

static int bool_bool(Value v) {
    return v == VAL_TRUE;
}

Type bool_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "bool",
    .base = &int_type,
    .basic_size = sizeof(BoolObj),
    .tflags = TF_INT_SUBCLASS,
    .dealloc = bool_dealloc,
    .new_ = bool_new,
    .repr = bool_repr,
    .nb_bool = bool_bool,
};

static Value bool_and_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__and__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_binop(self, args[0], NB_AND);
}
static Value bool_or_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__or__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_binop(self, args[0], NB_OR);
}
static Value bool_xor_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__xor__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_binop(self, args[0], NB_XOR);
}
static Value bool_repr_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__repr__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return bool_repr(self);
}

static Value bool_new_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    return int_static_new(&bool_type, args, nargs, kwnames, bool_new);
}

static const MethodDef bool_methods[] = {
    {"__new__", bool_new_meth, METH_STATIC, NULL},
    {"__and__", bool_and_meth, 0, NULL},
    {"__rand__", bool_and_meth, 0, NULL},
    {"__or__", bool_or_meth, 0, NULL},
    {"__ror__", bool_or_meth, 0, NULL},
    {"__xor__", bool_xor_meth, 0, NULL},
    {"__rxor__", bool_xor_meth, 0, NULL},
    {"__repr__", bool_repr_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

void int_type_init(void) {
    type_ready(&int_type);
    type_add_methods(&int_type, int_methods);
    int_add_properties(&int_type, int_getters);
    type_ready(&bool_type);   // inherits the int slots it leaves empty
    type_add_methods(&bool_type, bool_methods);
}
