// Modules: a namespace dict with a name. Built-in modules (mod_*.c) register
// an init function in the module table; `import` finds them by name.
#ifndef GILVM_MODULE_H
#define GILVM_MODULE_H

#include "func.h"
#include "object.h"

typedef struct {
    Object ob;
    Value dict;
    Value name;
    _Atomic bool initializing;   // its code is running (module_import)
} Module;

extern Type module_type;
Value module_new(const char *name);
static inline Value module_dict(Value m) { return ((Module *)val_obj(m))->dict; }
int module_add(Value m, const char *name, Value v);       // increfs v
int module_add_steal(Value m, const char *name, Value v);
int module_add_functions(Value m, const MethodDef *defs);
// Import the module [name] (Str): from sys.modules or a built-in module.
Value module_import(Value name);

typedef Value (*ModuleInit)(void);
typedef struct {
    const char *name;
    ModuleInit init;
} BuiltinModule;
extern const BuiltinModule builtin_modules[];

// Modules written in Python (lib/*.py), compiled into the binary by
// tools/embed.c. They are compiled on first import through the
// interpreter's compile hook (the compiler lives in src/, above vm/).
typedef struct {
    const char *name;
    const char *source;
    size_t len;
} EmbeddedModule;
extern const EmbeddedModule embedded_modules[];

Value mod_sys_init(void);
Value mod_thread_init(void);
// [v] is a lock the program made (a _thread lock or RLock, not one threading
// uses inside): its owner thread id (0 = free) and acquire site. False for
// anything else. For observers holding the GIL (the stepping view).
bool mod_thread_lock_owner(Value v, uint64_t *owner, uint64_t *site);
Value mod_math_init(void);
Value mod_time_init(void);
Value mod_builtins_init(void);

#endif
