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
