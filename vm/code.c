// The code object type. Code objects are built by the compiler, made
// immortal with their constants, and never change afterwards.
#include "code.h"

#include "class.h"
#include "str.h"

static void code_dealloc(Object *o) {
    Code *c = (Code *)o;
    free(c->instrs);
    free(c->lines);
    free(c->exctab);
    for (uint32_t i = 0; i < c->nconsts; i++)
        decref(c->consts[i]);
    free(c->consts);
    free(c->names);
    free(c->varnames);
    free(c->cellvars);
    free(c->freevars);
    free(c->cell2arg);
    decref(c->name);
    decref(c->qualname);
    decref(c->filename);
    obj_free(o);
}

static Value code_repr(Value v) {
    Code *c = (Code *)val_obj(v);
    return str_printf("<code object %s at %p, file \"%s\", line %d>", str_cstr(c->name),
                      (void *)v, str_cstr(c->filename), c->firstline);
}

Type code_type = {
    .ob = OBJECT_HEAD_IMMORTAL(&type_type),
    .name = "code",
    .basic_size = sizeof(Code),
    .tflags = TF_ABSTRACT_NEW,
    .dealloc = code_dealloc,
    .repr = code_repr,
};

int code_line_at(const Code *c, uint32_t instr_index) {
    if (instr_index >= c->ninstrs)
        return c->firstline;
    return c->lines[instr_index].line;
}

void code_type_init(void) {
    type_ready(&code_type);
}
