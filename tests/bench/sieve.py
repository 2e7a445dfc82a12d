# Sieve of Eratosthenes: list indexing and stores in nested loops.
# Optional argument: scale (default 1.0 = primes up to 5,000,000).
import sys


def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = False
    if n >= 1:
        flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    return count


def main():
    scale = 1.0
    if len(sys.argv) > 1:
        scale = float(sys.argv[1])
    n = int(5000000 * scale)
    print("primes up to " + str(n) + ":", sieve(n))


main()
