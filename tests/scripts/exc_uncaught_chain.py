# An uncaught chained exception: exit status 1, traceback on stderr.
def f(n):
    if n == 0:
        raise ValueError('deep')
    f(n - 1)

def g():
    try:
        f(5)
    except ValueError as e:
        raise KeyError('k') from e

try:
    g()
except KeyError:
    x = {}
    x['missing']
