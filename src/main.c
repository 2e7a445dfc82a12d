// gilvm's command line.
//
//   gilvm [options] script.py [args...]   run a script
//   gilvm [options] -c CODE [args...]     run CODE
//   gilvm [options]                       REPL (or the program on stdin)
//
// Exit status: 0 success, 1 uncaught exception (traceback on stderr),
// 2 usage error or unreadable script, 3 deadlock (every thread blocked for
// good; report on stderr, vm/deadlock.c), 70 (debug builds,
// GILVM_LEAK_CHECK=1) objects still alive at exit.
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "../vm/abstract.h"
#include "../vm/deadlock.h"
#include "../vm/dict.h"
#include "../vm/exc.h"
#include "../vm/interp.h"
#include "../vm/lockorder.h"
#include "../vm/module.h"
#include "../vm/names.h"
#include "../vm/str.h"
#include "compiler.h"
#include "dis.h"
#include "repl.h"

#define EXIT_USAGE 2
#define EXIT_LEAK 70

typedef struct {
    const char *long_name;
    int has_arg;
    int short_name;
    const char *arg_help;
    const char *help;
    const char *example;
} Flag;

enum {
    OPT_DIS = 1000, OPT_VERSION, OPT_GIL, OPT_FREE_THREADED, OPT_NAIVE_REFCOUNT, OPT_SWITCH_INTERVAL,
    OPT_PREEMPT, OPT_SWITCH_EVERY, OPT_LOCK_ORDER,
};

static const Flag flags[] = {
    {"command", required_argument, 'c', "CODE", "run CODE instead of a script",
     "gilvm -c 'print(6 * 7)'"},
    {"dis", no_argument, OPT_DIS, NULL, "print the bytecode of every code object, do not run",
     "gilvm --dis samples/lost_update.py"},
    {"gil", no_argument, OPT_GIL, NULL,
     "run threads under a global interpreter lock (the default)", "gilvm --gil samples/cpu_bound.py"},
    {"free-threaded", no_argument, OPT_FREE_THREADED, NULL,
     "no global lock: threads run bytecode on every core at once (PEP 703)",
     "gilvm --free-threaded samples/lost_update.py"},
    {"naive-refcount", no_argument, OPT_NAIVE_REFCOUNT, NULL,
     "also keep every reference count the unsafe way and report at exit what it got wrong",
     "gilvm --free-threaded --naive-refcount samples/refcount_race.py"},
    {"switch-interval", required_argument, OPT_SWITCH_INTERVAL, "MS",
     "how long a waiting thread lets the GIL holder run before asking for it (default 5)",
     "gilvm --switch-interval=1 samples/gil_convoy.py"},
    {"preempt", required_argument, OPT_PREEMPT, "WHERE",
     "where the GIL may change hands: backedge (loops and calls, default) or instruction",
     "gilvm --preempt=instruction samples/lost_update.py"},
    {"switch-every", required_argument, OPT_SWITCH_EVERY, "N",
     "hand the GIL over after every N instructions, whatever the time",
     "gilvm --preempt=instruction --switch-every=50 samples/lost_update.py"},
    {"lock-order", no_argument, OPT_LOCK_ORDER, NULL,
     "warn when two acquisitions take the same two locks in opposite orders, even if they "
     "did not deadlock this time", "gilvm --lock-order samples/deadlock.py one-at-a-time"},
    {"version", no_argument, OPT_VERSION, NULL, "print the version and exit", "gilvm --version"},
    {"help", no_argument, 'h', NULL, "print this help and exit", "gilvm --help"},
};

static void usage(FILE *out, const char *prog) {
    fprintf(out, "usage: %s [options] [script.py | -c CODE | -] [args...]\n\n", prog);
    fprintf(out,
            "Runs a Python 3 program on gilvm, a reference-counted bytecode VM.\n"
            "With no script, starts the interactive prompt (or reads the program\n"
            "from standard input when it is not a terminal).\n\noptions:\n");
    for (size_t i = 0; i < ARRAY_LEN(flags); i++) {
        char left[64];
        if (flags[i].short_name < 256)
            snprintf(left, sizeof left, "-%c, --%s%s%s", flags[i].short_name, flags[i].long_name,
                     flags[i].arg_help ? " " : "", flags[i].arg_help ? flags[i].arg_help : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", flags[i].long_name,
                     flags[i].arg_help ? "=" : "", flags[i].arg_help ? flags[i].arg_help : "");
        fprintf(out, "  %-26s %s (e.g. %s)\n", left, flags[i].help, flags[i].example);
    }
    fprintf(out,
            "\nA deadlock (every thread blocked in a wait without timeout) is reported on\n"
            "stderr: who holds which lock, acquired where, and waits for what, where.\n"
            "\nexit status: 0 success, 1 uncaught exception, 2 usage error or unreadable file,\n"
            "%d deadlock\n", DEADLOCK_EXIT_STATUS);
}

static char *read_all(FILE *f, size_t *len) {
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                free(buf);
                return NULL;
            }
            break;
        }
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static Value make_main_module(Interp *in, const char *filename) {
    Value m = module_new("__main__");
    if (!m)
        return VAL_NULL;
    Value d = module_dict(m);
    if (dict_set(d, names.__builtins__, in->builtins_module) < 0 ||
        (filename && dict_set_cstr(d, "__file__", str_intern_cstr(filename)) < 0) ||
        dict_set_cstr(in->modules, "__main__", m) < 0) {
        decref(m);
        return VAL_NULL;
    }
    return m;
}

// The compile hook for modules written in Python (vm/module.c).
static Code *compile_module_source(const char *src, size_t len, const char *filename) {
    return compile_source(src, len, filename, COMPILE_EXEC);
}

// When the script is done: wait for non-daemon threads, as CPython does,
// through threading._shutdown() if threading was imported.
static int wait_for_threads(Interp *in, int status) {
    Value th = dict_get_cstr(in->modules, "threading");
    if (!th)
        return status;
    Value r = val_call_method(th, "_shutdown", NULL, 0);
    decref(th);
    if (r) {
        decref(r);
        return status;
    }
    int s = interp_handle_uncaught(in);
    return status ? status : s;
}

// [n] with thousands separators ("1,234,567").
static void fmt_thousands(char *out, size_t size, uint64_t n) {
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
}

// --naive-refcount: what a VM that counts references with plain
// read-add-write would have got wrong in this run.
static void naive_report(bool gil) {
    uint64_t updates, early, wrong;
    obj_naive_report(&updates, &early, &wrong);
    char a[32], b[32], c[32];
    fmt_thousands(a, sizeof a, updates);
    fmt_thousands(b, sizeof b, early);
    fmt_thousands(c, sizeof c, wrong);
    fflush(stdout);
    fprintf(stderr,
            "naive reference counting (%s): %s count updates\n"
            "  objects a naive count would have freed while still in use: %s\n"
            "  objects freed with a naive count that was not zero:         %s\n",
            gil ? "under the GIL" : "free-threaded", a, b, c);
    if (gil)
        fprintf(stderr, "  (under the GIL one thread counts at a time: nothing goes wrong)\n");
    else if (early || wrong)
        fprintf(stderr, "  (two threads read the same count and both wrote back: one update"
                        " was lost -- this is why CPython has a GIL)\n");
}

static int finish(Interp *in, int status) {
    status = wait_for_threads(in, status);
    if (fflush(stdout) != 0 && status == 0) {
        fprintf(stderr, "gilvm: error writing to standard output: %s\n", strerror(errno));
        status = 1;
    }
    bool naive = in->naive_refcount;
    bool gil = in->mode == MODE_GIL;
    bool freed = interp_free(in);
    if (naive)
        naive_report(gil);
#if !GILVM_DEBUG
    UNUSED(freed);
#endif
#if GILVM_DEBUG
    // With daemon threads still running, their objects are legitimately alive.
    if (freed && getenv("GILVM_LEAK_CHECK")) {
        int64_t live = obj_live_count();
        if (live != 0) {
            fprintf(stderr, "gilvm: %lld objects still alive at exit\n", (long long)live);
            if (status == 0)
                status = EXIT_LEAK;
        }
    }
#endif
    return status;
}

int main(int argc, char **argv) {
    const char *prog = "gilvm";
    const char *command = NULL;
    bool dis = false;
    InterpMode mode = MODE_GIL;
    bool naive_refcount = false;
    double switch_interval_ms = DEFAULT_SWITCH_INTERVAL_US / 1000.0;
    bool preempt_every = false;
    bool lock_order = false;
    uint64_t switch_every = 0;
    char *end;

    struct option longopts[ARRAY_LEN(flags) + 1];
    for (size_t i = 0; i < ARRAY_LEN(flags); i++)
        longopts[i] = (struct option){flags[i].long_name, flags[i].has_arg, NULL,
                                      flags[i].short_name};
    longopts[ARRAY_LEN(flags)] = (struct option){NULL, 0, NULL, 0};
    opterr = 0;
    int opt;
    // "+" stops at the first non-option: the script's own arguments follow.
    while ((opt = getopt_long(argc, argv, "+:c:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            command = optarg;
            break;
        case OPT_DIS:
            dis = true;
            break;
        case OPT_GIL:
            mode = MODE_GIL;
            break;
        case OPT_FREE_THREADED:
            mode = MODE_FREE;
            break;
        case OPT_NAIVE_REFCOUNT:
            naive_refcount = true;
            break;
        case OPT_SWITCH_INTERVAL:
            errno = 0;
            switch_interval_ms = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(switch_interval_ms > 0) ||
                switch_interval_ms > 1e6) {
                fprintf(stderr,
                        "%s: --switch-interval takes milliseconds, a number > 0 and <= 1000000 "
                        "(got '%s')\n", prog, optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_PREEMPT:
            if (strcmp(optarg, "backedge") == 0) {
                preempt_every = false;
            } else if (strcmp(optarg, "instruction") == 0) {
                preempt_every = true;
            } else {
                fprintf(stderr, "%s: --preempt takes 'backedge' or 'instruction' (got '%s')\n",
                        prog, optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SWITCH_EVERY: {
            errno = 0;
            unsigned long long n = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || n == 0 || optarg[0] == '-' || n > 1000000000ULL) {
                fprintf(stderr,
                        "%s: --switch-every takes a number of instructions from 1 to 1000000000 "
                        "(got '%s')\n", prog, optarg);
                return EXIT_USAGE;
            }
            switch_every = n;
            break;
        }
        case OPT_LOCK_ORDER:
            lock_order = true;
            break;
        case OPT_VERSION:
            printf("gilvm %s (Python %d.%d subset)\n", GILVM_VERSION, GILVM_PY_VERSION_MAJOR,
                   GILVM_PY_VERSION_MINOR);
            return 0;
        case 'h':
            usage(stdout, prog);
            return 0;
        case ':':
            fprintf(stderr, "%s: option '%s' needs a value\n", prog, argv[optind - 1]);
            fprintf(stderr, "try '%s --help' for more information\n", prog);
            return EXIT_USAGE;
        default:
            fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
            fprintf(stderr, "try '%s --help' for more information\n", prog);
            return EXIT_USAGE;
        }
        if (command)
            break;
    }

    const char *script = NULL;
    char *src = NULL;
    size_t srclen = 0;
    const char *filename;
    InterpConfig cfg = {.mode = mode, .naive_refcount = naive_refcount};
    char *dash_c[] = {"-c"};
    if (command) {
        filename = "<string>";
        cfg.argc = 1 + (argc - optind);
        cfg.argv = malloc(sizeof(char *) * (size_t)cfg.argc);
        if (!cfg.argv)
            return 1;
        cfg.argv[0] = dash_c[0];
        for (int i = optind; i < argc; i++)
            cfg.argv[1 + i - optind] = argv[i];
        src = strdup(command);
        srclen = strlen(command);
    } else if (optind < argc && strcmp(argv[optind], "-") != 0) {
        script = argv[optind];
        filename = script;
        cfg.argc = argc - optind;
        cfg.argv = argv + optind;
        FILE *f = fopen(script, "rb");
        if (!f) {
            fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n", prog, script, errno,
                    strerror(errno));
            return EXIT_USAGE;
        }
        src = read_all(f, &srclen);
        int err = errno;
        fclose(f);
        if (!src) {
            fprintf(stderr, "%s: can't read file '%s': [Errno %d] %s\n", prog, script, err,
                    strerror(err));
            return EXIT_USAGE;
        }
    } else {
        filename = "<stdin>";
        static char *empty[] = {""};
        cfg.argc = optind < argc ? argc - optind : 1;
        cfg.argv = optind < argc ? argv + optind : empty;
        if (isatty(0) && !dis) {
            cfg.interactive = true;
        } else {
            src = read_all(stdin, &srclen);
            if (!src) {
                fprintf(stderr, "%s: can't read standard input: %s\n", prog, strerror(errno));
                return EXIT_USAGE;
            }
        }
    }

    Interp *in = interp_new(&cfg);
    if (command)
        free(cfg.argv);
    if (!in) {
        fprintf(stderr, "%s: could not start the interpreter\n", prog);
        free(src);
        return 1;
    }
    in->compile = compile_module_source;
    if (lock_order && lockorder_enable(in) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        free(src);
        return 1;
    }
    gil_set_interval(&in->gil, (int64_t)(switch_interval_ms * 1000.0 + 0.5) > 0
                                   ? (int64_t)(switch_interval_ms * 1000.0 + 0.5) : 1);
    in->preempt_every = preempt_every;
    in->switch_every = switch_every;
    in->main_thread->switch_budget = (int64_t)switch_every;
    Value main_mod = make_main_module(in, script);
    if (!main_mod) {
        free(src);
        interp_handle_uncaught(in);
        return finish(in, 1);
    }
    Value globals = module_dict(main_mod);
    int status = 0;
    if (cfg.interactive) {
        status = repl_run(in, globals);
    } else {
        Code *code = compile_source(src, srclen, filename, COMPILE_EXEC);
        if (!code) {
            status = interp_handle_uncaught(in);
        } else if (dis) {
            dis_code(code, stdout);
        } else {
            Value r = interp_exec_code(code, globals, VAL_NULL);
            if (r)
                decref(r);
            else
                status = interp_handle_uncaught(in);
        }
    }
    free(src);
    decref(main_mod);
    return finish(in, status);
}
