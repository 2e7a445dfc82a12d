# Special methods: comparison, hashing, arithmetic (incl. reflected), containers,
# iteration, call, context managers, bool/len.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
    def __eq__(self, other):
        if not isinstance(other, Vec):
            return NotImplemented
        return self.x == other.x and self.y == other.y
    def __hash__(self):
        return hash((self.x, self.y))
    def __add__(self, other):
        if isinstance(other, Vec):
            return Vec(self.x + other.x, self.y + other.y)
        if isinstance(other, int):
            return Vec(self.x + other, self.y + other)
        return NotImplemented
    def __radd__(self, other):
        print("radd called with", other)
        return self.__add__(other)
    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __rmul__(self, k):
        return Vec(self.x * k, self.y * k)
    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k)
    def __floordiv__(self, k):
        return Vec(self.x // k, self.y // k)
    def __mod__(self, k):
        return Vec(self.x % k, self.y % k)
    def __pow__(self, k):
        return Vec(self.x ** k, self.y ** k)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __pos__(self):
        return self
    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
    def __bool__(self):
        return bool(self.x or self.y)
    def __lt__(self, other):
        return abs(self) < abs(other)
    def __le__(self, other):
        return abs(self) <= abs(other)
v = Vec(1, 2)
w = Vec(3, 4)
print(v + w, v - w, v * 3, 3 * v, w / 2, w // 2, w % 3, v ** 2, -v, +v, abs(w))
print(v + 10, 10 + v)
print(sum([v, w], Vec(0, 0)))
print(v == Vec(1, 2), v != Vec(1, 2), v == w, v == "str", v != 5, v < w, w < v, v <= v, w > v, w >= v)
print(bool(Vec(0, 0)), bool(v), not Vec(0, 0), "yes" if v else "no")
print(hash(v) == hash(Vec(1, 2)), len({v, Vec(1, 2), w}), {v: "first"}[Vec(1, 2)])
print(sorted([w, v, Vec(0, 1)]), max([v, w]), min(v, w))
acc = Vec(0, 0)
acc += v
acc *= 2
print(acc)
try:
    v + "s"
except TypeError as e:
    print("TypeError", e)
try:
    "s" + v
except TypeError as e:
    print("TypeError", e)
# __eq__ without __hash__ makes instances unhashable
class NoHash:
    def __eq__(self, o):
        return True
try:
    hash(NoHash())
except TypeError as e:
    print("TypeError", e)
# in-place dunders
class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, x):
        self.items.append(x)
        return self
    def __isub__(self, x):
        self.items.remove(x)
        return self
a = Acc()
a += 1
a += 2
a -= 1
print(a.items)
# container protocol
class Deck:
    def __init__(self, cards):
        self.cards = list(cards)
    def __len__(self):
        return len(self.cards)
    def __getitem__(self, i):
        return self.cards[i]
    def __setitem__(self, i, v):
        self.cards[i] = v
    def __delitem__(self, i):
        del self.cards[i]
    def __contains__(self, c):
        print("contains", c)
        return c in self.cards
dk = Deck("ABCDE")
print(len(dk), dk[0], dk[-1], dk[1:3], "C" in dk, "Z" not in dk, bool(dk))
dk[0] = "a"
del dk[1]
print(dk.cards, list(dk), [c for c in dk], sorted(dk, reverse=True))
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i * 10
print(list(Seq()), 20 in Seq(), 25 in Seq())
class Empty:
    def __len__(self):
        return 0
print(bool(Empty()), "truthy" if Empty() else "falsy")
# iterator protocol
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(3)), sum(Countdown(4)), [x for x in Countdown(2)])
it = iter(Countdown(2))
print(next(it), next(it), next(it, "end"))
class Range2:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        i = 0
        while i < self.n:
            yield i
            i += 1
r = Range2(3)
print(list(r), list(r), 2 in r, max(r))
a1, b1, c1 = Range2(3)
print(a1, b1, c1)
# __call__
class Multiplier:
    def __init__(self, k):
        self.k = k
    def __call__(self, x, y=1):
        return self.k * x * y
dbl = Multiplier(2)
print(dbl(5), dbl(5, y=3), callable(dbl), callable(Multiplier), callable(5), list(map(dbl, [1, 2])))
# __str__ vs __repr__ fallbacks
class OnlyRepr:
    def __repr__(self):
        return "<OnlyRepr>"
class OnlyStr:
    def __str__(self):
        return "only-str"
print(OnlyRepr(), str(OnlyRepr()), [OnlyRepr()], f"{OnlyRepr()}", OnlyStr(), "%s" % OnlyStr())
# __lt__ only: sorted and reflected >
class Ver:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
    def __lt__(self, other):
        return self.parts < other.parts
    def __repr__(self):
        return ".".join(str(p) for p in self.parts)
vs = [Ver("1.10"), Ver("1.2"), Ver("0.9.1")]
print(sorted(vs), max(vs), Ver("2.0") > Ver("1.5"), min(vs))
# no ordering defined -> TypeError
class NoOrder:
    pass
try:
    NoOrder() < NoOrder()
except TypeError as e:
    print("TypeError", e)
# __eq__ default identity
n1 = NoOrder()
print(n1 == n1, n1 == NoOrder(), n1 in [n1], NoOrder() in [n1])
class Sized:
    def __len__(self):
        return 42
print(len(Sized()))
try:
    len(NoOrder())
except TypeError as e:
    print("TypeError", e)
# all reflected arithmetic operators
class R:
    def __radd__(self, o):
        return "radd " + repr(o)
    def __rsub__(self, o):
        return "rsub"
    def __rmul__(self, o):
        return "rmul"
    def __rtruediv__(self, o):
        return "rtruediv"
    def __rfloordiv__(self, o):
        return "rfloordiv"
    def __rmod__(self, o):
        return "rmod"
    def __rpow__(self, o):
        return "rpow"
print(1 + R(), [1] + R(), 2 - R(), 3 * R(), 4 / R(), 5 // R(), 6 % R(), 7 ** R())
# reflected __eq__ is tried when the left operand returns NotImplemented
class Eq:
    def __eq__(self, o):
        print("Eq.__eq__")
        return True
print(1 == Eq(), Eq() == 1, 1 != Eq())
