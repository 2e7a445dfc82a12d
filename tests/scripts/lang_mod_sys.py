# The sys module.
import sys
print(type(sys.argv).__name__, len(sys.argv), type(sys.argv[0]).__name__)
print(sys.version_info[0], sys.version_info[0] == 3)
print(sys.implementation.name in ("cpython", "gilvm"))
a = []
b = a
print(sys.getrefcount(a))
del b
print(sys.getrefcount(a))
def in_function():
    x = []
    y = x
    print(sys.getrefcount(x))
    del y
    print(sys.getrefcount(x))
in_function()
limit = sys.getrecursionlimit()
print(type(limit).__name__, limit > 0)
sys.setrecursionlimit(500)
print(sys.getrecursionlimit())
def depth(n):
    try:
        return depth(n + 1)
    except RecursionError:
        return n
d = depth(0)
print(400 < d < 500)
sys.setrecursionlimit(limit)
print(sys.getrecursionlimit() == limit)
n = sys.stdout.write("written via sys.stdout.write\n")
print(n)
sys.stdout.write("no newline, ")
sys.stdout.write("then newline\n")
print("mixed", end=" ")
sys.stdout.write("with write\n")
sys.stdout.flush()
print(sys.maxsize == 2 ** 63 - 1)
try:
    sys.exit(0)
except SystemExit as e:
    print("caught SystemExit", e.code, repr(e))
try:
    sys.exit("message")
except SystemExit as e:
    print("caught SystemExit", e.code)
try:
    sys.exit()
except SystemExit as e:
    print("caught SystemExit", e.code)
try:
    sys.exit(7)
except BaseException as e:
    print(type(e).__name__, e.code, isinstance(e, Exception))
def cleanup_runs():
    try:
        sys.exit(4)
    finally:
        print("finally runs on sys.exit")
try:
    cleanup_runs()
except SystemExit as e:
    print("code", e.code)
print(sys.stdout is not None, sys.stderr is not None)
print("done")
sys.exit(0)
print("never printed")
