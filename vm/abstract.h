// Operations on any value: the protocols the interpreter and the builtins
// use. Each dispatches through the type slots (object.h) and words its
// errors as CPython does. All return new references; VAL_NULL or -1 on error.
#ifndef GILVM_ABSTRACT_H
#define GILVM_ABSTRACT_H

#include "object.h"

const char *val_type_name(Value v);
Value val_repr(Value v);
Value val_str(Value v);
Value val_ascii(Value v);
int val_hash(Value v, int64_t *out);
int val_truthy(Value v);
Value val_richcmp(Value a, Value b, int op);
int val_richcmp_bool(Value a, Value b, int op);
// Equality with the identity shortcut containers use.
int val_eq(Value a, Value b);
// op in [0, NB_COUNT): a op b; in-place variants use val_inplace.
Value val_binop(Value a, Value b, int op);
Value val_inplace(Value a, Value b, int op);
Value val_neg(Value v);
Value val_pos(Value v);
Value val_invert(Value v);
Value val_abs(Value v);
Value val_getattr(Value obj, Value name);
Value val_getattr_cstr(Value obj, const char *name);
// Like val_getattr but VAL_NULL with no exception when absent (AttributeError).
Value val_getattr_opt(Value obj, Value name);
int val_setattr(Value obj, Value name, Value v);   // v VAL_NULL deletes
Value val_getitem(Value obj, Value key);
int val_setitem(Value obj, Value key, Value v);
int val_delitem(Value obj, Value key);
int val_contains(Value container, Value item);
int64_t val_len(Value v);
Value val_iter(Value v);
// VAL_NULL with no exception set: exhausted.
Value val_next(Value it);
Value val_call(Value f, Value *args, size_t nargs, Value kwnames);
Value val_call0(Value f);
Value val_call1(Value f, Value a);
Value val_call2(Value f, Value a, Value b);
Value val_call_method(Value obj, const char *name, Value *args, size_t nargs);
Value val_format(Value v, Value spec);
// For conversions: int(x), float(x).
Value val_to_int(Value v);
Value val_to_float(Value v);
bool val_is_callable(Value v);
// isinstance(v, cls) where cls may be a type or a tuple of types.
int val_isinstance_check(Value v, Value cls);
int val_issubclass_check(Value derived, Value cls);
// Recursion guard for repr of self-containing containers (CPython's
// Py_ReprEnter): 1 when [obj] is already being repr'd on this thread (print
// "[...]"), 0 when entered (call repr_leave after), -1 on error.
int repr_enter(Value obj);
void repr_leave(Value obj);
// C-stack/recursion guard for C code that recurses into Python (repr, eq,
// hash of nested containers): -1 with RecursionError when too deep.
int recursion_enter(const char *where);
void recursion_leave(void);

#endif
