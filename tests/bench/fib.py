# Recursive Fibonacci: function calls and small-int arithmetic.
# Optional argument: scale (default 1.0 = fib(30)); the argument n moves by one per
# factor of ~1.618 in scale, so the work scales roughly linearly.
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    scale = 1.0
    if len(sys.argv) > 1:
        scale = float(sys.argv[1])
    n = 30
    while scale <= 0.618 and n > 1:
        scale = scale * 1.618
        n = n - 1
    while scale >= 1.618:
        scale = scale / 1.618
        n = n + 1
    print("fib(" + str(n) + ") =", fib(n))


main()
