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
#include "../vm/gil_model.h"
#include "../vm/interp.h"
#include "../vm/lockorder.h"
#include "../vm/module.h"
#include "../vm/names.h"
#include "../vm/race.h"
#include "../vm/stats.h"
#include "../vm/str.h"
#include "../vm/timeline.h"
#include "../vm/trace.h"
#include "../vm/scheduler.h"
#include "step.h"
#include "compare.h"
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
    OPT_DIS = 1000,
    OPT_VERSION,
    OPT_GIL,
    OPT_FREE_THREADED,
    OPT_NAIVE_REFCOUNT,
    OPT_SWITCH_INTERVAL,
    OPT_PREEMPT,
    OPT_SWITCH_EVERY,
    OPT_GIL_MODEL,
    OPT_SWITCH_EVERY_JUMPS,
    OPT_SWITCH_MODE,
    OPT_STATS,
    OPT_TIMELINE,
    OPT_TRACE,
    OPT_LOCK_ORDER,
    OPT_SEED,
    OPT_STEP,
    OPT_STEP_SCRIPT,
    OPT_COMPARE,
    OPT_RACE,
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
    {"gil-model", required_argument, OPT_GIL_MODEL, "NAME",
     "schedule threads as a real interpreter does: a preset of the flags below (see GIL models)",
     "gilvm --gil-model=cpython2 samples/lost_update.py"},
    {"switch-interval", required_argument, OPT_SWITCH_INTERVAL, "MS",
     "how long a waiting thread lets the GIL holder run before asking for it (default 5; "
     "off: waiters never ask)",
     "gilvm --switch-interval=1 samples/gil_convoy.py"},
    {"preempt", required_argument, OPT_PREEMPT, "WHERE",
     "where the GIL may change hands: backedge (loops and calls, default) or instruction",
     "gilvm --preempt=instruction samples/lost_update.py"},
    {"switch-every", required_argument, OPT_SWITCH_EVERY, "N",
     "let go of the GIL after every N instructions, whatever the time (at the next preemption "
     "point; default off)",
     "gilvm --preempt=instruction --switch-every=50 samples/lost_update.py"},
    {"switch-every-jumps", required_argument, OPT_SWITCH_EVERY_JUMPS, "N",
     "instead of --switch-every (the later one wins): count jump instructions only and "
     "let go of the GIL just before the Nth",
     "gilvm --switch-every-jumps=32 --switch-mode=release samples/gil_convoy.py"},
    {"switch-mode", required_argument, OPT_SWITCH_MODE, "MODE",
     "how the holder lets go: handover (waits until a waiter has the GIL, default) or release "
     "(re-takes it at once, racing the waiters)",
     "gilvm --switch-mode=release --switch-every=100 samples/gil_convoy.py"},
    {"stats", optional_argument, OPT_STATS, "json[:FILE]",
     "at exit, per thread: bytecodes, CPU, GIL held and waited for, time blocked; totals "
     "(on stderr; =json for tools, =json:FILE to a file)",
     "gilvm --stats samples/cpu_bound.py"},
    {"timeline", no_argument, OPT_TIMELINE, NULL,
     "at exit, draw each thread over time: running, waiting for the GIL, blocked, sleeping "
     "(on stderr)",
     "gilvm --timeline samples/cpu_bound.py"},
    {"trace", required_argument, OPT_TRACE, "FILE",
     "write the threads' activity to FILE as a Chrome trace (open it in Perfetto or "
     "chrome://tracing)",
     "gilvm --trace=trace.json samples/io_bound.py"},
    {"lock-order", no_argument, OPT_LOCK_ORDER, NULL,
     "warn when two acquisitions take the same two locks in opposite orders, even if they "
     "did not deadlock this time", "gilvm --lock-order samples/deadlock.py one-at-a-time"},
    {"seed", required_argument, OPT_SEED, "N",
     "make the interleaving a function of N: a seeded scheduler decides at each preemption "
     "point whether to switch and to whom (same N, same run)",
     "gilvm --seed=7 --preempt=instruction samples/lost_update.py"},
    {"step", no_argument, OPT_STEP, NULL,
     "step through the interleaving: each instruction runs when you say so (commands from "
     "the terminal or a pipe; h lists them)",
     "gilvm --step samples/lost_update.py 2 1"},
    {"step-script", required_argument, OPT_STEP_SCRIPT, "FILE",
     "as --step, with the commands read from FILE (then from the terminal, if any)",
     "gilvm --step-script=samples/step_lost_update.txt samples/lost_update.py 2 1"},
    {"compare", no_argument, OPT_COMPARE, NULL,
     "run the script with --gil, then with --free-threaded, and print what differed: output, "
     "time, parallelism, GIL waits, lost updates (GIL-model flags apply to the --gil run)",
     "gilvm --compare samples/lost_update.py"},
    {"race", no_argument, OPT_RACE, NULL,
     "at exit, report unsynchronised accesses to the same global, attribute or item from two "
     "threads (at least one a write) and count lost updates (on stderr; the exit status is "
     "unchanged)",
     "gilvm --race samples/lost_update.py"},
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
        else if (flags[i].has_arg == optional_argument)
            snprintf(left, sizeof left, "    --%s[=%s]", flags[i].long_name, flags[i].arg_help);
        else
            snprintf(left, sizeof left, "    --%s%s%s", flags[i].long_name,
                     flags[i].arg_help ? "=" : "", flags[i].arg_help ? flags[i].arg_help : "");
        fprintf(out, "  %-26s %s (e.g. %s)\n", left, flags[i].help, flags[i].example);
    }
    fprintf(out,
            "\nGIL models: --gil-model=NAME stands for the flags shown (the counters of\n"
            "--switch-every and --switch-every-jumps are off where not shown); a flag given\n"
            "explicitly overrides the preset's value, before or after it on the command line:\n");
    for (size_t i = 0; i < gil_model_npresets; i++) {
        char buf[200];
        fprintf(out, "  %-12s %s\n  %-12s %s%s\n", gil_model_presets[i].name,
                gil_model_flags(&gil_model_presets[i].model, buf, sizeof buf), "",
                gil_model_presets[i].about, i == 0 ? " (the default)" : "");
    }
    fprintf(out,
            "\nA deadlock (every thread blocked in a wait without timeout) is reported on\n"
            "stderr: who holds which lock, acquired where, and waits for what, where.\n"
            "\n--race reports data races as ThreadSanitizer does: two threads touched the\n"
            "same variable, one of them wrote, and no lock, thread start/join, queue,\n"
            "event or condition ordered the two. A report is information: it does not\n"
            "change the exit status.\n"
            "\nexit status: 0 success, 1 uncaught exception, 2 usage error or unreadable file,\n"
            "%d deadlock\n", DEADLOCK_EXIT_STATUS);
}

// The flags that make up a GIL model.
static bool is_gil_model_flag(int opt) {
    switch (opt) {
    case OPT_GIL_MODEL:
    case OPT_SWITCH_INTERVAL:
    case OPT_PREEMPT:
    case OPT_SWITCH_EVERY:
    case OPT_SWITCH_EVERY_JUMPS:
    case OPT_SWITCH_MODE:
        return true;
    default:
        return false;
    }
}

// The one-line legend above `--dis` output when a GIL-model flag was given.
static void print_dis_legend(const GilModel *m) {
    char flags_buf[200], legend[300];
    const GilPreset *p = gil_model_match(m);
    printf("# GIL model %s (%s): %s\n\n", p ? p->name : "custom",
           gil_model_flags(m, flags_buf, sizeof flags_buf),
           gil_model_mark_legend(m, legend, sizeof legend));
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

// What to report at exit (--stats, --timeline, --trace).
typedef enum { STATS_OFF, STATS_TEXT, STATS_JSON } StatsMode;
typedef struct {
    StatsMode stats;
    const char *stats_file;   // --stats=json:FILE, else stderr
    bool timeline;
    const char *trace_file;
} Reports;

// A report file must be writable before the program runs (created empty).
static bool can_write(const char *prog, const char *flag, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "%s: %s: can't write '%s': %s\n", prog, flag, path, strerror(errno));
        return false;
    }
    fclose(f);
    return true;
}

// Print the reports asked for; a report that could not be written turns a
// success into status 1.
static int report(Interp *in, const Reports *r, int status) {
    if (r->stats == STATS_OFF && !r->timeline && !r->trace_file)
        return status;
    fflush(stdout);
    events_wait_for_finishing(in, 1000);
    size_t n;
    ThreadSnapshot *snap = events_snapshot(in, r->timeline || r->trace_file, &n);
    if (!snap) {
        fprintf(stderr, "gilvm: out of memory for --stats/--timeline/--trace\n");
        return status ? status : 1;
    }
    if (r->stats == STATS_TEXT) {
        stats_print_text(in, snap, n, stderr);
    } else if (r->stats == STATS_JSON) {
        FILE *f = r->stats_file ? fopen(r->stats_file, "w") : stderr;
        if (f)
            stats_print_json(in, snap, n, f);
        if (!f || (f != stderr && fclose(f) != 0)) {
            fprintf(stderr, "gilvm: --stats: can't write '%s': %s\n", r->stats_file,
                    strerror(errno));
            status = status ? status : 1;
        }
    }
    if (r->timeline)
        timeline_print(in, snap, n, stderr);
    if (r->trace_file && trace_write(in, snap, n, r->trace_file) < 0) {
        fprintf(stderr, "gilvm: --trace: can't write '%s': %s\n", r->trace_file,
                strerror(errno));
        status = status ? status : 1;
    }
    events_snapshot_free(snap, n);
    return status;
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

// --naive-refcount: what a VM that counts references with plain
// read-add-write would have got wrong in this run.
static void naive_report(bool gil) {
    uint64_t updates, early, wrong;
    obj_naive_report(&updates, &early, &wrong);
    char a[32], b[32], c[32];
    stats_format_thousands(updates, a, sizeof a);
    stats_format_thousands(early, b, sizeof b);
    stats_format_thousands(wrong, c, sizeof c);
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

static int finish(Interp *in, const Reports *reports, int status) {
    status = wait_for_threads(in, status);
    step_finish(in);
    race_report(in);   // information only: the status stays
    status = report(in, reports, status);
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

// --compare (src/compare.c): the checks of a normal run's command line, then
// both runs. [rest] is what follows the options: the script and its arguments
// (or, after -c CODE, the arguments).
static int run_compare(const char *prog, const char *argv0, const char *mode_flag,
                       const char *report_flag, bool dis, const char *command, int nrest,
                       char **rest, char **gil_args, int ngil_args, char **common_args,
                       int ncommon_args) {
    if (mode_flag) {
        fprintf(stderr, "%s: --compare runs the script with --gil and then with --free-threaded: "
                        "leave out %s\n", prog, mode_flag);
        return EXIT_USAGE;
    }
    if (report_flag || dis) {
        fprintf(stderr, "%s: --compare can't be combined with %s (it makes its own report)\n",
                prog, dis ? "--dis" : report_flag);
        return EXIT_USAGE;
    }
    if (!command && (nrest == 0 || strcmp(rest[0], "-") == 0)) {
        fprintf(stderr, "%s: --compare needs a script: %s --compare script.py [args...]\n", prog,
                prog);
        return EXIT_USAGE;
    }
    CompareConfig c = {.prog = prog, .argv0 = argv0, .command = command,
                       .gil_args = gil_args, .ngil_args = ngil_args,
                       .common_args = common_args, .ncommon_args = ncommon_args};
    if (command) {
        c.script_args = rest;
        c.nscript_args = nrest;
    } else {
        c.script = rest[0];
        c.script_args = rest + 1;
        c.nscript_args = nrest - 1;
        FILE *f = fopen(c.script, "rb");
        if (!f) {
            fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n", prog, c.script, errno,
                    strerror(errno));
            return EXIT_USAGE;
        }
        fclose(f);
    }
    return compare_run(&c);
}

int main(int argc, char **argv) {
    const char *prog = "gilvm";
    const char *command = NULL;
    bool dis = false;
    InterpMode mode = MODE_GIL;
    bool naive_refcount = false;
    // The GIL model: a preset (--gil-model) overlaid with the flags given
    // explicitly, whatever their order (given_* says which were).
    const GilPreset *preset = &gil_model_presets[0];
    GilModel given = {0};
    bool given_interval = false, given_preempt = false, given_every = false, given_mode = false;
    const char *gil_flag = NULL;   // the first GIL-model flag seen, for warnings
    Reports reports = {0};
    bool lock_order = false;
    bool seeded = false, step = false;
    uint64_t seed = 0;
    const char *step_script = NULL;
    // --compare: the flags it refuses, and the ones it passes on to its runs.
    bool compare = false;
    const char *mode_flag = NULL, *report_flag = NULL;
    // Static: a usage error returns early without freeing it (and what it
    // points to); reachable memory is not a leak for the sanitizers.
    static char **gil_args;
    gil_args = calloc((size_t)argc + 1, sizeof(char *));
    char *common_args[2];
    int ngil_args = 0, ncommon_args = 0;
    if (!gil_args)
        return 1;
    bool race = false;
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
            mode_flag = "--gil";
            break;
        case OPT_FREE_THREADED:
            mode = MODE_FREE;
            mode_flag = "--free-threaded";
            break;
        case OPT_NAIVE_REFCOUNT:
            if (!naive_refcount)
                common_args[ncommon_args++] = "--naive-refcount";
            naive_refcount = true;
            break;
        case OPT_COMPARE:
            compare = true;
            break;
        case OPT_GIL_MODEL:
            preset = gil_model_find(optarg);
            if (!preset) {
                fprintf(stderr, "%s: --gil-model takes one of %s (got '%s')\n", prog,
                        gil_model_names(), optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SWITCH_INTERVAL:
            given_interval = true;
            if (strcmp(optarg, "off") == 0) {
                given.interval_us = 0;
                break;
            }
            errno = 0;
            double ms = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(ms > 0) || ms > 1e6) {
                fprintf(stderr,
                        "%s: --switch-interval takes milliseconds, a number > 0 and <= 1000000, "
                        "or 'off' (got '%s')\n", prog, optarg);
                return EXIT_USAGE;
            }
            given.interval_us = (int64_t)(ms * 1000.0 + 0.5) > 0 ? (int64_t)(ms * 1000.0 + 0.5) : 1;
            break;
        case OPT_PREEMPT:
            given_preempt = true;
            if (strcmp(optarg, "backedge") == 0) {
                given.preempt_every = false;
            } else if (strcmp(optarg, "instruction") == 0) {
                given.preempt_every = true;
            } else {
                fprintf(stderr, "%s: --preempt takes 'backedge' or 'instruction' (got '%s')\n",
                        prog, optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SWITCH_EVERY:
        case OPT_SWITCH_EVERY_JUMPS: {
            const char *what = opt == OPT_SWITCH_EVERY ? "instructions" : "jumps";
            uint64_t n = 0;
            if (strcmp(optarg, "off") != 0) {
                errno = 0;
                unsigned long long v = strtoull(optarg, &end, 10);
                if (errno || end == optarg || *end || v == 0 || optarg[0] == '-' ||
                    v > 1000000000ULL) {
                    fprintf(stderr,
                            "%s: --%s takes a number of %s from 1 to 1000000000, or 'off' "
                            "(got '%s')\n", prog,
                            opt == OPT_SWITCH_EVERY ? "switch-every" : "switch-every-jumps", what,
                            optarg);
                    return EXIT_USAGE;
                }
                n = v;
            }
            // One counter: the later of the two flags decides what it counts.
            given_every = true;
            given.switch_every = n;
            given.switch_on_jumps = opt == OPT_SWITCH_EVERY_JUMPS;
            break;
        }
        case OPT_SWITCH_MODE:
            given_mode = true;
            if (strcmp(optarg, "handover") == 0) {
                given.switch_mode = GIL_HANDOVER;
            } else if (strcmp(optarg, "release") == 0) {
                given.switch_mode = GIL_RELEASE;
            } else {
                fprintf(stderr, "%s: --switch-mode takes 'handover' or 'release' (got '%s')\n",
                        prog, optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_STATS:
            report_flag = "--stats";
            if (!optarg || strcmp(optarg, "text") == 0) {
                reports.stats = STATS_TEXT;
            } else if (strcmp(optarg, "json") == 0) {
                reports.stats = STATS_JSON;
            } else if (strncmp(optarg, "json:", 5) == 0 && optarg[5]) {
                reports.stats = STATS_JSON;
                reports.stats_file = optarg + 5;
                if (!can_write(prog, "--stats", reports.stats_file))
                    return EXIT_USAGE;
            } else {
                fprintf(stderr, "%s: --stats takes nothing, 'json' or 'json:FILE' (got '%s')\n",
                        prog, optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_TIMELINE:
            report_flag = "--timeline";
            reports.timeline = true;
            break;
        case OPT_TRACE:
            report_flag = "--trace";
            if (!*optarg) {
                fprintf(stderr, "%s: --trace needs a file name\n", prog);
                return EXIT_USAGE;
            }
            reports.trace_file = optarg;
            if (!can_write(prog, "--trace", optarg))
                return EXIT_USAGE;
            break;
        case OPT_LOCK_ORDER:
            if (!lock_order)
                common_args[ncommon_args++] = "--lock-order";
            lock_order = true;
            break;
        case OPT_SEED: {
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || optarg[0] == '-') {
                fprintf(stderr, "%s: --seed takes a whole number from 0 to %llu (got '%s')\n",
                        prog, (unsigned long long)UINT64_MAX, optarg);
                return EXIT_USAGE;
            }
            seeded = true;
            seed = v;
            break;
        }
        case OPT_STEP:
            step = true;
            break;
        case OPT_STEP_SCRIPT:
            if (!*optarg) {
                fprintf(stderr, "%s: --step-script needs a file name\n", prog);
                return EXIT_USAGE;
            }
            step = true;
            step_script = optarg;
            break;
        case OPT_RACE:
            race = true;
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
        if (is_gil_model_flag(opt)) {
            for (size_t i = 0; i < ARRAY_LEN(flags); i++) {
                if (flags[i].short_name != opt)
                    continue;
                if (!gil_flag)
                    gil_flag = flags[i].long_name;
                // Given again as --NAME=VALUE to --compare's --gil run.
                size_t len = strlen(flags[i].long_name) + strlen(optarg) + 4;
                if ((gil_args[ngil_args] = malloc(len)))
                    snprintf(gil_args[ngil_args++], len, "--%s=%s", flags[i].long_name, optarg);
            }
        }
        if (command)
            break;
    }
    if (compare && (seeded || step)) {
        fprintf(stderr, "%s: --compare runs each mode on the OS's schedule: it does not combine "
                        "with --seed or --step\n", prog);
        free(gil_args);
        return EXIT_USAGE;
    }
    if (compare) {
        int st = run_compare(prog, argv[0], mode_flag, report_flag, dis, command, argc - optind,
                             argv + optind, gil_args, ngil_args, common_args, ncommon_args);
        for (int i = 0; i < ngil_args; i++)
            free(gil_args[i]);
        free(gil_args);
        return st;
    }
    for (int i = 0; i < ngil_args; i++)
        free(gil_args[i]);
    free(gil_args);
    if ((seeded || step) && mode == MODE_FREE) {
        fprintf(stderr,
                "%s: --%s needs the GIL: the scheduler runs one thread at a time (drop "
                "--free-threaded; --preempt=instruction lets it switch between any two "
                "instructions)\n", prog, step ? "step" : "seed");
        return EXIT_USAGE;
    }
    if (step && !command && (optind >= argc || strcmp(argv[optind], "-") == 0)) {
        fprintf(stderr, "%s: --step needs a script or -c CODE (the commands come from the "
                        "terminal or --step-script)\n", prog);
        return EXIT_USAGE;
    }
    GilModel model = preset->model;
    if (given_interval)
        model.interval_us = given.interval_us;
    if (given_preempt)
        model.preempt_every = given.preempt_every;
    if (given_every) {
        model.switch_every = given.switch_every;
        model.switch_on_jumps = given.switch_on_jumps;
    }
    if (given_mode)
        model.switch_mode = given.switch_mode;

    const char *script = NULL;
    char *src = NULL;
    size_t srclen = 0;
    const char *filename;
    InterpConfig cfg = {.mode = mode,
                        .naive_refcount = naive_refcount,
                        .events = reports.timeline || reports.trace_file != NULL};
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
    if ((lock_order && lockorder_enable(in) < 0) || (race && race_enable(in) < 0)) {
        fprintf(stderr, "%s: out of memory\n", prog);
        free(src);
        return 1;
    }
    if (in->mode == MODE_FREE) {
        // No GIL: nothing to schedule.
        if (gil_flag)
            fprintf(stderr, "%s: warning: --%s does nothing with --free-threaded (there is no GIL)\n",
                    prog, gil_flag);
    } else {
        gil_model_apply(in, &model);
    }
    if (seeded || step) {
        // Stepping stops at every instruction boundary; a seeded schedule
        // uses the preemption points of the GIL model.
        if (step)
            in->preempt_every = true;
        if (sched_enable(in, seed, in->preempt_every ? SCHED_QUANTUM_INSTRUCTION
                                                     : SCHED_QUANTUM_BACKEDGE) < 0 ||
            (step && step_start(in, step_script, filename) < 0)) {
            free(src);
            return finish(in, &reports, EXIT_USAGE);
        }
        if (step && command)
            step_set_source(src, srclen);
    }
    Value main_mod = make_main_module(in, script);
    if (!main_mod) {
        free(src);
        interp_handle_uncaught(in);
        return finish(in, &reports, 1);
    }
    Value globals = module_dict(main_mod);
    int status = 0;
    if (cfg.interactive) {
        status = repl_run(in, globals);
    } else {
        Code *code = compile_source(src, srclen, filename, COMPILE_EXEC);
        if (!code) {
            status = interp_handle_uncaught(in);
        } else if (dis && gil_flag && in->mode == MODE_GIL) {
            print_dis_legend(&model);
            bool marks[OP_COUNT];
            for (int op = 0; op < OP_COUNT; op++)
                marks[op] = gil_model_preempts_at(&model, op);
            dis_code_marking(code, stdout, marks);
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
    return finish(in, &reports, status);
}
