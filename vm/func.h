// Callables: Python functions, cells, bound methods, native (C) functions and
// method descriptors, staticmethod, classmethod and property.
//
// Native functions share one signature (NativeFunc) and are declared with
// MethodDef tables. A method descriptor in a type's dict binds `self` when
// read from an instance; LOAD_METHOD avoids the binding by pushing the
// descriptor and `self` separately, and CALL passes `self` as args[0].
#ifndef GILVM_FUNC_H
#define GILVM_FUNC_H

#include "code.h"
#include "object.h"

// [self] is the bound object (VAL_NULL for plain functions); args as CallFunc.
typedef Value (*NativeFunc)(Value self, Value *args, size_t nargs, Value kwnames);

enum {
    METH_STATIC = 1 << 0,   // no self
    METH_CLASS = 1 << 1,    // self is the type
};

typedef struct {
    const char *name;
    NativeFunc fn;
    uint32_t flags;
    const char *doc;
} MethodDef;

typedef struct {
    Object ob;
    Code *code;
    Value globals;       // Dict
    Value builtins;      // Dict
    Value defaults;      // Tuple or VAL_NULL
    Value kwdefaults;    // Dict or VAL_NULL
    Value closure;       // Tuple of Cell or VAL_NULL
    Value name;          // Str
    Value qualname;      // Str
    Value module;        // Str or VAL_NULL
    Value dict;          // attributes, created on first store
    Value doc;
} Function;

typedef struct {
    Object ob;
    Value ref;           // VAL_NULL when empty; under the cell's lock (cell_get/cell_set)
} Cell;

// A new reference to the cell's content (VAL_NULL if empty), and a store that
// returns the old content for the caller to drop: each one step under the
// cell's object lock, so a closure variable shared by threads is never freed
// while another thread takes it.
static inline Value cell_get(Cell *c) {
    BEGIN_CRITICAL(&c->ob);
    Value v = incref(c->ref);
    END_CRITICAL(&c->ob);
    return v;
}
static inline Value cell_swap(Cell *c, Value v) {
    BEGIN_CRITICAL(&c->ob);
    Value old = c->ref;
    c->ref = v;
    END_CRITICAL(&c->ob);
    return old;
}

typedef struct {
    Object ob;
    Value func;
    Value self;
} BoundMethod;

typedef struct {
    Object ob;
    const MethodDef *def;
    Value self;          // bound object or VAL_NULL; owned
    Value module;        // Str or VAL_NULL
} Builtin;

typedef struct {
    Object ob;
    const MethodDef *def;
    Type *owner;
} MethodDescr;

typedef struct {
    Object ob;
    Value func;
} StaticMethod;          // also classmethod

typedef struct {
    Object ob;
    Value fget, fset, fdel, doc;
    Value name;          // set by __set_name__ when the class is created
} Property;

extern Type function_type, cell_type, method_type, builtin_type, method_descr_type,
    staticmethod_type, classmethod_type, property_type;

Value func_new(Code *code, Value globals, Value qualname);
Value cell_new(Value v);                      // increfs v (VAL_NULL allowed)
Value method_new(Value func, Value self);     // increfs both
Value builtin_new(const MethodDef *def, Value self, Value module);
Value method_descr_new(const MethodDef *def, Type *owner);
// Put every MethodDef of [defs] (NULL-name terminated) into [t]'s dict.
void type_add_methods(Type *t, const MethodDef *defs);

// Argument checking for natives. All messages as CPython words them.
// No keywords; between [min] and [max] positional args.
int args_check(const char *fname, size_t nargs, Value kwnames, size_t min, size_t max);
// Positional-or-keyword parameters [names] (NULL-terminated); the first
// [min] are required, at most [max] may be positional. Fills [out] with
// borrowed values, VAL_NULL for missing ones.
int args_parse(const char *fname, Value *args, size_t nargs, Value kwnames,
               const char *const *names, size_t min, size_t max, Value *out);

#endif
