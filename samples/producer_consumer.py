# producer_consumer.py -- a queue between producer and consumer threads,
# shut down with poison pills.
#
# Run:    scripts/run samples/producer_consumer.py
# Expect: every item produced is consumed exactly once; the totals match.
# Why:    queue.Queue does its own locking (one mutex, two conditions): put()
#         and get() are safe from any thread, and get() sleeps without the
#         GIL while the queue is empty.
import queue
import threading

PRODUCERS = 3
CONSUMERS = 2
ITEMS = 1000
STOP = None

q = queue.Queue(maxsize=20)
consumed = []
consumed_lock = threading.Lock()


def producer(pid):
    for i in range(ITEMS):
        q.put(pid * ITEMS + i)


def consumer():
    while True:
        item = q.get()
        if item is STOP:
            break
        with consumed_lock:
            consumed.append(item)


def main():
    producers = [threading.Thread(target=producer, args=(p,)) for p in range(PRODUCERS)]
    consumers = [threading.Thread(target=consumer) for _ in range(CONSUMERS)]
    for t in producers + consumers:
        t.start()
    for t in producers:
        t.join()
    for _ in consumers:
        q.put(STOP)
    for t in consumers:
        t.join()
    total = PRODUCERS * ITEMS
    print("produced", total, "consumed", len(consumed), "unique", len(set(consumed)))
    print("sum ok:", sum(consumed) == sum(range(total)))


if __name__ == "__main__":
    main()
