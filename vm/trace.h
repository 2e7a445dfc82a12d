// --trace FILE.json: the event rings (events.h) in the Chrome Trace Event
// format, for Perfetto (ui.perfetto.dev) or chrome://tracing.
//
// One process; one track per thread (named as threading names it), holding
// a slice for the thread's life and, nested in it, one slice per activity
// (running, GIL wait, blocked: KIND, sleep/io); instant events for GIL drop
// requests, forced switches and hand-overs. Timestamps are microseconds from
// interpreter start; B/E pairs nest and are in time order per thread.
#ifndef GILVM_TRACE_H
#define GILVM_TRACE_H

#include "events.h"

// Write the trace of [t] (from events_snapshot with events) to [path].
// Returns 0, or -1 with errno set (nothing useful written).
int trace_write(Interp *in, const ThreadSnapshot *t, size_t n, const char *path);

#endif
