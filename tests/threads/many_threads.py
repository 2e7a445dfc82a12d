# 1,000 threads started and joined; daemon threads do not keep the program alive.
import threading
import time

done = []
lock = threading.Lock()


def tick(i):
    with lock:
        done.append(i)


threads = []
for i in range(1000):
    t = threading.Thread(target=tick, args=(i,))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
print(len(done), sum(done))
d = threading.Thread(target=time.sleep, args=(3600,), daemon=True)
d.start()
print("daemon alive", d.is_alive(), threading.active_count() >= 2)
