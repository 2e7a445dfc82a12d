# The built-in exception hierarchy.
pairs = [
    ("Exception", Exception, BaseException),
    ("ArithmeticError", ArithmeticError, Exception),
    ("ZeroDivisionError", ZeroDivisionError, ArithmeticError),
    ("OverflowError", OverflowError, ArithmeticError),
    ("LookupError", LookupError, Exception),
    ("KeyError", KeyError, LookupError),
    ("IndexError", IndexError, LookupError),
    ("ValueError", ValueError, Exception),
    ("TypeError", TypeError, Exception),
    ("AttributeError", AttributeError, Exception),
    ("NameError", NameError, Exception),
    ("UnboundLocalError", UnboundLocalError, NameError),
    ("RuntimeError", RuntimeError, Exception),
    ("RecursionError", RecursionError, RuntimeError),
    ("NotImplementedError", NotImplementedError, RuntimeError),
    ("StopIteration", StopIteration, Exception),
    ("AssertionError", AssertionError, Exception),
    ("MemoryError", MemoryError, Exception),
    ("OSError", OSError, Exception),
    ("TimeoutError", TimeoutError, OSError),
    ("ConnectionError", ConnectionError, OSError),
    ("ModuleNotFoundError", ModuleNotFoundError, ImportError),
    ("ImportError", ImportError, Exception),
    ("KeyboardInterrupt", KeyboardInterrupt, BaseException),
    ("SystemExit", SystemExit, BaseException),
    ("GeneratorExit", GeneratorExit, BaseException),
]
for name, cls, parent in pairs:
    print(name, cls.__name__ == name, issubclass(cls, parent), issubclass(cls, Exception),
          issubclass(cls, BaseException), issubclass(parent, cls))
print(issubclass(KeyboardInterrupt, Exception), issubclass(SystemExit, Exception))
print(issubclass(ZeroDivisionError, LookupError), issubclass(KeyError, IndexError))
# catching by base class
for cls in (ZeroDivisionError, OverflowError, KeyError, IndexError, UnboundLocalError,
            RecursionError, NotImplementedError, TimeoutError, ConnectionError, ModuleNotFoundError):
    for base in (ArithmeticError, LookupError, NameError, RuntimeError, OSError, ImportError):
        try:
            raise cls("msg")
        except base:
            print(cls.__name__, "caught by", base.__name__)
            break
        except Exception:
            pass
# Exception does not catch KeyboardInterrupt/SystemExit, BaseException does
for cls in (KeyboardInterrupt, SystemExit, GeneratorExit):
    try:
        try:
            raise cls()
        except Exception:
            print("wrongly caught by Exception")
    except BaseException as e:
        print(type(e).__name__, "caught by BaseException", isinstance(e, Exception))
# instances, args and str/repr of built-in exceptions
for cls in (ValueError, TypeError, KeyError, IndexError, OSError, RuntimeError, StopIteration,
            AssertionError, MemoryError, TimeoutError, ConnectionError, NotImplementedError,
            AttributeError, NameError, ModuleNotFoundError, SystemExit, KeyboardInterrupt):
    e = cls("boom")
    print(repr(e), str(e), e.args, isinstance(e, BaseException))
print(repr(SystemExit(3)), SystemExit(3).code, SystemExit().code, SystemExit("s").code)
print(StopIteration(5).value, StopIteration().value)
print(repr(KeyError()), repr(KeyError("a", "b")), str(KeyError("")), str(KeyError("x y")))
# user subclasses of various built-ins
class MyLookup(LookupError):
    pass
class MyKey(KeyError):
    pass
class Fatal(BaseException):
    pass
class MyTimeout(TimeoutError):
    pass
try:
    raise MyKey("mk")
except LookupError as e:
    print("MyKey caught as LookupError:", repr(e), isinstance(e, KeyError), str(e))
try:
    raise MyLookup("ml")
except KeyError:
    print("wrong")
except LookupError as e:
    print("MyLookup caught:", e)
try:
    try:
        raise Fatal("stop")
    except Exception:
        print("wrong")
except BaseException as e:
    print("Fatal caught as BaseException:", repr(e))
try:
    raise MyTimeout("slow")
except OSError as e:
    print("MyTimeout caught as OSError:", repr(e), isinstance(e, TimeoutError))
print(issubclass(MyKey, LookupError), issubclass(MyKey, (ValueError, IndexError)), MyKey.__name__)
# except (A, B) as e with various tuples
def catch(f):
    try:
        f()
    except (ZeroDivisionError, KeyError) as e:
        return "A/B: " + type(e).__name__
    except (TypeError, ValueError, AttributeError) as e:
        return "T/V/Attr: " + type(e).__name__
    except BaseException as e:
        return "base: " + type(e).__name__
print(catch(lambda: 1 / 0), catch(lambda: {}[0]), catch(lambda: int("q")), catch(lambda: None.x),
      catch(lambda: [][0]), catch(lambda: next(iter([]))))
