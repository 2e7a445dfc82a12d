# with statements: __enter__/__exit__, several items, suppression, exceptions in body.
class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, repr(exc))
        return self.suppress
with CM("a") as v:
    print("body", v)
with CM("a") as x, CM("b") as y:
    print("body", x, y)
with CM("outer"):
    with CM("inner"):
        print("nested body")
with CM("s", suppress=True):
    print("before raise")
    raise ValueError("suppressed")
    print("not reached")
print("after suppressed")
try:
    with CM("n"):
        raise KeyError("k")
except KeyError as e:
    print("propagated", repr(e))
try:
    with CM("first", suppress=False) as f, CM("second", suppress=True) as s:
        raise IndexError("inner one suppresses")
    print("continues", f, s)
except IndexError:
    print("not reached")
try:
    with CM("first", suppress=True), CM("second"):
        raise TypeError("outer one suppresses")
    print("continues after outer suppression")
except TypeError:
    print("not reached")
# with in a function: return inside body still calls __exit__
def f():
    with CM("ret"):
        return "returned value"
print(f())
# break / continue inside with inside loop
for i in range(3):
    with CM("loop%d" % i):
        if i == 0:
            continue
        if i == 1:
            break
print("loop done", i)
# __enter__ returning self
class Resource:
    def __init__(self):
        self.open = False
    def __enter__(self):
        self.open = True
        return self
    def __exit__(self, *args):
        self.open = False
with Resource() as r:
    print("inside open:", r.open)
print("outside open:", r.open)
# __exit__ returning a truthy non-bool value suppresses
class Truthy:
    def __enter__(self):
        return None
    def __exit__(self, *a):
        return 1
with Truthy() as nothing:
    1 / 0
print("truthy suppression, as-target:", nothing)
# exception raised in __exit__ replaces the body's exception
class Bad:
    def __enter__(self):
        return self
    def __exit__(self, t, e, tb):
        raise RuntimeError("from exit")
try:
    with Bad():
        raise ValueError("body")
except RuntimeError as e:
    print("RuntimeError", e, "context:", repr(e.__context__))
# exception in __enter__ means __exit__ is not called
class BadEnter:
    def __enter__(self):
        raise OSError("cannot enter")
    def __exit__(self, *a):
        print("never")
try:
    with BadEnter():
        print("never")
except OSError as e:
    print("OSError", e)
# with on an object lacking __enter__
try:
    with 5:
        pass
except (TypeError, AttributeError) as e:
    print(type(e).__name__)
# as target can be an attribute or subscript or tuple
class Holder:
    pass
h = Holder()
box = [None]
with CM("t") as h.attr:
    pass
with CM("u") as box[0]:
    pass
class Pair:
    def __enter__(self):
        return (1, 2)
    def __exit__(self, *a):
        return False
with Pair() as (p1, p2):
    print(p1, p2)
print(h.attr, box)
class TB:
    def __enter__(self):
        return self
    def __exit__(self, t, e, tb):
        print("traceback passed:", tb is not None)
        return True
with TB():
    raise ValueError
with TB():
    pass
