// The REPL. Lines are collected until parse_needs_more() says the input is
// complete, then compiled in "single" mode (expression statements print
// their repr) and run in the __main__ namespace. Ctrl-C cancels the current
// input; Ctrl-D (EOF) leaves. Waiting for a line is a blocking read: the GIL
// is released meanwhile, so threads started at the prompt keep running.
#include "repl.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <unistd.h>

#include "../vm/exc.h"
#include "../vm/interp.h"
#include "../vm/sbuf.h"
#include "../vm/thread.h"
#include "compiler.h"
#include "parser.h"

static void run_source(Interp *in, Value globals, const char *src, size_t len) {
    Code *code = compile_source(src, len, "<stdin>", COMPILE_SINGLE);
    if (code) {
        Value r = interp_exec_code(code, globals, VAL_NULL);
        decref(r);
    }
    fflush(stdout);
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

int repl_run(Interp *in, Value globals) {
    bool tty = isatty(0);
    if (tty) {
        printf("gilvm %s (Python %d.%d subset) -- mode: %s\n", GILVM_VERSION,
               GILVM_PY_VERSION_MAJOR, GILVM_PY_VERSION_MINOR,
               in->mode == MODE_GIL ? "GIL" : "free-threaded");
        printf("Type \"help\", \"copyright\", \"credits\" or \"license\" for more information.\n");
        fflush(stdout);
    }
    SBuf buf;
    sbuf_init(&buf);
    for (;;) {
        const char *prompt = buf.len ? "... " : ">>> ";
        thread_begin_blocking(ts_cur);
        char *line = readline(tty ? prompt : "");
        thread_end_blocking(ts_cur);
        if (!line) {
            if (tty)
                putchar('\n');
            break;
        }
        if (*line && tty)
            add_history(line);
        sbuf_puts(&buf, line);
        sbuf_putc(&buf, '\n');
        free(line);
        if (parse_needs_more(buf.data, buf.len))
            continue;
        run_source(in, globals, buf.data, buf.len);
        buf.len = 0;
        if (buf.data)
            buf.data[0] = 0;
        if (in->exit_requested)
            break;
    }
    sbuf_free(&buf);
    return in->exit_code;
}
