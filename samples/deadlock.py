# deadlock.py -- two threads take the same two locks in opposite orders.
#
# Run:    scripts/run samples/deadlock.py
# Expect: gilvm stops at once with exit status 3 and this report on stderr:
#           Deadlock: every thread is blocked for good and none can wake another.
#           Lock cycle (each thread holds a lock the next one waits for):
#             Thread-1 (transfer_ab) holds Lock lock_a, acquired at samples/deadlock.py:43 in transfer_ab()
#                 and waits for Lock lock_b at samples/deadlock.py:45 in transfer_ab()
#             Thread-2 (transfer_ba) holds Lock lock_b, acquired at samples/deadlock.py:50 in transfer_ba()
#                 and waits for Lock lock_a at samples/deadlock.py:52 in transfer_ba()
#           Other blocked threads:
#             MainThread waits in join() for Thread-1 (transfer_ab) at samples/deadlock.py:66 in <module>
#         python3 has no deadlock detector: it hangs here forever (Ctrl-C stops it;
#         the workers are daemon threads, so one Ctrl-C is enough).
# Run:    scripts/run --lock-order samples/deadlock.py one-at-a-time
# Expect: the threads run one after the other, so both transfers finish (python3
#         prints the same), but --lock-order warns on stderr:
#           lock-order inversion: Thread-1 (transfer_ab) took lock_a (samples/deadlock.py:43)
#           then lock_b (samples/deadlock.py:45); Thread-2 (transfer_ba) took lock_b (...:50) then lock_a (...:52)
# Why:    Thread-1 holds lock_a and waits for lock_b; Thread-2 holds lock_b and
#         waits for lock_a. Only the holder can release a lock it holds, and each
#         holder waits for the other: a cycle. The barrier makes sure both threads
#         hold their first lock before either asks for its second, so this happens on
#         every run; without it one thread usually finishes first and the bug hides,
#         as it does one-at-a-time, where only --lock-order sees it. gilvm sees that
#         every thread waits without a timeout for something only another waiting
#         thread could give. samples/deadlock_fixed.py shows two fixes.
import sys
import threading

one_at_a_time = sys.argv[1:] == ["one-at-a-time"]
lock_a = threading.Lock()
lock_b = threading.Lock()
both_hold_one = threading.Barrier(2)


def meet():
    if not one_at_a_time:
        both_hold_one.wait()   # until the other thread holds its first lock


def transfer_ab():
    with lock_a:
        meet()
        with lock_b:
            print("transfer_ab done")


def transfer_ba():
    with lock_b:
        meet()
        with lock_a:
            print("transfer_ba done")


t1 = threading.Thread(target=transfer_ab, daemon=True)
t2 = threading.Thread(target=transfer_ba, daemon=True)
if one_at_a_time:
    t1.start()
    t1.join()
    t2.start()
    t2.join()
else:
    t1.start()
    t2.start()
    t1.join()
    t2.join()
print("both transfers done")   # never printed when the threads overlap
