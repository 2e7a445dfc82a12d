// Unit tests for vm/events.c: the bounded ring (wrap-around keeps the newest
// events, the memory budget loses new ones, a reader racing the writer never
// sees a torn or out-of-order event) and the activities rebuilt from events.
// The ring tests need no interpreter: a zeroed Interp and ThreadState with a
// log are enough. Also in the `threads` suite, so TSan checks the race test.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <pthread.h>

#include "events.h"
#include "state.h"

typedef struct {
    Interp *in;
    ThreadState *ts;
} Fixture;

static Fixture fixture_new(bool recording) {
    Fixture f;
    f.in = calloc(1, sizeof(Interp));
    f.ts = calloc(1, sizeof(ThreadState));
    assert_non_null(f.in);
    assert_non_null(f.ts);
    events_init(f.in, recording);
    f.ts->interp = f.in;
    f.ts->id = 2;
    assert_int_equal(events_log_new(f.in, f.ts), 0);
    return f;
}

static void fixture_free(Fixture *f) {
    events_free(f->in);
    free(f->ts);
    free(f->in);
}

// An event with timestamp [ns] through the GIL hook (the one entry point
// that takes the time from its caller).
static void put(ThreadState *ts, uint64_t ns) {
    events_gil_hook(NULL, &ts->gilt, GIL_EV_ACQUIRED, ns);
}

static void test_off_by_default(void **state) {
    UNUSED(state);
    Fixture f = fixture_new(false);
    assert_null(f.ts->log->ring);
    put(f.ts, 1);   // no ring: nothing happens
    assert_string_equal(f.ts->log->name, "thread 2");
    assert_true(f.ts->log->daemon);
    fixture_free(&f);
}

static void test_wrap_keeps_newest(void **state) {
    UNUSED(state);
    Fixture f = fixture_new(true);
    const uint64_t extra = 1000;
    for (uint64_t i = 1; i <= EVENTS_RING_CAP + extra; i++)
        put(f.ts, i);
    Event *out = malloc(EVENTS_RING_CAP * sizeof(Event));
    uint64_t dropped = 0;
    size_t n = events_ring_read(f.ts->log->ring, out, &dropped);
    assert_int_equal(n, EVENTS_RING_CAP);
    assert_int_equal(dropped, extra);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(out[i].ns, extra + 1 + i);
        assert_int_equal(out[i].type, EV_GIL_ACQUIRED);
    }
    free(out);
    fixture_free(&f);
}

static void test_budget_loses_new_events(void **state) {
    UNUSED(state);
    Fixture f = fixture_new(true);
    atomic_store(&f.in->events.chunks_left, 1);
    for (uint64_t i = 1; i <= EVENTS_CHUNK_EVENTS + 88; i++)
        put(f.ts, i);
    Event *out = malloc(EVENTS_RING_CAP * sizeof(Event));
    uint64_t dropped = 0;
    size_t n = events_ring_read(f.ts->log->ring, out, &dropped);
    assert_int_equal(n, EVENTS_CHUNK_EVENTS);
    assert_int_equal(dropped, 0);
    assert_int_equal(atomic_load(&f.ts->log->ring->lost), 88);
    assert_int_equal(out[n - 1].ns, EVENTS_CHUNK_EVENTS);
    free(out);
    fixture_free(&f);
}

// A reader copying the ring while the writer wraps it many times: whatever
// it gets is a run of consecutive events, never torn or reordered.
enum { RACE_EVENTS = 3 * (int)EVENTS_RING_CAP };

static void *race_writer(void *p) {
    ThreadState *ts = p;
    for (uint64_t i = 1; i <= RACE_EVENTS; i++)
        put(ts, i);
    return NULL;
}

static void test_reader_races_writer(void **state) {
    UNUSED(state);
    Fixture f = fixture_new(true);
    Event *out = malloc(EVENTS_RING_CAP * sizeof(Event));
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, race_writer, f.ts), 0);
    int reads = 0, bad = 0;
    uint64_t last_seen = 0;
    do {
        uint64_t dropped;
        size_t n = events_ring_read(f.ts->log->ring, out, &dropped);
        reads++;
        for (size_t i = 0; i < n; i++)
            if (out[i].ns != dropped + 1 + i || out[i].type != EV_GIL_ACQUIRED)
                bad++;
        if (n)
            last_seen = out[n - 1].ns;
    } while (last_seen < RACE_EVENTS && reads < 100000);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(bad, 0);
    free(out);
    fixture_free(&f);
}

// Activities from a GIL-mode event sequence.
static void test_segments(void **state) {
    UNUSED(state);
    Event ev[] = {
        {.ns = 10, .type = EV_START},
        {.ns = 11, .type = EV_GIL_ACQUIRED},
        {.ns = 20, .type = EV_BLOCK, .kind = WAIT_QUEUE},
        {.ns = 21, .type = EV_GIL_RELEASED},     // inside the block: still blocked
        {.ns = 30, .type = EV_UNBLOCK},
        {.ns = 31, .type = EV_GIL_WANT},
        {.ns = 35, .type = EV_GIL_ACQUIRED},
        {.ns = 40, .type = EV_GIL_DROP_REQUEST}, // instant: no change
        {.ns = 41, .type = EV_GIL_FORCED},
        {.ns = 42, .type = EV_GIL_RELEASED},     // forced: waits to retake
        {.ns = 45, .type = EV_GIL_ACQUIRED},
        {.ns = 50, .type = EV_BLOCK, .kind = WAIT_SLEEP},
        {.ns = 60, .type = EV_UNBLOCK},
        {.ns = 60, .type = EV_GIL_ACQUIRED},     // uncontended: at once
        {.ns = 70, .type = EV_FINISH},
    };
    ThreadSnapshot t = {.fig = {.start_ns = 10, .end_ns = 80}, .events = ev,
                        .nevents = ARRAY_LEN(ev)};
    size_t n;
    Segment *s = events_segments(&t, true, &n);
    assert_non_null(s);
    struct {
        uint64_t start, end;
        Activity act;
    } want[] = {
        {10, 11, ACT_GIL_WAIT}, {11, 20, ACT_RUNNING}, {20, 30, ACT_BLOCKED},
        {30, 35, ACT_GIL_WAIT}, {35, 42, ACT_RUNNING}, {42, 45, ACT_GIL_WAIT},
        {45, 50, ACT_RUNNING},  {50, 60, ACT_SLEEP},   {60, 70, ACT_RUNNING},
        {70, 80, ACT_NONE},
    };
    assert_int_equal(n, ARRAY_LEN(want));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s[i].start_ns, want[i].start);
        assert_int_equal(s[i].end_ns, want[i].end);
        assert_int_equal(s[i].act, want[i].act);
    }
    assert_ptr_equal(s[2].cause, &ev[2]);
    assert_ptr_equal(s[7].cause, &ev[11]);
    free(s);

    // Overwritten events: unknown until the first one kept; free-threaded.
    t.dropped = 5;
    t.fig.start_ns = 5;
    s = events_segments(&t, false, &n);
    assert_non_null(s);
    assert_int_equal(s[0].act, ACT_UNKNOWN);
    assert_int_equal(s[1].act, ACT_RUNNING);   // EV_START without a GIL
    free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_by_default),
        cmocka_unit_test(test_wrap_keeps_newest),
        cmocka_unit_test(test_budget_loses_new_events),
        cmocka_unit_test(test_reader_races_writer),
        cmocka_unit_test(test_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
