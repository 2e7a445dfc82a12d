# import forms, assert, and the __name__ == "__main__" idiom.
import math
import sys, time
from math import sqrt, pi as PI, floor
from math import (
    ceil,
    gcd as greatest,
)
import math as m
print(math.sqrt(16), sqrt(25), PI == math.pi, floor(2.7), ceil(2.1), greatest(12, 18), m.floor(-0.5))
print(m is math, type(math).__name__, math.__name__, sys.__name__, time.__name__)
def local_import():
    import math as lm
    from math import factorial
    return lm.isqrt(50), factorial(5)
print(local_import())
import math
print(math.floor(3.5))
try:
    import definitely_not_a_module
except ModuleNotFoundError as e:
    print(type(e).__name__, e, isinstance(e, ImportError))
try:
    from math import not_there
except ImportError as e:
    print(type(e).__name__)
try:
    import definitely_not_a_module as alias
except ImportError as e:
    print("caught as ImportError:", type(e).__name__)
print(__name__)
if __name__ == "__main__":
    print("running as main")
else:
    print("imported")
def main():
    print("main() called")
    return 0
if __name__ == "__main__":
    main()
# assert
assert True
assert 1 == 1, "never shown"
assert [1]
try:
    assert False
except AssertionError as e:
    print("AssertionError", repr(e), e.args)
try:
    assert 1 > 2, "one is not greater than two"
except AssertionError as e:
    print("AssertionError", e)
try:
    assert [], ["list", "message"]
except AssertionError as e:
    print("AssertionError", e.args)
count = 0
def side():
    global count
    count += 1
    return "msg"
assert True, side()
print("message evaluated only on failure:", count)
try:
    assert 0, side()
except AssertionError:
    print("after failure:", count)
x = 5
assert (x > 0), "parenthesized condition"
print("done")
