// Generators. A generator owns a heap frame; each resumption links that frame
// into the thread's chain (interp_run does) and runs until the next yield or
// the end. The exception being handled inside the generator is kept with the
// generator and swapped with the thread's while it runs, so an `except`
// block that yields does not leak its exception into the caller.
#include "gen.h"

#include "abstract.h"
#include "class.h"
#include "exc.h"
#include "func.h"
#include "interp.h"
#include "names.h"
#include "opcodes.h"
#include "str.h"
#include "tuple.h"

Value gen_new(Frame *f) {
    Gen *g = obj_alloc(&gen_type, sizeof(Gen));
    if (!g) {
        frame_free_heap(f);
        return VAL_NULL;
    }
    g->frame = f;
    f->gen = g;
    Function *fn = (Function *)val_obj(f->func);
    g->name = incref(fn->name);
    g->qualname = incref(fn->qualname);
    g->state = GEN_CREATED;
    return obj_val(g);
}

static void gen_finish(Gen *g) {
    if (g->frame) {
        frame_free_heap(g->frame);
        g->frame = NULL;
    }
    g->state = GEN_CLOSED;
}

// Take [g] from state [from] (CREATED or SUSPENDED) to RUNNING. In
// free-threaded mode two threads may try at once: a compare-and-swap lets
// exactly one resume it, the other gets "generator already executing".
static bool claim_running(Gen *g, int from) {
    if (!obj_locking) {
        atomic_store_explicit(&g->state, GEN_RUNNING, RELAXED);
        return true;
    }
    return atomic_compare_exchange_strong(&g->state, &from, GEN_RUNNING);
}

static Value gen_resume(Gen *g, Value v, bool throwing, Value *stop_value) {
    ThreadState *ts = ts_cur;
    *stop_value = VAL_NULL;
    int state = atomic_load_explicit(&g->state, memory_order_acquire);
    if (state == GEN_RUNNING)
        return exc_raise(&exc_ValueError, "generator already executing");
    if (state == GEN_CLOSED || !g->frame) {
        if (throwing)
            return VAL_NULL;   // the pending exception propagates
        *stop_value = incref(VAL_NONE);
        return VAL_NULL;
    }
    if (!throwing && state == GEN_CREATED && v != VAL_NONE)
        return exc_raise(&exc_TypeError, "can't send non-None value to a just-started generator");
    if (!claim_running(g, state))
        return exc_raise(&exc_ValueError, "generator already executing");
    Frame *f = g->frame;
    if (!throwing) {
        if (state != GEN_CREATED && v)
            *f->sp++ = incref(v);
    } else if (state == GEN_CREATED) {
        // Throwing into a generator that never started closes it.
        gen_finish(g);
        return VAL_NULL;
    }
    Value saved = ts->handled;
    ts->handled = g->handled;
    g->handled = VAL_NULL;
    f->flags |= FRAME_ENTRY;
    Value r = interp_resume(ts, f, throwing);
    g->handled = ts->handled;
    ts->handled = saved;
    if (f->state == FRAME_SUSPENDED) {
        g->state = GEN_SUSPENDED;
        return r;
    }
    gen_finish(g);
    if (r) {
        *stop_value = r;
        return VAL_NULL;
    }
    if (exc_matches(&exc_StopIteration)) {
        Value e = exc_fetch();
        Value msg = str_from_cstr("generator raised StopIteration");
        Value rt = msg ? exc_new(&exc_RuntimeError, &msg, 1) : VAL_NULL;
        decref(msg);
        if (rt) {
            set_ref(&((BaseExc *)val_obj(rt))->cause, e);
            ((BaseExc *)val_obj(rt))->suppress_context = true;
            exc_set_steal(rt);
        } else {
            decref(e);
        }
    }
    return VAL_NULL;
}

// Resume [g] (see gen_resume) for send() and throw(): a return from the
// generator becomes StopIteration(value), StopIteration() for None.
static Value resume_raising(Gen *g, Value v, bool throwing) {
    Value stop;
    Value r = gen_resume(g, v, throwing, &stop);
    if (!r && stop) {
        exc_raise_value(&exc_StopIteration, stop == VAL_NONE ? VAL_NULL : stop);
        decref(stop);
    }
    return r;
}

Value gen_send_ex(Value gen, Value v, Value *stop_value) {
    return gen_resume((Gen *)val_obj(gen), v, false, stop_value);
}

// The sub-iterator a suspended generator is delegating to with `yield from`
// (borrowed), or VAL_NULL. The frame then sits just after SEND + YIELD_VALUE
// with the sub-iterator on top of its stack.
static Value delegate_of(Gen *g, uint32_t *send_index) {
    Frame *f = g->frame;
    if (g->state != GEN_SUSPENDED || !f)
        return VAL_NULL;
    uint32_t next = (uint32_t)(f->ip - f->code->instrs);
    if (next < 2 || INSTR_OP(f->code->instrs[next - 1]) != OP_YIELD_VALUE ||
        INSTR_OP(f->code->instrs[next - 2]) != OP_SEND)
        return VAL_NULL;
    *send_index = next - 2;
    return f->sp[-1];
}

// throw() into a generator that delegates: pass the exception down first, as
// PEP 380 says. Returns the sub-iterator's next value, or resumes the
// delegating frame with the sub-iterator's result or exception.
static Value gen_throw_delegating(Gen *g, Value sub, uint32_t send_index, Value exc) {
    Value r;
    incref(sub);
    if (val_type(sub) == &gen_type) {
        r = gen_throw(sub, exc);
    } else {
        Value meth = val_getattr_opt(sub, names.throw);
        if (!meth) {
            decref(sub);
            if (exc_occurred())
                return VAL_NULL;
            // No throw(): the exception is raised in the delegating frame.
            exc_raise_object(exc);
            return resume_raising(g, VAL_NONE, true);
        }
        r = val_call1(meth, exc);
        decref(meth);
    }
    decref(sub);
    if (r)
        return r;   // still delegating: the outer generator stays suspended
    Frame *f = g->frame;
    if (exc_matches(&exc_StopIteration)) {
        // The sub-iterator finished: its value is the result of `yield from`.
        Value e = exc_fetch();
        BaseExc *be = (BaseExc *)val_obj(e);
        Value value = incref(be->value ? be->value : VAL_NONE);
        decref(e);
        Value old = f->sp[-1];
        f->sp[-1] = value;
        decref(old);
        f->ip = f->code->instrs + INSTR_ARG(f->code->instrs[send_index]);
        return resume_raising(g, VAL_NULL, false);
    }
    // The sub-iterator raised: raise that in the delegating frame.
    return resume_raising(g, VAL_NONE, true);
}

static int gen_close_impl(Gen *g);

Value gen_throw(Value gen, Value exc) {
    Gen *g = (Gen *)val_obj(gen);
    uint32_t send_index;
    Value sub = delegate_of(g, &send_index);
    bool is_exit = (val_is_exc_type(exc) && type_is_subtype((Type *)val_obj(exc), &exc_GeneratorExit)) ||
                   (val_is_exc(exc) && val_isinstance(exc, &exc_GeneratorExit));
    if (sub && !is_exit)
        return gen_throw_delegating(g, sub, send_index, exc);
    if (sub) {
        // GeneratorExit: close the sub-iterator first, then the delegator.
        int rc = 0;
        if (val_type(sub) == &gen_type) {
            rc = gen_close_impl((Gen *)val_obj(sub));
        } else {
            Value meth = val_getattr_opt(sub, names.close);
            if (meth) {
                Value r = val_call0(meth);
                decref(meth);
                if (r)
                    decref(r);
                else
                    rc = -1;
            } else if (exc_occurred()) {
                rc = -1;
            }
        }
        if (rc < 0) {
            return resume_raising(g, VAL_NONE, true);
        }
    }
    exc_raise_object(exc);
    if (!exc_occurred())
        return VAL_NULL;
    return resume_raising((Gen *)val_obj(gen), VAL_NONE, true);
}

// Exhaustion with a return value other than None raises StopIteration(value)
// so that next() can report it; loops treat StopIteration as the end.
static Value gen_iternext(Value self) {
    Value stop;
    Value r = gen_send_ex(self, VAL_NONE, &stop);
    if (!r && stop) {
        if (stop != VAL_NONE)
            exc_raise_value(&exc_StopIteration, stop);
        decref(stop);
    }
    return r;
}

static Value gen_iter(Value self) {
    return incref(self);
}

static Value gen_send_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("send", nargs, kwnames, 1, 1) < 0)
        return VAL_NULL;
    return resume_raising((Gen *)val_obj(self), args[0], false);
}

static Value gen_throw_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    if (args_check("throw", nargs, kwnames, 1, 3) < 0)
        return VAL_NULL;
    Value exc = args[0];
    if (nargs >= 2 && args[1] != VAL_NONE && val_is_exc_type(exc)) {
        Value inst = val_is_exc(args[1]) ? incref(args[1]) : val_call1(exc, args[1]);
        if (!inst)
            return VAL_NULL;
        Value r = gen_throw(self, inst);
        decref(inst);
        return r;
    }
    return gen_throw(self, exc);
}

static int gen_close_impl(Gen *g) {
    if (atomic_load(&g->state) == GEN_RUNNING)
        return exc_raise_int(&exc_ValueError, "generator already executing");
    if (g->state != GEN_SUSPENDED) {
        gen_finish(g);
        return 0;
    }
    Value r = gen_throw(obj_val(g), obj_val(&exc_GeneratorExit));
    if (r) {
        decref(r);
        return exc_raise_int(&exc_RuntimeError, "generator ignored GeneratorExit");
    }
    if (exc_matches(&exc_GeneratorExit) || exc_matches(&exc_StopIteration)) {
        exc_clear();
        return 0;
    }
    return exc_occurred() ? -1 : 0;
}

static Value gen_close_meth(Value self, Value *args, size_t nargs, Value kwnames) {
    UNUSED(args);
    if (args_check("close", nargs, kwnames, 0, 0) < 0)
        return VAL_NULL;
    if (gen_close_impl((Gen *)val_obj(self)) < 0)
        return VAL_NULL;
    return incref(VAL_NONE);
}

static void gen_dealloc(Object *o) {
    Gen *g = (Gen *)o;
    if (g->state == GEN_SUSPENDED && ts_cur) {
        // Run the generator's finally blocks, as CPython does on collection.
        // Keep the object alive while it runs, counted by this thread
        // (a free-threaded dealloc may run on any thread).
        atomic_store_explicit(&o->owner, rc_self, RELAXED);
        atomic_store_explicit(&o->ref_shared, 0, RELAXED);
        atomic_store_explicit(&o->ref_local, 1, RELAXED);
        Value saved = ts_cur->exc;
        ts_cur->exc = VAL_NULL;
        if (gen_close_impl(g) < 0)
            exc_clear();
        ts_cur->exc = saved;
        atomic_store_explicit(&o->ref_local, 0, RELAXED);
    }
    gen_finish(g);
    clear_ref(&g->name);
    clear_ref(&g->qualname);
    clear_ref(&g->handled);
    obj_free(o);
}

static Value gen_repr(Value self) {
    Gen *g = (Gen *)val_obj(self);
    return str_printf("<generator object %s at %p>", str_cstr(g->qualname), (void *)self);
}

static Value gen_getattr(Value self, Value name) {
    Gen *g = (Gen *)val_obj(self);
    if (name == names.__name__)
        return incref(g->name);
    if (name == names.__qualname__)
        return incref(g->qualname);
    return generic_getattr(self, name);
}

static const MethodDef gen_methods[] = {
    {"send", gen_send_meth, 0, NULL},
    {"throw", gen_throw_meth, 0, NULL},
    {"close", gen_close_meth, 0, NULL},
    {NULL, NULL, 0, NULL},
};

Type gen_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "generator",
    .basic_size = sizeof(Gen),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = gen_dealloc,
    .repr = gen_repr,
    .iter = gen_iter,
    .iternext = gen_iternext,
    .getattr = gen_getattr,
};

void gen_type_init(void) {
    type_ready(&gen_type);
    type_add_methods(&gen_type, gen_methods);
}
