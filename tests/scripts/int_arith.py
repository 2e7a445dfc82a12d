# int arithmetic: small/big transitions, floor division and modulo signs,
# pow, shifts, bitwise ops on negatives, comparisons with floats, hashes.


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", e)


SMALL_MAX = 2**62 - 1
SMALL_MIN = -2**62
print(SMALL_MAX + 1, SMALL_MIN - 1, SMALL_MAX * SMALL_MAX, -SMALL_MIN, SMALL_MIN // -1)
print((SMALL_MAX + 1) - 1, type((SMALL_MAX + 1) - 1).__name__, abs(SMALL_MIN))
print(2**63, -(2**63), 2**64 - 1, 2**63 // 2, (2**63) % 7, -(2**63) // 3)
print(10**30 + 1, 10**30 - 10**30, 10**30 * 10**30)

for a in (7, -7, 10**20 + 3, -(10**20 + 3)):
    for b in (2, -2, 3, -3, 10**19, -(10**19)):
        print(a, b, a // b, a % b, divmod(a, b), a / b)

print(7 / 2, -7 / 2, 1 / 3, 2**53 / 3, (10**30 + 1) / 10**30, 10**400 // 10**399)
print(0 / -5, 10**20 / 10**40, 1 / 10**400)
show(lambda: 1 / 0)
show(lambda: 1 // 0)
show(lambda: 1 % 0)
show(lambda: 10**100 // 0)
show(lambda: 10**400 / 1)
show(lambda: divmod(1, 0))

print(2**10, 2**0, 0**0, (-2)**63, (-2)**64, 3**100, 2**-1, 2**-2, (-2)**-3, 10**-5)
print(pow(3, -1, 7), pow(2, 10, -3), pow(-2, 3, 5), pow(5, -1, 1), pow(10**30, 10**10, 97))
print(pow(123456789, 10**20, 10**9 + 7), pow(-7, -3, 11))
show(lambda: 0**-1)
show(lambda: pow(2, -1, 4))
show(lambda: pow(2, 3, 0))
show(lambda: pow(2, 3.0, 5))
show(lambda: pow(2, 3, 'x'))
show(lambda: 10**(-400))

print(1 << 62, 1 << 63, -1 << 63, 3 << 100, 5 >> 1, -5 >> 1, -5 >> 100, 10**30 >> 50)
print(-(10**30) >> 3, 0 << 10**20, 7 >> 10**30, -7 >> 10**30)
show(lambda: 1 << -1)
show(lambda: 1 >> -1)
show(lambda: 1 << 2**63)

print(-12 & 10, -12 | 10, -12 ^ 10, ~5, ~-1, ~(2**70), -(2**70) & 0xFFFF, (2**70) | -1)
print(-(10**25) ^ 10**24, -(2**64) & -(2**63), ~SMALL_MAX, ~SMALL_MIN)

print(-(3), +(3), abs(-3), abs(-(10**30)), -(-(2**62)), abs(SMALL_MIN - 1))

print(1 < 2, 2**70 > 2**69, -(2**70) < 1, 10**30 == 10**30, 10**30 != 10**30 + 1)
print(1 < 1.5, 2**63 == 2.0**63, 2**53 + 1 == 2.0**53, 2**53 + 1 > 2.0**53)
print(10**400 > float('inf'), 10**400 < float('inf'), 1 == float('nan'), 1 != float('nan'))
print(-(10**400) < float('-inf'), 3 == 3.0, 3 < 3.0000000000000004, 2**1000 == 2.0**1000)
print(float('nan') < 5, 5 >= float('nan'), 1.5 > 1, 2**70 < 1e30, 10**30 < 1e30)

for v in (0, 1, -1, -2, 2**61 - 1, 2**61, -(2**61), 2**63, -(2**64) - 5, 10**30, -(10**30)):
    print(v, hash(v))
print(hash(True), hash(False), hash(1) == hash(1.0), hash(2**70) == hash(2.0**70))

x = 0
for i in range(100):
    x = x * 3 + i
print(x, x % 1000007, x.bit_length())
