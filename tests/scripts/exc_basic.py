# Exception objects: repr, str, args, attributes, chaining, user subclasses.

def show(e):
    print(type(e).__name__, repr(e), str(e), e.args)

show(ValueError('bad'))
show(ValueError())
show(ValueError('a', 1))
show(KeyError('x'))
show(KeyError())
show(KeyError('a', 'b'))
show(ZeroDivisionError('division by zero'))
show(IndexError(3))
show(Exception(None))

try:
    1 / 0
except ZeroDivisionError as e:
    show(e)
    print(isinstance(e, ArithmeticError), isinstance(e, Exception), isinstance(e, BaseException))

try:
    {}['missing']
except KeyError as e:
    print('KeyError str:', str(e), 'repr:', repr(e))

try:
    [][5]
except LookupError as e:
    print('caught as LookupError:', type(e).__name__, e)

# Hierarchy
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(KeyError, LookupError))
print(issubclass(ModuleNotFoundError, ImportError), issubclass(RecursionError, RuntimeError))
print(issubclass(TabError, SyntaxError), issubclass(BrokenPipeError, OSError))
print(issubclass(SystemExit, Exception), issubclass(KeyboardInterrupt, BaseException))
print(ValueError.__mro__)

# StopIteration.value, SystemExit.code
s = StopIteration(42)
print(s.value, s.args)
print(StopIteration().value)
print(SystemExit().code, SystemExit(3).code, SystemExit(1, 2).code)

# User subclasses
class MyError(Exception):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code

try:
    raise MyError('boom', 7)
except MyError as e:
    print(repr(e), str(e), e.args, e.code)

class Plain(ValueError):
    pass

e = Plain('x', 'y')
print(repr(e), str(e), e.args)
e.extra = 5
print(e.extra)

class WithStr(Exception):
    def __str__(self):
        return 'custom: ' + super().__str__()

print(str(WithStr('hi')), repr(WithStr('hi')))

class NoSuper(Exception):
    def __init__(self, a, b):
        self.a = a

n = NoSuper(1, 2)
print(n.args, n.a)

# Chaining
def implicit():
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError('second')

def explicit():
    try:
        1 / 0
    except ZeroDivisionError as z:
        raise ValueError('from') from z

def suppressed():
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError('none') from None

try:
    implicit()
except ValueError as e:
    print(repr(e.__context__), e.__cause__, e.__suppress_context__)

try:
    explicit()
except ValueError as e:
    print(repr(e.__cause__), repr(e.__context__), e.__suppress_context__)

try:
    suppressed()
except ValueError as e:
    print(e.__cause__, repr(e.__context__), e.__suppress_context__)

# args assignment, with_traceback
e = ValueError('a')
e.args = ('b', 'c')
print(e.args, str(e))
e.args = [1]
print(e.args, str(e))
print(e.with_traceback(None) is e)
print(e.__traceback__)

try:
    raise TypeError('t')
except TypeError as e:
    print(type(e.__traceback__).__name__)

# raising classes and instances
try:
    raise KeyError
except KeyError as e:
    print(repr(e), e.args)

try:
    raise 5
except TypeError as e:
    print(e)

class NotExc:
    pass

try:
    raise NotExc
except TypeError as e:
    print(e)

try:
    ValueError(x=1)
except TypeError as e:
    print(e)

try:
    e = ValueError('x')
    e.__cause__ = 5
except TypeError as err:
    print(err)

try:
    del ValueError('x').args
except TypeError as err:
    print(err)

e = ValueError('x')
e.__cause__ = KeyError('k')
print(e.__suppress_context__, repr(e.__cause__))

# OSError details
o = OSError(2, 'No such file or directory')
print(type(o).__name__, o.errno, o.strerror, str(o))
o = OSError(2, 'No such file or directory', 'f.txt')
print(type(o).__name__, o.args, o.filename, str(o))
o = OSError('plain')
print(type(o).__name__, o.errno, str(o))
print(type(OSError(13, 'Permission denied')).__name__)

# ImportError
i = ImportError('no mod', name='m')
print(i.name, i.msg, str(i), i.path)

# SyntaxError attributes
se = SyntaxError('invalid syntax', ('f.py', 3, 5, 'x = = 1\n', 3, 6))
print(se.msg, se.filename, se.lineno, se.offset, repr(se.text), se.end_lineno, se.end_offset)
print(str(se))
print(str(SyntaxError('m')), SyntaxError('m').filename)

# Notes
e = ValueError('v')
e.add_note('note 1')
e.add_note('note 2')
print(e.__notes__)

# Exceptions are hashable and compare by identity
a = ValueError('a')
b = ValueError('a')
print(a == a, a == b, hash(a) == hash(a))
