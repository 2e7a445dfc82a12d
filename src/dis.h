// The disassembler: prints code objects in a layout close to `python3 -m dis`.
#ifndef GILVM_DIS_H
#define GILVM_DIS_H

#include <stdio.h>

#include "../vm/code.h"

// Print [code] and, after it, every code object among its constants.
void dis_code(Code *code, FILE *out);
// The same with a mark column: `*` before every instruction whose opcode
// [marks] (OP_COUNT entries, indexed by opcode) flags; NULL = no column.
void dis_code_marking(Code *code, FILE *out, const bool *marks);

// Print instruction [i] of [code] as "OPNAME ARG (meaning)", without a newline.
void dis_instruction(Code *code, uint32_t i, FILE *out);

#endif
