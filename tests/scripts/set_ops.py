# set/frozenset methods, operators, comparisons, errors.
def err(f):
    try:
        r = f()
        print('ok', r)
    except Exception as e:
        print(type(e).__name__, e)

s = {1, 2, 3}
print(len(s), 2 in s, 5 in s, bool(s), bool(set()))
print(set(), frozenset(), repr(set()), repr(frozenset()), frozenset([1, 2]))
s.add(4)
s.discard(10)
s.remove(1)
print(s)
err(lambda: s.remove(10))
err(lambda: set().pop())
err(lambda: s.add([]))
err(lambda: {[1]})
err(lambda: set(1))
err(lambda: set([], []))
err(lambda: set(a=1))
err(lambda: frozenset(a=1))
err(lambda: hash(set()))
err(lambda: {1} < [1])
err(lambda: {1} | [1])
err(lambda: {1} - 'a')
err(lambda: frozenset([[1]]))
err(lambda: set().add())
err(lambda: set().pop(1))
err(lambda: set().union(a=1))
err(lambda: set().issubset())

a, b = {1, 2, 3}, {2, 3, 4}
print(a <= b, a < b, a >= b, a > b, a == b, a != b)
print({1, 2} <= a, {1, 2} < a, a < a, a <= a, a >= {1}, a > {1}, a == {3, 2, 1})
print(a == frozenset(a), frozenset(a) == a, a == [1, 2, 3], a != [1, 2, 3])
print(a.issubset([1, 2, 3, 4]), a.issuperset([1]), a.isdisjoint([7, 8]), a.isdisjoint(b))
print(a.issubset(range(3)), frozenset([1]).issubset(a))
x = {1, 2}
x |= {3}
x &= {1, 3, 5}
x ^= {9}
x -= {1}
print(x)
y = x
y |= {100}
print(x is y, x)
f = frozenset([1, 2])
g = f
g |= {3}
print(f, g, f is g, type(g).__name__)
print(type(f | {9}).__name__, type({9} | f).__name__, type(f.copy()).__name__, f.copy() is f)
print(frozenset(f) is f, type(set(f)).__name__)

# set inside set via frozenset conversion
ss = {frozenset([1, 2]), frozenset()}
print({1, 2} in ss, set() in ss, {3} in ss)
ss.discard({1, 2})
print(ss)
ss.remove(set())
print(ss)

# iteration errors
def grow():
    z = {1, 2}
    for i in z:
        z.add(i + 10)
err(grow)
it = iter({1, 2, 3})
print(type(it).__name__, next(it), list(it), list(it))

# custom elements
class P:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return self.v % 3
    def __eq__(self, other):
        return isinstance(other, P) and self.v == other.v
    def __repr__(self):
        return 'P%d' % self.v
ps = {P(i) for i in range(10)}
print(len(ps), P(4) in ps, P(11) in ps, sorted(ps, key=lambda p: p.v))
ps.discard(P(4))
print(len(ps), P(4) in ps)

class MySet(set):
    pass
m = MySet([3, 1])
print(m, type(m | {5}).__name__, type(m.copy()).__name__, MySet(), isinstance(m, set))
class MyFrozen(frozenset):
    pass
print(MyFrozen([1, 2]), MyFrozen())

r = set()
print(r == set(), {1, 2, 3}.union(), {1}.intersection(), {1}.difference())
print(set('abc') == {'a', 'b', 'c'}, sorted({'b', 'a'}))
print({1: 2}.keys() | {3}, {(1, 2)} & {1: 2}.items())
