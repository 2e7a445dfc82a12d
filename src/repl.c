// The REPL. Lines are collected until parse_needs_more() says the input is
// complete, then compiled in "single" mode (expression statements print
// their repr) and run in the __main__ namespace. A line starting with ':' at
// the `>>>` prompt is a colon command (repl_cmd.c).
//
// Reading a line uses readline's callback interface, as CPython does: the
// main thread waits in select() inside a blocking bracket (so other threads
// run under the GIL while the prompt waits) and feeds readline one character
// at a time with the GIL held (so tab completion may read objects). The wait
// wakes every 100 ms to look for Ctrl-C: the SIGINT handler (vm/interp.c)
// may run on any thread, so select() is not always interrupted. Ctrl-C at
// the prompt drops the line and any half-typed block; Ctrl-C while code runs
// raises KeyboardInterrupt in the main thread (the eval breaker), whose
// traceback is printed like any other; the session goes on either way.
//
// History: ~/.gilvm_history ($HOME), read at start, each line appended as it
// is entered (a crash loses nothing), cut to HISTORY_SIZE lines at exit. A
// history file that cannot be read or written is reported once and the
// session goes on without saving.
//
// The UI state below is file-static because readline's callbacks take no
// context; it belongs to the main thread, the only one that runs the REPL.
#include "repl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "../vm/exc.h"
#include "../vm/interp.h"
#include "../vm/sbuf.h"
#include "../vm/thread.h"
#include "compiler.h"
#include "parser.h"
#include "repl_cmd.h"
#include "repl_complete.h"
#include "repl_inspect.h"
#include "step.h"

#define HISTORY_SIZE 1000
#define INDENT "    "

static struct {
    ReplSession session;
    SBuf input;            // the lines of the input being typed
    char *line;            // set by on_line: the line read (malloc'd), NULL at EOF
    bool line_done;
    char *history_path;    // NULL: no history file
    bool history_saving;   // false after a write failed
    char **matches;        // completion candidates being handed to readline
    size_t nmatches, next_match;
} ui;

// --- history ---------------------------------------------------------------------------

static void history_failed(const char *what, int err) {
    fprintf(stderr, "gilvm: cannot %s history file %s: %s (history will not be saved)\n", what,
            ui.history_path, strerror(err));
    ui.history_saving = false;
}

static void history_start(void) {
    using_history();
    stifle_history(HISTORY_SIZE);
    const char *home = getenv("HOME");
    if (!home || !*home)
        return;
    SBuf p;
    sbuf_init(&p);
    sbuf_puts(&p, home);
    sbuf_puts(&p, "/.gilvm_history");
    ui.history_path = p.data;
    if (!ui.history_path)
        return;
    ui.history_saving = true;
    int rc = read_history(ui.history_path);
    if (rc == ENOENT) {
        // append_history does not create the file.
        rc = write_history(ui.history_path);
        if (rc != 0)
            history_failed("create", rc);
    } else if (rc != 0) {
        history_failed("read", rc);
    }
}

static void history_add(const char *line) {
    if (!*line || strspn(line, " \t") == strlen(line))
        return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0)
        return;
    add_history(line);
    if (ui.history_saving) {
        int rc = append_history(1, ui.history_path);
        if (rc != 0)
            history_failed("write", rc);
    }
}

static void history_end(void) {
    if (ui.history_saving)
        history_truncate_file(ui.history_path, HISTORY_SIZE);
    free(ui.history_path);
    ui.history_path = NULL;
    clear_history();
}

// --- completion ------------------------------------------------------------------------

static void add_static_names(ReplNames *l, const char *const *names, const char *prefix) {
    for (; *names; names++) {
        size_t pl = strlen(prefix), nl = strlen(*names);
        char *s = malloc(pl + nl + 1);
        if (!s)
            return;
        memcpy(s, prefix, pl);
        memcpy(s + pl, *names, nl + 1);
        if (l->n == l->cap) {
            size_t cap = l->cap ? 2 * l->cap : 16;
            char **p = realloc(l->items, cap * sizeof *p);
            if (!p) {
                free(s);
                return;
            }
            l->items = p;
            l->cap = cap;
        }
        l->items[l->n++] = s;
    }
}

static char *next_match(const char *text, int state) {
    UNUSED(text);
    if (state == 0)
        ui.next_match = 0;
    return ui.next_match < ui.nmatches ? strdup(ui.matches[ui.next_match++]) : NULL;
}

static void free_matches(void) {
    for (size_t i = 0; i < ui.nmatches; i++)
        free(ui.matches[i]);
    free(ui.matches);
    ui.matches = NULL;
    ui.nmatches = 0;
}

// readline's attempted-completion hook; runs with the GIL held (see the top).
static char **complete(const char *text, int start, int end) {
    rl_attempted_completion_over = 1;   // never fall back to file names
    rl_completion_suppress_append = 1;
    const char *line = rl_line_buffer;
    ReplCompletion c = repl_complete_context(line, (size_t)end, ui.input.len == 0);
    Interp *in = ui.session.in;
    ReplNames names = {0};
    bool attribute = false;
    switch (c.kind) {
    case RC_NOTHING:
        return NULL;
    case RC_INDENT: {
        free_matches();
        ui.matches = malloc(sizeof(char *));
        if (ui.matches && (ui.matches[0] = strdup(INDENT)))
            ui.nmatches = 1;
        return rl_completion_matches(text, next_match);
    }
    case RC_NAME:
        repl_inspect_dict_names(ui.session.globals, &names);
        repl_inspect_dict_names(in->builtins, &names);
        add_static_names(&names, repl_complete_keywords, "");
        break;
    case RC_ATTR: {
        char why[200];
        Value obj = repl_inspect_resolve(in, ui.session.globals, line + c.expr_start, c.expr_len,
                                         why, sizeof why);
        if (!obj)
            return NULL;
        repl_inspect_attr_names(obj, &names);
        decref(obj);
        attribute = true;
        break;
    }
    case RC_COMMAND:
        add_static_names(&names, repl_cmd_names, "");
        rl_completion_suppress_append = 0;
        rl_completion_append_character = ' ';
        break;
    case RC_COMMAND_ARG: {
        static const char *const modes[] = {"gil", "free", NULL};
        const char *cmd = line + c.cmd_start;
        if (c.cmd_len == 4 && memcmp(cmd, "mode", 4) == 0)
            add_static_names(&names, modes, "");
        else if (c.cmd_len == 4 && memcmp(cmd, "help", 4) == 0)
            add_static_names(&names, repl_cmd_names, "");
        break;
    }
    }
    const char **sel = (const char **)names.items;
    size_t n = repl_complete_select(sel, names.n, line + c.prefix_start, c.prefix_len, attribute);
    // Candidates replace line[start, end): keep what lies before the prefix.
    size_t head = (size_t)start <= c.prefix_start ? c.prefix_start - (size_t)start : 0;
    free_matches();
    ui.matches = n ? malloc(n * sizeof(char *)) : NULL;
    for (size_t i = 0; ui.matches && i < n; i++) {
        size_t nl = strlen(sel[i]);
        char *m = malloc(head + nl + 1);
        if (!m)
            break;
        memcpy(m, line + start, head);
        memcpy(m + head, sel[i], nl + 1);
        ui.matches[ui.nmatches++] = m;
    }
    repl_inspect_names_free(&names);
    return ui.nmatches ? rl_completion_matches(text, next_match) : NULL;
}

// --- reading a line ---------------------------------------------------------------------

enum { READ_LINE, READ_EOF, READ_INTERRUPTED };

static void on_line(char *line) {
    rl_callback_handler_remove();
    ui.line = line;
    ui.line_done = true;
}

// Ctrl-C arrived (raises KeyboardInterrupt in the main thread: drop it).
static bool interrupted(void) {
    if (interp_check_signals() == 0)
        return false;
    exc_clear();
    return true;
}

// Read one line with [prompt]: READ_LINE (*out malloc'd), READ_EOF or
// READ_INTERRUPTED. Called and returns with the GIL held.
static int read_line(ThreadState *ts, const char *prompt, char **out) {
    *out = NULL;
    ui.line = NULL;
    ui.line_done = false;
    int fd = fileno(rl_instream ? rl_instream : stdin);
    if (interrupted()) {
        // Ctrl-C while the last input finished or a command ran.
        fputs("\nKeyboardInterrupt\n", stdout);
    }
    rl_callback_handler_install(prompt, on_line);
    while (!ui.line_done) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        struct timeval tv = {0, 100 * 1000};
        thread_begin_blocking(ts);
        int r = select(fd + 1, &fds, NULL, NULL, &tv);
        int err = errno;
        thread_end_blocking(ts);
        if (interrupted()) {
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_cleanup_after_signal();
            rl_callback_handler_remove();
            return READ_INTERRUPTED;
        }
        if (r > 0) {
            rl_callback_read_char();
        } else if (r < 0 && err != EINTR) {
            rl_callback_handler_remove();
            return READ_EOF;
        }
    }
    *out = ui.line;
    return ui.line ? READ_LINE : READ_EOF;
}

// --- running input ------------------------------------------------------------------------

static void run_source(Interp *in, Value globals, const char *src, size_t len) {
    Code *code = compile_source(src, len, "<stdin>", COMPILE_SINGLE);
    if (code) {
        ui.session.last_code = code;
        step_set_source(src, len);   // :step shows the lines being stepped
        Value r = interp_exec_code(code, globals, VAL_NULL);
        decref(r);
    }
    fflush(stdout);
    if (step_quit_requested())
        repl_cmd_run(&ui.session, ":step off");
    if (exc_occurred()) {
        if (exc_matches(&exc_SystemExit)) {
            // Leave the REPL with the requested status.
            in->exit_code = interp_handle_uncaught(in);
            in->exit_requested = true;
            return;
        }
        Value e = exc_fetch();
        exc_print(e);
        decref(e);
    }
}

static void setup_readline(void) {
    rl_readline_name = "gilvm";
    rl_catch_signals = 0;   // Ctrl-C is ours (see the top)
    rl_attempted_completion_function = complete;
    // Dots and ':' stay inside a word: `math.sq` and `:th` complete whole.
    rl_completer_word_break_characters = " \t\n`~!@#$%^&*()-=+[{]}\\|;'\",<>/?";
    history_start();
}

int repl_run(Interp *in, Value globals) {
    ThreadState *ts = ts_cur;
    bool tty = isatty(0);
    if (tty) {
        printf("gilvm %s (Python %d.%d subset) -- mode: %s\n", GILVM_VERSION,
               GILVM_PY_VERSION_MAJOR, GILVM_PY_VERSION_MINOR,
               in->mode == MODE_GIL ? "GIL" : "free-threaded");
        printf("Type Python, or :help for the colon commands (:dis, :mode, :threads...).\n");
        fflush(stdout);
    }
    ui.session = (ReplSession){.in = in, .globals = globals};
    sbuf_init(&ui.input);
    setup_readline();
    for (;;) {
        const char *prompt = ui.input.len ? "... " : ">>> ";
        char *line;
        int r = read_line(ts, tty ? prompt : "", &line);
        if (r == READ_EOF) {
            if (tty)
                putchar('\n');
            break;
        }
        if (r == READ_INTERRUPTED) {
            // Drop the line and any half-typed block, as python3 does.
            fputs("\nKeyboardInterrupt\n", stdout);
            fflush(stdout);
            ui.input.len = 0;
            continue;
        }
        history_add(line);
        if (ui.input.len == 0 && line[0] == ':') {
            repl_cmd_run(&ui.session, line);
            free(line);
            if (ui.session.quit)
                break;
            continue;
        }
        sbuf_puts(&ui.input, line);
        sbuf_putc(&ui.input, '\n');
        free(line);
        if (parse_needs_more(ui.input.data, ui.input.len))
            continue;
        run_source(in, globals, ui.input.data, ui.input.len);
        ui.input.len = 0;
        if (in->exit_requested)
            break;
    }
    free_matches();
    history_end();
    sbuf_free(&ui.input);
    return in->exit_code;
}
