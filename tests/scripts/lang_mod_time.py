# The time module (only properties that are deterministic are printed).
import time
t0 = time.time()
print(type(t0).__name__, t0 > 0, t0 > 1600000000)
p0 = time.perf_counter()
total = 0
for i in range(10000):
    total += i
p1 = time.perf_counter()
print(total, type(p0).__name__, p1 - p0 >= 0, p1 >= p0)
s0 = time.perf_counter()
r = time.sleep(0.01)
s1 = time.perf_counter()
print(r, s1 - s0 >= 0.009, s1 - s0 < 5)
t1 = time.time()
print(t1 >= t0, t1 - t0 < 60)
from time import sleep, perf_counter
sleep(0)
print(perf_counter() >= s1)
try:
    time.sleep(-1)
except ValueError as e:
    print("ValueError", e)
