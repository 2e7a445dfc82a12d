// str: immutable UTF-8 text. [len] counts bytes, [nchars] code points; an
// ASCII string indexes in O(1), others walk the bytes. The hash is computed
// on first use and cached (relaxed atomic: every thread computes the same).
// Interned strings are immortal and unique per content (runtime intern table).
#ifndef GILVM_STR_H
#define GILVM_STR_H

#include "object.h"

typedef struct {
    Object ob;
    _Atomic int64_t hash;    // -1 = not computed
    size_t len;              // bytes
    size_t nchars;           // code points
    bool ascii;
    bool interned;
    char data[];             // NUL-terminated
} Str;

extern Type str_type;
static inline bool val_is_str(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &str_type ||
                             (val_obj(v)->type->tflags & TF_STR_SUBCLASS));
}
static inline Str *as_str(Value v) { return (Str *)val_obj(v); }
static inline const char *str_cstr(Value v) { return as_str(v)->data; }
static inline size_t str_len(Value v) { return as_str(v)->len; }

// Copy [len] bytes of valid UTF-8.
Value str_new(const char *s, size_t len);
Value str_from_cstr(const char *s);
// Take a malloc'd buffer (NUL-terminated at [len]) without copying.
Value str_take(char *buf, size_t len);
Value str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// The immortal interned string for [s]: safe from any thread.
Value str_intern(const char *s, size_t len);
Value str_intern_cstr(const char *s);
Value str_intern_value(Value s);   // steals [s], returns the interned one
int64_t str_hash(Value s);
bool str_eq(Value a, Value b);
int str_compare(Value a, Value b);     // <0, 0, >0 bytewise (= code point order)
Value str_concat(Value a, Value b);
Value str_repr(Value s);
Value str_getitem_index(Value s, int64_t i);
Value str_format_spec(Value s, const char *spec, size_t len);
// str % args
Value str_mod(Value fmt, Value args);
// Methods used by other modules.
Value str_join(Value sep, Value iterable);
Value str_format_method(Value fmt, Value *args, size_t nargs, Value kwnames);
// Decode one code point at [*p] (advances). For valid UTF-8 only.
uint32_t utf8_decode(const unsigned char **p);
size_t utf8_encode(uint32_t cp, char *out);
bool utf8_valid(const char *s, size_t len, size_t *nchars);

// --- added by the str.c owner ---------------------------------------------
typedef struct {
    Object ob;
    Value seq;           // Str, VAL_NULL once exhausted
    size_t off;          // byte offset of the next code point
} StrIter;
// iter(s): str_ascii_iterator for ASCII strings, str_iterator otherwise.
extern Type str_iter_type, str_ascii_iter_type;
// Readies str and its iterator types. The intern table needs no set-up, so
// str_intern may be called before this (e.g. by names_init).
void str_type_init(void);

#endif
