// Reading namespaces and objects without running code (see repl_inspect.h).
// Dicts are scanned entry by entry instead of hashed: hashing or comparing a
// key that is not a str could call __hash__/__eq__, and namespaces are small
// enough that a scan costs nothing at human speed.
#include "repl_inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vm/class.h"
#include "../vm/dict.h"
#include "../vm/module.h"
#include "../vm/str.h"
#include "../vm/tuple.h"

static void names_add(ReplNames *l, const char *s, size_t len) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return;
        l->items = p;
        l->cap = cap;
    }
    char *c = strndup(s, len);
    if (c)
        l->items[l->n++] = c;
}

void repl_inspect_names_free(ReplNames *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static bool key_is(Value k, const char *name, size_t len) {
    return k && val_is_str(k) && str_len(k) == len && memcmp(str_cstr(k), name, len) == 0;
}

Value repl_inspect_dict_find(Value d, const char *name, size_t len) {
    if (!d || !val_is_dict(d))
        return VAL_NULL;
    Dict *dd = as_dict(d);
    Value v = VAL_NULL;
    BEGIN_CRITICAL(&dd->ob);
    for (size_t i = 0; i < dd->nentries; i++) {
        if (key_is(dd->entries[i].key, name, len)) {
            v = incref(dd->entries[i].value);
            break;
        }
    }
    END_CRITICAL(&dd->ob);
    return v;
}

void repl_inspect_dict_names(Value d, ReplNames *out) {
    if (!d || !val_is_dict(d))
        return;
    Dict *dd = as_dict(d);
    BEGIN_CRITICAL(&dd->ob);
    for (size_t i = 0; i < dd->nentries; i++) {
        Value k = dd->entries[i].key;
        if (k && val_is_str(k))
            names_add(out, str_cstr(k), str_len(k));
    }
    END_CRITICAL(&dd->ob);
}

static bool is_type(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &type_type ||
                             (val_obj(v)->type->tflags & TF_TYPE_SUBCLASS));
}

static bool is_module(Value v) {
    return val_is_obj(v) && val_obj(v)->type == &module_type;
}

// The instance dict of [obj] (borrowed), or VAL_NULL; not for types and
// modules, whose namespaces are read directly.
static Value instance_dict(Value obj) {
    Value *slot = obj_dict_slot(obj);
    return slot ? obj_dict_peek(slot) : VAL_NULL;
}

// Calls [fn] on the dict of each class in [t]'s MRO until it returns true.
static bool each_mro_dict(Type *t, bool (*fn)(Value d, void *ctx), void *ctx) {
    Value mro = t->mro;
    if (mro && val_is_obj(mro)) {
        for (size_t i = 0; i < tuple_len(mro); i++) {
            Value c = tuple_get(mro, i);
            if (is_type(c) && fn(((Type *)val_obj(c))->dict, ctx))
                return true;
        }
        return false;
    }
    for (; t; t = t->base)
        if (fn(t->dict, ctx))
            return true;
    return false;
}

static bool add_names(Value d, void *ctx) {
    repl_inspect_dict_names(d, ctx);
    return false;
}

void repl_inspect_attr_names(Value obj, ReplNames *out) {
    if (is_module(obj)) {
        repl_inspect_dict_names(module_dict(obj), out);
    } else if (is_type(obj)) {
        each_mro_dict((Type *)val_obj(obj), add_names, out);
    } else {
        repl_inspect_dict_names(instance_dict(obj), out);
        each_mro_dict(val_type(obj), add_names, out);
    }
}

typedef struct {
    const char *name;
    size_t len;
    Value found;
} Find;

static bool find_in(Value d, void *ctx) {
    Find *f = ctx;
    f->found = repl_inspect_dict_find(d, f->name, f->len);
    return f->found != VAL_NULL;
}

Value repl_inspect_attr(Value obj, const char *name, size_t len) {
    if (is_module(obj))
        return repl_inspect_dict_find(module_dict(obj), name, len);
    Find f = {name, len, VAL_NULL};
    if (is_type(obj)) {
        each_mro_dict((Type *)val_obj(obj), find_in, &f);
        return f.found;
    }
    Value v = repl_inspect_dict_find(instance_dict(obj), name, len);
    if (v)
        return v;
    each_mro_dict(val_type(obj), find_in, &f);
    return f.found;
}

Value repl_inspect_resolve(Interp *in, Value globals, const char *expr, size_t len, char *why,
                           size_t whylen) {
    size_t i = 0;
    while (i < len && expr[i] != '.')
        i++;
    Value v = repl_inspect_dict_find(globals, expr, i);
    if (!v)
        v = repl_inspect_dict_find(in->builtins, expr, i);
    if (!v) {
        snprintf(why, whylen, "name '%.*s' is not defined", (int)i, expr);
        return VAL_NULL;
    }
    while (i < len) {
        size_t start = ++i;
        while (i < len && expr[i] != '.')
            i++;
        Value next = repl_inspect_attr(v, expr + start, i - start);
        if (!next) {
            snprintf(why, whylen,
                     "'%.*s' has no attribute '%.*s' (that can be read without running code)",
                     (int)(start - 1), expr, (int)(i - start), expr + start);
            decref(v);
            return VAL_NULL;
        }
        decref(v);
        v = next;
    }
    return v;
}
