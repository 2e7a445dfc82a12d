// Disassembler. One line per instruction:
//
//   LINE  >>  INDEX OPNAME                 ARG (MEANING)
//
// LINE appears where a new source line starts, `>>` marks jump targets,
// INDEX is the instruction's position (jump arguments are positions too).
// The layout follows `python3 -m dis` so students can compare the two.
// dis_code_marking adds a column before `>>`: `*` where the GIL model lets
// the GIL change hands (the caller prints the legend).
#include "dis.h"

#include "../vm/abstract.h"
#include "../vm/exc.h"
#include "../vm/opcodes.h"
#include "../vm/str.h"

static const char *const cmp_names[] = {"<", "<=", "==", "!=", ">", ">="};
static const char *const nb_names[] = {
#define X(name, sym, d, r, i) sym,
    NB_OPS(X)
#undef X
};

static void print_value(Value v, FILE *out) {
    Value r = val_repr(v);
    if (!r) {
        exc_clear();
        fputs("?", out);
        return;
    }
    fwrite(str_cstr(r), 1, str_len(r), out);
    decref(r);
}

static void deref_name(Code *c, uint32_t i, FILE *out) {
    Value n = i < c->ncells ? c->cellvars[i] : (i - c->ncells < c->nfree ? c->freevars[i - c->ncells] : VAL_NULL);
    fputs(n ? str_cstr(n) : "?", out);
}

static void print_arg(Code *c, int op, uint32_t arg, FILE *out) {
    switch (opcode_arg_kinds[op]) {
    case ARG_CONST:
        if (arg < c->nconsts) {
            fputs(" (", out);
            print_value(c->consts[arg], out);
            fputs(")", out);
        }
        break;
    case ARG_NAME:
        if (arg < c->nnames)
            fprintf(out, " (%s)", str_cstr(c->names[arg]));
        break;
    case ARG_LOCAL:
        if (arg < c->nlocals)
            fprintf(out, " (%s)", str_cstr(c->varnames[arg]));
        break;
    case ARG_DEREF:
        fputs(" (", out);
        deref_name(c, arg, out);
        fputs(")", out);
        break;
    case ARG_JUMP:
        fprintf(out, " (to %u)", arg);
        break;
    case ARG_BINOP:
        if (arg < NB_COUNT)
            fprintf(out, " (%s)", nb_names[arg]);
        else if (arg < 2 * NB_COUNT)
            fprintf(out, " (%s=)", nb_names[arg - NB_COUNT]);
        break;
    case ARG_CMP:
        if (arg < 6)
            fprintf(out, " (%s)", cmp_names[arg]);
        break;
    case ARG_INVERT:
        if (op == OP_IS_OP)
            fputs(arg ? " (is not)" : " (is)", out);
        else
            fputs(arg ? " (not in)" : " (in)", out);
        break;
    default:
        break;
    }
}

static void dis_one(Code *c, FILE *out, const bool *marks) {
    bool *target = calloc(c->ninstrs + 1, sizeof(bool));
    for (uint32_t i = 0; i < c->ninstrs && target; i++) {
        int op = (int)INSTR_OP(c->instrs[i]);
        if (opcode_is_jump(op) && INSTR_ARG(c->instrs[i]) <= c->ninstrs)
            target[INSTR_ARG(c->instrs[i])] = true;
    }
    for (uint32_t i = 0; i < c->nexc && target; i++)
        target[c->exctab[i].handler] = true;
    int last_line = -1;
    for (uint32_t i = 0; i < c->ninstrs; i++) {
        int op = (int)INSTR_OP(c->instrs[i]);
        uint32_t arg = INSTR_ARG(c->instrs[i]);
        int line = c->lines[i].line;
        if (line != last_line) {
            if (i > 0)
                fputc('\n', out);
            fprintf(out, "%4d", line);
            last_line = line;
        } else {
            fputs("    ", out);
        }
        const char *name = op < OP_COUNT ? opcode_names[op] : "<bad>";
        if (marks)
            fprintf(out, " %c", op < OP_COUNT && marks[op] ? '*' : ' ');
        fprintf(out, "  %s %5u ", (target && target[i]) ? ">>" : "  ", i);
        if (opcode_arg_kinds[op] != ARG_NONE) {
            fprintf(out, "%-24s %4u", name, arg);
            print_arg(c, op, arg, out);
        } else {
            fputs(name, out);
        }
        fputc('\n', out);
    }
    if (c->nexc) {
        fputs("ExceptionTable:\n", out);
        for (uint32_t i = 0; i < c->nexc; i++)
            fprintf(out, "  %u to %u -> %u [%u]\n", c->exctab[i].start, c->exctab[i].end - 1,
                    c->exctab[i].handler, c->exctab[i].depth);
    }
    free(target);
}

void dis_instruction(Code *c, uint32_t i, FILE *out) {
    if (i >= c->ninstrs) {
        fputs("?", out);
        return;
    }
    int op = (int)INSTR_OP(c->instrs[i]);
    uint32_t arg = INSTR_ARG(c->instrs[i]);
    fputs(op < OP_COUNT ? opcode_names[op] : "<bad>", out);
    if (op < OP_COUNT && opcode_arg_kinds[op] != ARG_NONE) {
        fprintf(out, " %u", arg);
        print_arg(c, op, arg, out);
    }
}

void dis_code(Code *code, FILE *out) {
    dis_code_marking(code, out, NULL);
}

void dis_code_marking(Code *code, FILE *out, const bool *marks) {
    dis_one(code, out, marks);
    for (uint32_t i = 0; i < code->nconsts; i++) {
        Value v = code->consts[i];
        if (val_is_obj(v) && val_obj(v)->type == &code_type) {
            Code *inner = (Code *)val_obj(v);
            fprintf(out, "\nDisassembly of <code object %s, file \"%s\", line %d>:\n",
                    str_cstr(inner->name), str_cstr(inner->filename), inner->firstline);
            dis_code_marking(inner, out, marks);
        }
    }
}
