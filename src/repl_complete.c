// Tab completion, the pure half (see repl_complete.h). The context is read
// backwards from the cursor: the identifier being typed, then, if a dot
// precedes it, the chain of identifiers and dots before that. Anything else
// before the chain (a call's `)`, a subscript's `]`, a string) means the
// object could only be found by running code, so nothing is completed.
#include "repl_complete.h"

#include <stdlib.h>
#include <string.h>

const char *const repl_complete_keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
    "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
    "try", "while", "with", "yield", NULL,
};

static bool ident_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
}

static bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

static bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

bool repl_complete_is_dotted_name(const char *s, size_t len) {
    size_t i = 0;
    for (;;) {
        size_t start = i;
        while (i < len && ident_char((unsigned char)s[i]))
            i++;
        if (i == start || is_digit((unsigned char)s[start]))
            return false;
        if (i == len)
            return true;
        if (s[i] != '.')
            return false;
        i++;
    }
}

// Whether line[from, point) ends inside a string literal or a comment.
static bool in_string_or_comment(const char *line, size_t from, size_t point) {
    char quote = 0;
    bool triple = false;
    for (size_t i = from; i < point; i++) {
        char c = line[i];
        if (quote) {
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                if (!triple) {
                    quote = 0;
                } else if (i + 2 < point && line[i + 1] == quote && line[i + 2] == quote) {
                    quote = 0;
                    i += 2;
                }
            }
        } else if (c == '#') {
            return true;
        } else if (c == '\'' || c == '"') {
            quote = c;
            triple = i + 2 < point && line[i + 1] == c && line[i + 2] == c;
            if (triple)
                i += 2;
        }
    }
    return quote != 0;
}

// A Python name or attribute ending at [point], not reaching before [from].
static ReplCompletion python_context(const char *line, size_t from, size_t point) {
    ReplCompletion r = {.kind = RC_NOTHING};
    if (in_string_or_comment(line, from, point))
        return r;
    size_t p = point;
    while (p > from && ident_char((unsigned char)line[p - 1]))
        p--;
    if (p < point && is_digit((unsigned char)line[p]))
        return r;   // a number
    r.prefix_start = p;
    r.prefix_len = point - p;
    if (p == from || line[p - 1] != '.') {
        if (p == point && p > from && strchr(")]}'\"", line[p - 1]))
            return r;   // right after a call, subscript or string: no name starts here
        r.kind = RC_NAME;
        return r;
    }
    // The chain before the last dot: identifiers separated by single dots.
    size_t end = p - 1, s = end;
    for (;;) {
        size_t q = s;
        while (q > from && ident_char((unsigned char)line[q - 1]))
            q--;
        if (q == s || is_digit((unsigned char)line[q]))
            return r;   // `x..y`, `.y`, `1.5`: not a dotted name
        s = q;
        if (s > from && line[s - 1] == '.') {
            s--;
            continue;
        }
        break;
    }
    if (s > from && strchr(")]}'\"", line[s - 1]))
        return r;   // the object would be the result of running code
    r.kind = RC_ATTR;
    r.expr_start = s;
    r.expr_len = end - s;
    return r;
}

ReplCompletion repl_complete_context(const char *line, size_t point, bool at_primary) {
    ReplCompletion r = {.kind = RC_NOTHING};
    if (at_primary && point > 0 && line[0] == ':') {
        size_t w = 1;
        while (w < point && !is_blank(line[w]))
            w++;
        if (w == point) {
            r.kind = RC_COMMAND;
            r.prefix_start = 1;
            r.prefix_len = point - 1;
            return r;
        }
        size_t arg = w;
        while (arg < point && is_blank(line[arg]))
            arg++;
        if (w - 1 == 3 && memcmp(line + 1, "dis", 3) == 0) {
            r = python_context(line, arg, point);
            return r.kind == RC_NAME || r.kind == RC_ATTR ? r : (ReplCompletion){.kind = RC_NOTHING};
        }
        size_t p = point;
        while (p > arg && !is_blank(line[p - 1]))
            p--;
        r.kind = RC_COMMAND_ARG;
        r.cmd_start = 1;
        r.cmd_len = w - 1;
        r.prefix_start = p;
        r.prefix_len = point - p;
        return r;
    }
    size_t i = 0;
    while (i < point && is_blank(line[i]))
        i++;
    if (i == point) {
        r.kind = RC_INDENT;
        r.prefix_start = point;
        return r;
    }
    return python_context(line, 0, point);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

// Keep the names with [prefix] that [hide] does not hide ("" hides nothing).
static size_t filter(const char **names, size_t n, const char *prefix, size_t plen,
                     const char *hide) {
    size_t hlen = strlen(hide), k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = names[i];
        if (strncmp(s, prefix, plen) != 0)
            continue;
        if (hlen && strncmp(s, hide, hlen) == 0)
            continue;
        const char *t = names[k];
        names[k++] = s;
        names[i] = t;
    }
    return k;
}

size_t repl_complete_select(const char **names, size_t n, const char *prefix, size_t plen,
                            bool attribute) {
    // rlcompleter's rule: with no prefix hide `_x`, with "_" hide `__x`; if
    // that leaves nothing, show them after all.
    const char *hide = "";
    if (attribute && plen == 0)
        hide = "_";
    else if (attribute && plen == 1 && prefix[0] == '_')
        hide = "__";
    size_t k = filter(names, n, prefix, plen, hide);
    if (k == 0 && *hide && hide[1] == 0)
        k = filter(names, n, prefix, plen, "__");
    if (k == 0 && *hide)
        k = filter(names, n, prefix, plen, "");
    if (k > 1)
        qsort(names, k, sizeof *names, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || strcmp(names[u - 1], names[i]) != 0)
            names[u++] = names[i];
    return u;
}
