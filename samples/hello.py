# hello.py -- the smallest gilvm program.
#
# Run:    scripts/run samples/hello.py
# Expect: a greeting, a little arithmetic and the bytecode-level view of a
#         function (try `scripts/run --dis samples/hello.py` to see the code).
# Why:    proves the toolchain works end to end; the same file runs under python3.

import sys


def greet(name):
    return f"Hello, {name}!"


def main():
    print(greet("gilvm"))
    total = 0
    for i in range(1, 11):
        total += i
    print("1 + 2 + ... + 10 =", total)
    print("2 ** 100 =", 2 ** 100)
    print("0.1 + 0.2 =", 0.1 + 0.2)


if __name__ == "__main__":
    main()
