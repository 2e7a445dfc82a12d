# Ten threads add to one counter under a Lock: never an update lost.
import threading

counter = 0
lock = threading.Lock()


def work(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


threads = [threading.Thread(target=work, args=(20000,)) for _ in range(10)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("expected", 10 * 20000, "actual", counter)
