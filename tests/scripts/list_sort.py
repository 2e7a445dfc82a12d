# list.sort / sorted: stability, key, reverse, errors, mutation during sort.
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

a = [5, 2, 9, 1, 5, 6]
a.sort(); print(a)
a.sort(reverse=True); print(a)
words = ["banana", "Apple", "cherry", "apple", "Banana", "date"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), sorted(words, key=len, reverse=True))
pairs = [(1, "b"), (0, "a"), (1, "a"), (0, "b"), (2, "x")]
print(sorted(pairs, key=lambda p: p[0]), sorted(pairs, key=lambda p: p[0], reverse=True))
print(sorted([3.5, 1, 2.25, -1, 0]), sorted([]), sorted([1]), sorted("hello"), sorted((3, 1, 2)))
# A pseudo-random permutation, long enough for several runs and merges.
n = 5000
xs = []
for i in range(n):
    xs.append((i * 7919) % n)
ys = sorted(xs)
print(ys == list(range(n)), ys[:5], ys[-3:])
zs = []
for i, x in enumerate(xs):
    zs.append((x % 10, i))
zs2 = sorted(zs, key=lambda p: p[0])
ok = True
for i in range(n - 1):
    if not (zs2[i][0] < zs2[i + 1][0] or (zs2[i][0] == zs2[i + 1][0] and zs2[i][1] < zs2[i + 1][1])):
        ok = False
print(ok)
desc = list(range(300, 0, -1)); desc.sort(); print(desc[:3], desc[-3:])
runs = list(range(100)) + list(range(50)) + list(range(200, 100, -1)); runs.sort(); print(runs[:5], runs[-5:], len(runs))
t(lambda: [1, "a", 2].sort())
t(lambda: sorted([1, None]))
t(lambda: [].sort(1))
t(lambda: [].sort(foo=1))
t(lambda: [3, 1].sort(key=5))
b = [3, 1, 2]
t(lambda: b.sort(key=lambda x: 1 / (x - 2)))
print(b)

class Bad:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        if self.v == 3 or other.v == 3:
            raise ValueError("no 3")
        return self.v < other.v
    def __repr__(self):
        return "B%d" % self.v

c = [Bad(5), Bad(1), Bad(3), Bad(2)]
t(lambda: c.sort())
print(sorted(c, key=lambda x: x.v), len(c))

d = [4, 3, 2, 1]
def key(x):
    d.append(x)
    return x
t(lambda: d.sort(key=key))
print(d)

e = [3, 2, 1]
class M:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        e.clear() if False else None
        return self.v < other.v
e = [M(3), M(1), M(2)]
e.sort()
print(list(map(lambda m: m.v, e)))

class Cnt:
    calls = 0
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        Cnt.calls += 1
        return self.v < other.v
seq = list(map(Cnt, [5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 11, 10]))
seq.sort()
print(list(map(lambda x: x.v, seq)), Cnt.calls)
print(sorted([[2, 1], [1, 2], [1, 1]]), sorted([(2, "a"), (1, "b")], reverse=True))
