// Interned identifiers the runtime looks up by name (dunder methods and
// attributes). Each NAME(x) becomes an immortal Str `names.x`, filled once by
// names_init() at start-up and read-only afterwards.
#ifndef GILVM_NAMES_H
#define GILVM_NAMES_H

#include "object.h"

#define NAMES(X)                                                                                \
    X(__init__) X(__new__) X(__repr__) X(__str__) X(__hash__) X(__eq__) X(__ne__) X(__lt__)     \
    X(__le__) X(__gt__) X(__ge__) X(__call__) X(__iter__) X(__next__) X(__len__)                \
    X(__getitem__) X(__setitem__) X(__delitem__) X(__contains__) X(__bool__) X(__getattr__)     \
    X(__getattribute__) X(__setattr__) X(__delattr__) X(__get__) X(__set__) X(__delete__)       \
    X(__enter__) X(__exit__) X(__neg__) X(__pos__) X(__abs__) X(__invert__) X(__int__)         \
    X(__float__) X(__index__) X(__format__) X(__name__) X(__qualname__) X(__module__)           \
    X(__dict__) X(__class__) X(__doc__) X(__mro__) X(__bases__) X(__base__) X(__main__)        \
    X(__builtins__) X(__classcell__) X(__round__) X(__reversed__) X(__trunc__) X(__floor__)    \
    X(__ceil__) X(__file__) X(__spec__) X(__loader__) X(__package__) X(__all__) X(__self__)    \
    X(__wrapped__) X(__init_subclass__) X(__set_name__) X(__del__) X(__missing__)   \
    X(__annotations__) X(__defaults__) X(__code__) X(__closure__) X(__globals__) X(__kwdefaults__) \
    X(__length_hint__) X(__class_getitem__) X(__slots__) X(__weakref__) X(__build_class__)   \
    X(__import__) X(__debug__) X(__traceback__) X(__cause__) X(__context__)                   \
    X(__suppress_context__) X(args) X(value) X(code) X(send) X(throw) X(close) X(keys) X(items) \
    X(write) X(flush) X(readline) X(join) X(run) X(name) X(mro) X(metaclass) X(self) X(cls)   \
    X(__aenter__) X(__aexit__) X(__await__) X(__aiter__) X(__anext__) X(__notes__)           \
    X(__abstractmethods__) X(__prepare__) X(__bytes__) X(__sizeof__)

// Names that are C keywords or predefined identifiers get a field of their own.
#define NAMES_ALIASED(Y) Y(dunder_func, "__func__") Y(dunder_complex, "__complex__")

typedef struct {
#define NAME_FIELD(n) Value n;
    NAMES(NAME_FIELD)
#undef NAME_FIELD
#define ALIAS_FIELD(f, s) Value f;
    NAMES_ALIASED(ALIAS_FIELD)
#undef ALIAS_FIELD
} Names;

extern Names names;
void names_init(void);

#endif
