# The time module: clock types and monotonicity, sleep and its errors.
import time

t0 = time.time()
print(type(t0).__name__, t0 > 1.6e9)
print(type(time.time_ns()).__name__, time.time_ns() > 1600000000 * 10**9)
m0 = time.monotonic()
p0 = time.perf_counter()
n0 = time.perf_counter_ns()
time.sleep(0.02)
time.sleep(0)
time.sleep(1 - 1)
m1 = time.monotonic()
p1 = time.perf_counter()
n1 = time.perf_counter_ns()
print(m1 >= m0 + 0.015, p1 - p0 >= 0.015, n1 - n0 >= 15000000)
print(type(time.monotonic_ns()).__name__, type(time.process_time()).__name__)
print(type(time.thread_time()).__name__, time.process_time() >= 0)

def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ':', e)

t(lambda: time.sleep(-1))
t(lambda: time.sleep(-0.5))
t(lambda: time.sleep('a'))
t(lambda: time.sleep())
t(lambda: time.sleep(float('nan')))
t(lambda: time.time(1))
t(lambda: time.sleep(0.001))
