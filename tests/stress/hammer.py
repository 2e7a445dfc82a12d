# Eight threads hammer one shared list, one dict, one set, one global and one
# closure cell for a while (default 2 s; first argument = seconds). Checks what
# must hold in every run, in both modes: every appended item is present exactly
# once, dict and set hold what was put in them, objects handed from thread to
# thread (and freed by the receiver) stay intact. The global counter may lose
# updates (counter += 1 is not atomic) but never exceeds the number of
# increments.
import sys
import threading
import time

NTHREADS = 8
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0

shared = []
table = {}
seen = set()
handoff = []
counter = 0
increments = [0] * NTHREADS
appended = [0] * NTHREADS
received = [0] * NTHREADS
bad = []


def make_closure():
    box = [0]
    cell_value = ("start", 0)

    def bump(tag, i):
        nonlocal cell_value
        cell_value = (tag, i)          # a fresh tuple each time: the old one is freed
        return cell_value
    return bump


bump = make_closure()


def worker(tid, stop):
    global counter
    i = 0
    while not stop.is_set():
        item = (tid, i, "x" * (i % 7))
        shared.append(item)
        appended[tid] += 1
        table[(tid, i % 64)] = [tid, i]
        seen.add((tid, i % 128))
        counter += 1
        increments[tid] += 1
        t = bump(tid, i)
        if len(t) != 2:
            bad.append("cell")
        # Hand objects to other threads, which read and drop them.
        handoff.append({"from": tid, "n": i, "payload": [i] * 3})
        try:
            got = handoff.pop()
        except IndexError:
            got = None
        if got is not None:
            if got["payload"] != [got["n"]] * 3:
                bad.append("handoff")
            received[tid] += 1
        if i % 50 == 0:
            snapshot = list(table.copy().items())
            for k, v in snapshot:
                if v[0] != k[0]:
                    bad.append("table")
            if len(shared) > 200000:
                pass
        i += 1


def main():
    stop = threading.Event()
    threads = [threading.Thread(target=worker, args=(n, stop)) for n in range(NTHREADS)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    total = sum(appended)
    counts = {}
    for tid, i, pad in shared:
        counts[tid] = counts.get(tid, 0) + 1
        if pad != "x" * (i % 7):
            bad.append("item")
    print("every appended item present:", len(shared) == total and
          all(counts.get(t, 0) == appended[t] for t in range(NTHREADS)))
    print("no duplicates:", len(set((tid, i) for tid, i, _ in shared)) == total)
    print("dict consistent:", all(v == [k[0], v[1]] and v[1] % 64 == k[1]
                                  for k, v in table.items()))
    print("set consistent:", all(0 <= i < 128 for _, i in seen))
    print("counter within bounds:", 0 < counter <= sum(increments))
    print("handoffs intact:", not bad)
    print("work done:", total > 0 and sum(received) > 0)


main()
