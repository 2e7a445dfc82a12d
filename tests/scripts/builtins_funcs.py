# Built-in functions: results and error messages as CPython 3.11.

def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ':', e)

# len, repr, ascii, abs
t(lambda: len([1, 2, 3]))
t(lambda: len('héllo'))
t(lambda: len(5))
t(lambda: len())
t(lambda: repr('a\nb'))
t(lambda: ascii('é€😀'))
t(lambda: abs(-5))
t(lambda: abs(-2.5))
t(lambda: abs('x'))

# min / max
t(lambda: max(3, 1, 2))
t(lambda: min(3, 1, 2))
t(lambda: max([4, 9, 2]))
t(lambda: max('hello'))
t(lambda: max([], default='empty'))
t(lambda: min([]))
t(lambda: max())
t(lambda: max(1, 2, default=3))
t(lambda: max(1, 2, foo=1))
t(lambda: max(['aa', 'b', 'ccc'], key=len))
t(lambda: min(['aa', 'b', 'ccc'], key=len))
t(lambda: max([1, 3, 3, 2], key=lambda x: x % 3))
t(lambda: max((1, 'a'), (1, 2)))
t(lambda: max(5))

# sum
t(lambda: sum([1, 2, 3]))
t(lambda: sum([1, 2, 3], 10))
t(lambda: sum([1, 2], start=5))
t(lambda: sum([0.1] * 10))
t(lambda: sum([1, 2.5]))
t(lambda: sum([[1], [2]], []))
t(lambda: sum([2 ** 62, 2 ** 62, 2 ** 62]))
t(lambda: sum(['a'], ''))
t(lambda: sum())
t(lambda: sum(range(101)))

# all / any
t(lambda: all([1, 2, 0]))
t(lambda: all([]))
t(lambda: any([0, '', None]))
t(lambda: any(x > 2 for x in [1, 2, 3]))
t(lambda: all(5))

# sorted
t(lambda: sorted([3, 1, 2]))
t(lambda: sorted('bca'))
t(lambda: sorted([3, 1, 2], reverse=True))
t(lambda: sorted(['bb', 'a', 'ccc'], key=len))
t(lambda: sorted({'b': 1, 'a': 2}))
t(lambda: sorted())
t(lambda: sorted([1], [2]))
t(lambda: sorted([1, 'a']))

# iter / next
it = iter([1, 2])
t(lambda: next(it))
t(lambda: next(it))
t(lambda: next(it, 'done'))
t(lambda: next(it))
t(lambda: next([1]))
t(lambda: iter(5))
count = [0]
def counter():
    count[0] += 1
    return count[0]
t(lambda: list(iter(counter, 4)))
t(lambda: iter(5, 1))

# isinstance / issubclass
t(lambda: isinstance(1, int))
t(lambda: isinstance(True, int))
t(lambda: isinstance('a', (int, str)))
t(lambda: isinstance(1, 5))
t(lambda: issubclass(bool, int))
t(lambda: issubclass(1, int))

# getattr family
class C:
    x = 1
c = C()
t(lambda: getattr(c, 'x'))
t(lambda: getattr(c, 'y', 'dflt'))
t(lambda: getattr(c, 'y'))
t(lambda: getattr(c, 5))
t(lambda: hasattr(c, 'x'))
t(lambda: hasattr(c, 'nope'))
setattr(c, 'z', 10)
t(lambda: c.z)
delattr(c, 'z')
t(lambda: hasattr(c, 'z'))
t(lambda: delattr(c, 'z'))

# numbers
t(lambda: round(2.5))
t(lambda: round(3.5))
t(lambda: round(-0.5))
t(lambda: round(2.675, 2))
t(lambda: round(1234.5678, -2))
t(lambda: round(1234, -2))
t(lambda: round(1250, -2))
t(lambda: round(1350, -2))
t(lambda: round(-1250, -2))
t(lambda: round(5, 2))
t(lambda: round(True))
t(lambda: round(1.5, None))
t(lambda: round(float('inf')))
t(lambda: round(float('nan')))
t(lambda: round('x'))
t(lambda: round(2 ** 70 + 12345, -3))
t(lambda: divmod(7, 2))
t(lambda: divmod(-7, 2))
t(lambda: divmod(7.5, 2))
t(lambda: divmod(-7.5, 2))
t(lambda: divmod(1, 0))
t(lambda: divmod(1.0, 0))
t(lambda: divmod('a', 2))
t(lambda: pow(2, 10))
t(lambda: pow(2, 10, 1000))
t(lambda: pow(3, -1, 7))
t(lambda: pow(2, 0.5))
t(lambda: pow(2.0, 2, 3))
t(lambda: pow(2, 2, 0))
t(lambda: pow(base=2, exp=5))

# chr / ord / hex / oct / bin
t(lambda: chr(65))
t(lambda: chr(0x20ac))
t(lambda: chr(0x1F600))
t(lambda: chr(-1))
t(lambda: chr(0x110000))
t(lambda: chr(1.5))
t(lambda: ord('A'))
t(lambda: ord('€'))
t(lambda: ord('abc'))
t(lambda: ord(''))
t(lambda: ord(5))
t(lambda: hex(255))
t(lambda: hex(-255))
t(lambda: hex(2 ** 100))
t(lambda: oct(8))
t(lambda: bin(5))
t(lambda: bin(-5))
t(lambda: bin(0))
t(lambda: hex(True))
t(lambda: hex(1.5))

# format / hash / callable / id
t(lambda: format(255, 'x'))
t(lambda: format(3.14159, '.2f'))
t(lambda: format('ab', '>5'))
t(lambda: format(5))
t(lambda: format(5, 5))
t(lambda: hash(1) == hash(1.0))
t(lambda: hash('abc') == hash('abc'))
t(lambda: hash([]))
t(lambda: callable(len))
t(lambda: callable(C))
t(lambda: callable(5))
t(lambda: id(c) == id(c))
t(lambda: id(c) != id(C()))

# vars / dir / globals / locals
class D:
    def __init__(self):
        self.a = 1
        self.b = 2
t(lambda: vars(D()))
t(lambda: vars(5))
t(lambda: [n for n in dir(D()) if not n.startswith('__')])
t(lambda: 'append' in dir([]))
t(lambda: dir(D) == sorted(dir(D)))
def f(p, q=3):
    r = p + q
    return sorted(locals().items())
t(lambda: f(1))
t(lambda: 'f' in globals())
t(lambda: globals()['__name__'])

# types are exposed
t(lambda: [int, float, bool, str, list, tuple, dict, set, frozenset, range, slice])
t(lambda: [enumerate, zip, map, filter, reversed, object, type, super])
t(lambda: [staticmethod, classmethod, property])
t(lambda: (NotImplemented, Ellipsis))
t(lambda: [ValueError, KeyError, StopIteration, OSError, EnvironmentError, IOError])
