# Producers and consumers through queue.Queue with poison pills.
import queue
import threading

q = queue.Queue(maxsize=10)
results = []
results_lock = threading.Lock()


def producer(base):
    for i in range(500):
        q.put(base + i)


def consumer():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            break
        with results_lock:
            results.append(item)
        q.task_done()


producers = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(3)]
consumers = [threading.Thread(target=consumer) for _ in range(2)]
for t in producers + consumers:
    t.start()
for t in producers:
    t.join()
for _ in consumers:
    q.put(None)
q.join()
for t in consumers:
    t.join()
print(len(results), sum(results), sorted(results) == sorted(set(results)))
