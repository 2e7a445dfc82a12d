// Shared basics for every file: standard headers, branch hints, ASSERT.
#ifndef GILVM_COMMON_H
#define GILVM_COMMON_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
// For small helpers on hot paths the compiler would otherwise call.
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define UNUSED(x) ((void)(x))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if GILVM_DEBUG
#define ASSERT(cond, why)                                                        \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "gilvm: assertion failed at %s:%d: %s (%s)\n",       \
                    __FILE__, __LINE__, #cond, why);                             \
            abort();                                                             \
        }                                                                        \
    } while (0)
#else
#define ASSERT(cond, why) ((void)0)
#endif

#define RELAXED memory_order_relaxed

#endif
