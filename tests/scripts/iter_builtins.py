# enumerate, zip, map, filter, reversed, iter(callable, sentinel), old-style __getitem__ iteration.
def err(f):
    try:
        r = f()
        print('ok', r)
    except Exception as e:
        print(type(e).__name__, e)

print(list(enumerate('abc')), list(enumerate('ab', 5)), list(enumerate([1], start=-3)))
print(list(enumerate('xy', 2 ** 70)), list(enumerate('z', True)))
e = enumerate([10, 20])
print(type(e).__name__, iter(e) is e, next(e), list(e), list(e))
print(list(zip()), list(zip('abc')), list(zip('abc', range(10))), list(zip([1, 2], 'xy', (True, None))))
print(list(zip([1, 2], [3, 4], strict=True)))
err(lambda: list(zip([1], [2, 3], strict=True)))
err(lambda: list(zip([1, 2], [2], strict=True)))
err(lambda: list(zip([1, 2], [2, 3], [4], strict=True)))
err(lambda: list(zip([1], [2], [4, 5], strict=True)))
err(lambda: zip(a=1))
err(lambda: zip(1))
print(list(map(abs, [-1, 2, -3])), list(map(pow, [2, 3], [5, 2, 9])), list(map(str, range(3))))
err(lambda: map(abs))
err(lambda: list(map(abs, 'a')))
print(list(filter(None, [0, 1, '', 'a', None, [], [2]])), list(filter(lambda x: x % 2, range(10))))
print(list(filter(bool, [0, 3])))
err(lambda: filter(None))
print(list(reversed([1, 2, 3])), list(reversed((1, 2))), list(reversed('abc')), list(reversed(range(3))))
print(list(reversed({'a': 1, 'b': 2})), type(reversed([])).__name__ in ('list_reverseiterator', 'reversed'))
err(lambda: reversed(5))
err(lambda: reversed({1}))
err(lambda: reversed())
err(lambda: reversed(iter([1])))

class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError(i)
        return i * i
    def __len__(self):
        return 4
print(list(Seq()), list(reversed(Seq())), 9 in Seq(), list(enumerate(Seq())))
it = iter(Seq())
print(type(it).__name__, next(it), list(it))

class Rev:
    def __reversed__(self):
        return iter('zyx')
print(list(reversed(Rev())))

class NoRev:
    __reversed__ = None
    def __getitem__(self, i):
        return i
    def __len__(self):
        return 1
err(lambda: reversed(NoRev()))

count = [0]
def tick():
    count[0] += 1
    return count[0]
print(list(iter(tick, 5)), type(iter(tick, 99)).__name__)

def stopper():
    raise StopIteration
print(list(iter(stopper, 1)))

# lazy: map/filter/zip consume only what is needed
src = iter(range(10))
m = map(lambda x: x * 10, src)
print(next(m), next(m), next(src), list(m))
z = zip(range(3), 'ab')
print(list(z), list(z))

# nesting
print(dict(zip('abc', map(lambda x: x + 1, range(3)))), sorted(filter(None, map(lambda x: x % 3, range(7)))))
print(sum(x * y for x, y in zip(range(5), reversed(range(5)))))
