# Under the GIL with preemption only at loop back-edges and calls (CPython
# 3.10+ and gilvm's default), `counter += 1` on a global is never split.
import threading

counter = 0


def work():
    global counter
    for _ in range(50000):
        counter += 1


threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("expected", 8 * 50000, "actual", counter)
