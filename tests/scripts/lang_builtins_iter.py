# Builtins part 2: sorted, reversed, enumerate, zip, map, filter, iter, next,
# getattr/setattr/hasattr, object, super.
print(sorted([3, 1, 2]), sorted("cba"), sorted((2, 1)), sorted({3: 0, 1: 0}), sorted({5, 2, 9}), sorted([]))
print(sorted([3, 1, 2], reverse=True), sorted(["b", "A", "a", "B"]), sorted(["b", "A", "a"], key=str.lower))
print(sorted(["aaa", "b", "cc"], key=len), sorted(["aaa", "b", "cc"], key=len, reverse=True))
pairs = [("x", 2), ("y", 1), ("z", 2), ("w", 1)]
print(sorted(pairs, key=lambda p: p[1]), sorted(pairs, key=lambda p: p[1], reverse=True))
print(sorted(pairs), sorted([-3, 2, -1], key=abs), sorted([1.5, -2, 0]))
orig = [3, 1, 2]
new = sorted(orig)
print(orig, new, new is orig)
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))), list(reversed(range(3))), "".join(reversed("xyz")))
print(list(reversed([])))
print(list(enumerate("ab")), list(enumerate(["x", "y"], start=1)), list(enumerate([], 5)), list(enumerate("a", -1)))
for i, (a, b) in enumerate([(1, 2), (3, 4)]):
    print(i, a, b)
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1])), list(zip(range(3), range(3), range(3))))
print(dict(zip("abc", range(3))), list(zip(*[(1, "a"), (2, "b")])))
print(list(map(str, [1, 2])), list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])), list(map(len, ["ab", ""])))
print(list(filter(None, [0, 1, "", "a", [], [0]])), list(filter(lambda x: x % 2, range(7))), list(filter(str.isdigit, "a1b2")))
m = map(abs, [-1, -2])
print(next(m), list(m), list(m))
it = iter([10, 20, 30])
print(next(it), next(it), next(it), next(it, "done"), next(it, None))
it = iter("hi")
print(next(it), list(it))
d = {"a": 1, "b": 2}
di = iter(d)
print(next(di), next(di), next(di, "end"))
print(list(iter(range(3))), iter(it) is it)
try:
    next(iter([]))
except StopIteration:
    print("StopIteration raised")
# iter with sentinel
vals = [1, 2, 3, 0, 5]
pos = [0]
def produce():
    v = vals[pos[0]]
    pos[0] += 1
    return v
print(list(iter(produce, 0)))
# zip stops at shortest, lazily
def gen():
    for i in range(5):
        print("  gen", i)
        yield i
print(list(zip(gen(), "ab")))
# getattr / setattr / hasattr / delattr
class Obj:
    cls_attr = "C"
    def method(self):
        return "m"
o = Obj()
setattr(o, "dyn", 42)
print(getattr(o, "dyn"), getattr(o, "cls_attr"), getattr(o, "missing", "fallback"), getattr(o, "method")())
print(hasattr(o, "dyn"), hasattr(o, "nope"), hasattr(Obj, "method"), hasattr("s", "upper"))
del o.dyn
print(hasattr(o, "dyn"))
name = "computed"
setattr(o, name + "_attr", [1])
print(o.computed_attr, getattr(o, "computed" + "_attr"))
try:
    getattr(o, "absent")
except AttributeError as e:
    print("AttributeError", e)
# object and super
ob = object()
print(type(ob).__name__, isinstance(ob, object), ob == ob, ob != object())
class A:
    def who(self):
        return "A"
    def chain(self):
        return ["A"]
class B(A):
    def who(self):
        return "B>" + super().who()
    def chain(self):
        return ["B"] + super().chain()
class C(B):
    def who(self):
        return "C>" + super().who()
    def chain(self):
        return ["C"] + super(C, self).chain()
print(C().who(), C().chain(), B().who(), super(B, C()).who())
class Init:
    def __init__(self):
        super().__init__()
        self.ok = True
print(Init().ok)
# range behaviour as builtin
print(list(range(3)), list(range(1, 4)), list(range(0, 10, 4)), list(range(3, 0, -1)), range(5)[-1], list(range(-2)))
# enumerate/zip/map/filter are iterators, single pass
z = zip([1, 2], [3, 4])
print(list(z), list(z))
e = enumerate("ab")
print(next(e), list(e))
f = filter(None, [1, 0, 2])
print(next(f), list(f))
