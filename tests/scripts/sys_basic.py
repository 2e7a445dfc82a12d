# The sys module: attributes and functions that behave as CPython 3.11.
import sys

print(type(sys.argv).__name__, len(sys.argv) >= 1, sys.argv[0].endswith('sys_basic.py'))
print(sys.version.startswith('3.11'))
print(sys.version_info[0], sys.version_info[1], sys.version_info >= (3, 8))
print(sys.platform, sys.byteorder, sys.maxsize, sys.maxsize == 2 ** 63 - 1)
print(sys.maxunicode)
print(type(sys.implementation.name).__name__)
print(sys.modules['sys'] is sys, 'sys' in sys.modules)
print(type(sys.path).__name__)
print(type(sys.executable).__name__)
print(sys.getrecursionlimit())
sys.setrecursionlimit(500)
print(sys.getrecursionlimit())
sys.setrecursionlimit(1000)

def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ':', e)

t(lambda: sys.setrecursionlimit(0))
t(lambda: sys.setrecursionlimit(-5))
t(lambda: sys.setrecursionlimit(1.5))
t(lambda: sys.setrecursionlimit(2 ** 40))
print(sys.getswitchinterval())
sys.setswitchinterval(0.01)
print(sys.getswitchinterval())
t(lambda: sys.setswitchinterval(0))
t(lambda: sys.setswitchinterval('a'))
print(sys.exc_info())
try:
    raise ValueError('v')
except ValueError:
    info = sys.exc_info()
    print(info[0], repr(info[1]), type(info[2]).__name__)
    print(repr(sys.exception()))
print(sys.exc_info())
print(sys.exception())
s = sys.intern('hello' + str(1))
print(s, s is sys.intern('hello1'))
t(lambda: sys.intern(3))
print(sys.getrefcount([]))
a = []
b = a
print(sys.getrefcount(a))
t(lambda: sys.getrefcount())
print(sys.stdout.name, sys.stderr.name, sys.stdin.name)
print(sys.stdout.encoding, sys.stdout.mode)
print(sys.stdout is sys.__stdout__)
print(repr(sys.stdout))
print(sys.getdefaultencoding())
t(lambda: sys.exit(1, 2))
try:
    sys.exit()
except SystemExit as e:
    print('SystemExit', e.code, e.args)
try:
    sys.exit(5)
except SystemExit as e:
    print('SystemExit', e.code, e.args)

# The recursion-depth check of setrecursionlimit
def lower():
    try:
        sys.setrecursionlimit(2)
    except RecursionError as e:
        print(e)
t(lambda: sys.setrecursionlimit(1))
lower()
print(sys.getrecursionlimit())
