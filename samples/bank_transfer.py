# bank_transfer.py -- check-then-act on an object's attribute: four threads
# withdraw 10 at a time from one account while the balance allows it, then two
# threads move money back and forth between two accounts.
#
# Run:    scripts/run samples/bank_transfer.py
#         scripts/run --free-threaded samples/bank_transfer.py
#         scripts/run --preempt=instruction --switch-every=20 samples/bank_transfer.py
#         scripts/run --free-threaded samples/bank_transfer.py --locked
#         scripts/run --compare samples/bank_transfer.py
#         python3 samples/bank_transfer.py [--locked]
# Expect: under the default GIL (and python3) the bank stays consistent:
#           withdrawals: 4 threads take 10 at a time from 3,000,000 (room for 300,000)
#             paid: expected 300,000  actual 300,000  final balance 0
#           transfers: 2 threads move 1 between a and b, 300,000 times each
#             money in the bank: expected 2,000  actual 2,000
#           consistent: True
#         With --free-threaded, or when the GIL may change hands between any two
#         instructions (third command), more withdrawals are paid than the money
#         allows, the final balance may even be negative, and money appears or
#         vanishes in the transfers: "consistent: False" (on 2 cores: 20 runs
#         out of 20 in each of these two modes when measured). With --locked the output is the one above in every mode,
#         under any preemption, and under python3.
# Why:    `if acct.balance >= AMOUNT:` (check) and `acct.balance = new` (act)
#         are separate steps. Two threads can both pass the check before either
#         stores, and each stores a balance computed from the value it read:
#         one withdrawal is paid but never subtracted (a lost update). With the
#         default GIL no switch happens between them (no loop back-edge and no
#         call), so the bug hides -- until the program runs on a newer or older
#         interpreter. The fix makes check and act one critical section: the
#         account's Lock. A transfer touches two accounts, so it takes both
#         locks, always in the same order (by name), or two opposite transfers
#         could deadlock (samples/deadlock.py; try --lock-order).
import sys
import threading

THREADS = 4
AMOUNT = 10
ALLOWED = 300_000             # withdrawals the opening balance pays for
TRANSFERS = 300_000           # per transfer thread
START = 1_000                 # in each of the two transfer accounts


class Account:
    def __init__(self, name, balance):
        self.name = name
        self.balance = balance
        self.lock = threading.Lock()


# --- the race ------------------------------------------------------------------
def withdraw_racy(acct, paid, k, start):
    start.wait()
    n = 0
    while acct.balance >= AMOUNT:          # the loop goes on while there is money
        if acct.balance >= AMOUNT:         # check ...
            new = acct.balance - AMOUNT    # ... read and compute ...
            acct.balance = new             # ... act: store what was computed
            n += 1
    paid[k] = n


def transfer_racy(src, dst, start):
    start.wait()
    for _ in range(TRANSFERS):
        src.balance -= 1
        dst.balance += 1


# --- the fix: check and act under the account's lock ---------------------------
def withdraw_locked(acct, paid, k, start):
    start.wait()
    n = 0
    while True:
        with acct.lock:
            if acct.balance < AMOUNT:
                break
            acct.balance -= AMOUNT
        n += 1
    paid[k] = n


def transfer_locked(src, dst, start):
    # Both locks, always in the same order, whichever way the money goes.
    first, second = (src, dst) if src.name < dst.name else (dst, src)
    start.wait()
    for _ in range(TRANSFERS):
        with first.lock:
            with second.lock:
                src.balance -= 1
                dst.balance += 1


def run(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    locked = "--locked" in sys.argv[1:]
    withdraw = withdraw_locked if locked else withdraw_racy
    transfer = transfer_locked if locked else transfer_racy

    acct = Account("savings", ALLOWED * AMOUNT)
    paid = [0] * THREADS
    start = threading.Barrier(THREADS)
    run([threading.Thread(target=withdraw, args=(acct, paid, k, start))
         for k in range(THREADS)])
    print(f"withdrawals: {THREADS} threads take {AMOUNT} at a time from "
          f"{ALLOWED * AMOUNT:,} (room for {ALLOWED:,})")
    print(f"  paid: expected {ALLOWED:,}  actual {sum(paid):,}  final balance {acct.balance:,}")

    a = Account("a", START)
    b = Account("b", START)
    start = threading.Barrier(2)
    run([threading.Thread(target=transfer, args=(a, b, start)),
         threading.Thread(target=transfer, args=(b, a, start))])
    print(f"transfers: 2 threads move 1 between a and b, {TRANSFERS:,} times each")
    print(f"  money in the bank: expected {2 * START:,}  actual {a.balance + b.balance:,}")

    print("consistent:", sum(paid) == ALLOWED and acct.balance == 0
          and a.balance + b.balance == 2 * START)


if __name__ == "__main__":
    main()
