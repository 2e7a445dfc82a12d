# gil_convoy.py -- how late does a sleeping, I/O-like thread wake up while a
# CPU-bound thread runs? It sleeps 1 ms at a time and measures how much later
# than asked it gets going again, first alone, then next to a busy thread.
#
# Run:    scripts/run samples/gil_convoy.py                        (CPython 3.10+ GIL)
#         scripts/run --gil-model=ruby samples/gil_convoy.py 20    (Ruby's 100 ms slices)
#         scripts/run --gil-model=cpython2 samples/gil_convoy.py   (no hand-over)
#         scripts/run --free-threaded samples/gil_convoy.py        (no GIL)
#         python3 samples/gil_convoy.py
#         The optional argument is the number of sleeps (default 50).
# Expect: alone, the thread wakes a fraction of a millisecond late. Next to the
#         busy thread, under the default GIL it is about one switch interval
#         (5 ms) late, like CPython 3; with --gil-model=ruby about 100 ms; with
#         --gil-model=cpython2 or micropython anything from nothing to very late,
#         varying wildly; with --free-threaded it does not wait at all. The
#         lines starting with "timing:" vary from run to run; the others never do.
# Why:    waking from sleep, a thread must get the GIL back before it runs a
#         single instruction. CPython 3 (and Ruby) make it ask and wait one
#         interval (time slice) for the busy thread to hand over; CPython 2
#         and MicroPython had the busy thread drop and immediately re-take the
#         GIL every few instructions, so the waking thread got it only when it
#         happened to win that race (the "convoy effect" that made I/O threads
#         crawl next to CPU-bound ones). Without a GIL nobody waits.
import sys
import threading
import time

SLEEP = 0.001
stop = False


def io_thread(samples, lates):
    for _ in range(samples):
        start = time.perf_counter()
        time.sleep(SLEEP)
        lates.append(time.perf_counter() - start - SLEEP)


def cpu_thread():
    n = 0
    while not stop:
        n += 1


def measure(samples, busy):
    global stop
    stop = False
    lates = []
    cpu = threading.Thread(target=cpu_thread)
    if busy:
        cpu.start()
    io = threading.Thread(target=io_thread, args=(samples, lates))
    io.start()
    io.join()
    stop = True
    if busy:
        cpu.join()
    return lates


def ms(seconds):
    return f"{max(seconds, 0.0) * 1000:.2f} ms"


def summary(lates):
    lates = sorted(lates)
    median = lates[len(lates) // 2]
    p99 = lates[max(0, -(-len(lates) * 99 // 100) - 1)]   # nearest rank
    return f"median {ms(median)}, p99 {ms(p99)}"


def main():
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    alone = measure(samples, busy=False)
    busy = measure(samples, busy=True)
    print(f"I/O thread: {samples} sleeps of 1 ms, alone and next to a CPU-bound thread")
    print(f"woke {len(alone)} + {len(busy)} times; CPU thread stopped when asked: "
          f"{threading.active_count() == 1}")
    print(f"timing: late after sleep, alone: {summary(alone)}")
    print(f"timing: late after sleep, next to a CPU-bound thread: {summary(busy)}")


if __name__ == "__main__":
    main()
