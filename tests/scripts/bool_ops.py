# bool: a subclass of int with two instances; & | ^ of two bools stay bool.


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


print(True, False, repr(True), str(False), bool(), bool(0), bool(5), bool(''), bool('a'))
print(bool([]), bool([0]), bool(None), bool(0.0), bool(-1), bool(10**30), bool(True))
print(True + True, True - False, True * 3, True / 2, True // 2, True % 2, True ** 10, -True)
print(~True, ~False, +True, abs(False), True << 3, True >> 1)
print(True & True, True & False, True | False, False | False, True ^ True, True ^ False)
print(type(True & False).__name__, type(True | 1).__name__, type(1 ^ True).__name__)
print(True & 3, 2 | True, True ^ 3, type(True + 0).__name__, type(-True).__name__)
print(True == 1, False == 0, True == 1.0, True is True, 1 < True, True > 0.5, True < 2)
print(hash(True), hash(False), isinstance(True, int), issubclass(bool, int), type(True).__name__)
print({True: 'a', 1: 'b'}, {0, False}, [1, 2, 3][True], 'abc'[False])
print(int(True), float(False), str(True) + '!', format(True), format(True, 'd'), f'{False:>6}')
print(True.real, True.imag, True.numerator, True.denominator, True.bit_length(), True.conjugate())
print(divmod(True, True), round(True), sum([True, True, False]), max(True, False))
print(True.__and__(False), True.__or__(1), bool.__xor__(True, True), True.__add__(True))
show(lambda: True / False)
show(lambda: bool(1, 2))
show(lambda: bool(x=1))


class Z:
    def __bool__(self):
        return False


class L:
    def __len__(self):
        return 3


print(bool(Z()), bool(L()), not Z(), Z() or 'x', L() and 'y')
