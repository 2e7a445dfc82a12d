// The sys module's standard streams, shared with builtins (print, input).
//
// sys.stdin/stdout/stderr are SysStream objects around a C FILE*. print()
// writes straight to the FILE when sys.stdout is still the original stream,
// and through `file.write` otherwise. Every actual read or write of a FILE
// happens in the sys_stream_* functions below, which release the GIL
// (thread_begin_blocking) around whatever reaches the operating system.
#ifndef GILVM_MOD_SYS_H
#define GILVM_MOD_SYS_H

#include <stdio.h>

#include "object.h"

typedef struct {
    Object ob;
    FILE *fp;
    Value name;          // Str: "<stdout>", ...
    bool readable, writable;
} SysStream;

extern Type sysstream_type;
void sysstream_type_init(void);

// The stream object [v]'s FILE* when [v] is one of ours, else NULL.
static inline FILE *sys_stream_file(Value v) {
    return val_is_obj(v) && val_obj(v)->type == &sysstream_type ? ((SysStream *)val_obj(v))->fp
                                                                 : NULL;
}

// sys.<name> of the running interpreter (new reference), or VAL_NULL with
// RuntimeError "lost sys.stdout" when it is missing or None.
Value sys_get_stream(const char *name);

// Write [n] bytes to [fp] in one stdio call, so that no other thread's output
// lands inside them; the GIL is released around it when it reaches the OS
// ([s] may point into a str: it is copied first). -1 with OSError,
// BrokenPipeError or MemoryError on failure.
int sys_stream_write(FILE *fp, const char *s, size_t n);
// fflush [fp], releasing the GIL when there is something to write. Errors
// are ignored (as before: a standard stream's flush never raised).
void sys_stream_flush(FILE *fp);
// Read one line (with its '\n') from [fp]: a malloc'd NUL-terminated buffer
// and its length; *len == 0 at end of file. NULL with MemoryError/OSError.
// Releases the GIL unless the line is already buffered.
char *sys_stream_readline(FILE *fp, size_t *len);
// fread up to [n] bytes into C memory [buf], releasing the GIL; fewer at end
// of file or on error (cleared).
size_t sys_stream_read(FILE *fp, char *buf, size_t n);

#endif
