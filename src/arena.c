// arena.c -- chained-chunk bump allocator (see arena.h).
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_SIZE (64 * 1024)
#define ARENA_ALIGN alignof(max_align_t)

struct ArenaChunk {
    ArenaChunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

void arena_init(Arena *a) {
    a->head = NULL;
    a->total = 0;
}

static ArenaChunk *new_chunk(size_t cap) {
    if (cap > SIZE_MAX - sizeof(ArenaChunk)) return NULL;
    ArenaChunk *c = malloc(sizeof(ArenaChunk) + cap);
    if (!c) return NULL;
    c->next = NULL;
    c->used = 0;
    c->cap = cap;
    return c;
}

void *arena_alloc(Arena *a, size_t size) {
    if (size == 0) size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN) return NULL;
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    ArenaChunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        if (size > ARENA_CHUNK_SIZE / 4) {
            // Big block: own chunk, linked behind the head so the head's
            // free space stays usable.
            ArenaChunk *big = new_chunk(size);
            if (!big) return NULL;
            a->total += size;
            big->used = size;
            if (c) {
                big->next = c->next;
                c->next = big;
            } else {
                a->head = big;
            }
            memset(big->data, 0, size);
            return big->data;
        }
        c = new_chunk(ARENA_CHUNK_SIZE);
        if (!c) return NULL;
        a->total += ARENA_CHUNK_SIZE;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_memdup(Arena *a, const void *p, size_t len) {
    if (len == SIZE_MAX) return NULL;
    char *d = arena_alloc(a, len + 1);
    if (!d) return NULL;
    if (len) memcpy(d, p, len);
    d[len] = '\0';
    return d;
}

char *arena_strdup(Arena *a, const char *s) {
    return arena_memdup(a, s, strlen(s));
}

void arena_free(Arena *a) {
    ArenaChunk *c = a->head;
    while (c) {
        ArenaChunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}
