// Types as objects: `type`, `object`, class creation, instances, super,
// attribute lookup through the MRO, and the slot wrappers that let a class
// statement's dunder methods (__add__, __eq__, __iter__...) fill type slots.
#ifndef GILVM_CLASS_H
#define GILVM_CLASS_H

#include "object.h"

typedef struct {
    Object ob;
    Value dict;          // instance attributes (Dict) or VAL_NULL until first store
} Instance;

typedef struct {
    Object ob;
    Type *type;          // the class super() was called in
    Value obj;           // the instance (or class)
    Type *obj_type;
} Super;

extern Type type_type, object_type, super_type, none_type, notimpl_type, ellipsis_type,
    slot_wrapper_type;

// Finish a static type: build its dict and MRO. Called once at start-up.
void type_ready(Type *t);
// Call after changing any class namespace: invalidates lookup caches.
void type_modified(void);
extern _Atomic uint64_t type_epoch;
static inline uint64_t type_epoch_now(void) {
    return atomic_load_explicit(&type_epoch, memory_order_acquire);
}
// Find [name] in [t]'s MRO without binding. Borrowed; VAL_NULL if absent.
Value type_lookup(Type *t, Value name);
Value type_lookup_cstr(Type *t, const char *name);
// class NAME(BASES): NS -- a new heap type.
Value type_new_class(Value name, Value bases, Value ns);
Value generic_getattr(Value obj, Value name);
int generic_setattr(Value obj, Value name, Value v);
// Where the instance dict of [obj] lives, or NULL.
Value *obj_dict_slot(Value obj);
// The instance dict in [slot], borrowed, or VAL_NULL if none was made yet.
// The slot is written once (obj_dict_ensure, compare-and-swap) and then holds
// the same dict until the object dies, so a borrowed read is safe from any
// thread that holds a reference to the object.
static inline Value obj_dict_peek(Value *slot) {
    return atomic_load_explicit((_Atomic Value *)slot, memory_order_acquire);
}
// The dict in [slot], created empty if needed (borrowed); VAL_NULL on
// MemoryError.
Value obj_dict_ensure(Value *slot);
// Instantiate [t]: __new__ then __init__.
Value type_call(Value t, Value *args, size_t nargs, Value kwnames);
const char *type_name(const Type *t);
Value type_repr(Value t);
// At shutdown: empty every class namespace to break the cycles classes are in.
struct Interp;
void class_clear_heap_types(struct Interp *in);
// Resolve a LOAD_METHOD: returns the callable and sets *is_method when it
// wants [obj] as its first argument (unbound function or method descriptor).
Value obj_get_method(Value obj, Value name, bool *is_method);

#endif
