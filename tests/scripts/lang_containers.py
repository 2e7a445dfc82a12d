# list, tuple, dict, set (of ints), range, slice objects.
# list
l = [3, 1, 2]
print(l, len(l), l[0], l[-1], [], [[]], [1, [2, [3]]])
l.append(4); l.extend([5, 6]); l.insert(0, 0)
print(l, l.pop(), l.pop(0), l)
l.remove(2); print(l, l.index(4), l.count(1))
l.sort(); print(l); l.reverse(); print(l)
print([1, 2] + [3], [0] * 3, [1, 2] * 0, 2 * [7], [1, 2] == [1, 2], [1, 2] < [1, 3], [1] < [1, 0])
print(list("abc"), list(range(3)), list((1, 2)), list({1: 'a', 2: 'b'}))
m = [[0] * 2 for _ in range(2)]; m[0][1] = 5; print(m)
al = [1]; bl = al; bl.append(2); print(al, al is bl, al == [1, 2], al is [1, 2])
c = l.copy(); c.clear(); print(c, l)
print(3 in [1, 2, 3], 4 not in [1, 2, 3], [1, 2].__len__())
# tuple
t = (1, 2, 3)
print(t, (), (1,), 1, (1, 'a', None), t[1], t[-1], t[1:], len(t), t + (4,), t * 2)
print(tuple([1, 2]), tuple("ab"), tuple(range(2)), t.index(2), t.count(3), (1, 2) < (1, 2, 0))
u = 1, 2
print(u, type(u).__name__, ((1, 2), (3,)), (1, (2, (3,))))
print((1, 2) == (1, 2), (1, 2) == [1, 2], hash((1, 2)) == hash((1, 2)))
# dict
d = {'b': 1, 'a': 2}
d['c'] = 3
print(d, len(d), d['a'], 'a' in d, 'z' in d, list(d), list(d.keys()), list(d.values()), list(d.items()))
d['b'] = 10; print(d)
del d['b']; d['b'] = 0; print(d)
print(d.get('a'), d.get('zz'), d.get('zz', -1), d.pop('a'), d.pop('zz', 'dflt'), d)
print(d.setdefault('n', []), d, d.setdefault('c', 99))
d.update({'x': 1}, y=2); d.update([('z', 3)]); print(d)
print(dict(a=1, b=2), dict([(1, 2), (3, 4)]), dict(zip('ab', [1, 2])), {}, dict())
print({1: 'int', 1.0: 'float', True: 'bool'}, {(1, 2): 'tuple'})
print(d.popitem(), d, {k: v for k, v in [(1, 2)]}, dict.fromkeys([1, 2], 0))
e = {1: 1, 2: 2}; print(e == {2: 2, 1: 1}, e != {1: 1}, {**e, 3: 3}, e | {9: 9})
for k, v in {'p': 1, 'q': 2}.items():
    print(k, v, end=' ')
print()
# set of ints
s = {3, 1, 2, 2, 1}
print(s, len(s), 2 in s, set(), set([5, 4, 5]), {0}, set(range(5)))
s.add(10); s.discard(99); s.discard(1); s.remove(2); print(s)
a = {1, 2, 3, 4}; b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b, a <= b, {3} <= a, {3} < a, a >= {1}, a == {4, 3, 2, 1})
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b), a.issubset(b), a.isdisjoint({9}))
print(sorted({5, -1, 3}), sum({1, 2, 3}), max({4, 9}), set([1, 2]) == {2, 1})
print({x % 4 for x in range(10)})
# range
r = range(10)
print(r, range(1, 10, 2), range(10, 0, -3), len(r), r[3], r[-1], list(range(0)), 5 in r, 10 in r)
print(list(range(2, 8, 2)), list(range(5, 0, -1)), list(range(-3, 3)), range(0, 10, 3)[1:], r[::-2])
print(len(range(1, 100, 7)), range(3) == range(0, 3), sum(range(101)), r.index(4), list(reversed(range(4))))
# slice objects
sl = slice(1, 5, 2)
print(sl, sl.start, sl.stop, sl.step, slice(3), slice(None, None, -1))
print([0, 1, 2, 3, 4, 5][sl], "abcdefg"[sl], (0, 1, 2, 3, 4, 5)[slice(None, 3)], "hello"[slice(None, None, -1)])
print(slice(1, 2) == slice(1, 2), slice(1, 10, 3).indices(5))
# nesting and mutation visible through aliases
grid = [[1, 2], [3, 4]]
row = grid[0]
row.append(99)
print(grid, [r[0] for r in grid], {k: [k] * 2 for k in range(2)})
# mutation during iteration
dm = {"a": 1}
try:
    for key in dm:
        dm["new"] = 1
except RuntimeError as e:
    print("RuntimeError", e)
sm = {1, 2}
try:
    for v in sm:
        sm.add(v + 10)
except RuntimeError as e:
    print("RuntimeError", e)
lm = [1, 2, 3]
for v in lm:
    if v == 1:
        lm.remove(v)
print(lm)
