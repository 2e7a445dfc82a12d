# A tight counted loop in a function: dispatch overhead and local-variable access.
# Optional argument: scale (default 1.0 = 20,000,000 iterations).
import sys


def main():
    scale = 1.0
    if len(sys.argv) > 1:
        scale = float(sys.argv[1])
    n = int(20000000 * scale)
    total = 0
    for i in range(n):
        total += i
    print("sum(range(" + str(n) + ")) =", total)


main()
