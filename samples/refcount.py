# refcount.py -- watching reference counts change.
#
# Run:    scripts/run samples/refcount.py
# Expect: 3, then 2, then 3 again, then 2 (the same numbers CPython prints).
# Why:    every name and container slot that refers to an object counts;
#         getrefcount's own argument adds one while it runs. When the count
#         reaches zero the object is freed at once.
import sys

a = []
b = a
print("a and b name the list:", sys.getrefcount(a))
del b
print("after del b:", sys.getrefcount(a))
holder = [a]
print("also in another list:", sys.getrefcount(a))
holder.clear()
print("removed from it:", sys.getrefcount(a))
