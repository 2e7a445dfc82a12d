# sync_primitives.py -- RLock, Semaphore, Event and Condition in small scenes.
#
# Run:    scripts/run samples/sync_primitives.py
# Expect: the same lines in every run and every mode.
# Why:    each primitive answers one coordination question: RLock lets the
#         owner re-enter, Semaphore caps how many threads are inside, Event
#         lets threads wait for a signal, Condition waits for a state change.
import threading
import time

# RLock: a recursive function may take the lock it already holds.
rlock = threading.RLock()


def countdown(n):
    with rlock:
        if n > 0:
            countdown(n - 1)
    return "re-entered 4 times without deadlock"


print(countdown(3))

# Semaphore: at most 2 "connections" at a time.
pool = threading.Semaphore(2)
active = 0
peak = 0
stats_lock = threading.Lock()


def use_connection():
    global active, peak
    with pool:
        with stats_lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with stats_lock:
            active -= 1


workers = [threading.Thread(target=use_connection) for _ in range(6)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print("most connections at once:", peak)

# Event: workers wait for the starting gun.
start = threading.Event()
ready = []


def runner(i):
    start.wait()
    ready.append(i)


runners = [threading.Thread(target=runner, args=(i,)) for i in range(3)]
for r in runners:
    r.start()
print("before the signal:", len(ready), "running")
start.set()
for r in runners:
    r.join()
print("after the signal:", len(ready), "running")

# Condition: a consumer waits until the shelf has something on it.
shelf = []
cond = threading.Condition()


def consumer(out):
    with cond:
        cond.wait_for(lambda: shelf)
        out.append(shelf.pop())


got = []
c = threading.Thread(target=consumer, args=(got,))
c.start()
with cond:
    shelf.append("bread")
    cond.notify()
c.join()
print("consumer got", got)
