// fmt: number/string formatting and parsing with CPython 3.11's exact output.
//
// Pure C: no VM objects. Strings are UTF-8 (pointer + byte length), big ints
// are GMP mpz_t, output is appended to an SBuf. The VM wraps these:
//   format(x, spec)   -> fmt_spec_parse + fmt_format_int/double/str
//   repr/str(float)   -> fmt_double_repr
//   str % args        -> fmt_percent_next + fmt_percent_int/double/char/str
//   int(s, b)/float(s)-> fmt_parse_int / fmt_parse_double
//   round(), hash()   -> fmt_round_double / fmt_round_half_even / fmt_hash_*
//
// Errors by return value: FMT_OK (0) or a negative FmtError naming the Python
// exception class; the message (CPython's wording, without the class name)
// is written NUL-terminated into [err] (size [errlen], may be NULL/0; 256
// bytes is enough except for "Invalid format specifier '<spec>' ..." with a
// long spec, which is truncated). FMT_ERR_MEMORY leaves [err] empty: raise a
// bare MemoryError. On error, bytes already appended to [out] may remain:
// callers should truncate [out] back to its old length.
//
// Floating point: digits come from glibc's correctly rounded printf/strtod
// (CPython uses David Gay's dtoa; both are exact). Assumes the C locale for
// LC_NUMERIC, which gilvm never changes. Width arithmetic counts code points.
#ifndef GILVM_FMT_H
#define GILVM_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "sbuf.h"

typedef enum {
    FMT_OK = 0,
    FMT_ERR_VALUE = -1,     // ValueError
    FMT_ERR_OVERFLOW = -2,  // OverflowError
    FMT_ERR_TYPE = -3,      // TypeError
    FMT_ERR_MEMORY = -4,    // MemoryError (allocation failed / result too big)
    FMT_ERR_LIMIT = -5,     // ValueError about int_max_str_digits (message set)
} FmtError;

// Largest result (in bytes) any formatter will build; bigger requests
// (format(1, '9999999999'), '%.1999999999f') fail with FMT_ERR_MEMORY, where
// CPython would try to allocate them.
#define FMT_MAX_OUTPUT ((int64_t)1 << 30)

// sys.get_int_max_str_digits() default: decimal int<->str conversions with
// more digits raise ValueError (CPython 3.11.7 behaviour).
#define FMT_INT_MAX_STR_DIGITS 4300

// ---------------------------------------------------------------------------
// float repr

// Appends repr(x) == str(x): shortest round-tripping digits, 'inf', 'nan',
// '-0.0', '1.0', '1e+16', '1.5e-05'.
int fmt_double_repr(double x, SBuf *out);

// ---------------------------------------------------------------------------
// format-spec mini-language: [[fill]align][sign][z][#][0][width][,|_][.prec][type]

typedef struct {
    char fill[5];           // UTF-8 of the fill code point, NUL-terminated
    uint8_t fill_len;       // bytes in [fill]
    char align;             // '<' '>' '=' '^', or 0 when not given
    char sign;              // '+' '-' ' ', or 0
    bool no_neg_0;          // 'z'
    bool alternate;         // '#'
    bool zero;              // '0' before the width (implies '=' for numbers)
    char grouping;          // ',' or '_' or 0
    int64_t width;          // -1 when not given
    int64_t precision;      // -1 when not given
    uint32_t type;          // presentation type code point, 0 when not given
    const char *type_name;  // borrowed: Python type name for messages, or
                            // NULL for the formatter's default ("int" ...)
} FmtSpec;

// Parses [spec] ([len] bytes of UTF-8) for an object of type [type_name]
// (used in "Invalid format specifier 'abc' for object of type 'int'" and
// copied into [out]->type_name; the pointer must outlive [out]).
// Checks that need the type (',' with 's', unknown codes) are done by the
// fmt_format_* functions, in CPython's order. Returns FMT_OK or
// FMT_ERR_VALUE.
int fmt_spec_parse(const char *spec, size_t len, const char *type_name,
                   FmtSpec *out, char *err, size_t errlen);

// format(int, spec): types '' d n b o x X c, and e E f F g G % through float
// ("int too large to convert to float" -> FMT_ERR_OVERFLOW). The empty spec
// gives str(v) (for bool the caller must print True/False itself). Decimal
// output beyond FMT_INT_MAX_STR_DIGITS digits fails with FMT_ERR_LIMIT.
int fmt_format_int(mpz_srcptr v, const FmtSpec *spec, SBuf *out, char *err,
                   size_t errlen);

// format(float, spec): types '' e E f F g G n %.
int fmt_format_double(double v, const FmtSpec *spec, SBuf *out, char *err,
                      size_t errlen);

// format(str, spec): types '' s. [utf8] need not be NUL-terminated.
int fmt_format_str(const char *utf8, size_t len, const FmtSpec *spec,
                   SBuf *out, char *err, size_t errlen);

// ---------------------------------------------------------------------------
// printf-style formatting (str % args), one conversion at a time.
//
//   size_t pos = 0; FmtPercent c; int r;
//   while ((r = fmt_percent_next(f, n, &pos, &c, err, sizeof err)) > 0) {
//       put f[c.lit_off .. +c.lit_len];
//       if (r == FMT_PCT_TEXT) continue;          // "%%" (already in lit)
//       if (c.has_key) args = mapping[f[c.key_off .. +c.key_len]];
//       if (c.width_star) fmt_percent_set_width(&c, next int arg);
//       if (c.prec_star)  fmt_percent_set_prec(&c, next int arg);
//       switch (c.type) { 'd','i','u','o','x','X': fmt_percent_int;
//         'e','E','f','F','g','G': fmt_percent_double;
//         'c': fmt_percent_char (int) or fmt_percent_str (1-char str);
//         's','r','a': fmt_percent_str(str()/repr()/ascii() of the arg);
//         default: fmt_percent_unsupported }   // after fetching the arg
//   }
//   if (r == FMT_PCT_END) put the trailing literal; else raise ValueError.
//
// The caller converts arguments as CPython does: floats to int (trunc) for
// d/i/u, __index__ for o/x/X, ints to float (fmt_mpz_to_double) for e..G,
// and raises the TypeErrors ("%d format: a real number is required, not
// str", "* wants int", "%c requires int or char", ...).

enum { FMT_PCT_END = 0, FMT_PCT_CONV = 1, FMT_PCT_TEXT = 2 };

enum {
    FMT_F_LJUST = 1,  // '-'
    FMT_F_SIGN = 2,   // '+'
    FMT_F_BLANK = 4,  // ' '
    FMT_F_ALT = 8,    // '#'
    FMT_F_ZERO = 16,  // '0'
};

typedef struct {
    size_t lit_off, lit_len;  // literal text to copy before the conversion
    bool has_key;             // "%(key)s"
    size_t key_off, key_len;  // the key's bytes inside the format
    int flags;                // FMT_F_*
    int64_t width;            // -1 when not given
    int prec;                 // -1 when not given
    bool width_star, prec_star;
    uint32_t type;            // conversion code point ('d', 's', ...)
    size_t type_index;        // its code-point index in the format; set only
                              // when [type] is not a known conversion
} FmtPercent;

// Scans [fmt] from *[pos]. Returns FMT_PCT_CONV (literal + conversion),
// FMT_PCT_TEXT (literal only, ends with the '%' of a "%%"), FMT_PCT_END
// (trailing literal), or FMT_ERR_VALUE ("incomplete format", "incomplete
// format key", "width too big", "precision too big").
int fmt_percent_next(const char *fmt, size_t len, size_t *pos, FmtPercent *c,
                     char *err, size_t errlen);

// Apply a '*' argument: negative width means left-justify, negative
// precision means 0. Values are clipped to the int64/int range.
void fmt_percent_set_width(FmtPercent *c, int64_t w);
void fmt_percent_set_prec(FmtPercent *c, int64_t p);

// d i u o x X on an int (FMT_ERR_LIMIT past FMT_INT_MAX_STR_DIGITS digits).
int fmt_percent_int(const FmtPercent *c, mpz_srcptr v, SBuf *out, char *err,
                    size_t errlen);
// e E f F g G on a float.
int fmt_percent_double(const FmtPercent *c, double v, SBuf *out, char *err,
                       size_t errlen);
// c on an int (OverflowError "%c arg not in range(0x110000)").
int fmt_percent_char(const FmtPercent *c, mpz_srcptr v, SBuf *out, char *err,
                     size_t errlen);
// s r a (already converted to text) and c on a 1-character str.
int fmt_percent_str(const FmtPercent *c, const char *utf8, size_t len,
                    SBuf *out, char *err, size_t errlen);
// "unsupported format character 'z' (0x7a) at index 1" (ValueError).
int fmt_percent_unsupported(const FmtPercent *c, char *err, size_t errlen);

// ---------------------------------------------------------------------------
// parsing

// float(str): surrounding (Unicode) whitespace, sign, inf/infinity/nan in
// any case, '_' only between digits, no hex; overflow gives +-inf.
// Returns 0, or -1 when invalid (caller raises ValueError "could not
// convert string to float: 'abc'").
int fmt_parse_double(const char *s, size_t len, double *out);

// int(str, base) for base 0 or 2..36 (caller checks the range and raises
// "int() arg 2 must be >= 2 and <= 36"). [out] must be initialised.
// Returns 0; -1 when invalid (caller raises ValueError "invalid literal
// for int() with base 10: 'x'"); FMT_ERR_LIMIT with the message in [err]
// when a non-power-of-two base literal has more than
// FMT_INT_MAX_STR_DIGITS digits.
int fmt_parse_int(const char *s, size_t len, int base, mpz_t out, char *err,
                  size_t errlen);

// float(int) rounded half-even like PyLong_AsDouble. Returns 0 or
// FMT_ERR_OVERFLOW ("int too large to convert to float").
int fmt_mpz_to_double(mpz_srcptr v, double *out);

// ---------------------------------------------------------------------------
// rounding and hashing

// round(x, ndigits) for a float (caller clips a huge ndigits into int).
// Returns 0, or FMT_ERR_OVERFLOW ("rounded value too large to represent").
int fmt_round_double(double x, int ndigits, double *out);

// round(x) without ndigits, before conversion to int (the caller raises for
// nan/inf: "cannot convert float NaN to integer").
double fmt_round_half_even(double x);

// CPython's hash(float): modulus 2**61-1, hash(inf) = 314159. Returns 0 for
// nan: CPython 3.11 hashes a nan by identity, which is the caller's job.
int64_t fmt_hash_double(double x);
// hash(int) for a big int and for a machine-word int; -1 maps to -2.
int64_t fmt_hash_mpz(mpz_srcptr v);
int64_t fmt_hash_int64(int64_t v);

#endif
