// --compare: run one script under --gil and then under --free-threaded, each in
// a child process of the same binary, and print what differed: the output,
// wall and CPU time, parallelism, GIL waits or object-lock contention, lost
// updates, exit statuses, and a one-line verdict for the class.
//
// The children run one after the other (never together: they would share the
// cores and spoil each other's timing), stdin from /dev/null, stdout and
// stderr into unlinked temporary files, their figures through
// --stats=json:FILE (a mkstemp file removed afterwards). The parent only
// waits; Ctrl-C (SIGINT, SIGTERM, SIGHUP) kills the running child and ends
// the comparison, and a child dies with the parent (PR_SET_PDEATHSIG).
#ifndef GILVM_COMPARE_H
#define GILVM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *prog;           // for messages ("gilvm")
    const char *argv0;          // how we were started: fallback for /proc/self/exe
    const char *script;         // the script, or NULL when [command] is set
    const char *command;        // -c CODE
    char *const *script_args;   // sys.argv[1:] of the script
    int nscript_args;
    char *const *gil_args;      // flags for the --gil run only (GIL model)
    int ngil_args;
    char *const *common_args;   // flags for both runs (--lock-order, --naive-refcount)
    int ncommon_args;
} CompareConfig;

// Run both children and print the comparison on stdout. Returns the exit
// status for gilvm: 0 when both runs completed (whatever their own statuses),
// 1 when a child could not be started, 130 after Ctrl-C.
int compare_run(const CompareConfig *c);

// --- the pieces, exported for the unit tests -----------------------------------

// The figures of one run, read from its --stats=json output.
typedef struct {
    bool ok;                    // the JSON was there and had the totals
    bool gil;                   // "mode": "gil"
    uint64_t wall_ns, cpu_ns;
    double parallelism;
    uint64_t threads;           // entries in "threads"
    uint64_t gil_wait_ns;       // sum of the threads' gil_wait_ns
    uint64_t handovers;         // gil.handovers
    uint64_t lock_contended;    // sum of the threads' lock_contended
    uint64_t rc_cross_thread;   // sum of the threads' rc_cross_thread
} CompareStats;

// Read [json] (NUL-terminated, gilvm's own --stats=json format) into [out].
// Returns false (and out->ok false) when the totals are missing.
bool compare_parse_stats(const char *json, CompareStats *out);

// Scan [text] for lines holding "expected N" and "actual M" (N, M integers,
// commas allowed, in any order on the line). Adds |N - M| of each such line
// to [*lost] and returns how many lines matched.
int compare_lost_updates(const char *text, size_t len, int64_t *lost);

#endif
