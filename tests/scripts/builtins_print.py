# print(): sep, end, file, flush, and writing through a replaced sys.stdout.
import sys

print()
print(1, 2, 3)
print(1, 2, 3, sep=', ')
print('a', 'b', sep='')
print('no newline', end='')
print(' -- continued')
print('x', 'y', sep=None, end=None)
print(None, True, 1.5, [1, 'a'], {'k': (1,)})
print('multi\nline')
print('to stdout', file=sys.stdout)
print('flushed', flush=True)
print('to stderr', file=sys.stderr)

class Collector:
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
        return len(s)
    def flush(self):
        self.parts.append('<flush>')

c = Collector()
print('a', 'b', sep='-', end='!\n', file=c)
print(1, 2, file=c, flush=True)
print(c.parts)

old = sys.stdout
sys.stdout = c
print('redirected')
sys.stdout = old
print(c.parts[-2:])

def t(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__ + ':', e)

t(lambda: print(1, sep=5))
t(lambda: print(1, end=5))
t(lambda: print(1, foo=5))
t(lambda: print(1, file=5))

class S:
    def __str__(self):
        return 'custom str'
print(S(), [S()][0])

n = sys.stdout.write('written\n')
print(n)
print(sys.stdout.write('é\n'))
t(lambda: sys.stdout.write(5))
