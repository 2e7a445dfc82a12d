# Threads importing a module for the first time at the same moment: each gets it
# fully initialized (the import lock makes the others wait for the first), and
# sys.modules holds one module object.
import threading
got = []
barrier = threading.Barrier(4)
def worker():
    barrier.wait()
    import queue
    q = queue.Queue()        # fails on a half-initialized module
    q.put(1)
    got.append(q.get())
ts = [threading.Thread(target=worker) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
import sys
print(got, sys.modules["queue"] is __import__("queue"))
