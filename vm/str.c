// str: immutable UTF-8 text, the intern table, the str iterators, and every
// str method (formatting included: str % args, str.format, format(s, spec)).
//
// Invariants: [data] holds [len] bytes of valid UTF-8 followed by a NUL;
// [nchars] counts its code points and [ascii] is (len == nchars). A Str never
// changes after it is returned by a constructor, so any thread may read it
// without a lock. [hash] is -1 until first computed; every thread computes
// the same value, so the cache is a relaxed atomic store with no lock.
// Indexes, slices, widths and find() results count code points; ASCII
// strings index in O(1), others walk the bytes (or build a View: an array of
// code points and byte offsets, used by the algorithms that need random
// access to a non-ASCII string).
//
// Interning: one process-wide open-addressing table of Str* guarded by
// [intern_lock]; interned strings are immortal (obj_make_immortal) and flagged
// [interned], so identity compares suffice between them. The empty string and
// the 128 one-character ASCII strings are interned and shared by every
// constructor that produces them.
//
// Unicode data is limited: character classes (isalpha, isspace, isdigit...)
// and case mappings are exact for ASCII and Latin-1 and cover the common
// Latin Extended-A, Greek and Cyrillic letters; other scripts are treated
// approximately (see the cp_* helpers). repr() keeps printable non-ASCII
// characters, with an approximate table of non-printable ranges.
#include "str.h"

#include <pthread.h>
#include <stdarg.h>

#include "abstract.h"
#include "code.h"   // exc.h uses Code without including code.h
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "fmt.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "sbuf.h"
#include "seq.h"
#include "state.h"
#include "tuple.h"

// Largest string we agree to build: beyond it MemoryError, as CPython does
// for 'x' * 2**62.
#define STR_MAX_LEN ((size_t)1 << 48)

// ---------------------------------------------------------------------------
// UTF-8

bool utf8_valid(const char *s, size_t len, size_t *nchars) {
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t n = 0;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (end - p < 2 || (p[1] & 0xC0) != 0x80)
                return false;
            p += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
                return false;
            if (c == 0xE0 && p[1] < 0xA0)
                return false;   // overlong
            if (c == 0xED && p[1] >= 0xA0)
                return false;   // surrogate
            p += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
                (p[3] & 0xC0) != 0x80)
                return false;
            if (c == 0xF0 && p[1] < 0x90)
                return false;
            if (c == 0xF4 && p[1] >= 0x90)
                return false;
            p += 4;
        } else {
            return false;
        }
        n++;
    }
    if (nchars)
        *nchars = n;
    return true;
}

uint32_t utf8_decode(const unsigned char **pp) {
    const unsigned char *p = *pp;
    uint32_t c = *p;
    if (c < 0x80) {
        *pp = p + 1;
        return c;
    }
    if (c < 0xE0) {
        *pp = p + 2;
        return ((c & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (c < 0xF0) {
        *pp = p + 3;
        return ((c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *pp = p + 4;
    return ((c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) |
           (p[3] & 0x3F);
}

size_t utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static inline bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

// Code points in [s, s+n) of valid UTF-8.
static size_t count_cps(const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !is_cont((unsigned char)s[i]);
    return k;
}

// Byte offset of code point [idx] (0 <= idx <= nchars).
static size_t cp_to_byte(const Str *s, size_t idx) {
    if (s->ascii)
        return idx;
    if (idx >= s->nchars)
        return s->len;
    const unsigned char *d = (const unsigned char *)s->data;
    if (idx <= s->nchars / 2) {
        size_t off = 0;
        while (idx > 0) {
            off++;
            while (is_cont(d[off]))
                off++;
            idx--;
        }
        return off;
    }
    size_t off = s->len, back = s->nchars - idx;
    while (back > 0) {
        off--;
        while (is_cont(d[off]))
            off--;
        back--;
    }
    return off;
}

static size_t byte_to_cp(const Str *s, size_t off) {
    return s->ascii ? off : count_cps(s->data, off);
}

// Random access to a string's code points. For ASCII strings no memory is
// used; for others [cp] and [off] arrays are built (off has n+1 entries).
typedef struct {
    const Str *s;
    size_t n;
    uint32_t *cp;
    size_t *off;
} View;

static int view_init(View *v, Value str) {
    Str *s = as_str(str);
    v->s = s;
    v->n = s->nchars;
    v->cp = NULL;
    v->off = NULL;
    if (s->ascii)
        return 0;
    v->cp = malloc(s->nchars * sizeof(uint32_t) + 1);
    v->off = malloc((s->nchars + 1) * sizeof(size_t));
    if (!v->cp || !v->off) {
        free(v->cp);
        free(v->off);
        exc_nomemory();
        return -1;
    }
    const unsigned char *p = (const unsigned char *)s->data;
    for (size_t i = 0; i < s->nchars; i++) {
        v->off[i] = (size_t)(p - (const unsigned char *)s->data);
        v->cp[i] = utf8_decode(&p);
    }
    v->off[s->nchars] = s->len;
    return 0;
}

static void view_free(View *v) {
    free(v->cp);
    free(v->off);
}

static inline uint32_t V_CP(const View *v, size_t i) {
    return v->cp ? v->cp[i] : (unsigned char)v->s->data[i];
}
static inline size_t V_OFF(const View *v, size_t i) { return v->off ? v->off[i] : i; }

// ---------------------------------------------------------------------------
// Construction

static Value char_cache_get(unsigned char c);

static Str *str_alloc(size_t len) {
    if (len > STR_MAX_LEN) {
        exc_nomemory();
        return NULL;
    }
    Str *s = obj_alloc(&str_type, offsetof(Str, data) + len + 1);
    if (!s)
        return NULL;
    atomic_store_explicit(&s->hash, -1, RELAXED);
    s->len = len;
    return s;
}

// A str of [len] bytes of valid UTF-8 with [nchars] code points.
static Value make_str(const char *p, size_t len, size_t nchars) {
    if (len == 0)
        return str_intern("", 0);
    if (len == 1)
        return char_cache_get((unsigned char)p[0]);
    Str *s = str_alloc(len);
    if (!s)
        return VAL_NULL;
    memcpy(s->data, p, len);
    s->data[len] = 0;
    s->nchars = nchars;
    s->ascii = nchars == len;
    return obj_val(s);
}

Value str_new(const char *s, size_t len) {
    size_t n;
    if (!utf8_valid(s, len, &n))
        return exc_raise(&exc_UnicodeError, "invalid UTF-8 data");
    return make_str(s, len, n);
}

Value str_from_cstr(const char *s) { return str_new(s, strlen(s)); }

Value str_take(char *buf, size_t len) {
    Value r = str_new(buf, len);
    free(buf);
    return r;
}

Value str_printf(const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return exc_raise(&exc_SystemError, "bad format for str_printf");
    }
    if ((size_t)n < sizeof small) {
        va_end(ap2);
        return str_new(small, (size_t)n);
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        va_end(ap2);
        return exc_nomemory();
    }
    vsnprintf(big, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return str_take(big, (size_t)n);
}

// The str holding an SBuf's contents (valid UTF-8); frees the buffer.
static Value sbuf_to_str(SBuf *b) {
    Value r = b->data ? str_new(b->data, b->len) : str_intern("", 0);
    sbuf_free(b);
    return r;
}

// Append helpers that remember an allocation failure in [*oom].
static inline void put(SBuf *b, const char *s, size_t n, bool *oom) {
    if (sbuf_putn(b, s, n) < 0)
        *oom = true;
}
static inline void put_cp(SBuf *b, uint32_t cp, bool *oom) {
    char tmp[4];
    put(b, tmp, utf8_encode(cp, tmp), oom);
}
static Value finish(SBuf *b, bool oom) {
    if (oom) {
        sbuf_free(b);
        return exc_nomemory();
    }
    return sbuf_to_str(b);
}

// ---------------------------------------------------------------------------
// Hashing and interning

// FNV-1a over the bytes, then a 64-bit finaliser (murmur3 fmix64) so that
// the low bits that index hash tables depend on every byte.
static int64_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    int64_t r = (int64_t)h;
    return r == -1 ? -2 : r;
}

int64_t str_hash(Value v) {
    Str *s = as_str(v);
    int64_t h = atomic_load_explicit(&s->hash, RELAXED);
    if (h == -1) {
        h = hash_bytes(s->data, s->len);
        atomic_store_explicit(&s->hash, h, RELAXED);
    }
    return h;
}

static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
static Str **intern_tab;        // open addressing, NULL = empty
static size_t intern_cap, intern_count;

static Str **intern_slot(Str **tab, size_t cap, const char *s, size_t len, int64_t h) {
    size_t mask = cap - 1, i = (size_t)h & mask;
    for (;;) {
        Str *e = tab[i];
        if (!e || (e->len == len && atomic_load_explicit(&e->hash, RELAXED) == h &&
                   memcmp(e->data, s, len) == 0))
            return &tab[i];
        i = (i + 1) & mask;
    }
}

// Grow the table when it is 2/3 full. Called with the lock held.
static int intern_grow(void) {
    if (intern_cap && (intern_count + 1) * 3 < intern_cap * 2)
        return 0;
    size_t cap = intern_cap ? intern_cap * 2 : 1024;
    Str **tab = calloc(cap, sizeof(Str *));
    if (!tab)
        return -1;
    for (size_t i = 0; i < intern_cap; i++) {
        Str *e = intern_tab[i];
        if (e)
            *intern_slot(tab, cap, e->data, e->len, atomic_load_explicit(&e->hash, RELAXED)) = e;
    }
    free(intern_tab);
    intern_tab = tab;
    intern_cap = cap;
    return 0;
}

// Look up or insert. [take] (an exact, unshared-or-not str) is made the
// interned copy when given; otherwise a new Str is created from [s, len].
static Value intern_common(const char *s, size_t len, Value take) {
    int64_t h = hash_bytes(s, len);
    pthread_mutex_lock(&intern_lock);
    if (intern_grow() < 0) {
        pthread_mutex_unlock(&intern_lock);
        return exc_nomemory();
    }
    Str **slot = intern_slot(intern_tab, intern_cap, s, len, h);
    if (*slot) {
        Value r = obj_val(*slot);
        pthread_mutex_unlock(&intern_lock);
        return r;
    }
    Str *n;
    if (take) {
        n = as_str(take);
    } else {
        size_t nchars;
        if (!utf8_valid(s, len, &nchars)) {
            pthread_mutex_unlock(&intern_lock);
            return exc_raise(&exc_UnicodeError, "invalid UTF-8 data");
        }
        n = str_alloc(len);
        if (!n) {
            pthread_mutex_unlock(&intern_lock);
            return VAL_NULL;
        }
        memcpy(n->data, s, len);
        n->data[len] = 0;
        n->nchars = nchars;
        n->ascii = nchars == len;
    }
    atomic_store_explicit(&n->hash, h, RELAXED);
    n->interned = true;
    obj_make_immortal(&n->ob);
    *slot = n;
    intern_count++;
    pthread_mutex_unlock(&intern_lock);
    return obj_val(n);
}

Value str_intern(const char *s, size_t len) { return intern_common(s, len, VAL_NULL); }

Value str_intern_cstr(const char *s) { return str_intern(s, strlen(s)); }

Value str_intern_value(Value s) {
    Str *p = as_str(s);
    if (p->interned)
        return s;
    Value r;
    if (val_obj(s)->type == &str_type && obj_refcount(&p->ob) == 1) {
        r = intern_common(p->data, p->len, s);
        if (r == s)
            return r;   // our reference became the immortal one
    } else {
        r = intern_common(p->data, p->len, VAL_NULL);
    }
    decref(s);
    return r;
}

static _Atomic Value char_cache[128];

static Value char_cache_get(unsigned char c) {
    if (c >= 128) {
        // A lone byte >= 0x80 is not valid UTF-8: callers never pass one.
        return exc_raise(&exc_UnicodeError, "invalid UTF-8 data");
    }
    Value v = atomic_load_explicit(&char_cache[c], memory_order_acquire);
    if (!v) {
        char b = (char)c;
        v = str_intern(&b, 1);
        if (!v)
            return VAL_NULL;
        atomic_store_explicit(&char_cache[c], v, memory_order_release);
    }
    return v;
}

// The one-code-point string [cp].
static Value str_from_cp(uint32_t cp) {
    if (cp < 128)
        return char_cache_get((unsigned char)cp);
    char tmp[4];
    size_t n = utf8_encode(cp, tmp);
    return make_str(tmp, n, 1);
}

// ---------------------------------------------------------------------------
// Comparison

bool str_eq(Value a, Value b) {
    if (a == b)
        return true;
    Str *x = as_str(a), *y = as_str(b);
    if (x->len != y->len)
        return false;
    if (x->interned && y->interned)
        return false;
    int64_t hx = atomic_load_explicit(&x->hash, RELAXED), hy = atomic_load_explicit(&y->hash, RELAXED);
    if (hx != -1 && hy != -1 && hx != hy)
        return false;
    return memcmp(x->data, y->data, x->len) == 0;
}

int str_compare(Value a, Value b) {
    Str *x = as_str(a), *y = as_str(b);
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->data, y->data, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static Value str_richcmp(Value a, Value b, int op) {
    if (!val_is_str(a) || !val_is_str(b))
        return incref(VAL_NOTIMPL);
    bool r;
    if (op == CMP_EQ || op == CMP_NE) {
        r = str_eq(a, b) == (op == CMP_EQ);
    } else {
        int c = str_compare(a, b);
        r = op == CMP_LT ? c < 0 : op == CMP_LE ? c <= 0 : op == CMP_GT ? c > 0 : c >= 0;
    }
    return incref(bool_val(r));
}

static int str_hash_slot(Value self, int64_t *out) {
    *out = str_hash(self);
    return 0;
}

// ---------------------------------------------------------------------------
// Character classes and case mapping (see the top comment for coverage)

static bool cp_isspace(uint32_t c) {
    if (c < 128)
        return (c >= 9 && c <= 13) || (c >= 28 && c <= 32);
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static bool cp_islinebreak(uint32_t c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E ||
           c == 0x85 || c == 0x2028 || c == 0x2029;
}

// Decimal digit value, or -1 (Nd: ASCII, Arabic-Indic, Devanagari, fullwidth...).
static int cp_decimal(uint32_t c) {
    static const uint32_t zeros[] = {0x30,   0x660,  0x6F0,  0x7C0,  0x966,  0x9E6,  0xA66,
                                     0xAE6,  0xB66,  0xBE6,  0xC66,  0xCE6,  0xD66,  0xE50,
                                     0xED0,  0xF20,  0x1040, 0x17E0, 0x1810, 0xFF10, 0x1D7CE};
    for (size_t i = 0; i < ARRAY_LEN(zeros); i++)
        if (c >= zeros[i] && c <= zeros[i] + 9)
            return (int)(c - zeros[i]);
    return -1;
}

static bool cp_isdecimal(uint32_t c) { return cp_decimal(c) >= 0; }

static bool cp_isdigit(uint32_t c) {
    return cp_isdecimal(c) || c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0x2070 && c <= 0x2079 && c != 0x2071 && c != 0x2072 && c != 0x2073) ||
           (c >= 0x2080 && c <= 0x2089) || (c >= 0x2460 && c <= 0x2468) || (c >= 0x2474 && c <= 0x247C) ||
           (c >= 0x2488 && c <= 0x2490) || c == 0x24EA || (c >= 0x2776 && c <= 0x277E);
}

static bool cp_isnumeric(uint32_t c) {
    return cp_isdigit(c) || c == 0xBC || c == 0xBD || c == 0xBE || (c >= 0x2150 && c <= 0x2189) ||
           (c >= 0x2460 && c <= 0x249B) || (c >= 0x2776 && c <= 0x2793) || c == 0x3007 ||
           (c >= 0x3021 && c <= 0x3029) || c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB ||
           c == 0x4E94 || c == 0x516D || c == 0x4E03 || c == 0x516B || c == 0x4E5D || c == 0x5341;
}

// Simple lower/upper mappings (one code point). 0 when unchanged.
static uint32_t map_lower(uint32_t c) {
    if (c < 128)
        return c >= 'A' && c <= 'Z' ? c + 32 : 0;
    if (c < 0x100)
        return (c >= 0xC0 && c <= 0xDE && c != 0xD7) ? c + 32 : 0;
    if (c >= 0x100 && c <= 0x137)
        return (c & 1) == 0 ? (c == 0x130 ? 'i' : c + 1) : 0;
    if (c >= 0x139 && c <= 0x148)
        return (c & 1) ? c + 1 : 0;
    if (c >= 0x14A && c <= 0x177)
        return (c & 1) == 0 ? c + 1 : 0;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x179 && c <= 0x17E)
        return (c & 1) ? c + 1 : 0;
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
        return (c & 1) == 0 ? c + 1 : 0;
    if (c >= 0x531 && c <= 0x556)
        return c + 48;
    if (c >= 0x1E00 && c <= 0x1E95)
        return (c & 1) == 0 ? c + 1 : 0;
    if (c >= 0x1EA0 && c <= 0x1EFF)
        return (c & 1) == 0 ? c + 1 : 0;
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c + 32;
    return 0;
}

static uint32_t map_upper(uint32_t c) {
    if (c < 128)
        return c >= 'a' && c <= 'z' ? c - 32 : 0;
    if (c < 0x100) {
        if (c == 0xB5)
            return 0x39C;
        if (c == 0xFF)
            return 0x178;
        return (c >= 0xE0 && c <= 0xFE && c != 0xF7) ? c - 32 : 0;
    }
    if (c == 0x131)
        return 'I';
    if (c >= 0x100 && c <= 0x137)
        return (c & 1) ? c - 1 : 0;
    if (c >= 0x139 && c <= 0x148)
        return (c & 1) == 0 ? c - 1 : 0;
    if (c >= 0x14A && c <= 0x177)
        return (c & 1) ? c - 1 : 0;
    if (c >= 0x179 && c <= 0x17E)
        return (c & 1) == 0 ? c - 1 : 0;
    if (c == 0x17F)
        return 'S';
    if (c == 0x3AC)
        return 0x386;
    if (c >= 0x3AD && c <= 0x3AF)
        return c - 37;
    if (c == 0x3CC)
        return 0x38C;
    if (c == 0x3CD || c == 0x3CE)
        return c - 63;
    if (c == 0x3C2)
        return 0x3A3;
    if (c >= 0x3B1 && c <= 0x3CB)
        return c - 32;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
        return (c & 1) ? c - 1 : 0;
    if (c >= 0x561 && c <= 0x586)
        return c - 48;
    if (c >= 0x1E00 && c <= 0x1E95)
        return (c & 1) ? c - 1 : 0;
    if (c >= 0x1EA0 && c <= 0x1EFF)
        return (c & 1) ? c - 1 : 0;
    if (c >= 0xFF41 && c <= 0xFF5A)
        return c - 32;
    return 0;
}

static bool cp_isupper(uint32_t c) { return map_lower(c) != 0; }

static bool cp_islower(uint32_t c) {
    return map_upper(c) != 0 || c == 0xDF || c == 0x138 || c == 0x149 || c == 0xAA || c == 0xBA ||
           (c >= 0x250 && c <= 0x2AF);
}

static bool cp_isalpha(uint32_t c) {
    if (c < 128)
        return (c | 32) >= 'a' && (c | 32) <= 'z';
    if (c < 0x100)
        return c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
    if (cp_isupper(c) || cp_islower(c))
        return true;
    return (c >= 0x100 && c <= 0x2C1) || (c >= 0x370 && c <= 0x3FF && c != 0x375 && c != 0x37E &&
                                          c != 0x384 && c != 0x385 && c != 0x387) ||
           (c >= 0x400 && c <= 0x481) || (c >= 0x48A && c <= 0x52F) || (c >= 0x5D0 && c <= 0x5EA) ||
           (c >= 0x620 && c <= 0x64A) || (c >= 0x904 && c <= 0x939) || (c >= 0xE01 && c <= 0xE30) ||
           (c >= 0x10A0 && c <= 0x10FF) || (c >= 0x1100 && c <= 0x11FF) ||
           (c >= 0x1E00 && c <= 0x1FFF) || (c >= 0x3041 && c <= 0x3096) ||
           (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ||
           (c >= 0x20000 && c <= 0x2FA1F);
}

static bool cp_isalnum(uint32_t c) { return cp_isalpha(c) || cp_isnumeric(c); }

static bool cp_iscased(uint32_t c) { return cp_isupper(c) || cp_islower(c); }

// Combining marks and other characters that continue an identifier or a
// cased word (approximate).
static bool cp_ismark(uint32_t c) { return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF); }

// repr() keeps printable characters (CPython's Py_UNICODE_ISPRINTABLE):
// everything but Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than ' '.
static bool cp_isprintable(uint32_t c) {
    if (c < 128)
        return c >= 0x20 && c < 0x7F;
    if (c <= 0xA0 || c == 0xAD)
        return false;
    if (c == 0x1680 || (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
        (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF || (c >= 0xFFF0 && c <= 0xFFFB) ||
        c == 0xFFFE || c == 0xFFFF)
        return false;
    if ((c >= 0x600 && c <= 0x605) || c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x180E ||
        c == 0x378 || c == 0x379 || (c >= 0x380 && c <= 0x383) || c == 0x38B || c == 0x38D || c == 0x3A2)
        return false;
    if ((c >= 0xD800 && c <= 0xF8FF) || (c >= 0xFDD0 && c <= 0xFDEF))
        return false;   // surrogates, private use, noncharacters
    if ((c & 0xFFFE) == 0xFFFE)
        return false;
    if ((c >= 0x2FA20 && c <= 0x2FFFF) || (c >= 0x323B0 && c <= 0xDFFFF) || c >= 0xE0000)
        return (c >= 0xE0100 && c <= 0xE01EF);   // only variation selectors there
    if (c >= 0x1D173 && c <= 0x1D17A)
        return false;
    return true;
}

// Full case mappings: [out] gets 1-3 code points, returns how many.
static int full_upper(uint32_t c, uint32_t *out) {
    if (c == 0xDF) {
        out[0] = out[1] = 'S';
        return 2;
    }
    if (c == 0x149) {
        out[0] = 0x2BC;
        out[1] = 'N';
        return 2;
    }
    uint32_t u = map_upper(c);
    out[0] = u ? u : c;
    return 1;
}

static int full_lower(uint32_t c, uint32_t *out) {
    if (c == 0x130) {
        out[0] = 'i';
        out[1] = 0x307;
        return 2;
    }
    uint32_t l = map_lower(c);
    out[0] = l ? l : c;
    return 1;
}

static int full_title(uint32_t c, uint32_t *out) {
    if (c == 0xDF) {
        out[0] = 'S';
        out[1] = 's';
        return 2;
    }
    return full_upper(c, out);
}

// ---------------------------------------------------------------------------
// Slots

static void str_dealloc(Object *o) { obj_free(o); }

static const char hexdig[] = "0123456789abcdef";

Value str_repr(Value v) {
    Str *s = as_str(v);
    bool has_sq = memchr(s->data, '\'', s->len) != NULL;
    bool has_dq = memchr(s->data, '"', s->len) != NULL;
    char quote = has_sq && !has_dq ? '"' : '\'';
    SBuf b;
    sbuf_init(&b);
    bool oom = sbuf_reserve(&b, s->len + 2) < 0;
    put(&b, &quote, 1, &oom);
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->len;
    while (p < end && !oom) {
        const unsigned char *start = p;
        uint32_t c = utf8_decode(&p);
        char esc[12];
        if (c == (uint32_t)quote || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(&b, esc, 2, &oom);
        } else if (c == '\t') {
            put(&b, "\\t", 2, &oom);
        } else if (c == '\n') {
            put(&b, "\\n", 2, &oom);
        } else if (c == '\r') {
            put(&b, "\\r", 2, &oom);
        } else if (cp_isprintable(c)) {
            put(&b, (const char *)start, (size_t)(p - start), &oom);
        } else if (c <= 0xFF) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hexdig[c >> 4];
            esc[3] = hexdig[c & 15];
            put(&b, esc, 4, &oom);
        } else if (c <= 0xFFFF) {
            esc[0] = '\\';
            esc[1] = 'u';
            for (int i = 0; i < 4; i++)
                esc[2 + i] = hexdig[(c >> (12 - 4 * i)) & 15];
            put(&b, esc, 6, &oom);
        } else {
            esc[0] = '\\';
            esc[1] = 'U';
            for (int i = 0; i < 8; i++)
                esc[2 + i] = hexdig[(c >> (28 - 4 * i)) & 15];
            put(&b, esc, 10, &oom);
        }
    }
    put(&b, &quote, 1, &oom);
    return finish(&b, oom);
}

// str(s): the exact str with the same contents.
static Value str_str_slot(Value v) {
    if (val_obj(v)->type == &str_type)
        return incref(v);
    return make_str(str_cstr(v), str_len(v), as_str(v)->nchars);
}

static int64_t str_len_slot(Value v) { return (int64_t)as_str(v)->nchars; }

Value str_getitem_index(Value v, int64_t i) {
    Str *s = as_str(v);
    int64_t n = (int64_t)s->nchars;
    if (i < 0)
        i += n;
    if (i < 0 || i >= n)
        return exc_raise(&exc_IndexError, "string index out of range");
    if (s->ascii)
        return char_cache_get((unsigned char)s->data[i]);
    const unsigned char *p = (const unsigned char *)s->data + cp_to_byte(s, (size_t)i);
    return str_from_cp(utf8_decode(&p));
}

// Code points [i, j) of [v] as a new str.
static Value substr(Value v, size_t i, size_t j) {
    Str *s = as_str(v);
    if (i == 0 && j == s->nchars && val_obj(v)->type == &str_type)
        return incref(v);
    if (j <= i)
        return str_intern("", 0);
    size_t a = cp_to_byte(s, i), b = s->ascii ? j : a + (size_t)(cp_to_byte(s, j) - a);
    return make_str(s->data + a, b - a, j - i);
}

// Bytes [a, b) of [v] (on code point boundaries) as a new str.
static Value subbytes(Value v, size_t a, size_t b) {
    Str *s = as_str(v);
    if (a == 0 && b == s->len && val_obj(v)->type == &str_type)
        return incref(v);
    return make_str(s->data + a, b - a, s->ascii ? b - a : count_cps(s->data + a, b - a));
}

static Value str_getitem(Value v, Value key) {
    if (val_is_obj(key) && val_obj(key)->type == &slice_type) {
        Str *s = as_str(v);
        int64_t start, stop, step, n;
        if (slice_indices(key, (int64_t)s->nchars, &start, &stop, &step, &n) < 0)
            return VAL_NULL;
        if (n <= 0)
            return str_intern("", 0);
        if (step == 1)
            return substr(v, (size_t)start, (size_t)stop);
        SBuf b;
        sbuf_init(&b);
        bool oom = false;
        if (s->ascii) {
            if (sbuf_reserve(&b, (size_t)n) < 0)
                oom = true;
            for (int64_t k = 0, i = start; k < n && !oom; k++, i += step)
                put(&b, s->data + i, 1, &oom);
        } else {
            View w;
            if (view_init(&w, v) < 0)
                return VAL_NULL;
            for (int64_t k = 0, i = start; k < n && !oom; k++, i += step)
                put(&b, s->data + w.off[i], w.off[i + 1] - w.off[i], &oom);
            view_free(&w);
        }
        return finish(&b, oom);
    }
    int64_t i;
    if (val_is_small(key)) {
        i = small_get(key);
    } else if (val_is_int(key) || val_type(key)->nb_index) {
        if (val_index_i64(key, &i) < 0) {
            if (exc_matches(&exc_OverflowError)) {
                exc_clear();
                exc_raise(&exc_IndexError, "cannot fit 'int' into an index-sized integer");
            }
            return VAL_NULL;
        }
    } else {
        return exc_raise(&exc_TypeError, "string indices must be integers, not '%s'", val_type_name(key));
    }
    return str_getitem_index(v, i);
}

// Byte offset of [needle] in [hay] within [from, to), or -1. [rev] searches
// from the right.
static int64_t find_bytes(const char *hay, size_t from, size_t to, const char *needle, size_t n,
                          bool rev) {
    if (to < from || to - from < n)
        return -1;
    if (n == 0)
        return rev ? (int64_t)to : (int64_t)from;
    if (!rev) {
        const char *p = memmem(hay + from, to - from, needle, n);
        return p ? p - hay : -1;
    }
    for (size_t i = to - n + 1; i-- > from;)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return (int64_t)i;
    return -1;
}

static int str_contains(Value v, Value sub) {
    if (!val_is_str(sub))
        return exc_raise_int(&exc_TypeError, "'in <string>' requires string as left operand, not %s",
                             val_type_name(sub));
    return find_bytes(str_cstr(v), 0, str_len(v), str_cstr(sub), str_len(sub), false) >= 0;
}

Value str_concat(Value a, Value b) {
    Str *x = as_str(a), *y = as_str(b);
    if (y->len == 0 && val_obj(a)->type == &str_type)
        return incref(a);
    if (x->len == 0 && val_obj(b)->type == &str_type)
        return incref(b);
    if (x->len > STR_MAX_LEN - y->len)
        return exc_nomemory();
    Str *s = str_alloc(x->len + y->len);
    if (!s)
        return VAL_NULL;
    memcpy(s->data, x->data, x->len);
    memcpy(s->data + x->len, y->data, y->len);
    s->data[s->len] = 0;
    s->nchars = x->nchars + y->nchars;
    s->ascii = x->ascii && y->ascii;
    return obj_val(s);
}

static Value str_add_slot(Value a, Value b) {
    if (!val_is_str(a) || !val_is_str(b))
        return incref(VAL_NOTIMPL);
    return str_concat(a, b);
}

static Value str_repeat(Value a, Value b) {
    Value seq = a, n = b;
    if (!val_is_str(a)) {
        seq = b;
        n = a;
    }
    if (!val_is_str(seq))
        return incref(VAL_NOTIMPL);
    if (seq == a && !val_is_int(n) && !val_type(n)->nb_index &&
        (val_type(n)->tflags & TF_HEAPTYPE) && type_lookup_cstr(val_type(n), "__rmul__"))
        return incref(VAL_NOTIMPL);
    int64_t count;
    if (tuple_repeat_count(n, &count) < 0)
        return VAL_NULL;
    Str *s = as_str(seq);
    if (count == 0 || s->len == 0)
        return str_intern("", 0);
    if (count == 1 && val_obj(seq)->type == &str_type)
        return incref(seq);
    if ((uint64_t)count > STR_MAX_LEN / s->len)
        return exc_nomemory();
    Str *r = str_alloc(s->len * (size_t)count);
    if (!r)
        return VAL_NULL;
    if (s->len == 1) {
        memset(r->data, s->data[0], r->len);
    } else {
        // Doubling copies.
        memcpy(r->data, s->data, s->len);
        size_t done = s->len;
        while (done < r->len) {
            size_t k = done <= r->len - done ? done : r->len - done;
            memcpy(r->data + done, r->data, k);
            done += k;
        }
    }
    r->data[r->len] = 0;
    r->nchars = s->nchars * (size_t)count;
    r->ascii = s->ascii;
    return obj_val(r);
}

static Value str_mod_slot(Value a, Value b) {
    if (!val_is_str(a))
        return incref(VAL_NOTIMPL);
    return str_mod(a, b);
}

static Value str_iter(Value self);

static Value str_new_slot(Type *t, Value *args, size_t nargs, Value kwnames) {
    static const char *const kw[] = {"object", "encoding", "errors", NULL};
    Value a[3] = {VAL_NULL, VAL_NULL, VAL_NULL};
    size_t nkw = kwnames ? tuple_len(kwnames) : 0;
    if (nargs + nkw > 3)
        return exc_raise(&exc_TypeError, "str() takes at most 3 arguments (%zu given)", nargs + nkw);
    if (args_parse("str", args, nargs, kwnames, kw, 0, 3, a) < 0)
        return VAL_NULL;
    if (a[1] || a[2]) {
        if (a[0] && val_is_str(a[0]))
            return exc_raise(&exc_TypeError, "decoding str is not supported");
        return exc_raise(&exc_NotImplementedError, "bytes are not supported: str() cannot decode");
    }
    Value s = a[0] ? val_str(a[0]) : str_intern("", 0);
    if (!s || t == &str_type)
        return s;
    // A subclass instance: the base layout (data[] inline) in a bigger block.
    Str *src = as_str(s);
    size_t size = offsetof(Str, data) + src->len + 1;
    if (t->basic_size > size)
        size = t->basic_size;
    Str *r = obj_alloc(t, size);
    if (r) {
        atomic_store_explicit(&r->hash, -1, RELAXED);
        r->len = src->len;
        r->nchars = src->nchars;
        r->ascii = src->ascii;
        memcpy(r->data, src->data, src->len + 1);
    }
    decref(s);
    return r ? obj_val(r) : VAL_NULL;
}

// ---------------------------------------------------------------------------
// Argument helpers (CPython's wording)

static bool has_kw(Value kwnames) { return kwnames && tuple_len(kwnames) > 0; }

static int no_args(const char *name, size_t nargs, Value kwnames) {
    if (has_kw(kwnames))
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    if (nargs)
        return exc_raise_int(&exc_TypeError, "%s() takes no arguments (%zu given)", name, nargs);
    return 0;
}

static int one_arg(const char *name, size_t nargs, Value kwnames) {
    if (has_kw(kwnames))
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    if (nargs != 1)
        return exc_raise_int(&exc_TypeError, "%s() takes exactly one argument (%zu given)", name, nargs);
    return 0;
}

static int range_args(const char *name, size_t nargs, Value kwnames, size_t min, size_t max) {
    if (has_kw(kwnames))
        return exc_raise_int(&exc_TypeError, "%s() takes no keyword arguments", name);
    if (nargs < min)
        return exc_raise_int(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", name,
                             min == max ? "" : "at least ", min, min == 1 ? "" : "s", nargs);
    if (nargs > max)
        return exc_raise_int(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", name,
                             min == max ? "" : "at most ", max, max == 1 ? "" : "s", nargs);
    return 0;
}

static int int_arg(Value v, int64_t *out) {
    if (val_is_small(v)) {
        *out = small_get(v);
        return 0;
    }
    if (!val_is_int(v) && !val_type(v)->nb_index)
        return exc_raise_int(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             val_type_name(v));
    return val_index_i64(v, out);
}

static int need_str(Value v) {
    if (!val_is_str(v))
        return exc_raise_int(&exc_TypeError, "must be str, not %s", val_type_name(v));
    return 0;
}

// [start, end) code-point arguments at args[first..] resolved against [s]
// into byte offsets; false (no exception) when the range is empty/invalid
// in the way CPython reports as "not found". -1 on error.
static int byte_range(Value s, Value *args, size_t nargs, size_t first, size_t *from, size_t *to,
                      int64_t *cfrom, int64_t *cto) {
    int64_t start = 0, end = INT64_MAX;
    if (nargs > first && tuple_slice_arg(args[first], true, &start) < 0)
        return -1;
    if (nargs > first + 1 && tuple_slice_arg(args[first + 1], true, &end) < 0)
        return -1;
    int64_t n = (int64_t)as_str(s)->nchars;
    tuple_adjust_range(n, &start, &end);
    *cfrom = start;
    *cto = end;
    if (start > n || end < start)
        return 0;
    *from = cp_to_byte(as_str(s), (size_t)start);
    *to = cp_to_byte(as_str(s), (size_t)end);
    return 1;
}

// ---------------------------------------------------------------------------
// join

// [sep].join of the [n] borrowed strs at [items]. Calls no Python code and
// does not release the GIL, so the items stay put while it runs.
static Value join_items(Value sep, const Value *items, size_t n) {
    Str *sp = as_str(sep);
    size_t total = 0, nchars = 0;
    for (size_t i = 0; i < n; i++) {
        if (!val_is_str(items[i]))
            return exc_raise(&exc_TypeError, "sequence item %zu: expected str instance, %s found",
                             i, val_type_name(items[i]));
        Str *x = as_str(items[i]);
        total += x->len + (i ? sp->len : 0);
        nchars += x->nchars + (i ? sp->nchars : 0);
        if (total > STR_MAX_LEN)
            return exc_nomemory();
    }
    if (n == 1 && val_obj(items[0])->type == &str_type)
        return incref(items[0]);
    if (total == 0)
        return str_intern("", 0);
    Str *s = str_alloc(total);
    if (!s)
        return VAL_NULL;
    char *p = s->data;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            memcpy(p, sp->data, sp->len);
            p += sp->len;
        }
        Str *x = as_str(items[i]);
        memcpy(p, x->data, x->len);
        p += x->len;
    }
    *p = 0;
    s->nchars = nchars;
    s->ascii = nchars == total;
    return obj_val(s);
}

// A tuple is joined in place, and so is a list under the GIL: join_items
// cannot let another thread run. In free-threaded mode another thread could
// resize the list meanwhile, so the list is joined from a snapshot.
Value str_join(Value sep, Value iterable) {
    if (val_is_tuple(iterable))
        return join_items(sep, as_tuple(iterable)->items, tuple_len(iterable));
    if (val_is_list(iterable) && ts_cur && ts_cur->interp->mode == MODE_GIL)
        return join_items(sep, as_list(iterable)->items, as_list(iterable)->len);
    Value seq;
    if (val_is_list(iterable)) {
        seq = list_copy(iterable);
    } else {
        Value it = val_iter(iterable);
        if (!it) {
            if (exc_matches(&exc_TypeError)) {
                exc_clear();
                exc_raise(&exc_TypeError, "can only join an iterable");
            }
            return VAL_NULL;
        }
        seq = list_from_iterable(it);
        decref(it);
    }
    if (!seq)
        return VAL_NULL;
    Value r = join_items(sep, as_list(seq)->items, as_list(seq)->len);
    decref(seq);
    return r;
}

static Value str_join_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (one_arg("str.join", nargs, kwnames) < 0)
        return VAL_NULL;
    return str_join(self, args[0]);
}

// ---------------------------------------------------------------------------
// split, rsplit, splitlines, partition

static int split_args(const char *name, Value *args, size_t nargs, Value kwnames, Value *sep,
                      int64_t *maxsplit) {
    static const char *const kw[] = {"sep", "maxsplit", NULL};
    Value a[2] = {VAL_NULL, VAL_NULL};
    if (args_parse(name, args, nargs, kwnames, kw, 0, 2, a) < 0)
        return -1;
    *sep = a[0] && a[0] != VAL_NONE ? a[0] : VAL_NULL;
    *maxsplit = -1;
    if (a[1] && int_arg(a[1], maxsplit) < 0)
        return -1;
    if (*maxsplit < 0)
        *maxsplit = INT64_MAX;
    if (*sep && !val_is_str(*sep))
        return exc_raise_int(&exc_TypeError, "must be str or None, not %s", val_type_name(*sep));
    if (*sep && str_len(*sep) == 0)
        return exc_raise_int(&exc_ValueError, "empty separator");
    return 0;
}

static int add_piece(Value list, Value s, size_t a, size_t b) {
    Value p = subbytes(s, a, b);
    return p ? list_append_steal(list, p) : -1;
}

static Value do_split(Value self, Value sep, int64_t maxsplit, bool right) {
    Value r = list_new(0);
    if (!r)
        return VAL_NULL;
    if (sep) {
        const char *d = str_cstr(self), *sd = str_cstr(sep);
        size_t n = str_len(self), sn = str_len(sep);
        if (!right) {
            size_t i = 0;
            while (maxsplit-- > 0) {
                int64_t f = find_bytes(d, i, n, sd, sn, false);
                if (f < 0)
                    break;
                if (add_piece(r, self, i, (size_t)f) < 0)
                    goto fail;
                i = (size_t)f + sn;
            }
            if (add_piece(r, self, i, n) < 0)
                goto fail;
        } else {
            size_t j = n;
            while (maxsplit-- > 0) {
                int64_t f = find_bytes(d, 0, j, sd, sn, true);
                if (f < 0)
                    break;
                if (add_piece(r, self, (size_t)f + sn, j) < 0)
                    goto fail;
                j = (size_t)f;
            }
            if (add_piece(r, self, 0, j) < 0)
                goto fail;
            list_reverse(r);
        }
        return r;
    }
    View v;
    if (view_init(&v, self) < 0)
        goto fail;
    size_t n = v.n;
    if (!right) {
        size_t i = 0, j;
        while (maxsplit-- > 0) {
            while (i < n && cp_isspace(V_CP(&v, i)))
                i++;
            if (i == n)
                break;
            j = i++;
            while (i < n && !cp_isspace(V_CP(&v, i)))
                i++;
            if (add_piece(r, self, V_OFF(&v, j), V_OFF(&v, i)) < 0)
                goto vfail;
        }
        if (i < n) {
            while (i < n && cp_isspace(V_CP(&v, i)))
                i++;
            if (i != n && add_piece(r, self, V_OFF(&v, i), V_OFF(&v, n)) < 0)
                goto vfail;
        }
    } else {
        int64_t i = (int64_t)n - 1, j;
        while (maxsplit-- > 0) {
            while (i >= 0 && cp_isspace(V_CP(&v, (size_t)i)))
                i--;
            if (i < 0)
                break;
            j = i--;
            while (i >= 0 && !cp_isspace(V_CP(&v, (size_t)i)))
                i--;
            if (add_piece(r, self, V_OFF(&v, (size_t)(i + 1)), V_OFF(&v, (size_t)(j + 1))) < 0)
                goto vfail;
        }
        if (i >= 0) {
            while (i >= 0 && cp_isspace(V_CP(&v, (size_t)i)))
                i--;
            if (i >= 0 && add_piece(r, self, 0, V_OFF(&v, (size_t)(i + 1))) < 0)
                goto vfail;
        }
        list_reverse(r);
    }
    view_free(&v);
    return r;
vfail:
    view_free(&v);
fail:
    decref(r);
    return VAL_NULL;
}

static Value str_split_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    Value sep;
    int64_t maxsplit;
    if (split_args("split", args, nargs, kwnames, &sep, &maxsplit) < 0)
        return VAL_NULL;
    return do_split(self, sep, maxsplit, false);
}

static Value str_rsplit_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    Value sep;
    int64_t maxsplit;
    if (split_args("rsplit", args, nargs, kwnames, &sep, &maxsplit) < 0)
        return VAL_NULL;
    return do_split(self, sep, maxsplit, true);
}

static Value str_splitlines_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    static const char *const kw[] = {"keepends", NULL};
    Value a[1] = {VAL_NULL};
    int64_t keep = 0;
    if (args_parse("splitlines", args, nargs, kwnames, kw, 0, 1, a) < 0)
        return VAL_NULL;
    if (a[0] && int_arg(a[0], &keep) < 0)
        return VAL_NULL;
    Value r = list_new(0);
    View v;
    if (!r)
        return VAL_NULL;
    if (view_init(&v, self) < 0) {
        decref(r);
        return VAL_NULL;
    }
    size_t i = 0, n = v.n;
    while (i < n) {
        size_t j = i;
        while (i < n && !cp_islinebreak(V_CP(&v, i)))
            i++;
        size_t eol = i;
        if (i < n) {
            if (V_CP(&v, i) == '\r' && i + 1 < n && V_CP(&v, i + 1) == '\n')
                i += 2;
            else
                i++;
            if (keep)
                eol = i;
        }
        if (add_piece(r, self, V_OFF(&v, j), V_OFF(&v, eol)) < 0) {
            view_free(&v);
            decref(r);
            return VAL_NULL;
        }
    }
    view_free(&v);
    return r;
}

static Value partition(Value self, Value *args, size_t nargs, Value kwnames, bool right) {
    if (one_arg(right ? "str.rpartition" : "str.partition", nargs, kwnames) < 0 || need_str(args[0]) < 0)
        return VAL_NULL;
    Value sep = args[0];
    if (str_len(sep) == 0)
        return exc_raise(&exc_ValueError, "empty separator");
    int64_t f = find_bytes(str_cstr(self), 0, str_len(self), str_cstr(sep), str_len(sep), right);
    Value empty = str_intern("", 0);
    if (f < 0)
        return right ? tuple_pack(3, empty, empty, self) : tuple_pack(3, self, empty, empty);
    Value a = subbytes(self, 0, (size_t)f);
    Value c = a ? subbytes(self, (size_t)f + str_len(sep), str_len(self)) : VAL_NULL;
    Value r = c ? tuple_pack(3, a, sep, c) : VAL_NULL;
    decref(a);
    decref(c);
    return r;
}

static Value str_partition_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    return partition(self, args, nargs, kwnames, false);
}

static Value str_rpartition_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    return partition(self, args, nargs, kwnames, true);
}

// ---------------------------------------------------------------------------
// strip

static Value do_strip(Value self, Value *args, size_t nargs, Value kwnames, const char *name, int which) {
    // which: 1 = left, 2 = right, 3 = both
    if (range_args(name, nargs, kwnames, 0, 1) < 0)
        return VAL_NULL;
    Value chars = nargs && args[0] != VAL_NONE ? args[0] : VAL_NULL;
    if (chars && !val_is_str(chars))
        return exc_raise(&exc_TypeError, "%s arg must be None or str", name);
    View v, cv = {0};
    if (view_init(&v, self) < 0)
        return VAL_NULL;
    if (chars && view_init(&cv, chars) < 0) {
        view_free(&v);
        return VAL_NULL;
    }
    size_t i = 0, j = v.n;
    for (;;) {
        if (!(which & 1) || i >= j)
            break;
        uint32_t c = V_CP(&v, i);
        bool hit = false;
        if (chars) {
            for (size_t k = 0; k < cv.n && !hit; k++)
                hit = V_CP(&cv, k) == c;
        } else {
            hit = cp_isspace(c);
        }
        if (!hit)
            break;
        i++;
    }
    for (;;) {
        if (!(which & 2) || j <= i)
            break;
        uint32_t c = V_CP(&v, j - 1);
        bool hit = false;
        if (chars) {
            for (size_t k = 0; k < cv.n && !hit; k++)
                hit = V_CP(&cv, k) == c;
        } else {
            hit = cp_isspace(c);
        }
        if (!hit)
            break;
        j--;
    }
    Value r = subbytes(self, V_OFF(&v, i), V_OFF(&v, j));
    view_free(&v);
    if (chars)
        view_free(&cv);
    return r;
}

static Value str_strip_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    return do_strip(self, args, nargs, kwnames, "strip", 3);
}
static Value str_lstrip_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    return do_strip(self, args, nargs, kwnames, "lstrip", 1);
}
static Value str_rstrip_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    return do_strip(self, args, nargs, kwnames, "rstrip", 2);
}

// ---------------------------------------------------------------------------
// find, index, count, replace, startswith, endswith

static Value find_common(Value self, Value *args, size_t nargs, Value kwnames, const char *name,
                         bool rev, bool raise) {
    if (range_args(name, nargs, kwnames, 1, 3) < 0 || need_str(args[0]) < 0)
        return VAL_NULL;
    size_t from, to;
    int64_t cf, ct;
    int ok = byte_range(self, args, nargs, 1, &from, &to, &cf, &ct);
    if (ok < 0)
        return VAL_NULL;
    int64_t f = -1;
    if (ok)
        f = find_bytes(str_cstr(self), from, to, str_cstr(args[0]), str_len(args[0]), rev);
    if (f < 0) {
        if (raise)
            return exc_raise(&exc_ValueError, "substring not found");
        return int_from_i64(-1);
    }
    return int_from_i64((int64_t)byte_to_cp(as_str(self), (size_t)f));
}

static Value str_find_meth(Value s, Value *a, size_t n, Value k) { return find_common(s, a, n, k, "find", false, false); }
static Value str_rfind_meth(Value s, Value *a, size_t n, Value k) { return find_common(s, a, n, k, "rfind", true, false); }
static Value str_index_meth(Value s, Value *a, size_t n, Value k) { return find_common(s, a, n, k, "index", false, true); }
static Value str_rindex_meth(Value s, Value *a, size_t n, Value k) { return find_common(s, a, n, k, "rindex", true, true); }

static Value str_count_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (range_args("count", nargs, kwnames, 1, 3) < 0 || need_str(args[0]) < 0)
        return VAL_NULL;
    size_t from, to;
    int64_t cf, ct;
    int ok = byte_range(self, args, nargs, 1, &from, &to, &cf, &ct);
    if (ok <= 0)
        return ok < 0 ? VAL_NULL : int_from_i64(0);
    size_t sn = str_len(args[0]);
    if (sn == 0)
        return int_from_i64(ct - cf + 1);
    int64_t c = 0;
    for (;;) {
        int64_t f = find_bytes(str_cstr(self), from, to, str_cstr(args[0]), sn, false);
        if (f < 0)
            break;
        c++;
        from = (size_t)f + sn;
    }
    return int_from_i64(c);
}

static Value str_replace_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (has_kw(kwnames))
        return exc_raise(&exc_TypeError, "str.replace() takes no keyword arguments");
    if (range_args("replace", nargs, kwnames, 2, 3) < 0)
        return VAL_NULL;
    for (int i = 0; i < 2; i++)
        if (!val_is_str(args[i]))
            return exc_raise(&exc_TypeError, "replace() argument %d must be str, not %s", i + 1,
                             val_type_name(args[i]));
    int64_t count = -1;
    if (nargs > 2 && int_arg(args[2], &count) < 0)
        return VAL_NULL;
    if (count < 0)
        count = INT64_MAX;
    Value old = args[0], new_ = args[1];
    const char *d = str_cstr(self), *od = str_cstr(old), *nd = str_cstr(new_);
    size_t n = str_len(self), on = str_len(old), nn = str_len(new_);
    SBuf b;
    sbuf_init(&b);
    bool oom = false;
    size_t i = 0;
    if (on == 0) {
        // Insert [new] before every character and at the end.
        const unsigned char *p = (const unsigned char *)d, *end = p + n;
        while (count > 0 && !oom) {
            put(&b, nd, nn, &oom);
            count--;
            if (p >= end)
                break;
            const unsigned char *q = p;
            utf8_decode(&q);
            put(&b, (const char *)p, (size_t)(q - p), &oom);
            p = q;
        }
        put(&b, (const char *)p, (size_t)(end - p), &oom);
        return finish(&b, oom);
    }
    int64_t first = find_bytes(d, 0, n, od, on, false);
    if (first < 0 || count == 0)
        return str_str_slot(self);
    while (count-- > 0 && !oom) {
        int64_t f = find_bytes(d, i, n, od, on, false);
        if (f < 0)
            break;
        put(&b, d + i, (size_t)f - i, &oom);
        put(&b, nd, nn, &oom);
        i = (size_t)f + on;
        if (b.len > STR_MAX_LEN)
            oom = true;
    }
    put(&b, d + i, n - i, &oom);
    return finish(&b, oom);
}

// 1 when [sub] matches [self] at the start (or end) of the code-point range.
static int tailmatch(Value self, Value sub, Value *args, size_t nargs, bool end) {
    size_t from, to;
    int64_t cf, ct;
    int ok = byte_range(self, args, nargs, 1, &from, &to, &cf, &ct);
    if (ok <= 0)
        return ok;
    size_t sn = str_len(sub);
    if (to - from < sn)
        return 0;
    size_t at = end ? to - sn : from;
    return memcmp(str_cstr(self) + at, str_cstr(sub), sn) == 0;
}

static Value startsend(Value self, Value *args, size_t nargs, Value kwnames, bool end) {
    const char *name = end ? "endswith" : "startswith";
    if (range_args(name, nargs, kwnames, 1, 3) < 0)
        return VAL_NULL;
    Value x = args[0];
    if (val_is_tuple(x)) {
        for (size_t i = 0; i < tuple_len(x); i++) {
            Value s = tuple_get(x, i);
            if (!val_is_str(s))
                return exc_raise(&exc_TypeError, "tuple for %s must only contain str, not %s", name,
                                 val_type_name(s));
            int r = tailmatch(self, s, args, nargs, end);
            if (r < 0)
                return VAL_NULL;
            if (r)
                return incref(VAL_TRUE);
        }
        return incref(VAL_FALSE);
    }
    if (!val_is_str(x))
        return exc_raise(&exc_TypeError, "%s first arg must be str or a tuple of str, not %s", name,
                         val_type_name(x));
    int r = tailmatch(self, x, args, nargs, end);
    return r < 0 ? VAL_NULL : incref(bool_val(r));
}

static Value str_startswith_meth(Value s, Value *a, size_t n, Value k) { return startsend(s, a, n, k, false); }
static Value str_endswith_meth(Value s, Value *a, size_t n, Value k) { return startsend(s, a, n, k, true); }

static Value affix(Value self, Value *args, size_t nargs, Value kwnames, bool suffix) {
    const char *name = suffix ? "str.removesuffix" : "str.removeprefix";
    if (one_arg(name, nargs, kwnames) < 0)
        return VAL_NULL;
    Value x = args[0];
    if (!val_is_str(x))
        return exc_raise(&exc_TypeError, "%s() argument must be str, not %s", name + 4, val_type_name(x));
    size_t n = str_len(self), xn = str_len(x);
    if (xn <= n && xn > 0) {
        if (!suffix && memcmp(str_cstr(self), str_cstr(x), xn) == 0)
            return subbytes(self, xn, n);
        if (suffix && memcmp(str_cstr(self) + n - xn, str_cstr(x), xn) == 0)
            return subbytes(self, 0, n - xn);
    }
    return str_str_slot(self);
}

static Value str_removeprefix_meth(Value s, Value *a, size_t n, Value k) { return affix(s, a, n, k, false); }
static Value str_removesuffix_meth(Value s, Value *a, size_t n, Value k) { return affix(s, a, n, k, true); }

// ---------------------------------------------------------------------------
// Case conversion

enum { CASE_UPPER, CASE_LOWER, CASE_SWAP, CASE_TITLE, CASE_CAPITALIZE, CASE_FOLD };

static Value convert_case(Value self, int mode) {
    Str *s = as_str(self);
    SBuf b;
    sbuf_init(&b);
    bool oom = sbuf_reserve(&b, s->len) < 0;
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->len;
    bool prev_cased = false, first = true;
    while (p < end && !oom) {
        uint32_t c = utf8_decode(&p), out[3];
        int n;
        switch (mode) {
        case CASE_UPPER:
            n = full_upper(c, out);
            break;
        case CASE_LOWER:
            n = full_lower(c, out);
            break;
        case CASE_FOLD:
            if (c == 0xDF) {
                out[0] = out[1] = 's';
                n = 2;
            } else if (c == 0x17F) {
                out[0] = 's';
                n = 1;
            } else if (c == 0xB5) {
                out[0] = 0x3BC;
                n = 1;
            } else {
                n = full_lower(c, out);
            }
            break;
        case CASE_SWAP:
            if (cp_isupper(c))
                n = full_lower(c, out);
            else if (cp_islower(c))
                n = full_upper(c, out);
            else {
                out[0] = c;
                n = 1;
            }
            break;
        case CASE_TITLE:
            n = prev_cased ? full_lower(c, out) : full_title(c, out);
            prev_cased = cp_iscased(c) || (prev_cased && cp_ismark(c));
            break;
        default:   // CASE_CAPITALIZE
            n = first ? full_title(c, out) : full_lower(c, out);
            break;
        }
        first = false;
        for (int i = 0; i < n; i++)
            put_cp(&b, out[i], &oom);
    }
    return finish(&b, oom);
}

#define CASE_METH(name, mode)                                                        \
    static Value str_##name##_meth(Value self, Value *args, size_t nargs, Value kw) { \
        UNUSED(args);                                                                \
        if (no_args("str." #name, nargs, kw) < 0)                                     \
            return VAL_NULL;                                                         \
        return convert_case(self, mode);                                             \
    }
CASE_METH(upper, CASE_UPPER)
CASE_METH(lower, CASE_LOWER)
CASE_METH(swapcase, CASE_SWAP)
CASE_METH(title, CASE_TITLE)
CASE_METH(capitalize, CASE_CAPITALIZE)
CASE_METH(casefold, CASE_FOLD)
#undef CASE_METH

// ---------------------------------------------------------------------------
// Predicates

// True when the string is non-empty and every code point satisfies [pred].
static bool all_cps(Value self, bool (*pred)(uint32_t)) {
    Str *s = as_str(self);
    if (s->len == 0)
        return false;
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->len;
    while (p < end)
        if (!pred(utf8_decode(&p)))
            return false;
    return true;
}

static bool is_upper_str(Value self) {
    const unsigned char *p = (const unsigned char *)str_cstr(self), *end = p + str_len(self);
    bool cased = false;
    while (p < end) {
        uint32_t c = utf8_decode(&p);
        if (cp_islower(c))
            return false;
        if (cp_isupper(c))
            cased = true;
    }
    return cased;
}

static bool is_lower_str(Value self) {
    const unsigned char *p = (const unsigned char *)str_cstr(self), *end = p + str_len(self);
    bool cased = false;
    while (p < end) {
        uint32_t c = utf8_decode(&p);
        if (cp_isupper(c))
            return false;
        if (cp_islower(c))
            cased = true;
    }
    return cased;
}

static bool is_title_str(Value self) {
    const unsigned char *p = (const unsigned char *)str_cstr(self), *end = p + str_len(self);
    bool cased = false, prev = false;
    while (p < end) {
        uint32_t c = utf8_decode(&p);
        if (cp_isupper(c)) {
            if (prev)
                return false;
            prev = cased = true;
        } else if (cp_islower(c)) {
            if (!prev)
                return false;
            prev = cased = true;
        } else {
            prev = false;
        }
    }
    return cased;
}

static bool xid_start(uint32_t c) { return c == '_' || cp_isalpha(c); }
static bool xid_continue(uint32_t c) {
    return xid_start(c) || cp_isdecimal(c) || cp_ismark(c) || c == 0xB7;
}

static bool is_identifier_str(Value self) {
    const unsigned char *p = (const unsigned char *)str_cstr(self), *end = p + str_len(self);
    if (p == end || !xid_start(utf8_decode(&p)))
        return false;
    while (p < end)
        if (!xid_continue(utf8_decode(&p)))
            return false;
    return true;
}

static bool is_printable_str(Value self) {
    const unsigned char *p = (const unsigned char *)str_cstr(self), *end = p + str_len(self);
    while (p < end)
        if (!cp_isprintable(utf8_decode(&p)))
            return false;
    return true;
}

#define PRED_METH(name, expr)                                                        \
    static Value str_##name##_meth(Value self, Value *args, size_t nargs, Value kw) { \
        UNUSED(args);                                                                \
        if (no_args("str." #name, nargs, kw) < 0)                                     \
            return VAL_NULL;                                                         \
        return incref(bool_val(expr));                                               \
    }
PRED_METH(isdigit, all_cps(self, cp_isdigit))
PRED_METH(isdecimal, all_cps(self, cp_isdecimal))
PRED_METH(isnumeric, all_cps(self, cp_isnumeric))
PRED_METH(isalpha, all_cps(self, cp_isalpha))
PRED_METH(isalnum, all_cps(self, cp_isalnum))
PRED_METH(isspace, all_cps(self, cp_isspace))
PRED_METH(isupper, is_upper_str(self))
PRED_METH(islower, is_lower_str(self))
PRED_METH(istitle, is_title_str(self))
PRED_METH(isidentifier, is_identifier_str(self))
PRED_METH(isprintable, is_printable_str(self))
PRED_METH(isascii, as_str(self)->ascii)
#undef PRED_METH

// ---------------------------------------------------------------------------
// Padding

// [self] with [left] and [right] copies of [fill] around it.
static Value pad(Value self, int64_t left, int64_t right, uint32_t fill) {
    if (left < 0)
        left = 0;
    if (right < 0)
        right = 0;
    if (left == 0 && right == 0)
        return str_str_slot(self);
    char f[4];
    size_t fl = utf8_encode(fill, f);
    if ((uint64_t)(left + right) > STR_MAX_LEN / fl)
        return exc_nomemory();
    SBuf b;
    sbuf_init(&b);
    bool oom = sbuf_reserve(&b, str_len(self) + (size_t)(left + right) * fl) < 0;
    for (int64_t i = 0; i < left && !oom; i++)
        put(&b, f, fl, &oom);
    put(&b, str_cstr(self), str_len(self), &oom);
    for (int64_t i = 0; i < right && !oom; i++)
        put(&b, f, fl, &oom);
    return finish(&b, oom);
}

static int fill_arg(Value *args, size_t nargs, uint32_t *fill) {
    *fill = ' ';
    if (nargs < 2)
        return 0;
    Value f = args[1];
    if (!val_is_str(f))
        return exc_raise_int(&exc_TypeError, "The fill character must be a unicode character, not %s",
                             val_type_name(f));
    if (as_str(f)->nchars != 1)
        return exc_raise_int(&exc_TypeError, "The fill character must be exactly one character long");
    const unsigned char *p = (const unsigned char *)str_cstr(f);
    *fill = utf8_decode(&p);
    return 0;
}

static Value justify(Value self, Value *args, size_t nargs, Value kwnames, const char *name, int how) {
    int64_t width;
    uint32_t fill;
    if (range_args(name, nargs, kwnames, 1, 2) < 0 || int_arg(args[0], &width) < 0 ||
        fill_arg(args, nargs, &fill) < 0)
        return VAL_NULL;
    int64_t n = (int64_t)as_str(self)->nchars;
    if (width <= n)
        return str_str_slot(self);
    int64_t marg = width - n;
    if (how == 0)
        return pad(self, 0, marg, fill);
    if (how == 1)
        return pad(self, marg, 0, fill);
    int64_t left = marg / 2 + (marg & width & 1);
    return pad(self, left, marg - left, fill);
}

static Value str_ljust_meth(Value s, Value *a, size_t n, Value k) { return justify(s, a, n, k, "ljust", 0); }
static Value str_rjust_meth(Value s, Value *a, size_t n, Value k) { return justify(s, a, n, k, "rjust", 1); }
static Value str_center_meth(Value s, Value *a, size_t n, Value k) { return justify(s, a, n, k, "center", 2); }

static Value str_zfill_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    int64_t width;
    if (one_arg("str.zfill", nargs, kwnames) < 0 || int_arg(args[0], &width) < 0)
        return VAL_NULL;
    int64_t n = (int64_t)as_str(self)->nchars;
    if (width <= n)
        return str_str_slot(self);
    Value r = pad(self, width - n, 0, '0');
    if (!r)
        return VAL_NULL;
    // r is a fresh, unshared string: move a sign to the front.
    Str *rs = as_str(r);
    size_t fill = (size_t)(width - n);
    if (rs->data[fill] == '+' || rs->data[fill] == '-') {
        rs->data[0] = rs->data[fill];
        rs->data[fill] = '0';
    }
    return r;
}

static Value str_expandtabs_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    static const char *const kw[] = {"tabsize", NULL};
    Value a[1] = {VAL_NULL};
    int64_t tabsize = 8;
    if (args_parse("expandtabs", args, nargs, kwnames, kw, 0, 1, a) < 0)
        return VAL_NULL;
    if (a[0] && int_arg(a[0], &tabsize) < 0)
        return VAL_NULL;
    SBuf b;
    sbuf_init(&b);
    bool oom = false;
    int64_t col = 0;
    const unsigned char *p = (const unsigned char *)str_cstr(self), *end = p + str_len(self);
    while (p < end && !oom) {
        const unsigned char *start = p;
        uint32_t c = utf8_decode(&p);
        if (c == '\t') {
            if (tabsize > 0) {
                int64_t k = tabsize - col % tabsize;
                if ((uint64_t)k > STR_MAX_LEN)
                    oom = true;
                for (int64_t i = 0; i < k && !oom; i++)
                    put(&b, " ", 1, &oom);
                col += k;
            }
        } else {
            put(&b, (const char *)start, (size_t)(p - start), &oom);
            col++;
            if (c == '\n' || c == '\r')
                col = 0;
        }
    }
    return finish(&b, oom);
}

static Value str_encode_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    static const char *const kw[] = {"encoding", "errors", NULL};
    Value a[2] = {VAL_NULL, VAL_NULL};
    UNUSED(self);
    if (args_parse("encode", args, nargs, kwnames, kw, 0, 2, a) < 0)
        return VAL_NULL;
    return exc_raise(&exc_NotImplementedError, "str.encode(): bytes are not supported by gilvm");
}

// ---------------------------------------------------------------------------
// format(s, spec) through fmt.h

static Value raise_fmt(int r, const char *err) {
    switch (r) {
    case FMT_ERR_OVERFLOW:
        return exc_raise(&exc_OverflowError, "%s", err);
    case FMT_ERR_TYPE:
        return exc_raise(&exc_TypeError, "%s", err);
    case FMT_ERR_MEMORY:
        return exc_nomemory();
    default:
        return exc_raise(&exc_ValueError, "%s", err);
    }
}

Value str_format_spec(Value s, const char *spec, size_t len) {
    if (len == 0)
        return str_str_slot(s);
    FmtSpec fs;
    char err[256] = "";
    int r = fmt_spec_parse(spec, len, "str", &fs, err, sizeof err);
    if (r != FMT_OK)
        return raise_fmt(r, err);
    SBuf out;
    sbuf_init(&out);
    r = fmt_format_str(str_cstr(s), str_len(s), &fs, &out, err, sizeof err);
    if (r != FMT_OK) {
        sbuf_free(&out);
        return raise_fmt(r, err);
    }
    return sbuf_to_str(&out);
}

static Value str_format_dunder(Value self, Value *args, size_t nargs, Value kwnames) {
    if (one_arg("str.__format__", nargs, kwnames) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "__format__() argument must be str, not %s",
                         val_type_name(args[0]));
    return str_format_spec(self, str_cstr(args[0]), str_len(args[0]));
}

// ---------------------------------------------------------------------------
// str % args (printf-style), with fmt.h's conversion primitives

typedef struct {
    Value args;        // the right operand (tuple or single value)
    Value cur;         // what the next fetch returns when arglen < 0
    int64_t arglen, argidx;
} PctArgs;

static Value pct_next(PctArgs *a) {
    if (a->argidx < a->arglen) {
        int64_t i = a->argidx++;
        return a->arglen < 0 ? a->cur : tuple_get(a->args, (size_t)i);
    }
    return exc_raise(&exc_TypeError, "not enough arguments for format string");
}

// The integer for %d/%x...: a new reference to an int, or VAL_NULL.
static Value pct_int_arg(Value v, uint32_t type) {
    bool index_only = type == 'o' || type == 'x' || type == 'X';
    if (val_is_int(v))
        return incref(v);
    Type *t = val_type(v);
    Value r = VAL_NULL;
    if (!index_only && val_is_float(v)) {
        r = int_from_double(float_get(v));
    } else if (t->nb_index && index_only) {
        r = t->nb_index(v);
    } else if (!index_only && (t->nb_index || t->nb_int || t->nb_float)) {
        r = val_to_int(v);
    } else {
        goto wrong;
    }
    if (r || !exc_matches(&exc_TypeError))
        return r;
    exc_clear();
wrong:
    if (index_only)
        return exc_raise(&exc_TypeError, "%%%c format: an integer is required, not %s", (char)type,
                         val_type_name(v));
    return exc_raise(&exc_TypeError, "%%%c format: a real number is required, not %s", (char)type,
                     val_type_name(v));
}

static int pct_star(PctArgs *a, int64_t *out) {
    Value v = pct_next(a);
    if (!v)
        return -1;
    if (!val_is_int(v))
        return exc_raise_int(&exc_TypeError, "* wants int");
    if (int_as_i64(v, out) < 0)
        return -1;
    return 0;
}

// One conversion [c] of [v] appended to [out]; -1 with an exception.
static int pct_convert(const FmtPercent *c, Value v, SBuf *out) {
    char err[256] = "";
    int r = FMT_OK;
    switch (c->type) {
    case 's':
    case 'r':
    case 'a': {
        Value s = c->type == 's' ? val_str(v) : c->type == 'r' ? val_repr(v) : val_ascii(v);
        if (!s)
            return -1;
        r = fmt_percent_str(c, str_cstr(s), str_len(s), out, err, sizeof err);
        decref(s);
        break;
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
        Value iv = pct_int_arg(v, c->type);
        if (!iv)
            return -1;
        mpz_t z;
        mpz_init(z);
        int_to_mpz(iv, z);
        decref(iv);
        r = fmt_percent_int(c, z, out, err, sizeof err);
        mpz_clear(z);
        break;
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
        double d;
        if (val_as_double(v, &d) < 0)
            return -1;
        r = fmt_percent_double(c, d, out, err, sizeof err);
        break;
    }
    case 'c': {
        if (val_is_str(v)) {
            if (as_str(v)->nchars != 1)
                return exc_raise_int(&exc_TypeError, "%%c requires int or char");
            r = fmt_percent_str(c, str_cstr(v), str_len(v), out, err, sizeof err);
            break;
        }
        Value iv = VAL_NULL;
        if (val_is_int(v))
            iv = incref(v);
        else if (val_type(v)->nb_index)
            iv = val_type(v)->nb_index(v);
        if (!iv) {
            if (!exc_occurred() || exc_matches(&exc_TypeError)) {
                exc_clear();
                return exc_raise_int(&exc_TypeError, "%%c requires int or char");
            }
            return -1;
        }
        mpz_t z;
        mpz_init(z);
        int_to_mpz(iv, z);
        decref(iv);
        r = fmt_percent_char(c, z, out, err, sizeof err);
        mpz_clear(z);
        break;
    }
    default:
        r = fmt_percent_unsupported(c, err, sizeof err);
        break;
    }
    if (r != FMT_OK) {
        raise_fmt(r, err);
        return -1;
    }
    return 0;
}

Value str_mod(Value fmt, Value args) {
    const char *f = str_cstr(fmt);
    size_t n = str_len(fmt);
    PctArgs a = {.args = args, .cur = args};
    if (val_is_tuple(args)) {
        a.arglen = (int64_t)tuple_len(args);
        a.argidx = 0;
    } else {
        a.arglen = -1;
        a.argidx = -2;
    }
    Value dict = VAL_NULL;
    if (val_type(args)->getitem && !val_is_tuple(args) && !val_is_str(args))
        dict = args;
    Value owned = VAL_NULL;   // the value fetched by the last %(key)
    SBuf out;
    sbuf_init(&out);
    bool oom = false;
    size_t pos = 0;
    FmtPercent c;
    char err[256] = "";
    int r;
    while ((r = fmt_percent_next(f, n, &pos, &c, err, sizeof err)) > 0) {
        put(&out, f + c.lit_off, c.lit_len, &oom);
        if (r == FMT_PCT_TEXT)
            continue;
        if (c.has_key) {
            if (!dict) {
                exc_raise(&exc_TypeError, "format requires a mapping");
                goto fail;
            }
            Value key = str_new(f + c.key_off, c.key_len);
            if (!key)
                goto fail;
            Value v = val_getitem(dict, key);
            decref(key);
            if (!v)
                goto fail;
            set_ref(&owned, v);
            a.cur = v;
            a.arglen = -1;
            a.argidx = -2;
        }
        int64_t k;
        if (c.width_star) {
            if (pct_star(&a, &k) < 0)
                goto fail;
            fmt_percent_set_width(&c, k);
        }
        if (c.prec_star) {
            if (pct_star(&a, &k) < 0)
                goto fail;
            fmt_percent_set_prec(&c, k);
        }
        Value v = pct_next(&a);
        if (!v || pct_convert(&c, v, &out) < 0)
            goto fail;
    }
    if (r < 0) {
        raise_fmt(r, err);
        goto fail;
    }
    put(&out, f + c.lit_off, c.lit_len, &oom);
    if (a.argidx < a.arglen && !dict) {
        exc_raise(&exc_TypeError, "not all arguments converted during string formatting");
        goto fail;
    }
    decref(owned);
    return finish(&out, oom);
fail:
    decref(owned);
    sbuf_free(&out);
    return VAL_NULL;
}

// ---------------------------------------------------------------------------
// str.format and str.format_map

typedef struct {
    Value *args;
    size_t nargs;
    Value kwnames;      // keywords of format(), or VAL_NULL
    Value mapping;      // format_map's mapping, or VAL_NULL
    int numbering;      // 0 unknown, 1 automatic, 2 manual
    size_t next_auto;
} FormatCtx;

static int format_error(const char *msg) { return exc_raise_int(&exc_ValueError, "%s", msg); }

static bool all_digits(const char *s, size_t n) {
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

// The argument named by the first part of a field name (new reference).
static Value field_first(FormatCtx *ctx, const char *s, size_t n) {
    size_t idx;
    if (n == 0) {
        if (ctx->numbering == 2)
            return exc_raise(&exc_ValueError,
                             "cannot switch from manual field specification to automatic field numbering");
        ctx->numbering = 1;
        idx = ctx->next_auto++;
    } else if (all_digits(s, n)) {
        if (ctx->numbering == 1)
            return exc_raise(&exc_ValueError,
                             "cannot switch from automatic field numbering to manual field specification");
        ctx->numbering = 2;
        if (n > 18)
            return exc_raise(&exc_ValueError, "Too many decimal digits in format string");
        idx = (size_t)strtoull(s, NULL, 10);
    } else {
        Value key = str_new(s, n);
        if (!key)
            return VAL_NULL;
        if (ctx->mapping) {
            Value v = val_getitem(ctx->mapping, key);
            decref(key);
            return v;
        }
        for (size_t i = 0; ctx->kwnames && i < tuple_len(ctx->kwnames); i++) {
            if (str_eq(tuple_get(ctx->kwnames, i), key)) {
                decref(key);
                return incref(ctx->args[ctx->nargs + i]);
            }
        }
        exc_raise_value(&exc_KeyError, key);
        decref(key);
        return VAL_NULL;
    }
    if (ctx->mapping)
        return exc_raise(&exc_ValueError, "Format string contains positional fields");
    if (idx >= ctx->nargs)
        return exc_raise(&exc_IndexError, "Replacement index %zu out of range for positional args tuple", idx);
    return incref(ctx->args[idx]);
}

// Resolve a whole field name: first part, then .attr and [key] parts.
static Value field_lookup(FormatCtx *ctx, const char *s, size_t n) {
    size_t i = 0;
    while (i < n && s[i] != '.' && s[i] != '[')
        i++;
    Value obj = field_first(ctx, s, i);
    while (obj && i < n) {
        Value next;
        if (s[i] == '.') {
            size_t j = ++i;
            while (i < n && s[i] != '.' && s[i] != '[')
                i++;
            if (i == j) {
                format_error("Empty attribute in format string");
                next = VAL_NULL;
            } else {
                Value name = str_new(s + j, i - j);
                next = name ? val_getattr(obj, name) : VAL_NULL;
                decref(name);
            }
        } else {
            size_t j = ++i;
            while (i < n && s[i] != ']')
                i++;
            if (i >= n) {
                format_error("Missing ']' in format string");
                next = VAL_NULL;
            } else if (i == j) {
                format_error("Empty attribute in format string");
                next = VAL_NULL;
            } else {
                Value key = all_digits(s + j, i - j) && i - j <= 18
                                ? int_from_i64((int64_t)strtoll(s + j, NULL, 10))
                                : str_new(s + j, i - j);
                next = key ? val_getitem(obj, key) : VAL_NULL;
                decref(key);
                i++;
                if (next && i < n && s[i] != '.' && s[i] != '[') {
                    format_error("Only '.' or '[' may follow ']' in format field specifier");
                    clear_ref(&next);
                }
            }
        }
        decref(obj);
        obj = next;
    }
    return obj;
}

static int render(FormatCtx *ctx, const char *s, size_t n, SBuf *out, int depth);

// Format one replacement field and append it.
static int render_field(FormatCtx *ctx, const char *name, size_t nlen, uint32_t conv, const char *spec,
                        size_t slen, bool expand, SBuf *out, int depth) {
    Value obj = field_lookup(ctx, name, nlen);
    if (!obj)
        return -1;
    if (conv) {
        Value c = VAL_NULL;
        if (conv == 'r')
            c = val_repr(obj);
        else if (conv == 's')
            c = val_str(obj);
        else if (conv == 'a')
            c = val_ascii(obj);
        else {
            char tmp[5] = {0};
            utf8_encode(conv, tmp);
            exc_raise(&exc_ValueError, "Unknown conversion specifier %s", tmp);
        }
        decref(obj);
        if (!c)
            return -1;
        obj = c;
    }
    Value specv;
    if (expand) {
        SBuf sb;
        sbuf_init(&sb);
        if (render(ctx, spec, slen, &sb, depth - 1) < 0) {
            sbuf_free(&sb);
            decref(obj);
            return -1;
        }
        specv = sbuf_to_str(&sb);
    } else {
        specv = str_new(spec, slen);
    }
    Value r = specv ? val_format(obj, specv) : VAL_NULL;
    decref(specv);
    decref(obj);
    if (!r)
        return -1;
    int rc = sbuf_putn(out, str_cstr(r), str_len(r));
    decref(r);
    if (rc < 0) {
        exc_nomemory();
        return -1;
    }
    return 0;
}

static int render(FormatCtx *ctx, const char *s, size_t n, SBuf *out, int depth) {
    if (depth <= 0)
        return format_error("Max string recursion exceeded");
    size_t i = 0;
    bool oom = false;
    while (i < n) {
        size_t lit = i;
        while (i < n && s[i] != '{' && s[i] != '}')
            i++;
        put(out, s + lit, i - lit, &oom);
        if (oom) {
            exc_nomemory();
            return -1;
        }
        if (i >= n)
            break;
        char c = s[i++];
        if (c == '}') {
            if (i < n && s[i] == '}') {
                put(out, "}", 1, &oom);
                i++;
                continue;
            }
            return format_error("Single '}' encountered in format string");
        }
        if (i < n && s[i] == '{') {
            put(out, "{", 1, &oom);
            i++;
            continue;
        }
        if (i >= n)
            return format_error("Single '{' encountered in format string");
        size_t name = i;
        while (i < n) {
            char d = s[i];
            if (d == '{')
                return format_error("unexpected '{' in field name");
            if (d == '[') {
                i++;
                while (i < n && s[i] != ']')
                    i++;
                if (i < n)
                    i++;
                continue;
            }
            if (d == '}' || d == ':' || d == '!')
                break;
            i++;
        }
        if (i >= n)
            return format_error("expected '}' before end of string");
        size_t nlen = i - name;
        char delim = s[i++];
        uint32_t conv = 0;
        if (delim == '!') {
            if (i >= n)
                return format_error("end of string while looking for conversion specifier");
            const unsigned char *p = (const unsigned char *)s + i;
            conv = utf8_decode(&p);
            i = (size_t)((const char *)p - s);
            if (i >= n)
                return format_error("unmatched '{' in format spec");
            delim = s[i++];
            if (delim != ':' && delim != '}')
                return format_error("expected ':' after conversion specifier");
        }
        size_t spec = i, slen = 0;
        bool expand = false;
        if (delim == ':') {
            int count = 1;
            while (i < n) {
                if (s[i] == '{') {
                    count++;
                    expand = true;
                } else if (s[i] == '}' && --count == 0) {
                    break;
                }
                i++;
            }
            if (i >= n)
                return format_error("unmatched '{' in format spec");
            slen = i - spec;
            i++;
        }
        if (render_field(ctx, s + name, nlen, conv, s + spec, slen, expand, out, depth) < 0)
            return -1;
    }
    return 0;
}

Value str_format_method(Value fmt, Value *args, size_t nargs, Value kwnames) {
    FormatCtx ctx = {.args = args, .nargs = nargs, .kwnames = has_kw(kwnames) ? kwnames : VAL_NULL};
    SBuf out;
    sbuf_init(&out);
    if (render(&ctx, str_cstr(fmt), str_len(fmt), &out, 2) < 0) {
        sbuf_free(&out);
        return VAL_NULL;
    }
    return sbuf_to_str(&out);
}

static Value str_format_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    return str_format_method(self, args, nargs, kwnames);
}

static Value str_format_map_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (one_arg("str.format_map", nargs, kwnames) < 0)
        return VAL_NULL;
    FormatCtx ctx = {.mapping = args[0]};
    SBuf out;
    sbuf_init(&out);
    if (render(&ctx, str_cstr(self), str_len(self), &out, 2) < 0) {
        sbuf_free(&out);
        return VAL_NULL;
    }
    return sbuf_to_str(&out);
}

// ---------------------------------------------------------------------------
// Dunder methods (for explicit calls and super())

static Value str_len_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__len__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_i64((int64_t)as_str(self)->nchars);
}

static Value str_getitem_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__getitem__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return str_getitem(self, args[0]);
}

static Value str_contains_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__contains__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int r = str_contains(self, args[0]);
    return r < 0 ? VAL_NULL : incref(bool_val(r));
}

static Value str_iter_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__iter__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return str_iter(self);
}

static Value str_add_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__add__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_str(args[0]))
        return exc_raise(&exc_TypeError, "can only concatenate str (not \"%s\") to str",
                         val_type_name(args[0]));
    return str_concat(self, args[0]);
}

static Value str_mul_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__mul__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    if (!val_is_int(args[0]) && !val_type(args[0])->nb_index)
        return incref(VAL_NOTIMPL);
    return str_repeat(self, args[0]);
}

static Value str_mod_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("__mod__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return str_mod(self, args[0]);
}

static Value str_rmod_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    UNUSED(args);
    if (args_check("__rmod__", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return incref(VAL_NOTIMPL);
}

static Value str_hash_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__hash__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return int_from_i64(str_hash(self));
}

static Value str_str_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__str__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return str_str_slot(self);
}

static Value str_repr_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__repr__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    return str_repr(self);
}

#define CMP_METH(name, op)                                                          \
    static Value str_##name##_meth(Value self, Value *args, size_t nargs, Value kw) { \
        if (args_check("__" #name "__", nargs, kw, 1, 1) < 0)                        \
            return VAL_NULL;                                                         \
        return str_richcmp(self, args[0], op);                                       \
    }
CMP_METH(lt, CMP_LT)
CMP_METH(le, CMP_LE)
CMP_METH(eq, CMP_EQ)
CMP_METH(ne, CMP_NE)
CMP_METH(gt, CMP_GT)
CMP_METH(ge, CMP_GE)
#undef CMP_METH

static const MethodDef str_methods[] = {
    {"join", str_join_meth, 0, NULL},
    {"split", str_split_meth, 0, NULL},
    {"rsplit", str_rsplit_meth, 0, NULL},
    {"splitlines", str_splitlines_meth, 0, NULL},
    {"partition", str_partition_meth, 0, NULL},
    {"rpartition", str_rpartition_meth, 0, NULL},
    {"strip", str_strip_meth, 0, NULL},
    {"lstrip", str_lstrip_meth, 0, NULL},
    {"rstrip", str_rstrip_meth, 0, NULL},
    {"replace", str_replace_meth, 0, NULL},
    {"find", str_find_meth, 0, NULL},
    {"rfind", str_rfind_meth, 0, NULL},
    {"index", str_index_meth, 0, NULL},
    {"rindex", str_rindex_meth, 0, NULL},
    {"count", str_count_meth, 0, NULL},
    {"startswith", str_startswith_meth, 0, NULL},
    {"endswith", str_endswith_meth, 0, NULL},
    {"removeprefix", str_removeprefix_meth, 0, NULL},
    {"removesuffix", str_removesuffix_meth, 0, NULL},
    {"upper", str_upper_meth, 0, NULL},
    {"lower", str_lower_meth, 0, NULL},
    {"swapcase", str_swapcase_meth, 0, NULL},
    {"title", str_title_meth, 0, NULL},
    {"capitalize", str_capitalize_meth, 0, NULL},
    {"casefold", str_casefold_meth, 0, NULL},
    {"isdigit", str_isdigit_meth, 0, NULL},
    {"isdecimal", str_isdecimal_meth, 0, NULL},
    {"isnumeric", str_isnumeric_meth, 0, NULL},
    {"isalpha", str_isalpha_meth, 0, NULL},
    {"isalnum", str_isalnum_meth, 0, NULL},
    {"isspace", str_isspace_meth, 0, NULL},
    {"isupper", str_isupper_meth, 0, NULL},
    {"islower", str_islower_meth, 0, NULL},
    {"istitle", str_istitle_meth, 0, NULL},
    {"isidentifier", str_isidentifier_meth, 0, NULL},
    {"isprintable", str_isprintable_meth, 0, NULL},
    {"isascii", str_isascii_meth, 0, NULL},
    {"center", str_center_meth, 0, NULL},
    {"ljust", str_ljust_meth, 0, NULL},
    {"rjust", str_rjust_meth, 0, NULL},
    {"zfill", str_zfill_meth, 0, NULL},
    {"expandtabs", str_expandtabs_meth, 0, NULL},
    {"encode", str_encode_meth, 0, NULL},
    {"format", str_format_meth, 0, NULL},
    {"format_map", str_format_map_meth, 0, NULL},
    {"__format__", str_format_dunder, 0, NULL},
    {"__len__", str_len_meth, 0, NULL},
    {"__getitem__", str_getitem_meth, 0, NULL},
    {"__contains__", str_contains_meth, 0, NULL},
    {"__iter__", str_iter_meth, 0, NULL},
    {"__add__", str_add_meth, 0, NULL},
    {"__mul__", str_mul_meth, 0, NULL},
    {"__rmul__", str_mul_meth, 0, NULL},
    {"__mod__", str_mod_meth, 0, NULL},
    {"__rmod__", str_rmod_meth, 0, NULL},
    {"__hash__", str_hash_meth, 0, NULL},
    {"__str__", str_str_meth, 0, NULL},
    {"__repr__", str_repr_meth, 0, NULL},
    {"__lt__", str_lt_meth, 0, NULL},
    {"__le__", str_le_meth, 0, NULL},
    {"__eq__", str_eq_meth, 0, NULL},
    {"__ne__", str_ne_meth, 0, NULL},
    {"__gt__", str_gt_meth, 0, NULL},
    {"__ge__", str_ge_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type str_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "str",
    .basic_size = sizeof(Str),
    .tflags = TF_BASETYPE | TF_STR_SUBCLASS,
    .dealloc = str_dealloc,
    .new_ = str_new_slot,
    .repr = str_repr,
    .str = str_str_slot,
    .hash = str_hash_slot,
    .richcmp = str_richcmp,
    .iter = str_iter,
    .nb = {[NB_ADD] = str_add_slot, [NB_MUL] = str_repeat, [NB_MOD] = str_mod_slot},
    .len = str_len_slot,
    .getitem = str_getitem,
    .contains = str_contains,
};

// ---------------------------------------------------------------------------
// Iterators: str_ascii_iterator for ASCII strings (byte = code point),
// str_iterator otherwise. [seq] is dropped once exhausted; [off] is the byte
// offset of the next code point.

static Value str_iter(Value self) {
    StrIter *it = obj_alloc(as_str(self)->ascii ? &str_ascii_iter_type : &str_iter_type, sizeof(StrIter));
    if (!it)
        return VAL_NULL;
    it->seq = incref(self);
    it->off = 0;
    return obj_val(it);
}

static void str_iter_dealloc(Object *o) {
    clear_ref(&((StrIter *)o)->seq);
    obj_free(o);
}

static Value iter_self(Value self) { return incref(self); }

static Value str_iter_next(Value self) {
    StrIter *it = (StrIter *)val_obj(self);
    if (UNLIKELY(obj_locking)) {
        // Free-threaded: a shared iterator's offset moves under its lock;
        // the string is dropped after the lock is let go.
        uint32_t c = 0;
        bool got = false;
        Value drop = VAL_NULL;
        obj_lock(&it->ob);
        if (it->seq && it->off < as_str(it->seq)->len) {
            const unsigned char *p = (const unsigned char *)as_str(it->seq)->data + it->off;
            const unsigned char *q = p;
            c = utf8_decode(&q);
            it->off += (size_t)(q - p);
            got = true;
        } else {
            drop = it->seq;
            it->seq = VAL_NULL;
        }
        obj_unlock(&it->ob);
        decref(drop);
        return got ? str_from_cp(c) : VAL_NULL;
    }
    if (!it->seq)
        return VAL_NULL;
    Str *s = as_str(it->seq);
    if (it->off >= s->len) {
        clear_ref(&it->seq);
        return VAL_NULL;
    }
    const unsigned char *p = (const unsigned char *)s->data + it->off, *q = p;
    uint32_t c = utf8_decode(&q);
    it->off += (size_t)(q - p);
    return str_from_cp(c);
}

static Value str_iter_length_hint(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__length_hint__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    StrIter *it = (StrIter *)val_obj(self);
    if (!it->seq)
        return int_from_i64(0);
    Str *s = as_str(it->seq);
    return int_from_i64((int64_t)count_cps(s->data + it->off, s->len - it->off));
}

static Value str_iter_next_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("__next__", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    Value r = str_iter_next(self);
    if (!r && !exc_occurred())
        exc_raise_object(obj_val(&exc_StopIteration));
    return r;
}

static const MethodDef str_iter_methods[] = {
    {"__next__", str_iter_next_meth, 0, NULL},
    {"__length_hint__", str_iter_length_hint, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type str_iter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "str_iterator",
    .basic_size = sizeof(StrIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = str_iter_dealloc,
    .iter = iter_self,
    .iternext = str_iter_next,
};

Type str_ascii_iter_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "str_ascii_iterator",
    .basic_size = sizeof(StrIter),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = str_iter_dealloc,
    .iter = iter_self,
    .iternext = str_iter_next,
};

void str_type_init(void) {
    type_ready(&str_type);
    type_add_methods(&str_type, str_methods);
    type_ready(&str_iter_type);
    type_add_methods(&str_iter_type, str_iter_methods);
    type_ready(&str_ascii_iter_type);
    type_add_methods(&str_ascii_iter_type, str_iter_methods);
}
