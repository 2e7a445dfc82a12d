// GIL models: the presets and what a model means for the bytecode (see
// gil_model.h for the knobs).
//
// How faithful each preset is, and where it simplifies:
//   cpython3.10  CPython 3.10+ (Python/ceval_gil.c, "new GIL"): a waiter sets
//                the eval breaker after 5 ms without a switch; the loop checks
//                it at backward jumps and calls; the holder drops the GIL and
//                waits until another thread has it (FORCE_SWITCHING).
//   cpython3.2   CPython 3.2-3.9: the same GIL, but the loop checked the eval
//                breaker before almost every instruction.
//   cpython2     CPython 2's check interval: every 100 "ticks" the running
//                thread released the GIL and immediately asked for it again,
//                with no hand-over wait, so on a multicore machine it usually
//                won it back (the convoy effect). Waiters never asked. CPython
//                2 did not count a few cheap opcodes (LOAD_FAST, LOAD_CONST,
//                ...); gilvm counts every instruction.
//   micropython  MicroPython's GIL is a plain mutex; with
//                MICROPY_PY_THREAD_GIL_VM_DIVISOR = 32 the VM unlocks and
//                relocks it on every 32nd jump instruction (py/vm.c,
//                pending_exception_check). MicroPython does it just after the
//                jump, gilvm just before: a jump touches no shared data, so
//                the interleavings are the same.
//   ruby         CRuby's GVL: a waiting thread acts as the timer and flags
//                the holder after a 100 ms time slice; the holder yields at
//                its next interrupt check (jumps and branches, method
//                returns) and waits until another thread runs. gilvm's
//                CPython-style interval with 100 ms and forced hand-over is
//                that mechanism, with back-edges and calls as check points.
#include "gil_model.h"

#include <stdarg.h>

#include "state.h"

const GilPreset gil_model_presets[] = {
    {"cpython3.10", "CPython 3.10+: 5 ms interval, switches at loop back-edges and calls",
     {.interval_us = 5000, .switch_mode = GIL_HANDOVER}},
    {"cpython3.2", "CPython 3.2-3.9: 5 ms interval, switches at any instruction boundary",
     {.interval_us = 5000, .preempt_every = true, .switch_mode = GIL_HANDOVER}},
    {"cpython2", "CPython 2: release and re-take every 100 instructions, no hand-over",
     {.interval_us = 0, .preempt_every = true, .switch_every = 100, .switch_mode = GIL_RELEASE}},
    {"micropython", "MicroPython: release and re-take every 32 jumps, no hand-over",
     {.interval_us = 0, .switch_every = 32, .switch_on_jumps = true, .switch_mode = GIL_RELEASE}},
    {"ruby", "Ruby's GVL: 100 ms time slice, then a forced switch at a back-edge or call",
     {.interval_us = 100000, .switch_mode = GIL_HANDOVER}},
};
const size_t gil_model_npresets = ARRAY_LEN(gil_model_presets);

const GilPreset *gil_model_find(const char *name) {
    for (size_t i = 0; i < gil_model_npresets; i++)
        if (strcmp(gil_model_presets[i].name, name) == 0)
            return &gil_model_presets[i];
    return NULL;
}

const GilPreset *gil_model_match(const GilModel *m) {
    for (size_t i = 0; i < gil_model_npresets; i++) {
        const GilModel *p = &gil_model_presets[i].model;
        if (p->interval_us == m->interval_us && p->preempt_every == m->preempt_every &&
            p->switch_every == m->switch_every &&
            (!p->switch_every || p->switch_on_jumps == m->switch_on_jumps) &&
            p->switch_mode == m->switch_mode)
            return &gil_model_presets[i];
    }
    return NULL;
}

const char *gil_model_names(void) {
    static char names[128];
    if (!names[0]) {
        size_t len = 0;
        for (size_t i = 0; i < gil_model_npresets; i++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                                    gil_model_presets[i].name);
    }
    return names;
}

// Appends to [buf] (length *[len], capacity [n]), truncating safely.
static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t n, size_t *len, const char *fmt, ...) {
    if (*len >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (w > 0)
        *len += (size_t)w;
}

char *gil_model_flags(const GilModel *m, char *buf, size_t n) {
    size_t len = 0;
    buf[0] = 0;
    if (m->interval_us == 0)
        put(buf, n, &len, "--switch-interval=off");
    else if (m->interval_us % 1000 == 0)
        put(buf, n, &len, "--switch-interval=%lld", (long long)(m->interval_us / 1000));
    else
        put(buf, n, &len, "--switch-interval=%g", (double)m->interval_us / 1000.0);
    put(buf, n, &len, " --preempt=%s", m->preempt_every ? "instruction" : "backedge");
    if (m->switch_every)
        put(buf, n, &len, " --switch-every%s=%llu", m->switch_on_jumps ? "-jumps" : "",
            (unsigned long long)m->switch_every);
    put(buf, n, &len, " --switch-mode=%s", m->switch_mode == GIL_RELEASE ? "release" : "handover");
    return buf;
}

void gil_model_apply(Interp *in, const GilModel *m) {
    gil_set_interval(&in->gil, m->interval_us);
    gil_set_switch_mode(&in->gil, m->switch_mode);
    gil_set_switch_every(&in->gil, m->switch_every);
    in->preempt_every = m->preempt_every;
    in->switch_every = m->switch_every;
    in->switch_on_jumps = m->switch_every && m->switch_on_jumps;
    in->main_thread->switch_budget = (int64_t)m->switch_every;
}

// Whether anything can ask the holder to let go at a preemption point.
static bool has_requests(const GilModel *m) {
    return m->interval_us > 0 || (m->switch_every > 0 && !m->switch_on_jumps);
}

static uint64_t jump_count(const GilModel *m) {
    return m->switch_on_jumps ? m->switch_every : 0;
}

bool gil_model_preempts_at(const GilModel *m, int op) {
    if (jump_count(m) && GIL_MODEL_IS_COUNTED_JUMP(op))
        return true;
    if (!has_requests(m))
        return false;
    return m->preempt_every || GIL_MODEL_IS_BACKEDGE_OP(op);
}

static const char *ordinal_suffix(uint64_t k) {
    if (k % 100 >= 11 && k % 100 <= 13)
        return "th";
    switch (k % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
    }
}

char *gil_model_mark_legend(const GilModel *m, char *buf, size_t n) {
    size_t len = 0;
    buf[0] = 0;
    const char *verb =
        m->switch_mode == GIL_RELEASE ? "releases and re-takes the GIL" : "hands the GIL over";
    if (has_requests(m)) {
        put(buf, n, &len, "* = the running thread %s %s", verb,
            m->preempt_every ? "before this instruction (any instruction boundary)"
                             : "here (after a loop back-edge, around a call)");
        if (m->interval_us > 0)
            put(buf, n, &len, " when a waiter has waited %g ms", (double)m->interval_us / 1000.0);
        if (m->switch_every && !m->switch_on_jumps)
            put(buf, n, &len, "%s%s every %llu instructions", m->interval_us > 0 ? " or" : "",
                m->preempt_every ? "" : " at the first mark after",
                (unsigned long long)m->switch_every);
    }
    if (jump_count(m))
        put(buf, n, &len, "%s %s just before every %llu%s jump it executes",
            len ? "; on jumps it also" : "* = the running thread", verb,
            (unsigned long long)jump_count(m), ordinal_suffix(jump_count(m)));
    if (!len)
        put(buf, n, &len,
            "nothing marked: no thread is ever asked to let go; the GIL changes hands only "
            "when its holder blocks (sleep, lock, I/O)");
    return buf;
}
