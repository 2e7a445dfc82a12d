# Assignment, augmented assignment (all operators on names, attributes, subscripts),
# del, pass, if/elif/else, while/for with break/continue/else.
n = 100
n += 5; print(n)
n -= 10; print(n)
n *= 3; print(n)
n //= 4; print(n)
n %= 50; print(n)
n **= 2; print(n)
n <<= 3; print(n)
n >>= 2; print(n)
n &= 0xF0; print(n)
n |= 0x0F; print(n)
n ^= 0xFF; print(n)
n /= 4; print(n)
s = "ab"; s += "cd"; s *= 2; print(s)
l = [1]; alias = l; l += [2]; l *= 2; print(l, alias, l is alias)
t = (1,); talias = t; t += (2,); print(t, talias, t is talias)
class Box:
    pass
b = Box()
b.v = 10
b.v += 1; b.v -= 2; b.v *= 3; b.v //= 2; b.v %= 7; b.v **= 3; b.v <<= 2; b.v >>= 1
b.v &= 0xFF; b.v |= 1; b.v ^= 3; print(b.v)
b.v /= 8; print(b.v)
b.s = "x"; b.s += "y"; print(b.s)
a = [10, 20, 30]
a[0] += 1; a[1] -= 1; a[2] *= 2; print(a)
a[0] //= 2; a[1] %= 7; a[2] **= 2; print(a)
a[0] <<= 1; a[1] >>= 1; a[2] &= 0xFFF; print(a)
a[0] |= 1; a[1] ^= 1; a[-1] /= 2; print(a)
d = {"k": 1}
d["k"] += 1; d["k"] *= 10; d["k"] -= 1; d["k"] //= 2; d["k"] %= 5; d["k"] **= 3; print(d)
d["k"] <<= 4; d["k"] >>= 1; d["k"] &= 0xF0; d["k"] |= 2; d["k"] ^= 7; d["k"] /= 2; print(d)
# the subscript target is evaluated once
calls = []
def idx():
    calls.append(1)
    return 0
a[idx()] += 100
print(a, len(calls))
# del
x = 1
del x
try:
    print(x)
except NameError as e:
    print("NameError", e)
lst = [0, 1, 2, 3, 4]
del lst[1], lst[-1]
print(lst)
dd = {"a": 1, "b": 2}
del dd["a"]
print(dd)
b.w = 1
del b.w
print(hasattr(b, "w"), hasattr(b, "v"))
p, q = 1, 2
del p, q
# pass
def nothing():
    pass
print(nothing())
class Empty:
    pass
if True:
    pass
# if / elif / else
def classify(v):
    if v < 0:
        return "neg"
    elif v == 0:
        return "zero"
    elif v < 10:
        return "small"
    else:
        return "big"
print([classify(v) for v in (-5, 0, 5, 50)])
# while with break/continue/else
i = 0
while i < 10:
    i += 1
    if i % 2:
        continue
    if i > 6:
        break
    print("while", i)
else:
    print("while-else not reached")
i = 0
while i < 3:
    i += 1
else:
    print("while-else reached", i)
# for with break/continue/else
for k in range(5):
    if k == 1:
        continue
    if k == 3:
        break
    print("for", k)
else:
    print("not reached")
for k in []:
    pass
else:
    print("for-else on empty")
for k in range(3):
    pass
else:
    print("for-else after loop", k)
def find(seq, target):
    for idx, item in enumerate(seq):
        if item == target:
            break
    else:
        return -1
    return idx
print(find("abc", "c"), find("abc", "z"))
# nested loops with break only exiting inner
for i in range(3):
    for j in range(3):
        if j == 2:
            break
        if i == 1:
            continue
        print("ij", i, j)
# loop variable persists after loop
for last in range(4):
    pass
print(last)
# iterating and mutating a copy
items = [1, 2, 3, 4]
for it in items[:]:
    if it % 2 == 0:
        items.remove(it)
print(items)
# while True with counters
count = 0
while True:
    count += 1
    if count >= 5:
        break
print(count)
# chained assignment with shared mutable
x = y = []
x.append(1)
print(y)
