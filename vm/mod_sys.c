// The sys module and its standard stream objects.
//
// One sys module per interpreter, built by mod_sys_init on first import (the
// runtime imports it at start-up). Everything mutable lives in the module
// dict or the Interp: the switch interval is the float "_switchinterval" in
// the dict (the GIL reads it through sys_switch_interval_us below), the
// recursion limit is interp->recursion_limit.
//
// Streams: SysStream wraps a C FILE* (stdin/stdout/stderr). The objects are
// per interpreter, the FILEs are the process's. All reads and writes go
// through the blocking I/O primitives below, which release the GIL around
// every read or write that reaches the operating system (DESIGN decision 6).
// Rules there: while the GIL is released no Python object is touched (the
// bytes are copied into C memory first), and the FILE's own lock (stdio
// locks it for each call) keeps one write call's bytes together, so threads
// never interleave inside one write. A write that only fills the stdio
// buffer keeps the GIL: it takes microseconds, and CPython's buffered
// streams do the same. The buffer check needs the FILE locked: it is done
// under ftrylockfile, and a thread that finds the FILE busy (another thread
// is writing without the GIL) takes the slow, GIL-releasing path instead of
// waiting for the FILE while it holds the GIL.
//
// Documented differences: sys.version_info is a plain tuple (3, 11, 0,
// 'final', 0); sys.implementation is a module-like namespace; getrefcount
// returns 4294967295 for small ints and immortal objects; sys.flags,
// settrace, _getframe and friends are absent.
#include <errno.h>
#include <limits.h>
#include <stdio_ext.h>
#include <unistd.h>

#include "abstract.h"
#include "class.h"
#include "code.h"   // exc.h uses Code without including it
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "mod_sys.h"
#include "module.h"
#include "state.h"
#include "str.h"
#include "thread.h"
#include "tuple.h"

// --- blocking I/O primitives --------------------------------------------------------

// The blocking bracket, for a caller that may run before any thread state
// exists (early start-up: nothing to release then).
static void begin_blocking(ThreadState *ts) {
    if (ts)
        thread_begin_blocking(ts);
}

static void end_blocking(ThreadState *ts) {
    if (ts)
        thread_end_blocking(ts);
}

// Raise the exception for a failed write (errno [e]): -1.
static int write_error(int e) {
    // A closed pipe on the other end: CPython reports BrokenPipeError.
    if (e == EPIPE)
        return exc_raise_int(&exc_BrokenPipeError, "[Errno 32] Broken pipe");
    return exc_raise_int(&exc_OSError, "[Errno %d] %s", e, strerror(e));
}

// Whether writing [s] ([n] bytes) to [fp] only copies into the stdio buffer:
// it fits, and no newline makes a line-buffered stream flush. An unbuffered
// stream (stderr) has a 1-byte buffer, and a stream that has not written yet
// none, so both answer false. [fp] locked by the caller.
static bool stays_in_buffer(FILE *fp, const char *s, size_t n) {
    size_t size = __fbufsize(fp);
    if (size == 0 || __fpending(fp) + n >= size)
        return false;
    return !(__flbf(fp) && memchr(s, '\n', n));
}

int sys_stream_write(FILE *fp, const char *s, size_t n) {
    if (n == 0)
        return 0;
    ThreadState *ts = ts_cur;
    if (ftrylockfile(fp) == 0) {
        if (!ts || stays_in_buffer(fp, s, n)) {
            errno = 0;
            size_t w = fwrite_unlocked(s, 1, n, fp);
            int e = errno;
            if (w != n)
                clearerr_unlocked(fp);
            funlockfile(fp);
            return w == n ? 0 : write_error(e);
        }
        funlockfile(fp);
    }
    // The write reaches the OS, or another thread is writing: copy the bytes
    // (they may belong to a str) and release the GIL around the call.
    char small[512];
    char *copy = n <= sizeof small ? small : malloc(n);
    if (!copy) {
        exc_nomemory();
        return -1;
    }
    memcpy(copy, s, n);
    begin_blocking(ts);
    errno = 0;
    size_t w = fwrite(copy, 1, n, fp);
    int e = errno;
    if (w != n)
        clearerr(fp);
    end_blocking(ts);
    if (copy != small)
        free(copy);
    return w == n ? 0 : write_error(e);
}

void sys_stream_flush(FILE *fp) {
    ThreadState *ts = ts_cur;
    if (ftrylockfile(fp) == 0) {
        bool done = __fpending(fp) == 0;   // nothing to write: no system call
        if (!done && !ts) {
            fflush_unlocked(fp);
            done = true;
        }
        funlockfile(fp);
        if (done)
            return;
    }
    begin_blocking(ts);
    fflush(fp);
    end_blocking(ts);
}

// getline's result [n] (errno set by it) as sys_stream_readline returns it.
static char *readline_result(FILE *fp, char *line, ssize_t n, size_t *len) {
    if (n < 0) {
        int e = errno;
        bool err = ferror(fp);
        clearerr(fp);
        if (err && e == ENOMEM) {
            free(line);
            exc_nomemory();
            return NULL;
        }
        if (err && e != 0) {
            free(line);
            exc_raise(&exc_OSError, "[Errno %d] %s", e, strerror(e));
            return NULL;
        }
        // End of file: an empty line.
        if (!line)
            line = malloc(1);
        if (!line) {
            exc_nomemory();
            return NULL;
        }
        line[0] = '\0';
        *len = 0;
        return line;
    }
    *len = (size_t)n;
    return line;
}

// Whether a whole line already waits in [fp]'s read buffer, so that reading
// it makes no system call. glibc's FILE read pointers are public; elsewhere
// the answer is "no" and every read releases the GIL. [fp] locked.
static bool line_in_buffer(FILE *fp) {
#ifdef __GLIBC__
    return fp->_IO_read_ptr < fp->_IO_read_end &&
           memchr(fp->_IO_read_ptr, '\n', (size_t)(fp->_IO_read_end - fp->_IO_read_ptr));
#else
    UNUSED(fp);
    return false;
#endif
}

char *sys_stream_readline(FILE *fp, size_t *len) {
    char *line = NULL;
    size_t cap = 0;
    ThreadState *ts = ts_cur;
    bool release = true;
    if (ftrylockfile(fp) == 0) {
        release = ts && !line_in_buffer(fp);
        if (!release) {
            errno = 0;
            ssize_t n = getline(&line, &cap, fp);   // the FILE lock is recursive
            int e = errno;
            funlockfile(fp);
            errno = e;
            return readline_result(fp, line, n, len);
        }
        funlockfile(fp);
    }
    // Blocking read: only C memory (line, cap) is touched without the GIL.
    begin_blocking(ts);
    errno = 0;
    ssize_t n = getline(&line, &cap, fp);
    int e = errno;
    end_blocking(ts);
    errno = e;
    return readline_result(fp, line, n, len);
}

size_t sys_stream_read(FILE *fp, char *buf, size_t n) {
    ThreadState *ts = ts_cur;
    begin_blocking(ts);
    size_t got = fread(buf, 1, n, fp);
    if (got < n)
        clearerr(fp);
    end_blocking(ts);
    return got;
}

// --- SysStream ---------------------------------------------------------------------

static void stream_dealloc(Object *o) {
    clear_ref(&((SysStream *)o)->name);
    obj_free(o);
}

static Value stream_new(FILE *fp, const char *name, bool readable) {
    SysStream *s = obj_alloc(&sysstream_type, sizeof(SysStream));
    if (!s)
        return VAL_NULL;
    s->fp = fp;
    s->readable = readable;
    s->writable = !readable;
    s->name = str_from_cstr(name);
    if (!s->name) {
        decref(obj_val(s));
        return VAL_NULL;
    }
    return obj_val(s);
}

static SysStream *as_stream(Value v) {
    return (SysStream *)val_obj(v);
}

static Value stream_repr(Value self) {
    SysStream *s = as_stream(self);
    return str_printf("<_io.TextIOWrapper name='%s' mode='%s' encoding='utf-8'>",
                      str_cstr(s->name), s->readable ? "r" : "w");
}

static Value stream_write(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("write", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    SysStream *s = as_stream(self);
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "write() argument must be str, not %s",
                         val_type_name(args[0]));
    if (!s->writable)
        return exc_raise(&exc_OSError, "not writable");
    if (sys_stream_write(s->fp, str_cstr(args[0]), str_len(args[0])) < 0)
        return VAL_NULL;
    // Line buffering for stderr, as CPython's stderr.
    if (s->fp == stderr && memchr(str_cstr(args[0]), '\n', str_len(args[0])))
        sys_stream_flush(s->fp);
    return int_from_i64((int64_t)as_str(args[0])->nchars);
}

static Value stream_flush(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("flush", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    SysStream *s = as_stream(self);
    if (s->writable)
        sys_stream_flush(s->fp);
    return incref(VAL_NONE);
}

// One line as a Str ('' at end of file).
static Value read_line_str(SysStream *s) {
    if (!s->readable)
        return exc_raise(&exc_OSError, "not readable");
    size_t len;
    char *line = sys_stream_readline(s->fp, &len);
    if (!line)
        return VAL_NULL;
    if (!utf8_valid(line, len, NULL)) {
        free(line);
        return exc_raise(&exc_ValueError, "'utf-8' codec can't decode input line");
    }
    return str_take(line, len);
}

static Value stream_readline(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("readline", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    return read_line_str(as_stream(self));
}

static Value stream_readlines(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("readlines", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    Value l = list_new(0);
    if (!l)
        return VAL_NULL;
    for (;;) {
        Value line = read_line_str(as_stream(self));
        if (!line) {
            decref(l);
            return VAL_NULL;
        }
        if (str_len(line) == 0) {
            decref(line);
            return l;
        }
        if (list_append_steal(l, line) < 0) {
            decref(l);
            return VAL_NULL;
        }
    }
}

static Value stream_read(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("read", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    SysStream *s = as_stream(self);
    if (!s->readable)
        return exc_raise(&exc_OSError, "not readable");
    int64_t limit = -1;
    if (nargs == 1 && args[0] != VAL_NONE && val_index_i64(args[0], &limit) < 0)
        return VAL_NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return exc_nomemory();
    // Byte-oriented: a limit counts bytes (ASCII input reads as CPython).
    for (;;) {
        if (limit >= 0 && len >= (size_t)limit)
            break;
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return exc_nomemory();
            }
            buf = nb;
            cap *= 2;
        }
        size_t want = cap - len - 1;
        if (limit >= 0 && want > (size_t)limit - len)
            want = (size_t)limit - len;
        size_t got = sys_stream_read(s->fp, buf + len, want);
        len += got;
        if (got < want)
            break;
    }
    buf[len] = '\0';
    if (!utf8_valid(buf, len, NULL)) {
        free(buf);
        return exc_raise(&exc_ValueError, "'utf-8' codec can't decode input");
    }
    return str_take(buf, len);
}

static Value stream_fileno(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("fileno", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return small_new(fileno(as_stream(self)->fp));
}

static Value stream_isatty(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("isatty", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(bool_val(isatty(fileno(as_stream(self)->fp))));
}

static Value stream_readable(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("readable", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(bool_val(as_stream(self)->readable));
}

static Value stream_writable(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("writable", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(bool_val(as_stream(self)->writable));
}

static Value stream_false(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("seekable", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(VAL_FALSE);
}

// close() on a standard stream is accepted and does nothing (the process
// keeps its descriptors).
static Value stream_close(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("close", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    if (as_stream(self)->writable)
        sys_stream_flush(as_stream(self)->fp);
    return incref(VAL_NONE);
}

static Value stream_enter(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__enter__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(self);
}

static Value stream_exit(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    UNUSED(nargs);
    UNUSED(kwnames);
    if (as_stream(self)->writable)
        sys_stream_flush(as_stream(self)->fp);
    return incref(VAL_NONE);
}

static Value stream_iter(Value self) {
    SysStream *s = as_stream(self);
    if (!s->readable)
        return exc_raise(&exc_OSError, "not readable");
    return incref(self);
}

static Value stream_iternext(Value self) {
    Value line = read_line_str(as_stream(self));
    if (line && str_len(line) == 0) {
        decref(line);
        return VAL_NULL;   // exhausted
    }
    return line;
}

static Value stream_getattr(Value self, Value name) {
    SysStream *s = as_stream(self);
    if (val_is_str(name)) {
        const char *n = str_cstr(name);
        if (strcmp(n, "name") == 0)
            return incref(s->name);
        if (strcmp(n, "encoding") == 0)
            return str_from_cstr("utf-8");
        if (strcmp(n, "errors") == 0)
            return str_from_cstr(s->fp == stderr ? "backslashreplace" : "strict");
        if (strcmp(n, "mode") == 0)
            return str_from_cstr(s->readable ? "r" : "w");
        if (strcmp(n, "closed") == 0)
            return incref(VAL_FALSE);
        if (strcmp(n, "line_buffering") == 0)
            return incref(bool_val(s->fp == stderr || isatty(fileno(s->fp))));
    }
    return generic_getattr(self, name);
}

static const MethodDef stream_methods[] = {
    {"write", stream_write, 0, NULL},
    {"flush", stream_flush, 0, NULL},
    {"read", stream_read, 0, NULL},
    {"readline", stream_readline, 0, NULL},
    {"readlines", stream_readlines, 0, NULL},
    {"fileno", stream_fileno, 0, NULL},
    {"isatty", stream_isatty, 0, NULL},
    {"readable", stream_readable, 0, NULL},
    {"writable", stream_writable, 0, NULL},
    {"seekable", stream_false, 0, NULL},
    {"close", stream_close, 0, NULL},
    {"__enter__", stream_enter, 0, NULL},
    {"__exit__", stream_exit, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type sysstream_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "_io.TextIOWrapper",
    .basic_size = sizeof(SysStream),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = stream_dealloc,
    .repr = stream_repr,
    .getattr = stream_getattr,
    .iter = stream_iter,
    .iternext = stream_iternext,
};

void sysstream_type_init(void) {
    if (sysstream_type.mro)
        return;
    type_ready(&sysstream_type);
    type_add_methods(&sysstream_type, stream_methods);
}

Value sys_get_stream(const char *name) {
    Interp *in = ts_cur->interp;
    Value s = VAL_NULL;
    if (in->sys_module) {
        s = dict_get_cstr(module_dict(in->sys_module), name);
        if (!s && exc_occurred())
            return VAL_NULL;
    }
    if (!s || s == VAL_NONE) {
        decref(s);
        return exc_raise(&exc_RuntimeError, "lost sys.%s", name);
    }
    return s;
}

// --- sys functions -----------------------------------------------------------------

static Value sys_exit(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("exit", nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    Value e = exc_new(&exc_SystemExit, args, nargs);
    if (e)
        exc_set_steal(e);
    return VAL_NULL;
}

static Value sys_getrefcount(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("sys.getrefcount", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value v = args[0];
    if (!val_is_obj(v) || obj_is_immortal(val_obj(v)))
        return int_from_i64(4294967295LL);
    // The caller's stack slot already holds the argument's reference, as
    // CPython's count includes it.
    return int_from_i64(obj_refcount(val_obj(v)));
}

static Value sys_getrecursionlimit(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("getrecursionlimit", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return small_new(ts_cur->interp->recursion_limit);
}

// An argument converted to a C int (argument clinic's "i").
static int arg_c_int(Value v, int *out) {
    if (val_is_float(v))
        return exc_raise_int(&exc_TypeError, "'float' object cannot be interpreted as an integer");
    int64_t x;
    if (val_index_i64(v, &x) < 0) {
        if (exc_matches(&exc_OverflowError)) {
            exc_clear();
            return exc_raise_int(&exc_OverflowError, "Python int too large to convert to C int");
        }
        return -1;
    }
    if (x > INT_MAX || x < INT_MIN)
        return exc_raise_int(&exc_OverflowError, "Python int too large to convert to C int");
    *out = (int)x;
    return 0;
}

static Value sys_setrecursionlimit(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("setrecursionlimit", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int n = 0;
    if (arg_c_int(args[0], &n) < 0)
        return VAL_NULL;
    if (n < 1)
        return exc_raise(&exc_ValueError, "recursion limit must be greater or equal than 1");
    ThreadState *ts = ts_cur;
    // CPython's depth counts one more than gilvm's frame depth here (the
    // module frame is depth 2 in its message).
    int depth = ts->depth + 1;
    if (depth >= n)
        return exc_raise(&exc_RecursionError,
                         "cannot set the recursion limit to %d at the recursion depth %d: the "
                         "limit is too low",
                         n, depth);
    ts->interp->recursion_limit = n;
    return incref(VAL_NONE);
}

// The switch interval lives in the interpreter's GIL (microseconds).
static Value sys_getswitchinterval(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("getswitchinterval", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return float_new((double)gil_get_interval(&ts_cur->interp->gil) / 1e6);
}

static Value sys_setswitchinterval(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("setswitchinterval", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    double d;
    if (val_as_double(args[0], &d) < 0)
        return VAL_NULL;
    if (!(d > 0.0))
        return exc_raise(&exc_ValueError, "switch interval must be strictly positive");
    double us = d * 1e6;
    if (us > 1e12)
        return exc_raise(&exc_OverflowError, "switch interval is too large");
    gil_set_interval(&ts_cur->interp->gil, us < 1 ? 1 : (int64_t)us);
    return incref(VAL_NONE);
}

static Value sys_is_gil_enabled(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("_is_gil_enabled", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return incref(bool_val(ts_cur->interp->mode == MODE_GIL));
}

static Value sys_exc_info(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("exc_info", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Value h = ts_cur->handled;
    if (!h || h == VAL_NONE)
        return tuple_pack(3, VAL_NONE, VAL_NONE, VAL_NONE);
    Value tb = val_is_exc(h) ? ((BaseExc *)val_obj(h))->traceback : VAL_NULL;
    return tuple_pack(3, obj_val(val_type(h)), h, tb ? tb : VAL_NONE);
}

static Value sys_exception(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("exception", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Value h = ts_cur->handled;
    return incref(h ? h : VAL_NONE);
}

static Value sys_intern(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("intern", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    Value s = args[0];
    if (!val_is_obj(s) || val_obj(s)->type != &str_type)
        return exc_raise(&exc_TypeError, "intern() argument must be str, not %s",
                         val_type_name(s));
    return str_intern_value(incref(s));
}

static Value sys_getdefaultencoding(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("getdefaultencoding", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return str_from_cstr("utf-8");
}

static const MethodDef sys_functions[] = {
    {"exit", sys_exit, 0, NULL},
    {"getrefcount", sys_getrefcount, 0, NULL},
    {"getrecursionlimit", sys_getrecursionlimit, 0, NULL},
    {"setrecursionlimit", sys_setrecursionlimit, 0, NULL},
    {"getswitchinterval", sys_getswitchinterval, 0, NULL},
    {"setswitchinterval", sys_setswitchinterval, 0, NULL},
    {"_is_gil_enabled", sys_is_gil_enabled, 0, NULL},
    {"exc_info", sys_exc_info, 0, NULL},
    {"exception", sys_exception, 0, NULL},
    {"intern", sys_intern, 0, NULL},
    {"getdefaultencoding", sys_getdefaultencoding, 0, NULL},
    {"getfilesystemencoding", sys_getdefaultencoding, 0, NULL},
    {NULL, NULL, 0, NULL},
};

// --- module ------------------------------------------------------------------------

static Value make_version_info(void) {
    return tuple_pack(5, small_new(GILVM_PY_VERSION_MAJOR), small_new(GILVM_PY_VERSION_MINOR),
                      small_new(0), str_intern_cstr("final"), small_new(0));
}

static Value make_implementation(void) {
    Value ns = module_new("implementation");
    if (!ns)
        return VAL_NULL;
    if (module_add_steal(ns, "name", str_from_cstr("gilvm")) < 0 ||
        module_add_steal(ns, "cache_tag", incref(VAL_NONE)) < 0 ||
        module_add_steal(ns, "version", make_version_info()) < 0 ||
        module_add_steal(ns, "hexversion", small_new(0x030b00f0)) < 0) {
        decref(ns);
        return VAL_NULL;
    }
    return ns;
}

static Value make_executable(void) {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n < 0)
        return str_from_cstr("");
    return str_new(buf, (size_t)n);
}

static Value make_builtin_names(void) {
    size_t n = 0;
    while (builtin_modules[n].name)
        n++;
    Value t = tuple_new(n);
    if (!t)
        return VAL_NULL;
    for (size_t i = 0; i < n; i++) {
        Value s = str_from_cstr(builtin_modules[i].name);
        if (!s) {
            for (size_t j = i; j < n; j++)
                tuple_set_steal(t, j, incref(VAL_NONE));
            decref(t);
            return VAL_NULL;
        }
        tuple_set_steal(t, i, s);
    }
    return t;
}

Value mod_sys_init(void) {
    sysstream_type_init();
    Interp *in = ts_cur->interp;
    Value m = module_new("sys");
    if (!m)
        return VAL_NULL;
    if (module_add_functions(m, sys_functions) < 0)
        goto fail;
    Value out = stream_new(stdout, "<stdout>", false);
    Value err = stream_new(stderr, "<stderr>", false);
    Value inp = stream_new(stdin, "<stdin>", true);
    if (!out || !err || !inp) {
        decref(out);
        decref(err);
        decref(inp);
        goto fail;
    }
    int r = module_add(m, "stdout", out) | module_add(m, "__stdout__", out) |
            module_add(m, "stderr", err) | module_add(m, "__stderr__", err) |
            module_add(m, "stdin", inp) | module_add(m, "__stdin__", inp);
    decref(out);
    decref(err);
    decref(inp);
    if (r < 0)
        goto fail;
    uint16_t probe = 1;
    bool little = *(const uint8_t *)&probe == 1;
    if (module_add_steal(m, "argv", in->argv ? incref(in->argv) : list_new(0)) < 0 ||
        module_add_steal(m, "orig_argv", in->argv ? incref(in->argv) : list_new(0)) < 0 ||
        (in->modules && module_add(m, "modules", in->modules) < 0) ||
        module_add_steal(m, "path", list_new(0)) < 0 ||
        module_add_steal(m, "version",
                         str_from_cstr("3.11.0 (gilvm " GILVM_VERSION ") [C11 bytecode VM]")) < 0 ||
        module_add_steal(m, "version_info", make_version_info()) < 0 ||
        module_add_steal(m, "hexversion", small_new(0x030b00f0)) < 0 ||
        module_add_steal(m, "implementation", make_implementation()) < 0 ||
        module_add_steal(m, "platform", str_from_cstr("linux")) < 0 ||
        module_add_steal(m, "byteorder", str_from_cstr(little ? "little" : "big")) < 0 ||
        module_add_steal(m, "maxsize", int_from_i64(INT64_MAX)) < 0 ||
        module_add_steal(m, "maxunicode", small_new(0x10ffff)) < 0 ||
        module_add_steal(m, "executable", make_executable()) < 0 ||
        module_add_steal(m, "builtin_module_names", make_builtin_names()) < 0 ||
        module_add_steal(m, "float_repr_style", str_from_cstr("short")) < 0 ||
        module_add_steal(m, "dont_write_bytecode", incref(VAL_TRUE)) < 0 ||
        module_add_steal(m, "_switchinterval", float_new(DEFAULT_SWITCH_INTERVAL_US / 1e6)) < 0)
        goto fail;
    return m;
fail:
    decref(m);
    return VAL_NULL;
}
