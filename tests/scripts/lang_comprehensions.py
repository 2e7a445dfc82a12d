# lambda, list/dict/set comprehensions, generator expressions.
sq = lambda x: x * x
add = lambda a, b=10: a + b
print(sq(5), add(1), add(1, 2), add(b=3, a=4), (lambda: "noargs")(), (lambda *a: a)(1, 2))
print((lambda **k: sorted(k.items()))(z=1, y=2), (lambda x, *, k: x + k)(1, k=2))
fs = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in fs])
late = [lambda: i for i in range(3)]
print([f() for f in late])
print(sorted(["bb", "a", "ccc"], key=lambda s: len(s)), list(map(lambda x: x * 2, [1, 2])))
print([x for x in range(5)], [x * x for x in range(6) if x % 2 == 0], [])
print([(x, y) for x in range(3) for y in range(x)])
print([(x, y) for x in range(4) if x % 2 for y in "ab" if y != "b"])
print([[x * y for y in range(3)] for x in range(3)])
print([c.upper() for c in "abc"], [n for row in [[1, 2], [3]] for n in row])
print({x: x ** 2 for x in range(4)}, {k: v for k, v in zip("abc", range(3)) if v})
print({x % 3 for x in range(10)}, {-x for x in range(4)}, {len(w) for w in ["a", "bb", "cc"]})
g = (x * 2 for x in range(4))
print(type(g).__name__, next(g), next(g), list(g), list(g))
print(sum(x for x in range(101)), max(len(w) for w in ["a", "bbb"]), any(x > 3 for x in [1, 5]), all(x for x in []))
print(list((x, y) for x in range(2) for y in range(2)), tuple(i for i in "hi"), set(i % 2 for i in range(5)))
print(sorted((v, k) for k, v in {"a": 3, "b": 1}.items()))
x = "outer"
print([x for x in range(3)], x)
print([y for y in [x]])
def scope():
    n = 3
    return [i * n for i in range(n)], {i: n for i in range(2)}, list(j + n for j in range(2))
print(scope())
# comprehension over a genexp over a comprehension
print([v for v in (w + 1 for w in [u * 10 for u in range(3)])])
# comprehension with walrus assigns to the enclosing scope
total = 0
print([total := total + i for i in range(4)], total)
print([(lambda y: y + 1)(i) for i in range(3)])
# dict comprehension keeps last value for duplicate keys, in first-insertion order
print({k % 2: k for k in range(5)})
matrix = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in matrix] for i in range(3)])
print(list(zip(*matrix)))
print([i for i in range(20) if i % 2 if i % 3])
