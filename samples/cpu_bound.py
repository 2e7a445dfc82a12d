# cpu_bound.py -- the same CPU-bound work done sequentially and in 2 threads.
#
# Run:    scripts/run samples/cpu_bound.py [N]      (N: loop length, default 5,000,000)
#         scripts/run --free-threaded samples/cpu_bound.py
# Expect: under the GIL the threaded run takes about as long as the
#         sequential one (ratio near 1.0): only one thread runs bytecode at a
#         time, so two threads on two cores gain nothing. Free-threaded, the
#         two threads run on two cores at once: ratio near 0.5-0.6.
# Why:    the GIL serialises bytecode; threads help waiting, not computing.
import sys
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000


def count(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total


def main():
    count(N // 10)             # warm up, so both runs start equal
    start = time.perf_counter()
    count(N)
    count(N)
    sequential = time.perf_counter() - start

    start = time.perf_counter()
    threads = [threading.Thread(target=count, args=(N,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded = time.perf_counter() - start
    print(f"sequential {sequential:.2f} s, 2 threads {threaded:.2f} s, "
          f"ratio {threaded / sequential:.2f}")


if __name__ == "__main__":
    main()
