# lost_update_lock.py -- the lost_update.py race, fixed with a Lock.
#
# Run:    scripts/run samples/lost_update_lock.py
#         scripts/run --preempt=instruction --switch-every=50 samples/lost_update_lock.py
# Expect: exactly 1,000,000 in every mode and with any preemption.
# Why:    the Lock makes load / add / store one critical section: a thread
#         switched out inside it keeps the lock, so no other thread can
#         interleave its own load / store.
import threading

THREADS = 10
INCREMENTS = 100_000
counter = 0
lock = threading.Lock()


def work():
    global counter
    for _ in range(INCREMENTS):
        with lock:
            counter += 1


def main():
    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = THREADS * INCREMENTS
    print(f"expected {expected:,}  actual {counter:,}  lost {expected - counter:,}")


if __name__ == "__main__":
    main()
