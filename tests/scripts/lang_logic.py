# Comparisons (chained), identity/membership, boolean short-circuit values, conditional expressions.
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1, 1 == 1 == 1, 1 == 1 != 2, 1 < 2 > 0, 5 >= 5 <= 6)
print(1 < 2 == 2, 0 < 0 < 1, 1 != 2 != 1, "a" < "b" < "c", [1] < [2] < [3])
calls = []
def v(x):
    calls.append(x)
    return x
print(v(1) < v(0) < v(5), calls)   # v(5) never evaluated
calls.clear()
print(v(1) < v(2) < v(3), calls)
calls.clear()
x = 5
print(0 <= x < 10, 0 <= x < 5, x == 5 == 5.0)
print(None is None, None is not None, [] is [], 1 in [1, 2], 3 not in (1, 2), "b" in "abc", "ab" in "abc", "" in "x")
print(2 in {1: 0, 2: 0}, 0 in {1: 0}, 1 in {1, 2}, 3 in range(5), not 1 in [1], not (1 in [2]))
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c, a != c, type(a) is list, type(x) is int)
# and/or return operands
print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or 0, 0 or None, "" or "dflt", "x" or "y", [] and 1)
print(None and 1, 1 and None, False or [], [] or {}, 0 or 0.0 or "" or "last", 1 and 2 and 3, 1 and 0 and 3)
print(not 1, not 0, not "", not "a", not [], not [0], not None, not not 2)
print(v(0) and v(1), calls); calls.clear()
print(v(2) or v(3), calls); calls.clear()
print(v(0) or v(0) or v(4), calls); calls.clear()
print(v(1) and v(2) and v(0) and v(9), calls); calls.clear()
print(True and not False, not True or True, (not True) or True, not (True or True))
print(1 or 2 and 0, (1 or 2) and 0, 0 and 1 or 2)
# conditional expressions
for n in [-1, 0, 7]:
    print("neg" if n < 0 else "zero" if n == 0 else "pos", end=" ")
print()
print(v("T") if True else v("F"), calls); calls.clear()
print(v("T") if False else v("F"), calls); calls.clear()
y = 10 if x > 3 else 20
print(y, (1 if x else 2) + 1, [i if i % 2 else -i for i in range(5)])
# truthiness of various values
for val in [0, 1, -1, 0.0, 0.1, "", "0", [], [0], (), (0,), {}, {0: 0}, set(), {0}, None, range(0), range(1)]:
    print(bool(val), end=" ")
print()
if []:
    print("never")
elif [0]:
    print("non-empty list is true")
while "":
    print("never")
print(3 > 2.5, 2 == 2.0, 1 == True, 0 == False, "1" == 1, None == 0, None == None, [] == [], () == [])
print(max(1, 2) if 1 < 2 else 0, min([3, 1]) == 1 == True)
