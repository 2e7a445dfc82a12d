// fmt: CPython 3.11 formatting and parsing of numbers and strings.
//
// The structure follows CPython so its behaviour can be compared line by line:
//   dtoa()               ~ _Py_dg_dtoa (modes 0, 2, 3), via glibc printf/strtod
//   double_to_string()   ~ PyOS_double_to_string + format_float_short
//   emit_number()        ~ calc_number_widths + fill_number
//                          (+ _PyUnicode_InsertThousandsGrouping)
//   format_float()       ~ format_float_internal
//   percent_output()     ~ unicode_format_arg_output
// Nothing here is shared or global: every function is reentrant.
// Output sizes are checked against FMT_MAX_OUTPUT before anything is
// reserved, so absurd widths or precisions fail cleanly.
#include "fmt.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// IEEE-754 binary64 parameters. <float.h> is not included on purpose: with
// -Ivm it resolves to gilvm's vm/float.h.
#define F64_MANT_DIG 53
#define F64_MIN_EXP (-1021)
#define F64_MAX_EXP 1024
_Static_assert(sizeof(double) == 8, "fmt assumes IEEE-754 binary64 doubles");

// Flags for double_to_string (Py_DTSF_*).
#define DTSF_SIGN 1
#define DTSF_ADD_DOT_0 2
#define DTSF_ALT 4
#define DTSF_NO_NEG_0 8

// dtoa never needs more digits than this: a double's exact decimal
// expansion has at most 767 significant digits and 1074 fraction digits.
#define DTOA_MAX_SIG 780
#define DTOA_MAX_FRAC 1080
#define DTOA_BUF 1600

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)
#define HASH_INF 314159

static void set_err(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void set_err(char *err, size_t errlen, const char *fmt, ...) {
    if (err == NULL || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int no_memory(char *err, size_t errlen) {
    if (err != NULL && errlen > 0) err[0] = '\0';
    return FMT_ERR_MEMORY;
}

// ---------------------------------------------------------------------------
// UTF-8 helpers (lenient: a stray byte counts as one code point)

static size_t utf8_decode(const char *s, size_t len, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    unsigned char c = u[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (n > len) n = 1;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) n = 1;
    }
    if (n == 1) {
        *cp = c;
        return 1;
    }
    uint32_t v = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) v = (v << 6) | (u[i] & 0x3F);
    *cp = v;
    return n;
}

static size_t utf8_encode(uint32_t cp, char *buf) {
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static size_t utf8_count(const char *s, size_t len) {
    size_t n = 0, i = 0;
    uint32_t cp;
    while (i < len) {
        i += utf8_decode(s + i, len - i, &cp);
        n++;
    }
    return n;
}

// Byte offset of the [ncp]-th code point (or [len]).
static size_t utf8_offset(const char *s, size_t len, size_t ncp) {
    size_t i = 0;
    uint32_t cp;
    while (i < len && ncp > 0) {
        i += utf8_decode(s + i, len - i, &cp);
        ncp--;
    }
    return i;
}

// Py_UNICODE_TODECIMAL: the Unicode 14.0 (CPython 3.11) decimal digits come
// in 65 runs of ten; these are the zeros.
static const uint32_t unicode_zeros[] = {
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6,
    0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
    0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
};

static int unicode_decimal(uint32_t cp) {
    if (cp >= '0' && cp <= '9') return (int)cp - '0';
    size_t lo = 0, hi = sizeof unicode_zeros / sizeof unicode_zeros[0];
    while (lo < hi) {  // last zero <= cp
        size_t mid = (lo + hi) / 2;
        if (unicode_zeros[mid] <= cp) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return -1;
    uint32_t d = cp - unicode_zeros[lo - 1];
    return d < 10 ? (int)d : -1;
}

// Appends [n] copies of the [fill_len]-byte sequence [fill].
static int put_fill(SBuf *out, const char *fill, size_t fill_len, int64_t n) {
    if (n <= 0) return 0;
    if ((uint64_t)n > (uint64_t)FMT_MAX_OUTPUT / fill_len) return -1;
    if (sbuf_reserve(out, (size_t)n * fill_len) < 0) return -1;
    char *p = out->data + out->len;
    if (fill_len == 1) {
        memset(p, fill[0], (size_t)n);
    } else {
        for (int64_t i = 0; i < n; i++, p += fill_len) memcpy(p, fill, fill_len);
    }
    out->len += (size_t)n * fill_len;
    out->data[out->len] = '\0';
    return 0;
}

// ---------------------------------------------------------------------------
// dtoa emulation

// Mantissa digits and decimal exponent of a "%.Ne" string.
static size_t parse_e(const char *buf, char *digits, int64_t *decpt) {
    size_t n = 0;
    const char *p = buf;
    for (; *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9') digits[n++] = *p;
    }
    *decpt = strtol(p + 1, NULL, 10) + 1;
    return n;
}

static size_t strip_zeros(char *digits, size_t n) {
    while (n > 1 && digits[n - 1] == '0') n--;
    return n;
}

// Shortest digits that read back as [d] (> 0), closest to [d] among those,
// by trying each length in turn: the correctly rounded candidate and its
// two neighbours (only one neighbour can lie in the rounding interval).
// Used for exact powers of two, whose rounding interval is asymmetric.
static size_t shortest_linear(double d, char *digits, int64_t *decpt) {
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        if (strtod(buf, NULL) == d) return strip_zeros(digits, parse_e(buf, digits, decpt));
        char mant[32];
        int64_t dp;
        size_t n = parse_e(buf, mant, &dp);
        uint64_t m = 0, pow = 1;
        for (size_t i = 0; i < n; i++) {
            m = m * 10 + (uint64_t)(mant[i] - '0');
            pow *= 10;
        }
        int64_t e0 = dp - (int64_t)n;  // value = m * 10^e0
        for (int k = 0; k < 2; k++) {
            uint64_t c = k == 0 ? m + 1 : m - 1;
            int64_t ce = e0;
            if (c == pow) {
                c /= 10;
                ce++;
            } else if (c < pow / 10) {
                c = c * 10 + 9;
                ce--;
            }
            snprintf(buf, sizeof buf, "%llue%lld", (unsigned long long)c, (long long)ce);
            if (strtod(buf, NULL) == d) {
                int len = snprintf(digits, 32, "%llu", (unsigned long long)c);
                *decpt = len + ce;
                return strip_zeros(digits, (size_t)len);
            }
        }
    }
    // Unreachable: 17 significant digits always round-trip.
    snprintf(buf, sizeof buf, "%.16e", d);
    return strip_zeros(digits, parse_e(buf, digits, decpt));
}

// The correctly rounded [p]-digit form of [d], derived from its correctly
// rounded 17 digits [d17] (decimal point at [dp17]). Rounding twice is exact
// unless the dropped tail is exactly 50...0; then ask printf again.
static size_t round_candidate(double d, const char *d17, int64_t dp17, int p, char *out,
                              int64_t *decpt) {
    memcpy(out, d17, (size_t)p);
    *decpt = dp17;
    if (p == 17) return 17;
    bool half = d17[p] == '5';
    for (int i = p + 1; i < 17 && half; i++) half = d17[i] == '0';
    if (half) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        return parse_e(buf, out, decpt);
    }
    if (d17[p] >= '5') {
        int i = p - 1;
        while (i >= 0 && out[i] == '9') out[i--] = '0';
        if (i >= 0) {
            out[i]++;
        } else {
            out[0] = '1';  // 99..9 -> 100..0
            (*decpt)++;
        }
    }
    return (size_t)p;
}

static bool reads_back(double d, const char *digits, size_t n, int64_t decpt) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.*se%lld", (int)n, digits, (long long)(decpt - (int64_t)n));
    return strtod(buf, NULL) == d;
}

// Shortest round-tripping digits of [d] > 0. With a symmetric rounding
// interval the correctly rounded p-digit candidate gets no farther from [d]
// as p grows (p-digit decimals are also (p+1)-digit ones), so "reads back"
// is monotone in p and a binary search finds the shortest length.
static size_t shortest_digits(double d, char *digits, int64_t *decpt) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    if ((bits & 0xFFFFFFFFFFFFFull) == 0 && ((bits >> 52) & 0x7FF) > 1)
        return shortest_linear(d, digits, decpt);
    char buf[64], d17[32];
    int64_t dp17;
    snprintf(buf, sizeof buf, "%.16e", d);
    parse_e(buf, d17, &dp17);
    int lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int64_t dp;
        size_t n = round_candidate(d, d17, dp17, mid, digits, &dp);
        if (reads_back(d, digits, n, dp)) hi = mid;
        else lo = mid + 1;
    }
    size_t n = round_candidate(d, d17, dp17, lo, digits, decpt);
    return strip_zeros(digits, n);
}

// Like _Py_dg_dtoa for finite [d]: mode 0 shortest, mode 2 [ndigits]
// significant digits, mode 3 [ndigits] (>= 0) digits after the point.
// [digits] (DTOA_BUF bytes) gets no trailing zeros; zero is "0" with
// decpt 1; a value rounding to nothing in mode 3 is "" with decpt -ndigits.
static size_t dtoa(double d, int mode, int64_t ndigits, char *digits, int64_t *decpt,
                   int *sign) {
    char buf[DTOA_BUF];
    *sign = signbit(d) ? 1 : 0;
    d = fabs(d);
    if (d == 0) {
        digits[0] = '0';
        *decpt = 1;
        return 1;
    }
    if (mode == 0) return shortest_digits(d, digits, decpt);
    if (mode == 2) {
        int p = ndigits > DTOA_MAX_SIG ? DTOA_MAX_SIG : (int)ndigits;
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        return strip_zeros(digits, parse_e(buf, digits, decpt));
    }
    int p = ndigits > DTOA_MAX_FRAC ? DTOA_MAX_FRAC : (int)ndigits;
    snprintf(buf, sizeof buf, "%.*f", p, d);
    size_t n = 0, nint = 0, first = SIZE_MAX;
    bool frac = false;
    for (const char *q = buf; *q; q++) {
        if (*q == '.') {
            frac = true;
            continue;
        }
        if (!frac) nint++;
        if (first == SIZE_MAX && *q != '0') first = n;
        if (first != SIZE_MAX) digits[n - first] = *q;
        n++;
    }
    if (first == SIZE_MAX) {
        *decpt = -ndigits;
        return 0;
    }
    *decpt = (int64_t)nint - (int64_t)first;
    return strip_zeros(digits, n - first);
}

// PyOS_double_to_string: [code] is e E f F g G r; appends to [out].
static int double_to_string(double d, char code, int64_t precision, int flags, SBuf *out) {
    bool upper = false;
    int mode = 0;
    switch (code) {
    case 'E':
        upper = true;
        code = 'e';
        // fall through
    case 'e':
        mode = 2;
        precision++;
        break;
    case 'F':
        upper = true;
        code = 'f';
        // fall through
    case 'f':
        mode = 3;
        break;
    case 'G':
        upper = true;
        code = 'g';
        // fall through
    case 'g':
        mode = 2;
        if (precision == 0) precision = 1;
        break;
    default:
        code = 'r';
        mode = 0;
        precision = 0;
        break;
    }

    if (!isfinite(d)) {
        int sign = isnan(d) ? 0 : signbit(d) != 0;
        char buf[8], *p = buf;
        if (sign) *p++ = '-';
        else if (flags & DTSF_SIGN) *p++ = '+';
        memcpy(p, isnan(d) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), 3);
        return sbuf_putn(out, buf, (size_t)(p - buf) + 3);
    }

    char digits[DTOA_BUF];
    int64_t decpt;
    int sign;
    int64_t ndig = (int64_t)dtoa(d, mode, precision, digits, &decpt, &sign);
    if ((flags & DTSF_NO_NEG_0) && sign && (ndig == 0 || (ndig == 1 && digits[0] == '0')))
        sign = 0;

    bool add_dot_0 = (flags & DTSF_ADD_DOT_0) != 0, alt = (flags & DTSF_ALT) != 0;
    bool use_exp = false;
    int64_t exp = 0, vend = ndig;
    switch (code) {
    case 'e':
        use_exp = true;
        vend = precision;
        break;
    case 'f':
        vend = decpt + precision;
        break;
    case 'g':
        if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision)) use_exp = true;
        if (alt) vend = precision;
        break;
    default:  // 'r': exponent from 1e16 on
        if (decpt <= -4 || decpt > 16) use_exp = true;
        break;
    }
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    int64_t vstart = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && add_dot_0) vend = vend > decpt ? vend : decpt + 1;
    else vend = vend > decpt ? vend : decpt;

    int64_t size = 3 + (vend - vstart) + (use_exp ? 8 : 0);
    if (size > FMT_MAX_OUTPUT || sbuf_reserve(out, (size_t)size) < 0) return -1;
    char *start = out->data + out->len, *p = start;

    if (sign) *p++ = '-';
    else if (flags & DTSF_SIGN) *p++ = '+';
    if (decpt <= 0) {
        memset(p, '0', (size_t)(decpt - vstart));
        p += decpt - vstart;
        *p++ = '.';
        memset(p, '0', (size_t)-decpt);
        p += -decpt;
    } else {
        memset(p, '0', (size_t)-vstart);
        p += -vstart;
    }
    if (0 < decpt && decpt <= ndig) {
        memcpy(p, digits, (size_t)decpt);
        p += decpt;
        *p++ = '.';
        memcpy(p, digits + decpt, (size_t)(ndig - decpt));
        p += ndig - decpt;
    } else {
        memcpy(p, digits, (size_t)ndig);
        p += ndig;
    }
    if (ndig < decpt) {
        memset(p, '0', (size_t)(decpt - ndig));
        p += decpt - ndig;
        *p++ = '.';
        memset(p, '0', (size_t)(vend - decpt));
        p += vend - decpt;
    } else {
        memset(p, '0', (size_t)(vend - ndig));
        p += vend - ndig;
    }
    if (p > start && p[-1] == '.' && !alt) p--;
    if (use_exp) {
        *p++ = upper ? 'E' : 'e';
        p += sprintf(p, "%+.02d", (int)exp);
    }
    out->len += (size_t)(p - start);
    out->data[out->len] = '\0';
    return 0;
}

int fmt_double_repr(double x, SBuf *out) {
    return double_to_string(x, 'r', 0, DTSF_ADD_DOT_0, out) < 0 ? FMT_ERR_MEMORY : FMT_OK;
}

// ---------------------------------------------------------------------------
// format-spec parsing

static bool is_align(char c) {
    return c == '<' || c == '>' || c == '=' || c == '^';
}

// get_integer: (Unicode) decimal digits; -1 on overflow of int64, else the
// number of digits consumed.
static int get_integer(const char *s, size_t len, size_t *pos, int64_t *result) {
    int64_t acc = 0;
    int n = 0;
    size_t i = *pos;
    while (i < len) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, len - i, &cp);
        int dv = unicode_decimal(cp);
        if (dv < 0) break;
        if (acc > (INT64_MAX - dv) / 10) {
            *pos = i;
            return -1;
        }
        acc = acc * 10 + dv;
        i += k;
        n++;
    }
    *pos = i;
    *result = acc;
    return n;
}

int fmt_spec_parse(const char *spec, size_t len, const char *type_name, FmtSpec *out,
                   char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->fill[0] = ' ';
    out->fill_len = 1;
    out->width = -1;
    out->precision = -1;
    out->type_name = type_name;
    if (err != NULL && errlen > 0) err[0] = '\0';

    size_t pos = 0;
    bool fill_given = false;
    uint32_t cp;
    size_t n0 = utf8_decode(spec, len, &cp);
    if (n0 > 0 && n0 < len && is_align(spec[n0])) {
        memcpy(out->fill, spec, n0);
        out->fill[n0] = '\0';
        out->fill_len = (uint8_t)n0;
        out->align = spec[n0];
        fill_given = true;
        pos = n0 + 1;
    } else if (len > 0 && is_align(spec[0])) {
        out->align = spec[0];
        pos = 1;
    }
    if (pos < len && (spec[pos] == '+' || spec[pos] == '-' || spec[pos] == ' ')) out->sign = spec[pos++];
    if (pos < len && spec[pos] == 'z') {
        out->no_neg_0 = true;
        pos++;
    }
    if (pos < len && spec[pos] == '#') {
        out->alternate = true;
        pos++;
    }
    if (!fill_given && pos < len && spec[pos] == '0') {
        out->fill[0] = '0';
        out->zero = true;
        pos++;
    }
    int consumed = get_integer(spec, len, &pos, &out->width);
    if (consumed < 0) {
        set_err(err, errlen, "Too many decimal digits in format string");
        return FMT_ERR_VALUE;
    }
    if (consumed == 0) out->width = -1;
    if (pos < len && spec[pos] == ',') {
        out->grouping = ',';
        pos++;
    }
    if (pos < len && spec[pos] == '_') {
        if (out->grouping) goto comma_and_underscore;
        out->grouping = '_';
        pos++;
    }
    if (pos < len && spec[pos] == ',' && out->grouping == '_') goto comma_and_underscore;
    if (pos < len && spec[pos] == '.') {
        pos++;
        consumed = get_integer(spec, len, &pos, &out->precision);
        if (consumed < 0) {
            set_err(err, errlen, "Too many decimal digits in format string");
            return FMT_ERR_VALUE;
        }
        if (consumed == 0) {
            set_err(err, errlen, "Format specifier missing precision");
            return FMT_ERR_VALUE;
        }
    }
    if (pos < len) {
        size_t n = utf8_decode(spec + pos, len - pos, &out->type);
        if (pos + n < len) {
            set_err(err, errlen, "Invalid format specifier '%.*s' for object of type '%s'",
                    (int)(len > INT_MAX ? INT_MAX : len), spec,
                    type_name != NULL ? type_name : "object");
            return FMT_ERR_VALUE;
        }
    }
    return FMT_OK;

comma_and_underscore:
    set_err(err, errlen, "Cannot specify both ',' and '_'.");
    return FMT_ERR_VALUE;
}

static const char *type_name_or(const FmtSpec *spec, const char *dflt) {
    return spec->type_name != NULL ? spec->type_name : dflt;
}

static int unknown_type(uint32_t type, const char *type_name, char *err, size_t errlen) {
    if (type > 32 && type < 128)
        set_err(err, errlen, "Unknown format code '%c' for object of type '%s'", (char)type,
                type_name);
    else
        set_err(err, errlen, "Unknown format code '\\x%x' for object of type '%s'",
                (unsigned)type, type_name);
    return FMT_ERR_VALUE;
}

// The grouping/type check CPython does at the end of parsing, given the
// formatter's effective type. Sets *[group] to 0, 3 or 4.
static int check_grouping(const FmtSpec *spec, uint32_t type, int *group, char *err,
                          size_t errlen) {
    *group = 0;
    if (!spec->grouping) return FMT_OK;
    switch (type) {
    case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
        *group = 3;
        return FMT_OK;
    case 'b': case 'o': case 'x': case 'X':
        if (spec->grouping == '_') {
            *group = 4;
            return FMT_OK;
        }
        break;
    default:
        break;
    }
    if (type > 32 && type < 128)
        set_err(err, errlen, "Cannot specify '%c' with '%c'.", spec->grouping, (char)type);
    else
        set_err(err, errlen, "Cannot specify '%c' with '\\x%x'.", spec->grouping, (unsigned)type);
    return FMT_ERR_VALUE;
}

static char resolve_align(const FmtSpec *spec, char default_align) {
    if (spec->align) return spec->align;
    if (spec->zero && default_align == '>') return '=';
    return default_align;
}

// ---------------------------------------------------------------------------
// number layout: | lpad | sign | prefix | spad | grouped digits | . | remainder | rpad |

// _PyUnicode_InsertThousandsGrouping. With [dst] NULL only counts; else
// writes the [total] bytes counted before, right to left.
static int64_t group_digits(char *dst, int64_t total, const char *digits, int64_t n_digits,
                            int64_t min_width, int group, char sep) {
    if (min_width < 0) min_width = 0;
    int64_t count = 0, remaining = n_digits, bpos = total, dpos = n_digits;
    bool use_sep = false, broken = false;
    int64_t len;
#define MAX3(a, b, c) ((a) > (b) ? ((a) > (c) ? (a) : (c)) : ((b) > (c) ? (b) : (c)))
#define FILL_CHUNK()                                                             \
    do {                                                                         \
        int64_t zeros = len - remaining > 0 ? len - remaining : 0;              \
        int64_t chars = remaining < len ? remaining : len;                      \
        if (chars < 0) chars = 0;                                                \
        count += (use_sep ? 1 : 0) + zeros + chars;                              \
        if (dst != NULL) {                                                       \
            if (use_sep) dst[--bpos] = sep;                                      \
            bpos -= chars;                                                       \
            dpos -= chars;                                                       \
            memcpy(dst + bpos, digits + dpos, (size_t)chars);                    \
            bpos -= zeros;                                                       \
            memset(dst + bpos, '0', (size_t)zeros);                              \
        }                                                                        \
        remaining -= chars;                                                      \
    } while (0)
    if (group > 0) {
        for (;;) {
            len = group;
            int64_t cap = MAX3(remaining, min_width, 1);
            if (len > cap) len = cap;
            FILL_CHUNK();
            use_sep = true;
            min_width -= len;
            if (remaining <= 0 && min_width <= 0) {
                broken = true;
                break;
            }
            min_width -= 1;
        }
    }
    if (!broken) {
        len = MAX3(remaining, min_width, 1);
        FILL_CHUNK();
    }
#undef FILL_CHUNK
#undef MAX3
    return count;
}

typedef struct {
    char sign_char;            // '-' when negative, else 0
    const char *prefix;        // "0x" etc. (already in the final case)
    int64_t n_prefix;
    const char *digits;        // integer-part digits
    int64_t n_digits;
    bool has_decimal;          // a '.' follows the digits
    const char *rem;           // after the '.', or exponent / '%' / 'c' char
    size_t rem_bytes;
    int64_t rem_cps;
    bool upper;                // upper-case the digits (type 'X')
} NumberParts;

static int emit_number(SBuf *out, const FmtSpec *spec, char align, int group, const NumberParts *np,
                       char *err, size_t errlen) {
    char sign = 0;
    switch (spec->sign) {
    case '+':
        sign = np->sign_char == '-' ? '-' : '+';
        break;
    case ' ':
        sign = np->sign_char == '-' ? '-' : ' ';
        break;
    default:
        if (np->sign_char == '-') sign = '-';
        break;
    }
    int64_t n_sign = sign ? 1 : 0;
    int64_t nondigit = n_sign + np->n_prefix + (np->has_decimal ? 1 : 0) + np->rem_cps;
    bool zero_fill = spec->fill_len == 1 && spec->fill[0] == '0';
    int64_t min_width = (zero_fill && align == '=') ? spec->width - nondigit : 0;
    char sep = spec->grouping ? spec->grouping : ',';
    if (min_width > FMT_MAX_OUTPUT) return no_memory(err, errlen);
    int64_t n_grouped =
        np->n_digits == 0 ? 0 : group_digits(NULL, 0, np->digits, np->n_digits, min_width, group, sep);
    int64_t pad = spec->width - (nondigit + n_grouped), lpad = 0, spad = 0, rpad = 0;
    if (pad > 0) {
        switch (align) {
        case '<': rpad = pad; break;
        case '^': lpad = pad / 2; rpad = pad - lpad; break;
        case '=': spad = pad; break;
        default: lpad = pad; break;
        }
    }
    if (pad > FMT_MAX_OUTPUT / 4 || n_grouped + (int64_t)np->rem_bytes > FMT_MAX_OUTPUT)
        return no_memory(err, errlen);
    size_t fl = spec->fill_len;
    size_t total = (size_t)(pad > 0 ? pad : 0) * fl + (size_t)(n_sign + np->n_prefix + n_grouped) +
                   (np->has_decimal ? 1 : 0) + np->rem_bytes;
    if (sbuf_reserve(out, total) < 0) return no_memory(err, errlen);

    put_fill(out, spec->fill, fl, lpad);
    if (sign) sbuf_putc(out, sign);
    if (np->n_prefix) sbuf_putn(out, np->prefix, (size_t)np->n_prefix);
    put_fill(out, spec->fill, fl, spad);
    if (n_grouped > 0) {
        char *dst = out->data + out->len;
        group_digits(dst, n_grouped, np->digits, np->n_digits, min_width, group, sep);
        if (np->upper) {
            for (int64_t i = 0; i < n_grouped; i++)
                if (dst[i] >= 'a' && dst[i] <= 'z') dst[i] = (char)(dst[i] - 'a' + 'A');
        }
        out->len += (size_t)n_grouped;
        out->data[out->len] = '\0';
    }
    if (np->has_decimal) sbuf_putc(out, '.');
    sbuf_putn(out, np->rem, np->rem_bytes);
    put_fill(out, spec->fill, fl, rpad);
    return FMT_OK;
}

// ---------------------------------------------------------------------------
// format(float)

// format_float_internal; [val] is the float, [type] the effective type
// (0 for none). [group] was checked by the caller.
static int format_float(double val, const FmtSpec *spec, uint32_t type, int group, SBuf *out,
                        char *err, size_t errlen) {
    if (spec->precision > INT_MAX) {
        set_err(err, errlen, "precision too big");
        return FMT_ERR_VALUE;
    }
    int64_t precision = spec->precision, default_precision = 6;
    int flags = 0;
    bool add_pct = false;
    if (spec->alternate) flags |= DTSF_ALT;
    if (spec->no_neg_0) flags |= DTSF_NO_NEG_0;
    if (type == 0) {
        flags |= DTSF_ADD_DOT_0;
        type = 'r';
        default_precision = 0;
    }
    if (type == 'n') {
        type = 'g';
        group = 0;  // the C locale has no grouping
    }
    if (type == '%') {
        type = 'f';
        val *= 100;
        add_pct = true;
    }
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';

    SBuf tmp;
    sbuf_init(&tmp);
    if (double_to_string(val, (char)type, precision, flags, &tmp) < 0 ||
        (add_pct && sbuf_putc(&tmp, '%') < 0)) {
        sbuf_free(&tmp);
        return no_memory(err, errlen);
    }
    const char *s = tmp.data;
    size_t n = tmp.len, i = 0;
    NumberParts np = {0};
    if (s[0] == '-') {
        np.sign_char = '-';
        i = 1;
    }
    np.digits = s + i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    np.n_digits = (int64_t)(s + i - np.digits);
    if (i < n && s[i] == '.') {
        np.has_decimal = true;
        i++;
    }
    np.rem = s + i;
    np.rem_bytes = n - i;
    np.rem_cps = (int64_t)(n - i);
    int r = emit_number(out, spec, resolve_align(spec, '>'), group, &np, err, errlen);
    sbuf_free(&tmp);
    return r;
}

int fmt_format_double(double v, const FmtSpec *spec, SBuf *out, char *err, size_t errlen) {
    int group;
    int r = check_grouping(spec, spec->type, &group, err, errlen);
    if (r < 0) return r;
    switch (spec->type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
        return format_float(v, spec, spec->type, group, out, err, errlen);
    default:
        return unknown_type(spec->type, type_name_or(spec, "float"), err, errlen);
    }
}

// ---------------------------------------------------------------------------
// format(int)

int fmt_mpz_to_double(mpz_srcptr v, double *out) {
    size_t bits = mpz_sizeinbase(v, 2);
    if (bits <= 53) {
        *out = mpz_get_d(v);
        return FMT_OK;
    }
    if (bits > F64_MAX_EXP) return FMT_ERR_OVERFLOW;
    // Keep 54 bits (53 + the half bit) plus a sticky bit; round half-even.
    mpz_t t;
    mpz_init(t);
    mpz_abs(t, v);
    mp_bitcnt_t shift = bits - 54;
    bool sticky = mpz_scan1(t, 0) < shift;
    mpz_tdiv_q_2exp(t, t, shift);
    uint64_t q = (uint64_t)mpz_getlimbn(t, 0);
    if (sizeof(mp_limb_t) < 8) q |= (uint64_t)mpz_getlimbn(t, 1) << 32;
    mpz_clear(t);
    bool half = q & 1;
    q >>= 1;
    if (half && (sticky || (q & 1))) q++;
    double d = ldexp((double)q, (int)shift + 1);
    if (isinf(d)) return FMT_ERR_OVERFLOW;
    *out = mpz_sgn(v) < 0 ? -d : d;
    return FMT_OK;
}

static int int_limit_error(char *err, size_t errlen) {
    set_err(err, errlen,
            "Exceeds the limit (%d digits) for integer string conversion; use "
            "sys.set_int_max_str_digits() to increase the limit",
            FMT_INT_MAX_STR_DIGITS);
    return FMT_ERR_LIMIT;
}

// Digits of [v] in [base] (lower case, with '-'); NULL when out of memory
// (malloc'd; free with free()). FMT_ERR_LIMIT check is the caller's.
static char *mpz_digits(mpz_srcptr v, int base) {
    char *s = malloc(mpz_sizeinbase(v, base) + 2);
    if (s != NULL) mpz_get_str(s, base, v);
    return s;
}

static bool too_many_decimal_digits(mpz_srcptr v) {
    if (mpz_sizeinbase(v, 10) <= FMT_INT_MAX_STR_DIGITS) return false;
    // sizeinbase may overshoot by one: compare with 10**limit exactly.
    mpz_t lim, a;
    mpz_init(lim);
    mpz_init(a);
    mpz_ui_pow_ui(lim, 10, FMT_INT_MAX_STR_DIGITS);
    mpz_abs(a, v);
    bool over = mpz_cmp(a, lim) >= 0;
    mpz_clear(lim);
    mpz_clear(a);
    return over;
}

int fmt_format_int(mpz_srcptr v, const FmtSpec *spec, SBuf *out, char *err, size_t errlen) {
    uint32_t type = spec->type ? spec->type : 'd';
    int group;
    int r = check_grouping(spec, type, &group, err, errlen);
    if (r < 0) return r;
    switch (type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        double d;
        if (fmt_mpz_to_double(v, &d) < 0) {
            set_err(err, errlen, "int too large to convert to float");
            return FMT_ERR_OVERFLOW;
        }
        return format_float(d, spec, type, group, out, err, errlen);
    }
    default:
        return unknown_type(type, type_name_or(spec, "int"), err, errlen);
    }
    if (spec->precision != -1) {
        set_err(err, errlen, "Precision not allowed in integer format specifier");
        return FMT_ERR_VALUE;
    }
    if (spec->no_neg_0) {
        set_err(err, errlen, "Negative zero coercion (z) not allowed in integer format specifier");
        return FMT_ERR_VALUE;
    }
    NumberParts np = {0};
    char cbuf[4];
    char *s = NULL;
    if (type == 'c') {
        if (spec->sign) {
            set_err(err, errlen, "Sign not allowed with integer format specifier 'c'");
            return FMT_ERR_VALUE;
        }
        if (spec->alternate) {
            set_err(err, errlen, "Alternate form (#) not allowed with integer format specifier 'c'");
            return FMT_ERR_VALUE;
        }
        if (!mpz_fits_slong_p(v)) {
            set_err(err, errlen, "Python int too large to convert to C long");
            return FMT_ERR_OVERFLOW;
        }
        long x = mpz_get_si(v);
        if (x < 0 || x > 0x10ffff) {
            set_err(err, errlen, "%%c arg not in range(0x110000)");
            return FMT_ERR_OVERFLOW;
        }
        np.rem = cbuf;
        np.rem_bytes = utf8_encode((uint32_t)x, cbuf);
        np.rem_cps = 1;
    } else {
        int base = 10;
        static const char *const prefixes[] = {"0b", "0o", "0x", "0X"};
        switch (type) {
        case 'b': base = 2; np.prefix = prefixes[0]; break;
        case 'o': base = 8; np.prefix = prefixes[1]; break;
        case 'x': base = 16; np.prefix = prefixes[2]; break;
        case 'X': base = 16; np.prefix = prefixes[3]; np.upper = true; break;
        default: break;
        }
        if (type == 'n') group = 0;  // C locale
        if (base == 10 && too_many_decimal_digits(v)) return int_limit_error(err, errlen);
        if (spec->alternate && np.prefix != NULL) np.n_prefix = 2;
        s = mpz_digits(v, base);
        if (s == NULL) return no_memory(err, errlen);
        np.digits = s;
        if (s[0] == '-') {
            np.sign_char = '-';
            np.digits++;
        }
        np.n_digits = (int64_t)strlen(np.digits);
        np.rem = "";
    }
    r = emit_number(out, spec, resolve_align(spec, '>'), group, &np, err, errlen);
    free(s);
    return r;
}

// ---------------------------------------------------------------------------
// format(str)

int fmt_format_str(const char *utf8, size_t len, const FmtSpec *spec, SBuf *out, char *err,
                   size_t errlen) {
    uint32_t type = spec->type ? spec->type : 's';
    int group;
    int r = check_grouping(spec, type, &group, err, errlen);
    if (r < 0) return r;
    if (type != 's') return unknown_type(type, type_name_or(spec, "str"), err, errlen);
    if (spec->sign) {
        set_err(err, errlen, spec->sign == ' ' ? "Space not allowed in string format specifier"
                                               : "Sign not allowed in string format specifier");
        return FMT_ERR_VALUE;
    }
    if (spec->no_neg_0) {
        set_err(err, errlen, "Negative zero coercion (z) not allowed in string format specifier");
        return FMT_ERR_VALUE;
    }
    if (spec->alternate) {
        set_err(err, errlen, "Alternate form (#) not allowed in string format specifier");
        return FMT_ERR_VALUE;
    }
    char align = resolve_align(spec, '<');
    if (align == '=') {
        set_err(err, errlen, "'=' alignment not allowed in string format specifier");
        return FMT_ERR_VALUE;
    }
    int64_t ncp = (int64_t)utf8_count(utf8, len);
    if (spec->precision >= 0 && ncp >= spec->precision) {
        ncp = spec->precision;
        len = utf8_offset(utf8, len, (size_t)ncp);
    }
    int64_t total = spec->width > ncp ? spec->width : ncp;
    int64_t lpad = align == '>' ? total - ncp : align == '^' ? (total - ncp) / 2 : 0;
    int64_t rpad = total - ncp - lpad;
    if (total - ncp > FMT_MAX_OUTPUT / 4 ||
        sbuf_reserve(out, len + (size_t)(total - ncp) * spec->fill_len) < 0)
        return no_memory(err, errlen);
    put_fill(out, spec->fill, spec->fill_len, lpad);
    sbuf_putn(out, utf8, len);
    put_fill(out, spec->fill, spec->fill_len, rpad);
    return FMT_OK;
}

// ---------------------------------------------------------------------------
// printf-style

typedef struct {
    const char *s;
    size_t len, i;
    bool exhausted;  // a read was attempted past the end
    uint32_t ch;
} PctScan;

static bool pct_next(PctScan *sc) {
    if (sc->i >= sc->len) {
        sc->exhausted = true;
        return false;
    }
    sc->i += utf8_decode(sc->s + sc->i, sc->len - sc->i, &sc->ch);
    return true;
}

int fmt_percent_next(const char *fmt, size_t len, size_t *pos, FmtPercent *c, char *err,
                     size_t errlen) {
    memset(c, 0, sizeof *c);
    c->width = -1;
    c->prec = -1;
    size_t i = *pos;
    c->lit_off = i;
    const char *pct = i < len ? memchr(fmt + i, '%', len - i) : NULL;
    if (pct == NULL) {
        c->lit_len = len - i;
        *pos = len;
        return FMT_PCT_END;
    }
    size_t p = (size_t)(pct - fmt);
    c->lit_len = p - i;
    if (p + 1 < len && fmt[p + 1] == '%') {
        c->lit_len++;
        *pos = p + 2;
        return FMT_PCT_TEXT;
    }
    PctScan sc = {fmt, len, p + 1, false, 0};

    if (sc.i < len && fmt[sc.i] == '(') {
        int pcount = 1;
        sc.i++;
        size_t keystart = sc.i;
        while (pcount > 0 && sc.i < len) {
            if (fmt[sc.i] == ')') pcount--;
            else if (fmt[sc.i] == '(') pcount++;
            sc.i++;
        }
        if (pcount > 0) {
            set_err(err, errlen, "incomplete format key");
            return FMT_ERR_VALUE;
        }
        c->has_key = true;
        c->key_off = keystart;
        c->key_len = sc.i - keystart - 1;
    }
    while (pct_next(&sc)) {
        switch (sc.ch) {
        case '-': c->flags |= FMT_F_LJUST; continue;
        case '+': c->flags |= FMT_F_SIGN; continue;
        case ' ': c->flags |= FMT_F_BLANK; continue;
        case '#': c->flags |= FMT_F_ALT; continue;
        case '0': c->flags |= FMT_F_ZERO; continue;
        default: break;
        }
        break;
    }
    if (sc.ch == '*') {
        c->width_star = true;
        pct_next(&sc);
    } else if (sc.ch >= '0' && sc.ch <= '9') {
        c->width = sc.ch - '0';
        while (pct_next(&sc)) {
            if (sc.ch < '0' || sc.ch > '9') break;
            int dv = (int)sc.ch - '0';
            if (c->width > (INT64_MAX - dv) / 10) {
                set_err(err, errlen, "width too big");
                return FMT_ERR_VALUE;
            }
            c->width = c->width * 10 + dv;
        }
    }
    if (sc.ch == '.') {
        c->prec = 0;
        pct_next(&sc);
        if (sc.ch == '*') {
            c->prec_star = true;
            pct_next(&sc);
        } else if (sc.ch >= '0' && sc.ch <= '9') {
            c->prec = (int)sc.ch - '0';
            while (pct_next(&sc)) {
                if (sc.ch < '0' || sc.ch > '9') break;
                int dv = (int)sc.ch - '0';
                if (c->prec > (INT_MAX - dv) / 10) {
                    set_err(err, errlen, "precision too big");
                    return FMT_ERR_VALUE;
                }
                c->prec = c->prec * 10 + dv;
            }
        }
    }
    if (!sc.exhausted && (sc.ch == 'h' || sc.ch == 'l' || sc.ch == 'L')) pct_next(&sc);
    if (sc.exhausted) {
        set_err(err, errlen, "incomplete format");
        return FMT_ERR_VALUE;
    }
    c->type = sc.ch;
    if (strchr("sracdiuoxXeEfFgG", (int)(sc.ch < 128 ? sc.ch : 'z')) == NULL || sc.ch == 0)
        c->type_index = utf8_count(fmt, sc.i) - 1;
    *pos = sc.i;
    return FMT_PCT_CONV;
}

void fmt_percent_set_width(FmtPercent *c, int64_t w) {
    if (w < 0) {
        c->flags |= FMT_F_LJUST;
        w = w == INT64_MIN ? INT64_MAX : -w;
    }
    c->width = w;
    c->width_star = false;
}

void fmt_percent_set_prec(FmtPercent *c, int64_t p) {
    c->prec = p < 0 ? 0 : p > INT_MAX ? INT_MAX : (int)p;
    c->prec_star = false;
}

int fmt_percent_unsupported(const FmtPercent *c, char *err, size_t errlen) {
    set_err(err, errlen, "unsupported format character '%c' (0x%x) at index %zu",
            (c->type >= 31 && c->type <= 126) ? (char)c->type : '?', (unsigned)c->type,
            c->type_index);
    return FMT_ERR_VALUE;
}

// unicode_format_arg_output. [numeric] is CPython's arg->sign.
static int percent_output(SBuf *out, const FmtPercent *c, const char *s, size_t n, bool numeric,
                          char *err, size_t errlen) {
    int64_t width = c->width;
    int flags = c->flags;
    char fill = (numeric && (flags & FMT_F_ZERO)) ? '0' : ' ';
    int64_t len = (int64_t)utf8_count(s, n);
    if ((c->type == 's' || c->type == 'r' || c->type == 'a') && c->prec >= 0 && len > c->prec) {
        len = c->prec;
        n = utf8_offset(s, n, (size_t)len);
    }
    size_t pi = 0;
    char signchar = 0;
    bool sign = numeric;
    if (sign) {
        if (n > 0 && (s[0] == '-' || s[0] == '+')) {
            signchar = s[0];
            len--;
            pi++;
        } else if (flags & FMT_F_SIGN) {
            signchar = '+';
        } else if (flags & FMT_F_BLANK) {
            signchar = ' ';
        } else {
            sign = false;
        }
    }
    if (width < len) width = len;
    if (width - len > FMT_MAX_OUTPUT || sbuf_reserve(out, n + (size_t)(width - len) + 1) < 0)
        return no_memory(err, errlen);
    if (sign) {
        if (fill != ' ') sbuf_putc(out, signchar);
        if (width > len) width--;
    }
    bool alt = (flags & FMT_F_ALT) && (c->type == 'x' || c->type == 'X' || c->type == 'o');
    if (alt) {
        if (fill != ' ') {
            sbuf_putn(out, s + pi, 2);
            pi += 2;
        }
        width -= 2;
        if (width < 0) width = 0;
        len -= 2;
    }
    if (width > len && !(flags & FMT_F_LJUST)) {
        put_fill(out, &fill, 1, width - len);
        width = len;
    }
    if (fill == ' ') {
        if (sign) sbuf_putc(out, signchar);
        if (alt) {
            sbuf_putn(out, s + pi, 2);
            pi += 2;
        }
    }
    sbuf_putn(out, s + pi, n - pi);
    if (width > len) put_fill(out, " ", 1, width - len);
    return FMT_OK;
}

int fmt_percent_int(const FmtPercent *c, mpz_srcptr v, SBuf *out, char *err, size_t errlen) {
    int base;
    switch (c->type) {
    case 'd': case 'i': case 'u': base = 10; break;
    case 'o': base = 8; break;
    case 'x': case 'X': base = 16; break;
    default: return fmt_percent_unsupported(c, err, errlen);
    }
    if (c->prec > INT_MAX - 3) {
        set_err(err, errlen, "precision too large");
        return FMT_ERR_OVERFLOW;
    }
    if (base == 10 && too_many_decimal_digits(v)) return int_limit_error(err, errlen);
    char *digits = mpz_digits(v, base);
    if (digits == NULL) return no_memory(err, errlen);
    bool neg = digits[0] == '-';
    const char *d = digits + neg;
    int64_t nd = (int64_t)strlen(d);
    int64_t zeros = c->prec > nd ? c->prec - nd : 0;
    bool prefix = (c->flags & FMT_F_ALT) && base != 10;
    SBuf tmp;
    sbuf_init(&tmp);
    int r = FMT_OK;
    if (sbuf_reserve(&tmp, (size_t)(nd + zeros + 3)) < 0) {
        r = no_memory(err, errlen);
    } else {
        if (neg) sbuf_putc(&tmp, '-');
        if (prefix) {
            sbuf_putc(&tmp, '0');
            sbuf_putc(&tmp, base == 8 ? 'o' : 'x');
        }
        put_fill(&tmp, "0", 1, zeros);
        sbuf_putn(&tmp, d, (size_t)nd);
        if (c->type == 'X') {
            for (size_t i = 0; i < tmp.len; i++)
                if (tmp.data[i] >= 'a' && tmp.data[i] <= 'x') tmp.data[i] = (char)(tmp.data[i] - 'a' + 'A');
        }
        r = percent_output(out, c, tmp.data, tmp.len, true, err, errlen);
    }
    sbuf_free(&tmp);
    free(digits);
    return r;
}

int fmt_percent_double(const FmtPercent *c, double v, SBuf *out, char *err, size_t errlen) {
    switch (c->type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': break;
    default: return fmt_percent_unsupported(c, err, errlen);
    }
    SBuf tmp;
    sbuf_init(&tmp);
    int prec = c->prec < 0 ? 6 : c->prec;
    int r;
    if (double_to_string(v, (char)c->type, prec, (c->flags & FMT_F_ALT) ? DTSF_ALT : 0, &tmp) < 0)
        r = no_memory(err, errlen);
    else
        r = percent_output(out, c, tmp.data, tmp.len, true, err, errlen);
    sbuf_free(&tmp);
    return r;
}

int fmt_percent_char(const FmtPercent *c, mpz_srcptr v, SBuf *out, char *err, size_t errlen) {
    if (mpz_sgn(v) < 0 || mpz_cmp_ui(v, 0x10ffff) > 0) {
        set_err(err, errlen, "%%c arg not in range(0x110000)");
        return FMT_ERR_OVERFLOW;
    }
    char buf[4];
    size_t n = utf8_encode((uint32_t)mpz_get_ui(v), buf);
    return percent_output(out, c, buf, n, false, err, errlen);
}

int fmt_percent_str(const FmtPercent *c, const char *utf8, size_t len, SBuf *out, char *err,
                    size_t errlen) {
    return percent_output(out, c, utf8, len, false, err, errlen);
}

// ---------------------------------------------------------------------------
// parsing

static bool is_py_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// _PyUnicode_TransformDecimalAndSpaceToASCII: copies [s] into [b] with
// Unicode whitespace turned into ' ' and Unicode digits into ASCII ones.
// Returns false for any other non-ASCII or on allocation failure.
static bool to_ascii(const char *s, size_t len, SBuf *b) {
    if (sbuf_reserve(b, len) < 0) return false;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp < 127 && n == 1) {
            b->data[b->len++] = (char)cp;
        } else if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
                   cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
            b->data[b->len++] = ' ';
        } else if (unicode_decimal(cp) >= 0) {
            b->data[b->len++] = (char)('0' + unicode_decimal(cp));
        } else {
            return false;
        }
        i += n;
    }
    b->data[b->len] = '\0';
    return true;
}

static bool ci_match(const char *s, size_t len, const char *word) {
    size_t n = strlen(word);
    if (len < n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != word[i]) return false;
    }
    return true;
}

static int parse_double_ascii(char *s, size_t len, double *out) {
    // _Py_string_to_number_with_underscores: '_' only between digits.
    if (memchr(s, '_', len) != NULL) {
        char prev = '\0';
        size_t w = 0;
        for (size_t i = 0; i < len; i++) {
            char ch = s[i];
            if (ch == '_') {
                if (!(prev >= '0' && prev <= '9')) return -1;
            } else {
                if (prev == '_' && !(ch >= '0' && ch <= '9')) return -1;
                s[w++] = ch;
            }
            prev = ch;
        }
        if (prev == '_') return -1;
        len = w;
        s[len] = '\0';
    }
    size_t a = 0, z = len;
    while (a < z && is_py_space(s[a])) a++;
    if (a == z) return -1;
    while (z > a + 1 && is_py_space(s[z - 1])) z--;
    s[z] = '\0';
    const char *p = s + a, *end = s + z;
    bool neg = false;
    const char *q = p;
    if (*q == '+' || *q == '-') neg = *q++ == '-';
    // Decimal: digits [. digits] | . digits, then [e [sign] digits].
    size_t nd = 0;
    while (q < end && *q >= '0' && *q <= '9') q++, nd++;
    if (q < end && *q == '.') {
        q++;
        while (q < end && *q >= '0' && *q <= '9') q++, nd++;
    }
    if (nd > 0) {
        if (q < end && (*q == 'e' || *q == 'E')) {
            const char *e = q + 1;
            if (e < end && (*e == '+' || *e == '-')) e++;
            if (e < end && *e >= '0' && *e <= '9') {
                while (e < end && *e >= '0' && *e <= '9') e++;
                q = e;
            }
        }
        if (q != end) return -1;
        *out = strtod(p, NULL);  // correctly rounded; the syntax is plain decimal
        return 0;
    }
    q = p + ((*p == '+' || *p == '-') ? 1 : 0);
    size_t rest = (size_t)(end - q);
    if (ci_match(q, rest, "infinity") && rest == 8) {
        *out = neg ? -HUGE_VAL : HUGE_VAL;
        return 0;
    }
    if (ci_match(q, rest, "inf") && rest == 3) {
        *out = neg ? -HUGE_VAL : HUGE_VAL;
        return 0;
    }
    if (ci_match(q, rest, "nan") && rest == 3) {
        *out = neg ? -NAN : NAN;
        return 0;
    }
    return -1;
}

int fmt_parse_double(const char *s, size_t len, double *out) {
    SBuf b;
    sbuf_init(&b);
    int r = to_ascii(s, len, &b) ? parse_double_ascii(b.data, b.len, out) : -1;
    sbuf_free(&b);
    return r;
}

static int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

// PyLong_FromString on the ASCII copy [s] (NUL-terminated, [len] bytes).
static int parse_int_ascii(const char *s, size_t len, int base, mpz_t out, char *err,
                           size_t errlen) {
    const char *p = s, *end = s + len;
    bool neg = false, error_if_nonzero = false;
    while (p < end && is_py_space(*p)) p++;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (base == 0) {
        if (p[0] != '0') base = 10;
        else if (p[1] == 'x' || p[1] == 'X') base = 16;
        else if (p[1] == 'o' || p[1] == 'O') base = 8;
        else if (p[1] == 'b' || p[1] == 'B') base = 2;
        else {
            error_if_nonzero = true;
            base = 10;
        }
    }
    if (p[0] == '0' && ((base == 16 && (p[1] == 'x' || p[1] == 'X')) ||
                        (base == 8 && (p[1] == 'o' || p[1] == 'O')) ||
                        (base == 2 && (p[1] == 'b' || p[1] == 'B')))) {
        p += 2;
        if (*p == '_') p++;
    }
    if (*p == '_') return -1;
    // Scan digits with single underscores between them.
    const char *q = p;
    size_t ndigits = 0;
    char prev = 0;
    while (q < end && (digit_value(*q) < base || *q == '_')) {
        if (*q == '_') {
            if (prev == '_') return -1;
        } else {
            ndigits++;
        }
        prev = *q++;
    }
    if (prev == '_') return -1;
    if (ndigits == 0) return -1;
    if ((base & (base - 1)) != 0 && ndigits > FMT_INT_MAX_STR_DIGITS) {
        set_err(err, errlen,
                "Exceeds the limit (%d digits) for integer string conversion: value has %zu "
                "digits; use sys.set_int_max_str_digits() to increase the limit",
                FMT_INT_MAX_STR_DIGITS, ndigits);
        return FMT_ERR_LIMIT;
    }
    const char *tail = q;
    while (tail < end && is_py_space(*tail)) tail++;
    if (tail != end) return -1;
    char *digits = malloc(ndigits + 1);
    if (digits == NULL) return FMT_ERR_MEMORY;
    size_t w = 0;
    for (const char *r = p; r < q; r++)
        if (*r != '_') digits[w++] = *r;
    digits[w] = '\0';
    mpz_set_str(out, digits, base);
    free(digits);
    if (error_if_nonzero && mpz_sgn(out) != 0) return -1;
    if (neg) mpz_neg(out, out);
    return 0;
}

int fmt_parse_int(const char *s, size_t len, int base, mpz_t out, char *err, size_t errlen) {
    if (err != NULL && errlen > 0) err[0] = '\0';
    if ((base != 0 && base < 2) || base > 36) return -1;
    SBuf b;
    sbuf_init(&b);
    int r = to_ascii(s, len, &b) ? parse_int_ascii(b.data, b.len, base, out, err, errlen) : -1;
    sbuf_free(&b);
    return r;
}

// ---------------------------------------------------------------------------
// rounding

double fmt_round_half_even(double x) {
    double r = round(x);
    if (fabs(x - r) == 0.5) r = 2.0 * round(x / 2.0);
    return r;
}

// double_round: round |x| * 10**nd half-even exactly (GMP), then read
// "q e -nd" back with strtod (correctly rounded), as CPython does with dtoa.
int fmt_round_double(double x, int ndigits, double *out) {
    const int ndigits_max = (int)((F64_MANT_DIG - F64_MIN_EXP) * 0.30103);
    const int ndigits_min = -(int)((F64_MAX_EXP + 1) * 0.30103);
    if (!isfinite(x) || ndigits > ndigits_max) {
        *out = x;
        return FMT_OK;
    }
    if (ndigits < ndigits_min || x == 0) {
        *out = 0.0 * x;
        return FMT_OK;
    }
    int e;
    double m = frexp(fabs(x), &e);
    mpz_t num, den, q, r;
    mpz_inits(num, den, q, r, NULL);
    mpz_set_d(num, ldexp(m, F64_MANT_DIG));
    e -= F64_MANT_DIG;
    mpz_set_ui(den, 1);
    if (e >= 0) mpz_mul_2exp(num, num, (mp_bitcnt_t)e);
    else mpz_mul_2exp(den, den, (mp_bitcnt_t)-e);
    mpz_t p10;
    mpz_init(p10);
    mpz_ui_pow_ui(p10, 10, (unsigned long)(ndigits >= 0 ? ndigits : -ndigits));
    if (ndigits >= 0) mpz_mul(num, num, p10);
    else mpz_mul(den, den, p10);
    mpz_tdiv_qr(q, r, num, den);
    mpz_mul_2exp(r, r, 1);
    int cmp = mpz_cmp(r, den);
    if (cmp > 0 || (cmp == 0 && mpz_odd_p(q))) mpz_add_ui(q, q, 1);
    char *qs = mpz_get_str(NULL, 10, q);
    int rc = FMT_OK;
    char *buf = qs != NULL ? malloc(strlen(qs) + 24) : NULL;
    if (buf == NULL) {
        rc = FMT_ERR_MEMORY;
    } else {
        sprintf(buf, "%s%se%d", x < 0 ? "-" : "", qs, -ndigits);
        double v = strtod(buf, NULL);
        if (isinf(v)) rc = FMT_ERR_OVERFLOW;
        else *out = v;
    }
    free(buf);
    if (qs != NULL) {
        void (*freefunc)(void *, size_t);
        mp_get_memory_functions(NULL, NULL, &freefunc);
        freefunc(qs, strlen(qs) + 1);
    }
    mpz_clears(num, den, q, r, p10, NULL);
    return rc;
}

// ---------------------------------------------------------------------------
// hashing

int64_t fmt_hash_double(double v) {
    if (!isfinite(v)) {
        if (isinf(v)) return v > 0 ? HASH_INF : -HASH_INF;
        return 0;
    }
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0, y;
    while (m != 0.0) {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    x = x * (uint64_t)(int64_t)sign;
    if (x == (uint64_t)-1) x = (uint64_t)-2;
    return (int64_t)x;
}

int64_t fmt_hash_mpz(mpz_srcptr v) {
    if (mpz_fits_slong_p(v) && sizeof(long) == 8) return fmt_hash_int64((int64_t)mpz_get_si(v));
    mpz_t a, mod;
    mpz_inits(a, mod, NULL);
    mpz_abs(a, v);
    mpz_set_ui(mod, 1);
    mpz_mul_2exp(mod, mod, HASH_BITS);
    mpz_sub_ui(mod, mod, 1);
    mpz_tdiv_r(a, a, mod);
    uint64_t x = (uint64_t)mpz_getlimbn(a, 0);
    if (sizeof(mp_limb_t) < 8) x |= (uint64_t)mpz_getlimbn(a, 1) << 32;
    int sign = mpz_sgn(v);
    mpz_clears(a, mod, NULL);
    int64_t h = sign < 0 ? -(int64_t)x : (int64_t)x;
    return h == -1 ? -2 : h;
}

int64_t fmt_hash_int64(int64_t v) {
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t x = a % HASH_MODULUS;
    int64_t h = v < 0 ? -(int64_t)x : (int64_t)x;
    return h == -1 ? -2 : h;
}
