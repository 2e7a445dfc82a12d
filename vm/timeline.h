// --timeline: at exit, a chart of what every thread did over time, one row
// per thread, 80 columns wide, with a time scale and a legend -- the
// pictures of GIL talks, drawn from the event rings (events.h).
#ifndef GILVM_TIMELINE_H
#define GILVM_TIMELINE_H

#include "events.h"

#define TIMELINE_WIDTH 80

// Draw the chart of [t] (from events_snapshot with events) on [out].
void timeline_print(Interp *in, const ThreadSnapshot *t, size_t n, FILE *out);

#endif
