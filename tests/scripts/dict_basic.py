# dict: construction, methods, errors, ordering, repr.
d = {'a': 1, 2: [3]}
print(d)
print({})
d['x'] = 'y'
d[2] = None
print(d, len(d))
del d['a']
print(d, 'a' in d, 2 in d)
d['a'] = 5
print(list(d), list(d.keys()), list(d.values()), list(d.items()))

print(dict(), dict([(1, 2), (3, 4)]), dict(a=1, b=2), dict({'k': 'v'}, z=0))
print(dict([[1, 2], 'ab']))
print(dict.fromkeys([1, 2, 3]), dict.fromkeys('ab', 0))

def err(f):
    try:
        r = f()
        print('ok', r)
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: {}['missing'])
err(lambda: {}[(1, 2)])
err(lambda: {}[[]])
err(lambda: {[]: 1})
err(lambda: dict([1]))
err(lambda: dict([[1, 2, 3]]))
err(lambda: dict(1, 2))
err(lambda: dict(5))
err(lambda: {}.popitem())
err(lambda: {}.pop(3))
err(lambda: {}.get())
err(lambda: {}.get(1, 2, 3))
err(lambda: {}.keys(1))
err(lambda: {}.update(1, 2))
err(lambda: hash({}))

e = {1: 'a', 2: 'b', 3: 'c'}
print(e.get(1), e.get(9), e.get(9, 'dflt'))
print(e.setdefault(1, 'z'), e.setdefault(4, 'd'), e.setdefault(5), e)
print(e.pop(2), e.pop(9, 'none'), e)
print(e.popitem(), e.popitem(), e)
e.update({7: 7}, eight=8)
e.update([(9, 9)])
print(e)
c = e.copy()
c[1] = 'changed'
print(e, c, c == e, c != e)
c.clear()
print(c, len(c), bool(c), bool(e))

# equality
print({1: 2, 3: 4} == {3: 4, 1: 2}, {1: 2} == {1: 3}, {1: 2} == {2: 2}, {} == {}, {1: 1} == [1])
print({1: 1.0} == {1.0: 1}, {True: 'x'} == {1: 'x'})

# merge operators
a = {'x': 1, 'y': 2}
b = {'y': 3, 'z': 4}
print(a | b, b | a)
a |= b
print(a)
a |= [('w', 0)]
print(a)
err(lambda: {} | [])

# recursion in repr
r = {}
r['self'] = r
print(r)
l = [r]
print(l)
r.clear()   # break the cycle: no cycle collector yet

# order is insertion order, survives deletes and reinsertion
o = {}
for i in range(20):
    o[i * 7 % 13] = i
for k in [0, 7, 1]:
    del o[k]
o[0] = 'back'
print(o)
print(list(reversed(o)), list(reversed(o.items()))[:3], list(reversed(o.values()))[:3])

# many keys: resizes
big = {i: i * i for i in range(1000)}
print(len(big), big[999], sum(big), sum(big.values()))
for i in range(0, 1000, 2):
    del big[i]
print(len(big), list(big)[:5], big.get(998), big.get(997))

# keys equal across types
m = {1: 'int'}
m[1.0] = 'float'
m[True] = 'bool'
print(m)

# tuple and frozenset keys
t = {(1, 2): 'a', frozenset([1]): 'b', None: 'c', 2.5: 'd'}
print(t[(1, 2)], t[frozenset({1})], t[None], t[2.5])
