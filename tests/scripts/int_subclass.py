# Subclasses of int and float, __new__ overrides, super() calls into the
# built-in methods, and user types mixing with ints through __radd__ etc.


class Meters(int):
    def __new__(cls, v, unit='m'):
        self = super().__new__(cls, v * 1000 if unit == 'km' else v)
        return self

    def __repr__(self):
        return 'Meters(' + int.__repr__(self) + ')'

    def __add__(self, other):
        return Meters(super().__add__(other))


m = Meters(3, 'km')
print(m, repr(m), m + 5, m * 2, type(m * 2).__name__, int(m), m == 3000, m > 2999.5)
print(str(m), format(m, '>8'), m.bit_length(), m.real, hash(m) == hash(3000), -m, abs(m))
print(Meters(10**30) + 1, divmod(Meters(7), 2), Meters(2) ** 100, 1 + Meters(1))
d = {3000: 'a'}
print(d[m], m in d, sorted([Meters(5), 3, Meters(1)]))


class Even(int):
    pass


e = Even(4)
print(e, e + e, isinstance(e, Even), Even(), Even('11', 2), Even(7.9))
print(int.__new__(Even, 5), type(int.__new__(Even, 5)).__name__)


class Celsius(float):
    def __repr__(self):
        return 'C(' + float.__repr__(self) + ')'


c = Celsius(21.5)
print(c, repr(c), c + 1, c * 2, c > 21, round(c), int(c), float(c), type(float(c)).__name__)
print(Celsius('3.25'), Celsius(2), float.__new__(Celsius, 1.5), c.is_integer(), c.real)


class Vec:
    def __init__(self, x):
        self.x = x

    def __radd__(self, other):
        return Vec(other + self.x)

    def __rmul__(self, other):
        return Vec(other * self.x)

    def __rtruediv__(self, other):
        return 'rtruediv'

    def __rpow__(self, other):
        return 'rpow'


print((1 + Vec(2)).x, (3 * Vec(4)).x, 1 / Vec(1), 2 ** Vec(1), (1.5 + Vec(1)).x)


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


show(lambda: 1 + 'a')
show(lambda: 1.5 - 'a')
show(lambda: 2 ** None)
show(lambda: 1 @ 2)
show(lambda: -'x')
show(lambda: 1 < 'a')
show(lambda: 1.5 >= None)
show(lambda: ~1.5)
show(lambda: 1 << 1.5)
show(lambda: 1.5 & 1)
show(lambda: int.__new__(str))
show(lambda: bool.__new__(bool, 5))
show(lambda: float.__new__(int))
print(format(m), format(m, ''), f'{m}', format(c), f'{c}', f'{c:.2f}', format(Even(3), ''))
