// test_compare.c -- cmocka suite for the pure parts of src/compare.c: reading
// gilvm's own --stats=json, and finding "expected N ... actual M" lines.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"

// Shaped like stats_print_json's output (vm/stats.c), with a thread name that
// holds key-like text and a nested object per thread.
static const char gil_json[] =
    "{\"gilvm_stats\": 1, \"mode\": \"gil\", \"cores\": 2, \"wall_ns\": 2000, "
    "\"cpu_ns\": 1000, \"parallelism\": 0.5000, \"bytecodes\": 7,\n"
    " \"gil\": {\"switch_interval_us\": 5000, \"wait_ns\": 999, \"handovers\": 42},\n"
    " \"threads\": [\n"
    "  {\"id\": 1, \"name\": \"MainThread\", \"cpu_ns\": 5, \"gil_wait_ns\": 10, "
    "\"blocked_by_kind\": {\"join\": {\"count\": 1, \"ns\": 3}}, \"lock_contended\": 0, "
    "\"rc_cross_thread\": 0},\n"
    "  {\"id\": 2, \"name\": \"x\\\"gil_wait_ns\\\": 500 {[\", \"cpu_ns\": 7, "
    "\"gil_wait_ns\": 20, \"lock_contended\": 3, \"rc_cross_thread\": 4}\n"
    "]}\n";

static const char free_json[] =
    "{\"gilvm_stats\": 1, \"mode\": \"free\", \"cores\": 2, \"wall_ns\": 100, \"cpu_ns\": 190, "
    "\"parallelism\": 1.9000, \"bytecodes\": 7,\n \"gil\": null,\n \"threads\": [\n"
    "  {\"id\": 1, \"name\": \"MainThread\", \"gil_wait_ns\": null, \"lock_contended\": 5, "
    "\"rc_cross_thread\": 6},\n"
    "  {\"id\": 2, \"name\": \"w\", \"gil_wait_ns\": null, \"lock_contended\": 7, "
    "\"rc_cross_thread\": 8}\n]}\n";

static void test_stats_gil(void **state) {
    (void)state;
    CompareStats st;
    assert_true(compare_parse_stats(gil_json, &st));
    assert_true(st.gil);
    assert_int_equal(st.wall_ns, 2000);
    assert_int_equal(st.cpu_ns, 1000);   // the process total, not a thread's
    assert_true(st.parallelism > 0.49 && st.parallelism < 0.51);
    assert_int_equal(st.threads, 2);
    assert_int_equal(st.gil_wait_ns, 30);   // not the name's text, not gil.wait_ns
    assert_int_equal(st.handovers, 42);
    assert_int_equal(st.lock_contended, 3);
    assert_int_equal(st.rc_cross_thread, 4);
}

static void test_stats_free(void **state) {
    (void)state;
    CompareStats st;
    assert_true(compare_parse_stats(free_json, &st));
    assert_false(st.gil);
    assert_int_equal(st.threads, 2);
    assert_int_equal(st.gil_wait_ns, 0);
    assert_int_equal(st.lock_contended, 12);
    assert_int_equal(st.rc_cross_thread, 14);
}

static void test_stats_missing(void **state) {
    (void)state;
    CompareStats st;
    assert_false(compare_parse_stats("", &st));
    assert_false(compare_parse_stats("{\"wall_ns\": 5}", &st));   // not ours
    assert_false(compare_parse_stats("{\"gilvm_stats\": 1, \"wall_ns\": 5, \"cpu", &st));
    assert_false(st.ok);
}

static int64_t lost(const char *text, int *lines) {
    int64_t n = 0;
    *lines = compare_lost_updates(text, strlen(text), &n);
    return n;
}

static void test_lost_updates(void **state) {
    (void)state;
    int lines;
    assert_int_equal(lost("expected 1,000,000  actual 412,345  lost 587,655 (58.8%)\n", &lines),
                     587655);
    assert_int_equal(lines, 1);
    // Both orders, ':' and '=', negative numbers, more than one line, no final newline.
    assert_int_equal(lost("actual: 7 expected: 10\nbalance expected=0 actual=-30", &lines), 33);
    assert_int_equal(lines, 2);
    assert_int_equal(lost("expected 5 actual 5\n", &lines), 0);
    assert_int_equal(lines, 1);
    // Half a pair, words inside words, a word without a number, a trailing comma.
    assert_int_equal(lost("expected 5\nunexpected 3 factual 1\nexpected N actual M\n", &lines),
                     0);
    assert_int_equal(lines, 0);
    assert_int_equal(lost("expected 1,000, actual 999.\n", &lines), 1);
    assert_int_equal(lines, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_gil),
        cmocka_unit_test(test_stats_free),
        cmocka_unit_test(test_stats_missing),
        cmocka_unit_test(test_lost_updates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
