// Unit tests for vm/gil_model.c: the presets are the flags --help shows,
// what each model marks as a preemption point, the legend, and matching a
// model back to its preset. Pure functions: no interpreter, no threads.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "gil_model.h"

static const GilModel *preset(const char *name) {
    const GilPreset *p = gil_model_find(name);
    assert_non_null(p);
    return &p->model;
}

static void test_presets(void **state) {
    UNUSED(state);
    char buf[200];
    assert_int_equal(gil_model_npresets, 5);
    assert_string_equal(gil_model_presets[0].name, "cpython3.10");   // the default first
    assert_string_equal(gil_model_names(), "cpython3.10, cpython3.2, cpython2, micropython, ruby");
    assert_null(gil_model_find("cpython3"));
    assert_null(gil_model_find(""));
    assert_string_equal(gil_model_flags(preset("cpython3.10"), buf, sizeof buf),
                        "--switch-interval=5 --preempt=backedge --switch-mode=handover");
    assert_string_equal(gil_model_flags(preset("cpython3.2"), buf, sizeof buf),
                        "--switch-interval=5 --preempt=instruction --switch-mode=handover");
    assert_string_equal(gil_model_flags(preset("cpython2"), buf, sizeof buf),
                        "--switch-interval=off --preempt=instruction --switch-every=100 "
                        "--switch-mode=release");
    assert_string_equal(gil_model_flags(preset("micropython"), buf, sizeof buf),
                        "--switch-interval=off --preempt=backedge --switch-every-jumps=32 "
                        "--switch-mode=release");
    assert_string_equal(gil_model_flags(preset("ruby"), buf, sizeof buf),
                        "--switch-interval=100 --preempt=backedge --switch-mode=handover");
    GilModel m = {.interval_us = 2500, .switch_mode = GIL_HANDOVER};
    assert_string_equal(gil_model_flags(&m, buf, sizeof buf),
                        "--switch-interval=2.5 --preempt=backedge --switch-mode=handover");
    // A small buffer truncates, never overflows.
    char tiny[8];
    assert_string_equal(gil_model_flags(&m, tiny, sizeof tiny), "--switc");
}

static void test_match(void **state) {
    UNUSED(state);
    for (size_t i = 0; i < gil_model_npresets; i++)
        assert_ptr_equal(gil_model_match(&gil_model_presets[i].model), &gil_model_presets[i]);
    GilModel m = *preset("cpython2");
    m.switch_mode = GIL_HANDOVER;
    assert_null(gil_model_match(&m));
    // switch_on_jumps means nothing while the counter is off.
    m = *preset("ruby");
    m.switch_on_jumps = true;
    assert_ptr_equal(gil_model_match(&m), gil_model_find("ruby"));
}

static void test_preemption_points(void **state) {
    UNUSED(state);
    const GilModel *m310 = preset("cpython3.10");
    for (int op = 0; op < OP_COUNT; op++) {
        bool backedge = op == OP_JUMP_BACKWARD || op == OP_CALL || op == OP_CALL_KW ||
                        op == OP_CALL_EX;
        assert_int_equal(gil_model_preempts_at(m310, op), backedge);
        assert_int_equal(gil_model_preempts_at(preset("ruby"), op), backedge);
        assert_true(gil_model_preempts_at(preset("cpython3.2"), op));
        assert_true(gil_model_preempts_at(preset("cpython2"), op));
        bool jump = op == OP_JUMP || op == OP_JUMP_BACKWARD || op == OP_POP_JUMP_IF_FALSE ||
                    op == OP_POP_JUMP_IF_TRUE || op == OP_JUMP_IF_FALSE_OR_POP ||
                    op == OP_JUMP_IF_TRUE_OR_POP;
        assert_int_equal(gil_model_preempts_at(preset("micropython"), op), jump);
        // Nothing asks and nothing counts: no preemption point at all.
        GilModel quiet = {.interval_us = 0, .preempt_every = true};
        assert_false(gil_model_preempts_at(&quiet, op));
        // An instruction counter alone makes the back-edges points.
        GilModel counted = {.interval_us = 0, .switch_every = 7};
        assert_int_equal(gil_model_preempts_at(&counted, op), backedge);
    }
    assert_false(gil_model_preempts_at(m310, OP_FOR_ITER));
    assert_false(gil_model_preempts_at(preset("micropython"), OP_FOR_ITER));
}

static void test_legend(void **state) {
    UNUSED(state);
    char buf[300];
    assert_non_null(strstr(gil_model_mark_legend(preset("cpython3.10"), buf, sizeof buf),
                           "hands the GIL over here (after a loop back-edge, around a call) when "
                           "a waiter has waited 5 ms"));
    assert_non_null(strstr(gil_model_mark_legend(preset("cpython2"), buf, sizeof buf),
                           "releases and re-takes the GIL before this instruction"));
    assert_non_null(strstr(buf, "every 100 instructions"));
    assert_non_null(strstr(gil_model_mark_legend(preset("micropython"), buf, sizeof buf),
                           "every 32nd jump"));
    GilModel m = {.switch_every = 1, .switch_on_jumps = true};
    assert_non_null(strstr(gil_model_mark_legend(&m, buf, sizeof buf), "every 1st jump"));
    m.switch_every = 13;
    assert_non_null(strstr(gil_model_mark_legend(&m, buf, sizeof buf), "every 13th jump"));
    m.switch_every = 0;
    assert_non_null(strstr(gil_model_mark_legend(&m, buf, sizeof buf), "nothing marked"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_preemption_points),
        cmocka_unit_test(test_legend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
