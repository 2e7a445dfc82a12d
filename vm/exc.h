// Exceptions: the built-in hierarchy and the error API.
//
// Errors travel by return value: a function that fails sets the thread's
// exception (ts_cur->exc) and returns VAL_NULL or -1. exc_raise* build the
// exception object; `__context__` is filled from the exception being handled,
// as CPython chains implicitly. The interpreter appends traceback entries as
// the exception leaves each frame.
#ifndef GILVM_EXC_H
#define GILVM_EXC_H

#include "code.h"
#include "object.h"

typedef struct {
    Object ob;
    Value dict;              // instance attributes (user subclasses)
    Value args;              // Tuple
    Value traceback;         // Traceback or VAL_NULL
    Value cause;             // exception or VAL_NULL
    Value context;           // exception or VAL_NULL
    bool suppress_context;
    Value value;             // StopIteration.value / SystemExit.code
} BaseExc;

typedef struct Traceback {
    Object ob;
    Value next;              // Traceback or VAL_NULL (inner frames)
    Value code;              // Code, borrowed-immortal
    int32_t line;
    uint16_t col, end_col;
} Traceback;

// X(name, base): the built-in exception types, bases first.
#define BUILTIN_EXCEPTIONS(X)                     \
    X(BaseException, object)                      \
    X(Exception, BaseException)                   \
    X(SystemExit, BaseException)                  \
    X(KeyboardInterrupt, BaseException)           \
    X(GeneratorExit, BaseException)               \
    X(ArithmeticError, Exception)                 \
    X(ZeroDivisionError, ArithmeticError)         \
    X(OverflowError, ArithmeticError)             \
    X(FloatingPointError, ArithmeticError)        \
    X(LookupError, Exception)                     \
    X(KeyError, LookupError)                      \
    X(IndexError, LookupError)                    \
    X(ValueError, Exception)                      \
    X(UnicodeError, ValueError)                   \
    X(TypeError, Exception)                       \
    X(AttributeError, Exception)                  \
    X(NameError, Exception)                       \
    X(UnboundLocalError, NameError)               \
    X(RuntimeError, Exception)                    \
    X(RecursionError, RuntimeError)               \
    X(NotImplementedError, RuntimeError)          \
    X(StopIteration, Exception)                   \
    X(StopAsyncIteration, Exception)              \
    X(AssertionError, Exception)                  \
    X(MemoryError, Exception)                     \
    X(BufferError, Exception)                     \
    X(EOFError, Exception)                        \
    X(ImportError, Exception)                     \
    X(ModuleNotFoundError, ImportError)           \
    X(OSError, Exception)                         \
    X(TimeoutError, OSError)                      \
    X(ConnectionError, OSError)                   \
    X(BrokenPipeError, ConnectionError)           \
    X(ConnectionResetError, ConnectionError)      \
    X(ConnectionRefusedError, ConnectionError)    \
    X(FileNotFoundError, OSError)                 \
    X(PermissionError, OSError)                   \
    X(InterruptedError, OSError)                  \
    X(SyntaxError, Exception)                     \
    X(IndentationError, SyntaxError)              \
    X(TabError, IndentationError)                 \
    X(SystemError, Exception)                     \
    X(Warning, Exception)                         \
    X(DeprecationWarning, Warning)                \
    X(RuntimeWarning, Warning)                    \
    X(UserWarning, Warning)

#define DECLARE_EXC(name, base) extern Type exc_##name;
BUILTIN_EXCEPTIONS(DECLARE_EXC)
#undef DECLARE_EXC

extern Type traceback_type;

void exc_init_types(void);

// Set a new exception of [type] with a printf-formatted message. Returns
// VAL_NULL so callers can `return exc_raise(...)`.
Value exc_raise(Type *type, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// Same, for functions returning int: returns -1.
int exc_raise_int(Type *type, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// Raise [type]([arg]) (arg borrowed).
Value exc_raise_value(Type *type, Value arg);
// Raise the exception instance or class [v] (borrowed); TypeError if it is neither.
void exc_raise_object(Value v);
// Set [exc] (stolen) as the current exception, chaining __context__.
void exc_set_steal(Value exc);
Value exc_nomemory(void);
bool exc_occurred(void);
// Take the current exception out of the thread state (new reference).
Value exc_fetch(void);
void exc_clear(void);
// True when the current exception is an instance of [type].
bool exc_matches(Type *type);
// Instance of an exception type: VAL_NULL on error.
Value exc_new(Type *type, Value *args, size_t nargs);
bool val_is_exc(Value v);
bool val_is_exc_type(Value v);
// Append a traceback entry for [code] at [instr] to [exc].
void exc_add_traceback(Value exc, Code *code, uint32_t instr);
// Print [exc] with its chain and traceback, as CPython does, to stderr.
void exc_print(Value exc);
// "KeyError: 'x'" style one-line message.
Value exc_format_line(Value exc);
// The `str()` of an exception's args.
Value exc_str(Value exc);

#endif
