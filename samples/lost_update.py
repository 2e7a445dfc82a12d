# lost_update.py -- ten threads each add 1 to a shared counter 100,000 times.
#
# Run:    scripts/run samples/lost_update.py [THREADS [INCREMENTS]]
#         scripts/run --preempt=instruction --switch-every=50 samples/lost_update.py
#         scripts/run --dis samples/lost_update.py     (see the three steps)
#         scripts/run --step-script=samples/step_lost_update.txt samples/lost_update.py 2 1
# Expect: with the default GIL (threads switch only at loop back-edges and
#         calls, as in CPython 3.10+) nothing is lost: 1,000,000. Let the GIL
#         change hands between any two instructions and updates are lost.
# Why:    `counter += 1` is LOAD_GLOBAL, BINARY_OP, STORE_GLOBAL: a thread that
#         is switched out after the load stores a stale value when it resumes,
#         overwriting the increments other threads made meanwhile.
import sys
import threading

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
INCREMENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
counter = 0


def work():
    global counter
    for _ in range(INCREMENTS):
        counter += 1


def main():
    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = THREADS * INCREMENTS
    lost = expected - counter
    print(f"expected {expected:,}  actual {counter:,}  lost {lost:,} ({lost / expected:.1%})")


if __name__ == "__main__":
    main()
