// float: a boxed C double.
#ifndef GILVM_FLOAT_H
#define GILVM_FLOAT_H

#include "object.h"

typedef struct {
    Object ob;
    double value;
} FloatObj;

extern Type float_type;
Value float_new(double d);
static inline double float_get(Value v) { return ((FloatObj *)val_obj(v))->value; }
static inline bool val_is_float(Value v) { return val_is_obj(v) && val_obj(v)->type == &float_type; }
// Accepts int and float: TypeError "must be real number, not str" otherwise.
int val_as_double(Value v, double *out);
Value float_repr(Value v);
Value float_binop(Value a, Value b, int op);
Value float_compare(Value a, Value b, int op);
int64_t float_hash(double d);
Value float_format(double d, const char *spec, size_t len);

// --- added by the int/float owner -------------------------------------------------
void float_type_init(void);
// x ** y with CPython's float_pow rules and messages (new reference).
Value float_pow_double(double x, double y);
// divmod(a, b) with a float operand (tuple), NotImplemented for non-numbers.
Value float_divmod(Value a, Value b);

#endif
