// Process-wide start-up: readies every static type and the interned names
// once (runtime_init is idempotent and thread-safe).
#ifndef GILVM_RUNTIME_H
#define GILVM_RUNTIME_H

#include "object.h"

void runtime_init(void);

#endif
