// int and bool. Small ints live in the Value word (object.h); BigInt holds
// the rest with GMP. Invariant: a BigInt never holds a value that fits the
// small range, so int_from_mpz normalises every result.
#ifndef GILVM_INT_H
#define GILVM_INT_H

#include <gmp.h>

#include "func.h"
#include "object.h"

typedef struct {
    Object ob;
    mpz_t z;
} BigInt;

typedef struct {
    Object ob;
    intptr_t value;   // 0 or 1
} BoolObj;

extern Type bool_type;
extern BoolObj bool_true, bool_false;
#define VAL_TRUE obj_val(&bool_true)
#define VAL_FALSE obj_val(&bool_false)
static inline Value bool_val(bool b) { return b ? VAL_TRUE : VAL_FALSE; }

// True for small ints, BigInt and bool (exact int-like values).
bool val_is_int(Value v);
Value int_from_i64(int64_t i);
Value int_from_u64(uint64_t i);
Value int_from_mpz(const mpz_t z);          // copies
Value int_from_double(double d);            // trunc; OverflowError/ValueError for inf/nan
// Value from a literal's digits in [base]; VAL_NULL on bad digits.
Value int_from_string(const char *digits, size_t len, int base);
// Load [v] (an int or bool) into [out] (initialised by the caller).
void int_to_mpz(Value v, mpz_t out);
// -1 with OverflowError "Python int too large to convert to C long" etc.
int int_as_i64(Value v, int64_t *out);
// Convert with __index__: TypeError for non-integers. [what] names the use in
// the message, e.g. "list indices must be integers or slices, not %s".
int val_index_i64(Value v, int64_t *out);
int int_as_double(Value v, double *out);
int int_sign(Value v);
Value int_repr(Value v);
// Binary operations on two ints (bools included); NotImplemented otherwise.
Value int_binop(Value a, Value b, int op);
Value int_compare(Value a, Value b, int op);
int64_t int_hash(Value v);
Value int_pow_mod(Value base, Value exp, Value mod);
Value int_format(Value v, const char *spec, size_t len);
int int_bit_length(Value v);

// --- added by the int/float owner -------------------------------------------------
void int_type_init(void);   // readies int and bool
// Compare the int [v] with the double [d] exactly (CPython's float_richcompare):
// -1, 0, 1, or 2 when [d] is a nan (unordered).
int int_cmp_double(Value v, double d);
// Like val_index_i64 but an int outside the int64 range is clipped to
// INT64_MIN/INT64_MAX instead of raising (CPython's PyNumber_AsSsize_t(v, NULL)).
int val_index_clamp_i64(Value v, int64_t *out);
// T.__new__(cls, *args) for a static type [base] whose constructor is
// [new_]: checks that cls (args[0]) is a subtype of [base]. Shared by int,
// bool and float.
Value int_static_new(Type *base, Value *args, size_t nargs, Value kwnames,
                     Value (*new_)(Type *, Value *, size_t, Value));
// divmod(a, b) on two ints (tuple), NotImplemented otherwise.
Value int_divmod(Value a, Value b);
// Put a read-only property into [t]'s dict for every getter in [defs] (each
// called with self = the instance, no arguments). Start-up only. Belongs in
// func.h as a generic helper; lives here until then.
void int_add_properties(Type *t, const MethodDef *defs);

#endif
