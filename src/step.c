// Stepping: the user is the scheduler (--step, --step-script).
//
// The scheduler (vm/scheduler.c) runs one thread at a time and asks this file,
// at each preemption point of the thread holding the token, who runs next
// (step_decide). With --step every instruction boundary is a preemption
// point, so "s" can grant exactly one instruction to one thread. Code of
// gilvm's embedded modules (threading, queue) runs without stopping: a
// student steps through their own lines, and `t.start()` or `t.join()` is
// one step that may hand the token to another thread.
//
// Safety: everything here runs on the token holder, which also holds the
// GIL, while every other thread waits for its turn or is parked in a wait
// (its frames saved). So the other threads' frames, stacks and the heap
// may be read freely, and `p EXPR` may run code (the scheduler makes it
// run to completion: no hand-over, no blocking). The state below is
// file-static because there is one stepping session per process; only the
// token holder touches it, and the token passes under the scheduler's mutex.
//
// Output goes to stdout, after flushing what the program printed, so a
// transcript reads in order. Commands read from a pipe or a script are
// echoed after the prompt; `#` lines in a script are echoed as narration.
#include "step.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Readline's old `Function` typedefs clash with the VM's Function type.
#define _FUNCTION_DEF
#include <readline/history.h>
#include <readline/readline.h>

#include "../vm/abstract.h"
#include "../vm/code.h"
#include "../vm/deadlock.h"
#include "../vm/dict.h"
#include "../vm/events.h"
#include "../vm/exc.h"
#include "../vm/func.h"
#include "../vm/interp.h"
#include "../vm/module.h"
#include "../vm/opcodes.h"
#include "../vm/scheduler.h"
#include "../vm/str.h"
#include "../vm/sync.h"
#include "compiler.h"
#include "dis.h"

#define MAX_BREAKPOINTS 64
#define NAME_LEN 64

typedef enum {
    GO_STEP,   // stop at the next boundary of any thread
    GO_LINE,   // run [target] until its line changes
    GO_FREE,   // run under the seeded policy until a breakpoint
} Go;

typedef struct {
    const Frame *frame;
    int line;
} Where;

static struct {
    Interp *in;
    bool on;
    FILE *script;          // --step-script, NULL once read to the end
    bool had_script;       // commands came from a file (then the terminal only)
    bool tty;              // standard input is a terminal
    bool input_done;       // no more commands: run freely to the end
    Go go;
    ThreadState *target;   // GO_LINE: the thread to run
    Where line_from;       // GO_LINE: where it started
    int line_depth;
    int bps[MAX_BREAKPOINTS];
    size_t nbps;
    Where *last_line;      // per thread id: the last user line seen (breakpoints)
    size_t nlast;
    uint64_t selected;     // thread `p` evaluates in (0 = the one stopped)
    // The last stop, to show what the instruction did.
    uint64_t last_tid;
    const Frame *last_frame;
    uint32_t last_idx;
    uint64_t last_shown;   // thread shown at the last stop
    char last_cmd[256];
    char *src;             // the program's source, for showing lines
    size_t srclen;
    const char *filename;
    uint64_t stops;
    bool repl;             // started by the REPL's :step
    bool quit_requested;   // q in the REPL
} st;

// --- small helpers --------------------------------------------------------------------

static bool embedded(const Code *c) {
    return strncmp(str_cstr(c->filename), "<gilvm>", 7) == 0;
}

static Frame *user_frame(Frame *f) {
    while (f && embedded(f->code))
        f = f->prev;
    return f;
}

// Index of the instruction [f] runs next (at a preemption point) or is in
// (a thread stopped inside a call or a wait).
static uint32_t next_index(const Frame *f) {
    return (uint32_t)(f->ip - f->code->instrs);
}

static uint32_t current_index(const Frame *f) {
    return frame_lasti(f);
}

// Where thread [t]'s frame [f] is: a thread that runs or waits for its turn
// stopped at a preemption point, before its next instruction; a parked one
// (or an outer frame) is inside a call.
static uint32_t index_in(ThreadState *t, const Frame *f) {
    int state = sched_state_of(t, NULL);
    if (f == t->frame && (state == SCHED_RUNNING || state == SCHED_READY))
        return next_index(f);
    return current_index(f);
}

static void thread_name(ThreadState *t, char *buf, size_t n) {
    pthread_mutex_lock(&st.in->lock);
    if (t->log && t->log->name[0])
        snprintf(buf, n, "%s", t->log->name);
    else
        snprintf(buf, n, t == st.in->main_thread ? "MainThread" : "(a new thread)");
    pthread_mutex_unlock(&st.in->lock);
}

static ThreadState *thread_by_id(uint64_t id) {
    ThreadState *found = NULL;
    pthread_mutex_lock(&st.in->lock);
    for (ThreadState *t = st.in->threads; t; t = t->next)
        if (t->id == id && t->sched)
            found = t;
    pthread_mutex_unlock(&st.in->lock);
    return found;
}

// The text of line [line] of the program, without leading blanks.
static void source_line(const Code *c, int line, char *buf, size_t n) {
    buf[0] = 0;
    if (!st.src || strcmp(str_cstr(c->filename), st.filename) != 0 || line < 1)
        return;
    const char *p = st.src, *end = st.src + st.srclen;
    for (int i = 1; i < line && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    size_t len = 0;
    while (p + len < end && p[len] != '\n' && p[len] != '\r')
        len++;
    snprintf(buf, n, "%.*s", (int)len, p);
}

static char *instruction_text(Code *c, uint32_t idx) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    if (idx < c->ninstrs)
        dis_instruction(c, idx, m);
    fclose(m);
    if (buf && strlen(buf) > 34)
        strcpy(buf + 30, "...)");   // long constants (code objects)
    return buf;
}

// A short repr for the transcript (long ones cut).
static void short_repr(Value v, char *buf, size_t n) {
    Value r = v ? val_repr(v) : VAL_NULL;
    if (!r) {
        exc_clear();
        snprintf(buf, n, "?");
        return;
    }
    const char *s = str_cstr(r);
    if (strlen(s) > 60)
        snprintf(buf, n, "%.57s...", s);
    else
        snprintf(buf, n, "%s", s);
    decref(r);
}

// --- what a thread is doing ----------------------------------------------------------------

static const char *wait_in(ThreadState *t) {
    // The outermost embedded frame says what the program called: Thread.join...
    // (inside the program's innermost frame).
    const char *what = NULL;
    for (Frame *f = t->frame; f && embedded(f->code); f = f->prev)
        what = str_cstr(f->code->qualname);
    return what;
}

static void describe_wait(ThreadState *t, int kind, char *buf, size_t n) {
    if (kind == SCHED_WAIT_SLEEP) {
        snprintf(buf, n, "sleeps");
        return;
    }
    // An untimed wait: as the deadlock report would describe it, plus where
    // the holder of the program's lock is now.
    uint64_t owner = 0;
    if (deadlock_describe_wait(t, buf, n, &owner)) {
        ThreadState *o = owner ? thread_by_id(owner) : NULL;
        Frame *uf = o ? user_frame(o->frame) : NULL;
        if (uf) {
            size_t len = strlen(buf);
            snprintf(buf + len, n - len, "; [%llu] is now at line %d", (unsigned long long)o->id,
                     code_line_at(uf->code, index_in(o, uf)));
        }
        return;
    }
    // A wait with a timeout (the detector keeps no record of it).
    const char *in_call = wait_in(t);
    snprintf(buf, n, "waits%s%s", in_call ? " in " : "", in_call ? in_call : "");
}

static void print_thread_row(ThreadState *t, ThreadState *holder) {
    char name[NAME_LEN], what[256] = "";
    thread_name(t, name, sizeof name);
    int kind = 0;
    int state = sched_state_of(t, &kind);
    const char *sname = t == holder ? "running" : state == SCHED_READY ? "ready"
                      : state == SCHED_PARKED ? (kind == SCHED_WAIT_SLEEP ? "sleeping" : "waiting")
                      : state == SCHED_DONE ? "done" : "ready";
    if (state == SCHED_PARKED)
        describe_wait(t, kind, what, sizeof what);
    Frame *uf = user_frame(t->frame);
    char pos[200] = "not started";
    if (uf) {
        uint32_t idx = index_in(t, uf);
        char *ins = instruction_text(uf->code, idx);
        snprintf(pos, sizeof pos, "line %-3d %s", code_line_at(uf->code, idx), ins ? ins : "");
        free(ins);
    } else if (t->frame) {
        snprintf(pos, sizeof pos, "in %s", str_cstr(t->frame->code->qualname));
    }
    printf("  %c[%llu] %-18s %-8s %s%s%s\n", t == holder ? '*' : ' ', (unsigned long long)t->id,
           name, sname, pos, what[0] ? "  -- " : "", what);
}

// The program's locks that are globals of __main__, and who holds them.
static void print_locks(void) {
    Value mods = st.in->modules;
    Value m = mods ? dict_get_cstr(mods, "__main__") : VAL_NULL;
    if (!m) {
        exc_clear();
        return;
    }
    Value g = module_dict(m);
    Dict *d = as_dict(g);
    bool any = false;
    for (uint32_t i = 0; i < d->nentries && !any; i++) {
        uint64_t owner = 0, site = 0;
        any = d->entries[i].key && mod_thread_lock_owner(d->entries[i].value, &owner, &site);
    }
    if (any)
        puts("  locks:");
    for (uint32_t i = 0; any && i < d->nentries; i++) {
        uint64_t owner = 0, site = 0;
        Value k = d->entries[i].key;
        if (!k || !val_is_str(k) || !mod_thread_lock_owner(d->entries[i].value, &owner, &site))
            continue;
        if (!owner) {
            printf("    %-18s free\n", str_cstr(k));
            continue;
        }
        char oname[NAME_LEN] = "?", at[200];
        ThreadState *o = thread_by_id(owner);
        if (o)
            thread_name(o, oname, sizeof oname);
        deadlock_format_place(deadlock_site_place(st.in, site), at, sizeof at);
        printf("    %-18s held by [%llu] %s, taken at %s\n", str_cstr(k),
               (unsigned long long)owner, oname, at);
    }
    decref(m);
}

static void print_threads(ThreadState *holder) {
    char hname[NAME_LEN];
    thread_name(holder, hname, sizeof hname);
    printf("  threads (the GIL is held by [%llu] %s):\n", (unsigned long long)holder->id, hname);
    ThreadState *list[256];
    size_t n = 0;
    pthread_mutex_lock(&st.in->lock);
    for (ThreadState *t = st.in->threads; t && n < ARRAY_LEN(list); t = t->next)
        if (t->sched)
            list[n++] = t;
    pthread_mutex_unlock(&st.in->lock);
    // The list is newest first: print in id order.
    for (size_t i = n; i-- > 0;)
        print_thread_row(list[i], holder);
    print_locks();
}

// --- the stop ---------------------------------------------------------------------------

// What the instruction the thread ran since the last stop did.
static void show_effect(ThreadState *ts, Frame *f) {
    if (st.last_tid != ts->id || st.last_frame != f)
        return;
    Code *c = f->code;
    if (st.last_idx >= c->ninstrs)
        return;
    uint32_t w = c->instrs[st.last_idx];
    int op = (int)INSTR_OP(w);
    uint32_t arg = INSTR_ARG(w);
    const char *opname = opcode_names[op];
    char v[80];
    if (op == OP_STORE_GLOBAL || op == OP_STORE_NAME) {
        Value name = c->names[arg];
        Value x = dict_get(f->globals, name);
        if (op == OP_STORE_NAME && f->locals && f->locals != f->globals) {
            decref(x);
            x = dict_get(f->locals, name);
        }
        if (!x) {
            exc_clear();
            return;
        }
        short_repr(x, v, sizeof v);
        decref(x);
        printf("      %s = %s\n", str_cstr(name), v);
    } else if (op == OP_STORE_FAST && arg < c->nlocals && f->slots[arg]) {
        short_repr(f->slots[arg], v, sizeof v);
        printf("      %s = %s\n", str_cstr(c->varnames[arg]), v);
    } else if ((strncmp(opname, "LOAD_", 5) == 0 || strncmp(opname, "BINARY_", 7) == 0 ||
                op == OP_COMPARE_OP) && f->sp > frame_stack_base(f)) {
        short_repr(f->sp[-1], v, sizeof v);
        printf("      pushed %s\n", v);
    }
}

static void print_stop(ThreadState *ts, Frame *f, uint32_t idx) {
    char name[NAME_LEN], text[160];
    if (ts->id != st.last_shown && st.stops > 0)
        print_threads(ts);
    st.last_shown = ts->id;
    thread_name(ts, name, sizeof name);
    int line = code_line_at(f->code, idx);
    source_line(f->code, line, text, sizeof text);
    char *ins = instruction_text(f->code, idx);
    printf("[%llu] %-18s line %-3d %-28s %s\n", (unsigned long long)ts->id, name, line,
           ins ? ins : "", text);
    free(ins);
}

static void help(void) {
    puts("  s [T]   run one instruction (of thread T: its number in brackets)\n"
         "  n [T]   run to the next line of this thread (or of thread T)\n"
         "  c       continue: the seeded scheduler runs the threads, until a breakpoint\n"
         "  b LINE  stop when a thread reaches LINE; b alone lists the breakpoints\n"
         "  p EXPR  evaluate EXPR in the stopped (or selected) thread's frame\n"
         "  t [T]   show every thread; with T, select thread T for p\n"
         "  q       quit (the program stops here)\n"
         "  an empty line repeats the last command");
}

// The next command, NULL when there are no more. Returned string is
// malloc'd.
static char *read_command(void) {
    char buf[512];
    while (st.script) {
        if (!fgets(buf, sizeof buf, st.script)) {
            fclose(st.script);
            st.script = NULL;
            break;
        }
        buf[strcspn(buf, "\r\n")] = 0;
        const char *p = buf + strspn(buf, " \t");
        if (*p == '#') {
            printf("%s\n", p);
            continue;
        }
        if (!*p)
            continue;
        printf("(step) %s\n", p);
        return strdup(p);
    }
    if (st.had_script && !st.tty)
        return NULL;
    if (st.tty) {
        fflush(stdout);
        char *line = readline("(step) ");
        if (line && *line)
            add_history(line);
        return line;
    }
    if (!fgets(buf, sizeof buf, stdin))
        return NULL;
    buf[strcspn(buf, "\r\n")] = 0;
    printf("(step) %s\n", buf);
    return strdup(buf);
}

// "T" argument: a thread number (as shown in brackets). NULL and a message
// if there is no such thread.
static ThreadState *parse_thread(const char *arg, ThreadState *dflt) {
    while (*arg == ' ')
        arg++;
    if (!*arg)
        return dflt;
    char *end;
    unsigned long long id = strtoull(arg, &end, 10);
    while (*end == ' ')
        end++;
    ThreadState *t = *end ? NULL : thread_by_id(id);
    if (!t)
        printf("  no thread %s (t lists them)\n", arg);
    return t;
}

// "[2] Thread-1 (work)" and what it waits for into [name] / [what] ([what]
// keeps [dflt] unless the thread is parked).
static void name_and_wait(ThreadState *t, char *name, char *what, size_t n, const char *dflt) {
    thread_name(t, name, NAME_LEN);
    snprintf(what, n, "%s", dflt);
    int kind = 0;
    if (sched_state_of(t, &kind) == SCHED_PARKED)
        describe_wait(t, kind, what, n);
}

static bool can_run(ThreadState *t, ThreadState *holder) {
    if (t == holder || sched_runnable(t))
        return true;
    char name[NAME_LEN], what[256];
    name_and_wait(t, name, what, sizeof what, "cannot run now");
    printf("  [%llu] %s cannot run: it %s\n", (unsigned long long)t->id, name, what);
    return false;
}

// Locals of [f] as a new dict (fast locals and cells), for `p`.
static Value frame_locals(Frame *f) {
    if (f->locals)
        return incref(f->locals);
    Value d = dict_new();
    if (!d)
        return VAL_NULL;
    Code *c = f->code;
    for (uint32_t i = 0; i < c->nlocals; i++)
        if (f->slots[i] && dict_set(d, c->varnames[i], f->slots[i]) < 0)
            exc_clear();
    for (uint32_t j = 0; j < c->ncells + c->nfree; j++) {
        Value cell = f->slots[c->nlocals + j];
        if (!cell || !val_is_obj(cell) || val_type(cell) != &cell_type)
            continue;
        Value v = cell_get((Cell *)val_obj(cell));
        Value name = j < c->ncells ? c->cellvars[j] : c->freevars[j - c->ncells];
        if (v && dict_set(d, name, v) < 0)
            exc_clear();
        decref(v);
    }
    return d;
}

static void print_expr(ThreadState *holder, const char *expr) {
    ThreadState *t = st.selected ? thread_by_id(st.selected) : holder;
    if (!t)
        t = holder;
    Frame *f = user_frame(t->frame);
    if (!f) {
        puts("  no Python frame to evaluate in");
        return;
    }
    Code *code = compile_source(expr, strlen(expr), "<step>", COMPILE_EVAL);
    Value r = VAL_NULL;
    if (code) {
        Value locals = frame_locals(f);
        if (locals)
            r = interp_exec_code(code, f->globals, locals);
        decref(locals);
    }
    if (r) {
        char v[200];
        Value s = val_repr(r);
        if (s) {
            snprintf(v, sizeof v, "%s", str_cstr(s));
            decref(s);
        } else {
            exc_clear();
            snprintf(v, sizeof v, "?");
        }
        printf("  %s\n", v);
        decref(r);
        return;
    }
    Value e = exc_fetch();
    Value line = e ? exc_format_line(e) : VAL_NULL;
    printf("  %s\n", line ? str_cstr(line) : "error");
    if (!line)
        exc_clear();
    decref(line);
    decref(e);
}

// Prompt until a command lets a thread run; returns that thread, or NULL
// for the seeded policy.
static ThreadState *stop(ThreadState *ts, Frame *f, uint32_t idx) {
    fflush(stdout);
    show_effect(ts, f);
    print_stop(ts, f, idx);
    st.stops++;
    st.selected = 0;
    for (;;) {
        char *line = st.input_done ? NULL : read_command();
        if (!line) {
            if (!st.input_done)
                puts("  (no more commands: running to the end)");
            st.input_done = true;
            st.go = GO_FREE;
            fflush(stdout);
            return NULL;
        }
        char cmdbuf[256];
        const char *p = line + strspn(line, " \t");
        if (!*p && st.last_cmd[0])
            p = st.last_cmd;
        snprintf(cmdbuf, sizeof cmdbuf, "%s", p);
        free(line);
        p = cmdbuf;
        if (*p && *p != 'p' && *p != 'b' && *p != 't')
            snprintf(st.last_cmd, sizeof st.last_cmd, "%s", p);
        char cmd = *p;
        const char *arg = p + 1;
        if (*p && p[1] && p[1] != ' ') {
            // Long forms: step, next, cont(inue), break, print, threads, quit, help.
            size_t wl = strcspn(p, " ");
            static const char *const words[] = {"step", "next", "continue", "break",
                                                "print", "threads", "quit", "help"};
            cmd = '?';
            for (size_t i = 0; i < ARRAY_LEN(words); i++)
                if (wl <= strlen(words[i]) && strncmp(p, words[i], wl) == 0)
                    cmd = words[i][0];
            if (strncmp(p, "cont", 4) == 0 || wl == 1)
                cmd = cmd == '?' ? 'c' : cmd;
            arg = p + wl;
        }
        switch (cmd) {
        case 's':
        case 'n': {
            ThreadState *t = parse_thread(arg, ts);
            if (!t || !can_run(t, ts))
                continue;
            Frame *tf = t == ts ? f : t->frame;
            if (cmd == 's') {
                st.go = GO_STEP;
            } else {
                Frame *uf = user_frame(tf);
                st.go = GO_LINE;
                st.target = t;
                st.line_from.frame = uf;
                st.line_from.line =
                    uf ? code_line_at(uf->code, uf == tf && t == ts ? idx : current_index(uf)) : 0;
                // From gilvm's own code (a thread not started yet, a
                // wait): stop at the first line of the program's code.
                st.line_depth = uf ? t->depth : INT_MAX;
            }
            st.last_tid = cmd == 's' ? t->id : 0;   // `n`: many instructions, no one effect
            st.last_frame = tf;
            st.last_idx = tf ? (t == ts ? idx : next_index(tf)) : 0;
            fflush(stdout);
            return t;
        }
        case 'c':
            st.go = GO_FREE;
            fflush(stdout);
            return NULL;
        case 'b': {
            while (*arg == ' ')
                arg++;
            if (!*arg) {
                if (st.nbps == 0)
                    puts("  no breakpoints");
                for (size_t i = 0; i < st.nbps; i++)
                    printf("  breakpoint at line %d\n", st.bps[i]);
                continue;
            }
            char *end;
            long n = strtol(arg, &end, 10);
            if (*end || n < 1 || n > 1000000) {
                printf("  b takes a line number (got '%s')\n", arg);
            } else if (st.nbps == MAX_BREAKPOINTS) {
                puts("  too many breakpoints");
            } else {
                st.bps[st.nbps++] = (int)n;
                printf("  breakpoint at line %ld\n", n);
            }
            continue;
        }
        case 'p':
            while (*arg == ' ')
                arg++;
            if (!*arg)
                puts("  p takes an expression, e.g. p counter");
            else
                print_expr(ts, arg);
            continue;
        case 't': {
            while (*arg == ' ')
                arg++;
            if (*arg) {
                ThreadState *t = parse_thread(arg, ts);
                if (t) {
                    char name[NAME_LEN];
                    thread_name(t, name, sizeof name);
                    st.selected = t->id;
                    printf("  p now evaluates in [%llu] %s\n", (unsigned long long)t->id, name);
                }
                continue;
            }
            print_threads(ts);
            continue;
        }
        case 'q':
            if (st.repl) {
                puts("  stepping off: this statement runs to its end");
                st.quit_requested = true;
                st.go = GO_FREE;
                st.nbps = 0;
                fflush(stdout);
                return NULL;
            }
            puts("  quit: the program stops here");
            fflush(stdout);
            _exit(0);
        case 'h':
            help();
            continue;
        default:
            printf("  unknown command '%s' (h lists the commands)\n", p);
            continue;
        }
    }
}

static bool at_breakpoint(ThreadState *ts, Frame *f, int line) {
    if (ts->id >= st.nlast) {
        size_t n = ts->id * 2 + 8;
        Where *w = realloc(st.last_line, n * sizeof(Where));
        if (!w)
            return false;
        memset(w + st.nlast, 0, (n - st.nlast) * sizeof(Where));
        st.last_line = w;
        st.nlast = n;
    }
    Where *prev = &st.last_line[ts->id];
    bool moved = prev->frame != f || prev->line != line;
    prev->frame = f;
    prev->line = line;
    if (!moved || strcmp(str_cstr(f->code->filename), st.filename) != 0)
        return false;
    for (size_t i = 0; i < st.nbps; i++)
        if (st.bps[i] == line)
            return true;
    return false;
}

static ThreadState *step_decide(void *ctx, ThreadState *ts) {
    UNUSED(ctx);
    Frame *f = ts->frame;
    bool boundary = ts->sched_boundary;
    ts->sched_boundary = false;
    if (!boundary || !f || embedded(f->code))
        return st.go == GO_FREE ? NULL : ts;
    uint32_t idx = next_index(f);
    int line = code_line_at(f->code, idx);
    bool bp = at_breakpoint(ts, f, line);
    switch (st.go) {
    case GO_FREE:
        if (!bp || st.input_done)
            return NULL;
        printf("  breakpoint: line %d\n", line);
        break;
    case GO_LINE:
        if (ts == st.target && !bp &&
            ((f == st.line_from.frame && line == st.line_from.line) ||
             ts->depth > st.line_depth))
            return ts;
        break;
    case GO_STEP:
        break;
    }
    return stop(ts, f, idx);
}

static void step_parked(void *ctx, ThreadState *ts, ThreadState *next) {
    UNUSED(ctx);
    if (st.go == GO_FREE)
        return;
    char name[NAME_LEN], what[256];
    name_and_wait(ts, name, what, sizeof what, "finished");
    fflush(stdout);
    printf("  [%llu] %s %s\n", (unsigned long long)ts->id, name, what);
    if (next && next != ts) {
        char nname[NAME_LEN];
        thread_name(next, nname, sizeof nname);
        printf("  the scheduler hands the GIL to [%llu] %s\n", (unsigned long long)next->id,
               nname);
    }
    fflush(stdout);
}

int step_start(Interp *in, const char *script, const char *filename) {
    memset(&st, 0, sizeof st);
    st.in = in;
    st.tty = isatty(0);
    st.filename = filename;
    if (script) {
        st.script = fopen(script, "r");
        struct stat sb;
        if (st.script && fstat(fileno(st.script), &sb) == 0 && S_ISDIR(sb.st_mode)) {
            fclose(st.script);
            st.script = NULL;
            errno = EISDIR;
        }
        if (!st.script) {
            fprintf(stderr, "gilvm: can't open file '%s': [Errno %d] %s\n", script, errno,
                    strerror(errno));
            return -1;
        }
        st.had_script = true;
    }
    FILE *f = fopen(filename, "rb");
    if (f) {
        size_t cap = 0;
        FILE *m = open_memstream(&st.src, &cap);
        char buf[4096];
        size_t n;
        while (m && (n = fread(buf, 1, sizeof buf, f)) > 0)
            fwrite(buf, 1, n, m);
        if (m) {
            fclose(m);
            st.srclen = strlen(st.src);
        }
        fclose(f);
    }
    st.on = true;
    SchedControl ctl = {step_decide, step_parked, NULL};
    sched_set_control(in, &ctl);
    printf("gilvm --step: each instruction runs when you say so (h for help)\n");
    return 0;
}

int step_start_repl(Interp *in) {
    memset(&st, 0, sizeof st);
    st.in = in;
    st.tty = isatty(0);
    st.filename = "<stdin>";
    st.repl = true;
    st.on = true;
    SchedControl ctl = {step_decide, step_parked, NULL};
    sched_set_control(in, &ctl);
    return 0;
}

void step_set_source(const char *src, size_t len) {
    if (!st.on)
        return;
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, src, len);
    copy[len] = 0;
    free(st.src);
    st.src = copy;
    st.srclen = len;
}

bool step_active(void) {
    return st.on;
}

bool step_quit_requested(void) {
    bool q = st.quit_requested;
    st.quit_requested = false;
    return q;
}

void step_finish(Interp *in) {
    if (!st.on)
        return;
    sched_set_control(in, NULL);
    if (st.script)
        fclose(st.script);
    free(st.src);
    free(st.last_line);
    memset(&st, 0, sizeof st);
}
