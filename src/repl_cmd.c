// Colon commands. Each is a function taking the session and the text after
// the command name (leading blanks removed). They only look at the program
// through repl_inspect.c (no Python code runs) and print to stdout.
#include "repl_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vm/events.h"
#include "../vm/scheduler.h"
#include "../vm/stats.h"
#include "../vm/class.h"
#include "../vm/dict.h"
#include "../vm/func.h"
#include "../vm/str.h"
#include "../vm/thread.h"
#include "dis.h"
#include "repl_complete.h"
#include "repl_inspect.h"
#include "repl_threads.h"
#include "step.h"

typedef struct {
    const char *name;
    const char *args;
    const char *help;
    void (*run)(ReplSession *s, const char *arg);
} Command;

static void cmd_help(ReplSession *s, const char *arg);
static void cmd_dis(ReplSession *s, const char *arg);
static void cmd_mode(ReplSession *s, const char *arg);
static void cmd_threads(ReplSession *s, const char *arg);
static void cmd_stats(ReplSession *s, const char *arg);
static void cmd_step(ReplSession *s, const char *arg);
static void cmd_quit(ReplSession *s, const char *arg);

static const Command commands[] = {
    {"help", "", "this list", cmd_help},
    {"dis", "[NAME]", "bytecode of a function, method or class (each method);\n"
                      "                     no NAME: of the last input", cmd_dis},
    {"mode", "[gil|free]", "show or switch: with a GIL, or free-threaded (only while\n"
                           "                     the main thread is the only thread)", cmd_mode},
    {"threads", "", "each thread: name, state, current line and instruction", cmd_threads},
    {"stats", "", "the --stats table for this session so far", cmd_stats},
    {"step", "", "step threads one instruction at a time (coming)", cmd_step},
    {"quit", "", "leave the REPL (as Ctrl-D)", cmd_quit},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const char *const repl_cmd_names[] = {"help", "dis", "mode", "threads", "stats", "step", "quit",
                                      NULL};

static const char *mode_name(InterpMode m) {
    return m == MODE_GIL ? "GIL" : "free-threaded";
}

static void cmd_help(ReplSession *s, const char *arg) {
    UNUSED(s);
    UNUSED(arg);
    puts("Type Python statements; a block ends with an empty line. Colon commands:");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char head[32];
        snprintf(head, sizeof head, ":%s %s", commands[i].name, commands[i].args);
        printf("  %-18s %s\n", head, commands[i].help);
    }
    puts("Keys: Tab completes names, attributes (of plain dotted names) and commands;\n"
         "Ctrl-C cancels the line or interrupts running code (KeyboardInterrupt);\n"
         "Ctrl-D leaves. History is kept in ~/.gilvm_history.");
}

// --- :dis -----------------------------------------------------------------------------

static bool has_type(Value v, Type *t) {
    return val_is_obj(v) && val_obj(v)->type == t;
}

static Code *code_of(Value v) {
    return has_type(v, &function_type) ? ((Function *)val_obj(v))->code : NULL;
}

static void dis_header(const char *label) {
    printf("Disassembly of %s:\n", label);
}

// Disassemble what a method-like value holds: a function, a static or class
// method, a bound method, each accessor of a property. False if none.
static bool dis_callable(const char *label, Value v, bool header) {
    if (has_type(v, &method_type))
        v = ((BoundMethod *)val_obj(v))->func;
    else if (has_type(v, &staticmethod_type) || has_type(v, &classmethod_type))
        v = ((StaticMethod *)val_obj(v))->func;
    if (has_type(v, &property_type)) {
        Property *p = (Property *)val_obj(v);
        static const char *const roles[] = {"getter", "setter", "deleter"};
        Value acc[] = {p->fget, p->fset, p->fdel};
        bool any = false;
        for (int i = 0; i < 3; i++) {
            Code *c = acc[i] ? code_of(acc[i]) : NULL;
            if (!c)
                continue;
            if (any)
                putchar('\n');
            printf("Disassembly of %s (property %s):\n", label, roles[i]);
            dis_code(c, stdout);
            any = true;
        }
        return any;
    }
    Code *c = code_of(v);
    if (!c && has_type(v, &code_type))
        c = (Code *)val_obj(v);
    if (!c)
        return false;
    if (header)
        dis_header(label);
    dis_code(c, stdout);
    return true;
}

static void dis_class(const char *label, Type *t) {
    // Take the class's own entries first (the dict's lock is not held while
    // printing: the disassembler allocates).
    Dict *d = as_dict(t->dict);
    size_t n = 0;
    BEGIN_CRITICAL(&d->ob);
    Value *items = malloc((2 * d->nentries + 1) * sizeof(Value));
    for (size_t i = 0; items && i < d->nentries; i++) {
        if (d->entries[i].key && val_is_str(d->entries[i].key)) {
            items[n++] = incref(d->entries[i].key);
            items[n++] = incref(d->entries[i].value);
        }
    }
    END_CRITICAL(&d->ob);
    bool any = false;
    for (size_t i = 0; i < n; i += 2) {
        char name[256];
        snprintf(name, sizeof name, "%.120s.%.120s", label, str_cstr(items[i]));
        Value v = items[i + 1];
        bool methodish = has_type(v, &function_type) || has_type(v, &staticmethod_type) ||
                         has_type(v, &classmethod_type) || has_type(v, &property_type);
        if (!methodish)
            continue;
        if (any)
            putchar('\n');
        any = dis_callable(name, v, true) || any;
    }
    for (size_t i = 0; i < n; i++)
        decref(items[i]);
    free(items);
    if (!any)
        printf(":dis: class %s has no methods written in Python\n", label);
}

static void cmd_dis(ReplSession *s, const char *arg) {
    size_t len = strlen(arg);
    while (len && (arg[len - 1] == ' ' || arg[len - 1] == '\t'))
        len--;
    if (len == 0) {
        if (!s->last_code) {
            puts(":dis: nothing entered yet. Usage: :dis NAME (a function, method or class)");
            return;
        }
        dis_code(s->last_code, stdout);
        return;
    }
    if (!repl_complete_is_dotted_name(arg, len)) {
        printf(":dis: '%.*s' is not a name; give a function, method or class, e.g. :dis f or "
               ":dis C.method\n", (int)len, arg);
        return;
    }
    char why[256];
    char label[256];
    snprintf(label, sizeof label, "%.*s", (int)len, arg);
    Value v = repl_inspect_resolve(s->in, s->globals, arg, len, why, sizeof why);
    if (!v) {
        printf(":dis: %s\n", why);
        return;
    }
    Type *vt = val_type(v);
    if (dis_callable(label, v, false)) {
        // done
    } else if (vt == &type_type || (vt->tflags & TF_TYPE_SUBCLASS)) {
        Type *t = (Type *)val_obj(v);
        if (t->tflags & TF_HEAPTYPE)
            dis_class(label, t);
        else
            printf(":dis: %s is a built-in type: its methods are C code, there is no bytecode "
                   "to show\n", label);
    } else if (vt == &builtin_type || vt == &method_descr_type) {
        printf(":dis: %s is a built-in function: it is C code, there is no bytecode to show\n",
               label);
    } else {
        printf(":dis: cannot disassemble %s: it is a '%s' object (give a function, method or "
               "class%s%s)\n", label, type_name(vt), vt->tflags & TF_HEAPTYPE ? ", e.g. :dis " : "",
               vt->tflags & TF_HEAPTYPE ? type_name(vt) : "");
    }
    decref(v);
}

// --- :mode ----------------------------------------------------------------------------

static void cmd_mode(ReplSession *s, const char *arg) {
    Interp *in = s->in;
    InterpMode want;
    if (!*arg) {
        printf("mode: %s (switch with :mode gil or :mode free)\n", mode_name(in->mode));
        return;
    }
    if (strcmp(arg, "gil") == 0) {
        want = MODE_GIL;
    } else if (strcmp(arg, "free") == 0 || strcmp(arg, "free-threaded") == 0) {
        want = MODE_FREE;
    } else {
        printf(":mode: unknown mode '%s'. Usage: :mode gil  or  :mode free\n", arg);
        return;
    }
    if (want == in->mode) {
        printf("mode: already %s\n", mode_name(want));
        return;
    }
    if (in->sched) {
        puts(":mode: the scheduler runs the threads (:step or --seed): :step off first");
        return;
    }
    events_wait_for_finishing(in, 1000);   // threads on their way out
    int others = thread_switch_mode(in, want);
    if (others > 0) {
        char *names = repl_threads_others(in);
        printf(":mode: cannot switch to %s mode while other threads exist:\n  %s\n"
               "The mode changes only while the main thread runs alone: let the others "
               "finish\n(join them), then try again.\n",
               mode_name(want), names ? names : "(they have just finished; try again)");
        free(names);
        return;
    }
    if (want == MODE_FREE)
        puts("mode: free-threaded (no GIL: threads run bytecode at the same time on every core)");
    else
        puts("mode: GIL (one thread at a time runs bytecode)");
}

// --- the others -----------------------------------------------------------------------

static void cmd_threads(ReplSession *s, const char *arg) {
    UNUSED(arg);
    repl_threads_print(s->in, stdout);
}

// The --stats table for the session so far (every thread started in it).
static void cmd_stats(ReplSession *s, const char *arg) {
    UNUSED(arg);
    size_t n = 0;
    ThreadSnapshot *snap = events_snapshot(s->in, false, &n);
    if (!snap) {
        puts(":stats: out of memory");
        return;
    }
    fflush(stdout);
    stats_print_text(s->in, snap, n, stdout);
    events_snapshot_free(snap, n);
}

// :step [on|off]. Stepping puts the seeded scheduler (vm/scheduler.h) in
// charge with the user as its policy; both change only while the main
// thread runs alone, as :mode.
static void cmd_step(ReplSession *s, const char *arg) {
    Interp *in = s->in;
    bool on = step_active();
    if (!*arg) {
        printf("stepping: %s (:step on / :step off)\n", on ? "on" : "off");
        return;
    }
    bool want;
    if (strcmp(arg, "on") == 0) {
        want = true;
    } else if (strcmp(arg, "off") == 0) {
        want = false;
    } else {
        printf(":step: unknown argument '%s'. Usage: :step on  or  :step off\n", arg);
        return;
    }
    if (want == on && (want || !in->sched)) {
        printf("stepping: already %s\n", on ? "on" : "off");
        return;
    }
    if (in->mode != MODE_GIL) {
        puts(":step: stepping needs the GIL (one thread runs at a time): :mode gil first");
        return;
    }
    // Threads whose function has returned may still be on their way out.
    if (!want) {
        step_finish(in);   // no more prompts: let them run to their end
        sched_let_others_finish(ts_cur, 2000);
    }
    events_wait_for_finishing(in, 1000);
    char *names = repl_threads_others(in);
    if (names) {
        printf(":step: cannot turn stepping %s while other threads exist:\n  %s\n"
               "Let them finish (join them), then try again.\n", want ? "on" : "off", names);
        if (!want)
            puts("(stepping stays off until then: the seeded scheduler runs the threads)");
        free(names);
        return;
    }
    if (want) {
        if (!in->sched && sched_enable(in, 0, SCHED_QUANTUM_INSTRUCTION) < 0) {
            puts(":step: out of memory");
            return;
        }
        s->saved_preempt = in->preempt_every;
        in->preempt_every = true;
        step_start_repl(in);
        puts("stepping on: what you type next runs one instruction at a time, threads too.\n"
             "At (step): s [T], n [T], c, b LINE, p EXPR, t, q (h for help).");
    } else {
        step_finish(in);
        if (sched_disable(in) < 0) {
            puts(":step: other threads are still registered; try again");
            return;
        }
        in->preempt_every = s->saved_preempt;
        puts("stepping off");
    }
}

static void cmd_quit(ReplSession *s, const char *arg) {
    UNUSED(arg);
    s->quit = true;
}

void repl_cmd_run(ReplSession *s, const char *line) {
    const char *p = line + 1;
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != '\t')
        n++;
    const char *a = p + n;
    while (*a == ' ' || *a == '\t')
        a++;
    size_t alen = strlen(a);
    while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
        alen--;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strlen(commands[i].name) == n && memcmp(commands[i].name, p, n) == 0) {
            char *arg = strndup(a, alen);
            commands[i].run(s, arg ? arg : "");
            free(arg);
            fflush(stdout);
            return;
        }
    }
    printf(":%.*s: unknown command. Try ", (int)n, p);
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("%s:%s", i ? " " : "", commands[i].name);
    putchar('\n');
    fflush(stdout);
}
