# Error messages worded exactly as CPython 3.11 words them.
import math
def check(label, f):
    try:
        f()
    except BaseException as e:
        print(label, "->", type(e).__name__ + ":", e)
        print("   repr:", repr(e))
    else:
        print(label, "-> no error")
def exec_unpack3():
    a, b = [1, 2, 3]
def exec_unpack2():
    a, b, c = [1, 2]
def exec_unpack_int():
    a, b = 5
def exec_assert():
    assert False
def exec_assert_msg():
    x = 3
    assert x < 0, "x must be negative, got %d" % x
def exec_raise(cls):
    raise cls
def set_str_item():
    s = "abc"
    s[1] = "x"
def set_tuple_item():
    t = (1,)
    t[0] = 2
def del_tuple_item():
    t = (1,)
    del t[0]
def call_none():
    n = None
    n()
def call_int():
    n = 5
    n()
def posonly(a, /):
    return a
check("1/0", lambda: 1 / 0)
check("1//0", lambda: 1 // 0)
check("1%0", lambda: 1 % 0)
check("1.0/0", lambda: 1.0 / 0)
check("1.5%0", lambda: 1.5 % 0)
check("divmod(1,0)", lambda: divmod(1, 0))
check("0**-1", lambda: 0 ** -1)
check("int('x')", lambda: int("x"))
check("int('')", lambda: int(""))
check("int('1.5')", lambda: int("1.5"))
check("int('12', 2)", lambda: int("12", 2))
check("float('abc')", lambda: float("abc"))
check("int(None)", lambda: int(None))
check("[][1]", lambda: [][1])
check("[1][-2]", lambda: [1][-2])
check("{}['k']", lambda: {}["k"])
check("{}[1]", lambda: {}[1])
check("{}[(1,2)]", lambda: {}[(1, 2)])
check("None.x", lambda: None.x)
check("(1).foo", lambda: (1).foo)
check("'s'.nope", lambda: "s".nope)
check("[].push", lambda: [].push)
check("undefined", lambda: undefined_name_xyz)
check("len(5)", lambda: len(5))
check("'a'+1", lambda: "a" + 1)
check("1+'a'", lambda: 1 + "a")
check("[1]+(2,)", lambda: [1] + (2,))
check("'a'*'b'", lambda: "a" * "b")
check("'a'-'b'", lambda: "a" - "b")
check("None+1", lambda: None + 1)
check("-'a'", lambda: -"a")
check("1<'a'", lambda: 1 < "a")
check("[]<{}", lambda: [] < {})
check("None()", call_none)
check("5()", call_int)
check("'abc'[1]='x'", set_str_item)
check("(1,)[0]=2", set_tuple_item)
check("del (1,)[0]", del_tuple_item)
check("hash([])", lambda: hash([]))
check("{[]: 1}", lambda: {[]: 1})
check("{[1]}", lambda: {[1]})
check("[].pop()", lambda: [].pop())
check("[1].index(5)", lambda: [1].index(5))
check("[].remove(1)", lambda: [].remove(1))
check("'abc'.index('z')", lambda: "abc".index("z"))
check("{}.popitem()", lambda: {}.popitem())
check("set().pop()", lambda: set().pop())
check("{1}.remove(2)", lambda: {1}.remove(2))
check("next(iter([]))", lambda: next(iter([])))
check("iter(5)", lambda: iter(5))
check("a,b = [1,2,3]", lambda: exec_unpack3())
check("a,b,c = [1,2]", lambda: exec_unpack2())
check("a,b = 5", lambda: exec_unpack_int())
check("chr(-1)", lambda: chr(-1))
check("ord('ab')", lambda: ord("ab"))
check("range(1.5)", lambda: range(1.5))
check("max([])", lambda: max([]))
check("min()", lambda: min())
check("sum(['a'])", lambda: sum(["a"]))
check("'x'.join([1])", lambda: "x".join([1]))
check("abs('x')", lambda: abs("x"))
check("sorted([1,'a'])", lambda: sorted([1, "a"]))
check("2**10000.0", lambda: 2 ** 10000.0)
check("float(10**400)", lambda: float(10 ** 400))
check("math.sqrt(-1)", lambda: math.sqrt(-1))
check("assert False", lambda: exec_assert())
check("assert msg", lambda: exec_assert_msg())
check("raise NotImplementedError", lambda: exec_raise(NotImplementedError))
check("'%d' % 'x'", lambda: "%d" % "x")
check("'{}'.format()", lambda: "{}".format())
check("'{0}{1}'.format(1)", lambda: "{0}{1}".format(1))
check("list(1)", lambda: list(1))
check("dict([1])", lambda: dict([1]))
check("getattr(1,'z')", lambda: getattr(1, "z"))
check("object().x = 1", lambda: setattr(object(), "x", 1))
# unbound local
def unbound():
    print(v)
    v = 1
check("unbound local", unbound)
def unbound_del():
    w = 1
    del w
    return w
check("unbound after del", unbound_del)
def uses_free():
    def inner():
        return z
    inner_result = inner
    z = 1
    del z
    return inner_result()
check("free var", uses_free)
# wrong argument counts and keywords
def two(a, b):
    return a + b
def kw(a, *, key):
    return a
def dflt(a, b=1):
    return a
class K:
    def m(self, x):
        return x
    def __init__(self, v):
        self.v = v
check("too many", lambda: two(1, 2, 3))
check("too few", lambda: two(1))
check("none given", lambda: two())
check("unexpected kw", lambda: two(1, 2, c=3))
check("multiple values", lambda: two(1, a=2))
check("missing kw-only", lambda: kw(1))
check("kw-only positional", lambda: kw(1, 2))
check("default too many", lambda: dflt(1, 2, 3))
check("method too many", lambda: K(1).m(1, 2))
check("method too few", lambda: K(1).m())
check("init too few", lambda: K())
check("init too many", lambda: K(1, 2))
check("builtin len()", lambda: len())
check("builtin len(1,2)", lambda: len([], []))
check("lambda args", lambda: (lambda x: x)())
check("posonly as kw", lambda: posonly(a=1))
# missing module
def imp_missing():
    import no_such_module_xyz
check("import missing", imp_missing)
try:
    from math import no_such_name
except ImportError as e:
    print("from import missing ->", type(e).__name__)
try:
    from sys import no_such_name
except ImportError as e:
    print(repr(e))
# recursion depth: print only the type name
def recurse(n):
    return recurse(n + 1)
try:
    recurse(0)
except RecursionError as e:
    print("recursion:", type(e).__name__)
# KeyError message formatting
try:
    {"a": 1}["b"]
except KeyError as e:
    print(type(e).__name__, e, e.args)
try:
    {}[""]
except KeyError as e:
    print(repr(str(e)))
# AttributeError on a user class instance and class
class Q:
    pass
check("instance attr", lambda: Q().missing)
check("class attr", lambda: Q.missing)
check("module attr", lambda: math.nope)
