// fuzz_parser.c -- robustness driver for the front end (not a cmocka suite).
//
//   fuzz_parser random N [SEED]   N random/mutated inputs through every entry
//                                 point; any crash, leak or sanitizer report
//                                 is a bug (build with -fsanitize=...)
//   fuzz_parser dump FILE...      print ast.dump-style tree and node positions
//                                 (or the error) per file, for differential
//                                 tests against python3's ast module
//   fuzz_parser mode MODE FILE    same, with MODE exec|single|eval
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "parser.h"

static uint64_t rng_state;

static uint32_t rnd(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}

static const char *const FRAGMENTS[] = {
    "def ", "class ", "if ", "elif ", "else", "while ", "for ", " in ", "try", "except",
    "finally", "with ", " as ", "lambda", "yield", "await ", "async ", "return", "import ",
    "from ", "global ", "nonlocal ", "del ", "assert ", "raise ", "pass", "break", "continue",
    "not ", " and ", " or ", " is ", "None", "True", "False", "x", "y", "f", "print",
    "(", ")", "[", "]", "{", "}", ":", ",", ";", ".", "...", "=", "==", ":=", "->", "+", "-",
    "*", "**", "/", "//", "%", "@", "<<", ">>", "&", "|", "^", "~", "<", ">", "!=", "+=",
    "**=", "//=", "\n", "\n    ", "\n\t", "\\\n", "#c\n", " ", "0", "1_000", "0x1f", "012",
    "1.5e-3", ".5", "5.", "1j", "'s'", "\"d\"", "'''t\n'''", "b'x'", "rb'\\q'", "f'{x}'",
    "f'{x!r:>{w}}'", "f'{x=}'", "f'{'", "f'}'", "'\\x4'", "'\\N{A}'", "\"unterminated",
    "\xc3\xa9", "\xe2\x82\xac", "\xff", "\x00", "$", "?", "!", "`",
};

static void run_one(const char *src, size_t len) {
    Arena a;
    ParseError err;
    arena_init(&a);
    parse_module(&a, src, len, &err);
    arena_free(&a);
    arena_init(&a);
    parse_interactive(&a, src, len, &err);
    arena_free(&a);
    arena_init(&a);
    parse_expression(&a, src, len, &err);
    arena_free(&a);
    (void)parse_needs_more(src, len);
}

static int cmd_random(long n, uint64_t seed) {
    rng_state = seed;
    char *buf = malloc(4096);
    if (!buf) return 1;
    size_t nfrag = sizeof FRAGMENTS / sizeof FRAGMENTS[0];
    for (long i = 0; i < n; i++) {
        size_t len = 0;
        int pieces = (int)(rnd() % 40);
        int mode = (int)(rnd() % 3);
        for (int k = 0; k < pieces && len < 3900; k++) {
            if (mode == 0) {  // raw bytes
                buf[len++] = (char)(rnd() & 0xFF);
            } else {  // token soup
                const char *f = FRAGMENTS[rnd() % nfrag];
                size_t fl = strlen(f);
                if (f[0] == '\0') fl = 1;  // the NUL fragment
                memcpy(buf + len, f, fl);
                len += fl;
            }
        }
        run_one(buf, len);
    }
    free(buf);
    printf("%ld inputs ok\n", n);
    return 0;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    size_t r;
    while (s && (r = fread(s + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *ns = realloc(s, cap *= 2);
            if (!ns) {
                free(s);
                s = NULL;
            }
            s = ns;
        }
    }
    fclose(f);
    *len = n;
    return s;
}

static int cmd_dump(const char *mode, const char *path) {
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        perror(path);
        return 1;
    }
    Arena a;
    arena_init(&a);
    ParseError err;
    Node *n = strcmp(mode, "single") == 0 ? parse_interactive(&a, src, len, &err)
              : strcmp(mode, "eval") == 0 ? parse_expression(&a, src, len, &err)
                                          : parse_module(&a, src, len, &err);
    if (n) {
        ast_dump(n, stdout);
        putchar('\n');
        ast_dump_positions(n, stdout);
    } else {
        printf("%s %s %d %d %d %d\n", err.kind, err.msg, err.line, err.col, err.end_line, err.end_col);
    }
    arena_free(&a);
    free(src);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "random") == 0)
        return cmd_random(atol(argv[2]), argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
    if (argc >= 3 && strcmp(argv[1], "dump") == 0) {
        for (int i = 2; i < argc; i++) cmd_dump("exec", argv[i]);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "mode") == 0) return cmd_dump(argv[2], argv[3]);
    fprintf(stderr, "usage: %s random N [SEED] | dump FILE... | mode exec|single|eval FILE\n", argv[0]);
    return 2;
}
