// Process-wide start-up: the immortal singletons, the interned names and
// every static type, made ready once. After runtime_init returns, all of it
// is read-only, so any thread may use it without locks.
#include "runtime.h"

#include <pthread.h>

#include "abstract.h"
#include "class.h"
#include "exc.h"
#include "names.h"
#include "str.h"

// Type init functions of each file (declared here to keep the headers lean).
void class_types_init(void);
void func_types_init(void);
void module_type_init(void);
void code_type_init(void);
void gen_type_init(void);
void str_type_init(void);
void tuple_type_init(void);
void list_type_init(void);
void dict_type_init(void);
void set_type_init(void);
void seq_type_init(void);
void int_type_init(void);
void float_type_init(void);

Names names;

void names_init(void) {
#define NAME_INIT(n) names.n = str_intern_cstr(#n);
    NAMES(NAME_INIT)
#undef NAME_INIT
#define ALIAS_INIT(f, s) names.f = str_intern_cstr(s);
    NAMES_ALIASED(ALIAS_INIT)
#undef ALIAS_INIT
}

// --- None, NotImplemented, Ellipsis ------------------------------------------------

static Value none_repr(Value v) {
    UNUSED(v);
    return str_intern_cstr("None");
}
static int none_bool(Value v) {
    UNUSED(v);
    return 0;
}
static int singleton_hash(Value v, int64_t *out) {
    *out = (int64_t)(v >> 4);
    return 0;
}
static Value none_new(Type *t, Value *args, size_t nargs, Value kwnames) {
    UNUSED(t);
    UNUSED(args);
    if (nargs || kwnames)
        return exc_raise(&exc_TypeError, "NoneType takes no arguments");
    return VAL_NONE;
}

Type none_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "NoneType",
    .basic_size = sizeof(Object),
    .repr = none_repr,
    .nb_bool = none_bool,
    .hash = singleton_hash,
    .new_ = none_new,
};

static Value notimpl_repr(Value v) {
    UNUSED(v);
    return str_intern_cstr("NotImplemented");
}

Type notimpl_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "NotImplementedType",
    .basic_size = sizeof(Object),
    .repr = notimpl_repr,
    .hash = singleton_hash,
};

static Value ellipsis_repr(Value v) {
    UNUSED(v);
    return str_intern_cstr("Ellipsis");
}

Type ellipsis_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "ellipsis",
    .basic_size = sizeof(Object),
    .repr = ellipsis_repr,
    .hash = singleton_hash,
};

Object none_obj = OBJECT_HEAD_IMMORTAL(&none_type);
Object notimpl_obj = OBJECT_HEAD_IMMORTAL(&notimpl_type);
Object ellipsis_obj = OBJECT_HEAD_IMMORTAL(&ellipsis_type);

static pthread_once_t runtime_once = PTHREAD_ONCE_INIT;

static void runtime_init_once(void) {
    // Strings first: every type's dict is keyed by interned names.
    names_init();
    class_types_init();
    str_type_init();
    tuple_type_init();
    list_type_init();
    dict_type_init();
    set_type_init();
    seq_type_init();
    int_type_init();
    float_type_init();
    func_types_init();
    module_type_init();
    code_type_init();
    gen_type_init();
    type_ready(&none_type);
    type_ready(&notimpl_type);
    type_ready(&ellipsis_type);
    exc_init_types();
}

void runtime_init(void) {
    pthread_once(&runtime_once, runtime_init_once);
}
