# refcount_race.py -- why does CPython have a GIL? Because of reference counts.
#
# Run:    scripts/run --free-threaded --naive-refcount samples/refcount_race.py [ROUNDS]
#         scripts/run --gil --naive-refcount samples/refcount_race.py [ROUNDS]
# Expect: the program prints the same line in both modes. The report at exit
#         (stderr) shows, for the free-threaded run, objects whose reference
#         count a naive VM would have got wrong -- some "freed" while still in
#         use -- and none under the GIL.
# Why:    every time a thread reads a shared object, the interpreter adds one
#         to the object's reference count, and takes one off when done. Done
#         the plain way (read the count, add one, write it back) by two cores
#         at once, one update is lost -- the same race as `counter += 1`, one
#         level down. A lost decrement leaks; a lost increment frees an object
#         that is still in use: a crash. CPython's answer was one global lock;
#         free-threaded CPython (and gilvm without --gil) use biased and
#         atomic reference counts instead. gilvm keeps the naive count only as
#         a shadow next to the real one, so this demo is safe.
import sys
import threading

shared = [[i] for i in range(100)]     # objects every thread reads


def reader(rounds):
    total = 0
    for _ in range(rounds):
        for item in shared:             # each read takes and drops a reference
            total += item[0]
    return total


rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
threads = [threading.Thread(target=reader, args=(rounds,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"4 threads read 100 shared lists {rounds:,} times each")
