# raise, raise ... from ..., __context__, __cause__, __suppress_context__, user exceptions.
def show(e):
    print(type(e).__name__, repr(e), "| cause:", repr(e.__cause__), "| context:", repr(e.__context__),
          "| suppress:", e.__suppress_context__)
try:
    raise ValueError("plain")
except ValueError as e:
    show(e)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during handling")
except ValueError as e:
    show(e)
try:
    try:
        int("x")
    except ValueError as exc:
        raise RuntimeError("converted") from exc
except RuntimeError as e:
    show(e)
    print("cause is context:", e.__cause__ is e.__context__)
try:
    try:
        [][0]
    except IndexError:
        raise KeyError("no chain") from None
except KeyError as e:
    show(e)
try:
    raise TypeError("outside any handler") from ValueError("explicit cause")
except TypeError as e:
    show(e)
# a chain of three
try:
    try:
        try:
            raise OSError("level 1")
        except OSError:
            raise ValueError("level 2")
    except ValueError:
        raise KeyError("level 3")
except KeyError as e:
    show(e)
    show(e.__context__)
    print(repr(e.__context__.__context__.__context__))
# re-raise keeps the same object and its context
try:
    try:
        raise ValueError("again")
    except ValueError as e1:
        first = e1
        raise
except ValueError as e2:
    print("same object:", first is e2)
# raising the caught exception from another handler sets context
try:
    try:
        raise IndexError("inner")
    except IndexError as inner:
        try:
            raise KeyError("k")
        except KeyError:
            raise inner
except IndexError as e:
    show(e)
# raise from a class
try:
    raise RuntimeError from KeyError
except RuntimeError as e:
    show(e)
# raise with a non-exception
try:
    raise 5
except TypeError as e:
    print("TypeError", e)
try:
    raise ValueError from 5
except TypeError as e:
    print("TypeError", e)
# user exception hierarchy with extra attributes
class AppError(Exception):
    pass
class DBError(AppError):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code
class Retry(DBError):
    pass
try:
    raise Retry(503, "try again")
except AppError as e:
    print(type(e).__name__, e, e.code, e.args, isinstance(e, DBError), isinstance(e, Exception))
try:
    try:
        raise DBError(1, "db down")
    except DBError as e:
        raise AppError("wrapped") from e
except AppError as e:
    print(repr(e), repr(e.__cause__), e.__cause__.code)
class WithStr(Exception):
    def __str__(self):
        return "custom str"
try:
    raise WithStr("ignored arg")
except WithStr as e:
    print(str(e), repr(e), e.args)
class NoArgs(Exception):
    pass
print(repr(NoArgs()), str(NoArgs()), repr(NoArgs(1, "two")), str(NoArgs(1, "two")), str(NoArgs("one")))
print(repr(ValueError("a")), str(ValueError()), repr(KeyError("k")), str(KeyError("k")), str(KeyError(1, 2)))
e = Exception("x")
print(e.__cause__, e.__context__, e.__suppress_context__)
e.__cause__ = ValueError("manual")
print(repr(e.__cause__), e.__suppress_context__)
# exception attributes can be set
err = ValueError("v")
err.extra = 42
print(err.extra, err.args)
# raising in a generator propagates through the consumer
def gen():
    yield 1
    raise AppError("from generator")
try:
    for x in gen():
        print("got", x)
except AppError as e:
    print("AppError", e)
# an exception object raised twice accumulates nothing visible in args
ex = KeyError("reuse")
for _ in range(2):
    try:
        raise ex
    except KeyError as e:
        print(repr(e), e is ex)
