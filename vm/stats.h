// --stats: what each thread did, and totals, read from the thread logs
// (events.h) when the program ends.
//
// Text (for people, stderr): one row per thread with aligned columns and
// units, then the totals. JSON (for tools): the same figures, times in
// nanoseconds, one object; the fields are listed in README.md. Neither needs
// event rings, only the counters every thread keeps anyway.
#ifndef GILVM_STATS_H
#define GILVM_STATS_H

#include "events.h"

// The figures of the whole run; [t] from events_snapshot.
void stats_print_text(Interp *in, const ThreadSnapshot *t, size_t n, FILE *out);
void stats_print_json(Interp *in, const ThreadSnapshot *t, size_t n, FILE *out);

// Shared with trace.c: [s] as a JSON string literal.
void stats_put_json_string(FILE *out, const char *s);
// A duration in a short human unit ("840us", "12.3ms", "1.52s"), at most 6
// characters; [buf] needs 16 bytes. Returns [buf].
const char *stats_format_duration(uint64_t ns, char *buf);
// A count in at most 6 characters: "12,345" below 100,000, then three
// significant digits ("123k", "4.56M"); [buf] needs 16 bytes. Returns [buf].
const char *stats_format_count(uint64_t n, char *buf);
// [n] in full with thousands separators ("1,234,567") into [out].
void stats_format_thousands(uint64_t n, char *out, size_t size);

#endif
