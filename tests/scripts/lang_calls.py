# Calls: positional, keyword, defaults, *args/**kwargs, keyword-only, positional-only,
# unpacking at call sites, starred assignment targets, walrus.
def f(a, b, c=3, d=4):
    return (a, b, c, d)
print(f(1, 2), f(1, 2, 5), f(1, 2, d=9), f(b=1, a=2), f(1, c=0, b=7), f(*[1, 2]), f(*(1, 2, 3, 4)))
print(f(**{"a": 1, "b": 2}), f(1, **{"d": 0, "b": 5}), f(*[1], **{"b": 2}), f(*"ab", *"c"))
def varargs(*args, **kwargs):
    return args, kwargs
print(varargs(), varargs(1, 2), varargs(x=1), varargs(1, *[2, 3], y=4, **{"z": 5}))
print(type(varargs()[0]).__name__, type(varargs()[1]).__name__)
def mixed(a, b=2, *rest, key="k", **opts):
    return a, b, rest, key, opts
print(mixed(1), mixed(1, 2, 3, 4), mixed(1, key="K", extra=True), mixed(*range(5), **{"key": 0}))
def kwonly(a, *, b, c=30):
    return a, b, c
print(kwonly(1, b=2), kwonly(a=1, b=2, c=3), kwonly(1, c=0, b=9))
def posonly(a, b, /, c, *, d):
    return a, b, c, d
print(posonly(1, 2, 3, d=4), posonly(1, 2, c=3, d=4))
def po_default(a, b=5, /):
    return a + b
print(po_default(1), po_default(1, 1))
def po_kwargs(a, /, **kw):
    return a, kw
print(po_kwargs(1, a=2))
# defaults are evaluated once
def acc(x, into=[]):
    into.append(x)
    return into
print(acc(1), acc(2), acc(3, []))
dflt = 10
def uses_dflt(x=dflt):
    return x
dflt = 20
print(uses_dflt())
# evaluation order of arguments
order = []
def ev(tag, val=None):
    order.append(tag)
    return val
f(ev("a"), ev("b"), d=ev("d"), c=ev("c"))
print(order)
# unpacking in list/tuple/set/dict displays
xs = [1, 2]
print([*xs, 3, *xs], (*xs,), {*xs, 3}, {**{"a": 1}, "b": 2, **{"a": 3}}, [*"hi", *range(2)])
print(*xs, sep="-")
print(*[], "alone")
# starred assignment targets
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abcd"
print(init, last)
a, *mid, z = range(5)
print(a, mid, z)
a, *mid, z = [1, 2]
print(a, mid, z)
(p, q), [r, *s] = (1, 2), [3, 4, 5]
print(p, q, r, s)
for head, *tail in [(1, 2, 3), (4,)]:
    print(head, tail)
# tuple unpacking and swap
x, y = 1, 2
x, y = y, x
print(x, y)
a, b, c = "xyz"
print(a, b, c)
((a, b), c) = ((1, 2), 3)
print(a, b, c)
i = j = k = 7
print(i, j, k)
lst = [0, 0]
i, lst[i] = 1, 5
print(i, lst)
# walrus
data = [1, 5, 12, 7, 20]
if (n := len(data)) > 3:
    print("long list", n)
print([y for x in data if (y := x * 2) > 10])
it = iter([3, 2, 1, 0, 9])
while (val := next(it)) != 0:
    print("val", val)
print((w := 5) + w, w)
def wal():
    if (r := 42):
        return r
print(wal())
print(max(data, key=lambda v: -v), sorted(data, reverse=True)[:2])
# functions as values
def apply(fn, *a, **k):
    return fn(*a, **k)
print(apply(f, 1, 2, d=0), apply(len, "abc"), apply(dict, a=1))
print(f.__name__, apply.__name__, (lambda: 0).__name__)
