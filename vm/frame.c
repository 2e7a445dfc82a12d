// Frames: allocation on the per-thread data stack, generator (heap) frames,
// and binding call arguments to parameters.
//
// The data stack is a list of chunks; frames are pushed and popped in LIFO
// order, so a push is a pointer bump and a pop a pointer reset. A frame that
// must outlive its call (a generator's) is malloc'd instead.
#include "abstract.h"
#include "dict.h"
#include "exc.h"
#include "func.h"
#include "interp.h"
#include "str.h"
#include "tuple.h"

#define CHUNK_WORDS (64 * 1024)

static void frame_init(Frame *f, Code *code) {
    frame_init_header(f, code);
    memset(f->slots, 0, code_nfast(code) * sizeof(Value));
}

Frame *frame_push_slow(ThreadState *ts, Code *code) {
    size_t n = frame_words(code);
    {
        size_t words = n > CHUNK_WORDS ? n : CHUNK_WORDS;
        StackChunk *c = malloc(sizeof(StackChunk) + words * sizeof(Value));
        if (!c) {
            exc_nomemory();
            return NULL;
        }
        c->prev = ts->chunk;
        c->saved_top = ts->ds_top;
        c->saved_limit = ts->ds_limit;
        c->words = words;
        ts->chunk = c;
        ts->ds_top = c->data;
        ts->ds_limit = c->data + words;
    }
    Frame *f = (Frame *)ts->ds_top;
    ts->ds_top += n;
    frame_init(f, code);
    return f;
}

void frame_clear_slots(Frame *f) {
    Value *base = f->slots;
    Value *end = f->sp ? f->sp : f->slots + f->code->nlocals + f->code->ncells + f->code->nfree;
    for (Value *p = base; p < end; p++)
        clear_ref(p);
    f->sp = f->slots + f->code->nlocals + f->code->ncells + f->code->nfree;
    clear_ref(&f->locals);
    clear_ref(&f->func);
}

void frame_pop_chunk(ThreadState *ts) {
    StackChunk *c = ts->chunk;
    ts->ds_top = c->saved_top;
    ts->ds_limit = c->saved_limit;
    ts->chunk = c->prev;
    free(c);
}

void frame_free_chunks(ThreadState *ts) {
    while (ts->chunk) {
        StackChunk *c = ts->chunk;
        ts->chunk = c->prev;
        free(c);
    }
    ts->ds_top = ts->ds_limit = NULL;
}

Frame *frame_new_heap(Code *code) {
    Frame *f = malloc(frame_words(code) * sizeof(Value));
    if (!f) {
        exc_nomemory();
        return NULL;
    }
    frame_init(f, code);
    f->flags = FRAME_HEAP;
    return f;
}

void frame_free_heap(Frame *f) {
    frame_clear_slots(f);
    free(f);
}

// --- argument binding -------------------------------------------------------------

static const char *fname(Value func) {
    return str_cstr(((Function *)val_obj(func))->qualname);
}

// "'a', 'b', and 'c'" as CPython lists missing names.
static void missing_error(Value func, Value *names_, size_t n, const char *kind) {
    char buf[512];
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && len < sizeof buf - 64; i++) {
        const char *sep = "";
        if (i > 0)
            sep = (n == 2) ? " and " : (i == n - 1 ? ", and " : ", ");
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s'%s'", sep, str_cstr(names_[i]));
    }
    exc_raise(&exc_TypeError, "%s() missing %zu required %s argument%s: %s", fname(func), n, kind,
              n == 1 ? "" : "s", buf);
}

static void too_many_positional(Value func, Code *c, size_t given, size_t ndefaults,
                                size_t kwonly_given) {
    size_t argc = c->argcount;
    char takes[96];
    if (ndefaults)
        snprintf(takes, sizeof takes, "from %zu to %zu positional arguments", argc - ndefaults,
                 argc);
    else
        snprintf(takes, sizeof takes, "%zu positional argument%s", argc, argc == 1 ? "" : "s");
    char given_s[160];
    if (kwonly_given)
        snprintf(given_s, sizeof given_s,
                 "%zu positional argument%s (and %zu keyword-only argument%s) were given", given,
                 given == 1 ? "" : "s", kwonly_given, kwonly_given == 1 ? "" : "s");
    else
        snprintf(given_s, sizeof given_s, "%zu %s given", given, given == 1 ? "was" : "were");
    exc_raise(&exc_TypeError, "%s() takes %s but %s", fname(func), takes, given_s);
}

int frame_bind_args(Frame *f, Value func, Value *args, size_t nargs, Value kwnames) {
    Function *fn = (Function *)val_obj(func);
    Code *c = fn->code;
    Value *slots = f->slots;
    size_t argc = c->argcount;
    size_t kwonly = c->kwonlyargcount;
    size_t total = argc + kwonly;
    Value kwdict = VAL_NULL;
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;

    if (c->flags & CO_VARKEYWORDS) {
        kwdict = dict_new();
        if (!kwdict)
            return -1;
        slots[total + ((c->flags & CO_VARARGS) ? 1 : 0)] = kwdict;
    }
    size_t npos = nargs < argc ? nargs : argc;
    for (size_t i = 0; i < npos; i++)
        slots[i] = incref(args[i]);
    if (c->flags & CO_VARARGS) {
        Value rest = nargs > argc ? tuple_from_array(args + argc, nargs - argc) : tuple_empty();
        if (!rest)
            return -1;
        slots[total] = rest;
    } else if (nargs > argc) {
        size_t kwonly_given = 0;
        for (size_t k = 0; k < nkw; k++)
            for (size_t j = argc; j < total; j++)
                if (str_eq(c->varnames[j], tuple_get(kwnames, k)))
                    kwonly_given++;
        size_t nd = fn->defaults ? tuple_len(fn->defaults) : 0;
        too_many_positional(func, c, nargs, nd, kwonly_given);
        return -1;
    }
    // Keyword arguments.
    for (size_t k = 0; k < nkw; k++) {
        Value name = tuple_get(kwnames, k);
        Value v = args[nargs + k];
        size_t j;
        for (j = c->posonlyargcount; j < total; j++)
            if (c->varnames[j] == name || str_eq(c->varnames[j], name))
                break;
        if (j == total) {
            if (kwdict) {
                if (dict_set(kwdict, name, v) < 0)
                    return -1;
                continue;
            }
            for (j = 0; j < c->posonlyargcount; j++)
                if (str_eq(c->varnames[j], name)) {
                    exc_raise(&exc_TypeError,
                              "%s() got some positional-only arguments passed as keyword "
                              "arguments: '%s'",
                              fname(func), str_cstr(name));
                    return -1;
                }
            exc_raise(&exc_TypeError, "%s() got an unexpected keyword argument '%s'", fname(func),
                      str_cstr(name));
            return -1;
        }
        if (slots[j]) {
            exc_raise(&exc_TypeError, "%s() got multiple values for argument '%s'", fname(func),
                      str_cstr(name));
            return -1;
        }
        slots[j] = incref(v);
    }
    // Defaults for missing positional parameters.
    if (nargs < argc) {
        size_t nd = fn->defaults ? tuple_len(fn->defaults) : 0;
        size_t first_default = argc - nd;
        Value missing[argc];
        size_t nmissing = 0;
        for (size_t i = nargs; i < argc; i++) {
            if (slots[i])
                continue;
            if (i >= first_default)
                slots[i] = incref(tuple_get(fn->defaults, i - first_default));
            else
                missing[nmissing++] = c->varnames[i];
        }
        if (nmissing) {
            missing_error(func, missing, nmissing, "positional");
            return -1;
        }
    }
    if (kwonly) {
        Value missing[kwonly];
        size_t nmissing = 0;
        for (size_t i = argc; i < total; i++) {
            if (slots[i])
                continue;
            Value d = fn->kwdefaults ? dict_get(fn->kwdefaults, c->varnames[i]) : VAL_NULL;
            if (d)
                slots[i] = d;
            else if (exc_occurred())
                return -1;
            else
                missing[nmissing++] = c->varnames[i];
        }
        if (nmissing) {
            missing_error(func, missing, nmissing, "keyword-only");
            return -1;
        }
    }
    return 0;
}
