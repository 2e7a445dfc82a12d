// gilvm build switches: every switch is one CAPS macro with its default here.
// meson passes -D overrides (see meson_options.txt); nothing else defines them.
#ifndef GILVM_CONFIG_H
#define GILVM_CONFIG_H

// GILVM_DEBUG: live-object counting, ASSERTs, leak report at exit.
#ifndef GILVM_DEBUG
#define GILVM_DEBUG 0
#endif

// GILVM_USE_COMPUTED_GOTO: dispatch with computed goto (gcc/clang) instead of
// a switch. The meson option `dispatch=switch` sets it to 0 so both stay tested.
#ifndef GILVM_USE_COMPUTED_GOTO
#if defined(__GNUC__) || defined(__clang__)
#define GILVM_USE_COMPUTED_GOTO 1
#else
#define GILVM_USE_COMPUTED_GOTO 0
#endif
#endif

// GILVM_SMALL_ALLOC: objects come from the small-object allocator (alloc.c)
// instead of plain malloc. Off when the compiler builds with AddressSanitizer
// or ThreadSanitizer (gcc: __SANITIZE_ADDRESS__/__SANITIZE_THREAD__, clang:
// __has_feature), so that the sanitizers see every object as a malloc block;
// the meson option `small_alloc=false` turns it off too (e.g. for valgrind's
// memcheck).
#ifndef GILVM_SMALL_ALLOC
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GILVM_SMALL_ALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GILVM_SMALL_ALLOC 0
#endif
#endif
#endif
#ifndef GILVM_SMALL_ALLOC
#define GILVM_SMALL_ALLOC 1
#endif

#define GILVM_VERSION "0.1.0"
#define GILVM_PY_VERSION_MAJOR 3
#define GILVM_PY_VERSION_MINOR 11

#define DEFAULT_RECURSION_LIMIT 1000
#define DEFAULT_SWITCH_INTERVAL_US 5000

// Event rings (vm/events.h): a chunk holds EVENTS_CHUNK_EVENTS events of 32
// bytes; a thread's ring at most EVENTS_RING_CHUNKS chunks (the newest
// 65,536 events, 2 MiB); all rings together at most EVENTS_TOTAL_CHUNKS
// chunks (64 MiB).
#define EVENTS_CHUNK_EVENTS 512
#define EVENTS_RING_CHUNKS 128
#define EVENTS_TOTAL_CHUNKS 4096

#endif
