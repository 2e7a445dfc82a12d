// arena.h -- bump allocator that owns a whole parse.
//
// The lexer and parser allocate every AST node, identifier and decoded literal
// from one Arena. Nothing inside is freed individually: arena_free() releases
// the whole parse at once. Memory comes from a chain of malloc'd chunks; a
// request bigger than the default chunk size gets a chunk of its own, so huge
// literals (a 1 MB string) cost one allocation.
//
// Out of memory is reported by return value: arena_alloc() returns NULL and
// the caller turns that into an error (the parser reports "MemoryError").
#ifndef GILVM_ARENA_H
#define GILVM_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
    ArenaChunk *head;  // chunk currently bumped; older chunks follow ->next
    size_t total;      // bytes obtained from malloc (statistics only)
} Arena;

void arena_init(Arena *a);
// Zero-filled, aligned for any type. NULL when out of memory.
void *arena_alloc(Arena *a, size_t size);
// Copy of [len] bytes at [p] plus a terminating NUL (so byte strings may also
// be used as C strings when they contain no NUL). NULL when out of memory.
char *arena_memdup(Arena *a, const void *p, size_t len);
char *arena_strdup(Arena *a, const char *s);
// Release every chunk; [a] may be reused after arena_init().
void arena_free(Arena *a);

#endif
