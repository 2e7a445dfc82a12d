# tuple: construction, repr, indexing, slicing, operators, methods, hashing.
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

a = (1, "two", 3.0, None)
print(a, (), (1,), ((),), tuple(), tuple([1, 2]), tuple("ab"), tuple(range(3)), tuple(x * x for x in range(4)))
print(len(a), a[0], a[-1], a[1:3], a[::-1], a[::2], a[10:], a[-10:1])
t(lambda: a[4])
key = "k"
t(lambda: a[key])
t(lambda: a[2 ** 80])
t(lambda: tuple(1))
t(lambda: tuple(1, 2))
print((1, 2) + (3,), (1,) * 3, 2 * (0, 1), () * 4, (1, 2) * 0)
t(lambda: (1,) + [2])
t(lambda: (1,) * 1.5)
t(lambda: (1,) * (2 ** 62))
print((1, 2) == (1, 2), (1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 9), () < (0,), (1, "a") != (1, "a"))
t(lambda: (1,) < ("a",))
t(lambda: (1,) < [1])
print((1, 2) == [1, 2], 2 in (1, 2, 3), "x" not in (1,))
b = (1, 2, 1, 3, 1)
print(b.count(1), b.index(3), b.index(1, 1), b.index(1, -1), b.index(1, 0, 2 ** 80))
t(lambda: b.index(9))
t(lambda: b.index(3, 0, 3))
t(lambda: b.count())
print(hash(()), hash((1,)), hash((1, 2)), hash((1, (2, 3))), hash((-1, -2)), hash((True, False)))
print(hash(("a", 1)) == hash(("a", 1)), {(1, 2): "x"}[(1, 2)])
t(lambda: hash((1, [2])))
print(set([(1, 2), (3, 4), (0, 0), (2, 1), (5, 5), (-1, 7)]))
print({(i, j) for i in range(3) for j in range(3)})
x, y, *z = (1, 2, 3, 4)
print(x, y, z)
it = iter((1, 2)); print(type(it).__name__, next(it), next(it), next(it, "end"))
nest = (1, [2, (3, [4])])
print(nest, str(nest), repr(("a",)), ("é", "\n"))
print(tuple.__hash__ is not None, (1, 2).__len__(), (1, 2).__getitem__(0), (1, 2).__contains__(2), (1,).__add__((2,)))
deep = ()
for i in range(50000):
    deep = (deep,)
del deep
lst = []
for i in range(50000):
    lst = [lst]
del lst
print("deep ok")
