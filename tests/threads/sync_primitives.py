# RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Timer and
# queue variants: results that hold in every schedule.
import queue
import threading
import time

r = threading.RLock()
with r:
    with r:
        print("rlock re-entered")
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError", e)

lock = threading.Lock()
print(lock.acquire(), lock.acquire(False), lock.acquire(timeout=0.05))
lock.release()
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError", e)

sem = threading.Semaphore(2)
inside = 0
peak = 0
guard = threading.Lock()


def limited():
    global inside, peak
    with sem:
        with guard:
            inside += 1
            peak = max(peak, inside)
        time.sleep(0.01)
        with guard:
            inside -= 1


ts = [threading.Thread(target=limited) for _ in range(6)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("semaphore peak <= 2:", peak <= 2)

b = threading.BoundedSemaphore(1)
b.acquire()
b.release()
try:
    b.release()
except ValueError as e:
    print("ValueError", e)

ev = threading.Event()
print(ev.is_set(), ev.wait(0.01))
ev.set()
print(ev.is_set(), ev.wait())

cond = threading.Condition()
items = []


def consume(out):
    with cond:
        cond.wait_for(lambda: len(items) > 0)
        out.append(items.pop())


got = []
cs = [threading.Thread(target=consume, args=(got,)) for _ in range(3)]
for t in cs:
    t.start()
for i in range(3):
    with cond:
        items.append(i)
        cond.notify()
for t in cs:
    t.join()
print(sorted(got))

barrier = threading.Barrier(3)
idx = []


def arrive():
    idx.append(barrier.wait())


bs = [threading.Thread(target=arrive) for _ in range(3)]
for t in bs:
    t.start()
for t in bs:
    t.join()
print(sorted(idx))

fired = []
tm = threading.Timer(0.01, lambda: fired.append(True))
tm.start()
tm.join()
print(fired)

q = queue.Queue(1)
q.put(1)
try:
    q.put_nowait(2)
except queue.Full:
    print("Full")
try:
    q.put(2, timeout=0.01)
except queue.Full:
    print("Full after timeout")
print(q.get(), q.empty())
try:
    q.get(timeout=0.01)
except queue.Empty:
    print("Empty after timeout")
lq = queue.LifoQueue()
pq = queue.PriorityQueue()
for x in [3, 1, 2]:
    lq.put(x)
    pq.put(x)
print([lq.get() for _ in range(3)], [pq.get() for _ in range(3)])
sq = queue.SimpleQueue()
sq.put("s")
print(sq.get(), sq.empty())
print(threading.current_thread().name, threading.main_thread() is threading.current_thread())
