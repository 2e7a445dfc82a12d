// Every gilvm opcode, declared once.
//
// Instruction format: one 32-bit word per instruction.
//
//   31                         8 7        0
//   +---------------------------+----------+
//   |         arg (24 bits)     |  opcode  |
//   +---------------------------+----------+
//
// Jump arguments are absolute instruction indices. The stack picture in each
// description reads bottom -> top; [arg] is the 24-bit argument.
//
// OP(NAME, ARG_KIND, STACK_EFFECT, JUMP_EFFECT, "semantics")
//   STACK_EFFECT  change of stack depth when execution falls through (an
//                 expression of `arg`)
//   JUMP_EFFECT   change of stack depth when the jump is taken (jumps only;
//                 0 for others)
// The enum, the names, the operand kinds, the stack effects, the
// disassembler and the computed-goto table are all generated from this list.
#ifndef GILVM_OPCODES_H
#define GILVM_OPCODES_H

#include "common.h"

#define OPCODES(OP)                                                                     \
    OP(NOP, ARG_NONE, 0, 0, "do nothing")                                               \
    OP(POP_TOP, ARG_NONE, -1, 0, "v -> (drop v)")                                       \
    OP(PUSH_NULL, ARG_NONE, 1, 0, "-> NULL (the empty self slot of a call)")            \
    OP(COPY, ARG_COUNT, 1, 0, "push a new reference to the item [arg] deep (1 = top)")  \
    OP(SWAP, ARG_COUNT, 0, 0, "exchange the top with the item [arg] deep")              \
    OP(LOAD_CONST, ARG_CONST, 1, 0, "-> consts[arg]")                                   \
    OP(LOAD_FAST, ARG_LOCAL, 1, 0, "-> local [arg]; UnboundLocalError if unset")        \
    OP(STORE_FAST, ARG_LOCAL, -1, 0, "v -> ; local [arg] = v")                          \
    OP(DELETE_FAST, ARG_LOCAL, 0, 0, "del local [arg]")                                 \
    OP(LOAD_DEREF, ARG_DEREF, 1, 0, "-> contents of cell [arg]")                        \
    OP(LOAD_CLOSURE, ARG_DEREF, 1, 0, "-> the cell [arg] itself (to build a closure)")   \
    OP(LOAD_CLASSDEREF, ARG_DEREF, 1, 0, "-> class namespace entry, else cell [arg]")  \
    OP(STORE_DEREF, ARG_DEREF, -1, 0, "v -> ; cell [arg] = v")                          \
    OP(DELETE_DEREF, ARG_DEREF, 0, 0, "empty cell [arg]")                               \
    OP(LOAD_GLOBAL, ARG_NAME, 1, 0, "-> globals[name], else builtins[name]")           \
    OP(STORE_GLOBAL, ARG_NAME, -1, 0, "v -> ; globals[name] = v")                       \
    OP(DELETE_GLOBAL, ARG_NAME, 0, 0, "del globals[name]")                              \
    OP(LOAD_NAME, ARG_NAME, 1, 0, "-> locals[name], globals[name] or builtins[name]")  \
    OP(STORE_NAME, ARG_NAME, -1, 0, "v -> ; locals[name] = v")                          \
    OP(DELETE_NAME, ARG_NAME, 0, 0, "del locals[name]")                                 \
    OP(LOAD_ATTR, ARG_NAME, 0, 0, "obj -> obj.name")                                    \
    OP(STORE_ATTR, ARG_NAME, -2, 0, "v obj -> ; obj.name = v")                          \
    OP(DELETE_ATTR, ARG_NAME, -1, 0, "obj -> ; del obj.name")                           \
    OP(LOAD_METHOD, ARG_NAME, 1, 0, "obj -> method obj | attr NULL (for CALL)")         \
    OP(BINARY_SUBSCR, ARG_NONE, -1, 0, "container key -> container[key]")              \
    OP(STORE_SUBSCR, ARG_NONE, -3, 0, "v container key -> ; container[key] = v")        \
    OP(DELETE_SUBSCR, ARG_NONE, -2, 0, "container key -> ; del container[key]")         \
    OP(BUILD_SLICE, ARG_COUNT, 1 - (arg), 0, "start stop [step] -> slice")              \
    OP(BINARY_OP, ARG_BINOP, -1, 0, "a b -> a op b (op [arg]; >= NB_COUNT in-place)")   \
    OP(UNARY_NEGATIVE, ARG_NONE, 0, 0, "v -> -v")                                       \
    OP(UNARY_POSITIVE, ARG_NONE, 0, 0, "v -> +v")                                       \
    OP(UNARY_NOT, ARG_NONE, 0, 0, "v -> not v")                                         \
    OP(UNARY_INVERT, ARG_NONE, 0, 0, "v -> ~v")                                         \
    OP(COMPARE_OP, ARG_CMP, -1, 0, "a b -> a cmp b")                                    \
    OP(IS_OP, ARG_INVERT, -1, 0, "a b -> a is b (is not if [arg])")                     \
    OP(CONTAINS_OP, ARG_INVERT, -1, 0, "a b -> a in b (not in if [arg])")              \
    OP(BUILD_TUPLE, ARG_COUNT, 1 - (arg), 0, "v1..vn -> (v1, ..., vn)")                 \
    OP(BUILD_LIST, ARG_COUNT, 1 - (arg), 0, "v1..vn -> [v1, ..., vn]")                  \
    OP(BUILD_SET, ARG_COUNT, 1 - (arg), 0, "v1..vn -> {v1, ..., vn}")                   \
    OP(BUILD_MAP, ARG_COUNT, 1 - 2 * (arg), 0, "k1 v1 .. kn vn -> {k1: v1, ...}")       \
    OP(BUILD_STRING, ARG_COUNT, 1 - (arg), 0, "s1..sn -> s1 + ... + sn")                \
    OP(LIST_APPEND, ARG_COUNT, -1, 0, "v -> ; append v to the list [arg] deep")         \
    OP(SET_ADD, ARG_COUNT, -1, 0, "v -> ; add v to the set [arg] deep")                 \
    OP(MAP_ADD, ARG_COUNT, -2, 0, "k v -> ; store into the dict [arg] deep")            \
    OP(LIST_EXTEND, ARG_COUNT, -1, 0, "it -> ; extend the list [arg] deep")             \
    OP(SET_UPDATE, ARG_COUNT, -1, 0, "it -> ; update the set [arg] deep")               \
    OP(DICT_UPDATE, ARG_COUNT, -1, 0, "m -> ; update the dict [arg] deep")              \
    OP(DICT_MERGE, ARG_COUNT, -1, 0, "m -> ; merge **m into call kwargs, no dups")     \
    OP(LIST_TO_TUPLE, ARG_NONE, 0, 0, "list -> tuple(list)")                            \
    OP(FORMAT_VALUE, ARG_FORMAT, -(((arg) & 4) >> 2), 0,                                \
       "v [spec] -> format(conv(v), spec); conv = [arg]&3: none, str, repr, ascii")     \
    OP(UNPACK_SEQUENCE, ARG_COUNT, (arg) - 1, 0, "seq -> vn .. v1 (exactly [arg])")     \
    OP(UNPACK_EX, ARG_UNPACK, ((arg) & 0xff) + ((arg) >> 8), 0,                         \
       "seq -> after.. list before.. (starred target)")                                 \
    OP(JUMP, ARG_JUMP, 0, 0, "continue at [arg] (forward)")                             \
    OP(JUMP_BACKWARD, ARG_JUMP, 0, 0, "continue at [arg]; a preemption point")          \
    OP(POP_JUMP_IF_FALSE, ARG_JUMP, -1, -1, "v -> ; jump if not v")                     \
    OP(POP_JUMP_IF_TRUE, ARG_JUMP, -1, -1, "v -> ; jump if v")                          \
    OP(JUMP_IF_FALSE_OR_POP, ARG_JUMP, -1, 0, "v -> v and jump if not v, else pop")     \
    OP(JUMP_IF_TRUE_OR_POP, ARG_JUMP, -1, 0, "v -> v and jump if v, else pop")          \
    OP(GET_ITER, ARG_NONE, 0, 0, "v -> iter(v)")                                        \
    OP(FOR_ITER, ARG_JUMP, 1, -1, "it -> it next(it); exhausted: pop it, jump")        \
    OP(CALL, ARG_COUNT, -(arg) - 1, 0, "f self|NULL a1..an -> f(a1..an); preemption")   \
    OP(CALL_KW, ARG_COUNT, -(arg) - 2, 0, "f self|NULL a1..an kwnames -> result")       \
    OP(CALL_EX, ARG_COUNT, -2 - ((arg) & 1), 0, "f NULL args [kwargs] -> f(*a, **kw)")  \
    OP(MAKE_FUNCTION, ARG_FLAGS, -__builtin_popcount((arg) & 7), 0,                     \
       "[defaults] [kwdefaults] [closure] code -> function")                            \
    OP(RETURN_VALUE, ARG_NONE, -1, 0, "v -> ; return v to the caller")                  \
    OP(YIELD_VALUE, ARG_NONE, 0, 0, "v -> sent; suspend the generator yielding v")     \
    OP(SEND, ARG_JUMP, 0, -1, "it v -> it r (r yielded by it); done: -> value, jump")   \
    OP(GET_YIELD_FROM_ITER, ARG_NONE, 0, 0, "v -> iter(v) (generators pass through)")  \
    OP(RAISE_VARARGS, ARG_COUNT, -(arg), 0, "[exc [cause]] -> raise (re-raise if 0)")   \
    OP(RERAISE, ARG_NONE, -1, 0, "exc -> ; raise exc again, traceback unchanged")      \
    OP(PUSH_EXC_INFO, ARG_NONE, 1, 0, "exc -> prev exc; exc becomes the handled one")  \
    OP(POP_EXCEPT, ARG_NONE, -1, 0, "prev -> ; prev becomes the handled exception")    \
    OP(CHECK_EXC_MATCH, ARG_NONE, 0, 0, "exc type -> exc isinstance(exc, type)")       \
    OP(BEFORE_WITH, ARG_NONE, 1, 0, "mgr -> mgr.__exit__ mgr.__enter__()")             \
    OP(WITH_EXIT, ARG_NONE, -1, 0, "exit -> ; exit(None, None, None)")                 \
    OP(WITH_EXCEPT_START, ARG_NONE, 1, 0, "exit prev exc -> exit prev exc exit(t, e, tb)") \
    OP(IMPORT_NAME, ARG_NAME, -1, 0, "level fromlist -> module")                        \
    OP(IMPORT_FROM, ARG_NAME, 1, 0, "module -> module module.name")                     \
    OP(IMPORT_STAR, ARG_NONE, -1, 0, "module -> ; copy public names into locals")       \
    OP(LOAD_BUILD_CLASS, ARG_NONE, 1, 0, "-> __build_class__")                          \
    OP(PRINT_EXPR, ARG_NONE, -1, 0, "v -> ; REPL: print repr(v) unless None")          \
    OP(LOAD_ASSERTION_ERROR, ARG_NONE, 1, 0, "-> AssertionError")

typedef enum {
#define OP_ENUM(name, kind, effect, jeffect, doc) OP_##name,
    OPCODES(OP_ENUM)
#undef OP_ENUM
    OP_COUNT
} Opcode;

typedef enum {
    ARG_NONE,
    ARG_COUNT,
    ARG_CONST,
    ARG_LOCAL,
    ARG_DEREF,
    ARG_NAME,
    ARG_JUMP,
    ARG_BINOP,
    ARG_CMP,
    ARG_INVERT,
    ARG_FORMAT,
    ARG_UNPACK,
    ARG_FLAGS,
} ArgKind;

// MAKE_FUNCTION flags
enum { MF_DEFAULTS = 1, MF_KWDEFAULTS = 2, MF_CLOSURE = 4 };
// CALL_EX flags
enum { CE_KWARGS = 1 };

#define INSTR(op, arg) ((uint32_t)(op) | ((uint32_t)(arg) << 8))
#define INSTR_OP(w) ((w) & 0xff)
#define INSTR_ARG(w) ((w) >> 8)
#define ARG_MAX 0xffffff

extern const char *const opcode_names[OP_COUNT];
extern const unsigned char opcode_arg_kinds[OP_COUNT];
int opcode_stack_effect(int op, int arg, bool jump);
bool opcode_is_jump(int op);

#endif
