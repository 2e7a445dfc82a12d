// SBuf: a growable byte buffer, header-only.
//
// Design: [data] is NULL until the first write, afterwards it is a malloc'd
// block of [cap] bytes holding [len] bytes plus a NUL terminator (so
// cap >= len + 1 whenever data != NULL). Every function returns 0 on success
// and -1 when memory cannot be obtained; on failure the buffer keeps its old
// contents and stays valid, so the caller can free it on its error path.
// Ownership: the SBuf owns [data]; sbuf_take() hands it to the caller and
// leaves the SBuf empty (re-initialised), sbuf_free() releases it.
// No locking: an SBuf belongs to one thread at a time.
#ifndef GILVM_SBUF_H
#define GILVM_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *data;
    size_t len, cap;
} SBuf;

static inline void sbuf_init(SBuf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

static inline void sbuf_free(SBuf *b) {
    free(b->data);
    sbuf_init(b);
}

// Makes room for [extra] more bytes (plus the NUL terminator).
static inline int sbuf_reserve(SBuf *b, size_t extra) {
    // No object may exceed PTRDIFF_MAX bytes.
    if (extra > (size_t)PTRDIFF_MAX - 1 - b->len) return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap < 16 ? 16 : b->cap;
    while (cap < need) {
        if (cap > (size_t)PTRDIFF_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = (char *)realloc(b->data, cap);
    if (p == NULL) return -1;
    if (b->data == NULL) p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return 0;
}

static inline int sbuf_putn(SBuf *b, const char *s, size_t n) {
    if (sbuf_reserve(b, n) < 0) return -1;
    if (n > 0) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static inline int sbuf_putc(SBuf *b, char c) {
    if (sbuf_reserve(b, 1) < 0) return -1;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
}

static inline int sbuf_puts(SBuf *b, const char *s) {
    return sbuf_putn(b, s, strlen(s));
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static inline int sbuf_printf(SBuf *b, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sbuf_reserve(b, (size_t)n) < 0) {
        va_end(ap2);
        return -1;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return 0;
}

// Returns the NUL-terminated contents (caller frees) and empties [b];
// [len] (may be NULL) receives the length. Returns NULL only when an empty
// buffer's 1-byte allocation fails.
static inline char *sbuf_take(SBuf *b, size_t *len) {
    if (b->data == NULL && sbuf_reserve(b, 0) < 0) return NULL;
    char *p = b->data;
    if (len != NULL) *len = b->len;
    sbuf_init(b);
    return p;
}

#endif
