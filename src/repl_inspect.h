// Looking at the program from the REPL without running any of its code: tab
// completion and :dis read namespaces and objects through these functions.
//
// The rule: nothing here calls Python code, so completion can never start a
// computation, block or change state. Dotted names are followed through
// module dicts, instance dicts and class dicts (the MRO) by comparing str
// keys bytewise; descriptors are not bound and properties are not called
// (a property or __getattr__ attribute simply is not found). Each dict is
// read under its object lock (free-threaded mode) and values come out as
// new references. The caller is the main thread with the GIL in GIL mode.
#ifndef GILVM_REPL_INSPECT_H
#define GILVM_REPL_INSPECT_H

#include "../vm/state.h"

// A growable list of malloc'd C strings.
typedef struct {
    char **items;
    size_t n, cap;
} ReplNames;

void repl_inspect_names_free(ReplNames *l);

// The value of the str key [name] (len bytes) in dict [d], a new reference,
// or VAL_NULL when absent. Never raises.
Value repl_inspect_dict_find(Value d, const char *name, size_t len);
// Append the str keys of dict [d] to [out].
void repl_inspect_dict_names(Value d, ReplNames *out);
// Append the attribute names of [obj] found in its dicts: a module's
// namespace; an instance's dict and its class's MRO; a class's MRO.
void repl_inspect_attr_names(Value obj, ReplNames *out);
// The attribute [name] of [obj] as stored (unbound function, staticmethod,
// property object...), a new reference, or VAL_NULL.
Value repl_inspect_attr(Value obj, const char *name, size_t len);
// Follow the dotted name [expr] (len bytes) from [globals] then the
// builtins. A new reference, or VAL_NULL with a message in [why] (e.g.
// "name 'x' is not defined", "'C' has no attribute 'y' (that can be read
// without running code)").
Value repl_inspect_resolve(Interp *in, Value globals, const char *expr, size_t len, char *why,
                           size_t whylen);

#endif
