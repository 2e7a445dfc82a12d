# float arithmetic, special values, division/modulo signs, pow, comparisons
# with ints (exact), hashes, conversions and methods.


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


inf = float('inf')
nan = float('nan')
print(0.1 + 0.2, 1.5 * 2, 7.0 / 2, 1 / 3.0, 2 * 0.5, 3 - 0.5, 1e308 * 10, -1e308 * 10)
print(1e16, 1e-5, 123456789.0, 0.000123, 1e22, 1.0, -0.0, 100.0, 1e300 * 1e-300)
print(inf, -inf, nan, inf - inf, inf * 0, -nan, abs(-2.5), -(0.0), +(-1.5))
for a in (7.5, -7.5, 0.0, -0.0, 1e300, inf):
    for b in (2.0, -2.0, 0.3, inf, -inf):
        print(a, b, a // b, a % b, divmod(a, b))
print(-0.0 % 3, 0.0 % -3, 5 % -3.0, -1 % inf, 1 % -inf, 7 // 2.0, -7 // 2.0, 10**20 / 2.0)
show(lambda: 1.0 / 0)
show(lambda: 1.0 // 0)
show(lambda: 1.0 % 0)
show(lambda: 1 / 0.0)
show(lambda: divmod(1.0, 0))
show(lambda: divmod(1, 0.0))
show(lambda: 10**400 / 3.0)
show(lambda: 10**400 * 1.0)
show(lambda: 1.0 + 10**400)

print(2.0**10, 2**0.5, 4**-0.5, 2.0**-1075, 0.5**2000, (-2.0)**3, (-2.0)**-3, (-8.0)**2.0)
print(nan**0, 1.0**nan, 1.0**inf, (-1.0)**inf, 0.5**inf, 2.0**-inf, inf**-2, (-inf)**3)
print((-inf)**2, (-inf)**-3, 0.0**0.0, 0.0**3, (-0.0)**3, (-0.0)**2, 10.0**-400, 1e-300**2)
show(lambda: 10.0**400)
show(lambda: 1e300**2)
show(lambda: 0.0**-1)
show(lambda: (-0.0)**-1)
show(lambda: 0.0**-1.5)
show(lambda: 2.0**10000)
show(lambda: pow(2.0, 3, 5))

print(1.5 < 2, 2 < 1.5, 1.0 == 1, 2**53 + 1 == 2.0**53, 2.0**53 < 2**53 + 1, 1e30 > 10**30)
print(nan == nan, nan != nan, nan < 1, inf > 10**500, -inf < -(10**500), 0.0 == -0.0)
print(1e30 == 1000000000000000019884624838656, 0.5 == 1, 3.0 >= 3, 3.5 <= 3)

for v in (0.0, -0.0, 1.0, -1.0, 1.5, 0.1, 1e30, -2.5e-300, inf, -inf, 2.0**61, 2.0**70):
    print(v, hash(v))
print(hash(nan) == hash(nan), hash(1.0) == hash(1), hash(-1.0))

print(float(), float(3), float(-7), float(True), float(' 1.5 '), float('1_0.5'), float('-inf'))
print(float('nan'), float('  INFINITY '), float('1e500'), float('-1e-500'), float(2**63))
print(float(2**53 + 1), float(-(2**80)), float(10**30))
for s in ['abc', '', '1.5.', '1__0', '0x10', 'x' * 250, ' ']:
    show(lambda: float(s))
show(lambda: float(None))
show(lambda: float([]))
show(lambda: float(1, 2))
show(lambda: float(x=1))
show(lambda: float(10**400))


class F:
    def __float__(self):
        return 2.5


class BadF:
    def __float__(self):
        return 1


class I:
    def __index__(self):
        return 4


class MyFloat(float):
    pass


print(float(F()), float(I()))
show(lambda: float(BadF()))
mf = MyFloat(2.5)
print(mf, mf + 1, type(mf + 1).__name__, type(mf).__name__, isinstance(mf, float), MyFloat('3'))
print(int(2.5), int(-2.5), int(1e20), int(-0.9), round(2.5), round(3.5), round(-2.5), round(0.5))
print(round(2.675, 2), round(1.25, 1), round(-1.5), round(1234.5678, -2), round(1e300, -400))
print(round(123.456, 1), round(5.0, 0), round(0.125, 2), round(2.5, None), type(round(2.5, 0)).__name__)
show(lambda: round(inf))
show(lambda: round(nan))
show(lambda: round(1.5, 'x'))
print(round(1e300, 400), round(inf, 2), round(nan, 2))

print((1.5).is_integer(), (2.0).is_integer(), inf.is_integer(), (1.5).as_integer_ratio())
print((0.1).as_integer_ratio(), (-0.75).as_integer_ratio(), (0.0).as_integer_ratio())
show(lambda: inf.as_integer_ratio())
show(lambda: nan.as_integer_ratio())
print((2.5).conjugate(), (2.5).real, (2.5).imag, (3.7).__trunc__(), (-3.7).__floor__())
print((-3.2).__ceil__(), (3.5).__round__(), (3.14159).__round__(2), (1e300).__trunc__() == 10**300)
print(float.__add__(1.0, 2), float.__radd__(1.0, 2), float.__sub__(1.0, 'x'), float.__neg__(2.0))
print((7.5).__divmod__(2), (7.5).__rdivmod__(2), float.__eq__(1.0, 1), float.__lt__(1.0, 'x'))
print(bool(0.0), bool(-0.0), bool(nan), bool(0.1))
