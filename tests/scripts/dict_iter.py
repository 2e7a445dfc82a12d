# dict iteration: views, mutation during iteration, custom keys.
d = {'a': 1, 'b': 2, 'c': 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print(len(k), len(v), len(it), 'a' in k, 'z' in k, 2 in v, 9 in v, ('a', 1) in it, ('a', 2) in it)
d['d'] = 4
print(k, v, it)
print(type(iter(d)).__name__, type(iter(k)).__name__, type(iter(v)).__name__, type(iter(it)).__name__)
print(type(reversed(d)).__name__)
print(k == {'a', 'b', 'c', 'd'}, k == {'a'}, it == {('a', 1), ('b', 2), ('c', 3), ('d', 4)})
print(sorted(k & {'a', 'z'}), sorted(k | {'z'}), sorted(k - {'a'}), sorted(k ^ {'a', 'q'}))
print(k.isdisjoint({'q'}), k.isdisjoint(['a']))

def err(f):
    try:
        r = f()
        print('ok', r)
    except Exception as e:
        print(type(e).__name__, e)

def grow():
    x = {1: 1}
    for key in x:
        x[key + 1] = 1
err(grow)

def shrink():
    x = {1: 1, 2: 2}
    for key in x:
        del x[2]
err(shrink)

def swap():
    x = {1: 1, 2: 2, 3: 3}
    for key in x:
        del x[key]
        x[key + 10] = 0
err(swap)

def values_grow():
    x = {1: 1}
    for val in x.values():
        x[5] = 5
err(values_grow)

def ok_modify_values():
    x = {1: 1, 2: 2}
    for key in x:
        x[key] = key * 10
    return x
err(ok_modify_values)

class Key:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return hash(self.v)
    def __eq__(self, other):
        return isinstance(other, Key) and self.v == other.v
    def __repr__(self):
        return 'Key(%r)' % (self.v,)

kd = {Key(1): 'one', Key(2): 'two'}
print(kd[Key(1)], Key(2) in kd, Key(3) in kd, kd)

class Collide:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return 42
    def __eq__(self, other):
        return self.v == other.v
    def __repr__(self):
        return 'C%d' % self.v

cd = {}
for i in range(10):
    cd[Collide(i)] = i
print(cd, cd[Collide(7)])
del cd[Collide(3)]
print(len(cd), Collide(3) in cd, Collide(4) in cd)

class Missing(dict):
    def __missing__(self, key):
        return 'missing:' + str(key)

md = Missing(a=1)
print(md['a'], md['b'], md, len(md), type(md).__name__)

class Sub(dict):
    pass

s = Sub([(1, 2)])
s[3] = 4
print(s, s == {1: 2, 3: 4}, isinstance(s, dict))
print(Sub.fromkeys([1, 2]), type(Sub.fromkeys([1])).__name__)

class Mapping:
    def keys(self):
        return ['p', 'q']
    def __getitem__(self, k):
        return k * 2
print(dict(Mapping()), {**{'a': 1}, 'b': 2})
