// Tables generated from the single opcode list in opcodes.h.
#include "opcodes.h"

const char *const opcode_names[OP_COUNT] = {
#define OP_NAME(name, kind, effect, jeffect, doc) [OP_##name] = #name,
    OPCODES(OP_NAME)
#undef OP_NAME
};

const unsigned char opcode_arg_kinds[OP_COUNT] = {
#define OP_KIND(name, kind, effect, jeffect, doc) [OP_##name] = kind,
    OPCODES(OP_KIND)
#undef OP_KIND
};

int opcode_stack_effect(int op, int arg, bool jump) {
    switch (op) {
#define OP_EFFECT(name, kind, effect, jeffect, doc) \
    case OP_##name:                                 \
        return jump ? (jeffect) : (effect);
        OPCODES(OP_EFFECT)
#undef OP_EFFECT
    default:
        return 0;
    }
}

bool opcode_is_jump(int op) {
    return op >= 0 && op < OP_COUNT && opcode_arg_kinds[op] == ARG_JUMP;
}
