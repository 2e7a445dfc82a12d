# Subscripts, slices with steps, slice assignment/deletion, attribute access.
a = list(range(10))
print(a[0], a[-1], a[2:5], a[:3], a[7:], a[:], a[::2], a[1::3], a[::-1], a[8:2:-2], a[-3:], a[:-7])
print(a[100:], a[-100:2], a[5:2], a[2:5:-1], a[::-3], a[-1:-4:-1], a[3:3])
s = "abcdefghij"
print(s[0], s[-2], s[2:5], s[::-1], s[::3], s[-4::-2], s[5:100], s[100:], s[:0])
t = tuple(a)
print(t[1:4], t[::4], t[-2:], type(t[1:2]).__name__)
print(range(10)[2:8:3], list(range(10)[::-4]))
b = a[:]
b[2:5] = ["x", "y"]
print(b)
b[:0] = [-1]
print(b)
b[len(b):] = [100, 101]
print(b)
b[::2] = [0] * len(b[::2])
print(b)
b[1:3] = []
print(b)
del b[::3]
print(b)
del b[0]
print(b)
del b[-2:]
print(b)
c = [1, 2, 3, 4, 5]
c[1:4] = "ab"
print(c)
c[:] = range(3)
print(c)
try:
    c[::2] = [1]
except ValueError as e:
    print("ValueError", e)
try:
    a[20]
except IndexError as e:
    print("IndexError", e)
try:
    "abc"[5]
except IndexError as e:
    print("IndexError", e)
try:
    (1,)[3]
except IndexError as e:
    print("IndexError", e)
m = [[1, 2], [3, 4]]
m[1][0] = 30
m[0] = m[0][::-1]
print(m, m[1][-1], m[-1][0])
d = {"a": {"b": [10, 20]}}
d["a"]["b"][1] += 5
d["a"]["c"] = 1
print(d, d["a"]["b"][-1])
k = (1, 2)
dd = {k: "tuple-key", 3: "int"}
print(dd[(1, 2)], dd[1, 2], dd[3])
# attribute access
class P:
    pass
p = P()
p.x = 1
p.y = P()
p.y.z = [5, 6]
p.y.z[0] += 1
p.x += 10
print(p.x, p.y.z, p.y.z[1], "abc".upper().lower()[1:], [1, 2, 3].count(2))
print(getattr(p, "x"), hasattr(p, "nope"), "x,y".split(",")[1])
# chained subscription on call results
def mk():
    return {"k": [1, [2, 3]]}
print(mk()["k"][1][0], mk()["k"][-1][-1])
print("hello"[1:4][::-1], [1, 2, 3, 4][1:][1:][0])
