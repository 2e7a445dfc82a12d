// --compare: one script, two children (--gil, then --free-threaded), one
// table (see compare.h).
//
// Nothing here runs inside the VM: compare_run is called from main() before
// any interpreter exists, in a process with one thread, so fork() is safe.
// Files: each child's stdout and stderr go to a temporary file unlinked as soon
// as it is open (nothing can be left behind, even on SIGKILL), its statistics
// to a named mkstemp file (the child must open it by name) removed as soon as
// it is read, or when Ctrl-C ends the comparison.
// Signals: SIGINT, SIGTERM, SIGHUP and SIGCHLD stay blocked in the parent and
// are taken with sigtimedwait while a child runs, so no signal can slip in
// between "is the child done?" and "wait". The children get the original mask
// back before exec.
#include "compare.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../vm/stats.h"

// The most lines shown of the common output, of the differences, of stderr.
#define SHOW_OUTPUT_LINES 20
#define SHOW_DIFF_LINES 20
#define SHOW_STDERR_LINES 10
// Largest LCS table (cells) for the line diff; above it lines pair by position.
#define DIFF_MAX_CELLS (4u << 20)
// Runs shorter than this have no speed verdict: start-up noise dominates.
#define SHORT_RUN_NS 20000000u
// Object-lock contention that deserves a mention in the verdict.
#define CONTENDED_MANY 1000u
// How long a child gets after SIGTERM before SIGKILL.
#define TERM_GRACE_NS 1000000000u

// --- small helpers -------------------------------------------------------------------

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

// The whole of [fd] from offset 0, NUL-terminated; NULL on error.
static char *read_fd(int fd, size_t *len) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf || lseek(fd, 0, SEEK_SET) < 0) {
        free(buf);
        return NULL;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(buf);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

// [n] exactly, with thousands separators ("767,058"); [buf] needs 32 bytes.
static const char *format_exact(uint64_t n, char *buf) {
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n), o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = 0;
    return buf;
}

// $TMPDIR (or /tmp) + "/gilvm-compare-XXXXXX".
static void temp_template(char *buf, size_t size) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    snprintf(buf, size, "%s/gilvm-compare-XXXXXX", dir);
}

// An anonymous temporary file: created, then unlinked at once. -1 on error.
static int anon_temp(void) {
    char path[4096];
    temp_template(path, sizeof path);
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

// --- the stats JSON ------------------------------------------------------------------

// A scanner for the JSON gilvm writes itself: it calls [fn] for every
// "key": value pair with the nesting depth of the object holding it (the top
// object is 1) and a pointer to the value's first character. Strings are
// skipped whole, so a thread name can hold anything.
typedef void (*KeyFn)(void *ctx, int depth, const char *key, size_t klen, const char *val);

static const char *skip_string(const char *p) {   // [p] at the opening quote
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return *p ? p + 1 : p;
}

static const char *skip_space(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static void json_scan(const char *s, KeyFn fn, void *ctx) {
    int depth = 0;
    for (const char *p = s; *p;) {
        if (*p == '{' || *p == '[') {
            depth++;
            p++;
        } else if (*p == '}' || *p == ']') {
            depth--;
            p++;
        } else if (*p == '"') {
            const char *end = skip_string(p), *q = skip_space(end);
            if (*q == ':') {
                q = skip_space(q + 1);
                fn(ctx, depth, p + 1, (size_t)(end - 1 - (p + 1)), q);
                p = q;
            } else {
                p = end;
            }
        } else {
            p++;
        }
    }
}

static uint64_t json_u64(const char *v) {   // null and anything else: 0
    return *v >= '0' && *v <= '9' ? strtoull(v, NULL, 10) : 0;
}

typedef struct {
    CompareStats *st;
    bool magic, wall, cpu;
} StatsScan;

static void on_stats_key(void *ctx, int depth, const char *k, size_t n, const char *v) {
    StatsScan *sc = ctx;
    CompareStats *st = sc->st;
#define IS(name) (n == sizeof(name) - 1 && memcmp(k, name, n) == 0)
    if (depth == 1) {
        if (IS("gilvm_stats"))
            sc->magic = true;
        else if (IS("mode"))
            st->gil = strncmp(v, "\"gil\"", 5) == 0;
        else if (IS("wall_ns"))
            sc->wall = true, st->wall_ns = json_u64(v);
        else if (IS("cpu_ns"))
            sc->cpu = true, st->cpu_ns = json_u64(v);
        else if (IS("parallelism"))
            st->parallelism = strtod(v, NULL);
    } else if (depth == 2) {
        if (IS("handovers"))   // in "gil"
            st->handovers = json_u64(v);
    } else if (depth == 3) {   // a thread in "threads"
        if (IS("id"))
            st->threads++;
        else if (IS("gil_wait_ns"))
            st->gil_wait_ns += json_u64(v);
        else if (IS("lock_contended"))
            st->lock_contended += json_u64(v);
        else if (IS("rc_cross_thread"))
            st->rc_cross_thread += json_u64(v);
    }
#undef IS
}

bool compare_parse_stats(const char *json, CompareStats *out) {
    memset(out, 0, sizeof *out);
    StatsScan sc = {.st = out};
    json_scan(json, on_stats_key, &sc);
    out->ok = sc.magic && sc.wall && sc.cpu;
    return out->ok;
}

// --- lost updates ----------------------------------------------------------------------

static bool is_word_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

// The integer after the word [word] in [line, line+len): "expected 1,000,000",
// "expected: 5", "actual=-3". Commas between digits are allowed.
static bool number_after(const char *line, size_t len, const char *word, int64_t *out) {
    size_t wl = strlen(word);
    for (size_t i = 0; i + wl <= len; i++) {
        if (memcmp(line + i, word, wl) != 0 || (i > 0 && is_word_char(line[i - 1])))
            continue;
        size_t j = i + wl;
        if (j < len && is_word_char(line[j]))
            continue;
        while (j < len && line[j] == ' ')
            j++;
        if (j < len && (line[j] == ':' || line[j] == '='))
            j++;
        while (j < len && line[j] == ' ')
            j++;
        bool neg = j < len && line[j] == '-';
        if (neg)
            j++;
        if (j >= len || line[j] < '0' || line[j] > '9')
            continue;
        int64_t v = 0;
        while (j < len) {
            if (line[j] >= '0' && line[j] <= '9') {
                if (v < INT64_MAX / 10 - 10)
                    v = v * 10 + (line[j] - '0');
            } else if (line[j] != ',' || j + 1 >= len || line[j + 1] < '0' || line[j + 1] > '9') {
                break;
            }
            j++;
        }
        *out = neg ? -v : v;
        return true;
    }
    return false;
}

int compare_lost_updates(const char *text, size_t len, int64_t *lost) {
    int lines = 0;
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        int64_t want, got;
        if (number_after(text + start, end - start, "expected", &want) &&
            number_after(text + start, end - start, "actual", &got)) {
            *lost += want > got ? want - got : got - want;
            lines++;
        }
        start = end + 1;
    }
    return lines;
}

// --- the line diff -------------------------------------------------------------------

typedef struct {
    const char *s;
    size_t len;
} Line;

typedef struct {
    Line *v;
    size_t n;
} Lines;

static bool split_lines(const char *text, size_t len, Lines *out) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    if (len && text[len - 1] != '\n')
        n++;
    out->v = malloc((n ? n : 1) * sizeof(Line));
    out->n = 0;
    if (!out->v)
        return false;
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        out->v[out->n++] = (Line){text + start, end - start};
        start = end + 1;
    }
    return true;
}

static bool line_eq(Line a, Line b) {
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

// One step of the alignment: a line in both outputs, only in the GIL run's, or
// only in the free-threaded run's.
typedef enum { D_SAME, D_GIL, D_FREE } DiffOp;

// The alignment of [a] and [b]: a longest common subsequence of the lines
// between the common prefix and suffix when the table is small enough, else
// the middle lines paired by position. Returns the number of ops, -1 when
// out of memory. [*ops] is malloc'ed.
static long diff_lines(const Lines *a, const Lines *b, DiffOp **ops) {
    size_t pre = 0, suf = 0;
    while (pre < a->n && pre < b->n && line_eq(a->v[pre], b->v[pre]))
        pre++;
    while (suf < a->n - pre && suf < b->n - pre &&
           line_eq(a->v[a->n - 1 - suf], b->v[b->n - 1 - suf]))
        suf++;
    size_t n = a->n - pre - suf, m = b->n - pre - suf, k = 0;
    DiffOp *o = malloc((a->n + b->n + 1) * sizeof(DiffOp));
    if (!o)
        return -1;
    for (size_t i = 0; i < pre; i++)
        o[k++] = D_SAME;
    const Line *x = a->v + pre, *y = b->v + pre;
    uint32_t *t = NULL;
    if (n && m && (n + 1) * (m + 1) <= DIFF_MAX_CELLS)
        t = malloc((n + 1) * (m + 1) * sizeof(uint32_t));
    if (t) {
        // t[i][j]: LCS length of x[i..] and y[j..].
#define T(i, j) t[(i) * (m + 1) + (j)]
        for (size_t i = n + 1; i-- > 0;)
            for (size_t j = m + 1; j-- > 0;)
                T(i, j) = i == n || j == m ? 0
                          : line_eq(x[i], y[j]) ? T(i + 1, j + 1) + 1
                          : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
        size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && line_eq(x[i], y[j])) {
                o[k++] = D_SAME;
                i++, j++;
            } else if (j == m || (i < n && T(i + 1, j) >= T(i, j + 1))) {
                o[k++] = D_GIL;
                i++;
            } else {
                o[k++] = D_FREE;
                j++;
            }
        }
#undef T
        free(t);
    } else {
        // Pairs by position: a differing pair shows as gil, then free.
        for (size_t i = 0; i < n || i < m; i++) {
            if (i < n && i < m && line_eq(x[i], y[i])) {
                o[k++] = D_SAME;
                continue;
            }
            if (i < n)
                o[k++] = D_GIL;
            if (i < m)
                o[k++] = D_FREE;
        }
    }
    for (size_t i = 0; i < suf; i++)
        o[k++] = D_SAME;
    *ops = o;
    return (long)k;
}

static void put_line(FILE *out, const char *prefix, Line l) {
    fprintf(out, "  %s%.*s\n", prefix, (int)l.len, l.s);
}

// The script's output: once when both runs printed the same, else the lines
// that differ, each run's lines of a hunk together.
static void print_output(FILE *out, const char *a, size_t alen, const char *b, size_t blen) {
    Lines la, lb;
    if (!split_lines(a, alen, &la) || !split_lines(b, blen, &lb)) {
        fprintf(out, "output: (out of memory comparing it)\n");
        free(la.v);
        return;
    }
    DiffOp *ops = NULL;
    long nops = alen == blen && memcmp(a, b, alen) == 0 ? 0 : diff_lines(&la, &lb, &ops);
    if (nops == 0) {
        if (la.n == 0)
            fprintf(out, "output: none, in either mode\n");
        else
            fprintf(out, "output (the same in both modes):\n");
        for (size_t i = 0; i < la.n && i < SHOW_OUTPUT_LINES; i++)
            put_line(out, "", la.v[i]);
        if (la.n > SHOW_OUTPUT_LINES)
            fprintf(out, "  ... %zu more lines\n", la.n - SHOW_OUTPUT_LINES);
    } else if (nops < 0) {
        fprintf(out, "output: differs (out of memory comparing it)\n");
    } else {
        size_t same = 0, differ = 0;
        for (long i = 0; i < nops; i++)
            ops[i] == D_SAME ? same++ : differ++;
        if (differ == 0) {
            fprintf(out, "output: the same %zu lines in both modes (one run's last line has "
                         "no newline)\n", same);
            goto done;
        }
        fprintf(out, "output: %zu line%s the same in both modes; these differ:\n", same,
                same == 1 ? "" : "s");
        size_t shown = 0, ia = 0, ib = 0;
        for (long i = 0; i < nops;) {
            if (ops[i] == D_SAME) {
                ia++, ib++, i++;
                continue;
            }
            // A hunk: its lines in pairs (a GIL line, then the free-threaded
            // line in its place), then the lines one run has more.
            long j = i;
            size_t ha = ia, hb = ib;
            for (; j < nops && ops[j] != D_SAME; j++)
                ops[j] == D_GIL ? ia++ : ib++;
            for (size_t x = ha, y = hb; x < ia || y < ib; x++, y++) {
                if (x < ia && shown++ < SHOW_DIFF_LINES)
                    put_line(out, "gil  | ", la.v[x]);
                if (y < ib && shown++ < SHOW_DIFF_LINES)
                    put_line(out, "free | ", lb.v[y]);
            }
            i = j;
        }
        if (differ > SHOW_DIFF_LINES)
            fprintf(out, "  ... %zu more\n", differ - SHOW_DIFF_LINES);
        if ((alen && a[alen - 1] != '\n') != (blen && b[blen - 1] != '\n'))
            fprintf(out, "  (and one run's output does not end with a newline)\n");
    }
done:
    free(ops);
    free(la.v);
    free(lb.v);
}

// --- running the children -------------------------------------------------------------

typedef struct {
    const char *flag;       // "--gil" / "--free-threaded"
    const char *tag;        // "gil" / "free"
    int wstatus;
    char *out, *err;
    size_t outlen, errlen;
    uint64_t wall_ns, cpu_ns;   // measured from outside: the fallback
    CompareStats st;
} Run;

static const sigset_t *caught_signals(void) {
    static sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    return &set;
}

static void on_sigchld(int sig) {
    (void)sig;   // only so that SIGCHLD is never discarded; sigtimedwait takes it
}

// Kill [pid] (SIGTERM, then SIGKILL after a grace period) and reap it.
static void kill_child(pid_t pid) {
    kill(pid, SIGTERM);
    uint64_t deadline = now_ns() + TERM_GRACE_NS;
    int ws;
    while (waitpid(pid, &ws, WNOHANG) == 0) {
        if (now_ns() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &ws, 0);
            return;
        }
        struct timespec tick = {0, 10000000};
        nanosleep(&tick, NULL);
    }
}

// The child's side of fork: never returns.
static _Noreturn void exec_child(const char *exe, char **argv, int out_fd, int err_fd,
                                 int report_fd, pid_t parent, const sigset_t *mask) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)   // the parent died before prctl
        _exit(127);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
        goto fail;
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, mask, NULL);
    execv(exe, argv);
fail:;
    int e = errno;
    ssize_t w = write(report_fd, &e, sizeof e);
    (void)w;
    _exit(127);
}

typedef enum { RUN_DONE, RUN_CANT_START, RUN_INTERRUPTED } RunResult;

// Run one child with [argv] (argv[0] = [exe]); its statistics go to [stats_path].
static RunResult run_child(const char *prog, const char *exe, char **argv,
                           const char *stats_path, Run *r, const sigset_t *old_mask,
                           int *signo) {
    int out_fd = anon_temp(), err_fd = anon_temp(), report[2] = {-1, -1};
    RunResult res = RUN_CANT_START;
    if (out_fd < 0 || err_fd < 0) {
        fprintf(stderr, "%s: --compare: can't create a temporary file: %s\n", prog,
                strerror(errno));
        goto done;
    }
    if (pipe2(report, O_CLOEXEC) < 0) {
        fprintf(stderr, "%s: --compare: %s\n", prog, strerror(errno));
        goto done;
    }
    fflush(NULL);
    uint64_t start = now_ns();
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: --compare: can't start a child process: %s\n", prog,
                strerror(errno));
        goto done;
    }
    if (pid == 0)
        exec_child(exe, argv, out_fd, err_fd, report[1], parent, old_mask);
    close(report[1]);
    report[1] = -1;
    int child_errno = 0;
    ssize_t got;
    while ((got = read(report[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
    }
    struct rusage ru;
    int ws = 0;
    if (got == (ssize_t)sizeof child_errno) {
        while (wait4(pid, &ws, 0, &ru) < 0 && errno == EINTR) {
        }
        fprintf(stderr, "%s: --compare: can't run '%s': %s\n", prog, exe, strerror(child_errno));
        goto done;
    }
    // Wait, taking the blocked signals as they come.
    for (;;) {
        pid_t w = wait4(pid, &ws, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            fprintf(stderr, "%s: --compare: %s\n", prog, strerror(errno));
            goto done;
        }
        struct timespec tick = {0, 100000000};
        int sig = sigtimedwait(caught_signals(), NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
            kill_child(pid);
            *signo = sig;
            res = RUN_INTERRUPTED;
            goto done;
        }
    }
    r->wall_ns = now_ns() - start;
    r->cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
                ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
    r->wstatus = ws;
    r->out = read_fd(out_fd, &r->outlen);
    r->err = read_fd(err_fd, &r->errlen);
    int sfd = open(stats_path, O_RDONLY);
    if (sfd >= 0) {
        size_t n;
        char *json = read_fd(sfd, &n);
        close(sfd);
        if (json)
            compare_parse_stats(json, &r->st);
        free(json);
    }
    if (!r->out || !r->err) {
        fprintf(stderr, "%s: --compare: can't read the output of the %s run\n", prog, r->flag);
        goto done;
    }
    res = RUN_DONE;
done:
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);
    if (report[0] >= 0)
        close(report[0]);
    if (report[1] >= 0)
        close(report[1]);
    return res;
}

// --- the report ----------------------------------------------------------------------

static const char *signal_name(int sig) {
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"},
        {SIGINT, "SIGINT"},   {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},
        {SIGHUP, "SIGHUP"},   {SIGPIPE, "SIGPIPE"}, {SIGQUIT, "SIGQUIT"}, {SIGTRAP, "SIGTRAP"},
        {SIGXCPU, "SIGXCPU"}, {SIGSYS, "SIGSYS"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].name;
    return NULL;
}

static bool completed(const Run *r) {
    return WIFEXITED(r->wstatus);
}

static bool contains(const char *s, const char *needle) {
    return s && strstr(s, needle) != NULL;
}

static const char *status_text(const Run *r, char *buf, size_t size) {
    if (WIFEXITED(r->wstatus)) {
        int code = WEXITSTATUS(r->wstatus);
        const char *why = code == 3 && contains(r->err, "gilvm: deadlock") ? " (deadlock)"
                          : code == 1 && contains(r->err, "Traceback")     ? " (exception)"
                                                                           : "";
        snprintf(buf, size, "%d%s", code, why);
    } else if (WIFSIGNALED(r->wstatus)) {
        const char *name = signal_name(WTERMSIG(r->wstatus));
        if (name)
            snprintf(buf, size, "killed by %s", name);
        else
            snprintf(buf, size, "killed by signal %d", WTERMSIG(r->wstatus));
    } else {
        snprintf(buf, size, "?");
    }
    return buf;
}

static uint64_t wall_of(const Run *r) {
    return r->st.ok ? r->st.wall_ns : r->wall_ns;
}

static uint64_t cpu_of(const Run *r) {
    return r->st.ok ? r->st.cpu_ns : r->cpu_ns;
}

static double parallelism_of(const Run *r) {
    uint64_t w = wall_of(r);
    return w ? (double)cpu_of(r) / (double)w : 0.0;
}

#define LABEL_WIDTH 30
#define VALUE_WIDTH 19

static void row(FILE *out, const char *label, const char *gil, const char *free_) {
    fprintf(out, "%-*s%*s%*s\n", LABEL_WIDTH, label, VALUE_WIDTH, gil, VALUE_WIDTH, free_);
}

// [r]'s value of a figure only its mode has ("-" in the other mode and when
// the run left no statistics).
static const char *only_gil(const Run *r, uint64_t v, bool duration, char *buf) {
    if (!r->st.ok || !r->st.gil)
        return "-";
    return duration ? stats_format_duration(v, buf) : stats_format_count(v, buf);
}

static const char *only_free(const Run *r, uint64_t v, char *buf) {
    if (!r->st.ok || r->st.gil)
        return "-";
    return stats_format_count(v, buf);
}

static void print_stderr(FILE *out, const Run *g, const Run *f) {
    if (!g->errlen && !f->errlen)
        return;
    bool same = g->errlen == f->errlen && memcmp(g->err, f->err, g->errlen) == 0;
    for (int k = 0; k < (same ? 1 : 2); k++) {
        const Run *r = k ? f : g;
        if (!r->errlen)
            continue;
        Lines l;
        if (!split_lines(r->err, r->errlen, &l))
            continue;
        if (same)
            fprintf(out, "stderr (the same in both modes):\n");
        else
            fprintf(out, "stderr of the %s run:\n", r->flag);
        for (size_t i = 0; i < l.n && i < SHOW_STDERR_LINES; i++)
            put_line(out, same ? "" : k ? "free ! " : "gil  ! ", l.v[i]);
        if (l.n > SHOW_STDERR_LINES)
            fprintf(out, "  ... %zu more lines\n", l.n - SHOW_STDERR_LINES);
        free(l.v);
    }
}

// [text] after the "verdict: " prefix, wrapped at 80 with continuation lines indented
// to the verdict's text.
#define VERDICT_INDENT 9
static void put_wrapped(FILE *out, const char *text) {
    int col = VERDICT_INDENT;
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (col > VERDICT_INDENT && col + 1 + (int)w > 80) {
            fprintf(out, "\n%*s", VERDICT_INDENT, "");
            col = VERDICT_INDENT;
        } else if (col > VERDICT_INDENT) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)w, p);
        col += (int)w;
        p += w;
    }
    fputc('\n', out);
}

static void print_verdict(FILE *out, const Run *g, const Run *f, bool lost_lines,
                          int64_t lost_g, int64_t lost_f) {
    char a[32], v[400];
    double pg = parallelism_of(g), pf = parallelism_of(f);
    uint64_t wg = wall_of(g), wf = wall_of(f);
    double ratio = wf ? (double)wg / (double)wf : 0.0;
    if (!completed(g) || !completed(f)) {
        const Run *dead = completed(g) ? f : g;
        snprintf(v, sizeof v, "the %s run was %s: no speed comparison", dead->flag,
                 status_text(dead, a, sizeof a));
    } else if (wg < SHORT_RUN_NS && wf < SHORT_RUN_NS) {
        snprintf(v, sizeof v, "both runs took under %u ms: too short to compare speeds",
                 (unsigned)(SHORT_RUN_NS / 1000000u));
    } else if (ratio >= 1.25) {
        snprintf(v, sizeof v, "free-threaded ran %.1fx faster (parallelism %.2f vs %.2f): its "
                 "threads computed on several cores at once", ratio, pf, pg);
    } else if (ratio > 0 && ratio <= 0.8) {
        int k = snprintf(v, sizeof v, "free-threaded ran %.1fx slower (parallelism %.2f vs %.2f)",
                         1.0 / ratio, pf, pg);
        if (f->st.lock_contended >= CONTENDED_MANY)
            snprintf(v + k, sizeof v - (size_t)k, ": its threads kept waiting for each other's "
                     "object locks (%s times)", format_exact(f->st.lock_contended, a));
    } else if (pg < 0.5 && pf < 0.5) {
        snprintf(v, sizeof v, "same speed: the threads mostly wait (sleep, I/O, locks), and a "
                 "waiting thread lets go of the GIL");
    } else if (g->st.threads <= 1 && f->st.threads <= 1) {
        snprintf(v, sizeof v, "same speed: one thread, nothing to run in parallel");
    } else if (pf < 1.2) {
        snprintf(v, sizeof v, "same speed: only one thread computed at a time in either mode "
                 "(parallelism %.2f vs %.2f)", pf, pg);
    } else {
        snprintf(v, sizeof v, "about the same speed (parallelism %.2f vs %.2f)", pf, pg);
    }
    fprintf(out, "verdict: ");
    put_wrapped(out, v);
    if (!lost_lines)
        return;
    fprintf(out, "%*s", VERDICT_INDENT, "");
    put_wrapped(out, lost_g == 0 && lost_f == 0 ? "no updates were lost in either mode"
                     : lost_g == 0              ? "updates were lost in free-threaded mode only"
                     : lost_f == 0              ? "updates were lost in GIL mode only"
                                                : "updates were lost in both modes");
}

static void print_report(FILE *out, const Run *g, const Run *f) {
    char a[32], b[32];
    print_output(out, g->out, g->outlen, f->out, f->outlen);
    print_stderr(out, g, f);
    fputc('\n', out);
    row(out, "", "--gil", "--free-threaded");
    row(out, "exit status", status_text(g, a, sizeof a), status_text(f, b, sizeof b));
    row(out, "wall time", stats_format_duration(wall_of(g), a),
        stats_format_duration(wall_of(f), b));
    row(out, "CPU time", stats_format_duration(cpu_of(g), a),
        stats_format_duration(cpu_of(f), b));
    snprintf(a, sizeof a, "%.2f", parallelism_of(g));
    snprintf(b, sizeof b, "%.2f", parallelism_of(f));
    row(out, "parallelism (CPU / wall)", a, b);
    row(out, "threads", g->st.ok ? stats_format_count(g->st.threads, a) : "-",
        f->st.ok ? stats_format_count(f->st.threads, b) : "-");
    row(out, "GIL wait (all threads)", only_gil(g, g->st.gil_wait_ns, true, a),
        only_gil(f, f->st.gil_wait_ns, true, b));
    row(out, "GIL hand-overs", only_gil(g, g->st.handovers, false, a),
        only_gil(f, f->st.handovers, false, b));
    row(out, "object-lock contention", only_free(g, g->st.lock_contended, a),
        only_free(f, f->st.lock_contended, b));
    row(out, "cross-thread refcount ops", only_free(g, g->st.rc_cross_thread, a),
        only_free(f, f->st.rc_cross_thread, b));
    int64_t lost_g = 0, lost_f = 0;
    int lines_g = compare_lost_updates(g->out, g->outlen, &lost_g);
    int lines_f = compare_lost_updates(f->out, f->outlen, &lost_f);
    if (lines_g || lines_f) {
        snprintf(a, sizeof a, "%s", lines_g ? format_exact((uint64_t)lost_g, b) : "-");
        row(out, "lost updates", a, lines_f ? format_exact((uint64_t)lost_f, b) : "-");
    }
    if (!g->st.ok || !f->st.ok)
        fprintf(out, "(-: no statistics from that run; times measured from outside)\n");
    if (lines_g || lines_f)
        fprintf(out, "(lost updates: |expected - actual| summed over the output lines that "
                     "print both)\n");
    fputc('\n', out);
    print_verdict(out, g, f, lines_g && lines_f, lost_g, lost_f);
}

// --- the driver ----------------------------------------------------------------------

// The binary to run: $GILVM_COMPARE_EXE (for tests), /proc/self/exe, argv[0].
static const char *find_exe(const char *argv0, char *buf, size_t size) {
    const char *env = getenv("GILVM_COMPARE_EXE");
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n > 0) {
        buf[n] = 0;
        return buf;
    }
    return argv0;
}

int compare_run(const CompareConfig *c) {
    char exe_buf[4096];
    const char *exe = find_exe(c->argv0, exe_buf, sizeof exe_buf);
    const char *name = c->script ? c->script : "-c CODE";

    sigset_t old_mask;
    struct sigaction sa = {.sa_handler = on_sigchld}, old_chld;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, &old_chld);
    sigprocmask(SIG_BLOCK, caught_signals(), &old_mask);

    Run runs[2] = {{.flag = "--gil", .tag = "gil"}, {.flag = "--free-threaded", .tag = "free"}};
    int status = 0, signo = 0;
    size_t max_args = 8 + (size_t)c->ngil_args + (size_t)c->ncommon_args +
                      (size_t)c->nscript_args;
    char **argv = malloc(max_args * sizeof(char *));
    if (!argv) {
        fprintf(stderr, "%s: out of memory\n", c->prog);
        status = 1;
        goto out;
    }
    for (int k = 0; k < 2 && status == 0; k++) {
        Run *r = &runs[k];
        char stats_path[4096], stats_flag[4200];
        temp_template(stats_path, sizeof stats_path);
        int sfd = mkstemp(stats_path);
        if (sfd < 0) {
            fprintf(stderr, "%s: --compare: can't create a temporary file in %s: %s\n", c->prog,
                    stats_path, strerror(errno));
            status = 1;
            break;
        }
        close(sfd);
        snprintf(stats_flag, sizeof stats_flag, "--stats=json:%s", stats_path);
        size_t n = 0;
        argv[n++] = (char *)exe;
        argv[n++] = (char *)r->flag;
        for (int i = 0; k == 0 && i < c->ngil_args; i++)
            argv[n++] = c->gil_args[i];
        for (int i = 0; i < c->ncommon_args; i++)
            argv[n++] = c->common_args[i];
        argv[n++] = stats_flag;
        if (c->command) {
            argv[n++] = "-c";
            argv[n++] = (char *)c->command;
        } else {
            argv[n++] = (char *)c->script;
        }
        for (int i = 0; i < c->nscript_args; i++)
            argv[n++] = c->script_args[i];
        argv[n] = NULL;
        if (isatty(2))
            fprintf(stderr, "gilvm --compare: running %s with %s...\n", name, r->flag);
        RunResult res = run_child(c->prog, exe, argv, stats_path, r, &old_mask, &signo);
        unlink(stats_path);
        if (res == RUN_CANT_START)
            status = 1;
        else if (res == RUN_INTERRUPTED)
            status = 128 + signo;
    }
    if (status == 0) {
        printf("gilvm --compare %s\nran with --gil", name);
        for (int i = 0; i < c->ngil_args; i++)
            printf(" %s", c->gil_args[i]);
        for (int i = 0; i < c->ncommon_args; i++)
            printf(" %s", c->common_args[i]);
        printf(", then with --free-threaded");
        for (int i = 0; i < c->ncommon_args; i++)
            printf(" %s", c->common_args[i]);
        printf("\n\n");
        print_report(stdout, &runs[0], &runs[1]);
        if (fflush(stdout) != 0) {
            fprintf(stderr, "%s: error writing to standard output: %s\n", c->prog,
                    strerror(errno));
            status = 1;
        }
    } else if (signo) {
        fprintf(stderr, "%s: --compare interrupted (%s): the running child was stopped\n",
                c->prog, signal_name(signo));
    }
out:
    free(argv);
    for (int k = 0; k < 2; k++) {
        free(runs[k].out);
        free(runs[k].err);
    }
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    return status;
}
