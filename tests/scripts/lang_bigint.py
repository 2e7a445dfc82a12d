# Arbitrary-precision integers and small/big transitions.
print(2 ** 100)
print(2 ** 64, 2 ** 63, 2 ** 63 - 1, -2 ** 63, 2 ** 62 * 2)
print(2 ** 31, 2 ** 32, 2 ** 30 * 4)
m = 9223372036854775807  # int64 max
print(m + 1, m * 2, -m - 1, -m - 2, (m + 1) - 1, type(m + 1).__name__)
print((m + 1) // 2, (m + 1) % 7, -(m + 1) // 3, -(m + 1) % 3)
print(m * m)
print(m * m // m == m, (m * m) % m)
p = 1
for i in range(1, 31):
    p *= i
print("30! =", p)
f = 1
for i in range(1, 101):
    f = f * i
print("100! =", f)
print(len(str(f)), f % 1000003, f // 10 ** 150)
print(10 ** 30 + 1, 10 ** 30 - 1, -(10 ** 30))
a = 123456789123456789123456789
b = 987654321987654321
print(a + b, a - b, b - a, a * b)
print(a // b, a % b, -a // b, -a % b, a // -b, a % -b, divmod(a, b))
print(a ** 3)
print(abs(-a), -a, +a)
print(a == a + 0, a < a + 1, a > b, -a < b)
print(2 ** 100 >> 90, 1 << 100, (1 << 100) >> 99, -(1 << 70) >> 3)
print((2 ** 100) & (2 ** 100 - 1), (2 ** 100) | 1, (2 ** 100) ^ (2 ** 99), ~(2 ** 100))
print(-(2 ** 100) & 0xFF, (-(2 ** 65)) | 5, (-(2 ** 65)) ^ -1)
x = 2 ** 100
x -= 2 ** 100 - 5
print(x, type(x).__name__)
print(int("123456789012345678901234567890") + 1)
print(int("-99999999999999999999"), int("0x" + "f" * 20, 16), int("1" * 70, 2))
print(hex(2 ** 80), oct(2 ** 70), bin(2 ** 65))
print(str(10 ** 40), repr(-(10 ** 40)))
print(pow(2, 200, 10 ** 9 + 7), pow(3, 100), pow(-2, 63))
print(hash(1) == hash(1.0), hash(2 ** 20))
print(float(2 ** 100), float(10 ** 20), int(1e20), int(2.0 ** 70))
print(2 ** 100 / 2 ** 99, (10 ** 30) / 10 ** 10)
print(round(2 ** 70), abs(-(2 ** 70)), max(2 ** 70, 2 ** 69), min(-(2 ** 70), 0))
print(sum([2 ** 62, 2 ** 62, 2 ** 62]), sum(range(10 ** 5)))
print(sorted([2 ** 70, -5, 2 ** 64, 3, -(2 ** 80)]))
print(1000000 * 1000000 * 1000000 * 1000000)
print(-7 ** 40, (-7) ** 41)
print(2 ** 100 == 1267650600228229401496703205376, 2 ** 100 != 2 ** 100 + 1)
fib = [0, 1]
while len(fib) < 120:
    fib.append(fib[-1] + fib[-2])
print(fib[90], fib[100], fib[119])
print(int(-2 ** 63), -2 ** 63 - 1, (-2 ** 63) // -1, (-2 ** 63) * -1)
print(divmod(-2 ** 63, -1), abs(-2 ** 63))
print(bool(2 ** 100), bool(2 ** 100 - 2 ** 100), 0 == 2 ** 100 - 2 ** 100)
