// The time module: clocks and sleep.
//
// Stateless. Clocks read clock_gettime directly (CLOCK_REALTIME for time(),
// CLOCK_MONOTONIC for monotonic()/perf_counter(), the process and thread
// CPU clocks). Values are nanosecond int64s converted to seconds as
// CPython's _PyTime_AsSecondsDouble does.
//
// sleep(): the wait itself is isolated in sleep_wait(), inside the
// begin/end-blocking bracket (GIL release, a WAIT_SLEEP event, interruption
// by signals). It loops on EINTR towards an absolute monotonic deadline, so a
// signal does not shorten or lengthen the sleep.
//
// Not provided: strftime, localtime, gmtime, mktime, ctime, struct_time.
#include <errno.h>
#include <signal.h>
#include <math.h>
#include <time.h>

#include "abstract.h"
#include "code.h"
#include "exc.h"
#include "float.h"
#include "func.h"
#include "int.h"
#include "module.h"
#include "scheduler.h"
#include "str.h"
#include "interp.h"
#include "thread.h"
#include "tuple.h"


#define NS_PER_SEC 1000000000LL

static int64_t clock_ns(clockid_t id) {
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static Value seconds_double(int64_t ns) {
    if (ns % NS_PER_SEC == 0)
        return float_new((double)(ns / NS_PER_SEC));
    return float_new((double)ns / 1e9);
}

#define CLOCK_FUNCS(name, clock)                                                           \
    static Value time_##name(Value self, Value *args, size_t nargs, Value kwnames) {      \
        UNUSED(self);                                                                      \
        UNUSED(args);                                                                      \
        if (args_check("time." #name, nargs, kwnames, 0, 0) < 0)                           \
            return VAL_NULL;                                                               \
        return seconds_double(clock_ns(clock));                                            \
    }                                                                                      \
    static Value time_##name##_ns(Value self, Value *args, size_t nargs, Value kwnames) { \
        UNUSED(self);                                                                      \
        UNUSED(args);                                                                      \
        if (args_check("time." #name "_ns", nargs, kwnames, 0, 0) < 0)                     \
            return VAL_NULL;                                                               \
        return int_from_i64(clock_ns(clock));                                              \
    }

CLOCK_FUNCS(time, CLOCK_REALTIME)
CLOCK_FUNCS(monotonic, CLOCK_MONOTONIC)
CLOCK_FUNCS(perf_counter, CLOCK_MONOTONIC)
CLOCK_FUNCS(process_time, CLOCK_PROCESS_CPUTIME_ID)
CLOCK_FUNCS(thread_time, CLOCK_THREAD_CPUTIME_ID)

// The blocking wait: sleep until [deadline_ns] on CLOCK_MONOTONIC.
// Sleep until [deadline_ns] (CLOCK_MONOTONIC) with the GIL released. Ctrl-C
// in the main thread ends the sleep with KeyboardInterrupt: -1.
static int sleep_wait(int64_t deadline_ns) {
    struct timespec ts = {
        .tv_sec = (time_t)(deadline_ns / NS_PER_SEC),
        .tv_nsec = (long)(deadline_ns % NS_PER_SEC),
    };
    ThreadState *t = ts_cur;
    if (t->interp->sched)   // --seed / --step: virtual time decides who wakes first
        return sched_sleep(t, deadline_ns - clock_ns(CLOCK_MONOTONIC));
    thread_begin_blocking_on(t, WAIT_SLEEP, NULL);
    int rc;
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR) {
        if (t == t->interp->main_thread && gilvm_sigint_pending)
            break;
    }
    thread_end_blocking(t);
    if (rc == EINTR)
        return interp_check_signals();
    return 0;
}

// A sleep/timeout length in nanoseconds, as CPython's
// _PyTime_FromSecondsObject with rounding up.
static int seconds_to_ns(Value v, int64_t *out) {
    if (val_is_float(v)) {
        double d = float_get(v);
        if (isnan(d))
            return exc_raise_int(&exc_ValueError, "Invalid value NaN (not a number)");
        if (isinf(d))
            return exc_raise_int(&exc_OverflowError, "timestamp out of range for platform time_t");
        double ns = ceil(d * 1e9);
        if (!(ns >= -9.2233720368547758e18 && ns < 9.2233720368547758e18))
            return exc_raise_int(&exc_OverflowError,
                                 "timestamp too large to convert to C _PyTime_t");
        *out = (int64_t)ns;
        return 0;
    }
    Type *t = val_type(v);
    if (!val_is_int(v) && !t->nb_index)
        return exc_raise_int(&exc_TypeError, "'%s' object cannot be interpreted as an integer",
                             t->name);
    int64_t s;
    if (val_index_i64(v, &s) < 0 || s > INT64_MAX / NS_PER_SEC || s < INT64_MIN / NS_PER_SEC) {
        exc_clear();
        return exc_raise_int(&exc_OverflowError, "timestamp too large to convert to C _PyTime_t");
    }
    *out = s * NS_PER_SEC;
    return 0;
}

static Value time_sleep(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(self);
    if (args_check("time.sleep", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    int64_t ns = 0;
    if (seconds_to_ns(args[0], &ns) < 0)
        return VAL_NULL;
    if (ns < 0)
        return exc_raise(&exc_ValueError, "sleep length must be non-negative");
    int64_t now = clock_ns(CLOCK_MONOTONIC);
    int64_t deadline = ns > INT64_MAX - now ? INT64_MAX : now + ns;
    if (sleep_wait(deadline) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static const MethodDef time_functions[] = {
    {"time", time_time, 0, NULL},
    {"time_ns", time_time_ns, 0, NULL},
    {"monotonic", time_monotonic, 0, NULL},
    {"monotonic_ns", time_monotonic_ns, 0, NULL},
    {"perf_counter", time_perf_counter, 0, NULL},
    {"perf_counter_ns", time_perf_counter_ns, 0, NULL},
    {"process_time", time_process_time, 0, NULL},
    {"process_time_ns", time_process_time_ns, 0, NULL},
    {"thread_time", time_thread_time, 0, NULL},
    {"thread_time_ns", time_thread_time_ns, 0, NULL},
    {"sleep", time_sleep, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Value mod_time_init(void) {
    Value m = module_new("time");
    if (!m)
        return VAL_NULL;
    if (module_add_functions(m, time_functions) < 0) {
        decref(m);
        return VAL_NULL;
    }
    return m;
}
