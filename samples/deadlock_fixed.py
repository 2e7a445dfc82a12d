# deadlock_fixed.py -- two ways out of samples/deadlock.py's deadlock.
#
# Run:    scripts/run samples/deadlock_fixed.py
#         scripts/run --lock-order samples/deadlock_fixed.py   (no warning either)
# Expect: the same lines in every run, in every mode, and under python3:
#           one lock order: 2,000 transfers, balances a=100 b=100
#           timeouts: done ['ab', 'ba'], someone backed off: True
# Why:    1. The usual fix: every thread takes lock_a before lock_b. A thread
#            holding lock_b then never waits for lock_a, so no cycle of waits
#            can form, however the threads interleave.
#         2. When one order is impossible (the locks come from two callers),
#            take the second lock with acquire(timeout=...): if it fails,
#            release the first, back off and retry. The barrier still makes both
#            threads hold their first lock before they ask for the second, but a
#            timed wait ends: one thread gives up and lets go, the other goes on.
#            gilvm's deadlock detector ignores timed waits (they are not blocked
#            for good) and --lock-order does not count them as an order.
import threading
import time

lock_a = threading.Lock()
lock_b = threading.Lock()
TRANSFERS = 1000
balance = {"a": 100, "b": 100}


# --- 1. one lock order --------------------------------------------------------
def move(src, dst):
    for _ in range(TRANSFERS):
        with lock_a:          # always lock_a first,
            with lock_b:      # then lock_b, whichever way the money goes
                balance[src] -= 1
                balance[dst] += 1


t1 = threading.Thread(target=move, args=("a", "b"))
t2 = threading.Thread(target=move, args=("b", "a"))
t1.start()
t2.start()
t1.join()
t2.join()
print(f"one lock order: {2 * TRANSFERS:,} transfers, balances a={balance['a']} b={balance['b']}")


# --- 2. opposite orders, but the second lock with a timeout -------------------
both_hold_one = threading.Barrier(2)
done = []
backoffs = []


def careful(name, first, second, pause):
    met = False
    while True:
        with first:
            if not met:
                both_hold_one.wait()   # both threads now hold their first lock
                met = True
            if second.acquire(timeout=0.1):
                try:
                    done.append(name)
                    return
                finally:
                    second.release()
        backoffs.append(name)          # let go of `first`, wait, try again
        time.sleep(pause)


t1 = threading.Thread(target=careful, args=("ab", lock_a, lock_b, 0.01))
t2 = threading.Thread(target=careful, args=("ba", lock_b, lock_a, 0.03))
t1.start()
t2.start()
t1.join()
t2.join()
print(f"timeouts: done {sorted(done)}, someone backed off: {len(backoffs) > 0}")
