# int(): constructor forms and messages, str/repr and the 4300-digit limit,
# methods and properties, round(), format().


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


print(int(), int(5), int(-5.9), int(5.9), int(1e20), int(-1e300) == -10**300, int(True))
print(int('42'), int('  -42  '), int('+7'), int('1_000_000'), int('0x1f', 16), int('1f', 16))
print(int('0x_1f', 0), int('0o17', 0), int('0b101', 0), int('00', 0), int('0_0', 0), int('z', 36))
print(int('10', base=2), int('777', 8), int('-ff', 16), int('9' * 40))
for s in ['abc', '', ' ', '1__0', '_1', '1_', '0x', '- 5', '1.5', '010', '0_1', 'x' * 300]:
    show(lambda: int(s, 0) if s in ('010', '0_1', '0x') else int(s))
show(lambda: int('12', 1))
show(lambda: int('12', 37))
show(lambda: int(3.5, 10))
show(lambda: int('1', 2.5))
show(lambda: int(base=10))
show(lambda: int(1, 2, 3))
show(lambda: int(x='1'))
show(lambda: int(None))
show(lambda: int([1]))
show(lambda: int(float('inf')))
show(lambda: int(float('-inf')))
show(lambda: int(float('nan')))
show(lambda: int('9' * 5000))
show(lambda: str(10**5000))
show(lambda: repr(-(10**4300)))
print(len(str(10**4299)), len(str(-(10**4299))), int('1' * 4300) % 1000, int('f' * 5000, 16) % 10)


class Idx:
    def __index__(self):
        return 7


class Num:
    def __int__(self):
        return 9


class BadInt:
    def __int__(self):
        return 'x'


class MyInt(int):
    pass


print(int(Idx()), int(Num()), [10, 20, 30, 40, 50, 60, 70, 80][Idx()])
show(lambda: int(BadInt()))
m = MyInt(12)
print(m, m + 1, type(m + 1).__name__, type(m).__name__, isinstance(m, int), m == 12, hash(m))
print(MyInt('ff', 16), MyInt(10**20) * 2, -MyInt(3), int(MyInt(4)), type(int(MyInt(4))).__name__)

print((255).bit_length(), (-256).bit_length(), (0).bit_length(), (10**30).bit_length())
print((255).bit_count(), (-7).bit_count(), (2**100 - 1).bit_count())
print((5).conjugate(), (5).real, (5).imag, (5).numerator, (5).denominator, True.real)
print((7).as_integer_ratio(), (-(10**20)).as_integer_ratio(), (5).__index__(), (5).__float__())
print((5).__trunc__(), (5).__floor__(), (5).__ceil__(), (5).__round__(), (1250).__round__(-2))
print(round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(25, -1))
print(round(5, -30), round(-15, -1), round(10**30 + 5 * 10**29, -30), round(7, 2), round(7, None))
print(float(7), float(-(2**63)), float(2**53 + 1), float(10**30), float(3))
show(lambda: float(10**400))
show(lambda: (5).bit_length(1))

print(format(1234567, ','), format(255, 'x'), format(255, '#X'), format(-42, '08d'), format(5, 'b'))
print(format(10**30, '_'), format(42, '^10'), format(42, '+'), format(3, '.2f'), format(7, '%'))
print('{:>6}|{:<6}|{:^7}'.format(1, -2, 3), f'{12345:,}', f'{-3:05}', format(True, 'd'))
show(lambda: format(5, 's'))
show(lambda: format(5, 'z'))
print(str(0), str(-0), repr(-123), str(2**64), repr(-(2**64)))
print(int.__add__(1, 2), int.__radd__(1, 2), int.__sub__(10, 3), int.__rsub__(10, 3))
print(int.__add__(1, 1.5), int.__mul__(3, 4), int.__lt__(1, 2), int.__eq__(2, 2.0))
print(int.__pow__(2, 10), int.__pow__(2, 10, 1000), int.__neg__(5), int.__abs__(-5))
print((12).__divmod__(5), (12).__rdivmod__(5), int.__hash__(-1), int.__bool__(0))
