// The builtins module: built-in functions, the built-in types and every
// built-in exception.
//
// One builtins module per interpreter (mod_builtins_init); its dict is the
// `builtins` of every frame. The functions keep no state: the standard
// streams are read from the interpreter's sys module on each call, so
// assigning sys.stdout redirects print().
//
// print() builds the whole output (args, separators, end) in one SBuf and
// writes it with a single call when the target is one of sys's own streams,
// so lines from concurrent threads never interleave within one print. Any
// other file object gets CPython's sequence of write() calls.
//
// Not provided here: __build_class__ (the interpreter's), open, eval, exec,
// compile, breakpoint, aiter/anext, and the bytes/bytearray/complex/
// memoryview types (they do not exist in gilvm).
#include <gmp.h>
#include <math.h>

#include "abstract.h"
#include "class.h"
#include "code.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "fmt.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "mod_sys.h"
#include "module.h"
#include "sbuf.h"
#include "seq.h"
#include "set.h"
#include "state.h"
#include "str.h"
#include "tuple.h"

// --- argument helpers ---------------------------------------------------------------

static size_t nkw(Value kwnames) {
    return kwnames ? tuple_len(kwnames) : 0;
}

// Find keyword [name] among [kwnames]: its value or VAL_NULL.
static Value kwarg(Value *args, size_t nargs, Value kwnames, const char *name) {
    for (size_t i = 0; i < nkw(kwnames); i++)
        if (strcmp(str_cstr(tuple_get(kwnames, i)), name) == 0)
            return args[nargs + i];
    return VAL_NULL;
}

// Every keyword must be one of [allowed] (NULL-terminated).
static int kw_only(Value kwnames, const char *fname, const char *const *allowed) {
    for (size_t i = 0; i < nkw(kwnames); i++) {
        const char *k = str_cstr(tuple_get(kwnames, i));
        bool ok = false;
        for (size_t j = 0; allowed[j] && !ok; j++)
            ok = strcmp(allowed[j], k) == 0;
        if (!ok)
            return exc_raise_int(&exc_TypeError, "'%s' is an invalid keyword argument for %s()", k,
                                 fname);
    }
    return 0;
}

static bool is_exact(Value v, Type *t) {
    return val_is_obj(v) && val_obj(v)->type == t;
}

// --- print and input ----------------------------------------------------------------

// The str() of [v] appended to [b].
static int put_str(SBuf *b, Value v) {
    Value s = val_str(v);
    if (!s)
        return -1;
    int r = sbuf_putn(b, str_cstr(s), str_len(s));
    decref(s);
    if (r < 0)
        exc_nomemory();
    return r;
}

static int call_write(Value file, Value s) {
    Value r = val_call_method(file, "write", &s, 1);
    if (!r)
        return -1;
    decref(r);
    return 0;
}

static int call_flush(Value file) {
    Value r = val_call_method(file, "flush", NULL, 0);
    if (!r)
        return -1;
    decref(r);
    return 0;
}

// The file print() and input() write to: sys.stdout (new reference), None
// when sys.stdout is None or deleted. Before the sys module exists (early
// start-up) nothing is returned and *raw is set to the C stream.
static Value default_stream(const char *name, FILE *c_stream, FILE **raw) {
    Interp *in = ts_cur->interp;
    *raw = NULL;
    if (!in->sys_module) {
        *raw = c_stream;
        return VAL_NULL;
    }
    Value f = dict_get_cstr(module_dict(in->sys_module), name);
    if (!f && exc_occurred())
        return VAL_NULL;
    return f ? f : incref(VAL_NONE);
}

static Value default_stdout(FILE **raw) {
    return default_stream("stdout", stdout, raw);
}

static Value bi_print(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    static const char *const kws[] = {"sep", "end", "file", "flush", NULL};
    if (kw_only(kwnames, "print", kws) < 0)
        return VAL_NULL;
    Value sep = kwarg(args, nargs, kwnames, "sep");
    Value end = kwarg(args, nargs, kwnames, "end");
    Value file = kwarg(args, nargs, kwnames, "file");
    Value flush = kwarg(args, nargs, kwnames, "flush");
    if (sep == VAL_NONE)
        sep = VAL_NULL;
    if (end == VAL_NONE)
        end = VAL_NULL;
    if (sep && !val_is_str(sep))
        return exc_raise(&exc_TypeError, "sep must be None or a string, not %s",
                         val_type_name(sep));
    if (end && !val_is_str(end))
        return exc_raise(&exc_TypeError, "end must be None or a string, not %s",
                         val_type_name(end));
    FILE *fp = NULL;
    if (!file || file == VAL_NONE) {
        file = default_stdout(&fp);
        if (!file && !fp)
            return VAL_NULL;
    } else {
        incref(file);
    }
    Value result = VAL_NULL;
    if (file == VAL_NONE) {
        // sys.stdout is None: print does nothing.
        result = incref(VAL_NONE);
        goto out;
    }
    int do_flush = 0;
    if (flush && (do_flush = val_truthy(flush)) < 0)
        goto out;
    if (file && sys_stream_file(file) && ((SysStream *)val_obj(file))->writable)
        fp = sys_stream_file(file);
    if (fp) {
        // Fast path: one buffer, one write.
        SBuf b;
        sbuf_init(&b);
        for (size_t i = 0; i < nargs; i++) {
            if (i > 0 && (sep ? sbuf_putn(&b, str_cstr(sep), str_len(sep))
                              : sbuf_putc(&b, ' ')) < 0) {
                exc_nomemory();
                sbuf_free(&b);
                goto out;
            }
            if (put_str(&b, args[i]) < 0) {
                sbuf_free(&b);
                goto out;
            }
        }
        if ((end ? sbuf_putn(&b, str_cstr(end), str_len(end)) : sbuf_putc(&b, '\n')) < 0) {
            exc_nomemory();
            sbuf_free(&b);
            goto out;
        }
        int r = sys_stream_write(fp, b.data, b.len);
        sbuf_free(&b);
        if (r < 0)
            goto out;
        if (do_flush || fp == stderr)
            sys_stream_flush(fp);
        result = incref(VAL_NONE);
        goto out;
    }
    // Any other file object: write() each piece, as CPython does.
    for (size_t i = 0; i < nargs; i++) {
        if (i > 0) {
            Value s = sep ? incref(sep) : str_intern_cstr(" ");
            int r = call_write(file, s);
            decref(s);
            if (r < 0)
                goto out;
        }
        Value s = val_str(args[i]);
        if (!s)
            goto out;
        int r = call_write(file, s);
        decref(s);
        if (r < 0)
            goto out;
    }
    {
        Value s = end ? incref(end) : str_intern_cstr("\n");
        int r = call_write(file, s);
        decref(s);
        if (r < 0)
            goto out;
    }
    if (do_flush && call_flush(file) < 0)
        goto out;
    result = incref(VAL_NONE);
out:
    decref(file);
    return result;
}

static Value bi_input(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("input", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    FILE *fp = NULL;
    Value out = default_stdout(&fp);
    if (!out && !fp)
        return VAL_NULL;
    // Flush stdout (and write the prompt) before blocking on input.
    if (out != VAL_NONE) {
        if (out)
            fp = sys_stream_file(out);
        int r = 0;
        if (nargs == 1) {
            Value p = val_str(args[0]);
            if (!p) {
                decref(out);
                return VAL_NULL;
            }
            r = fp ? sys_stream_write(fp, str_cstr(p), str_len(p)) : call_write(out, p);
            decref(p);
        }
        if (r == 0) {
            if (fp)
                sys_stream_flush(fp);
            else
                r = call_flush(out);
        }
        if (r < 0) {
            decref(out);
            return VAL_NULL;
        }
    }
    decref(out);
    FILE *ifp = NULL;
    Value inp = default_stream("stdin", stdin, &ifp);
    if (!inp && !ifp)
        return VAL_NULL;
    if (inp == VAL_NONE) {
        decref(inp);
        return exc_raise(&exc_RuntimeError, "input(): lost sys.stdin");
    }
    Value line;
    if (inp && sys_stream_file(inp) && ((SysStream *)val_obj(inp))->readable)
        ifp = sys_stream_file(inp);
    if (ifp) {
        size_t len;
        char *buf = sys_stream_readline(ifp, &len);
        if (!buf) {
            decref(inp);
            return VAL_NULL;
        }
        if (!utf8_valid(buf, len, NULL)) {
            free(buf);
            decref(inp);
            return exc_raise(&exc_ValueError, "'utf-8' codec can't decode input line");
        }
        line = str_take(buf, len);
    } else {
        line = val_call_method(inp, "readline", NULL, 0);
        if (line && !val_is_str(line)) {
            decref(line);
            decref(inp);
            return exc_raise(&exc_TypeError, "object.readline() returned non-string");
        }
    }
    decref(inp);
    if (!line)
        return VAL_NULL;
    size_t len = str_len(line);
    if (len == 0) {
        decref(line);
        return exc_raise(&exc_EOFError, "EOF when reading a line");
    }
    if (str_cstr(line)[len - 1] == '\n') {
        Value s = str_new(str_cstr(line), len - 1);
        decref(line);
        return s;
    }
    return line;
}

// --- simple one-argument functions -------------------------------------------------------

static Value bi_len(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("len", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int64_t n = val_len(args[0]);
    return n < 0 ? VAL_NULL : int_from_i64(n);
}

static Value bi_repr(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("repr", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return val_repr(args[0]);
}

static Value bi_ascii(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("ascii", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return val_ascii(args[0]);
}

static Value bi_abs(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("abs", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return val_abs(args[0]);
}

static Value bi_id(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("id", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    // Small ints have no address: their tagged word is as unique as one.
    return int_from_u64((uint64_t)args[0]);
}

static Value bi_hash(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("hash", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int64_t h;
    if (val_hash(args[0], &h) < 0)
        return VAL_NULL;
    return int_from_i64(h);
}

static Value bi_callable(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("callable", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return incref(bool_val(val_is_callable(args[0])));
}

static Value bi_isinstance(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("isinstance", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    int r = val_isinstance_check(args[0], args[1]);
    return r < 0 ? VAL_NULL : incref(bool_val(r));
}

static Value bi_issubclass(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("issubclass", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    int r = val_issubclass_check(args[0], args[1]);
    return r < 0 ? VAL_NULL : incref(bool_val(r));
}

// --- iteration ------------------------------------------------------------------------

static Value bi_iter(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("iter", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    if (nargs == 1)
        return val_iter(args[0]);
    if (!val_is_callable(args[0]))
        return exc_raise(&exc_TypeError, "iter(v, w): v must be callable");
    return callable_iter_new(args[0], args[1]);
}

static Value bi_next(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("next", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    Type *t = val_type(args[0]);
    if (!t->iternext)
        return exc_raise(&exc_TypeError, "'%s' object is not an iterator", t->name);
    Value v = t->iternext(args[0]);
    if (v)
        return v;
    if (exc_occurred()) {
        if (nargs == 2 && exc_matches(&exc_StopIteration)) {
            exc_clear();
            return incref(args[1]);
        }
        return VAL_NULL;
    }
    if (nargs == 2)
        return incref(args[1]);
    Value e = exc_new(&exc_StopIteration, NULL, 0);
    if (e)
        exc_set_steal(e);
    return VAL_NULL;
}

static Value all_any(Value it_src, bool want) {
    Value it = val_iter(it_src);
    if (!it)
        return VAL_NULL;
    for (;;) {
        Value x = val_next(it);
        if (!x) {
            decref(it);
            return exc_occurred() ? VAL_NULL : incref(bool_val(!want));
        }
        int t = val_truthy(x);
        decref(x);
        if (t < 0) {
            decref(it);
            return VAL_NULL;
        }
        if ((bool)t == want) {
            decref(it);
            return incref(bool_val(want));
        }
    }
}

static Value bi_all(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("all", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return all_any(args[0], false);
}

static Value bi_any(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("any", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return all_any(args[0], true);
}

static Value bi_sorted(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (nargs != 1)
        return exc_raise(&exc_TypeError, "sorted expected 1 argument, got %zu", nargs);
    static const char *const kws[] = {"key", "reverse", NULL};
    if (kw_only(kwnames, "sort", kws) < 0)
        return VAL_NULL;
    Value key = kwarg(args, nargs, kwnames, "key");
    Value rev = kwarg(args, nargs, kwnames, "reverse");
    int64_t reverse = 0;
    if (rev) {
        if (val_is_float(rev))
            return exc_raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
        if (val_index_i64(rev, &reverse) < 0)
            return VAL_NULL;
    }
    Value l = list_from_iterable(args[0]);
    if (!l)
        return VAL_NULL;
    if (list_sort(l, key ? key : VAL_NULL, reverse != 0) < 0) {
        decref(l);
        return VAL_NULL;
    }
    return l;
}

// min() and max(): [op] is CMP_LT or CMP_GT.
static Value minmax(Value *args, size_t nargs, Value kwnames, int op, const char *name) {
    static const char *const kws[] = {"key", "default", NULL};
    if (kw_only(kwnames, name, kws) < 0)
        return VAL_NULL;
    Value key = kwarg(args, nargs, kwnames, "key");
    Value dflt = kwarg(args, nargs, kwnames, "default");
    if (key == VAL_NONE)
        key = VAL_NULL;
    if (nargs == 0)
        return exc_raise(&exc_TypeError, "%s expected at least 1 argument, got 0", name);
    if (nargs > 1 && dflt)
        return exc_raise(&exc_TypeError,
                         "Cannot specify a default for %s() with multiple positional arguments",
                         name);
    Value it = VAL_NULL;
    size_t pos = 0;
    if (nargs == 1) {
        it = val_iter(args[0]);
        if (!it)
            return VAL_NULL;
    }
    Value best = VAL_NULL, best_key = VAL_NULL;
    for (;;) {
        Value item;
        if (it) {
            item = val_next(it);
            if (!item) {
                if (exc_occurred())
                    goto fail;
                break;
            }
        } else {
            if (pos == nargs)
                break;
            item = incref(args[pos++]);
        }
        Value k = key ? val_call1(key, item) : incref(item);
        if (!k) {
            decref(item);
            goto fail;
        }
        if (!best) {
            best = item;
            best_key = k;
            continue;
        }
        int c = val_richcmp_bool(k, best_key, op);
        if (c < 0) {
            decref(item);
            decref(k);
            goto fail;
        }
        if (c) {
            set_ref(&best, item);
            set_ref(&best_key, k);
        } else {
            decref(item);
            decref(k);
        }
    }
    decref(it);
    decref(best_key);
    if (best)
        return best;
    if (dflt)
        return incref(dflt);
    return exc_raise(&exc_ValueError, "%s() arg is an empty sequence", name);
fail:
    decref(it);
    decref(best);
    decref(best_key);
    return VAL_NULL;
}

static Value bi_min(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    return minmax(args, nargs, kwnames, CMP_LT, "min");
}

static Value bi_max(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    return minmax(args, nargs, kwnames, CMP_GT, "max");
}

static Value bi_sum(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    static const char *const kws[] = {"start", NULL};
    if (kw_only(kwnames, "sum", kws) < 0)
        return VAL_NULL;
    if (nargs == 0)
        return exc_raise(&exc_TypeError, "sum() takes at least 1 positional argument (0 given)");
    if (nargs > 2)
        return exc_raise(&exc_TypeError, "sum() takes at most 2 arguments (%zu given)", nargs);
    Value start = nargs == 2 ? args[1] : kwarg(args, nargs, kwnames, "start");
    if (nargs == 2 && kwarg(args, nargs, kwnames, "start"))
        return exc_raise(&exc_TypeError,
                         "argument for sum() given by name ('start') and position (2)");
    if (!start)
        start = small_new(0);
    if (val_is_str(start))
        return exc_raise(&exc_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
    const char *sn = val_type_name(start);
    if (strcmp(sn, "bytes") == 0)
        return exc_raise(&exc_TypeError, "sum() can't sum bytes [use b''.join(seq) instead]");
    if (strcmp(sn, "bytearray") == 0)
        return exc_raise(&exc_TypeError,
                         "sum() can't sum bytearray [use b''.join(seq) instead]");
    Value it = val_iter(args[0]);
    if (!it)
        return VAL_NULL;
    Value acc = incref(start);
    for (;;) {
        Value x = val_next(it);
        if (!x) {
            decref(it);
            if (exc_occurred()) {
                decref(acc);
                return VAL_NULL;
            }
            return acc;
        }
        // Small-int fast path (no allocation while the sum fits).
        if (val_is_small(acc) && val_is_small(x)) {
            int64_t s = (int64_t)small_get(acc) + (int64_t)small_get(x);
            if (small_fits(s)) {
                acc = small_new((intptr_t)s);
                continue;
            }
        }
        Value r = val_binop(acc, x, NB_ADD);
        decref(x);
        decref(acc);
        if (!r) {
            decref(it);
            return VAL_NULL;
        }
        acc = r;
    }
}

// --- attributes -----------------------------------------------------------------------

static int check_attr_name(Value name) {
    if (!val_is_str(name))
        return exc_raise_int(&exc_TypeError, "attribute name must be string, not '%s'",
                             val_type_name(name));
    return 0;
}

static Value bi_getattr(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("getattr", nargs, kwnames, 2, 3) < 0)
        return VAL_NULL;
    if (check_attr_name(args[1]) < 0)
        return VAL_NULL;
    Value v = val_getattr(args[0], args[1]);
    if (!v && nargs == 3 && exc_matches(&exc_AttributeError)) {
        exc_clear();
        return incref(args[2]);
    }
    return v;
}

static Value bi_setattr(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("setattr", nargs, kwnames, 3, 3) < 0)
        return VAL_NULL;
    if (check_attr_name(args[1]) < 0)
        return VAL_NULL;
    if (val_setattr(args[0], args[1], args[2]) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value bi_delattr(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("delattr", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    if (check_attr_name(args[1]) < 0)
        return VAL_NULL;
    if (val_setattr(args[0], args[1], VAL_NULL) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static Value bi_hasattr(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("hasattr", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    if (check_attr_name(args[1]) < 0)
        return VAL_NULL;
    Value v = val_getattr(args[0], args[1]);
    if (v) {
        decref(v);
        return incref(VAL_TRUE);
    }
    if (exc_matches(&exc_AttributeError)) {
        exc_clear();
        return incref(VAL_FALSE);
    }
    return VAL_NULL;
}

// --- numbers --------------------------------------------------------------------------

// [v] as an exact int (new reference) through __index__; TypeError otherwise.
static Value index_of(Value v) {
    if (val_is_int(v))
        return incref(v);
    Type *t = val_type(v);
    if (!t->nb_index)
        return exc_raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                         t->name);
    Value r = t->nb_index(v);
    if (r && !val_is_int(r)) {
        exc_raise(&exc_TypeError, "__index__ returned non-int (type %s)", val_type_name(r));
        decref(r);
        return VAL_NULL;
    }
    return r;
}

// hex/oct/bin: "-0x1f" style.
static Value int_to_base(Value v, int base, const char *prefix) {
    Value iv = index_of(v);
    if (!iv)
        return VAL_NULL;
    if (val_is_small(iv)) {
        intptr_t x = small_get(iv);
        uintptr_t ux = x < 0 ? (uintptr_t)0 - (uintptr_t)x : (uintptr_t)x;
        char buf[80];
        char *p = buf + sizeof buf;
        *--p = '\0';
        do {
            *--p = "0123456789abcdef"[ux % (uintptr_t)base];
            ux /= (uintptr_t)base;
        } while (ux);
        return str_printf("%s%s%s", x < 0 ? "-" : "", prefix, p);
    }
    mpz_t z;
    mpz_init(z);
    int_to_mpz(iv, z);
    decref(iv);
    bool neg = mpz_sgn(z) < 0;
    mpz_abs(z, z);
    size_t n = mpz_sizeinbase(z, base) + 2;
    size_t plen = strlen(prefix);
    char *buf = malloc(n + plen + 2);
    if (!buf) {
        mpz_clear(z);
        return exc_nomemory();
    }
    size_t k = 0;
    if (neg)
        buf[k++] = '-';
    memcpy(buf + k, prefix, plen);
    k += plen;
    mpz_get_str(buf + k, base, z);
    mpz_clear(z);
    Value r = str_from_cstr(buf);
    free(buf);
    return r;
}

static Value bi_hex(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("hex", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_to_base(args[0], 16, "0x");
}

static Value bi_oct(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("oct", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_to_base(args[0], 8, "0o");
}

static Value bi_bin(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("bin", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return int_to_base(args[0], 2, "0b");
}

static Value bi_chr(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("chr", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value iv = index_of(args[0]);
    if (!iv)
        return VAL_NULL;
    int64_t i;
    int r = int_as_i64(iv, &i);
    decref(iv);
    if (r < 0 || i > INT32_MAX || i < INT32_MIN) {
        if (r < 0)
            exc_clear();
        return exc_raise(&exc_OverflowError, "Python int too large to convert to C int");
    }
    if (i < 0 || i >= 0x110000)
        return exc_raise(&exc_ValueError, "chr() arg not in range(0x110000)");
    char buf[8];
    size_t n = utf8_encode((uint32_t)i, buf);
    return str_new(buf, n);
}

static Value bi_ord(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("ord", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value s = args[0];
    if (!val_is_str(s))
        return exc_raise(&exc_TypeError, "ord() expected string of length 1, but %s found",
                         val_type_name(s));
    if (as_str(s)->nchars != 1)
        return exc_raise(&exc_TypeError,
                         "ord() expected a character, but string of length %zu found",
                         as_str(s)->nchars);
    const unsigned char *p = (const unsigned char *)str_cstr(s);
    return small_new((intptr_t)utf8_decode(&p));
}

// round() of an exact int with a negative [ndigits] (> -huge): half-even
// to a multiple of 10**-ndigits.
static Value round_int(Value v, Value nd) {
    if (int_sign(nd) >= 0)
        return val_is_small(v) ? v : (val_type(v) == &bool_type ? small_new(v == VAL_TRUE)
                                                                  : incref(v));
    mpz_t z, p, q, r;
    mpz_inits(z, p, q, r, NULL);
    int_to_mpz(v, z);
    int64_t k;
    Value result;
    if (int_as_i64(nd, &k) < 0) {
        exc_clear();
        k = INT64_MIN;
    }
    // 10**-k beyond the number's magnitude rounds to 0.
    size_t digits = mpz_sizeinbase(z, 10);
    if (k < -(int64_t)digits - 1) {
        result = small_new(0);
    } else {
        mpz_ui_pow_ui(p, 10, (unsigned long)-k);
        mpz_fdiv_qr(q, r, z, p);
        mpz_mul_2exp(r, r, 1);
        int c = mpz_cmp(r, p);
        if (c > 0 || (c == 0 && mpz_odd_p(q)))
            mpz_add_ui(q, q, 1);
        mpz_mul(q, q, p);
        result = int_from_mpz(q);
    }
    mpz_clears(z, p, q, r, NULL);
    return result;
}

static Value bi_round(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    static const char *const names_[] = {"number", "ndigits", NULL};
    Value a[2];
    if (args_parse("round", args, nargs, kwnames, names_, 1, 2, a) < 0)
        return VAL_NULL;
    Value x = a[0], nd = a[1] == VAL_NONE ? VAL_NULL : a[1];
    if (is_exact(x, &float_type)) {
        double d = float_get(x);
        if (!nd)
            return int_from_double(fmt_round_half_even(d));
        Value ndi = index_of(nd);
        if (!ndi)
            return VAL_NULL;
        int64_t n;
        if (int_as_i64(ndi, &n) < 0) {
            exc_clear();
            n = int_sign(ndi) < 0 ? INT32_MIN : INT32_MAX;
        }
        decref(ndi);
        if (n > INT32_MAX)
            n = INT32_MAX;
        if (n < INT32_MIN)
            n = INT32_MIN;
        double out;
        if (fmt_round_double(d, (int)n, &out) != 0)
            return exc_raise(&exc_OverflowError, "rounded value too large to represent");
        return float_new(out);
    }
    if (val_is_small(x) || val_type(x) == &int_type || val_type(x) == &bool_type) {
        if (!nd)
            return val_is_small(x) ? x : (val_type(x) == &bool_type ? small_new(x == VAL_TRUE)
                                                                     : incref(x));
        Value ndi = index_of(nd);
        if (!ndi)
            return VAL_NULL;
        Value r = round_int(x, ndi);
        decref(ndi);
        return r;
    }
    Value f = type_lookup_cstr(val_type(x), "__round__");
    if (!f)
        return exc_raise(&exc_TypeError, "type %s doesn't define __round__ method",
                         val_type_name(x));
    Value argv[2] = {x, nd};
    return val_call(f, argv, nd ? 2 : 1, VAL_NULL);
}

static bool is_num(Value v) {
    return val_is_small(v) || val_type(v) == &int_type || val_type(v) == &bool_type ||
           is_exact(v, &float_type);
}

static Value bi_divmod(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("divmod", nargs, kwnames, 2, 2) < 0)
        return VAL_NULL;
    Value a = args[0], b = args[1];
    if (is_num(a) && is_num(b)) {
        if (is_exact(a, &float_type) || is_exact(b, &float_type)) {
            double db;
            if (val_as_double(b, &db) < 0)
                return VAL_NULL;
            if (db == 0.0)
                return exc_raise(&exc_ZeroDivisionError, "float divmod()");
        }
        Value q = val_binop(a, b, NB_FLOORDIV);
        if (!q)
            return VAL_NULL;
        Value r = val_binop(a, b, NB_MOD);
        if (!r) {
            decref(q);
            return VAL_NULL;
        }
        Value items[2] = {q, r};
        return tuple_from_array_steal(items, 2);
    }
    Value f = type_lookup_cstr(val_type(a), "__divmod__");
    if (f) {
        Value r = val_call2(f, a, b);
        if (!r || r != VAL_NOTIMPL)
            return r;
        decref(r);
    }
    if (val_type(b) != val_type(a)) {
        f = type_lookup_cstr(val_type(b), "__rdivmod__");
        if (f) {
            Value r = val_call2(f, b, a);
            if (!r || r != VAL_NOTIMPL)
                return r;
            decref(r);
        }
    }
    return exc_raise(&exc_TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'",
                     val_type_name(a), val_type_name(b));
}

static Value bi_pow(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    static const char *const names_[] = {"base", "exp", "mod", NULL};
    Value a[3];
    if (args_parse("pow", args, nargs, kwnames, names_, 2, 3, a) < 0)
        return VAL_NULL;
    if (!a[2] || a[2] == VAL_NONE)
        return val_binop(a[0], a[1], NB_POW);
    if (val_is_int(a[0]) && val_is_int(a[1]) && val_is_int(a[2]))
        return int_pow_mod(a[0], a[1], a[2]);
    Value f = type_lookup_cstr(val_type(a[0]), "__pow__");
    if (f && (val_type(a[0])->tflags & TF_HEAPTYPE)) {
        Value r = val_call(f, a, 3, VAL_NULL);
        if (!r || r != VAL_NOTIMPL)
            return r;
        decref(r);
    }
    if (is_num(a[0]) && is_num(a[1]) && is_num(a[2]))
        return exc_raise(&exc_TypeError,
                         "pow() 3rd argument not allowed unless all arguments are integers");
    return exc_raise(&exc_TypeError,
                     "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                     val_type_name(a[0]), val_type_name(a[1]), val_type_name(a[2]));
}

static Value bi_format(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("format", nargs, kwnames, 1, 2) < 0)
        return VAL_NULL;
    Value spec = nargs == 2 ? args[1] : str_intern_cstr("");
    if (!val_is_str(spec))
        return exc_raise(&exc_TypeError, "format() argument 2 must be str, not %s",
                         val_type_name(spec));
    return val_format(args[0], spec);
}

// --- namespaces -------------------------------------------------------------------------

static Value bi_globals(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("globals", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Frame *f = ts_cur->frame;
    return f && f->globals ? incref(f->globals) : dict_new();
}

// locals() of the running frame: its namespace dict for module and class
// bodies; for functions a fresh snapshot of the bound fast locals and cells.
static Value frame_locals(void) {
    Frame *f = ts_cur->frame;
    if (!f)
        return dict_new();
    if (f->locals)
        return incref(f->locals);
    Code *c = f->code;
    Value d = dict_new();
    if (!d)
        return VAL_NULL;
    for (uint32_t i = 0; i < c->nlocals; i++) {
        Value v = f->slots[i];
        if (v && dict_set(d, c->varnames[i], v) < 0)
            goto fail;
    }
    for (uint32_t i = 0; i < c->ncells + c->nfree; i++) {
        Value cell = f->slots[c->nlocals + i];
        Value name = i < c->ncells ? c->cellvars[i] : c->freevars[i - c->ncells];
        if (cell && val_type(cell) == &cell_type) {
            Value v = ((Cell *)val_obj(cell))->ref;
            if (v && dict_set(d, name, v) < 0)
                goto fail;
        }
    }
    return d;
fail:
    decref(d);
    return VAL_NULL;
}

static Value bi_locals(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("locals", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return frame_locals();
}

static Value bi_vars(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("vars", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    if (nargs == 0)
        return frame_locals();
    // Instances: the dict slot itself (created empty if needed), as
    // CPython returns the live __dict__.
    Value *ds = obj_dict_slot(args[0]);
    if (ds && val_type(args[0]) != &type_type && val_type(args[0]) != &module_type) {
        Value d = obj_dict_ensure(ds);
        return d ? incref(d) : VAL_NULL;
    }
    if (val_type(args[0]) == &module_type)
        return incref(module_dict(args[0]));
    Value d = val_getattr_cstr(args[0], "__dict__");
    if (!d && exc_matches(&exc_AttributeError)) {
        exc_clear();
        return exc_raise(&exc_TypeError, "vars() argument must have __dict__ attribute");
    }
    return d;
}

// Add every key of dict [d] to the set-like dict [names].
static int add_keys(Value names, Value d) {
    if (!d || !val_is_dict(d))
        return 0;
    Value all = dict_for_iteration(d);
    if (!all)
        return -1;
    size_t pos = 0;
    Value k, v;
    int rc = 0;
    while (rc == 0 && dict_next(all, &pos, &k, &v))
        rc = dict_set(names, k, VAL_NONE);
    decref(all);
    return rc < 0 ? -1 : 0;
}

static Value sorted_keys(Value names) {
    Value l = dict_keys_list(names);
    if (!l)
        return VAL_NULL;
    if (list_sort(l, VAL_NULL, false) < 0) {
        decref(l);
        return VAL_NULL;
    }
    return l;
}

static Value bi_dir(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("dir", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    if (nargs == 0) {
        Value d = frame_locals();
        if (!d)
            return VAL_NULL;
        Value r = sorted_keys(d);
        decref(d);
        return r;
    }
    Value obj = args[0];
    Type *t = val_type(obj);
    // A Python-level __dir__ wins.
    Value custom = type_lookup_cstr(t, "__dir__");
    if (custom && val_type(custom) != &method_descr_type) {
        Value r = val_call1(custom, obj);
        if (!r)
            return VAL_NULL;
        Value l = list_from_iterable(r);
        decref(r);
        if (l && list_sort(l, VAL_NULL, false) < 0) {
            decref(l);
            return VAL_NULL;
        }
        return l;
    }
    Value names_ = dict_new();
    if (!names_)
        return VAL_NULL;
    int rc = 0;
    if (t == &module_type) {
        rc = add_keys(names_, module_dict(obj));
    } else if (val_is_obj(obj) && (t == &type_type || (t->tflags & TF_TYPE_SUBCLASS))) {
        Value mro = ((Type *)val_obj(obj))->mro;
        for (size_t i = 0; mro && i < tuple_len(mro) && rc == 0; i++)
            rc = add_keys(names_, ((Type *)val_obj(tuple_get(mro, i)))->dict);
    } else {
        Value *ds = obj_dict_slot(obj);
        if (ds)
            rc = add_keys(names_, obj_dict_peek(ds));
        for (size_t i = 0; t->mro && i < tuple_len(t->mro) && rc == 0; i++)
            rc = add_keys(names_, ((Type *)val_obj(tuple_get(t->mro, i)))->dict);
        if (rc == 0 && dict_set_cstr(names_, "__class__", VAL_NONE) < 0)
            rc = -1;
    }
    Value r = rc < 0 ? VAL_NULL : sorted_keys(names_);
    decref(names_);
    return r;
}

// --- misc -------------------------------------------------------------------------------

static Value bi_exit(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("exit", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    Value e = exc_new(&exc_SystemExit, args, nargs);
    if (e)
        exc_set_steal(e);
    return VAL_NULL;
}

static Value bi_import(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    static const char *const names_[] = {"name", "globals", "locals", "fromlist", "level", NULL};
    Value a[5];
    if (args_parse("__import__", args, nargs, kwnames, names_, 1, 5, a) < 0)
        return VAL_NULL;
    if (!val_is_str(a[0]))
        return exc_raise(&exc_TypeError, "__import__() argument 1 must be str, not %s",
                         val_type_name(a[0]));
    if (str_len(a[0]) == 0)
        return exc_raise(&exc_ValueError, "Empty module name");
    return module_import(a[0]);
}

static const MethodDef builtin_functions[] = {
    {"print", bi_print, 0, NULL},
    {"input", bi_input, 0, NULL},
    {"len", bi_len, 0, NULL},
    {"repr", bi_repr, 0, NULL},
    {"ascii", bi_ascii, 0, NULL},
    {"abs", bi_abs, 0, NULL},
    {"min", bi_min, 0, NULL},
    {"max", bi_max, 0, NULL},
    {"sum", bi_sum, 0, NULL},
    {"all", bi_all, 0, NULL},
    {"any", bi_any, 0, NULL},
    {"sorted", bi_sorted, 0, NULL},
    {"iter", bi_iter, 0, NULL},
    {"next", bi_next, 0, NULL},
    {"isinstance", bi_isinstance, 0, NULL},
    {"issubclass", bi_issubclass, 0, NULL},
    {"id", bi_id, 0, NULL},
    {"hash", bi_hash, 0, NULL},
    {"callable", bi_callable, 0, NULL},
    {"getattr", bi_getattr, 0, NULL},
    {"setattr", bi_setattr, 0, NULL},
    {"hasattr", bi_hasattr, 0, NULL},
    {"delattr", bi_delattr, 0, NULL},
    {"round", bi_round, 0, NULL},
    {"divmod", bi_divmod, 0, NULL},
    {"pow", bi_pow, 0, NULL},
    {"chr", bi_chr, 0, NULL},
    {"ord", bi_ord, 0, NULL},
    {"hex", bi_hex, 0, NULL},
    {"oct", bi_oct, 0, NULL},
    {"bin", bi_bin, 0, NULL},
    {"format", bi_format, 0, NULL},
    {"vars", bi_vars, 0, NULL},
    {"dir", bi_dir, 0, NULL},
    {"globals", bi_globals, 0, NULL},
    {"locals", bi_locals, 0, NULL},
    {"exit", bi_exit, 0, NULL},
    {"quit", bi_exit, 0, NULL},
    {"__import__", bi_import, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Value mod_builtins_init(void) {
    Value m = module_new("builtins");
    if (!m)
        return VAL_NULL;
    if (module_add_functions(m, builtin_functions) < 0)
        goto fail;
    static const struct {
        const char *name;
        Type *type;
    } types[] = {
        {"int", &int_type},
        {"float", &float_type},
        {"bool", &bool_type},
        {"str", &str_type},
        {"list", &list_type},
        {"tuple", &tuple_type},
        {"dict", &dict_type},
        {"set", &set_type},
        {"frozenset", &frozenset_type},
        {"range", &range_type},
        {"slice", &slice_type},
        {"enumerate", &enumerate_type},
        {"zip", &zip_type},
        {"map", &map_type},
        {"filter", &filter_type},
        {"reversed", &reversed_type},
        {"object", &object_type},
        {"type", &type_type},
        {"super", &super_type},
        {"staticmethod", &staticmethod_type},
        {"classmethod", &classmethod_type},
        {"property", &property_type},
#define EXC_ENTRY(ename, ebase) {#ename, &exc_##ename},
        BUILTIN_EXCEPTIONS(EXC_ENTRY)
#undef EXC_ENTRY
        // CPython's aliases of OSError.
        {"EnvironmentError", &exc_OSError},
        {"IOError", &exc_OSError},
    };
    for (size_t i = 0; i < ARRAY_LEN(types); i++)
        if (module_add(m, types[i].name, obj_val(types[i].type)) < 0)
            goto fail;
    if (module_add(m, "NotImplemented", VAL_NOTIMPL) < 0 ||
        module_add(m, "Ellipsis", VAL_ELLIPSIS) < 0 ||
        module_add(m, "None", VAL_NONE) < 0 || module_add(m, "True", VAL_TRUE) < 0 ||
        module_add(m, "False", VAL_FALSE) < 0 || module_add(m, "__debug__", VAL_TRUE) < 0)
        goto fail;
    return m;
fail:
    decref(m);
    return VAL_NULL;
}
