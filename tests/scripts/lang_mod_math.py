# The math module.
import math
print(math.sqrt(16), math.sqrt(2), math.sqrt(0), math.sqrt(1e100), type(math.sqrt(4)).__name__)
print(math.isqrt(0), math.isqrt(15), math.isqrt(16), math.isqrt(10 ** 40), math.isqrt(2 ** 100 + 1))
print(math.floor(2.7), math.floor(-2.7), math.floor(5), math.ceil(2.1), math.ceil(-2.1), math.ceil(7), type(math.floor(1.5)).__name__)
print(math.floor(1e20), math.ceil(-0.5), math.floor(-0.0))
print(math.pi, math.e, round(math.pi * 2, 12))
print(math.gcd(12, 18), math.gcd(0, 5), math.gcd(-4, 6), math.gcd(17, 5), math.gcd(2 ** 80, 6 ** 40))
print(math.factorial(0), math.factorial(1), math.factorial(10), math.factorial(30))
print(math.log(1), math.log(math.e), math.log(100, 10), math.log(8, 2), math.log(1024, 2), round(math.log(10), 10))
print(math.exp(0), math.exp(1) == math.e, round(math.exp(2), 10), math.exp(-1000))
print(round(math.sin(0), 10), round(math.sin(math.pi / 2), 10), round(math.sin(math.pi), 10), round(math.sin(1), 10))
print(round(math.cos(0), 10), round(math.cos(math.pi), 10), round(math.cos(math.pi / 3), 10), round(math.cos(2), 10))
print(math.inf, -math.inf, math.inf > 10 ** 300, math.nan, math.nan == math.nan, math.nan != math.nan)
print(type(math.inf).__name__, math.inf == float("inf"), math.inf - math.inf)
print(math.sqrt(9) == 3, math.floor(math.sqrt(17)))
print(round(math.pi, 4), f"{math.pi:.5f}", f"{math.e:.3f}")
for bad in (lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.log(-1), lambda: math.factorial(-1),
            lambda: math.isqrt(-4)):
    try:
        bad()
    except ValueError as e:
        print("ValueError", e)
try:
    math.exp(1000)
except OverflowError as e:
    print("OverflowError", e)
try:
    math.factorial(2.5)
except (TypeError, ValueError) as e:
    print(type(e).__name__)
try:
    math.sqrt("4")
except TypeError as e:
    print("TypeError", e)
# a classic: distance, area, primes
def dist(p, q):
    return math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2)
print(dist((0, 0), (3, 4)), round(math.pi * 2 ** 2, 6))
print([n for n in range(2, 50) if all(n % d for d in range(2, math.isqrt(n) + 1))])
