# shared_list.py -- eight threads append to one shared list and add 1 to one
# shared counter, 50,000 times each (starting together, at a barrier).
#
# Run:    scripts/run samples/shared_list.py
#         scripts/run --gil-model=cpython3.2 --switch-every=20 samples/shared_list.py
#         scripts/run --free-threaded samples/shared_list.py
# Expect: the list always ends with all 400,000 items, each exactly once, in
#         every mode. The counter is exact under the default GIL (and in
#         CPython 3.10+), but loses updates when the GIL may change hands
#         between any two instructions (second command) or when there is no
#         GIL at all (third command, and python3.13t).
# Why:    `items.append(i)` is one operation done under one lock: the GIL, or
#         without a GIL the list's own lock. `counter += 1` is three (load,
#         add, store; see --dis) with no lock around them: a thread that is
#         interrupted, or runs at the same time as another, after the load
#         stores a stale value. One operation, one lock; a sequence of
#         operations needs a lock of its own (samples/lost_update_lock.py).
import threading

THREADS = 8
PER_THREAD = 50_000
items = []
counter = 0
start = threading.Barrier(THREADS)


def work(k):
    global counter
    start.wait()
    for i in range(k * PER_THREAD, (k + 1) * PER_THREAD):
        items.append(i)
        counter += 1


def main():
    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = THREADS * PER_THREAD
    print(f"{THREADS} threads x {PER_THREAD:,} appends: len(items) == {expected:,}: "
          f"{len(items) == expected}")
    print(f"every item exactly once: {sorted(items) == list(range(expected))}")
    print(f"counter {counter:,} of {expected:,} (lost {expected - counter:,})")


if __name__ == "__main__":
    main()
