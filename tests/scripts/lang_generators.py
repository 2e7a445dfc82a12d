# Generators: yield, yield from, send, StopIteration value, close/throw, genexps.
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1
print(list(count_up(4)), sum(count_up(5)), [x * 2 for x in count_up(3)])
g = count_up(2)
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration", repr(e), e.value)
print(next(g, "default"))
def with_return():
    yield 1
    return "done"
g = with_return()
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("value:", e.value, e.args)
def inner():
    yield "a"
    yield "b"
    return "inner-result"
def outer():
    r = yield from inner()
    print("inner returned", r)
    yield from [1, 2]
    yield from range(3, 5)
    yield from "xy"
print(list(outer()))
# send
def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    return received
g = echo()
print(next(g), g.send("a"), g.send("b"))
try:
    g.send(None)
except StopIteration as e:
    print("returned", e.value)
def averager():
    total = 0
    n = 0
    avg = None
    while True:
        v = yield avg
        total += v
        n += 1
        avg = total / n
a = averager()
next(a)
print(a.send(10), a.send(20), a.send(60))
try:
    count_up(3).send(5)
except TypeError as e:
    print("TypeError", e)
# send through yield from
def sub():
    x = yield "sub-ready"
    y = yield "sub got " + str(x)
    return x + y
def dele():
    r = yield from sub()
    yield "total " + str(r)
g = dele()
print(next(g), g.send(1), g.send(2))
# close
def closable():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
g = closable()
print(next(g))
g.close()
g.close()
print(list(g))
def catches_exit():
    try:
        yield 1
    except GeneratorExit:
        print("got GeneratorExit")
        raise
g = catches_exit()
next(g)
g.close()
# throw
def thrower():
    while True:
        try:
            yield "ok"
        except ValueError as e:
            print("caught in gen:", e)
            yield "recovered"
g = thrower()
print(next(g), g.throw(ValueError("bad")), next(g))
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("propagated", repr(e))
print(next(g, "exhausted"))
def unstarted():
    yield 1
g = unstarted()
try:
    g.throw(RuntimeError("early"))
except RuntimeError as e:
    print("unstarted throw:", e)
# generator state and laziness
log = []
def lazy():
    log.append("start")
    yield 1
    log.append("after 1")
    yield 2
g = lazy()
print(log)
next(g)
print(log)
# infinite generator with early stop
def naturals():
    n = 1
    while True:
        yield n
        n += 1
for v in naturals():
    if v > 3:
        break
    print("nat", v)
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(12)])
# generator expressions
ge = (c.upper() for c in "abc" if c != "b")
print(next(ge), list(ge))
print(sum(i * i for i in range(10)), list(zip(count_up(3), "xyz")))
# iterating a generator twice
g = count_up(2)
print(list(g), list(g))
# generator as a method and with arguments
class Tree:
    def __init__(self, v, kids=()):
        self.v = v
        self.kids = kids
    def walk(self):
        yield self.v
        for k in self.kids:
            yield from k.walk()
t = Tree(1, [Tree(2, [Tree(3)]), Tree(4)])
print(list(t.walk()))
# a generator that raises StopIteration inside -> RuntimeError
def bad():
    yield 1
    raise StopIteration
try:
    list(bad())
except RuntimeError as e:
    print("RuntimeError", e)
# generator running -> ValueError
def selfref():
    yield next(me)
me = selfref()
try:
    next(me)
except ValueError as e:
    print("ValueError", e)
# throw() and close() are delegated through yield from to the subgenerator
def sub_catches():
    try:
        yield 1
        yield 2
    except KeyError as e:
        yield "sub caught " + repr(e)
def delegator():
    yield from sub_catches()
g = delegator()
next(g)
print(g.throw(KeyError("k")))
def sub_returns():
    try:
        yield 1
    except ValueError:
        return "sub returned on throw"
def delegator2():
    r = yield from sub_returns()
    yield r
g = delegator2()
next(g)
print(g.throw(ValueError))
def outer_catches():
    try:
        yield from [1, 2]
    except ValueError as e:
        yield "outer caught " + str(e)
g = outer_catches()
next(g)
print(g.throw(ValueError("v")))
def sub_finally():
    try:
        yield 1
    finally:
        print("sub finally")
def delegator3():
    try:
        yield from sub_finally()
    finally:
        print("delegator finally")
g = delegator3()
next(g)
g.close()
print("closed")
