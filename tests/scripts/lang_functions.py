# def, nested functions, closures, nonlocal, global, decorators (with arguments), return, recursion.
def outer():
    x = 1
    def inner():
        return x + 1
    return inner()
print(outer())
def make_counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c1 = make_counter()
c2 = make_counter()
print(c1(), c1(), c1(10), c2(), c1())
def make_adders():
    return [lambda x, n=n: x + n for n in range(3)]
print([f(100) for f in make_adders()])
def closure_late():
    fs = []
    for i in range(3):
        def g():
            return i
        fs.append(g)
    return [f() for f in fs]
print(closure_late())
def nested3():
    a = "a"
    def l2():
        b = "b"
        def l3():
            return a + b
        return l3
    return l2()()
print(nested3())
def nonlocal_chain():
    v = 0
    def l2():
        def l3():
            nonlocal v
            v += 5
        l3()
        l3()
    l2()
    return v
print(nonlocal_chain())
# closure sees later rebinding of the enclosing variable
def rebinding():
    val = "old"
    def get():
        return val
    val = "new"
    return get()
print(rebinding())
# global
counter = 0
def bump():
    global counter
    counter += 1
def read_global():
    return counter
bump(); bump()
print(counter, read_global())
def make_global():
    global created
    created = "made"
make_global()
print(created)
# local shadows global
shadow = "global"
def shadowing():
    shadow = "local"
    return shadow
print(shadowing(), shadow)
# decorators
def trace(fn):
    def wrapper(*args, **kwargs):
        print("call", fn.__name__, args, kwargs)
        result = fn(*args, **kwargs)
        print("ret", result)
        return result
    return wrapper
@trace
def add(a, b=0):
    return a + b
add(1, b=2)
print(add.__name__)
def repeat(times):
    def deco(fn):
        def wrapper(*a):
            return [fn(*a) for _ in range(times)]
        return wrapper
    return deco
@repeat(3)
def hello(name):
    return "hi " + name
print(hello("bo"))
def tag(label):
    def deco(fn):
        def w():
            return "<" + label + ">" + fn() + "</" + label + ">"
        return w
    return deco
@tag("b")
@tag("i")
def text():
    return "x"
print(text())
registry = []
def register(fn):
    registry.append(fn.__name__)
    return fn
@register
def alpha():
    return 1
@register
def beta():
    return 2
print(registry, alpha(), beta())
# decorator with state
def counted(fn):
    def w(*a):
        w.calls += 1
        return fn(*a)
    w.calls = 0
    return w
@counted
def sq(x):
    return x * x
sq(2); sq(3)
print(sq.calls, sq(4))
# return forms
def r0():
    return
def r1():
    return 1, 2
def r2():
    x = 5
def r3(x):
    if x:
        return "early"
    return "late"
print(r0(), r1(), r2(), r3(1), r3(0))
# recursion
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fact(20), fact(25), fib(20))
def is_even(n):
    return True if n == 0 else is_odd(n - 1)
def is_odd(n):
    return False if n == 0 else is_even(n - 1)
print(is_even(10), is_odd(7))
def hanoi(n, a="A", b="B", c="C", moves=None):
    if moves is None:
        moves = []
    if n:
        hanoi(n - 1, a, c, b, moves)
        moves.append(a + c)
        hanoi(n - 1, b, a, c, moves)
    return moves
print(len(hanoi(10)), hanoi(2))
# functions are first-class objects with attributes
def documented(a, b):
    "Doc string."
    return a
print(documented.__name__, documented.__doc__, callable(documented))
fn = documented
print(fn(1, 2), fn is documented)
def compose(f, g):
    return lambda x: f(g(x))
print(compose(str, lambda x: x * 2)(21), compose(len, str)(12345))
